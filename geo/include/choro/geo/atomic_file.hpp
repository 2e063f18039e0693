#pragma once

#include <filesystem>
#include <string>
#include <string_view>

/// @file
/// Outputs appear whole or not at all: write to a temporary name beside the target, then rename.

namespace choro::geo {

/// A temporary file beside `target` that becomes `target` on commit(). If it is destroyed without
/// commit() (an exception, an early return) the temporary is removed and `target` is untouched.
///
///     AtomicFile out("map.png");
///     write_png(out.path(), …);
///     out.commit();
class AtomicFile {
public:
    /// Creates the parent folder when missing. Throws RenderError if it cannot.
    explicit AtomicFile(std::filesystem::path target);
    ~AtomicFile();
    AtomicFile(const AtomicFile&) = delete;
    AtomicFile& operator=(const AtomicFile&) = delete;
    AtomicFile(AtomicFile&&) = delete;
    AtomicFile& operator=(AtomicFile&&) = delete;

    /// Where to write now (`<target>.tmp-<pid>`).
    [[nodiscard]] const std::filesystem::path& path() const noexcept { return m_temp; }
    /// fsyncs and renames the temporary over the target. Throws RenderError on failure.
    void commit();

private:
    std::filesystem::path m_target;
    std::filesystem::path m_temp;
    bool m_committed = false;
};

/// Writes `bytes` to `target` atomically. Throws RenderError naming the path on failure.
void write_file_atomic(const std::filesystem::path& target, std::string_view bytes);

}  // namespace choro::geo
