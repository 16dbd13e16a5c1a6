#pragma once
// Preparing an incoming certificate for import the way GnuPG 2.2 does before it merges
// (g10/import.c: remove_all_non_self_sigs, collapse_uids, key_check_all_keysigs,
// chk_self_sigs, delete_inv_parts) and cleaning a certificate as --import-options
// import-clean / import-minimal do (g10/key-clean.c: clean_all_uids, clean_all_subkeys).
// Nothing here touches storage.

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "cert/cert.h"
#include "cert/verify.h"

namespace pgpkit::keyring {

/** gpg's --import-options, plus the flooding bounds. Defaults are `gpg --import`'s. */
struct ImportOptions {
    bool self_sigs_only = false;   ///< self-sigs-only: drop every third-party signature
    bool import_clean = false;     ///< import-clean
    bool import_minimal = false;   ///< import-minimal (implies import-clean, as in gpg)
    bool merge_only = false;       ///< merge-only: new keys are skipped
    bool repair_keys = true;       ///< repair-keys (on by default in gpg 2.2)
    bool import_local_sigs = false;  ///< import-local-sigs: keep non-exportable signatures
    /**
     * pgpkit's own cap: third-party signatures per user ID or subkey beyond this many are
     * dropped (self-signatures never are) and reported. 0: no cap (gpg has none).
     */
    std::size_t max_sigs_per_component = 0;
    /**
     * gpg's keybox image limit (5 MiB): a keyblock larger than this once merged is
     * imported again with self-sigs-only and import-clean; if it is still too large it is
     * not imported ("not imported" in the summary). 0: no limit.
     */
    std::size_t max_keyblock_bytes = std::size_t{5} << 20;
    /**
     * Not gpg: accept a keyblock with no valid user ID when the key is already known and
     * the keyblock carries key revocations, applying those as revocation certificates.
     * gpg 2.2 rejects such a keyblock ("no valid user IDs").
     */
    bool revocation_only_updates = false;
    /**
     * Not gpg 2.2, which skips v5 and v6 keys while reading: import them (RFC 9580 keys,
     * which pgpkit makes). False gives gpg 2.2's behaviour (UnknownVersion).
     */
    bool accept_v5_v6 = true;
    /** Key IDs with a secret key at hand: their non-exportable signatures are kept (gpg). */
    std::function<bool(std::uint64_t keyid)> have_secret_key;

