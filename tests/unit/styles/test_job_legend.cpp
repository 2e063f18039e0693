// The [legend] and [labels] sections of a job file and the palette reversal: values read, bad ones
// failing at their line and column.

#include <string>

#include <gtest/gtest.h>

#include "choro/geo/error.hpp"
#include "choro/styles/job.hpp"

namespace {

using choro::styles::parse_job_text;

const std::string base = "[boundaries]\nsource = \"b.json\"\n";

TEST(JobLegend, SectionsAreRead) {
    const auto job =
        parse_job_text(base +
                           "[style]\npalette = \"viridis-r\"\nreverse_palette = true\n"
                           "[legend]\nformat = \"compact\"\nlayout = \"horizontal\"\nhistogram = true\n"
                           "[labels]\nselect = \"top:10\"\nformat = \"{name}\\\\n{value}\"\ncallouts = true\n",
                       "dir/job.toml",
                       "/data");
    EXPECT_EQ(job.style.palette, "viridis-r");
    EXPECT_TRUE(job.style.reverse_palette);
    EXPECT_EQ(job.legend.format, choro::styles::LegendFormat::compact);
    EXPECT_EQ(job.legend.layout, choro::styles::LegendLayout::horizontal);
    EXPECT_TRUE(job.legend.histogram);
    EXPECT_EQ(job.labels.select, "top:10");
    EXPECT_EQ(job.labels.format, "{name}\\n{value}");
    EXPECT_TRUE(job.labels.callouts);
    // Defaults.
    const auto plain = parse_job_text(base, "dir/job.toml", "/data");
    EXPECT_EQ(plain.legend.format, choro::styles::LegendFormat::automatic);
    EXPECT_EQ(plain.legend.layout, choro::styles::LegendLayout::vertical);
    EXPECT_FALSE(plain.legend.histogram);
    EXPECT_EQ(plain.labels.select, "");
    EXPECT_EQ(plain.labels.format, "{name}");
    EXPECT_FALSE(plain.labels.callouts);
}

void expect_error_at(const std::string& text, std::size_t line, const std::string& part) {
    try {
        (void)parse_job_text(base + text, "dir/job.toml", "/data");
        ADD_FAILURE() << "no JobError for:\n" << text;
    } catch (const choro::JobError& e) {
        const std::string what = e.what();
        EXPECT_EQ(e.line(), line) << what;
        EXPECT_NE(what.find(part), std::string::npos) << what;
    }
}

TEST(JobLegend, BadValuesFailWhereTheyAre) {
    expect_error_at("[legend]\nformat = \"compakt\"\n", 4, "did you mean 'compact'?");
    expect_error_at("[legend]\nlayout = \"round\"\n", 4, "vertical or horizontal");
    expect_error_at("[legend]\nhistogram = \"yes\"\n", 4, "boolean");
    expect_error_at("[legend]\nstyle = 1\n", 4, "unknown key 'style' in [legend]");
    expect_error_at("[labels]\nselect = \"top:0\"\n", 4, "top:N");
    expect_error_at("[labels]\nformat = \"{nme}\"\n", 4, "unknown field {nme}");
    expect_error_at("[labels]\ncallout = true\n", 4, "did you mean 'callouts'?");
    expect_error_at("[style]\npalette = \"Set1-rr\"\n", 4, "unknown palette");
    expect_error_at("[style]\nreverse_palette = 1\n", 4, "boolean");
    expect_error_at("[legnd]\nformat = \"plain\"\n", 3, "did you mean [legend]?");
}

}  // namespace
