#pragma once
// The key store (issue 10): keys.db, an SQLite database in the home folder. Certificates
// and secret keys are kept as their OpenPGP bytes, exactly as merged, and indexed as
// GnuPG's gdbm keyrings were (doc/DETAILS, "Usage of gdbm files for keyrings"):
// fingerprint -> keyblock, 8-octet key ID, 4-octet short key ID and e-mail address ->
// fingerprints, for primary keys and subkeys; plus user ID text, domains and keygrips.

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/bytes.h"
#include "base/secret.h"
#include "cert/cert.h"
#include "cert/verify.h"
#include "keyring/spec.h"

namespace pgpkit::keyring {

/** The schema version this library writes; older stores are migrated on open. */
inline constexpr int kSchemaVersion = 3;

/**
 * The home folder: `explicit_home` if not empty, else $PGPKIT_HOME, else
 * $XDG_DATA_HOME/pgpkit, else ~/.local/share/pgpkit. Created (mode 0700) when missing.
 * @throws Error(Errc::Io) if it cannot be created or is not a folder.
 */
[[nodiscard]] std::string resolve_home(const std::string& explicit_home, bool create = true);

/**
 * keys.db of the home folder resolve_home names, if that file exists (for commands that
 * read the store when there is one and never create it).
 */
[[nodiscard]] std::optional<std::string> existing_store_path(const std::string& explicit_home);

/**
 * Keeps a revocation certificate as gpg does: `<home>/openpgp-revocs.d/<FPR>.rev`
 * (folder 0700, file 0600, written atomically; an existing one is replaced). Returns its path.
 * @throws Error(Errc::Io) if the folder or file cannot be written.
 */
std::string save_revocation_certificate(const std::string& home, ByteView fingerprint, std::string_view text);

/** What a key packet of a transferable secret key holds (gpg's sec, sec#, sec>). */
enum class SecretLevel : std::uint8_t { None = 0, Present = 1, Stub = 2, Card = 3 };

/** The secret level of a key component of a Tsk (None for public key packets). */
[[nodiscard]] SecretLevel secret_level(const cert::Component& comp) noexcept;

/** A certificate as stored. */
struct StoredCert {
    std::int64_t id = 0;        ///< row id: insertion order, stable across updates
    Bytes fingerprint;          ///< of the primary key
    Bytes keyblock;             ///< the certificate's packets, as merged
    bool has_secret = false;    ///< a secret keyblock is stored beside it
};

class Store;

/**
 * A write transaction (BEGIN IMMEDIATE; other writers wait up to the busy timeout).
 * Everything done through it lands together at commit(), or not at all.
 */
class StoreWriter {
public:
    explicit StoreWriter(Store& store);
    ~StoreWriter();
    StoreWriter(const StoreWriter&) = delete;
    StoreWriter& operator=(const StoreWriter&) = delete;

    /** Inserts or replaces the certificate with `c`'s primary fingerprint, and its indexes. */
    void put(const cert::Cert& c);
    /**
     * Stores a transferable secret key (its packets as merged) beside the certificate
     * with the same primary fingerprint, which must be stored already, and marks which of
     * its keys have secret parts.
     */
    void put_secret(const cert::Tsk& tsk);
    /** Removes a certificate (and its secret keyblock). False if it was not there. */
    bool erase(ByteView fingerprint);
    /** Removes only the secret keyblock. False if there was none. */
    bool erase_secret(ByteView fingerprint);
    /**
     * Stores verifications known to succeed (cert::VerifiedSignatures::take_fresh), each
     * with its certificate's fingerprint; those of certificates not in the store are left
     * out. Returns how many were stored.
     */
    std::size_t save_verified(const std::vector<std::pair<Bytes, cert::VerifiedSignatures::Id>>& entries);
    void commit();

private:
    struct Impl;
    std::unique_ptr<Impl> m_impl;
};

/** One open keys.db. Not thread-safe: one Store per thread (SQLite handles processes). */
class Store {
public:
    /**
     * Opens `db_path`, creating it (mode 0600) and its schema when missing, migrating an
     * older schema. A file that is not an SQLite database or not a pgpkit store is an
     * Error(Errc::BadField) naming the file, and is never written to.
     */
    explicit Store(const std::string& db_path);
    ~Store();
    Store(const Store&) = delete;
    Store& operator=(const Store&) = delete;

    /** keys.db in a home folder (see resolve_home). */
    [[nodiscard]] static std::string db_path_in(const std::string& home);

    /** The schema version the file had when it was opened (before any migration). */
    int opened_version() const noexcept;

    /** The stored certificate with this primary-key fingerprint. */
    [[nodiscard]] std::optional<StoredCert> get(ByteView fingerprint);
    /** The stored secret keyblock of a certificate. */
    [[nodiscard]] std::optional<SecretBytes> get_secret(ByteView fingerprint);
    /**
     * Primary fingerprints of the certificates a specification names, in store order.
     * Every kind but Substring is an index look-up; key IDs and fingerprints match
     * subkeys too.
     */
    [[nodiscard]] std::vector<Bytes> find(const KeySpec& spec);
    /** Primary fingerprints of certificates having a key whose fingerprint or ID matches. */
    [[nodiscard]] std::vector<Bytes> find_by_key_id(ByteView keyid);
    /** Every certificate in store order; `fn` returns false to stop. */
    void for_each(const std::function<bool(const StoredCert&)>& fn);
    [[nodiscard]] std::size_t count();
    /** The keys (primary and subkeys) of a certificate with a stored secret part. */
    [[nodiscard]] std::vector<std::pair<Bytes, SecretLevel>> secret_keys(ByteView primary);
    /** Adds the stored verifications of every certificate to `into`. */
    void load_verified(cert::VerifiedSignatures& into);
    /** Adds the stored verifications of one certificate to `into`. */
    void load_verified(ByteView fingerprint, cert::VerifiedSignatures& into);
    /** PRAGMA integrity_check: "ok" or SQLite's report. */
    [[nodiscard]] std::string integrity_check();

private:
    friend class StoreWriter;
    struct Impl;
    std::unique_ptr<Impl> m_impl;
};

}  // namespace pgpkit::keyring
