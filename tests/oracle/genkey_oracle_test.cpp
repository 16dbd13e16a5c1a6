// gen-key against gpg 2.2 on the same parameter file, typed as gpg users type it
// (`gpg --batch --gen-key < FILE`, `pgpkit gen-key --batch < FILE`): user IDs from every
// combination of Name-Real, Name-Comment and Name-Email are byte-identical, and out-of-range
// Key-Length / Subkey-Length values give the same "keysize ..." messages and the same key
// sizes. gpg is a peer of the tests: if it is missing the tests fail.

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "packet/parser.h"
#include "tests/support/env.h"

namespace pgpkit::test {
namespace {

/** A throwaway gpg home; its agent is stopped when it goes. */
struct GpgHome {
    TempDir dir;
    std::string gpg;
    GpgHome() { gpg = "gpg --homedir " + shell_quote(dir.path()) + " --batch --no-tty --no-options"; }
    ~GpgHome() { run("gpgconf --homedir " + shell_quote(dir.path()) + " --kill all"); }

    /** Field `n` (0-based) of the colon records of these types, in listing order. */
    std::vector<std::string> colons(const std::vector<std::string>& types, std::size_t n) const {
        RunResult r = run(gpg + " --with-colons --fixed-list-mode --list-keys");
        EXPECT_EQ(r.exit_code, 0) << r.err;
        std::vector<std::string> out;
        for (const std::string& l : non_empty_lines(r.out)) {
            auto f = split(l, ':');
            for (const std::string& t : types)
                if (f.size() > n && f[0] == t) out.push_back(t + ":" + f[n]);
        }
        return out;
    }
};

struct BothRuns {
    RunResult gpg, pgpkit;
    Bytes keys;  ///< what pgpkit wrote
};

/** Runs the parameter file through gpg (into `g`) and pgpkit, both reading standard input. */
BothRuns run_both(GpgHome& g, const TempDir& dir, const std::string& params) {
    BothRuns b;
    b.gpg = run(g.gpg + " --gen-key", params);
    EXPECT_EQ(b.gpg.exit_code, 0) << "gpg is a peer of the tests (scripts/bootstrap.sh): " << b.gpg.err;
    b.pgpkit = run(shell_quote(pgpkit_bin()) + " gen-key --batch -o " + shell_quote(dir.file("keys.pgp")), params);
    EXPECT_EQ(b.pgpkit.exit_code, 0) << b.pgpkit.err;
    b.keys = read_bytes(dir.file("keys.pgp"));
    return b;
}

/** The "keysize ..." lines of a log, without the program's and pgpkit's file:line prefixes. */
std::vector<std::string> keysize_lines(const std::string& log) {
    std::vector<std::string> out;
    for (const std::string& l : non_empty_lines(log)) {
        const std::size_t at = l.find("keysize ");
        if (at != std::string::npos) out.push_back(l.substr(at));
    }
    return out;
}

TEST(GenKeyGpgOracle, UserIdOfEveryNameCombinationIsByteIdentical) {
    const std::vector<std::string> names = {
        "Name-Real: R\n",
        "Name-Comment: c\n",
        "Name-Email: e@x.org\n",
        "Name-Real: R\nName-Comment: c\n",
        "Name-Real: R\nName-Email: e@x.org\n",
        "Name-Comment: c\nName-Email: e@x.org\n",
        "Name-Real: Real Name\nName-Comment: a comment\nName-Email: e@x.org\n",
    };
    std::string params = "%no-protection\n";
    for (const std::string& n : names) params += "Key-Type: eddsa\nKey-Curve: ed25519\n" + n + "%commit\n";
    GpgHome g;
    TempDir dir;
    BothRuns b = run_both(g, dir, params);

    std::vector<std::string> ours;
    for (const auto& p : packet::parse_all(b.keys))
        if (const auto* u = p.get<packet::UserId>()) ours.push_back("uid:" + std::string(u->data.begin(), u->data.end()));
    // gpg's colon listing escapes only ':' and control characters, which none of these holds,
    // so field 10 is the user ID packet's octets.
    const std::vector<std::string> theirs = g.colons({"uid"}, 9);
    ASSERT_EQ(theirs.size(), names.size());
    EXPECT_EQ(ours, theirs);
    EXPECT_EQ(theirs[1], "uid: (c)");  // the case that differed
}

TEST(GenKeyGpgOracle, OutOfRangeKeyLengthsAreClampedWithGpgsMessages) {
    const std::string params =
        "%no-protection\n"
        "Key-Type: RSA\nKey-Length: 1000\nName-Real: rsa-small\n%commit\n"
        "Key-Type: RSA\nKey-Length: 5000\nName-Real: rsa-big\n%commit\n"
        "Key-Type: RSA\nKey-Length: 1025\nName-Real: rsa-odd\n%commit\n"
        "Key-Type: DSA\nKey-Length: 1500\nName-Real: dsa-odd\n%commit\n"
        "Key-Type: DSA\nKey-Length: 700\nName-Real: dsa-small\n%commit\n"
        "Key-Type: eddsa\nKey-Curve: ed25519\nName-Real: elg-small\nSubkey-Type: ELG-E\nSubkey-Length: 500\n%commit\n";
    GpgHome g;
    TempDir dir;
    BothRuns b = run_both(g, dir, params);
    const std::vector<std::string> said = keysize_lines(b.gpg.err);
    ASSERT_EQ(said.size(), 7u) << b.gpg.err;  // one per block, two for DSA 1500
    EXPECT_EQ(keysize_lines(b.pgpkit.err), said) << b.pgpkit.err;
    // Every pgpkit message names the parameter line, as its errors do.
    for (const std::string& l : non_empty_lines(b.pgpkit.err)) {
        if (l.find("keysize ") != std::string::npos) {
            EXPECT_EQ(l.rfind("pgpkit: stdin:", 0), 0u) << l;
        }
    }

    GpgHome imported;
    TempDir unused;
    write_bytes(unused.file("keys.pgp"), b.keys);
    RunResult imp = run(imported.gpg + " --import " + shell_quote(unused.file("keys.pgp")));
    ASSERT_EQ(imp.exit_code, 0) << imp.err;
    // Field 3 of pub and sub: the key length gpg computes from the key material.
    const std::vector<std::string> theirs = g.colons({"pub", "sub"}, 2);
    EXPECT_EQ(theirs, (std::vector<std::string>{"pub:3072", "pub:4096", "pub:1056", "pub:2048", "pub:2048",
                                                "pub:255", "sub:3072"}));
    EXPECT_EQ(imported.colons({"pub", "sub"}, 2), theirs);
}

}  // namespace
}  // namespace pgpkit::test
