#include "armor/armor.h"

#include <gtest/gtest.h>

#include <ostream>
#include <random>

#include "armor/base64.h"
#include "base/error.h"
#include "tests/support/env.h"

namespace pgpkit::armor {
namespace {

/** A decoded block's octets (wiping memory) as Bytes, for comparisons. */
Bytes plain(const SecretBytes& s) { return Bytes(s.begin(), s.end()); }

std::string fixture(const std::string& name) { return test::test_data_dir() + "/armor/" + name; }
Bytes payload() { return test::read_bytes(fixture("payload-v6-cert.pgp")); }
Bytes payload_prefix(std::size_t n) {
    Bytes p = payload();
    p.resize(n);
    return p;
}

std::string base64_encode_crc(std::uint32_t crc) {
    const std::uint8_t b[3] = {static_cast<std::uint8_t>(crc >> 16), static_cast<std::uint8_t>(crc >> 8),
                               static_cast<std::uint8_t>(crc)};
    return "=" + base64_encode(b);
}

Bytes random_bytes(std::size_t n, std::uint32_t seed) {
    std::mt19937 rng(seed);
    Bytes b(n);
    for (auto& x : b) x = static_cast<std::uint8_t>(rng());
    return b;
}

/** Reads the current block of `d` in reads of `step` bytes. */
Bytes read_block(DearmorSource& d, std::size_t step) {
    Bytes out, buf(step);
    for (;;) {
        std::size_t got = d.read(buf);
        if (got == 0) return out;
        out.insert(out.end(), buf.begin(), buf.begin() + static_cast<std::ptrdiff_t>(got));
    }
}

// ---- valid inputs ---------------------------------------------------------------------

class ValidFixture : public ::testing::TestWithParam<const char*> {};

TEST_P(ValidFixture, DecodesToThePayload) {
    auto blocks = decode_all(test::read_bytes(fixture(GetParam())));
    ASSERT_EQ(blocks.size(), 1u);
    EXPECT_EQ(blocks[0].label, "PUBLIC KEY BLOCK");
    EXPECT_EQ(plain(blocks[0].data), payload());
}

INSTANTIATE_TEST_SUITE_P(Armor, ValidFixture,
                         ::testing::Values("crlf-line-ends.asc", "line-length-76.asc",
                                           "single-long-line.asc", "odd-line-length-61.asc",
                                           "no-checksum.asc", "junk-around-block.asc",
                                           "trailing-whitespace.asc"));

TEST(Armor, DecodesSeveralBlocksInTurn) {
    auto blocks = decode_all(test::read_bytes(fixture("two-blocks.asc")));
    ASSERT_EQ(blocks.size(), 2u);
    EXPECT_EQ(blocks[0].label, "PUBLIC KEY BLOCK");
    EXPECT_EQ(plain(blocks[0].data), payload());
    EXPECT_EQ(blocks[1].label, "MESSAGE");
    EXPECT_EQ(plain(blocks[1].data), payload_prefix(100));
}

TEST(Armor, KeepsArmorHeadersInOrder) {
    auto blocks = decode_all(test::read_bytes(fixture("headers-kept.asc")));
    ASSERT_EQ(blocks.size(), 1u);
    std::vector<ArmorHeader> want = {{"Version", "pgpkit test 1.0"},
                                     {"Comment", "colon: inside the value"},
                                     {"Hash", "SHA256"},
                                     {"Charset", "UTF-8"},
                                     {"MessageID", "0123456789abcdef"}};
    EXPECT_EQ(blocks[0].headers, want);
}

TEST(Armor, DecodesMessagePartLabels) {
    auto a = decode_all(test::read_bytes(fixture("message-part-1-of-2.asc")));
    auto b = decode_all(test::read_bytes(fixture("message-part-2.asc")));
    ASSERT_EQ(a.size(), 1u);
    ASSERT_EQ(b.size(), 1u);
    EXPECT_EQ(a[0].label, "MESSAGE, PART 1/2");
    EXPECT_EQ(b[0].label, "MESSAGE, PART 2");
    Bytes joined = plain(a[0].data);
    joined.insert(joined.end(), b[0].data.begin(), b[0].data.end());
    EXPECT_EQ(joined, payload());
}

TEST(Armor, ParsesEveryLabelKind) {
    EXPECT_EQ(parse_label("MESSAGE").kind, LabelKind::Message);
    EXPECT_EQ(parse_label("PUBLIC KEY BLOCK").kind, LabelKind::PublicKeyBlock);
    EXPECT_EQ(parse_label("PRIVATE KEY BLOCK").kind, LabelKind::PrivateKeyBlock);
    EXPECT_EQ(parse_label("SECRET KEY BLOCK").kind, LabelKind::PrivateKeyBlock);
    EXPECT_EQ(parse_label("SIGNATURE").kind, LabelKind::Signature);
    EXPECT_EQ(parse_label("ARMORED FILE").kind, LabelKind::ArmoredFile);
    EXPECT_EQ(parse_label("SIGNED MESSAGE").kind, LabelKind::SignedMessage);
    EXPECT_EQ(parse_label("MESSAGE, PART 3/7"), (Label{LabelKind::MessagePart, 3, 7}));
    EXPECT_EQ(parse_label("MESSAGE, PART 12"), (Label{LabelKind::MessagePart, 12, 0}));
    EXPECT_EQ(parse_label("MESSAGE, PART x/7").kind, LabelKind::Unknown);
    EXPECT_EQ(parse_label("MESSAGE, PART 1/").kind, LabelKind::Unknown);
    EXPECT_EQ(parse_label("FOO").kind, LabelKind::Unknown);
}

TEST(Armor, EmptyBodyDecodesToNothing) {
    auto blocks = decode_all(test::read_bytes(fixture("empty-body.asc")));
    ASSERT_EQ(blocks.size(), 1u);
    EXPECT_EQ(blocks[0].label, "ARMORED FILE");
    EXPECT_TRUE(blocks[0].data.empty());
}

TEST(Armor, ToleratesMissingBlankLineAfterHeaders) {
    auto blocks = decode_all(test::read_bytes(fixture("no-blank-line-after-headers.asc")));
    ASSERT_EQ(blocks.size(), 1u);
    EXPECT_EQ(plain(blocks[0].data), payload_prefix(100));
}

TEST(Armor, PaddingWrappedOntoItsOwnLineIsAccepted) {
    Bytes foob = {'f', 'o', 'o', 'b'};
    std::string crc = base64_encode_crc(crc24(foob));
    std::string text = "-----BEGIN PGP MESSAGE-----\n\nZm9vYg\n==\n" + crc + "\n-----END PGP MESSAGE-----\n";
    auto blocks = decode_all(as_bytes(text));
    ASSERT_EQ(blocks.size(), 1u);
    EXPECT_EQ(plain(blocks[0].data), foob);
}

TEST(Armor, UnpaddedLastGroupIsAccepted) {
    auto blocks = decode_all(as_bytes("-----BEGIN PGP MESSAGE-----\n\nZm9vYg\n-----END PGP MESSAGE-----\n"));
    ASSERT_EQ(blocks.size(), 1u);
    EXPECT_EQ(plain(blocks[0].data), (Bytes{'f', 'o', 'o', 'b'}));
}

TEST(Armor, SkipsCleartextSignedMessageText) {
    auto blocks = decode_all(test::read_bytes(fixture("cleartext-signed.asc")));
    ASSERT_EQ(blocks.size(), 1u);
    EXPECT_EQ(blocks[0].label, "SIGNATURE");
}

// ---- malformed inputs -----------------------------------------------------------------

struct Malformed {
    const char* file;
    Errc kind;
    const char* message;  // a substring of what()
};

// Keeps the names ctest lists stable (the default prints the struct's bytes).
void PrintTo(const Malformed& m, std::ostream* os) { *os << m.file; }

class MalformedFixture : public ::testing::TestWithParam<Malformed> {};

TEST_P(MalformedFixture, FailsNamingTheLine) {
    const Malformed& m = GetParam();
    Bytes text = test::read_bytes(fixture(m.file));
    try {
        (void)decode_all(text);
        FAIL() << m.file << ": no error";
    } catch (const Error& e) {
        EXPECT_EQ(e.kind(), m.kind) << e.what();
        EXPECT_NE(std::string(e.what()).find(m.message), std::string::npos)
            << m.file << ": " << e.what();
    }
}

INSTANTIATE_TEST_SUITE_P(
    Armor, MalformedFixture,
    ::testing::Values(
        Malformed{"crc-mismatch.asc", Errc::Armor, "bad CRC-24 checksum on line 12"},
        Malformed{"bad-base64-char.asc", Errc::Armor,
                  "invalid base64 character 0x2A '*' on line 5"},
        Malformed{"missing-end-line.asc", Errc::Armor,
                  "missing armor end line \"-----END PGP PUBLIC KEY BLOCK-----\" on line 12"},
        Malformed{"mismatched-labels.asc", Errc::Armor,
                  "armor labels differ: BEGIN PGP PUBLIC KEY BLOCK but END PGP MESSAGE on line 13"},
        Malformed{"misplaced-padding.asc", Errc::Armor, "misplaced base64 padding on line 4"},
        Malformed{"truncated-base64.asc", Errc::Armor, "truncated base64 data on line 12"},
        Malformed{"data-after-padding.asc", Errc::Armor, "base64 data after padding on line 11"},
        Malformed{"data-after-checksum.asc", Errc::Armor,
                  "data after the armor checksum on line 13"},
        Malformed{"malformed-checksum-line.asc", Errc::Armor,
                  "malformed armor checksum line on line 12"},
        Malformed{"invalid-header.asc", Errc::Armor, "invalid armor header \"Bad Key: x\" on line 2"},
        Malformed{"begin-inside-block.asc", Errc::Armor, "before BEGIN on line 11"},
        Malformed{"no-armor.txt", Errc::Armor, "no armored block found"}),
    [](const auto& info) {
        std::string n;
        bool up = true;
        for (char c : std::string(info.param.file)) {
            if (c == '.') break;
            if (c == '-') {
                up = true;
                continue;
            }
            n += up ? static_cast<char>(std::toupper(static_cast<unsigned char>(c))) : c;
            up = false;
        }
        return n;
    });

TEST(Armor, ErrorOffsetIsStartOfTheBadLine) {
    Bytes text = test::read_bytes(fixture("bad-base64-char.asc"));
    std::string s(text.begin(), text.end());
    std::size_t line5 = 0;
    for (int i = 0; i < 4; ++i) line5 = s.find('\n', line5) + 1;
    try {
        (void)decode_all(text);
        FAIL();
    } catch (const Error& e) {
        EXPECT_EQ(e.offset(), line5);
    }
}

TEST(Armor, LineNumbersCountCrlfLines) {
    std::string s = "junk\r\n-----BEGIN PGP MESSAGE-----\r\n\r\nZm9v\r\nZm#v\r\n-----END PGP MESSAGE-----\r\n";
    try {
        (void)decode_all(as_bytes(s));
        FAIL();
    } catch (const Error& e) {
        EXPECT_NE(std::string(e.what()).find("on line 5"), std::string::npos) << e.what();
    }
}

TEST(Armor, OverlongHeaderLineExceedsLimit) {
    std::string s = "-----BEGIN PGP MESSAGE-----\nComment: " + std::string(100, 'x') +
                    "\n\nZm9v\n-----END PGP MESSAGE-----\n";
    packet::MemorySource src(as_bytes(s));
    DearmorOptions opt;
    opt.max_header_line = 64;
    try {
        DearmorSource d(src, opt);
        FAIL();
    } catch (const Error& e) {
        EXPECT_EQ(e.kind(), Errc::LimitExceeded);
    }
}

TEST(Armor, RandomMutationsFailCleanlyOrDecode) {
    // A seeded mutation run (seed printed by the failure message): every input either
    // decodes or throws pgpkit::Error; nothing else escapes, nothing crashes (ASan build).
    const Bytes base = test::read_bytes(fixture("two-blocks.asc"));
    const char alphabet[] = "-=:\r\n AZaz09+/*\x80";
    for (std::uint32_t seed = 0; seed < 3000; ++seed) {
        std::mt19937 rng(seed);
        Bytes text = base;
        int edits = 1 + static_cast<int>(rng() % 4);
        for (int e = 0; e < edits; ++e) {
            std::size_t at = rng() % text.size();
            switch (rng() % 3) {
            case 0: text[at] = static_cast<std::uint8_t>(alphabet[rng() % (sizeof alphabet - 1)]); break;
            case 1: text.erase(text.begin() + static_cast<std::ptrdiff_t>(at)); break;
            default: text.resize(at); break;
            }
            if (text.empty()) break;
        }
        for (std::size_t bufsize : {16u, 4096u}) {
            packet::MemorySource src(text);
            DearmorOptions opt;
            opt.buffer_size = bufsize;
            try {
                DearmorSource d(src, opt);
                do {
                    (void)read_block(d, 1 + seed % 7);
                } while (d.next_block());
            } catch (const Error&) {
            } catch (const std::exception& e) {
                FAIL() << "seed " << seed << ": " << e.what();
            }
        }
    }
}

// ---- streaming semantics --------------------------------------------------------------

TEST(DearmorSource, ConstructorPositionsAtFirstBlock) {
    Bytes text = test::read_bytes(fixture("two-blocks.asc"));
    packet::MemorySource src(text);
    DearmorSource d(src);
    EXPECT_EQ(d.label(), "PUBLIC KEY BLOCK");
    EXPECT_EQ(d.block_index(), 0u);
    EXPECT_EQ(read_block(d, 4096), payload());
    EXPECT_EQ(d.read(std::span<std::uint8_t>()), 0u);
    ASSERT_TRUE(d.next_block());
    EXPECT_EQ(d.label(), "MESSAGE");
    EXPECT_EQ(d.block_index(), 1u);
    EXPECT_EQ(d.offset(), 0u);
    EXPECT_EQ(read_block(d, 7).size(), 100u);
    EXPECT_EQ(d.offset(), 100u);
    EXPECT_FALSE(d.next_block());
    std::uint8_t b[4];
    EXPECT_EQ(d.read(b), 0u);
    EXPECT_FALSE(d.next_block());
}

TEST(DearmorSource, NextBlockSkipsTheUnreadRest) {
    Bytes text = test::read_bytes(fixture("two-blocks.asc"));
    packet::MemorySource src(text);
    DearmorSource d(src);
    std::uint8_t b[10];
    ASSERT_EQ(d.read(b), 10u);
    ASSERT_TRUE(d.next_block());
    EXPECT_EQ(read_block(d, 1000).size(), 100u);
}

TEST(DearmorSource, NextBlockStillChecksTheSkippedRest) {
    Bytes text = test::read_bytes(fixture("crc-mismatch.asc"));
    packet::MemorySource src(text);
    DearmorSource d(src);
    EXPECT_THROW((void)d.next_block(), Error);
}

TEST(DearmorSource, SingleByteReadsEqualBulkReads) {
    Bytes text = test::read_bytes(fixture("odd-line-length-61.asc"));
    packet::MemorySource src(text);
    DearmorSource d(src);
    EXPECT_EQ(read_block(d, 1), payload());
    EXPECT_EQ(d.checksum(), crc24(payload()));
}

TEST(DearmorSource, TinyInputBufferCrossesEveryBoundary) {
    Bytes data = random_bytes(5000, 1);
    for (std::size_t width : {4u, 64u, 76u, 1000u, 100000u}) {
        EncodeOptions eo;
        eo.line_length = width < 1024 ? width : 1024;
        std::string text = encode_text(data, "MESSAGE", {{"Comment", "x"}}, eo);
        for (std::size_t bufsize : {16u, 17u, 63u, 4096u}) {
            for (std::size_t step : {1u, 2u, 3u, 5u, 4096u}) {
                packet::MemorySource src(as_bytes(text));
                DearmorOptions opt;
                opt.buffer_size = bufsize;
                DearmorSource d(src, opt);
                ASSERT_EQ(read_block(d, step), data)
                    << "width " << width << " buffer " << bufsize << " step " << step;
            }
        }
    }
}

// ---- encoding -------------------------------------------------------------------------

TEST(ArmorEncoder, EmptyInputMatchesGpgEnarmor) {
    // Output of `printf '' | gpg --enarmor` (GnuPG 2.2.40), whose only header is this Comment.
    const std::string gpg =
        "-----BEGIN PGP ARMORED FILE-----\n"
        "Comment: Use \"gpg --dearmor\" for unpacking\n"
        "\n"
        "=twTO\n"
        "-----END PGP ARMORED FILE-----\n";
    Bytes out = encode({}, "ARMORED FILE", {{"Comment", "Use \"gpg --dearmor\" for unpacking"}});
    EXPECT_EQ(std::string(out.begin(), out.end()), gpg);
}

TEST(ArmorEncoder, WritesSixtyFourCharacterLines) {
    std::string text = encode_text(random_bytes(1000, 2), "MESSAGE", {});
    std::size_t pos = text.find("\n\n") + 2;
    std::size_t nl = text.find('\n', pos);
    EXPECT_EQ(nl - pos, 64u);
}

TEST(ArmorEncoder, RoundTripsEveryLengthAndFormat) {
    for (std::size_t n : {0u, 1u, 2u, 3u, 47u, 48u, 49u, 1000u, 65536u}) {
        Bytes data = random_bytes(n, static_cast<std::uint32_t>(n));
        for (bool crlf : {false, true}) {
            for (bool checksum : {false, true}) {
                for (std::size_t width : {4u, 64u, 76u}) {
                    EncodeOptions eo{width, crlf, checksum};
                    std::vector<ArmorHeader> hs = {{"Version", "v"}, {"Comment", ""}};
                    auto blocks = decode_all(as_bytes(encode_text(data, "SIGNATURE", hs, eo)));
                    ASSERT_EQ(blocks.size(), 1u);
                    EXPECT_EQ(plain(blocks[0].data), data) << n << " " << crlf << " " << checksum << " " << width;
                    EXPECT_EQ(blocks[0].headers, hs);
                    EXPECT_EQ(blocks[0].label, "SIGNATURE");
                }
            }
        }
    }
}

TEST(ArmorEncoder, ChunkedUpdatesEqualOneShot) {
    Bytes data = random_bytes(10000, 3);
    std::string whole = encode_text(data, "MESSAGE", {});
    for (std::size_t step : {1u, 5u, 47u, 48u, 49u, 4096u}) {
        ArmorEncoder enc("MESSAGE", {});
        std::string out;
        for (std::size_t i = 0; i < data.size(); i += step)
            enc.update(ByteView(data).subspan(i, std::min(step, data.size() - i)), out);
        enc.finish(out);
        EXPECT_EQ(out, whole) << "step " << step;
    }
}

TEST(ArmorEncoder, RejectsInvalidLabelsHeadersAndLineLengths) {
    auto usage = [](auto f) {
        try {
            f();
            return false;
        } catch (const Error& e) {
            return e.kind() == Errc::Usage;
        }
    };
    EXPECT_TRUE(usage([] { ArmorEncoder e("", {}); }));
    EXPECT_TRUE(usage([] { ArmorEncoder e("A-B", {}); }));
    EXPECT_TRUE(usage([] { ArmorEncoder e("A\nB", {}); }));
    EXPECT_TRUE(usage([] { ArmorEncoder e("MESSAGE", {{"Bad:Key", "v"}}); }));
    EXPECT_TRUE(usage([] { ArmorEncoder e("MESSAGE", {{"Key", "a\nb"}}); }));
    EXPECT_TRUE(usage([] { ArmorEncoder e("MESSAGE", {}, EncodeOptions{63, false, true}); }));
    EXPECT_TRUE(usage([] { ArmorEncoder e("MESSAGE", {}, EncodeOptions{0, false, true}); }));
}

// ---- detection ------------------------------------------------------------------------

TEST(LooksArmored, DetectsBeginLineAfterJunk) {
    EXPECT_TRUE(looks_armored(as_bytes("-----BEGIN PGP MESSAGE-----\n")));
    EXPECT_TRUE(looks_armored(as_bytes("\n  \nhello\n-----BEGIN PGP PUBLIC KEY BLOCK-----\n")));
    EXPECT_FALSE(looks_armored(as_bytes("hello\n")));
    EXPECT_FALSE(looks_armored(as_bytes("")));
    EXPECT_FALSE(looks_armored(as_bytes(" -----BEGIN PGP MESSAGE-----\n")));
    const std::uint8_t binary[] = {0x99, 0x01, 0x0d, '-', '-'};
    EXPECT_FALSE(looks_armored(binary));
    EXPECT_TRUE(looks_armored(test::read_bytes(fixture("junk-around-block.asc"))));
    EXPECT_FALSE(looks_armored(payload()));
}

TEST(LabelFor, PicksLabelFromFirstPacketTag) {
    EXPECT_EQ(label_for(payload()), "PUBLIC KEY BLOCK");  // new CTB, tag 6
    const std::uint8_t old_sig[] = {0x88, 0x00};
    const std::uint8_t new_seckey[] = {0xC5, 0x00};
    const std::uint8_t old_pkesk[] = {0x84, 0x00};
    EXPECT_EQ(label_for(old_sig), "SIGNATURE");
    EXPECT_EQ(label_for(new_seckey), "PRIVATE KEY BLOCK");
    EXPECT_EQ(label_for(old_pkesk), "MESSAGE");
    EXPECT_EQ(label_for(as_bytes("text")), "ARMORED FILE");
    EXPECT_EQ(label_for({}), "ARMORED FILE");
}

}  // namespace
}  // namespace pgpkit::armor
