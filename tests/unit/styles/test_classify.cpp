#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstddef>
#include <limits>
#include <optional>
#include <random>
#include <set>
#include <vector>

#include <gtest/gtest.h>

#include "choro/geo/error.hpp"
#include "choro/styles/classify.hpp"

namespace {

using choro::styles::Breaks;
using choro::styles::classify;
using choro::styles::ClassifyOptions;
using choro::styles::Method;
using choro::styles::ZeroClass;

std::vector<std::optional<double>> opt(const std::vector<double>& v) {
    return {v.begin(), v.end()};
}

ClassifyOptions options(Method m, std::size_t k, ZeroClass zero = ZeroClass::automatic) {
    ClassifyOptions o;
    o.method = m;
    o.classes = k;
    o.zero = zero;
    return o;
}

/// Total within-class sum of squared deviations of a classification.
double total_ssd(const std::vector<double>& values, const Breaks& b) {
    std::vector<double> sum(b.size(), 0.0), sum2(b.size(), 0.0), n(b.size(), 0.0);
    for (const double v : values) {
        const auto c = static_cast<std::size_t>(b.class_of(v));
        sum[c] += v;
        sum2[c] += v * v;
        n[c] += 1.0;
    }
    double total = 0.0;
    for (std::size_t c = 0; c < b.size(); ++c) {
        if (n[c] > 0) {
            total += sum2[c] - sum[c] * sum[c] / n[c];
        }
    }
    return total;
}

/// Reference: the textbook O(k·n²) Fisher DP over every (not distinct) sorted value.
double naive_jenks_cost(std::vector<double> v, std::size_t k) {
    std::sort(v.begin(), v.end());
    const std::size_t n = v.size();
    auto ssd = [&](std::size_t i, std::size_t j) {
        double s = 0, s2 = 0;
        for (std::size_t t = i; t <= j; ++t) {
            s += v[t];
            s2 += v[t] * v[t];
        }
        return s2 - s * s / static_cast<double>(j - i + 1);
    };
    // Prefix sums would be faster, but this reference stays as plain as possible.
    std::vector<double> ps(n + 1, 0), ps2(n + 1, 0);
    for (std::size_t i = 0; i < n; ++i) {
        ps[i + 1] = ps[i] + v[i];
        ps2[i + 1] = ps2[i] + v[i] * v[i];
    }
    auto fast = [&](std::size_t i, std::size_t j) {
        const double s = ps[j + 1] - ps[i];
        return ps2[j + 1] - ps2[i] - s * s / static_cast<double>(j - i + 1);
    };
    (void)ssd;
    const double inf = std::numeric_limits<double>::infinity();
    std::vector<std::vector<double>> d(k, std::vector<double>(n, inf));
    for (std::size_t j = 0; j < n; ++j) {
        d[0][j] = fast(0, j);
    }
    for (std::size_t c = 1; c < k; ++c) {
        for (std::size_t j = c; j < n; ++j) {
            for (std::size_t i = c; i <= j; ++i) {
                d[c][j] = std::min(d[c][j], d[c - 1][i - 1] + fast(i, j));
            }
        }
    }
    return d[k - 1][n - 1];
}

TEST(Classify, QuantileMatchesHandComputedType7Quantiles) {
    // 1..10, 4 classes: h = 9p → 3.25, 5.5, 7.75 (linear interpolation between order statistics).
    const auto b = classify(opt({7, 1, 9, 3, 5, 2, 10, 4, 8, 6}), options(Method::quantile, 4));
    ASSERT_EQ(b.edges.size(), 5u);
    EXPECT_DOUBLE_EQ(b.edges[0], 1.0);
    EXPECT_DOUBLE_EQ(b.edges[1], 3.25);
    EXPECT_DOUBLE_EQ(b.edges[2], 5.5);
    EXPECT_DOUBLE_EQ(b.edges[3], 7.75);
    EXPECT_DOUBLE_EQ(b.edges[4], 10.0);
    EXPECT_EQ(b.counts, (std::vector<std::size_t>{3, 2, 2, 3}));
    EXPECT_FALSE(b.has_zero_class);
    EXPECT_TRUE(b.integers);
    EXPECT_TRUE(b.warnings.empty());
    EXPECT_EQ(b.label(0), "1\u20133");
    EXPECT_EQ(b.label(1), "4\u20135");
    EXPECT_EQ(b.label(2), "6\u20137");
    EXPECT_EQ(b.label(3), "8\u201310");
}

TEST(Classify, QuantileTiesGroupDistinctValuesInsteadOfCollapsing) {
    // Sorted: 1 ×6, 2, 3, 4, 10. Type-7 quantiles at h = 1.8, 3.6, 5.4, 7.2 → 1, 1, 1.4, 3.2:
    // two empty classes, and 2 shares a class with 3 although there are 5 distinct values for 5
    // classes. Grouped by distinct value instead: one class each.
    const auto b = classify(opt({1, 1, 1, 1, 1, 1, 2, 3, 4, 10}), options(Method::quantile, 5));
    ASSERT_EQ(b.size(), 5u);
    EXPECT_EQ(b.edges, (std::vector<double>{1, 1, 2, 3, 4, 10}));
    EXPECT_EQ(b.counts, (std::vector<std::size_t>{6, 1, 1, 1, 1}));
    EXPECT_TRUE(b.warnings.empty());
    // With fewer distinct values than classes the warning says so.
    const auto few = classify(opt({1, 1, 1, 1, 1, 1, 2, 3, 4, 10}), options(Method::quantile, 7));
    ASSERT_EQ(few.size(), 5u);
    ASSERT_EQ(few.warnings.size(), 1u);
    EXPECT_EQ(few.warnings[0], "only 5 distinct values: 7 classes requested, 5 made");
    EXPECT_EQ(b.label(0), "1");
    EXPECT_EQ(b.label(1), "2");
    EXPECT_EQ(b.label(2), "3");
    EXPECT_EQ(b.label(3), "4");
    EXPECT_EQ(b.label(4), "5\u201310");
}

TEST(Classify, AllEqualValuesMakeOneClass) {
    const auto b = classify(opt({4, 4, 4}), options(Method::quantile, 5));
    ASSERT_EQ(b.size(), 1u);
    EXPECT_EQ(b.counts[0], 3u);
    EXPECT_EQ(b.label(0), "4");
    EXPECT_EQ(b.warnings.size(), 1u);
}

TEST(Classify, EqualIntervalEdgesAreExact) {
    const auto b = classify(opt({0.5, 1, 2.5, 4.5}), options(Method::equal, 4));
    EXPECT_EQ(b.edges, (std::vector<double>{0.5, 1.5, 2.5, 3.5, 4.5}));
    EXPECT_EQ(b.counts, (std::vector<std::size_t>{2, 1, 0, 1}));
    EXPECT_FALSE(b.integers);
    EXPECT_FALSE(b.has_zero_class);
    EXPECT_EQ(b.label(0), "0.5\u20131.5");
    EXPECT_EQ(b.label(3), "3.5\u20134.5");
}

TEST(Classify, EqualIntervalOnThousands) {
    const auto b = classify(opt({1, 3000}), options(Method::equal, 3));
    // 1 + 2999/3·i = 1000.666…, 2000.333…
    ASSERT_EQ(b.size(), 3u);
    EXPECT_DOUBLE_EQ(b.edges[1], 1.0 + 2999.0 / 3.0);
    EXPECT_DOUBLE_EQ(b.edges[2], 1.0 + 2.0 * 2999.0 / 3.0);
    EXPECT_EQ(b.label(0), "1\u20131,000");
    EXPECT_EQ(b.label(1), "1,001\u20132,000");
    EXPECT_EQ(b.label(2), "2,001\u20133,000");
}

TEST(Classify, ZeroClassAutomaticForCountsWithZeros) {
    const std::vector<std::optional<double>> v{
        0, 0, 3, 1, 2, std::nullopt, std::nan(""), std::numeric_limits<double>::infinity()};
    const auto b = classify(v, options(Method::equal, 2));
    EXPECT_TRUE(b.has_zero_class);
    EXPECT_EQ(b.zero_count, 2u);
    EXPECT_EQ(b.no_data_count, 3u);
    EXPECT_EQ(b.edges, (std::vector<double>{1, 2, 3}));  // zeros excluded from the breaks
    EXPECT_EQ(b.counts, (std::vector<std::size_t>{2, 1}));
    EXPECT_EQ(b.class_of(0.0), choro::styles::zero_class);
    EXPECT_EQ(b.class_of(std::nullopt), choro::styles::no_data_class);
    EXPECT_EQ(b.class_of(std::nan("")), choro::styles::no_data_class);
    EXPECT_EQ(b.label(0), "1\u20132");
    EXPECT_EQ(b.label(1), "3");
}

TEST(Classify, ZeroClassNotAutomaticForFractionsNegativesOrNoZeros) {
    EXPECT_FALSE(classify(opt({0, 1.5, 2}), options(Method::equal, 2)).has_zero_class);
    EXPECT_FALSE(classify(opt({0, -1, 2}), options(Method::equal, 2)).has_zero_class);
    EXPECT_FALSE(classify(opt({1, 2, 3}), options(Method::equal, 2)).has_zero_class);
    const auto off = classify(opt({0, 0, 4}), options(Method::equal, 2, ZeroClass::off));
    EXPECT_FALSE(off.has_zero_class);
    EXPECT_EQ(off.counts, (std::vector<std::size_t>{2, 1}));
    const auto on = classify(opt({0, -2.5, 4}), options(Method::equal, 2, ZeroClass::on));
    EXPECT_TRUE(on.has_zero_class);
    EXPECT_EQ(on.zero_count, 1u);
    EXPECT_EQ(on.edges.front(), -2.5);
}

TEST(Classify, OnlyZerosAndNoDataMakeNoClasses) {
    const std::vector<std::optional<double>> v{0, std::nullopt, 0};
    const auto b = classify(v, options(Method::jenks, 5));
    EXPECT_EQ(b.size(), 0u);
    EXPECT_EQ(b.zero_count, 2u);
    EXPECT_EQ(b.no_data_count, 1u);
    EXPECT_EQ(b.class_of(0.0), choro::styles::zero_class);
    EXPECT_EQ(b.class_of(7.0), choro::styles::no_data_class);
}

TEST(Classify, ClassOfBoundariesAndOutsideValues) {
    ClassifyOptions o;
    o.method = Method::manual;
    o.manual_breaks = {10, 20};
    o.zero = ZeroClass::off;
    const auto b = classify(opt({5, 15, 25}), o);
    EXPECT_EQ(b.edges, (std::vector<double>{5, 10, 20, 25}));
    EXPECT_EQ(b.class_of(5.0), 0);   // first class closed at the bottom
    EXPECT_EQ(b.class_of(10.0), 0);  // upper edge belongs to the lower class
    EXPECT_EQ(b.class_of(10.5), 1);
    EXPECT_EQ(b.class_of(20.0), 1);
    EXPECT_EQ(b.class_of(20.01), 2);
    EXPECT_EQ(b.class_of(-100.0), 0);  // below everything → first class
    EXPECT_EQ(b.class_of(1e9), 2);     // above everything → last class
}

TEST(Classify, ManualLabelsUseThousandsSeparators) {
    ClassifyOptions o;
    o.method = Method::manual;
    o.manual_breaks = {1000, 2000};
    const auto b = classify(opt({5, 1500, 2500, 1000000}), o);
    EXPECT_EQ(b.counts, (std::vector<std::size_t>{1, 1, 2}));
    EXPECT_EQ(b.label(0), "5\u20131,000");
    EXPECT_EQ(b.label(1), "1,001\u20132,000");
    EXPECT_EQ(b.label(2), "2,001\u20131,000,000");
    EXPECT_EQ(b.label(3), "");  // out of range
}

TEST(Classify, ManualBreaksOutsideTheDataWidenTheOuterEdges) {
    ClassifyOptions o;
    o.method = Method::manual;
    o.manual_breaks = {0.25, 100};
    const auto b = classify(opt({1.5, 2.5}), o);
    EXPECT_EQ(b.edges, (std::vector<double>{0.25, 0.25, 100, 100}));
    EXPECT_EQ(b.counts, (std::vector<std::size_t>{0, 2, 0}));
    EXPECT_EQ(b.label(1), "0.25\u2013100");
}

TEST(Classify, ManualErrors) {
    ClassifyOptions o;
    o.method = Method::manual;
    EXPECT_THROW((void)classify(opt({1}), o), choro::JobError);  // no breaks
    o.manual_breaks = {1, 5, 5};
    try {
        (void)classify(opt({1}), o);
        FAIL() << "expected JobError";
    } catch (const choro::JobError& e) {
        EXPECT_NE(std::string(e.what()).find("ascending"), std::string::npos) << e.what();
    }
    o.manual_breaks = {5, 1};
    EXPECT_THROW((void)classify(opt({1}), o), choro::JobError);
    o.manual_breaks = {1, std::nan("")};
    EXPECT_THROW((void)classify(opt({1}), o), choro::JobError);
    o.manual_breaks = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12};  // 13 classes
    EXPECT_THROW((void)classify(opt({1}), o), choro::LimitError);
}

