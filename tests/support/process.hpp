#pragma once

#include <chrono>
#include <string>
#include <vector>

#include <sys/types.h>

/// @file
/// Running the choro executable from the robustness tests: with a time limit (a hang is a
/// failure, not a stuck CI job), and started in the background so a test can SIGKILL it.

namespace choro::test {

struct TimedRun {
    int exit_code = -1;  ///< valid when the process exited normally
    int signal = 0;      ///< the signal that ended it, 0 when it exited
    bool timed_out = false;
    std::string out;
    std::string err;
};

/// Runs `choro ARGS...` (no shell) and waits at most `limit`; on time-out the process is killed
/// with SIGKILL and `timed_out` is set.
[[nodiscard]] TimedRun run_choro_timed(const std::vector<std::string>& args,
                                       std::chrono::milliseconds limit = std::chrono::seconds(30));

/// A choro process running in the background, its stdout and stderr sent to /dev/null.
/// The destructor kills (SIGKILL) and reaps it if it is still running.
class Background {
public:
    explicit Background(const std::vector<std::string>& args);
    ~Background();
    Background(const Background&) = delete;
    Background& operator=(const Background&) = delete;
    Background(Background&&) = delete;
    Background& operator=(Background&&) = delete;

    /// Sends SIGKILL and reaps the process. Returns true when the kill ended it, false when it had
    /// already exited on its own.
    bool kill_and_wait();
    /// Waits for the process to end; returns its wait status.
    int wait();

private:
    pid_t m_pid = -1;
    bool m_reaped = false;
    int m_status = 0;
};

}  // namespace choro::test
