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

INSTANTIATE_TEST_SUITE_P(Options, ListingOracle,
                         ::testing::Values("--with-colons",
                                           "--with-colons --with-sig-list",
                                           "--with-colons --with-sig-check",
                                           "--with-colons --with-fingerprint --with-fingerprint",
                                           ""));

}  // namespace
}  // namespace pgpkit::test
