// Revocation certificates against gpg (issue 11): pgpkit's (gen-revoke, and the guarded
// files gen-key --import leaves in openpgp-revocs.d) revoke the key in gpg, gpg's revoke
// it in pgpkit, and a designated revoker's revocation works from either side; after the
// same imports both list the same records (validity, rvk and rev records, the reason).

#include <gtest/gtest.h>
#include <sys/stat.h>

#include <string>
#include <vector>

#include "tests/oracle/gpg_cache.h"
#include "tests/oracle/listing_compare.h"
#include "tests/support/env.h"

namespace pgpkit::test {
namespace {

std::string q(const std::string& s) { return shell_quote(s); }

std::string must(const std::string& cmd, const std::string& in = {}) {
    const RunResult r = run(cmd, in);
    if (r.exit_code != 0) throw std::runtime_error(cmd + "\nexit " + std::to_string(r.exit_code) + "\n" + r.err);
    return r.out;
}

std::string pgpkit(const std::string& home, const std::string& args) {
    return q(pgpkit_bin()) + " " + args + " --home " + q(home);
}

/** A new Ed25519 key in pgpkit's store `home`; returns its fingerprint. */
std::string gen(const TempDir& dir, const std::string& home, const std::string& name, const std::string& extra = {}) {
    const std::string file = dir.file(name + ".param");
    write_bytes(file, as_bytes("Key-Type: eddsa\nKey-Curve: ed25519\nName-Real: " + name + "\nName-Email: " + name +
                               "@revoke.test\n" + extra + "%no-protection\n%commit\n"));
    const std::string out = must(pgpkit(home, "gen-key --batch --import --status-fd 1 " + q(file)));
    const auto at = out.find("KEY_CREATED P ");
    if (at == std::string::npos) throw std::runtime_error("no KEY_CREATED in: " + out);
    return out.substr(at + 14, 40);
}

std::string unguard(const std::string& text) {
    std::string s = text;
    const auto at = s.find("\n:-----BEGIN");
    if (at == std::string::npos) throw std::runtime_error("no guarded armor in:\n" + text);
    return s.erase(at + 1, 1);
}

/**
 * Imports `blobs` in order into a fresh gpg home and a fresh pgpkit store and expects the
 * same listing with signatures; returns gpg's.
 */
std::string same_listing(const TempDir& dir, const std::string& name, const std::vector<std::string>& blobs) {
    const std::string gh = dir.file("gpg-" + name), ph = dir.file("pgpkit-" + name);
    must("mkdir -m 700 " + q(gh));
    for (const std::string& b : blobs) {
        must(gpg_on(gh) + " --import", b);
        must(pgpkit(ph, "import"), b);
    }
    const std::string g = must(gpg_on(gh) + " --with-colons --with-sig-list --list-keys");
    const std::string p = must(pgpkit(ph, "list-keys --with-colons --with-sig-list"));
    EXPECT_EQ(listing::record_diff(g, p), "") << name;
    kill_agent(gh);
    return g;
}

bool pub_revoked(const std::string& colons, const std::string& fpr) {
    const auto at = colons.find(fpr);
    if (at == std::string::npos) return false;
    const auto pub = colons.rfind("\npub:", at);
    return pub != std::string::npos && colons.compare(pub + 5, 1, "r") == 0;
}

TEST(RevokeOracle, GpgTakesPgpkitsRevocationCertificates) {
    TempDir dir;
    const std::string home = dir.file("home");
    const std::string alice = gen(dir, home, "alice"), bob = gen(dir, home, "bob");
    const std::string own =
        must(pgpkit(home, "gen-revoke --unguarded --reason compromised --comment 'laptop lost' " + alice));
    const std::string kept(as_text(read_bytes(home + "/openpgp-revocs.d/" + bob + ".rev")));
    const std::string colons = same_listing(dir, "own", {must(pgpkit(home, "export --armor " + alice + " " + bob)),
                                                         own, unguard(kept)});
    EXPECT_TRUE(pub_revoked(colons, alice)) << colons;
    EXPECT_TRUE(pub_revoked(colons, bob)) << colons;
    EXPECT_NE(colons.find(":laptop lost"), std::string::npos) << colons;
}

TEST(RevokeOracle, PgpkitTakesGpgsRevocationCertificate) {
    TempDir dir;
    const std::string gh = dir.file("gnupg");
    must("mkdir -m 700 " + q(gh));
    must(gpg_on(gh) + " --quick-gen-key 'carol <carol@revoke.test>' ed25519");
    const std::string colons = must(gpg_on(gh) + " --with-colons -k carol@revoke.test");
    const auto fpr_at = colons.find("\nfpr:");
    ASSERT_NE(fpr_at, std::string::npos) << colons;
    const std::string fpr = colons.substr(fpr_at + 13, 40);
    const std::string kept(as_text(read_bytes(gh + "/openpgp-revocs.d/" + fpr + ".rev")));
    const std::string pub = must(gpg_on(gh) + " --export --armor " + fpr);
    kill_agent(gh);
    // As gpg leaves it, the file imports nowhere; without the colon it revokes.
    EXPECT_NE(run(pgpkit(dir.file("guarded"), "import"), kept).exit_code, 0);
    EXPECT_TRUE(pub_revoked(same_listing(dir, "gpgs", {pub, unguard(kept)}), fpr));
}

TEST(RevokeOracle, DesignatedRevocationsWorkBothWays) {
    TempDir dir;
    const std::string home = dir.file("home");
    const std::string revoker = gen(dir, home, "erin");
    const std::string target = gen(dir, home, "frank", "Revoker: 22:" + revoker + "\n");
    const std::string revoker_pub = must(pgpkit(home, "export --armor " + revoker));
    const std::string target_pub = must(pgpkit(home, "export --armor " + target));
    const std::string revoker_sec = must(pgpkit(home, "export --armor --secret " + revoker));

    // gpg --desig-revoke, with the revoker's secret key and the target's public key.
    const std::string gh = dir.file("gnupg");
    must("mkdir -m 700 " + q(gh));
    must(gpg_on(gh) + " --import", revoker_sec);
    must(gpg_on(gh) + " --import", target_pub);
    const std::string gpgs = must("gpg --homedir " + q(gh) + " --no-tty --command-fd 0 --pinentry-mode loopback "
                                  "--passphrase '' --armor --desig-revoke " + target,
                                  "y\n3\nretired by the revoker\n\ny\n");
    kill_agent(gh);
    EXPECT_TRUE(pub_revoked(same_listing(dir, "by-gpg", {revoker_pub, target_pub, gpgs}), target));

    // pgpkit gen-revoke as the designated revoker.
    const std::string other = dir.file("other");
    must(pgpkit(other, "import"), revoker_sec);
    must(pgpkit(other, "import"), target_pub);
    const std::string ours = must(pgpkit(other, "gen-revoke --unguarded --reason retired " + target));
    const std::string colons = same_listing(dir, "by-pgpkit", {revoker_pub, target_pub, ours});
    EXPECT_TRUE(pub_revoked(colons, target)) << colons;
    EXPECT_FALSE(pub_revoked(colons, revoker)) << colons;
    EXPECT_NE(colons.find("\nrvk:"), std::string::npos) << colons;
}

}  // namespace
}  // namespace pgpkit::test
