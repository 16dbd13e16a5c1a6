#pragma once
// Public-key primitives on raw integers (DESIGN: crypto/ knows bytes, not packets): key
// generation and signing for RSA, DSA, Elgamal, ECDSA, ECDH and EdDSA. Integers are
// big-endian without leading zero octets; secrets are SecretBytes.

#include <cstdint>
#include <span>
#include <vector>

#include "crypto/hash.h"
#include "crypto/progress.h"
#include "crypto/rng.h"
#include "base/secret.h"

namespace pgpkit::crypto {

using Integer = std::vector<std::uint8_t>;

struct RsaKey {
    Integer n, e;
    SecretBytes d, p, q, u;  ///< p < q, u = p^-1 mod q (RFC 9580 section 5.5.5.1)
};

/** DSA (q set) or Elgamal (q empty) key. */
struct DlKey {
    Integer p, q, g, y;
    SecretBytes x;
};

enum class Curve : std::uint8_t {
    NistP256, NistP384, NistP521, BrainpoolP256r1, BrainpoolP384r1, BrainpoolP512r1, Ed25519, Cv25519,
};

/** Size in bits of a curve's field (what gpg lists as the key length). */
unsigned curve_bits(Curve c) noexcept;

/**
 * Elliptic-curve key. `point`: SEC1 uncompressed point (0x04 || x || y) for the Weierstrass
 * curves, 0x40 || native encoding for Ed25519 and Cv25519 (RFC 9580 section 13.2 legacy
 * prefix). `secret`: the scalar big-endian (Weierstrass), the 32-octet seed (Ed25519), or
 * the clamped X25519 scalar big-endian (Cv25519, as OpenPGP v4 stores it).
 */
struct EcKey {
    Curve curve = Curve::NistP256;
    Integer point;
    SecretBytes secret;
};

/**
 * Domain parameters of a curve as libgcrypt lists them (for keygrips): field prime p,
 * coefficients a and b, base point g (0x04 || x || y) and order n, big-endian without
 * leading zeros. For Ed25519 a and b are the magnitudes of libgcrypt's negative values
 * (a = -1, b = -d), for Cv25519 a is (A - 2) / 4 and b is 1, as libgcrypt stores them.
 */
struct CurveDomain {
    Integer p, a, b, g, n;
};
[[nodiscard]] CurveDomain curve_domain(Curve c);

/** RSA with e = 65537 and two primes of bits/2 bits each. @throws Error(Errc::Usage) below 1024 bits. */
[[nodiscard]] RsaKey generate_rsa(unsigned bits, Rng& rng, ProgressSink* sink);
/** DSA with q of 160/224/256 bits. @throws Error(Errc::Usage) outside 768..3072 bits. */
[[nodiscard]] DlKey generate_dsa(unsigned bits, Rng& rng, ProgressSink* sink);
/** Elgamal over a Lim-Lee prime. @throws Error(Errc::Usage) outside 1024..4096 bits. */
[[nodiscard]] DlKey generate_elgamal(unsigned bits, Rng& rng, ProgressSink* sink);
/** A key pair on `curve` (ECDSA and ECDH keys on the same curve look alike). */
[[nodiscard]] EcKey generate_ec(Curve curve, Rng& rng);

/**
 * Signatures over a precomputed digest: RSA returns {s} (PKCS#1 v1.5 with the DigestInfo
 * of `hash`), DSA and ECDSA {r, s} (digest truncated to the group order), EdDSA {r, s}
 * with the digest as the message (RFC 9580 section 5.2.3.3, legacy EdDSA).
 * @throws Error(Errc::Crypto) if the backend fails.
 */
[[nodiscard]] std::vector<Integer> sign_rsa(const RsaKey& k, HashKind hash, std::span<const std::uint8_t> digest,
                                            Rng& rng);
[[nodiscard]] std::vector<Integer> sign_dsa(const DlKey& k, std::span<const std::uint8_t> digest, Rng& rng);
[[nodiscard]] std::vector<Integer> sign_ecdsa(const EcKey& k, std::span<const std::uint8_t> digest, Rng& rng);
[[nodiscard]] std::vector<Integer> sign_eddsa(const EcKey& k, std::span<const std::uint8_t> digest);

/** Verification counterparts (used by tests and to check a fresh signature). */
[[nodiscard]] bool verify_rsa(const Integer& n, const Integer& e, HashKind hash, std::span<const std::uint8_t> digest,
                              const Integer& s);
[[nodiscard]] bool verify_dsa(const DlKey& k, std::span<const std::uint8_t> digest, const Integer& r,
                              const Integer& s);
[[nodiscard]] bool verify_ecdsa(const EcKey& k, std::span<const std::uint8_t> digest, const Integer& r,
                                const Integer& s);
[[nodiscard]] bool verify_eddsa(const EcKey& k, std::span<const std::uint8_t> digest, const Integer& r,
                                const Integer& s);

}  // namespace pgpkit::crypto
