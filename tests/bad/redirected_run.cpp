#include "redirected_run.hpp"

#include <cerrno>
#include <stdexcept>

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/ioctl.h>
#include <sys/wait.h>
#include <unistd.h>

extern char** environ;

namespace choro::test {

TimedRun run_choro_redirected(const std::vector<std::string>& args,
                              const Redirects& redirects,
                              std::chrono::milliseconds limit) {
    ::signal(SIGPIPE, SIG_IGN);  // choro may exit before reading all of its standard input
    int out_pipe[2] = {-1, -1};
    int err_pipe[2] = {-1, -1};
    int in_pipe[2] = {-1, -1};
    if (pipe2(out_pipe, O_CLOEXEC) != 0 || pipe2(err_pipe, O_CLOEXEC) != 0 ||
        (!redirects.hold_stdin.empty() && pipe2(in_pipe, O_CLOEXEC) != 0)) {
        throw std::runtime_error("pipe failed");
    }
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    if (!redirects.stdout_file.empty()) {
        posix_spawn_file_actions_addopen(
            &actions, 1, redirects.stdout_file.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    } else {
        posix_spawn_file_actions_adddup2(&actions, out_pipe[1], 1);
    }
    posix_spawn_file_actions_adddup2(&actions, err_pipe[1], 2);
    if (!redirects.hold_stdin.empty()) {
        posix_spawn_file_actions_adddup2(&actions, in_pipe[0], 0);
    } else {
        posix_spawn_file_actions_addopen(
            &actions, 0, redirects.stdin_file.empty() ? "/dev/null" : redirects.stdin_file.c_str(), O_RDONLY, 0);
    }
    std::vector<std::string> store{CHORO_BINARY};
    store.insert(store.end(), args.begin(), args.end());
    std::vector<char*> argv;
    for (auto& a : store) {
        argv.push_back(a.data());
    }
    argv.push_back(nullptr);
    pid_t pid = 0;
    posix_spawnattr_t attr;
    posix_spawnattr_init(&attr);
    sigset_t defaults;
    sigemptyset(&defaults);
    sigaddset(&defaults, SIGPIPE);  // choro gets the default disposition, not the test's
    posix_spawnattr_setsigdefault(&attr, &defaults);
    posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETSIGDEF);
    const int rc = posix_spawn(&pid, CHORO_BINARY, &actions, &attr, argv.data(), environ);
    posix_spawnattr_destroy(&attr);
    posix_spawn_file_actions_destroy(&actions);
    close(out_pipe[1]);
    close(err_pipe[1]);
    if (in_pipe[0] >= 0) {
        close(in_pipe[0]);
    }
    if (rc != 0) {
        throw std::runtime_error("cannot start " CHORO_BINARY);
    }

    TimedRun result;
    const auto deadline = std::chrono::steady_clock::now() + limit;
    bool signalled = redirects.hold_stdin.empty() || redirects.signal == 0;
    if (!redirects.hold_stdin.empty()) {
        const std::string& text = redirects.hold_stdin;
        std::size_t done = 0;
        while (done < text.size()) {
            const ssize_t n = write(in_pipe[1], text.data() + done, text.size() - done);
            if (n <= 0) {
                break;  // choro exited (EPIPE): the outcome says why
            }
            done += static_cast<std::size_t>(n);
        }
    }
    pollfd fds[2] = {{out_pipe[0], POLLIN, 0}, {err_pipe[0], POLLIN, 0}};
    std::string* sinks[2] = {&result.out, &result.err};
    int open_fds = 2;
    char buf[65536];
    while (open_fds > 0) {
        const auto left =
            std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
        if (left.count() <= 0) {
            result.timed_out = true;
            kill(pid, SIGKILL);
            break;
        }
        if (!signalled) {
            int pending = 0;
            if (ioctl(in_pipe[1], FIONREAD, &pending) == 0 && pending == 0) {
                kill(pid, redirects.signal);
                signalled = true;
            }
        }
        const int ready = poll(fds, 2, signalled ? static_cast<int>(left.count()) : 5);
        if (ready < 0 && errno != EINTR) {
            break;
        }
        for (int i = 0; i < 2; ++i) {
            if (fds[i].fd >= 0 && (fds[i].revents & (POLLIN | POLLHUP | POLLERR)) != 0) {
                const ssize_t n = read(fds[i].fd, buf, sizeof buf);
                if (n > 0) {
                    sinks[i]->append(buf, static_cast<std::size_t>(n));
                } else {
                    close(fds[i].fd);
                    fds[i].fd = -1;
                    --open_fds;
                }
            }
        }
    }
    for (auto& fd : fds) {
        if (fd.fd >= 0) {
            close(fd.fd);
        }
    }
    int status = 0;
    while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
    }
    if (in_pipe[1] >= 0) {
        close(in_pipe[1]);
    }
    if (WIFEXITED(status)) {
        result.exit_code = WEXITSTATUS(status);
    } else if (WIFSIGNALED(status)) {
        result.signal = WTERMSIG(status);
    }
    return result;
}

}  // namespace choro::test
