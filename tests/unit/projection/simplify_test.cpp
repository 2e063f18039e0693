#include "choro/geo/simplify.hpp"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>
#include <numbers>

#include <gtest/gtest.h>

#include "choro/geo/geometry.hpp"

namespace {

using choro::geo::MultiPolygon;
using choro::geo::Pixel;
using choro::geo::Polygon;
using choro::geo::Projected;
using choro::geo::Ring;
using choro::geo::simplify;

/// Distance from p to the closed polyline through `ring` (independent of the library's own code).
double distance_to_ring(const Projected& p, const Ring<Projected>& ring) {
    double best = std::numeric_limits<double>::infinity();
    for (std::size_t i = 0; i + 1 < ring.size(); ++i) {
        const Projected& a = ring[i];
        const Projected& b = ring[i + 1];
        const double vx = b.x - a.x;
        const double vy = b.y - a.y;
        const double len2 = vx * vx + vy * vy;
        const double t = len2 == 0.0 ? 0.0 : std::clamp(((p.x - a.x) * vx + (p.y - a.y) * vy) / len2, 0.0, 1.0);
        best = std::min(best, std::hypot(a.x + t * vx - p.x, a.y + t * vy - p.y));
    }
    return best;
}

double perimeter(const Ring<Projected>& ring) {
    double sum = 0.0;
    for (std::size_t i = 0; i + 1 < ring.size(); ++i) {
        sum += std::hypot(ring[i + 1].x - ring[i].x, ring[i + 1].y - ring[i].y);
    }
    return sum;
}

/// A closed circle of n points (counter-clockwise), radius r.
Ring<Projected> circle(std::size_t n, double r) {
    Ring<Projected> ring;
    for (std::size_t i = 0; i < n; ++i) {
        const double a = 2.0 * std::numbers::pi * static_cast<double>(i) / static_cast<double>(n);
        ring.push_back({r * std::cos(a), r * std::sin(a)});
    }
    ring.push_back(ring.front());
    return ring;
}

/// A jagged "coastline": a circle whose radius wobbles pseudo-randomly (fixed seed, deterministic).
Ring<Projected> coastline(std::size_t n, double r, double wobble) {
    std::uint32_t state = 12345;
    Ring<Projected> ring;
    for (std::size_t i = 0; i < n; ++i) {
        state = state * 1664525U + 1013904223U;  // Numerical Recipes LCG
        const double u = static_cast<double>(state >> 8) / static_cast<double>(1U << 24);
        const double a = 2.0 * std::numbers::pi * static_cast<double>(i) / static_cast<double>(n);
        const double rr = r + wobble * (u - 0.5);
        ring.push_back({rr * std::cos(a), rr * std::sin(a)});
    }
    ring.push_back(ring.front());
    return ring;
}

TEST(Simplify, CollinearPointsOfASquareGo) {
    const Ring<Projected> square = {{0, 0}, {5, 0}, {10, 0}, {10, 3}, {10, 10}, {4, 10}, {0, 10}, {0, 6}, {0, 0}};
    const Ring<Projected> expected = {{0, 0}, {10, 0}, {10, 10}, {0, 10}, {0, 0}};
    EXPECT_EQ(simplify(square, 0.01), expected);
}

TEST(Simplify, HandComputedDeviationDecides) {
    // (5, 10.4) lies 0.4 from the edge (10,10)-(0,10): dropped at tolerance 0.5, kept at 0.3.
    const Ring<Projected> ring = {{0, 0}, {10, 0}, {10, 10}, {5, 10.4}, {0, 10}, {0, 0}};
    EXPECT_EQ(simplify(ring, 0.5), (Ring<Projected>{{0, 0}, {10, 0}, {10, 10}, {0, 10}, {0, 0}}));
    EXPECT_EQ(simplify(ring, 0.3), ring);
}

TEST(Simplify, NonPositiveToleranceChangesNothing) {
    const Ring<Projected> ring = coastline(100, 100.0, 5.0);
    EXPECT_EQ(simplify(ring, 0.0), ring);
    EXPECT_EQ(simplify(ring, -1.0), ring);
    EXPECT_EQ(simplify(ring, std::numeric_limits<double>::quiet_NaN()), ring);
}

TEST(Simplify, CircleStaysClosedSmallerAndWithinTolerance) {
    const double r = 1000.0;
    const Ring<Projected> ring = circle(2000, r);
    for (const double tolerance : {0.1, 1.0, 10.0}) {
        SCOPED_TRACE(tolerance);
        const Ring<Projected> simple = simplify(ring, tolerance);
        ASSERT_GE(simple.size(), 4U);
        EXPECT_EQ(simple.front(), simple.back());
        EXPECT_LT(simple.size(), ring.size());
        // Hausdorff bound: every original point is within the tolerance of the simplified ring.
        for (const Projected& p : ring) {
            ASSERT_LE(distance_to_ring(p, simple), tolerance + 1e-9);
        }
        // Area changes by at most perimeter × tolerance (a band of that width around the ring).
        const double area = std::abs(choro::geo::signed_area(ring));
        EXPECT_LE(std::abs(std::abs(choro::geo::signed_area(simple)) - area), perimeter(ring) * tolerance);
        // A chord of sagitta t spans 2*sqrt(2 r t): about pi / acos(1 - t/r) points are needed.
        const double needed = std::numbers::pi / std::acos(1.0 - tolerance / r);
        EXPECT_LE(static_cast<double>(simple.size()), 2.0 * needed + 2.0);
    }
}

TEST(Simplify, JaggedCoastlineReducesAndStaysWithinTolerance) {
    const Ring<Projected> ring = coastline(2000, 10000.0, 40.0);
    const double tolerance = 25.0;
    const Ring<Projected> simple = simplify(ring, tolerance);
    EXPECT_EQ(simple.front(), simple.back());
    EXPECT_LT(simple.size(), ring.size() / 4);
    for (const Projected& p : ring) {
        ASSERT_LE(distance_to_ring(p, simple), tolerance + 1e-9);
    }
    // Kept points are a subset of the input, in order.
    std::size_t j = 0;
    for (const Projected& p : simple) {
        while (j < ring.size() && !(ring[j] == p)) {
            ++j;
        }
        ASSERT_LT(j, ring.size());
    }
}

TEST(Simplify, OpenRingsStayOpenAndDuplicatesGo) {
    const Ring<Projected> open = {{0, 0}, {0, 0}, {10, 0}, {10, 0}, {10, 10}, {0, 10}};
    const Ring<Projected> simple = simplify(open, 0.01);
    EXPECT_EQ(simple, (Ring<Projected>{{0, 0}, {10, 0}, {10, 10}, {0, 10}}));
}

TEST(Simplify, RingsSmallerThanTheToleranceAreaAreDropped) {
    // A 2 x 2 square has area 4 < 3² = 9: gone at tolerance 3, kept at tolerance 1.
    const Ring<Projected> small = {{0, 0}, {2, 0}, {2, 2}, {0, 2}, {0, 0}};
    EXPECT_TRUE(simplify(small, 3.0).empty());
    EXPECT_EQ(simplify(small, 1.0), small);
    // Degenerate rings (fewer than three distinct points) are dropped.
    EXPECT_TRUE(simplify(Ring<Projected>{{0, 0}, {5, 5}, {0, 0}}, 0.1).empty());
    EXPECT_TRUE(simplify(Ring<Projected>{}, 0.1).empty());
}

TEST(Simplify, SmallHolesGoAndSmallPolygonsGo) {
    const Ring<Projected> outer = {{0, 0}, {100, 0}, {100, 100}, {0, 100}, {0, 0}};
    const Ring<Projected> big_hole = {{10, 10}, {10, 50}, {50, 50}, {50, 10}, {10, 10}};
    const Ring<Projected> tiny_hole = {{70, 70}, {70, 71}, {71, 71}, {71, 70}, {70, 70}};
    const Polygon<Projected> polygon = {outer, big_hole, tiny_hole};
    const Polygon<Projected> simple = simplify(polygon, 2.0);
    ASSERT_EQ(simple.size(), 2U);
    EXPECT_EQ(simple[0], outer);
    EXPECT_EQ(simple[1], big_hole);

    const Polygon<Projected> islet = {{{200, 200}, {201, 200}, {201, 201}, {200, 201}, {200, 200}}, tiny_hole};
    const MultiPolygon<Projected> multi = {polygon, islet};
    const MultiPolygon<Projected> result = simplify(multi, 2.0);
    ASSERT_EQ(result.size(), 1U);  // the islet (area 1 < 4) vanished with its hole
    EXPECT_EQ(result[0], simple);
}

TEST(Simplify, PixelGeometryWorksTheSameWay) {
    const Ring<Pixel> square = {{0, 0}, {5, 0}, {10, 0}, {10, 10}, {0, 10}, {0, 0}};
    const MultiPolygon<Pixel> multi = {{square}};
    const MultiPolygon<Pixel> result = simplify(multi, 0.5);
    ASSERT_EQ(result.size(), 1U);
    EXPECT_EQ(result[0][0], (Ring<Pixel>{{0, 0}, {10, 0}, {10, 10}, {0, 10}, {0, 0}}));
}

}  // namespace
