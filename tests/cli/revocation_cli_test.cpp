// Revocation certificates end to end (issue 11): gen-key --import keeps the key in the
// store and a guarded certificate in openpgp-revocs.d; gen-revoke makes one with the
// store's secret key, or as a designated revoker; importing one revokes the key.

#include <gtest/gtest.h>
#include <sys/stat.h>

#include <string>
#include <vector>

#include "tests/support/env.h"

namespace pgpkit::test {
namespace {

std::string q(const std::string& s) { return shell_quote(s); }

std::string must(const std::string& cmd, const std::string& in = {}) {
    const RunResult r = run(cmd, in);
    if (r.exit_code != 0) ADD_FAILURE() << cmd << "\nexit " << r.exit_code << "\n" << r.err;
    return r.out;
}

std::string pgpkit(const std::string& home, const std::string& args) {
    return q(pgpkit_bin()) + " " + args + " --home " + q(home);
}

/** The fingerprint of the one key a parameter block makes, imported into `home`. */
std::string gen(const TempDir& dir, const std::string& home, const std::string& name, const std::string& extra = {}) {
    const std::string params = "Key-Type: eddsa\nKey-Curve: ed25519\nName-Real: " + name + "\nName-Email: " + name +
                               "@revoke.test\n" + extra + "%no-protection\n%commit\n";
    write_bytes(dir.file(name + ".param"), as_bytes(params));
    const RunResult r = run(pgpkit(home, "gen-key --batch --import --status-fd 1 " + q(dir.file(name + ".param"))));
    EXPECT_EQ(r.exit_code, 0) << r.err;
    const auto at = r.out.find("KEY_CREATED P ");
    EXPECT_NE(at, std::string::npos) << r.out;
    return at == std::string::npos ? std::string() : r.out.substr(at + 14, 40);
}

/** Field 2 of the key's pub record. */
char validity(const std::string& home, const std::string& fpr) {
    const std::string colons = must(pgpkit(home, "list-keys --with-colons " + fpr));
    const auto at = colons.find("pub:");
    return at != std::string::npos && (at == 0 || colons[at - 1] == '\n') && colons.size() > at + 4 ? colons[at + 4]
                                                                                                    : '?';
}

std::string without_guard(const std::string& text) {
    std::string s = text;
    const auto at = s.find("\n:-----BEGIN");
    EXPECT_NE(at, std::string::npos) << s;
    if (at != std::string::npos) s.erase(at + 1, 1);
    return s;
}

TEST(RevocationCli, GenKeyImportKeepsAGuardedCertificateThatRevokesOnceUnguarded) {
    TempDir dir;
    const std::string home = dir.file("home");
    const std::string fpr = gen(dir, home, "alice");
    ASSERT_EQ(fpr.size(), 40u);
    EXPECT_EQ(validity(home, fpr), 'u') << "gen-key --import marks the key ultimately trusted, as gpg";
    const std::string rev = home + "/openpgp-revocs.d/" + fpr + ".rev";
    struct stat st {};
    ASSERT_EQ(::stat(rev.c_str(), &st), 0) << rev;
    EXPECT_EQ(st.st_mode & 0777, 0600u);
    const std::string text(as_text(read_bytes(rev)));
    EXPECT_NE(text.find("  fingerprint " + fpr), std::string::npos) << text;

    // As it is, the file is not imported; without the colon it revokes the key.
    EXPECT_NE(run(pgpkit(home, "import " + q(rev))).exit_code, 0);
    EXPECT_EQ(validity(home, fpr), 'u') << "gen-key --import marks the key ultimately trusted, as gpg";
    write_bytes(dir.file("unguarded.rev"), as_bytes(without_guard(text)));
    must(pgpkit(home, "import " + q(dir.file("unguarded.rev"))));
    EXPECT_EQ(validity(home, fpr), 'r');
}

TEST(RevocationCli, GenRevokeGivesReasonAndCommentInTheListing) {
    TempDir dir;
    const std::string home = dir.file("home");
    const std::string fpr = gen(dir, home, "bob");
    const std::string out = must(pgpkit(home, "gen-revoke --unguarded --reason superseded --comment 'moved on' " + fpr));
    EXPECT_EQ(out.rfind("-----BEGIN PGP PUBLIC KEY BLOCK-----\n", 0), 0u) << out;
    must(pgpkit(home, "import"), out);
    EXPECT_EQ(validity(home, fpr), 'r');
    const std::string colons = must(pgpkit(home, "list-keys --with-colons --with-sig-list " + fpr));
    const auto rev = colons.find("\nrev:");
    ASSERT_NE(rev, std::string::npos) << colons;
    const std::string line = colons.substr(rev + 1, colons.find('\n', rev + 1) - rev - 1);
    const std::vector<std::string> fields = split(line, ':');
    ASSERT_GE(fields.size(), 21u) << line;
    EXPECT_EQ(fields[20], "moved on") << "the comment is field 21: " << line;

    EXPECT_NE(run(pgpkit(home, "gen-revoke --reason stolen " + fpr)).exit_code, 0);
    EXPECT_NE(run(pgpkit(home, "gen-revoke 0000000000000000")).exit_code, 0);
}

TEST(RevocationCli, DesignatedRevokerRevokesAKeyWhoseSecretItLacks) {
    TempDir dir;
    const std::string home = dir.file("home");
    const std::string revoker = gen(dir, home, "carol");
    const std::string target = gen(dir, home, "dave", "Revoker: 22:" + revoker + "\n");
    const std::string colons = must(pgpkit(home, "list-keys --with-colons " + target));
    EXPECT_NE(colons.find("\nrvk:::22::::::" + revoker + ":80"), std::string::npos) << colons;

    // A second home holds the revoker's secret key and the target's public key only.
    const std::string other = dir.file("other");
    must(pgpkit(other, "import"), must(pgpkit(home, "export --secret " + revoker)));
    must(pgpkit(other, "import"), must(pgpkit(home, "export " + target)));
    const RunResult r = run(pgpkit(other, "gen-revoke --unguarded --reason retired " + target));
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_NE(r.err.find("designated revoker"), std::string::npos) << r.err;
    must(pgpkit(home, "import"), r.out);
    EXPECT_EQ(validity(home, target), 'r');
    EXPECT_EQ(validity(home, revoker), 'u');
}

}  // namespace
}  // namespace pgpkit::test
