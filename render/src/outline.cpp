// Borders: every edge stroked once, however many polygons share it.
//
// Stroking each feature's outline draws every inner border twice (once per neighbour): twice the
// work, and antialiased lines darken where they overlap. Edges are keyed by their snapped end
// points, so a border shared by two counties (walked in opposite directions) is found once.

#include <cstdint>
#include <memory>
#include <utility>
#include <vector>

#include "detail/cairo_map.hpp"

namespace choro::render::detail {

namespace {

std::uint64_t pack(const GridPoint& p) noexcept {
    return (static_cast<std::uint64_t>(static_cast<std::uint32_t>(p.x)) << 32) | static_cast<std::uint32_t>(p.y);
}

/// An insert-only hash set of undirected edges (open addressing, linear probing). Only the byte
/// per slot saying it is used is cleared up front; the edges are written as they come (the
/// national county map's table is 32 MB, and clearing it all took longer than filling it).
class EdgeSet {
public:
    explicit EdgeSet(std::size_t expected) {
        std::size_t capacity = 16;
        while (capacity < expected * 2) {
            capacity *= 2;
        }
        m_edges = std::make_unique_for_overwrite<Edge[]>(capacity);
        m_used.assign(capacity, 0);
        m_mask = capacity - 1;
    }

    /// True when the edge was not there yet.
    bool insert(const GridPoint& p, const GridPoint& q) {
        std::uint64_t a = pack(p);
        std::uint64_t b = pack(q);
        if (b < a) {
            std::swap(a, b);
        }
        std::uint64_t h = (a * 0x9E3779B97F4A7C15ull) ^ (b + 0x632BE59BD9B4E019ull + (a << 6) + (a >> 2));
        h ^= h >> 29;
        h *= 0xBF58476D1CE4E5B9ull;
        h ^= h >> 32;
        for (std::size_t slot = static_cast<std::size_t>(h) & m_mask;; slot = (slot + 1) & m_mask) {
            Edge& e = m_edges[slot];
            if (!m_used[slot]) {
                m_used[slot] = 1;
                e = {a, b};
                return true;
            }
            if (e.a == a && e.b == b) {
                return false;
            }
        }
    }

private:
    struct Edge {
        std::uint64_t a;
        std::uint64_t b;
    };
    std::unique_ptr<Edge[]> m_edges;  // NOLINT(cppcoreguidelines-avoid-c-arrays): uninitialised on purpose
    std::vector<std::uint8_t> m_used;
    std::size_t m_mask = 0;
};

/// Adds every edge of `shapes` once to `sink`, consecutive new edges chained into one sub-path.
/// Returns the number of unique edges.
std::size_t append_unique_edges(PathSink& sink, const std::vector<const Shape*>& shapes, double unit) {
    std::size_t total = 0;
    for (const Shape* shape : shapes) {
        total += shape->points.size();
    }
    EdgeSet seen(total);
    std::size_t unique = 0;
    for (const Shape* shape : shapes) {
        const auto& pts = shape->points;
        std::uint32_t begin = 0;
        for (const std::uint32_t end : shape->ring_ends) {
            bool open = false;  // a sub-path is in progress
            bool whole = true;  // every edge of the ring so far was new
            for (std::uint32_t i = begin; i < end; ++i) {
                const GridPoint& p = pts[i];
                const GridPoint& q = pts[i + 1 < end ? i + 1 : begin];
                if (seen.insert(p, q)) {
                    ++unique;
                    if (!open) {
                        sink.move_to(p.x * unit, p.y * unit);
                        open = true;
                    }
                    if (i + 1 == end && whole) {
                        sink.close_path();  // a whole new ring: close it so its joins are complete
                    } else {
                        sink.line_to(q.x * unit, q.y * unit);
                    }
                } else {
                    open = false;
                    whole = false;
                }
            }
            begin = end;
        }
    }
    return unique;
}

/// Records append_unique_edges()'s path as runs (called with unit 1, so coordinates are grid points).
class RunRecorder final : public PathSink {
public:
    explicit RunRecorder(BorderRuns& out) : m_out(out) {}
    void move_to(double x, double y) override {
        m_out.runs.push_back(BorderRuns::Run{static_cast<std::uint32_t>(m_out.points.size()), 0, false, {}});
        add(x, y);
    }
    void line_to(double x, double y) override { add(x, y); }
    void close_path() override { m_out.runs.back().closed = true; }

private:
    void add(double x, double y) {
        const GridPoint p{static_cast<std::int32_t>(x), static_cast<std::int32_t>(y)};
        m_out.points.push_back(p);
        BorderRuns::Run& run = m_out.runs.back();
        run.end = static_cast<std::uint32_t>(m_out.points.size());
        run.box.extend(p);
    }

    BorderRuns& m_out;
};

}  // namespace

BorderRuns border_runs(const std::vector<const Shape*>& shapes) {
    BorderRuns out;
    RunRecorder recorder(out);
    append_unique_edges(recorder, shapes, 1.0);
    return out;
}

void append_runs(PathSink& sink, const BorderRuns& runs, double unit, const GridBox* view) {
    for (const auto& run : runs.runs) {
        if (view != nullptr && !run.box.meets(*view)) {
            continue;
        }
        sink.move_to(runs.points[run.begin].x * unit, runs.points[run.begin].y * unit);
        for (std::uint32_t i = run.begin + 1; i < run.end; ++i) {
            sink.line_to(runs.points[i].x * unit, runs.points[i].y * unit);
        }
        if (run.closed) {
            sink.close_path();
        }
    }
}

void draw_borders(cairo_t* cr, const BorderRuns& runs, const styles::Color& color, double width, double unit) {
    if (runs.runs.empty() || width <= 0.0 || color.a == 0) {
        return;
    }
    SavedState saved(cr);
    cairo_new_path(cr);
    // Joins and caps reach half the width from the line; a pixel more for antialiasing.
    const GridBox view = clip_view(cr, unit, width + 4.0 * unit);
    CairoPathSink sink(cr);
    append_runs(sink, runs, unit, &view);
    set_color(cr, color);
    cairo_set_line_width(cr, width);
    // Thin lines (up to 1.5 device pixels; `unit` is a quarter pixel) get bevel joins and butt caps:
    // they look the same as round ones at that size and stroke about a quarter faster (national
    // county map: 90 ms against 125 ms). Heavier lines keep round ends so that runs broken where an
    // edge was already drawn join without notches.
    const bool thin = width <= 6.0 * unit;
    cairo_set_line_join(cr, thin ? CAIRO_LINE_JOIN_BEVEL : CAIRO_LINE_JOIN_ROUND);
    cairo_set_line_cap(cr, thin ? CAIRO_LINE_CAP_BUTT : CAIRO_LINE_CAP_ROUND);
    if (thin) {
        // Thin lines with Cairo's 4x4-sample scan converter instead of its exact-area one: 16
        // levels of coverage are not told apart on a line 1.5 pixels wide, and the national county
        // map's borders take a third less time (perf: 30% -> 20% of the run). Heavier lines,
        // where steps would show, keep the default.
        cairo_set_antialias(cr, CAIRO_ANTIALIAS_FAST);
    }
    cairo_stroke(cr);
}

}  // namespace choro::render::detail
