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

/// Opens a vector dataset read-only; nullptr on failure (messages land in the active collector).
[[nodiscard]] inline GDALDatasetUniquePtr open_vector(const std::string& path,
                                                      const char* const* open_options = nullptr) {
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
