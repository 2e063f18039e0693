// libFuzzer target: a shapefile's .shp, .shx and .dbf fed from memory through GDAL's /vsimem/
// into geo::read_layer (the input packs the three parts, see harness.hpp).

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string>

#include "harness.hpp"
#include <cpl_vsi.h>

namespace {

void put(const std::string& path, const std::string& bytes) {
    // VSIFileFromMemBuffer takes ownership of a buffer from VSIMalloc when bTakeOwnership is TRUE.
    auto* buf = static_cast<GByte*>(VSIMalloc(bytes.empty() ? 1 : bytes.size()));
    if (!bytes.empty()) {
        std::memcpy(buf, bytes.data(), bytes.size());
    }
    VSIFCloseL(VSIFileFromMemBuffer(path.c_str(), buf, bytes.size(), TRUE));
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const auto parts = choro::fuzz::unpack_shapefile(data, size);
    const std::string base = "/vsimem/fuzz/layer";
    put(base + ".shp", parts.shp);
    if (parts.has_shx) {
        put(base + ".shx", parts.shx);
    }
    put(base + ".dbf", parts.dbf);
    choro::fuzz::read_shapefile(base + ".shp");
    VSIUnlink((base + ".shp").c_str());
    VSIUnlink((base + ".shx").c_str());
    VSIUnlink((base + ".dbf").c_str());
    return 0;
}
