#pragma once

#include <string>

/// @file
/// A library choro calls but does not link, opened with dlopen the first time it is needed:
/// PROJ (geo/src/proj_loader.cpp) and GEOS (render/src/tiles/geos_loader.cpp). Linking them cost
/// every process their dependent libraries in the dynamic loader before main(), whether or not it
/// projects or cuts vector tiles. Each caller lists its functions in a table of pointers with the
/// types of the library's own header, so calls through it are checked as direct calls are.

namespace choro::geo {

/// An opened shared library, never closed (its code, and the vtables of what it threw, must
/// outlive every caller).
class SharedLibrary {
public:
    /// Opens `name` (a soname or a path; RTLD_LAZY | RTLD_LOCAL). Throws Error "cannot load
    /// `what` (`name`), which choro needs to `purpose`: <the loader's reason>; `hint`".
    SharedLibrary(std::string name, const std::string& what, const std::string& purpose, const std::string& hint);

    /// Sets `slot`, a function pointer, to the library's `symbol`. Throws Error naming the library
    /// and the symbol when it has no such symbol.
    template <class Fn>
    void find(Fn& slot, const char* symbol) const {
        slot = reinterpret_cast<Fn>(address(symbol));  // NOLINT: dlsym's void* to a function pointer
    }

    [[nodiscard]] const std::string& name() const noexcept { return m_name; }

    /// The library to open: the environment variable `variable` when set and not empty (a path or
    /// a soname: another build of the library), else `built_with`, the soname choro was built against.
    [[nodiscard]] static std::string chosen(const char* variable, const char* built_with);

private:
    [[nodiscard]] void* address(const char* symbol) const;

    std::string m_name;
    void* m_handle = nullptr;
};

}  // namespace choro::geo
