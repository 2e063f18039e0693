// Place-label settings: the --labels selection and the --label-format template.

#include "choro/styles/label_text.hpp"

#include <algorithm>
#include <cctype>
#include <string>
#include <vector>

#include "detail/text.hpp"

#include "choro/geo/error.hpp"

namespace choro::styles {

LabelSelection parse_label_selection(std::string_view text) {
    const std::string_view t = detail::trim(text);
    const std::string l = detail::lower(t);
    LabelSelection s;
    if (l.empty()) {
        return s;
    }
    if (l == "none") {
        s.kind = LabelSelection::Kind::none;
        return s;
    }
    if (l == "all") {
        s.kind = LabelSelection::Kind::all;
        return s;
    }
    if (l == "holdouts") {
        s.kind = LabelSelection::Kind::holdouts;
        return s;
    }
    if (l.starts_with("top:")) {
        const std::string n = l.substr(4);
        const bool digits = !n.empty() && n.size() <= 9 &&
                            std::all_of(n.begin(), n.end(), [](unsigned char c) { return std::isdigit(c); });
        if (!digits || std::stoul(n) == 0) {
            throw JobError(
                "", 0, 0, "'" + std::string(text) + "': top:N needs a whole number of labels from 1, e.g. top:10");
        }
        s.kind = LabelSelection::Kind::top;
        s.top = std::stoul(n);
        return s;
    }
    s.kind = LabelSelection::Kind::keys;
    std::size_t start = 0;
    while (start <= t.size()) {
        const std::size_t comma = std::min(t.find(',', start), t.size());
        const std::string_view key = detail::trim(t.substr(start, comma - start));
        if (key.empty()) {
            throw JobError("",
                           0,
                           0,
                           "'" + std::string(text) +
                               "': an empty key in the list; expected none, all, holdouts, top:N or KEY,KEY");
        }
        s.keys.emplace_back(key);
        start = comma + 1;
    }
    return s;
}

namespace {

/// Calls `text(piece)` for literal pieces and `field(name)` for each {name}; throws for bad braces.
template <typename Text, typename Field>
void walk(std::string_view format, Text&& text, Field&& field) {
    std::size_t i = 0;
    while (i < format.size()) {
        const std::size_t open = format.find_first_of("{}", i);
        if (open == std::string_view::npos) {
            text(format.substr(i));
            return;
        }
        text(format.substr(i, open - i));
        if (format[open] == '}') {
            throw JobError("", 0, 0, "label format '" + std::string(format) + "': a '}' without its '{'");
        }
        const std::size_t close = format.find('}', open);
        if (close == std::string_view::npos) {
            throw JobError("", 0, 0, "label format '" + std::string(format) + "': a '{' without its '}'");
        }
        field(format.substr(open + 1, close - open - 1));
        i = close + 1;
    }
}

}  // namespace

void check_label_format(std::string_view format) {
    walk(
        format,
        [](std::string_view) {},
        [&](std::string_view name) {
            if (name != "name" && name != "value" && name != "key") {
                throw JobError("",
                               0,
                               0,
                               "label format '" + std::string(format) + "': unknown field {" + std::string(name) +
                                   "}; expected {name}, {value} or {key}");
            }
        });
}

std::string expand_label(std::string_view format, std::string_view name, std::string_view value, std::string_view key) {
    std::string raw;
    walk(
        format,
        [&](std::string_view piece) { raw += piece; },
        [&](std::string_view field) { raw += field == "name"    ? name
                                             : field == "value" ? value
                                                                : key; });
    // "\n" typed in a shell arrives as two characters: a line break.
    std::string text;
    for (std::size_t i = 0; i < raw.size(); ++i) {
        if (raw[i] == '\\' && i + 1 < raw.size() && raw[i + 1] == 'n') {
            text += '\n';
            ++i;
        } else {
            text += raw[i];
        }
    }
    std::string out;
    std::size_t start = 0;
    while (start <= text.size()) {
        const std::size_t nl = std::min(text.find('\n', start), text.size());
        const std::string_view line = detail::trim(std::string_view(text).substr(start, nl - start));
        if (!line.empty()) {
            out += (out.empty() ? "" : "\n") + std::string(line);
        }
        start = nl + 1;
    }
    return out;
}

}  // namespace choro::styles
