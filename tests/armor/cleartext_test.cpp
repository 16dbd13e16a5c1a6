#include "armor/cleartext.h"

#include <gtest/gtest.h>

#include "base/error.h"
#include "tests/support/env.h"

namespace pgpkit::armor {
namespace {

std::string fixture(const std::string& name) { return test::test_data_dir() + "/armor/" + name; }

TEST(Cleartext, ParsesHeadersTextAndSignature) {
    CleartextMessage m = parse_cleartext(test::read_bytes(fixture("cleartext-signed.asc")));
    ASSERT_EQ(m.headers.size(), 1u);
    EXPECT_EQ(m.headers[0], (ArmorHeader{"Hash", "SHA256, SHA512"}));
    EXPECT_EQ(m.hash_names(), (std::vector<std::string>{"SHA256", "SHA512"}));
    EXPECT_EQ(m.text, "Hello,\n-- dashes were escaped\nFrom the start\ntrailing spaces   \n\nlast line");
    EXPECT_EQ(m.signature, (Bytes{0xC2, 0x03, 0x06, 0x01, 0x02}));
    EXPECT_EQ(m.signature_headers, (std::vector<ArmorHeader>{{"Comment", "sig"}}));
}

TEST(Cleartext, SignedDataStripsTrailingWhitespaceAndUsesCrlf) {
    Bytes want = Bytes{};
    std::string s = "Hello,\r\n-- dashes were escaped\r\nFrom the start\r\ntrailing spaces\r\n\r\nlast line";
    want.assign(s.begin(), s.end());
    CleartextMessage m = parse_cleartext(test::read_bytes(fixture("cleartext-signed.asc")));
    EXPECT_EQ(signed_data(m.text), want);
}

TEST(Cleartext, SignedDataKeepsFinalEmptyLine) {
    Bytes got = signed_data("a \t\nb\n");
    EXPECT_EQ(std::string(got.begin(), got.end()), "a\r\nb\r\n");
    got = signed_data("a\r\nb");
    EXPECT_EQ(std::string(got.begin(), got.end()), "a\r\nb");
    EXPECT_TRUE(signed_data("").empty());
}

TEST(Cleartext, UnescapedDashLineIsAnErrorNamingTheLine) {
    try {
        (void)parse_cleartext(test::read_bytes(fixture("cleartext-unescaped-dash.asc")));
        FAIL();
    } catch (const Error& e) {
        EXPECT_EQ(e.kind(), Errc::Armor);
        EXPECT_NE(std::string(e.what()).find("not dash-escaped on line 5"), std::string::npos) << e.what();
    }
}

TEST(Cleartext, DashEscapeRoundTrips) {
    std::string text = "-a\nb\n--\nFrom x\n- y\n";
    std::string esc = dash_escape(text);
    EXPECT_EQ(esc, "- -a\nb\n- --\nFrom x\n- - y\n");
    EXPECT_EQ(dash_unescape(esc), text);
    EXPECT_EQ(dash_escape("From me", true), "- From me");
    EXPECT_THROW((void)dash_unescape("ok\n-bad"), Error);
}

TEST(Cleartext, WriteThenParseRoundTrips) {
    std::string text = "-----BEGIN PGP SIGNATURE-----\nline with trailing \n- dash\nend";
    Bytes sig = {0xC2, 0x01, 0x00};
    for (bool crlf : {false, true}) {
        EncodeOptions eo;
        eo.crlf = crlf;
        std::string out = write_cleartext(text, {"SHA512"}, sig, {{"Comment", "c"}}, eo);
        EXPECT_TRUE(looks_cleartext_signed(as_bytes(out)));
        CleartextMessage m = parse_cleartext(as_bytes(out));
        EXPECT_EQ(m.text, text);
        EXPECT_EQ(m.hash_names(), std::vector<std::string>{"SHA512"});
        EXPECT_EQ(m.signature, sig);
    }
}

TEST(Cleartext, NoHashHeaderForV6) {
    std::string out = write_cleartext("hi", {}, Bytes{0xC2, 0x00});
    EXPECT_TRUE(out.starts_with("-----BEGIN PGP SIGNED MESSAGE-----\n\nhi\n-----BEGIN PGP SIGNATURE-----\n"));
}

TEST(Cleartext, Rfc9580SampleParses) {
    Bytes in = test::read_bytes(test::shared_testdata() +
                                "/rfc9580/A.6.-sample-cleartext-signed-message.asc");
    CleartextMessage m = parse_cleartext(in);
    ASSERT_FALSE(m.signature.empty());
    EXPECT_EQ(m.signature[0], 0xC2);  // new CTB, tag 2
    EXPECT_EQ(m.signature.size(), 2u + 152u);
    EXPECT_NE(m.text.find("What we need from the grocery store:"), std::string::npos);
    EXPECT_NE(m.text.find("\n- tofu"), std::string::npos);  // was "- - tofu"
}

TEST(Cleartext, MissingSignatureBlockIsAnError) {
    EXPECT_THROW((void)parse_cleartext(as_bytes("-----BEGIN PGP SIGNED MESSAGE-----\n\ntext\n")), Error);
    EXPECT_THROW((void)parse_cleartext(as_bytes("no framework here\n")), Error);
}

}  // namespace
}  // namespace pgpkit::armor
