// libFuzzer target: styles::parse_job_text and styles::validate on arbitrary text.

#include <cstddef>
#include <cstdint>

#include "harness.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    choro::fuzz::job_input(data, size);
    return 0;
}
