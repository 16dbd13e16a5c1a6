#pragma once
// Session keys and the packets that carry them (RFC 9580 sections 5.1 and 5.3): making and
// opening PKESK v3/v6 for RSA, Elgamal, ECDH (NIST, brainpool, Cv25519) and X25519, and
// SKESK v4 (CFB) and v6 (AEAD). gpg's "algo:hex" text form of a session key.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "base/secret.h"
#include "cert/secret_key.h"
#include "crypto/protect.h"
#include "crypto/rng.h"
#include "packet/key.h"
#include "packet/names.h"
#include "packet/session_key.h"

namespace pgpkit::message {

struct SessionKey {
    /** The data cipher; for v6 ESKs it is not in the ESK and comes from the SEIPD v2 packet. */
    packet::SymAlgo algo{};
    SecretBytes key;
    bool operator==(const SessionKey&) const = default;
};

/** The block cipher of an OpenPGP symmetric algorithm, or nullopt (plaintext, unknown). */
[[nodiscard]] std::optional<crypto::CipherKind> cipher_of(packet::SymAlgo a) noexcept;
/** The AEAD mode of an OpenPGP AEAD algorithm, or nullopt. */
[[nodiscard]] std::optional<crypto::AeadKind> aead_of(packet::AeadAlgo a) noexcept;

/** gpg's --show-session-key form: decimal algorithm, ':', uppercase hex key. */
[[nodiscard]] std::string session_key_text(const SessionKey& sk);
/** Parses the form above. @throws Error(Errc::Usage) for anything else. */
[[nodiscard]] SessionKey parse_session_key_text(std::string_view text);

/** A random session key for `algo`. */
[[nodiscard]] SessionKey random_session_key(packet::SymAlgo algo, crypto::Rng& rng);

/** True if pgpkit can encrypt session keys to keys of this algorithm. */
[[nodiscard]] bool can_encrypt_to(const packet::Key& key) noexcept;

/**
 * A PKESK of `version` 3 or 6 holding `sk` for `recipient` (a public or secret key packet).
 * @throws Error(Errc::Usage) for an algorithm or curve pgpkit cannot encrypt to,
 *         Error(Errc::BadField) for key material that does not decode.
 */
[[nodiscard]] packet::Pkesk make_pkesk(const packet::Key& recipient, const SessionKey& sk, std::uint8_t version,
                                       crypto::Rng& rng);

/**
 * The session key in `p`, decrypted with `key` (its public fields) and `secret` (its
 * unprotected secret fields). nullopt if the ESK does not decrypt to a well-formed session
 * key (wrong key, corrupt data). For v6 PKESKs the algorithm is left unset.
 */
[[nodiscard]] std::optional<SessionKey> open_pkesk(const packet::Pkesk& p, const packet::Key& key,
                                                   const cert::SecretFields& secret);

/** SKESK parameters as gpg 2.2 writes them by default (iterated and salted S2K). */
struct SkeskParams {
    std::uint8_t version = 4;
    packet::HashAlgo hash = packet::HashAlgo::Sha256;
    std::uint8_t coded_count = 0xE0;             ///< 16 MiB hashed
    packet::AeadAlgo aead = packet::AeadAlgo::Ocb;  ///< v6
};

/**
 * A SKESK for `passphrase`. v4 with `sk` unset: no encrypted session key, the S2K output is
 * the session key (what gpg writes for -c alone); the returned key says which.
 */
[[nodiscard]] packet::Skesk make_skesk(const SecretBytes& passphrase, packet::SymAlgo algo,
                                       const std::optional<SessionKey>& sk, const SkeskParams& params,
                                       crypto::Rng& rng, SessionKey* derived = nullptr);

/** Bounds on the work an input-controlled S2K specifier of a SKESK may ask for. */
struct S2kLimits {
    cert::UnprotectLimits argon2;          ///< Argon2 memory and passes (RFC 9580's recommendations)
    std::uint32_t max_iterated_count = 0;  ///< octets hashed by an iterated S2K; 0: any (gpg's 65011712 at most)
};

/**
 * The session key of `s` for `passphrase`: nullopt if it does not decrypt to a well-formed
 * session key (v6: AEAD tag mismatch). @throws Error(Errc::Usage) for S2K types, ciphers
 * or modes pgpkit lacks, Error(Errc::LimitExceeded) for S2K work over `limits`.
 */
[[nodiscard]] std::optional<SessionKey> open_skesk(const packet::Skesk& s, const SecretBytes& passphrase,
                                                   const S2kLimits& limits = {});

}  // namespace pgpkit::message
