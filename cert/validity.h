#pragma once
// Validity without trust, as gpg derives it from self-signatures (issue 9, part 4): per
// key, subkey and user ID, valid / expired / revoked / invalid with the reason, key
// expiry, the primary user ID and capabilities.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "cert/verify.h"

namespace pgpkit::cert {

enum class ValidityState : std::uint8_t { Valid, Expired, Revoked, Invalid };
const char* validity_state_name(ValidityState s) noexcept;

/** Reason for revocation codes, RFC 9580 section 5.2.3.31. */
enum class RevocationReason : std::uint8_t {
    NoReason = 0, Superseded = 1, Compromised = 2, Retired = 3, UserIdInvalid = 32,
};

struct Validity {
    ValidityState state = ValidityState::Invalid;
    std::string reason;                     ///< why: invalid, revoked (with the reason text) or expired
    std::optional<std::uint32_t> expires;   ///< key expiry (keys) or self-signature expiry (user IDs)
    std::optional<std::uint32_t> revoked_at;
    /** Revocations: soft for "superseded" and "retired" (RFC 9580 section 5.2.3.31), else hard. */
    bool hard_revocation = false;
};

/** Key capabilities, the key flags of RFC 9580 section 5.2.3.29. */
struct Usage {
    bool certify = false, sign = false, encrypt = false, authenticate = false;
    bool operator==(const Usage&) const = default;
};

/** One component with the checks of its signatures (parallel to Component::signatures()). */
struct ComponentReport {
    const Component* component = nullptr;
    std::vector<SigCheck> sigs;
    Validity validity;
    Usage usage;               ///< keys: what the key may do
    bool primary_uid = false;  ///< user IDs: the primary user ID
    /**
     * User IDs and attributes: the self-signature in force (self_sig) sets the primary
     * user ID flag, expired or not. gpg lists the first such attribute first.
     */
    bool primary_flag = false;
    /**
     * Index into sigs of the self-signature in force: the newest good one (the later on
     * equal times); for a user ID a certification or its revocation, for a subkey the
     * binding, for the primary key the direct-key signature.
     */
    std::optional<std::size_t> self_sig;
    /**
     * Signing subkeys: the back-signature (0x19) embedded in the binding in force. gpg
     * lists a subkey without a good one as valid but refuses data signatures it made.
     */
    std::optional<CryptoResult> backsig;
};

struct CertReport {
    ComponentReport primary;
    std::vector<ComponentReport> components;  ///< parallel to Cert::components
    /** Whole-key usable capabilities (upper-case letters of colon field 12). */
    Usage usable;
    /** gpg's colon field 12: lower-case per key, then upper-case for the usable set. */
    std::string usage_field() const;
};

/** "scea"-style letters of a usage, lower-case. */
std::string usage_letters(const Usage& u);

/**
 * Checks every signature of `c` and derives validity at time `now` (Unix seconds) as
 * derive_validity does; then checks the back-signature of each signing subkey.
 */
[[nodiscard]] CertReport check_cert(const Cert& c, const CheckContext& ctx, std::uint32_t now);

/**
 * Key IDs of the issuers of `c`'s key revocations that could not be checked (no key at
 * hand) while a direct-key self-signature names designated revokers: gpg looks those
 * keys up whenever it lists the key. Empty for nearly every certificate.
 */
[[nodiscard]] std::vector<Bytes> pending_revoker_keyids(const Cert& c, const CertReport& rep);

/**
 * Checks `c`'s unchecked third-party key revocations with the keys of ctx.others and,
 * when one is a designated revoker's, derives the validity again (the key is revoked).
 */
void apply_designated_revocations(const Cert& c, CertReport& rep, const CheckContext& ctx, std::uint32_t now);

/**
 * The rules of gpg 2.2's merge_selfsigs (g10/getkey.c) over signatures already checked:
 * `rep.primary` and `rep.components` name the components of `c` and hold the verdicts of
 * their signatures; this fills in validity, usage, self_sig and primary_uid. Good
 * self-signatures count whatever their date, as in gpg: one dated after `now` too.
 * - User ID: the newest certification or revocation (the later on equal times) is in
 *   force; a revocation revokes, an expired certification expires the user ID.
 * - Subkey: the newest unexpired binding is in force (none: invalid); any revocation
 *   revokes, whatever its date; usage is its key flags masked by what the algorithm can
 *   do, else the algorithm's default; expiry is the binding's.
 * - Primary key: valid with a direct-key signature or any user ID self-signature. Usage
 *   comes from the newest direct-key signature, else from the newest user ID
 *   self-signature with key flags; expiry likewise, from the newest that sets one, so
 *   both may come from different user IDs. A primary key always certifies. It is
 *   revoked by a good key revocation of its own, or by one of a designated revoker that
 *   a good direct-key self-signature names (class bit 0x80 set), found in ctx.others.
 * - Primary user ID: the newest flagged primary, else the newest self-signed one, else
 *   the one that sorts last (longer, then greater octets); equal dates go to the user ID
 *   that sorts last.
 * - Subkeys of an invalid, revoked or expired primary key take its state.
 */
void derive_validity(const Cert& c, CertReport& rep, std::uint32_t now);

/** The checks of a set of certificates, and the index of keys they were checked against. */
struct CheckResults {
    KeyIndex index;                   ///< every key of the input and the keyring, with usability
    std::vector<CertReport> reports;  ///< parallel to the input
};

/**
 * check_cert for every certificate of `input`, with issuers of third-party signatures
 * looked up in `input` and `keyring` (both must outlive the results), on `jobs` threads.
 * Two passes, as gpg's look-ups need: self-signatures first, which decide whether each
 * certificate is usable as an issuer, then the third-party signatures. `verified` (may
 * be null) skips verifications known to succeed and records new ones.
 */
[[nodiscard]] CheckResults check_certs(const std::vector<Cert>& input, const std::vector<Cert>& keyring,
                                       const Policy& policy, std::uint32_t now, unsigned jobs = 1,
                                       VerifiedSignatures* verified = nullptr);

}  // namespace pgpkit::cert
