// Which features get a place label (pipeline::select_labels): the --labels policies, the text
// template with values written as the legend writes them, anchors at the pole of inaccessibility
// and the priority order (holdouts, then larger values).

#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "choro/geo/error.hpp"
#include "choro/pipeline/labels.hpp"
#include "choro/pipeline/scene.hpp"

namespace {

using choro::geo::Projected;
using choro::pipeline::LabelCandidate;
using choro::pipeline::Scene;

choro::geo::MultiPolygon<Projected> square(double x0, double y0, double side) {
    return {{{{x0, y0}, {x0 + side, y0}, {x0 + side, y0 + side}, {x0, y0 + side}, {x0, y0}}}};
}

/// Four squares: A (value 10, side 10), B (value 2 500 000, side 20, a holdout), C (no value,
/// side 40), D (value 300, side 30, partial holdout).
Scene four() {
    Scene s;
    s.features = {square(0, 0, 10), square(100, 0, 20), square(200, 0, 40), square(300, 0, 30)};
    s.info = {
        {"a", "Alpha", 10.0, 0}, {"b", "Beta", 2500000.0, 1}, {"c", "", std::nullopt, -2}, {"d", "Delta", 300.0, 0}};
    s.highlighted = {false, true, false, false};
    s.partial = {false, false, false, true};
    return s;
}

std::vector<std::string> texts(const std::vector<LabelCandidate>& labels) {
    std::vector<std::string> out;
    for (const auto& l : labels) {
        out.push_back(l.text);
    }
    return out;
}

choro::styles::LabelSettings settings(const std::string& select, const std::string& format = "{name}") {
    choro::styles::LabelSettings s;
    s.select = select;
    s.format = format;
    return s;
}

TEST(LabelSelect, AllInPriorityOrder) {
    const auto labels = choro::pipeline::select_labels(four(), settings("all"));
    // Holdouts first (larger value first), then larger values, then no value; a feature without a
    // name is labelled with its key.
    EXPECT_EQ(texts(labels), (std::vector<std::string>{"Beta", "Delta", "Alpha", "c"}));
    for (std::size_t i = 0; i < labels.size(); ++i) {
        EXPECT_EQ(labels[i].priority, i);
    }
    EXPECT_TRUE(labels[0].highlighted);
    EXPECT_TRUE(labels[1].highlighted);
    EXPECT_FALSE(labels[2].highlighted);
    // The anchor of a square is its centre, half a side from the edges (to 1/100 of its side).
    EXPECT_EQ(labels[0].feature, 1u);
    EXPECT_NEAR(labels[0].anchor.x, 110.0, 0.3);
    EXPECT_NEAR(labels[0].anchor.y, 10.0, 0.3);
    EXPECT_NEAR(labels[0].room, 10.0, 0.2);
}

TEST(LabelSelect, PoliciesAndDefaults) {
    const Scene s = four();
    EXPECT_EQ(texts(choro::pipeline::select_labels(s, settings("holdouts"))),
              (std::vector<std::string>{"Beta", "Delta"}));
    EXPECT_EQ(texts(choro::pipeline::select_labels(s, settings("top:2"))), (std::vector<std::string>{"Beta", "Delta"}));
    EXPECT_EQ(texts(choro::pipeline::select_labels(s, settings("top:1"))), (std::vector<std::string>{"Beta"}));
    EXPECT_EQ(texts(choro::pipeline::select_labels(s, settings("top:10"))),
              (std::vector<std::string>{"Beta", "Delta", "Alpha"}));  // only features with values
    EXPECT_EQ(texts(choro::pipeline::select_labels(s, settings("A, c"))), (std::vector<std::string>{"Alpha", "c"}));
    EXPECT_TRUE(choro::pipeline::select_labels(s, settings("none")).empty());
    // Automatic: every feature on a small map…
    EXPECT_EQ(choro::pipeline::select_labels(s, settings("")).size(), 4u);
    // …the holdouts on one of more than label_all_limit features (the national county map).
    Scene big = four();
    for (std::size_t i = 0; i < choro::pipeline::label_all_limit; ++i) {
        big.features.push_back(square(0, 100.0 + static_cast<double>(i), 1));
    }
    EXPECT_EQ(texts(choro::pipeline::select_labels(big, settings(""))), (std::vector<std::string>{"Beta", "Delta"}));
}

TEST(LabelSelect, TemplateWritesValuesLikeTheLegend) {
    Scene s = four();
    s.numbers.format = choro::styles::LegendFormat::compact;
    EXPECT_EQ(texts(choro::pipeline::select_labels(s, settings("b,a", "{name}\\n{value}"))),
              (std::vector<std::string>{"Beta\n2.5M", "Alpha\n10"}));
    s.numbers.format = choro::styles::LegendFormat::plain;
    EXPECT_EQ(texts(choro::pipeline::select_labels(s, settings("b,c", "{name} ({key})\\n{value}"))),
              (std::vector<std::string>{"Beta (b)\n2,500,000", "c (c)"}));
}

TEST(LabelSelect, UnknownKeysAndEmptyFeatures) {
    Scene s = four();
    try {
        (void)choro::pipeline::select_labels(s, settings("a,zz"));
        FAIL() << "expected JobError";
    } catch (const choro::JobError& e) {
        const std::string what = e.what();
        EXPECT_NE(what.find("--labels"), std::string::npos) << what;
        EXPECT_NE(what.find("'zz'"), std::string::npos) << what;
    }
    // A feature clipped away by the extent has no geometry and no label.
    s.features[1].clear();
    EXPECT_EQ(texts(choro::pipeline::select_labels(s, settings("holdouts"))), (std::vector<std::string>{"Delta"}));
    EXPECT_THROW((void)choro::pipeline::select_labels(s, settings("top:0")), choro::JobError);
}

}  // namespace
