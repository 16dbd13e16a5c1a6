#pragma once
// The Botan boundary for secrets: Botan's secure_vector wipes itself, our SecretBytes
// wipes itself, and these copy between the two without a plain container in between.

#include <botan/secmem.h>

#include <cstdint>
#include <span>

#include "base/secret.h"

namespace pgpkit::crypto::internal {

inline SecretBytes from_botan(const Botan::secure_vector<std::uint8_t>& v) { return SecretBytes(v.begin(), v.end()); }

inline Botan::secure_vector<std::uint8_t> to_botan(std::span<const std::uint8_t> s) {
    return Botan::secure_vector<std::uint8_t>(s.begin(), s.end());
}

}  // namespace pgpkit::crypto::internal
