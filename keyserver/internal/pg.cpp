// libpq wrappers (internal/pg.h).
#include "keyserver/internal/pg.h"

#include "base/error.h"

namespace pgpkit::keyserver::pg {

namespace {

/** The first line of libpq's message (it ends in a newline and may add DETAIL lines). */
std::string first_line(const char* msg) {
    std::string s = msg ? msg : "";
    const auto nl = s.find('\n');
    return nl == std::string::npos ? s : s.substr(0, nl);
}

/** `raw` as a Result, or the server's error. */
Result checked(PGresult* raw, PGconn* c) {
    Result r(raw);
    const auto st = raw ? PQresultStatus(raw) : PGRES_FATAL_ERROR;
    if (st != PGRES_COMMAND_OK && st != PGRES_TUPLES_OK)
        throw Error(Errc::Io, 0, "postgresql: " + first_line(raw ? PQresultErrorMessage(raw) : PQerrorMessage(c)));
    return r;
}

}  // namespace

ByteView Result::bytes(int row, int col) const noexcept {
    const auto* p = reinterpret_cast<const std::uint8_t*>(PQgetvalue(m_r.get(), row, col));
    return ByteView(p, static_cast<std::size_t>(PQgetlength(m_r.get(), row, col)));
}

std::string Result::text(int row, int col) const {
    const ByteView b = bytes(row, col);
    return std::string(b.begin(), b.end());
}

std::int64_t Result::int8(int row, int col) const noexcept {
    const ByteView b = bytes(row, col);
    std::uint64_t v = 0;
    for (std::size_t i = 0; i < b.size() && i < 8; ++i) v = (v << 8) | b[i];
    return static_cast<std::int64_t>(v);
}

Connection::Connection(const std::string& uri) : m_c(PQconnectdb(uri.c_str())) {
    if (!m_c) throw Error(Errc::Io, 0, "postgresql: out of memory connecting");
    if (PQstatus(m_c.get()) != CONNECTION_OK)
        throw Error(Errc::Io, 0, "postgresql: cannot connect: " + first_line(PQerrorMessage(m_c.get())));
    // Notices (such as "relation already exists, skipping") are not ours to print.
    PQsetNoticeProcessor(m_c.get(), [](void*, const char*) {}, nullptr);
}

void Connection::run(const std::string& sql) {
    (void)checked(PQexec(m_c.get(), sql.c_str()), m_c.get());
}

Result Connection::query(const std::string& sql, const std::vector<Param>& params) {
    std::vector<const char*> values;
    std::vector<int> lengths, formats;
    for (const Param& p : params) {
        if (const auto* s = std::get_if<std::string>(&p)) {
            values.push_back(s->c_str());
            lengths.push_back(0);
            formats.push_back(0);
        } else {
            const Bytes& b = std::get<Bytes>(p);
            values.push_back(reinterpret_cast<const char*>(b.data()));
            lengths.push_back(static_cast<int>(b.size()));
            formats.push_back(1);
        }
    }
    return checked(PQexecParams(m_c.get(), sql.c_str(), static_cast<int>(params.size()), nullptr, values.data(),
                                lengths.data(), formats.data(), 1),
                   m_c.get());
}

Transaction::Transaction(Connection& c) : m_c(c) { m_c.run("BEGIN"); }

Transaction::~Transaction() {
    if (m_done) return;
    try {
        m_c.run("ROLLBACK");
    } catch (const Error&) {
        // The connection is gone; the server has rolled back already.
    }
}

void Transaction::commit() {
    m_c.run("COMMIT");
    m_done = true;
}

}  // namespace pgpkit::keyserver::pg