TEST(Classify, ClassCountLimits) {
    EXPECT_THROW((void)classify(opt({1, 2}), options(Method::quantile, 0)), choro::JobError);
    EXPECT_THROW((void)classify(opt({1, 2}), options(Method::jenks, 13)), choro::LimitError);
    EXPECT_NO_THROW((void)classify(opt({1, 2}), options(Method::equal, 12)));
}

// Distinct values are never merged while there are at least as many of them as classes, ties or
// not (issue 12: tertiles of 1, 2, 3 gave two classes).
TEST(Classify, QuantilesNeverMergeDistinctValues) {
    for (const auto& values : {std::vector<double>{1, 2, 3},
                               std::vector<double>{1, 1, 1, 2, 3},
                               std::vector<double>{1, 1, 1, 1, 1, 1, 2, 3},
                               std::vector<double>{3, 3, 3, 3, 1, 2}}) {
        const auto b = classify(opt(values), options(Method::quantile, 3));
        ASSERT_EQ(b.size(), 3u) << ::testing::PrintToString(values);
        EXPECT_EQ(b.class_of(1.0), 0);
        EXPECT_EQ(b.class_of(2.0), 1);
        EXPECT_EQ(b.class_of(3.0), 2);
        EXPECT_EQ(b.label(0), "1");
        EXPECT_EQ(b.label(1), "2");
        EXPECT_EQ(b.label(2), "3");
        EXPECT_TRUE(b.warnings.empty());
    }
    // Fewer distinct values than classes: one class each, and the warning says so.
    const auto few = classify(opt({5, 5, 7}), options(Method::quantile, 5));
    ASSERT_EQ(few.size(), 2u);
    ASSERT_EQ(few.warnings.size(), 1u);
    EXPECT_NE(few.warnings[0].find("only 2 distinct values"), std::string::npos) << few.warnings[0];
}

