#include "tests/message/keys.h"

#include <gtest/gtest.h>

#include <memory>

#include "tests/support/env.h"

namespace pgpkit::test {

namespace {

const char* const params =
    // Bob first: %no-protection holds for the blocks after it.
    "Key-Type: EdDSA\nKey-Curve: ed25519\nKey-Usage: cert\nSubkey-Type: EdDSA\nSubkey-Curve: ed25519\n"
    "Subkey-Usage: sign\nName-Real: Bob\nName-Email: bob@example.org\nCreation-Date: 2026-01-01\n"
    "Passphrase: bob secret\n%commit\n"
    "Key-Type: EdDSA\nKey-Curve: ed25519\nKey-Usage: sign cert\nName-Real: Alice\nName-Email: alice@example.org\n"
    "Creation-Date: 2026-01-01\n%no-protection\n%commit\n"
    "Key-Type: EdDSA\nKey-Curve: ed25519\nKey-Usage: sign cert\nName-Real: Old\nName-Email: old@example.org\n"
    "Creation-Date: 2020-01-01\nExpire-Date: 2021-01-01\n%no-protection\n%commit\n"
    "Key-Type: RSA\nKey-Length: 2048\nKey-Usage: sign cert\nName-Real: Rsa\nName-Email: rsa@example.org\n"
    "Creation-Date: 2026-01-01\n%no-protection\n%commit\n"
    "Key-Type: EdDSA\nKey-Curve: ed25519\nKey-Usage: sign cert\nKey-Version: 6\nName-Real: Six\n"
    "Name-Email: six@example.org\nCreation-Date: 2026-01-01\n%no-protection\n%commit\n";

std::string fpr_of(const std::string& home, const std::string& who) {
    const RunResult r = run(shell_quote(pgpkit_bin()) + " list-keys --with-colons --home " + shell_quote(home) + " " +
                            shell_quote(who));
    for (const std::string& line : non_empty_lines(r.out)) {
        const auto f = split(line, ':');
        if (f.size() > 9 && f[0] == "fpr") return f[9];
    }
    ADD_FAILURE() << "no fingerprint for " << who << ": " << r.err;
    return {};
}

MessageKeys make() {
    static TempDir dir;  // lives for the test run
    MessageKeys k;
    k.home = dir.file("home");
    write_bytes(dir.file("params"), as_bytes(std::string(params)));
    const std::string bin = shell_quote(pgpkit_bin());
    RunResult g = run(bin + " gen-key --batch " + shell_quote(dir.file("params")) +
                      " --seed 000102030405060708090a0b0c0d0e0f -o " + shell_quote(dir.file("sec.pgp")));
    EXPECT_EQ(g.exit_code, 0) << g.err;
    RunResult i = run(bin + " import --home " + shell_quote(k.home) + " " + shell_quote(dir.file("sec.pgp")));
    EXPECT_EQ(i.exit_code, 0) << i.err;
    k.alice_fpr = fpr_of(k.home, "alice@example.org");
    k.bob_fpr = fpr_of(k.home, "bob@example.org");
    k.old_fpr = fpr_of(k.home, "old@example.org");
    k.rsa_fpr = fpr_of(k.home, "rsa@example.org");
    k.six_fpr = fpr_of(k.home, "six@example.org");
    k.bob_keyring = dir.file("bob.pgp");
    RunResult e = run(bin + " export --home " + shell_quote(k.home) + " -o " + shell_quote(k.bob_keyring) + " " +
                      shell_quote(k.bob_fpr));
    EXPECT_EQ(e.exit_code, 0) << e.err;
    return k;
}

}  // namespace

const MessageKeys& message_keys() {
    static const MessageKeys k = make();
    return k;
}

std::string pgpkit_cmd(const std::string& args) {
    return shell_quote(pgpkit_bin()) + " " + args;
}

}  // namespace pgpkit::test
