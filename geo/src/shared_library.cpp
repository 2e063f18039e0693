#include "choro/geo/shared_library.hpp"

#include <cstdlib>
#include <utility>

#include <dlfcn.h>

#include "choro/geo/error.hpp"

namespace choro::geo {

SharedLibrary::SharedLibrary(std::string name,
                             const std::string& what,
                             const std::string& purpose,
                             const std::string& hint)
    : m_name(std::move(name)) {
    // Lazy binding: the library's own calls into its dependencies are resolved as they are made.
    m_handle = ::dlopen(m_name.c_str(), RTLD_LAZY | RTLD_LOCAL);
    if (m_handle == nullptr) {
        const char* why = ::dlerror();
        throw Error("cannot load " + what + " (" + m_name + "), which choro needs to " + purpose + ": " +
                    (why != nullptr ? why : "dlopen failed") + "; " + hint);
    }
}

std::string SharedLibrary::chosen(const char* variable, const char* built_with) {
    const char* env = std::getenv(variable);
    return env != nullptr && *env != '\0' ? std::string(env) : std::string(built_with);
}

void* SharedLibrary::address(const char* symbol) const {
    void* found = ::dlsym(m_handle, symbol);
    if (found == nullptr) {
        throw Error("the library " + m_name + " has no function " + symbol +
                    ": not the library choro expects, or an older version of it than choro was built with");
    }
    return found;
}

}  // namespace choro::geo
