// Data signatures (RFC 9580 section 5.2.1) made by gpg, checked by cert::check_data_signature:
// binary and text (canonical CR LF) signatures by a signing subkey, tampered data, a
// missing key.

#include <gtest/gtest.h>

#include <string>

#include "cert/cert.h"
#include "cert/verify.h"
#include "packet/parser.h"
#include "tests/support/env.h"

namespace pgpkit::test {
namespace {

using packet::SigType;
struct Signed {
    TempDir dir;
    std::vector<cert::Cert> certs;
    cert::KeyIndex index;
    std::string gpg;

    Signed() {
        gpg = "gpg --homedir " + shell_quote(dir.path()) + " --batch --no-tty --pinentry-mode loopback --passphrase ''";
        const RunResult k = run(gpg + " --quick-gen-key 'Data <data@oracle.test>' ed25519 cert never && " + gpg +
                                " --quick-add-key $(" + gpg +
                                " --list-keys --with-colons | awk -F: '/^fpr/{print $10; exit}') ed25519 sign never");
        EXPECT_EQ(k.exit_code, 0) << "gpg is a peer of the tests (scripts/bootstrap.sh): " << k.err;
        const RunResult e = run(gpg + " --export");
        certs = cert::read_all_certs(as_bytes(e.out));
        for (const auto& c : certs) index.add(c);
    }
    ~Signed() { run("gpgconf --homedir " + shell_quote(dir.path()) + " --kill all"); }

    packet::Signature sign(const std::string& data, const std::string& mode) {
        write_bytes(dir.file("data"), as_bytes(data));
        const RunResult r = run(gpg + " " + mode + " --detach-sign -o - " + shell_quote(dir.file("data")));
        EXPECT_EQ(r.exit_code, 0) << r.err;
        const auto packets = packet::parse_all(as_bytes(r.out));
        EXPECT_EQ(packets.size(), 1u);
        return *packets.at(0).get<packet::Signature>();
    }

    cert::SigCheck check(const packet::Signature& s, const std::string& data) {
        cert::CheckContext ctx;
        ctx.others = &index;
        return cert::check_data_signature(s, as_bytes(data), ctx);
    }
};

TEST(DataSignatures, BinaryAndTextSignaturesByASigningSubkeyVerify) {
    Signed g;
    ASSERT_EQ(g.certs.size(), 1u);
    const std::string data = "line one\nline two\r\nlast line without end";
    const auto bin = g.sign(data, "");
    EXPECT_EQ(bin.sig_type, SigType::Binary);
    const auto r = g.check(bin, data);
    EXPECT_EQ(r.crypto, cert::Verdict::Good) << r.crypto_reason;
    EXPECT_EQ(r.marker(), '!');
    ASSERT_NE(r.issuer, nullptr);
    EXPECT_NE(r.issuer, &g.certs[0].key()) << "made by the subkey";
    EXPECT_EQ(g.check(bin, data + "!").marker(), '-');

    const auto text = g.sign(data, "--textmode");
    EXPECT_EQ(text.sig_type, SigType::Text);
    EXPECT_EQ(g.check(text, data).crypto, cert::Verdict::Good);
    // Line ends do not matter to a text signature, their content does.
    EXPECT_EQ(g.check(text, "line one\r\nline two\nlast line without end").crypto, cert::Verdict::Good);
    EXPECT_EQ(g.check(text, "line one\nline 2\nlast line without end").crypto, cert::Verdict::Bad);
}

TEST(DataSignatures, UnknownIssuerIsNoKeyAndACertificationIsNotADataSignature) {
    Signed g;
    const auto bin = g.sign("x", "");
    cert::CheckContext empty;
    cert::KeyIndex none;
    empty.others = &none;
    EXPECT_EQ(cert::check_data_signature(bin, as_bytes(std::string("x")), empty).marker(), '?');
    packet::Signature cert_sig = bin;
    cert_sig.sig_type = SigType::PositiveCert;
    EXPECT_EQ(g.check(cert_sig, "x").crypto, cert::Verdict::Malformed);
}

}  // namespace
}  // namespace pgpkit::test
