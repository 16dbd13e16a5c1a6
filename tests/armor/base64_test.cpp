#include "armor/base64.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <random>

#include "base/error.h"

namespace pgpkit::armor {
namespace {

TEST(Base64, Rfc4648TestVectors) {
    const std::pair<const char*, const char*> vectors[] = {
        {"", ""},         {"f", "Zg=="},         {"fo", "Zm8="},         {"foo", "Zm9v"},
        {"foob", "Zm9vYg=="}, {"fooba", "Zm9vYmE="}, {"foobar", "Zm9vYmFy"},
    };
    for (auto [plain, coded] : vectors) {
        EXPECT_EQ(base64_encode(as_bytes(plain)), coded);
        Bytes back = base64_decode(coded);
        EXPECT_EQ(std::string(back.begin(), back.end()), plain);
    }
}

TEST(Base64, RoundTripsRandomDataOfEveryLengthUpTo200) {
    std::mt19937 rng(64);
    for (std::size_t n = 0; n <= 200; ++n) {
        Bytes data(n);
        for (auto& b : data) b = static_cast<std::uint8_t>(rng());
        std::string s = base64_encode(data);
        ASSERT_EQ(s.size(), base64_encoded_size(n));
        ASSERT_EQ(base64_decode(s), data) << "length " << n;
    }
}

TEST(Base64, DecodeQuadsStopsBeforeFirstInvalidGroup) {
    std::string s = "Zm9vYmFyZm9vYmFyZm9vYmFy\nZm9v";
    std::uint8_t out[64];
    EXPECT_EQ(base64_decode_quads(s.data(), s.size() / 4, out), 6u);
    EXPECT_EQ(std::string(out, out + 18), "foobarfoobarfoobar");
    EXPECT_EQ(base64_decode_quads("Zm9=", 1, out), 0u);
}

TEST(Base64, BulkDecodeFindsAnInvalidCharacterAtEveryPosition) {
    std::mt19937 rng(5);
    Bytes data(96 * 3);
    for (auto& b : data) b = static_cast<std::uint8_t>(rng());
    const std::string good = base64_encode(data);
    Bytes out(data.size());
    ASSERT_EQ(base64_decode_quads(good.data(), good.size() / 4, out.data()), good.size() / 4);
    ASSERT_EQ(out, data);
    for (char bad : {'\n', '=', '-', '\x80', '\xFF', ' ', '@', '[', '`', '{', '*', '.', ':'}) {
        for (std::size_t at = 0; at < 100; ++at) {
            std::string s = good;
            s[at] = bad;
            std::fill(out.begin(), out.end(), 0);
            std::size_t q = base64_decode_quads(s.data(), s.size() / 4, out.data());
            ASSERT_EQ(q, at / 4) << "char " << int(bad) << " at " << at;
            ASSERT_TRUE(std::equal(out.begin(), out.begin() + static_cast<std::ptrdiff_t>(q * 3), data.begin()));
        }
    }
}

TEST(Base64, VectorEncoderMatchesScalarForEveryLengthAndReadableBound) {
    std::mt19937 rng(6);
    Bytes data(200);
    for (auto& b : data) b = static_cast<std::uint8_t>(rng());
    for (std::size_t n = 0; n <= 150; ++n) {
        std::string want = base64_encode(ByteView(data).first(n));  // readable == n
        std::string got(base64_encoded_size(n), '\0');
        base64_encode_to(ByteView(data).first(n), got.data(), data.size());
        ASSERT_EQ(got, want) << "length " << n;
    }
}

TEST(Base64, DecodeAcceptsUnpaddedTail) {
    Bytes b = base64_decode("Zm9vYg");
    EXPECT_EQ(std::string(b.begin(), b.end()), "foob");
}

TEST(Base64, DecodeRejectsCharacterOutsideAlphabetWithItsIndex) {
    try {
        (void)base64_decode("Zm9v*mFy");
        FAIL() << "no error";
    } catch (const Error& e) {
        EXPECT_EQ(e.kind(), Errc::Armor);
        EXPECT_EQ(e.offset(), 4u);
    }
}

TEST(Base64, DecodeRejectsBadPadding) {
    EXPECT_THROW((void)base64_decode("Z==="), Error);
    EXPECT_THROW((void)base64_decode("Zm9vYg=A"), Error);
    EXPECT_THROW((void)base64_decode("Zm9vYg="), Error);
    EXPECT_THROW((void)base64_decode("Zm9v="), Error);
    EXPECT_THROW((void)base64_decode("Zm9vY"), Error);
}

TEST(Base64, ValueOfEveryByte) {
    int valid = 0;
    for (int c = 0; c < 256; ++c)
        if (base64_value(static_cast<char>(c)) >= 0) ++valid;
    EXPECT_EQ(valid, 64);
    EXPECT_EQ(base64_value('A'), 0);
    EXPECT_EQ(base64_value('/'), 63);
    EXPECT_EQ(base64_value('='), -1);
}

}  // namespace
}  // namespace pgpkit::armor
