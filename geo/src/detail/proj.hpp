#pragma once

#include <memory>
#include <string>

#include "detail/proj_api.hpp"

#include "choro/geo/error.hpp"

/// @file
/// RAII owners of PROJ handles (one owner type per C handle, stateless deleters) and the helper
/// that turns PROJ's error state into a ProjectionError. Private to geo/src.

namespace choro::geo::detail {

struct ProjContextDeleter {
    void operator()(PJ_CONTEXT* ctx) const noexcept { proj_api().proj_context_destroy(ctx); }
};
struct ProjDeleter {
    void operator()(PJ* pj) const noexcept { proj_api().proj_destroy(pj); }
};

/// Owns a PROJ context. One per Projection (contexts are per thread).
using ProjContextPtr = std::unique_ptr<PJ_CONTEXT, ProjContextDeleter>;
/// Owns a PJ (a CRS or a transformation). Use it only on its context's thread.
using ProjPtr = std::unique_ptr<PJ, ProjDeleter>;

/// Collects PROJ's log messages instead of letting PROJ print them to stderr. Install with
/// install_log(); the collector must outlive the context.
struct ProjLog {
    std::string last;  ///< the last error message PROJ logged (often more precise than errno's text)
};

/// Routes the context's log into `log` (errors only) so nothing is printed.
inline void install_log(PJ_CONTEXT* ctx, ProjLog* log) noexcept {
    proj_api().proj_log_level(ctx, PJ_LOG_ERROR);
    proj_api().proj_log_func(ctx, log, [](void* data, int level, const char* message) {
        if (data != nullptr && message != nullptr && level <= PJ_LOG_ERROR) {
            static_cast<ProjLog*>(data)->last = message;
        }
    });
}

/// While alive, the context finds no proj.db: for building PJs from pipeline strings that need
/// nothing from the database (no CRS code, no grid). PROJ 9.1 opens proj.db in every proj_create
/// and proj_clone all the same (pj_obj_create asks for it to format the operation), which costs
/// 11-12 ms per context on the project's machine, sqlite parsing proj.db's schema; upstream stopped
/// that in November 2025 (OSGeo/PROJ#4617). So the context's search path is pointed at /dev/null,
/// under which no file can be, and its log is silenced (PROJ logs "Cannot find proj.db"); both go
/// back to PROJ's defaults and the error level when the guard ends.
class WithoutDatabase {
public:
    explicit WithoutDatabase(PJ_CONTEXT* ctx) noexcept : m_ctx(ctx) {
        const char* const nowhere[] = {"/dev/null"};
        proj_api().proj_context_set_search_paths(m_ctx, 1, nowhere);
        proj_api().proj_log_level(m_ctx, PJ_LOG_NONE);
    }
    ~WithoutDatabase() {
        proj_api().proj_context_set_search_paths(m_ctx, 0, nullptr);
        proj_api().proj_log_level(m_ctx, PJ_LOG_ERROR);
    }
    WithoutDatabase(const WithoutDatabase&) = delete;
    WithoutDatabase& operator=(const WithoutDatabase&) = delete;

private:
    PJ_CONTEXT* m_ctx;
};

/// Throws ProjectionError for `crs` with the context's errno, its text and PROJ's last log line
/// (ProjectionError itself adds the CRS and the code to the message).
/// When PROJ set no errno, `fallback_code` is used (so the code is never 0).
[[noreturn]] inline void throw_proj_error(PJ_CONTEXT* ctx,
                                          const ProjLog* log,
                                          const std::string& crs,
                                          const std::string& what,
                                          int fallback_code = PROJ_ERR_OTHER) {
    int code = proj_api().proj_context_errno(ctx);
    std::string message = what;
    if (code != 0) {
        const std::string text = proj_api().proj_context_errno_string(ctx, code) != nullptr
                                     ? proj_api().proj_context_errno_string(ctx, code)
                                     : "";
        // PROJ's text for a generic code is "Unknown error (code n)": the log line says more then.
        if (!text.empty() && (text.rfind("Unknown error", 0) != 0 || log == nullptr || log->last.empty())) {
            message += ": " + text;
        }
    } else {
        code = fallback_code;
    }
    if (log != nullptr && !log->last.empty()) {
        message += "; PROJ says: " + log->last;
    }
    throw ProjectionError(crs, code, message);
}

}  // namespace choro::geo::detail
