#pragma once
// Validity from the web of trust (issue 11): gpg 2.2's trust models over the certificates
// of the store, as g10/trustdb.c computes them in validate_keys. The result is what gpg
// keeps in its trustdb (a validity per user ID, the depth of each key, the counts of
// marginal and full certifications, the minimum ownertrust a trust signature imposes),
// the letters of colon field 2 that follow from it, and for each valid user ID the
// certifications that made it valid, so a caller can print a path to an ultimate key.
#include <cstddef>
#include <cstdint>
#include <functional>
#include <utility>
#include <optional>
#include <string>
#include <vector>

#include "base/bytes.h"
#include "cert/validity.h"

namespace pgpkit::trust {

/**
 * gpg's validity and ownertrust values (g10/trustdb.h, TRUST_UNKNOWN ... TRUST_ULTIMATE),
 * the low four bits of the trustdb's bytes. Same numbers as gpg's ownertrust levels.
 */
enum class Validity : std::uint8_t {
    Unknown = 0, Expired = 1, Undefined = 2, Never = 3, Marginal = 4, Full = 5, Ultimate = 6,
};

/** "unknown", "expired", "undefined", "never", "marginal", "full", "ultimate"; "err" else. */
const char* validity_name(Validity v) noexcept;

/** gpg's trust_letter: '-' 'e' 'q' 'n' 'm' 'f' 'u'; '?' for other values. */
char validity_letter(Validity v) noexcept;

/** gpg's trust models that compute validity (g10/options.h numbers). */
enum class WotModel : std::uint8_t { Classic = 0, Pgp = 1, Always = 3, Direct = 4 };

/** "classic", "pgp", "always", "direct" (gpg's trust_model_string). */
const char* wot_model_name(WotModel m) noexcept;

/** The options gpg 2.2 takes for validity, with its defaults. */
struct WotOptions {
    WotModel model = WotModel::Pgp;
    unsigned marginals_needed = 3;  ///< --marginals-needed
    unsigned completes_needed = 1;  ///< --completes-needed
    unsigned max_cert_depth = 5;    ///< --max-cert-depth
    /** --min-cert-level: certifications 0x11-0x13 below it do not count (0x10 always does). */
    unsigned min_cert_level = 2;
    /** --trusted-key: primary fingerprints taken as ultimately trusted beside ownertrust 6. */
    std::vector<Bytes> trusted_keys;
    cert::Policy policy;  ///< what a certification must pass beside verifying
    unsigned jobs = 1;    ///< threads for signature checks
};

/**
 * Ownertrust by primary-key fingerprint: gpg's byte, the level in the low four bits
 * (Validity numbers) and flags above it (0x80 disabled); 0 for a key without one.
 */
using OwnertrustLookup = std::function<std::uint8_t(ByteView fingerprint)>;

/**
 * A lookup over fingerprint and value pairs (the lines of gpg --export-ownertrust); the
 * pairs are copied, a later pair for a fingerprint wins.
 */
[[nodiscard]] OwnertrustLookup ownertrust_from(const std::vector<std::pair<Bytes, std::uint8_t>>& values);

/** One certification that counted for a user ID (a step of "why is this valid"). */
struct Counted {
    std::size_t signer = 0;     ///< index of the certifier's certificate in the input
    std::size_t signature = 0;  ///< index into Component::signatures() of the user ID
    Validity signer_trust = Validity::Unknown;  ///< the certifier's ownertrust as it counted
    unsigned depth = 0;         ///< the depth of the pass that counted it
};

/** A user ID's (or user attribute's) validity. */
struct UserIdValidity {
    std::size_t component = 0;  ///< index into Cert::components
    /** What the trustdb holds for it: Unknown when gpg stores no validity record. */
    Validity validity = Validity::Unknown;
    bool has_record = false;    ///< gpg stores a validity record for it
    char letter = '-';          ///< colon field 2 of its uid/uat record
    unsigned marginal_count = 0, full_count = 0;  ///< as gpg stores them
    /** Certifications that counted, by their pass; empty for an ultimately trusted key. */
    std::vector<Counted> counted;
};

/** A trust signature's grant (RFC 9580 section 5.2.3.21, 5.2.3.22) as gpg carries it on. */
struct TrustGrant {
    std::uint8_t depth = 0;  ///< levels of introducers left below this key
    std::uint8_t amount = 0; ///< 60: marginal, 120: full (RFC 4880 section 5.2.3.13)
    std::optional<std::string> regexp;  ///< scope of this key's certifications
};

/** A certificate's validity. */
struct KeyValidity {
    Validity validity = Validity::Unknown;  ///< the greatest of its user IDs' records
    char letter = '-';       ///< colon field 2 of its pub record (subkeys take it too)
    bool ultimate = false;   ///< ownertrust 6 or a --trusted-key
    std::uint8_t ownertrust = 0;      ///< the byte the lookup gave
    Validity min_ownertrust = Validity::Unknown;  ///< raised by trust signatures
    /** gpg's trust record depth: the last pass that stored a validity (0 for ultimate keys). */
    std::optional<unsigned> depth;
    /** The pass whose certifications it made count: set when it became an introducer. */
    std::optional<unsigned> introducer_depth;
    /** The first fully valid user ID when it became an introducer. */
    std::optional<std::size_t> introducer_uid;
    TrustGrant grant;        ///< the trust signature in force when it became an introducer
    std::vector<UserIdValidity> user_ids;  ///< every user ID and attribute, in order
};

/**
 * Colon field 9 of a pub record (gpg's get_ownertrust_info): the letter of the ownertrust
 * level, raised to the minimum a trust signature gave ('-' unknown, 'q', 'n', 'm', 'f', 'u').
 */
[[nodiscard]] char ownertrust_letter(const KeyValidity& k) noexcept;

/** One line of gpg's check-trustdb log ("depth: 0  valid: 1  signed: 2  trust: ..."). */
struct DepthStats {
    unsigned depth = 0;
    unsigned valid = 0;   ///< introducers of the pass
    unsigned signed_keys = 0;
    unsigned ownertrust[7] = {};  ///< introducers by ownertrust level (after trust signatures)
};

/** What a run computed. */
struct WotResult {
    std::vector<KeyValidity> keys;  ///< parallel to the input certificates
    std::vector<DepthStats> depths;
    /** gpg's next check: the first expiry that changes the result; 0 for none. */
    std::uint32_t next_check = 0;
    std::size_t signatures_checked = 0;
};

/**
 * Computes validity for `certs` at time `now` as gpg 2.2's validate_keys does:
 * - ultimately trusted keys (ownertrust 6, opt.trusted_keys) have ultimately valid user IDs;
 * - each pass takes the introducers of the pass before (first the ultimate keys), and
 *   counts their newest good, unexpired, unrevoked certifications (0x10-0x13, not below
 *   opt.min_cert_level) on the user IDs of keys that are not expired, revoked or fully
 *   valid on every user ID: an ultimate certifier makes a user ID fully valid, a full one
 *   counts toward completes_needed, a marginal one toward marginals_needed, others make it
 *   "undefined"; counts add up over passes;
 * - keys with a fully valid user ID become the next pass's introducers, with their
 *   ownertrust, at most max_cert_depth passes;
 * - pgp model only: a trust signature from an introducer with depth left passes depth - 1
 *   on, raises the ownertrust to marginal (amount >= 60) or full (>= 120), and its regular
 *   expression limits the user IDs the new introducer's certifications count on.
 * Signatures are checked only when their issuer is an introducer, on opt.jobs threads.
 * `checked`, if given, holds check results parallel to `certs` (cert::check_certs): good
 * or failed third-party verdicts in it are taken instead of checking again.
 */
[[nodiscard]] WotResult compute_validity(const std::vector<cert::Cert>& certs, const OwnertrustLookup& ownertrust,
                                         const WotOptions& opt, std::uint32_t now,
                                         const std::vector<cert::CertReport>* checked = nullptr);

/** One step of a path from a user ID to an ultimately trusted key. */
struct PathStep {
    std::size_t cert = 0;       ///< the certificate whose user ID is certified
    std::size_t component = 0;  ///< that user ID, an index into Cert::components
    Counted by;                 ///< the certification, and who made it
};

/**
 * A path that made user ID `component` of certificate `cert` valid: its certification by
 * the earliest introducer, then how that introducer's user ID became fully valid, and so
 * on up to a certification by an ultimately trusted key. Empty for an ultimately trusted
 * key's user IDs and for user IDs no certification counted for.
 */
[[nodiscard]] std::vector<PathStep> explain(const WotResult& r, std::size_t cert, std::size_t component);

/** What gpg's trustdb version record says (or what a run wrote into it). */
struct TrustDbState {
    WotModel model = WotModel::Pgp;
    std::uint32_t created = 0;
    std::uint32_t next_check = 0;
    unsigned marginals = 3, completes = 1, cert_depth = 5, min_cert_level = 2;
};

/**
 * gpg 2.2's "tru" colon record for a trustdb in `db` listed with options `opt` at `now`:
 * field 2 flags ('o' next check due, 't' other model, and in the pgp and classic models
 * 'm', 'c', 'd', 'l' for other marginals, completes, depth, min level), then model,
 * created, next check and, for the pgp and classic models, marginals, completes and
 * depth. No colon at the end, as gpg writes it.
 */
[[nodiscard]] std::string tru_record(const TrustDbState& db, const WotOptions& opt, std::uint32_t now);

/**
 * gpg's regular expression scope of a trust signature (g10/trustdb.c, check_regexp): the
 * expression is sanitized (only "." and the standard "<[^>]+[@.]" ... ">$" frame keep a
 * meaning), then matched case-insensitively as a POSIX extended expression anywhere in
 * `user_id`. An expression that does not compile matches nothing.
 */
[[nodiscard]] bool regexp_matches(const std::string& expr, const std::string& user_id);

/** The sanitized form check_regexp matches with. */
[[nodiscard]] std::string sanitize_regexp(const std::string& expr);

}  // namespace pgpkit::trust
