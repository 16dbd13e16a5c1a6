#pragma once
// Signature verification over a precomputed digest with a public key decoded once
// (RFC 9580 section 5.2.3: RSA PKCS#1 v1.5, DSA, ECDSA, legacy EdDSA, Ed25519).

#include <cstdint>
#include <memory>
#include <span>
#include <string>

#include "base/bytes.h"
#include "crypto/hash.h"

namespace pgpkit::crypto {

/** Declared in crypto/pk.h (not included here: it reaches Botan through secret_bytes.h). */
enum class Curve : std::uint8_t;

/** Outcome of one check. Malformed: the key or signature cannot be what it claims. */
enum class VerifyStatus : std::uint8_t { Good, Bad, Malformed, Unsupported };

struct VerifyResult {
    VerifyStatus status = VerifyStatus::Bad;
    std::string reason;  ///< short and specific; empty for Good
};

/** Bounds on the work one verification may take (hostile keys). */
inline constexpr unsigned max_rsa_modulus_bits = 16384;
/** e = 65537 has 17 bits; the largest e in Debian's keyrings has 32. */
inline constexpr unsigned max_rsa_exponent_bits = 256;
inline constexpr unsigned max_dsa_p_bits = 16384;
/** FIPS 186 uses q of 160, 224 or 256 bits; a q as large as p would make checks slow. */
inline constexpr unsigned max_dsa_q_bits = 512;

/**
 * A public key decoded and checked once, for many verifications. Copies are cheap (they
 * share the decoded key) and verify() may be called from several threads at once on the
 * same object or on copies. Factories never throw for bad material: such a key reports
 * every verification as Malformed or Unsupported with the reason (see problem()).
 */
class PublicKey {
public:
    enum class Kind : std::uint8_t { Invalid, Rsa, Dsa, Ecdsa, EdDsaLegacy, Ed25519 };

    /** RSA (algorithms 1 and 3) from big-endian n and e; leading zero octets allowed. */
    [[nodiscard]] static PublicKey rsa(ByteView n, ByteView e);
    /** DSA (algorithm 17). Checks ranges and that q divides p - 1. */
    [[nodiscard]] static PublicKey dsa(ByteView p, ByteView q, ByteView g, ByteView y);
    /** ECDSA (algorithm 19) on a Weierstrass curve; `point` is SEC1 uncompressed (0x04 || x || y).
     */
    [[nodiscard]] static PublicKey ecdsa(Curve curve, ByteView point);
    /** Legacy EdDSA (algorithm 22) on Ed25519: `point` is 0x40 || 32 octets. */
    [[nodiscard]] static PublicKey eddsa_legacy(ByteView point);
    /** RFC 9580 Ed25519 (algorithm 27): 32 raw octets. */
    [[nodiscard]] static PublicKey ed25519(ByteView point);
    /** A key that answers every verification with `status` and `reason`. */
    [[nodiscard]] static PublicKey invalid(VerifyStatus status, std::string reason);

    PublicKey(const PublicKey&) = default;
    PublicKey& operator=(const PublicKey&) = default;
    PublicKey(PublicKey&&) noexcept = default;
    PublicKey& operator=(PublicKey&&) noexcept = default;
    ~PublicKey();

    Kind kind() const noexcept;
    /** True if the material decoded; otherwise problem() says why not. */
    bool usable() const noexcept;
    /** Status and reason given to every verification of an unusable key. */
    const VerifyResult& problem() const noexcept;

    /**
     * Checks a signature over `digest`, made with `hash`. `parts`: RSA {s}; DSA, ECDSA and
     * legacy EdDSA {r, s}; Ed25519 {the 64-octet signature}. Integers are big-endian and may
     * carry leading zero octets. DSA and ECDSA use the leftmost bits of the digest up to the
     * size of the group order (FIPS 186-4 section 4.6 and 6.4); an RSA signature shorter
     * than the modulus is left-padded. Bad for a well-formed signature that does not verify,
     * Malformed for one that cannot be a signature of this key (a zero-length part, a digest
     * of the wrong size, the wrong number of parts). Does not throw.
     */
    [[nodiscard]] VerifyResult verify(HashKind hash, ByteView digest,
                                      std::span<const ByteView> parts) const;

    struct Impl;

private:
    explicit PublicKey(std::shared_ptr<const Impl> impl) noexcept;
    std::shared_ptr<const Impl> m_impl;
};

/** The ASN.1 DigestInfo prefix of EMSA-PKCS1-v1_5 for `hash` (RFC 8017 section 9.2). */
[[nodiscard]] ByteView pkcs1_digest_info(HashKind hash) noexcept;

}  // namespace pgpkit::crypto
