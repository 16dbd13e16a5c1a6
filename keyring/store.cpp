#include "keyring/store.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <bit>
#include <cstring>
#include <ctime>
#include <unordered_map>

#include "base/error.h"
#include "cert/secret_key.h"
#include "keygen/keygrip.h"
#include "keyring/internal/schema.h"
#include "keyring/internal/sqlite.h"
#include "packet/names.h"

namespace pgpkit::keyring {

namespace {

std::int64_t keyid_value(const std::array<std::uint8_t, 8>& id) {
    std::uint64_t v = 0;
    for (auto b : id) v = (v << 8) | b;
    return std::bit_cast<std::int64_t>(v);
}

std::int64_t short_value(ByteView id) {
    std::uint64_t v = 0;
    for (auto b : id.last(4)) v = (v << 8) | b;
    return static_cast<std::int64_t>(v);
}

/** Refuses a file that exists and is not an SQLite database, before SQLite touches it. */
void check_header(const std::string& path) {
    const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) return;
    char head[16] = {};
    const ssize_t n = ::read(fd, head, sizeof head);
    ::close(fd);
    if (n == 0) return;  // an empty file is an empty database
    if (n != 16 || std::memcmp(head, "SQLite format 3", 16) != 0)
        throw Error(Errc::BadField, 0, path + ": not a pgpkit store (not an SQLite database); left as it is");
}

void create_private(const std::string& path) {
    const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
    if (fd >= 0) {
        ::close(fd);
    } else if (errno != EEXIST) {
        throw Error(Errc::Io, 0, path + ": cannot create: " + std::strerror(errno));
    }
}

std::int64_t pragma_int(sql::Db& db, const char* name) {
    sql::Stmt s(db, std::string("PRAGMA ") + name);
    return s.step() ? s.int64(0) : 0;
}

}  // namespace

SecretLevel secret_level(const cert::Component& comp) noexcept {
    const packet::Key* k = comp.key();
    const packet::Tag tag = comp.head.tag();
    if (!k || (tag != packet::Tag::SecretKey && tag != packet::Tag::SecretSubkey)) return SecretLevel::None;
    if (k->secret && k->secret->s2k && k->secret->s2k->is_gnu()) {
        const auto mode = static_cast<packet::GnuS2kMode>(k->secret->s2k->gnu_mode);
        if (mode == packet::GnuS2kMode::Dummy) return SecretLevel::Stub;
        if (mode == packet::GnuS2kMode::DivertToCard) return SecretLevel::Card;
    }
    return SecretLevel::Present;
}

/** A statement of Store's cache, reset (its bindings cleared, its read lock released) when it goes. */
class CachedStmt {
public:
    explicit CachedStmt(sql::Stmt& s) : m_stmt(s) {}
    ~CachedStmt() { m_stmt.reset(); }
    CachedStmt(const CachedStmt&) = delete;
    CachedStmt& operator=(const CachedStmt&) = delete;
    sql::Stmt* operator->() noexcept { return &m_stmt; }
    sql::Stmt& operator*() noexcept { return m_stmt; }

private:
    sql::Stmt& m_stmt;
};

struct Store::Impl {
    explicit Impl(const std::string& path) : db(path, true) {}
    sql::Db db;
    int opened_version = 0;
    /**
     * Prepared statements by their text, kept for the Store's life: an import runs a dozen
     * statements per certificate, and preparing them was a fifth of its SQLite time. Only
     * for statements that are not in use when the same text runs again (not for_each's).
     */
    std::unordered_map<std::string, std::unique_ptr<sql::Stmt>> stmts;
    /**
     * find_by_key_id's answers while a write transaction is open, when no other process
     * can change the store; index() and erase() drop what they change. An import asks
     * for every third-party issuer of every keyblock, most of them many times.
     */
    bool writing = false;
    std::unordered_map<std::int64_t, std::vector<Bytes>> by_key_id;

    void begin_writing(bool on) {
        writing = on;
        by_key_id.clear();
    }

