#include <filesystem>
#include <string>

#include <gtest/gtest.h>

#include "choro/geo/error.hpp"
#include "choro/styles/job.hpp"

namespace {

namespace fs = std::filesystem;
using choro::JobError;
using choro::LimitError;
using choro::styles::Job;
using choro::styles::parse_job_file;
using choro::styles::parse_job_text;
using choro::styles::validate;

const fs::path jobs_dir = fs::path(CHORO_TEST_DATA) / "jobs";

/// Parses `text` as "dir/job.toml" and expects a JobError at `line`:`column` whose message contains `part`.
void expect_job_error(const std::string& text, std::size_t line, std::size_t column, const std::string& part) {
    try {
        (void)parse_job_text(text, "dir/job.toml", "/data");
        ADD_FAILURE() << "no JobError for:\n" << text;
    } catch (const JobError& e) {
        const std::string what = e.what();
        EXPECT_EQ(e.path(), "dir/job.toml") << what;
        EXPECT_EQ(e.line(), line) << what;
        EXPECT_EQ(e.column(), column) << what;
        EXPECT_NE(what.find(part), std::string::npos) << "message: " << what << "\nexpected to contain: " << part;
        const std::string prefix =
            line == 0 ? "dir/job.toml: " : "dir/job.toml:" + std::to_string(line) + ":" + std::to_string(column) + ": ";
        EXPECT_EQ(what.rfind(prefix, 0), 0u) << what;
    }
}

void expect_limit_error(const std::string& text, const std::string& part) {
    try {
        (void)parse_job_text(text, "dir/job.toml", "/data");
        ADD_FAILURE() << "no LimitError for:\n" << text;
    } catch (const LimitError& e) {
        EXPECT_NE(std::string(e.what()).find(part), std::string::npos) << e.what();
        EXPECT_EQ(std::string(e.what()).rfind("dir/job.toml:", 0), 0u) << e.what();
    }
}

TEST(Job, FullFileFillsEveryField) {
    const fs::path file = jobs_dir / "full.toml";
    const Job job = parse_job_file(file.string(), "/srv/data");
    const auto in_dir = [&](const std::string& rel) { return (jobs_dir / rel).lexically_normal().string(); };
    EXPECT_EQ(job.path, file.string());
    EXPECT_EQ(job.data_dir, "/srv/data");
    EXPECT_EQ(job.outputs, (std::vector<std::string>{in_dir("out/full.png"), in_dir("out/full.svg")}));
    EXPECT_EQ(job.boundaries.source, (fs::path(CHORO_TEST_DATA) / "maps/counties.json").lexically_normal().string());
    EXPECT_EQ(job.boundaries.layer, "counties");
    EXPECT_EQ(job.boundaries.key, "GEOID");
    EXPECT_EQ(job.boundaries.name, "NAMELSAD");
    EXPECT_EQ(job.boundaries.srs, "EPSG:4326");
    ASSERT_TRUE(job.overlay.has_value());
    EXPECT_EQ(job.overlay->source, "/srv/data/reference/us-atlas-3.0.1/states-10m.json");
    EXPECT_EQ(job.overlay->layer, "states");
    EXPECT_EQ(job.values.source, in_dir("values.csv"));
    EXPECT_EQ(job.values.sheet, "Sheet1");
    EXPECT_EQ(job.values.key, "fips");
    EXPECT_TRUE(job.values.count);
    EXPECT_EQ(job.values.duplicates, choro::geo::Duplicates::sum);
    EXPECT_EQ(job.highlight.source, "/srv/data/holdouts/documented_holdouts.csv");
    EXPECT_EQ(job.highlight.exclude_status, (std::vector<std::string>{"proposed_state_ban"}));
    EXPECT_EQ(job.highlight.label, "Holdout");
    EXPECT_EQ(job.highlight.state_label, "State ban");
    EXPECT_EQ(job.classify.method, choro::styles::Method::jenks);
    EXPECT_EQ(job.classify.classes, 7u);
    EXPECT_EQ(job.classify.zero, choro::styles::ZeroClass::on);
    EXPECT_EQ(job.style.palette, "Blues");
    EXPECT_EQ(job.style.background, (choro::styles::Color{0xfa, 0xfa, 0xfa, 255}));
    EXPECT_EQ(job.style.zero, (choro::styles::Color{255, 255, 255, 0x80}));
    EXPECT_DOUBLE_EQ(job.style.border_width, 0.5);
    EXPECT_DOUBLE_EQ(job.style.overlay_border_width, 1.0);
    EXPECT_EQ(job.style.overlay_border, (choro::styles::Color{0x33, 0x33, 0x33, 255}));
    EXPECT_EQ(job.style.highlight, (choro::styles::Color{0x00, 0x50, 0xa0, 255}));
    EXPECT_EQ(job.style.font, "DejaVu Serif");
    EXPECT_EQ(job.map.title, "287(g) agreements by county");
    EXPECT_EQ(job.map.notes, (std::vector<std::string>{"Counts of agreements.", "Holdouts hatched."}));
    EXPECT_EQ(job.map.legend_title, "Agreements");
    EXPECT_EQ(job.map.width, 1200);
    EXPECT_EQ(job.map.height, 800);
    EXPECT_EQ(job.map.dpi, 150);
    EXPECT_EQ(job.map.projection, "EPSG:5070");
    EXPECT_EQ(job.map.notes_file, in_dir("notes.txt"));
    EXPECT_EQ(job.tiles.zoom, (choro::geo::ZoomRange{2, 9}));
    ASSERT_TRUE(job.tiles.bbox.has_value());
    EXPECT_EQ(job.tiles.bbox->min, (choro::geo::LonLat{-125.0, 24.5}));
    EXPECT_EQ(job.tiles.bbox->max, (choro::geo::LonLat{-66.9, 49.4}));
    EXPECT_EQ(job.tiles.scale, 2);
    EXPECT_EQ(job.tiles.metatile, 4);
    EXPECT_NO_THROW(validate(job));
}

TEST(Job, MinimalFileKeepsDefaults) {
    const Job job = parse_job_file((jobs_dir / "minimal.toml").string(), "");
    const Job defaults;
    EXPECT_EQ(job.boundaries.source, "/vsizip/counties.zip/counties.shp");  // GDAL paths are kept
    EXPECT_FALSE(job.overlay.has_value());
    EXPECT_TRUE(job.values.source.empty());
    EXPECT_EQ(job.classify.method, defaults.classify.method);
    EXPECT_EQ(job.classify.classes, defaults.classify.classes);
    EXPECT_EQ(job.style.palette, defaults.style.palette);
    EXPECT_EQ(job.style.no_data, defaults.style.no_data);
    EXPECT_EQ(job.map.width, defaults.map.width);
    EXPECT_EQ(job.tiles.zoom, defaults.tiles.zoom);
    EXPECT_EQ(job.highlight.exclude_status, defaults.highlight.exclude_status);
    EXPECT_TRUE(job.outputs.empty());
    EXPECT_NO_THROW(validate(job));  // values are optional: a map without them is all no data
}

TEST(Job, PathsResolveAgainstTheJobFolder) {
    const Job job = parse_job_text(
        "output = \"map.png\"\n[boundaries]\nsource = \"../b.json\"\n[values]\nsource = \"/abs/v.csv\"\n"
        "[highlight]\nsource = \"{data}/h.csv\"\n",
        "jobs/sub/job.toml",
        "rel/data");
    EXPECT_EQ(job.outputs, (std::vector<std::string>{"jobs/sub/map.png"}));
    EXPECT_EQ(job.boundaries.source, "jobs/b.json");
    EXPECT_EQ(job.values.source, "/abs/v.csv");
    EXPECT_EQ(job.highlight.source, "rel/data/h.csv");  // {data} is relative to where choro runs
    const Job bare = parse_job_text("[boundaries]\nsource = \"b.json\"\n", "job.toml", "");
    EXPECT_EQ(bare.boundaries.source, "b.json");
}

TEST(Job, ZoomForms) {
    const auto zoom = [](const std::string& z) {
        const Job j = parse_job_text("[tiles]\nzoom = " + z + "\n", "job.toml", "");
        return std::pair{j.tiles.zoom.min, j.tiles.zoom.max};
    };
    EXPECT_EQ(zoom("\"0-7\""), (std::pair{0, 7}));
    EXPECT_EQ(zoom("\" 3 - 5 \""), (std::pair{3, 5}));
    EXPECT_EQ(zoom("[1, 22]"), (std::pair{1, 22}));
    EXPECT_EQ(zoom("4"), (std::pair{4, 4}));
    EXPECT_EQ(zoom("\"6\""), (std::pair{6, 6}));
}

TEST(Job, ClassifyVariants) {
    const Job manual = parse_job_text("[classify]\nbreaks = [1, 2.5, 10]\n", "job.toml", "");
    EXPECT_EQ(manual.classify.method, choro::styles::Method::manual);  // breaks alone mean manual
    EXPECT_EQ(manual.classify.manual_breaks, (std::vector<double>{1, 2.5, 10}));
    const Job zero = parse_job_text("[classify]\nmethod = \"equal\"\nzero = false\n", "job.toml", "");
    EXPECT_EQ(zero.classify.method, choro::styles::Method::equal);
    EXPECT_EQ(zero.classify.zero, choro::styles::ZeroClass::off);
    EXPECT_EQ(parse_job_text("[classify]\nzero = \"auto\"\n", "j", "").classify.zero,
              choro::styles::ZeroClass::automatic);
    EXPECT_EQ(parse_job_text("output = \"a.png\"\n", "", "").outputs, (std::vector<std::string>{"a.png"}));
    EXPECT_EQ(parse_job_text("[map]\nnotes = \"one\"\n", "", "").map.notes, (std::vector<std::string>{"one"}));
}

TEST(Job, UnknownKeysAndSections) {
    expect_job_error("[classify]\nclases = 5\n", 2, 1, "unknown key 'clases' in [classify]; did you mean 'classes'?");
    expect_job_error("[clasify]\nclasses = 5\n", 1, 2, "unknown section [clasify]; did you mean [classify]?");
    expect_job_error("outptu = \"a.png\"\n", 1, 1, "unknown key 'outptu'; did you mean 'output'?");
    expect_job_error("[map]\n  xyzzy = 1\n", 2, 3, "unknown key 'xyzzy' in [map]; known keys: title");
    expect_job_error("[colours]\n", 1, 2, "unknown section [colours]; known sections:");
    expect_job_error("[style]\npalete = \"Blues\"\n", 2, 1, "did you mean 'palette'?");
    expect_job_error("[boundaries]\nsource = \"a\"\nlayre = \"x\"\n", 3, 1, "did you mean 'layer'?");
}

TEST(Job, WrongTypes) {
    expect_job_error(
        "[classify]\nclasses = \"five\"\n", 2, 11, "'classes' in [classify] must be an integer, not a string");
    expect_job_error(
        "[map]\nwidth = 2400.5\n", 2, 9, "'width' in [map] must be an integer, not a floating-point number");
    expect_job_error("[boundaries]\nsource = 5\n", 2, 10, "'source' in [boundaries] must be a string, not an integer");
    expect_job_error("[values]\ncount = \"yes\"\n", 2, 9, "'count' in [values] must be a boolean");
    expect_job_error("[style]\nborder_width = \"thin\"\n", 2, 16, "'border_width' in [style] must be a number");
    expect_job_error("[classify]\nbreaks = [1, \"x\"]\n", 2, 14, "'breaks' in [classify] must be an array of numbers");
    expect_job_error("[classify]\nbreaks = 5\n", 2, 10, "must be an array of numbers, not an integer");
    expect_job_error("output = 5\n", 1, 10, "'output' must be a string or an array of strings, not an integer");
    expect_job_error("output = [\"a.png\", 3]\n", 1, 20, "'output' must be an array of strings");
    expect_job_error("[map]\nnotes = [\"a\", 2]\n", 2, 15, "'notes' in [map] must be an array of strings");
    expect_job_error("[highlight]\nexclude_status = true\n", 2, 18, "must be a string or an array of strings");
    expect_job_error("classify = 5\n", 1, 1, "[classify] must be a table, not an integer");
    expect_job_error("[[boundaries]]\nsource = \"a\"\n", 1, 3, "[boundaries] must be a table, not an array");
    expect_job_error("[tiles]\nzoom = true\n", 2, 8, "'zoom' in [tiles] must be a string");
    expect_job_error("[tiles]\nbbox = \"world\"\n", 2, 8, "'bbox' in [tiles] must be an array of numbers");
    expect_job_error(
        "[classify]\nzero = 1\n", 2, 8, "'zero' in [classify] must be \"auto\", \"on\", \"off\" or a boolean");
}

TEST(Job, BadValues) {
    expect_job_error("[style]\nborder = \"white\"\n", 2, 10, "'border' in [style]: invalid colour 'white'");
    expect_job_error("[style]\npalette = \"Bluse\"\n", 2, 11, "did you mean 'Blues'?");
    expect_job_error("[classify]\nmethod = \"jenk\"\n", 2, 10, "did you mean 'jenks'?");
    expect_job_error("[classify]\nbreaks = [5, 1]\n", 2, 10, "'breaks' in [classify] must be ascending");
    expect_job_error("[classify]\nzero = \"maybe\"\n", 2, 8, "must be \"auto\", \"on\" or \"off\"");
    expect_job_error(
        "[values]\nduplicates = \"mean\"\n", 2, 14, "must be \"error\", \"first\" or \"sum\", not \"mean\"");
    expect_job_error("[style]\nborder_width = -1\n", 2, 16, "'border_width' in [style] must not be negative");
    expect_job_error("[tiles]\nzoom = \"7-2\"\n", 2, 8, "'zoom' in [tiles] has its minimum 7 above its maximum 2");
    expect_job_error("[tiles]\nzoom = \"a-b\"\n", 2, 8, "'zoom' in [tiles] is 'a-b', not a zoom range");
    expect_job_error("[tiles]\nzoom = [1, 2, 3]\n", 2, 8, "'zoom' in [tiles] must be \"min-max\"");
    expect_job_error("[tiles]\nzoom = -1\n", 2, 8, "must not be negative");
    expect_job_error("[tiles]\nscale = 3\n", 2, 9, "'scale' in [tiles] must be at most 2, not 3");
    expect_job_error("[tiles]\nmetatile = 0\n", 2, 12, "'metatile' in [tiles] must be at least 1, not 0");
    expect_job_error("[tiles]\nbbox = [1, 2, 3]\n", 2, 8, "must have 4 numbers");
    expect_job_error("[tiles]\nbbox = [10, 0, 10, 5]\n", 2, 8, "not a box");
    expect_job_error("[map]\nwidth = 0\n", 2, 9, "'width' in [map] must be at least 1, not 0");
    expect_job_error("[map]\ndpi = -5\n", 2, 7, "'dpi' in [map] must be at least 1");
    expect_job_error("[classify]\nclasses = 0\n", 2, 11, "'classes' in [classify] must be at least 1");
}

TEST(Job, DataTokenWithoutDataFolder) {
    try {
        (void)parse_job_text("[overlay]\nsource = \"{data}/s.json\"\n", "dir/job.toml", "");
        FAIL() << "expected JobError";
    } catch (const JobError& e) {
        EXPECT_EQ(e.line(), 2u);
        EXPECT_EQ(e.column(), 10u);
        EXPECT_NE(std::string(e.what()).find("no data folder is set"), std::string::npos) << e.what();
    }
}

TEST(Job, LimitsAreLimitErrors) {
    expect_limit_error("[map]\nwidth = 20001\n", "'width' in [map] 20001 is beyond the limit of 20000");
    expect_limit_error("[map]\nheight = 99999999999\n", "'height' in [map]");
    expect_limit_error("[map]\ndpi = 2401\n", "beyond the limit of 2400");
    expect_limit_error("[classify]\nclasses = 13\n", "beyond the limit of 12");
    expect_limit_error("[tiles]\nzoom = \"0-23\"\n", "'zoom' in [tiles] 23 is beyond the limit of 22");
    expect_limit_error("[tiles]\nmetatile = 17\n", "beyond the limit of 16");
    try {
        (void)parse_job_text("[map]\nwidth = 20001\n", "", "");
        ADD_FAILURE() << "expected LimitError";
    } catch (const LimitError& e) {
        EXPECT_EQ(std::string(e.what()).rfind("job:2:9: ", 0), 0u) << e.what();
    }
}

TEST(Job, SyntaxErrorsCarryTomlPositions) {
    try {
        (void)parse_job_text("[map]\ntitle = \"unterminated\n", "dir/job.toml", "");
        FAIL() << "expected JobError";
    } catch (const JobError& e) {
        EXPECT_EQ(e.line(), 2u) << e.what();
        EXPECT_GT(e.column(), 8u) << e.what();
        EXPECT_NE(std::string(e.what()).find("TOML syntax error"), std::string::npos) << e.what();
    }
    try {
        (void)parse_job_text("[map]\nwidth = 1\nwidth = 2\n", "dir/job.toml", "");
        FAIL() << "expected JobError";
    } catch (const JobError& e) {
        EXPECT_EQ(e.line(), 3u) << e.what();  // toml++ points at the value of the second 'width'
        EXPECT_EQ(e.column(), 9u) << e.what();
        EXPECT_NE(std::string(e.what()).find("width"), std::string::npos) << e.what();
    }
}

TEST(Job, EmptyFiles) {
    expect_job_error("", 0, 0, "empty job file");
    try {
        (void)parse_job_text("# only a comment\n\n   # another\n", "dir/job.toml", "");
        FAIL() << "expected JobError";
    } catch (const JobError& e) {
        EXPECT_NE(std::string(e.what()).find("empty job file"), std::string::npos);
    }
}

TEST(Job, MissingFile) {
    try {
        (void)parse_job_file((jobs_dir / "does-not-exist.toml").string(), "");
        FAIL() << "expected JobError";
    } catch (const JobError& e) {
        EXPECT_NE(std::string(e.what()).find("does-not-exist.toml"), std::string::npos);
        EXPECT_NE(std::string(e.what()).find("cannot open"), std::string::npos);
    }
    EXPECT_THROW((void)parse_job_file(jobs_dir.string(), ""), JobError);
}

TEST(Job, ExpandPath) {
    EXPECT_EQ(choro::styles::expand_path("{data}/a/{data}.csv", "/d"), "/d/a//d.csv");
    EXPECT_EQ(choro::styles::expand_path("plain.csv", ""), "plain.csv");
    EXPECT_THROW((void)choro::styles::expand_path("{data}/x", ""), JobError);
}

Job valid_job() {
    Job job;
    job.path = "j.toml";
    job.boundaries.source = "b.json";
    return job;
}

template <class E>
void expect_invalid(const Job& job, const std::string& part) {
    try {
        validate(job);
        ADD_FAILURE() << "validate accepted a job; expected: " << part;
    } catch (const E& e) {
        EXPECT_NE(std::string(e.what()).find(part), std::string::npos) << e.what();
    } catch (const std::exception& e) {
        ADD_FAILURE() << "wrong exception type: " << e.what();
    }
}

TEST(Validate, RequiredSettings) {
    EXPECT_NO_THROW(validate(valid_job()));
    expect_invalid<JobError>(Job{}, "no boundaries");
    Job j = valid_job();
    j.overlay = choro::styles::BoundarySource{};
    expect_invalid<JobError>(j, "[overlay] has no source");
    j = valid_job();
    j.values.source = "v.csv";
    expect_invalid<JobError>(j, "[values] needs key");
    j.values.key = "fips";
    expect_invalid<JobError>(j, "needs value");
    j.values.count = true;
    EXPECT_NO_THROW(validate(j));
    j.values.value = "n";
    expect_invalid<JobError>(j, "both value and count");
    j = valid_job();
    j.highlight.source = "h.csv";
    j.highlight.key = "";  // a state map: only state-level rows
    EXPECT_NO_THROW(validate(j));
    j = valid_job();
    j.map.projection = "";
    expect_invalid<JobError>(j, "projection");
}

TEST(Validate, Limits) {
    Job j = valid_job();
    j.map.width = 20001;
    expect_invalid<LimitError>(j, "width in [map] 20001 is beyond the limit of 20000");
    j.map.width = 0;
    expect_invalid<JobError>(j, "width in [map] must be at least 1");
    j = valid_job();
    j.map.height = 30000;
    expect_invalid<LimitError>(j, "height");
    j = valid_job();
    j.map.dpi = 2401;
    expect_invalid<LimitError>(j, "dpi");
    j = valid_job();
    j.classify.classes = 13;
    expect_invalid<LimitError>(j, "classes in [classify] 13");
    j.classify.classes = 0;
    expect_invalid<JobError>(j, "classes in [classify] must be at least 1");
    j = valid_job();
    j.classify.classes = 12;  // YlOrRd stops at 9: blended beyond
    EXPECT_NO_THROW(validate(j));
    j.style.palette = "Bluse";
    expect_invalid<JobError>(j, "did you mean 'Blues'");
    j = valid_job();
    j.tiles.zoom.max = 23;
    expect_invalid<LimitError>(j, "zoom in [tiles] 23");
    j = valid_job();
    j.tiles.zoom.min = 5;
    j.tiles.zoom.max = 4;
    expect_invalid<JobError>(j, "has its minimum 5 above its maximum 4");
    j = valid_job();
    j.legend.histogram = true;
    j.legend.layout = choro::styles::LegendLayout::horizontal;
    expect_invalid<JobError>(j, "histogram (--legend-histogram) needs the vertical legend");
    j.legend.layout = choro::styles::LegendLayout::vertical;
    EXPECT_NO_THROW(validate(j));
    j = valid_job();
    j.tiles.metatile = 17;
    expect_invalid<LimitError>(j, "metatile");
    j = valid_job();
    j.tiles.scale = 3;
    expect_invalid<JobError>(j, "scale");
    j = valid_job();
    j.tiles.bbox = choro::geo::Box<choro::geo::LonLat>{};
    j.tiles.bbox->min = {0, 0};
    j.tiles.bbox->max = {0, 1};  // W = E
    expect_invalid<JobError>(j, "bbox");
}

TEST(Validate, ManualBreaks) {
    Job j = valid_job();
    j.classify.method = choro::styles::Method::manual;
    expect_invalid<JobError>(j, "manual classification needs breaks");
    j.classify.manual_breaks = {3, 2};
    expect_invalid<JobError>(j, "ascending");
    j.classify.manual_breaks = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12};
    expect_invalid<LimitError>(j, "13 is beyond the limit of 12");
    j.classify.manual_breaks = {1, 2, 3, 4, 5, 6, 7, 8, 9};  // 10 classes, YlOrRd has 9: blended
    EXPECT_NO_THROW(validate(j));
    j.classify.manual_breaks = {1, 2};
    EXPECT_NO_THROW(validate(j));
}

TEST(Job, RepositoryJobFilesParseAndValidate) {
    const fs::path dir = fs::path(CHORO_SOURCE_DIR) / "jobs";
    if (!fs::is_directory(dir)) {
        GTEST_SKIP() << "no " << dir;
    }
    std::size_t n = 0;
    for (const auto& entry : fs::directory_iterator(dir)) {
        if (entry.path().extension() == ".toml") {
            SCOPED_TRACE(entry.path().string());
            EXPECT_NO_THROW(validate(parse_job_file(entry.path().string(), "../shared/data")));
            ++n;
        }
    }
    EXPECT_GT(n, 0u);
}

}  // namespace
