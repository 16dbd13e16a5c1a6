#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "keyserver/mr_index.h"
#include "tests/support/env.h"

namespace pgpkit::test {
namespace {

using keyserver::IndexEntry;
using keyserver::IndexUid;
using keyserver::IndexWarning;

std::string sample(const std::string& name) {
    const Bytes b = read_bytes(test_data_dir() + "/keyserver/" + name);
    return std::string(b.begin(), b.end());
}

std::vector<IndexEntry> parse(std::string_view text, std::vector<IndexWarning>& w) {
    return keyserver::parse_mr_index(text, w);
}

TEST(MrIndex, FormatWritesInfoPubAndUidLines) {
    IndexEntry e;
    e.key = "ECAF7590EB3443B5C7CF3ACB6C7EE1B8621CC013";
    e.algorithm = 17;
    e.bits = 1024;
    e.created = 899817715;
    e.expires = 1055898235;
    e.flags.revoked = true;
    e.flags.expired = true;
    e.uids.push_back(IndexUid{"Werner Koch <wk@gnupg.org>", 899817715, std::nullopt, {}});
    EXPECT_EQ(keyserver::format_mr_index({e}),
              "info:1:1\n"
              "pub:ECAF7590EB3443B5C7CF3ACB6C7EE1B8621CC013:17:1024:899817715:1055898235:re\n"
              "uid:Werner Koch <wk@gnupg.org>:899817715::\n");
    EXPECT_EQ(keyserver::format_mr_index({}), "info:1:0\n");
}

TEST(MrIndex, EscapesColonPercentAndNonPrintables) {
    EXPECT_EQ(keyserver::escape_index_field("a:b%c\n\x7f\xc3\xa9"), "a%3Ab%25c%0A%7F%C3%A9");
    EXPECT_EQ(keyserver::escape_index_field("Plain <p@example.org>"), "Plain <p@example.org>");
}

TEST(MrIndex, UnescapeReadsBothHexCasesDoublePercentAndStrayPercent) {
    EXPECT_EQ(keyserver::unescape_index_field("a%3ab%3Ac"), "a:b:c");
    EXPECT_EQ(keyserver::unescape_index_field("100%% sure"), "100% sure");
    EXPECT_EQ(keyserver::unescape_index_field("50% off %"), "50% off %");
    EXPECT_EQ(keyserver::unescape_index_field("%zz%4"), "%zz%4");
    EXPECT_EQ(keyserver::unescape_index_field("J\xc3\xbcrgen"), "J\xc3\xbcrgen");
}

TEST(MrIndex, ReadsSksAnswerWithCrlfAndDoublePercent) {
    std::vector<IndexWarning> w;
    const auto e = parse(sample("sks-index.mr"), w);
    EXPECT_TRUE(w.empty()) << (w.empty() ? "" : to_string(w[0]));
    ASSERT_EQ(e.size(), 2u);
    EXPECT_EQ(e[0].key, "6C7EE1B8621CC013");
    EXPECT_FALSE(e[0].has_fingerprint());
    EXPECT_EQ(e[0].algorithm, 17u);
    EXPECT_EQ(e[0].bits, 1024u);
    EXPECT_EQ(e[0].created, 899817715u);
    EXPECT_EQ(e[0].expires, 1055898235u);
    ASSERT_EQ(e[0].uids.size(), 2u);
    EXPECT_EQ(e[0].uids[0].user_id, "Werner Koch <wk@gnupg.org>");
    EXPECT_EQ(e[0].uids[1].user_id, "Werner Koch 100% <wk@g10code.com>");
    EXPECT_FALSE(e[0].uids[1].expires.has_value());
    EXPECT_TRUE(e[1].flags.revoked);
    EXPECT_FALSE(e[1].expires.has_value());
    ASSERT_EQ(e[1].uids.size(), 1u);
    EXPECT_EQ(e[1].uids[0].user_id, "Caf\xc3\xa9 : test");
    EXPECT_TRUE(e[1].uids[0].flags.revoked);
    EXPECT_FALSE(e[1].uids[0].created.has_value());
}

TEST(MrIndex, ReadsHockeypuckAnswerWithCurveNameAndNoTrailingNewline) {
    std::vector<IndexWarning> w;
    const auto e = parse(sample("hockeypuck-index.mr"), w);
    EXPECT_TRUE(w.empty());
    ASSERT_EQ(e.size(), 1u);
    EXPECT_EQ(e[0].key, "ECAF7590EB3443B5C7CF3ACB6C7EE1B8621CC013");
    EXPECT_TRUE(e[0].has_fingerprint());
    EXPECT_EQ(e[0].curve, "ed25519");
    EXPECT_FALSE(e[0].bits.has_value());
    EXPECT_TRUE(e[0].flags.expired);
    ASSERT_EQ(e[0].uids.size(), 2u);
    EXPECT_EQ(e[0].uids[0].user_id, "J\xc3\xbcrgen Raw <jr@example.org>");
    EXPECT_EQ(e[0].uids[1].user_id, "Percent % and colon :");
    EXPECT_TRUE(e[0].uids[1].flags.expired);
}

TEST(MrIndex, SkipsMalformedLinesWithWarningsNamingTheLine) {
    std::vector<IndexWarning> w;
    const auto e = parse(sample("odd-index.mr"), w);
    ASSERT_EQ(e.size(), 2u);
    EXPECT_EQ(e[0].key, "1234ABCD");  // 0x dropped, extra fields ignored
    EXPECT_EQ(e[0].bits, 2048u);
    EXPECT_EQ(e[0].created, 1u);
    ASSERT_EQ(e[0].uids.size(), 1u);  // the uid of the skipped key is gone with it
    EXPECT_EQ(e[0].uids[0].user_id, "short id key");
    EXPECT_EQ(e[1].key.size(), 64u);
    EXPECT_EQ(e[1].algorithm, 27u);
    EXPECT_FALSE(e[1].bits.has_value());
    EXPECT_TRUE(e[1].curve.empty());
    EXPECT_FALSE(e[1].created.has_value());
    ASSERT_EQ(w.size(), 2u);
    EXPECT_EQ(w[0].line, 4u);
    EXPECT_NE(w[0].message.find("not 8, 16, 40 or 64 hex digits"), std::string::npos) << w[0].message;
    EXPECT_EQ(w[1].line, 6u);
    EXPECT_NE(w[1].message.find("creation date"), std::string::npos) << w[1].message;
    EXPECT_EQ(to_string(w[0]).substr(0, 8), "line 4: ");
}

TEST(MrIndex, WarnsOnUidBeforePubAndOnWrongCount) {
    std::vector<IndexWarning> w;
    const auto e = parse("info:1:3\nuid:orphan\npub:AABBCCDD::::::\n", w);
    ASSERT_EQ(e.size(), 1u);
    ASSERT_EQ(w.size(), 2u);
    EXPECT_EQ(w[0].line, 2u);
    EXPECT_EQ(w[1].line, 1u);
    EXPECT_NE(w[1].message.find("announces 3 keys, 1 read"), std::string::npos);
}

TEST(MrIndex, HtmlOrEmptyTextGivesNoEntries) {
    std::vector<IndexWarning> w;
    EXPECT_TRUE(parse("", w).empty());
    EXPECT_TRUE(parse("<html><body>No keys found</body></html>\n", w).empty());
    EXPECT_TRUE(w.empty());
}

TEST(MrIndex, RoundTripsThroughFormat) {
    std::vector<IndexWarning> w;
    for (const char* name : {"sks-index.mr", "hockeypuck-index.mr", "odd-index.mr"}) {
        SCOPED_TRACE(name);
        w.clear();
        const auto e = parse(sample(name), w);
        std::vector<IndexWarning> w2;
        EXPECT_EQ(parse(keyserver::format_mr_index(e), w2), e);
        EXPECT_TRUE(w2.empty());
    }
}

}  // namespace
}  // namespace pgpkit::test
