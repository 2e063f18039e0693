// SIGINT/SIGTERM at random moments of a render: choro always exits 8 (or 0 when the signal came
// after its last safe point, once drawing had begun), never dies of the signal, leaves no
// temporary file, and the target holds the previous map or the new one, nothing else. The signal
// is sent a random (seeded) delay after choro has read its whole value table from standard input,
// so its handler is in place; every third run it is sent while choro still waits for the end of
// that input, so some runs are interrupted for certain.

#include <chrono>
#include <filesystem>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include "fixtures.hpp"
#include "test_support.hpp"
#include <fcntl.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <spawn.h>
#include <sys/ioctl.h>
#include <sys/wait.h>
#include <unistd.h>

extern char** environ;

namespace fs = std::filesystem;
using namespace choro::test;

namespace {

constexpr unsigned signal_seed = 12;
constexpr int signals_per_kind = 6;

struct Outcome {
    int exit_code = -1;
    int signal = 0;
};

/// Runs choro with `table` on standard input; `sig` is sent `delay` after the table was read.
Outcome run_and_signal(const std::vector<std::string>& args,
                       const std::string& table,
                       int sig,
                       std::chrono::milliseconds delay,
                       bool before_end_of_input) {
    ::signal(SIGPIPE, SIG_IGN);
    int in[2];
    if (pipe2(in, O_CLOEXEC) != 0) {
        throw std::runtime_error("pipe");
    }
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_adddup2(&actions, in[0], 0);
    posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0);
    posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0);
    posix_spawnattr_t attr;
    posix_spawnattr_init(&attr);
    sigset_t defaults;
    sigemptyset(&defaults);
    sigaddset(&defaults, SIGPIPE);
    posix_spawnattr_setsigdefault(&attr, &defaults);
    posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETSIGDEF);
    std::vector<std::string> store{CHORO_BINARY};
    store.insert(store.end(), args.begin(), args.end());
    std::vector<char*> argv;
    for (auto& a : store) {
        argv.push_back(a.data());
    }
    argv.push_back(nullptr);
    pid_t pid = 0;
    const int rc = posix_spawn(&pid, CHORO_BINARY, &actions, &attr, argv.data(), environ);
    posix_spawnattr_destroy(&attr);
    posix_spawn_file_actions_destroy(&actions);
    close(in[0]);
    if (rc != 0) {
        close(in[1]);
        throw std::runtime_error("cannot start choro");
    }
    (void)!write(in[1], table.data(), table.size());
    // Wait until choro has read it all (then its handler is installed), then let it go on.
    for (int pending = 1; pending > 0;) {
        if (ioctl(in[1], FIONREAD, &pending) != 0) {
            break;
        }
        if (pending > 0) {
            std::this_thread::sleep_for(std::chrono::milliseconds(1));
        }
    }
    if (before_end_of_input) {
        kill(pid, sig);  // choro blocks in read(): EINTR, then its loop sees the flag
        close(in[1]);
    } else {
        close(in[1]);
        std::this_thread::sleep_for(delay);
        kill(pid, sig);
    }
    int status = 0;
    while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
    }
    Outcome o;
    if (WIFEXITED(status)) {
        o.exit_code = WEXITSTATUS(status);
    } else if (WIFSIGNALED(status)) {
        o.signal = WTERMSIG(status);
    }
    return o;
}

bool only_expected_files(const fs::path& dir, const std::vector<std::string>& names) {
    for (const auto& e : fs::directory_iterator(dir)) {
        const auto n = e.path().filename().string();
        if (std::find(names.begin(), names.end(), n) == names.end()) {
            ADD_FAILURE() << "left behind: " << n;
            return false;
        }
    }
    return true;
}

void check_signals(int sig, unsigned seed) {
    const fs::path dir = temp_dir();
    const auto b = write_file(dir / "counties.geojson", feature_collection(grid_features()));
    const auto v = write_file(dir / "values.csv", grid_values_csv());
    const fs::path target = dir / "map.png";
    auto args = render_args(b, "-", 1200, 750);
    args.insert(args.end(), {"--title", "New", "-q", "-o", target.string()});
    write_file(target, "the previous map");

    std::mt19937 rng(seed);
    std::uniform_int_distribution<long> delay_ms(0, 400);
    int interrupted = 0;
    for (int i = 0; i < signals_per_kind; ++i) {
        const auto before = read_file(target);
        const auto delay = std::chrono::milliseconds(delay_ms(rng));
        const bool early = i % 3 == 0;
        const Outcome o = run_and_signal(args, grid_values_csv(), sig, delay, early);
        const std::string where = "seed " + std::to_string(seed) + ", signal " + std::to_string(sig) + " after " +
                                  std::to_string(delay.count()) + " ms";
        ASSERT_EQ(o.signal, 0) << where << ": choro died of the signal";
        ASSERT_TRUE(o.exit_code == 8 || o.exit_code == 0) << where << ": exit " << o.exit_code;
        const auto now = read_file(target);
        if (early) {
            EXPECT_EQ(o.exit_code, 8) << where << ": a signal before the end of the input must stop the run";
        }
        if (o.exit_code == 8) {
            ++interrupted;
            EXPECT_EQ(now, before) << where << ": an interrupted run changed the output";
        } else {
            EXPECT_NE(now.rfind("\x89PNG", 0), std::string::npos) << where << ": a finished run wrote no PNG";
        }
        EXPECT_TRUE(only_expected_files(
            dir, {"counties.geojson", "values.csv", "map.png", "map.join.json", "map.alt.txt", "map.data.csv"}))
            << where;
        write_file(target, "the previous map");
    }
    EXPECT_GE(interrupted, signals_per_kind / 3);
}

}  // namespace

TEST(Interrupted, SigtermAtRandomMomentsExitsEightAndKeepsThePreviousOutput) {
    check_signals(SIGTERM, signal_seed);
}

TEST(Interrupted, SigintAtRandomMomentsExitsEightAndKeepsThePreviousOutput) {
    check_signals(SIGINT, signal_seed + 1);
}
