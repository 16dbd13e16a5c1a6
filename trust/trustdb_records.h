#pragma once
// The 40-octet records of GnuPG's trustdb.gpg (g10/tdbio.c of gpg 2.2, and the older
// record types of GnuPG 1.0's doc/DETAILS), as values. All numbers are big-endian.

#include <array>
#include <cstdint>
#include <functional>
#include <string>
#include <variant>

#include "base/bytes.h"
#include "packet/describe.h"

namespace pgpkit::trust {

/** Octets per record. */
inline constexpr std::size_t kRecordLen = 40;
/** Slots of a hash table record: (40 - 2) / 4. */
inline constexpr std::size_t kHashTableItems = 9;
/** Slots of a hash list record: (40 - 6) / 5. */
inline constexpr std::size_t kHashListItems = 6;
/** Records making up one hash table of 256 slots: ceil(256 / 9). */
inline constexpr std::size_t kHashTableRecords = (256 + kHashTableItems - 1) / kHashTableItems;

/** Record types, the first octet of a record. */
enum class RecordType : std::uint8_t {
    Unused = 0,       ///< blank record (allocated, not yet written)
    Version = 1,      ///< record 0: magic "gpg", version 3 and the trust options
    Directory = 2,    ///< GnuPG 1.0: a key's directory record
    Key = 3,          ///< GnuPG 1.0: key record (fingerprint)
    Uid = 4,          ///< GnuPG 1.0: user ID record (name hash)
    Preference = 5,   ///< GnuPG 1.0: preferences
    Signature = 6,    ///< GnuPG 1.0: signature list
    ShadowDir = 8,    ///< GnuPG 1.0: shadow directory (a key not yet seen)
    Cache = 9,        ///< GnuPG 1.0: cache record
    HashTable = 10,   ///< part of the 256-slot fingerprint hash table
    HashList = 11,    ///< overflow list of one hash slot
    Trust = 12,       ///< a key's fingerprint, ownertrust and validity list
    Valid = 13,       ///< validity of one user ID of a key
    Free = 254,       ///< deleted record, on the free list
};

/** Stable lower-case name ("version", "hash table", "directory", ...); nullptr if unknown. */
[[nodiscard]] const char* record_type_name(RecordType type) noexcept;

/** True for the types of GnuPG 1.0 that gpg 2.2 no longer reads (2..9). */
[[nodiscard]] bool is_legacy_record_type(RecordType type) noexcept;

/** gpg's trust models in the version record (TM_CLASSIC, TM_PGP, ...). */
enum class TrustModel : std::uint8_t { Classic = 0, Pgp = 1, External = 2, Always = 3, Direct = 4, Auto = 5, Tofu = 6, TofuPgp = 7 };

/** Name of a trust model ("classic", "pgp", ...); nullptr if unknown. */
[[nodiscard]] const char* trust_model_name(TrustModel model) noexcept;

struct UnusedRecord {
    bool operator==(const UnusedRecord&) const = default;
};

/** Record 0. Defaults are what gpg 2.2 writes with default options. */
struct VersionRecord {
    std::uint8_t version = 3;
    std::uint8_t marginals = 3;        ///< --marginals-needed
    std::uint8_t completes = 1;        ///< --completes-needed
    std::uint8_t cert_depth = 5;       ///< --max-cert-depth
    TrustModel trust_model = TrustModel::Pgp;
    std::uint8_t min_cert_level = 2;   ///< --min-cert-level
    std::uint32_t created = 0;         ///< last --check-trustdb or creation
    std::uint32_t nextcheck = 0;       ///< when the validities must be recomputed (0: never)
    std::uint32_t firstfree = 0;       ///< head of the free list
    std::uint32_t hashtable = 0;       ///< first record of the trust hash table
    bool operator==(const VersionRecord&) const = default;
};

struct HashTableRecord {
    std::array<std::uint32_t, kHashTableItems> items{};
    bool operator==(const HashTableRecord&) const = default;
};

struct HashListRecord {
    std::uint32_t next = 0;
    std::array<std::uint32_t, kHashListItems> items{};
    bool operator==(const HashListRecord&) const = default;
};

struct TrustRecord {
    std::array<std::uint8_t, 20> fingerprint{};  ///< v3 fingerprints padded with zeros
    std::uint8_t ownertrust = 0;                  ///< level and flags (trust/ownertrust.h)
    std::uint8_t depth = 0;                       ///< depth of the key in the web of trust
    std::uint8_t min_ownertrust = 0;              ///< lower bound from trust signatures
    std::uint8_t flags = 0;                       ///< reserved octet in gpg 2.2, kept
    std::uint32_t validlist = 0;                  ///< first validity record
    bool operator==(const TrustRecord&) const = default;
};

struct ValidRecord {
    std::array<std::uint8_t, 20> namehash{};  ///< RIPEMD-160 of the user ID (or attribute)
    std::uint8_t validity = 0;                ///< level and flags
    std::uint32_t next = 0;                   ///< next validity record of the key
    std::uint8_t full_count = 0;              ///< fully trusted certifications seen
    std::uint8_t marginal_count = 0;          ///< marginally trusted certifications seen
    bool operator==(const ValidRecord&) const = default;
};

struct FreeRecord {
    std::uint32_t next = 0;
    bool operator==(const FreeRecord&) const = default;
};

/** A record of GnuPG 1.0 (types 2..9): kept as its octets, described field by field. */
struct LegacyRecord {
    RecordType type = RecordType::Directory;
    std::array<std::uint8_t, kRecordLen> octets{};
    bool operator==(const LegacyRecord&) const = default;
};

using RecordBody = std::variant<UnusedRecord, VersionRecord, HashTableRecord, HashListRecord, TrustRecord,
                                ValidRecord, FreeRecord, LegacyRecord>;

/** One record with its number (its position in the file). */
struct Record {
    std::uint32_t number = 0;
    RecordBody body;
    [[nodiscard]] RecordType type() const noexcept;
    bool operator==(const Record&) const = default;
};

/**
 * Decodes the 40 octets of record `number`. A version record must carry the magic "gpg"
 * (its version is not checked here: see Trustdb).
 * @throws Error(Errc::BadField) for an unknown type or a version record without magic,
 * Error(Errc::Truncated) if `octets` is shorter than 40; the offset is the record's, the
 * detail names the record number.
 */
[[nodiscard]] Record parse_record(ByteView octets, std::uint32_t number);

/** The 40 octets of a record, as gpg writes them (reserved octets zero). */
[[nodiscard]] std::array<std::uint8_t, kRecordLen> write_record(const Record& record);

/**
 * Calls `fn` for each record of a trustdb file in order, then throws at the first record
 * that cannot be decoded (so a dump shows what came before the damage).
 * @throws Error as parse_record(); Error(Errc::Truncated) naming the record of a file whose
 * length is not a multiple of 40.
 */
void for_each_record(ByteView file, const std::function<void(const Record&)>& fn);

/** Lists the fields of a record (not its number or type) into `sink`. */
void describe_record(const Record& record, packet::FieldSink& sink);

}  // namespace pgpkit::trust
