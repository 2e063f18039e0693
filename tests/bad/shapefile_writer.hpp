#pragma once

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

/// @file
/// A minimal ESRI shapefile writer for the bad-input corpus: every byte of the .shp, .shx and .dbf
/// is under the test's control (a DBF in Latin-1, a language-driver byte, a missing part), which
/// GDAL's own writer would not allow. Follows the ESRI Shapefile Technical Description (1998).

namespace choro::test {

/// One polygon record: rings of (x, y) in file order (shapefile outer rings are clockwise);
/// no rings = a null shape.
struct ShpPolygon {
    std::vector<std::vector<std::pair<double, double>>> rings;
};

/// A character (C) or numeric (N) DBF field.
struct DbfField {
    std::string name;  ///< at most 10 bytes
    char type = 'C';
    std::uint8_t width = 20;
    std::uint8_t decimals = 0;
};

/// A shapefile held in memory, one string per part.
struct ShapefileBytes {
    std::string shp;
    std::string shx;
    std::string dbf;
};

/// Builds the three parts. `records[i]` are the DBF cells of shape i, already in the bytes wanted
/// (e.g. Latin-1); `ldid` is the DBF language-driver id byte (0 = none, 0x57 = ANSI/Windows-1252).
[[nodiscard]] ShapefileBytes make_shapefile(const std::vector<ShpPolygon>& shapes,
                                            const std::vector<DbfField>& fields,
                                            const std::vector<std::vector<std::string>>& records,
                                            std::uint8_t ldid = 0);

/// A square (x0, y0)–(x1, y1) as a clockwise ring, closed.
[[nodiscard]] std::vector<std::pair<double, double>> clockwise_square(double x0, double y0, double x1, double y1);

}  // namespace choro::test
