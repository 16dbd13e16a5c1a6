#pragma once
// Encrypting messages (RFC 9580 section 10.3): recipients' keys chosen as gpg chooses them,
// PKESK and SKESK packets, SEIPD v1 (MDC) or v2 (AEAD) from the recipients' features,
// compression from their preferences, a literal data packet, optional armor; streamed in
// constant memory. Status events BEGIN_ENCRYPTION, END_ENCRYPTION, INV_RECP, NO_RECP.

#include <cstdint>
#include <optional>
#include <variant>
#include <string>
#include <vector>

#include "base/secret.h"
#include "base/status.h"
#include "cert/cert.h"
#include "crypto/rng.h"
#include "keyring/sources.h"
#include "message/encrypt_sink.h"
#include "message/session_key.h"
#include "message/sign.h"
#include "packet/source.h"

namespace pgpkit::message {

/** INV_RECP reason codes (doc/DETAILS). */
enum class InvalidRecipient : std::uint8_t {
    NoReason = 0, NotFound = 1, Ambiguous = 2, WrongUsage = 3, Revoked = 4, Expired = 5,
};
/** gpg's words for a reason: "No public key", "Unusable public key", ... */
const char* invalid_recipient_text(InvalidRecipient r) noexcept;

/** A recipient's chosen key with what its certificate says about algorithms. */
struct Recipient {
    std::string spec;                         ///< as the user named it
    Bytes primary_fingerprint;
    packet::Key key;                          ///< the encryption key (subkey or primary)
    std::vector<packet::SymAlgo> sym_prefs;   ///< subpacket 11
    std::vector<packet::CompressionAlgo> compression_prefs;  ///< subpacket 22
    std::vector<packet::AeadAlgo> aead_prefs; ///< from subpacket 39 (cipher-suite pairs)
    bool seipd_v2 = false;                    ///< features bit 0x08, or a v6 key
};

/**
 * The key of `c` that gpg encrypts to at time `now`: the newest valid subkey that may
 * encrypt (key flags) with an algorithm pgpkit can encrypt to; else the primary key if it
 * may. Otherwise the reason.
 */
[[nodiscard]] std::variant<Recipient, InvalidRecipient> pick_recipient(const cert::Cert& c, std::uint32_t now);

/** The recipients found, and the specifications that gave none (with the reason). */
struct RecipientLookup {
    std::vector<Recipient> found;
    std::vector<std::pair<std::string, InvalidRecipient>> invalid;
};
/**
 * Looks each specification up in `sources` (the store, keyring files) and picks its key;
 * the first matching certificate with a usable key wins. Emits INV_RECP for the others.
 */
[[nodiscard]] RecipientLookup find_recipients(keyring::Sources& sources, const std::vector<std::string>& specs,
                                              std::uint32_t now, const StatusSink& status);

struct EncryptOptions {
    std::vector<Recipient> recipients;
    std::optional<SecretBytes> passphrase;               ///< -c: a SKESK for it
    std::vector<SecretBytes> more_passphrases;           ///< a SKESK for each of these too
    std::optional<packet::SymAlgo> cipher;               ///< else from preferences (AES-256 by default)
    std::optional<packet::CompressionAlgo> compression;  ///< else from preferences; Uncompressed = none
    int compress_level = 6;
    /** nullopt: SEIPD v2 when every recipient supports it (and there is one); else as given. */
    std::optional<bool> aead;
    std::optional<packet::AeadAlgo> aead_mode;           ///< else from preferences (OCB by default)
    std::uint8_t chunk_octet = 16;                       ///< SEIPD v2 chunk size octet (2^22 octets)
    bool armor = false;
    std::string filename;                                ///< literal data packet
    std::uint32_t date = 0;
    std::uint8_t format = 'b';
    /**
     * Sign inside the encryption (gpg -se, sop encrypt --sign-with): one-pass signatures, the
     * literal data and the signatures (text signatures when format is 't' or 'u'), made at `date`.
     * Not owned (a SigningKey cannot be copied, these options can): null or empty signs nothing.
     */
    const std::vector<SigningKey>* signers = nullptr;
    /** Creation time of those signatures; 0: `date` (gpg signs at the current time, not the file's). */
    std::uint32_t signed_at = 0;
    StatusSink status;
};

struct EncryptResult {
    SessionKey session_key;
    bool aead = false;
    packet::AeadAlgo aead_algo = packet::AeadAlgo::Ocb;
    packet::CompressionAlgo compression = packet::CompressionAlgo::Uncompressed;
    std::uint64_t plaintext_octets = 0;
};

/**
 * Encrypts `plaintext` to `out`. @throws Error(Errc::Usage) with neither recipients nor a
 * passphrase, Error(Errc::Io) from the sources and sinks.
 */
[[nodiscard]] EncryptResult encrypt(packet::Source& plaintext, ByteSink& out, const EncryptOptions& opt,
                                    crypto::Rng& rng);

}  // namespace pgpkit::message
