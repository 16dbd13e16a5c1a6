#pragma once
// CRC-24 of the ASCII armor checksum line, RFC 9580 section 6.1.

#include <cstdint>

#include "base/bytes.h"

namespace pgpkit::armor {

/** Initial value of the armor CRC-24 (RFC 9580 section 6.1.1). */
inline constexpr std::uint32_t crc24_init = 0xB704CEu;
/** Generator polynomial of the armor CRC-24, without the x^24 term. */
inline constexpr std::uint32_t crc24_poly = 0x864CFBu;

/**
 * Incremental CRC-24 (MSB first, no final XOR), RFC 9580 section 6.1.1. Table driven,
 * eight bytes per step ("slicing by 8"), so it keeps up with the base64 decoder.
 */
class Crc24 {
public:
    /** Feeds more bytes. */
    void update(ByteView data) noexcept;
    /** The checksum of everything fed so far, in the low 24 bits. */
    [[nodiscard]] std::uint32_t value() const noexcept { return m_state >> 8; }
    void reset() noexcept { m_state = crc24_init << 8; }

private:
    // The 24-bit register is kept in the top three bytes of a 32-bit word.
    std::uint32_t m_state = crc24_init << 8;
};

/** CRC-24 of one buffer. */
[[nodiscard]] std::uint32_t crc24(ByteView data) noexcept;

}  // namespace pgpkit::armor
