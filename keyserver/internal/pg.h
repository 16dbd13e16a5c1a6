#pragma once
// A thin RAII layer over libpq for the PostgreSQL engine of the keyserver store
// (postgres_store.cpp): connections, parameterised statements with binary bytea
// parameters and binary results, transactions. Errors are pgpkit::Error(Errc::Io) with
// the server's message.

#include <libpq-fe.h>

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "base/bytes.h"

namespace pgpkit::keyserver::pg {

/** A statement parameter: text (sent as text) or octets (sent as binary, for bytea). */
using Param = std::variant<std::string, Bytes>;

/** One query's rows; values are in binary format (bytea as octets, int8 big-endian). */
class Result {
public:
    explicit Result(PGresult* r) noexcept : m_r(r) {}
    int rows() const noexcept { return PQntuples(m_r.get()); }
    bool null(int row, int col) const noexcept { return PQgetisnull(m_r.get(), row, col) != 0; }
    ByteView bytes(int row, int col) const noexcept;
    std::string text(int row, int col) const;
    /** An int8 (bigint) column. */
    std::int64_t int8(int row, int col) const noexcept;

private:
    struct Free {
        void operator()(PGresult* r) const noexcept { PQclear(r); }
    };
    std::unique_ptr<PGresult, Free> m_r;
};

class Connection {
public:
    /** @throws Error(Errc::Io) if the server cannot be reached or refuses. */
    explicit Connection(const std::string& uri);
    /** Runs `sql` (several statements allowed, no parameters). */
    void run(const std::string& sql);
    /** Runs one statement with parameters $1..$n. */
    Result query(const std::string& sql, const std::vector<Param>& params = {});
    /** False once the server has gone away (the pool drops such connections). */
    bool ok() const noexcept { return PQstatus(m_c.get()) == CONNECTION_OK; }

private:
    struct Free {
        void operator()(PGconn* c) const noexcept { PQfinish(c); }
    };
    std::unique_ptr<PGconn, Free> m_c;
};

/** BEGIN on construction, ROLLBACK unless commit() was called. */
class Transaction {
public:
    explicit Transaction(Connection& c);
    ~Transaction();
    Transaction(const Transaction&) = delete;
    Transaction& operator=(const Transaction&) = delete;
    void commit();

private:
    Connection& m_c;
    bool m_done = false;
};

}  // namespace pgpkit::keyserver::pg
