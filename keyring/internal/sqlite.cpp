#include "keyring/internal/sqlite.h"

#include <sqlite3.h>

#include "base/error.h"

namespace pgpkit::keyring::sql {

Db::Db(const std::string& path, bool create) : m_path(path) {
    const int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX | (create ? SQLITE_OPEN_CREATE : 0);
    const int rc = sqlite3_open_v2(path.c_str(), &m_db, flags, nullptr);
    if (rc != SQLITE_OK) {
        std::string msg = m_db ? sqlite3_errmsg(m_db) : sqlite3_errstr(rc);
        sqlite3_close(m_db);
        m_db = nullptr;
        throw Error(Errc::Io, 0, path + ": cannot open: " + msg);
    }
    sqlite3_extended_result_codes(m_db, 1);
}

Db::~Db() { sqlite3_close(m_db); }

void Db::fail(int rc, std::string_view what) const {
    const char* msg = m_db ? sqlite3_errmsg(m_db) : sqlite3_errstr(rc);
    throw Error(Errc::Io, 0, m_path + ": " + std::string(what) + ": " + msg);
}

void Db::exec(std::string_view sql) {
    char* err = nullptr;
    const int rc = sqlite3_exec(m_db, std::string(sql).c_str(), nullptr, nullptr, &err);
    if (rc != SQLITE_OK) {
        std::string msg = err ? err : sqlite3_errstr(rc);
        sqlite3_free(err);
        throw Error(Errc::Io, 0, m_path + ": " + msg);
    }
}

std::int64_t Db::last_insert_rowid() const { return sqlite3_last_insert_rowid(m_db); }
int Db::changes() const { return sqlite3_changes(m_db); }

Stmt::Stmt(Db& db, std::string_view sql) : m_db(db) {
    const int rc = sqlite3_prepare_v2(db.raw(), sql.data(), static_cast<int>(sql.size()), &m_stmt, nullptr);
    if (rc != SQLITE_OK) db.fail(rc, "cannot prepare a statement");
}

Stmt::~Stmt() { sqlite3_finalize(m_stmt); }

Stmt& Stmt::bind(int i, std::int64_t v) {
    const int rc = sqlite3_bind_int64(m_stmt, i, v);
    if (rc != SQLITE_OK) m_db.fail(rc, "bind");
    return *this;
}

Stmt& Stmt::bind(int i, ByteView v) {
    // A zero-length blob must not bind as NULL: SQLite takes a null pointer for NULL.
    static const std::uint8_t empty = 0;
    const void* p = v.empty() ? &empty : v.data();
    const int rc = sqlite3_bind_blob64(m_stmt, i, p, v.size(), SQLITE_TRANSIENT);
    if (rc != SQLITE_OK) m_db.fail(rc, "bind");
    return *this;
}

Stmt& Stmt::bind(int i, std::string_view v) {
    const int rc = sqlite3_bind_text64(m_stmt, i, v.empty() ? "" : v.data(), v.size(), SQLITE_TRANSIENT,
                                       SQLITE_UTF8);
    if (rc != SQLITE_OK) m_db.fail(rc, "bind");
    return *this;
}

Stmt& Stmt::bind_null(int i) {
    const int rc = sqlite3_bind_null(m_stmt, i);
    if (rc != SQLITE_OK) m_db.fail(rc, "bind");
    return *this;
}

bool Stmt::step() {
    const int rc = sqlite3_step(m_stmt);
    if (rc == SQLITE_ROW) return true;
    if (rc == SQLITE_DONE) return false;
    m_db.fail(rc, "query");
}

void Stmt::run() {
    while (step()) {
    }
    reset();
}

void Stmt::reset() {
    sqlite3_reset(m_stmt);
    sqlite3_clear_bindings(m_stmt);
}

std::int64_t Stmt::int64(int col) const { return sqlite3_column_int64(m_stmt, col); }

ByteView Stmt::blob_view(int col) const {
    const void* p = sqlite3_column_blob(m_stmt, col);
    const int n = sqlite3_column_bytes(m_stmt, col);
    if (!p || n <= 0) return {};
    return ByteView(static_cast<const std::uint8_t*>(p), static_cast<std::size_t>(n));
}

Bytes Stmt::blob(int col) const {
    ByteView v = blob_view(col);
    return Bytes(v.begin(), v.end());
}

std::string Stmt::text(int col) const {
    const unsigned char* p = sqlite3_column_text(m_stmt, col);
    const int n = sqlite3_column_bytes(m_stmt, col);
    return p ? std::string(reinterpret_cast<const char*>(p), static_cast<std::size_t>(n)) : std::string();
}

bool Stmt::is_null(int col) const { return sqlite3_column_type(m_stmt, col) == SQLITE_NULL; }

Transaction::Transaction(Db& db) : m_db(db) { m_db.exec("BEGIN IMMEDIATE"); }

Transaction::~Transaction() {
    if (!m_done) sqlite3_exec(m_db.raw(), "ROLLBACK", nullptr, nullptr, nullptr);
}

void Transaction::commit() {
    m_db.exec("COMMIT");
    m_done = true;
}

}  // namespace pgpkit::keyring::sql
