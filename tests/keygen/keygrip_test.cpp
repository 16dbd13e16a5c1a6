// Keygrips and Key-Grip: pgpkit's keygrip of every algorithm and curve keygen makes must
// equal the grip gpg (libgcrypt) lists for the same key; Key-Grip / Subkey-Grip take the
// key material from a secret keyring (--secret-keyring or the block's %secring), also
// passphrase-protected keys gpg exported, and name the reason when the grip is not there.
// A missing gpg is a failure, never a skip.

#include <gtest/gtest.h>

#include <map>
#include <sstream>
#include <string>
#include <vector>

#include "keygen/keygrip.h"
#include "packet/parser.h"
#include "tests/support/env.h"

namespace pgpkit::test {
namespace {

using packet::PubkeyAlgo;
using packet::Tag;
class KeygripOracle : public ::testing::Test {
protected:
    static void SetUpTestSuite() {
        for (const char* tool : {"gpg", "gpgconf"})
            ASSERT_EQ(run(std::string("command -v ") + tool).exit_code, 0)
                << tool << " is missing: run scripts/bootstrap.sh (it installs gnupg)";
        s_dir = new TempDir();
        const std::string param = test_data_dir() + "/keygen/every-algorithm.param";
        RunResult g = run(shell_quote(pgpkit_bin()) + " gen-key --batch " + shell_quote(param) +
                          " --seed 000102030405060708090a0b0c0d0e0f --output " + shell_quote(s_dir->file("keys.pgp")));
        ASSERT_EQ(g.exit_code, 0) << g.err;
        ASSERT_EQ(gpg("--import " + shell_quote(s_dir->file("keys.pgp"))).exit_code, 0);
        s_grips = new std::map<std::string, std::string>(gpg_grips());
    }
    static void TearDownTestSuite() {
        if (s_dir) run("gpgconf --homedir " + shell_quote(s_dir->file("gnupg")) + " --kill all");
        delete s_dir;
        delete s_grips;
        s_dir = nullptr;
        s_grips = nullptr;
    }

    static RunResult gpg(const std::string& args) {
        const std::string home = s_dir->file("gnupg");
        run("mkdir -p -m 700 " + shell_quote(home));
        return run("gpg --homedir " + shell_quote(home) + " --batch --no-tty --pinentry-mode loopback " + args);
    }

    /** Fingerprint -> keygrip of every key gpg holds, from --with-colons --with-keygrip. */
    static std::map<std::string, std::string> gpg_grips() {
        RunResult r = gpg("--with-colons --with-keygrip --list-secret-keys");
        EXPECT_EQ(r.exit_code, 0) << r.err;
        std::map<std::string, std::string> out;
        std::string fpr;
        for (const std::string& l : non_empty_lines(r.out)) {
            auto f = split(l, ':');
            if (f.size() > 9 && f[0] == "fpr") fpr = f[9];
            if (f.size() > 9 && f[0] == "grp" && !fpr.empty()) out[fpr] = f[9];
        }
        return out;
    }

    static RunResult genkey(const std::string& params, const std::string& extra) {
        write_bytes(s_dir->file("p.param"), as_bytes(params));
        return run(shell_quote(pgpkit_bin()) + " gen-key --batch " + shell_quote(s_dir->file("p.param")) +
                   " --status-fd 3 " + extra + " 3>" + shell_quote(s_dir->file("status")));
    }

    static std::string status() {
        Bytes b = read_bytes(s_dir->file("status"));
        return std::string(b.begin(), b.end());
    }

