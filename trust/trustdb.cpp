#include "trust/trustdb.h"

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <memory>

#include "base/atomic_file.h"
#include "base/error.h"
#include "crypto/hash.h"
#include "trust/internal/trustdb_check.h"

namespace pgpkit::trust {

namespace {

using Fpr = std::array<std::uint8_t, 20>;

// gpg follows nested hash tables one fingerprint octet per level.
constexpr unsigned kMaxHashLevels = 20;

Fpr fpr20(ByteView fingerprint) {
    const Bytes padded = trustdb_fingerprint(fingerprint);
    Fpr out{};
    std::copy(padded.begin(), padded.end(), out.begin());
    return out;
}

[[noreturn]] void corrupt(std::uint32_t number, const std::string& why) {
    throw Error(Errc::BadField, std::uint64_t{number} * kRecordLen,
                "trustdb record " + std::to_string(number) + ": " + why);
}

struct FileCloser {
    void operator()(std::FILE* f) const noexcept { std::fclose(f); }
};

Bytes read_whole_file(const std::string& path) {
    std::unique_ptr<std::FILE, FileCloser> f(std::fopen(path.c_str(), "rb"));
    if (!f) throw Error(Errc::Io, 0, path + ": cannot open: " + std::strerror(errno));
    Bytes data;
    std::uint8_t buf[65536];
    for (;;) {
        const std::size_t n = std::fread(buf, 1, sizeof buf, f.get());
        data.insert(data.end(), buf, buf + n);
        if (n < sizeof buf) break;
    }
    if (std::ferror(f.get())) throw Error(Errc::Io, 0, path + ": read error: " + std::strerror(errno));
    return data;
}

}  // namespace

std::array<std::uint8_t, 20> uid_namehash(ByteView user_id) {
    const auto d = crypto::digest(crypto::HashKind::Ripemd160, user_id);
    Fpr out{};
    std::copy_n(d.begin(), std::min<std::size_t>(d.size(), out.size()), out.begin());
    return out;
}

Trustdb Trustdb::create(std::uint32_t created, VersionRecord options) {
    Trustdb db;
    options.version = 3;
    options.created = created;
    options.firstfree = 0;
    options.hashtable = 1;
    db.m_records.push_back(Record{0, options});
    for (std::uint32_t i = 0; i < kHashTableRecords; ++i) db.m_records.push_back(Record{1 + i, HashTableRecord{}});
    return db;
}

Trustdb Trustdb::parse(ByteView file) {
    Trustdb db;
    for_each_record(file, [&](const Record& r) { db.m_records.push_back(r); });
    internal::check_trustdb(db.m_records);
    return db;
}

Trustdb Trustdb::load(const std::string& path) {
    const Bytes data = read_whole_file(path);
    try {
        return parse(data);
    } catch (const Error& e) {
        throw Error(e.kind(), e.offset(), path + ": " + e.detail());
    }
}

Bytes Trustdb::serialize() const {
    Bytes out;
    out.reserve(m_records.size() * kRecordLen);
    for (const Record& r : m_records) {
        const auto octets = write_record(r);
        out.insert(out.end(), octets.begin(), octets.end());
    }
    return out;
}

void Trustdb::save(const std::string& path) const { write_file_atomically(path, serialize(), FileMode::Secret); }

const VersionRecord& Trustdb::version() const { return std::get<VersionRecord>(m_records.at(0).body); }

VersionRecord& Trustdb::version_mut() { return std::get<VersionRecord>(m_records.at(0).body); }

void Trustdb::set_options(std::uint8_t marginals, std::uint8_t completes, std::uint8_t cert_depth, TrustModel model,
                          std::uint8_t min_cert_level) {
    VersionRecord& v = version_mut();
    v.marginals = marginals;
    v.completes = completes;
    v.cert_depth = cert_depth;
    v.trust_model = model;
    v.min_cert_level = min_cert_level;
}

void Trustdb::set_times(std::uint32_t created, std::uint32_t nextcheck) {
    VersionRecord& v = version_mut();
    v.created = created;
    v.nextcheck = nextcheck;
}

std::optional<std::uint32_t> Trustdb::lookup(const Fpr& fpr) const {
    auto is_match = [&](std::uint32_t n) {
        const auto* t = n < m_records.size() ? std::get_if<TrustRecord>(&m_records[n].body) : nullptr;
        return t != nullptr && t->fingerprint == fpr;
    };
    std::uint32_t table = version().hashtable;
    for (unsigned level = 0; level < kMaxHashLevels; ++level) {
        const std::uint32_t hrec = table + fpr[level] / kHashTableItems;
        const auto& h = std::get<HashTableRecord>(m_records.at(hrec).body);
        const std::uint32_t item = h.items[fpr[level] % kHashTableItems];
        if (item == 0) return std::nullopt;
        const Record& r = m_records.at(item);
        if (r.type() == RecordType::HashTable) {
            table = item;
            continue;
        }
        if (const auto* l = std::get_if<HashListRecord>(&r.body)) {
            // The structure check ruled out loops; a bound keeps a later bug from hanging.
            for (std::size_t steps = 0; l != nullptr && steps <= m_records.size(); ++steps) {
                for (const std::uint32_t n : l->items)
                    if (n != 0 && is_match(n)) return n;
                l = l->next ? std::get_if<HashListRecord>(&m_records.at(l->next).body) : nullptr;
            }
            return std::nullopt;
        }
        return is_match(item) ? std::optional<std::uint32_t>(item) : std::nullopt;
    }
    corrupt(table, "hash table has invalid indirections");
}

std::uint32_t Trustdb::new_recnum() {
    VersionRecord& v = version_mut();
    if (v.firstfree != 0) {
        const std::uint32_t n = v.firstfree;
        const auto* f = std::get_if<FreeRecord>(&m_records.at(n).body);
        if (f == nullptr) corrupt(n, "free list points to a record that is not free");
        v.firstfree = f->next;
        m_records[n].body = UnusedRecord{};
        return n;
    }
    const auto n = static_cast<std::uint32_t>(m_records.size());
    m_records.push_back(Record{n, UnusedRecord{}});
    return n;
}

void Trustdb::hash_insert_list(std::uint32_t list, std::uint32_t recnum) {
    std::uint32_t last = list;
    for (std::uint32_t at = list; at != 0;) {
        const auto& l = std::get<HashListRecord>(m_records.at(at).body);
        if (std::find(l.items.begin(), l.items.end(), recnum) != l.items.end()) return;
        last = at;
        at = l.next;
    }
    // Like gpg, only the last record of the list takes a new item; then a record is added.
    auto* l = &std::get<HashListRecord>(m_records[last].body);
    for (auto& item : l->items) {
        if (item == 0) {
            item = recnum;
            return;
        }
    }
    const std::uint32_t fresh = new_recnum();
    std::get<HashListRecord>(m_records[last].body).next = fresh;
    HashListRecord added;
    added.items[0] = recnum;
    m_records[fresh].body = added;
}

void Trustdb::hash_insert(const Fpr& fpr, std::uint32_t recnum) {
    std::uint32_t table = version().hashtable;
    for (unsigned level = 0; level < kMaxHashLevels; ++level) {
        const std::uint32_t hrec = table + fpr[level] / kHashTableItems;
        const std::size_t slot = fpr[level] % kHashTableItems;
        const std::uint32_t item = std::get<HashTableRecord>(m_records.at(hrec).body).items[slot];
        if (item == 0) {
            std::get<HashTableRecord>(m_records[hrec].body).items[slot] = recnum;
            return;
        }
        if (item == recnum) return;
        const RecordType type = m_records.at(item).type();
        if (type == RecordType::HashTable) {
            table = item;
            continue;
        }
        if (type == RecordType::HashList) return hash_insert_list(item, recnum);
        if (type != RecordType::Trust) corrupt(hrec, "hash slot points to an invalid record");
        const std::uint32_t list = new_recnum();
        HashListRecord l;
        l.items[0] = item;
        l.items[1] = recnum;
        m_records[list].body = l;
        std::get<HashTableRecord>(m_records[hrec].body).items[slot] = list;
        return;
    }
    corrupt(table, "hash table has invalid indirections");
}

std::uint32_t Trustdb::make_trust(const Fpr& fpr) {
    const std::uint32_t n = new_recnum();
    TrustRecord t;
    t.fingerprint = fpr;
    m_records[n].body = t;
    return n;
}

std::optional<TrustRecord> Trustdb::find_trust(ByteView fingerprint) const {
    const auto n = lookup(fpr20(fingerprint));
    if (!n) return std::nullopt;
    return std::get<TrustRecord>(m_records[*n].body);
}

std::optional<std::uint8_t> Trustdb::ownertrust(ByteView fingerprint) const {
    const auto t = find_trust(fingerprint);
    if (!t) return std::nullopt;
    return t->ownertrust;
}

bool Trustdb::set_ownertrust(ByteView fingerprint, std::uint8_t value) {
    const Fpr fpr = fpr20(fingerprint);
    if (const auto n = lookup(fpr)) {
        auto& t = std::get<TrustRecord>(m_records[*n].body);
        if (t.ownertrust == value) return false;
        t.ownertrust = value;
        return true;
    }
    if (value == 0) return false;
    const std::uint32_t n = make_trust(fpr);
    std::get<TrustRecord>(m_records[n].body).ownertrust = value;
    hash_insert(fpr, n);
    return true;
}

std::size_t Trustdb::import_ownertrust(const std::vector<OwnertrustEntry>& entries) {
    std::size_t changed = 0;
    for (const auto& e : entries)
        if (e.value != 0 && set_ownertrust(e.fingerprint, e.value)) ++changed;
    if (changed > 0) mark_for_revalidation();
    return changed;
}

void Trustdb::mark_for_revalidation() { version_mut().nextcheck = 1; }

std::vector<OwnertrustEntry> Trustdb::ownertrust_entries() const {
    std::vector<OwnertrustEntry> out;
    for (const Record& r : m_records) {
        const auto* t = std::get_if<TrustRecord>(&r.body);
        if (t != nullptr && t->ownertrust != 0) out.push_back({Bytes(t->fingerprint.begin(), t->fingerprint.end()), t->ownertrust});
    }
    return out;
}

std::vector<ValidRecord> Trustdb::validities(ByteView fingerprint) const {
    std::vector<ValidRecord> out;
    const auto t = find_trust(fingerprint);
    if (!t) return out;
    for (std::uint32_t at = t->validlist; at != 0 && out.size() <= m_records.size();) {
        const auto& v = std::get<ValidRecord>(m_records.at(at).body);
        out.push_back(v);
        at = v.next;
    }
    return out;
}

std::optional<UidValidity> Trustdb::validity(ByteView fingerprint, ByteView user_id) const {
    const auto hash = uid_namehash(user_id);
    for (const auto& v : validities(fingerprint))
        if (v.namehash == hash) return UidValidity{v.validity, v.full_count, v.marginal_count};
    return std::nullopt;
}

void Trustdb::set_validity(ByteView fingerprint, ByteView user_id, const UidValidity& v, std::uint8_t depth) {
    const Fpr fpr = fpr20(fingerprint);
    const auto hash = uid_namehash(user_id);
    std::optional<std::uint32_t> trust = lookup(fpr);
    if (!trust) {
        if (v.validity == 0) return;
        trust = make_trust(fpr);
    }
    std::uint32_t at = std::get<TrustRecord>(m_records[*trust].body).validlist;
    for (std::size_t steps = 0; at != 0 && steps <= m_records.size(); ++steps) {
        const auto& rec = std::get<ValidRecord>(m_records.at(at).body);
        if (rec.namehash == hash) break;
        at = rec.next;
    }
    if (at == 0) {
        at = new_recnum();
        ValidRecord fresh;
        fresh.namehash = hash;
        auto& t = std::get<TrustRecord>(m_records[*trust].body);
        fresh.next = t.validlist;
        t.validlist = at;
        m_records[at].body = fresh;
    }
    auto& rec = std::get<ValidRecord>(m_records[at].body);
    rec.validity = v.validity;
    rec.full_count = v.full_count;
    rec.marginal_count = v.marginal_count;
    std::get<TrustRecord>(m_records[*trust].body).depth = depth;
    hash_insert(fpr, *trust);
}

void Trustdb::reset_validities() {
    for (Record& r : m_records) {
        if (auto* t = std::get_if<TrustRecord>(&r.body)) {
            t->min_ownertrust = 0;
        } else if (auto* v = std::get_if<ValidRecord>(&r.body)) {
            v->validity = static_cast<std::uint8_t>(v->validity & ~kTrustMask);
            v->full_count = v->marginal_count = 0;
        }
    }
}

void Trustdb::set_min_ownertrust(ByteView fingerprint, std::uint8_t value) {
    const Fpr fpr = fpr20(fingerprint);
    if (const auto n = lookup(fpr)) {
        std::get<TrustRecord>(m_records[*n].body).min_ownertrust = value;
        return;
    }
    if (value == 0) return;
    const std::uint32_t n = make_trust(fpr);
    std::get<TrustRecord>(m_records[n].body).min_ownertrust = value;
    hash_insert(fpr, n);
}

}  // namespace pgpkit::trust
