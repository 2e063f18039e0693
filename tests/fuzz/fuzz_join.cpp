// libFuzzer target: geo::join on two tables with arbitrary keys (see harness.hpp join_input).

#include <cstddef>
#include <cstdint>

#include "harness.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    choro::fuzz::join_input(data, size);
    return 0;
}
