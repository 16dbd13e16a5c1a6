// `pgpkit sop` end to end without peers: each subcommand, the draft's exit codes, indirect
// arguments (@ENV:, @FD:, files), and the pgpkit-sop name. Interop with sqop is in
// tests/oracle/sop_oracle_test.cpp.

#include <gtest/gtest.h>

#include <regex>
#include <string>
#include <vector>

#include "tests/support/env.h"

namespace pgpkit::test {
namespace {

std::string sop() { return shell_quote(pgpkit_bin()) + " sop"; }

std::string text_of(const Bytes& b) { return std::string(b.begin(), b.end()); }

/** Keys made once for the suite: a default (Ed25519) key, a protected one and a v6 one. */
struct Keys {
    TempDir dir;
    std::string alice, alice_cert, locked, locked_cert, v6, v6_cert;

    std::string make(const std::string& name, const std::string& args) {
        const std::string key = dir.file(name + ".key"), crt = dir.file(name + ".cert");
        RunResult r = run(sop() + " generate-key " + args + " > " + shell_quote(key));
        EXPECT_EQ(r.exit_code, 0) << r.err;
        r = run(sop() + " extract-cert < " + shell_quote(key) + " > " + shell_quote(crt));
        EXPECT_EQ(r.exit_code, 0) << r.err;
        return name;
    }
    Keys() {
        write_bytes(dir.file("pw"), as_bytes(std::string("sesame\n")));
        make("alice", "'Alice <alice@example.org>'");
        make("locked", "--with-key-password=" + shell_quote(dir.file("pw")) + " 'Locked <l@example.org>'");
        make("v6", "--profile=rfc9580 'Six <six@example.org>'");
        alice = dir.file("alice.key"), alice_cert = dir.file("alice.cert");
        locked = dir.file("locked.key"), locked_cert = dir.file("locked.cert");
        v6 = dir.file("v6.key"), v6_cert = dir.file("v6.cert");
    }
};

const Keys& keys() {
    static Keys k;
    return k;
}

class Sop : public ::testing::Test {
protected:
    const Keys& k = keys();
    TempDir dir;

