// Tile outputs: a z/x/y.png folder, MBTiles 1.3 (map/images dedupe schema with a tiles view) and
// PMTiles (built from a working MBTiles, so every format resumes the same way). Each is built
// under a temporary name beside the target and appears whole, with its own metadata, at the end.
// All of them resume: the set of finished metatiles is kept beside the tiles, with the job's
// fingerprint, so a partial output of another job is discarded rather than mixed in.

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <map>
#include <memory>
#include <new>
#include <set>
#include <string>
#include <system_error>
#include <tuple>
#include <vector>

#include "tiles/sqlite.hpp"
#include "tiles/tiles_internal.hpp"
#include <fcntl.h>
#include <libdeflate.h>
#include <stdio.h>
#include <xxhash.h>

#include "choro/geo/atomic_file.hpp"
#include "choro/geo/error.hpp"

namespace choro::render::detail {

namespace {

namespace fs = std::filesystem;
using DoneSet = std::set<std::tuple<int, std::int64_t, std::int64_t>>;

std::string format_double(double v) {
    char buf[64];
    std::snprintf(buf, sizeof buf, "%.6f", v);
    return buf;
}

void remove_quietly(const fs::path& p) {
    std::error_code ec;
    fs::remove_all(p, ec);
}

// "site/" names the folder "site": the temporary must sit beside it, not inside.
fs::path without_trailing_slash(const fs::path& out) {
    return out.has_filename() || !out.has_parent_path() ? out : out.parent_path();
}

fs::path partial_path(const fs::path& out) {
    return fs::path(without_trailing_slash(out).string() + ".partial");
}

// ---- MBTiles ------------------------------------------------------------------------------------

// A finished MBTiles is written again into a fresh database in one transaction, rows in a fixed
// order (metadata by name, images by id, map by tile), indexes built after the rows, fixed page
// size: SQLite's file layout follows the order rows were written in, which depends on threads and
// shards, so only such a copy makes one run, a rerun and a sharded run merged the same bytes
// (with the same SQLite library: the file header records the version that wrote it).
// What resume needs (choro_done) is left out; a part keeps its job fingerprint (choro_job) for
// merge, a whole set does not.
void write_canonical_mbtiles(const fs::path& from, const fs::path& to, bool keep_job) {
    remove_quietly(to);
    remove_quietly(fs::path(to.string() + "-journal"));
    Sqlite db(to, Sqlite::Mode::create);
    db.exec("PRAGMA page_size=4096; PRAGMA journal_mode=DELETE; PRAGMA auto_vacuum=NONE;");
    db.prepare("ATTACH DATABASE ? AS src").bind(1, from.string()).run();
    std::string sql =
        "BEGIN;"
        "CREATE TABLE metadata (name TEXT, value TEXT);"
        "CREATE TABLE map (zoom_level INTEGER, tile_column INTEGER, tile_row INTEGER, tile_id TEXT);"
        "CREATE TABLE images (tile_data BLOB, tile_id TEXT);"
        "INSERT INTO metadata (name, value) SELECT name, value FROM src.metadata ORDER BY name;"
        "INSERT INTO images (tile_data, tile_id) SELECT tile_data, tile_id FROM src.images ORDER BY tile_id;"
        "INSERT INTO map (zoom_level, tile_column, tile_row, tile_id) SELECT zoom_level, tile_column, tile_row, tile_id"
        " FROM src.map ORDER BY zoom_level, tile_column, tile_row;"
        "CREATE UNIQUE INDEX name ON metadata (name);"
        "CREATE UNIQUE INDEX map_index ON map (zoom_level, tile_column, tile_row);"
        "CREATE UNIQUE INDEX images_id ON images (tile_id);"
        "CREATE VIEW tiles AS SELECT map.zoom_level AS zoom_level, map.tile_column AS tile_column,"
        " map.tile_row AS tile_row, images.tile_data AS tile_data FROM map JOIN images ON images.tile_id = "
        "map.tile_id;";
    if (keep_job) {
        sql +=
            "CREATE TABLE choro_job (fingerprint TEXT);"
            "INSERT INTO choro_job (fingerprint) SELECT fingerprint FROM src.choro_job ORDER BY fingerprint;";
    }
    db.exec(sql + "COMMIT; DETACH DATABASE src;");
    db.close();
}

class MbtilesSink : public TileSink {
public:
    /// `canonical`: the finished file is rewritten in a fixed layout (see write_canonical_mbtiles);
    /// off for PMTiles' working file, which only the PMTiles writer reads.
    MbtilesSink(fs::path out, SinkOptions options, bool canonical = true)
        : m_out(std::move(out)), m_temp(partial_path(m_out)), m_options(std::move(options)), m_canonical(canonical) {
        if (!m_out.parent_path().empty()) {
            fs::create_directories(m_out.parent_path());
        }
        std::error_code ec;
        if (fs::is_directory(m_out, ec)) {
            throw RenderError(m_out.string(),
                              "is a folder: an MBTiles output is a file (remove the folder or name another file)");
        }
        m_db = std::make_unique<Sqlite>(m_temp, Sqlite::Mode::create);
        m_db->exec(
            "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;"
            "CREATE TABLE IF NOT EXISTS metadata (name TEXT, value TEXT);"
            "CREATE UNIQUE INDEX IF NOT EXISTS name ON metadata (name);"
            "CREATE TABLE IF NOT EXISTS map (zoom_level INTEGER, tile_column INTEGER, tile_row INTEGER, tile_id TEXT);"
            "CREATE UNIQUE INDEX IF NOT EXISTS map_index ON map (zoom_level, tile_column, tile_row);"
            "CREATE TABLE IF NOT EXISTS images (tile_data BLOB, tile_id TEXT);"
            "CREATE UNIQUE INDEX IF NOT EXISTS images_id ON images (tile_id);"
            "CREATE VIEW IF NOT EXISTS tiles AS SELECT map.zoom_level AS zoom_level, map.tile_column AS tile_column,"
            " map.tile_row AS tile_row, images.tile_data AS tile_data FROM map JOIN images ON images.tile_id = "
            "map.tile_id;"
            "CREATE TABLE IF NOT EXISTS choro_done (z INTEGER, x INTEGER, y INTEGER, PRIMARY KEY (z, x, y));"
            "CREATE TABLE IF NOT EXISTS choro_job (fingerprint TEXT);");
        if (!same_job()) {
            // A partial file of another job (other data, style or zooms) is emptied, not resumed.
            m_db->exec(
                "BEGIN; DELETE FROM map; DELETE FROM images; DELETE FROM choro_done; DELETE FROM metadata;"
                "DELETE FROM choro_job; COMMIT;");
            m_db->prepare("INSERT INTO choro_job (fingerprint) VALUES (?)").bind(1, m_options.fingerprint).run();
        }
        auto q = m_db->prepare("SELECT z, x, y FROM choro_done");
        while (q.row()) {
            m_done.insert({static_cast<int>(q.integer(0)), q.integer(1), q.integer(2)});
        }
        m_find = std::make_unique<Statement>(m_db->prepare("SELECT tile_data FROM images WHERE tile_id = ?"));
        m_image = std::make_unique<Statement>(m_db->prepare("INSERT INTO images (tile_data, tile_id) VALUES (?, ?)"));
        m_map = std::make_unique<Statement>(
            m_db->prepare("INSERT OR REPLACE INTO map (zoom_level, tile_column, tile_row, tile_id) VALUES (?,?,?,?)"));
        m_mark =
            std::make_unique<Statement>(m_db->prepare("INSERT OR IGNORE INTO choro_done (z, x, y) VALUES (?, ?, ?)"));
    }

