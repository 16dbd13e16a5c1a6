#pragma once
// GnuPG's trustdb.gpg as gpg 2.2 reads and writes it (g10/tdbio.c): record 0 is the version
// record, a 29-record hash table indexes the trust records by the octets of their
// fingerprints (hash lists for colliding slots), each trust record heads a list of validity
// records, one per user ID. Changes are made record by record the way gpg makes them, so a
// file pgpkit changes is the file gpg would have written.

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "base/bytes.h"
#include "trust/ownertrust.h"
#include "trust/trustdb_records.h"

namespace pgpkit::trust {

/** The validity gpg keeps for one user ID of a key. */
struct UidValidity {
    std::uint8_t validity = 0;        ///< level and flags (trust/ownertrust.h)
    std::uint8_t full_count = 0;
    std::uint8_t marginal_count = 0;
    bool operator==(const UidValidity&) const = default;
};

/** RIPEMD-160 of a user ID (or of an attribute packet's body), the key of a validity record. */
[[nodiscard]] std::array<std::uint8_t, 20> uid_namehash(ByteView user_id);

class Trustdb {
public:
    /**
     * A new trustdb as gpg creates one: the version record (`options` with `created`, the
     * hash table pointer set) and an empty hash table in records 1..29.
     */
    [[nodiscard]] static Trustdb create(std::uint32_t created, VersionRecord options = {});

    /**
     * Reads a trustdb file and checks its structure: record 0 is a version 3 record and the
     * only one; no GnuPG 1.x records; every pointer (hash table slots, hash lists, validity
     * lists, the free list, the version record's) names a record inside the file of the
     * right type, and no list loops.
     * @throws Error(Errc::Truncated) for a truncated record, Error(Errc::BadField) for the
     * rest; the detail names the record number ("trustdb record 31: ...").
     */
    [[nodiscard]] static Trustdb parse(ByteView file);

    /** Reads and parses `path`. @throws as parse(), Error(Errc::Io) if it cannot be read. */
    [[nodiscard]] static Trustdb load(const std::string& path);

    /** The file's octets: every record in order. */
    [[nodiscard]] Bytes serialize() const;

    /** Writes serialize() to `path` atomically, mode 0600 as gpg creates it. */
    void save(const std::string& path) const;

    [[nodiscard]] const std::vector<Record>& records() const noexcept { return m_records; }
    [[nodiscard]] const VersionRecord& version() const;

    /** Sets the trust options of the version record (not its pointers). */
    void set_options(std::uint8_t marginals, std::uint8_t completes, std::uint8_t cert_depth, TrustModel model,
                     std::uint8_t min_cert_level);
    /** Sets the version record's times (gpg sets both after --check-trustdb). */
    void set_times(std::uint32_t created, std::uint32_t nextcheck);

    /** The trust record of a 16- or 20-octet fingerprint, found through the hash table. */
    [[nodiscard]] std::optional<TrustRecord> find_trust(ByteView fingerprint) const;
    /** Its ownertrust byte (nullopt without a trust record). */
    [[nodiscard]] std::optional<std::uint8_t> ownertrust(ByteView fingerprint) const;

    /**
     * Sets the ownertrust byte; without a trust record one is made (unless `value` is 0),
     * as gpg's --import-ownertrust does. Returns true if the file changed.
     * @throws Error(Errc::BadField) for a fingerprint of another length than 16 or 20.
     */
    bool set_ownertrust(ByteView fingerprint, std::uint8_t value);

    /**
     * Applies parse_ownertrust() entries in order (level 0 skipped), as gpg's
     * --import-ownertrust does, and if anything changed marks the validities for
     * recomputation (mark_for_revalidation()). Returns the number of changes.
     */
    std::size_t import_ownertrust(const std::vector<OwnertrustEntry>& entries);

    /** Sets nextcheck to 1, gpg's way to schedule a --check-trustdb (revalidation_mark). */
    void mark_for_revalidation();

    /** Every trust record with a non-zero ownertrust, in record order (gpg's export order). */
    [[nodiscard]] std::vector<OwnertrustEntry> ownertrust_entries() const;

    /** The validity record of (fingerprint, user ID), if gpg stored one. */
    [[nodiscard]] std::optional<UidValidity> validity(ByteView fingerprint, ByteView user_id) const;

    /**
     * Stores the validity of a user ID and the key's depth as gpg's update_validity does:
     * a missing trust record is made (unless `v.validity` is 0), a new validity record goes
     * first in the key's list.
     */
    void set_validity(ByteView fingerprint, ByteView user_id, const UidValidity& v, std::uint8_t depth);

    /**
     * What gpg's validate_keys does first (reset_trust_records): every trust record's
     * min_ownertrust becomes 0, every validity record's level (not its flags) and counts 0.
     */
    void reset_validities();

    /**
     * Sets a key's min_ownertrust as gpg's update_min_ownertrust does: a missing trust record
     * is made (unless `value` is 0).
     */
    void set_min_ownertrust(ByteView fingerprint, std::uint8_t value);

    /** Every validity record of a key, in list order. */
    [[nodiscard]] std::vector<ValidRecord> validities(ByteView fingerprint) const;

private:
    Trustdb() = default;
    [[nodiscard]] std::optional<std::uint32_t> lookup(const std::array<std::uint8_t, 20>& fpr) const;
    std::uint32_t new_recnum();
    void hash_insert(const std::array<std::uint8_t, 20>& fpr, std::uint32_t recnum);
    void hash_insert_list(std::uint32_t list, std::uint32_t recnum);
    std::uint32_t make_trust(const std::array<std::uint8_t, 20>& fpr);
    VersionRecord& version_mut();

    std::vector<Record> m_records;
};

}  // namespace pgpkit::trust
