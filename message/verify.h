#pragma once
// Verification of signed messages, RFC 9580 sections 5.2.4, 7 and 10.3: detached
// signatures over a data stream, inline signed messages (one-pass or signature-first,
// compressed, binary or armored, nested) and cleartext signed messages. Results are
// reported as GnuPG's status lines report them (doc/DETAILS) through a StatusSink.

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "base/bytes.h"
#include "base/status.h"
#include "cert/cert.h"
#include "cert/verify.h"
#include "keyring/sources.h"
#include "packet/parser.h"
#include "packet/signature.h"
#include "packet/simple_packets.h"
#include "packet/source.h"

namespace pgpkit::message {

/** Validity of the signer's key in the trust model, as gpg's TRUST_* lines name it. */
enum class TrustLevel : std::uint8_t { Undefined, Never, Marginal, Fully, Ultimate };

/** "TRUST_UNDEFINED", "TRUST_NEVER", "TRUST_MARGINAL", "TRUST_FULLY", "TRUST_ULTIMATE". */
[[nodiscard]] const char* trust_keyword(TrustLevel t) noexcept;
/** The word gpg shows in brackets after a user ID: "unknown", "never", "marginal", "full", "ultimate". */
[[nodiscard]] const char* trust_word(TrustLevel t) noexcept;

/** The certificates that hold a key with this 8-octet key ID (none: the key is missing). */
using CertLookup = std::function<std::vector<cert::Cert>(const Bytes& keyid)>;

/** Look-ups in the store and keyring files of `sources` (which must outlive the result). */
[[nodiscard]] CertLookup lookup_in(keyring::Sources& sources);
/** Look-ups in certificates held in memory (which must outlive the result). */
[[nodiscard]] CertLookup lookup_in(const std::vector<cert::Cert>& certs);

/**
 * Signers already looked up and checked (certificate and validity), by key ID: shared by
 * many verifications (pipemode), so a key that signs many messages is found and checked
 * once. Valid for one `now` and one set of keys.
 */
class SignerCache {
public:
    SignerCache();
    ~SignerCache();
    SignerCache(const SignerCache&) = delete;
    SignerCache& operator=(const SignerCache&) = delete;
    struct Impl;
    Impl& impl() noexcept { return *m_impl; }

private:
    std::unique_ptr<Impl> m_impl;
};

/** Where keys come from and what to report to. */
struct VerifyOptions {
    /** The certificates signatures are checked with (the store, keyring files). Unset: none. */
    CertLookup keys;
    /** The time validity is judged at (Unix seconds). */
    std::uint32_t now = 0;
    packet::Limits limits;
    StatusSink status;
    /** Validity of a signer's certificate in the trust model; unset: no TRUST_* line. */
    std::function<TrustLevel(const cert::Cert&)> trust;
    /** The model named in TRUST_* lines. */
    std::string trust_model = "pgp";
    /**
     * Receives the signed data of an inline or cleartext message as it streams (gpg's
     * --output); with it, PLAINTEXT and PLAINTEXT_LENGTH are reported as gpg does.
     */
    std::function<void(ByteView)> output;
    cert::Policy policy;
    /** May be null: each verification then looks its signers up afresh. */
    SignerCache* cache = nullptr;
    /** False: a message without signatures is no error (what a decrypted one may be). */
    bool require_signature = true;
};

/** The verdict on one signature, as gpg's status keywords sort them. */
enum class SigOutcome : std::uint8_t {
    Good,   ///< verifies (the key or signature may still be expired or revoked: see flags)
    Bad,    ///< the key was found and the signature does not verify (BADSIG)
    NoKey,  ///< no certificate holds the issuer (ERRSIG rc 9, NO_PUBKEY)
    Error,  ///< cannot be checked: unknown algorithm or version, malformed (ERRSIG rc 4 or 1)
};

/** One checked signature, with what the CLI needs to render gpg's human lines. */
struct SignatureReport {
    std::optional<packet::Signature> sig;  ///< nullopt: a version pgpkit does not know
    SigOutcome outcome = SigOutcome::Error;
    std::string reason;                    ///< why, for Bad and Error
    std::string issuer;                    ///< issuer fingerprint (hex) when named, else long key ID
    std::string keyid;                     ///< long key ID of the issuer (hex)
    std::string algo_name;                 ///< gpg's name of the public-key algorithm: "RSA", "EDDSA", ...
    std::uint32_t created = 0;
    // Set when the key was found:
    std::string key_fpr;                   ///< of the key that made it (hex)
    std::string primary_fpr;               ///< of its certificate's primary key (hex)
    bool subkey = false;
    std::string primary_uid;               ///< the certificate's primary user ID
    std::vector<std::string> other_uids;   ///< its other valid user IDs, in order
    bool key_expired = false;
    std::optional<std::uint32_t> key_expires;
    bool key_revoked = false;
    std::string revocation_reason;         ///< "no reason specified", "key has been compromised: COMMENT", ...
    bool sig_expired = false;
    std::optional<std::uint32_t> sig_expires;
    std::optional<TrustLevel> trust;
    /** True for a good signature by a key that is neither expired nor revoked, unexpired itself. */
    bool fully_good() const noexcept {
        return outcome == SigOutcome::Good && !key_expired && !key_revoked && !sig_expired;
    }
};

struct VerifyResult {
    std::vector<SignatureReport> sigs;
    /** The literal data packet of an inline message (payload not kept). */
    std::optional<packet::Literal> literal;
    std::uint64_t literal_length = 0;
    /** At least one signature, and every one good and unexpired (keys may have expired since, as gpg allows). */
    [[nodiscard]] bool all_good() const noexcept;
};

/** gpg's name of a public-key algorithm in "using ... key" lines ("RSA", "DSA", "ECDSA", "EDDSA"). */
[[nodiscard]] std::string gpg_algo_name(packet::PubkeyAlgo algo);

/**
 * Checks the detached signatures of `signature` (binary or armored, one or more
 * signature packets) over the data of `data`, read once in constant memory.
 * @throws Error for a signature input that does not parse (with offset and packet index)
 * and for a data source that fails.
 */
[[nodiscard]] VerifyResult verify_detached(packet::Source& signature, packet::Source& data,
                                           const VerifyOptions& opt);

/**
 * Checks an inline signed message (binary or armored) or a cleartext signed message (the
 * form is detected), writing the signed data to opt.output. Binary and armored messages
 * are streamed; a cleartext message is read into memory (at most opt.limits.max_kept_payload).
 * @throws Error for input that does not parse or is not a signed message.
 */
[[nodiscard]] VerifyResult verify_message(packet::Source& input, const VerifyOptions& opt);

/**
 * Checks a signed message given as binary packets (no armor, no cleartext form): what a
 * decrypted message holds. Streams as verify_message does.
 * @throws Error for packets that do not make a signed message.
 */
[[nodiscard]] VerifyResult verify_packets(packet::Source& packets, const VerifyOptions& opt);

/** True if `signature` holds only signature packets (a detached signature), binary or armored. */
[[nodiscard]] bool is_detached_signature(packet::Source& signature, const packet::Limits& limits);

}  // namespace pgpkit::message
