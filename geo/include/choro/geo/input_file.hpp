#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

/// @file
/// Reading input files with bounds: only regular files (a FIFO with no writer would block for
/// ever, /dev/zero never ends), never more than a stated size, and `-` for standard input. Every
/// error names the file and says why (the system's reason when there is one).

namespace choro::geo {

/// Size limits of the files choro reads whole into memory.
namespace input_limits {
inline constexpr std::size_t max_table_bytes = std::size_t{512} << 20;  ///< CSV/XLSX value tables: 512 MiB
inline constexpr std::size_t max_job_bytes = std::size_t{1} << 20;      ///< job files (TOML): 1 MiB
inline constexpr std::size_t max_notes_bytes = std::size_t{1} << 20;    ///< notes files: 1 MiB
inline constexpr std::size_t max_text_bytes = 4096;                     ///< one title, subtitle, note or legend title
}  // namespace input_limits

/// Checks that `path` can be read as a file of at most `max_bytes`: it exists, is a regular file
/// (not a folder, FIFO, socket or device) and is not larger. `what` names it in messages ("value
/// table"). Does not open it, so it never blocks. Throws InputError naming the path.
void check_input_file(const std::string& path, std::size_t max_bytes, std::string_view what);

/// Reads a whole input file after check_input_file(); `-` reads standard input (up to `max_bytes`).
/// Throws InputError naming the path (or "standard input") and the system's reason.
[[nodiscard]] std::string read_input_file(const std::string& path, std::size_t max_bytes, std::string_view what);

/// Reads a notes file: UTF-8 text, one note per non-empty line (trailing blanks and CR removed).
/// A file with NUL bytes or invalid UTF-8 (a binary file) is refused naming the file and line.
[[nodiscard]] std::vector<std::string> read_notes_file(const std::string& path);

/// `text` made safe and unambiguous for a message: control characters (NUL included), bytes that
/// are not UTF-8, and invisible or look-alike characters (no-break, zero-width and ideographic
/// spaces, full-width digits and letters, soft hyphens, bidi marks) are shown escaped (`\0`, `\x1F`,
/// `\u200B`). Everything else is kept.
///
///     visible("010\u200B01") == "010\\u200B01"
[[nodiscard]] std::string visible(std::string_view text);

}  // namespace choro::geo