    static inline TempDir* s_dir = nullptr;
    static inline std::map<std::string, std::string>* s_grips = nullptr;
};

TEST_F(KeygripOracle, EveryAlgorithmAndCurveMatchesGpg) {
    const Bytes data = read_bytes(s_dir->file("keys.pgp"));
    std::size_t checked = 0;
    std::map<PubkeyAlgo, std::size_t> per_algo;
    for (const packet::Packet& p : packet::parse_all(data)) {
        const auto* k = p.get<packet::Key>();
        if (!k) continue;
        const auto grip = keygen::keygrip(*k);
        ASSERT_TRUE(grip) << "algo " << int(k->algo);
        const auto it = s_grips->find(to_hex(k->fingerprint));
        ASSERT_NE(it, s_grips->end()) << to_hex(k->fingerprint);
        EXPECT_EQ(to_hex(*grip), it->second) << "algo " << int(k->algo) << " fpr " << to_hex(k->fingerprint);
        ++checked;
        ++per_algo[k->algo];
    }
    EXPECT_EQ(checked, s_grips->size());
    for (PubkeyAlgo a : {PubkeyAlgo::Rsa, PubkeyAlgo::Elgamal, PubkeyAlgo::Dsa, PubkeyAlgo::Ecdh, PubkeyAlgo::Ecdsa,
                         PubkeyAlgo::EdDsaLegacy})
        EXPECT_GT(per_algo[a], 0u) << "no key of algorithm " << int(a);
}

/** The grip and fingerprint of the first key of `algo` in the generated keys. */
std::pair<std::string, packet::Key> first_key(const Bytes& data, PubkeyAlgo algo) {
    for (const packet::Packet& p : packet::parse_all(data))
        if (const auto* k = p.get<packet::Key>(); k && k->algo == algo) return {to_hex(*keygen::keygrip(*k)), *k};
    return {};
}

TEST_F(KeygripOracle, KeyGripTakesTheKeyFromSecretKeyring) {
    const Bytes data = read_bytes(s_dir->file("keys.pgp"));
    const auto [rsa_grip, rsa] = first_key(data, PubkeyAlgo::Rsa);
    const auto [cv_grip, cv] = first_key(data, PubkeyAlgo::Ecdh);
    RunResult r = genkey("Key-Type: RSA\nKey-Grip: " + rsa_grip + "\nSubkey-Type: ECDH\nSubkey-Grip: " + cv_grip +
                             "\nName-Real: Grip\nCreation-Date: 2026-02-01\nPassphrase: correct horse\n",
                         "--secret-keyring " + shell_quote(s_dir->file("keys.pgp")) + " --output " +
                             shell_quote(s_dir->file("grip.pgp")));
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_EQ(status().rfind("[GNUPG:] KEY_CREATED B ", 0), 0u) << status();
    std::vector<packet::Key> keys;
    for (const packet::Packet& p : packet::parse_all(read_bytes(s_dir->file("grip.pgp"))))
        if (const auto* k = p.get<packet::Key>()) keys.push_back(*k);
    ASSERT_EQ(keys.size(), 2u);
    EXPECT_EQ(keys[0].fields, rsa.fields);  // same material, new creation time
    EXPECT_EQ(to_hex(*keygen::keygrip(keys[0])), rsa_grip);
    EXPECT_EQ(to_hex(*keygen::keygrip(keys[1])), cv_grip);
    // gpg accepts the new key's self-signatures and lists the same grips.
    RunResult imp = gpg("--import " + shell_quote(s_dir->file("grip.pgp")));
    ASSERT_EQ(imp.exit_code, 0) << imp.err;
    RunResult c = gpg("--with-colons --check-sigs " + to_hex(keys[0].fingerprint));
    EXPECT_EQ(c.exit_code, 0) << c.err;
    EXPECT_EQ(c.out.find("sig:-"), std::string::npos) << c.out;
    EXPECT_NE(c.out.find("sig:!"), std::string::npos) << c.out;
    EXPECT_EQ(gpg_grips()[to_hex(keys[0].fingerprint)], rsa_grip);
}

TEST_F(KeygripOracle, KeyGripUnlocksAGpgExportedProtectedKeyWithThePassphrase) {
    // gpg makes and exports a protected Ed25519 key; Key-Grip finds it in %secring.
    RunResult q = gpg("--passphrase 'grip pass' --quick-gen-key 'Exported <e@example.org>' ed25519 sign never");
    ASSERT_EQ(q.exit_code, 0) << q.err;
    RunResult ex = gpg("--passphrase 'grip pass' --export-secret-keys 'Exported <e@example.org>' > " +
                       shell_quote(s_dir->file("exported.pgp")));
    ASSERT_EQ(ex.exit_code, 0) << ex.err;
    std::string grip;
    {
        RunResult l = gpg("--with-colons --with-keygrip --list-secret-keys 'Exported <e@example.org>'");
        for (const std::string& line : non_empty_lines(l.out))
            if (grip.empty() && line.rfind("grp:", 0) == 0) grip = split(line, ':').at(9);
    }
    ASSERT_EQ(grip.size(), 40u);
    const std::string block = "Key-Type: EdDSA\nKey-Grip: " + grip + "\nName-Real: Again\n";
    // %secring is both where the key is found and where the new key is appended (as gpg does).
    const std::string secring = "%secring " + s_dir->file("exported.pgp") + "\n";
    RunResult ok = genkey(secring + block + "Passphrase: grip pass\n", "");
    ASSERT_EQ(ok.exit_code, 0) << ok.err;
    std::vector<packet::Key> keys;
    for (const packet::Packet& p : packet::parse_all(read_bytes(s_dir->file("exported.pgp"))))
        if (const auto* k = p.get<packet::Key>(); k && p.tag() == Tag::SecretKey) keys.push_back(*k);
    ASSERT_EQ(keys.size(), 2u);  // gpg's and the new one
    EXPECT_NE(keys[1].fingerprint, keys[0].fingerprint);
    EXPECT_EQ(keys[1].fields, keys[0].fields);
    EXPECT_EQ(to_hex(*keygen::keygrip(keys[1])), grip);
    EXPECT_EQ(keys[1].secret->usage, 254);  // protected again with the block's passphrase

    RunResult wrong = genkey(secring + block + "Passphrase: nope\nHandle: w\n", "--output " + shell_quote(s_dir->file("w.pgp")));
    EXPECT_EQ(wrong.exit_code, 2);
    EXPECT_NE(wrong.err.find("p.param:3: Key-Grip " + grip + ": cannot unlock the secret key in " +
                             s_dir->file("exported.pgp") + ": wrong passphrase"),
              std::string::npos)
        << wrong.err;
    // The same key from an armored --secret-keyring.
    RunResult arm = gpg("--passphrase 'grip pass' --armor --export-secret-keys 'Exported <e@example.org>' > " +
                        shell_quote(s_dir->file("exported.asc")));
    ASSERT_EQ(arm.exit_code, 0) << arm.err;
    RunResult from_armor = genkey(block + "Passphrase: grip pass\n", "--secret-keyring " +
                                  shell_quote(s_dir->file("exported.asc")) + " --output " + shell_quote(s_dir->file("a.pgp")));
    EXPECT_EQ(from_armor.exit_code, 0) << from_armor.err;
    RunResult none = genkey(secring + block + "Handle: n\n", "--output " + shell_quote(s_dir->file("n.pgp")));
    EXPECT_EQ(none.exit_code, 2);
    EXPECT_NE(none.err.find("is protected and the block has no Passphrase"), std::string::npos) << none.err;
}

TEST_F(KeygripOracle, GripNotInTheStoreIsKeyNotCreatedNamingTheFiles) {
    const std::string grip = "0123456789ABCDEF0123456789ABCDEF01234567";
    RunResult r = genkey("Key-Type: RSA\nKey-Grip: " + grip + "\nName-Real: a\nHandle: missing\n",
                         "--secret-keyring " + shell_quote(s_dir->file("keys.pgp")));
    EXPECT_EQ(r.exit_code, 2);
    EXPECT_EQ(status(), "[GNUPG:] KEY_NOT_CREATED missing\n");
    EXPECT_NE(r.err.find("p.param:2: Key-Grip " + grip + ": no secret key with this keygrip in " + s_dir->file("keys.pgp")),
              std::string::npos)
        << r.err;
    RunResult nofile = genkey("Key-Type: RSA\nKeygrip: " + grip + "\nName-Real: a\n", "");
    EXPECT_EQ(nofile.exit_code, 2);
    EXPECT_NE(nofile.err.find("p.param:2: Keygrip " + grip + ": no secret key with this keygrip (no secret keyring"),
              std::string::npos)
        << nofile.err;
    // The grip of an RSA key under Key-Type EdDSA: the reason is the algorithm.
    const auto [rsa_grip, rsa] = first_key(read_bytes(s_dir->file("keys.pgp")), PubkeyAlgo::Rsa);
    RunResult wrong_type = genkey("Key-Type: EdDSA\nKey-Grip: " + rsa_grip + "\nName-Real: a\n",
                                  "--secret-keyring " + shell_quote(s_dir->file("keys.pgp")));
    EXPECT_EQ(wrong_type.exit_code, 2);
    EXPECT_NE(wrong_type.err.find("is RSA, not EdDSA as the block's type says"), std::string::npos) << wrong_type.err;
}

}  // namespace
}  // namespace pgpkit::test
