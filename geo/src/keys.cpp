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

}  // namespace

KeyShape infer_key_shape(std::span<const std::string> keys) {
    std::size_t width = 0;
    for (const auto& key : keys) {
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

std::string normalise_key(std::string_view raw, const KeyShape& shape) {
    std::string_view s = detail::trim(raw);  // also U+00A0, which spreadsheets love

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

}  // namespace choro::geo
