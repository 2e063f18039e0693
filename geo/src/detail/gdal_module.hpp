#pragma once

#include <atomic>
#include <cstddef>
#include <string>
#include <vector>

#include "choro/geo/layer.hpp"

/// @file
/// Everything geo does with GDAL lives in a module, libchoro_gdal.so, loaded with dlopen the first
/// time it is needed. Linking libgdal costs every process its 110+ dependent libraries: about 50 ms
/// of CPU in the dynamic loader and 18 MB of memory before main() on the project's machine
/// (`choro --version`: 0.09 against 0.04 s), whether or not GDAL is used. With the layer cache warm
/// and CSV values, a map needs no GDAL.

namespace choro::geo::detail {

/// The rows of one spreadsheet sheet, every cell as text.
struct SheetRows {
    std::string name;                             ///< the sheet's name
    std::vector<std::vector<std::string>> cells;  ///< every row, every cell as text
    std::vector<std::size_t> numbers;             ///< the spreadsheet row number of each row (1-based)
};

/// The module's entry points. `version` guards against a module from another build.
struct GdalApi {
    int version;
    Layer (*read_layer)(const std::string& path, const LayerOptions& options);
    std::vector<std::string> (*list_layers)(const std::string& path);
    /// The rows of the workbook's sheet `sheet` (the first when empty). `bytes`, when not null, is
    /// the workbook itself (read from standard input) and `path` only names it in errors.
    SheetRows (*read_sheet)(const std::string& path, const std::string* bytes, const std::string& sheet);
};

inline constexpr int gdal_api_version = 2;

/// The module's one exported symbol is `choro_gdal_api`, of this type. It is given the loading
/// process's interrupt flag: the module holds its own copy of interrupt.cpp, whose checks must see
/// the signals the process's handler records.
using GdalEntry = const GdalApi* (*)(std::atomic<int>* interrupt_flag);

/// interrupt.cpp: the flag interrupted() reads (the process's own), and the module's switch to the
/// loading process's flag.
[[nodiscard]] std::atomic<int>* interrupt_flag() noexcept;
void use_interrupt_flag(std::atomic<int>* flag) noexcept;

/// The loaded module (loaded once, thread-safe). Throws Error naming the paths tried when the
/// module cannot be loaded. The module is looked for in $CHORO_GDAL_MODULE, beside the running
/// executable, then where the build put it.
[[nodiscard]] const GdalApi& gdal_api();

/// In the module: the GDAL reader proper (layer_reader.cpp).
[[nodiscard]] Layer read_layer_gdal(const std::string& path, const LayerOptions& options);
[[nodiscard]] std::vector<std::string> list_layers_gdal(const std::string& path);

}  // namespace choro::geo::detail
