// Loads GEOS's C library on first use (see geos_api.hpp).
#include <string>

#include "geos_api.hpp"

#include "choro/geo/shared_library.hpp"

#ifndef CHORO_GEOS_LIBRARY
#define CHORO_GEOS_LIBRARY "libgeos_c.so"
#endif

namespace choro::render::detail {

namespace {

GeosApi load_geos() {
    const geo::SharedLibrary library(geo::SharedLibrary::chosen("CHORO_GEOS_LIBRARY", CHORO_GEOS_LIBRARY),
                                     "GEOS",
                                     "cut vector tiles",
                                     "install GEOS's C library (Debian: libgeos-c1v5) or set CHORO_GEOS_LIBRARY to it");
    GeosApi api;
#define CHORO_GEOS_FIND(function) library.find(api.function, #function);
    CHORO_GEOS_FUNCTIONS(CHORO_GEOS_FIND)
#undef CHORO_GEOS_FIND
    return api;
}

}  // namespace

const GeosApi& geos_api() {
    static const GeosApi api = load_geos();  // a throw leaves it unset: the next call tries again
    return api;
}

}  // namespace choro::render::detail
