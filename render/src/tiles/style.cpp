// The MapLibre style of a tile set and the sprite of its hatch patterns: the print map's colours
// and marks (detail/cairo_map.hpp) in MapLibre's words.

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "detail/cairo.hpp"
#include "detail/cairo_map.hpp"
#include "tiles/tiles_internal.hpp"
#include "tiles/web_internal.hpp"
#include <nlohmann/json.hpp>

#include "choro/geo/error.hpp"
#include "choro/render/image.hpp"
#include "choro/render/web_map.hpp"
#include "choro/styles/palette.hpp"

namespace choro::render {

namespace {

using Json = nlohmann::json;

std::string rgba(const styles::Color& c, double alpha_factor = 1.0) {
    const double a = std::round(static_cast<double>(c.a) / 255.0 * alpha_factor * 1000.0) / 1000.0;
    if (a >= 1.0) {
        return styles::to_hex(c);
    }
    char buf[64];
    std::snprintf(buf, sizeof buf, "rgba(%d,%d,%d,%g)", c.r, c.g, c.b, a);
    return buf;
}

// A width in points on the print map → CSS pixels, thinner at low zooms as on raster tiles
// (tile_line_scale: MapLibre's zoom z draws 512 px tiles, the raster tiles' zoom z + 1).
Json line_width(double points) {
    const double px = points * detail::tile_px_per_point;
    return Json::array({"interpolate",
                        Json::array({"linear"}),
                        Json::array({"zoom"}),
                        1,
                        px * detail::tile_line_scale(2),
                        5,
                        px * detail::tile_line_scale(6)});
}

Json get(const char* property) {
    return Json::array({"get", property});
}

Json equals(const char* property, const char* value) {
    return Json::array({"==", get(property), value});
}

// The smallest and largest value of each class present in the scene.
struct ClassRange {
    double lo = 0.0;
    double hi = 0.0;
    styles::Color color;
};

}  // namespace

double detail::shortest_decimal_between(double lo, double hi) {
    if (!(lo < hi)) {
        return hi;
    }
    const double mag = std::max(std::abs(lo), std::abs(hi));
    const int top = mag > 0 ? static_cast<int>(std::floor(std::log10(mag))) + 1 : 0;
    for (int p = top; p >= -17; --p) {
        double c = 0.0;
        if (p >= 0) {
            const double step = std::pow(10.0, p);
            c = (std::floor(lo / step) + 1.0) * step;
        } else {
            const double m = std::pow(10.0, -p);
            c = (std::floor(lo * m) + 1.0) / m;
        }
        if (c > lo && c <= hi) {
            return c == 0.0 ? 0.0 : c;  // no "-0"
        }
    }
    return hi;
}

Json detail::fill_color_expression(const pipeline::Scene& scene, const styles::StyleSettings& style) {
    std::map<styles::ClassId, ClassRange> classes;
    bool zero = false;
    const std::size_t n = std::min(scene.info.size(), scene.fills.size());
    for (std::size_t i = 0; i < n; ++i) {
        const auto& info = scene.info[i];
        if (info.cls == styles::zero_class) {
            zero = true;
            continue;
        }
        if (info.cls < 0 || !info.value || !std::isfinite(*info.value)) {
            continue;
        }
        const double v = *info.value;
        auto [it, fresh] = classes.try_emplace(info.cls, ClassRange{v, v, scene.fills[i]});
        if (!fresh) {
            it->second.lo = std::min(it->second.lo, v);
            it->second.hi = std::max(it->second.hi, v);
        }
    }
    // value >= threshold_k selects class k: the thresholds lie between the largest value of one
    // class and the smallest of the next, so every feature of the scene gets its own colour.
    Json step = Json::array({"step", get("value")});
    bool first = true;
    double prev_hi = 0.0;
    for (const auto& [id, range] : classes) {
        if (!first) {
            step.push_back(shortest_decimal_between(prev_hi, range.lo));
        }
        step.push_back(styles::to_hex(range.color));
        prev_hi = range.hi;
        first = false;
    }
    Json by_value = classes.empty() ? Json(styles::to_hex(style.no_data)) : step;
    Json expr = Json::array({"case", Json::array({"!", Json::array({"has", "value"})}), styles::to_hex(style.no_data)});
    if (zero) {
        expr.push_back(Json::array({"==", Json::array({"to-number", get("value")}), 0}));
        expr.push_back(styles::to_hex(style.zero));
    }
    expr.push_back(Json::array({"!=", Json::array({"typeof", get("value")}), "number"}));
    expr.push_back(styles::to_hex(style.no_data));
    expr.push_back(std::move(by_value));
    return expr;
}

namespace {

// The one source, "choro": the tiles' URL (a PMTiles archive, else an XYZ template), zooms, bounds.
Json tile_source(const TilesetInfo& info, const WebMapSource& source) {
    Json src;
    src["type"] = source.kind == TileKind::vector ? "vector" : "raster";
    if (source.url.rfind("pmtiles://", 0) == 0) {
        src["url"] = source.url;
    } else {
        src["tiles"] = Json::array({source.url});
        src["scheme"] = "xyz";
    }
    src["minzoom"] = info.min_zoom;
    src["maxzoom"] = info.max_zoom;
    // Across 180° (west > east) MapLibre would load no tile at all (it clamps east to 180): no bounds.
    if (info.bounds.min.x <= info.bounds.max.x) {
        src["bounds"] = Json::array({info.bounds.min.x, info.bounds.min.y, info.bounds.max.x, info.bounds.max.y});
    }
    if (!info.attribution.empty()) {
        src["attribution"] = info.attribution;
    }
    if (source.kind == TileKind::raster) {
        src["tileSize"] = 256 * info.scale;
    }
    return src;
}

// A layer of the vector source.
Json layer(const char* id, const char* type, const char* source_layer) {
    return Json{{"id", id}, {"type", type}, {"source", "choro"}, {"source-layer", source_layer}};
}

// A hatch mark of the print map (detail/cairo_map.hpp): its sprite pattern and its `mark` value.
struct MarkLayer {
    const char* pattern;
    const char* value;
    const detail::AreaMark* mark;
};

// Holdouts (whole and partial) on the features: the hatch, and an outline around it.
void add_holdout_layers(Json& layers, const styles::StyleSettings& style) {
    const MarkLayer holdouts[] = {{"holdout", "hatch", &detail::holdout_mark},
                                  {"partial", "partial_hatch", &detail::partial_mark}};
    for (const auto& h : holdouts) {
        Json hatch = layer("", "fill", "features");
        hatch["id"] = std::string(h.pattern) + "-hatch";
        hatch["filter"] = equals("mark", h.value);
        hatch["paint"] = {{"fill-pattern", h.pattern}};
        layers.push_back(std::move(hatch));
        Json outline = layer("", "line", "features");
        outline["id"] = std::string(h.pattern) + "-outline";
        outline["filter"] = equals("mark", h.value);
        outline["paint"] = {{"line-color", rgba(style.highlight, h.mark->outline_alpha)},
                            {"line-width", line_width(h.mark->outline_width)}};
        layers.push_back(std::move(outline));
    }
}

// State bans (in force and enacted) on the overlay: the hatch, and a band inside the border.
void add_ban_layers(Json& layers, const styles::StyleSettings& style) {
    const MarkLayer bans[] = {{"state-ban", "overlay_hatch", &detail::state_ban_mark},
                              {"enacted-ban", "overlay_enacted", &detail::enacted_ban_mark}};
    for (const auto& b : bans) {
        Json hatch = layer("", "fill", "overlay");
        hatch["id"] = std::string(b.pattern) + "-hatch";
        hatch["filter"] = equals("mark", b.value);
        hatch["paint"] = {{"fill-pattern", b.pattern}};
        layers.push_back(std::move(hatch));
        // The band lies inside the border, as on the print map: a line as wide as the band,
        // offset by half its width to the right of the ring (inside: MVT exterior rings run
        // clockwise on screen).
        const double px = b.mark->outline_width * detail::tile_px_per_point;
        Json band = layer("", "line", "overlay");
        band["id"] = std::string(b.pattern) + "-band";
        band["filter"] = equals("mark", b.value);
        band["paint"] = {{"line-color", rgba(style.highlight, b.mark->outline_alpha)},
                         {"line-width", line_width(b.mark->outline_width)},
                         {"line-offset",
                          Json::array({"interpolate",
                                       Json::array({"linear"}),
                                       Json::array({"zoom"}),
                                       1,
                                       px * detail::tile_line_scale(2) / 2,
                                       5,
                                       px * detail::tile_line_scale(6) / 2})}};
        layers.push_back(std::move(band));
    }
}

// Fills, county borders, holdout marks, state-ban marks, state borders: the print map's order
// (draw_geometry_layers), drawn by MapLibre from the vector tiles.
void add_vector_layers(Json& layers, const pipeline::Scene& scene, const styles::StyleSettings& style) {
    Json fill = layer("features-fill", "fill", "features");
    fill["paint"] = {{"fill-color", detail::fill_color_expression(scene, style)}, {"fill-antialias", false}};
    layers.push_back(std::move(fill));
    Json borders = layer("features-border", "line", "features");
    borders["paint"] = {{"line-color", rgba(style.border)}, {"line-width", line_width(style.border_width)}};
    layers.push_back(std::move(borders));
    add_holdout_layers(layers, style);
    add_ban_layers(layers, style);
    Json overlay = layer("overlay-border", "line", "overlay");
    overlay["paint"] = {{"line-color", rgba(style.overlay_border)},
                        {"line-width", line_width(style.overlay_border_width)}};
    layers.push_back(std::move(overlay));
}

// The style's `metadata`: title, description, source note and the legend as data.
Json style_metadata(const TilesetInfo& info) {
    Json legend = Json::array();
    for (const auto& item : info.legend) {
        legend.push_back({{"label", item.label},
                          {"color", styles::to_hex(item.color)},
                          {"swatch", styles::swatch_name(item.swatch)},
                          {"count", item.count}});
    }
    return {{"choro:title", info.name},
            {"choro:description", info.description},
            {"choro:source_note", info.attribution},
            {"choro:legend", {{"title", info.legend_title}, {"items", std::move(legend)}}}};
}

}  // namespace

std::string maplibre_style(const pipeline::Scene& scene,
                           const styles::StyleSettings& style,
                           const TilesetInfo& info,
                           const WebMapSource& source,
                           const std::string& sprite_url) {
    Json layers = Json::array();
    layers.push_back({{"id", "background"}, {"type", "background"}, {"paint", {{"background-color", "#f4f6f8"}}}});
    if (source.kind == TileKind::raster) {
        layers.push_back({{"id", "tiles"}, {"type", "raster"}, {"source", "choro"}});
    } else {
        add_vector_layers(layers, scene, style);
    }
    Json j;
    j["version"] = 8;
    j["name"] = info.name;
    j["metadata"] = style_metadata(info);
    if (source.kind == TileKind::vector) {
        j["sprite"] = sprite_url;
    }
    j["sources"] = {{"choro", tile_source(info, source)}};
    j["layers"] = std::move(layers);
    return j.dump(2, ' ', false, Json::error_handler_t::replace) + "\n";
}

SpriteSheet hatch_sprite(const styles::StyleSettings& style, int pixel_ratio) {
    if (pixel_ratio != 1 && pixel_ratio != 2) {
        throw LimitError("sprite pixel ratio " + std::to_string(pixel_ratio) + " is not 1 or 2");
    }
    const struct {
        const char* name;
        const detail::HatchMark* hatch;
    } patterns[] = {{"holdout", &detail::holdout_hatch},
                    {"partial", &detail::partial_hatch},
                    {"state-ban", &detail::state_ban_hatch},
                    {"enacted-ban", &detail::enacted_ban_hatch}};
    const double px_per_pt = detail::tile_px_per_point * pixel_ratio;
    // Each pattern: the fewest whole hatch periods that make a whole number of pixels (2.4 pt at
    // 4/3 px per point is 3.2 px: five periods make 16 px).
    struct Placed {
        const char* name;
        const detail::HatchMark* hatch;
        int side;
        int x;
    };
    std::vector<Placed> placed;
    int width = 0;
    int height = 0;
    for (const auto& p : patterns) {
        const double period = p.hatch->spacing * px_per_pt;
        int side = 0;
        for (int k = 1; k <= 32 && side == 0; ++k) {
            if (std::abs(period * k - std::round(period * k)) < 1e-6) {
                side = static_cast<int>(std::round(period * k));
            }
        }
        if (side == 0) {
            side = static_cast<int>(std::round(period * 8));  // no exact fit: nearly seamless
        }
        placed.push_back({p.name, p.hatch, side, width});
        width += side + 2;  // a transparent gap, so sampling never bleeds into a neighbour
        height = std::max(height, side);
    }
    detail::CairoSurfacePtr surface(cairo_image_surface_create(CAIRO_FORMAT_ARGB32, width, height));
    detail::check_surface(surface.get(), "sprite", "creating the sprite");
    detail::CairoPtr cr(cairo_create(surface.get()));
    detail::check_context(cr.get(), "sprite", "creating the sprite");
    Json index = Json::object();
    for (const auto& p : placed) {
        // Drawn three times as wide and cut from the middle: hatch lines end square at the clip's
        // edge, which would leave notches along the pattern's border.
        const int big = 3 * p.side;
        detail::CairoSurfacePtr cell(cairo_image_surface_create(CAIRO_FORMAT_ARGB32, big, big));
        detail::check_surface(cell.get(), "sprite", "creating the sprite");
        detail::CairoPtr cc(cairo_create(cell.get()));
        cairo_scale(cc.get(), px_per_pt, px_per_pt);
        detail::set_color(cc.get(), style.highlight, p.hatch->alpha);
        detail::hatch_clip(cc.get(), *p.hatch, {});
        detail::check_context(cc.get(), "sprite", "drawing the sprite");
        cairo_surface_flush(cell.get());
        cairo_set_source_surface(cr.get(), cell.get(), p.x - p.side, -p.side);
        cairo_rectangle(cr.get(), p.x, 0, p.side, p.side);
        cairo_fill(cr.get());
        index[p.name] = {{"x", p.x}, {"y", 0}, {"width", p.side}, {"height", p.side}, {"pixelRatio", pixel_ratio}};
    }
    detail::check_context(cr.get(), "sprite", "drawing the sprite");
    return {encode_png(detail::to_image(surface.get())), index.dump(2) + "\n"};
}

}  // namespace choro::render
