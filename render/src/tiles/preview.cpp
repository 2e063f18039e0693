// The tile set's metadata in each format's words: the metadata JSON shared by MBTiles, PMTiles
// and a folder's metadata.json (read back by merge), TileJSON 3.0.0, and the offline preview page
// with the Leaflet embedded in choro.

#include <cmath>
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include "tiles/tiles_internal.hpp"
#include <nlohmann/json.hpp>

#include "choro/geo/atomic_file.hpp"
#include "choro/geo/error.hpp"
#include "choro/styles/palette.hpp"

namespace choro::render {

namespace {

using Json = nlohmann::json;

// {"title":…, "items":[{"label","color","swatch","count"}]}, the legend of the print map as data.
Json legend_of(const TilesetInfo& info) {
    Json items = Json::array();
    for (const auto& item : info.legend) {
        items.push_back({{"label", item.label},
                         {"color", styles::to_hex(item.color)},
                         {"swatch", styles::swatch_name(item.swatch)},
                         {"count", item.count}});
    }
    return {{"title", info.legend_title}, {"items", std::move(items)}};
}

// The layers of render_vector_tiles(), as TileJSON 3.0.0 and the MBTiles spec describe them.
Json vector_layers(const TilesetInfo& info) {
    return Json::array({{{"id", "features"},
                         {"description", "the map's features, coloured by class"},
                         {"minzoom", info.min_zoom},
                         {"maxzoom", info.max_zoom},
                         {"fields",
                          {{"key", "String"},
                           {"name", "String"},
                           {"value", "Number"},
                           {"class", "Number"},
                           {"highlight", "String"},
                           {"mark", "String"}}}},
                        {{"id", "overlay"},
                         {"description", "overlay borders (states) and their bans"},
                         {"minzoom", info.min_zoom},
                         {"maxzoom", info.max_zoom},
                         {"fields", {{"ban", "String"}, {"mark", "String"}}}}});
}

Json bounds_of(const TilesetInfo& info) {
    const auto& b = info.bounds;
    return {b.min.x, b.min.y, b.max.x, b.max.y};
}

// Labels and titles come from data files: invalid UTF-8 is replaced, not thrown.
std::string dump(const Json& j, int indent = -1) {
    return j.dump(indent, ' ', false, Json::error_handler_t::replace);
}

[[noreturn]] void bad_metadata(const std::string& where, const std::string& what) {
    throw InputError(where, "not choro tile metadata: " + what);
}

}  // namespace

geo::Box<geo::LonLat> tileset_bounds(const geo::Box<geo::LonLat>& bbox) {
    auto round6 = [](double v) { return std::round(v * 1e6) / 1e6; };
    geo::Box<geo::LonLat> b;
    b.min = {round6(std::max(bbox.min.x, -180.0)), round6(std::max(bbox.min.y, -geo::web_mercator_max_lat))};
    b.max = {round6(std::min(bbox.max.x, 180.0)), round6(std::min(bbox.max.y, geo::web_mercator_max_lat))};
    return b;
}

void detail::check_tileset(const TilesetInfo& info) {
    const auto& b = info.bounds;
    const bool finite =
        std::isfinite(b.min.x) && std::isfinite(b.min.y) && std::isfinite(b.max.x) && std::isfinite(b.max.y);
    // W > E is a set across 180° (TileJSON and MBTiles write such bounds as they are).
    if (!finite || b.min.y > b.max.y || b.min.x < -180 || b.max.x > 180 || b.min.y < -90 || b.max.y > 90) {
        throw JobError("tile set",
                       0,
                       0,
                       "bounds " + dump(bounds_of(info)) + " are not W,S,E,N with S <= N within -180..180 and -90..90");
    }
    if (info.min_zoom < 0 || info.min_zoom > info.max_zoom || info.max_zoom > geo::max_tile_zoom) {
        throw JobError("tile set",
                       0,
                       0,
                       "zooms " + std::to_string(info.min_zoom) + "-" + std::to_string(info.max_zoom) +
                           " are not 0 <= min <= max <= " + std::to_string(geo::max_tile_zoom));
    }
    if (info.scale != 1 && info.scale != 2) {
        throw JobError("tile set", 0, 0, "scale " + std::to_string(info.scale) + " is not 1 or 2");
    }
}

std::string detail::metadata_json(const TilesetInfo& info) {
    Json j;
    j["name"] = info.name;
    j["description"] = info.description;
    j["attribution"] = info.attribution;
    j["type"] = "overlay";
    j["format"] = info.format;
    j["minzoom"] = info.min_zoom;
    j["maxzoom"] = info.max_zoom;
    j["bounds"] = bounds_of(info);
    j["scale"] = info.scale;
    j["legend"] = legend_of(info);
    if (info.format == "pbf") {
        j["vector_layers"] = vector_layers(info);
    }
    return dump(j);
}

TilesetInfo detail::tileset_from_metadata_json(const std::string& json, const std::string& where) {
    const Json j = Json::parse(json, nullptr, false);
    if (!j.is_object()) {
        bad_metadata(where, "the metadata JSON does not parse");
    }
    TilesetInfo info;
    try {
        info.name = j.at("name").get<std::string>();
        info.description = j.at("description").get<std::string>();
        info.attribution = j.at("attribution").get<std::string>();
        info.format = j.at("format").get<std::string>();
        info.min_zoom = j.at("minzoom").get<int>();
        info.max_zoom = j.at("maxzoom").get<int>();
        info.scale = j.at("scale").get<int>();
        const auto& b = j.at("bounds");
        info.bounds.min = {b.at(0).get<double>(), b.at(1).get<double>()};
        info.bounds.max = {b.at(2).get<double>(), b.at(3).get<double>()};
        const auto& legend = j.at("legend");
        info.legend_title = legend.at("title").get<std::string>();
        for (const auto& it : legend.at("items")) {
            styles::LegendItem item;
            item.label = it.at("label").get<std::string>();
            item.color = styles::parse_color(it.at("color").get<std::string>());
            item.count = it.at("count").get<std::size_t>();
            const auto swatch = it.at("swatch").get<std::string>();
            if (const auto parsed = styles::parse_swatch(swatch)) {
                item.swatch = *parsed;
            } else {
                bad_metadata(where, "legend swatch '" + swatch + "'");
            }
            info.legend.push_back(std::move(item));
        }
    } catch (const Json::exception& e) {
        bad_metadata(where, e.what());
    } catch (const JobError& e) {
        bad_metadata(where, e.what());  // a legend colour that is not #rrggbb
    }
    return info;
}

std::string tilejson(const TilesetInfo& info, const std::string& tiles_url) {
    const auto& b = info.bounds;
    Json j;
    j["tilejson"] = "3.0.0";
    j["name"] = info.name;
    j["description"] = info.description;
    j["attribution"] = info.attribution;
    j["scheme"] = "xyz";
    j["tiles"] = {info.base_url + tiles_url};
    j["format"] = info.format;  // not in 3.0.0 (unknown keys are allowed), read by tile servers
    j["minzoom"] = info.min_zoom;
    j["maxzoom"] = info.max_zoom;
    j["bounds"] = bounds_of(info);
    double center_x = (b.min.x + b.max.x) / 2;
    if (b.min.x > b.max.x) {  // across 180°: the middle of 170..-130 is -160
        center_x = (b.min.x + b.max.x + 360.0) / 2;
        center_x = center_x > 180.0 ? center_x - 360.0 : center_x;
    }
    j["center"] = {center_x, (b.min.y + b.max.y) / 2, (info.min_zoom + info.max_zoom) / 2};
    // 3.0.0's `legend` is a string (text or HTML): the legend in words; the same as data beside it.
    std::string text = info.legend_title;
    for (const auto& item : info.legend) {
        text += (text.empty() ? "" : "\n") + item.label + " (" + styles::to_hex(item.color) + ")";
    }
    j["legend"] = text;
    j["choro_legend"] = legend_of(info);
    // Required by 3.0.0 for vector tiles; empty for raster.
    j["vector_layers"] = info.format == "pbf" ? vector_layers(info) : Json::array();
    return dump(j, 2) + "\n";
}

namespace {

// The preview's settings for the page script: tiles, zooms, bounds, first view, title and legend,
// as JSON that is safe inside a <script>.
std::string preview_config(const TilesetInfo& info, const std::string& tiles_url) {
    Json cfg;
    cfg["url"] = tiles_url;
    cfg["minzoom"] = info.min_zoom;
    cfg["maxzoom"] = info.max_zoom;
    cfg["bounds"] = bounds_of(info);
    cfg["legend"] = legend_of(info);
    cfg["name"] = info.name;
    // The first view: the data's (across 180° its east edge is past 180), else the tiles' bounds.
    auto view = info.view.empty() ? info.bounds : info.view;
    if (view.min.x > view.max.x) {
        view.max.x += 360.0;
    }
    cfg["view"] = {view.min.x, view.min.y, view.max.x, view.max.y};
    cfg["description"] = info.description;
    cfg["source_note"] = info.attribution;
    // The JSON goes inside a <script>: escape "</" so a label cannot end the element.
    std::string config = dump(cfg);
    for (std::size_t p = 0; (p = config.find("</", p)) != std::string::npos; p += 3) {
        config.replace(p, 2, "<\\/");
    }
    return config;
}

// The preview page before its settings: the head with its styles, Leaflet, and the script's start.
constexpr std::string_view preview_head = R"(<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>choro tiles preview</title>
<link rel="stylesheet" href="leaflet/leaflet.css">
<style>
  html, body { margin: 0; height: 100%; font: 13px/1.3 "DejaVu Sans", sans-serif; }
  #map { position: absolute; inset: 0; background: #f4f6f8; }
  .legend { background: rgba(255,255,255,0.92); padding: 8px 10px; border-radius: 4px; box-shadow: 0 1px 4px #0004; }
  .legend h4 { margin: 0 0 6px; font-size: 13px; }
  .legend div { display: flex; align-items: center; gap: 6px; margin: 2px 0; }
  .legend i { width: 18px; height: 12px; display: inline-block; border: 1px solid #8888; }
</style>
</head>
<body>
<div id="map"></div>
<script src="leaflet/leaflet.js"></script>
<script>
const cfg = )";

// The page after its settings: the tile layer and first view, the view kept in the URL hash, the
// title box and the legend, all read from `cfg`.
constexpr std::string_view preview_script = R"(;
const b = cfg.bounds;
const v = cfg.view;
const map = L.map('map', { minZoom: cfg.minzoom, maxZoom: cfg.maxzoom + 2 });
const layerOptions = { minZoom: cfg.minzoom, maxNativeZoom: cfg.maxzoom, maxZoom: cfg.maxzoom + 2, tileSize: 256,
                       attribution: cfg.source_note || 'choro' };
if (b[0] <= b[2]) layerOptions.bounds = [[b[1], b[0]], [b[3], b[2]]];  // across 180°: tiles on both sides
L.tileLayer(cfg.url, layerOptions).addTo(map);
// The view in the URL hash (#zoom/lat/lon, as MapLibre writes it), else the data's bounds.
const h = location.hash.slice(1).split('/').map(Number);
if (h.length === 3 && h.every(Number.isFinite)) map.setView([h[1], h[2]], h[0]);
else map.fitBounds([[v[1], v[0]], [v[3], v[2]]]);
map.on('moveend', () => {
  const c = map.getCenter();
  history.replaceState(null, '', '#' + map.getZoom() + '/' + c.lat.toFixed(4) + '/' + c.lng.toFixed(4));
});
const head = L.control({ position: 'topleft' });
head.onAdd = function () {
  const div = L.DomUtil.create('div', 'legend');
  const t = document.createElement('h4');
  t.textContent = cfg.name;
  div.appendChild(t);
  if (cfg.description) { const d = document.createElement('div'); d.textContent = cfg.description; div.appendChild(d); }
  return div;
};
head.addTo(map);
document.title = cfg.name;
const legend = L.control({ position: 'bottomright' });
legend.onAdd = function () {
  const div = L.DomUtil.create('div', 'legend');
  const items = (cfg.legend && cfg.legend.items) || [];
  const title = document.createElement('h4');
  title.textContent = (cfg.legend && cfg.legend.title) || cfg.name;
  div.appendChild(title);
  for (const it of items) {
    const row = document.createElement('div');
    const sw = document.createElement('i');
    if (it.swatch === 'fill') sw.style.background = it.color;
    else sw.style.background = 'repeating-linear-gradient(' + (it.swatch.startsWith('overlay') ? '45deg' : '-45deg') +
                               ', ' + it.color + ' 0 2px, transparent 2px 5px)';
    const label = document.createElement('span');
    label.textContent = it.label;
    row.appendChild(sw);
    row.appendChild(label);
    div.appendChild(row);
  }
  return div;
};
legend.addTo(map);
</script>
</body>
</html>
)";

}  // namespace

std::string preview_html(const TilesetInfo& info, const std::string& tiles_url) {
    std::string page(preview_head);
    page += preview_config(info, tiles_url);
    page += preview_script;
    return page;
}

void write_preview(const std::filesystem::path& dir, const TilesetInfo& info, const std::string& tiles_url) {
    geo::write_file_atomic(dir / "leaflet" / "leaflet.js", detail::leaflet_js());
    geo::write_file_atomic(dir / "leaflet" / "leaflet.css", detail::leaflet_css());
    geo::write_file_atomic(dir / "leaflet" / "LICENSE", detail::leaflet_license());
    geo::write_file_atomic(dir / "tiles.json", tilejson(info, tiles_url));
    geo::write_file_atomic(dir / "index.html", preview_html(info, tiles_url));
}

}  // namespace choro::render
