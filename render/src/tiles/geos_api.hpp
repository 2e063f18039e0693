#pragma once

#include <geos_c.h>

/// @file
/// GEOS is loaded with dlopen on first use, not linked (see choro/geo/shared_library.hpp): only
/// vector tiles call it, and linking it cost every process 6-8 ms in the dynamic loader on the
/// project's machine (an empty program linked with choro's libraries started in 16 ms with
/// libgeos_c, 9.6 ms without).

namespace choro::render::detail {

/// Every GEOS function vector.cpp calls (the re-entrant API). Add one here before calling it.
#define CHORO_GEOS_FUNCTIONS(X)      \
    X(GEOS_init_r)                   \
    X(GEOS_finish_r)                 \
    X(GEOSGeom_destroy_r)            \
    X(GEOSCoordSeq_copyFromBuffer_r) \
    X(GEOSCoordSeq_copyToBuffer_r)   \
    X(GEOSCoordSeq_getSize_r)        \
    X(GEOSGeom_createLinearRing_r)   \
    X(GEOSGeom_createPolygon_r)      \
    X(GEOSGeom_createCollection_r)   \
    X(GEOSGeom_getCoordSeq_r)        \
    X(GEOSGeomTypeId_r)              \
    X(GEOSGetExteriorRing_r)         \
    X(GEOSGetNumInteriorRings_r)     \
    X(GEOSGetInteriorRingN_r)        \
    X(GEOSGetNumGeometries_r)        \
    X(GEOSGetGeometryN_r)            \
    X(GEOSisValid_r)                 \
    X(GEOSClipByRect_r)              \
    X(GEOSMakeValid_r)               \
    X(GEOSGeom_setPrecision_r)

/// GEOS's functions, each with the type geos_c.h declares.
struct GeosApi {
// `name` is a function's name and a member's: parentheses would make neither safer.
#define CHORO_GEOS_MEMBER(name) decltype(&::name) name = nullptr;  // NOLINT(bugprone-macro-parentheses)
    CHORO_GEOS_FUNCTIONS(CHORO_GEOS_MEMBER)
#undef CHORO_GEOS_MEMBER
};

/// The loaded library (loaded once, thread-safe; never unloaded): $CHORO_GEOS_LIBRARY when set,
/// else the soname choro was built against. Throws Error naming the library and what failed.
[[nodiscard]] const GeosApi& geos_api();

}  // namespace choro::render::detail