// Every class of a classification gets its own label, and no class is empty by construction when
// the data have enough distinct values.
TEST(Classify, LabelsAreUniquePerClass) {
    std::vector<double> counts;  // many small whole numbers: quantile edges fall between them
    for (int i = 0; i < 200; ++i) {
        counts.push_back(1 + (i * i) % 7);
    }
    for (const Method m : {Method::quantile, Method::equal, Method::jenks}) {
        for (std::size_t k = 2; k <= 9; ++k) {
            const auto b = classify(opt(counts), options(m, k));
            std::set<std::string> labels;
            for (std::size_t i = 0; i < b.size(); ++i) {
                EXPECT_TRUE(labels.insert(b.label(i)).second)
                    << to_string(m) << " k=" << k << ": label " << b.label(i) << " twice";
                if (m != Method::equal) {
                    EXPECT_GT(b.counts[i], 0u) << to_string(m) << " k=" << k << " class " << i;
                }
            }
        }
    }
}

TEST(Classify, HugeValuesGiveFiniteEdgesAndLabels) {
    for (const Method m : {Method::equal, Method::quantile, Method::jenks}) {
        const auto b = classify(opt({-1e308, -1e308, 0.5, 1e308, 1e308}), options(m, 5));
        ASSERT_GE(b.size(), 2u) << to_string(m);
        for (const double e : b.edges) {
            EXPECT_TRUE(std::isfinite(e)) << to_string(m);
        }
        EXPECT_EQ(b.class_of(-1e308), 0) << to_string(m);
        EXPECT_EQ(b.class_of(1e308), static_cast<int>(b.size()) - 1) << to_string(m);
        for (std::size_t i = 0; i < b.size(); ++i) {
            const std::string label = b.label(i);
            EXPECT_EQ(label.find("nan"), std::string::npos) << label;
            EXPECT_EQ(label.find("inf"), std::string::npos) << label;
            EXPECT_LT(label.size(), 40u) << label;  // scientific notation, not 309 digits
        }
    }
}

