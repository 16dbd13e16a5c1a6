#pragma once
// Decompressing sources for Compressed Data packets (RFC 9580 section 5.6): ZIP (raw
// deflate, RFC 1951), ZLIB (RFC 1950) and BZip2.

#include <cstdint>
#include <memory>

#include "packet/names.h"
#include "packet/source.h"

namespace pgpkit::packet {

/** Bounds on decompression, against bombs (HOUSE-STYLE rule 17). */
struct DecompressionLimits {
    /**
     * Output may exceed `max_ratio` times the compressed input only below `ratio_floor`.
     * For a nested container the input is the outermost container's (DecompressionInput).
     */
    std::uint64_t max_ratio = 1000;
    std::uint64_t ratio_floor = std::uint64_t{16} << 20;
    /** Absolute cap on the output of one container; 0 means no cap. */
    std::uint64_t max_output = 0;
};

/** Where a decompressor's input sits: for error offsets and the ratio limit. */
struct DecompressionInput {
    /** Offset, in the stream that holds the container, of the first octet of `compressed`. */
    std::uint64_t start = 0;
    /**
     * The compressed input of the outermost container, for a nested one (nullptr: this
     * container's own input). The ratio is measured against it, so a chain of containers
     * that each stay under the ratio cannot multiply their ratios.
     */
    const Source* outermost = nullptr;
};

/**
 * A source producing the decompressed bytes of `compressed` (which must outlive it, as
 * must `where.outermost`), or nullptr for an unknown algorithm. Corrupt data throws
 * Error(Errc::Decompression) naming the library function and code; exceeding a limit
 * throws Errc::LimitExceeded. Error offsets are `where.start` plus the compressed octets
 * consumed so far.
 */
std::unique_ptr<Source> make_decompressor(CompressionAlgo algo, Source& compressed,
                                          const DecompressionLimits& limits, DecompressionInput where = {});

}  // namespace pgpkit::packet
