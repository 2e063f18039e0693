// choro join: only the join, printing its report as JSON on stdout.

#include <cstdio>
#include <memory>

#include "commands.hpp"
#include "job_flags.hpp"
#include "progress.hpp"
#include "report.hpp"

#include "choro/geo/error.hpp"
#include "choro/geo/join.hpp"
#include "choro/pipeline/prepare.hpp"

namespace choro::cli {

void add_join_command(CLI::App& app) {
    auto flags = std::make_shared<JobFlags>();
    CLI::App* cmd = app.add_subcommand("join", "Join values to boundaries and print the report as JSON");
    cmd->footer(
        "Example:\n"
        "  choro join --boundaries counties-10m.json --layer counties --srs EPSG:4326 \\\n"
        "      --values counties.csv --values-key county_fips --value agreements > report.json");
    add_job_flags(cmd, *flags, false);
    cmd->callback([flags] {
        const styles::Job job = make_job(*flags);
        if (job.values.source.empty()) {
            throw JobError(job.path, 0, 0, "nothing to join: give --values TABLE (or [values] source in the job)");
        }
        Progress progress(false);
        const pipeline::JoinedData data = join_with_progress(job, progress);
        write_stdout(geo::to_json(data.join.report) + "\n");
    });
}

}  // namespace choro::cli