    bool is_done(const MetaTile& m) override { return m_done.count({m.z, m.x, m.y}) > 0; }

    void write(const MetaTile& m, const std::vector<EncodedTile>& tiles) override {
        m_db->exec("BEGIN");
        for (const auto& t : tiles) {
            // Vector tiles are stored gzipped, as MBTiles readers expect of format pbf.
            const std::string id = store_image(m_options.vector && !is_gzip(t.png) ? gzip(t.png) : t.png);
            m_map->bind(1, t.id.z)
                .bind(2, t.id.x)
                .bind(3, geo::tiles_per_side(t.id.z) - 1 - t.id.y)  // TMS rows grow north
                .bind(4, id)
                .run();
        }
        m_mark->bind(1, m.z).bind(2, m.x).bind(3, m.y).run();
        m_db->exec("COMMIT");
        m_done.insert({m.z, m.x, m.y});
    }

    void finish(const TilesetInfo& info) override {
        check_tileset(info);
        const auto& b = info.bounds;
        const int center_zoom = std::min(info.max_zoom, std::max(info.min_zoom, (info.min_zoom + info.max_zoom) / 2));
        std::vector<std::pair<std::string, std::string>> meta{
            {"name", info.name},
            {"format", info.format},
            {"type", "overlay"},
            {"version", "1.3"},
            {"description", info.description},
            {"attribution", info.attribution},
            {"bounds",
             format_double(b.min.x) + "," + format_double(b.min.y) + "," + format_double(b.max.x) + "," +
                 format_double(b.max.y)},
            {"center",
             format_double((b.min.x + b.max.x) / 2) + "," + format_double((b.min.y + b.max.y) / 2) + "," +
                 std::to_string(center_zoom)},
            {"minzoom", std::to_string(info.min_zoom)},
            {"maxzoom", std::to_string(info.max_zoom)},
            {"scale", std::to_string(info.scale)},
            {"json", metadata_json(info)},
        };
        if (!m_options.shard.empty()) {
            meta.emplace_back("choro_shard", m_options.shard);
        }
        m_db->exec("BEGIN; DELETE FROM metadata;");
        {
            auto ins = m_db->prepare("INSERT INTO metadata (name, value) VALUES (?, ?)");
            for (const auto& [k, v] : meta) {
                ins.bind(1, k).bind(2, v).run();
            }
        }  // every statement finalized before the connection closes
        m_find.reset();
        m_image.reset();
        m_map.reset();
        m_mark.reset();
        if (!m_canonical) {
            m_db->exec("DROP TABLE choro_done; COMMIT;");
            m_db->exec("PRAGMA wal_checkpoint(TRUNCATE); PRAGMA journal_mode=DELETE;");
            m_db->close();
            rename_into_place(m_temp);
            return;
        }
        // The working file stays whole (and resumable) until its canonical copy is in place.
        m_db->exec("COMMIT; PRAGMA wal_checkpoint(TRUNCATE);");
        m_db->close();
        const fs::path canonical = m_temp.string() + "-canonical";
        write_canonical_mbtiles(m_temp, canonical, !m_options.shard.empty());
        rename_into_place(canonical);
        for (const char* suffix : {"", "-wal", "-shm", "-journal"}) {
            remove_quietly(fs::path(m_temp.string() + suffix));
        }
    }

private:
    void rename_into_place(const fs::path& from) {
        std::error_code ec;
        fs::rename(from, m_out, ec);
        if (ec) {
            throw RenderError(m_out.string(), "cannot rename the finished MBTiles into place: " + ec.message());
        }
    }

