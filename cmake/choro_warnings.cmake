# Warning and sanitizer flags live on an INTERFACE target that only choro's own targets link
# (as mapbox/earcut.hpp's `common` target), so vendored and system code is compiled as it is.
add_library(choro_common INTERFACE)
add_library(choro::common ALIAS choro_common)
target_compile_options(choro_common INTERFACE
    $<$<COMPILE_LANG_AND_ID:CXX,GNU,Clang>:-Wall -Wextra -Wpedantic -Wshadow -Wconversion -Wno-sign-conversion>)
if(CHORO_WARNINGS_AS_ERRORS)
    target_compile_options(choro_common INTERFACE $<$<COMPILE_LANG_AND_ID:CXX,GNU,Clang>:-Werror>)
endif()
if(CHORO_SANITIZE)
    target_compile_options(choro_common INTERFACE -fsanitize=address,undefined -fno-sanitize-recover=all
                                                  -fno-omit-frame-pointer)
    target_link_options(choro_common INTERFACE -fsanitize=address,undefined)
    target_compile_definitions(choro_common INTERFACE CHORO_SANITIZED)  # cli: leave_to_exit() frees
endif()

# choro_module(NAME) builds folder NAME/ as the static library choro_NAME (alias choro::NAME).
# Sources are globbed with CONFIGURE_DEPENDS: every module keeps one file per concept, and several
# people add files at once; a glob spares them a shared list to edit.
function(choro_module name)
    file(GLOB_RECURSE sources CONFIGURE_DEPENDS ${CMAKE_CURRENT_SOURCE_DIR}/src/*.cpp)
    if(NOT sources)
        message(FATAL_ERROR "module ${name} has no sources in ${CMAKE_CURRENT_SOURCE_DIR}/src")
    endif()
    add_library(choro_${name} STATIC ${sources})
    add_library(choro::${name} ALIAS choro_${name})
    target_include_directories(choro_${name} PUBLIC ${CMAKE_CURRENT_SOURCE_DIR}/include
                                             PRIVATE ${CMAKE_CURRENT_SOURCE_DIR}/src)
    target_link_libraries(choro_${name} PRIVATE choro::common)
    target_compile_definitions(choro_${name} PRIVATE CHORO_VERSION="${PROJECT_VERSION}")
endfunction()
