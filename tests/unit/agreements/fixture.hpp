#pragma once

#include <filesystem>
#include <map>
#include <string>

#include "test_support.hpp"
#include <gtest/gtest.h>

#include "choro/agreements/placement.hpp"
#include "choro/agreements/reference.hpp"
#include "choro/agreements/sheet.hpp"

namespace choro::agreements::testing {

/// The shared data folder, or "" when it is absent (tests then skip).
inline std::filesystem::path shared() {
    const std::filesystem::path dir = choro::test::shared_data_dir();
    return std::filesystem::exists(dir / "reference" / "us_counties_fips.csv") ? dir : std::filesystem::path{};
}

/// The reference tables, loaded once per test executable.
inline const Reference& reference() {
    static const Reference ref = load_reference(shared());
    return ref;
}

inline std::filesystem::path participating(const std::string& name) {
    return shared() / "ice287g" / "participating" / name;
}

/// A sheet's agencies, placed, cached per file.
inline const std::vector<Agency>& placed(const std::string& csv_name) {
    static std::map<std::string, std::vector<Agency>> cache;
    auto it = cache.find(csv_name);
    if (it == cache.end()) {
        const Sheet sheet = read_sheet(participating(csv_name).string(), reference());
        it = cache.emplace(csv_name, place_agencies(sheet, reference())).first;
    }
    return it->second;
}

/// The agency of a sheet by state and exact (trimmed) name; fails the test when absent.
inline const Agency& find_agency(const std::string& csv_name, const std::string& state, const std::string& name) {
    for (const Agency& agency : placed(csv_name)) {
        if (agency.state == state && agency.key == agency_key(name)) {
            return agency;
        }
    }
    throw std::runtime_error("no agency " + state + " " + name + " in " + csv_name);
}

}  // namespace choro::agreements::testing

#define CHORO_NEED_SHARED_DATA()                                            \
    do {                                                                    \
        if (choro::agreements::testing::shared().empty()) {                 \
            GTEST_SKIP() << "../shared/data is not there (see PROVENANCE)"; \
        }                                                                   \
    } while (false)
