// Ownertrust values and gpg's --export-ownertrust text format (trust/ownertrust.h).

#include <gtest/gtest.h>

#include <cstdlib>
#include <ctime>
#include <string>

#include "base/error.h"
#include "trust/ownertrust.h"

namespace pgpkit::trust {
namespace {

const std::string kFpr1 = "02905ABF17C781FBC3909B00636A1BBD68FD0088";
const std::string kFpr2 = "7BD39314DC12832ACE4C59DEE28F35BD84439DCD";

Bytes unhex(const std::string& h) {
    Bytes out;
    for (std::size_t i = 0; i + 1 < h.size(); i += 2) out.push_back(static_cast<std::uint8_t>(std::stoi(h.substr(i, 2), nullptr, 16)));
    return out;
}

/** The error parse_ownertrust throws for `text`, or "" if it parses. */
std::string parse_error(const std::string& text) {
    try {
        (void)parse_ownertrust(text);
    } catch (const Error& e) {
        return e.detail();
    }
    return "";
}

TEST(OwnertrustValue, LevelAndFlagsShareOneByte) {
    EXPECT_EQ(trust_level(0x85), TrustLevel::Fully);
    EXPECT_TRUE(trust_disabled(0x85));
    EXPECT_FALSE(trust_disabled(0x05));
    EXPECT_EQ(with_level(0x83, TrustLevel::Marginal), 0x84);
    EXPECT_EQ(static_cast<int>(TrustLevel::Ultimate), 6);
    EXPECT_EQ(trust_level_name(TrustLevel::Never), "never");
    EXPECT_EQ(trust_level_name(static_cast<TrustLevel>(9)), "level-9");
    EXPECT_EQ(trust_level_letter(TrustLevel::Ultimate), 'u');
    EXPECT_EQ(trust_level_letter(TrustLevel::Unknown), '-');
}

TEST(OwnertrustMap, KeepsFirstInsertionOrderAndPadsV3) {
    OwnertrustMap m;
    m.set(unhex(kFpr2), 4);
    m.set(unhex(kFpr1), 5);
    m.set(unhex(kFpr2), 6);
    m.set(unhex("CCD99FD6A66E720FB8DEEB1B0E970899"), 3);
    ASSERT_EQ(m.size(), 3u);
    EXPECT_EQ(to_hex(m.entries()[0].fingerprint), kFpr2);
    EXPECT_EQ(m.entries()[0].value, 6);
    EXPECT_EQ(to_hex(m.entries()[2].fingerprint), "CCD99FD6A66E720FB8DEEB1B0E97089900000000");
    EXPECT_EQ(m.get(unhex("CCD99FD6A66E720FB8DEEB1B0E970899")), 3);
    EXPECT_TRUE(m.erase(unhex(kFpr2)));
    EXPECT_FALSE(m.get(unhex(kFpr2)).has_value());
    EXPECT_EQ(m.get(unhex(kFpr1)), 5);
    EXPECT_THROW(m.set(Bytes(32, 1), 4), Error);
}

TEST(ParseOwnertrust, ReadsLinesAndSkipsComments) {
    const auto e = parse_ownertrust("# comment\n" + kFpr1 + ":3:\n" + "7bd39314dc12832ace4c59dee28f35bd84439dcd:6:\n" +
                                    "CCD99FD6A66E720FB8DEEB1B0E970899:0:\n");
    ASSERT_EQ(e.size(), 3u);
    EXPECT_EQ(to_hex(e[0].fingerprint), kFpr1);
    EXPECT_EQ(e[0].value, 3);
    EXPECT_EQ(to_hex(e[1].fingerprint), kFpr2);
    EXPECT_EQ(e[1].value, 6);
    EXPECT_EQ(to_hex(e[2].fingerprint), "CCD99FD6A66E720FB8DEEB1B0E97089900000000");
    EXPECT_EQ(e[2].value, 0);
}

TEST(ParseOwnertrust, AcceptsWhatGpgsScanfAccepts) {
    // gpg reads ":%u:" with sscanf: a missing closing colon or trailing text is fine.
    const auto e = parse_ownertrust(kFpr1 + ":5\n" + kFpr2 + ":133:trailing\n");
    ASSERT_EQ(e.size(), 2u);
    EXPECT_EQ(e[1].value, 133);
}

TEST(ParseOwnertrust, BadLinesNameTheirNumber) {
    EXPECT_EQ(parse_error("# c\n" + kFpr1 + " 3:\n"), "ownertrust line 2: colon missing");
    EXPECT_EQ(parse_error(kFpr1 + "3:\n"), "ownertrust line 1: invalid fingerprint");
    EXPECT_EQ(parse_error("\n"), "ownertrust line 1: colon missing");
    EXPECT_EQ(parse_error(kFpr1 + "00:3:\n"), "ownertrust line 1: invalid fingerprint");
    EXPECT_EQ(parse_error(kFpr1 + "::\n"), "ownertrust line 1: ownertrust value missing");
    EXPECT_EQ(parse_error(kFpr1 + ":256:\n"), "ownertrust line 1: ownertrust value out of range");
    EXPECT_EQ(parse_error(kFpr1 + ":3:\n" + kFpr2 + ":4:"), "ownertrust line 2: line too long or missing newline");
    EXPECT_EQ(parse_error(kFpr1 + ":3:" + std::string(300, ' ') + "\n"), "ownertrust line 1: line too long");
    EXPECT_EQ(parse_error("G" + kFpr1.substr(1) + ":3:\n"), "ownertrust line 1: colon missing");
}

TEST(ParseOwnertrust, V5AndV6FingerprintsAreInvalidAsInGpg22) {
    const std::string v5 = "19347BC9872464025F99DF3EC2E0000ED9884892E1F7B3EA4C94009159569B54";
    EXPECT_EQ(parse_error(kFpr1 + ":3:\n" + v5 + ":5:\n"), "ownertrust line 2: invalid fingerprint");
}

TEST(ParseOwnertrust, ErrorOffsetIsTheLineStart) {
    const std::string text = kFpr1 + ":3:\nbad\n";
    try {
        (void)parse_ownertrust(text);
        FAIL() << "no error";
    } catch (const Error& e) {
        EXPECT_EQ(e.offset(), kFpr1.size() + 4);
        EXPECT_EQ(e.kind(), Errc::BadField);
    }
}

TEST(FormatOwnertrust, WritesGpgsHeaderAndSkipsZero) {
    ::setenv("TZ", "UTC", 1);
    ::tzset();
    const std::vector<OwnertrustEntry> entries = {{unhex(kFpr1), 3}, {unhex(kFpr2), 0}, {unhex(kFpr2), 0x86}};
    EXPECT_EQ(format_ownertrust(entries, 1700000000),
              "# List of assigned trustvalues, created Tue Nov 14 22:13:20 2023 UTC\n"
              "# (Use \"gpg --import-ownertrust\" to restore them)\n" +
                  kFpr1 + ":3:\n" + kFpr2 + ":134:\n");
    EXPECT_EQ(gpg_asctime(1700000000 - 13 * 86400), "Wed Nov  1 22:13:20 2023 UTC");
}

TEST(FormatOwnertrust, RoundTripsThroughParse) {
    const std::vector<OwnertrustEntry> entries = {{unhex(kFpr2), 4}, {unhex(kFpr1), 5}};
    EXPECT_EQ(parse_ownertrust(format_ownertrust(entries, 0)), entries);
}

}  // namespace
}  // namespace pgpkit::trust
