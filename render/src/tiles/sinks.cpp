// Tile outputs: a z/x/y.png folder, MBTiles 1.3 (map/images dedupe schema with a tiles view) and
// PMTiles (built from a working MBTiles, so every format resumes the same way). All of them
// resume: the set of finished metatiles is kept beside the tiles, in the same transaction.

#include <cstdio>
#include <fstream>
#include <memory>
#include <set>
#include <sstream>
#include <string>
#include <system_error>
#include <tuple>
#include <vector>

#include "tiles/tiles_internal.hpp"
#include <nlohmann/json.hpp>
#include <sqlite3.h>

#include "choro/geo/atomic_file.hpp"
#include "choro/geo/error.hpp"

namespace choro::render::detail {

namespace {

struct SqliteCloser {
    void operator()(sqlite3* db) const noexcept { sqlite3_close(db); }
};
struct StmtFinalizer {
    void operator()(sqlite3_stmt* s) const noexcept { sqlite3_finalize(s); }
};
using SqlitePtr = std::unique_ptr<sqlite3, SqliteCloser>;
using StmtPtr = std::unique_ptr<sqlite3_stmt, StmtFinalizer>;

class Db {
public:
    Db(const std::filesystem::path& path, bool read_only) : m_path(path.string()) {
        sqlite3* raw = nullptr;
        const int flags = read_only ? SQLITE_OPEN_READONLY : (SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE);
        const int rc = sqlite3_open_v2(m_path.c_str(), &raw, flags | SQLITE_OPEN_NOMUTEX, nullptr);
        m_db.reset(raw);
        if (rc != SQLITE_OK) {
            const std::string msg = raw ? sqlite3_errmsg(raw) : "out of memory";
            if (read_only) {
                throw InputError(m_path, "cannot open as MBTiles: " + msg);
            }
            throw RenderError(m_path, "cannot open SQLite database: " + msg);
        }
    }
    void exec(const std::string& sql) {
        char* err = nullptr;
        if (sqlite3_exec(m_db.get(), sql.c_str(), nullptr, nullptr, &err) != SQLITE_OK) {
            const std::string msg = err ? err : "unknown error";
            sqlite3_free(err);
            throw RenderError(m_path, "SQLite: " + msg + " (in: " + sql.substr(0, 60) + ")");
        }
    }
    StmtPtr prepare(const std::string& sql) {
        sqlite3_stmt* s = nullptr;
        if (sqlite3_prepare_v2(m_db.get(), sql.c_str(), -1, &s, nullptr) != SQLITE_OK) {
            throw InputError(m_path, std::string("SQLite: ") + sqlite3_errmsg(m_db.get()) + " (in: " + sql + ")");
        }
        return StmtPtr(s);
    }
    void step_done(sqlite3_stmt* s) {
        if (sqlite3_step(s) != SQLITE_DONE) {
            throw RenderError(m_path, std::string("SQLite: ") + sqlite3_errmsg(m_db.get()));
        }
        sqlite3_reset(s);
    }
    [[nodiscard]] const std::string& path() const noexcept { return m_path; }
    void close() { m_db.reset(); }

private:
    std::string m_path;
    SqlitePtr m_db;
};

std::string col_text(sqlite3_stmt* s, int i) {
    const auto* t = sqlite3_column_text(s, i);
    return t ? reinterpret_cast<const char*>(t) : "";
}

void bind_text(sqlite3_stmt* s, int i, const std::string& v) {
    sqlite3_bind_text(s, i, v.c_str(), static_cast<int>(v.size()), SQLITE_TRANSIENT);
}

std::string format_double(double v) {
    char buf[64];
    std::snprintf(buf, sizeof buf, "%.6f", v);
    return buf;
}

void remove_quietly(const std::filesystem::path& p) {
    std::error_code ec;
    std::filesystem::remove(p, ec);
}

// ---- MBTiles ------------------------------------------------------------------------------------

class MbtilesSink : public TileSink {
public:
    MbtilesSink(std::filesystem::path out, std::string shard, const std::string& fingerprint)
        : m_out(std::move(out)), m_temp(m_out.string() + ".partial"), m_shard(std::move(shard)) {
        if (!m_out.parent_path().empty()) {
            std::filesystem::create_directories(m_out.parent_path());
        }
        m_db = std::make_unique<Db>(m_temp, false);
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
        {
            // A partial file of another job (other data, style or zooms) is emptied, not resumed.
            auto job = m_db->prepare("SELECT fingerprint FROM choro_job");
            const bool row = sqlite3_step(job.get()) == SQLITE_ROW;
            const auto* logged = row ? sqlite3_column_text(job.get(), 0) : nullptr;
            const bool same = logged && reinterpret_cast<const char*>(logged) == fingerprint;
            job.reset();
            if (!same) {
                m_db->exec(
                    "BEGIN; DELETE FROM map; DELETE FROM images; DELETE FROM choro_done; DELETE FROM metadata;"
                    "DELETE FROM choro_job; COMMIT;");
                auto set = m_db->prepare("INSERT INTO choro_job (fingerprint) VALUES (?)");
                bind_text(set.get(), 1, fingerprint);
                m_db->step_done(set.get());
            }
        }
        auto q = m_db->prepare("SELECT z, x, y FROM choro_done");
        while (sqlite3_step(q.get()) == SQLITE_ROW) {
            m_done.insert(
                {sqlite3_column_int(q.get(), 0), sqlite3_column_int64(q.get(), 1), sqlite3_column_int64(q.get(), 2)});
        }
        m_image = m_db->prepare("INSERT OR IGNORE INTO images (tile_data, tile_id) VALUES (?, ?)");
        m_map =
            m_db->prepare("INSERT OR REPLACE INTO map (zoom_level, tile_column, tile_row, tile_id) VALUES (?,?,?,?)");
        m_mark = m_db->prepare("INSERT OR IGNORE INTO choro_done (z, x, y) VALUES (?, ?, ?)");
    }

