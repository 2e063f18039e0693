#pragma once

#include <cstddef>
#include <string>
#include <string_view>

/// @file
/// Small text helpers shared by the table reader, keys and join (private to geo).

namespace choro::geo::detail {

[[nodiscard]] constexpr bool is_ascii_space(char c) noexcept {
    return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\f' || c == '\v';
}

/// Trims ASCII white space and U+00A0 (no-break space, UTF-8 C2 A0) from both ends.
[[nodiscard]] inline std::string_view trim(std::string_view s) noexcept {
    while (!s.empty()) {
        if (is_ascii_space(s.front())) {
            s.remove_prefix(1);
        } else if (s.size() >= 2 && s[0] == '\xC2' && s[1] == '\xA0') {
            s.remove_prefix(2);
        } else {
            break;
        }
    }
    while (!s.empty()) {
        if (is_ascii_space(s.back())) {
            s.remove_suffix(1);
        } else if (s.size() >= 2 && s[s.size() - 1] == '\xA0' && s[s.size() - 2] == '\xC2') {
            s.remove_suffix(2);
        } else {
            break;
        }
    }
    return s;
}

[[nodiscard]] constexpr char ascii_lower(char c) noexcept {
    return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
}

/// ASCII case-insensitive equality (non-ASCII bytes must match exactly).
[[nodiscard]] inline bool iequals(std::string_view a, std::string_view b) noexcept {
    if (a.size() != b.size()) {
        return false;
    }
    for (std::size_t i = 0; i < a.size(); ++i) {
        if (ascii_lower(a[i]) != ascii_lower(b[i])) {
            return false;
        }
    }
    return true;
}

/// "a, b, c" with each item quoted: for "the columns are: …" messages.
template <class Range>
[[nodiscard]] std::string quoted_list(const Range& items) {
    std::string out;
    for (const auto& item : items) {
        if (!out.empty()) {
            out += ", ";
        }
        out += '\'';
        out += item;
        out += '\'';
    }
    return out.empty() ? std::string("(none)") : out;
}

}  // namespace choro::geo::detail
