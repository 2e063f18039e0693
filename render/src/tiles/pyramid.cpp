// The pyramid: metatiles of each zoom spread over a thread pool, cut into tiles, empty and
// single-colour tiles detected, PNG encoded, streamed to the sink one metatile at a time.

#include <algorithm>
#include <array>
#include <atomic>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <exception>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <unordered_map>
#include <vector>

#include "tiles/tiles_internal.hpp"
#include "tiles/web_internal.hpp"

#include "choro/geo/error.hpp"
#include "choro/geo/interrupt.hpp"
#include "choro/render/image.hpp"
#include "choro/render/tiles.hpp"

namespace choro::render {

namespace {

constexpr int tile_px = 256;

void check_options(const TileOptions& o) {
    if (o.min_zoom < 0 || o.max_zoom > 22 || o.min_zoom > o.max_zoom) {
        throw LimitError("tiles: zoom range " + std::to_string(o.min_zoom) + "-" + std::to_string(o.max_zoom) +
                         " is invalid: expected 0 <= min <= max <= 22");
    }
    if (o.scale != 1 && o.scale != 2) {
        throw LimitError("tiles: scale " + std::to_string(o.scale) + " is invalid: expected 1 or 2");
    }
    if (o.metatile < 1 || o.metatile > 16) {
        throw LimitError("tiles: metatile " + std::to_string(o.metatile) + " is invalid: expected 1..16");
    }
    if (o.png_level < 0 || o.png_level > 12) {
        throw LimitError("tiles: PNG level " + std::to_string(o.png_level) + " is invalid: expected 0 (fast) or 1..12");
    }
    if (o.shard_count < 1 || o.shard_index < 0 || o.shard_index >= o.shard_count) {
        throw LimitError("tiles: shard " + std::to_string(o.shard_index) + "/" + std::to_string(o.shard_count) +
                         " is invalid: expected 0 <= i < N");
    }
}

geo::Box<geo::LonLat> clamp_to_mercator(geo::Box<geo::LonLat> b) {
    b.min.x = std::max(b.min.x, -180.0);
    b.max.x = std::min(b.max.x, 180.0);
    b.min.y = std::max(b.min.y, -geo::web_mercator_max_lat);
    b.max.y = std::min(b.max.y, geo::web_mercator_max_lat);
    return b;
}

// The tiles of metatile m that lie inside the range.
geo::TileRange metatile_tiles(const detail::MetaTile& m, const geo::TileRange& r, int n) {
    geo::TileRange t;
    t.z = m.z;
    t.min_x = std::max(m.x * static_cast<std::uint32_t>(n), r.min_x);
    t.min_y = std::max(m.y * static_cast<std::uint32_t>(n), r.min_y);
    t.max_x = std::min((m.x + 1) * static_cast<std::uint32_t>(n) - 1, r.max_x);
    t.max_y = std::min((m.y + 1) * static_cast<std::uint32_t>(n) - 1, r.max_y);
    return t;
}

}  // namespace

TileFormat tile_format_from_path(const std::filesystem::path& out) {
    const auto ext = out.extension().string();
    if (ext == ".mbtiles") {
        return TileFormat::mbtiles;
    }
    if (ext == ".pmtiles") {
        return TileFormat::pmtiles;
    }
    return TileFormat::folder;
}

std::filesystem::path shard_part_path(const std::filesystem::path& out, int index, int count) {
    char suffix[64];
    std::snprintf(suffix, sizeof suffix, ".part-%04d-of-%04d.mbtiles", index, count);
    return std::filesystem::path(out.string() + suffix);
}

Image render_tile_area(const pipeline::Scene& scene,
                       const styles::StyleSettings& style,
                       const geo::TileRange& range,
                       int scale) {
    if (scale != 1 && scale != 2) {
        throw LimitError("tiles: scale " + std::to_string(scale) + " is invalid: expected 1 or 2");
    }
    geo::validate(geo::TileId{range.z, range.max_x, range.max_y});
    if (range.count() > std::uint64_t{64} * 64) {
        throw LimitError("tiles: an area of " + std::to_string(range.count()) + " tiles is too large to draw at once");
    }
    const detail::ZoomScene zs(scene, range.z, scale);
    const int px = tile_px * scale;
    return zs.draw(style,
                   static_cast<double>(range.min_x) * px,
                   static_cast<double>(range.min_y) * px,
                   static_cast<int>(range.max_x - range.min_x + 1) * px,
                   static_cast<int>(range.max_y - range.min_y + 1) * px);
}

geo::Box<geo::LonLat> lonlat_bounds(const pipeline::Scene& scene) {
    const geo::Box<geo::Projected> m = pipeline::scene_bounds(scene);
    geo::Box<geo::LonLat> box;
    if (!m.empty()) {
        box.extend(geo::mercator_to_lonlat(m.min));
        box.extend(geo::mercator_to_lonlat(m.max));
    }
    return box;
}

namespace {

/// What a resumed run must share with the run it resumes: data, colours, style and the
/// pyramid's shape. A partial output left by a different job is started afresh, never mixed in.
std::string job_fingerprint(const pipeline::Scene& scene,
                            const styles::StyleSettings& style,
                            const TileOptions& options,
                            const geo::Box<geo::LonLat>& bbox) {
    std::string bytes;
    auto add = [&bytes](const auto& value) { bytes.append(reinterpret_cast<const char*>(&value), sizeof value); };
    auto add_geometry = [&add](const std::vector<geo::MultiPolygon<geo::Projected>>& features) {
        for (const auto& mp : features) {
            for (const auto& poly : mp) {
                for (const auto& ring : poly) {
                    add(ring.size());
                    for (const auto& p : ring) {
                        add(p.x);
                        add(p.y);
                    }
                }
            }
        }
    };
    add_geometry(scene.features);
    add_geometry(scene.overlay);
    for (const auto& c : scene.fills) {
        add(c);
    }
    for (const bool h : scene.highlighted) {
        add(h);
    }
    for (const bool h : scene.overlay_highlighted) {
        add(h);
    }
    add(style.border);
    add(style.border_width);
    add(style.overlay_border);
    add(style.overlay_border_width);
    add(style.highlight);
    add(options.min_zoom);
    add(options.max_zoom);
    add(options.scale);
    add(options.metatile);
    // Not the shard: the parts of one job share the fingerprint, which merge checks.
    add(bbox.min);
    add(bbox.max);
    return detail::content_hash(bytes);
}

/// Draws the metatile `m` (its tiles `tr`) once into the worker's `canvas` and cuts it. Tiles of one
/// colour are encoded once per colour (`solid_cache`, per thread). Drawing is skipped when no feature
/// touches it; a tile no feature touches is not encoded.
detail::MetatileResult draw_metatile(const detail::ZoomScene& zs,
                                     const styles::StyleSettings& style,
                                     const detail::MetaTile& m,
                                     const geo::TileRange& tr,
                                     const PngOptions& png,
                                     std::unordered_map<std::uint32_t, std::string>& solid_cache,
                                     detail::Canvas& canvas) {
    detail::MetatileResult result;
    const int px = tile_px * zs.scale();
    const double ox = static_cast<double>(tr.min_x) * px;
    const double oy = static_cast<double>(tr.min_y) * px;
    const int cols = static_cast<int>(tr.max_x - tr.min_x + 1);
    const int rows = static_cast<int>(tr.max_y - tr.min_y + 1);
    if (!zs.touches(ox, oy, cols * px, rows * px)) {
        result.empty = tr.count();  // nothing here: no drawing at all
        return result;
    }
    zs.draw(style, ox, oy, cols * px, rows * px, canvas);
    for (int r = 0; r < rows; ++r) {
        for (int c = 0; c < cols; ++c) {
            const geo::TileId id{
                m.z, tr.min_x + static_cast<std::uint32_t>(c), tr.min_y + static_cast<std::uint32_t>(r)};
            if (!zs.touches(ox + c * px, oy + r * px, px, px)) {
                ++result.empty;
                continue;
            }
            const ArgbView tile = canvas.view(c * px, r * px, px, px);  // encoded as Cairo holds it
            const auto colour = uniform_color(tile);
            if (!colour) {
                result.tiles.push_back({id, encode_png(tile, png)});
                continue;
            }
            if ((*colour >> 24) == 0) {  // fully transparent (alpha byte)
                ++result.empty;
                continue;
            }
            ++result.solid;
            auto it = solid_cache.find(*colour);
            if (it == solid_cache.end()) {
                it = solid_cache.emplace(*colour, encode_png(tile, png)).first;
            }
            result.tiles.push_back({id, it->second});
        }
    }
    return result;
}

/// The area a run covers. A box across 180° comes with its east edge + 360 (170..230 for 170° E..130° W):
/// it is rendered as its two parts, west and east of 180°.
struct PyramidArea {
    geo::Box<geo::LonLat> requested;  ///< as asked (the data's bounds when no bbox is given)
    geo::Box<geo::LonLat> bbox;       ///< clamped to Web Mercator; across 180° the west part runs to 180°
    geo::Box<geo::LonLat> east_part;  ///< across 180°: the part from -180° on; else the same as bbox
    bool across = false;
};

/// True when some feature's bounding box meets the area's box (or its east part across 180°).
bool any_feature_inside(const pipeline::Scene& scene,
                        const geo::Box<geo::LonLat>& west,
                        const geo::Box<geo::LonLat>& east) {
    const auto to_mercator = [](const geo::Box<geo::LonLat>& b) {
        geo::Box<geo::Projected> m;
        m.extend(geo::lonlat_to_mercator(b.min));
        m.extend(geo::lonlat_to_mercator(b.max));
        return m;
    };
    const geo::Box<geo::Projected> w = to_mercator(west);
    const geo::Box<geo::Projected> e = to_mercator(east);
    return std::any_of(scene.features.begin(), scene.features.end(), [&](const auto& f) {
        const geo::Box<geo::Projected> b = geo::envelope(f);
        return !b.empty() && (b.intersects(w) || b.intersects(e));
    });
}

PyramidArea pyramid_area(const pipeline::Scene& scene, const TileOptions& options) {
    PyramidArea area;
    area.requested = options.bbox.empty() ? lonlat_bounds(scene) : options.bbox;
    area.across = area.requested.max.x > 180.0;
    area.bbox = clamp_to_mercator(area.requested);
    area.east_part = area.bbox;
    if (area.across) {
        area.east_part.min.x = -180.0;
        area.east_part.max.x = std::min(area.requested.max.x - 360.0, 180.0);
    }
    if (area.bbox.empty()) {
        throw LimitError("tiles: nothing to render: the bounding box is empty (no features and no --bbox)");
    }
    // A --bbox away from every feature would make a tile set of empty tiles (and its bounds
    // would claim a place the data is not).
    if (!options.bbox.empty() && !any_feature_inside(scene, area.bbox, area.east_part)) {
        const auto& b = options.bbox;
        const geo::Box<geo::LonLat> d = lonlat_bounds(scene);
        std::array<char, 256> text{};
        std::snprintf(text.data(),
                      text.size(),
                      "--bbox %g,%g,%g,%g: no feature of the boundaries lies inside it (they span %.2f,%.2f,%.2f,%.2f)",
                      b.min.x,
                      b.min.y,
                      b.max.x > 180.0 ? b.max.x - 360.0 : b.max.x,
                      b.max.y,
                      d.min.x,
                      d.min.y,
                      d.max.x,
                      d.max.y);
        throw UsageError(text.data());
    }
    return area;
}

/// Fills in what the run decides about the tile set: zooms, bounds, scale and a page's first view.
void describe_tileset(TilesetInfo& info,
                      const PyramidArea& area,
                      const pipeline::Scene& scene,
                      const TileOptions& options) {
    info.min_zoom = options.min_zoom;
    info.max_zoom = options.max_zoom;
    // Rounded in one place for every format (tileset_bounds); across 180° the east edge is the
    // east part's, so west > east says so.
    info.bounds = tileset_bounds(area.bbox);
    if (area.across) {
        info.bounds.max.x = tileset_bounds(area.east_part).max.x;
    }
    info.scale = options.scale;
    info.view = options.bbox.empty() ? detail::data_view(scene) : area.requested;  // a page's first view
}

/// The tile ranges of zoom z: one, or across 180° the west and east parts (one range of the
/// whole width when they share or touch a metatile column).
std::vector<geo::TileRange> zoom_ranges(const PyramidArea& area, int z, int n) {
    std::vector<geo::TileRange> ranges{geo::tile_range(area.bbox, z)};
    if (area.across) {
        const geo::TileRange east = geo::tile_range(area.east_part, z);
        const auto un = static_cast<std::uint32_t>(n);
        if (east.max_x / un + 1 >= ranges.front().min_x / un) {  // same or adjacent metatiles: the whole width
            ranges.front().min_x = 0;
            ranges.front().max_x = geo::tiles_per_side(z) - 1;
        } else {
            ranges.push_back(east);
        }
    }
    return ranges;
}

/// The metatiles of one tile range that this shard renders.
struct ZoomWork {
    geo::TileRange range;
    std::vector<detail::MetaTile> metatiles;
};

/// Every metatile of the pyramid in a fixed order; shard i takes every N-th one, which balances
/// the work (neighbouring metatiles cost about the same) and is deterministic. Adds the shard's
/// tiles to `tiles`.
std::vector<ZoomWork> plan_work(const PyramidArea& area, const TileOptions& options, std::uint64_t& tiles) {
    const int n = options.metatile;
    const auto un = static_cast<std::uint32_t>(n);
    std::vector<ZoomWork> work;
    std::uint64_t k = 0;
    for (int z = options.min_zoom; z <= options.max_zoom; ++z) {
        for (const geo::TileRange& range : zoom_ranges(area, z, n)) {
            ZoomWork zw;
            zw.range = range;
            for (std::uint32_t my = zw.range.min_y / un; my <= zw.range.max_y / un; ++my) {
                for (std::uint32_t mx = zw.range.min_x / un; mx <= zw.range.max_x / un; ++mx, ++k) {
                    if (static_cast<int>(k % static_cast<std::uint64_t>(options.shard_count)) == options.shard_index) {
                        zw.metatiles.push_back({z, mx, my});
                        tiles += metatile_tiles(zw.metatiles.back(), zw.range, n).count();
                    }
                }
            }
            work.push_back(std::move(zw));
        }
    }
    return work;
}

/// What the workers of a run share: the sink and the counts, guarded by one lock.
struct PyramidRun {
    const TileOptions& options;
    detail::TileSink& sink;
    TileStats& stats;
    std::uint64_t done = 0;  ///< tiles done, resumed ones included (for progress)
    std::mutex lock{};
};

/// The metatiles of `zw` still to render; those an earlier run stored count as resumed.
std::vector<detail::MetaTile> pending_metatiles(const ZoomWork& zw, PyramidRun& run) {
    std::vector<detail::MetaTile> todo;
    for (const auto& m : zw.metatiles) {
        if (run.sink.is_done(m)) {
            const auto c = metatile_tiles(m, zw.range, run.options.metatile).count();
            run.stats.resumed += c;
            run.done += c;
        } else {
            todo.push_back(m);
        }
    }
    return todo;
}

/// Stores one cut metatile and counts it; called under the run's lock.
void store_metatile(PyramidRun& run,
                    const detail::MetaTile& m,
                    const geo::TileRange& tr,
                    const detail::MetatileResult& result) {
    TileStats& stats = run.stats;
    run.sink.write(m, result.tiles);
    stats.written += result.tiles.size();
    stats.empty += result.empty;
    stats.solid += result.solid;
    stats.max_bytes = std::max(stats.max_bytes, result.max_bytes);
    stats.coarsened += result.coarsened;
    ++stats.metatiles;
    run.done += tr.count();
    if (run.options.progress) {
        run.options.progress(TileProgress{run.done, stats.tiles, m.z});
    }
}

/// One range's metatiles to cut and what draws them: the zoom's shared work (a ZoomScene) is
/// made by the first worker that needs it and let go when the range's last metatile is stored.
struct RangeSlot {
    const ZoomWork* zw = nullptr;
    std::vector<detail::MetaTile> todo;
    std::once_flag made;
    std::function<detail::MetatileFn()> make_worker;
    std::atomic<std::size_t> remaining{0};
};

/// Cuts every pending metatile of the pyramid on `threads` threads (this one included), each
/// taking the next metatile in a fixed order, low zooms first. There is no barrier between
/// zooms: while one thread finishes a zoom, another prepares the next (simplifies its geometry)
/// and cuts it, and the one-metatile zooms 0-3 are cut side by side. The first failure stops
/// every worker and is rethrown here.
void render_pyramid(const std::vector<ZoomWork>& work,
                    const detail::ZoomWorkers& make_zoom,
                    unsigned threads,
                    PyramidRun& run) {
    std::vector<RangeSlot> slots(work.size());
    std::vector<std::pair<std::size_t, std::size_t>> tasks;  // (slot, metatile in slot.todo)
    for (std::size_t s = 0; s < work.size(); ++s) {
        slots[s].zw = &work[s];
        slots[s].todo = pending_metatiles(work[s], run);
        slots[s].remaining = slots[s].todo.size();
        for (std::size_t i = 0; i < slots[s].todo.size(); ++i) {
            tasks.emplace_back(s, i);
        }
    }
    if (tasks.empty()) {
        return;
    }
    std::atomic<std::size_t> next{0};
    std::exception_ptr failure;
    std::atomic<bool> failed{false};
    auto worker = [&] {
        std::vector<detail::MetatileFn> cutters(slots.size());  // this thread's, per range
        try {
            for (std::size_t t = next++; t < tasks.size() && !failed; t = next++) {
                geo::check_interrupted();  // SIGINT/SIGTERM: stop here, the sink keeps what is done
                const auto [s, i] = tasks[t];
                RangeSlot& slot = slots[s];
                for (std::size_t d = 0; d < s; ++d) {
                    if (cutters[d] && slots[d].remaining == 0) {
                        cutters[d] = nullptr;  // a finished zoom's scene is freed with its last holder
                    }
                }
                std::call_once(slot.made, [&] { slot.make_worker = make_zoom(slot.zw->range.z); });
                if (!cutters[s]) {
                    cutters[s] = slot.make_worker();
                }
                const detail::MetaTile& m = slot.todo[i];
                const geo::TileRange tr = metatile_tiles(m, slot.zw->range, run.options.metatile);
                const detail::MetatileResult result = cutters[s](m, tr);
                const std::scoped_lock guard(run.lock);
                store_metatile(run, m, tr, result);
                if (--slot.remaining == 0) {
                    slot.make_worker = nullptr;  // no thread asks for it again: every task is done
                }
            }
        } catch (...) {
            const std::scoped_lock guard(run.lock);
            if (!failure) {
                failure = std::current_exception();
            }
            failed = true;
        }
    };
    std::vector<std::thread> pool;
    const unsigned count = std::min<unsigned>(threads, static_cast<unsigned>(tasks.size()));
    for (unsigned t = 1; t < count; ++t) {
        pool.emplace_back(worker);
    }
    worker();
    for (auto& t : pool) {
        t.join();
    }
    if (failure) {
        std::rethrow_exception(failure);
    }
}

}  // namespace

TileStats detail::run_pyramid(const pipeline::Scene& scene,
                              const TileOptions& options,
                              const std::filesystem::path& out,
                              TilesetInfo info,
                              const std::function<std::string(const geo::Box<geo::LonLat>&)>& fingerprint,
                              const ZoomWorkers& make_zoom) {
    check_options(options);
    const auto t0 = std::chrono::steady_clock::now();
    const PyramidArea area = pyramid_area(scene, options);
    describe_tileset(info, area, scene, options);
    TileStats stats;
    const std::vector<ZoomWork> work = plan_work(area, options, stats.tiles);

    const bool sharded = options.shard_count > 1;
    const std::filesystem::path target = sharded ? shard_part_path(out, options.shard_index, options.shard_count) : out;
    auto sink = detail::open_sink(
        target,
        {.shard = sharded ? std::to_string(options.shard_index) + "/" + std::to_string(options.shard_count) : "",
         .fingerprint = fingerprint(area.requested),
         .vector = info.format == "pbf"});
    PyramidRun run{.options = options, .sink = *sink, .stats = stats};
    const unsigned threads = options.threads > 0 ? options.threads : std::max(1u, std::thread::hardware_concurrency());
    // Already stored metatiles are skipped before any zoom's geometry is paid for.
    render_pyramid(work, make_zoom, threads, run);
    sink->finish(info);
    stats.tileset = std::move(info);
    stats.path = target;
    stats.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    return stats;
}

TileStats render_tiles(const pipeline::Scene& scene,
                       const styles::StyleSettings& style,
                       const TileOptions& options,
                       const std::filesystem::path& out,
                       TilesetInfo info) {
    // Fast by default, as the print map: on W3 (the demo's counties, z0-7) deflating the 303 tiles
    // of over 256 colours took 0.40 s at libdeflate's level 6 and 0.05 s with igzip, for 13.6%
    // more bytes. Palette tiles (a byte a pixel) stay at level 6 there: they cost little.
    PngOptions png;
    png.palette = true;
    png.fast = options.png_level == 0;
    png.level = png.fast ? 6 : options.png_level;
    const int scale = options.scale;
    return detail::run_pyramid(
        scene,
        options,
        out,
        std::move(info),
        [&](const geo::Box<geo::LonLat>& requested) { return job_fingerprint(scene, style, options, requested); },
        [&](int z) -> std::function<detail::MetatileFn()> {
            auto zs = std::make_shared<const detail::ZoomScene>(scene, z, scale);
            return [zs, &style, png]() -> detail::MetatileFn {
                // One colour → PNG cache and one drawing surface per worker thread, reused from
                // metatile to metatile.
                auto solid_cache = std::make_shared<std::unordered_map<std::uint32_t, std::string>>();
                auto canvas = std::make_shared<detail::Canvas>();
                return [zs, &style, png, solid_cache, canvas](const detail::MetaTile& m, const geo::TileRange& tr) {
                    return draw_metatile(*zs, style, m, tr, png, *solid_cache, *canvas);
                };
            };
        });
}

}  // namespace choro::render
