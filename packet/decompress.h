#pragma once
// Decompressing sources for Compressed Data packets (RFC 9580 section 5.6): ZIP (raw
// deflate, RFC 1951), ZLIB (RFC 1950) and BZip2.

#include <cstdint>
#include <memory>

#include "packet/source.h"

namespace pgpkit::packet {

/** Bounds on decompression, against bombs (HOUSE-STYLE rule 17). */
struct DecompressionLimits {
    /** Output may exceed `ratio` times the compressed input only below `ratio_floor`. */
    std::uint64_t max_ratio = 1000;
    std::uint64_t ratio_floor = std::uint64_t{16} << 20;
    /** Absolute cap on the output of one container; 0 means no cap. */
    std::uint64_t max_output = 0;
};

/**
 * A source producing the decompressed bytes of `compressed` (which must outlive it), or
 * nullptr for an unknown algorithm. Corrupt data throws Error(Errc::Decompression) naming
 * the library function and code; exceeding a limit throws Errc::LimitExceeded.
 */
std::unique_ptr<Source> make_decompressor(std::uint8_t algo, Source& compressed,
                                          const DecompressionLimits& limits);

}  // namespace pgpkit::packet
