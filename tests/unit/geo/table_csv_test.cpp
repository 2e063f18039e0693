#include <cmath>
#include <filesystem>
#include <optional>
#include <string>

#include "test_support.hpp"
#include <gtest/gtest.h>

#include "choro/geo/error.hpp"
#include "choro/geo/table.hpp"

namespace fs = std::filesystem;
using choro::InputError;
using choro::geo::parse_number;
using choro::geo::read_table;
using choro::geo::Table;

namespace {

fs::path csv(const std::string& name, const std::string& text) {
    return choro::test::write_file(choro::test::temp_dir() / name, text);
}

/// Runs read_table expecting an InputError; returns it.
InputError expect_input_error(const fs::path& path) {
    try {
        (void)read_table(path.string());
    } catch (const InputError& e) {
        return e;
    }
    ADD_FAILURE() << "no InputError for " << path;
    return InputError(path.string(), "none");
}

bool contains(const std::string& hay, const std::string& needle) {
    return hay.find(needle) != std::string::npos;
}

TEST(ReadCsv, QuotedCellsWithCommasQuotesAndNewlines) {
    const auto path = csv("t.csv",
                          "fips , name,note\n"
                          "01001,\"Autauga, AL\",\"say \"\"hi\"\"\"\n"
                          "01003,Baldwin ,\"two\nlines\"\n"
                          "01005,Barbour,\n");
    const Table t = read_table(path.string());
    ASSERT_EQ(t.columns, (std::vector<std::string>{"fips", "name", "note"}));  // header trimmed
    ASSERT_EQ(t.rows.size(), 3u);
    EXPECT_EQ(t.rows[0], (std::vector<std::string>{"01001", "Autauga, AL", "say \"hi\""}));
    EXPECT_EQ(t.rows[1], (std::vector<std::string>{"01003", "Baldwin ", "two\nlines"}));  // cells kept as read
    EXPECT_EQ(t.rows[2], (std::vector<std::string>{"01005", "Barbour", ""}));
    // Row 3 starts on line 3 and spans two lines, so row 4 starts on line 5.
    EXPECT_EQ(t.lines, (std::vector<std::size_t>{2, 3, 5}));
    EXPECT_EQ(t.source, path.string());
    EXPECT_TRUE(t.warnings.empty());
}

TEST(ReadCsv, BomIsStrippedWithWarning) {
    const auto path = csv("bom.csv", "\xEF\xBB\xBFkey,value\n1,2\n");
    const Table t = read_table(path.string());
    EXPECT_EQ(t.columns.front(), "key");
    ASSERT_EQ(t.warnings.size(), 1u);
    EXPECT_TRUE(contains(t.warnings.front(), "BOM")) << t.warnings.front();
}

TEST(ReadCsv, CrlfLineEnds) {
    const Table t = read_table(csv("crlf.csv", "a,b\r\n1,2\r\n3,\"x\r\ny\"\r\n5,6").string());
    ASSERT_EQ(t.rows.size(), 3u);
    EXPECT_EQ(t.columns, (std::vector<std::string>{"a", "b"}));
    EXPECT_EQ(t.rows[0][1], "2");  // no stray \r
    EXPECT_EQ(t.rows[1][1], "x\r\ny");
    EXPECT_EQ(t.rows[2][1], "6");  // last line without a line end
    EXPECT_EQ(t.lines, (std::vector<std::size_t>{2, 3, 5}));
}

TEST(ReadCsv, BlankLinesAreSkipped) {
    const Table t = read_table(csv("blank.csv", "a,b\n\n1,2\n\n3,4\n\n").string());
    ASSERT_EQ(t.rows.size(), 2u);
    EXPECT_EQ(t.lines, (std::vector<std::size_t>{3, 5}));
}

TEST(ReadCsv, TabSeparated) {
    const Table t = read_table(csv("t.tsv", "a\tb\n1,5\t2\n").string());
    ASSERT_EQ(t.rows.size(), 1u);
    EXPECT_EQ(t.rows[0], (std::vector<std::string>{"1,5", "2"}));
}

TEST(ReadCsv, RaggedRowNamesPathAndLine) {
    const auto path = csv("ragged.csv", "a,b,c\n1,2,3\n\"x\ny\",2,3\n4,5\n");
    const auto e = expect_input_error(path);
    EXPECT_EQ(e.line(), 5u);
    EXPECT_EQ(e.path(), path.string());
    const std::string msg = e.what();
    EXPECT_TRUE(contains(msg, path.string() + ":5:")) << msg;
    EXPECT_TRUE(contains(msg, "2 cells")) << msg;
    EXPECT_TRUE(contains(msg, "header has 3")) << msg;
}

TEST(ReadCsv, UnterminatedQuoteNamesLineWhereCellBegan) {
    const auto path = csv("open.csv", "a,b\n1,2\n3,\"never\nclosed\nat all\n");
    const auto e = expect_input_error(path);
    EXPECT_EQ(e.line(), 3u);
    EXPECT_TRUE(contains(e.what(), "unterminated quote")) << e.what();
}

TEST(ReadCsv, TextAfterClosingQuoteIsAnError) {
    const auto e = expect_input_error(csv("after.csv", "a,b\n\"x\"y,2\n"));
    EXPECT_EQ(e.line(), 2u);
    EXPECT_TRUE(contains(e.what(), "closing quote")) << e.what();
}

TEST(ReadCsv, QuoteInsideUnquotedCellIsAnError) {
    const auto e = expect_input_error(csv("stray.csv", "a,b\n1,ab\"c\n"));
    EXPECT_EQ(e.line(), 2u);
    EXPECT_TRUE(contains(e.what(), "column 5")) << e.what();
}

TEST(ReadCsv, NonUtf8ByteNamesLineAndColumn) {
    // Latin-1 "é" (0xE9) in "Doña Ana"-like text on line 3, 9th byte of the line.
    const auto path = csv("latin1.csv", "key,name\n1,ok\n2,Ca\xF1on \xE9t\xE9\n");
    const auto e = expect_input_error(path);
    EXPECT_EQ(e.line(), 3u);
    const std::string msg = e.what();
    EXPECT_TRUE(contains(msg, "column 5")) << msg;  // "2,Ca" is 4 bytes, 0xF1 is the 5th
    EXPECT_TRUE(contains(msg, "0xF1")) << msg;
    EXPECT_TRUE(contains(msg, "must be UTF-8")) << msg;
    EXPECT_TRUE(contains(msg, "byte offset 18")) << msg;  // 9 + 5 bytes before line 3, then 4
}

TEST(ReadCsv, MalformedUtf8SequencesAreRejected) {
    for (const std::string& bad : {std::string("\xC0\xAF"),          // overlong '/'
                                   std::string("\xED\xA0\x80"),      // UTF-16 surrogate
                                   std::string("\xF4\x90\x80\x80"),  // above U+10FFFF
                                   std::string("\xE2\x82")}) {       // truncated at end of file
        const auto e = expect_input_error(csv("bad.csv", "k\n" + bad));
        EXPECT_EQ(e.line(), 2u);
        EXPECT_TRUE(contains(e.what(), "UTF-8")) << e.what();
    }
    // Well-formed multi-byte text passes: 2-, 3- and 4-byte sequences.
    const Table t = read_table(csv("good.csv",
                                   "k\nDo\xC3\xB1"
                                   "a \xE2\x82\xAC \xF0\x9F\x97\xBA\n")
                                   .string());
    EXPECT_EQ(t.rows[0][0],
              "Do\xC3\xB1"
              "a \xE2\x82\xAC \xF0\x9F\x97\xBA");
}

TEST(ReadCsv, EmptyFileAndHeaderOnlyHaveNoRows) {
    for (const std::string& text : {std::string(), std::string("\n\n"), std::string("\xEF\xBB\xBF")}) {
        const auto e = expect_input_error(csv("empty.csv", text));
        EXPECT_TRUE(contains(e.what(), "no rows")) << e.what();
    }
    const auto e = expect_input_error(csv("header.csv", "a,b,c\n"));
    EXPECT_TRUE(contains(e.what(), "no rows")) << e.what();
}

TEST(ReadCsv, MissingFileAndUnknownFormat) {
    const auto missing = choro::test::temp_dir() / "nope.csv";
    const auto e = expect_input_error(missing);
    EXPECT_EQ(e.path(), missing.string());
    EXPECT_TRUE(contains(e.what(), "no such file")) << e.what();
    const auto e2 = expect_input_error(csv("data.ods", "a\n1\n"));
    EXPECT_TRUE(contains(e2.what(), ".ods")) << e2.what();
}

TEST(Table, FindColumnExactThenLoose) {
    const Table t = read_table(csv("cols.csv", "STATE,County ,county\n1,2,3\n").string());
    EXPECT_EQ(t.find_column("county"), std::optional<std::size_t>(2));  // exact wins
    EXPECT_EQ(t.find_column("COUNTY"), std::optional<std::size_t>(1));  // then case-insensitive
    EXPECT_EQ(t.find_column(" state "), std::optional<std::size_t>(0));
    EXPECT_EQ(t.find_column("fips"), std::nullopt);
    EXPECT_EQ(t.column("State"), 0u);
    try {
        (void)t.column("fips");
        FAIL() << "expected InputError";
    } catch (const InputError& e) {
        const std::string msg = e.what();
        EXPECT_TRUE(contains(msg, "'fips'")) << msg;
        EXPECT_TRUE(contains(msg, "'STATE', 'County', 'county'")) << msg;
        EXPECT_TRUE(contains(msg, "cols.csv")) << msg;
    }
}

struct NumberCase {
    const char* cell;
    std::optional<double> expected;
};

class ParseNumber : public ::testing::TestWithParam<NumberCase> {};

TEST_P(ParseNumber, MatchesTable) {
    const auto& c = GetParam();
    const auto got = parse_number(c.cell);
    ASSERT_EQ(got.has_value(), c.expected.has_value()) << "cell '" << c.cell << "'";
    if (got) {
        EXPECT_DOUBLE_EQ(*got, *c.expected) << "cell '" << c.cell << "'";
    }
}

INSTANTIATE_TEST_SUITE_P(Table,
                         ParseNumber,
                         ::testing::Values(NumberCase{"12", 12.0},
                                           NumberCase{" 12.0 ", 12.0},
                                           NumberCase{"1,234", 1234.0},
                                           NumberCase{"1,234,567.5", 1234567.5},
                                           NumberCase{"-3.5", -3.5},
                                           NumberCase{"+7", 7.0},
                                           NumberCase{"1e3", 1000.0},
                                           NumberCase{".5", 0.5},
                                           NumberCase{"\xC2\xA0"
                                                      "42\xC2\xA0",
                                                      42.0},
                                           NumberCase{"", std::nullopt},
                                           NumberCase{"   ", std::nullopt},
                                           NumberCase{"NA", std::nullopt},
                                           NumberCase{"N/A", std::nullopt},
                                           NumberCase{"#N/A", std::nullopt},
                                           NumberCase{"#NA", std::nullopt},
                                           NumberCase{"NaN", std::nullopt},
                                           NumberCase{"nan", std::nullopt},
                                           NumberCase{"inf", std::nullopt},
                                           NumberCase{"abc", std::nullopt},
                                           NumberCase{"12abc", std::nullopt},
                                           NumberCase{"1,23", std::nullopt},
                                           NumberCase{"12,3456", std::nullopt},
                                           NumberCase{",123", std::nullopt},
                                           NumberCase{"1 234", std::nullopt},
                                           NumberCase{"0x10", std::nullopt}));

}  // namespace
