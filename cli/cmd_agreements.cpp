// `choro agreements`: ICE's 287(g) sheet(s) to agencies with counties, counts per county and state,
// unplaced agencies; with --snapshots, counts over time, changes and a chart.

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <limits>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "commands.hpp"
#include "job_flags.hpp"
#include <CLI/CLI.hpp>

#include "choro/agreements/placement.hpp"
#include "choro/agreements/reference.hpp"
#include "choro/agreements/report.hpp"
#include "choro/agreements/sheet.hpp"
#include "choro/geo/atomic_file.hpp"
#include "choro/geo/error.hpp"
#include "choro/render/chart.hpp"

namespace choro::cli {

namespace {

namespace fs = std::filesystem;
namespace ag = choro::agreements;

struct AgreementsOptions {
    std::string sheet;
    std::string snapshots;
    std::string out;
    std::string data_dir;
    bool chart = false;
};

void warn_all(const ag::Sheet& sheet) {
    for (const std::string& warning : sheet.warnings) {
        std::fprintf(stderr, "choro: warning: %s\n", warning.c_str());
    }
}

std::string placement_line(const std::string& label, const std::vector<ag::Agency>& agencies) {
    const ag::Totals t = ag::totals(agencies);
    return label + ": " + std::to_string(t.agreements) + " agreements, " + std::to_string(t.agencies) +
           " agencies: " + std::to_string(t.placed) + " placed, " + std::to_string(t.statewide) + " statewide, " +
           std::to_string(t.unplaced) + " unplaced";
}

// The sheets of a folder, one per snapshot label, oldest first; a .csv wins over an .xlsx of the
// same snapshot (the archive keeps both).
std::vector<fs::path> snapshot_files(const fs::path& dir) {
    if (!fs::is_directory(dir)) {
        throw InputError(dir.string(), "not a folder of ICE sheets");
    }
    std::map<std::string, fs::path> by_label;
    std::size_t duplicates = 0;
    for (const auto& entry : fs::directory_iterator(dir)) {
        const std::string ext = entry.path().extension().string();
        if (!entry.is_regular_file() || (ext != ".csv" && ext != ".xlsx")) {
            continue;
        }
        const std::string label = ag::snapshot_label(entry.path().filename().string());
        if (label.empty()) {
            std::fprintf(stderr, "choro: warning: %s: no date in the file name, skipped\n", entry.path().c_str());
            continue;
        }
        auto [it, inserted] = by_label.emplace(label, entry.path());
        if (!inserted) {
            ++duplicates;
            if (ext == ".csv") {
                it->second = entry.path();
            }
        }
    }
    if (duplicates > 0) {
        std::fprintf(stderr,
                     "choro: %zu sheets have the same snapshot as another (xlsx and csv): the csv is read\n",
                     duplicates);
    }
    if (by_label.empty()) {
        throw InputError(dir.string(), "no ICE sheet (.csv or .xlsx with a date in its name) in this folder");
    }
    std::vector<fs::path> files;
    files.reserve(by_label.size());
    for (const auto& [label, path] : by_label) {
        files.push_back(path);
    }
    return files;
}

render::TimeChart make_chart(const std::vector<ag::SnapshotCounts>& snapshots) {
    render::TimeChart chart;
    chart.title = "287(g) agreements over time";
    chart.subtitle = "ICE participating-agencies list, " + snapshots.front().date + " to " + snapshots.back().date +
                     " (" + std::to_string(snapshots.size()) +
                     " snapshots): national total and the 5 states with the most agreements";
    chart.y_label = "agreements";
    chart.source_note =
        "Source: ICE 287(g) participating agencies (archived by RelevantResearch/287g-DetentionData). "
        "One agreement = one row of ICE's sheet.";
    ag::SnapshotCounts const& latest = snapshots.back();
    std::vector<const ag::StateCount*> ranked;
    for (const ag::StateCount& s : latest.states) {
        ranked.push_back(&s);
    }
    std::stable_sort(ranked.begin(), ranked.end(), [](const ag::StateCount* a, const ag::StateCount* b) {
        return a->agreements > b->agreements;
    });
    ranked.resize(std::min<std::size_t>(5, ranked.size()));
    ag::SnapshotCounts const* previous_day = nullptr;
    for (const ag::SnapshotCounts& snapshot : snapshots) {
        // Two sheets on one day (am and pm): the chart keeps the later one.
        if (previous_day != nullptr && previous_day->date == snapshot.date) {
            chart.dates.pop_back();
        }
        chart.dates.push_back(snapshot.date);
        previous_day = &snapshot;
    }
    auto series_of = [&](const std::string& name, auto value) {
        render::ChartSeries series{name, {}};
        for (std::size_t i = 0; i < snapshots.size(); ++i) {
            if (i + 1 < snapshots.size() && snapshots[i + 1].date == snapshots[i].date) {
                continue;
            }
            series.values.push_back(value(snapshots[i]));
        }
        return series;
    };
    chart.series.push_back(series_of(
        "United States (all)", [](const ag::SnapshotCounts& s) { return static_cast<double>(s.totals.agreements); }));
    for (const ag::StateCount* state : ranked) {
        const std::string abbr = state->abbr;
        chart.series.push_back(series_of(state->name, [abbr](const ag::SnapshotCounts& s) {
            for (const ag::StateCount& c : s.states) {
                if (c.abbr == abbr) {
                    return static_cast<double>(c.agreements);
                }
            }
            return 0.0;
        }));
    }
    return chart;
}

void run(const AgreementsOptions& options) {
    if (options.sheet.empty() == options.snapshots.empty()) {
        throw CLI::ValidationError("agreements", "give either SHEET or --snapshots DIR (one of them)");
    }
    // The same search as every command (job_flags.hpp): --data-dir, ../shared/data, or beside the checkout.
    const fs::path data_dir = default_data_dir(options.data_dir);
    if (data_dir.empty() || !fs::exists(data_dir / "reference")) {
        throw CLI::RequiredError("--data-dir (no folder with reference/ tables found; default ../shared/data)");
    }
    const fs::path out = options.out;
    std::fprintf(stderr, "choro: reading reference tables from %s\n", data_dir.c_str());
    const ag::Reference reference = ag::load_reference(data_dir);

    if (!options.sheet.empty()) {
        const ag::Sheet sheet = ag::read_sheet(options.sheet, reference);
        warn_all(sheet);
        const auto agencies = ag::place_agencies(sheet, reference);
        ag::write_outputs(out, sheet, agencies, reference);
        std::fprintf(
            stderr, "choro: %s; written to %s\n", placement_line(options.sheet, agencies).c_str(), out.c_str());
        return;
    }

    std::vector<ag::SnapshotCounts> counts;
    std::vector<ag::Change> changes;
    std::unique_ptr<ag::Sheet> previous;
    std::vector<ag::Agency> latest_agencies;
    for (const fs::path& file : snapshot_files(options.snapshots)) {
        auto sheet = std::make_unique<ag::Sheet>(ag::read_sheet(file.string(), reference));
        warn_all(*sheet);
        auto agencies = ag::place_agencies(*sheet, reference);
        counts.push_back(ag::count_snapshot(*sheet, agencies, reference));
        std::fprintf(stderr, "choro: %s\n", placement_line(counts.back().label, agencies).c_str());
        if (previous) {
            auto step = ag::compare_snapshots(*previous, latest_agencies, *sheet, agencies);
            changes.insert(changes.end(), step.begin(), step.end());
        }
        previous = std::move(sheet);
        latest_agencies = std::move(agencies);
    }
    // The newest snapshot's tables go to DIR itself, so a map can use them as with one SHEET.
    ag::write_outputs(out, *previous, latest_agencies, reference);
    geo::write_file_atomic(out / "snapshots" / "states.csv", ag::snapshot_states_csv(counts));
    geo::write_file_atomic(out / "snapshots" / "counties.csv", ag::snapshot_counties_csv(counts));
    geo::write_file_atomic(out / "snapshots" / "changes.csv", ag::changes_csv(changes));
    std::map<std::string, std::size_t> kinds;
    for (const ag::Change& c : changes) {
        ++kinds[c.kind];
    }
    std::fprintf(stderr,
                 "choro: %zu snapshots, %zu agreement changes (%zu appeared, %zu ended, %zu renamed, %zu moved); "
                 "written to %s\n",
                 counts.size(),
                 changes.size(),
                 kinds["appeared"],
                 kinds["ended"],
                 kinds["renamed"],
                 kinds["moved"],
                 out.c_str());
    if (options.chart && counts.size() >= 2) {
        const render::TimeChart chart = make_chart(counts);
        geo::write_file_atomic(out / "agreements-over-time.png", render::render_chart_png(chart));
        geo::write_file_atomic(out / "agreements-over-time.svg", render::render_chart_svg(chart));
    } else if (options.chart) {
        std::fprintf(stderr, "choro: warning: one snapshot only, no chart\n");
    }
}

}  // namespace

void add_agreements_command(CLI::App& app) {
    auto options = std::make_shared<AgreementsOptions>();
    CLI::App* cmd = app.add_subcommand(
        "agreements", "ICE 287(g) sheet(s) to agencies placed in counties, counts per county and state, unplaced list");
    cmd->add_option("SHEET", options->sheet, "ICE participating-agencies sheet (.xlsx or .csv)");
    cmd->add_option(
        "--snapshots", options->snapshots, "folder of ICE sheets: counts per snapshot, changes between them, a chart");
    cmd->add_option("-o,--out", options->out, "output folder")->required();
    cmd->add_option(
        "--data-dir", options->data_dir, "folder with reference/ (default ../shared/data when it exists here)");
    auto* chart = cmd->add_flag(
        "--chart,!--no-chart", options->chart, "write agreements-over-time.png/.svg (default with --snapshots)");
    cmd->callback([options, chart] {
        AgreementsOptions effective = *options;
        if (chart->count() == 0) {
            effective.chart = !effective.snapshots.empty();
        }
        run(effective);
    });
}

}  // namespace choro::cli
