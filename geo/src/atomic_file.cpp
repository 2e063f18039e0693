#include "choro/geo/atomic_file.hpp"

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <string>
#include <string_view>
#include <system_error>
#include <utility>

#include <fcntl.h>
#include <signal.h>
#include <unistd.h>

#include "choro/geo/error.hpp"

namespace choro::geo {

namespace {

std::string errno_text(int err) {
    return std::generic_category().message(err);
}

/// fsyncs a file (or folder) by path; false with errno set on failure.
bool fsync_path(const std::filesystem::path& p, int flags) {
    const int fd = ::open(p.c_str(), flags | O_CLOEXEC);
    if (fd < 0) {
        return false;
    }
    const bool ok = ::fsync(fd) == 0;
    const int saved = errno;
    ::close(fd);
    errno = saved;
    return ok;
}

/// Removes `<target>.tmp-<pid>` files left by runs that were killed (SIGKILL leaves no chance to
/// clean up): only those whose process no longer exists on this machine. Two machines writing the
/// same target in a shared folder would race anyway; sharded runs write distinct part files.
void remove_stale_temporaries(const std::filesystem::path& target) {
    const std::string prefix = target.filename().string() + ".tmp-";
    const auto dir = target.parent_path().empty() ? std::filesystem::path(".") : target.parent_path();
    std::error_code ec;
    for (const auto& entry : std::filesystem::directory_iterator(dir, ec)) {
        const std::string name = entry.path().filename().string();
        if (name.size() <= prefix.size() || name.compare(0, prefix.size(), prefix) != 0) {
            continue;
        }
        const std::string pid_text = name.substr(prefix.size());
        if (pid_text.find_first_not_of("0123456789") != std::string::npos || pid_text.size() > 9) {
            continue;
        }
        const auto pid = static_cast<pid_t>(std::stol(pid_text));
        if (pid > 0 && ::kill(pid, 0) != 0 && errno == ESRCH) {
            std::error_code ignored;
            std::filesystem::remove(entry.path(), ignored);
        }
    }
}

}  // namespace

AtomicFile::AtomicFile(std::filesystem::path target) : m_target(std::move(target)) {
    if (m_target.empty()) {
        throw RenderError("", "no output path given");
    }
    const auto parent = m_target.parent_path();
    if (!parent.empty()) {
        std::error_code ec;
        std::filesystem::create_directories(parent, ec);
        if (ec) {
            throw RenderError(m_target.string(), "cannot create folder " + parent.string() + ": " + ec.message());
        }
    }
    remove_stale_temporaries(m_target);
    m_temp = m_target;
    m_temp += ".tmp-" + std::to_string(::getpid());
}

AtomicFile::~AtomicFile() {
    if (!m_committed) {
        std::error_code ec;
        std::filesystem::remove(m_temp, ec);  // best effort; never throws from a destructor
    }
}

void AtomicFile::commit() {
    if (m_committed) {
        throw RenderError(m_target.string(), "already committed");
    }
    std::error_code ec;
    if (!std::filesystem::is_regular_file(m_temp, ec)) {
        throw RenderError(m_target.string(), "nothing was written to the temporary file " + m_temp.string());
    }
    if (!fsync_path(m_temp, O_RDONLY)) {
        throw RenderError(m_target.string(), "cannot fsync " + m_temp.string() + ": " + errno_text(errno));
    }
    if (std::rename(m_temp.c_str(), m_target.c_str()) != 0) {
        throw RenderError(m_target.string(),
                          "cannot rename " + m_temp.string() + " to the target: " + errno_text(errno));
    }
    m_committed = true;
    // Make the rename itself durable; failing to sync the folder does not undo the write.
    const auto parent = m_target.parent_path().empty() ? std::filesystem::path(".") : m_target.parent_path();
    (void)fsync_path(parent, O_RDONLY | O_DIRECTORY);
}

void write_file_atomic(const std::filesystem::path& target, std::string_view bytes) {
    AtomicFile file(target);
    {
        std::FILE* f = std::fopen(file.path().c_str(), "wb");
        if (f == nullptr) {
            throw RenderError(target.string(), "cannot create " + file.path().string() + ": " + errno_text(errno));
        }
        const std::size_t written = bytes.empty() ? 0 : std::fwrite(bytes.data(), 1, bytes.size(), f);
        const int saved = errno;
        const bool flushed = std::fflush(f) == 0;
        std::fclose(f);
        if (written != bytes.size() || !flushed) {
            throw RenderError(target.string(), "cannot write " + file.path().string() + ": " + errno_text(saved));
        }
    }
    file.commit();
}

}  // namespace choro::geo
