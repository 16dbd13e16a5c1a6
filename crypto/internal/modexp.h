#pragma once
// Modular exponentiation on public values in variable time, for RSA verification.

#include <cstdint>
#include <vector>

#include "base/bytes.h"

namespace pgpkit::crypto::internal {

/**
 * base^exponent mod modulus, as `modulus`'s octet count of big-endian octets. Montgomery
 * multiplication with R^2 mod n reached by doublings and squarings, so a key needs no
 * division and no constant-time set-up: every input is public (an RSA signature, key and
 * exponent), and for the few verifications one key makes in a key listing the set-up of
 * a constant-time implementation costs more than the verifications.
 *
 * Requires an odd modulus without leading zero octets, base below the modulus and an
 * exponent of at least 1; the caller checks these.
 */
[[nodiscard]] Bytes public_modexp(ByteView base, ByteView exponent, ByteView modulus);

}  // namespace pgpkit::crypto::internal
