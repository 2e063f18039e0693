#include "choro/agreements/reference.hpp"

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "choro/geo/error.hpp"
#include "choro/geo/table.hpp"
#include "choro/geo/us_states.hpp"

namespace choro::agreements {

namespace {

// Latin-1 supplement letters (second byte after 0xC3) folded to ASCII.
char fold_c3(unsigned char second) {
    static constexpr std::string_view map =
        "AAAAAAACEEEEIIII"   // 0x80..0x8F
        "DNOOOOO*OUUUUYTs"   // 0x90..0x9F
        "aaaaaaaceeeeiiii"   // 0xA0..0xAF
        "dnooooo/ouuuuyty";  // 0xB0..0xBF
    if (second >= 0x80 && second <= 0xBF) {
        return map[second - 0x80];
    }
    return ' ';
}

std::string join_key(std::string_view state, std::string_view name) {
    std::string key(state);
    key += '|';
    key += name;
    return key;
}

// Suffixes of a county's legal name, longest first.
constexpr std::string_view suffixes[] = {" city and borough",
                                         " census area",
                                         " municipality",
                                         " municipio",
                                         " borough",
                                         " county",
                                         " parish",
                                         " city",
                                         " district",
                                         " island",
                                         " islands"};

std::string base_name(const std::string& normalised, bool& had_city) {
    had_city = false;
    for (std::string_view suffix : suffixes) {
        if (normalised.size() > suffix.size() && normalised.ends_with(suffix)) {
            had_city = suffix == " city";
            return normalised.substr(0, normalised.size() - suffix.size());
        }
    }
    return normalised;
}

std::string state_of_name(const Reference& reference, std::string_view name) {
    const std::string wanted = normalise_name(name);
    for (const State& state : reference.states()) {
        if (normalise_name(state.name) == wanted || normalise_name(state.abbr) == wanted) {
            return state.abbr;
        }
    }
    return {};
}

// The county names of a note "…: Cleburne, Fulton, Independence, Izard and Stone counties (…)":
// the capitalised words just before " counties", split at ", " and " and ". Fewer than two names:
// none (a note about one county names it otherwise).
std::vector<std::string> counties_in_note(std::string_view note) {
    const std::size_t at = note.find(" counties");
    if (at == std::string_view::npos) {
        return {};
    }
    // Words before " counties", last first, while they are capitalised names, "and" or a comma.
    std::vector<std::string_view> words;
    std::size_t end = at;
    while (end > 0) {
        const std::size_t space = note.rfind(' ', end - 1);
        const std::size_t begin = space == std::string_view::npos ? 0 : space + 1;
        const std::string_view word = note.substr(begin, end - begin);
        const bool name = !word.empty() && word[0] >= 'A' && word[0] <= 'Z' && word.find(':') == std::string_view::npos;
        if (!name && word != "and") {
            break;
        }
        words.insert(words.begin(), word);
        if (space == std::string_view::npos) {
            break;
        }
        end = space;
    }
    std::vector<std::string> names;
    std::string current;
    for (std::string_view word : words) {
        if (word == "and") {
            if (!current.empty()) {
                names.push_back(current);
            }
            current.clear();
            continue;
        }
        const bool comma = word.ends_with(",");
        if (comma) {
            word.remove_suffix(1);
        }
        current += (current.empty() ? "" : " ") + std::string(word);
        if (comma) {
            names.push_back(current);
            current.clear();
        }
    }
    if (!current.empty()) {
        names.push_back(current);
    }
    return names.size() >= 2 ? names : std::vector<std::string>{};
}

}  // namespace

std::string normalise_name(std::string_view text) {
    std::string out;
    out.reserve(text.size());
    for (std::size_t i = 0; i < text.size(); ++i) {
        const auto c = static_cast<unsigned char>(text[i]);
        char folded = ' ';
        if (c == 0xC3 && i + 1 < text.size()) {
            folded = fold_c3(static_cast<unsigned char>(text[++i]));
        } else if (c == 0xE2 && i + 2 < text.size() && static_cast<unsigned char>(text[i + 1]) == 0x80) {
            // typographic quotes and dashes
            const auto third = static_cast<unsigned char>(text[i + 2]);
            i += 2;
            folded = (third == 0x98 || third == 0x99) ? '\'' : ' ';
        } else if (c >= 0x80) {
            folded = ' ';
        } else if (std::isalnum(c) != 0) {
            folded = static_cast<char>(std::tolower(c));
        } else if (c == '\'' || c == '`') {
            folded = '\'';
        }
        if (folded == '\'') {
            continue;  // "Sheriff's" == "Sheriffs"
        }
        if (folded == ' ' && (out.empty() || out.back() == ' ')) {
            continue;
        }
        out += static_cast<char>(std::tolower(static_cast<unsigned char>(folded)));
    }
    while (!out.empty() && out.back() == ' ') {
        out.pop_back();
    }
    // "saint" → "st", "ste" stays
    std::string result;
    std::size_t start = 0;
    while (start <= out.size()) {
        std::size_t end = out.find(' ', start);
        if (end == std::string::npos) {
            end = out.size();
        }
        std::string_view word(out.data() + start, end - start);
        if (!result.empty()) {
            result += ' ';
        }
        result += word == "saint" ? "st" : std::string(word);
        start = end + 1;
    }
    return result;
}

std::string agency_key(std::string_view name) {
    return normalise_name(name);
}

const State* Reference::state_by_abbr(std::string_view abbr) const {
    auto it = m_state_by_abbr.find(std::string(abbr));
    return it == m_state_by_abbr.end() ? nullptr : &m_states[it->second];
}

const County* Reference::county(std::string_view fips) const {
    auto it = m_county_by_fips.find(std::string(fips));
    return it == m_county_by_fips.end() ? nullptr : &m_counties[it->second];
}

std::optional<CountyMatch> Reference::match_county(std::string_view state, std::string_view name) const {
    std::string wanted = normalise_name(name);
    if (wanted.empty()) {
        return std::nullopt;
    }
    std::string how = "exact";
    if (auto fix = m_county_fixes.find(join_key(state, wanted)); fix != m_county_fixes.end()) {
        how = "county-name fix '" + std::string(name) + "' -> '" + fix->second + "'";
        wanted = normalise_name(fix->second);
    }
    if (wanted.starts_with("city of ")) {  // "City of Fairfax" is Virginia's "Fairfax city"
        wanted = wanted.substr(8) + " city";
    }
    if (auto it = m_by_full.find(join_key(state, wanted)); it != m_by_full.end() && it->second.size() == 1) {
        return CountyMatch{m_counties[it->second.front()].fips, how};
    }
    bool had_city = false;
    const std::string base = base_name(wanted, had_city);
    if (auto it = m_by_base.find(join_key(state, base)); it != m_by_base.end()) {
        const auto& found = it->second;
        if (found.size() == 1) {
            return CountyMatch{m_counties[found.front()].fips, how == "exact" ? "base name" : how};
        }
        // Fairfax County and Fairfax city: the cell's suffix decides; without "city", the county.
        for (std::size_t index : found) {
            const bool is_city = normalise_name(m_counties[index].full_name).ends_with(" city");
            if (is_city == had_city) {
                return CountyMatch{m_counties[index].fips, how == "exact" ? "base name" : how};
            }
        }
    }
    // Fuzzy: the unique county of the state within edit distance 2 of the base name.
    if (base.size() >= 5) {
        auto it = m_by_state.find(std::string(state));
        if (it != m_by_state.end()) {
            std::size_t best = 3;
            std::vector<std::size_t> best_indices;
            for (std::size_t index : it->second) {
                bool dummy = false;
                const County& c = m_counties[index];
                const std::string candidate =
                    base_name(normalise_name(c.full_name.empty() ? c.name : c.full_name), dummy);
                const std::size_t d = edit_distance(base, candidate);
                if (d < best) {
                    best = d;
                    best_indices = {index};
                } else if (d == best) {
                    best_indices.push_back(index);
                }
            }
            if (best <= 2 && best_indices.size() == 1) {
                const County& c = m_counties[best_indices.front()];
                return CountyMatch{c.fips, "fuzzy '" + std::string(name) + "' -> '" + c.full_name + "'"};
            }
        }
    }
    return std::nullopt;
}

std::vector<std::string> Reference::fbi_city_counties(std::string_view state, std::string_view city) const {
    auto it = m_fbi_city.find(join_key(state, normalise_name(city)));
    return it == m_fbi_city.end() ? std::vector<std::string>{} : it->second;  // empty = ambiguous
}

std::vector<std::string> Reference::fbi_agency_counties(std::string_view state, std::string_view name) const {
    auto it = m_fbi_any.find(join_key(state, normalise_name(name)));
    return it == m_fbi_any.end() ? std::vector<std::string>{} : it->second;
}

std::string Reference::simplemaps_city_county(std::string_view state, std::string_view city) const {
    auto it = m_cities.find(join_key(state, normalise_name(city)));
    return it == m_cities.end() ? std::string{} : it->second;
}

const RegionalAgency* Reference::regional(std::string_view state, std::string_view agency) const {
    auto it = m_regional.find(join_key(state, agency_key(agency)));
    return it == m_regional.end() ? nullptr : &it->second;
}

const std::vector<std::string>& Reference::jurisdiction_counties(std::string_view state,
                                                                 std::string_view agency) const {
    static const std::vector<std::string> none;
    auto it = m_level_counties.find(join_key(state, agency_key(agency)));
    return it == m_level_counties.end() ? none : it->second;
}

std::vector<std::string> Reference::fbi_city_like(std::string_view state,
                                                  std::string_view city,
                                                  std::string& found) const {
    const std::string wanted = normalise_name(city);
    auto names = m_fbi_city_names.find(std::string(state));
    if (wanted.size() < 6 || names == m_fbi_city_names.end()) {
        return {};
    }
    std::vector<const std::string*> candidates;
    for (const std::string& name : names->second) {
        const bool one_more_word = name.size() > wanted.size() + 1 && name.starts_with(wanted + " ") &&
                                   name.find(' ', wanted.size() + 1) == std::string::npos;
        if (one_more_word || edit_distance(wanted, name) == 1) {
            candidates.push_back(&name);
        }
    }
    if (candidates.size() != 1) {
        return {};
    }
    auto fips = fbi_city_counties(state, *candidates.front());
    found = fips.empty() ? std::string{} : *candidates.front();
    return fips;
}

std::string Reference::jurisdiction_level(std::string_view state, std::string_view agency) const {
    auto it = m_levels.find(join_key(state, agency_key(agency)));
    return it == m_levels.end() ? std::string{} : it->second;
}

/// Fills a Reference from its tables, one table or family of tables per function (the reference
/// folder's layout is described in ../shared/data/PROVENANCE.md).
class ReferenceLoader {
public:
    /// Counties and states: states from the compiled table (choro/geo/us_states.hpp), which the
    /// county file must agree with.
    static void counties(Reference& ref, const std::filesystem::path& reference_dir) {
        const geo::Table counties = geo::read_table((reference_dir / "us_counties_fips.csv").string());
        const std::size_t c_fips = counties.column("county_fips");
        const std::size_t c_state_fips = counties.column("state_fips");
        const std::size_t c_abbr = counties.column("state_abbr");
        const std::size_t c_state_name = counties.column("state_name");
        const std::size_t c_name = counties.column("name");
        const std::size_t c_full = counties.column("full_name");
        for (const geo::UsState& s : geo::us_states()) {
            ref.m_state_by_abbr.emplace(std::string(s.abbr), ref.m_states.size());
            ref.m_states.push_back(State{std::string(s.fips), std::string(s.abbr), std::string(s.name)});
        }
        for (std::size_t r = 0; r < counties.rows.size(); ++r) {
            const auto& row = counties.rows[r];
            County county{row[c_fips], row[c_state_fips], row[c_abbr], row[c_name], row[c_full]};
            const std::size_t index = ref.m_counties.size();
            const State* state = ref.state_by_abbr(county.state);
            if (state == nullptr || state->fips != county.state_fips || state->name != row[c_state_name]) {
                throw InputError(counties.source,
                                 "state " + county.state_fips + " " + county.state + " '" + row[c_state_name] +
                                     "' is not in choro's state table (choro/geo/us_states.hpp)",
                                 r < counties.lines.size() ? counties.lines[r] : r + 2,
                                 "state_abbr");
            }
            ref.m_county_by_fips.emplace(county.fips, index);
            ref.m_by_state[county.state].push_back(index);
            for (const std::string& name : {county.full_name, county.name}) {
                if (name.empty()) {
                    continue;
                }
                auto& list = ref.m_by_full[join_key(county.state, normalise_name(name))];
                if (std::find(list.begin(), list.end(), index) == list.end()) {
                    list.push_back(index);
                }
            }
            bool dummy = false;
            for (const std::string& name : {county.full_name, county.name}) {
                if (name.empty()) {
                    continue;
                }
                auto& list = ref.m_by_base[join_key(county.state, base_name(normalise_name(name), dummy))];
                if (std::find(list.begin(), list.end(), index) == list.end()) {
                    list.push_back(index);
                }
            }
            ref.m_counties.push_back(std::move(county));
        }
    }

