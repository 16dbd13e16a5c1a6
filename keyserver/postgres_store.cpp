// The PostgreSQL engine of the keyserver store (postgres_store.h).
//
// Tables (made by the migrations below; pgpkit_schema records the version): pgpkit_certs
// holds each certificate's keyblock, merged; pgpkit_keys, pgpkit_uids and pgpkit_words
// index it by key fingerprint, key ID and short key ID (of primary keys and subkeys), by
// e-mail address, and by the words of its user IDs. Key IDs are columns of their own rather
// than Hockeypuck's reversed-fingerprint prefix: a v6 key ID is the fingerprint's first
// eight octets, not its last. Everything is bytea: user IDs need not be UTF-8.
#include "keyserver/postgres_store.h"

#include <algorithm>
#include <array>
#include <ctime>
#include <mutex>
#include <optional>
#include <set>

#include "base/error.h"
#include "cert/cert.h"
#include "keyring/merge.h"
#include "keyring/spec.h"
#include "keyserver/internal/pg.h"
#include "keyserver/store_common.h"

namespace pgpkit::keyserver {

namespace {

// Migration i takes the schema from version i to i + 1 (version 0: an empty database).
// A server runs the missing ones at start, in one transaction under an advisory lock held
// to its commit, so servers starting together migrate once and then see the tables (a
// session lock released before the commit would let a second one create them again).
constexpr std::array<const char*, 1> kMigrations{R"sql(
CREATE TABLE IF NOT EXISTS pgpkit_certs (
    id bigserial PRIMARY KEY,
    fpr bytea NOT NULL UNIQUE,
    keyblock bytea NOT NULL,
    updated bigint NOT NULL);
CREATE TABLE IF NOT EXISTS pgpkit_keys (
    cert bigint NOT NULL REFERENCES pgpkit_certs(id) ON DELETE CASCADE,
    fpr bytea NOT NULL,
    keyid bytea NOT NULL,
    short_id bytea NOT NULL);
CREATE INDEX IF NOT EXISTS pgpkit_keys_fpr ON pgpkit_keys(fpr);
CREATE INDEX IF NOT EXISTS pgpkit_keys_keyid ON pgpkit_keys(keyid);
CREATE INDEX IF NOT EXISTS pgpkit_keys_short ON pgpkit_keys(short_id);
CREATE INDEX IF NOT EXISTS pgpkit_keys_cert ON pgpkit_keys(cert);
CREATE TABLE IF NOT EXISTS pgpkit_uids (
    cert bigint NOT NULL REFERENCES pgpkit_certs(id) ON DELETE CASCADE,
    email bytea NOT NULL);
CREATE INDEX IF NOT EXISTS pgpkit_uids_email ON pgpkit_uids(email);
CREATE INDEX IF NOT EXISTS pgpkit_uids_cert ON pgpkit_uids(cert);
CREATE TABLE IF NOT EXISTS pgpkit_words (
    cert bigint NOT NULL REFERENCES pgpkit_certs(id) ON DELETE CASCADE,
    word bytea NOT NULL,
    PRIMARY KEY (word, cert));
CREATE INDEX IF NOT EXISTS pgpkit_words_cert ON pgpkit_words(cert);
)sql"};

void migrate(pg::Connection& c) {
    pg::Transaction tx(c);
    c.run("SELECT pg_advisory_xact_lock(7142001)");
    c.run("CREATE TABLE IF NOT EXISTS pgpkit_schema (version integer NOT NULL)");
    const pg::Result r = c.query("SELECT version::bigint FROM pgpkit_schema");
    const std::int64_t have = r.rows() > 0 ? r.int8(0, 0) : 0;
    const auto newest = static_cast<std::int64_t>(kMigrations.size());
    if (have > newest)
        throw Error(Errc::BadField, 0, "postgresql: the database's pgpkit schema is version " + std::to_string(have) +
                                           ", newer than this pgpkit's (" + std::to_string(newest) + ")");
    for (std::int64_t v = have; v < newest; ++v) c.run(kMigrations[static_cast<std::size_t>(v)]);
    if (r.rows() == 0) c.query("INSERT INTO pgpkit_schema(version) VALUES ($1)", {std::to_string(newest)});
    else c.query("UPDATE pgpkit_schema SET version = $1", {std::to_string(newest)});
    tx.commit();
}

Bytes bytes_of(std::string_view s) { return Bytes(s.begin(), s.end()); }

/** The advisory lock of a certificate: its fingerprint's first eight octets as a bigint. */
std::string lock_key(ByteView fpr) {
    std::uint64_t v = 0;
    for (std::size_t i = 0; i < 8 && i < fpr.size(); ++i) v = (v << 8) | fpr[i];
    return std::to_string(static_cast<std::int64_t>(v));
}

/** "INSERT INTO table(cert, col) VALUES ($1,$2),($1,$3),..." for the values. */
void insert_rows(pg::Connection& c, const char* table, const char* col, const std::string& cert,
                 const std::set<std::string>& values) {
    if (values.empty()) return;
    std::string sql = std::string("INSERT INTO ") + table + "(cert, " + col + ") VALUES ";
    std::vector<pg::Param> params{cert};
    for (const std::string& v : values) {
        sql += (params.size() > 1 ? ",($1,$" : "($1,$") + std::to_string(params.size() + 1) + ")";
        params.emplace_back(bytes_of(v));
    }
    c.query(sql, params);
}

void insert_keys(pg::Connection& c, const std::string& cert, const cert::Cert& crt) {
    std::vector<const packet::Key*> keys{&crt.key()};
    for (const auto& comp : crt.components)
        if (comp.kind == cert::ComponentKind::Subkey && comp.key()) keys.push_back(comp.key());
    for (const packet::Key* k : keys) {
        const Bytes id(k->keyid.begin(), k->keyid.end());
        c.query("INSERT INTO pgpkit_keys(cert, fpr, keyid, short_id) VALUES ($1, $2, $3, $4)",
                {cert, k->fingerprint, id, Bytes(id.end() - 4, id.end())});
    }
}

/** Replaces the index rows of certificate `cert` (its id) with those of `crt`. */
void index_cert(pg::Connection& c, const std::string& cert, const cert::Cert& crt) {
    for (const char* table : {"pgpkit_keys", "pgpkit_uids", "pgpkit_words"})
        c.query(std::string("DELETE FROM ") + table + " WHERE cert = $1", {cert});
    insert_keys(c, cert, crt);
    std::set<std::string> emails, words;
    for (const auto* comp : crt.of_kind(cert::ComponentKind::UserId)) {
        const Bytes id = comp->id_bytes();
        const std::string uid(id.begin(), id.end());
        if (const std::string e = keyring::email_of(uid); !e.empty()) emails.insert(e);
        for (std::string& w : search_words(uid)) words.insert(std::move(w));
    }
    insert_rows(c, "pgpkit_uids", "email", cert, emails);
    insert_rows(c, "pgpkit_words", "word", cert, words);
}

AddStatus status_of(keyring::ImportOutcome o) {
    switch (o) {
    case keyring::ImportOutcome::New: return AddStatus::Inserted;
    case keyring::ImportOutcome::Updated: return AddStatus::Updated;
    case keyring::ImportOutcome::Unchanged: return AddStatus::Unchanged;
    default: return AddStatus::Rejected;
    }
}

std::string reason_of(const keyring::ImportResult& r) {
    std::string why;
    for (const auto& l : r.log) why += (why.empty() ? "" : "; ") + l;
    if (why.empty() && r.problem != keyring::Problem::None) why = keyring::problem_text(r.problem);
    return why.empty() ? "not a valid certificate" : why;
}

}  // namespace

struct PostgresStore::Impl {
    std::string uri;
    UploadLimits limits;
    std::mutex pool_mutex;
    std::vector<std::unique_ptr<pg::Connection>> pool;

