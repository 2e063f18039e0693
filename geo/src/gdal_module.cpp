// Built into libchoro_gdal.so only (see geo/CMakeLists.txt), never into choro_geo: the module's
// entry point and its spreadsheet reader. The layer reader is layer_reader.cpp, also in the module.
#include "detail/gdal_module.hpp"

#include <algorithm>
#include <atomic>
#include <charconv>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "detail/gdal.hpp"
#include "detail/text.hpp"

#include "choro/geo/error.hpp"
#include "choro/geo/input_file.hpp"

namespace choro::geo::detail {

namespace {

/// Reads a file inside a zip through GDAL's /vsizip/; "" when absent.
std::string read_zip_member(const std::string& zip, const std::string& member) {
    const std::string vsi = "/vsizip/{" + zip + "}/" + member;
    VSILFILE* f = VSIFOpenL(vsi.c_str(), "rb");
    if (f == nullptr) {
        return {};
    }
    std::string out;
    char buf[65536];
    std::size_t n = 0;
    while ((n = VSIFReadL(buf, 1, sizeof buf, f)) > 0) {
        out.append(buf, n);
        if (out.size() > input_limits::max_table_bytes) {
            break;
        }
    }
    VSIFCloseL(f);
    return out;
}

/// GDAL's XLSX driver reads a shared-string cell whose index is beyond the table as the index
/// itself (a number that was never in the sheet). Checks every `t="s"` cell of every sheet of the
/// workbook at `gdal_file`; errors name `path`.
void check_shared_strings(const std::string& path, const std::string& gdal_file) {
    const std::string strings = read_zip_member(gdal_file, "xl/sharedStrings.xml");
    std::size_t count = 0;
    for (std::size_t p = strings.find("<si"); p != std::string::npos; p = strings.find("<si", p + 3)) {
        const char next = p + 3 < strings.size() ? strings[p + 3] : '>';
        count += (next == '>' || next == ' ' || next == '/') ? 1 : 0;
    }
    for (int sheet = 1; sheet <= 256; ++sheet) {
        const std::string xml = read_zip_member(gdal_file, "xl/worksheets/sheet" + std::to_string(sheet) + ".xml");
        if (xml.empty()) {
            break;
        }
        for (std::size_t p = xml.find("<c "); p != std::string::npos; p = xml.find("<c ", p + 3)) {
            const auto end = xml.find('>', p);
            if (end == std::string::npos) {
                break;
            }
            const std::string_view tag(xml.data() + p, end - p);
            if (tag.find("t=\"s\"") == std::string_view::npos || tag.back() == '/') {
                continue;
            }
            const auto v = xml.find("<v>", end);
            const auto close = xml.find("</c>", end);
            if (v == std::string::npos || (close != std::string::npos && v > close)) {
                continue;
            }
            const auto v_end = xml.find("</v>", v);
            const std::string index = xml.substr(v + 3, v_end == std::string::npos ? 0 : v_end - v - 3);
            std::size_t value = 0;
            const auto [ptr, err] = std::from_chars(index.data(), index.data() + index.size(), value);
            if (err != std::errc() || ptr != index.data() + index.size() || value >= count) {
                std::string ref;
                if (const auto r = tag.find("r=\""); r != std::string_view::npos) {
                    const auto q = tag.find('"', r + 3);
                    ref = std::string(tag.substr(r + 3, q == std::string_view::npos ? 0 : q - r - 3));
                }
                throw InputError(path,
                                 "sheet " + std::to_string(sheet) + ", cell " + (ref.empty() ? "?" : ref) +
                                     ": shared string " + visible(index) + " does not exist (the workbook has " +
                                     std::to_string(count) +
                                     "); the file is damaged. Open and save it again in a "
                                     "spreadsheet program");
            }
        }
    }
}

/// Opens a workbook with GDAL's XLSX driver (and no other). Throws InputError naming GDAL's reason.
GDALDatasetUniquePtr open_workbook(const std::string& path,
                                   const std::string& gdal_file,
                                   const GdalErrorCollector& errors) {
    const char* const drivers[] = {"XLSX", nullptr};
    RegisterOGRXLSX();  // the only driver allowed below (see register_drivers_for)
    GDALDatasetUniquePtr ds(
        GDALDataset::Open(gdal_file.c_str(), GDAL_OF_VECTOR | GDAL_OF_READONLY, drivers, nullptr, nullptr));
    if (!ds) {
        const std::string why = errors.last();
        throw InputError(path, "cannot open as an XLSX workbook" + (why.empty() ? std::string() : ": " + why));
    }
    return ds;
}

/// The sheet named `wanted`, else the first. Throws InputError listing the sheets when there is none.
OGRLayer& pick_sheet(GDALDataset& ds, const std::string& path, const std::string& wanted) {
    OGRLayer* sheet = nullptr;
    if (wanted.empty()) {
        sheet = ds.GetLayerCount() > 0 ? ds.GetLayer(0) : nullptr;
    } else {
        sheet = ds.GetLayerByName(wanted.c_str());
    }
    if (sheet == nullptr) {
        std::vector<std::string> names;
        names.reserve(static_cast<std::size_t>(std::max(ds.GetLayerCount(), 0)));
        for (int i = 0; i < ds.GetLayerCount(); ++i) {
            names.emplace_back(ds.GetLayer(i)->GetName());
        }
        throw InputError(path, "no sheet '" + wanted + "'; the sheets are: " + quoted_list(names));
    }
    return *sheet;
}

/// A sheet's rows as text, each with its spreadsheet row number.
SheetRows read_sheet_rows(OGRLayer& sheet) {
    SheetRows rows;
    rows.name = sheet.GetName();
    std::size_t ordinal = 0;
    for (const auto& feature : sheet) {
        ++ordinal;
        std::vector<std::string> cells;
        const int count = feature->GetFieldCount();
        cells.reserve(static_cast<std::size_t>(count));
        for (int i = 0; i < count; ++i) {
            cells.emplace_back(feature->IsFieldSetAndNotNull(i) ? feature->GetFieldAsString(i) : "");
        }
        // With headers disabled the FID is the spreadsheet row number (1-based).
        const auto fid = feature->GetFID();
        rows.numbers.push_back(fid > 0 ? static_cast<std::size_t>(fid) : ordinal);
        rows.cells.push_back(std::move(cells));
    }
    return rows;
}

/// The workbook's bytes as a file of GDAL's memory file system, unlinked when this ends.
class MemoryFile {
public:
    explicit MemoryFile(const std::string& bytes)
        : m_path("/vsimem/choro-stdin-" + std::to_string(reinterpret_cast<std::uintptr_t>(&bytes)) + ".xlsx") {
        VSILFILE* f = VSIFileFromMemBuffer(
            m_path.c_str(), reinterpret_cast<GByte*>(const_cast<char*>(bytes.data())), bytes.size(), FALSE);
        if (f == nullptr) {
            throw InputError("standard input", "cannot read the workbook");
        }
        VSIFCloseL(f);
    }
    ~MemoryFile() { VSIUnlink(m_path.c_str()); }
    MemoryFile(const MemoryFile&) = delete;
    MemoryFile& operator=(const MemoryFile&) = delete;

