// libFuzzer target: geo::read_table (CSV, TSV, XLSX) on arbitrary bytes.

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <string>

#include "harness.hpp"
#include <unistd.h>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    // One folder per process: libFuzzer's -fork/-jobs modes run several processes at once.
    static const std::filesystem::path dir = [] {
        auto d = std::filesystem::temp_directory_path() / ("choro-fuzz-table-" + std::to_string(::getpid()));
        std::filesystem::create_directories(d);
        return d;
    }();
    choro::fuzz::table_input(data, size, dir);
    return 0;
}
