#pragma once

#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>
#include <string_view>

struct sqlite3;
struct sqlite3_stmt;

/// @file
/// The one SQLite owner of the tile outputs (MBTiles writing, reading parts, the PMTiles
/// conversion): a connection and its prepared statements, each an RAII handle whose errors
/// become exceptions naming the file.

namespace choro::render::detail {

struct SqliteCloser {
    void operator()(sqlite3* db) const noexcept;
};
struct StatementFinalizer {
    void operator()(sqlite3_stmt* s) const noexcept;
};

class Sqlite;

/// A prepared statement of one connection. Bind by 1-based index, step, read by 0-based column.
/// Borrows its connection, which must outlive it.
class Statement {
public:
    Statement(Sqlite& db, sqlite3_stmt* s) noexcept : m_db(&db), m_stmt(s) {}

    Statement& bind(int i, std::int64_t v);
    Statement& bind(int i, std::string_view text);
    /// Binds bytes as a BLOB without copying: they must live until the next step().
    Statement& bind_blob(int i, std::string_view bytes);

    /// Steps once: true with a row ready, false when done. Throws on an error.
    [[nodiscard]] bool row();
    /// Steps a statement that returns no row to its end, then resets it for the next use.
    void run();
    /// Resets it for the next use (bindings kept until rebound).
    void reset() noexcept;

    [[nodiscard]] std::int64_t integer(int col) const noexcept;
    [[nodiscard]] std::string text(int col) const;
    /// The bytes of a BLOB column, valid until the next step or reset.
    [[nodiscard]] std::string_view blob(int col) const noexcept;

private:
    Sqlite* m_db;
    std::unique_ptr<sqlite3_stmt, StatementFinalizer> m_stmt;
};

/// One SQLite connection. `read_only` opens an existing file (InputError when it cannot: it is
/// somebody's input); otherwise the file is created (RenderError: it is our output).
class Sqlite {
public:
    enum class Mode { read_only, create };
    Sqlite(const std::filesystem::path& path, Mode mode);

    /// Runs one or more statements with no result. Throws (see the constructor) naming the file.
    void exec(const std::string& sql);
    /// Prepares one statement. Throws naming the file and the SQL.
    [[nodiscard]] Statement prepare(const std::string& sql);
    /// True when the database has a table or view of that name.
    [[nodiscard]] bool has_table(const std::string& name);
    /// Closes the connection (statements must be gone); later calls are invalid.
    void close() noexcept { m_db.reset(); }

    [[nodiscard]] const std::filesystem::path& path() const noexcept { return m_path; }
    [[nodiscard]] sqlite3* handle() const noexcept { return m_db.get(); }
    /// Throws the error class of this connection's mode: "SQLite: <message> (<context>)".
    [[noreturn]] void fail(const std::string& context) const;

private:
    std::filesystem::path m_path;
    Mode m_mode;
    std::unique_ptr<sqlite3, SqliteCloser> m_db;
};

}  // namespace choro::render::detail
