#pragma once
// Botan's names for pgpkit's algorithm kinds; crypto/ only (it is the layer that talks to
// Botan).

#include "crypto/hash.h"
#include "crypto/pk.h"
#include "crypto/protect.h"

namespace pgpkit::crypto::internal {

/** Botan's name of a hash ("SHA-256", ...). */
const char* botan_hash_name(HashKind k) noexcept;

/** Botan's EC_Group name of a Weierstrass curve ("secp256r1", ...); null for Ed25519 and Cv25519. */
const char* botan_ec_group_name(Curve c) noexcept;

/** Botan's name of a block cipher ("AES-128", "CAST-128", ...). */
const char* botan_cipher_name(CipherKind c) noexcept;

}  // namespace pgpkit::crypto::internal
