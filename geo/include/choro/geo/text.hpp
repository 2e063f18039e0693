#pragma once

#include <algorithm>
#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

/// @file
/// Small text helpers every module needs for names, keys and messages: trimming (ICE's cells end
/// in spaces, spreadsheets put no-break spaces in keys), ASCII case folding, edit distance for
/// "did you mean" suggestions and typo correction. One copy here, in the lowest module.

namespace choro::geo {

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

[[nodiscard]] constexpr char ascii_upper(char c) noexcept {
    return (c >= 'a' && c <= 'z') ? static_cast<char>(c - 'a' + 'A') : c;
}

/// ASCII lower-case copy (other bytes unchanged).
[[nodiscard]] inline std::string lower(std::string_view s) {
    std::string out(s);
    std::transform(out.begin(), out.end(), out.begin(), ascii_lower);
    return out;
}

/// ASCII upper-case copy (other bytes unchanged).
[[nodiscard]] inline std::string upper(std::string_view s) {
    std::string out(s);
    std::transform(out.begin(), out.end(), out.begin(), ascii_upper);
    return out;
}

/// ASCII case-insensitive equality (non-ASCII bytes must match exactly).
[[nodiscard]] inline bool iequals(std::string_view a, std::string_view b) noexcept {
    return a.size() == b.size() &&
           std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) { return ascii_lower(x) == ascii_lower(y); });
}

/// Levenshtein distance (insert, delete, substitute all cost 1), on bytes. O(|a|·|b|) time, O(|b|) memory.
[[nodiscard]] inline std::size_t edit_distance(std::string_view a, std::string_view b) {
    std::vector<std::size_t> row(b.size() + 1);
    for (std::size_t j = 0; j <= b.size(); ++j) {
        row[j] = j;
    }
    for (std::size_t i = 1; i <= a.size(); ++i) {
        std::size_t diagonal = row[0];
        row[0] = i;
        for (std::size_t j = 1; j <= b.size(); ++j) {
            const std::size_t up = row[j];
            const std::size_t cost = a[i - 1] == b[j - 1] ? 0 : 1;
            row[j] = std::min({row[j] + 1, row[j - 1] + 1, diagonal + cost});
            diagonal = up;
        }
    }
    return row[b.size()];
}

/// The candidate nearest to `word` by case-insensitive edit distance when it is a plausible typo
/// (distance at most 2 and less than half the word), else "".
[[nodiscard]] inline std::string nearest(std::string_view word, const std::vector<std::string_view>& candidates) {
    std::string best;
    std::size_t best_distance = 3;
    for (const auto candidate : candidates) {
        const std::size_t d = edit_distance(lower(word), lower(candidate));
        if (d < best_distance && d * 2 < std::max<std::size_t>(word.size(), 2)) {
            best_distance = d;
            best = std::string(candidate);
        }
    }
    return best;
}

/// "'a', 'b', 'c'": for "the columns are: …" messages; "(none)" when empty.
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

/// Text safe inside XML or HTML, in elements and in quoted attributes: & < > " as entities, a line
/// break as &#10; (kept in attributes), other control characters (not allowed in XML 1.0) as spaces.
[[nodiscard]] inline std::string xml_escape(std::string_view text) {
    std::string out;
    out.reserve(text.size());
    for (const char c : text) {
        switch (c) {
            case '&':
                out += "&amp;";
                break;
            case '<':
                out += "&lt;";
                break;
            case '>':
                out += "&gt;";
                break;
            case '"':
                out += "&quot;";
                break;
            case '\n':
                out += "&#10;";
                break;
            default:
                out += static_cast<unsigned char>(c) < 0x20 && c != '\t' ? ' ' : c;
        }
    }
    return out;
}

}  // namespace choro::geo
