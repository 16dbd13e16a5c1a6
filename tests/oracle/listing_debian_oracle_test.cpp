// list-keys --with-colons against gpg 2.2 on real certificates: the subset of Debian's
// debian-keyring.gpg named in tests/data/keyring/debian-listing-subset.txt, picked where
// pgpkit once listed the whole keyring differently from gpg (primary user ID order, key
// expiry and capabilities taken from other user IDs, revoked subkeys' expiry, revocation
// reason texts, signer names), and for --check-sigs expired keys that certify certificates
// listed before and after them: gpg finds such an issuer only once its key cache holds it,
// which listing the issuer's own certificate does (keyring/key_cache.h), so its
// certifications are '?' before it and checked after it. gpg imports the whole keyring in
// about 16 minutes; these 66 certificates take it a few seconds.
//
// Two ways of listing the same certificates are compared: the raw keyring file
// (gpg --keyring FILE), and gpg's own keyring after importing it (gpg -k against pgpkit
// on gpg --export of that home). The tru record carries gpg's trustdb times and is left out.

#include <gtest/gtest.h>

#include <algorithm>
#include <cctype>
#include <set>

#include "cert/cert.h"
#include "tests/support/env.h"

namespace pgpkit::test {
namespace {

const char* const kDebianKeyring = "/usr/share/keyrings/debian-keyring.gpg";

std::string without_tru(const std::string& s) {
    std::string out;
    for (const auto& line : non_empty_lines(s))
        if (line.rfind("tru:", 0) != 0) out += line + "\n";
    return out;
}

/** The fingerprints of the selection file (first word of each line that is not a comment). */
std::set<std::string> selected_fingerprints() {
    const Bytes b = read_bytes(test_data_dir() + "/keyring/debian-listing-subset.txt");
    std::set<std::string> out;
    for (const auto& line : non_empty_lines(std::string(b.begin(), b.end())))
        if (line[0] != '#') out.insert(line.substr(0, line.find(' ')));
    return out;
}

/** The selected certificates' bytes, as they are in the Debian keyring, in its order. */
Bytes debian_subset(std::size_t& count) {
    const Bytes ring = read_bytes(kDebianKeyring);
    const std::set<std::string> want = selected_fingerprints();
    std::vector<std::pair<std::size_t, std::string>> starts;
    for (const auto& c : cert::read_all_certs(ring))
        starts.emplace_back(static_cast<std::size_t>(c.primary.head.offset), to_hex(c.fingerprint()));
    starts.emplace_back(ring.size(), std::string());
    Bytes out;
    count = 0;
    for (std::size_t i = 0; i + 1 < starts.size(); ++i) {
        std::string fpr = starts[i].second;
        std::transform(fpr.begin(), fpr.end(), fpr.begin(), [](unsigned char ch) { return std::toupper(ch); });
        if (!want.count(fpr)) continue;
        out.insert(out.end(), ring.begin() + static_cast<long>(starts[i].first),
                   ring.begin() + static_cast<long>(starts[i + 1].first));
        ++count;
    }
    return out;
}

/** A throwaway gpg home with the subset file `ring` beside it (made once per test process). */
struct Fixture {
    TempDir dir;
    std::string ring = dir.file("subset.pgp");
    std::string home = dir.file("gnupg");
    std::string exported = dir.file("exported.pgp");
    std::size_t certs = 0;
    std::string error;

    Fixture() {
        write_bytes(ring, debian_subset(certs));
        const std::string gpg = "GNUPGHOME=" + shell_quote(home) + " gpg --batch --no-tty";
        const auto mk = run("mkdir -m 700 " + shell_quote(home) + " && " + gpg + " --import " + shell_quote(ring) +
                            " && " + gpg + " --check-trustdb && " + gpg + " --export > " + shell_quote(exported));
        if (mk.exit_code != 0) error = "gpg is needed for this test (scripts/bootstrap.sh): " + mk.err;
    }
    ~Fixture() { run("gpgconf --homedir " + shell_quote(home) + " --kill all"); }
    std::string gpg() const { return "GNUPGHOME=" + shell_quote(home) + " gpg --batch --no-tty --fixed-list-mode "; }
};

Fixture& fixture() {
    static Fixture f;
    return f;
}

TEST(DebianListingSubset, EverySelectedCertificateIsInTheKeyring) {
    const Fixture& f = fixture();
    ASSERT_EQ(f.error, "");
    EXPECT_EQ(f.certs, selected_fingerprints().size()) << "a selected certificate is not in " << kDebianKeyring;
    EXPECT_GE(f.certs, 39u);
}

class DebianListingOracle : public ::testing::TestWithParam<const char*> {};

TEST_P(DebianListingOracle, RawKeyringListingEqualsGpg) {
    const Fixture& f = fixture();
    ASSERT_EQ(f.error, "");
    const auto g = run(f.gpg() + "--no-default-keyring --keyring " + shell_quote(f.ring) + " " + GetParam() +
                       " --list-keys");
    ASSERT_EQ(g.exit_code, 0) << g.err;
    const auto p = run(pgpkit_bin() + " list-keys --keyring " + shell_quote(f.ring) + " " + GetParam());
    ASSERT_EQ(p.exit_code, 0) << p.err;
    EXPECT_GT(non_empty_lines(g.out).size(), 600u);
    EXPECT_EQ(without_tru(p.out), without_tru(g.out));
}

TEST_P(DebianListingOracle, ImportedKeyringListingEqualsGpg) {
    const Fixture& f = fixture();
    ASSERT_EQ(f.error, "");
    const auto g = run(f.gpg() + GetParam() + " --list-keys");
    ASSERT_EQ(g.exit_code, 0) << g.err;
    const auto p = run(pgpkit_bin() + " list-keys --keyring " + shell_quote(f.exported) + " " + GetParam());
    ASSERT_EQ(p.exit_code, 0) << p.err;
    EXPECT_GT(non_empty_lines(g.out).size(), 600u);
    EXPECT_EQ(without_tru(p.out), without_tru(g.out));
}

INSTANTIATE_TEST_SUITE_P(Options, DebianListingOracle,
                         ::testing::Values("--with-colons", "--with-colons --with-sig-list",
                                           "--with-colons --with-fingerprint --with-fingerprint",
                                           "--with-colons --with-sig-check"));

// The subset shows the key cache: an expired issuer's certifications are '?' on a
// certificate listed before the issuer and checked ('!') on one listed after it.
TEST(DebianListingSubset, CheckSigsShowGpgsKeyCache) {
    const Fixture& f = fixture();
    ASSERT_EQ(f.error, "");
    const auto g = run(f.gpg() + "--no-default-keyring --keyring " + shell_quote(f.ring) +
                       " --with-colons --with-sig-check --list-keys");
    ASSERT_EQ(g.exit_code, 0) << g.err;
    std::set<std::string> listed, unknown_before, checked_after;
    std::string current;
    for (const auto& line : non_empty_lines(g.out)) {
        const auto fields = split(line, ':');
        if (fields.size() < 5) continue;
        if (fields[0] == "pub") listed.insert(current = fields[4]);
        if (fields[0] != "sig" || fields[4] == current) continue;
        if (fields[1] == "?" && !listed.count(fields[4])) unknown_before.insert(fields[4]);
        if (fields[1] == "!" && listed.count(fields[4])) checked_after.insert(fields[4]);
    }
    std::size_t both = 0;
    for (const auto& id : unknown_before)
        if (checked_after.count(id) && listed.count(id)) ++both;
    EXPECT_GE(both, 3u) << "fewer expired issuers than expected are '?' before and '!' after their listing";
}

}  // namespace
}  // namespace pgpkit::test
