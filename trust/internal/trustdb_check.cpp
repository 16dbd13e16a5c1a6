#include "trust/internal/trustdb_check.h"

#include <string>

#include "base/error.h"

namespace pgpkit::trust::internal {

namespace {

// gpg follows nested hash tables one fingerprint octet per level (g10/tdbio.c).
constexpr unsigned kMaxHashLevels = 20;

class Checker {
public:
    explicit Checker(const std::vector<Record>& records)
        : m_records(records), m_seen(records.size(), 0), m_tables(records.size(), false) {}

    void run();

private:
    [[noreturn]] void fail(std::uint32_t number, const std::string& why) const {
        throw Error(Errc::BadField, std::uint64_t{number} * kRecordLen,
                    "trustdb record " + std::to_string(number) + ": " + why);
    }
    /** Checks that `from`'s pointer `to` (named `what`) names a record of type `want`. */
    const Record& target(std::uint32_t from, std::uint32_t to, const char* what, RecordType want) const;
    void check_table(std::uint32_t from, std::uint32_t table, unsigned level);
    void check_slot(std::uint32_t table_rec, std::uint32_t item, unsigned level);
    void check_hash_list(std::uint32_t first);
    void check_valid_list(std::uint32_t trust_rec, std::uint32_t first);
    void check_free_list(std::uint32_t first);
    /** Marks `number` as seen by the walk `walk`; false if it was already (a loop). */
    bool visit(std::uint32_t number) {
        if (m_seen[number] == m_walk) return false;
        m_seen[number] = m_walk;
        return true;
    }

    const std::vector<Record>& m_records;
    std::vector<std::uint32_t> m_seen;
    std::vector<bool> m_tables;  ///< first records of the hash tables seen (a table is used once)
    std::uint32_t m_walk = 0;
};

const Record& Checker::target(std::uint32_t from, std::uint32_t to, const char* what, RecordType want) const {
    if (to >= m_records.size())
        fail(from, std::string(what) + " points to record " + std::to_string(to) + ", past the end (" +
                       std::to_string(m_records.size()) + " records)");
    const Record& r = m_records[to];
    if (r.type() != want) {
        const char* name = record_type_name(r.type());
        fail(from, std::string(what) + " points to record " + std::to_string(to) + ", a " + name + " record, not a " +
                       record_type_name(want) + " record");
    }
    return r;
}

void Checker::check_table(std::uint32_t from, std::uint32_t table, unsigned level) {
    if (level >= kMaxHashLevels) fail(from, "hash table nested deeper than 20 levels");
    if (table < m_tables.size() && m_tables[table]) fail(from, "hash tables loop back to record " + std::to_string(table));
    if (std::uint64_t{table} + kHashTableRecords > m_records.size())
        fail(from, "hash table at record " + std::to_string(table) + " runs past the end (" +
                       std::to_string(m_records.size()) + " records)");
    m_tables[table] = true;
    for (std::uint32_t i = 0; i < kHashTableRecords; ++i) {
        const auto& h = std::get<HashTableRecord>(target(from, table + i, "hash table", RecordType::HashTable).body);
        for (const std::uint32_t item : h.items)
            if (item != 0) check_slot(table + i, item, level);
    }
}

void Checker::check_slot(std::uint32_t table_rec, std::uint32_t item, unsigned level) {
    if (item >= m_records.size())
        fail(table_rec, "hash slot points to record " + std::to_string(item) + ", past the end (" +
                            std::to_string(m_records.size()) + " records)");
    switch (m_records[item].type()) {
    case RecordType::Trust: return;
    case RecordType::HashList: check_hash_list(item); return;
    case RecordType::HashTable: check_table(table_rec, item, level + 1); return;
    default:
        fail(table_rec, "hash slot points to record " + std::to_string(item) + ", a " +
                            record_type_name(m_records[item].type()) + " record");
    }
}

void Checker::check_hash_list(std::uint32_t first) {
    ++m_walk;
    for (std::uint32_t at = first, from = first; at != 0;) {
        const auto& l = std::get<HashListRecord>(target(from, at, "hash list", RecordType::HashList).body);
        if (!visit(at)) fail(from, "hash list loops back to record " + std::to_string(at));
        for (const std::uint32_t item : l.items)
            if (item != 0) (void)target(at, item, "hash list item", RecordType::Trust);
        from = at;
        at = l.next;
    }
}

void Checker::check_valid_list(std::uint32_t trust_rec, std::uint32_t first) {
    ++m_walk;
    for (std::uint32_t at = first, from = trust_rec; at != 0;) {
        const auto& v = std::get<ValidRecord>(target(from, at, "validity list", RecordType::Valid).body);
        if (!visit(at)) fail(from, "validity list loops back to record " + std::to_string(at));
        from = at;
        at = v.next;
    }
}

void Checker::check_free_list(std::uint32_t first) {
    ++m_walk;
    for (std::uint32_t at = first, from = 0; at != 0;) {
        const auto& f = std::get<FreeRecord>(target(from, at, "free list", RecordType::Free).body);
        if (!visit(at)) fail(from, "free list loops back to record " + std::to_string(at));
        from = at;
        at = f.next;
    }
}

void Checker::run() {
    if (m_records.empty()) throw Error(Errc::Truncated, 0, "trustdb record 0: empty file, no version record");
    const auto* v = std::get_if<VersionRecord>(&m_records[0].body);
    if (v == nullptr) fail(0, "not a version record (type " + std::to_string(unsigned(m_records[0].type())) + ")");
    if (v->version != 3) fail(0, "trustdb version " + std::to_string(v->version) + ", gpg 2.2 reads version 3");
    for (const Record& r : m_records) {
        if (r.number != 0 && r.type() == RecordType::Version) fail(r.number, "a second version record");
        if (is_legacy_record_type(r.type()))
            fail(r.number, std::string("GnuPG 1.x ") + record_type_name(r.type()) + " record, not read by gpg 2.2");
    }
    if (v->hashtable == 0) fail(0, "no hash table");
    check_table(0, v->hashtable, 0);
    check_free_list(v->firstfree);
    for (const Record& r : m_records)
        if (const auto* t = std::get_if<TrustRecord>(&r.body)) check_valid_list(r.number, t->validlist);
}

}  // namespace

void check_trustdb(const std::vector<Record>& records) { Checker(records).run(); }

}  // namespace pgpkit::trust::internal
