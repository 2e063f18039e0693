// libFuzzer target: geo::normalise_key and geo::infer_key_shape.

#include <cstddef>
#include <cstdint>

#include "harness.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    choro::fuzz::key_input(data, size);
    return 0;
}
