#pragma once
// Prime generation with GnuPG's progress characters, returning big-endian integers.

#include <cstdint>
#include <span>
#include <vector>

#include "crypto/progress.h"
#include "crypto/rng.h"

namespace pgpkit::crypto {

/**
 * A random probable prime of exactly `bits` bits (two top bits set), big-endian.
 * @throws Error(Errc::Usage) for fewer than 16 bits.
 */
[[nodiscard]] std::vector<std::uint8_t> generate_prime(unsigned bits, Rng& rng, ProgressSink* sink);

/** True if the big-endian integer is a probable prime (Miller-Rabin, error < 2^-64). */
[[nodiscard]] bool is_probable_prime(std::span<const std::uint8_t> n, Rng& rng);

}  // namespace pgpkit::crypto
