// PMTiles v3 (protomaps/PMTiles spec/v3/spec.md): header, root and leaf directories of
// varint-encoded entries, run-lengths for identical consecutive tiles, tile data clustered in
// tile-id order and stored once per distinct content.

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <fstream>
#include <string>
#include <system_error>
#include <unordered_map>
#include <vector>

#include "tiles/sqlite.hpp"
#include "tiles/tiles_internal.hpp"

#include "choro/geo/atomic_file.hpp"
#include "choro/geo/error.hpp"

namespace choro::render::detail {

namespace {

constexpr std::size_t header_size = 127;
constexpr std::size_t root_budget = 16384 - header_size;

struct Entry {
    std::uint64_t tile_id = 0;
    std::uint64_t offset = 0;
    std::uint64_t length = 0;
    std::uint64_t run_length = 0;  // 0 = a leaf directory
};

void put_varint(std::string& out, std::uint64_t v) {
    while (v >= 0x80) {
        out.push_back(static_cast<char>((v & 0x7f) | 0x80));
        v >>= 7;
    }
    out.push_back(static_cast<char>(v));
}

std::string serialize(const std::vector<Entry>& entries, std::size_t begin, std::size_t end) {
    std::string out;
    put_varint(out, end - begin);
    std::uint64_t last = 0;
    for (std::size_t i = begin; i < end; ++i) {
        put_varint(out, entries[i].tile_id - last);
        last = entries[i].tile_id;
    }
    for (std::size_t i = begin; i < end; ++i) {
        put_varint(out, entries[i].run_length);
    }
    for (std::size_t i = begin; i < end; ++i) {
        put_varint(out, entries[i].length);
    }
    for (std::size_t i = begin; i < end; ++i) {
        const bool follows = i > begin && entries[i].offset == entries[i - 1].offset + entries[i - 1].length;
        put_varint(out, follows ? 0 : entries[i].offset + 1);
    }
    return out;
}

// Root directory, and leaves when the root alone would not fit in the first 16 KiB.
void build_directories(const std::vector<Entry>& entries, std::string& root, std::string& leaves) {
    leaves.clear();
    root = serialize(entries, 0, entries.size());
    if (root.size() <= root_budget) {
        return;
    }
    for (std::size_t leaf_size = 4096;; leaf_size *= 2) {
        leaves.clear();
        std::vector<Entry> root_entries;
        for (std::size_t i = 0; i < entries.size(); i += leaf_size) {
            const std::size_t end = std::min(entries.size(), i + leaf_size);
            const std::string leaf = serialize(entries, i, end);
            root_entries.push_back({entries[i].tile_id, leaves.size(), leaf.size(), 0});
            leaves += leaf;
        }
        root = serialize(root_entries, 0, root_entries.size());
        if (root.size() <= root_budget) {
            return;
        }
    }
}

void put_u64(std::string& out, std::uint64_t v) {
    for (int i = 0; i < 8; ++i) {
        out.push_back(static_cast<char>((v >> (8 * i)) & 0xff));
    }
}
void put_i32(std::string& out, std::int32_t v) {
    const auto u = static_cast<std::uint32_t>(v);
    for (int i = 0; i < 4; ++i) {
        out.push_back(static_cast<char>((u >> (8 * i)) & 0xff));
    }
}
std::int32_t e7(double degrees) {
    return static_cast<std::int32_t>(std::lround(degrees * 1e7));
}

// One tile of the MBTiles input: its PMTiles id and the key of its image.
struct Item {
    std::uint64_t tile_id;
    std::string image;
};

// Only ids and image keys are held in memory, in tile-id order (the clustered order).
std::vector<Item> read_items(Sqlite& db) {
    std::vector<Item> items;
    auto q = db.prepare("SELECT zoom_level, tile_column, tile_row, tile_id FROM map");
    while (q.row()) {
        const int z = static_cast<int>(q.integer(0));
        const auto x = static_cast<std::uint32_t>(q.integer(1));
        const auto row = static_cast<std::uint32_t>(q.integer(2));
        items.push_back({geo::hilbert_tile_id({z, x, geo::tiles_per_side(z) - 1 - row}), q.text(3)});
    }
    std::sort(items.begin(), items.end(), [](const Item& a, const Item& b) { return a.tile_id < b.tile_id; });
    return items;
}

// Appends a tile's entry, or extends the run of the last entry when the tile follows it with the
// same content.
void add_entry(std::vector<Entry>& entries, std::uint64_t tile_id, std::uint64_t offset, std::uint64_t length) {
    if (!entries.empty()) {
        Entry& last = entries.back();
        if (last.tile_id + last.run_length == tile_id && last.offset == offset && last.length == length) {
            ++last.run_length;
            return;
        }
    }
    entries.push_back({tile_id, offset, length, 1});
}

// The tile data section, written to a file of its own, and the entries that address it.
struct TileData {
    std::vector<Entry> entries;
    std::uint64_t size = 0;       // bytes of tile data
    std::uint64_t addressed = 0;  // tiles
    std::uint64_t contents = 0;   // distinct tile contents
};

// Streams each distinct image once from SQLite to `data_path`, in the order of `items`.
TileData write_tile_data(Sqlite& db,
                         const std::vector<Item>& items,
                         const std::filesystem::path& data_path,
                         const std::filesystem::path& mbtiles) {
    TileData out;
    std::unordered_map<std::string, std::pair<std::uint64_t, std::uint64_t>> stored;  // hash → offset, length
    std::ofstream data(data_path, std::ios::binary | std::ios::trunc);
    auto blob = db.prepare("SELECT tile_data FROM images WHERE tile_id = ?");
    for (const auto& it : items) {
        auto found = stored.find(it.image);
        if (found == stored.end()) {
            blob.bind(1, it.image);
            if (!blob.row()) {
                throw RenderError(mbtiles.string(), "image " + it.image + " is missing");
            }
            const std::string_view bytes = blob.blob(0);
            data.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
            blob.reset();
            found = stored.emplace(it.image, std::make_pair(out.size, std::uint64_t{bytes.size()})).first;
            out.size += bytes.size();
        }
        const auto [offset, length] = found->second;
        ++out.addressed;
        add_entry(out.entries, it.tile_id, offset, length);
    }
    data.flush();
    if (!data) {
        throw RenderError(data_path.string(), "cannot write PMTiles tile data");
    }
    out.contents = stored.size();
    return out;
}

// The sections before the tile data, in file order.
struct Sections {
    std::string root;
    std::string meta;
    std::string leaves;
};

// The 127-byte header: where each section lies, the counts, and what the tiles are.
std::string header(const Sections& s, const TileData& data, const TilesetInfo& info) {
    const std::uint64_t root_offset = header_size;
    const std::uint64_t meta_offset = root_offset + s.root.size();
    const std::uint64_t leaf_offset = meta_offset + s.meta.size();
    const std::uint64_t data_offset = leaf_offset + s.leaves.size();
    std::string head = "PMTiles";
    head.push_back(3);
    for (std::uint64_t v : {root_offset,
                            std::uint64_t{s.root.size()},
                            meta_offset,
                            std::uint64_t{s.meta.size()},
                            leaf_offset,
                            std::uint64_t{s.leaves.size()},
                            data_offset,
                            data.size,
                            data.addressed,
                            std::uint64_t{data.entries.size()},
                            data.contents}) {
        put_u64(head, v);
    }
    head.push_back(1);  // clustered
    head.push_back(1);  // internal compression: none
    const bool mvt = info.format == "pbf";
    head.push_back(mvt ? 2 : 1);  // tile compression: gzip for vector tiles (as stored); PNG is compressed already
    head.push_back(mvt ? 1 : 2);  // tile type: mvt or png
    head.push_back(static_cast<char>(info.min_zoom));
    head.push_back(static_cast<char>(info.max_zoom));
    const auto& b = info.bounds;
    put_i32(head, e7(b.min.x));
    put_i32(head, e7(b.min.y));
    put_i32(head, e7(b.max.x));
    put_i32(head, e7(b.max.y));
    head.push_back(static_cast<char>((info.min_zoom + info.max_zoom) / 2));
    put_i32(head, e7((b.min.x + b.max.x) / 2));
    put_i32(head, e7((b.min.y + b.max.y) / 2));
    CHORO_ASSERT(head.size() == header_size);
    return head;
}

// Header, root directory, metadata, leaf directories, then the tile data copied from `data_path`.
void write_file(const std::filesystem::path& out,
                const std::string& head,
                const Sections& s,
                const std::filesystem::path& data_path) {
    geo::AtomicFile file(out);
    {
        std::ofstream o(file.path(), std::ios::binary | std::ios::trunc);
        o << head << s.root << s.meta << s.leaves;
        std::ifstream data(data_path, std::ios::binary);
        o << data.rdbuf();
        o.flush();
        if (!o) {
            throw RenderError(out.string(), "cannot write the PMTiles file");
        }
    }
    std::error_code ec;
    std::filesystem::remove(data_path, ec);
    file.commit();
}

}  // namespace

void write_pmtiles(const std::filesystem::path& mbtiles, const std::filesystem::path& out, const TilesetInfo& info) {
    Sqlite db(mbtiles, Sqlite::Mode::read_only);
    // Tile bytes stream from SQLite to a data file, appended after the directories at the end.
    const std::filesystem::path data_path = out.string() + ".data.tmp";
    const TileData data = write_tile_data(db, read_items(db), data_path, mbtiles);
    db.close();

    Sections s;
    build_directories(data.entries, s.root, s.leaves);
    s.meta = metadata_json(info);
    write_file(out, header(s, data, info), s, data_path);
}

}  // namespace choro::render::detail