    /** A connection of the pool for the time of one call (a libpq connection is one per thread). */
    class Lease {
    public:
        explicit Lease(Impl& impl) : m_impl(impl) {
            {
                std::lock_guard lock(impl.pool_mutex);
                if (!impl.pool.empty()) {
                    m_conn = std::move(impl.pool.back());
                    impl.pool.pop_back();
                }
            }
            if (!m_conn || !m_conn->ok()) m_conn = std::make_unique<pg::Connection>(impl.uri);
        }
        ~Lease() {
            if (!m_conn->ok()) return;  // a server gone away: the next lease connects anew
            std::lock_guard lock(m_impl.pool_mutex);
            m_impl.pool.push_back(std::move(m_conn));
        }
        Lease(const Lease&) = delete;
        Lease& operator=(const Lease&) = delete;
        pg::Connection& operator*() { return *m_conn; }
        pg::Connection* operator->() { return m_conn.get(); }

    private:
        Impl& m_impl;
        std::unique_ptr<pg::Connection> m_conn;
    };

    AddCertResult merge_one(pg::Connection& c, const cert::Cert& in, std::int64_t now);
    std::vector<FoundCert> found(pg::Connection& c, const std::string& where, std::vector<pg::Param> params,
                                 std::size_t limit);
};

PostgresStore::PostgresStore(const std::string& uri, UploadLimits limits) : m_impl(std::make_unique<Impl>()) {
    m_impl->uri = uri;
    m_impl->limits = limits;
    Impl::Lease conn(*m_impl);
    migrate(*conn);
}

PostgresStore::~PostgresStore() = default;

AddCertResult PostgresStore::Impl::merge_one(pg::Connection& c, const cert::Cert& in, std::int64_t now) {
    AddCertResult out;
    out.fingerprint = in.fingerprint();
    c.query("SELECT pg_advisory_xact_lock($1::bigint)", {lock_key(in.fingerprint())});
    const pg::Result row = c.query("SELECT id, keyblock FROM pgpkit_certs WHERE fpr = $1", {in.fingerprint()});
    std::optional<cert::Cert> stored;
    if (row.rows() > 0) stored = cert::read_all_certs(row.bytes(0, 1)).at(0);
    keyring::ImportOptions io;
    io.max_sigs_per_component = limits.max_sigs_per_component;
    io.max_keyblock_bytes = limits.max_keyblock_bytes;
    cert::VerifierCache cache;
    cert::CheckContext ctx;
    ctx.cache = &cache;
    keyring::ImportResult r =
        keyring::import_cert(in, stored ? &*stored : nullptr, io, ctx, static_cast<std::uint32_t>(now));
    out.status = status_of(r.outcome);
    if (out.status == AddStatus::Rejected) {
        out.reason = reason_of(r);
        return out;
    }
    cert::Cert result = r.store ? std::move(r.cert) : *stored;
    for (const packet::Packet& rev : r.other_revocations)
        if (keyring::attach_revocation(&result, rev, ctx).outcome == keyring::RevocationOutcome::Imported) {
            r.store = true;
            if (out.status == AddStatus::Unchanged) out.status = AddStatus::Updated;
        }
    if (!r.store) return out;
    const Bytes keyblock = cert::write_cert(result);
    std::string id;
    if (row.rows() > 0) {
        id = std::to_string(row.int8(0, 0));
        c.query("UPDATE pgpkit_certs SET keyblock = $2, updated = $3 WHERE id = $1",
                {id, keyblock, std::to_string(now)});
    } else {
        id = std::to_string(c.query("INSERT INTO pgpkit_certs(fpr, keyblock, updated) VALUES ($1, $2, $3) RETURNING id",
                                    {in.fingerprint(), keyblock, std::to_string(now)})
                                .int8(0, 0));
    }
    index_cert(c, id, result);
    return out;
}

AddResult PostgresStore::add(ByteView keytext) {
    std::vector<cert::Cert> certs;
    if (auto refused = read_upload(keytext, m_impl->limits, certs)) return std::move(*refused);
    // Locks are taken in fingerprint order, so two uploads of the same keys never deadlock.
    std::vector<std::pair<std::string, std::size_t>> order;
    for (std::size_t i = 0; i < certs.size(); ++i) order.emplace_back(to_hex(certs[i].fingerprint()), i);
    std::stable_sort(order.begin(), order.end());
    AddResult out;
    out.certs.resize(certs.size());
    const auto now = static_cast<std::int64_t>(std::time(nullptr));
    Impl::Lease conn(*m_impl);
    pg::Transaction tx(*conn);
    for (const auto& [fpr, i] : order) out.certs[i] = m_impl->merge_one(*conn, certs[i], now);
    tx.commit();
    return out;
}

std::vector<FoundCert> PostgresStore::Impl::found(pg::Connection& c, const std::string& where,
                                                  std::vector<pg::Param> params, std::size_t limit) {
    params.emplace_back(std::to_string(limit));
    const pg::Result r = c.query("SELECT fpr, keyblock FROM pgpkit_certs WHERE id IN (" + where +
                                     ") ORDER BY id LIMIT $" + std::to_string(params.size()),
                                 params);
    std::vector<FoundCert> out;
    for (int i = 0; i < r.rows(); ++i) {
        const ByteView f = r.bytes(i, 0), k = r.bytes(i, 1);
        out.push_back(FoundCert{Bytes(f.begin(), f.end()), Bytes(k.begin(), k.end())});
    }
    return out;
}

std::vector<FoundCert> PostgresStore::lookup(const Search& search, const LookupOptions& opt) {
    Impl::Lease conn(*m_impl);
    switch (search.kind) {
    case SearchKind::KeyId:
        return m_impl->found(*conn,
                             search.id.size() == 4 ? "SELECT cert FROM pgpkit_keys WHERE short_id = $1"
                                                   : "SELECT cert FROM pgpkit_keys WHERE keyid = $1",
                             {search.id}, opt.max_results);
    case SearchKind::Fingerprint:
        return m_impl->found(*conn, "SELECT cert FROM pgpkit_keys WHERE fpr = $1", {search.id}, opt.max_results);
    case SearchKind::Email:
        return m_impl->found(*conn, "SELECT cert FROM pgpkit_uids WHERE email = $1", {bytes_of(search.text)},
                             opt.max_results);
    case SearchKind::Words: break;
    }
    if (search.words.empty()) return {};
    std::string in;
    std::vector<pg::Param> params;
    for (const std::string& w : search.words) {
        params.emplace_back(bytes_of(w));
        in += (in.empty() ? "$" : ",$") + std::to_string(params.size());
    }
    const std::string where = "SELECT cert FROM pgpkit_words WHERE word IN (" + in +
                              ") GROUP BY cert HAVING count(*) = " + std::to_string(search.words.size());
    if (!opt.exact) return m_impl->found(*conn, where, params, opt.max_results);
    // A phrase: the words narrow it down, the user IDs decide.
    std::vector<FoundCert> out;
    for (auto& f : m_impl->found(*conn, where, params, opt.max_results * 8))
        if (out.size() < opt.max_results && words_match(f.keyblock, search, true)) out.push_back(std::move(f));
    return out;
}

bool PostgresStore::erase(ByteView fingerprint) {
    Impl::Lease conn(*m_impl);
    const Bytes fpr(fingerprint.begin(), fingerprint.end());
    return conn->query("DELETE FROM pgpkit_certs WHERE fpr = $1 RETURNING id", {fpr}).rows() > 0;
}

StoreStats PostgresStore::stats() {
    Impl::Lease conn(*m_impl);
    const pg::Result r = conn->query("SELECT count(*), coalesce(max(updated), 0)::bigint FROM pgpkit_certs");
    StoreStats s;
    s.certs = static_cast<std::uint64_t>(r.int8(0, 0));
    s.last_update = r.int8(0, 1);
    return s;
}

}  // namespace pgpkit::keyserver
