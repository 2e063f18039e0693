// Placement against the independent crosswalk in ../shared/data/crosswalk/ (acceptance: >= 98 %
// agreement on county_fips, <= 1 % unplaced). Disagreements go to a test artefact with reasons.

#include <filesystem>
#include <string>
#include <unordered_map>

#include "fixture.hpp"
#include <gtest/gtest.h>

#include "choro/geo/table.hpp"

namespace {

using namespace choro::agreements;
using namespace choro::agreements::testing;

std::string csv_cell(const std::string& text) {
    if (text.find_first_of(",\"\n") == std::string::npos) {
        return text;
    }
    std::string out = "\"";
    for (char c : text) {
        out += c == '"' ? std::string("\"\"") : std::string(1, c);
    }
    return out + "\"";
}

// Why our answer differs, where we know it is deliberate.
std::string reason(const Agency& ours, const std::string& theirs_method) {
    if (ours.method == Method::statewide && theirs_method == "ice_county_column") {
        return "state-level agency: counted at state level; the crosswalk puts it in ICE's county cell (not checked as "
               "its headquarters)";
    }
    if (theirs_method == "unresolved" && ours.method != Method::unplaced) {
        return "the crosswalk left it unresolved; placed here by " + std::string(to_string(ours.method)) + ": " +
               ours.note;
    }
    if (ours.method == Method::jurisdiction_manual) {
        return "covers the counties manual-jurisdiction-levels.csv names (" + ours.note + "); the crosswalk has " +
               theirs_method;
    }
    if (ours.method == Method::sheriff_name) {
        return "sheriff: the county in the agency's own name wins over ICE's COUNTY cell";
    }
    if (ours.method == Method::regional_manual) {
        return "regional agency: main county is the first member in the manual table";
    }
    if (ours.method == Method::fbi_city && ours.county_fips_all.size() > 1) {
        return "city spans several counties (FBI LEE); main county = simplemaps' county of the city";
    }
    if (ours.method == Method::fbi_city && theirs_method == "fbi_lee_name") {
        return "we match the FBI LEE name exactly (" + ours.note + "); the crosswalk matched another agency";
    }
    return {};
}

class Crosswalk : public ::testing::TestWithParam<std::string> {};

TEST_P(Crosswalk, AgreesWithIndependentCrosswalk) {
    CHORO_NEED_SHARED_DATA();
    const std::string snapshot = GetParam();
    const auto& agencies = placed("ice287g_participating_" + snapshot + ".csv");
    const choro::geo::Table crosswalk =
        choro::geo::read_table((shared() / "crosswalk" / ("agency_county_crosswalk_" + snapshot + ".csv")).string());
    const std::size_t c_state = crosswalk.column("state_abbr"), c_name = crosswalk.column("LAW ENFORCEMENT AGENCY"),
                      c_fips = crosswalk.column("county_fips"), c_method = crosswalk.column("method"),
                      c_agreements = crosswalk.column("agreements");
    std::unordered_map<std::string, std::size_t> theirs;
    for (std::size_t r = 0; r < crosswalk.rows.size(); ++r) {
        theirs[crosswalk.rows[r][c_state] + "|" + agency_key(crosswalk.rows[r][c_name])] = r;
    }
    // Same agencies, same agreements per agency: the grouping is independent of placement.
    EXPECT_EQ(agencies.size(), crosswalk.rows.size());

    std::size_t same = 0, unplaced = 0, compared = 0;
    std::string artefact = "state,agency,ours_county_fips,ours_method,crosswalk_county_fips,crosswalk_method,reason\n";
    for (const Agency& agency : agencies) {
        unplaced += agency.method == Method::unplaced ? 1 : 0;
        auto it = theirs.find(agency.state + "|" + agency.key);
        if (it == theirs.end()) {
            ADD_FAILURE() << "agency not in crosswalk: " << agency.state << " " << agency.name;
            continue;
        }
        const auto& row = crosswalk.rows[it->second];
        EXPECT_EQ(std::to_string(agency.agreements()), row[c_agreements]) << agency.name;
        ++compared;
        if (row[c_fips] == agency.county_fips) {
            ++same;
            continue;
        }
        EXPECT_FALSE(reason(agency, row[c_method]).empty())
            << "disagreement without a reason: " << agency.state << " " << agency.name << " (ours "
            << agency.county_fips << " " << to_string(agency.method) << ", crosswalk " << row[c_fips] << " "
            << row[c_method] << ")";
        artefact += csv_cell(agency.state) + "," + csv_cell(agency.name) + "," + agency.county_fips + "," +
                    std::string(to_string(agency.method)) + "," + row[c_fips] + "," + row[c_method] + "," +
                    csv_cell(reason(agency, row[c_method])) + "\n";
    }
    const auto out = std::filesystem::path(CHORO_TEST_OUTPUT) / ("agreements-disagreements-" + snapshot + ".csv");
    choro::test::write_file(out, artefact);
    const double agreement = static_cast<double>(same) / static_cast<double>(compared);
    const double unplaced_share = static_cast<double>(unplaced) / static_cast<double>(agencies.size());
    EXPECT_GE(agreement, 0.98) << "disagreements in " << out;
    EXPECT_LE(unplaced_share, 0.01);
    RecordProperty("agreement", std::to_string(agreement));
    std::cerr << snapshot << ": " << same << "/" << compared << " agree (" << agreement * 100 << " %), " << unplaced
              << " unplaced; disagreements in " << out << "\n";
}

INSTANTIATE_TEST_SUITE_P(Snapshots, Crosswalk, ::testing::Values("2026-01-26pm", "2026-05-18am"));

}  // namespace