    bool is_done(const MetaTile& m) override { return m_done.count({m.z, m.x, m.y}) > 0; }

    void write(const MetaTile& m, const std::vector<EncodedTile>& tiles) override {
        m_db->exec("BEGIN");
        for (const auto& t : tiles) {
            const std::string id = content_hash(t.png);
            sqlite3_bind_blob(m_image.get(), 1, t.png.data(), static_cast<int>(t.png.size()), SQLITE_STATIC);
            bind_text(m_image.get(), 2, id);
            m_db->step_done(m_image.get());
            sqlite3_bind_int(m_map.get(), 1, t.id.z);
            sqlite3_bind_int64(m_map.get(), 2, t.id.x);
            sqlite3_bind_int64(m_map.get(), 3, geo::tiles_per_side(t.id.z) - 1 - t.id.y);  // TMS rows grow north
            bind_text(m_map.get(), 4, id);
            m_db->step_done(m_map.get());
        }
        sqlite3_bind_int(m_mark.get(), 1, m.z);
        sqlite3_bind_int64(m_mark.get(), 2, m.x);
        sqlite3_bind_int64(m_mark.get(), 3, m.y);
        m_db->step_done(m_mark.get());
        m_db->exec("COMMIT");
        m_done.insert({m.z, m.x, m.y});
    }