TEST(Classify, Categorical) {
    const auto b = classify(opt({2, 1, 2, 3, 3, 3}), options(Method::categorical, 5));
    ASSERT_EQ(b.size(), 3u);
    EXPECT_EQ(b.counts, (std::vector<std::size_t>{1, 2, 3}));
    EXPECT_EQ(b.label(0), "1");
    EXPECT_EQ(b.label(1), "2");
    EXPECT_EQ(b.label(2), "3");
    EXPECT_EQ(b.class_of(2.0), 1);
    std::vector<double> many;
    for (int i = 1; i <= 13; ++i) {
        many.push_back(i);
    }
    EXPECT_THROW((void)classify(opt(many), options(Method::categorical, 5)), choro::LimitError);
    many.pop_back();
    EXPECT_EQ(classify(opt(many), options(Method::categorical, 5)).size(), 12u);
}

// The 12-value example of the jenkspy README (JenksNaturalBreaks, 3 classes → breaks
// [1.2, 2.3, 5.0, 7.8]), checked here also by exhaustive search over every assignment of the
// values to 3 classes and every contiguous split into 4.
const std::vector<double> jenkspy_sample{1.3, 7.1, 7.3, 2.3, 3.9, 4.1, 7.8, 1.2, 4.3, 7.3, 5.0, 4.3};

