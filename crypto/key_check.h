#pragma once
// Consistency checks of secret key material against its public part, on raw integers: an
// unprotected secret key is only trusted once its secret values reproduce the public ones.

#include "crypto/pk.h"

namespace pgpkit::crypto {

/** RSA: n = p * q and d * e = 1 modulo p - 1 and q - 1. False for malformed values. */
[[nodiscard]] bool secret_matches_public(const RsaKey& k);
/** DSA and Elgamal: y = g^x mod p, with 0 < x < p. */
[[nodiscard]] bool secret_matches_public(const DlKey& k);
/**
 * ECC: the public point is the secret times the base point (Weierstrass curves), the
 * Ed25519 public key of the seed, or the X25519 public key of the (big-endian) scalar.
 */
[[nodiscard]] bool secret_matches_public(const EcKey& k);

}  // namespace pgpkit::crypto