    void finish(const TilesetInfo& info) override {
        const auto& b = info.bounds;
        const int center_zoom = std::min(info.max_zoom, std::max(info.min_zoom, (info.min_zoom + info.max_zoom) / 2));
        std::vector<std::pair<std::string, std::string>> meta{
            {"name", info.name},
            {"format", "png"},
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
        if (!m_shard.empty()) {
            meta.emplace_back("choro_shard", m_shard);
        }
        m_db->exec("BEGIN; DELETE FROM metadata;");
        auto ins = m_db->prepare("INSERT INTO metadata (name, value) VALUES (?, ?)");
        for (const auto& [k, v] : meta) {
            bind_text(ins.get(), 1, k);
            bind_text(ins.get(), 2, v);
            m_db->step_done(ins.get());
        }
        ins.reset();
        m_db->exec("DROP TABLE choro_done; COMMIT;");
        m_image.reset();
        m_map.reset();
        m_mark.reset();
        m_db->exec("PRAGMA wal_checkpoint(TRUNCATE); PRAGMA journal_mode=DELETE;");
        m_db->close();
        std::error_code ec;
        std::filesystem::rename(m_temp, m_out, ec);
        if (ec) {
            throw RenderError(m_out.string(), "cannot rename the finished MBTiles into place: " + ec.message());
        }
    }

private:
    std::filesystem::path m_out;
    std::filesystem::path m_temp;
    std::string m_shard;
    std::unique_ptr<Db> m_db;
    StmtPtr m_image;
    StmtPtr m_map;
    StmtPtr m_mark;
    std::set<std::tuple<int, std::int64_t, std::int64_t>> m_done;
};

// ---- PMTiles: a working MBTiles, converted at the end ---------------------------------------------

class PmtilesSink : public TileSink {
public:
    PmtilesSink(std::filesystem::path out, const std::string& fingerprint)
        : m_out(std::move(out)), m_work(m_out.string() + ".work.mbtiles"), m_mbtiles(m_work, {}, fingerprint) {}
    bool is_done(const MetaTile& m) override { return m_mbtiles.is_done(m); }
    void write(const MetaTile& m, const std::vector<EncodedTile>& tiles) override { m_mbtiles.write(m, tiles); }
    void finish(const TilesetInfo& info) override {
        m_mbtiles.finish(info);
        write_pmtiles(m_work, m_out, info);
        remove_quietly(m_work);
    }

private:
    std::filesystem::path m_out;
    std::filesystem::path m_work;
    MbtilesSink m_mbtiles;
};

// ---- Folder ------------------------------------------------------------------------------------

class FolderSink : public TileSink {
public:
    FolderSink(std::filesystem::path dir, const std::string& fingerprint)
        : m_dir(std::move(dir)), m_progress(m_dir / ".choro-progress") {
        std::filesystem::create_directories(m_dir);
        // The progress log starts with the job's fingerprint; another job's log is not resumed.
        std::ifstream in(m_progress);
        std::string word;
        std::string logged;
        const bool same = (in >> word >> logged) && word == "job" && logged == fingerprint;
        int z = 0;
        std::int64_t x = 0;
        std::int64_t y = 0;
        while (same && in >> z >> x >> y) {
            m_done.insert({z, x, y});
        }
        in.close();
        m_log.open(m_progress, same ? std::ios::app : std::ios::trunc);
        if (!same) {
            m_log << "job " << fingerprint << '\n' << std::flush;
        }
        if (!m_log) {
            throw RenderError(m_progress.string(), "cannot open the progress file for writing");
        }
    }
    bool is_done(const MetaTile& m) override { return m_done.count({m.z, m.x, m.y}) > 0; }
    void write(const MetaTile& m, const std::vector<EncodedTile>& tiles) override {
        for (const auto& t : tiles) {
            write_tile(m_dir / std::to_string(t.id.z) / std::to_string(t.id.x) / (std::to_string(t.id.y) + ".png"),
                       t.png);
        }
        // Recorded only after every tile file is in place: a kill before this line redoes the metatile.
        m_log << m.z << ' ' << m.x << ' ' << m.y << '\n' << std::flush;
        m_done.insert({m.z, m.x, m.y});
    }
    void finish(const TilesetInfo& info) override {
        geo::write_file_atomic(m_dir / "metadata.json", metadata_json(info));
        m_log.close();
        remove_quietly(m_progress);
    }

private:
    // Temporary name then rename: a reader never sees half a tile. No fsync per tile (that would
    // cost more than rendering it); a process kill cannot tear a renamed file.
    void write_tile(const std::filesystem::path& path, const std::string& png) {
        if (m_made.insert(path.parent_path().string()).second) {
            std::filesystem::create_directories(path.parent_path());
        }
        const std::filesystem::path temp = path.string() + ".tmp-choro";
        {
            std::ofstream o(temp, std::ios::binary | std::ios::trunc);
            o.write(png.data(), static_cast<std::streamsize>(png.size()));
            if (!o.flush()) {
                throw RenderError(path.string(), "cannot write tile");
            }
        }
        std::error_code ec;
        std::filesystem::rename(temp, path, ec);
        if (ec) {
            throw RenderError(path.string(), "cannot rename tile into place: " + ec.message());
        }
    }

