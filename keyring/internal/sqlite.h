#pragma once
// A thin RAII layer over SQLite for keyring/ (internal: public headers name no SQLite type).
// Every failure becomes pgpkit::Error(Errc::Io) naming the database and SQLite's message.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "base/bytes.h"

struct sqlite3;
struct sqlite3_stmt;

namespace pgpkit::keyring::sql {

class Db;

/** A prepared statement; bind parameters are 1-based, columns 0-based. */
class Stmt {
public:
    Stmt(Db& db, std::string_view sql);
    ~Stmt();
    Stmt(const Stmt&) = delete;
    Stmt& operator=(const Stmt&) = delete;

    Stmt& bind(int i, std::int64_t v);
    Stmt& bind(int i, ByteView v);
    Stmt& bind(int i, std::string_view v);
    Stmt& bind_null(int i);
    /** Steps once: true if a row is available. */
    bool step();
    /** Steps to completion (statements without result rows). */
    void run();
    void reset();

    std::int64_t int64(int col) const;
    Bytes blob(int col) const;
    ByteView blob_view(int col) const;  ///< valid until the next step or reset
    std::string text(int col) const;
    bool is_null(int col) const;

private:
    Db& m_db;
    sqlite3_stmt* m_stmt = nullptr;
};

/** An open database connection. */
class Db {
public:
    /** Opens (creating if `create`) the database at `path`. */
    Db(const std::string& path, bool create);
    ~Db();
    Db(const Db&) = delete;
    Db& operator=(const Db&) = delete;

    void exec(std::string_view sql);
    std::int64_t last_insert_rowid() const;
    int changes() const;
    const std::string& path() const noexcept { return m_path; }
    sqlite3* raw() noexcept { return m_db; }

    /** Throws Error(Io) with SQLite's message for a result code that is not OK. */
    [[noreturn]] void fail(int rc, std::string_view what) const;

private:
    sqlite3* m_db = nullptr;
    std::string m_path;
};

/**
 * A write transaction taken with BEGIN IMMEDIATE (so two writers queue on the busy
 * timeout instead of failing at commit); rolled back unless commit() was called.
 */
class Transaction {
public:
    explicit Transaction(Db& db);
    ~Transaction();
    Transaction(const Transaction&) = delete;
    Transaction& operator=(const Transaction&) = delete;
    void commit();

private:
    Db& m_db;
    bool m_done = false;
};

}  // namespace pgpkit::keyring::sql
