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
    /// Creates the parent folder when missing and the (empty) temporary file, registered for
    /// removal on an interrupt (see interrupt.hpp). The temporary is `<target>.tmp-<pid>`, or a
    /// hash of the name when that would be longer than the folder allows. Throws RenderError with
    /// the system's reason (permission, name too long…) if it cannot, or if `target` is a folder.
    explicit AtomicFile(std::filesystem::path target);
    ~AtomicFile();
    AtomicFile(const AtomicFile&) = delete;
    AtomicFile& operator=(const AtomicFile&) = delete;
    AtomicFile(AtomicFile&&) = delete;
    AtomicFile& operator=(AtomicFile&&) = delete;

    /// Where to write now.
    [[nodiscard]] const std::filesystem::path& path() const noexcept { return m_temp; }
    /// fsyncs and renames the temporary over the target. Throws RenderError on failure.
    void commit();

private:
    std::filesystem::path m_target;
    std::filesystem::path m_temp;
    bool m_committed = false;
    int m_slot = -1;  ///< in the interrupt registry
};

/// Writes `bytes` to `target` atomically, checking every write, the flush and the close (a full
/// disk is an error). Throws RenderError naming the path and the system's reason on failure.
void write_file_atomic(const std::filesystem::path& target, std::string_view bytes);

}  // namespace choro::geo
