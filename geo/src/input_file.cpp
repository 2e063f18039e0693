#include "choro/geo/input_file.hpp"

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <string>
#include <string_view>
#include <system_error>
#include <vector>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "choro/geo/error.hpp"
#include "choro/geo/interrupt.hpp"

namespace choro::geo {

namespace {

std::string errno_text(int err) {
    return std::generic_category().message(err);
}

std::string size_text(std::size_t bytes) {
    if (bytes >= (std::size_t{1} << 20)) {
        return std::to_string(bytes >> 20) + " MiB";
    }
    if (bytes >= 1024) {
        return std::to_string(bytes >> 10) + " KiB";
    }
    return std::to_string(bytes) + " bytes";
}

const char* kind_of(mode_t mode) {
    if (S_ISDIR(mode)) {
        return "a folder";
    }
    if (S_ISFIFO(mode)) {
        return "a FIFO (named pipe)";
    }
    if (S_ISCHR(mode)) {
        return "a character device";
    }
    if (S_ISBLK(mode)) {
        return "a block device";
    }
    if (S_ISSOCK(mode)) {
        return "a socket";
    }
    return "not a regular file";
}

[[noreturn]] void too_big(const std::string& path, std::string_view what, std::size_t max_bytes) {
    throw InputError(path,
                     "the " + std::string(what) + " is larger than the limit of " + size_text(max_bytes) +
                         " (is it the right file?)");
}

/// Reads from `fd` until end of file, at most `max_bytes` (one more byte proves it is too large).
std::string read_fd(int fd, const std::string& path, std::string_view what, std::size_t max_bytes) {
    std::string out;
    char buf[65536];
    while (true) {
        check_interrupted();
        const ssize_t n = ::read(fd, buf, sizeof buf);
        if (n == 0) {
            break;
        }
        if (n < 0) {
            if (errno == EINTR) {
                continue;  // a signal: check_interrupted() decides
            }
            throw InputError(path, "cannot read the " + std::string(what) + ": " + errno_text(errno));
        }
        out.append(buf, static_cast<std::size_t>(n));
        if (out.size() > max_bytes) {
            too_big(path, what, max_bytes);
        }
    }
    return out;
}

bool utf8_valid_prefix(std::string_view s, std::size_t& bad) {
    std::size_t i = 0;
    while (i < s.size()) {
        const auto c = static_cast<unsigned char>(s[i]);
        std::size_t len = c < 0x80                   ? 1
                          : (c >= 0xC2 && c <= 0xDF) ? 2
                          : (c >= 0xE0 && c <= 0xEF) ? 3
                          : (c >= 0xF0 && c <= 0xF4) ? 4
                                                     : 0;
        if (len == 0 || i + len > s.size()) {
            bad = i;
            return false;
        }
        for (std::size_t k = 1; k < len; ++k) {
            if ((static_cast<unsigned char>(s[i + k]) & 0xC0) != 0x80) {
                bad = i;
                return false;
            }
        }
        i += len;
    }
    return true;
}

bool is_invisible_or_lookalike(char32_t cp) {
    return cp == 0xA0 || cp == 0xAD || cp == 0x180E || (cp >= 0x2000 && cp <= 0x200F) ||
           (cp >= 0x2028 && cp <= 0x202F) || (cp >= 0x205F && cp <= 0x206F) || cp == 0x3000 || cp == 0xFEFF ||
           (cp >= 0xFF01 && cp <= 0xFF5E) || cp == 0x2212 || cp == 0x2011;
}

}  // namespace

void check_input_file(const std::string& path, std::size_t max_bytes, std::string_view what) {
    if (path == "-") {
        return;
    }
    struct stat st {};
    if (::stat(path.c_str(), &st) != 0) {
        const int err = errno;
        if (err == ENOENT) {
            throw InputError(path, "no such file (the " + std::string(what) + ")");
        }
        throw InputError(path, "cannot read the " + std::string(what) + ": " + errno_text(err));
    }
    if (!S_ISREG(st.st_mode)) {
        throw InputError(path,
                         "is " + std::string(kind_of(st.st_mode)) + ", not a regular file; the " + std::string(what) +
                             " must be a file" +
                             (S_ISFIFO(st.st_mode) || S_ISCHR(st.st_mode)
                                  ? std::string(" (to read a pipe, give - and redirect it to "
                                                "standard input)")
                                  : std::string()));
    }
    if (static_cast<unsigned long long>(st.st_size) > max_bytes) {
        too_big(path, what, max_bytes);
    }
}

std::string read_input_file(const std::string& path, std::size_t max_bytes, std::string_view what) {
    if (path == "-") {
        return read_fd(0, "standard input", what, max_bytes);
    }
    check_input_file(path, max_bytes, what);
    const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NONBLOCK);
    if (fd < 0) {
        throw InputError(path, "cannot open the " + std::string(what) + ": " + errno_text(errno));
    }
    struct stat st {};
    if (::fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {  // replaced between the check and the open
        ::close(fd);
        throw InputError(path, "is not a regular file; the " + std::string(what) + " must be a file");
    }
    try {
        std::string bytes = read_fd(fd, path, what, max_bytes);
        ::close(fd);
        return bytes;
    } catch (...) {
        ::close(fd);
        throw;
    }
}

std::vector<std::string> read_notes_file(const std::string& path) {
    const std::string bytes = read_input_file(path, input_limits::max_notes_bytes, "notes file");
    std::size_t line = 1;
    for (std::size_t i = 0; i < bytes.size(); ++i) {
        if (bytes[i] == '\n') {
            ++line;
        } else if (bytes[i] == '\0') {
            throw InputError(path, "holds a NUL byte: a binary file, not a text notes file", line);
        }
    }
    std::size_t bad = 0;
    if (!utf8_valid_prefix(bytes, bad)) {
        const auto nl = std::count(bytes.begin(), bytes.begin() + static_cast<std::ptrdiff_t>(bad), '\n');
        throw InputError(path,
                         "is not UTF-8 text (byte offset " + std::to_string(bad) +
                             "); the notes file must be UTF-8 text, one note per line",
                         static_cast<std::size_t>(nl) + 1);
    }
    std::vector<std::string> lines;
    std::size_t start = 0;
    while (start <= bytes.size()) {
        auto end = bytes.find('\n', start);
        if (end == std::string::npos) {
            end = bytes.size();
        }
        std::string l = bytes.substr(start, end - start);
        while (!l.empty() && (l.back() == '\r' || l.back() == ' ')) {
            l.pop_back();
        }
        if (!l.empty()) {
            if (l.size() > input_limits::max_text_bytes) {
                throw InputError(path,
                                 "a note line of " + std::to_string(l.size()) + " bytes is beyond the limit of " +
                                     std::to_string(input_limits::max_text_bytes),
                                 static_cast<std::size_t>(std::count(
                                     bytes.begin(), bytes.begin() + static_cast<std::ptrdiff_t>(start), '\n')) +
                                     1);
            }
            lines.push_back(std::move(l));
        }
        start = end + 1;
    }
    return lines;
}

std::string visible(std::string_view text) {
    std::string out;
    out.reserve(text.size());
    std::size_t i = 0;
    char buf[16];
    while (i < text.size()) {
        const auto c = static_cast<unsigned char>(text[i]);
        if (c < 0x80) {
            if (c == 0) {
                out += "\\0";
            } else if (c == '\t') {
                out += "\\t";
            } else if (c == '\n') {
                out += "\\n";
            } else if (c == '\r') {
                out += "\\r";
            } else if (c < 0x20 || c == 0x7F) {
                std::snprintf(buf, sizeof buf, "\\x%02X", c);
                out += buf;
            } else {
                out += static_cast<char>(c);
            }
            ++i;
            continue;
        }
        std::size_t bad = 0;
        const std::size_t len = (c >= 0xC2 && c <= 0xDF)   ? 2
                                : (c >= 0xE0 && c <= 0xEF) ? 3
                                : (c >= 0xF0 && c <= 0xF4) ? 4
                                                           : 0;
        if (len == 0 || i + len > text.size() || !utf8_valid_prefix(text.substr(i, len), bad)) {
            std::snprintf(buf, sizeof buf, "\\x%02X", c);
            out += buf;
            ++i;
            continue;
        }
        char32_t cp = len == 2 ? (c & 0x1Fu) : len == 3 ? (c & 0x0Fu) : (c & 0x07u);
        for (std::size_t k = 1; k < len; ++k) {
            cp = (cp << 6) | (static_cast<unsigned char>(text[i + k]) & 0x3Fu);
        }
        if (is_invisible_or_lookalike(cp)) {
            std::snprintf(buf, sizeof buf, "\\u%04X", static_cast<unsigned>(cp));
            out += buf;
        } else {
            out.append(text.substr(i, len));
        }
        i += len;
    }
    return out;
}

}  // namespace choro::geo
