#pragma once
// Botan's names for pgpkit's algorithm kinds; crypto/ only (it is the layer that talks to
// Botan).

#include "crypto/hash.h"

namespace pgpkit::crypto::internal {

/** Botan's name of a hash ("SHA-256", ...). */
const char* botan_hash_name(HashKind k) noexcept;

}  // namespace pgpkit::crypto::internal