    /// The deportationdata manual tables: county-name fixes first (match_county uses them), then
    /// regional jails and municipalities, then jurisdiction levels with the counties their notes name.
    static void manual(Reference& ref, const std::filesystem::path& manual) {
        auto state_abbr_of = [&](const geo::Table& table, std::size_t row, std::size_t column) {
            std::string abbr = state_of_name(ref, table.rows[row][column]);
            if (abbr.empty()) {
                throw InputError(table.source,
                                 "unknown state '" + table.rows[row][column] + "'",
                                 table.lines[row],
                                 table.columns[column]);
            }
            return abbr;
        };
        auto county_of = [&](const geo::Table& table, std::size_t row, std::size_t column, const std::string& state) {
            auto match = ref.match_county(state, table.rows[row][column]);
            if (!match) {
                throw InputError(table.source,
                                 "county '" + table.rows[row][column] + "' matches no county of " + state,
                                 table.lines[row],
                                 table.columns[column]);
            }
            return match->fips;
        };

        {
            const geo::Table fixes = geo::read_table((manual / "county-name-fixes.csv").string());
            const std::size_t s = fixes.column("state"), c = fixes.column("county"), f = fixes.column("county_fixed");
            for (std::size_t r = 0; r < fixes.rows.size(); ++r) {
                ref.m_county_fixes[join_key(state_abbr_of(fixes, r, s), normalise_name(fixes.rows[r][c]))] =
                    fixes.rows[r][f];
            }
        }
        auto add_regional = [&](const std::string& state, const std::string& agency, const std::string& fips) {
            auto& entry = ref.m_regional[join_key(state, agency_key(agency))];
            entry.state = state;
            entry.agency = agency;
            if (std::find(entry.county_fips.begin(), entry.county_fips.end(), fips) == entry.county_fips.end()) {
                entry.county_fips.push_back(fips);
            }
        };
        {
            const geo::Table jails = geo::read_table((manual / "manual-regional-jail-counties.csv").string());
            const std::size_t a = jails.column("agency"), s = jails.column("state"), c = jails.column("county");
            for (std::size_t r = 0; r < jails.rows.size(); ++r) {
                const std::string state = state_abbr_of(jails, r, s);
                add_regional(state, jails.rows[r][a], county_of(jails, r, c, state));
            }
        }
        {
            const geo::Table muni = geo::read_table((manual / "manual-regional-municipalities.csv").string());
            const std::size_t a = muni.column("agency"), s = muni.column("state"),
                              c = muni.column("municipality_county");
            for (std::size_t r = 0; r < muni.rows.size(); ++r) {
                const std::string state = state_abbr_of(muni, r, s);
                add_regional(state, muni.rows[r][a], county_of(muni, r, c, state));
            }
        }
        {
            const geo::Table levels = geo::read_table((manual / "manual-jurisdiction-levels.csv").string());
            const std::size_t a = levels.column("agency"), s = levels.column("state"),
                              l = levels.column("jurisdiction_level"), n = levels.column("note");
            for (std::size_t r = 0; r < levels.rows.size(); ++r) {
                const std::string state = state_abbr_of(levels, r, s);
                const std::string key = join_key(state, agency_key(levels.rows[r][a]));
                ref.m_levels[key] = levels.rows[r][l];
                for (const std::string& name : counties_in_note(levels.rows[r][n])) {
                    auto match = ref.match_county(state, name);
                    if (!match) {
                        throw InputError(levels.source,
                                         "county '" + name + "' of the note matches no county of " + state,
                                         levels.lines[r],
                                         "note");
                    }
                    ref.m_level_counties[key].push_back(match->fips);
                }
            }
        }
    }

