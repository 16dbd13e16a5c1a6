#pragma once
// Container for secret material (HOUSE-STYLE rule 18): a zeroizing allocator, so copies,
// moves and reallocations are wiped too. The one public header allowed to expose Botan.

#include <botan/secmem.h>

#include <cstdint>

namespace pgpkit::crypto {

using SecretBytes = Botan::secure_vector<std::uint8_t>;

}  // namespace pgpkit::crypto

namespace pgpkit::crypto {

/** Overwrites memory that held secrets and that is not a SecretBytes (e.g. a packet buffer). */
inline void wipe(std::uint8_t* data, std::size_t len) noexcept { Botan::secure_scrub_memory(data, len); }

}  // namespace pgpkit::crypto
