#pragma once

#include <cstdint>
#include <stdexcept>
#include <string>

/// @file
/// The one exception hierarchy of choro. Every module throws these; only cli/ catches them and
/// turns them into a message line and an exit code (see docs in README "Exit codes").
///
/// Messages read `path:line:col: what was wrong, what was expected` so editors can jump to the
/// spot; the parts that are known are also kept in fields.

/// Configuration macro for broken invariants (our bugs, not bad input). Tests may define
/// CHORO_ASSERT before including any choro header to make it throw.
#ifndef CHORO_ASSERT
#include <cassert>
#define CHORO_ASSERT(x) assert(x)
#endif

namespace choro {

/// Base of every error choro throws on purpose.
class Error : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

/// Bad input data: a file that is missing, unreadable or not what was expected.
/// `path` names the file; `line` (1-based, 0 when unknown), `column` and `feature` narrow it down.
class InputError : public Error {
public:
    InputError(
        std::string path, std::string what, std::size_t line = 0, std::string column = {}, std::string feature = {});
    const std::string& path() const noexcept { return m_path; }
    std::size_t line() const noexcept { return m_line; }
    const std::string& column() const noexcept { return m_column; }
    const std::string& feature() const noexcept { return m_feature; }
    const std::string& reason() const noexcept { return m_reason; }

private:
    std::string m_path;
    std::size_t m_line;
    std::string m_column;
    std::string m_feature;
    std::string m_reason;
};

/// A job or style file (or the equivalent flags) that is wrong: unknown key, wrong type, bad value.
class JobError : public Error {
public:
    JobError(std::string path, std::size_t line, std::size_t column, const std::string& what);
    const std::string& path() const noexcept { return m_path; }
    std::size_t line() const noexcept { return m_line; }
    std::size_t column() const noexcept { return m_column; }

private:
    std::string m_path;
    std::size_t m_line;
    std::size_t m_column;
};

/// A CRS that PROJ cannot build or a transformation that fails; carries PROJ's own code.
class ProjectionError : public Error {
public:
    ProjectionError(std::string crs, int proj_code, const std::string& what);
    const std::string& crs() const noexcept { return m_crs; }
    int proj_code() const noexcept { return m_code; }

private:
    std::string m_crs;
    int m_code;
};

/// Drawing or writing an output failed (Cairo status, disk full, rename failed...).
class RenderError : public Error {
public:
    RenderError(std::string path, const std::string& what);
    const std::string& path() const noexcept { return m_path; }

private:
    std::string m_path;
};

/// A command-line flag whose value makes no sense (zero classes, a NaN box, a malformed zoom
/// range). The message names the flag and what it accepts. Exit code 2, like any other usage error.
class UsageError : public Error {
public:
    using Error::Error;
};

/// A request that would make choro allocate or work without bound (huge map, zoom 30...).
class LimitError : public Error {
public:
    using Error::Error;
};

}  // namespace choro
