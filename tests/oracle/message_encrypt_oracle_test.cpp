// Encryption interop with the peers, both ways: gpg encrypts to keys of each family (RSA,
// Elgamal of a DSA+Elgamal key, ECDH on cv25519, NIST P-256 and brainpoolP256r1) and pgpkit
// decrypts, pgpkit encrypts and gpg decrypts; passphrases both ways; sqop both ways; and
// pgpkit's --status-fd lines against gpg's for the same input. The keys are generated once
// and kept under the oracle cache (tests/oracle/README.md), shared by every test and run.

#include <gtest/gtest.h>

#include <algorithm>

#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <string>
#include <vector>

#include "crypto/hash.h"
#include "tests/oracle/gpg_cache.h"
#include "tests/support/env.h"

namespace pgpkit::test {
namespace {

namespace fs = std::filesystem;

const char* const kParams =
    "%no-protection\n"
    "Key-Type: RSA\nKey-Length: 2048\nSubkey-Type: RSA\nSubkey-Length: 2048\nSubkey-Usage: encrypt\n"
    "Name-Email: rsa@enc.test\nExpire-Date: 0\n%commit\n"
    "Key-Type: DSA\nKey-Length: 2048\nSubkey-Type: ELG-E\nSubkey-Length: 2048\nSubkey-Usage: encrypt\n"
    "Name-Email: elg@enc.test\nExpire-Date: 0\n%commit\n"
    "Key-Type: EDDSA\nKey-Curve: ed25519\nSubkey-Type: ECDH\nSubkey-Curve: cv25519\nSubkey-Usage: encrypt\n"
    "Name-Email: cv25519@enc.test\nExpire-Date: 0\n%commit\n"
    "Key-Type: ECDSA\nKey-Curve: nistp256\nSubkey-Type: ECDH\nSubkey-Curve: nistp256\nSubkey-Usage: encrypt\n"
    "Name-Email: p256@enc.test\nExpire-Date: 0\n%commit\n"
    "Key-Type: ECDSA\nKey-Curve: brainpoolP256r1\nSubkey-Type: ECDH\nSubkey-Curve: brainpoolP256r1\n"
    "Subkey-Usage: encrypt\nName-Email: bp256@enc.test\nExpire-Date: 0\n%commit\n";

std::string must(const std::string& cmd, const std::string& in = {}) {
    const RunResult r = run(cmd, in);
    EXPECT_EQ(r.exit_code, 0) << cmd << "\n" << r.err;
    return r.out;
}

/** The cached fixture: gpg home "gpg" with the five keys, pgpkit home "pgpkit" with their
    secret keys, sqop's key and certificate. */
std::string fixture() {
    static const std::string dir = [] {
        const std::string versions = must("gpg --version | head -n1; sqop version") + kParams;
        const std::string d = cache_root() + "/msged-encrypt-" +
                              to_hex_lower(crypto::digest(crypto::HashKind::Sha256, as_bytes(versions))).substr(0, 16);
        if (fs::exists(d + "/done")) return d;
        fs::create_directories(cache_root());
        const std::string tmp = d + ".tmp." + std::to_string(::getpid());
        fs::remove_all(tmp);
        fs::create_directories(tmp + "/gpg");
        ::chmod((tmp + "/gpg").c_str(), 0700);
        write_bytes(tmp + "/params", as_bytes(std::string(kParams)));
        must(gpg_on(tmp + "/gpg") + " --gen-key " + shell_quote(tmp + "/params"));
        must(gpg_on(tmp + "/gpg") + " --export-secret-keys -o " + shell_quote(tmp + "/secret.gpg"));
        kill_agent(tmp + "/gpg");
        must(pgpkit_bin() + " import --home " + shell_quote(tmp + "/pgpkit") + " " + shell_quote(tmp + "/secret.gpg"));
        must("sqop generate-key '<sop@enc.test>' > " + shell_quote(tmp + "/sop.key"));
        must("sqop extract-cert < " + shell_quote(tmp + "/sop.key") + " > " + shell_quote(tmp + "/sop.cert"));
        write_bytes(tmp + "/done", as_bytes(std::string("ok\n")));
        std::error_code ec;
        fs::rename(tmp, d, ec);
        if (ec) fs::remove_all(tmp);  // another process was first
        return d;
    }();
    return dir;
}

/** The fixture's gpg home, copied for this test process (own_copy_of_home). */
std::string gpg_home() { return own_copy_of_home(fixture() + "/gpg"); }
std::string pgpkit_home() { return fixture() + "/pgpkit"; }
std::string gpg() { return gpg_on(gpg_home()) + " --trust-model always"; }
std::string pgpkit() { return pgpkit_bin(); }

/** Status lines without gpg's KEY_CONSIDERED and with DECRYPTION_KEY's trust field cut. */
std::vector<std::string> comparable(const std::string& status) {
    std::vector<std::string> out;
    for (std::string l : non_empty_lines(status)) {
        if (l.rfind("[GNUPG:] KEY_CONSIDERED", 0) == 0) continue;
        if (l.rfind("[GNUPG:] DECRYPTION_KEY", 0) == 0) l = l.substr(0, l.rfind(' '));
        out.push_back(l);
    }
    return out;
}

std::string slurp(const std::string& path) {
    const Bytes b = read_bytes(path);
    return std::string(b.begin(), b.end());
}

struct EncryptOracle : ::testing::Test {
    TempDir dir;
    std::string plain = std::string("interop message\n") + std::string(3000, 'x') + "\nend\n";
    void SetUp() override {
        write_bytes(dir.file("plain.txt"), as_bytes(plain));
        ::mkdir(dir.file("empty").c_str(), 0700);  // a gpg home without keys
    }
    void TearDown() override { kill_agent(gpg_home()); }
    std::string f(const char* n) const { return shell_quote(dir.file(n)); }
};

class EncryptOracleFamilies : public EncryptOracle, public ::testing::WithParamInterface<const char*> {};

TEST_P(EncryptOracleFamilies, GpgEncryptsPgpkitDecryptsWithGpgsStatusLines) {
    const std::string to = std::string(GetParam()) + "@enc.test";
    must(gpg() + " -r " + to + " -e -o " + f("m.gpg") + " " + f("plain.txt"));
    const RunResult g = run(gpg() + " --status-file " + f("g.status") + " -d " + f("m.gpg"));
    ASSERT_EQ(g.exit_code, 0) << g.err;
    const RunResult p = run(pgpkit() + " decrypt --home " + shell_quote(pgpkit_home()) + " --status-file " + f("p.status") +
                            " " + f("m.gpg"));
    ASSERT_EQ(p.exit_code, 0) << p.err;
    EXPECT_EQ(p.out, plain);
    EXPECT_EQ(comparable(slurp(dir.file("p.status"))),
              comparable(slurp(dir.file("g.status"))));
    EXPECT_NE(p.err.find("pgpkit: encrypted with "), std::string::npos) << p.err;
}

TEST_P(EncryptOracleFamilies, PgpkitEncryptsGpgDecrypts) {
    const std::string to = std::string(GetParam()) + "@enc.test";
    const RunResult e = run(pgpkit() + " encrypt --home " + shell_quote(pgpkit_home()) + " --status-fd 2 -r " + to +
                            " -o " + f("m.gpg") + " " + f("plain.txt"));
    ASSERT_EQ(e.exit_code, 0) << e.err;
    EXPECT_NE(e.err.find("[GNUPG:] BEGIN_ENCRYPTION 2 "), std::string::npos) << e.err;
    EXPECT_NE(e.err.find("[GNUPG:] END_ENCRYPTION"), std::string::npos);
    const RunResult g = run(gpg() + " --status-fd 2 -d " + f("m.gpg"));
    ASSERT_EQ(g.exit_code, 0) << g.err;
    EXPECT_EQ(g.out, plain);
    EXPECT_NE(g.err.find("[GNUPG:] GOODMDC"), std::string::npos);
}

INSTANTIATE_TEST_SUITE_P(Gpg, EncryptOracleFamilies, ::testing::Values("rsa", "elg", "cv25519", "p256", "bp256"));

/** comparable() without the trust model's lines (gpg here runs --trust-model always). */
std::vector<std::string> without_trust(const std::string& status) {
    std::vector<std::string> out;
    for (const std::string& l : comparable(status))
        if (l.rfind("[GNUPG:] TRUST_", 0) != 0) out.push_back(l);
    return out;
}

TEST_F(EncryptOracle, SignedAndEncryptedMessageIsVerifiedWithGpgsStatusLines) {
    for (const char* signer : {"rsa", "p256"}) {
        SCOPED_TRACE(signer);
        must(gpg() + " -u " + std::string(signer) + "@enc.test -r cv25519@enc.test -se -o " + f("m.gpg") + " " +
             f("plain.txt"));
        const RunResult g = run(gpg() + " --status-file " + f("g.status") + " -d " + f("m.gpg"));
        ASSERT_EQ(g.exit_code, 0) << g.err;
        const RunResult p = run(pgpkit() + " decrypt --home " + shell_quote(pgpkit_home()) + " --status-file " +
                                f("p.status") + " " + f("m.gpg"));
        ASSERT_EQ(p.exit_code, 0) << p.err;
        EXPECT_EQ(p.out, plain);
        const auto want = without_trust(slurp(dir.file("g.status")));
        EXPECT_EQ(without_trust(slurp(dir.file("p.status"))), want);
        EXPECT_NE(std::find(want.begin(), want.end(), std::string("[GNUPG:] GOODMDC")), want.end());
        EXPECT_NE(p.err.find("pgpkit: Good signature from \""), std::string::npos) << p.err;
    }
}

TEST_F(EncryptOracle, PgpkitSignsAndEncryptsGpgDecryptsAndVerifies) {
    for (const char* signer : {"rsa", "p256", "cv25519"}) {
        SCOPED_TRACE(signer);
        const RunResult e = run(pgpkit() + " encrypt --home " + shell_quote(pgpkit_home()) + " -s -u " +
                                std::string(signer) + "@enc.test -r elg@enc.test -o " + f("m.pgp") + " " + f("plain.txt"));
        ASSERT_EQ(e.exit_code, 0) << e.err;
        const RunResult g = run(gpg() + " --status-file " + f("g.status") + " -d " + f("m.pgp"));
        ASSERT_EQ(g.exit_code, 0) << g.err;
        EXPECT_EQ(g.out, plain);
        const std::string st = slurp(dir.file("g.status"));
        EXPECT_NE(st.find("[GNUPG:] GOODSIG "), std::string::npos) << st;
        EXPECT_NE(st.find("[GNUPG:] GOODMDC"), std::string::npos) << st;
        const RunResult p = run(pgpkit() + " decrypt --home " + shell_quote(pgpkit_home()) + " --status-file " +
                                f("p.status") + " " + f("m.pgp"));
        ASSERT_EQ(p.exit_code, 0) << p.err;
        EXPECT_EQ(p.out, plain);
        EXPECT_EQ(without_trust(slurp(dir.file("p.status"))), without_trust(st));
    }
}

TEST_F(EncryptOracle, PassphraseMessagesBothWays) {
    write_bytes(dir.file("pw"), as_bytes(std::string("sesame\n")));
    must(gpg() + " --passphrase-file " + f("pw") + " -c -a -o " + f("g.asc") + " " + f("plain.txt"));
    const RunResult p = run(pgpkit() + " decrypt --passphrase-file " + f("pw") + " " + f("g.asc"));
    ASSERT_EQ(p.exit_code, 0) << p.err;
    EXPECT_EQ(p.out, plain);
    must(pgpkit() + " encrypt -c -a --passphrase-file " + f("pw") + " -o " + f("p.asc") + " " + f("plain.txt"));
    const RunResult g = run(gpg_on(dir.file("empty")) + " --passphrase-file " + f("pw") + " -d " + f("p.asc"));
    ASSERT_EQ(g.exit_code, 0) << g.err;
    EXPECT_EQ(g.out, plain);
    EXPECT_NE(g.err.find("AES256.CFB encrypted data"), std::string::npos) << g.err;
    kill_agent(dir.file("empty"));
}

TEST_F(EncryptOracle, RecipientAndPassphraseTogetherOpenForGpgWithoutTheKey) {
    write_bytes(dir.file("pw"), as_bytes(std::string("sesame\n")));
    must(pgpkit() + " encrypt --home " + shell_quote(pgpkit_home()) + " -r rsa@enc.test -c --passphrase-file " +
         f("pw") + " -o " + f("m.gpg") + " " + f("plain.txt"));
    const RunResult g = run(gpg_on(dir.file("empty")) + " --passphrase-file " + f("pw") + " -d " + f("m.gpg"));
    ASSERT_EQ(g.exit_code, 0) << g.err;
    EXPECT_EQ(g.out, plain);
    EXPECT_NE(g.err.find("AES256.CFB encrypted session key"), std::string::npos) << g.err;
    kill_agent(dir.file("empty"));
}

TEST_F(EncryptOracle, TamperedMessageFailsWithGpgsStatusLinesAndExitOne) {
    must(gpg() + " -r cv25519@enc.test -z 0 -e -o " + f("m.gpg") + " " + f("plain.txt"));
    Bytes m = read_bytes(dir.file("m.gpg"));
    m[m.size() - 40] ^= 0x20;
    write_bytes(dir.file("bad.gpg"), m);
    const RunResult g = run(gpg() + " --status-file " + f("g.status") + " -d " + f("bad.gpg"));
    EXPECT_NE(g.exit_code, 0);
    const RunResult p = run(pgpkit() + " decrypt --home " + shell_quote(pgpkit_home()) + " --status-file " +
                            f("p.status") + " -o " + f("out") + " " + f("bad.gpg"));
    EXPECT_EQ(p.exit_code, 1) << p.err;
    EXPECT_NE(p.err.find("pgpkit: WARNING: encrypted message has been manipulated!"), std::string::npos) << p.err;
    EXPECT_FALSE(fs::exists(dir.file("out")));  // -o FILE only gets authenticated plaintext
    const auto ps = comparable(slurp(dir.file("p.status")));
    EXPECT_EQ(ps, comparable(slurp(dir.file("g.status"))));
}

TEST_F(EncryptOracle, ExitCodesForNoKeyWrongPassphraseAndBadInput) {
    must(gpg() + " -r p256@enc.test -e -o " + f("m.gpg") + " " + f("plain.txt"));
    const RunResult nokey = run(pgpkit() + " decrypt --home " + f("nohome") + " --status-fd 1 " + f("m.gpg"));
    EXPECT_EQ(nokey.exit_code, 1);
    EXPECT_NE(nokey.out.find("[GNUPG:] NO_SECKEY "), std::string::npos);
    EXPECT_NE(nokey.err.find("pgpkit: decryption failed: No secret key"), std::string::npos) << nokey.err;
    must(gpg() + " --passphrase right -c -o " + f("s.gpg") + " " + f("plain.txt"));
    const RunResult wrong = run(pgpkit() + " decrypt --passphrase wrong " + f("s.gpg"));
    EXPECT_EQ(wrong.exit_code, 1);
    EXPECT_NE(wrong.err.find("Bad session key"), std::string::npos);
    write_bytes(dir.file("garbage"), as_bytes(std::string("\xa3\x01garbage that is no message")));
    const RunResult garbage = run(pgpkit() + " decrypt " + f("garbage"));
    EXPECT_EQ(garbage.exit_code, 2);
    EXPECT_EQ(non_empty_lines(garbage.err).size(), 1u) << garbage.err;
    Bytes m = read_bytes(dir.file("m.gpg"));
    m.resize(m.size() / 2);
    write_bytes(dir.file("cut.gpg"), m);
    const RunResult cut = run(pgpkit() + " decrypt --home " + shell_quote(pgpkit_home()) + " " + f("cut.gpg"));
    EXPECT_NE(cut.exit_code, 0);
    EXPECT_EQ(cut.out.find("DECRYPTION_OKAY"), std::string::npos);
    const RunResult norecp = run(pgpkit() + " encrypt --home " + shell_quote(pgpkit_home()) +
                                 " --status-fd 1 -r nobody@enc.test " + f("plain.txt"));
    EXPECT_EQ(norecp.exit_code, 1);
    EXPECT_NE(norecp.out.find("[GNUPG:] INV_RECP 1 nobody@enc.test"), std::string::npos) << norecp.out;
    EXPECT_NE(norecp.out.find("[GNUPG:] NO_RECP 0"), std::string::npos);
}

TEST_F(EncryptOracle, ShowAndOverrideSessionKeyAsGpg) {
    must(gpg() + " -r rsa@enc.test -e -o " + f("m.gpg") + " " + f("plain.txt"));
    const RunResult g = run(gpg() + " --status-fd 1 --show-session-key -d -o /dev/null " + f("m.gpg"));
    const RunResult p = run(pgpkit() + " decrypt --home " + shell_quote(pgpkit_home()) +
                            " --status-fd 1 --show-session-key -o /dev/null " + f("m.gpg"));
    ASSERT_EQ(p.exit_code, 0) << p.err;
    struct stat st {};
    ASSERT_EQ(::stat("/dev/null", &st), 0);
    EXPECT_TRUE(S_ISCHR(st.st_mode)) << "-o /dev/null must write the device in place, never replace it";
    auto key_line = [](const std::string& s) {
        for (const std::string& l : non_empty_lines(s))
            if (l.rfind("[GNUPG:] SESSION_KEY ", 0) == 0) return l;
        return std::string();
    };
    ASSERT_FALSE(key_line(g.out).empty());
    EXPECT_EQ(key_line(p.out), key_line(g.out));
    const std::string sk = key_line(p.out).substr(21);
    const RunResult o = run(pgpkit() + " decrypt --override-session-key " + sk + " " + f("m.gpg"));
    ASSERT_EQ(o.exit_code, 0) << o.err;
    EXPECT_EQ(o.out, plain);
}

TEST_F(EncryptOracle, SqopBothWays) {
    const std::string key = shell_quote(fixture() + "/sop.key"), cert = shell_quote(fixture() + "/sop.cert");
    must("sqop encrypt " + cert + " < " + f("plain.txt") + " > " + f("s.asc"));
    const RunResult p = run(pgpkit() + " decrypt --keyring " + key + " " + f("s.asc"));
    ASSERT_EQ(p.exit_code, 0) << p.err;
    EXPECT_EQ(p.out, plain);
    must(pgpkit() + " encrypt --keyring " + cert + " -r sop@enc.test -a -o " + f("p.asc") + " " + f("plain.txt"));
    EXPECT_EQ(must("sqop decrypt " + key + " < " + f("p.asc")), plain);
    write_bytes(dir.file("pw"), as_bytes(std::string("sesame")));
    must("sqop encrypt --with-password " + f("pw") + " < " + f("plain.txt") + " > " + f("sym.asc"));
    const RunResult ps = run(pgpkit() + " decrypt --passphrase sesame " + f("sym.asc"));
    ASSERT_EQ(ps.exit_code, 0) << ps.err;
    EXPECT_EQ(ps.out, plain);
    must(pgpkit() + " encrypt -c --passphrase sesame -o " + f("psym.gpg") + " " + f("plain.txt"));
    EXPECT_EQ(must("sqop decrypt --with-password " + f("pw") + " < " + f("psym.gpg")), plain);
}

}  // namespace
}  // namespace pgpkit::test
