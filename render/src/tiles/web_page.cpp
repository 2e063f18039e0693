// The interactive page of a tile set (MapLibre GL JS, embedded in choro) and the files written
// beside the tiles for it.

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <string>
#include <utility>
#include <vector>

#include "tiles/tiles_internal.hpp"
#include "tiles/web_internal.hpp"
#include <nlohmann/json.hpp>

#include "choro/geo/atomic_file.hpp"
#include "choro/geo/text.hpp"
#include "choro/geo/tile.hpp"
#include "choro/render/web_map.hpp"
#include "choro/styles/palette.hpp"

namespace choro::render {

namespace {

using Json = nlohmann::json;

double round6(double v) {
    return std::round(v * 1e6) / 1e6;
}

// The JSON goes inside a <script>: escape "</" so a label cannot end the element.
std::string script_json(const Json& j) {
    std::string text = j.dump(-1, ' ', false, Json::error_handler_t::replace);
    for (std::size_t p = 0; (p = text.find("</", p)) != std::string::npos; p += 3) {
        text.replace(p, 2, "<\\/");
    }
    return text;
}

std::string label_of(const std::vector<styles::LegendItem>& legend, styles::Swatch swatch, const char* fallback) {
    for (const auto& item : legend) {
        if (item.swatch == swatch && !item.label.empty()) {
            return item.label;
        }
    }
    return fallback;
}

// [key, name, value|null, highlight ("holdout", "partial" or ""), w, s, e, n] per feature.
Json search_index(const pipeline::Scene& scene) {
    Json rows = Json::array();
    for (std::size_t i = 0; i < scene.features.size() && i < scene.info.size(); ++i) {
        const auto& info = scene.info[i];
        const auto box = geo::envelope(scene.features[i]);
        if (box.empty()) {
            continue;
        }
        const auto sw = geo::mercator_to_lonlat(box.min);
        const auto ne = geo::mercator_to_lonlat(box.max);
        const bool holdout = i < scene.highlighted.size() && scene.highlighted[i];
        const bool partial = i < scene.partial.size() && scene.partial[i];
        rows.push_back({info.key,
                        info.name,
                        info.value && std::isfinite(*info.value) ? Json(*info.value) : Json(nullptr),
                        holdout ? "holdout" : (partial ? "partial" : ""),
                        round6(sw.x),
                        round6(sw.y),
                        round6(ne.x),
                        round6(ne.y)});
    }
    return rows;
}

const char* page_template = R"PAGE(<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>@TITLE@</title>
<link rel="stylesheet" href="maplibre/maplibre-gl.css">
<style>
  html, body { margin: 0; height: 100%; font: 13px/1.35 "DejaVu Sans", sans-serif; color: #1e1e1e; }
  #map { position: absolute; inset: 0; background: #f4f6f8; }
  .panel { position: absolute; background: rgba(255,255,255,0.94); border-radius: 4px; box-shadow: 0 1px 4px #0004; padding: 8px 10px; }
  #head { top: 10px; left: 10px; max-width: 360px; }
  #head h1 { font-size: 16px; margin: 0 0 2px; }
  #head p { margin: 0 0 6px; color: #555; }
  #search { width: 100%; box-sizing: border-box; font: inherit; padding: 4px 6px; border: 1px solid #bbb; border-radius: 3px; }
  #results { list-style: none; margin: 4px 0 0; padding: 0; max-height: 220px; overflow: auto; }
  #results li { padding: 2px 4px; cursor: pointer; }
  #results li:hover, #results li.active { background: #e6eef7; }
  #legend { bottom: 28px; right: 10px; max-width: 230px; font-size: 12px; }
  #legend h4 { margin: 0 0 6px; font-size: 13px; }
  #legend div { display: flex; align-items: flex-start; gap: 6px; margin: 2px 0; }
  #legend i { flex: none; width: 18px; height: 12px; display: inline-block; border: 1px solid #8888; margin-top: 1px; }
  #info { pointer-events: none; display: none; min-width: 140px; max-width: 260px; background: #fff; z-index: 2; }
  #info b { display: block; }
  #source { bottom: 6px; left: 10px; padding: 2px 6px; font-size: 11px; color: #555; }
</style>
</head>
<body>
<div id="map"></div>
<div id="head" class="panel"><h1 id="title"></h1><p id="subtitle"></p>
<input id="search" type="search" placeholder="Find by name or key" autocomplete="off" aria-label="Find a feature by name or key">
<ul id="results"></ul></div>
<div id="legend" class="panel"></div>
<div id="info" class="panel"></div>
<div id="source" class="panel"></div>
<script src="maplibre/maplibre-gl.js"></script>
<script src="maplibre/pmtiles.js"></script>
<script>
const cfg = @CONFIG@;
const el = (id) => document.getElementById(id);
el('title').textContent = cfg.title;
el('subtitle').textContent = cfg.description;
el('subtitle').style.display = cfg.description ? '' : 'none';
el('source').textContent = cfg.source_note;
el('source').style.display = cfg.source_note ? '' : 'none';
document.title = cfg.title;

const protocol = new pmtiles.Protocol();
// An archive holds no tile where there is no feature; MapLibre cannot decode an empty raster
// tile, so it gets a transparent pixel instead.
const emptyPng = Uint8Array.from(atob('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAAC0lEQVR4nGNgAAIAAAUAAXpeqz8AAAAASUVORK5CYII='),
                                 (c) => c.charCodeAt(0)).buffer;
maplibregl.addProtocol('pmtiles', async (params, abort) => {
  const r = await protocol.tile(params, abort);
  if (cfg.kind === 'raster' && (!r || !r.data || r.data.byteLength === 0)) return { data: emptyPng.slice(0) };
  return r;
});
const braces = (u) => u.replace(/%7B/g, '{').replace(/%7D/g, '}');
const absolute = (u) => braces(u.startsWith('pmtiles://') ? 'pmtiles://' + new URL(u.slice(10), location.href).href
                                                          : new URL(u, location.href).href);
const fmt = (v) => v === null || v === undefined ? 'No data'
                 : (Number.isInteger(v) ? v.toLocaleString('en-US') : v.toLocaleString('en-US', { maximumFractionDigits: 3 }));
const reason = (h) => (h && cfg.reasons[h]) || (h === true ? cfg.reasons.holdout : (h ? String(h) : ''));

// The view: the URL hash (MapLibre's #zoom/lat/lon) when there is one, else the data's bounds.
const v = cfg.view;
const hadHash = location.hash.length > 1;  // read before MapLibre writes its own
const map = new maplibregl.Map({ container: 'map', hash: true, attributionControl: false,
                                 style: { version: 8, sources: {}, layers: [] },
                                 bounds: hadHash ? undefined : [[v[0], v[1]], [v[2], v[3]]],
                                 fitBoundsOptions: { padding: 20 } });
window.choroMap = map;
map.addControl(new maplibregl.NavigationControl({ showCompass: false }), 'top-right');
fetch(cfg.style).then((r) => r.json()).then((style) => {
  for (const src of Object.values(style.sources)) {
    // PMTiles as a tile template: the protocol's TileJSON would carry bounds across 180° as
    // west > east, and MapLibre would then load no tile. The style keeps the zooms.
    if (src.url && src.url.startsWith('pmtiles://')) { src.tiles = [absolute(src.url) + '/{z}/{x}/{y}']; delete src.url; }
    else if (src.url) src.url = absolute(src.url);
    else if (src.tiles) src.tiles = src.tiles.map(absolute);
  }
  if (style.sprite) style.sprite = absolute(style.sprite);
  map.setStyle(style);
  drawLegend((style.metadata && style.metadata['choro:legend']) || { title: '', items: [] });
  // Fit again with room for the panels, so no feature of the first view lies under one.
  if (!hadHash) {
    const legendWidth = el('legend').offsetWidth, headHeight = el('head').offsetHeight;
    const room = (w, h) => w < 0.5 * map.getContainer().clientWidth && h < 0.5 * map.getContainer().clientHeight;
    const padding = { top: room(0, headHeight) ? headHeight + 20 : 20, bottom: 30, left: 20,
                      right: room(legendWidth, 0) ? legendWidth + 20 : 20 };
    map.fitBounds([[v[0], v[1]], [v[2], v[3]]], { padding, duration: 0 });
  }
});

function swatch(it) {
  const sw = document.createElement('i');
  if (it.swatch === 'fill') sw.style.background = it.color;
  else sw.style.background = 'repeating-linear-gradient(' + (it.swatch.startsWith('overlay') ? '45deg' : '-45deg') +
                             ', ' + it.color + ' 0 2px, transparent 2px ' + (it.swatch === 'hatch' ? 4 : 7) + 'px)';
  return sw;
}
function drawLegend(legend) {
  const box = el('legend');
  box.textContent = '';
  if (legend.title) { const h = document.createElement('h4'); h.textContent = legend.title; box.appendChild(h); }
  for (const it of legend.items) {
    const row = document.createElement('div');
    const label = document.createElement('span');
    label.textContent = it.label;
    row.append(swatch(it), label);
    box.appendChild(row);
  }
  box.style.display = legend.items.length || legend.title ? '' : 'none';
}

// Hover (vector tiles): name, value and why the feature is marked.
const info = el('info');
function showInfo(props, point) {
  info.textContent = '';
  const name = document.createElement('b');
  name.textContent = props.name || props.key || '';
  const value = document.createElement('div');
  value.textContent = (cfg.legend_title ? cfg.legend_title + ': ' : '') + fmt(props.value);
  info.append(name, value);
  const why = reason(props.highlight);
  if (why) { const r = document.createElement('div'); r.textContent = why; info.appendChild(r); }
  info.style.left = Math.min(point.x + 14, window.innerWidth - 220) + 'px';
  info.style.display = 'block';
  const below = point.y + 14 + info.offsetHeight < window.innerHeight - 30;
  info.style.top = (below ? point.y + 14 : point.y - 14 - info.offsetHeight) + 'px';
}
if (cfg.kind === 'vector') {
  map.on('mousemove', (e) => {
    const hits = map.getLayer('features-fill') ? map.queryRenderedFeatures(e.point, { layers: ['features-fill'] }) : [];
    if (hits.length) { showInfo(hits[0].properties, e.point); map.getCanvas().style.cursor = 'pointer'; }
    else { info.style.display = 'none'; map.getCanvas().style.cursor = ''; }
  });
  map.on('mouseout', () => { info.style.display = 'none'; });
}

// Search over every feature (the index is in the page: tiles hold only what is in view).
const rows = cfg.index.map((r) => ({ key: r[0], name: r[1], value: r[2], highlight: r[3], box: [r[4], r[5], r[6], r[7]] }));
const results = el('results');
function choose(row) {
  results.textContent = '';
  el('search').value = row.name || row.key;
  map.fitBounds([[row.box[0], row.box[1]], [row.box[2], row.box[3]]], { padding: 60, maxZoom: 9, duration: 0 });
  const c = map.project([(row.box[0] + row.box[2]) / 2, (row.box[1] + row.box[3]) / 2]);
  showInfo(row, c);
}
el('search').addEventListener('input', () => {
  const q = el('search').value.trim().toLowerCase();
  results.textContent = '';
  if (!q) return;
  const exact = [], starts = [], within = [];
  for (const r of rows) {
    const n = (r.name || '').toLowerCase(), k = String(r.key).toLowerCase();
    if (k === q || n === q) exact.push(r);
    else if (n.startsWith(q) || k.startsWith(q)) starts.push(r);
    else if (n.includes(q)) within.push(r);
  }
  for (const r of exact.concat(starts, within).slice(0, 12)) {
    const li = document.createElement('li');
    li.textContent = (r.name || r.key) + ' (' + r.key + ')';
    li.addEventListener('click', () => choose(r));
    results.appendChild(li);
  }
});
el('search').addEventListener('keydown', (e) => {
  if (e.key === 'Enter' && results.firstChild) results.firstChild.click();
  if (e.key === 'Escape') { results.textContent = ''; }
});
</script>
</body>
</html>
)PAGE";

void replace_all(std::string& text, const std::string& what, const std::string& with) {
    for (std::size_t p = 0; (p = text.find(what, p)) != std::string::npos; p += with.size()) {
        text.replace(p, what.size(), with);
    }
}

}  // namespace

geo::Box<geo::LonLat> detail::data_view(const pipeline::Scene& scene) {
    std::vector<std::pair<double, double>> spans;
    geo::Box<geo::LonLat> box;
    // Per polygon: a feature across 180° (the Aleutians West) is polygons on both sides.
    auto add = [&](const geo::MultiPolygon<geo::Projected>& mp) {
        for (const auto& poly : mp) {
            const auto b = geo::envelope(poly);
            if (b.empty()) {
                continue;
            }
            const auto sw = geo::mercator_to_lonlat(b.min);
            const auto ne = geo::mercator_to_lonlat(b.max);
            box.extend(sw);
            box.extend(ne);
            if (ne.x - sw.x < 180.0) {  // a wider polygon wraps: it says nothing of the gap
                spans.emplace_back(sw.x, ne.x);
            }
        }
    };
    for (const auto& f : scene.features) {
        add(f);
    }
    for (const auto& f : scene.overlay) {
        add(f);
    }
    if (spans.empty()) {
        box.min = {round6(box.min.x), round6(box.min.y)};
        box.max = {round6(box.max.x), round6(box.max.y)};
        return box;
    }
    // The widest gap between the features' longitudes, around the circle: the view is the rest.
    std::sort(spans.begin(), spans.end());
    double reach = spans.front().second;
    double gap = 0.0;
    double gap_west = 0.0;  // where the gap starts
    double gap_east = 0.0;  // where it ends (the view's west edge)
    for (std::size_t i = 1; i < spans.size(); ++i) {
        if (spans[i].first - reach > gap) {
            gap = spans[i].first - reach;
            gap_west = reach;
            gap_east = spans[i].first;
        }
        reach = std::max(reach, spans[i].second);
    }
    const double wrap_gap = spans.front().first + 360.0 - reach;
    if (gap > wrap_gap) {
        box.min.x = gap_east;
        box.max.x = gap_west + 360.0;  // across 180°: the east edge past 180
    }
    box.min = {round6(box.min.x), round6(box.min.y)};
    box.max = {round6(box.max.x), round6(box.max.y)};
    return box;
}

std::string web_map_html(const pipeline::Scene& scene,
                         const TilesetInfo& info,
                         const WebMapSource& source,
                         const std::string& style_url) {
    auto view = info.view.empty() ? detail::data_view(scene) : info.view;
    if (view.empty()) {
        view = info.bounds;
        if (view.min.x > view.max.x) {
            view.max.x += 360.0;
        }
    }
    Json cfg;
    cfg["style"] = style_url;
    cfg["kind"] = source.kind == TileKind::vector ? "vector" : "raster";
    cfg["view"] = {view.min.x, view.min.y, view.max.x, view.max.y};
    cfg["title"] = info.name;
    cfg["description"] = info.description;
    cfg["source_note"] = info.attribution;
    cfg["legend_title"] = info.legend_title;
    cfg["reasons"] = {{"holdout", label_of(info.legend, styles::Swatch::hatch, "Highlighted")},
                      {"partial", label_of(info.legend, styles::Swatch::partial_hatch, "Partly highlighted")}};
    cfg["index"] = search_index(scene);
    std::string page = page_template;
    replace_all(page, "@TITLE@", geo::xml_escape(info.name));
    replace_all(page, "@CONFIG@", script_json(cfg));
    return page;
}

std::filesystem::path write_web_map(const std::filesystem::path& tiles,
                                    const pipeline::Scene& scene,
                                    const styles::StyleSettings& style,
                                    const TilesetInfo& info,
                                    TileKind kind) {
    const auto format = tile_format_from_path(tiles);
    if (format == TileFormat::mbtiles) {
        return {};
    }
    std::filesystem::path dir;
    std::string prefix;
    WebMapSource source{kind, {}};
    if (format == TileFormat::folder) {
        dir = tiles;
        source.url = kind == TileKind::vector ? "{z}/{x}/{y}.pbf" : "{z}/{x}/{y}.png";
    } else {
        dir = tiles.has_parent_path() ? tiles.parent_path() : std::filesystem::path(".");
        prefix = tiles.stem().string() + ".";
        source.url = "pmtiles://" + tiles.filename().string();
    }
    const std::string sprite = prefix + "sprite";
    geo::write_file_atomic(dir / (prefix + "style.json"), maplibre_style(scene, style, info, source, sprite));
    if (kind == TileKind::vector) {
        for (int ratio : {1, 2}) {
            const auto sheet = hatch_sprite(style, ratio);
            const std::string name = sprite + (ratio == 2 ? "@2x" : "");
            geo::write_file_atomic(dir / (name + ".png"), sheet.png);
            geo::write_file_atomic(dir / (name + ".json"), sheet.json);
        }
    }
    if (format == TileFormat::folder && kind == TileKind::raster) {
        return {};  // the sink's Leaflet page (index.html) works from file:// too
    }
    geo::write_file_atomic(dir / "maplibre" / "maplibre-gl.js", detail::maplibre_js());
    geo::write_file_atomic(dir / "maplibre" / "maplibre-gl.css", detail::maplibre_css());
    geo::write_file_atomic(dir / "maplibre" / "LICENSE.txt", detail::maplibre_license());
    geo::write_file_atomic(dir / "maplibre" / "pmtiles.js", detail::pmtiles_js());
    geo::write_file_atomic(dir / "maplibre" / "pmtiles-package.json", detail::pmtiles_license());
    auto page = dir / (format == TileFormat::folder ? std::string("index.html") : prefix + "html");
    geo::write_file_atomic(page, web_map_html(scene, info, source, prefix + "style.json"));
    return page;
}

}  // namespace choro::render
