// Loads PROJ's shared library on first use (see detail/proj_api.hpp).
#include <cstdlib>
#include <string>
#include <type_traits>

#include "detail/proj_api.hpp"
#include <dlfcn.h>

#include "choro/geo/error.hpp"

#ifndef CHORO_PROJ_LIBRARY
#define CHORO_PROJ_LIBRARY "libproj.so"
#endif

namespace choro::geo::detail {

namespace {

/// The library to load: $CHORO_PROJ_LIBRARY (a path or a soname: another PROJ build) when set,
/// else the soname choro was built against.
std::string library_name() {
    const char* env = std::getenv("CHORO_PROJ_LIBRARY");
    return env != nullptr && *env != '\0' ? std::string(env) : std::string(CHORO_PROJ_LIBRARY);
}

ProjApi load_proj() {
    const std::string name = library_name();
    // Lazy binding: PROJ's own calls into its dependencies are resolved as they are made, not all
    // at load. Never closed: PJ handles and the loaded code outlive any one caller.
    void* handle = ::dlopen(name.c_str(), RTLD_LAZY | RTLD_LOCAL);
    if (handle == nullptr) {
        const char* why = ::dlerror();
        throw Error("cannot load PROJ (" + name +
                    "), which choro needs to project: " + (why != nullptr ? why : "dlopen failed") +
                    "; install PROJ's library (Debian: libproj25) or set CHORO_PROJ_LIBRARY to it");
    }
    ProjApi api;
    auto find = [handle, &name](auto& slot, const char* function) {
        slot = reinterpret_cast<std::remove_reference_t<decltype(slot)>>(::dlsym(handle, function));
        if (slot == nullptr) {
            throw Error("the library " + name + " has no function " + function +
                        ": not PROJ, or a PROJ older than the one choro was built with (" CHORO_PROJ_LIBRARY ")");
        }
    };
#define CHORO_PROJ_FIND(function) find(api.function, #function);
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
