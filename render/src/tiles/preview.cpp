// TileJSON 3.0.0, the metadata JSON shared by MBTiles and PMTiles, and the offline preview page.

#include <filesystem>
#include <string>

#include "tiles/tiles_internal.hpp"
#include <nlohmann/json.hpp>

#include "choro/geo/atomic_file.hpp"
#include "choro/geo/error.hpp"

namespace choro::render {

namespace {

nlohmann::json legend_of(const TilesetInfo& info) {
    if (info.legend_json.empty()) {
        return nlohmann::json::object();
    }
    auto j = nlohmann::json::parse(info.legend_json, nullptr, false);
    return j.is_discarded() ? nlohmann::json::object() : j;
}

nlohmann::json bounds_of(const TilesetInfo& info) {
    const auto& b = info.bounds;
    return {b.min.x, b.min.y, b.max.x, b.max.y};
}

}  // namespace

std::string detail::metadata_json(const TilesetInfo& info) {
    nlohmann::json j;
    j["name"] = info.name;
    j["description"] = info.description;
    j["attribution"] = info.attribution;
    j["type"] = "overlay";
    j["format"] = "png";
    j["minzoom"] = info.min_zoom;
    j["maxzoom"] = info.max_zoom;
    j["bounds"] = bounds_of(info);
    j["scale"] = info.scale;
    j["legend"] = legend_of(info);
    return j.dump();
}

std::string tilejson(const TilesetInfo& info, const std::string& tiles_url) {
    const auto& b = info.bounds;
    nlohmann::json j;
    j["tilejson"] = "3.0.0";
    j["name"] = info.name;
    j["description"] = info.description;
    j["attribution"] = info.attribution;
    j["scheme"] = "xyz";
    j["tiles"] = {tiles_url};
    j["minzoom"] = info.min_zoom;
    j["maxzoom"] = info.max_zoom;
    j["bounds"] = bounds_of(info);
    j["center"] = {(b.min.x + b.max.x) / 2, (b.min.y + b.max.y) / 2, (info.min_zoom + info.max_zoom) / 2};
    j["legend"] = legend_of(info);
    j["vector_layers"] = nlohmann::json::array();  // required by 3.0.0 only for vector tiles; empty for raster
    return j.dump(2) + "\n";
}

std::string preview_html(const TilesetInfo& info, const std::string& tiles_url) {
    nlohmann::json cfg;
    cfg["url"] = tiles_url;
    cfg["minzoom"] = info.min_zoom;
    cfg["maxzoom"] = info.max_zoom;
    cfg["bounds"] = bounds_of(info);
    cfg["legend"] = legend_of(info);
    cfg["name"] = info.name;
    // The JSON goes inside a <script>: escape "</" so a label cannot end the element.
    std::string config = cfg.dump();
    for (std::size_t p = 0; (p = config.find("</", p)) != std::string::npos; p += 3) {
        config.replace(p, 2, "<\\/");
    }
    return R"(<!DOCTYPE html>
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
const cfg = )" +
           config +
           R"(;
const b = cfg.bounds;
const map = L.map('map', { minZoom: cfg.minzoom, maxZoom: cfg.maxzoom + 2 });
L.tileLayer(cfg.url, { minZoom: cfg.minzoom, maxNativeZoom: cfg.maxzoom, maxZoom: cfg.maxzoom + 2,
                       tileSize: 256, bounds: [[b[1], b[0]], [b[3], b[2]]], attribution: 'choro' }).addTo(map);
map.fitBounds([[b[1], b[0]], [b[3], b[2]]]);
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
    else sw.style.background = 'repeating-linear-gradient(' + (it.swatch === 'hatch' ? '45deg' : '-45deg') +
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
}

void write_preview(const std::filesystem::path& dir,
                   const TilesetInfo& info,
                   const std::string& tiles_url,
                   const std::filesystem::path& leaflet_dist) {
    for (const char* f : {"leaflet.js", "leaflet.css"}) {
        if (!std::filesystem::exists(leaflet_dist / f)) {
            throw InputError((leaflet_dist / f).string(),
                             "Leaflet is missing: expected an npm leaflet/dist folder (npm ci --prefix tests/js)");
        }
    }
    std::filesystem::create_directories(dir / "leaflet");
    for (const char* f : {"leaflet.js", "leaflet.css"}) {
        std::error_code ec;
        std::filesystem::copy_file(
            leaflet_dist / f, dir / "leaflet" / f, std::filesystem::copy_options::overwrite_existing, ec);
        if (ec) {
            throw RenderError((dir / "leaflet" / f).string(), "cannot copy Leaflet: " + ec.message());
        }
    }
    geo::write_file_atomic(dir / "tiles.json", tilejson(info, tiles_url));
    geo::write_file_atomic(dir / "index.html", preview_html(info, tiles_url));
}

}  // namespace choro::render