    bool clean() const noexcept { return import_clean || import_minimal; }
};

/** Why a part of an incoming certificate was left out. */
enum class DropReason : std::uint8_t {
    NoValidSelfSignature,   ///< user ID or subkey without a valid self-signature / binding
    DuplicateUserId,        ///< merged into an earlier equal user ID (collapse_uids)
    DuplicateSignature,     ///< same signature twice on one component
    InvalidSelfSignature,   ///< bad direct-key signature, binding or subkey revocation
    SupersededSelfSignature,  ///< an older binding or subkey revocation beside a newer one
    NotSelfSignature,       ///< self-sigs-only
    UnsupportedAlgorithm,   ///< signature of a public-key algorithm gpg 2.2 does not know
    NonExportable,          ///< local signature (exportable certification = 0)
    MisplacedRevocation,    ///< key revocation after a user ID or subkey (applied later)
    InvalidRevocation,      ///< self key revocation that does not verify
    WrongPlace,             ///< subkey signature before any subkey / without a subkey
    UnexpectedClass,        ///< signature type that does not belong in a certificate
    NotKeyblockPacket,      ///< trust, padding, unknown or unparsed packet
    Cleaned,                ///< import-clean / import-minimal removed it
    FloodCap,               ///< over max_sigs_per_component
};
const char* drop_reason_name(DropReason r) noexcept;

/** One dropped part: a whole component, or some packets of one. */
struct Dropped {
    cert::ComponentKind kind = cert::ComponentKind::PrimaryKey;
    std::string component;       ///< "primary key", "user ID \"Alice\"", "subkey 0123ABCD..."
    bool whole_component = false;  ///< the user ID / subkey itself went, with its signatures
    std::size_t packets = 1;     ///< packets dropped (a whole component: head and tail)
    DropReason reason = DropReason::NoValidSelfSignature;
    std::string detail;          ///< gpg's wording where it has one
};

/** Why a certificate cannot be imported at all. */
enum class Problem : std::uint8_t {
    None,
    NoUserId,        ///< gpg "key X: no user ID" (no user ID packet at all; counted as "w/o user IDs")
    NoValidUserIds,  ///< gpg "key X: no valid user IDs" (counted as "w/o user IDs")
    InvalidKeyblock, ///< gpg "key X: no user ID for signature" (not counted)
    V3Key,           ///< a PGP-2 key: skipped, counted as "skipped PGP-2 keys"
    UnknownVersion,  ///< v5/v6 keys, which gpg 2.2 skips while reading (not counted)
};
const char* problem_text(Problem p) noexcept;

/** An incoming certificate after preparation. */
struct Prepared {
    cert::Cert cert;
    std::vector<Dropped> dropped;
    Problem problem = Problem::None;
    bool importable() const noexcept { return problem == Problem::None; }
    /**
     * Key revocations that gpg takes out of the keyblock and applies afterwards as
     * revocation certificates (a revocation after a user ID, or one made by another key):
     * the caller hands each to attach_revocation once the key is stored.
     */
    std::vector<packet::Packet> other_revocations;
    std::size_t reordered = 0;   ///< repair-keys: signatures moved to the component they are over
    /** import-clean: the KEYEXPIRED lines of gpg's checks while it prepares (internal/key_expired.h). */
    std::vector<std::uint32_t> key_expired;
    std::size_t user_ids_collapsed = 0;
};

/**
 * Prepares `incoming` as gpg's import_one does before it looks the key up: self-sigs-only,
 * collapsing of duplicate user IDs, import-clean (as clean_cert), repair-keys (duplicates
 * removed, misplaced self-signatures moved), self-signature checks and removal of the
 * invalid parts. `ctx` supplies the policy and, for import-clean and repair-keys, the
 * keys third-party signatures are checked against (may be null: none). Never throws for
 * bad input; the problem is in the result.
 */
[[nodiscard]] Prepared prepare_cert(cert::Cert incoming, const ImportOptions& opt, const cert::CheckContext& ctx,
                                    std::uint32_t now);

/**
 * The issuer key IDs repair-keys needs to look up for `c`: of the certifications that are
 * not over the component they sit on (another kind of component, or a digest whose left
 * 16 bits do not match). Only those issuers decide where a signature goes, so an import
 * loads just them from the store.
 */
[[nodiscard]] std::vector<std::uint64_t> repair_issuers(const cert::Cert& c);

/** What clean_cert removed: gpg's n_uids_cleaned and n_sigs_cleaned. */
struct CleanCounts {
    std::size_t uids_cleaned = 0;
    std::size_t sigs_cleaned = 0;
};

/**
 * gpg's clean_all_uids + clean_all_subkeys(KEY_CLEAN_NONE): on every user ID keep only the
 * newest valid signature of each signer (certification or revocation; with `minimal` only
 * the self-signer's), compact a revoked or expired user ID to the self-signature that
 * decides it, and drop signatures after subkeys that are neither bindings nor subkey
 * revocations. Third-party signatures whose issuer is not in `ctx.others` are removed.
 */
CleanCounts clean_cert(cert::Cert& c, bool minimal, const cert::CheckContext& ctx, std::uint32_t now,
                       std::vector<Dropped>* dropped = nullptr);

/** gpg's cmp_signatures: same issuer key ID, public-key algorithm and signature values. */
bool same_signature(const packet::Signature& a, const packet::Signature& b) noexcept;

/** Key ID of the issuer as gpg records it (0 when the signature names none). */
std::uint64_t issuer_of(const packet::Signature& s) noexcept;

/** "user ID \"text\"", "user attribute", "subkey <KEYID>" or "primary key". */
std::string describe_component(const cert::Component& comp);

}  // namespace pgpkit::keyring
