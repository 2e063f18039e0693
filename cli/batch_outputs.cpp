#include "batch_outputs.hpp"

#include <algorithm>
#include <map>
#include <regex>
#include <set>
#include <system_error>

#include "choro/geo/atomic_file.hpp"
#include "choro/geo/error.hpp"
#include "choro/geo/input_file.hpp"
#include "choro/geo/layer_cache.hpp"
#include "choro/geo/text.hpp"

namespace choro::cli {

namespace fs = std::filesystem;
using json = nlohmann::ordered_json;

namespace {

/// A relative path as a URL path: each character outside the unreserved set percent-encoded.
std::string url(const std::string& path) {
    static constexpr char digits[] = "0123456789ABCDEF";
    std::string out;
    for (const char c : path) {
        const auto u = static_cast<unsigned char>(c);
        if (std::isalnum(u) != 0 || c == '-' || c == '_' || c == '.' || c == '~' || c == '/') {
            out += c;
        } else {
            out += '%';
            out += digits[u >> 4U];
            out += digits[u & 15U];
        }
    }
    return out;
}

std::string number(const json& v) {
    if (!v.is_number()) {
        return "";
    }
    const double d = v.get<double>();
    char buf[64];
    if (d == static_cast<double>(static_cast<long long>(d))) {
        std::snprintf(buf, sizeof buf, "%lld", static_cast<long long>(d));
    } else {
        std::snprintf(buf, sizeof buf, "%.4g", d);
    }
    return buf;
}

}  // namespace

std::string batch_index_html(const json& manifest) {
    const std::string title = manifest.value("title", std::string("choro batch"));
    std::string out = "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>" +
                      geo::xml_escape(title) +
                      "</title>\n<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<style>\n"
                      "body{font-family:'DejaVu Sans',sans-serif;margin:16px;color:#1e1e1e;background:#fff}\n"
                      "h1{font-size:20px;margin:0 0 4px}p.sub{color:#555;margin:0 0 14px;font-size:13px}\n"
                      ".grid{display:grid;grid-template-columns:repeat(auto-fill,minmax(230px,1fr));gap:12px}\n"
                      ".card{border:1px solid #ddd;border-radius:4px;padding:8px;font-size:12px}\n"
                      ".card img{width:100%;height:auto;display:block;border-bottom:1px solid #eee;margin-bottom:6px}\n"
                      ".card h2{font-size:14px;margin:0 0 2px}.fig{color:#444}.links a{margin-right:8px}\n"
                      ".failed{color:#a00}\n</style>\n</head>\n<body>\n<h1>" +
                      geo::xml_escape(title) + "</h1>\n";
    const auto& maps = manifest.contains("maps") ? manifest["maps"] : json::array();
    out += "<p class=\"sub\">" + std::to_string(maps.size()) + " maps, by " +
           geo::xml_escape(manifest.value("by", std::string())) + ", breaks " +
           geo::xml_escape(manifest.value("breaks_scope", std::string())) + ".";
    if (manifest.contains("atlas") && manifest["atlas"].contains("pdf")) {
        const std::string pdf = manifest["atlas"]["pdf"].get<std::string>();
        out += " All maps in one file: <a href=\"" + url(pdf) + "\">" + geo::xml_escape(pdf) + "</a>.";
    }
    out += " Details: <a href=\"manifest.json\">manifest.json</a>.</p>\n<div class=\"grid\">\n";
    for (const auto& m : maps) {
        out += "<div class=\"card\" id=\"" + geo::xml_escape(m.value("abbr", std::string())) + "\">";
        std::string thumb;
        for (const auto& f : m["files"]) {
            if (f.value("format", std::string()) == "png") {
                thumb = f.value("path", std::string());
                break;
            }
        }
        if (!thumb.empty()) {
            out += "<a href=\"" + url(thumb) + "\"><img loading=\"lazy\" src=\"" + url(thumb) + "\" alt=\"" +
                   geo::xml_escape(m.value("name", std::string())) + "\"></a>";
        }
        out += "<h2>" + geo::xml_escape(m.value("name", std::string())) + "</h2>";
        const auto& c = m["counts"];
        out += "<div class=\"fig\">";
        if (c.contains("total")) {
            out += number(c["total"]) + " " + geo::xml_escape(manifest.value("value", std::string("total")));
            if (c.contains("extra")) {
                for (const auto& [name, v] : c["extra"].items()) {
                    out += ", " + number(v) + " " + geo::xml_escape(name);
                }
            }
            out += "<br>";
        }
        out += number(c["above_zero"]) + " of " + number(c["features"]) + " with at least one";
        if (m.contains("holdouts") && !m["holdouts"].empty()) {
            out += "<br>" + std::to_string(m["holdouts"].size()) + " holdout" + (m["holdouts"].size() == 1 ? "" : "s");
        }
        out += "</div><div class=\"links\">";
        for (const auto& f : m["files"]) {
            out += "<a href=\"" + url(f.value("path", std::string())) + "\">" +
                   geo::xml_escape(f.value("format", std::string())) + "</a>";
        }
        out += "</div></div>\n";
    }
    out += "</div>\n";
    if (manifest.contains("failed") && !manifest["failed"].empty()) {
        out += "<h2 class=\"failed\">Maps that failed</h2>\n<ul class=\"failed\">\n";
        for (const auto& f : manifest["failed"]) {
            out += "<li>" + geo::xml_escape(f.value("name", std::string())) + ": " +
                   geo::xml_escape(f.value("reason", std::string())) + "</li>\n";
        }
        out += "</ul>\n";
    }
    out += "</body>\n</html>\n";
    return out;
}

json read_manifest(const fs::path& path) {
    const std::string text = geo::read_input_file(path.string(), std::size_t{256} << 20U, "batch manifest");
    json doc = json::parse(text, nullptr, false);
    if (doc.is_discarded() || !doc.is_object() || !doc.contains("maps") || !doc["maps"].is_array()) {
        throw InputError(path.string(), "is not a choro batch manifest (JSON with a \"maps\" array)");
    }
    return doc;
}

namespace {

/// One part of a sharded run: its folder, its manifest file and the manifest.
struct Part {
    fs::path dir;
    fs::path file;
    json doc;
};

/// The part manifests in the folders, by part index; every part of the same N once.
std::map<int, Part> find_parts(const std::vector<std::string>& parts, const fs::path& out) {
    static const std::regex part_name(R"(manifest\.part-(\d{4})-of-(\d{4})\.json)");
    std::map<int, Part> found;
    int count = -1;
    std::set<fs::path> seen_files;
    for (const auto& dir_name : parts) {
        const fs::path dir(dir_name);
        std::error_code ec;
        if (!fs::is_directory(dir, ec)) {
            throw InputError(dir_name, "is not a folder of a sharded `choro batch` run");
        }
        bool any = false;
        std::vector<fs::path> files;
        for (const auto& entry : fs::directory_iterator(dir, ec)) {
            files.push_back(entry.path());
        }
        std::sort(files.begin(), files.end());
        for (const auto& file : files) {
            std::smatch m;
            const std::string name = file.filename().string();
            if (!std::regex_match(name, m, part_name)) {
                continue;
            }
            const fs::path canonical = fs::weakly_canonical(file, ec);
            if (!seen_files.insert(canonical).second) {
                continue;  // the same folder given twice
            }
            any = true;
            const int index = std::stoi(m[1].str());
            const int n = std::stoi(m[2].str());
            if (count >= 0 && n != count) {
                throw InputError(file.string(),
                                 "is a part of " + std::to_string(n) + ", the others of " + std::to_string(count));
            }
            count = n;
            if (found.count(index) != 0) {
                throw InputError(file.string(),
                                 "part " + std::to_string(index) + " is also in " + found[index].file.string());
            }
            found[index] = Part{dir, file, read_manifest(file)};
        }
        if (!any) {
            throw InputError(dir_name, "holds no manifest.part-IIII-of-NNNN.json (run `choro batch --shard i/N`)");
        }
    }
    std::string missing;
    for (int i = 0; i < count; ++i) {
        if (found.count(i) == 0) {
            missing += (missing.empty() ? "" : ", ") + std::to_string(i);
        }
    }
    if (!missing.empty()) {
        throw InputError(out.string(), "parts missing from the merge: " + missing + " of " + std::to_string(count));
    }
    return found;
}

/// Throws unless every part comes from the same settings and inputs, and from the merge's (`head`).
void check_parts_agree(const std::map<int, Part>& found, const json& head) {
    const json& first = found.begin()->second.doc;
    for (const auto& [i, part] : found) {
        for (const char* key : {"by", "breaks_scope", "width", "height", "dpi", "formats", "inputs", "title"}) {
            if (part.doc.value(key, json()) != first.value(key, json())) {
                throw InputError(part.file.string(),
                                 std::string("'") + key + "' differs from " + found.begin()->second.file.string() +
                                     ": the parts come from different runs");
            }
        }
    }
    // ... and from the merge's job and flags, which draw atlas.pdf.
    for (const auto& [key, value] : head.items()) {
        if (first.value(key, json()) != value) {
            throw UsageError("--merge-manifests: the parts' \"" + key + "\" (" + first.value(key, json()).dump() +
                             ") is not this job's (" + value.dump() +
                             "); give the merge the job and flags the parts were drawn with");
        }
    }
}

}  // namespace

json merge_batch_manifests(const std::vector<std::string>& parts, const fs::path& out, const json& head) {
    const std::map<int, Part> found = find_parts(parts, out);
    check_parts_agree(found, head);
    const json& first = found.begin()->second.doc;
    json merged = first;
    merged.erase("shard");
    merged["maps"] = json::array();
    merged["failed"] = json::array();
    std::error_code ec;
    fs::create_directories(out, ec);
    if (ec) {
        throw RenderError(out.string(), "cannot create the folder: " + ec.message());
    }
    for (const auto& [i, part] : found) {
        for (const auto& m : part.doc["maps"]) {
            for (const auto& f : m["files"]) {
                const fs::path rel = f.value("path", std::string());
                const fs::path from = part.dir / rel;
                const fs::path to = out / rel;
                if (fs::weakly_canonical(from, ec) != fs::weakly_canonical(to, ec)) {
                    const std::string bytes = geo::read_input_file(from.string(), std::size_t{1} << 34, "map");
                    if (geo::content_hash(bytes) != f.value("xxh3", std::string())) {
                        throw InputError(from.string(), "differs from its manifest entry (xxh3)");
                    }
                    geo::write_file_atomic(to, bytes);
                }
            }
            merged["maps"].push_back(m);
        }
        for (const auto& f : part.doc.value("failed", json::array())) {
            merged["failed"].push_back(f);
        }
    }
    std::sort(merged["maps"].begin(), merged["maps"].end(), [](const json& a, const json& b) {
        return a.value("key", std::string()) < b.value("key", std::string());
    });
    merged.erase("atlas");
    return merged;
}

}  // namespace choro::cli
