#pragma once

#include <string>
#include <vector>

#include <cpl_conv.h>
#include <cpl_error.h>
#include <gdal.h>
#include <gdal_priv.h>
#include <ogrsf_frmts.h>

/// @file
/// GDAL helpers shared by the readers in geo/src: driver registration and a scoped error
/// collector. Private to geo (GDAL types never reach a public header).

namespace choro::geo::detail {

/// Registers GDAL's drivers once per process (a function-local static, as libosmium's gdalcpp does).
inline void register_gdal_drivers() {
    static const bool registered = [] {
        GDALAllRegister();
        return true;
    }();
    (void)registered;
}

/// While alive, GDAL/CPL messages on this thread are collected here instead of being printed, and
/// the thread's "last error" state is restored afterwards (CPLErrorStateBackuper).
class GdalErrorCollector {
public:
    GdalErrorCollector() : m_pusher(&GdalErrorCollector::handler, this) { CPLErrorReset(); }
    ~GdalErrorCollector() = default;
    GdalErrorCollector(const GdalErrorCollector&) = delete;
    GdalErrorCollector& operator=(const GdalErrorCollector&) = delete;
    GdalErrorCollector(GdalErrorCollector&&) = delete;
    GdalErrorCollector& operator=(GdalErrorCollector&&) = delete;

    /// Messages of class CE_Failure or worse, oldest first.
    [[nodiscard]] const std::vector<std::string>& errors() const noexcept { return m_errors; }
    /// Messages of class CE_Warning, oldest first.
    [[nodiscard]] const std::vector<std::string>& warnings() const noexcept { return m_warnings; }
    /// The most recent error (or warning when there is no error), "" when GDAL said nothing.
    [[nodiscard]] std::string last() const {
        if (!m_errors.empty()) {
            return m_errors.back();
        }
        return m_warnings.empty() ? std::string() : m_warnings.back();
    }
    /// Forgets what was collected so far.
    void clear() noexcept {
        m_errors.clear();
        m_warnings.clear();
    }

private:
    static void CPL_STDCALL handler(CPLErr level, CPLErrorNum /*num*/, const char* msg) {
        auto* self = static_cast<GdalErrorCollector*>(CPLGetErrorHandlerUserData());
        if (self == nullptr || msg == nullptr) {
            return;
        }
        if (level >= CE_Failure) {
            self->m_errors.emplace_back(msg);
        } else if (level == CE_Warning) {
            self->m_warnings.emplace_back(msg);
        }
    }

    CPLErrorStateBackuper m_backup;  // constructed first, destroyed last: restores the caller's state
    CPLErrorHandlerPusher m_pusher;
    std::vector<std::string> m_errors;
    std::vector<std::string> m_warnings;
};

/// Registers only the drivers the common source formats need, chosen by the file extension
/// (GDALAllRegister() registers 200+ drivers: 10-20 ms of every run; one driver takes well under
/// 1 ms). Returns false when the extension is not one of them; the caller then registers all.
/// Each RegisterOGR…() returns at once when its driver is already registered, and the relative
/// order is GDALAllRegister()'s, so which driver claims a file does not change.
inline bool register_drivers_for(const std::string& path) {
    if (path.rfind("/vsi", 0) == 0) {
        return false;
    }
    const auto dot = path.find_last_of("./");
    if (dot == std::string::npos || path[dot] != '.') {
        return false;
    }
    std::string ext = path.substr(dot + 1);
    for (auto& c : ext) {
        c = static_cast<char>(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
    }
    if (ext == "shp" || ext == "dbf") {
        RegisterOGRShape();
    } else if (ext == "json" || ext == "geojson" || ext == "topojson") {
        RegisterOGRGeoJSON();
        RegisterOGRTopoJSON();
    } else if (ext == "gpkg") {
        RegisterOGRGeoPackage();
    } else if (ext == "fgb") {
        RegisterOGRFlatGeobuf();
    } else {
        return false;
    }
    return true;
}

/// Opens a vector dataset read-only; nullptr on failure (messages land in the active collector).
/// Tries the drivers of the file's extension first and falls back to every driver.
[[nodiscard]] inline GDALDatasetUniquePtr open_vector(const std::string& path,
                                                      const char* const* open_options = nullptr) {
    if (register_drivers_for(path)) {
        if (GDALDatasetUniquePtr ds(
                GDALDataset::Open(path.c_str(), GDAL_OF_VECTOR | GDAL_OF_READONLY, nullptr, open_options, nullptr));
            ds) {
            return ds;
        }
    }
    register_gdal_drivers();
    return GDALDatasetUniquePtr(
        GDALDataset::Open(path.c_str(), GDAL_OF_VECTOR | GDAL_OF_READONLY, nullptr, open_options, nullptr));
}

/// The path GDAL should open: plain `.zip` files go through /vsizip/.
[[nodiscard]] inline std::string gdal_path(const std::string& path) {
    const auto ends_with_zip = path.size() >= 4 && (path.compare(path.size() - 4, 4, ".zip") == 0 ||
                                                    path.compare(path.size() - 4, 4, ".ZIP") == 0);
    if (ends_with_zip && path.rfind("/vsi", 0) != 0) {
        return "/vsizip/" + path;
    }
    return path;
}

}  // namespace choro::geo::detail
