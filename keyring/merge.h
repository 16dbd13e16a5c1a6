#pragma once
// Merging an incoming certificate into the stored one as GnuPG 2.2 does (g10/import.c:
// import_one_real, merge_blocks, import_revoke_cert, import_secret_one), with the counts
// gpg reports in its summary and in IMPORT_OK. Independent of storage: the caller looks
// the stored certificate up, calls import_cert, and stores what it returns.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "cert/cert.h"
#include "cert/verify.h"
#include "keyring/clean.h"

namespace pgpkit::keyring {

/** What merge_blocks added: gpg's n_uids, n_subk and n_sigs. */
struct MergeCounts {
    std::size_t uids = 0;     ///< new user IDs and attributes
    std::size_t subkeys = 0;  ///< new subkeys
    std::size_t sigs = 0;     ///< new signatures (those of new user IDs and subkeys included)
    bool any() const noexcept { return uids || subkeys || sigs; }
};

/**
 * gpg's merge_blocks: adds to `existing` what `incoming` (a prepared certificate of the
 * same key) has and it has not, never removing anything. New key revocations and
 * direct-key signatures go right after the primary key; new signatures on a known user ID
 * or subkey after its signatures; new user IDs before the first subkey; new subkeys at the
 * end. Signatures on keys and user IDs are the same when same_signature says so; on
 * subkeys, as gpg's merge_keysigs, one is new unless the component has one of the same
 * type by the same issuer that is not older.
 */
MergeCounts merge_into(cert::Cert& existing, const cert::Cert& incoming);

/** gpg's fix_bad_direct_key_sigs on a stored certificate: returns how many were removed. */
std::size_t remove_bad_direct_key_sigs(cert::Cert& stored, const cert::CheckContext& ctx);

/** What merging secret key packets did (gpg counts per keyblock, see ImportResult). */
struct SecretMerge {
    std::size_t imported = 0;  ///< keys that got their secret part here
    std::size_t dups = 0;      ///< keys whose secret part the store already had
    std::size_t stubs = 0;     ///< gnu-dummy / divert-to-card stubs, skipped as gpg does
};

/**
 * Puts the secret key packets of `tsk` into `stored` where `stored` has the same key
 * (by fingerprint) as a public packet or as a stub; a key that already has its secret
 * part is a duplicate and stays as stored. Components missing from `stored` get nothing.
 */
SecretMerge merge_secret(cert::Cert& stored, const cert::Cert& tsk);

/** What became of one keyblock. */
enum class ImportOutcome : std::uint8_t {
    New,          ///< inserted (gpg "public key ... imported")
    Updated,      ///< merged with changes (new user IDs, subkeys, signatures, or cleaned)
    Unchanged,    ///< merged, nothing new (gpg "not changed")
    SkippedNew,   ///< merge-only and the key is not known
    NotImported,  ///< see Prepared::problem, or too large even after self-sigs-only
};
const char* import_outcome_name(ImportOutcome o) noexcept;

/** One status line: keyword and arguments as gpg writes them (before %-escaping). */
struct StatusLine {
    std::string keyword;  ///< "IMPORTED", "IMPORT_OK", ...
    std::string args;
    bool operator==(const StatusLine&) const = default;
};

/** The result of importing one keyblock. */
struct ImportResult {
    ImportOutcome outcome = ImportOutcome::NotImported;
    Problem problem = Problem::None;
    bool too_large = false;   ///< counted as "not imported"
    bool store = false;       ///< `cert` must be written to the store
    cert::Cert cert;          ///< the certificate to store (merged), when store is set
    MergeCounts counts;
    CleanCounts cleaned;      ///< gpg reports these for merges only
    std::vector<Dropped> dropped;
    std::vector<packet::Packet> other_revocations;  ///< hand to attach_revocation after storing
    bool retried_self_sigs_only = false;  ///< the keyblock limit forced self-sigs-only + clean

    bool secret = false;          ///< the keyblock was a transferable secret key
    SecretMerge secret_merge;
    /** IMPORT_OK reason of the public part (1 new, 2 uids, 4 sigs, 8 subkeys), if printed. */
    std::optional<unsigned> import_ok;
    /** IMPORT_OK reason of the secret part (16, | 1 when a secret key is new), if printed. */
    std::optional<unsigned> secret_import_ok;
    /**
     * KEYEXPIRED lines gpg writes while it prepares, merges and cleans the keyblock, before
     * its look-up of the stored key (internal/key_expired.h; only import-clean gives any).
     */
    std::vector<std::uint32_t> key_expired;
    /** The status lines gpg prints for this keyblock, in order. */
    std::vector<StatusLine> status;
    /** gpg's log line for the keyblock ("key 0123...: public key \"Alice\" imported"). */
    std::vector<std::string> log;
};

/**
 * Imports one keyblock: prepare_cert, then insert (existing == null) or merge, import-clean
 * again on the result, the keyblock-size fallback, and for a transferable secret key the
 * secret packets. `ctx.others` should hold the keys of the store for third-party checks
 * (import-clean, repair-keys); it may be null. Never throws for bad input.
 */
[[nodiscard]] ImportResult import_cert(cert::Cert incoming, const cert::Cert* existing, const ImportOptions& opt,
                                       const cert::CheckContext& ctx, std::uint32_t now);

/** What became of a bare revocation certificate. */
enum class RevocationOutcome : std::uint8_t {
    NoPublicKey,  ///< gpg "no public key - can't apply revocation certificate" (not an error)
    Invalid,      ///< gpg "invalid revocation certificate: ... - rejected" (gpg stops there)
    Duplicate,    ///< the key already has it (nothing counted)
    Imported,     ///< gpg "revocation certificate imported" (counted as a new key revocation)
};

struct RevocationResult {
    RevocationOutcome outcome = RevocationOutcome::NoPublicKey;
    std::string reason;   ///< Invalid: the verdict
    std::vector<std::string> log;
};

/**
 * gpg's import_revoke_cert: checks the key revocation `sig` (type 0x20) against the stored
 * certificate of the key it names (`stored` may be null: not found) and, when it verifies
 * and is not there yet, puts it right after the primary key of `stored`.
 */
RevocationResult attach_revocation(cert::Cert* stored, const packet::Packet& sig, const cert::CheckContext& ctx);

/** "0123456789ABCDEF": the key ID as gpg prints it in status lines. */
std::string keyid_hex(const packet::Key& k);

}  // namespace pgpkit::keyring
