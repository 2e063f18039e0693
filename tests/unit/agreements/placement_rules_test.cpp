// Each placement rule on real rows of ICE's sheets (file and line named in each test). Expected
// FIPS were looked up by hand in reference/us_counties_fips.csv.

#include <algorithm>
#include <string>

#include "fixture.hpp"
#include <gtest/gtest.h>

namespace {

using namespace choro::agreements;
using namespace choro::agreements::testing;

constexpr const char* may18 = "ice287g_participating_2026-05-18am.csv";

TEST(PlacementRules, IceCountyCellExact) {
    CHORO_NEED_SHARED_DATA();
    // 2026-05-18am line 2: ALABAMA, Autauga County Sheriff's Office, County "Autauga County" (3 agreements)
    const Agency& a = find_agency(may18, "AL", "Autauga County Sheriff's Office ");
    EXPECT_EQ(a.method, Method::ice_county);
    EXPECT_EQ(a.county_fips, "01001");
    EXPECT_EQ(a.agreements(), 3u);
    EXPECT_EQ(a.jem + a.wso + a.tfm, 3u);
    EXPECT_DOUBLE_EQ(a.confidence, 1.0);
}

TEST(PlacementRules, IceCountyCellAfterCountyNameFix) {
    CHORO_NEED_SHARED_DATA();
    // 2026-05-18am line 430: FLORIDA, Port Saint Lucie Police Department, COUNTY "St. Luice County"
    const Agency& a = find_agency(may18, "FL", "Port Saint Lucie Police Department");
    EXPECT_EQ(a.method, Method::ice_county);
    EXPECT_EQ(a.county_fips, "12111");  // St. Lucie County
    EXPECT_NE(a.note.find("fix"), std::string::npos) << a.note;
    // 2026-05-18am line 1150: PENNSYLVANIA, Mahoning Township Police Department, COUNTY "Lawrence"
    EXPECT_EQ(find_agency(may18, "PA", "Mahoning Township Police Department").county_fips, "42073");
}

TEST(PlacementRules, SheriffNameWinsOverDisagreeingCell) {
    CHORO_NEED_SHARED_DATA();
    // 2025-03-31 line 330: PENNSYLVANIA, Bradford County Sheriff's Office, COUNTY "Bedford County"
    const Agency& bradford =
        find_agency("ice287g_participating_2025-03-31T231039.csv", "PA", "Bradford County Sheriff's Office");
    EXPECT_EQ(bradford.method, Method::sheriff_name);
    EXPECT_EQ(bradford.county_fips, "42015");
    EXPECT_NE(bradford.note.find("Bedford County"), std::string::npos);
    // 2025-07-30pm line 669: TENNESSEE, Madison County Sheriff's Office, COUNTY "Macon County"
    const Agency& madison =
        find_agency("ice287g_participating_2025-07-30pm.csv", "TN", "Madison County Sheriff's Office");
    EXPECT_EQ(madison.county_fips, "47113");
    // 2026-02-27am line 11: ALABAMA, Clarke County Sheriff's Office, COUNTY "County"
    EXPECT_EQ(find_agency("ice287g_participating_2026-02-27am.csv", "AL", "Clarke County Sheriff's Office").county_fips,
              "01025");
}

TEST(PlacementRules, VirginiaIndependentCityIsACountyEquivalent) {
    CHORO_NEED_SHARED_DATA();
    // 2026-05-18am line 1751: VIRGINIA, Hopewell County Sheriff's Office, COUNTY "Hopewell County":
    // there is no Hopewell County; the sheriff serves the independent city of Hopewell (51670).
    const Agency& a = find_agency(may18, "VA", "Hopewell County Sheriff's Office");
    EXPECT_EQ(a.county_fips, "51670");
    // Fairfax County and Fairfax city share the short name; the suffix decides.
    for (const auto& [cell, fips] : {std::pair{"Fairfax County", "51059"},
                                     std::pair{"Fairfax city", "51600"},
                                     std::pair{"City of Fairfax", "51600"},
                                     std::pair{"Fairfax", "51059"}}) {
        const auto match = reference().match_county("VA", cell);
        ASSERT_TRUE(match.has_value()) << cell;
        EXPECT_EQ(match->fips, fips) << cell;
    }
    // ICE gave the Albemarle District Jail (NC) a nonexistent Albemarle County.
    EXPECT_FALSE(reference().match_county("NC", "Albemarle County").has_value());
    EXPECT_FALSE(reference().match_county("TX", "Fairfax County").has_value());
}

TEST(PlacementRules, MunicipalWithoutCellGoesThroughItsCity) {
    CHORO_NEED_SHARED_DATA();
    // 2026-05-18am line 315: FLORIDA, Jupiter Police Department, COUNTY "#N/A" → FBI LEE FL0501700 Jupiter, PALM BEACH
    const Agency& jupiter = find_agency(may18, "FL", "Jupiter Police Department");
    EXPECT_EQ(jupiter.method, Method::fbi_city);
    EXPECT_EQ(jupiter.county_fips, "12099");
    // 2026-05-18am line 596: INDIANA, Greens Fork Police Department, "#N/A" → simplemaps Greens Fork, Wayne
    const Agency& greens = find_agency(may18, "IN", "Greens Fork Police Department");
    EXPECT_EQ(greens.method, Method::simplemaps_city);
    EXPECT_EQ(greens.county_fips, "18177");
}

TEST(PlacementRules, CitySpanningCountiesListsAllMainFirst) {
    CHORO_NEED_SHARED_DATA();
    // Longboat Key FL: FBI LEE FL0410500 "MANATEE, SARASOTA"; simplemaps puts most of it in Manatee.
    const Agency& a = find_agency(may18, "FL", "Longboat Key Police Department");
    ASSERT_EQ(a.county_fips_all.size(), 2u) << a.note;
    EXPECT_EQ(a.county_fips_all[0], "12081");
    EXPECT_EQ(a.county_fips_all[1], "12115");
}

TEST(PlacementRules, ExactFbiCityOverridesIceCell) {
    CHORO_NEED_SHARED_DATA();
    // 2026-05-18am line 553: GEORGIA, Monroe Police Department, COUNTY "Monroe County " — the city of
    // Monroe GA is in Walton County (FBI LEE GA1470100).
    const Agency& monroe = find_agency(may18, "GA", "Monroe Police Department");
    EXPECT_EQ(monroe.method, Method::fbi_city_override);
    EXPECT_EQ(monroe.county_fips, "13297");
    // 2026-05-18am line 1684: TEXAS, Tye Police Department, COUNTY "Galveston County" → Taylor County
    EXPECT_EQ(find_agency(may18, "TX", "Tye Police Department").county_fips, "48441");
}

TEST(PlacementRules, NamesNeverCrossAStateLine) {
    CHORO_NEED_SHARED_DATA();
    // 2026-05-18am line 527: GEORGIA, Dallas Police Department, COUNTY "Paulding County": not Dallas TX.
    const Agency& dallas = find_agency(may18, "GA", "Dallas Police Department");
    EXPECT_EQ(dallas.county_fips, "13223");
    for (const Agency& a : placed(may18)) {
        for (const std::string& fips : a.county_fips_all) {
            const County* county = reference().county(fips);
            ASSERT_NE(county, nullptr) << a.name;
            EXPECT_EQ(county->state, a.state) << a.name << " placed in " << fips;
        }
    }
    EXPECT_TRUE(reference().fbi_city_counties("GA", "Dallas").empty() ||
                reference().fbi_city_counties("GA", "Dallas").front().starts_with("13"));
}

TEST(PlacementRules, RegionalJailListsMemberCounties) {
    CHORO_NEED_SHARED_DATA();
    // 2026-05-18am line 1763: VIRGINIA, Southwest Virginia Regional Jail Authority, COUNTY "#N/A":
    // manual-regional-jail-counties.csv lists 9 counties and the City of Norton.
    const Agency& a = find_agency(may18, "VA", "Southwest Virginia Regional Jail Authority");
    EXPECT_EQ(a.method, Method::regional_manual);
    EXPECT_EQ(a.county_fips_all.size(), 10u);
    EXPECT_EQ(a.county_fips, "51027");  // Buchanan, first in the table
    EXPECT_NE(std::find(a.county_fips_all.begin(), a.county_fips_all.end(), "51720"), a.county_fips_all.end());
}

TEST(PlacementRules, StateAgenciesAreCountedAtStateLevel) {
    CHORO_NEED_SHARED_DATA();
    // 2026-05-18am line 1844: WYOMING, Wyoming State Highway Patrol, State Agency, COUNTY "Laramie County"
    const Agency& patrol = find_agency(may18, "WY", "Wyoming State Highway Patrol");
    EXPECT_EQ(patrol.method, Method::statewide);
    EXPECT_TRUE(patrol.county_fips.empty());
    EXPECT_TRUE(patrol.county_fips_all.empty());
    // 2026-05-18am lines 1007-1008: NORTHERN MARIANA ISLANDS, CNMI Department of Corrections: kept, territory-wide
    const Agency& cnmi = find_agency(may18, "MP", "CNMI Department of Corrections");
    EXPECT_EQ(cnmi.method, Method::statewide);
}

TEST(PlacementRules, GuamHasOneCountyEquivalent) {
    CHORO_NEED_SHARED_DATA();
    // 2026-05-18am line 575: GUAM, Office Of The Attorney General, COUNTY "Kattan District"
    const Agency& a = find_agency(may18, "GU", "Office Of The Attorney General");
    EXPECT_EQ(a.method, Method::territory);
    EXPECT_EQ(a.county_fips, "66010");
}

TEST(PlacementRules, UnplacedAgenciesSayWhy) {
    CHORO_NEED_SHARED_DATA();
    // 2026-05-18am: PENNSYLVANIA, East Donegal Township Constables Office, "#N/A": neither FBI LEE
    // nor simplemaps lists the township (Sunny Isles, once here, is now placed: truth_test.cpp).
    const Agency& a = find_agency(may18, "PA", "East Donegal Township Constables Office");
    EXPECT_EQ(a.method, Method::unplaced);
    EXPECT_NE(a.note.find("east donegal township"), std::string::npos) << a.note;
    EXPECT_NE(a.note.find("no usable ICE COUNTY"), std::string::npos) << a.note;
}

TEST(PlacementRules, OldSheetsWithoutTypeOrCounty) {
    CHORO_NEED_SHARED_DATA();
    // 2025-01-19 (Wayback table: STATE, LAW ENFORCEMENT AGENCY, SUPPORT TYPE, SIGNED, MOA only).
    const auto& agencies = placed("ice287g_participating_2025-01-19T192356.csv");
    std::size_t unplaced = 0;
    for (const Agency& a : agencies) {
        unplaced += a.method == Method::unplaced ? 1 : 0;
        EXPECT_TRUE(a.ice_county.empty());
    }
    EXPECT_LE(unplaced * 20, agencies.size()) << "more than 5 % unplaced without COUNTY";
}

TEST(Normalise, NamesFoldCaseAccentsPunctuationAndSaint) {
    EXPECT_EQ(normalise_name(" St. Lucie  County "), "st lucie county");
    EXPECT_EQ(normalise_name("Saint Landry Parish"), "st landry parish");
    EXPECT_EQ(normalise_name("Do\xC3\xB1"
                             "a Ana County"),
              "dona ana county");
    EXPECT_EQ(normalise_name("Sheriff\xE2\x80\x99s Office"), normalise_name("Sheriffs Office"));
    EXPECT_EQ(agency_key("Autauga County Sheriff's Office "), agency_key("AUTAUGA COUNTY SHERIFFS OFFICE"));
    EXPECT_EQ(edit_distance("PENNSLYVANIA", "PENNSYLVANIA"), 2u);
    EXPECT_EQ(edit_distance("", "abc"), 3u);
    EXPECT_EQ(edit_distance("kitten", "sitting"), 3u);
}

}  // namespace
