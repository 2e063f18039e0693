// The editable SVG writer: the same page layout and the same prepared shapes as the Cairo backend,
// written as grouped, named, restylable SVG (text as text, one path per feature).

#include <algorithm>
#include <array>
#include <charconv>
#include <cmath>
#include <set>
#include <string>
#include <vector>

#include "detail/furniture.hpp"
#include "detail/page.hpp"

#include "choro/geo/text.hpp"

namespace choro::render::detail {

namespace {

/// A number with at most `decimals` decimals, trailing zeros dropped; locale-independent.
std::string num(double v, int decimals = 2) {
    if (!std::isfinite(v)) {
        return "0";
    }
    std::array<char, 64> buf{};
    const auto r = std::to_chars(buf.data(), buf.data() + buf.size(), v, std::chars_format::fixed, decimals);
    std::string s(buf.data(), r.ptr);
    if (s.find('.') != std::string::npos) {
        while (s.back() == '0') {
            s.pop_back();
        }
        if (s.back() == '.') {
            s.pop_back();
        }
    }
    if (s == "-0") {
        s = "0";
    }
    return s;
}

/// Shortest text that reads back as the same double (data-value).
std::string exact(double v) {
    std::array<char, 64> buf{};
    const auto r = std::to_chars(buf.data(), buf.data() + buf.size(), v);
    return std::string(buf.data(), r.ptr);
}

std::string hex(const styles::Color& c) {
    static constexpr char digits[] = "0123456789abcdef";
    std::string s = "#";
    for (const int v : {c.r, c.g, c.b}) {
        s += digits[(v >> 4) & 15];
        s += digits[v & 15];
    }
    return s;
}

/// ` fill="#rrggbb"` plus fill-opacity when translucent (also for stroke with `what` = "stroke").
std::string paint(const char* what, const styles::Color& c, double alpha_factor = 1.0) {
    std::string s = std::string(" ") + what + "=\"" + hex(c) + "\"";
    const double a = c.a / 255.0 * alpha_factor;
    if (a < 1.0) {
        s += std::string(" ") + what + "-opacity=\"" + num(a, 3) + "\"";
    }
    return s;
}

/// Path data in page points.
class SvgPathSink final : public PathSink {
public:
    explicit SvgPathSink(std::string& out) : m_out(out) {}
    void move_to(double x, double y) override { point('M', x, y); }
    void line_to(double x, double y) override { point('L', x, y); }
    void close_path() override { m_out += 'Z'; }

private:
    void point(char op, double x, double y) {
        m_out += op;
        m_out += num(x);
        m_out += ' ';
        m_out += num(y);
    }
    std::string& m_out;
};

std::string shape_data(const std::vector<const Shape*>& shapes, double unit) {
    std::string d;
    SvgPathSink sink(d);
    for (const Shape* s : shapes) {
        append_shape(sink, *s, unit);
    }
    return d;
}

/// An XML id from a feature key: letters, digits, '-', '_' and '.' kept, others as '_'.
std::string feature_id(const std::string& key, std::size_t index, std::set<std::string>& used) {
    std::string id = "f-";
    if (key.empty()) {
        id += std::to_string(index);
    } else {
        for (const char c : key) {
            const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' ||
                            c == '_' || c == '.';
            id += ok ? c : '_';
        }
    }
    std::string unique = id;
    for (int n = 2; !used.insert(unique).second; ++n) {
        unique = id + "-" + std::to_string(n);
    }
    return unique;
}

/// A hatch as a pattern anchored at the page origin: the lines x ± y = k · spacing, as hatch_clip().
void hatch_pattern(std::string& out, const char* id, const HatchMark& mark, const styles::Color& color) {
    const double p = mark.spacing / std::sqrt(2.0);
    out += "<pattern id=\"";
    out += id;
    out += "\" patternUnits=\"userSpaceOnUse\" width=\"" + num(p, 4) + "\" height=\"" + num(p, 4) +
           "\" patternTransform=\"rotate(" + (mark.rising ? "45" : "-45") + ") translate(" + num(-p / 2.0, 4) +
           " 0)\"><rect x=\"" + num(p / 2.0 - mark.line_width / 2.0, 4) + "\" y=\"0\" width=\"" +
           num(mark.line_width, 4) + "\" height=\"" + num(p, 4) + "\"" + paint("fill", color, mark.alpha) +
           "/></pattern>\n";
}

/// A text block as one `<text>` per line; `extra` adds attributes (a label's halo).
void text_block(std::string& out, const PlacedText& placed, const std::string& extra = {}) {
    const TextStyle& st = placed.block->style();
    for (const TextLine& line : placed.block->lines()) {
        if (line.text.empty()) {
            continue;
        }
        out += "<text x=\"" + num(placed.x + line.x) + "\" y=\"" + num(placed.y + line.baseline) + "\" font-family=\"" +
               geo::xml_escape(st.font) + "\" font-size=\"" + num(st.size, 3) + "\"";
        if (st.bold) {
            out += " font-weight=\"bold\"";
        }
        out += paint("fill", st.color);
        out += extra;
        out += ">" + geo::xml_escape(line.text) + "</text>\n";
    }
}

void labels(std::string& out, const std::vector<PlacedLabel>& placed) {
    const std::string halo = paint("stroke", label_halo) + " stroke-width=\"" + num(label_halo_width, 3) +
                             "\" stroke-linejoin=\"round\" paint-order=\"stroke\"";
    for (const auto& label : placed) {
        if (!label.block) {
            continue;
        }
        out += "<g class=\"label\" data-key=\"" + geo::xml_escape(label.key) + "\">\n";
        if (label.callout) {
            out += "<path class=\"leader\" d=\"M" + num(label.anchor_x) + " " + num(label.anchor_y) + "L" +
                   num(label.leader_x) + " " + num(label.leader_y) + "\" fill=\"none\"" +
                   paint("stroke", label.block->style().color) + " stroke-width=\"" + num(leader_width, 3) + "\"/>\n";
        }
        text_block(out, PlacedText{label.block, label.x, label.y}, halo);
        out += "</g>\n";
    }
}

std::string rect_attrs(const Rect& r) {
    return " x=\"" + num(r.x) + "\" y=\"" + num(r.y) + "\" width=\"" + num(r.w) + "\" height=\"" + num(r.h) + "\"";
}

constexpr styles::Color swatch_outline{120, 120, 120, 255};

void swatch(std::string& out, const styles::LegendItem& item, const Rect& r, const styles::StyleSettings& style) {
    const bool fill = item.swatch == styles::Swatch::fill;
    out += "<rect" + rect_attrs(r) + paint("fill", fill ? item.color : style.zero);
    if (fill) {
        out += paint("stroke", swatch_outline) + " stroke-width=\"0.4\"";
    }
    out += "/>\n";
    switch (item.swatch) {
        case styles::Swatch::fill:
            break;
        case styles::Swatch::hatch:
        case styles::Swatch::partial_hatch: {
            const bool partial = item.swatch == styles::Swatch::partial_hatch;
            const double w = partial ? partial_outline_width : holdout_outline_width;
            const double alpha = partial ? partial_hatch.alpha : holdout_hatch.alpha;
            out +=
                "<rect" + rect_attrs(r) + " fill=\"url(#" + (partial ? "hatch-partial" : "hatch-holdout") + ")\"/>\n";
            out += "<rect" + rect_attrs(Rect{r.x + w / 2, r.y + w / 2, r.w - w, r.h - w}) + " fill=\"none\"" +
                   paint("stroke", style.highlight, alpha) + " stroke-width=\"" + num(w, 3) + "\"/>\n";
            break;
        }
        case styles::Swatch::overlay_hatch:
        case styles::Swatch::overlay_enacted: {
            const bool enacted = item.swatch == styles::Swatch::overlay_enacted;
            out +=
                "<rect" + rect_attrs(r) + " fill=\"url(#" + (enacted ? "hatch-enacted" : "hatch-state-ban") + ")\"/>\n";
            // The band is the inner half of a line centred on the edge.
            const double b = state_ban_band_width / 2.0;
            out += "<rect" + rect_attrs(Rect{r.x + b / 2, r.y + b / 2, r.w - b, r.h - b}) + " fill=\"none\"" +
                   paint("stroke", style.highlight, enacted ? enacted_ban_band_alpha : state_ban_band_alpha) +
                   " stroke-width=\"" + num(b, 3) + "\"/>\n";
            out += "<rect" + rect_attrs(r) + " fill=\"none\"" + paint("stroke", style.overlay_border) +
                   " stroke-width=\"0.8\"/>\n";
            break;
        }
    }
}

/// Shared borders of one layer as one path.
void border_path(std::string& out, const BorderRuns& runs, const styles::Color& color, double width, double unit) {
    if (runs.runs.empty() || width <= 0.0 || color.a == 0) {
        return;
    }
    std::string d;
    SvgPathSink sink(d);
    append_runs(sink, runs, unit);
    const bool thin = width <= 6.0 * unit;  // as draw_borders()
    out += "<path d=\"" + d + "\" fill=\"none\"" + paint("stroke", color) + " stroke-width=\"" + num(width, 3) +
           "\" stroke-linejoin=\"" + (thin ? "bevel" : "round") + "\" stroke-linecap=\"" + (thin ? "butt" : "round") +
           "\"/>\n";
}

/// An area mark (see draw_area_mark()): the hatch pattern over the shapes, then the outline,
/// clipped to their inside for the bands of state bans.
void area_mark(std::string& out,
               const char* name,
               const std::vector<const Shape*>& shapes,
               const AreaMark& mark,
               const styles::StyleSettings& style,
               double unit) {
    if (shapes.empty()) {
        return;
    }
    const std::string d = shape_data(shapes, unit);
    out += "<g id=\"" + std::string(name) + "\">\n";
    if (mark.outline_inside) {
        out += "<clipPath id=\"clip-" + std::string(name) + "\"><path d=\"" + d +
               "\" clip-rule=\"evenodd\"/></clipPath>\n";
    }
    out += "<path d=\"" + d + "\" fill=\"url(#hatch-" + name + ")\" fill-rule=\"evenodd\"/>\n";
    out += "<path d=\"" + d + "\" fill=\"none\"" + paint("stroke", style.highlight, mark.outline_alpha) +
           " stroke-width=\"" + num(mark.outline_width, 3) + "\" stroke-linejoin=\"round\"";
    if (mark.outline_inside) {
        out += " clip-path=\"url(#clip-" + std::string(name) + ")\"";
    }
    out += "/>\n</g>\n";
}

/// The XML declaration, the svg element with its title and description, the hatch patterns and
/// the map's clip, and the background.
void svg_head(std::string& out,
              const PageLayout& page,
              const pipeline::Scene& scene,
              const styles::StyleSettings& style,
              const std::string& description) {
    const std::string w = num(page.page_w, 3);
    const std::string h = num(page.page_h, 3);
    out += "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";
    out += "<svg xmlns=\"http://www.w3.org/2000/svg\" version=\"1.1\" width=\"" + w + "pt\" height=\"" + h +
           "pt\" viewBox=\"0 0 " + w + " " + h + "\" role=\"img\" aria-labelledby=\"map-title map-desc\">\n";
    out += "<title id=\"map-title\">" + geo::xml_escape(scene.title.empty() ? std::string("Map") : scene.title) +
           "</title>\n";
    out += "<desc id=\"map-desc\">" + geo::xml_escape(description) + "</desc>\n";

    out += "<defs>\n";
    hatch_pattern(out, "hatch-holdout", holdout_hatch, style.highlight);
    hatch_pattern(out, "hatch-partial", partial_hatch, style.highlight);
    hatch_pattern(out, "hatch-state-ban", state_ban_hatch, style.highlight);
    hatch_pattern(out, "hatch-enacted", enacted_ban_hatch, style.highlight);
    if (page.map.clip) {
        out += "<clipPath id=\"map-frame\"><rect" + rect_attrs(page.map.frame) + "/></clipPath>\n";
    }
    out += "</defs>\n";
    out +=
        "<rect id=\"background\" width=\"" + w + "\" height=\"" + h + "\"" + paint("fill", style.background) + "/>\n";
}

/// What lies under the features: water, graticule and the muted neighbours of a batch map.
void under_layers(std::string& out,
                  const pipeline::Scene& scene,
                  const styles::StyleSettings& style,
                  const PageTransform& t,
                  const geo::Box<geo::Projected>& visible) {
    if (scene.water && !scene.sphere.empty()) {
        std::string d;
        SvgPathSink sink(d);
        sphere_path(sink, scene, t);
        out += "<path id=\"water\" d=\"" + d + "\"" + paint("fill", *scene.water) + " fill-rule=\"evenodd\"/>\n";
    }
    if (!scene.graticule.empty()) {
        std::string d;
        SvgPathSink sink(d);
        graticule_path(sink, scene, t);
        out += "<path id=\"graticule\" d=\"" + d + "\" fill=\"none\"" + paint("stroke", graticule_grey) +
               " stroke-width=\"" + num(graticule_width, 3) + "\" stroke-linejoin=\"round\"/>\n";
    }
    if (scene.context.empty()) {
        return;
    }
    // Neighbours (a batch map's other groups), muted, as the Cairo backend draws them.
    const std::vector<Shape> shapes = prepare_nonempty_shapes(scene.context, t, visible);
    std::vector<const Shape*> all;
    all.reserve(shapes.size());
    std::string d;
    SvgPathSink sink(d);
    for (const auto& shape : shapes) {
        all.push_back(&shape);
        append_shape(sink, shape, t.unit);
    }
    out += "<g id=\"context\">\n<path d=\"" + d + "\"" + paint("fill", context_grey) + " fill-rule=\"evenodd\"/>\n";
    border_path(out, border_runs(all), style.background, style.border_width, t.unit);
    out += "</g>\n";
}

/// The `fills` group: one path per feature, also for those too small to show (empty data), so
/// every key is there, with its key, value and name.
void feature_fills(std::string& out,
                   const pipeline::Scene& scene,
                   const styles::StyleSettings& style,
                   const PreparedLayers& p,
                   double unit) {
    std::vector<const Shape*> by_feature(scene.features.size(), nullptr);
    for (std::size_t k = 0; k < p.features.size(); ++k) {
        by_feature[p.feature_index[k]] = &p.features[k];
    }
    out += "<g id=\"fills\" stroke=\"none\" fill-rule=\"evenodd\">\n";
    std::set<std::string> used;
    for (std::size_t i = 0; i < scene.features.size(); ++i) {
        const pipeline::FeatureInfo* info = i < scene.info.size() ? &scene.info[i] : nullptr;
        const std::string key = info ? info->key : std::string();
        out += "<path id=\"" + geo::xml_escape(feature_id(key, i, used)) + "\"";
        if (info) {
            out += " data-key=\"" + geo::xml_escape(info->key) + "\"";
            if (info->value) {
                out += " data-value=\"" + exact(*info->value) + "\"";
            }
            if (!info->name.empty()) {
                out += " data-name=\"" + geo::xml_escape(info->name) + "\"";
            }
        }
        std::string d;
        if (by_feature[i]) {
            SvgPathSink sink(d);
            append_shape(sink, *by_feature[i], unit);
        }
        out += " d=\"" + d + "\"" + paint("fill", i < scene.fills.size() ? scene.fills[i] : style.no_data) + "/>\n";
    }
    out += "</g>\n";
}

/// The globe's outline and the frames of the insets, over the data.
void over_layers(std::string& out, const pipeline::Scene& scene, const PageTransform& t) {
    if (!scene.sphere.empty()) {
        std::string d;
        SvgPathSink sink(d);
        sphere_path(sink, scene, t);
        out += "<path id=\"sphere\" d=\"" + d + "\" fill=\"none\"" + paint("stroke", outline_grey) +
               " stroke-width=\"" + num(outline_width, 3) + "\" stroke-linejoin=\"round\"/>\n";
    }
    std::string insets;
    for (const auto& inset : scene.insets) {
        if (inset.frame.empty()) {
            continue;
        }
        const double x0 = t.page_x(inset.frame.min.x);
        const double y0 = t.page_y(inset.frame.max.y);
        insets += "<rect" +
                  rect_attrs(Rect{x0, y0, t.page_x(inset.frame.max.x) - x0, t.page_y(inset.frame.min.y) - y0}) + "/>\n";
    }
    if (!insets.empty()) {
        out += "<g id=\"insets\" fill=\"none\"" + paint("stroke", inset_grey) + " stroke-width=\"" +
               num(inset_line_width, 3) + "\">\n" + insets + "</g>\n";
    }
}

/// The `map` group: everything inside the map frame, bottom to top.
void map_group(std::string& out,
               const MapFrame& map,
               const pipeline::Scene& scene,
               const styles::StyleSettings& style) {
    out += "<g id=\"map\"";
    if (map.clip) {
        out += " clip-path=\"url(#map-frame)\"";
    }
    out += ">\n";
    if (!map.empty) {
        const PageTransform& t = map.t;
        under_layers(out, scene, style, t, map.visible);
        const GeometryLayers layers{&scene.features, &scene.overlay, nullptr, nullptr};
        const PreparedLayers p = prepare_layers(scene, layers, t, map.visible, style);
        feature_fills(out, scene, style, p, t.unit);
        out += "<g id=\"borders\">\n";
        border_path(out, p.borders, style.border, style.border_width, t.unit);
        out += "</g>\n";
        out += "<g id=\"highlights\">\n";
        area_mark(out, "holdout", p.highlighted, holdout_mark, style, t.unit);
        area_mark(out, "partial", p.partial, partial_mark, style, t.unit);
        area_mark(out, "state-ban", p.overlay_highlighted, state_ban_mark, style, t.unit);
        area_mark(out, "enacted", p.overlay_enacted, enacted_ban_mark, style, t.unit);
        out += "</g>\n";
        out += "<g id=\"overlay\">\n";
        border_path(out, p.overlay_borders, style.overlay_border, style.overlay_border_width, t.unit);
        out += "</g>\n";
        over_layers(out, scene, t);
    }
    out += "</g>\n";
}

/// The `legend` group: title, swatches, labels and the histogram's bars and counts.
void legend_group(std::string& out, const LegendLayout& legend, const styles::StyleSettings& style) {
    out += "<g id=\"legend\">\n";
    if (legend.title) {
        text_block(out, *legend.title);
    }
    for (std::size_t i = 0; i < legend.items.size(); ++i) {
        swatch(out, legend.items[i], legend.swatches[i], style);
        text_block(out, legend.labels[i]);
        if (i < legend.bars.size() && legend.bars[i].w > 0.0) {
            out += "<rect class=\"bar\"" + rect_attrs(legend.bars[i]) + paint("fill", legend.items[i].color) +
                   paint("stroke", swatch_outline) + " stroke-width=\"0.3\"/>\n";
        }
        if (i < legend.counts.size() && legend.counts[i].block) {
            text_block(out, legend.counts[i]);
        }
    }
    out += "</g>\n";
}

}  // namespace

std::string write_svg(const PageLayout& page,
                      const pipeline::Scene& scene,
                      const styles::StyleSettings& style,
                      const std::string& description) {
    std::string out;
    svg_head(out, page, scene, style, description);
    map_group(out, page.map, scene, style);
    out += "<g id=\"labels\">\n";
    labels(out, page.labels);
    out += "</g>\n";
    legend_group(out, page.legend, style);
    out += "<g id=\"title\">\n";
    for (const auto& p : page.title) {
        text_block(out, p);
    }
    out += "</g>\n";
    out += "<g id=\"notes\">\n";
    for (const auto& p : page.notes) {
        text_block(out, p);
    }
    out += "</g>\n";
    out += "</svg>\n";
    return out;
}

}  // namespace choro::render::detail
