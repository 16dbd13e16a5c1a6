// pgpkit sign and pgpkit verify end to end: each form, text mode, tampering, missing
// keys, signing subkeys with passphrases, expired keys, and bad input.

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "packet/packet.h"
#include "packet/parser.h"
#include "tests/message/keys.h"
#include "tests/support/env.h"

namespace pgpkit::test {
namespace {

struct Verified {
    int exit_code = -1;
    std::string out;
    std::string err;
    std::vector<std::string> status;  ///< keywords with arguments, without "[GNUPG:] "
    bool has(const std::string& prefix) const {
        for (const auto& s : status)
            if (s.rfind(prefix, 0) == 0) return true;
        return false;
    }
};

class MessageSignVerify : public ::testing::Test {
protected:
    const MessageKeys& k = message_keys();
    TempDir dir;

    std::string home() const { return " --home " + shell_quote(k.home); }

    RunResult sign(const std::string& args, const std::string& data) {
        write_bytes(dir.file("data"), as_bytes(data));
        return run(pgpkit_cmd("sign" + home() + " " + args + " " + shell_quote(dir.file("data"))));
    }

    std::string signed_file(const std::string& args, const std::string& data, const std::string& name) {
        const RunResult r = sign(args + " -o " + shell_quote(dir.file(name)), data);
        EXPECT_EQ(r.exit_code, 0) << r.err;
        return dir.file(name);
    }

    Verified verify(const std::string& args) {
        const std::string st = dir.file("status");
        const RunResult r = run(pgpkit_cmd("verify" + home() + " --status-file " + shell_quote(st) + " " + args));
        Verified v{r.exit_code, r.out, r.err, {}};
        for (const std::string& line : non_empty_lines(std::string(as_chars(read_bytes(st)))))
            v.status.push_back(line.substr(std::string("[GNUPG:] ").size()));
        return v;
    }

