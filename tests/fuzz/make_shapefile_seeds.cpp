// Writes the seed inputs of fuzz_shapefile into corpus/shapefile/ (packed as harness.hpp says).
// Not part of any build; regenerate with:
//   c++ -std=c++20 -I tests/bad -I tests/fuzz -I geo/include -I styles/include \
//       tests/fuzz/make_shapefile_seeds.cpp tests/bad/shapefile_writer.cpp -o /tmp/seeds && /tmp/seeds
//       tests/fuzz/corpus/shapefile

#include <filesystem>
#include <string>

#include "harness.hpp"
#include "shapefile_writer.hpp"

using namespace choro::test;

int main(int argc, char** argv) {
    const std::filesystem::path dir = argc > 1 ? argv[1] : "corpus/shapefile";
    std::filesystem::create_directories(dir);
    const std::vector<DbfField> fields{{"GEOID", 'C', 5, 0}, {"NAME", 'C', 30, 0}, {"N", 'N', 10, 1}};
    auto save = [&](const std::string& name, const ShapefileBytes& b, bool shx = true) {
        choro::fuzz::ShapefileParts p{b.shp, b.shx, b.dbf, shx};
        choro::fuzz::write_bytes(dir / name, choro::fuzz::pack_shapefile(p));
    };
    // Two squares, a null shape, Latin-1 text.
    save("grid",
         make_shapefile({{{clockwise_square(-88, 32, -87, 33)}}, {{clockwise_square(-87, 32, -86, 33)}}, {}},
                        fields,
                        {{"01001",
                          "Do\xF1"
                          "a Ana",
                          "1001.0"},
                         {"01003", "B", "2"},
                         {"01005", "", ""}}));
    // A polygon with a hole wound like its exterior, and a bow-tie.
    save("hole-bowtie",
         make_shapefile({{{clockwise_square(-88, 32, -87, 33), clockwise_square(-87.75, 32.25, -87.25, 32.75)}},
                         {{{{-87, 32}, {-86, 33}, {-86, 32}, {-87, 33}, {-87, 32}}}}},
                        fields,
                        {{"01001", "A", "1"}, {"01003", "B", "2"}},
                        0x57));
    // Coordinates far outside lon/lat, and no .shx.
    save(
        "far-no-shx", make_shapefile({{{clockwise_square(1e9, 1e9, 2e9, 2e9)}}}, fields, {{"01001", "A", "1"}}), false);
    return 0;
}
