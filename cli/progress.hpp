#pragma once

#include <chrono>
#include <cstdio>
#include <string>

#include <unistd.h>

/// @file
/// Progress on stderr: one line per stage with its time, and a bar with rate and ETA for long
/// loops when stderr is a terminal (plain periodic lines otherwise, so logs stay readable).

namespace choro::cli {

class Progress {
public:
    explicit Progress(bool quiet = false) : m_quiet(quiet), m_tty(isatty(2) != 0) {}

    /// Starts a stage: "reading boundaries…".
    void stage(const std::string& what) {
        finish();
        m_stage = what;
        m_start = clock::now();
        if (!m_quiet && m_tty) {
            std::fprintf(stderr, "%s…", what.c_str());
            std::fflush(stderr);
        }
    }

    /// Ends the current stage with an optional detail: "reading boundaries: 3231 features (82 ms)".
    void finish(const std::string& detail = {}) {
        if (m_stage.empty()) {
            return;
        }
        const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(clock::now() - m_start).count();
        if (!m_quiet) {
            std::fprintf(stderr,
                         "%s%s: %s%s(%lld ms)\n",
                         m_tty ? "\r" : "",
                         m_stage.c_str(),
                         detail.c_str(),
                         detail.empty() ? "" : " ",
                         static_cast<long long>(ms));
        }
        m_stage.clear();
    }

    /// Updates a bar for `done` of `total` items named `unit` ("tiles").
    void bar(std::size_t done, std::size_t total, const char* unit) {
        if (m_quiet) {
            return;
        }
        const auto now = clock::now();
        const double secs = std::chrono::duration<double>(now - m_start).count();
        const bool last = done >= total;
        if (!last && now - m_last_bar < (m_tty ? std::chrono::milliseconds(100) : std::chrono::seconds(5))) {
            return;
        }
        m_last_bar = now;
        const double rate = secs > 0 ? static_cast<double>(done) / secs : 0.0;
        const double eta = rate > 0 ? static_cast<double>(total - done) / rate : 0.0;
        const int width = 30;
        const int filled =
            total ? static_cast<int>(width * static_cast<double>(done) / static_cast<double>(total)) : width;
        std::string b(static_cast<std::size_t>(filled), '#');
        b.resize(width, '.');
        std::fprintf(stderr,
                     "%s%s [%s] %zu/%zu %s, %.0f %s/s, ETA %.0f s%s",
                     m_tty ? "\r" : "",
                     m_stage.c_str(),
                     b.c_str(),
                     done,
                     total,
                     unit,
                     rate,
                     unit,
                     eta,
                     m_tty && !last ? "" : "\n");
        std::fflush(stderr);
    }

    /// A warning line, always shown unless quiet.
    void warn(const std::string& text) const {
        if (!m_quiet) {
            std::fprintf(stderr, "%swarning: %s\n", m_tty && !m_stage.empty() ? "\n" : "", text.c_str());
        }
    }

    /// A plain information line.
    void info(const std::string& text) const {
        if (!m_quiet) {
            std::fprintf(stderr, "%s\n", text.c_str());
        }
    }

private:
    using clock = std::chrono::steady_clock;
    bool m_quiet;
    bool m_tty;
    std::string m_stage;
    clock::time_point m_start = clock::now();
    clock::time_point m_last_bar{};
};

}  // namespace choro::cli
