// choro batch: an atlas of one map per group (state, county…), each in its own projection.

#include <algorithm>
#include <atomic>
#include <climits>
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
};

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

/// atlas.pdf (one page per drawn map, in the groups' order) and its "atlas" entry in `manifest`,
/// then index.html. The PDF is drawn again only when a page changed since `old_manifest` (or it
/// is missing, or `force`).
void write_atlas(const fs::path& dir,
                 const fs::path& old_manifest,
                 json& manifest,
                 const std::vector<const pipeline::Scene*>& pages,
                 const std::string& pages_fingerprint,
                 const styles::Job& job,
                 const render::MapSize& size,
                 bool force,
                 Progress& progress) {
    const std::string atlas_fp = geo::content_hash(pages_fingerprint);
    json atlas;
    atlas["index"] = "index.html";
    if (!pages.empty()) {
        atlas["pdf"] = "atlas.pdf";
        atlas["pdf_fingerprint"] = atlas_fp;
    }
    manifest["atlas"] = atlas;
    bool same_pdf = false;
    if (!force && fs::exists(old_manifest) && fs::exists(dir / "atlas.pdf")) {
        try {
            const json old = read_manifest(old_manifest);
            same_pdf = old.contains("atlas") && old["atlas"].value("pdf_fingerprint", std::string()) == atlas_fp;
        } catch (const InputError&) {
        }
    }
    if (!pages.empty() && !same_pdf) {
        progress.stage("atlas.pdf (" + std::to_string(pages.size()) + " maps)");
        const std::string title = job.map.title.empty() ? "Atlas" : job.map.title;
        render::render_atlas_pdf(title, pages, job.style, size, dir / "atlas.pdf");
        progress.finish();
    }
    geo::write_file_atomic(dir / "index.html", batch_index_html(manifest));
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
    const styles::Job job = make_job(flags);
    const BatchSettings set = batch_settings(flags, bf, job);
    const render::MapSize size{job.map.width, job.map.height, job.map.dpi};
    const fs::path dir(bf.out);
    check_output_folder(dir);
    Progress progress(bf.quiet);

    progress.stage("joining " + std::to_string(bf.merge.size()) + " part folders");
    json merged = merge_batch_manifests(bf.merge, dir, manifest_head(flags, job, set, size, json()));
    progress.finish(std::to_string(merged["maps"].size()) + " maps");

    // The pages: the groups the parts drew, in the order a one-machine run draws them.
    std::set<std::string> drawn;
    for (const auto& m : merged["maps"]) {
        drawn.insert(m.value("key", std::string()));
    }
    const pipeline::PreparedData data = prepare_with_progress(job, progress);
    geo::check_interrupted();
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
    pipeline::BatchOptions options = set.options;
    options.noun = noun_of(data);
    const pipeline::Batch batch(data, job, std::move(groups), options);
    const std::size_t n = batch.groups().size();
    std::vector<std::unique_ptr<pipeline::GroupMap>> maps(n);
    std::atomic<std::size_t> next{0};
    std::mutex error_mutex;
    std::exception_ptr error;
    progress.stage("building " + std::to_string(n) + " pages on " + std::to_string(set.threads) + " threads");
    const auto worker = [&] {
        for (std::size_t i = next.fetch_add(1); i < n; i = next.fetch_add(1)) {
            try {
                geo::check_interrupted();
                maps[i] = std::make_unique<pipeline::GroupMap>(batch.build(i));
            } catch (...) {
                const std::lock_guard<std::mutex> lock(error_mutex);
                if (!error) {
                    error = std::current_exception();
                }
                next = n;
            }
        }
    };
    std::vector<std::thread> pool;
    for (unsigned t = 1; t < std::min<unsigned>(set.threads, static_cast<unsigned>(std::max<std::size_t>(1, n))); ++t) {
        pool.emplace_back(worker);
    }
    worker();
    for (auto& t : pool) {
        t.join();
    }
    if (error) {
        std::rethrow_exception(error);
    }
    progress.finish();
    // Each page must be the scene the part drew its map from: its fingerprint is in the manifest.
    std::map<std::string, const json*> entries;
    for (const auto& m : merged["maps"]) {
        entries[m.value("key", std::string())] = &m;
    }
    std::vector<const pipeline::Scene*> pages;
    std::string pages_fingerprint;
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
        pages.push_back(&m->scene);
        pages_fingerprint +=
            pipeline::scene_fingerprint(m->scene, job.style, size.width, size.height, size.dpi, "atlas.pdf");
    }
    write_atlas(dir, dir / "manifest.json", merged, pages, pages_fingerprint, job, size, bf.force, progress);
    geo::write_file_atomic(dir / "manifest.json", merged.dump(2) + "\n");
    progress.info("merged " + std::to_string(bf.merge.size()) + " part folders into " + (dir / "index.html").string());
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
    const fs::path dir(bf.out);

    const BatchSettings set = batch_settings(flags, bf, job);
    const std::string& by = set.by;
    const std::string& tmpl = set.tmpl;
    const std::vector<std::string>& formats = set.formats;
    pipeline::BatchOptions options = set.options;
    const unsigned threads = set.threads;
    int shard_index = 0;
    int shard_count = 1;
    resolve_shard(bf.shard, shard_index, shard_count);
    const bool sharded = shard_count > 1;

    // Refuse what cannot work before reading anything: the folder, memory, outputs over inputs.
    check_output_folder(dir);
    if (std::find(formats.begin(), formats.end(), "png") != formats.end()) {
        styles::Job probe = job;
        probe.outputs = {"map.png"};
        check_canvas_memory(probe);
    }

    Progress progress(bf.quiet);
    const pipeline::PreparedData data = prepare_with_progress(job, progress);
    geo::check_interrupted();

    progress.stage("grouping by " + by);
    std::vector<pipeline::Group> groups = atlas_groups(data, bf, set);
    const std::size_t all_groups = groups.size();
    if (sharded) {
        std::vector<pipeline::Group> mine;
        for (std::size_t i = 0; i < groups.size(); ++i) {
            if (static_cast<int>(i % static_cast<std::size_t>(shard_count)) == shard_index) {
                mine.push_back(std::move(groups[i]));
            }
        }
        groups = std::move(mine);
    }
    progress.finish(std::to_string(all_groups) + " groups" +
                    (sharded ? ", " + std::to_string(groups.size()) + " in shard " + std::to_string(shard_index) + "/" +
                                   std::to_string(shard_count)
                             : ""));
    options.noun = noun_of(data);

    // Every file name must be distinct and none may be an input.
    std::vector<fs::path> written;
    std::set<std::string> names;
    for (const auto& g : groups) {
        for (const auto& f : formats) {
            const std::string name = file_name(tmpl, g, f);
            if (!names.insert(name).second) {
                bad_flag("--name", "'" + tmpl + "' gives two maps the same file '" + name + "'; use {abbr} or {key}");
            }
            written.push_back(dir / name);
        }
        written.push_back(companion_path(dir / file_name(tmpl, g, formats.front()), ".alt.txt"));
        written.push_back(companion_path(dir / file_name(tmpl, g, formats.front()), ".data.csv"));
    }
    written.push_back(dir / "manifest.json");
    written.push_back(dir / "index.html");
    written.push_back(dir / "atlas.pdf");
    check_outputs_are_not_inputs(job, flags.job_file, written);

    const pipeline::Batch batch(data, job, std::move(groups), options);
    const auto& chosen = batch.groups();

    // The previous run's manifest: maps whose fingerprints and files are unchanged are skipped.
    char part_name[64];
    std::snprintf(part_name, sizeof part_name, "manifest.part-%04d-of-%04d.json", shard_index, shard_count);
    const fs::path manifest_path = dir / (sharded ? std::string(part_name) : std::string("manifest.json"));
    std::map<std::string, json> previous;
    if (!bf.force && fs::exists(manifest_path)) {
        try {
            const json old = read_manifest(manifest_path);
            for (const auto& m : old["maps"]) {
                previous[m.value("key", std::string())] = m;
            }
        } catch (const InputError& e) {
            progress.warn(std::string(e.what()) + "; every map is drawn again");
        }
    }

    const render::MapSize size{job.map.width, job.map.height, job.map.dpi};
    std::vector<MapResult> results(chosen.size());
    std::atomic<std::size_t> next{0};
    std::atomic<std::size_t> done{0};
    std::atomic<bool> stop{false};
    std::mutex progress_mutex;
    progress.stage("drawing " + std::to_string(chosen.size()) + " maps on " + std::to_string(threads) + " threads");
    const auto worker = [&] {
        for (;;) {
            const std::size_t i = next.fetch_add(1);
            if (i >= chosen.size() || stop.load()) {
                return;
            }
            MapResult& r = results[i];
            const pipeline::Group& g = chosen[i];
            try {
                if (geo::interrupted()) {
                    stop = true;
                    return;
                }
                auto map = std::make_unique<pipeline::GroupMap>(batch.build(i));
                json files = json::array();
                bool unchanged = previous.count(g.key) != 0;
                std::vector<std::pair<std::string, std::string>> todo;  // format, fingerprint
                for (const auto& f : formats) {
                    const std::string fp =
                        pipeline::scene_fingerprint(map->scene, job.style, size.width, size.height, size.dpi, f);
                    const std::string rel = file_name(tmpl, g, f);
                    bool same = false;
                    if (unchanged) {
                        for (const auto& old : previous.at(g.key)["files"]) {
                            if (old.value("path", std::string()) == rel &&
                                old.value("fingerprint", std::string()) == fp &&
                                hash_of_file(dir / rel) == old.value("xxh3", std::string())) {
                                same = true;
                            }
                        }
                    }
                    unchanged = unchanged && same;
                    todo.emplace_back(f, fp);
                }
                r.skipped = unchanged;
                const MapWords words = describe_map(map->scene, job.highlight.as_of);
                for (const auto& [f, fp] : todo) {
                    const std::string rel = file_name(tmpl, g, f);
                    if (!unchanged) {
                        geo::check_interrupted();
                        render::render_map(map->scene, job.style, size, dir / rel, words.alt);
                    }
                    files.push_back(
                        {{"format", f}, {"path", rel}, {"xxh3", hash_of_file(dir / rel)}, {"fingerprint", fp}});
                }
                add_batch_companions(
                    files, dir, file_name(tmpl, g, formats.front()), words, map->scene, job.style, size);
                json& e = r.entry;
                e["key"] = g.key;
                e["abbr"] = g.abbr;
                e["name"] = g.name;
                e["title"] = map->scene.title;
                e["files"] = files;
                e["projection"] = map->projection;
                e["breaks"] = breaks_json(map->breaks);
                e["one_class"] = map->one_class;
                json counts;
                counts["features"] = map->totals.features;
                counts["with_value"] = map->totals.with_value;
                counts["above_zero"] = map->totals.above_zero;
                if (!job.values.source.empty()) {
                    counts["total"] = map->totals.total;
                    if (!map->totals.extra.empty()) {
                        counts["extra"] = json::object();
                        for (const auto& [column, sum] : map->totals.extra) {
                            counts["extra"][column] = sum;
                        }
                    }
                }
                e["counts"] = counts;
                e["holdouts"] = map->totals.holdouts;
                r.map = std::move(map);
                r.ok = true;
            } catch (const geo::Interrupted&) {
                stop = true;
                return;
            } catch (const std::bad_alloc&) {
                r.reason = "out of memory";
            } catch (const std::exception& e) {
                r.reason = e.what();
            }
            const std::size_t n = ++done;
            const std::lock_guard<std::mutex> lock(progress_mutex);
            progress.bar(n, chosen.size(), "maps");
        }
    };
    std::vector<std::thread> pool;
    const unsigned workers =
        std::min<unsigned>(threads, static_cast<unsigned>(std::max<std::size_t>(1, chosen.size())));
    for (unsigned t = 1; t < workers; ++t) {
        pool.emplace_back(worker);
    }
    worker();
    for (auto& t : pool) {
        t.join();
    }
    geo::check_interrupted();
    std::size_t ok = 0;
    std::size_t skipped = 0;
    for (const auto& r : results) {
        ok += r.ok ? 1 : 0;
        skipped += r.skipped ? 1 : 0;
    }
    progress.finish(std::to_string(ok) + " done" +
                    (skipped ? " (" + std::to_string(skipped) + " unchanged, skipped)" : "") + ", " +
                    std::to_string(chosen.size() - ok) + " failed");

    // The atlas files.
    json manifest =
        manifest_head(flags, job, set, size, sharded ? json{{"index", shard_index}, {"count", shard_count}} : json());
    manifest["global_breaks"] = breaks_json(data.breaks);
    manifest["maps"] = json::array();
    manifest["failed"] = json::array();
    std::vector<const pipeline::Scene*> pages;
    std::string pages_fingerprint;
    for (std::size_t i = 0; i < results.size(); ++i) {
        if (results[i].ok) {
            manifest["maps"].push_back(results[i].entry);
            pages.push_back(&results[i].map->scene);
            pages_fingerprint += pipeline::scene_fingerprint(
                results[i].map->scene, job.style, size.width, size.height, size.dpi, "atlas.pdf");
        } else {
            manifest["failed"].push_back(
                {{"key", chosen[i].key}, {"name", chosen[i].name}, {"reason", results[i].reason}});
        }
    }
    if (!sharded) {
        write_atlas(dir, manifest_path, manifest, pages, pages_fingerprint, job, size, bf.force, progress);
    }
    geo::write_file_atomic(manifest_path, manifest.dump(2) + "\n");
    progress.info("atlas: " + (dir / (sharded ? manifest_path.filename() : fs::path("index.html"))).string());

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
        "page per map) and manifest.json. A rerun redraws only maps that changed (--force: all).\n"
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
