#pragma once

#include <proj.h>

/// @file
/// PROJ is loaded with dlopen on first use, not linked. libproj and the libraries it needs (libcurl
/// with GnuTLS and Kerberos, libtiff with its codecs: about 40 of choro's 80) cost every process
/// about 20 ms in the dynamic loader before main() on the project's machine (an empty program
/// linked with choro's libraries starts in 40 ms, 20 ms without libproj). Loaded on first use, that
/// cost falls on the thread that builds the projection (cli's start_projections), beside the
/// reading and joining, and a command that projects nothing never pays it.
///
/// The same idea as the GDAL module (gdal_module.hpp), but PROJ's C API is small enough to call
/// through a table of its own function pointers, so projection.cpp keeps calling PROJ directly.

namespace choro::geo::detail {

/// Every PROJ function geo calls. Add one here before calling it.
#define CHORO_PROJ_FUNCTIONS(X)         \
    X(proj_context_create)              \
    X(proj_context_destroy)             \
    X(proj_context_errno)               \
    X(proj_context_errno_string)        \
    X(proj_log_level)                   \
    X(proj_log_func)                    \
    X(proj_context_set_search_paths)    \
    X(proj_create)                      \
    X(proj_create_crs_to_crs_from_pj)   \
    X(proj_normalize_for_visualization) \
    X(proj_clone)                       \
    X(proj_destroy)                     \
    X(proj_is_crs)                      \
    X(proj_get_type)                    \
    X(proj_get_source_crs)              \
    X(proj_crs_get_sub_crs)             \
    X(proj_as_proj_string)              \
    X(proj_trans_generic)               \
    X(proj_errno_reset)

/// PROJ's functions, each with the type proj.h declares (so a call is checked as a direct one).
struct ProjApi {
// `name` is a function's name and a member's: parentheses would make neither safer.
#define CHORO_PROJ_MEMBER(name) decltype(&::name) name = nullptr;  // NOLINT(bugprone-macro-parentheses)
    CHORO_PROJ_FUNCTIONS(CHORO_PROJ_MEMBER)
#undef CHORO_PROJ_MEMBER
};

/// The loaded library (loaded once, thread-safe; never unloaded): $CHORO_PROJ_LIBRARY when set,
/// else the soname choro was built against. Throws Error naming the library and what failed when
/// it cannot be loaded or lacks a function.
[[nodiscard]] const ProjApi& proj_api();

}  // namespace choro::geo::detail
