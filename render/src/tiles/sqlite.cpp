// The SQLite owner shared by the MBTiles sink, the merge and the PMTiles writer.

#include "tiles/sqlite.hpp"

#include <sqlite3.h>

#include "choro/geo/error.hpp"

namespace choro::render::detail {

void SqliteCloser::operator()(sqlite3* db) const noexcept {
    sqlite3_close_v2(db);  // never leaks: closes once the last statement is finalized
}
void StatementFinalizer::operator()(sqlite3_stmt* s) const noexcept {
    sqlite3_finalize(s);
}

Sqlite::Sqlite(const std::filesystem::path& path, Mode mode) : m_path(path), m_mode(mode) {
    sqlite3* raw = nullptr;
    const int flags = mode == Mode::read_only ? SQLITE_OPEN_READONLY : (SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE);
    const int rc = sqlite3_open_v2(m_path.string().c_str(), &raw, flags | SQLITE_OPEN_NOMUTEX, nullptr);
    m_db.reset(raw);
    if (rc != SQLITE_OK) {
        fail(mode == Mode::read_only ? "cannot open as MBTiles" : "cannot create the database");
    }
}

void Sqlite::fail(const std::string& context) const {
    const std::string msg = m_db ? sqlite3_errmsg(m_db.get()) : "out of memory";
    const std::string what = "SQLite: " + msg + " (" + context + ")";
    if (m_mode == Mode::read_only) {
        throw InputError(m_path.string(), what);
    }
    throw RenderError(m_path.string(), what);
}

void Sqlite::exec(const std::string& sql) {
    char* err = nullptr;
    if (sqlite3_exec(m_db.get(), sql.c_str(), nullptr, nullptr, &err) != SQLITE_OK) {
        const std::string msg = err ? err : "unknown error";
        sqlite3_free(err);
        const std::string what = "SQLite: " + msg + " (in: " + sql.substr(0, 60) + ")";
        if (m_mode == Mode::read_only) {
            throw InputError(m_path.string(), what);
        }
        throw RenderError(m_path.string(), what);
    }
}

Statement Sqlite::prepare(const std::string& sql) {
    sqlite3_stmt* s = nullptr;
    if (sqlite3_prepare_v2(m_db.get(), sql.c_str(), -1, &s, nullptr) != SQLITE_OK) {
        fail("in: " + sql);
    }
    return Statement(*this, s);
}

bool Sqlite::has_table(const std::string& name) {
    auto q = prepare("SELECT 1 FROM sqlite_master WHERE name = ? AND type IN ('table', 'view')");
    q.bind(1, name);
    return q.row();
}

Statement& Statement::bind(int i, std::int64_t v) {
    if (sqlite3_bind_int64(m_stmt.get(), i, v) != SQLITE_OK) {
        m_db->fail("bind");
    }
    return *this;
}

Statement& Statement::bind(int i, std::string_view text) {
    if (sqlite3_bind_text(m_stmt.get(), i, text.data(), static_cast<int>(text.size()), SQLITE_TRANSIENT) != SQLITE_OK) {
        m_db->fail("bind");
    }
    return *this;
}

Statement& Statement::bind_blob(int i, std::string_view bytes) {
    if (sqlite3_bind_blob(m_stmt.get(), i, bytes.data(), static_cast<int>(bytes.size()), SQLITE_STATIC) != SQLITE_OK) {
        m_db->fail("bind");
    }
    return *this;
}

bool Statement::row() {
    const int rc = sqlite3_step(m_stmt.get());
    if (rc == SQLITE_ROW) {
        return true;
    }
    if (rc == SQLITE_DONE) {
        return false;
    }
    m_db->fail(std::string("in: ") + sqlite3_sql(m_stmt.get()));
}

void Statement::run() {
    while (row()) {
    }
    reset();
}

void Statement::reset() noexcept {
    sqlite3_reset(m_stmt.get());
}

std::int64_t Statement::integer(int col) const noexcept {
    return sqlite3_column_int64(m_stmt.get(), col);
}

std::string Statement::text(int col) const {
    const auto* t = sqlite3_column_text(m_stmt.get(), col);
    return t ? std::string(reinterpret_cast<const char*>(t),
                           static_cast<std::size_t>(sqlite3_column_bytes(m_stmt.get(), col)))
             : std::string();
}

std::string_view Statement::blob(int col) const noexcept {
    const auto* data = static_cast<const char*>(sqlite3_column_blob(m_stmt.get(), col));
    const auto n = static_cast<std::size_t>(sqlite3_column_bytes(m_stmt.get(), col));
    return data ? std::string_view(data, n) : std::string_view();
}

}  // namespace choro::render::detail
