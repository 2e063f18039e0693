// Loads PROJ's shared library on first use (see detail/proj_api.hpp).
#include <string>

#include "detail/proj_api.hpp"

#include "choro/geo/shared_library.hpp"

#ifndef CHORO_PROJ_LIBRARY
#define CHORO_PROJ_LIBRARY "libproj.so"
#endif

namespace choro::geo::detail {

namespace {

ProjApi load_proj() {
    const SharedLibrary library(SharedLibrary::chosen("CHORO_PROJ_LIBRARY", CHORO_PROJ_LIBRARY),
                                "PROJ",
                                "project",
                                "install PROJ's library (Debian: libproj25) or set CHORO_PROJ_LIBRARY to it");
    ProjApi api;
#define CHORO_PROJ_FIND(function) library.find(api.function, #function);
    CHORO_PROJ_FUNCTIONS(CHORO_PROJ_FIND)
#undef CHORO_PROJ_FIND
    return api;
}

}  // namespace

const ProjApi& proj_api() {
    // A throwing initialiser leaves the static uninitialised: the next call tries again and throws
    // the same error, never returns a half-filled table.
    static const ProjApi api = load_proj();
    return api;
}

}  // namespace choro::geo::detail