    /// FBI LEE roster: city agencies → their counties (comma-separated, upper case).
    static void fbi_lee(Reference& ref, const std::filesystem::path& reference_dir) {
        {
            const geo::Table lee = geo::read_table((reference_dir / "fbi-lee" / "fbi_lee_latest.csv").string());
            const std::size_t n = lee.column("pub_agency_name"), s = lee.column("state_abbr"),
                              c = lee.column("county_name"), t = lee.column("agency_type_name");
            std::unordered_map<std::string, std::string> memo;
            for (std::size_t r = 0; r < lee.rows.size(); ++r) {
                const auto& row = lee.rows[r];
                if (!ref.m_state_by_abbr.contains(row[s])) {
                    continue;
                }
                std::vector<std::string> fips;
                std::size_t start = 0;
                const std::string& list = row[c];
                while (start < list.size()) {
                    std::size_t end = list.find(',', start);
                    if (end == std::string::npos) {
                        end = list.size();
                    }
                    // Memoised: the roster repeats a few thousand county names 18,000 times.
                    const std::string name_key = join_key(row[s], list.substr(start, end - start));
                    auto cached = memo.find(name_key);
                    if (cached == memo.end()) {
                        auto match = ref.match_county(row[s], list.substr(start, end - start));
                        cached = memo.emplace(name_key, match ? match->fips : std::string{}).first;
                    }
                    if (!cached->second.empty() && std::find(fips.begin(), fips.end(), cached->second) == fips.end()) {
                        fips.push_back(cached->second);
                    }
                    start = end + 1;
                }
                if (fips.empty()) {
                    continue;
                }
                const std::string key = join_key(row[s], normalise_name(row[n]));
                auto& index = row[t] == "City" ? ref.m_fbi_city : ref.m_fbi_any;
                auto [it, inserted] = index.emplace(key, fips);
                if (inserted && row[t] == "City") {
                    ref.m_fbi_city_names[row[s]].push_back(normalise_name(row[n]));
                }
                if (!inserted && it->second != fips) {
                    it->second.clear();  // two agencies of one name in different counties: ambiguous
                }
            }
        }
    }

    /// simplemaps cities: place → county (one per place).
    static void cities(Reference& ref, const std::filesystem::path& reference_dir) {
        {
            const geo::Table cities =
                geo::read_table((reference_dir / "simplemaps-uscities" / "uscities.csv").string());
            const std::size_t n = cities.column("city_ascii"), s = cities.column("state_id"),
                              f = cities.column("county_fips");
            for (const auto& row : cities.rows) {
                const std::string key = join_key(row[s], normalise_name(row[n]));
                auto [it, inserted] = ref.m_cities.emplace(key, row[f]);
                if (!inserted && it->second != row[f]) {
                    it->second.clear();  // two places of one name in different counties: ambiguous
                }
            }
        }
    }
};

Reference load_reference(const std::filesystem::path& data_dir) {
    Reference ref;
    const auto reference_dir = data_dir / "reference";
    ReferenceLoader::counties(ref, reference_dir);
    ReferenceLoader::manual(ref, reference_dir / "deportationdata-ice-287g-manual");
    ReferenceLoader::fbi_lee(ref, reference_dir);
    ReferenceLoader::cities(ref, reference_dir);
    return ref;
}

}  // namespace choro::agreements
