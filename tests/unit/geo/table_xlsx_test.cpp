// XLSX reading through GDAL. The generated workbook is written with GDAL's XLSX driver at test
// time (GDAL is used only to make the fixture).
#include <filesystem>
#include <string>
#include <vector>

#include "test_support.hpp"
#include <gdal/ogrsf_frmts.h>
#include <gtest/gtest.h>

#include "choro/geo/error.hpp"
#include "choro/geo/table.hpp"

namespace fs = std::filesystem;
using choro::InputError;
using choro::geo::read_table;
using choro::geo::TableOptions;

namespace {

bool contains(const std::string& hay, const std::string& needle) {
    return hay.find(needle) != std::string::npos;
}

TableOptions header(const std::string& text, const std::string& sheet = "") {
    TableOptions o;
    o.header_contains = text;
    o.sheet = sheet;
    return o;
}

/// A sheet "Agencies" like ICE's but with a title row and a blank row above the header:
///   row 1  A1="287(g) list"       (GDAL writes field names as row 1)
///   row 2  (empty)
///   row 3  STATE | COUNTY  | N    (header; trailing space in "COUNTY ")
///   row 4  TEXAS | Harris  | 12
///   row 5  (empty)
///   row 6  TEXAS | Travis  | 0012
fs::path write_workbook(const fs::path& dir) {
    GDALAllRegister();
    GDALDriver* driver = GetGDALDriverManager()->GetDriverByName("XLSX");
    EXPECT_NE(driver, nullptr);
    const fs::path path = dir / "agencies.xlsx";
    GDALDatasetUniquePtr ds(driver->Create(path.c_str(), 0, 0, 0, GDT_Unknown, nullptr));
    EXPECT_NE(ds, nullptr);
    OGRLayer* layer = ds->CreateLayer("Agencies", nullptr, wkbNone, nullptr);
    for (const char* name : {"287(g) list", "B", "C"}) {
        OGRFieldDefn field(name, OFTString);
        layer->CreateField(&field);
    }
    const std::vector<std::vector<std::string>> rows = {
        {"", "", ""}, {"STATE", "COUNTY ", "N"}, {"TEXAS", "Harris", "12"}, {"", "", ""}, {"TEXAS", "Travis", "0012"}};
    for (const auto& row : rows) {
        OGRFeatureUniquePtr f(OGRFeature::CreateFeature(layer->GetLayerDefn()));
        for (int i = 0; i < 3; ++i) {
            if (!row[static_cast<std::size_t>(i)].empty()) {
                f->SetField(i, row[static_cast<std::size_t>(i)].c_str());
            }
        }
        EXPECT_EQ(layer->CreateFeature(f.get()), OGRERR_NONE);
    }
    OGRLayer* other = ds->CreateLayer("Notes", nullptr, wkbNone, nullptr);
    OGRFieldDefn note("note", OFTString);
    other->CreateField(&note);
    OGRFeatureUniquePtr f(OGRFeature::CreateFeature(other->GetLayerDefn()));
    f->SetField(0, "hello");
    EXPECT_EQ(other->CreateFeature(f.get()), OGRERR_NONE);
    return path;
}

TEST(ReadXlsx, HeaderFoundBelowTitleRows) {
    const auto path = write_workbook(choro::test::temp_dir());
    const auto t = read_table(path.string(), header("state"));
    EXPECT_EQ(t.columns, (std::vector<std::string>{"STATE", "COUNTY", "N"}));  // trimmed
    ASSERT_EQ(t.rows.size(), 2u);                                              // empty row dropped
    EXPECT_EQ(t.rows[0], (std::vector<std::string>{"TEXAS", "Harris", "12"}));
    EXPECT_EQ(t.rows[1][2], "0012");                       // text stays text
    EXPECT_EQ(t.lines, (std::vector<std::size_t>{4, 6}));  // spreadsheet row numbers
    bool skipped = false;
    for (const auto& w : t.warnings) {
        skipped = skipped || contains(w, "skipped 2 rows above the header");
    }
    EXPECT_TRUE(skipped) << ::testing::PrintToString(t.warnings);
}

TEST(ReadXlsx, FirstNonEmptyRowIsTheHeaderByDefault) {
    const auto path = write_workbook(choro::test::temp_dir());
    const auto t = read_table(path.string());
    EXPECT_EQ(t.columns.front(), "287(g) list");
    EXPECT_EQ(t.rows.size(), 3u);  // the header-like row is now data
    EXPECT_EQ(t.lines.front(), 3u);
}

TEST(ReadXlsx, SheetByNameAndErrors) {
    const auto path = write_workbook(choro::test::temp_dir());
    const auto notes = read_table(path.string(), header("", "Notes"));
    EXPECT_EQ(notes.columns, std::vector<std::string>{"note"});
    EXPECT_EQ(notes.rows.size(), 1u);
    try {
        (void)read_table(path.string(), header("", "Sheet9"));
        FAIL() << "expected InputError";
    } catch (const InputError& e) {
        EXPECT_TRUE(contains(e.what(), "'Sheet9'")) << e.what();
        EXPECT_TRUE(contains(e.what(), "'Agencies', 'Notes'")) << e.what();
    }
    try {
        (void)read_table(path.string(), header("AGENCY"));
        FAIL() << "expected InputError";
    } catch (const InputError& e) {
        EXPECT_TRUE(contains(e.what(), "'AGENCY'")) << e.what();
    }
    const auto not_xlsx = choro::test::write_file(choro::test::temp_dir() / "fake.xlsx", "not a zip");
    EXPECT_THROW((void)read_table(not_xlsx.string()), InputError);
    EXPECT_THROW((void)read_table((choro::test::temp_dir() / "none.xlsx").string()), InputError);
}

TEST(ReadXlsx, RealIceSheetMatchesItsCsv) {
    const auto dir = choro::test::shared_data_dir() / "ice287g/participating";
    const auto xlsx = dir / "participatingAgencies01262026pm.xlsx";
    const auto csv = dir / "ice287g_participating_2026-01-26pm.csv";
    if (!fs::exists(xlsx) || !fs::exists(csv)) {
        GTEST_SKIP() << "ICE sheets not found in " << dir;
    }
    const auto sheet = read_table(xlsx.string(), header("STATE"));
    const auto table = read_table(csv.string());
    EXPECT_EQ(table.rows.size(), 1372u);  // PROVENANCE.md §4.1
    EXPECT_EQ(sheet.rows.size(), table.rows.size());
    for (const char* column : {"STATE", "LAW ENFORCEMENT AGENCY", "TYPE", "COUNTY", "SUPPORT TYPE"}) {
        const auto a = sheet.column(column);
        const auto b = table.column(column);
        for (std::size_t r = 0; r < table.rows.size(); ++r) {
            ASSERT_EQ(sheet.rows[r][a], table.rows[r][b]) << column << " row " << r << " line " << sheet.lines[r];
        }
    }
    EXPECT_EQ(sheet.lines.front(), 2u);  // header in row 1
}

}  // namespace