    CachedStmt stmt(std::string_view text) {
        auto& slot = stmts[std::string(text)];
        if (!slot) slot = std::make_unique<sql::Stmt>(db, text);
        return CachedStmt(*slot);
    }

    std::vector<Bytes> fingerprints(sql::Stmt& q) {
        std::vector<Bytes> out;
        while (q.step()) out.push_back(q.blob(0));
        return out;
    }
    void index(std::int64_t id, const cert::Cert& c);
    void mark_secret(std::int64_t id, const cert::Cert& tsk);
    void reindex_all();
    std::optional<std::int64_t> id_of(ByteView fpr) {
        auto q = stmt("SELECT id FROM certs WHERE fingerprint = ?");
        q->bind(1, fpr);
        if (!q->step()) return std::nullopt;
        return q->int64(0);
    }
};

void Store::Impl::index(std::int64_t id, const cert::Cert& c) {
    if (!by_key_id.empty()) {
        auto old = stmt("SELECT keyid FROM keys WHERE cert_id = ?");
        old->bind(1, id);
        while (old->step()) by_key_id.erase(old->int64(0));
    }
    stmt("DELETE FROM keys WHERE cert_id = ?")->bind(1, id).run();
    stmt("DELETE FROM userids WHERE cert_id = ?")->bind(1, id).run();
    auto key_stmt = stmt("INSERT INTO keys(cert_id, fingerprint, keyid, short_keyid, is_primary, keygrip)"
                         " VALUES(?, ?, ?, ?, ?, ?)");
    sql::Stmt& key = *key_stmt;
    auto add_key = [&](const packet::Key& k, bool primary) {
        by_key_id.erase(keyid_value(k.keyid));
        key.bind(1, id).bind(2, ByteView(k.fingerprint)).bind(3, keyid_value(k.keyid));
        key.bind(4, short_value(k.keyid)).bind(5, std::int64_t{primary});
        if (auto grip = keygen::keygrip(k)) key.bind(6, ByteView(*grip)); else key.bind_null(6);
        key.run();
    };
    add_key(c.key(), true);
    auto uid_stmt = stmt("INSERT INTO userids(cert_id, uid, email, domain) VALUES(?, ?, ?, ?)");
    sql::Stmt& uid = *uid_stmt;
    for (const auto& comp : c.components) {
        if (comp.kind == cert::ComponentKind::Subkey && comp.key()) {
            add_key(*comp.key(), false);
        } else if (comp.kind == cert::ComponentKind::UserId) {
            const Bytes text = comp.id_bytes();
            const std::string s(text.begin(), text.end());
            const std::string email = email_of(s);
            uid.bind(1, id).bind(2, std::string_view(s));
            if (email.empty()) uid.bind_null(3).bind_null(4);
            else uid.bind(3, std::string_view(email)).bind(4, std::string_view(domain_of(email)));
            uid.run();
        }
    }
}

void Store::Impl::mark_secret(std::int64_t id, const cert::Cert& tsk) {
    stmt("UPDATE keys SET secret = 0 WHERE cert_id = ?")->bind(1, id).run();
    auto mark_stmt = stmt("UPDATE keys SET secret = ? WHERE cert_id = ? AND fingerprint = ?");
    sql::Stmt& mark = *mark_stmt;
    auto one = [&](const cert::Component& comp) {
        const auto level = secret_level(comp);
        if (level != SecretLevel::None)
            mark.bind(1, static_cast<std::int64_t>(level)).bind(2, id).bind(3, ByteView(comp.key()->fingerprint)).run();
    };
    one(tsk.primary);
    for (const auto& comp : tsk.components)
        if (comp.kind == cert::ComponentKind::Subkey) one(comp);
}

