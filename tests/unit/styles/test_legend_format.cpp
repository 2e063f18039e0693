// Legend labels people read: class labels from the examples of issue 10 (1–4, 5–12, 13+), and single
// numbers against ECMA-402 (Intl.NumberFormat en-US, node: tests/js/numbers.mjs) for grouping,
// decimals, compact notation and percent.

#include <cstdlib>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "test_support.hpp"
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "choro/geo/error.hpp"
#include "choro/styles/classify.hpp"
#include "choro/styles/label_text.hpp"
#include "choro/styles/legend.hpp"
#include "choro/styles/legend_format.hpp"

namespace {

namespace fs = std::filesystem;
using choro::styles::Breaks;
using choro::styles::LegendFormat;
using choro::styles::Method;
using choro::styles::NumberStyle;
using Values = std::vector<std::optional<double>>;
using Strings = std::vector<std::string>;

Breaks manual(std::vector<double> edges, Method method = Method::manual) {
    Breaks b;
    b.method = method;
    b.edges = std::move(edges);
    b.counts.assign(b.edges.size() - 1, 1);
    return b;
}

NumberStyle style_of(const Values& values, LegendFormat format = LegendFormat::automatic, const char* column = "") {
    return choro::styles::number_style(values, format, column);
}

TEST(LegendLabels, WholeNumbersStayWholeAndTheTopIsOpen) {
    const Values counts{1, 2, 4, 5, 7, 12, 13, 20, 40};
    const auto style = style_of(counts);
    EXPECT_EQ(style.format, LegendFormat::plain);
    EXPECT_EQ(style.decimals, 0);
    EXPECT_TRUE(style.discrete);
    // Classes (1, 4], (4, 12], (12, 40]: the example.
    EXPECT_EQ(choro::styles::class_labels(manual({1, 4, 12, 40}), style), (Strings{"1–4", "5–12", "13+"}));
    // Edges between whole numbers (equal intervals, Jenks) round to the values a class can hold.
    EXPECT_EQ(choro::styles::class_labels(manual({1, 6.7, 13.4, 40}), style), (Strings{"1–6", "7–13", "14+"}));
    // A class of one value is that value; a single class is a closed range.
    EXPECT_EQ(choro::styles::class_labels(manual({1, 2, 3, 40}), style), (Strings{"1–2", "3", "4+"}));
    EXPECT_EQ(choro::styles::class_labels(manual({1, 40}), style), (Strings{"1–40"}));
}

// Whole-number data with edges a class cannot fill: no label repeats a neighbour's value, and
// the top class stays open. (The us-counties job's breaks 1, 2, 4, 8 over data of at most 2
// read "5–8" then "8".)
TEST(LegendLabels, ClassesHoldingNoWholeValueDoNotRepeat) {
    const Values counts{0, 1, 1, 2};
    const auto style = style_of(counts);
    ASSERT_TRUE(style.discrete);
    // Manual breaks past the data's maximum: the last class is everything above 8.
    EXPECT_EQ(choro::styles::class_labels(manual({1, 2, 4, 8, 8}), style), (Strings{"1–2", "3–4", "5–8", "9+"}));
    EXPECT_EQ(choro::styles::class_labels(manual({0, 1, 2, 4, 8, 8}), style),
              (Strings{"0–1", "2", "3–4", "5–8", "9+"}));
    // A class between two whole numbers is written with its edges.
    EXPECT_EQ(choro::styles::class_labels(manual({1, 2.5, 2.7, 10}), style), (Strings{"1–2", "2.5–2.7", "3+"}));
    // Unchanged: classes that hold values.
    EXPECT_EQ(choro::styles::class_labels(manual({1, 2, 3, 40}), style), (Strings{"1–2", "3", "4+"}));
    EXPECT_EQ(choro::styles::class_labels(manual({1, 4, 12, 40}), style), (Strings{"1–4", "5–12", "13+"}));
}

TEST(LegendLabels, ThousandsSeparatorsAndCompact) {
    const Values population{140, 52000, 1234567, 23568378};
    const Breaks b = manual({140, 52000, 1234567, 23568378});
    EXPECT_EQ(choro::styles::class_labels(b, style_of(population)),
              (Strings{"140–52,000", "52,001–1,234,567", "1,234,568+"}));
    EXPECT_EQ(choro::styles::class_labels(b, style_of(population, LegendFormat::compact)),
              (Strings{"140–52K", "52K–1.2M", "1.2M+"}));
}

TEST(LegendLabels, RoundedToTheDataPrecision) {
    // Rates given to one decimal: ranges closed and apart, one decimal throughout.
    const Values rates{1.5, 2.0, 3.2, 4.8, 6.7, 9.4};
    const auto style = style_of(rates);
    EXPECT_EQ(style.decimals, 1);
    EXPECT_TRUE(style.discrete);
    EXPECT_EQ(choro::styles::class_labels(manual({1.5, 3.2, 6.7, 9.4}), style),
              (Strings{"1.5–3.2", "3.3–6.7", "6.8+"}));
    // Computed ratios: two significant digits of the largest, neighbours share their edge.
    const Values ratios{1.0 / 3.0, 2.0 / 3.0, 3.1415926, 9.87654321};
    const auto computed = style_of(ratios);
    EXPECT_FALSE(computed.discrete);
    EXPECT_EQ(computed.decimals, 1);
    EXPECT_EQ(choro::styles::class_labels(manual({1.0 / 3.0, 2.0 / 3.0, 3.1415926, 9.87654321}), computed),
              (Strings{"0.3–0.7", "0.7–3.1", "3.1+"}));
    // Rounding that would merge neighbours adds decimals.
    EXPECT_EQ(choro::styles::class_labels(manual({0.31, 0.33, 0.36, 9.9}), computed),
              (Strings{"0.31–0.33", "0.33–0.36", "0.36+"}));
}

TEST(LegendLabels, PercentOfSharesAndOfPercentPoints) {
    // A column named as a share, values 0–1: written ×100 with the %.
    const Values shares{0.05, 0.125, 0.5, 0.875};
    const auto style = style_of(shares, LegendFormat::automatic, "pct_holdout");
    EXPECT_EQ(style.format, LegendFormat::percent);
    EXPECT_TRUE(style.fraction);
    EXPECT_EQ(style.decimals, 1);
    EXPECT_EQ(choro::styles::class_labels(manual({0.05, 0.125, 0.5, 0.875}), style),
              (Strings{"5.0%–12.5%", "12.6%–50.0%", "50.1%+"}));
    // Percent points (0–100) asked for explicitly.
    const Values points{3, 10, 25, 80};
    const auto pp = style_of(points, LegendFormat::percent, "turnout");
    EXPECT_FALSE(pp.fraction);
    EXPECT_EQ(choro::styles::class_labels(manual({3, 10, 25, 80}), pp), (Strings{"3%–10%", "11%–25%", "26%+"}));
    // A column not named as a share stays plain under auto; one named so but beyond 100 too.
    EXPECT_EQ(style_of(points, LegendFormat::automatic, "turnout").format, LegendFormat::plain);
    EXPECT_EQ(style_of(Values{5, 250}, LegendFormat::automatic, "percent_change").format, LegendFormat::plain);
}

TEST(LegendLabels, NegativesCategoriesAndEdgeCases) {
    const Values change{-12, -3, 0, 4, 15};
    EXPECT_EQ(choro::styles::class_labels(manual({-12, -3, 4, 15}), style_of(change)),
              (Strings{"−12 to −3", "−2 to 4", "5+"}));
    EXPECT_EQ(choro::styles::class_labels(manual({0, 1, 2, 5}, Method::categorical), style_of(Values{1, 2, 5})),
              (Strings{"1", "2", "5"}));
    EXPECT_TRUE(choro::styles::class_labels(Breaks{}, style_of(Values{})).empty());
    // No data, NaN and infinities do not shape the style.
    const auto style = style_of(Values{std::nullopt, 1.5, std::numeric_limits<double>::quiet_NaN(), 2.0});
    EXPECT_EQ(style.decimals, 1);
    EXPECT_EQ(choro::styles::format_number(std::numeric_limits<double>::infinity(), style), "");
}

TEST(LegendLabels, LegendItemsCarryLabelsCountsAndShares) {
    choro::styles::Breaks b = manual({1, 4, 12, 40});
    b.counts = {5, 3, 2};
    b.has_zero_class = true;
    b.zero_count = 6;
    b.no_data_count = 4;
    choro::styles::StyleSettings style;
    const auto colors = choro::styles::class_colors(b, style);
    choro::styles::HighlightSource highlight;
    highlight.label = "Declined";
    const auto numbers = style_of(Values{0, 1, 4, 12, 40});
    const auto items = choro::styles::legend_items(b, colors, style, highlight, numbers, true, false, false, false);
    ASSERT_EQ(items.size(), 6u);
    EXPECT_EQ(items[0].label, "0");
    EXPECT_EQ(items[0].cls, choro::styles::zero_class);
    EXPECT_EQ(items[1].label, "1–4");
    EXPECT_EQ(items[3].label, "13+");
    EXPECT_EQ(items[3].count, 2u);
    EXPECT_EQ(items[3].cls, 2);
    EXPECT_DOUBLE_EQ(items[3].share, 2.0 / 20.0);
    EXPECT_EQ(items[4].label, "No data");
    EXPECT_EQ(items[5].label, "Declined");
    EXPECT_EQ(items[5].swatch, choro::styles::Swatch::hatch);
    EXPECT_DOUBLE_EQ(items[5].share, 0.0);
}

TEST(LegendLabels, FormatWordsAndTheirErrors) {
    EXPECT_EQ(choro::styles::parse_legend_format("Compact"), LegendFormat::compact);
    EXPECT_EQ(choro::styles::parse_legend_format("auto"), LegendFormat::automatic);
    EXPECT_EQ(choro::styles::parse_legend_layout("horizontal"), choro::styles::LegendLayout::horizontal);
    EXPECT_STREQ(choro::styles::legend_format_name(LegendFormat::percent), "percent");
    try {
        (void)choro::styles::parse_legend_format("compakt");
        FAIL() << "expected JobError";
    } catch (const choro::JobError& e) {
        EXPECT_NE(std::string(e.what()).find("did you mean 'compact'?"), std::string::npos) << e.what();
    }
    EXPECT_THROW((void)choro::styles::parse_legend_layout("diagonal"), choro::JobError);
}

// ECMA-402 as the reference for writing single numbers.
fs::path js_dir() {
    return fs::path(CHORO_SOURCE_DIR) / "tests" / "js";
}

Strings intl(const nlohmann::json& query) {
    const auto dir = choro::test::temp_dir();
    const auto in = choro::test::write_file(dir / "numbers.json", query.dump() + "\n");
    const auto out = dir / "answer.json";
    const std::string cmd =
        "cd '" + js_dir().string() + "' && node numbers.mjs < '" + in.string() + "' > '" + out.string() + "'";
    if (std::system(cmd.c_str()) != 0) {
        ADD_FAILURE() << "command failed: " << cmd;
        return {};
    }
    return nlohmann::json::parse(choro::test::read_file(out)).get<Strings>();
}

TEST(LegendLabels, NumbersMatchIntlNumberFormat) {
    if (std::system("node --version > /dev/null 2>&1") != 0) {
        GTEST_SKIP() << "node not found";
    }
    const std::vector<double> values{0,       7,      42,     999,     1000,        1250,   9940,  9960,
                                     12345,   123456, 999950, 1234567, 2.5e7,       9.99e8, 1.0e9, 3.456e9,
                                     1.23e12, 0.5,    1234.5, 2.25,    1234567.891, 0.125,  0.875, 0.0049};
    nlohmann::json query = nlohmann::json::array();
    Strings ours;
    for (const double v : values) {
        for (const auto& [name, format, decimals] :
             std::vector<std::tuple<std::string, LegendFormat, int>>{{"plain", LegendFormat::plain, 0},
                                                                     {"plain", LegendFormat::plain, 2},
                                                                     {"compact", LegendFormat::compact, 0},
                                                                     {"percent", LegendFormat::percent, 1}}) {
            if (format == LegendFormat::compact && v < 1000) {
                continue;  // below a thousand, compact writes the data's precision, not 2 digits
            }
            NumberStyle style;
            style.format = format;
            style.decimals = decimals;
            style.fraction = format == LegendFormat::percent;
            query.push_back({{"value", v}, {"style", name}, {"decimals", decimals}});
            ours.push_back(choro::styles::format_number(v, style));
        }
    }
    const Strings want = intl(query);
    ASSERT_EQ(want.size(), ours.size());
    for (std::size_t i = 0; i < want.size(); ++i) {
        EXPECT_EQ(ours[i], want[i]) << query[i].dump();
    }
}

TEST(LabelText, SelectionWords) {
    using Kind = choro::styles::LabelSelection::Kind;
    EXPECT_EQ(choro::styles::parse_label_selection("").kind, Kind::automatic);
    EXPECT_EQ(choro::styles::parse_label_selection("None").kind, Kind::none);
    EXPECT_EQ(choro::styles::parse_label_selection("all").kind, Kind::all);
    EXPECT_EQ(choro::styles::parse_label_selection("holdouts").kind, Kind::holdouts);
    const auto top = choro::styles::parse_label_selection("top:10");
    EXPECT_EQ(top.kind, Kind::top);
    EXPECT_EQ(top.top, 10u);
    const auto keys = choro::styles::parse_label_selection("48113, 22071");
    EXPECT_EQ(keys.kind, Kind::keys);
    EXPECT_EQ(keys.keys, (Strings{"48113", "22071"}));
    EXPECT_EQ(choro::styles::parse_label_selection("24031").keys, (Strings{"24031"}));
    for (const char* bad : {"top:", "top:0", "top:-3", "top:x", "top:99999999999", "48113,,22071", "48113,"}) {
        EXPECT_THROW((void)choro::styles::parse_label_selection(bad), choro::JobError) << bad;
    }
}

TEST(LabelText, TemplatesExpandAndCheck) {
    EXPECT_EQ(choro::styles::expand_label("{name}\\n{value}", "Dallas", "1,234", "48113"), "Dallas\n1,234");
    EXPECT_EQ(choro::styles::expand_label("{name}\n{value}", "Dallas", "", "48113"), "Dallas");
    EXPECT_EQ(choro::styles::expand_label("{key}: {name}", "Orleans", "", "22071"), "22071: Orleans");
    EXPECT_NO_THROW(choro::styles::check_label_format("{name} ({value})"));
    for (const char* bad : {"{nam}", "{name", "name}", "{}", "{value}{"}) {
        EXPECT_THROW(choro::styles::check_label_format(bad), choro::JobError) << bad;
    }
}

}  // namespace

namespace {

TEST(LegendLabels, TitleDefaultsToTheValueColumn) {
    choro::styles::Job job;
    EXPECT_EQ(choro::styles::legend_title(job), "");  // no value table: no title
    job.values.source = "v.csv";
    job.values.value = "agreements";
    EXPECT_EQ(choro::styles::legend_title(job), "agreements");
    job.values.count = true;
    job.values.value.clear();
    EXPECT_EQ(choro::styles::legend_title(job), "Count");
    job.map.legend_title = "Agreements per county";
    EXPECT_EQ(choro::styles::legend_title(job), "Agreements per county");
}

}  // namespace