    RunResult sop_run(const std::string& args, const std::string& input = {}) {
        return run(sop() + " " + args, input);
    }
    std::string file(const std::string& name, const std::string& content) {
        write_bytes(dir.file(name), as_bytes(content));
        return shell_quote(dir.file(name));
    }
    static std::string q(const std::string& s) { return shell_quote(s); }
};

TEST_F(Sop, VersionAndProfiles) {
    RunResult r = sop_run("version");
    EXPECT_EQ(r.exit_code, 0);
    EXPECT_TRUE(std::regex_match(r.out, std::regex("pgpkit-sop [0-9][^ \n]*\n"))) << r.out;
    r = sop_run("version --backend");
    EXPECT_EQ(r.out.rfind("pgpkit ", 0), 0u) << r.out;
    r = sop_run("version --extended");
    EXPECT_GT(non_empty_lines(r.out).size(), 1u);
    EXPECT_EQ(non_empty_lines(r.out).front(), non_empty_lines(sop_run("version").out).front());
    EXPECT_EQ(sop_run("version --sop-spec").out.rfind("draft-dkg-openpgp-stateless-cli-", 0), 0u);
    r = sop_run("list-profiles generate-key");
    EXPECT_EQ(r.exit_code, 0);
    EXPECT_NE(r.out.find("rfc4880: "), std::string::npos);
    EXPECT_NE(r.out.find("rfc9580: "), std::string::npos);
    EXPECT_NE(sop_run("list-profiles encrypt").out.find("rfc9580: "), std::string::npos);
    EXPECT_EQ(sop_run("list-profiles sign").exit_code, 89);
    EXPECT_EQ(sop_run("generate-key --profile=nonesuch x").exit_code, 89);
}

TEST_F(Sop, UsageErrorsHaveTheDraftsCodes) {
    EXPECT_EQ(sop_run("frobnicate").exit_code, 69);
    EXPECT_EQ(sop_run("").exit_code, 69);
    EXPECT_EQ(sop_run("sign --frobnicate " + q(k.alice), "x").exit_code, 37);
    EXPECT_EQ(sop_run("sign", "x").exit_code, 19) << "no KEYS";
    EXPECT_EQ(sop_run("verify " + file("s", "x")).exit_code, 19) << "no CERTS";
    EXPECT_EQ(sop_run("encrypt", "x").exit_code, 19);
    EXPECT_EQ(sop_run("sign --as=weird " + q(k.alice), "x").exit_code, 37);
    EXPECT_EQ(sop_run("sign " + q(dir.file("absent")), "x").exit_code, 61);
    EXPECT_EQ(sop_run("sign " + q(k.alice_cert), "x").exit_code, 41) << "a certificate is no KEY";
    EXPECT_EQ(sop_run("sign " + file("junk", "not a key"), "x").exit_code, 41);
    EXPECT_EQ(sop_run("sign @NOPE:x", "x").exit_code, 71);
    EXPECT_EQ(sop_run("inline-sign --as=clearsigned --no-armor " + q(k.alice), "x").exit_code, 83);
    EXPECT_EQ(sop_run("decrypt --verifications-out=" + q(dir.file("v")) + " " + q(k.alice), "x").exit_code, 23);
    EXPECT_EQ(sop_run("sign --as=text " + q(k.alice), std::string("\xff\xfe", 2)).exit_code, 53);
}

TEST_F(Sop, DetachedSignaturesVerifyWithTheDraftsLines) {
    for (const std::string& who : {std::string("alice"), std::string("v6")}) {
        const std::string kf = who == "alice" ? k.alice : k.v6;
        const std::string cf = who == "alice" ? k.alice_cert : k.v6_cert;
        for (const char* as : {"binary", "text"}) {
            RunResult s = sop_run(std::string("sign --as=") + as + " " + q(kf), "signed data\n");
            ASSERT_EQ(s.exit_code, 0) << s.err;
            EXPECT_EQ(s.out.rfind("-----BEGIN PGP SIGNATURE-----", 0), 0u);
            const std::string sig = file("sig", s.out);
            RunResult v = sop_run("verify " + sig + " " + q(cf), "signed data\n");
            ASSERT_EQ(v.exit_code, 0) << v.err;
            const std::regex line("[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}Z [0-9A-F]{40,64} [0-9A-F]{40,64} "
                                  "mode:" + std::string(as) + "\n");
            EXPECT_TRUE(std::regex_match(v.out, line)) << v.out;
            EXPECT_EQ(sop_run("verify " + sig + " " + q(cf), "signed dat4\n").exit_code, 3) << "tampered data";
            EXPECT_EQ(sop_run("verify " + sig + " " + q(k.locked_cert), "signed data\n").exit_code, 3) << "other cert";
            EXPECT_EQ(sop_run("verify --not-before=2100-01-01T00:00:00Z " + sig + " " + q(cf), "signed data\n").exit_code, 3);
            EXPECT_EQ(sop_run("verify --not-after=2000-01-01T00:00:00Z " + sig + " " + q(cf), "signed data\n").exit_code, 3);
        }
    }
    RunResult s = sop_run("sign --no-armor --micalg-out=" + q(dir.file("micalg")) + " " + q(k.alice), "d");
    ASSERT_EQ(s.exit_code, 0) << s.err;
    EXPECT_TRUE(static_cast<unsigned char>(s.out.at(0)) & 0x80) << "binary";
    EXPECT_EQ(text_of(read_bytes(dir.file("micalg"))), "pgp-sha256");
    EXPECT_EQ(sop_run("sign --micalg-out=" + q(dir.file("micalg")) + " " + q(k.alice), "d").exit_code, 59)
        << "the output exists";
}

TEST_F(Sop, ProtectedKeysNeedTheirPassword) {
    EXPECT_EQ(sop_run("sign " + q(k.locked), "d").exit_code, 67);
    EXPECT_EQ(sop_run("sign --with-key-password=" + file("bad", "nope") + " " + q(k.locked), "d").exit_code, 67);
    // The password file has a trailing newline; the key was made with it trimmed.
    RunResult s = sop_run("sign --with-key-password=" + q(k.dir.file("pw")) + " " + q(k.locked), "d");
    ASSERT_EQ(s.exit_code, 0) << s.err;
    EXPECT_EQ(sop_run("verify " + file("sig", s.out) + " " + q(k.locked_cert), "d").exit_code, 0);
    // Indirect: the environment and a descriptor.
    s = run("PW=sesame " + sop() + " sign --with-key-password=@ENV:PW " + q(k.locked), "d");
    EXPECT_EQ(s.exit_code, 0) << s.err;
    s = run(sop() + " sign --with-key-password=@FD:3 @FD:4 3<" + q(k.dir.file("pw")) + " 4<" + q(k.locked), "d");
    EXPECT_EQ(s.exit_code, 0) << s.err;
    EXPECT_EQ(run(sop() + " sign --with-key-password=@ENV:UNSET_PW_X " + q(k.locked), "d").exit_code, 61);
}

TEST_F(Sop, EncryptDecryptWithKeysPasswordsAndSessionKeys) {
    RunResult e = sop_run("encrypt " + q(k.alice_cert) + " " + q(k.v6_cert), "secret text\n");
    ASSERT_EQ(e.exit_code, 0) << e.err;
    EXPECT_EQ(e.out.rfind("-----BEGIN PGP MESSAGE-----", 0), 0u);
    for (const std::string& key : {k.alice, k.v6}) {
        RunResult d = sop_run("decrypt " + q(key), e.out);
        EXPECT_EQ(d.exit_code, 0) << d.err;
        EXPECT_EQ(d.out, "secret text\n");
    }
    EXPECT_EQ(sop_run("decrypt " + q(k.locked), e.out).exit_code, 29);
    // Passwords, and the session key out and back in.
    e = sop_run("encrypt --with-password=" + file("mpw", "hunter2") + " --session-key-out=" + q(dir.file("sk")), "pw text");
    ASSERT_EQ(e.exit_code, 0) << e.err;
    EXPECT_EQ(sop_run("decrypt --with-password=" + file("mpw2", "hunter2\n"), e.out).out, "pw text");
    EXPECT_EQ(sop_run("decrypt --with-password=" + file("mpw3", "wrong"), e.out).exit_code, 29);
    const std::string sk = text_of(read_bytes(dir.file("sk")));
    EXPECT_TRUE(std::regex_match(sk, std::regex("[0-9]+:[0-9A-F]+\n"))) << sk;
    EXPECT_EQ(sop_run("decrypt --with-session-key=" + q(dir.file("sk")), e.out).out, "pw text");
    RunResult d = sop_run("decrypt --session-key-out=" + q(dir.file("sk2")) + " --with-password=" + file("mpw4", "hunter2"),
                          e.out);
    EXPECT_EQ(d.exit_code, 0) << d.err;
    EXPECT_EQ(text_of(read_bytes(dir.file("sk2"))), sk);
    // RFC 9580 profile to a v6 certificate: SEIPD v2.
    e = sop_run("encrypt --profile=rfc9580 --no-armor " + q(k.v6_cert), "aead");
    ASSERT_EQ(e.exit_code, 0) << e.err;
    EXPECT_EQ(sop_run("decrypt " + q(k.v6), e.out).out, "aead");
    EXPECT_EQ(sop_run("encrypt --profile=nonesuch " + q(k.v6_cert), "x").exit_code, 89);
    EXPECT_EQ(sop_run("encrypt --as=text " + q(k.alice_cert), std::string("\xc3\x28", 2)).exit_code, 53);
}

TEST_F(Sop, SignedEncryptionReportsVerifications) {
    RunResult e = sop_run("encrypt --sign-with=" + q(k.v6) + " " + q(k.alice_cert), "signed and sealed");
    ASSERT_EQ(e.exit_code, 0) << e.err;
    const std::string vout = dir.file("verifs");
    RunResult d = sop_run("decrypt --verify-with=" + q(k.v6_cert) + " --verifications-out=" + q(vout) + " " + q(k.alice),
                          e.out);
    ASSERT_EQ(d.exit_code, 0) << d.err;
    EXPECT_EQ(d.out, "signed and sealed");
    EXPECT_EQ(non_empty_lines(text_of(read_bytes(vout))).size(), 1u);
    // Verified with the wrong certificate: decrypted all the same, no verification line.
    const std::string vout2 = dir.file("verifs2");
    d = sop_run("decrypt --verify-with=" + q(k.alice_cert) + " --verifications-out=" + q(vout2) + " " + q(k.alice), e.out);
    EXPECT_EQ(d.exit_code, 0) << d.err;
    EXPECT_EQ(text_of(read_bytes(vout2)), "");
    EXPECT_EQ(sop_run("encrypt --sign-with=" + q(k.locked) + " " + q(k.alice_cert), "x").exit_code, 67);
}

TEST_F(Sop, InlineSignVerifyAndDetach) {
    const std::string data = "line one\n- dashed\nFrom here\n";
    for (const char* as : {"binary", "text", "clearsigned"}) {
        RunResult s = sop_run(std::string("inline-sign --as=") + as + " " + q(k.alice), data);
        ASSERT_EQ(s.exit_code, 0) << s.err;
        const bool clear = std::string(as) == "clearsigned";
        EXPECT_EQ(s.out.rfind(clear ? "-----BEGIN PGP SIGNED MESSAGE-----" : "-----BEGIN PGP MESSAGE-----", 0), 0u);
        const std::string vout = dir.file(std::string("v-") + as);
        RunResult v = sop_run("inline-verify --verifications-out=" + q(vout) + " " + q(k.alice_cert), s.out);
        ASSERT_EQ(v.exit_code, 0) << as << v.err;
        if (!clear) {
            EXPECT_EQ(v.out, data);
        }
        EXPECT_NE(text_of(read_bytes(vout)).find(std::string(" mode:") + (std::string(as) == "binary" ? "binary" : "text")),
                  std::string::npos);
        EXPECT_EQ(sop_run("inline-verify " + q(k.v6_cert), s.out).exit_code, 3);
        const std::string sigs = dir.file(std::string("sigs-") + as);
        RunResult split = sop_run("inline-detach --signatures-out=" + q(sigs), s.out);
        ASSERT_EQ(split.exit_code, 0) << split.err;
        RunResult dv = sop_run("verify " + q(sigs) + " " + q(k.alice_cert), split.out);
        EXPECT_EQ(dv.exit_code, 0) << as << ": the detached signature fits the data inline-detach gave\n" << dv.err;
    }
    EXPECT_EQ(sop_run("inline-detach", "x").exit_code, 19);
    EXPECT_EQ(sop_run("inline-verify " + q(k.alice_cert), "no message").exit_code, 41);
}

TEST_F(Sop, ArmorAndDearmorRoundTripAndAreIdempotent) {
    const Bytes cert = read_bytes(k.alice_cert);
    RunResult d = sop_run("dearmor", text_of(cert));
    ASSERT_EQ(d.exit_code, 0) << d.err;
    EXPECT_TRUE(static_cast<unsigned char>(d.out.at(0)) & 0x80);
    EXPECT_EQ(sop_run("dearmor", d.out).out, d.out);
    RunResult a = sop_run("armor", d.out);
    EXPECT_EQ(a.out.rfind("-----BEGIN PGP PUBLIC KEY BLOCK-----", 0), 0u) << a.out;
    EXPECT_EQ(sop_run("armor", a.out).out, a.out);
    EXPECT_EQ(sop_run("dearmor", a.out).out, d.out);
    EXPECT_EQ(sop_run("dearmor", "-----BEGIN PGP MESSAGE-----\n\n!!!!\n-----END PGP MESSAGE-----\n").exit_code, 41);
}

TEST_F(Sop, KeyManagement) {
    // change-key-password: the old password no longer signs, the new one does.
    RunResult c = sop_run("change-key-password --old-key-password=" + q(k.dir.file("pw")) + " --new-key-password=" +
                          file("npw", "open up"), text_of(read_bytes(k.locked)));
    ASSERT_EQ(c.exit_code, 0) << c.err;
    const std::string changed = file("changed.key", c.out);
    EXPECT_EQ(sop_run("sign --with-key-password=" + q(k.dir.file("pw")) + " " + changed, "d").exit_code, 67);
    EXPECT_EQ(sop_run("sign --with-key-password=" + q(dir.file("npw")) + " " + changed, "d").exit_code, 0);
    EXPECT_EQ(sop_run("change-key-password", text_of(read_bytes(k.locked))).exit_code, 67);
    c = sop_run("change-key-password --old-key-password=" + q(dir.file("npw")), c.out);
    EXPECT_EQ(sop_run("sign " + file("open.key", c.out), "d").exit_code, 0) << "password removed";
    // revoke-key: a revoked certificate cannot be encrypted to.
    RunResult r = sop_run("revoke-key", text_of(read_bytes(k.alice)));
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_EQ(r.out.rfind("-----BEGIN PGP PUBLIC KEY BLOCK-----", 0), 0u);
    EXPECT_EQ(sop_run("encrypt " + file("rev.cert", r.out), "x").exit_code, 17);
    // merge-certs: the revocation merged into the certificate.
    RunResult m = sop_run("merge-certs " + q(dir.file("rev.cert")), text_of(read_bytes(k.alice_cert)));
    ASSERT_EQ(m.exit_code, 0) << m.err;
    EXPECT_EQ(sop_run("encrypt " + file("merged.cert", m.out), "x").exit_code, 17);
    EXPECT_EQ(sop_run("encrypt " + q(k.alice_cert), "x").exit_code, 0);
}

TEST_F(Sop, CertifyAndValidateUserIds) {
    const std::string bob = text_of(read_bytes(k.v6_cert));
    const std::string uid = "Six <six@example.org>";
    EXPECT_EQ(sop_run("validate-userid " + q(uid) + " " + q(k.alice_cert), bob).exit_code, 107);
    EXPECT_EQ(sop_run("validate-userid " + q(uid) + " " + q(k.v6_cert), bob).exit_code, 0) << "self-certified";
    RunResult c = sop_run("certify-userid --userid=" + q(uid) + " " + q(k.alice), bob);
    ASSERT_EQ(c.exit_code, 0) << c.err;
    EXPECT_EQ(sop_run("validate-userid " + q(uid) + " " + q(k.alice_cert), c.out).exit_code, 0);
    EXPECT_EQ(sop_run("validate-userid --addr-spec-only six@example.org " + q(k.alice_cert), c.out).exit_code, 0);
    EXPECT_EQ(sop_run("validate-userid --validate-at=2000-01-01T00:00:00Z " + q(uid) + " " + q(k.alice_cert), c.out)
                  .exit_code, 107);
    EXPECT_EQ(sop_run("certify-userid --userid=Bobby " + q(k.alice), bob).exit_code, 107) << "no self-signature";
    c = sop_run("certify-userid --no-require-self-sig --userid=Bobby " + q(k.alice), bob);
    ASSERT_EQ(c.exit_code, 0) << c.err;
    EXPECT_EQ(sop_run("validate-userid Bobby " + q(k.alice_cert), c.out).exit_code, 0);
    EXPECT_EQ(sop_run("certify-userid " + q(k.alice), bob).exit_code, 19);
}

TEST_F(Sop, GenerateKeyProfilesAndSigningOnly) {
    for (const char* profile : {"rfc4880", "rfc6637", "rfc9580", "draft-koch-eddsa-for-openpgp-00", "default"}) {
        RunResult g = sop_run(std::string("generate-key --profile=") + profile + " 'P <p@example.org>' q@example.org");
        ASSERT_EQ(g.exit_code, 0) << profile << g.err;
        EXPECT_EQ(g.out.rfind("-----BEGIN PGP PRIVATE KEY BLOCK-----", 0), 0u);
        const std::string key = file("p.key", g.out);
        RunResult cert = sop_run("extract-cert", g.out);
        const std::string crt = file("p.cert", cert.out);
        EXPECT_EQ(sop_run("validate-userid q@example.org " + crt, cert.out).exit_code, 0) << profile;
        RunResult e = sop_run("encrypt --sign-with=" + key + " " + crt, "x");
        ASSERT_EQ(e.exit_code, 0) << profile << e.err;
        RunResult d = sop_run("decrypt --verify-with=" + crt + " --verifications-out=" + q(dir.file(std::string("v") + profile)) +
                              " " + key, e.out);
        EXPECT_EQ(d.out, "x") << profile << d.err;
        EXPECT_FALSE(text_of(read_bytes(dir.file(std::string("v") + profile))).empty()) << profile;
    }
    RunResult g = sop_run("generate-key --signing-only --no-armor s@example.org");
    ASSERT_EQ(g.exit_code, 0) << g.err;
    EXPECT_TRUE(static_cast<unsigned char>(g.out.at(0)) & 0x80);
    RunResult cert = sop_run("extract-cert", g.out);
    EXPECT_EQ(sop_run("encrypt " + file("so.cert", cert.out), "x").exit_code, 17);
    EXPECT_EQ(sop_run("sign " + file("so.key", g.out), "x").exit_code, 0);
    g = sop_run("generate-key");
    EXPECT_EQ(g.exit_code, 0) << "no user ID: " << g.err;
}

TEST_F(Sop, PgpkitSopIsTheSameProgram) {
    const std::string bin = pgpkit_bin();
    const std::string alias = bin.substr(0, bin.rfind('/') + 1) + "pgpkit-sop";
    RunResult a = run(q(alias) + " version");
    EXPECT_EQ(a.exit_code, 0) << a.err;
    EXPECT_EQ(a.out, sop_run("version").out);
    EXPECT_EQ(run(q(alias) + " frobnicate").exit_code, 69);
    RunResult s = run(q(alias) + " sign " + q(k.alice), "via alias");
    ASSERT_EQ(s.exit_code, 0) << s.err;
    EXPECT_EQ(sop_run("verify " + file("sig", s.out) + " " + q(k.alice_cert), "via alias").exit_code, 0);
}

}  // namespace
}  // namespace pgpkit::test