void Store::Impl::reindex_all() {
    std::vector<std::pair<std::int64_t, Bytes>> rows;
    {
        sql::Stmt q(db, "SELECT id, keyblock FROM certs ORDER BY id");
        while (q.step()) rows.emplace_back(q.int64(0), q.blob(1));
    }
    for (auto& [id, block] : rows) {
        auto certs = cert::read_all_certs(block);
        if (certs.size() != 1) throw Error(Errc::BadField, 0, db.path() + ": certificate " + std::to_string(id) + " does not parse");
        index(id, certs[0]);
    }
    sql::Stmt q(db, "SELECT cert_id, keyblock FROM secrets");
    while (q.step()) {
        auto tsks = cert::read_all_certs(q.blob_view(1));
        if (tsks.size() == 1) mark_secret(q.int64(0), tsks[0]);
    }
}

Store::Store(const std::string& path) {
    check_header(path);
    create_private(path);
    m_impl = std::make_unique<Impl>(path);
    auto& db = m_impl->db;
    db.exec("PRAGMA busy_timeout = 10000");
    auto app = pragma_int(db, "application_id");
    auto version = pragma_int(db, "user_version");
    const auto tables = [&] {
        sql::Stmt q(db, "SELECT count(*) FROM sqlite_master");
        return q.step() ? q.int64(0) : 0;
    }();
    if (app == 0 && version == 0 && tables == 0) {
        // A new file; another process may be creating the schema right now.
        sql::create_schema(db);
        app = pragma_int(db, "application_id");
        version = pragma_int(db, "user_version");
        if (app == sql::kApplicationId && version == kSchemaVersion) version = 0;  // made here or just now
    }
    if (app != sql::kApplicationId) {
        throw Error(Errc::BadField, 0, path + ": not a pgpkit store (an SQLite database of another application); left as it is");
    } else if (version > kSchemaVersion) {
        throw Error(Errc::BadField, 0, path + ": written by a newer pgpkit (schema " + std::to_string(version) +
                                           ", this one knows " + std::to_string(kSchemaVersion) + ")");
    }
    m_impl->opened_version = static_cast<int>(version);
    db.exec("PRAGMA journal_mode = WAL");
    db.exec("PRAGMA synchronous = FULL");
    db.exec("PRAGMA foreign_keys = ON");
    if (version != 0 && version < kSchemaVersion)
        sql::migrate(db, static_cast<int>(version), [this] { m_impl->reindex_all(); });
}

Store::~Store() = default;

std::string Store::db_path_in(const std::string& home) { return home + "/keys.db"; }

int Store::opened_version() const noexcept { return m_impl->opened_version; }

std::optional<StoredCert> Store::get(ByteView fpr) {
    auto q = m_impl->stmt("SELECT id, keyblock, EXISTS(SELECT 1 FROM secrets WHERE cert_id = id)"
                          " FROM certs WHERE fingerprint = ?");
    q->bind(1, fpr);
    if (!q->step()) return std::nullopt;
    return StoredCert{q->int64(0), Bytes(fpr.begin(), fpr.end()), q->blob(1), q->int64(2) != 0};
}

std::optional<SecretBytes> Store::get_secret(ByteView fpr) {
    auto q = m_impl->stmt("SELECT s.keyblock FROM secrets s JOIN certs c ON c.id = s.cert_id"
                          " WHERE c.fingerprint = ?");
    q->bind(1, fpr);
    if (!q->step()) return std::nullopt;
    ByteView v = q->blob_view(0);
    return SecretBytes(v.begin(), v.end());
}

std::vector<Bytes> Store::find(const KeySpec& spec) {
    auto by_keys = [&](const char* where, auto value) {
        auto q = m_impl->stmt(std::string("SELECT c.fingerprint FROM certs c WHERE c.id IN"
                                          " (SELECT cert_id FROM keys WHERE ") +
                              where + ") ORDER BY c.id");
        q->bind(1, value);
        return m_impl->fingerprints(*q);
    };
    auto by_uids = [&](const char* where, std::string_view value) {
        auto q = m_impl->stmt(std::string("SELECT c.fingerprint FROM certs c WHERE c.id IN"
                                          " (SELECT cert_id FROM userids WHERE ") +
                              where + ") ORDER BY c.id");
        q->bind(1, value);
        return m_impl->fingerprints(*q);
    };
    switch (spec.kind) {
    case SpecKind::ShortKeyId: return by_keys("short_keyid = ?", short_value(spec.id));
    case SpecKind::LongKeyId: return find_by_key_id(spec.id);
    case SpecKind::Fingerprint: return by_keys("fingerprint = ?", ByteView(spec.id));
    case SpecKind::Email: return by_uids("email = ?", spec.text);
    case SpecKind::Exact: return by_uids("uid = ?", spec.text);
    case SpecKind::Domain: return by_uids("domain = ?", spec.text);
    case SpecKind::Substring: {
        std::string pattern = "%";
        for (char c : spec.text) {
            if (c == '%' || c == '_' || c == '\\') pattern += '\\';
            pattern += c;
        }
        pattern += '%';
        return by_uids("uid LIKE ? ESCAPE '\\'", pattern);
    }
    }
    return {};
}

