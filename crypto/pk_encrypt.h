#pragma once
// Public-key encryption of session keys on raw integers (RFC 9580 section 5.1): RSA and
// Elgamal with EME-PKCS1-v1_5, and the Diffie-Hellman agreements behind ECDH (NIST,
// brainpool, Cv25519) and X25519. Key derivation and key wrap belong to the caller.

#include <cstdint>
#include <optional>
#include <span>

#include "base/secret.h"
#include "crypto/pk.h"
#include "crypto/rng.h"

namespace pgpkit::crypto {

/** RSA encryption with EME-PKCS1-v1_5 padding: the ciphertext integer c. */
[[nodiscard]] Integer encrypt_rsa(const Integer& n, const Integer& e, std::span<const std::uint8_t> m, Rng& rng);
/** The padded message, or nullopt if c does not decrypt to a well-padded one. */
[[nodiscard]] std::optional<SecretBytes> decrypt_rsa(const RsaKey& k, const Integer& c);

struct ElgamalCiphertext {
    Integer a, b;  ///< g^k and m * y^k
};
/** Elgamal encryption with EME-PKCS1-v1_5 padding to the public key p, g, y of `k`. */
[[nodiscard]] ElgamalCiphertext encrypt_elgamal(const DlKey& k, std::span<const std::uint8_t> m, Rng& rng);
/** The padded message, or nullopt if (a, b) does not decrypt to a well-padded one. */
[[nodiscard]] std::optional<SecretBytes> decrypt_elgamal(const DlKey& k, const Integer& a, const Integer& b);

/** The sender's side of an ECDH agreement: an ephemeral public point and the shared secret. */
struct Agreement {
    Integer ephemeral;    ///< in the recipient key's point encoding (EcKey::point; X25519: 32 octets)
    SecretBytes shared;   ///< x coordinate (Weierstrass curves) or the X25519 output
};

/**
 * ECDH with an ephemeral key against `point` (EcKey::point encoding) on `curve`.
 * @throws Error(Errc::Crypto) for a point not on the curve, or a curve without ECDH.
 */
[[nodiscard]] Agreement ecdh_agree(Curve curve, const Integer& point, Rng& rng);
/** The recipient's side: the shared secret of secret key `k` and an ephemeral point. */
[[nodiscard]] SecretBytes ecdh_shared(const EcKey& k, const Integer& ephemeral);

/** X25519 (RFC 7748) on native 32-octet encodings: the sender's side. */
[[nodiscard]] Agreement x25519_agree(std::span<const std::uint8_t> point, Rng& rng);
/**
 * The recipient's side with the native (little-endian) secret scalar.
 * @throws Error(Errc::Crypto) for a wrong size or an all-zero shared secret.
 */
[[nodiscard]] SecretBytes x25519_shared(std::span<const std::uint8_t> secret, std::span<const std::uint8_t> ephemeral);
/** The public key of a native X25519 secret scalar (for tests and key checks). */
[[nodiscard]] Integer x25519_public(std::span<const std::uint8_t> secret);

}  // namespace pgpkit::crypto
