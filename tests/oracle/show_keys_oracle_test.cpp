// show-keys against gpg 2.2's --show-keys: the keys of the shared test data as an import
// would take them in, and bare revocation certificates (rvs) checked against the store.

#include <gtest/gtest.h>

#include <iostream>
#include <map>

#include "tests/oracle/gpg_cache.h"
#include "tests/oracle/listing_compare.h"
#include "tests/support/env.h"

namespace pgpkit::test {
namespace {

/** Files whose listing differs from gpg's on purpose, with the reason (a gone one fails). */
const std::map<std::string, std::string>& known_deviations() {
    static const std::map<std::string, std::string> m = {
        {"gnupg/pubring.pkr.asc", "PGP 5 keyring: gpg 2.2 finds no OpenPGP data, pgpkit reads it"},
        {"gnupg/secring.skr.asc", "PGP 5 secret keyring: gpg 2.2 finds no OpenPGP data, pgpkit reads it"},
        {"gnupg/samplekeys/v5-sample-1-pub.asc", "v5 key: gpg 2.2 cannot parse it, pgpkit shows it"},
        {"gnupg/samplekeys/v5-sample-1-sec.asc", "v5 key: gpg 2.2 cannot parse it, pgpkit shows it"},
        {"rfc9580/A.3.transferable-pubkey-v6.asc", "v6 key: gpg 2.2 cannot parse it, pgpkit shows it"},
        {"rfc9580/A.4.transferable-seckey-v6.asc", "v6 key: gpg 2.2 cannot parse it, pgpkit shows it"},
        {"rfc9580/A.5.sample-locked-v6-seckey-argon2-aead.asc", "v6 key: gpg 2.2 cannot parse it"},
        {"rnp/test_partial_length/pubring.gpg.partial", "partial lengths on key packets: gpg 2.2 refuses them"},
        {"sequoia/keys/eike-v3-v4.pgp", "v3 key first: gpg 2.2 stops, pgpkit skips the v3 key and goes on"},
        {"rnp/test_key_edge_cases/pubring-malf-cert.pgp",
         "malformed certificate: pgpkit skips it and shows the rest; gpg stops reading"},
        {"rnp/test_key_edge_cases/pubring-malf-key0.pgp",
         "malformed MPI: pgpkit shows the key as invalid and goes on; gpg stops reading"},
    };
    return m;
}

TEST(ShowKeysOracle, SharedTestdataKeyFilesShowAsGpgShowsThem) {
    TempDir dir;
    const std::string home = dir.file("gnupg");
    const auto mk = run("mkdir -m 700 " + shell_quote(home) + " && " + gpg_on(home) + " --check-trustdb");
    ASSERT_EQ(mk.exit_code, 0) << "gpg is needed for this test: " << mk.err;
    const std::string root = shared_testdata() + "/";
    std::size_t agree = 0;
    std::string failures, gone;
    for (const std::string& f : testdata_key_files()) {
        const std::string rel = f.substr(root.size());
        const auto g = run(gpg_on(home) + " --with-colons --show-keys " + shell_quote(f));
        const auto p = run(pgpkit_bin() + " show-keys --home " + shell_quote(dir.file("none")) + " --with-colons " +
                           shell_quote(f));
        const std::string diff = listing::record_diff(g.out, p.out);
        const bool same = diff.empty() && (g.exit_code == 0) == (p.exit_code == 0);
        const auto known = known_deviations().find(rel);
        if (same) {
            ++agree;
            if (known != known_deviations().end()) gone += rel + "\n";
        } else if (known == known_deviations().end()) {
            failures += "== " + rel + " (gpg exit " + std::to_string(g.exit_code) + ", pgpkit " +
                        std::to_string(p.exit_code) + "): " + diff + "\n";
        }
    }
    std::cout << "[show-keys oracle] " << agree << " testdata key files shown as gpg shows them\n";
    EXPECT_TRUE(failures.empty()) << failures;
    EXPECT_TRUE(gone.empty()) << "these now agree with gpg; take them off known_deviations():\n" << gone;
    EXPECT_GE(agree, 60u);
}

// A subkey whose only self-signature is a subkey revocation: gpg 2.2.40 keeps it (as an
// invalid subkey) when the revocation verifies and drops it when it does not. Found on
// Debian's key 00186602339240CB (debian-maintainers.gpg).
TEST(ShowKeysOracle, SubkeyWithOnlyARevocationAsGpgShowsIt) {
    TempDir dir;
    const std::string home = dir.file("gnupg");
    const auto mk = run("mkdir -m 700 " + shell_quote(home) + " && " + gpg_on(home) + " --check-trustdb");
    ASSERT_EQ(mk.exit_code, 0) << "gpg is needed for this test: " << mk.err;
    for (const char* name : {"subkey-revocation-only.pgp", "subkey-bad-revocation-only.pgp"}) {
        const std::string f = test_data_dir() + "/keyring/" + name;
        const auto g = run(gpg_on(home) + " --with-colons --show-keys " + shell_quote(f));
        const auto p = run(pgpkit_bin() + " show-keys --home " + shell_quote(dir.file("none")) + " --with-colons " +
                           shell_quote(f));
        ASSERT_EQ(g.exit_code, 0) << name << ": " << g.err;
        EXPECT_EQ(p.exit_code, 0) << name << ": " << p.err;
        EXPECT_EQ(listing::record_diff(g.out, p.out), "") << name;
        // The good revocation keeps the subkey, the bad one does not.
        const bool kept = g.out.find("\nsub:") != std::string::npos;
        EXPECT_EQ(kept, std::string(name) == "subkey-revocation-only.pgp") << name << ":\n" << g.out;
    }
}

// The human form of --show-keys on Debian's debian-maintainers.gpg (package
// debian-keyring): user IDs without validity but [ revoked] / [ expired] of their own,
// unusable subkeys shown ("[expired: never     ]" for one expired with its primary key,
// "[] [revoked: ...]" for one revoked without a binding), invalid UTF-8 in user IDs
// escaped as gpg's utf8_to_native does, and the order of flagged attributes.
TEST(ShowKeysOracle, HumanFormOfDebianMaintainersIsGpgs) {
    TempDir dir;
    const std::string home = dir.file("gnupg");
    const auto mk = run("mkdir -m 700 " + shell_quote(home) + " && " + gpg_on(home) + " --check-trustdb");
    ASSERT_EQ(mk.exit_code, 0) << "gpg is needed for this test: " << mk.err;
    const std::string f = "/usr/share/keyrings/debian-maintainers.gpg";
    const auto g = run(gpg_on(home) + " --show-keys " + shell_quote(f));
    const auto p = run(pgpkit_bin() + " show-keys --home " + shell_quote(dir.file("none")) + " " + shell_quote(f));
    ASSERT_EQ(g.exit_code, 0) << "debian-keyring's " << f << " is needed: " << g.err;
    ASSERT_EQ(p.exit_code, 0) << p.err;
    ASSERT_GT(g.out.size(), 50000u);
    EXPECT_EQ(g.out, p.out) << listing::record_diff(g.out, p.out);
    EXPECT_NE(g.out.find("\\x"), std::string::npos) << "no escaped user ID left in the file: pick another case";
}

TEST(ShowKeysOracle, ImportShowOnlyListsAsGpgAndStoresNothing) {
    TempDir dir;
    const std::string home = dir.file("gnupg"), ours = dir.file("pgpkit");
    ASSERT_EQ(run("mkdir -m 700 " + shell_quote(home) + " && " + gpg_on(home) + " --check-trustdb").exit_code, 0)
        << "gpg is needed for this test";
    ASSERT_EQ(run("mkdir -m 700 " + shell_quote(ours)).exit_code, 0);
    for (const char* rel : {"sequoia/keys/dkg-sigs-out-of-order.pgp", "gnupg/forged-keyring.gpg",
                            "sequoia/keys/neal.pgp", "rnp/keyrings/1/secring.gpg", "sequoia/keys/testy.pgp"}) {
        const std::string f = shell_quote(shared_testdata() + "/" + rel);
        for (const std::string opts : {"show-only", "show-only,import-clean"}) {
            // Known difference: with import-clean gpg also drops the invalid subkeys of a
            // key that has no valid user ID left (one an import refuses anyway).
            if (opts != "show-only" && std::string(rel).find("dkg-sigs") != std::string::npos) continue;
            const auto g = run(gpg_on(home) + " --with-colons --import-options " + opts + " --import " + f);
            const auto p = run(pgpkit_bin() + " import --home " + shell_quote(ours) +
                               " --with-colons --import-options " + opts + " " + f);
            EXPECT_EQ(listing::record_diff(g.out, p.out), "") << rel << " " << opts;
            EXPECT_EQ(p.exit_code, 0) << p.err;
        }
    }
    const auto l = run(pgpkit_bin() + " list-keys --home " + shell_quote(ours) + " --with-colons");
    EXPECT_EQ(l.out.find("pub:"), std::string::npos) << "show-only stored something: " << l.out;
}

/** A gpg home with one new key; its fingerprint in `fpr`. */
void make_key(const std::string& home, std::string& fpr) {
    const auto g = run("mkdir -m 700 " + shell_quote(home) + " && " + gpg_on(home) +
                       " --passphrase '' --quick-gen-key 'Rev Oracle <rev@oracle.test>' ed25519 sign 2y");
    ASSERT_EQ(g.exit_code, 0) << "gpg is needed for this test: " << g.err;
    const auto l = run(gpg_on(home) + " --with-colons --list-keys");
    for (const std::string& line : split(l.out, '\n'))
        if (line.rfind("fpr:", 0) == 0) {
            fpr = split(line, ':').at(9);
            break;
        }
    ASSERT_EQ(fpr.size(), 40u) << l.out;
}

TEST(ShowKeysOracle, RevocationCertificatesAsGpgShowsThem) {
    TempDir dir;
    const std::string home = dir.file("gnupg"), ours = dir.file("pgpkit");
    std::string fpr;
    make_key(home, fpr);
    // gpg writes a revocation certificate for every new key, behind a ':' that keeps it
    // from being imported by accident.
    const Bytes rev_file = read_bytes(home + "/openpgp-revocs.d/" + fpr + ".rev");
    std::string rev(rev_file.begin(), rev_file.end());
    rev = rev.substr(rev.find(":-----BEGIN") + 1);
    write_bytes(dir.file("rev.asc"), Bytes(rev.begin(), rev.end()));
    ASSERT_EQ(run(gpg_on(home) + " --export " + fpr + " > " + shell_quote(dir.file("key.pgp"))).exit_code, 0);
    ASSERT_EQ(run(gpg_on(home) + " --dearmor < " + shell_quote(dir.file("rev.asc")) + " > " +
                  shell_quote(dir.file("rev.pgp"))).exit_code, 0);
    Bytes bad = read_bytes(dir.file("rev.pgp"));
    bad[bad.size() - 3] ^= 1;  // inside the signature's last MPI
    write_bytes(dir.file("bad.pgp"), bad);
    const auto imp = run(pgpkit_bin() + " import -q --home " + shell_quote(ours) + " " + shell_quote(dir.file("key.pgp")));
    ASSERT_EQ(imp.exit_code, 0) << imp.err;

    std::size_t rvs = 0;
    for (const char* file : {"rev.asc", "bad.pgp"})
        for (const std::string form : {"--with-colons", ""}) {
            const auto g = run(gpg_on(home) + " " + form + " --show-keys " + shell_quote(dir.file(file)));
            const auto p = run(pgpkit_bin() + " show-keys --home " + shell_quote(ours) + " " + form + " " +
                               shell_quote(dir.file(file)));
            EXPECT_EQ(p.out, g.out) << file << " " << form;
            EXPECT_EQ(p.exit_code == 0, g.exit_code == 0) << file << ": " << p.err << " / " << g.err;
            rvs += p.out.rfind("rvs", 0) == 0;
        }
    EXPECT_EQ(rvs, 4u);
    // Without the key in the store (gpg: an empty home) the signature cannot be checked,
    // also when the key comes first in the same input.
    const std::string empty = dir.file("empty");
    ASSERT_EQ(run("mkdir -m 700 " + shell_quote(empty) + " && " + gpg_on(empty) + " --check-trustdb").exit_code, 0);
    const std::string both = shell_quote(dir.file("key.pgp")) + " " + shell_quote(dir.file("rev.asc"));
    const auto g = run(gpg_on(empty) + " --with-colons --show-keys " + both);
    const auto p = run(pgpkit_bin() + " show-keys --home " + shell_quote(dir.file("none")) + " --with-colons " + both);
    EXPECT_EQ(listing::record_diff(g.out, p.out), "");
    EXPECT_NE(p.out.find("\nrvs:?:"), std::string::npos) << p.out;
    kill_agent(home);
}

}  // namespace
}  // namespace pgpkit::test
