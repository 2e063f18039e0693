// choro batch: an atlas of one map per group (state, county…), each in its own projection.

#include <algorithm>
#include <atomic>
#include <climits>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <exception>
#include <filesystem>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "batch_outputs.hpp"
#include "commands.hpp"
#include "companions.hpp"
#include "exit_codes.hpp"
#include "job_flags.hpp"
#include "progress.hpp"
#include "report.hpp"
#include "shard.hpp"
#include <nlohmann/json.hpp>

#include "choro/geo/atomic_file.hpp"
#include "choro/geo/error.hpp"
#include "choro/geo/input_file.hpp"
#include "choro/geo/interrupt.hpp"
#include "choro/geo/layer_cache.hpp"
#include "choro/pipeline/batch.hpp"
#include "choro/pipeline/prepare.hpp"
#include "choro/render/map.hpp"
#include "choro/styles/settings.hpp"

namespace choro::cli {

namespace {

namespace fs = std::filesystem;
using json = nlohmann::ordered_json;

struct BatchFlags {
    std::string out;
    std::string by;
    std::string only;
    std::string except;
    std::string name;
    std::string format;
    std::string breaks_scope;
    std::string shard;
    std::string totals;
    std::string atlas;
    std::string aspect;
    std::optional<int> threads;
    std::vector<std::string> merge;
    bool no_context = false;
    bool force = false;
    bool quiet = false;
};

[[noreturn]] void bad_flag(const std::string& flag, const std::string& what) {
    styles::bad_setting(styles::Origin::of_flag(flag), what);
}

std::string replace_all(std::string s, const std::string& from, const std::string& to) {
    for (std::size_t at = s.find(from); at != std::string::npos; at = s.find(from, at + to.size())) {
        s.replace(at, from.size(), to);
    }
    return s;
}

std::string file_safe(const std::string& s) {
    std::string out = s;
    for (char& c : out) {
        const auto u = static_cast<unsigned char>(c);
        if (std::isalnum(u) == 0 && c != '-' && c != '_' && c != '.') {
            c = '_';
        }
    }
    return out;
}

/// The file of group `g` in `format`: the template with {abbr}, {key}, {name} filled in and its
/// extension (if any) replaced by the format's.
std::string file_name(const std::string& tmpl, const pipeline::Group& g, const std::string& format) {
    std::string name = replace_all(tmpl, "{abbr}", file_safe(g.abbr));
    name = replace_all(name, "{key}", file_safe(g.key));
    name = replace_all(name, "{name}", file_safe(g.name));
    fs::path p(name);
    p.replace_extension("." + format);
    return p.generic_string();
}

std::string format_of_template(const std::string& tmpl) {
    std::string ext = fs::path(tmpl).extension().string();
    if (!ext.empty()) {
        ext.erase(0, 1);
    }
    std::transform(
        ext.begin(), ext.end(), ext.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return ext;
}

/// Refuses an output folder choro cannot write into, before any map is drawn.
void check_output_folder(const fs::path& dir) {
    std::error_code ec;
    if (fs::exists(dir, ec) && !fs::is_directory(dir, ec)) {
        throw RenderError(dir.string(), "is a file; -o names the atlas folder");
    }
    fs::create_directories(dir, ec);
    if (ec) {
        throw RenderError(dir.string(), "cannot create the folder: " + ec.message());
    }
    geo::AtomicFile probe(dir / ".choro-batch-probe");  // removed again: never committed
}

struct MapResult {
    bool ok = false;
    bool skipped = false;
    std::string reason;
    json entry;
    std::unique_ptr<pipeline::GroupMap> map;
};

json breaks_json(const styles::Breaks& b) {
    json j;
    j["method"] = styles::to_string(b.method);
    j["edges"] = b.edges;
    j["zero_class"] = b.has_zero_class;
    return j;
}

std::string hash_of_file(const fs::path& path) {
    try {
        return geo::content_hash(geo::read_input_file(path.string(), std::size_t{1} << 34, "map"));
    } catch (const InputError&) {
        return {};
    }
}

struct BatchSettings {
    std::string by;
    std::string tmpl;
    std::vector<std::string> formats;
    std::string scope;
    pipeline::BatchOptions options;
    unsigned threads = 1;
    bool atlas_pdf = true;    ///< --atlas: atlas.pdf written
    bool atlas_index = true;  ///< --atlas: index.html written
};

/// --atlas: "pdf,index" (the default), "pdf", "index" or "none".
void parse_atlas(const std::string& value, BatchSettings& set) {
    const std::vector<std::string> parts = split_list(value.empty() ? std::string("pdf,index") : value);
    set.atlas_pdf = false;
    set.atlas_index = false;
    for (const auto& p : parts) {
        if (p == "pdf") {
            set.atlas_pdf = true;
        } else if (p == "index") {
            set.atlas_index = true;
        } else if (p != "none" || parts.size() > 1) {
            bad_flag("--atlas", "'" + value + "': expected pdf,index (the default), pdf, index or none");
        }
    }
}

/// The batch settings: flags, else [batch] in the job, else the defaults.
BatchSettings batch_settings(const JobFlags& flags, const BatchFlags& bf, const styles::Job& job) {
    BatchSettings set;
    set.by = !bf.by.empty() ? bf.by : !job.batch.by.empty() ? job.batch.by : "state";
    set.tmpl = !bf.name.empty() ? bf.name : !job.batch.name.empty() ? job.batch.name : "{abbr}.png";
    if (set.tmpl.find("..") != std::string::npos || fs::path(set.tmpl).is_absolute()) {
        bad_flag("--name", "'" + set.tmpl + "': names stay inside the output folder (no '..', not absolute)");
    }
    set.formats = split_list(bf.format);
    if (set.formats.empty()) {
        const std::string ext = format_of_template(set.tmpl);
        set.formats.push_back(ext.empty() ? "png" : ext);
    }
    for (const auto& f : set.formats) {
        if (f != "png" && f != "svg" && f != "pdf") {
            bad_flag("--format", "'" + f + "': expected png, svg or pdf, separated by commas");
        }
    }
    set.scope = !bf.breaks_scope.empty()          ? bf.breaks_scope
                : !job.batch.breaks_scope.empty() ? job.batch.breaks_scope
                                                  : "global";
    if (set.scope != "global" && set.scope != "per-map") {
        bad_flag("--breaks-scope", "'" + set.scope + "': expected global or per-map");
    }
    set.options.projection = flags.projection.empty() ? "auto" : flags.projection;
    set.options.projections = job.batch.projections;
    set.options.per_map_breaks = set.scope == "per-map";
    set.options.context = job.batch.context && !bf.no_context;
    set.options.totals = bf.totals.empty() ? job.batch.totals : split_list(bf.totals);
    set.threads = bf.threads ? static_cast<unsigned>(styles::check_range(
                                   styles::ranges::threads, *bf.threads, styles::Origin::of_flag("--threads")))
                             : std::max(1U, std::thread::hardware_concurrency());
    parse_atlas(bf.atlas, set);
    return set;
}

/// The manifest's head: what was drawn, how, from what (`shard` when not null). The merge checks
/// the parts' head against its own, so both come from here.
json manifest_head(const JobFlags& flags,
                   const styles::Job& job,
                   const BatchSettings& set,
                   const render::MapSize& size,
                   const json& shard) {
    json manifest;
    manifest["choro"] = CHORO_VERSION;
    manifest["renderer"] = render::renderer_versions();
    manifest["title"] = job.map.title;
    manifest["value"] = job.values.count ? std::string("rows") : job.values.value;
    manifest["by"] = set.by;
    manifest["breaks_scope"] = set.scope;
    manifest["width"] = size.width;
    manifest["height"] = size.height;
    manifest["dpi"] = size.dpi;
    manifest["formats"] = set.formats;
    if (!shard.is_null()) {
        manifest["shard"] = shard;
    }
    json inputs = json::array();
    const auto add_input = [&](const char* role, const std::string& path) {
        if (!path.empty()) {
            inputs.push_back({{"role", role}, {"path", path}, {"xxh3", geo::source_hash(path)}});
        }
    };
    add_input("job", flags.job_file);
    add_input("boundaries", job.boundaries.source);
    add_input("overlay", job.overlay ? job.overlay->source : std::string());
    add_input("values", job.values.source == "-" ? std::string() : job.values.source);
    add_input("highlight", job.highlight.source);
    add_input("notes", job.map.notes_file);
    manifest["inputs"] = inputs;
    return manifest;
}

/// The groups of the atlas (--by, --only, --except), before any sharding.
std::vector<pipeline::Group> atlas_groups(const pipeline::PreparedData& data,
                                          const BatchFlags& bf,
                                          const BatchSettings& set) {
    std::vector<pipeline::Group> groups = pipeline::group_features(data.layer, set.by);
    return pipeline::select_groups(std::move(groups), split_list(bf.only), split_list(bf.except));
}

std::string noun_of(const pipeline::PreparedData& data) {
    const bool by_state_fips = std::all_of(
        data.layer.features.begin(), data.layer.features.end(), [](const auto& f) { return f.key.size() == 5; });
    return by_state_fips ? "counties" : "areas";
}

/// The pages of atlas.pdf (the drawn maps, in the groups' order) and their combined fingerprint.
struct AtlasPages {
    std::vector<const pipeline::Scene*> scenes;
    std::string fingerprint;
};

/// Removes atlas.pdf or index.html when the previous run (`old`, its manifest) wrote it and this
/// one does not (--atlas): a stale file would show other maps than the folder holds.
void remove_stale_atlas(const fs::path& dir, const json& old, const json& atlas) {
    if (!old.is_object() || !old.contains("atlas") || !old["atlas"].is_object()) {
        return;
    }
    for (const auto& [key, file] : {std::pair<const char*, const char*>{"pdf", "atlas.pdf"}, {"index", "index.html"}}) {
        if (old["atlas"].contains(key) && !atlas.contains(key)) {
            std::error_code ec;
            fs::remove(dir / file, ec);
        }
    }
}

/// The atlas files --atlas asks for and their "atlas" entry in `manifest`: atlas.pdf (one page per
/// drawn map) and index.html. The PDF is drawn again only when a page changed since `old_manifest`
/// (or it is missing, or `force`).
void write_atlas(const fs::path& dir,
                 const fs::path& old_manifest,
                 json& manifest,
                 const AtlasPages& pages,
                 const styles::Job& job,
                 const BatchSettings& set,
                 const render::MapSize& size,
                 bool force,
                 Progress& progress) {
    const std::string atlas_fp = geo::content_hash(pages.fingerprint);
    json old;
    if (fs::exists(old_manifest)) {
        try {
            old = read_manifest(old_manifest);
        } catch (const InputError&) {
        }
    }
    const bool pdf = set.atlas_pdf && !pages.scenes.empty();
    json atlas = json::object();
    atlas["outputs"] = json::array();
    if (pdf) {
        atlas["outputs"].push_back("pdf");
        atlas["pdf"] = "atlas.pdf";
        atlas["pdf_fingerprint"] = atlas_fp;
    }
    if (set.atlas_index) {
        atlas["outputs"].push_back("index");
        atlas["index"] = "index.html";
    }
    manifest["atlas"] = atlas;
    remove_stale_atlas(dir, old, atlas);
    const bool same_pdf = !force && fs::exists(dir / "atlas.pdf") && old.is_object() && old.contains("atlas") &&
                          old["atlas"].value("pdf_fingerprint", std::string()) == atlas_fp;
    if (pdf && !same_pdf) {
        progress.stage("atlas.pdf (" + std::to_string(pages.scenes.size()) + " maps)");
        const std::string title = job.map.title.empty() ? "Atlas" : job.map.title;
        render::render_atlas_pdf(title, pages.scenes, job.style, size, dir / "atlas.pdf");
        progress.finish();
    }
    if (set.atlas_index) {
        geo::write_file_atomic(dir / "index.html", batch_index_html(manifest));
    }
}

/// Runs work(i) for every i in [0, n) on up to `threads` threads (this one included), each taking
/// the next index; no further index is handed out once a call returns false. `work` must not throw.
template <class Work>
void run_pool(unsigned threads, std::size_t n, const Work& work) {
    std::atomic<std::size_t> next{0};
    std::atomic<bool> stop{false};
    const auto worker = [&] {
        for (std::size_t i = next.fetch_add(1); i < n && !stop.load(); i = next.fetch_add(1)) {
            if (!work(i)) {
                stop = true;
            }
        }
    };
    std::vector<std::thread> pool;
    const unsigned workers = std::min<unsigned>(threads, static_cast<unsigned>(std::max<std::size_t>(1, n)));
    for (unsigned t = 1; t < workers; ++t) {
        pool.emplace_back(worker);
    }
    worker();
    for (auto& t : pool) {
        t.join();
    }
}

/// --aspect W:H: the maps' height from their width (--width or the job's). Not with --height.
void apply_aspect(styles::Job& job, const JobFlags& flags, const BatchFlags& bf) {
    if (bf.aspect.empty()) {
        return;
    }
    if (!flags.height.empty()) {
        throw UsageError("--aspect " + bf.aspect + " and --height " + flags.height +
                         " both set the height of the maps: give one");
    }
    const std::size_t colon = bf.aspect.find(':');
    double w = 0.0;
    double h = 0.0;
    try {
        std::size_t used_w = 0;
        std::size_t used_h = 0;
        const std::string ws = bf.aspect.substr(0, colon);
        const std::string hs = colon == std::string::npos ? std::string() : bf.aspect.substr(colon + 1);
        w = std::stod(ws, &used_w);
        h = std::stod(hs, &used_h);
        if (used_w != ws.size() || used_h != hs.size()) {
            w = 0.0;
        }
    } catch (const std::exception&) {
        w = 0.0;
    }
    if (!(w > 0.0) || !(h > 0.0) || !std::isfinite(w) || !std::isfinite(h)) {
        bad_flag("--aspect", "'" + bf.aspect + "': expected WIDTH:HEIGHT, two positive numbers, e.g. 4:3");
    }
    const double height = std::round(job.map.width * h / w);
    job.map.height = static_cast<int>(styles::check_range(
        styles::ranges::height, static_cast<int>(std::clamp(height, 0.0, 1e9)), styles::Origin::of_flag("--aspect")));
    job.map.auto_height = false;
}

/// The pages of a merge: the scenes of the maps the parts drew (built again, not drawn), each
/// checked against the fingerprint its part recorded.
std::vector<std::unique_ptr<pipeline::GroupMap>> merge_pages(const pipeline::Batch& batch,
                                                             const json& merged,
                                                             const styles::Job& job,
                                                             const render::MapSize& size,
                                                             unsigned threads,
                                                             AtlasPages& pages) {
    const std::size_t n = batch.groups().size();
    std::vector<std::unique_ptr<pipeline::GroupMap>> maps(n);
    std::mutex error_mutex;
    std::exception_ptr error;
    run_pool(threads, n, [&](std::size_t i) {
        try {
            geo::check_interrupted();
            maps[i] = std::make_unique<pipeline::GroupMap>(batch.build(i));
            return true;
        } catch (...) {
            const std::lock_guard<std::mutex> lock(error_mutex);
            if (!error) {
                error = std::current_exception();
            }
            return false;
        }
    });
    if (error) {
        std::rethrow_exception(error);
    }
    // Each page must be the scene the part drew its map from: its fingerprint is in the manifest.
    std::map<std::string, const json*> entries;
    for (const auto& m : merged["maps"]) {
        entries[m.value("key", std::string())] = &m;
    }
    for (std::size_t i = 0; i < n; ++i) {
        const auto& m = maps[i];
        const std::string& key = batch.groups()[i].key;
        for (const auto& f : (*entries.at(key))["files"]) {
            const std::string fp = pipeline::scene_fingerprint(
                m->scene, job.style, size.width, size.height, size.dpi, f.value("format", std::string()));
            if (fp != f.value("fingerprint", std::string())) {
                throw UsageError("--merge-manifests: this job and flags draw map " + key + " (" +
                                 f.value("path", std::string()) +
                                 ") otherwise than its part did; give the merge the job and flags the parts "
                                 "were drawn with");
            }
        }
        pages.scenes.push_back(&m->scene);
        pages.fingerprint +=
            pipeline::scene_fingerprint(m->scene, job.style, size.width, size.height, size.dpi, "atlas.pdf");
    }
    return maps;
}

/// The groups of a merge: those the parts drew, in the order a one-machine run draws them.
std::vector<pipeline::Group> merged_groups(const pipeline::PreparedData& data,
                                           const json& merged,
                                           const BatchFlags& bf,
                                           const BatchSettings& set) {
    std::set<std::string> drawn;
    for (const auto& m : merged["maps"]) {
        drawn.insert(m.value("key", std::string()));
    }
    std::vector<pipeline::Group> groups;
    for (auto& g : atlas_groups(data, bf, set)) {
        if (drawn.erase(g.key) != 0) {
            groups.push_back(std::move(g));
        }
    }
    if (!drawn.empty()) {
        throw UsageError("--merge-manifests: the parts drew map " + *drawn.begin() +
                         ", which is no group of this job and flags (--by, --only, --except); give the merge "
                         "the job and flags the parts were drawn with");
    }
    return groups;
}

/// `choro batch JOB [flags] --merge-manifests PART_DIR... -o DIR`: joins the parts (maps,
/// manifests) and draws atlas.pdf from the scenes of the maps the parts drew (no map is drawn
/// again), so the folder equals a one-machine run's. The job and flags must be the parts'.
void merge_batch(const JobFlags& flags, const BatchFlags& bf) {
    if (flags.job_file.empty() && flags.boundaries.empty()) {
        throw UsageError(
            "--merge-manifests needs the job of the parts to draw atlas.pdf: "
            "choro batch JOB [the parts' flags] --merge-manifests PART_DIR... -o DIR");
    }
    if (bf.out.empty()) {
        bad_flag("-o", "--merge-manifests needs -o DIR, the folder of the whole atlas");
    }
    styles::Job job = make_job(flags);
    apply_aspect(job, flags, bf);
    const BatchSettings set = batch_settings(flags, bf, job);
    const render::MapSize size{job.map.width, job.map.height, job.map.dpi};
    const fs::path dir(bf.out);
    check_output_folder(dir);
    Progress progress(bf.quiet);

    progress.stage("joining " + std::to_string(bf.merge.size()) + " part folders");
    json merged = merge_batch_manifests(bf.merge, dir, manifest_head(flags, job, set, size, json()));
    progress.finish(std::to_string(merged["maps"].size()) + " maps");

    const pipeline::PreparedData data = prepare_with_progress(job, progress);
    geo::check_interrupted();
    std::vector<pipeline::Group> groups = merged_groups(data, merged, bf, set);
    pipeline::BatchOptions options = set.options;
    options.noun = noun_of(data);
    const pipeline::Batch batch(data, job, std::move(groups), options);
    AtlasPages pages;
    std::vector<std::unique_ptr<pipeline::GroupMap>> maps;
    if (set.atlas_pdf) {
        progress.stage("building " + std::to_string(batch.groups().size()) + " pages on " +
                       std::to_string(set.threads) + " threads");
        maps = merge_pages(batch, merged, job, size, set.threads, pages);
        progress.finish();
    }
    write_atlas(dir, dir / "manifest.json", merged, pages, job, set, size, bf.force, progress);
    geo::write_file_atomic(dir / "manifest.json", merged.dump(2) + "\n");
    progress.info("merged " + std::to_string(bf.merge.size()) + " part folders into " + dir.string());
}

/// The groups of this run: the atlas's, or this shard's share of them; `all` gets their number
/// before sharding.
std::vector<pipeline::Group> shard_groups(std::vector<pipeline::Group> groups, int index, int count) {
    if (count <= 1) {
        return groups;
    }
    std::vector<pipeline::Group> mine;
    for (std::size_t i = 0; i < groups.size(); ++i) {
        if (static_cast<int>(i % static_cast<std::size_t>(count)) == index) {
            mine.push_back(std::move(groups[i]));
        }
    }
    return mine;
}

/// Every file the run writes (maps and atlas files): the names must be distinct and none an input.
void check_file_names(const std::vector<pipeline::Group>& groups,
                      const BatchSettings& set,
                      const fs::path& dir,
                      const styles::Job& job,
                      const JobFlags& flags) {
    std::vector<fs::path> written;
    std::set<std::string> names;
    for (const auto& g : groups) {
        for (const auto& f : set.formats) {
            const std::string name = file_name(set.tmpl, g, f);
            if (!names.insert(name).second) {
                bad_flag("--name",
                         "'" + set.tmpl + "' gives two maps the same file '" + name + "'; use {abbr} or {key}");
            }
            written.push_back(dir / name);
        }
        written.push_back(companion_path(dir / file_name(set.tmpl, g, set.formats.front()), ".alt.txt"));
        written.push_back(companion_path(dir / file_name(set.tmpl, g, set.formats.front()), ".data.csv"));
    }
    written.push_back(dir / "manifest.json");
    written.push_back(dir / "index.html");
    written.push_back(dir / "atlas.pdf");
    check_outputs_are_not_inputs(job, flags.job_file, written);
}

/// The previous run's manifest entries by key (none with --force, or when that run was another
/// choro version: an upgrade draws every map again).
std::map<std::string, json> previous_maps(const fs::path& manifest_path, bool force, Progress& progress) {
    std::map<std::string, json> previous;
    if (force || !fs::exists(manifest_path)) {
        return previous;
    }
    try {
        const json old = read_manifest(manifest_path);
        if (old.value("choro", std::string()) != CHORO_VERSION) {
            return previous;
        }
        for (const auto& m : old["maps"]) {
            previous[m.value("key", std::string())] = m;
        }
    } catch (const InputError& e) {
        progress.warn(std::string(e.what()) + "; every map is drawn again");
    }
    return previous;
}

/// What every map of a run shares (read only while the workers draw).
struct DrawContext {
    const pipeline::Batch& batch;
    const styles::Job& job;
    const BatchSettings& set;
    const render::MapSize& size;
    const fs::path& dir;
    const std::map<std::string, json>& previous;
};

/// True when every file of group `g` (format, fingerprint) is as the previous run wrote it.
bool unchanged_since(const DrawContext& c,
                     const pipeline::Group& g,
                     const std::vector<std::pair<std::string, std::string>>& todo) {
    const auto found = c.previous.find(g.key);
    if (found == c.previous.end()) {
        return false;
    }
    for (const auto& [f, fp] : todo) {
        const std::string rel = file_name(c.set.tmpl, g, f);
        bool same = false;
        for (const auto& old : found->second["files"]) {
            if (old.value("path", std::string()) == rel && old.value("fingerprint", std::string()) == fp &&
                hash_of_file(c.dir / rel) == old.value("xxh3", std::string())) {
                same = true;
            }
        }
        if (!same) {
            return false;
        }
    }
    return true;
}

/// The manifest entry of one drawn map.
json map_entry(const styles::Job& job, const pipeline::Group& g, const pipeline::GroupMap& map, json files) {
    json e;
    e["key"] = g.key;
    e["abbr"] = g.abbr;
    e["name"] = g.name;
    e["title"] = map.scene.title;
    e["files"] = std::move(files);
    e["projection"] = map.projection;
    e["breaks"] = breaks_json(map.breaks);
    e["one_class"] = map.one_class;
    json counts;
    counts["features"] = map.totals.features;
    counts["with_value"] = map.totals.with_value;
    counts["above_zero"] = map.totals.above_zero;
    if (!job.values.source.empty()) {
        counts["total"] = map.totals.total;
        if (!map.totals.extra.empty()) {
            counts["extra"] = json::object();
            for (const auto& [column, sum] : map.totals.extra) {
                counts["extra"][column] = sum;
            }
        }
    }
    e["counts"] = counts;
    e["holdouts"] = map.totals.holdouts;
    return e;
}

/// Builds and draws map `i` (unless unchanged since the previous run) into `r`. Throws what
/// building or drawing throws.
void draw_group(const DrawContext& c, std::size_t i, MapResult& r) {
    const pipeline::Group& g = c.batch.groups()[i];
    auto map = std::make_unique<pipeline::GroupMap>(c.batch.build(i));
    std::vector<std::pair<std::string, std::string>> todo;  // format, fingerprint
    for (const auto& f : c.set.formats) {
        todo.emplace_back(
            f, pipeline::scene_fingerprint(map->scene, c.job.style, c.size.width, c.size.height, c.size.dpi, f));
    }
    const bool unchanged = unchanged_since(c, g, todo);
    const MapWords words = describe_map(map->scene, c.job.highlight.as_of);
    json files = json::array();
    for (const auto& [f, fp] : todo) {
        const std::string rel = file_name(c.set.tmpl, g, f);
        if (!unchanged) {
            geo::check_interrupted();
            render::render_map(
                map->scene, c.job.style, c.size, c.dir / rel, words.alt, 1);  // maps already run one per thread
        }
        files.push_back({{"format", f}, {"path", rel}, {"xxh3", hash_of_file(c.dir / rel)}, {"fingerprint", fp}});
    }
    add_batch_companions(
        files, c.dir, file_name(c.set.tmpl, g, c.set.formats.front()), words, map->scene, c.job.style, c.size);
    r.skipped = unchanged;
    r.entry = map_entry(c.job, g, *map, std::move(files));
    r.map = std::move(map);
    r.ok = true;
}

/// Draws every map of the batch on `threads` threads: a map that fails gets its reason and the
/// others go on; an interrupt stops handing out maps.
std::vector<MapResult> draw_maps(const DrawContext& c, unsigned threads, Progress& progress) {
    const std::size_t n = c.batch.groups().size();
    std::vector<MapResult> results(n);
    std::atomic<std::size_t> done{0};
    std::mutex progress_mutex;
    run_pool(threads, n, [&](std::size_t i) {
        MapResult& r = results[i];
        try {
            if (geo::interrupted()) {
                return false;
            }
            draw_group(c, i, r);
        } catch (const geo::Interrupted&) {
            return false;
        } catch (const std::bad_alloc&) {
            r.reason = "out of memory";
        } catch (const std::exception& e) {
            r.reason = e.what();
        }
        const std::size_t finished = ++done;
        const std::lock_guard<std::mutex> lock(progress_mutex);
        progress.bar(finished, n, "maps");
        return true;
    });
    return results;
}

/// The manifest of a run (its maps, its failures) and the pages of its atlas.
json run_manifest(json manifest,
                  const pipeline::PreparedData& data,
                  const DrawContext& c,
                  const std::vector<MapResult>& results,
                  AtlasPages& pages) {
    manifest["global_breaks"] = breaks_json(data.breaks);
    manifest["maps"] = json::array();
    manifest["failed"] = json::array();
    const auto& chosen = c.batch.groups();
    for (std::size_t i = 0; i < results.size(); ++i) {
        if (results[i].ok) {
            manifest["maps"].push_back(results[i].entry);
            pages.scenes.push_back(&results[i].map->scene);
            pages.fingerprint += pipeline::scene_fingerprint(
                results[i].map->scene, c.job.style, c.size.width, c.size.height, c.size.dpi, "atlas.pdf");
        } else {
            manifest["failed"].push_back(
                {{"key", chosen[i].key}, {"name", chosen[i].name}, {"reason", results[i].reason}});
        }
    }
    return manifest;
}

/// Reports each failed map on stderr; throws PartialFailure (exit code 9) when any failed.
void report_failures(const std::vector<pipeline::Group>& chosen,
                     const std::vector<MapResult>& results,
                     const fs::path& manifest_path) {
    std::size_t failed = 0;
    for (std::size_t i = 0; i < results.size(); ++i) {
        if (!results[i].ok) {
            ++failed;
            std::fprintf(stderr,
                         "choro: batch: %s (%s) failed: %s\n",
                         chosen[i].name.c_str(),
                         chosen[i].key.c_str(),
                         results[i].reason.c_str());
        }
    }
    if (failed > 0) {
        throw PartialFailure(std::to_string(failed) + " of " + std::to_string(results.size()) +
                             " maps failed (listed above and in " + manifest_path.string() +
                             "); the others were written");
    }
}

void run_batch(const JobFlags& flags, const BatchFlags& bf) {
    if (!bf.merge.empty()) {
        merge_batch(flags, bf);
        return;
    }
    styles::Job job = make_job(flags);
    if (bf.out.empty()) {
        throw JobError(job.path, 0, 0, "no output: give -o DIR, the folder of the atlas");
    }
    apply_aspect(job, flags, bf);
    const fs::path dir(bf.out);
    const BatchSettings set = batch_settings(flags, bf, job);
    int shard_index = 0;
    int shard_count = 1;
    resolve_shard(bf.shard, shard_index, shard_count);
    const bool sharded = shard_count > 1;

    // Refuse what cannot work before reading anything: the folder, memory, outputs over inputs.
    check_output_folder(dir);
    if (std::find(set.formats.begin(), set.formats.end(), "png") != set.formats.end()) {
        styles::Job probe = job;
        probe.outputs = {"map.png"};
        check_canvas_memory(probe);
    }

    Progress progress(bf.quiet);
    const pipeline::PreparedData data = prepare_with_progress(job, progress);
    geo::check_interrupted();

    progress.stage("grouping by " + set.by);
    std::vector<pipeline::Group> groups = atlas_groups(data, bf, set);
    const std::size_t all_groups = groups.size();
    groups = shard_groups(std::move(groups), shard_index, shard_count);
    progress.finish(std::to_string(all_groups) + " groups" +
                    (sharded ? ", " + std::to_string(groups.size()) + " in shard " + std::to_string(shard_index) + "/" +
                                   std::to_string(shard_count)
                             : ""));
    pipeline::BatchOptions options = set.options;
    options.noun = noun_of(data);
    check_file_names(groups, set, dir, job, flags);
    const pipeline::Batch batch(data, job, std::move(groups), options);

    // The previous run's manifest: maps whose fingerprints and files are unchanged are skipped.
    char part_name[64];
    std::snprintf(part_name, sizeof part_name, "manifest.part-%04d-of-%04d.json", shard_index, shard_count);
    const fs::path manifest_path = dir / (sharded ? std::string(part_name) : std::string("manifest.json"));
    const std::map<std::string, json> previous = previous_maps(manifest_path, bf.force, progress);

    const render::MapSize size{job.map.width, job.map.height, job.map.dpi};
    const DrawContext context{batch, job, set, size, dir, previous};
    const std::size_t n = batch.groups().size();
    progress.stage("drawing " + std::to_string(n) + " maps on " + std::to_string(set.threads) + " threads");
    const std::vector<MapResult> results = draw_maps(context, set.threads, progress);
    geo::check_interrupted();
    std::size_t ok = 0;
    std::size_t skipped = 0;
    for (const auto& r : results) {
        ok += r.ok ? 1 : 0;
        skipped += r.skipped ? 1 : 0;
    }
    progress.finish(std::to_string(ok) + " done" +
                    (skipped ? " (" + std::to_string(skipped) + " unchanged, skipped)" : "") + ", " +
                    std::to_string(n - ok) + " failed");

    AtlasPages pages;
    json manifest = run_manifest(
        manifest_head(flags, job, set, size, sharded ? json{{"index", shard_index}, {"count", shard_count}} : json()),
        data,
        context,
        results,
        pages);
    if (!sharded) {
        write_atlas(dir, manifest_path, manifest, pages, job, set, size, bf.force, progress);
    }
    geo::write_file_atomic(manifest_path, manifest.dump(2) + "\n");
    progress.info("atlas: " + (sharded || !set.atlas_index ? manifest_path : dir / "index.html").string());
    report_failures(batch.groups(), results, manifest_path);
}

}  // namespace

void add_batch_command(CLI::App& app) {
    auto flags = std::make_shared<JobFlags>();
    auto bf = std::make_shared<BatchFlags>();
    CLI::App* cmd =
        app.add_subcommand("batch", "Render an atlas: one map per state (or any field), each projected for itself");
    cmd->footer(
        "Example:\n"
        "  choro batch jobs/us-counties.toml --values out/agreements/counties.csv --by state -o out/states\n"
        "  choro batch job.toml --by state --format png --width 1200 --height 900 --shard 3/8 -o parts/3\n"
        "  choro batch job.toml --by state --format png --width 1200 --height 900 --merge-manifests parts/* -o out\n"
        "The merge takes the parts' job and flags: it joins their maps and manifests and draws atlas.pdf\n"
        "from the maps' scenes (no map is redrawn), so the folder equals a one-machine run's byte for byte.\n"
        "Each map shows its group's features in an equal-area conic fitted to them (--projection auto;\n"
        "[batch.projection] AK = \"EPSG:3338\" in the job overrides one group), its neighbours in grey,\n"
        "the group's totals and holdouts. Beside the maps: index.html (contact sheet), atlas.pdf (one\n"
        "page per map) and manifest.json (--atlas index, pdf or none: fewer). A rerun redraws only maps\n"
        "that changed (--force: all; a new choro version redraws all).\n"
        "Exit code 9: some maps failed (each is reported); the others were written.");
    add_job_flags(cmd, *flags, false);
    cmd->add_option("-o,--out", bf->out, "Atlas folder: maps, index.html, atlas.pdf, manifest.json");
    cmd->add_option(
        "--by", bf->by, "Boundary field splitting the maps; 'state' also from 5-digit county keys (default)");
    cmd->add_option("--only", bf->only, "Only these groups: FIPS, abbreviations or names, e.g. TX,CA");
    cmd->add_option("--except", bf->except, "All groups but these, e.g. PR,DC");
    cmd->add_option("--name", bf->name, "File name template: {abbr}, {key}, {name} (default {abbr}.png)");
    cmd->add_option("--format", bf->format, "Formats of every map, e.g. png,svg,pdf (default: the template's)");
    cmd->add_option("--breaks-scope", bf->breaks_scope, "global (one scale for all maps, default) or per-map")
        ->check(CLI::IsMember({"global", "per-map"}));
    cmd->add_option("--totals", bf->totals, "Further value columns summed in each subtitle, e.g. agencies");
    cmd->add_option("--atlas", bf->atlas, "Atlas files beside the maps: pdf,index (default), pdf, index or none");
    cmd->add_option("--aspect", bf->aspect, "Maps of this aspect, WIDTH:HEIGHT (e.g. 4:3): the height from --width");
    cmd->add_flag("--no-context", bf->no_context, "Do not draw neighbouring groups in grey");
    cmd->add_option("--threads", bf->threads, "Maps drawn at once (default: all cores)");
    cmd->add_option("--shard", bf->shard, "Draw part i of N (0-based) of the groups, e.g. 2/8");
    cmd->add_flag("--force", bf->force, "Redraw every map, even those the manifest says are unchanged");
    cmd->add_option("--merge-manifests",
                    bf->merge,
                    "Join the part folders of a sharded run into -o DIR (give the parts' job and flags)")
        ->multi_option_policy(CLI::MultiOptionPolicy::TakeAll)
        ->expected(1, INT_MAX);
    cmd->add_flag("-q,--quiet", bf->quiet, "Print only errors");
    cmd->callback([flags, bf] { run_batch(*flags, *bf); });
}

}  // namespace choro::cli
