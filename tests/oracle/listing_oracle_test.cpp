// list-keys over a keyring file against gpg 2.2 listing the same file
// (gpg --no-default-keyring --keyring FILE, in a home with a checked, empty trustdb).
// The tru record carries gpg's trustdb creation time and is left out.

#include <gtest/gtest.h>

#include "tests/oracle/listing_compare.h"
#include "tests/support/env.h"

namespace pgpkit::test {
namespace {

using listing::without_tru;

class ListingOracle : public ::testing::TestWithParam<const char*> {};

TEST_P(ListingOracle, ColonListingEqualsGpg) {
    TempDir dir;
    const std::string ring = dir.path() + "/certs.pgp", home = dir.path() + "/gnupg";
    Bytes all;
    for (const char* f : {"ed25519-sha512.pgp", "nistp256-sha256.pgp", "nistp384-sha512.pgp", "nistp521-sha512.pgp",
                          "brainpoolP256r1-sha512.pgp", "dsa2048-sha256.pgp", "rsa2048-sha1.pgp", "rsa4096-sha512.pgp",
                          "secp256k1-sha512.pgp"}) {
        const Bytes b = read_bytes(test_data_dir() + "/cert/" + f);
        all.insert(all.end(), b.begin(), b.end());
    }
    write_bytes(ring, all);
    const auto mk = run("mkdir -m 700 " + shell_quote(home) + " && GNUPGHOME=" + shell_quote(home) +
                        " gpg --batch --check-trustdb");
    ASSERT_EQ(mk.exit_code, 0) << "gpg is needed for this test: " << mk.err;
    const std::string opts = GetParam();
    const auto g = run("GNUPGHOME=" + shell_quote(home) + " gpg --no-default-keyring --keyring " + shell_quote(ring) +
                       " --fixed-list-mode " + opts + " --list-keys");
    ASSERT_EQ(g.exit_code, 0) << g.err;
    const auto p = run(pgpkit_bin() + " list-keys --keyring " + shell_quote(ring) + " " + opts);
    ASSERT_EQ(p.exit_code, 0) << p.err;
    if (opts.find("--with-colons") == std::string::npos) {
        // The human listing's header names the keyring as gpg was given it.
        EXPECT_EQ(p.out, g.out);
    } else {
        EXPECT_EQ(without_tru(p.out), without_tru(g.out));
    }
}

/** gpg's listing of a keyring file (the keyring given as gpg wants it: an absolute path). */
RunResult gpg_list(const std::string& home, const std::string& ring, const std::string& opts) {
    return run("GNUPGHOME=" + shell_quote(home) + " gpg --batch --no-default-keyring --keyring " + shell_quote(ring) +
               " --fixed-list-mode --with-colons " + opts + " --list-keys");
}

TEST(ListingOracle, SubpacketRecordsEqualGpg) {
    // spk records (--list-options show-sig-subpackets) of gpg-made certs and of a cert sq
    // makes, whose self-signatures carry critical subpackets, a notation and embedded
    // back signatures.
    TempDir dir;
    const std::string home = dir.file("gnupg"), ring = dir.file("certs.pgp");
    const auto sq = run("sq key generate --userid 'Sq <sq@oracle.test>' --export " + shell_quote(dir.file("sq.tsk")) +
                        " && sq key extract-cert --binary " + shell_quote(dir.file("sq.tsk")) + " > " +
                        shell_quote(dir.file("sq.pgp")));
    ASSERT_EQ(sq.exit_code, 0) << "sq is needed for this test (scripts/bootstrap.sh): " << sq.err;
    Bytes all = read_bytes(dir.file("sq.pgp"));
    for (const char* f : {"ed25519-sha512.pgp", "rsa2048-sha1.pgp", "dsa2048-sha256.pgp", "nistp384-sha512.pgp"}) {
        const Bytes b = read_bytes(test_data_dir() + "/cert/" + f);
        all.insert(all.end(), b.begin(), b.end());
    }
    write_bytes(ring, all);
    const auto mk = run("mkdir -m 700 " + shell_quote(home) + " && GNUPGHOME=" + shell_quote(home) +
                        " gpg --batch --check-trustdb");
    ASSERT_EQ(mk.exit_code, 0) << "gpg is needed for this test: " << mk.err;
    std::size_t critical = 0;
    for (const std::string sigs : {"--with-sig-list", "--with-sig-check"})
        for (const std::string list :
             {"show-sig-subpackets", "show-sig-subpackets=\"2,16,33\"", "show-sig-subpackets=32"}) {
            const std::string opts = sigs + " --list-options " + shell_quote(list);
            const auto g = gpg_list(home, ring, opts);
            ASSERT_EQ(g.exit_code, 0) << g.err;
            const auto p = run(pgpkit_bin() + " list-keys --with-colons --keyring " + shell_quote(ring) + " " + opts);
            ASSERT_EQ(p.exit_code, 0) << p.err;
            EXPECT_EQ(listing::record_diff(g.out, p.out), "") << opts;
            for (const auto& r : listing::records(p.out))
                critical += r.rfind("spk:", 0) == 0 && split(r, ':').at(2) == "3";
        }
    EXPECT_GT(critical, 0u) << "sq's self-signatures have critical subpackets";
}

TEST(ListingOracle, ListOptionsGpgRefusesAreRefused) {
    const std::string ring = test_data_dir() + "/cert/ed25519-sha512.pgp";
    for (const char* list : {"show-sig-subpackets=2 16", "show-sig-subpackets=0", "no-such-option"}) {
        const auto p = run(pgpkit_bin() + " list-keys --with-colons --with-sig-list --keyring " + shell_quote(ring) +
                           " --list-options " + shell_quote(list));
        EXPECT_EQ(p.exit_code, 2) << list;
        EXPECT_EQ(p.out, "") << list;
    }
}

INSTANTIATE_TEST_SUITE_P(Options, ListingOracle,
                         ::testing::Values("--with-colons",
                                           "--with-colons --with-sig-list",
                                           "--with-colons --with-sig-check",
                                           "--with-colons --with-fingerprint --with-fingerprint",
                                           ""));

}  // namespace
}  // namespace pgpkit::test