    bool same_job() {
        auto job = m_db->prepare("SELECT fingerprint FROM choro_job");
        return job.row() && job.text(0) == m_options.fingerprint;
    }

    // Stores the bytes once and returns their id. Equal hashes are only candidates: the bytes are
    // compared, and different bytes under the same hash get the next free id `hash-1`, `hash-2`….
    std::string store_image(const std::string& png) {
        const std::string hash = m_options.hash(png);
        for (int k = 0;; ++k) {
            std::string id = k == 0 ? hash : hash + "-" + std::to_string(k);  // not const: returned by move
            m_find->bind(1, id);
            if (!m_find->row()) {
                m_find->reset();
                m_image->bind_blob(1, png).bind(2, id).run();
                return id;
            }
            const bool same = m_find->blob(0) == png;
            m_find->reset();
            if (same) {
                return id;
            }
        }
    }

    fs::path m_out;
    fs::path m_temp;
    SinkOptions m_options;
    bool m_canonical;
    std::unique_ptr<Sqlite> m_db;
    std::unique_ptr<Statement> m_find;
    std::unique_ptr<Statement> m_image;
    std::unique_ptr<Statement> m_map;
    std::unique_ptr<Statement> m_mark;
    DoneSet m_done;
};

// ---- PMTiles: a working MBTiles, converted at the end ---------------------------------------------

class PmtilesSink : public TileSink {
public:
    PmtilesSink(fs::path out, SinkOptions options)
        : m_out(std::move(out)),
          m_work(m_out.string() + ".work.mbtiles"),
          m_mbtiles(m_work, std::move(options), false) {
        std::error_code ec;
        if (fs::is_directory(m_out, ec)) {
            throw RenderError(m_out.string(),
                              "is a folder: a PMTiles output is a file (remove the folder or name another file)");
        }
    }
    bool is_done(const MetaTile& m) override { return m_mbtiles.is_done(m); }
    void write(const MetaTile& m, const std::vector<EncodedTile>& tiles) override { m_mbtiles.write(m, tiles); }
    void finish(const TilesetInfo& info) override {
        m_mbtiles.finish(info);
        write_pmtiles(m_work, m_out, info);
        remove_quietly(m_work);
    }

private:
    fs::path m_out;
    fs::path m_work;
    MbtilesSink m_mbtiles;
};

// ---- Folder ------------------------------------------------------------------------------------

constexpr const char* progress_name = ".choro-progress";

/// `name` without the `.tmp-<pid>` of a temporary that a killed run left (geo::AtomicFile's names).
std::string without_temporary_suffix(const std::string& name) {
    const auto at = name.rfind(".tmp-");
    if (at == std::string::npos || at + 5 == name.size() ||
        name.find_first_not_of("0123456789", at + 5) != std::string::npos) {
        return name;
    }
    return name.substr(0, at);
}

// What choro writes into a tile folder. A folder holding anything else is not replaced.
bool is_tile_folder_entry(const fs::directory_entry& e) {
    const std::string full_name = e.path().filename().string();
    // A file being written when its run was killed (SIGKILL leaves no chance to remove it) is still
    // choro's: the folder is replaced whole all the same.
    const std::string name = e.is_directory() ? full_name : without_temporary_suffix(full_name);
    if (name == "metadata.json" || name == "tiles.json" || name == "index.html" || name == progress_name) {
        return !e.is_directory();
    }
    // The web map written beside the tiles (web_map.hpp: write_web_map).
    if (name == "style.json" || name == "sprite.png" || name == "sprite.json" || name == "sprite@2x.png" ||
        name == "sprite@2x.json") {
        return !e.is_directory();
    }
    if (name == "leaflet" || name == "maplibre") {
        return e.is_directory();
    }
    return e.is_directory() && !name.empty() && name.size() <= 2 &&
           name.find_first_not_of("0123456789") == std::string::npos;
}

// Throws unless `dir` is absent, an empty folder or a choro tile folder (which may be replaced).
void check_replaceable_folder(const fs::path& dir) {
    std::error_code ec;
    const auto status = fs::symlink_status(dir, ec);
    if (!fs::exists(status)) {
        return;
    }
    if (!fs::is_directory(status)) {
        throw RenderError(dir.string(),
                          "is not a folder: a tile folder goes here (give FILE.mbtiles or FILE.pmtiles for one file, "
                          "or remove it)");
    }
    for (const auto& e : fs::directory_iterator(dir)) {
        if (!is_tile_folder_entry(e)) {
            throw RenderError(dir.string(),
                              "holds '" + e.path().filename().string() +
                                  "', which is not part of a choro tile folder: choro replaces a tile folder whole, "
                                  "so give a new or empty folder, or an earlier choro tile folder");
        }
    }
}

[[noreturn]] void os_error(const fs::path& path, const std::string& what) {
    throw RenderError(path.string(), what + ": " + std::strerror(errno));
}

class FolderSink : public TileSink {
public:
    FolderSink(fs::path dir, SinkOptions options)
        : m_dir(std::move(dir)),
          m_temp(partial_path(m_dir)),
          m_progress(m_temp / progress_name),
          m_options(std::move(options)) {
        check_replaceable_folder(m_dir);  // fail before rendering, not after
        std::error_code ec;
        if (fs::exists(fs::symlink_status(m_temp, ec)) && !fs::is_directory(fs::symlink_status(m_temp, ec))) {
            remove_quietly(m_temp);
        }
        // The progress log starts with the job's fingerprint; another job's partial folder is
        // emptied, so its tiles never mix with this job's.
        std::ifstream in(m_progress);
        std::string word;
        std::string logged;
        const bool same = (in >> word >> logged) && word == "job" && logged == m_options.fingerprint;
        int z = 0;
        std::int64_t x = 0;
        std::int64_t y = 0;
        while (same && in >> z >> x >> y) {
            m_done.insert({z, x, y});
        }
        in.close();
        if (!same) {
            remove_quietly(m_temp);
        }
        fs::create_directories(m_temp, ec);
        if (ec) {
            throw RenderError(m_temp.string(), "cannot create the temporary tile folder: " + ec.message());
        }
        m_log.open(m_progress, same ? std::ios::app : std::ios::trunc);
        if (!same) {
            m_log << "job " << m_options.fingerprint << '\n' << std::flush;
        }
        if (!m_log) {
            os_error(m_progress, "cannot write the progress file");
        }
    }
    bool is_done(const MetaTile& m) override { return m_done.count({m.z, m.x, m.y}) > 0; }
    void write(const MetaTile& m, const std::vector<EncodedTile>& tiles) override {
        for (const auto& t : tiles) {
            // A vector tile is plain .pbf in a folder (a gzipped one from a merged part is unpacked).
            const bool vector = m_options.vector;
            write_tile(m_temp / std::to_string(t.id.z) / std::to_string(t.id.x) /
                           (std::to_string(t.id.y) + (vector ? ".pbf" : ".png")),
                       vector && is_gzip(t.png) ? gunzip(t.png, m_dir) : t.png);
        }
        // Recorded only after every tile file is written: a kill before this line redoes the
        // metatile, overwriting any tile it cut short.
        m_log << m.z << ' ' << m.x << ' ' << m.y << '\n' << std::flush;
        if (!m_log) {
            os_error(m_progress, "cannot write the progress file");
        }
        m_done.insert({m.z, m.x, m.y});
    }
    void finish(const TilesetInfo& info) override {
        check_tileset(info);
        geo::write_file_atomic(m_temp / "metadata.json", metadata_json(info));
        if (info.format == "pbf") {
            geo::write_file_atomic(m_temp / "tiles.json", tilejson(info, "{z}/{x}/{y}.pbf"));
        } else {
            write_preview(m_temp, info, "{z}/{x}/{y}.png");
        }
        m_log.close();
        remove_quietly(m_progress);
        replace_folder();
    }

private:
    void write_tile(const fs::path& path, const std::string& png) {
        if (m_made.insert(path.parent_path().string()).second) {
            std::error_code ec;
            fs::create_directories(path.parent_path(), ec);
            if (ec) {
                throw RenderError(path.parent_path().string(), "cannot create the tile folder: " + ec.message());
            }
        }
        std::ofstream o(path, std::ios::binary | std::ios::trunc);
        o.write(png.data(), static_cast<std::streamsize>(png.size()));
        o.close();
        if (!o) {
            os_error(path, "cannot write the tile");
        }
    }

