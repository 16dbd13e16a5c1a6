#pragma once
// Decrypting messages (RFC 9580 section 10.3): session keys from PKESKs with secret keys
// of a key source, from SKESKs with a passphrase, or given (--override-session-key); the
// encrypted data read in constant memory; gpg's status lines (doc/DETAILS) as events.
//
// Two levels: open_encrypted() turns an encrypted message into the packet stream inside
// it (a packet::Source; integrity is checked when it reaches its end), for consumers such
// as a verifier of a signed message inside; decrypt() also unwraps compression and writes
// the literal data.

#include <array>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "base/secret.h"
#include "base/status.h"
#include "cert/cert.h"
#include "message/encrypt_sink.h"
#include "message/session_key.h"
#include "packet/parser.h"
#include "packet/source.h"

namespace pgpkit::message {

/** Where decryption finds secret keys. */
class SecretKeySource {
public:
    virtual ~SecretKeySource() = default;
    /**
     * Transferable secret keys holding a key with this key ID (all zero: an anonymous
     * recipient, so every key that can decrypt), secret part included.
     */
    virtual std::vector<cert::Tsk> secret_keys(const std::array<std::uint8_t, 8>& keyid) = 0;
    /** The certificate holding a key with this key ID, for messages (may return nullopt). */
    virtual std::optional<cert::Cert> certificate(const std::array<std::uint8_t, 8>& keyid) = 0;
};

/** Human-readable notes, worded as gpg words them (without the "gpg: " prefix). */
using NoteSink = std::function<void(const std::string&)>;

struct DecryptOptions {
    SecretKeySource* keys = nullptr;             ///< may be null: only SKESKs or an override
    std::optional<SecretBytes> passphrase;       ///< unlocks secret keys and opens SKESKs
    std::optional<SessionKey> override_key;      ///< --override-session-key
    bool show_session_key = false;               ///< emit SESSION_KEY and a note
    StatusSink status;
    NoteSink notes;
    packet::Limits limits;                       ///< nesting and decompression bounds
    S2kLimits s2k_limits;                        ///< work a SKESK's S2K may ask for
    /**
     * Consumes the decrypted packet stream instead of the built-in reader (literal data,
     * compression, signature packets skipped): a verifier of a signed message plugs in
     * here. It reads `packets` to its end, writes the literal data to `out` and emits its
     * own lines (PLAINTEXT, NEWSIG, GOODSIG, ...); decrypt() then checks integrity and emits
     * DECRYPTION_OKAY, GOODMDC and END_DECRYPTION, as gpg orders them.
     */
    std::function<void(packet::Source& packets, ByteSink& out)> inner;
};

/** Why a decryption gave no plaintext, or gave one that is not to be trusted. */
enum class DecryptFailure : std::uint8_t {
    None,
    NoSessionKey,     ///< no ESK could be opened: no secret key, no or wrong passphrase
    BadSessionKey,    ///< a session key was found but does not decrypt the data (quick check)
    Manipulated,      ///< bad or missing MDC, AEAD tag failure
    NotProtected,     ///< legacy SED packet: no integrity protection, refused as failure
};

struct DecryptResult {
    DecryptFailure failure = DecryptFailure::None;
    std::string detail;                  ///< one line for failures
    std::optional<SessionKey> session_key;
    bool integrity_checked = false;      ///< MDC or AEAD verified
    std::uint8_t literal_format = 0;     ///< of the (last) literal data packet
    std::string literal_name;
    std::uint32_t literal_date = 0;
    std::uint64_t plaintext_octets = 0;
    bool ok() const noexcept { return failure == DecryptFailure::None; }
};

/**
 * An encrypted message opened: the ESKs were read and a session key found. packets() is
 * the decrypted packet stream; reading it to its end checks integrity (and throws
 * Error(Errc::Crypto) "encrypted message has been manipulated ..." when it fails).
 */
class EncryptedMessage {
public:
    virtual ~EncryptedMessage() = default;
    /** The inner packet stream; null when `result().failure` is set. */
    virtual packet::Source* packets() noexcept = 0;
    /** The outcome so far (a failure found while opening; the session key once found). */
    virtual DecryptResult& result() noexcept = 0;
    /** True once the inner stream has ended and its MDC or final AEAD tag verified. */
    virtual bool verified() const noexcept = 0;
    /** True for the legacy SED packet (no integrity protection). */
    virtual bool unprotected() const noexcept = 0;
};

/**
 * Reads the ESK packets of `input` (binary OpenPGP; dearmor first) up to the encrypted data
 * packet, emits ENC_TO, NO_SECKEY, BEGIN_DECRYPTION, DECRYPTION_INFO (and SESSION_KEY when
 * asked), and returns the message positioned at the encrypted data. `input` must outlive it.
 * @throws Error for input that is not an encrypted message (Errc::BadField naming the packet)
 *         or whose framing is broken.
 */
[[nodiscard]] std::unique_ptr<EncryptedMessage> open_encrypted(packet::Source& input, const DecryptOptions& opt);

/**
 * Decrypts `input` (binary or armored) and writes the literal data to `out`, with gpg's
 * status lines: ... PLAINTEXT, PLAINTEXT_LENGTH, DECRYPTION_OKAY, GOODMDC, END_DECRYPTION
 * on success; DECRYPTION_FAILED and END_DECRYPTION on failure. Output written before an
 * integrity failure is found is not to be used: the result says so.
 * @throws Error for bad input (framing, truncation, garbage), as for open_encrypted.
 */
[[nodiscard]] DecryptResult decrypt(packet::Source& input, ByteSink& out, const DecryptOptions& opt);

}  // namespace pgpkit::message
