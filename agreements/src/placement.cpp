#include "choro/agreements/placement.hpp"

#include <algorithm>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "choro/agreements/reference.hpp"

namespace choro::agreements {

namespace {

bool usable_cell(std::string_view cell) {
    const std::string n = normalise_name(cell);
    return !n.empty() && n != "n a" && n != "na" && n != "none" && n != "unknown";
}

bool contains_word(const std::string& normalised, std::string_view word) {
    const std::string padded = " " + normalised + " ";
    return padded.find(" " + std::string(word) + " ") != std::string::npos;
}

// For old sheets without TYPE: a best guess from the name.
std::string infer_type(const std::string& name) {
    const std::string n = normalise_name(name);
    if (contains_word(n, "sheriff") || contains_word(n, "sheriffs") || contains_word(n, "jail") ||
        contains_word(n, "county")) {
        return "County";
    }
    static constexpr std::string_view state_words[] = {"state police",
                                                       "highway patrol",
                                                       "department of corrections",
                                                       "department of correction",
                                                       "department of public safety",
                                                       "state",
                                                       "commonwealth",
                                                       "national guard"};
    for (std::string_view word : state_words) {
        if (n.find(word) != std::string::npos) {
            return "State Agency";
        }
    }
    return "Municipality";
}

bool is_state_type(const std::string& type) {
    const std::string n = normalise_name(type);
    return n == "state" || n == "state agency";
}
bool is_municipal_type(const std::string& type) {
    return normalise_name(type) == "municipality";
}

// "Hopewell County Sheriff's Office" → "hopewell county"; "Hopewell Sheriff's Office" → "hopewell".
std::optional<std::string> county_in_name(const std::string& name) {
    const std::string n = normalise_name(name);
    for (std::string_view word : {" county", " parish", " borough"}) {
        const std::size_t at = n.find(std::string(word) + " ");
        if (at != std::string::npos && at > 0) {
            return n.substr(0, at + word.size());
        }
    }
    const std::size_t sheriff = n.find(" sheriff");
    if (sheriff != std::string::npos && sheriff > 0) {
        return n.substr(0, sheriff);
    }
    return std::nullopt;
}

// The place a municipal agency is named after: "City of Monroe Police Department" → "monroe".
std::vector<std::string> city_candidates(const std::string& name) {
    std::string n = normalise_name(name);
    static constexpr std::string_view suffixes[] = {" department of public safety",
                                                    " public safety department",
                                                    " division of police",
                                                    " police department",
                                                    " police dept",
                                                    " police services",
                                                    " police division",
                                                    " police",
                                                    " public safety",
                                                    " department",
                                                    " dept",
                                                    " pd",
                                                    " city marshals office",
                                                    " city marshal",
                                                    " marshals office",
                                                    " marshal office",
                                                    " marshals service",
                                                    " marshal",
                                                    " constables office",
                                                    " constable office",
                                                    " constables",
                                                    " constable",
                                                    " sheriffs office",
                                                    " board of trustees",
                                                    " office"};
    static constexpr std::string_view prefixes[] = {
        "city of ", "town of ", "village of ", "borough of ", "township of "};
    bool changed = true;
    while (changed) {
        changed = false;
        for (std::string_view suffix : suffixes) {
            if (n.size() > suffix.size() && n.ends_with(suffix)) {
                n.resize(n.size() - suffix.size());
                changed = true;
            }
        }
        for (std::string_view prefix : prefixes) {
            if (n.size() > prefix.size() && n.starts_with(prefix)) {
                n = n.substr(prefix.size());
                changed = true;
            }
        }
    }
    std::vector<std::string> out{n};
    for (std::string_view kind : {" city", " town", " borough", " village"}) {
        if (n.size() > kind.size() && n.ends_with(kind)) {
            out.push_back(n.substr(0, n.size() - kind.size()));
        }
    }
    return out;
}

void set_place(Agency& agency, Method method, std::vector<std::string> fips, double confidence, std::string note) {
    agency.method = method;
    agency.county_fips = fips.empty() ? std::string{} : fips.front();
    agency.county_fips_all = std::move(fips);
    agency.confidence = confidence;
    agency.note = std::move(note);
}

double confidence_of(const CountyMatch& match) {
    if (match.how == "exact") {
        return 1.0;
    }
    return match.how.starts_with("fuzzy") ? 0.8 : 0.95;
}

bool is_campus_name(const std::string& normalised) {
    return contains_word(normalised, "college") || contains_word(normalised, "university");
}

// "district board of trustees of pensacola state college" → "pensacola state college".
std::string campus_name(const std::string& normalised) {
    std::string n = normalised;
    for (std::string_view prefix : {"district board of trustees of ", "board of trustees of "}) {
        if (n.starts_with(prefix)) {
            n = n.substr(prefix.size());
        }
    }
    for (std::string_view suffix : {" board of trustees", " police department", " police"}) {
        if (n.ends_with(suffix)) {
            n.resize(n.size() - suffix.size());
        }
    }
    return n;
}

/// What every rule of place() looks at: the agency's ICE county cell, matched or not, and its
/// jurisdiction level from the manual table.
struct Evidence {
    bool cell_ok = false;
    std::optional<CountyMatch> cell;
    std::string level;
};

// The rules of place(), in its order of evidence. Each places the agency and returns true, or
// leaves it and returns false for the next rule.

/// The manual tables: regional agencies, and agencies whose note names the counties they cover
/// (counted in each; the main county is ICE's cell when that is one of them, else the first named).
bool place_manual(Agency& agency, const Reference& ref, const Evidence& ev) {
    if (const RegionalAgency* regional = ref.regional(agency.state, agency.name)) {
        set_place(agency,
                  Method::regional_manual,
                  regional->county_fips,
                  0.9,
                  "member counties from the deportationdata manual regional tables");
        return true;
    }
    auto counties = ref.jurisdiction_counties(agency.state, agency.name);
    if (counties.empty()) {
        return false;
    }
    if (ev.cell) {
        if (auto it = std::find(counties.begin(), counties.end(), ev.cell->fips); it != counties.end()) {
            std::rotate(counties.begin(), it, it + 1);
        }
    }
    std::string note = ev.level;
    note += " covering " + std::to_string(counties.size()) +
            " counties named in manual-jurisdiction-levels.csv; counted in each";
    set_place(agency, Method::jurisdiction_manual, std::move(counties), 0.9, std::move(note));
    return true;
}

/// Territories with a single county equivalent (Guam).
bool place_territory(Agency& agency, const Reference& ref) {
    const State* st = ref.state_by_abbr(agency.state);
    if (st == nullptr || st->fips < "60") {
        return false;
    }
    std::vector<std::string> fips;
    for (const County& c : ref.counties()) {
        if (c.state == agency.state) {
            fips.push_back(c.fips);
        }
    }
    if (fips.size() != 1) {
        return false;
    }
    set_place(agency, Method::territory, std::move(fips), 1.0, "territory with one county equivalent");
    return true;
}

/// State-typed agencies: a campus in ICE's county, a district-level jurisdiction, else statewide.
/// Always places.
void place_state_agency(Agency& agency, const Reference& ref, const Evidence& ev) {
    const auto& cell = ev.cell;
    // A state college or university the FBI LEE roster lists in ICE's county: its campus.
    if (const std::string n = normalise_name(agency.name); cell && is_campus_name(n)) {
        const auto lee = ref.fbi_agency_counties(agency.state, campus_name(n));
        if (std::find(lee.begin(), lee.end(), cell->fips) != lee.end()) {
            set_place(
                agency,
                Method::campus,
                {cell->fips},
                0.9,
                "campus: FBI LEE lists '" + campus_name(n) + "' in ICE's county cell '" + agency.ice_county + "'");
            return;
        }
    }
    if (cell && (ev.level == "Judicial District" || ev.level == "Regional" || ev.level == "Port")) {
        set_place(agency,
                  Method::ice_county,
                  {cell->fips},
                  confidence_of(*cell) * 0.9,
                  "state-typed agency with a " + ev.level + " jurisdiction (manual table): ICE COUNTY " + cell->how);
        return;
    }
    set_place(agency,
              Method::statewide,
              {},
              1.0,
              cell ? "state-level agency; ICE's county cell '" + agency.ice_county +
                         "' (not checked as its seat) is not its area"
                   : "state-level agency");
}

/// A sheriff's office whose name names a county of its state.
bool place_sheriff(Agency& agency, const Reference& ref, const Evidence& ev) {
    const std::string lowered = normalise_name(agency.name);
    if (!contains_word(lowered, "sheriff") && !contains_word(lowered, "sheriffs")) {
        return false;
    }
    const auto in_name = county_in_name(agency.name);
    const auto named = in_name ? ref.match_county(agency.state, *in_name) : std::optional<CountyMatch>{};
    if (!named) {
        return false;
    }
    if (ev.cell && ev.cell->fips == named->fips) {
        set_place(agency, Method::ice_county, {ev.cell->fips}, confidence_of(*ev.cell), "ICE COUNTY " + ev.cell->how);
        return true;
    }
    std::string note = "county in the sheriff's name (" + named->how + ")";
    if (ev.cell_ok) {
        note += "; ICE COUNTY '" + agency.ice_county + "' disagrees";
    }
    set_place(agency, Method::sheriff_name, {named->fips}, 0.95, std::move(note));
    return true;
}

/// ICE's county cell, unless (for a municipal agency) an exact FBI LEE city record disagrees:
/// Monroe GA is in Walton. Only the full place name ("Butler Township", not "Butler") may override.
bool place_by_cell(Agency& agency, const Reference& ref, const Evidence& ev, bool municipal) {
    if (!ev.cell) {
        return false;
    }
    const CountyMatch& cell = *ev.cell;
    if (municipal) {
        const std::string city = city_candidates(agency.name).front();
        const auto lee = ref.fbi_city_counties(agency.state, city);
        if (!lee.empty() && std::find(lee.begin(), lee.end(), cell.fips) == lee.end()) {
            set_place(agency,
                      Method::fbi_city_override,
                      lee,
                      0.85,
                      "FBI LEE city '" + city + "' is in another county than ICE COUNTY '" + agency.ice_county + "'");
            return true;
        }
    }
    set_place(agency, Method::ice_county, {cell.fips}, confidence_of(cell), "ICE COUNTY " + cell.how);
    return true;
}

/// A county named in the agency's name.
bool place_by_name_county(Agency& agency, const Reference& ref) {
    const auto in_name = county_in_name(agency.name);
    const auto named = in_name ? ref.match_county(agency.state, *in_name) : std::optional<CountyMatch>{};
    if (!named) {
        return false;
    }
    set_place(
        agency, Method::agency_name_county, {named->fips}, 0.9, "county in the agency's name (" + named->how + ")");
    return true;
}

/// Its city's county, within the same state only: FBI LEE cities, FBI LEE agencies, simplemaps
/// cities, then near names in the FBI LEE roster checked against simplemaps.
bool place_by_city(Agency& agency, const Reference& ref) {
    const auto cities = city_candidates(agency.name);
    for (const std::string& city : cities) {
        auto lee = ref.fbi_city_counties(agency.state, city);
        if (!lee.empty()) {
            // Several counties: the one simplemaps says holds most of the city goes first.
            const std::string main = ref.simplemaps_city_county(agency.state, city);
            if (auto it = std::find(lee.begin(), lee.end(), main); it != lee.end()) {
                std::rotate(lee.begin(), it, it + 1);
            }
            const double confidence = lee.size() == 1 ? 0.85 : 0.75;
            set_place(agency, Method::fbi_city, std::move(lee), confidence, "FBI LEE city '" + city + "'");
            return true;
        }
    }
    for (const std::string& city : cities) {
        const auto lee = ref.fbi_agency_counties(agency.state, city);
        if (!lee.empty()) {
            set_place(agency, Method::fbi_city, lee, 0.8, "FBI LEE agency '" + city + "'");
            return true;
        }
    }
    for (const std::string& city : cities) {
        const std::string fips = ref.simplemaps_city_county(agency.state, city);
        if (!fips.empty()) {
            set_place(agency, Method::simplemaps_city, {fips}, 0.7, "simplemaps city '" + city + "'");
            return true;
        }
    }
    for (const std::string& city : cities) {
        std::string found;
        const auto lee = ref.fbi_city_like(agency.state, city, found);
        if (lee.empty()) {
            continue;
        }
        const std::string simple = ref.simplemaps_city_county(agency.state, found);
        if (!simple.empty() && std::find(lee.begin(), lee.end(), simple) == lee.end()) {
            continue;  // the two tables disagree: leave it unplaced
        }
        set_place(agency,
                  Method::fbi_city,
                  lee,
                  0.7,
                  "FBI LEE city '" + found + "' for '" + city + "'" +
                      (simple.empty() ? " (not in simplemaps)" : " (simplemaps agrees)"));
        return true;
    }
    return false;
}

/// "Tallahassee State College": a college named after its city, in the city's county.
bool place_college(Agency& agency, const Reference& ref) {
    const std::string first = city_candidates(agency.name).front();
    for (std::string_view kind : {" state college", " community college", " college"}) {
        if (first.size() <= kind.size() || !first.ends_with(kind)) {
            continue;
        }
        const std::string city = first.substr(0, first.size() - kind.size());
        const auto lee = ref.fbi_city_counties(agency.state, city);
        const std::string simple = ref.simplemaps_city_county(agency.state, city);
        if (lee.size() != 1 || (!simple.empty() && simple != lee.front())) {
            return false;
        }
        set_place(agency,
                  Method::campus,
                  lee,
                  0.75,
                  "college named after the city '" + city + "' (FBI LEE city" +
                      (simple.empty() ? ")" : ", simplemaps agrees)"));
        return true;
    }
    return false;
}

/// Nothing placed it: CNMI agencies are commonwealth-wide; anything else is unplaced, with why.
void place_fallback(Agency& agency, const Evidence& ev) {
    if (agency.state == "MP") {
        set_place(agency, Method::statewide, {}, 1.0, "CNMI agency: commonwealth-wide, no single county");
        return;
    }
    std::string reason;
    if (ev.cell_ok) {
        reason = "ICE COUNTY '" + agency.ice_county + "' matches no county of " + agency.state + "; ";
    } else {
        reason = "no usable ICE COUNTY; ";
    }
    reason += "place '" + city_candidates(agency.name).front() + "' not found in " + agency.state +
              " (FBI LEE cities, simplemaps cities)";
    if (const std::string n = normalise_name(agency.name); contains_word(n, "township") || contains_word(n, "twp")) {
        reason += "; a township: the reference data has no county-subdivision table";
    }
    set_place(agency, Method::unplaced, {}, 0.0, std::move(reason));
}

void place(Agency& agency, const Reference& ref) {
    Evidence ev;
    ev.cell_ok = usable_cell(agency.ice_county);
    if (ev.cell_ok) {
        ev.cell = ref.match_county(agency.state, agency.ice_county);
    }
    ev.level = ref.jurisdiction_level(agency.state, agency.name);
    if (place_manual(agency, ref, ev) || place_territory(agency, ref)) {
        return;
    }
    if (is_state_type(agency.type)) {
        place_state_agency(agency, ref, ev);
        return;
    }
    if (place_sheriff(agency, ref, ev)) {
        return;
    }
    const bool municipal = is_municipal_type(agency.type) && ev.level != "Regional";
    if (place_by_cell(agency, ref, ev, municipal) || (!municipal && place_by_name_county(agency, ref)) ||
        place_by_city(agency, ref) || place_college(agency, ref)) {
        return;
    }
    place_fallback(agency, ev);
}

}  // namespace

std::string_view to_string(Method method) {
    switch (method) {
        case Method::ice_county:
            return "ice_county";
        case Method::sheriff_name:
            return "sheriff_name";
        case Method::agency_name_county:
            return "agency_name_county";
        case Method::fbi_city:
            return "fbi_city";
        case Method::fbi_city_override:
            return "fbi_city_override";
        case Method::simplemaps_city:
            return "simplemaps_city";
        case Method::regional_manual:
            return "regional_manual";
        case Method::jurisdiction_manual:
            return "jurisdiction_manual";
        case Method::campus:
            return "campus";
        case Method::territory:
            return "territory";
        case Method::statewide:
            return "statewide";
        case Method::unplaced:
            break;
    }
    return "unplaced";
}

std::vector<Agency> place_agencies(const Sheet& sheet, const Reference& reference) {
    std::vector<Agency> agencies;
    std::unordered_map<std::string, std::size_t> index;
    for (const AgreementRow& row : sheet.rows) {
        const std::string key = row.state + "|" + agency_key(row.agency);
        auto [it, inserted] = index.emplace(key, agencies.size());
        if (inserted) {
            Agency agency;
            agency.state = row.state;
            agency.name = row.agency;
            agency.key = agency_key(row.agency);
            agencies.push_back(std::move(agency));
        }
        Agency& agency = agencies[it->second];
        if (agency.type.empty() && !row.type.empty() && usable_cell(row.type)) {
            agency.type = row.type;
        }
        if (agency.ice_county.empty() && usable_cell(row.county)) {
            agency.ice_county = row.county;
        }
        agency.lines.push_back(row.line);
        agency.models.push_back(row.model);
        agency.signed_dates.push_back(row.signed_date);
        agency.jem += row.model == SupportModel::jem ? 1 : 0;
        agency.wso += row.model == SupportModel::wso ? 1 : 0;
        agency.tfm += row.model == SupportModel::tfm ? 1 : 0;
    }
    for (Agency& agency : agencies) {
        if (agency.type.empty()) {
            agency.type = infer_type(agency.name);
        }
        place(agency, reference);
    }
    return agencies;
}

}  // namespace choro::agreements