    static std::string_view as_chars(const Bytes& b) {
        return {reinterpret_cast<const char*>(b.data()), b.size()};
    }
};

TEST_F(MessageSignVerify, InlineMessagesOfEachKeyVerifyAndGiveBackTheData) {
    for (const std::string& who : {k.alice_fpr, k.rsa_fpr}) {
        for (const char* armor : {"", " -a"}) {
            const std::string msg = signed_file("-u " + who + armor, "inline data\n", "inline.msg");
            const Verified v = verify("-o - " + shell_quote(msg));
            EXPECT_EQ(v.exit_code, 0) << v.err;
            EXPECT_EQ(v.out, "inline data\n");
            EXPECT_TRUE(v.has("GOODSIG " + who.substr(24))) << v.err;
            EXPECT_TRUE(v.has("VALIDSIG " + who)) << v.err;
            EXPECT_TRUE(v.has("PLAINTEXT 62 ")) << "with --output, as gpg";
            EXPECT_TRUE(v.has("PLAINTEXT_LENGTH 12"));
            EXPECT_NE(v.err.find("Good signature from"), std::string::npos) << v.err;
            const Verified quiet = verify(shell_quote(msg));
            EXPECT_EQ(quiet.out, "") << "verify writes no data without --output";
            EXPECT_FALSE(quiet.has("PLAINTEXT"));
        }
    }
}

TEST_F(MessageSignVerify, DetachedSignatureIsGoodAndTamperedDataIsBad) {
    const std::string sig = signed_file("-u " + k.alice_fpr + " --detach-sign", "detached data", "d.sig");
    write_bytes(dir.file("copy"), as_bytes(std::string("detached data")));
    Verified v = verify(shell_quote(sig) + " " + shell_quote(dir.file("copy")));
    EXPECT_EQ(v.exit_code, 0) << v.err;
    EXPECT_TRUE(v.has("SIG_ID "));
    write_bytes(dir.file("copy"), as_bytes(std::string("detached datA")));
    v = verify(shell_quote(sig) + " " + shell_quote(dir.file("copy")));
    EXPECT_EQ(v.exit_code, 1);
    EXPECT_TRUE(v.has("BADSIG " + k.alice_fpr.substr(24) + " Alice <alice@example.org>"));
    EXPECT_FALSE(v.has("VALIDSIG"));
    EXPECT_NE(v.err.find("BAD signature from \"Alice <alice@example.org>\""), std::string::npos) << v.err;
    // A lone FILE.sig: the data is FILE, as gpg assumes.
    write_bytes(dir.file("copy"), as_bytes(std::string("detached data")));
    const RunResult lone = run(pgpkit_cmd("sign" + home() + " -b -u " + k.alice_fpr + " -o " +
                                          shell_quote(dir.file("copy.sig")) + " " + shell_quote(dir.file("copy"))));
    ASSERT_EQ(lone.exit_code, 0) << lone.err;
    v = verify(shell_quote(dir.file("copy.sig")));
    EXPECT_EQ(v.exit_code, 0) << v.err;
    EXPECT_NE(v.err.find("assuming signed data in '" + dir.file("copy") + "'"), std::string::npos) << v.err;
    // Data from standard input.
    const RunResult r = run(pgpkit_cmd("verify" + home() + " " + shell_quote(sig) + " -"), "detached data");
    EXPECT_EQ(r.exit_code, 0) << r.err;
}

TEST_F(MessageSignVerify, TamperedInlineMessageIsBad) {
    const std::string msg = signed_file("-u " + k.alice_fpr, "0123456789", "t.msg");
    Bytes b = read_bytes(msg);
    const std::string s(b.begin(), b.end());
    const auto at = s.find("0123456789");
    ASSERT_NE(at, std::string::npos);
    b[at + 3] ^= 1;
    write_bytes(msg, b);
    const Verified v = verify(shell_quote(msg));
    EXPECT_EQ(v.exit_code, 1);
    EXPECT_TRUE(v.has("BADSIG "));
}

TEST_F(MessageSignVerify, CleartextIgnoresTrailingWhitespaceButNotText) {
    const std::string msg = signed_file("-u " + k.alice_fpr + " --clearsign", "line one  \n- dash line\t\nlast\n", "c.asc");
    const Bytes b = read_bytes(msg);
    std::string text(b.begin(), b.end());
    EXPECT_NE(text.find("\n- - dash line"), std::string::npos) << "dash-escaped: " << text;
    Verified v = verify("-o - " + shell_quote(msg));
    EXPECT_EQ(v.exit_code, 0) << v.err;
    EXPECT_EQ(v.out, "line one  \n- dash line\t\nlast\n");
    EXPECT_TRUE(v.has("VALIDSIG " + k.alice_fpr)) << v.err;
    // Trailing whitespace is not signed (RFC 9580 section 7.1): changing it keeps the signature good.
    std::string spaced = text;
    spaced.replace(spaced.find("line one  \n"), 11, "line one\t \t\n");
    write_bytes(dir.file("spaced.asc"), as_bytes(spaced));
    EXPECT_EQ(verify(shell_quote(dir.file("spaced.asc"))).exit_code, 0);
    std::string changed = text;
    changed.replace(changed.find("last"), 4, "lost");
    write_bytes(dir.file("changed.asc"), as_bytes(changed));
    v = verify(shell_quote(dir.file("changed.asc")));
    EXPECT_EQ(v.exit_code, 1);
    EXPECT_TRUE(v.has("BADSIG "));
}

TEST_F(MessageSignVerify, TextModeSignatureCoversCanonicalLineEnds) {
    const std::string sig = signed_file("-u " + k.alice_fpr + " -b --textmode", "a\nb\n", "t.sig");
    write_bytes(dir.file("crlf"), as_bytes(std::string("a\r\nb\r\n")));
    Verified v = verify(shell_quote(sig) + " " + shell_quote(dir.file("crlf")));
    EXPECT_EQ(v.exit_code, 0) << v.err;
    bool text_class = false;
    for (const std::string& s : v.status)
        if (s.rfind("VALIDSIG " + k.alice_fpr, 0) == 0) text_class = s.find(" 01 " + k.alice_fpr) != std::string::npos;
    EXPECT_TRUE(text_class) << "signature class 01";
    write_bytes(dir.file("crlf"), as_bytes(std::string("a\r\nc\r\n")));
    EXPECT_EQ(verify(shell_quote(sig) + " " + shell_quote(dir.file("crlf"))).exit_code, 1);
}

TEST_F(MessageSignVerify, InlineTextModeStoresCrLfAndGivesBackNativeLineEnds) {
    const std::string msg = signed_file("-u " + k.alice_fpr + " --textmode", "one\ntwo\n", "t.msg");
    const auto packets = packet::parse_lossless(read_bytes(msg));
    ASSERT_EQ(packets.size(), 3u);
    const auto* lit = packets[1].get<packet::Literal>();
    ASSERT_NE(lit, nullptr);
    EXPECT_EQ(lit->format, 't');
    EXPECT_EQ(std::string(lit->payload.data.begin(), lit->payload.data.end()), "one\r\ntwo\r\n");
    const Verified v = verify("-o - " + shell_quote(msg));
    EXPECT_EQ(v.exit_code, 0) << v.err;
    EXPECT_EQ(v.out, "one\ntwo\n") << "as gpg writes literal text";
    EXPECT_TRUE(v.has("PLAINTEXT 74 "));
}

TEST_F(MessageSignVerify, MissingKeyIsNoPubkeyWithTheFingerprintField) {
    const std::string sig = signed_file("-u " + k.alice_fpr + " -b", "x", "n.sig");
    write_bytes(dir.file("x"), as_bytes(std::string("x")));
    const Verified v = verify("--no-default-keyring --keyring " + shell_quote(k.bob_keyring) + " " + shell_quote(sig) +
                              " " + shell_quote(dir.file("x")));
    EXPECT_EQ(v.exit_code, 1);
    const std::string id = k.alice_fpr.substr(24);
    ASSERT_EQ(v.status.size(), 3u) << v.err;
    EXPECT_EQ(v.status[0], "NEWSIG");
    EXPECT_EQ(v.status[1].substr(0, 7 + id.size()), "ERRSIG " + id);
    EXPECT_EQ(v.status[1].substr(v.status[1].size() - 43), " 9 " + k.alice_fpr);
    EXPECT_EQ(v.status[2], "NO_PUBKEY " + id);
    EXPECT_NE(v.err.find("Can't check signature: No public key"), std::string::npos) << v.err;
}

TEST_F(MessageSignVerify, UnknownHashAlgorithmIsErrsigFour) {
    const std::string sig = signed_file("-u " + k.alice_fpr + " -b", "h", "h.sig");
    Bytes b = read_bytes(sig);
    ASSERT_EQ(b.at(0), 0xC2) << "new-format header with a one-octet length";
    b.at(5) = 99;  // CTB, length, version, type, public-key algorithm, hash algorithm
    write_bytes(sig, b);
    write_bytes(dir.file("h"), as_bytes(std::string("h")));
    const Verified v = verify(shell_quote(sig) + " " + shell_quote(dir.file("h")));
    EXPECT_EQ(v.exit_code, 1);
    ASSERT_EQ(v.status.size(), 2u) << v.err;
    EXPECT_EQ(v.status[1], "ERRSIG " + k.alice_fpr.substr(24) + " 22 99 00 " + split(v.status[1], ' ').at(5) + " 4 " +
                               k.alice_fpr);
    EXPECT_NE(v.err.find("Can't check signature: unsupported hash algorithm 99"), std::string::npos) << v.err;
}

TEST_F(MessageSignVerify, SigningSubkeyIsUnlockedWithThePassphrase) {
    EXPECT_EQ(sign("-u bob@example.org -b --passphrase 'wrong'", "s").exit_code, 2);
    EXPECT_EQ(sign("-u bob@example.org -b", "s").exit_code, 2) << "no passphrase given";
    const std::string sig = signed_file("-u bob@example.org -b --passphrase 'bob secret' --status-fd 2", "s", "b.sig");
    write_bytes(dir.file("s"), as_bytes(std::string("s")));
    const Verified v = verify(shell_quote(sig) + " " + shell_quote(dir.file("s")));
    EXPECT_EQ(v.exit_code, 0) << v.err;
    bool by_subkey = false;
    for (const std::string& s : v.status)
        if (s.rfind("VALIDSIG ", 0) == 0)
            by_subkey = s.substr(9, 40) != k.bob_fpr && s.substr(s.size() - 40) == k.bob_fpr;
    EXPECT_TRUE(by_subkey) << "made by the signing subkey, primary fingerprint last";
    EXPECT_NE(v.err.find("Subkey fingerprint:"), std::string::npos) << v.err;
}

TEST_F(MessageSignVerify, WithoutLocalUserTheFirstSecretKeyThatCanSignSigns) {
    // Bob is the first key of the store (made first); his key is protected.
    EXPECT_EQ(sign("-b", "default").exit_code, 2) << "no passphrase for the default key";
    const std::string sig = signed_file("-b --passphrase 'bob secret'", "default", "d.sig");
    write_bytes(dir.file("default"), as_bytes(std::string("default")));
    const Verified v = verify(shell_quote(sig) + " " + shell_quote(dir.file("default")));
    EXPECT_EQ(v.exit_code, 0) << v.err;
    bool bob = false;
    for (const std::string& s : v.status)
        if (s.rfind("VALIDSIG ", 0) == 0) bob = s.substr(s.size() - 40) == k.bob_fpr;
    EXPECT_TRUE(bob);
}

TEST_F(MessageSignVerify, ExpiredKeyGivesExpKeySig) {
    const std::string sig = signed_file("-u old@example.org -b --faked-system-time 1590000000", "old", "o.sig");
    write_bytes(dir.file("old"), as_bytes(std::string("old")));
    const Verified v = verify(shell_quote(sig) + " " + shell_quote(dir.file("old")));
    EXPECT_EQ(v.exit_code, 0) << "good, by a key expired since (as gpg)";
    EXPECT_TRUE(v.has("EXPKEYSIG " + k.old_fpr.substr(24))) << v.err;
    EXPECT_TRUE(v.has("KEYEXPIRED 1609459200"));
    EXPECT_FALSE(v.has("GOODSIG"));
    EXPECT_EQ(sign("-u old@example.org -b", "now").exit_code, 2) << "an expired key does not sign";
}

TEST_F(MessageSignVerify, SignatureFirstAndNestedMessagesVerify) {
    const std::string two = signed_file("-u " + k.alice_fpr + " -u " + k.rsa_fpr, "nested", "two.msg");
    Verified v = verify(shell_quote(two));
    EXPECT_EQ(v.exit_code, 0) << v.err;
    int good = 0;
    for (const auto& s : v.status) good += s.rfind("GOODSIG ", 0) == 0;
    EXPECT_EQ(good, 2);
    // The old form: signatures, then the literal data (no one-pass signatures).
    const auto packets = packet::parse_lossless(read_bytes(two));
    ASSERT_EQ(packets.size(), 5u);
    const Bytes old_form = packet::write_packets({packets[3], packets[4], packets[2]});
    write_bytes(dir.file("old.msg"), old_form);
    v = verify(shell_quote(dir.file("old.msg")));
    EXPECT_EQ(v.exit_code, 0) << v.err;
    good = 0;
    for (const auto& s : v.status) good += s.rfind("GOODSIG ", 0) == 0;
    EXPECT_EQ(good, 2);
}

TEST_F(MessageSignVerify, V6KeyMakesV6SignaturesInEachForm) {
    ASSERT_EQ(k.six_fpr.size(), 64u);
    write_bytes(dir.file("six"), as_bytes(std::string("six data\n")));
    for (const char* mode : {"", "-a", "-b", "--clearsign"}) {
        const std::string out = signed_file(std::string("-u six@example.org ") + mode, "six data\n", "six.out");
        const bool detached = std::string(mode) == "-b";
        const Verified v = verify(shell_quote(out) + (detached ? " " + shell_quote(dir.file("six")) : ""));
        EXPECT_EQ(v.exit_code, 0) << mode << ": " << v.err;
        bool v6 = false;
        for (const std::string& s : v.status)
            if (s.rfind("VALIDSIG " + k.six_fpr, 0) == 0) v6 = split(s, ' ').at(5) == "6";
        EXPECT_TRUE(v6) << mode << ": signature version 6";
    }
    const std::string sig = signed_file("-u six@example.org -b", "six data\n", "six.sig");
    write_bytes(dir.file("six"), as_bytes(std::string("six datA\n")));
    EXPECT_EQ(verify(shell_quote(sig) + " " + shell_quote(dir.file("six"))).exit_code, 1);
}

TEST_F(MessageSignVerify, GarbageAndTruncatedInputGiveOneLineAndExitTwo) {
    write_bytes(dir.file("garbage"), as_bytes(std::string("\x99\x01\x02 not a message")));
    Verified v = verify(shell_quote(dir.file("garbage")));
    EXPECT_EQ(v.exit_code, 2);
    EXPECT_EQ(non_empty_lines(v.err).size(), 1u) << v.err;
    EXPECT_NE(v.err.find("pgpkit: error:"), std::string::npos);
    const std::string msg = signed_file("-u " + k.alice_fpr, std::string(3000, 'x'), "cut.msg");
    Bytes b = read_bytes(msg);
    b.resize(b.size() / 2);
    write_bytes(dir.file("cut.msg"), b);
    v = verify(shell_quote(dir.file("cut.msg")));
    EXPECT_EQ(v.exit_code, 2);
    ASSERT_EQ(non_empty_lines(v.err).size(), 1u) << v.err;
    EXPECT_NE(v.err.find("offset"), std::string::npos) << v.err;
    write_bytes(dir.file("empty"), {});
    v = verify(shell_quote(dir.file("empty")) + " " + shell_quote(msg));
    EXPECT_EQ(v.exit_code, 2) << "an empty signature file";
    EXPECT_EQ(non_empty_lines(v.err).size(), 1u) << v.err;
}

}  // namespace
}  // namespace pgpkit::test