    // The finished folder takes the target's place: swapped in one step where the file system can
    // (renameat2 RENAME_EXCHANGE), else the old one is renamed aside first. The old one is removed.
    void replace_folder() {
        check_replaceable_folder(m_dir);  // again: something may have appeared there meanwhile
        std::error_code ec;
        if (!fs::exists(fs::symlink_status(m_dir, ec))) {
            fs::rename(m_temp, m_dir, ec);
            if (ec) {
                throw RenderError(m_dir.string(), "cannot rename the finished tile folder into place: " + ec.message());
            }
            return;
        }
        if (::renameat2(AT_FDCWD, m_temp.c_str(), AT_FDCWD, m_dir.c_str(), RENAME_EXCHANGE) == 0) {
            remove_quietly(m_temp);  // now the old folder
            return;
        }
        const fs::path aside = m_dir.string() + ".old";
        remove_quietly(aside);
        fs::rename(m_dir, aside, ec);
        if (!ec) {
            fs::rename(m_temp, m_dir, ec);
        }
        if (ec) {
            throw RenderError(m_dir.string(), "cannot rename the finished tile folder into place: " + ec.message());
        }
        remove_quietly(aside);
    }

    fs::path m_dir;
    fs::path m_temp;
    fs::path m_progress;
    SinkOptions m_options;
    std::set<std::string> m_made;
    std::ofstream m_log;
    DoneSet m_done;
};

}  // namespace

bool is_gzip(std::string_view bytes) noexcept {
    return bytes.size() >= 18 && static_cast<unsigned char>(bytes[0]) == 0x1f &&
           static_cast<unsigned char>(bytes[1]) == 0x8b;
}

std::string gzip(std::string_view bytes) {
    std::unique_ptr<libdeflate_compressor, decltype(&libdeflate_free_compressor)> c(libdeflate_alloc_compressor(6),
                                                                                    &libdeflate_free_compressor);
    if (!c) {
        throw std::bad_alloc();
    }
    std::string out(libdeflate_gzip_compress_bound(c.get(), bytes.size()), '\0');
    const std::size_t n = libdeflate_gzip_compress(c.get(), bytes.data(), bytes.size(), out.data(), out.size());
    CHORO_ASSERT(n > 0);
    out.resize(n);
    return out;
}

std::string gunzip(std::string_view bytes, const std::filesystem::path& where) {
    // The size is in the last four bytes (ISIZE, modulo 2^32: tiles are far smaller).
    const auto* end = reinterpret_cast<const unsigned char*>(bytes.data() + bytes.size());
    const std::size_t size = static_cast<std::size_t>(end[-4]) | static_cast<std::size_t>(end[-3]) << 8U |
                             static_cast<std::size_t>(end[-2]) << 16U | static_cast<std::size_t>(end[-1]) << 24U;
    std::unique_ptr<libdeflate_decompressor, decltype(&libdeflate_free_decompressor)> d(libdeflate_alloc_decompressor(),
                                                                                        &libdeflate_free_decompressor);
    if (!d) {
        throw std::bad_alloc();
    }
    std::string out(size, '\0');
    std::size_t got = 0;
    if (libdeflate_gzip_decompress(d.get(), bytes.data(), bytes.size(), out.data(), out.size(), &got) !=
            LIBDEFLATE_SUCCESS ||
        got != size) {
        throw InputError(where.string(), "a stored tile is not valid gzip data");
    }
    return out;
}

std::string content_hash(std::string_view bytes) {
    const XXH128_hash_t h = XXH3_128bits(bytes.data(), bytes.size());
    char buf[33];
    std::snprintf(buf,
                  sizeof buf,
                  "%016llx%016llx",
                  static_cast<unsigned long long>(h.high64),
                  static_cast<unsigned long long>(h.low64));
    return buf;
}

std::unique_ptr<TileSink> open_sink(const fs::path& given, SinkOptions options) {
    const fs::path out = without_trailing_slash(given);
    const TileFormat f = tile_format_from_path(out);
    if (!options.shard.empty() && f != TileFormat::mbtiles) {
        throw RenderError(out.string(), "a shard writes an MBTiles part (got a non-.mbtiles path)");
    }
    if (!options.hash) {
        options.hash = content_hash;
    }
    switch (f) {
        case TileFormat::mbtiles:
            return std::make_unique<MbtilesSink>(out, std::move(options));
        case TileFormat::pmtiles:
            return std::make_unique<PmtilesSink>(out, std::move(options));
        case TileFormat::folder:
            break;
    }
    return std::make_unique<FolderSink>(out, std::move(options));
}

}  // namespace choro::render::detail