TEST(Classify, JenksMatchesPublishedJenkspyExample) {
    const auto b = classify(opt(jenkspy_sample), options(Method::jenks, 3));
    EXPECT_EQ(b.edges, (std::vector<double>{1.2, 2.3, 5.0, 7.8}));
    EXPECT_EQ(b.counts, (std::vector<std::size_t>{3, 5, 4}));
    EXPECT_EQ(b.label(0), "1.2\u20132.3");
}

TEST(Classify, JenksIsOptimalByExhaustiveSearchOverAllAssignments) {
    const auto& v = jenkspy_sample;
    const auto b = classify(opt(v), options(Method::jenks, 3));
    double best = std::numeric_limits<double>::infinity();
    const std::size_t n = v.size();
    std::size_t total = 1;
    for (std::size_t i = 0; i < n; ++i) {
        total *= 3;
    }
    for (std::size_t code = 0; code < total; ++code) {
        double s[3] = {0, 0, 0}, s2[3] = {0, 0, 0}, c[3] = {0, 0, 0};
        std::size_t x = code;
        for (std::size_t i = 0; i < n; ++i) {
            const std::size_t g = x % 3;
            x /= 3;
            s[g] += v[i];
            s2[g] += v[i] * v[i];
            c[g] += 1;
        }
        double cost = 0;
        for (int g = 0; g < 3; ++g) {
            if (c[g] > 0) {
                cost += s2[g] - s[g] * s[g] / c[g];
            }
        }
        best = std::min(best, cost);
    }
    EXPECT_NEAR(total_ssd(v, b), best, 1e-9);
}

TEST(Classify, JenksIsOptimalByExhaustiveSearchOverContiguousSplitsInto4) {
    std::vector<double> v = jenkspy_sample;
    const auto b = classify(opt(v), options(Method::jenks, 4));
    ASSERT_EQ(b.size(), 4u);
    std::sort(v.begin(), v.end());
    const std::size_t n = v.size();
    auto ssd = [&](std::size_t i, std::size_t j) {  // values [i, j)
        double s = 0, s2 = 0;
        for (std::size_t t = i; t < j; ++t) {
            s += v[t];
            s2 += v[t] * v[t];
        }
        return s2 - s * s / static_cast<double>(j - i);
    };
    double best = std::numeric_limits<double>::infinity();
    for (std::size_t a = 1; a < n; ++a) {
        for (std::size_t c = a + 1; c < n; ++c) {
            for (std::size_t d = c + 1; d < n; ++d) {
                best = std::min(best, ssd(0, a) + ssd(a, c) + ssd(c, d) + ssd(d, n));
            }
        }
    }
    EXPECT_NEAR(total_ssd(v, b), best, 1e-9);
}

