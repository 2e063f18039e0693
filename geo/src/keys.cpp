#include "choro/geo/keys.hpp"

#include <algorithm>
#include <string>
#include <string_view>

#include "detail/text.hpp"

namespace choro::geo {

namespace {

bool all_digits(std::string_view s) noexcept {
    return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

/// Length of the UTF-8 sequence at `s[i]` when it is a character keys never mean to hold: zero-width
/// space/joiners (U+200B–U+200D), word joiner (U+2060), BOM (U+FEFF); 0 otherwise.
std::size_t invisible_at(std::string_view s, std::size_t i) noexcept {
    if (i + 3 > s.size()) {
        return 0;
    }
    const auto a = static_cast<unsigned char>(s[i]);
    const auto b = static_cast<unsigned char>(s[i + 1]);
    const auto c = static_cast<unsigned char>(s[i + 2]);
    if (a == 0xE2 && b == 0x80 && c >= 0x8B && c <= 0x8D) {
        return 3;
    }
    if (a == 0xE2 && b == 0x81 && c == 0xA0) {
        return 3;
    }
    if (a == 0xEF && b == 0xBB && c == 0xBF) {
        return 3;
    }
    return 0;
}

/// Spaces spreadsheets and web pages put around keys: ASCII, no-break (U+00A0), ideographic (U+3000).
std::size_t space_at(std::string_view s, std::size_t i) noexcept {
    if (i < s.size() && is_ascii_space(s[i])) {
        return 1;
    }
    if (i + 2 <= s.size() && s[i] == '\xC2' && s[i + 1] == '\xA0') {
        return 2;
    }
    if (i + 3 <= s.size() && s[i] == '\xE3' && s[i + 1] == '\x80' && s[i + 2] == '\x80') {
        return 3;
    }
    return 0;
}

}  // namespace

KeyShape infer_key_shape(std::span<const std::string> keys) {
    std::size_t width = 0;
    for (const auto& raw : keys) {
        const std::string key = normalise_key(raw, KeyShape{});
        if (key.empty()) {
            continue;
        }
        if (!all_digits(key) || (width != 0 && key.size() != width)) {
            return {};
        }
        width = key.size();
    }
    return KeyShape{width};
}

namespace {

/// One pass of removing invisible characters and turning full-width digits (U+FF10–U+FF19) into
/// ASCII; true when it changed something.
bool clean_once(std::string_view raw, std::string& cleaned) {
    cleaned.clear();
    bool changed = false;
    for (std::size_t i = 0; i < raw.size();) {
        if (const auto n = invisible_at(raw, i)) {
            i += n;
            changed = true;
            continue;
        }
        if (i + 3 <= raw.size() && raw[i] == '\xEF' && raw[i + 1] == '\xBC' &&
            static_cast<unsigned char>(raw[i + 2]) >= 0x90 && static_cast<unsigned char>(raw[i + 2]) <= 0x99) {
            cleaned += static_cast<char>('0' + (static_cast<unsigned char>(raw[i + 2]) - 0x90));
            i += 3;
            changed = true;
            continue;
        }
        cleaned += raw[i++];
    }
    return changed;
}

}  // namespace

std::string normalise_key(std::string_view raw, const KeyShape& shape) {
    // Invisible characters go wherever they are; full-width digits become ASCII. Repeated until
    // nothing changes: removing one can join the bytes around it into another (idempotence).
    std::string cleaned;
    std::string next;
    cleaned.reserve(raw.size());
    bool changed = clean_once(raw, cleaned);
    while (changed) {
        changed = clean_once(cleaned, next);
        cleaned.swap(next);
    }
    // Spaces at both ends (also no-break and ideographic ones).
    std::size_t b = 0;
    while (b < cleaned.size()) {
        const auto n = space_at(cleaned, b);
        if (n == 0) {
            break;
        }
        b += n;
    }
    std::size_t e = cleaned.size();
    while (e > b) {
        std::size_t n = 0;
        for (std::size_t k = 1; k <= 3 && k <= e - b; ++k) {
            if (space_at(cleaned, e - k) == k) {
                n = k;
                break;
            }
        }
        if (n == 0) {
            break;
        }
        e -= n;
    }
    std::string_view s = std::string_view(cleaned).substr(b, e - b);

    // "1001.0" / "1001.00": a spreadsheet's float rendering of an integer code.
    if (const auto dot = s.find('.'); dot != std::string_view::npos && dot + 1 < s.size()) {
        const auto head = s.substr(0, dot);
        const auto tail = s.substr(dot + 1);
        if (all_digits(head) && std::all_of(tail.begin(), tail.end(), [](char c) { return c == '0'; })) {
            s = head;
        }
    }
    std::string key(s);
    if (shape.numeric_width > 0 && all_digits(key) && key.size() < shape.numeric_width) {
        key.insert(0, shape.numeric_width - key.size(), '0');
    }
    return key;
}

std::string match_key(std::string_view normalised) {
    if (!all_digits(normalised)) {
        return std::string(normalised);
    }
    const auto first = normalised.find_first_not_of('0');
    return first == std::string_view::npos ? std::string("0") : std::string(normalised.substr(first));
}

}  // namespace choro::geo
