// libFuzzer target: the XLSX reader (geo::read_table on .xlsx) on arbitrary bytes.

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <string>

#include "harness.hpp"
#include <unistd.h>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    static const std::filesystem::path dir = [] {
        auto d = std::filesystem::temp_directory_path() / ("choro-fuzz-xlsx-" + std::to_string(::getpid()));
        std::filesystem::create_directories(d);
        return d;
    }();
    choro::fuzz::xlsx_input(data, size, dir);
    return 0;
}
