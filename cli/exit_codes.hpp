#pragma once

#include <stdexcept>

/// @file
/// choro's exit codes, one per class of failure (documented in the README and in `choro --help`).
/// None collides with the codes shells, `timeout` (124-127) and signals (128+n) use.

namespace choro::cli {

enum ExitCode : int {
    exit_ok = 0,
    exit_internal = 1,     ///< a bug: an unexpected exception
    exit_usage = 2,        ///< bad command line (unknown flag, missing argument)
    exit_input = 3,        ///< a data file is missing, unreadable or not what was expected
    exit_job = 4,          ///< the job file or a setting is wrong
    exit_projection = 5,   ///< PROJ cannot build the projection or project the data
    exit_output = 6,       ///< an output could not be drawn or written
    exit_limit = 7,        ///< the job asks for more than choro allows (size, zoom, classes)
    exit_interrupted = 8,  ///< stopped by the user (SIGINT/SIGTERM); outputs left as they were
    exit_partial = 9,      ///< `choro batch`: some maps failed (each reported), the others were written
};

/// Thrown by a command that finished its work but not all of it (`choro batch` with failed maps):
/// main() prints the message and exits with exit_partial.
class PartialFailure : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

inline constexpr const char* exit_codes_help =
    "Exit codes: 0 ok, 1 internal error, 2 bad command line, 3 bad input data, 4 bad job or setting,\n"
    "            5 projection error, 6 output could not be written, 7 limit exceeded, 8 interrupted,\n"
    "            9 some maps of a batch failed (the others were written).";

}  // namespace choro::cli