    std::set<std::string> m_made;
    std::filesystem::path m_dir;
    std::filesystem::path m_progress;
    std::ofstream m_log;
    std::set<std::tuple<int, std::int64_t, std::int64_t>> m_done;
};

}  // namespace

std::string content_hash(std::string_view bytes) {
    std::uint64_t a = 0xcbf29ce484222325ULL;
    std::uint64_t b = 0x84222325cbf29ce4ULL ^ bytes.size();
    for (unsigned char c : bytes) {
        a = (a ^ c) * 0x100000001b3ULL;
        b = (b ^ c) * 0x00000100000001b3ULL + 0x9e3779b97f4a7c15ULL;
    }
    auto mix = [](std::uint64_t h) {
        h ^= h >> 33;
        h *= 0xff51afd7ed558ccdULL;
        h ^= h >> 33;
        h *= 0xc4ceb9fe1a85ec53ULL;
        h ^= h >> 33;
        return h;
    };
    char buf[33];
    std::snprintf(buf,
                  sizeof buf,
                  "%016llx%016llx",
                  static_cast<unsigned long long>(mix(a)),
                  static_cast<unsigned long long>(mix(b)));
    return buf;
}

std::unique_ptr<TileSink> open_sink(const std::filesystem::path& out,
                                    const std::string& shard,
                                    const std::string& fingerprint) {
    const TileFormat f = tile_format_from_path(out);
    if (!shard.empty() && f != TileFormat::mbtiles) {
        throw RenderError(out.string(), "a shard writes an MBTiles part (got a non-.mbtiles path)");
    }
    switch (f) {
        case TileFormat::mbtiles:
            return std::make_unique<MbtilesSink>(out, shard, fingerprint);
        case TileFormat::pmtiles:
            return std::make_unique<PmtilesSink>(out, fingerprint);
        case TileFormat::folder:
            break;
    }
    return std::make_unique<FolderSink>(out, fingerprint);
}

}  // namespace choro::render::detail

namespace choro::render {

void for_each_mbtiles_tile(const std::filesystem::path& mbtiles,
                           const std::function<void(const geo::TileId&, const std::string& png)>& fn) {
    if (!std::filesystem::exists(mbtiles)) {
        throw InputError(mbtiles.string(), "no such MBTiles file");
    }
    detail::Db db(mbtiles, true);
    auto q = db.prepare(
        "SELECT zoom_level, tile_column, tile_row, tile_data FROM tiles ORDER BY zoom_level, tile_column, tile_row");
    int rc = 0;
    while ((rc = sqlite3_step(q.get())) == SQLITE_ROW) {
        const int z = sqlite3_column_int(q.get(), 0);
        const auto x = static_cast<std::uint32_t>(sqlite3_column_int64(q.get(), 1));
        const auto row = static_cast<std::uint32_t>(sqlite3_column_int64(q.get(), 2));
        if (z < 0 || z > geo::max_tile_zoom || row >= geo::tiles_per_side(z) || x >= geo::tiles_per_side(z)) {
            throw InputError(mbtiles.string(),
                             "tile " + std::to_string(z) + "/" + std::to_string(x) + "/" + std::to_string(row) +
                                 " (TMS) is outside its zoom");
        }
        const auto* data = static_cast<const char*>(sqlite3_column_blob(q.get(), 3));
        const std::string png(data ? data : "", static_cast<std::size_t>(sqlite3_column_bytes(q.get(), 3)));
        fn(geo::TileId{z, x, geo::tiles_per_side(z) - 1 - row}, png);
    }
    if (rc != SQLITE_DONE) {
        throw InputError(mbtiles.string(), "reading tiles failed");
    }
}

namespace {

std::map<std::string, std::string> read_metadata(const std::filesystem::path& part) {
    if (!std::filesystem::exists(part)) {
        throw InputError(part.string(), "no such MBTiles part");
    }
    detail::Db db(part, true);
    auto q = db.prepare("SELECT name, value FROM metadata");
    std::map<std::string, std::string> meta;
    while (sqlite3_step(q.get()) == SQLITE_ROW) {
        meta[detail::col_text(q.get(), 0)] = detail::col_text(q.get(), 1);
    }
    return meta;
}

}  // namespace

void merge_tiles(const std::vector<std::filesystem::path>& parts, const std::filesystem::path& out) {
    if (parts.empty()) {
        throw InputError(out.string(), "merge: no parts given");
    }
    std::map<std::string, std::string> first;
    std::set<int> seen;
    int count = 0;
    for (const auto& part : parts) {
        auto meta = read_metadata(part);
        const auto shard = meta.find("choro_shard");
        int i = 0;
        int n = 0;
        if (shard == meta.end() || std::sscanf(shard->second.c_str(), "%d/%d", &i, &n) != 2) {
            throw InputError(part.string(), "not a part written by `choro tiles --shard` (no choro_shard metadata)");
        }
        meta.erase("choro_shard");
        if (first.empty()) {
            first = meta;
            count = n;
        } else if (meta != first || n != count) {
            throw InputError(part.string(),
                             "this part's metadata differs from " + parts.front().string() +
                                 ": parts of different runs cannot be merged");
        }
        if (!seen.insert(i).second) {
            throw InputError(part.string(), "shard " + std::to_string(i) + " is given twice");
        }
    }
    if (static_cast<int>(seen.size()) != count) {
        throw InputError(
            parts.front().string(),
            "merge: " + std::to_string(seen.size()) + " of " + std::to_string(count) + " parts given; all are needed");
    }
    TilesetInfo info;
    info.name = first["name"];
    info.description = first["description"];
    info.attribution = first["attribution"];
    info.min_zoom = std::stoi(first["minzoom"]);
    info.max_zoom = std::stoi(first["maxzoom"]);
    info.scale = std::stoi(first["scale"]);
    std::sscanf(first["bounds"].c_str(),
                "%lf,%lf,%lf,%lf",
                &info.bounds.min.x,
                &info.bounds.min.y,
                &info.bounds.max.x,
                &info.bounds.max.y);
    const auto json = nlohmann::json::parse(first["json"], nullptr, false);
    if (json.is_object() && json.contains("legend")) {
        info.legend_json = json["legend"].dump();
    }
    // Start from scratch: a merge is cheap and must not mix with a stale temporary.
    detail::remove_quietly(std::filesystem::path(out.string() + ".partial"));
    detail::remove_quietly(std::filesystem::path(out.string() + ".work.mbtiles.partial"));
    auto sink = detail::open_sink(out);
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
}

}  // namespace choro::render