std::vector<Bytes> Store::find_by_key_id(ByteView keyid) {
    if (keyid.size() != 8) return {};
    std::array<std::uint8_t, 8> id{};
    std::copy(keyid.begin(), keyid.end(), id.begin());
    const std::int64_t value = keyid_value(id);
    if (m_impl->writing)
        if (const auto it = m_impl->by_key_id.find(value); it != m_impl->by_key_id.end()) return it->second;
    auto q = m_impl->stmt("SELECT c.fingerprint FROM certs c WHERE c.id IN"
                          " (SELECT cert_id FROM keys WHERE keyid = ?) ORDER BY c.id");
    q->bind(1, value);
    std::vector<Bytes> out = m_impl->fingerprints(*q);
    if (m_impl->writing) m_impl->by_key_id.emplace(value, out);
    return out;
}

void Store::for_each(const std::function<bool(const StoredCert&)>& fn) {
    sql::Stmt q(m_impl->db, "SELECT id, fingerprint, keyblock, EXISTS(SELECT 1 FROM secrets WHERE cert_id = id)"
                            " FROM certs ORDER BY id");
    while (q.step()) {
        if (!fn(StoredCert{q.int64(0), q.blob(1), q.blob(2), q.int64(3) != 0})) break;
    }
}

std::size_t Store::count() {
    sql::Stmt q(m_impl->db, "SELECT count(*) FROM certs");
    return q.step() ? static_cast<std::size_t>(q.int64(0)) : 0;
}

std::vector<std::pair<Bytes, SecretLevel>> Store::secret_keys(ByteView primary) {
    auto q = m_impl->stmt("SELECT k.fingerprint, k.secret FROM keys k JOIN certs c ON c.id = k.cert_id"
                          " WHERE c.fingerprint = ? AND k.secret != 0");
    q->bind(1, primary);
    std::vector<std::pair<Bytes, SecretLevel>> out;
    while (q->step()) out.emplace_back(q->blob(0), static_cast<SecretLevel>(q->int64(1)));
    return out;
}

namespace {

void load_ids(sql::Stmt& q, cert::VerifiedSignatures& into) {
    while (q.step()) {
        const ByteView b = q.blob_view(0);
        cert::VerifiedSignatures::Id id{};
        if (b.size() != id.size()) continue;  // not one of ours: ignored, as a cache may be
        std::copy(b.begin(), b.end(), id.begin());
        into.load(id);
    }
}

}  // namespace

void Store::load_verified(cert::VerifiedSignatures& into) {
    sql::Stmt q(m_impl->db, "SELECT sig FROM verified");
    load_ids(q, into);
}

void Store::load_verified(ByteView fpr, cert::VerifiedSignatures& into) {
    auto q = m_impl->stmt("SELECT sig FROM verified WHERE cert_id = (SELECT id FROM certs WHERE fingerprint = ?)");
    q->bind(1, fpr);
    load_ids(*q, into);
}

std::string Store::integrity_check() {
    sql::Stmt q(m_impl->db, "PRAGMA integrity_check");
    std::string out;
    while (q.step()) out += (out.empty() ? "" : "\n") + q.text(0);
    return out;
}

