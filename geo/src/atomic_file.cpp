#include "choro/geo/atomic_file.hpp"

#include <cerrno>
#include <cstdint>
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
#include "choro/geo/interrupt.hpp"

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

/// The longest file name the folder takes (NAME_MAX, 255 on the usual file systems).
std::size_t name_max(const std::filesystem::path& dir) {
    errno = 0;
    const long n = ::pathconf(dir.c_str(), _PC_NAME_MAX);
    return n > 0 ? static_cast<std::size_t>(n) : 255;
}

/// The temporary name's prefix: `<name>.tmp-`, or for names too long to take the suffix a hash of
/// the name (`.choro-<16 hex>.tmp-`), so a long but legal output name never fails on its temporary.
std::string temp_prefix(const std::filesystem::path& target) {
    const std::string name = target.filename().string();
    const auto dir = target.parent_path().empty() ? std::filesystem::path(".") : target.parent_path();
    constexpr std::size_t suffix = 5 + 10;  // ".tmp-" and a pid
    if (name.size() + suffix <= name_max(dir)) {
        return name + ".tmp-";
    }
    std::uint64_t h = 14695981039346656037ULL;  // FNV-1a: stable across runs, so stale ones are found
    for (const unsigned char c : name) {
        h = (h ^ c) * 1099511628211ULL;
    }
    char hex[17];
    std::snprintf(hex, sizeof hex, "%016llx", static_cast<unsigned long long>(h));
    return std::string(".choro-") + hex + ".tmp-";
}

/// Removes `<target>.tmp-<pid>` files left by runs that were killed (SIGKILL leaves no chance to
/// clean up): only those whose process no longer exists on this machine. Two machines writing the
/// same target in a shared folder would race anyway; sharded runs write distinct part files.
void remove_stale_temporaries(const std::filesystem::path& target) {
    const std::string prefix = temp_prefix(target);
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
    m_temp = m_target.parent_path() / (temp_prefix(m_target) + std::to_string(::getpid()));
    m_slot = register_temporary(m_temp);
    // Try it now, so a folder without write permission or a name the file system refuses is
    // reported here with the system's reason, not later as a vague write failure. The file is
    // removed again: the writer creates it, and commit() tells "nothing written" apart.
    const int fd = ::open(m_temp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
    if (fd < 0 && errno != EEXIST) {
        const int err = errno;
        unregister_temporary(m_slot);
        throw RenderError(m_target.string(),
                          "cannot create the temporary file " + m_temp.string() + ": " + errno_text(err));
    }
    if (fd >= 0) {
        ::close(fd);
        ::unlink(m_temp.c_str());
    }
}

AtomicFile::~AtomicFile() {
    if (!m_committed) {
        std::error_code ec;
        std::filesystem::remove(m_temp, ec);  // best effort; never throws from a destructor
    }
    unregister_temporary(m_slot);
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
    unregister_temporary(m_slot);
    m_slot = -1;
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
        errno = 0;
        const std::size_t written = bytes.empty() ? 0 : std::fwrite(bytes.data(), 1, bytes.size(), f);
        int saved = errno;
        const bool flushed = std::fflush(f) == 0;
        if (saved == 0) {
            saved = errno;
        }
        const bool closed = std::fclose(f) == 0;
        if (saved == 0) {
            saved = errno;
        }
        if (written != bytes.size() || !flushed || !closed) {
            throw RenderError(target.string(),
                              "cannot write " + file.path().string() + ": " +
                                  (saved != 0 ? errno_text(saved) : std::string("write error")));
        }
    }
    file.commit();
}

}  // namespace choro::geo
