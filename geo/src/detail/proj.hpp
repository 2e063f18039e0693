#pragma once

#include <memory>
#include <string>

#include <proj.h>

#include "choro/geo/error.hpp"

/// @file
/// RAII owners of PROJ handles (one owner type per C handle, stateless deleters) and the helper
/// that turns PROJ's error state into a ProjectionError. Private to geo/src.

namespace choro::geo::detail {

struct ProjContextDeleter {
    void operator()(PJ_CONTEXT* ctx) const noexcept { proj_context_destroy(ctx); }
};
struct ProjDeleter {
    void operator()(PJ* pj) const noexcept { proj_destroy(pj); }
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
    proj_log_level(ctx, PJ_LOG_ERROR);
    proj_log_func(ctx, log, [](void* data, int level, const char* message) {
        if (data != nullptr && message != nullptr && level <= PJ_LOG_ERROR) {
            static_cast<ProjLog*>(data)->last = message;
        }
    });
}

/// Throws ProjectionError for `crs` with the context's errno, its text and PROJ's last log line
/// (ProjectionError itself adds the CRS and the code to the message).
/// When PROJ set no errno, `fallback_code` is used (so the code is never 0).
[[noreturn]] inline void throw_proj_error(PJ_CONTEXT* ctx,
                                          const ProjLog* log,
                                          const std::string& crs,
                                          const std::string& what,
                                          int fallback_code = PROJ_ERR_OTHER) {
    int code = proj_context_errno(ctx);
    std::string message = what;
    if (code != 0) {
        const std::string text =
            proj_context_errno_string(ctx, code) != nullptr ? proj_context_errno_string(ctx, code) : "";
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
