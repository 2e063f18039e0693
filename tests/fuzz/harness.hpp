#pragma once

#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "choro/geo/error.hpp"
#include "choro/geo/join.hpp"
#include "choro/geo/keys.hpp"
#include "choro/geo/layer.hpp"
#include "choro/geo/table.hpp"
#include "choro/styles/job.hpp"

/// @file
/// What each fuzz target does with one input, shared by the libFuzzer targets (tests/fuzz/*.cpp)
/// and the regression test that replays the seed corpus and every crash found under the sanitizers
/// (tests/bad/fuzz_regression_test.cpp). The rule checked: bad bytes give a choro::Error or a
/// result, never a crash, another exception or a broken invariant.

namespace choro::fuzz {

/// Stops the process on a broken invariant: libFuzzer and the tests both report an abort.
inline void require(bool ok, const char* what) {
    if (!ok) {
        std::fprintf(stderr, "fuzz invariant broken: %s\n", what);
        std::abort();
    }
}

inline void write_bytes(const std::filesystem::path& path, std::string_view bytes) {
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
}

/// Table reader: the first byte picks the format (.csv, .tsv, .xlsx), the rest is the file.
/// The file is written under `dir` (the reader takes paths). Every cell is then parsed as a number
/// and as a key, as the join does.
inline void table_input(const std::uint8_t* data, std::size_t size, const std::filesystem::path& dir) {
    if (size == 0) {
        return;
    }
    static const char* const extensions[] = {".csv", ".tsv", ".xlsx"};
    const auto path = dir / (std::string("fuzz-table") + extensions[data[0] % 3]);
    write_bytes(path, std::string_view(reinterpret_cast<const char*>(data + 1), size - 1));
    try {
        geo::TableOptions options;
        if (data[0] % 2 == 1) {
            options.header_contains = "fips";
        }
        const geo::Table t = geo::read_table(path.string(), options);
        require(!t.columns.empty(), "a table has a header");
        require(!t.rows.empty(), "a table has rows");
        require(t.rows.size() == t.lines.size(), "one line number per row");
        for (std::size_t r = 0; r < t.rows.size(); ++r) {
            require(t.rows[r].size() == t.columns.size(), "every row has one cell per column");
            require(t.lines[r] >= 1, "line numbers are 1-based");
            for (const auto& cell : t.rows[r]) {
                (void)geo::parse_number(cell);
                (void)geo::normalise_key(cell, geo::KeyShape{5});
            }
        }
        (void)t.find_column("fips");
    } catch (const Error&) {
        // bad input, reported: fine
    }
}

/// XLSX reader: the bytes are the workbook (a zip). Checks what read_table promises, and that
/// every cell is text the join can use.
inline void xlsx_input(const std::uint8_t* data, std::size_t size, const std::filesystem::path& dir) {
    const auto path = dir / "fuzz-sheet.xlsx";
    write_bytes(path, std::string_view(reinterpret_cast<const char*>(data), size));
    try {
        geo::TableOptions options;
        options.header_contains = size > 0 && (data[size - 1] & 1) != 0 ? "fips" : "";
        const geo::Table t = geo::read_table(path.string(), options);
        require(!t.columns.empty() && !t.rows.empty(), "a table has a header and rows");
        require(t.rows.size() == t.lines.size(), "one line number per row");
        geo::NumberFormat comma;
        comma.decimal = ',';
        for (const auto& row : t.rows) {
            require(row.size() == t.columns.size(), "every row has one cell per column");
            for (const auto& cell : row) {
                (void)geo::parse_number(cell, comma);
            }
        }
    } catch (const Error&) {
    }
}

/// Join: two tables with arbitrary keys. The input is "boundary keys \0 table": the first part
/// gives one feature per line (key only, a unit square each), the second the table's rows, one
/// "key<TAB>value" per line. The first byte picks the options (count, duplicates, signs, decimal
/// mark, min_match). Checked: one value per feature, counts that add up, a report that prints.
inline void join_input(const std::uint8_t* data, std::size_t size) {
    if (size == 0) {
        return;
    }
    const std::uint8_t flags = data[0];
    const std::string_view text(reinterpret_cast<const char*>(data + 1), size - 1);
    const auto split = text.find('\0');
    const std::string_view left = text.substr(0, split);
    const std::string_view right = split == std::string_view::npos ? std::string_view() : text.substr(split + 1);
    const auto lines = [](std::string_view t) {
        std::vector<std::string> out;
        std::size_t start = 0;
        while (start < t.size()) {
            const auto end = std::min(t.find('\n', start), t.size());
            out.emplace_back(t.substr(start, end - start));
            start = end + 1;
        }
        return out;
    };
    geo::Layer layer;
    layer.source = "fuzz-boundaries";
    for (const auto& key : lines(left)) {
        geo::Feature f;
        f.key = key;
        f.geometry = {{{{0, 0}, {1, 0}, {1, 1}, {0, 1}, {0, 0}}}};
        f.attributes = {{"code", key + "0"}, {"other", key}};
        layer.features.push_back(std::move(f));
    }
    geo::Table table;
    table.source = "fuzz-values";
    table.columns = {"key", "value", "alt"};
    std::size_t line = 1;
    for (const auto& row : lines(right)) {
        const auto tab = row.find('\t');
        std::string key = row.substr(0, tab);
        std::string value = tab == std::string::npos ? std::string() : row.substr(tab + 1);
        table.rows.push_back({key, value, value});
        table.lines.push_back(++line);
    }
    geo::JoinOptions options;
    options.key_column = "key";
    options.value_column = "value";
    options.count = (flags & 1) != 0;
    options.duplicates = (flags & 6) == 0   ? geo::Duplicates::error
                         : (flags & 6) == 2 ? geo::Duplicates::first
                                            : geo::Duplicates::sum;
    options.signs = (flags & 8) != 0 ? geo::SignMode::strip : geo::SignMode::automatic;
    options.number_format.decimal = (flags & 16) != 0 ? ',' : '.';
    options.min_match = (flags & 32) != 0 ? 0.75 : 0.0;
    options.key_field = "id";
    try {
        const geo::JoinResult r = geo::join(layer, table, options);
        require(r.values.size() == layer.features.size(), "one value per feature");
        require(r.report.matched + r.report.unmatched_features.size() == layer.features.size(),
                "matched and unmatched features add up");
        require(r.report.unmatched_rows.size() <= table.rows.size(), "no more unmatched rows than rows");
        require(r.report.matched > 0 || layer.features.empty() || table.rows.empty(), "an empty join is an error");
        for (const auto& v : r.values) {
            require(!v || std::isfinite(*v), "values are finite");
        }
        (void)geo::to_json(r.report);
        (void)geo::summary(r.report);
    } catch (const Error&) {
    }
}

/// Job parser: the bytes are the TOML text.
inline void job_input(const std::uint8_t* data, std::size_t size) {
    const std::string text(reinterpret_cast<const char*>(data), size);
    try {
        const styles::Job job = styles::parse_job_text(text, "fuzz.toml", "data");
        styles::validate(job);
    } catch (const Error&) {
    }
}

/// Key normaliser: the first byte is the key width (0-7), the rest are keys, one per line.
/// Normalising twice changes nothing, and padded keys reach the width.
inline void key_input(const std::uint8_t* data, std::size_t size) {
    if (size == 0) {
        return;
    }
    const geo::KeyShape shape{data[0] % 8u};
    const std::string_view text(reinterpret_cast<const char*>(data + 1), size - 1);
    std::vector<std::string> keys;
    std::size_t start = 0;
    while (start <= text.size()) {
        const auto end = std::min(text.find('\n', start), text.size());
        keys.emplace_back(text.substr(start, end - start));
        start = end + 1;
    }
    const geo::KeyShape learnt = geo::infer_key_shape(keys);
    for (const auto& raw : keys) {
        const std::string once = geo::normalise_key(raw, shape);
        require(geo::normalise_key(once, shape) == once, "normalise_key is idempotent");
        const bool digits = !once.empty() && once.find_first_not_of("0123456789") == std::string::npos;
        require(!digits || once.size() >= shape.numeric_width, "numeric keys are padded to the width");
        (void)geo::normalise_key(raw, learnt);
    }
}

/// The parts of a shapefile packed in one input: u32 LE length of the .shp, u32 LE length of the
/// .shx, then the .shp, the .shx and the .dbf (the rest). A length beyond the input is cut;
/// length 0xFFFFFFFF means "the part is missing".
struct ShapefileParts {
    std::string shp;
    std::string shx;
    std::string dbf;
    bool has_shx = true;
};

inline ShapefileParts unpack_shapefile(const std::uint8_t* data, std::size_t size) {
    ShapefileParts parts;
    auto u32 = [&](std::size_t at) {
        std::uint32_t v = 0;
        for (int i = 3; i >= 0; --i) {
            v = (v << 8) | (at + static_cast<std::size_t>(i) < size ? data[at + static_cast<std::size_t>(i)] : 0u);
        }
        return v;
    };
    const std::uint32_t shp_len = u32(0);
    const std::uint32_t shx_len = u32(4);
    std::size_t pos = std::min<std::size_t>(8, size);
    auto take = [&](std::uint32_t len) {
        const std::size_t n = std::min<std::size_t>(len, size - pos);
        std::string s(reinterpret_cast<const char*>(data + pos), n);
        pos += n;
        return s;
    };
    parts.shp = take(shp_len);
    parts.has_shx = shx_len != 0xFFFFFFFFu;
    parts.shx = parts.has_shx ? take(shx_len) : std::string();
    parts.dbf = take(0xFFFFFFFFu);
    return parts;
}

inline std::string pack_shapefile(const ShapefileParts& p) {
    std::string out;
    auto put = [&](std::uint32_t v) {
        for (int i = 0; i < 4; ++i) {
            out += static_cast<char>((v >> (8 * i)) & 0xFFu);
        }
    };
    put(static_cast<std::uint32_t>(p.shp.size()));
    put(p.has_shx ? static_cast<std::uint32_t>(p.shx.size()) : 0xFFFFFFFFu);
    return out + p.shp + p.shx + p.dbf;
}

/// Reads the layer at `shp_path` (whose parts the caller has placed, on disk or in /vsimem/) and
/// checks what the reader promises: closed rings of at least four points, stats that add up.
inline void read_shapefile(const std::string& shp_path) {
    try {
        geo::LayerOptions options;
        options.srs = "EPSG:4326";
        const geo::Layer layer = geo::read_layer(shp_path, options);
        require(layer.features.size() <= layer.stats.features_read, "no more features than read");
        for (const auto& f : layer.features) {
            for (const auto& poly : f.geometry) {
                for (const auto& ring : poly) {
                    require(ring.size() >= 4 && ring.front() == ring.back(), "rings are closed");
                }
            }
        }
    } catch (const Error&) {
    }
}

}  // namespace choro::fuzz
