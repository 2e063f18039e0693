#include "test_support.hpp"

#include <algorithm>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <stdexcept>

#include <fcntl.h>
#include <gtest/gtest.h>
#include <poll.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

extern char** environ;

namespace choro::test {

namespace fs = std::filesystem;

fs::path data_dir() {
    return CHORO_TEST_DATA;
}

fs::path shared_data_dir() {
    return CHORO_SHARED_DATA;
}

fs::path temp_dir() {
    const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
    std::string name = info ? std::string(info->test_suite_name()) + "." + info->name() : "no-test";
    std::replace(name.begin(), name.end(), '/', '_');
    const fs::path dir = fs::path(CHORO_TEST_OUTPUT) / "tmp" / name;
    fs::remove_all(dir);
    fs::create_directories(dir);
    return dir;
}

fs::path write_file(const fs::path& path, const std::string& text) {
    if (path.has_parent_path()) {
        fs::create_directories(path.parent_path());
    }
    std::ofstream out(path, std::ios::binary);
    out << text;
    if (!out) {
        throw std::runtime_error("cannot write " + path.string());
    }
    return path;
}

std::string read_file(const fs::path& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) {
        throw std::runtime_error("cannot read " + path.string());
    }
    std::ostringstream s;
    s << in.rdbuf();
    return s.str();
}

RunResult run_choro(const std::vector<std::string>& args) {
    int out_pipe[2];
    int err_pipe[2];
    if (pipe(out_pipe) != 0 || pipe(err_pipe) != 0) {
        throw std::runtime_error("pipe failed");
    }
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_adddup2(&actions, out_pipe[1], 1);
    posix_spawn_file_actions_adddup2(&actions, err_pipe[1], 2);
    posix_spawn_file_actions_addclose(&actions, out_pipe[0]);
    posix_spawn_file_actions_addclose(&actions, err_pipe[0]);
    posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);

    std::vector<std::string> argv_store{CHORO_BINARY};
    argv_store.insert(argv_store.end(), args.begin(), args.end());
    std::vector<char*> argv;
    for (auto& a : argv_store) {
        argv.push_back(a.data());
    }
    argv.push_back(nullptr);

    pid_t pid = 0;
    const int rc = posix_spawn(&pid, CHORO_BINARY, &actions, nullptr, argv.data(), environ);
    posix_spawn_file_actions_destroy(&actions);
    close(out_pipe[1]);
    close(err_pipe[1]);
    if (rc != 0) {
        close(out_pipe[0]);
        close(err_pipe[0]);
        throw std::runtime_error("cannot start " CHORO_BINARY);
    }
    RunResult result;
    pollfd fds[2] = {{out_pipe[0], POLLIN, 0}, {err_pipe[0], POLLIN, 0}};
    std::string* sinks[2] = {&result.out, &result.err};
    int open_fds = 2;
    char buf[65536];
    while (open_fds > 0) {
        if (poll(fds, 2, -1) < 0) {
            break;
        }
        for (int i = 0; i < 2; ++i) {
            if (fds[i].fd >= 0 && (fds[i].revents & (POLLIN | POLLHUP | POLLERR))) {
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
    int status = 0;
    waitpid(pid, &status, 0);
    result.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
    return result;
}

ImageDiff compare_images(const render::Image& a, const render::Image& b, int threshold) {
    ImageDiff d;
    d.same_size = a.width == b.width && a.height == b.height;
    if (!d.same_size) {
        return d;
    }
    for (std::size_t i = 0; i < a.rgba.size(); i += 4) {
        int worst = 0;
        for (std::size_t c = 0; c < 4; ++c) {
            worst = std::max(worst, std::abs(int(a.rgba[i + c]) - int(b.rgba[i + c])));
        }
        d.max_delta = std::max(d.max_delta, worst);
        if (worst > threshold) {
            ++d.differing;
        }
    }
    return d;
}

namespace {

// Red where the images differ beyond the threshold, a faded copy of the expected image elsewhere.
render::Image diff_image(const render::Image& expected, const render::Image& actual, int threshold) {
    render::Image d = expected;
    for (std::size_t i = 0; i < d.rgba.size(); i += 4) {
        int worst = 0;
        for (std::size_t c = 0; c < 4; ++c) {
            worst = std::max(worst, std::abs(int(expected.rgba[i + c]) - int(actual.rgba[i + c])));
        }
        if (worst > threshold) {
            d.rgba[i] = 255;
            d.rgba[i + 1] = 0;
            d.rgba[i + 2] = 0;
        } else {
            for (std::size_t c = 0; c < 3; ++c) {
                d.rgba[i + c] = static_cast<std::uint8_t>(255 - (255 - d.rgba[i + c]) / 4);
            }
        }
        d.rgba[i + 3] = 255;
    }
    return d;
}

}  // namespace

std::string check_golden(const render::Image& actual,
                         const std::string& name,
                         int threshold,
                         std::size_t max_differing) {
    const fs::path golden = fs::path(CHORO_SOURCE_DIR) / "tests" / "golden" / (name + ".png");
    const char* update = std::getenv("CHORO_UPDATE_GOLDEN");
    if (update && std::string(update) == "1") {
        write_file(golden, render::encode_png(actual));
        return {};
    }
    if (!fs::exists(golden)) {
        return "golden image " + golden.string() + " is missing (run with CHORO_UPDATE_GOLDEN=1 to create it)";
    }
    const render::Image expected = render::decode_png(read_file(golden));
    const ImageDiff d = compare_images(expected, actual, threshold);
    if (d.same_size && d.differing <= max_differing) {
        return {};
    }
    const fs::path dir = fs::path(CHORO_TEST_OUTPUT) / "golden-failures";
    fs::create_directories(dir);
    const fs::path actual_path = dir / (name + ".actual.png");
    const fs::path expected_path = dir / (name + ".expected.png");
    write_file(actual_path, render::encode_png(actual));
    write_file(expected_path, render::encode_png(expected));
    std::string msg = "golden " + name + ": ";
    if (!d.same_size) {
        msg += "size " + std::to_string(actual.width) + "x" + std::to_string(actual.height) + " differs from " +
               std::to_string(expected.width) + "x" + std::to_string(expected.height);
    } else {
        const fs::path diff_path = dir / (name + ".diff.png");
        write_file(diff_path, render::encode_png(diff_image(expected, actual, threshold)));
        msg += std::to_string(d.differing) + " pixels differ by more than " + std::to_string(threshold) + " (allowed " +
               std::to_string(max_differing) + ", max delta " + std::to_string(d.max_delta) + ")";
    }
    const fs::path index = dir / (name + ".html");
    write_file(index,
               "<!doctype html><title>" + name + "</title><h1>" + name + "</h1><p>" + msg +
                   "</p><table><tr><th>expected<th>actual<th>diff<tr><td><img src='" + name +
                   ".expected.png'><td><img src='" + name + ".actual.png'><td><img src='" + name +
                   ".diff.png'></table>\n");
    return msg + "; see " + index.string();
}

}  // namespace choro::test