namespace choro::render {

namespace {

namespace fs = std::filesystem;

detail::Sqlite open_part(const fs::path& mbtiles) {
    std::error_code ec;
    if (!fs::is_regular_file(mbtiles, ec)) {
        throw InputError(mbtiles.string(), fs::exists(mbtiles, ec) ? "is not a file" : "no such MBTiles file");
    }
    return detail::Sqlite(mbtiles, detail::Sqlite::Mode::read_only);
}

}  // namespace

void for_each_mbtiles_tile(const fs::path& mbtiles,
                           const std::function<void(const geo::TileId&, const std::string& png)>& fn) {
    auto db = open_part(mbtiles);
    auto q = db.prepare(
        "SELECT zoom_level, tile_column, tile_row, tile_data FROM tiles ORDER BY zoom_level, tile_column, tile_row");
    while (q.row()) {
        const auto z = q.integer(0);
        const auto x = q.integer(1);
        const auto row = q.integer(2);
        if (z < 0 || z > geo::max_tile_zoom || row < 0 || x < 0 || row >= geo::tiles_per_side(static_cast<int>(z)) ||
            x >= geo::tiles_per_side(static_cast<int>(z))) {
            throw InputError(mbtiles.string(),
                             "tile " + std::to_string(z) + "/" + std::to_string(x) + "/" + std::to_string(row) +
                                 " (TMS) is outside its zoom");
        }
        const int zi = static_cast<int>(z);
        fn(
            geo::TileId{
                zi, static_cast<std::uint32_t>(x), static_cast<std::uint32_t>(geo::tiles_per_side(zi) - 1 - row)},
            std::string(q.blob(3)));
    }
}

namespace {

struct Part {
    std::map<std::string, std::string> meta;  // without choro_shard
    std::string fingerprint;
    int index = 0;
    int count = 0;
};

Part read_part(const fs::path& path) {
    auto db = open_part(path);
    Part part;
    auto q = db.prepare("SELECT name, value FROM metadata");
    while (q.row()) {
        part.meta[q.text(0)] = q.text(1);
    }
    const auto shard = part.meta.find("choro_shard");
    if (shard == part.meta.end() || std::sscanf(shard->second.c_str(), "%d/%d", &part.index, &part.count) != 2) {
        throw InputError(path.string(), "not a part written by `choro tiles --shard` (no choro_shard metadata)");
    }
    part.meta.erase(shard);
    if (db.has_table("choro_job")) {
        auto job = db.prepare("SELECT fingerprint FROM choro_job");
        if (job.row()) {
            part.fingerprint = job.text(0);
        }
    }
    if (part.fingerprint.empty()) {
        throw InputError(path.string(),
                         "records no job fingerprint (written by an older choro?): render the parts again");
    }
    return part;
}

bool same_file(const fs::path& a, const fs::path& b) {
    std::error_code ec;
    return fs::equivalent(a, b, ec) || fs::weakly_canonical(a, ec) == fs::weakly_canonical(b, ec);
}

}  // namespace

TilesetInfo merge_tiles(const std::vector<fs::path>& parts, const fs::path& out, const std::string& base_url) {
    if (parts.empty()) {
        throw InputError(out.string(), "merge: no parts given");
    }
    Part first;
    std::set<int> seen;
    for (const auto& path : parts) {
        if (same_file(path, out)) {
            throw InputError(path.string(), "is both a part and the output of the merge: give another -o");
        }
        Part part = read_part(path);
        if (seen.empty()) {
            first = part;
        } else if (part.fingerprint != first.fingerprint) {
            throw InputError(path.string(),
                             "this part differs from " + parts.front().string() +
                                 ": it was made by another job (other data, settings, metatile, zooms or area); "
                                 "parts of different runs cannot be merged");
        } else if (part.meta != first.meta || part.count != first.count) {
            throw InputError(path.string(),
                             "this part's metadata differs from " + parts.front().string() +
                                 ": parts of different runs cannot be merged");
        }
        if (!seen.insert(part.index).second) {
            throw InputError(path.string(), "shard " + std::to_string(part.index) + " is given twice");
        }
    }
    if (static_cast<int>(seen.size()) != first.count) {
        throw InputError(parts.front().string(),
                         "merge: " + std::to_string(seen.size()) + " of " + std::to_string(first.count) +
                             " parts given; all are needed");
    }
    TilesetInfo info = detail::tileset_from_metadata_json(first.meta["json"], parts.front().string());
    info.base_url = base_url;
    // Start from scratch: a merge is cheap and must not mix with a stale temporary.
    detail::remove_quietly(detail::partial_path(out));
    detail::remove_quietly(fs::path(detail::partial_path(out).string() + "-canonical"));
    detail::remove_quietly(detail::partial_path(fs::path(out.string() + ".work.mbtiles")));
    auto sink = detail::open_sink(out, {.shard = {}, .fingerprint = first.fingerprint, .vector = info.format == "pbf"});
    std::uint32_t batch = 0;
    for (std::size_t p = 0; p < parts.size(); ++p) {
        std::vector<detail::EncodedTile> tiles;
        auto flush = [&] {
            sink->write(detail::MetaTile{0, static_cast<std::uint32_t>(p), batch++}, tiles);
            tiles.clear();
        };
        for_each_mbtiles_tile(parts[p], [&](const geo::TileId& id, const std::string& png) {
            tiles.push_back({id, png});
            if (tiles.size() >= 512) {
                flush();
            }
        });
        flush();
    }
    sink->finish(info);
    return info;
}

}  // namespace choro::render
