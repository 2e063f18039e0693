// Issue 12 in the geo library: loud joins (errors and hints), keys normalised the same way on
// both sides, numbers as people write them, bounded input files, messages that show invisible
// characters, temporary names that fit the folder, and interrupts that leave outputs alone.

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "test_support.hpp"
#include <gtest/gtest.h>
#include <sys/stat.h>

#include "choro/geo/atomic_file.hpp"
#include "choro/geo/error.hpp"
#include "choro/geo/input_file.hpp"
#include "choro/geo/interrupt.hpp"
#include "choro/geo/join.hpp"
#include "choro/geo/keys.hpp"
#include "choro/geo/table.hpp"

namespace fs = std::filesystem;
using choro::InputError;
using namespace choro::geo;

namespace {

/// Four features whose key is `keys[i]`, with the FIPS codes in attribute GEOID.
Layer grid(const std::vector<std::string>& keys) {
    Layer layer;
    layer.source = "grid.geojson";
    const char* fips[] = {"01001", "01003", "01005", "01007"};
    for (std::size_t i = 0; i < keys.size(); ++i) {
        Feature f;
        f.key = keys[i];
        f.attributes = {{"GEOID", fips[i % 4]}, {"NAME", "County " + std::to_string(i)}};
        layer.features.push_back(f);
    }
    return layer;
}

Table values(const std::vector<std::pair<std::string, std::string>>& rows) {
    Table t;
    t.source = "values.csv";
    t.columns = {"fips", "value"};
    for (std::size_t i = 0; i < rows.size(); ++i) {
        t.rows.push_back({rows[i].first, rows[i].second});
        t.lines.push_back(i + 2);
    }
    return t;
}

JoinOptions options() {
    JoinOptions o;
    o.key_column = "fips";
    o.value_column = "value";
    return o;
}

std::string join_error(const Layer& l, const Table& t, const JoinOptions& o) {
    try {
        (void)join(l, t, o);
    } catch (const InputError& e) {
        return e.what();
    }
    return "";
}

const Table fips_table = values({{"01001", "3"}, {"01003", "0"}, {"01005", "7"}, {"01007", "1"}});

TEST(LoudJoin, NothingJoinedIsAnErrorNamingTheFieldThatWouldMatch) {
    auto o = options();
    o.key_field = "";  // the feature ids 0..3, as when --key is forgotten
    const std::string e = join_error(grid({"0", "1", "2", "3"}), fips_table, o);
    EXPECT_NE(e.find("no feature joined"), std::string::npos) << e;
    EXPECT_NE(e.find("--key GEOID"), std::string::npos) << e;
    EXPECT_NE(e.find("matches 4 of 4"), std::string::npos) << e;
}

TEST(LoudJoin, CensusGeoIdIsNamed) {
    const auto t = values({{"0500000US01001", "3"}, {"0500000US01003", "0"}});
    const std::string e = join_error(grid({"01001", "01003", "01005", "01007"}), t, options());
    EXPECT_NE(e.find("GEO_ID"), std::string::npos) << e;
    EXPECT_NE(e.find("2 of 2 would match"), std::string::npos) << e;
}

TEST(LoudJoin, CaseIsNamed) {
    const auto t = values({{"al", "1"}, {"ga", "2"}});
    const std::string e = join_error(grid({"AL", "GA", "MS", "TN"}), t, options());
    EXPECT_NE(e.find("upper and lower case"), std::string::npos) << e;
}

TEST(LoudJoin, AnotherTableColumnIsNamed) {
    Table t;
    t.source = "values.csv";
    t.columns = {"name", "fips", "value"};
    t.rows = {{"A", "01001", "1"}, {"B", "01003", "2"}};
    t.lines = {2, 3};
    auto o = options();
    o.key_column = "name";
    const std::string e = join_error(grid({"01001", "01003", "01005", "01007"}), t, o);
    EXPECT_NE(e.find("--values-key fips"), std::string::npos) << e;
}

TEST(LoudJoin, FewerThanHalfIsWeakAndMinMatchMakesItAnError) {
    const auto l = grid({"01001", "01003", "01005", "01007"});
    const auto t = values({{"01001", "3"}, {"99999", "1"}});
    const auto r = join(l, t, options());
    EXPECT_TRUE(r.report.weak);
    EXPECT_EQ(r.report.matched, 1u);
    auto o = options();
    o.min_match = 0.5;
    const std::string e = join_error(l, t, o);
    EXPECT_NE(e.find("1 of 4"), std::string::npos) << e;
    EXPECT_NE(e.find("--min-match"), std::string::npos) << e;
    o.min_match = 0.25;
    EXPECT_NO_THROW((void)join(l, t, o));
    EXPECT_FALSE(join(l, fips_table, options()).report.weak);
}

TEST(LoudJoin, CountModeWithNothingJoinedIsAnError) {
    JoinOptions o;
    o.key_column = "fips";
    o.count = true;
    EXPECT_NE(join_error(grid({"01001", "01003", "01005", "01007"}), values({{"99", ""}}), o).find("no feature joined"),
              std::string::npos);
}

TEST(SameKeysBothSides, IntegerBoundaryKeysMeetPaddedTableKeys) {
    // Boundaries stored as integers (1001, 48001: no single width), table as text with zeros.
    const auto l = grid({"1001", "1003", "48001", "48003"});
    const auto t = values({{"01001", "3"}, {"01003", "0"}, {"48001", "7"}, {"048003", "1"}});
    const auto r = join(l, t, options());
    EXPECT_EQ(r.report.matched, 4u);
    EXPECT_EQ(r.values[0], std::optional<double>(3.0));
    ASSERT_FALSE(r.report.fixes.empty());  // '01001' → '1001' is reported
}

TEST(SameKeysBothSides, InvisibleAndFullWidthCharactersAreRemovedOnBothSides) {
    const auto l =
        grid({"\xE2\x80\x8B"
              "01001",
              "01003",
              "01005",
              "01007"});
    const auto t = values({{"01001", "3"},
                           {"01003\xE3\x80\x80", "0"},
                           {"\xEF\xBC\x90\xEF\xBC\x91\xEF\xBC\x90\xEF\xBC\x90\xEF\xBC\x95", "7"},
                           {"010\xE2\x80\x8D"
                            "07\xEF\xBB\xBF",
                            "1"}});
    const auto r = join(l, t, options());
    EXPECT_EQ(r.report.matched, 4u);
    EXPECT_NE(summary(r.report).find("\\u"), std::string::npos) << summary(r.report);
}

TEST(SameKeysBothSides, NormalisingIsIdempotentWhenRemovalJoinsBytes) {
    // A zero-width joiner between the bytes of another zero-width space.
    const std::string tricky =
        "\xE2"
        "\xE2\x80\x8D"
        "\x80\x8B"
        "12";
    const std::string once = normalise_key(tricky, KeyShape{});
    EXPECT_EQ(normalise_key(once, KeyShape{}), once);
    EXPECT_EQ(once, "12");
    EXPECT_EQ(match_key("01001"), match_key("1001"));
    EXPECT_EQ(match_key("000"), "0");
    EXPECT_NE(match_key("AB01"), match_key("AB1"));
}

NumberFormat fmt(char decimal, std::string thousands = {}, bool percent = false, bool currency = false) {
    NumberFormat f;
    f.decimal = decimal;
    f.thousands = std::move(thousands);
    f.strip_percent = percent;
    f.strip_currency = currency;
    return f;
}

TEST(Numbers, AsPeopleWriteThem) {
    EXPECT_EQ(parse_number("5,2", fmt(',')), std::optional<double>(5.2));
    EXPECT_EQ(parse_number("1.234,5", fmt(',')), std::optional<double>(1234.5));
    EXPECT_EQ(parse_number("1 234,5", fmt(',')), std::optional<double>(1234.5));
    EXPECT_EQ(parse_number("1\xC2\xA0"
                           "234",
                           fmt(',')),
              std::optional<double>(1234.0));
    EXPECT_EQ(parse_number("1'234.5", fmt('.', "'")), std::optional<double>(1234.5));
    EXPECT_EQ(parse_number("1,234", fmt('.', "none")), std::nullopt);
    EXPECT_EQ(parse_number("5,2"), std::nullopt);  // not a grouping of three
    EXPECT_EQ(parse_number("1.2.3"), std::nullopt);
    EXPECT_EQ(parse_number("5.2%"), std::nullopt);  // only when told or when the column agrees
    EXPECT_EQ(parse_number("5.2%", fmt('.', {}, true)), std::optional<double>(5.2));
    EXPECT_EQ(parse_number("-$1,200", fmt('.', {}, false, true)), std::optional<double>(-1200.0));
    EXPECT_EQ(parse_number("1.200 \xE2\x82\xAC", fmt(',', {}, false, true)), std::optional<double>(1200.0));
    EXPECT_EQ(parse_number("1e3"), std::optional<double>(1000.0));
    EXPECT_EQ(parse_number(".5"), std::optional<double>(0.5));
}

TEST(Numbers, SignsAreStrippedWhenTheWholeColumnAgrees) {
    const auto l = grid({"01001", "01003", "01005", "01007"});
    const auto all = values({{"01001", "5%"}, {"01003", "1.5 %"}, {"01005", ""}, {"01007", "NA"}});
    EXPECT_EQ(join(l, all, options()).values[1], std::optional<double>(1.5));
    const auto mixed = values({{"01001", "5%"}, {"01003", "2"}, {"01005", "7"}, {"01007", "1"}});
    EXPECT_EQ(join(l, mixed, options()).values[0], std::nullopt);
    auto strip = options();
    strip.signs = SignMode::strip;
    EXPECT_EQ(join(l, mixed, strip).values[0], std::optional<double>(5.0));
    auto keep = options();
    keep.signs = SignMode::keep;
    EXPECT_NE(join_error(l, all, keep).find("holds no numbers"), std::string::npos);
    const auto dollars = values({{"01001", "$1,200"}, {"01003", "$0"}, {"01005", "$7"}, {"01007", "$1.50"}});
    EXPECT_EQ(join(l, dollars, options()).values[0], std::optional<double>(1200.0));
}

TEST(Numbers, ATextColumnIsAnErrorAndDecimalCommasAreNamed) {
    const auto l = grid({"01001", "01003", "01005", "01007"});
    const std::string text = join_error(l, values({{"01001", "Autauga"}, {"01003", "Baldwin"}}), options());
    EXPECT_NE(text.find("holds no numbers"), std::string::npos) << text;
    const std::string commas =
        join_error(l, values({{"01001", "5,2"}, {"01003", "0,5"}, {"01005", "1,25"}, {"01007", "3,5"}}), options());
    EXPECT_NE(commas.find("--decimal ,"), std::string::npos) << commas;
}

TEST(Messages, VisibleEscapesWhatCannotBeSeen) {
    EXPECT_EQ(visible(std::string("a\0b", 3)), "a\\0b");
    EXPECT_EQ(visible("x\xE2\x80\x8By"), "x\\u200By");
    EXPECT_EQ(visible("\xE3\x80\x80"), "\\u3000");
    EXPECT_EQ(visible("\xEF\xBC\x90"), "\\uFF10");
    EXPECT_EQ(visible("\x1B[31m"), "\\x1B[31m");
    EXPECT_EQ(visible("\xFF"), "\\xFF");
    EXPECT_EQ(visible("Do\xC3\xB1"
                      "a Ana"),
              "Do\xC3\xB1"
              "a Ana");  // ordinary letters stay
}

TEST(InputFiles, OnlyRegularFilesWithinTheLimit) {
    const auto dir = choro::test::temp_dir();
    const auto fifo = dir / "pipe.csv";
    ASSERT_EQ(::mkfifo(fifo.c_str(), 0644), 0);
    try {
        (void)read_input_file(fifo.string(), 100, "value table");
        FAIL() << "a FIFO was read";
    } catch (const InputError& e) {
        EXPECT_NE(std::string(e.what()).find("FIFO"), std::string::npos) << e.what();
    }
    EXPECT_THROW((void)read_input_file("/dev/zero", 100, "value table"), InputError);
    EXPECT_THROW((void)read_input_file(dir.string(), 100, "value table"), InputError);
    const auto big = choro::test::write_file(dir / "big.txt", std::string(101, 'x'));
    EXPECT_THROW((void)read_input_file(big.string(), 100, "value table"), InputError);
    EXPECT_EQ(read_input_file(big.string(), 101, "value table").size(), 101u);
}

TEST(InputFiles, NotesMustBeText) {
    const auto dir = choro::test::temp_dir();
    const auto ok = choro::test::write_file(dir / "ok.txt", "one\r\n\r\n two \nthree");
    EXPECT_EQ(read_notes_file(ok.string()), (std::vector<std::string>{"one", " two", "three"}));
    const auto bin = choro::test::write_file(dir / "bin.txt", std::string("PK\3\4\0\0", 6));
    EXPECT_THROW((void)read_notes_file(bin.string()), InputError);
    const auto latin = choro::test::write_file(dir / "latin.txt",
                                               "Do\xF1"
                                               "a\n");
    EXPECT_THROW((void)read_notes_file(latin.string()), InputError);
}

TEST(AtomicNames, ALongLegalNameGetsAHashedTemporary) {
    const auto dir = choro::test::temp_dir();
    const auto target = dir / (std::string(250, 'n') + ".png");
    write_file_atomic(target, "bytes");
    EXPECT_EQ(choro::test::read_file(target), "bytes");
    const AtomicFile file(target);
    EXPECT_LE(file.path().filename().string().size(), 255u);
    EXPECT_EQ(file.path().parent_path(), dir);
}

TEST(AtomicNames, ErrorsSayWhy) {
    const auto dir = choro::test::temp_dir();
    try {
        write_file_atomic(dir / (std::string(300, 'n') + ".png"), "x");
        FAIL() << "a 304-byte name was written";
    } catch (const choro::RenderError& e) {
        EXPECT_NE(std::string(e.what()).find("too long"), std::string::npos) << e.what();
    }
    try {
        write_file_atomic("/dev/full/x.png", "x");
        FAIL();
    } catch (const choro::RenderError& e) {
        EXPECT_NE(std::string(e.what()).find(": "), std::string::npos) << e.what();
    }
}

TEST(Interrupt, RegisteredTemporariesGoAndTheTargetStays) {
    const auto dir = choro::test::temp_dir();
    const auto target = choro::test::write_file(dir / "map.png", "previous");
    {
        AtomicFile file(target);
        choro::test::write_file(file.path(), "new");
        const int slot = register_temporary(dir / "other.tmp");
        choro::test::write_file(dir / "other.tmp", "x");
        request_interrupt(2);
        EXPECT_THROW(check_interrupted(), Interrupted);
        remove_registered_temporaries();  // what the second signal does
        EXPECT_FALSE(fs::exists(file.path()));
        EXPECT_FALSE(fs::exists(dir / "other.tmp"));
        unregister_temporary(slot);
    }
    EXPECT_EQ(choro::test::read_file(target), "previous");
    EXPECT_THROW(check_interrupted(), Interrupted);
    reset_interrupt();
    EXPECT_NO_THROW(check_interrupted());
}

}  // namespace
