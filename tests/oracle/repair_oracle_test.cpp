// repair-keys on import with the certifier at hand: gpg 2.2 finds the user ID a
// certification misplaced after a subkey is over, and drops it there as a duplicate.
// Two keys of Debian's keyrings (tests/data/README.md): the certifier, and a key holding
// one of its certifications twice, once on the user ID and once after the last subkey.

#include <gtest/gtest.h>

#include "tests/oracle/gpg_cache.h"
#include "tests/oracle/listing_compare.h"
#include "tests/support/env.h"

namespace pgpkit::test {
namespace {

const char* const kCertifier = "certifier-shadura.pgp";
const char* const kMisplaced = "misplaced-certification.pgp";

std::string data(const char* name) { return test_data_dir() + "/keyring/" + name; }

/** The listings with signatures after importing `first`, then `second`, into gpg and pgpkit. */
void expect_same_after(const char* first, const char* second) {
    TempDir dir;
    const std::string gh = dir.file("gnupg"), ph = dir.file("pgpkit");
    ASSERT_EQ(run("mkdir -m 700 " + shell_quote(gh)).exit_code, 0);
    for (const char* f : {first, second}) {
        const auto g = run(gpg_on(gh) + " --import " + shell_quote(data(f)));
        ASSERT_EQ(g.exit_code, 0) << "gpg is needed for this test: " << g.err;
        const auto p = run(pgpkit_bin() + " import --home " + shell_quote(ph) + " " + shell_quote(data(f)));
        ASSERT_EQ(p.exit_code, 0) << p.err;
    }
    const auto g = run(gpg_on(gh) + " --with-colons --with-sig-list --list-keys");
    const auto p = run(pgpkit_bin() + " list-keys --home " + shell_quote(ph) + " --with-colons --with-sig-list");
    ASSERT_EQ(g.exit_code, 0) << g.err;
    ASSERT_EQ(p.exit_code, 0) << p.err;
    EXPECT_EQ(listing::record_diff(g.out, p.out), "") << first << " then " << second;
    kill_agent(gh);
}

std::size_t count_of(const std::string& text, const std::string& needle) {
    std::size_t n = 0;
    for (auto at = text.find(needle); at != std::string::npos; at = text.find(needle, at + 1)) ++n;
    return n;
}

TEST(RepairOracle, MisplacedCertificationOfAKnownCertifierGoesAsADuplicate) {
    expect_same_after(kCertifier, kMisplaced);
    // And the store holds the certification once (gpg: once too).
    TempDir dir;
    const std::string ph = dir.file("pgpkit");
    for (const char* f : {kCertifier, kMisplaced})
        ASSERT_EQ(run(pgpkit_bin() + " import --home " + shell_quote(ph) + " " + shell_quote(data(f))).exit_code, 0);
    const auto p = run(pgpkit_bin() + " list-keys --home " + shell_quote(ph) +
                       " --with-colons --with-sig-list C32A4D0858F5A6EA");
    EXPECT_EQ(count_of(p.out, "sig:::22:E8446B4AC8C77261:1658571594:"), 1u) << p.out;
}

TEST(RepairOracle, WithoutTheCertifierTheMisplacedCopyStays) {
    expect_same_after(kMisplaced, kCertifier);
}

}  // namespace
}  // namespace pgpkit::test
