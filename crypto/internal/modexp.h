#pragma once
// Modular exponentiation on public values in variable time, for RSA verification.

#include <cstdint>
#include <vector>

#include "base/bytes.h"

namespace pgpkit::crypto::internal {

/**
 * An odd modulus prepared for Montgomery exponentiation: its limbs, -n^-1 mod 2^64 and
 * the modulus normalized for long division, which takes a base into Montgomery form at
 * the cost of half a multiplication, so no R^2 mod n is needed. Everything is variable
 * time: every input is public (an RSA signature, key and exponent). A verification with
 * e = 65537 costs 17 Montgomery multiplications, 16 of them squarings at three quarters
 * of the cost of a multiplication.
 *
 * Requires an odd modulus without leading zero octets; the caller checks it.
 */
class PublicModulus {
public:
    using Limb = std::uint64_t;

    explicit PublicModulus(ByteView modulus);

    /**
     * base^exponent mod n as the modulus's octet count of big-endian octets. Requires
     * base below n and an exponent of at least 1. Safe to call from several threads.
     */
    [[nodiscard]] Bytes power(ByteView base, ByteView exponent) const;

private:
    std::vector<Limb> m_n;   // little-endian limbs
    std::size_t m_octets;
    Limb m_inv;              // -n^-1 mod 2^64
    std::vector<Limb> m_vn;  // n << m_shift: the top bit set, for long division
    unsigned m_shift = 0;

    void montgomery_form(const Limb* b, Limb* out) const;
};

/** base^exponent mod modulus through a PublicModulus made for the one call. */
[[nodiscard]] Bytes public_modexp(ByteView base, ByteView exponent, ByteView modulus);

}  // namespace pgpkit::crypto::internal
