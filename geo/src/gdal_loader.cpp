// Loads libchoro_gdal.so on first use (see detail/gdal_module.hpp) and forwards to it.
#include <cstdlib>
#include <filesystem>
#include <mutex>
#include <string>
#include <vector>

#include "detail/gdal_module.hpp"
#include "detail/layer_cache.hpp"
#include <dlfcn.h>

#include "choro/geo/error.hpp"
#include "choro/geo/layer.hpp"

#ifndef CHORO_GDAL_MODULE
#define CHORO_GDAL_MODULE ""
#endif

namespace choro::geo {

namespace detail {

namespace {

constexpr const char* module_name = "libchoro_gdal.so";

const GdalApi* load_module(std::string& tried) {
    std::vector<std::string> candidates;
    if (const char* env = std::getenv("CHORO_GDAL_MODULE"); env != nullptr && *env != '\0') {
        candidates.emplace_back(env);
    }
    std::error_code ec;
    const auto exe = std::filesystem::read_symlink("/proc/self/exe", ec);
    if (!ec) {
        // Beside it (the build), then where `cmake --install` puts it (cli/CMakeLists.txt).
        candidates.push_back((exe.parent_path() / module_name).string());
        candidates.push_back((exe.parent_path() / ".." / "lib" / "choro" / module_name).string());
    }
    if (*CHORO_GDAL_MODULE != '\0') {
        candidates.emplace_back(CHORO_GDAL_MODULE);
    }
    for (const auto& path : candidates) {
        if (!std::filesystem::exists(path, ec)) {
            tried += (tried.empty() ? "" : ", ") + path + " (missing)";
            continue;
        }
        // Never closed: its code (and the vtables of what it threw) must outlive every caller.
        void* handle = ::dlopen(path.c_str(), RTLD_NOW | RTLD_LOCAL);
        if (handle == nullptr) {
            const char* why = ::dlerror();
            tried += (tried.empty() ? "" : ", ") + path + " (" + (why != nullptr ? why : "cannot load") + ")";
            continue;
        }
        auto entry = reinterpret_cast<GdalEntry>(::dlsym(handle, "choro_gdal_api"));
        const GdalApi* api = entry != nullptr ? entry(interrupt_flag()) : nullptr;
        if (api == nullptr || api->version != gdal_api_version) {
            tried += (tried.empty() ? "" : ", ") + path + " (another build's module)";
            continue;
        }
        return api;
    }
    return nullptr;
}

}  // namespace

const GdalApi& gdal_api() {
    static std::once_flag once;
    static const GdalApi* api = nullptr;
    static std::string tried;
    std::call_once(once, [] { api = load_module(tried); });
    if (api == nullptr) {
        throw Error("cannot load choro's GDAL module " + std::string(module_name) +
                    " (needed to read boundaries and spreadsheets; tried " + tried +
                    "); set CHORO_GDAL_MODULE to its path");
    }
    return *api;
}

Layer read_layer_uncached(const std::string& path, const LayerOptions& options) {
    return gdal_api().read_layer(path, options);
}

}  // namespace detail

std::vector<std::string> list_layers(const std::string& path) {
    return detail::gdal_api().list_layers(path);
}

}  // namespace choro::geo