TEST(Classify, JenksWithDuplicatesMatchesNaiveDynamicProgramme) {
    std::mt19937 rng(42);
    std::uniform_int_distribution<int> dist(1, 80);
    std::vector<double> v;
    for (int i = 0; i < 400; ++i) {
        v.push_back(dist(rng));
    }
    for (const std::size_t k : {2u, 5u, 7u}) {
        const auto b = classify(opt(v), options(Method::jenks, k));
        ASSERT_EQ(b.size(), k);
        EXPECT_NEAR(total_ssd(v, b), naive_jenks_cost(v, k), 1e-6) << k << " classes";
        std::size_t sum = 0;
        for (const auto c : b.counts) {
            sum += c;
        }
        EXPECT_EQ(sum, v.size());
    }
}

TEST(Classify, JenksOnContinuousDataMatchesNaiveDynamicProgramme) {
    std::mt19937 rng(7);
    std::lognormal_distribution<double> dist(3.0, 1.2);
    std::vector<double> v;
    for (int i = 0; i < 300; ++i) {
        v.push_back(dist(rng));
    }
    const auto b = classify(opt(v), options(Method::jenks, 6));
    EXPECT_NEAR(total_ssd(v, b), naive_jenks_cost(v, 6), 1e-6 * naive_jenks_cost(v, 1));
}

TEST(Classify, JenksFewerDistinctValuesThanClasses) {
    const auto b = classify(opt({3, 3, 8, 8, 8}), options(Method::jenks, 5));
    EXPECT_EQ(b.edges, (std::vector<double>{3, 3, 8}));
    EXPECT_EQ(b.counts, (std::vector<std::size_t>{2, 3}));
    EXPECT_EQ(b.label(0), "3");
    EXPECT_EQ(b.label(1), "4\u20138");
    EXPECT_EQ(b.warnings.size(), 1u);
}

TEST(Classify, JenksOn3000ValuesIsFast) {
    std::mt19937 rng(3);
    std::lognormal_distribution<double> dist(2.0, 1.5);
    std::vector<std::optional<double>> v;
    for (int i = 0; i < 3000; ++i) {
        v.emplace_back(dist(rng));
    }
    const auto t0 = std::chrono::steady_clock::now();
    const auto b = classify(v, options(Method::jenks, 7));
    const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - t0);
    EXPECT_EQ(b.size(), 7u);
    EXPECT_LT(ms.count(), 1000) << "Jenks on 3000 values took " << ms.count() << " ms";
}

TEST(Classify, MethodNames) {
    for (const auto m : {Method::quantile, Method::equal, Method::jenks, Method::manual, Method::categorical}) {
        EXPECT_EQ(choro::styles::parse_method(choro::styles::to_string(m)), m);
    }
    EXPECT_EQ(choro::styles::parse_method(" Jenks "), Method::jenks);
    try {
        (void)choro::styles::parse_method("jenk");
        FAIL() << "expected JobError";
    } catch (const choro::JobError& e) {
        EXPECT_NE(std::string(e.what()).find("did you mean 'jenks'?"), std::string::npos) << e.what();
    }
    EXPECT_THROW((void)choro::styles::parse_method("xyzzy"), choro::JobError);
}

TEST(Classify, DecimalLabelsKeepNeighboursApart) {
    ClassifyOptions o;
    o.method = Method::manual;
    o.manual_breaks = {0.101, 0.102};
    const auto b = classify(opt({0.1, 0.2}), o);
    EXPECT_EQ(b.label(0), "0.1\u20130.101");
    EXPECT_EQ(b.label(1), "0.101\u20130.102");
    EXPECT_EQ(classify(opt({0.5, 1.2}), options(Method::equal, 1)).label(0), "0.5\u20131.2");
    EXPECT_EQ(classify(opt({1234.56, 5678.21}), options(Method::equal, 1)).label(0), "1,235\u20135,678");
    EXPECT_EQ(classify(opt({-2.5, 0.125}), options(Method::equal, 1)).label(0), "-2.5\u20130.125");
}

}  // namespace
