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
    std::optional<std::size_t> self_sig;  ///< index into sigs of the binding self-signature in force
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
 * Checks every signature of `c` and derives validity at time `now` (Unix seconds).
 * Newest valid self-signature wins; a user ID is revoked when its newest self-signature
 * is a revocation; a signing subkey needs a valid back-signature (0x19); signatures from
 * the future and bindings older than their subkey are ignored, with the reason kept.
 */
[[nodiscard]] CertReport check_cert(const Cert& c, const CheckContext& ctx, std::uint32_t now);

/** The checks of a set of certificates, and the index of keys they were checked against. */
struct CheckResults {
    KeyIndex index;                   ///< every key of the input and the keyring, with usability
    std::vector<CertReport> reports;  ///< parallel to the input
};

/**
 * check_cert for every certificate of `input`, with issuers of third-party signatures
 * looked up in `input` and `keyring` (both must outlive the results), on `jobs` threads.
 * Two passes, as gpg's look-ups need: self-signatures first, which decide whether each
 * certificate is usable as an issuer, then the third-party signatures.
 */
[[nodiscard]] CheckResults check_certs(const std::vector<Cert>& input, const std::vector<Cert>& keyring,
                                       const Policy& policy, std::uint32_t now, unsigned jobs = 1);

}  // namespace pgpkit::cert