    [[nodiscard]] const std::string& path() const noexcept { return m_path; }

private:
    std::string m_path;
};

SheetRows read_sheet(const std::string& path, const std::string* bytes, const std::string& sheet_name) {
    std::optional<MemoryFile> memory;
    if (bytes != nullptr) {
        memory.emplace(*bytes);
    }
    const std::string& gdal_file = memory ? memory->path() : path;
    GdalErrorCollector errors;
    check_shared_strings(path, gdal_file);
    // GDAL 3.6's XLSX driver takes these as configuration options (newer versions also as open
    // options): every cell as text, no header guessing (we pick the header row ourselves).
    const CPLConfigOptionSetter headers("OGR_XLSX_HEADERS", "DISABLE", false);
    const CPLConfigOptionSetter types("OGR_XLSX_FIELD_TYPES", "STRING", false);
    GDALDatasetUniquePtr ds = open_workbook(path, gdal_file, errors);
    return read_sheet_rows(pick_sheet(*ds, path, sheet_name));
}

constexpr GdalApi api{gdal_api_version, &read_layer_gdal, &list_layers_gdal, &read_sheet};

}  // namespace

}  // namespace choro::geo::detail

/// The module's one exported symbol, looked up by gdal_loader.cpp (its type: detail::GdalEntry).
extern "C" __attribute__((visibility("default"))) const choro::geo::detail::GdalApi* choro_gdal_api(
    std::atomic<int>* interrupt_flag) {
    choro::geo::detail::use_interrupt_flag(interrupt_flag);
    return &choro::geo::detail::api;
}