struct StoreWriter::Impl {
    explicit Impl(Store& s) : store(s), txn(s.m_impl->db) { s.m_impl->begin_writing(true); }
    ~Impl() { store.m_impl->begin_writing(false); }
    Impl(const Impl&) = delete;
    Impl& operator=(const Impl&) = delete;
    Store& store;
    sql::Transaction txn;
};

StoreWriter::StoreWriter(Store& store) : m_impl(std::make_unique<Impl>(store)) {}
StoreWriter::~StoreWriter() = default;

void StoreWriter::put(const cert::Cert& c) {
    auto& s = *m_impl->store.m_impl;
    const Bytes block = cert::write_cert(c);
    auto up = s.stmt("INSERT INTO certs(fingerprint, keyblock, updated) VALUES(?, ?, ?)"
                     " ON CONFLICT(fingerprint) DO UPDATE SET keyblock = excluded.keyblock,"
                     " updated = excluded.updated");
    up->bind(1, ByteView(c.fingerprint())).bind(2, ByteView(block)).bind(3, static_cast<std::int64_t>(std::time(nullptr)));
    up->run();
    const auto id = s.id_of(c.fingerprint());
    if (!id) throw Error(Errc::Io, 0, s.db.path() + ": certificate vanished while it was written");
    s.index(*id, c);
    auto sec = s.stmt("SELECT keyblock FROM secrets WHERE cert_id = ?");
    sec->bind(1, *id);
    if (sec->step()) {
        auto tsks = cert::read_all_certs(sec->blob_view(0));
        if (tsks.size() == 1) s.mark_secret(*id, tsks[0]);
    }
}

void StoreWriter::put_secret(const cert::Tsk& tsk) {
    auto& s = *m_impl->store.m_impl;
    const auto id = s.id_of(tsk.fingerprint());
    if (!id) throw Error(Errc::Usage, 0, "secret key " + to_hex(tsk.fingerprint()) + " has no stored certificate");
    const SecretBytes block = cert::write_tsk(tsk);
    auto up = s.stmt("INSERT INTO secrets(cert_id, keyblock) VALUES(?, ?)"
                     " ON CONFLICT(cert_id) DO UPDATE SET keyblock = excluded.keyblock");
    up->bind(1, *id).bind(2, ByteView(block));
    up->run();
    s.mark_secret(*id, tsk);
}

bool StoreWriter::erase(ByteView fpr) {
    auto& s = *m_impl->store.m_impl;
    const auto id = s.id_of(fpr);
    if (!id) return false;
    s.by_key_id.clear();
    for (const char* t : {"DELETE FROM keys WHERE cert_id = ?", "DELETE FROM userids WHERE cert_id = ?",
                          "DELETE FROM secrets WHERE cert_id = ?", "DELETE FROM verified WHERE cert_id = ?",
                          "DELETE FROM certs WHERE id = ?"})
        s.stmt(t)->bind(1, *id).run();
    return true;
}

bool StoreWriter::erase_secret(ByteView fpr) {
    auto& s = *m_impl->store.m_impl;
    const auto id = s.id_of(fpr);
    if (!id) return false;
    s.stmt("DELETE FROM secrets WHERE cert_id = ?")->bind(1, *id).run();
    const bool had = s.db.changes() > 0;
    s.stmt("UPDATE keys SET secret = 0 WHERE cert_id = ?")->bind(1, *id).run();
    return had;
}

std::size_t StoreWriter::save_verified(const std::vector<std::pair<Bytes, cert::VerifiedSignatures::Id>>& entries) {
    auto& s = *m_impl->store.m_impl;
    std::size_t stored = 0;
    for (const auto& [fpr, id] : entries) {
        const auto cert_id = s.id_of(fpr);
        if (!cert_id) continue;
        auto ins = s.stmt("INSERT OR IGNORE INTO verified(cert_id, sig) VALUES(?, ?)");
        ins->bind(1, *cert_id).bind(2, ByteView(id.data(), id.size()));
        ins->run();
        ++stored;
    }
    return stored;
}

void StoreWriter::commit() {
    m_impl->txn.commit();
    m_impl->store.m_impl->begin_writing(false);
}

}  // namespace pgpkit::keyring
