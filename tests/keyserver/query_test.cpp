// The /pks/lookup query parser (keyserver/query.h).
#include "keyserver/query.h"

#include <gtest/gtest.h>

#include "base/error.h"

namespace pgpkit::keyserver {
namespace {

std::string usage_message(std::string_view q) {
    try {
        (void)parse_lookup(q);
    } catch (const Error& e) {
        EXPECT_EQ(e.kind(), Errc::Usage);
        return e.detail();
    }
    ADD_FAILURE() << "no error for " << q;
    return {};
}

TEST(HkpQuery, GetByFingerprintWithOptions) {
    const auto q = parse_lookup("op=get&options=mr,bin&search=0x0123456789ABCDEF0123456789abcdef01234567");
    EXPECT_EQ(q.op, Op::Get);
    EXPECT_TRUE(q.mr);
    EXPECT_TRUE(q.bin);
    ASSERT_TRUE(q.search);
    EXPECT_EQ(q.search->kind, SearchKind::Fingerprint);
    EXPECT_EQ(to_hex(q.search->id), "0123456789ABCDEF0123456789ABCDEF01234567");
}

TEST(HkpQuery, HexLengthsGiveKeyIdsAndFingerprints) {
    EXPECT_EQ(parse_search("0x1234ABCD").kind, SearchKind::KeyId);
    EXPECT_EQ(parse_search("0x1234ABCD").id.size(), 4u);
    EXPECT_EQ(parse_search("0X0123456789abcdef").id.size(), 8u);
    const auto v6 = parse_search("0x" + std::string(64, 'a'));
    EXPECT_EQ(v6.kind, SearchKind::Fingerprint);
    EXPECT_EQ(v6.id.size(), 32u);
    EXPECT_THROW((void)parse_search("0x1234ABC"), Error);
    EXPECT_THROW((void)parse_search("0x" + std::string(32, 'a')), Error);
    EXPECT_THROW((void)parse_search("0x1234ABCG"), Error);
}

TEST(HkpQuery, BareFingerprintMayHaveSpaces) {
    const auto s = parse_search("0123 4567 89AB CDEF 0123  4567 89AB CDEF 0123 4567");
    EXPECT_EQ(s.kind, SearchKind::Fingerprint);
    EXPECT_EQ(to_hex(s.id), "0123456789ABCDEF0123456789ABCDEF01234567");
    // Bare hex of key-ID length is a word, as in SKS: only 0x makes an ID.
    EXPECT_EQ(parse_search("1234ABCD").kind, SearchKind::Words);
}

TEST(HkpQuery, EmailIsLowerCasedWithOrWithoutBrackets) {
    const auto q = parse_lookup("op=index&search=%3CAlice%40Example.ORG%3E");
    ASSERT_TRUE(q.search);
    EXPECT_EQ(q.search->kind, SearchKind::Email);
    EXPECT_EQ(q.search->text, "alice@example.org");
    EXPECT_EQ(parse_search("bob@example.org").text, "bob@example.org");
    EXPECT_EQ(parse_search("bob @example.org").kind, SearchKind::Words);
    EXPECT_EQ(parse_search("a@b@c").kind, SearchKind::Words);
}

TEST(HkpQuery, WordsAreSplitLowerCasedAndDeduplicated) {
    const auto q = parse_lookup("op=vindex&search=Alice+Example%2C+alice&exact=on&fingerprint=on");
    EXPECT_EQ(q.op, Op::VIndex);
    EXPECT_TRUE(q.exact);
    EXPECT_TRUE(q.fingerprint);
    ASSERT_TRUE(q.search);
    EXPECT_EQ(q.search->kind, SearchKind::Words);
    EXPECT_EQ(q.search->words, (std::vector<std::string>{"alice", "example"}));
    EXPECT_EQ(q.search->text, "Alice Example, alice");
}

TEST(HkpQuery, StatsNeedsNoSearchAndUnknownOpIsNotAnError) {
    const auto stats = parse_lookup("op=stats&options=json");
    EXPECT_EQ(stats.op, Op::Stats);
    EXPECT_TRUE(stats.json);
    EXPECT_FALSE(stats.search);
    const auto other = parse_lookup("op=x-frob");
    EXPECT_EQ(other.op, Op::Unknown);
    EXPECT_EQ(other.op_text, "x-frob");
}

TEST(HkpQuery, BadRequestsHaveAMessage) {
    EXPECT_EQ(usage_message("search=0x1234ABCD"), "the request has no op");
    EXPECT_EQ(usage_message("op=get"), "the request has no search");
    EXPECT_EQ(usage_message("op=get&search=+++"), "the search is empty");
    EXPECT_EQ(usage_message("op=get&search=%21%21"), "the search has no words");
    EXPECT_EQ(usage_message("op=get&search=%zz"), "bad %-escape");
    EXPECT_EQ(usage_message("op=get&search=a%4"), "truncated %-escape");
    EXPECT_EQ(usage_message("op=get&search=a&exact=maybe"), "exact must be on or off");
    EXPECT_EQ(usage_message("op=get&search=" + std::string(1025, 'a')), "the search is too long");
    EXPECT_EQ(usage_message("op=get&search=a+b+c+d+e+f+g+h+i+j+k+l+m+n+o+p+q"),
              "the search has too many words");
}

TEST(HkpQuery, FormPairsDecodeInOrder) {
    const auto f = parse_form("keytext=a%2Bb+c&x&&y=");
    ASSERT_EQ(f.size(), 3u);
    EXPECT_EQ(f[0], (std::pair<std::string, std::string>{"keytext", "a+b c"}));
    EXPECT_EQ(f[1].first, "x");
    EXPECT_EQ(form_value(f, "y"), std::string{});
    EXPECT_EQ(form_value(f, "z"), std::nullopt);
}

}  // namespace
}  // namespace pgpkit::keyserver
