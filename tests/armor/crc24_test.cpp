#include "armor/crc24.h"

#include <gtest/gtest.h>

#include <random>

namespace pgpkit::armor {
namespace {

// Bit-by-bit reference implementation of RFC 9580 section 6.1.1.
std::uint32_t reference_crc24(ByteView data) {
    std::uint32_t crc = crc24_init;
    for (std::uint8_t b : data) {
        crc ^= std::uint32_t{b} << 16;
        for (int i = 0; i < 8; ++i) {
            crc <<= 1;
            if (crc & 0x1000000) crc ^= 0x1864CFB;
        }
    }
    return crc & 0xFFFFFF;
}

TEST(Crc24, EmptyInputIsInitialValue) { EXPECT_EQ(crc24({}), 0xB704CEu); }

TEST(Crc24, CheckValueOf123456789) {
    // The catalogued check value of CRC-24/OPENPGP.
    EXPECT_EQ(crc24(as_bytes("123456789")), 0x21CF02u);
}

TEST(Crc24, MatchesBitwiseReferenceForEveryLengthUpTo300) {
    std::mt19937 rng(24);
    Bytes data(300);
    for (auto& b : data) b = static_cast<std::uint8_t>(rng());
    for (std::size_t n = 0; n <= data.size(); ++n) {
        ByteView v(data.data(), n);
        ASSERT_EQ(crc24(v), reference_crc24(v)) << "length " << n;
    }
}

TEST(Crc24, BulkPathMatchesReferenceOnLongInputs) {
    std::mt19937 rng(99);
    Bytes data(70000);
    for (auto& b : data) b = static_cast<std::uint8_t>(rng());
    for (std::size_t n : {256u, 257u, 271u, 272u, 1000u, 4096u, 65537u, 70000u}) {
        ByteView v(data.data(), n);
        ASSERT_EQ(crc24(v), reference_crc24(v)) << "length " << n;
    }
}

TEST(Crc24, IncrementalUpdatesEqualOneShot) {
    std::mt19937 rng(7);
    Bytes data(1000);
    for (auto& b : data) b = static_cast<std::uint8_t>(rng());
    for (std::size_t split : {0u, 1u, 7u, 8u, 9u, 255u, 256u, 257u, 500u, 743u, 999u, 1000u}) {
        Crc24 c;
        c.update(ByteView(data).first(split));
        c.update(ByteView(data).subspan(split));
        EXPECT_EQ(c.value(), crc24(data)) << "split at " << split;
    }
}

TEST(Crc24, ResetStartsOver) {
    Crc24 c;
    c.update(as_bytes("abc"));
    c.reset();
    EXPECT_EQ(c.value(), 0xB704CEu);
}

}  // namespace
}  // namespace pgpkit::armor
