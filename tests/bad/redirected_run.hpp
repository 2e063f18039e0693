#pragma once

#include <chrono>
#include <string>
#include <vector>

#include "process.hpp"

/// @file
/// Running choro with standard input and output redirected, and with a signal sent while it
/// waits on its standard input: the corpus cases of `--values -`, `-o -`, `> /dev/full` and
/// SIGINT/SIGTERM.

namespace choro::test {

struct Redirects {
    std::string stdin_file;   ///< read standard input from this file ("" = /dev/null)
    std::string hold_stdin;   ///< or: write this text into a pipe kept open, so choro waits for more
    int signal = 0;           ///< with hold_stdin: sent once choro has read all of the text
    std::string stdout_file;  ///< write standard output to this file ("" = captured in `out`)
};

/// Like run_choro_timed, with the redirections. With `hold_stdin` and `signal`, the signal is sent
/// when the pipe is drained (choro has read everything and blocks for more), so the moment does
/// not depend on timing; the write end is closed after the process ends.
[[nodiscard]] TimedRun run_choro_redirected(const std::vector<std::string>& args,
                                            const Redirects& redirects,
                                            std::chrono::milliseconds limit = std::chrono::seconds(30));

}  // namespace choro::test
