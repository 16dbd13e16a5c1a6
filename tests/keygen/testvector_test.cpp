// The golden seeded vector under testvectors/keygen: regenerated with the same parameter
// file and seed, the output must equal the stored bytes, and gpg must accept the vector.

#include <gtest/gtest.h>

#include <string>

#include "tests/support/env.h"

namespace pgpkit::test {
namespace {

std::string vectors() { return test_data_dir() + "/../../testvectors/keygen"; }

std::string seed() {
    Bytes b = read_bytes(vectors() + "/seeded.seed");
    std::string s(b.begin(), b.end());
    while (!s.empty() && (s.back() == '\n' || s.back() == '\r')) s.pop_back();
    return s;
}

TEST(TestVector, SeededKeygenReproducesTheGoldenBytes) {
    TempDir dir;
    const std::string out = dir.file("regen.pgp");
    RunResult r = run(shell_quote(pgpkit_bin()) + " gen-key --batch " + shell_quote(vectors() + "/seeded.param") +
                      " --seed " + seed() + " --output " + shell_quote(out));
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_NE(r.err.find("test vectors only"), std::string::npos) << r.err;
    const Bytes want = read_bytes(vectors() + "/seeded.pgp");
    const Bytes got = read_bytes(out);
    ASSERT_EQ(got.size(), want.size());
    std::size_t first_diff = 0;
    while (first_diff < got.size() && got[first_diff] == want[first_diff]) ++first_diff;
    EXPECT_EQ(first_diff, want.size()) << "first differing octet at offset " << first_diff;
}

TEST(TestVector, SeededV6KeygenReproducesTheGoldenBytes) {
    RunResult r = run(shell_quote(pgpkit_bin()) + " gen-key --batch " + shell_quote(vectors() + "/seeded-v6.param") +
                      " --seed " + seed());
    ASSERT_EQ(r.exit_code, 0) << r.err;
    const Bytes want = read_bytes(vectors() + "/seeded-v6.pgp");
    const Bytes got(r.out.begin(), r.out.end());
    ASSERT_EQ(got.size(), want.size());
    std::size_t first_diff = 0;
    while (first_diff < got.size() && got[first_diff] == want[first_diff]) ++first_diff;
    EXPECT_EQ(first_diff, want.size()) << "first differing octet at offset " << first_diff;
}

TEST(TestVector, SeededV5KeygenReproducesTheGoldenBytes) {
    RunResult r = run(shell_quote(pgpkit_bin()) + " gen-key --batch " + shell_quote(vectors() + "/seeded-v5.param") +
                      " --seed " + seed());
    ASSERT_EQ(r.exit_code, 0) << r.err;
    const Bytes want = read_bytes(vectors() + "/seeded-v5.pgp");
    const Bytes got(r.out.begin(), r.out.end());
    ASSERT_EQ(got.size(), want.size());
    std::size_t first_diff = 0;
    while (first_diff < got.size() && got[first_diff] == want[first_diff]) ++first_diff;
    EXPECT_EQ(first_diff, want.size()) << "first differing octet at offset " << first_diff;
}

/**
 * The installed peers predate v5 keys (gpg 2.2.40, rnp 0.16.3): each must treat our v5 vector
 * exactly as it treats GnuPG 2.4's own v5 sample. A gpg that reads v5 (2.3 or later) must
 * instead import the vector and find every self-signature good.
 */
TEST(TestVector, PeersTreatOurV5KeyLikeGnupgsOwnV5Sample) {
    for (const char* tool : {"gpg", "gpgconf", "rnpkeys"})
        ASSERT_EQ(run(std::string("command -v ") + tool).exit_code, 0) << tool << " is missing: run scripts/bootstrap.sh";
    const std::string sample = shared_testdata() + "/gnupg/samplekeys/v5-sample-1-sec.asc";
    const std::string ours = vectors() + "/seeded-v5.pgp";
    TempDir dir;
    auto gpg_import = [&](const std::string& file, const std::string& home) {
        run("mkdir -m 700 " + shell_quote(home));
        RunResult r = run("gpg --homedir " + shell_quote(home) + " --batch --no-tty --import " + shell_quote(file) +
                          " && gpg --homedir " + shell_quote(home) + " --batch --no-tty --with-colons --check-sigs");
        run("gpgconf --homedir " + shell_quote(home) + " --kill all");
        return r;
    };
    const RunResult v = run("gpg --version");
    const bool gpg_reads_v5 = v.out.find("gpg (GnuPG) 2.2.") == std::string::npos &&
                              v.out.find("gpg (GnuPG) 2.0.") == std::string::npos &&
                              v.out.find("gpg (GnuPG) 2.1.") == std::string::npos;
    const RunResult g_ours = gpg_import(ours, dir.file("g1"));
    if (gpg_reads_v5) {
        ASSERT_EQ(g_ours.exit_code, 0) << g_ours.err;
        EXPECT_EQ(g_ours.out.find("sig:-"), std::string::npos) << g_ours.out;
        EXPECT_NE(g_ours.out.find("fpr:::::::::61541FC8AAA49A0E1D8D2CC438D521ABC3AD6B9DEE26D2125D9CBC91C68BF8A6:"),
                  std::string::npos)
            << g_ours.out;
    } else {
        const RunResult g_sample = gpg_import(sample, dir.file("g2"));
        EXPECT_NE(g_ours.exit_code, 0);
        EXPECT_EQ(g_ours.exit_code, g_sample.exit_code);
        EXPECT_NE(g_ours.err.find("packet(5) with unknown version 5"), std::string::npos) << g_ours.err;
        EXPECT_NE(g_sample.err.find("packet(5) with unknown version 5"), std::string::npos) << g_sample.err;
    }
    auto rnp_import = [&](const std::string& file, const std::string& home) {
        run("mkdir -p " + shell_quote(home));
        return run("rnpkeys --homedir " + shell_quote(home) + " --import " + shell_quote(file));
    };
    const RunResult r_ours = rnp_import(ours, dir.file("r1"));
    const RunResult r_sample = rnp_import(sample, dir.file("r2"));
    EXPECT_EQ(r_ours.exit_code, r_sample.exit_code) << r_ours.err << "\n" << r_sample.err;
    EXPECT_EQ(r_ours.err.find("wrong key packet version") == std::string::npos,
              r_sample.err.find("wrong key packet version") == std::string::npos)
        << r_ours.err << "\n" << r_sample.err;
}

TEST(TestVector, ParallelJobsGiveTheSameBytes) {
    RunResult r = run(shell_quote(pgpkit_bin()) + " gen-key --jobs 2 --batch " +
                      shell_quote(vectors() + "/seeded.param") + " --seed " + seed());
    ASSERT_EQ(r.exit_code, 0) << r.err;
    const Bytes want = read_bytes(vectors() + "/seeded.pgp");
    EXPECT_TRUE(Bytes(r.out.begin(), r.out.end()) == want);
}

TEST(TestVector, GpgAcceptsTheGoldenVector) {
    ASSERT_EQ(run("command -v gpg").exit_code, 0) << "gpg is missing: run scripts/bootstrap.sh";
    TempDir dir;
    const std::string home = dir.file("gnupg");
    const std::string gpg = "gpg --homedir " + shell_quote(home) + " --batch --no-tty ";
    run("mkdir -m 700 " + shell_quote(home));
    RunResult imp = run(gpg + "--import " + shell_quote(vectors() + "/seeded.pgp"));
    ASSERT_EQ(imp.exit_code, 0) << imp.err;
    RunResult c = run(gpg + "--with-colons --check-sigs");
    run("gpgconf --homedir " + shell_quote(home) + " --kill all");
    ASSERT_EQ(c.exit_code, 0) << c.err;
    std::size_t good = 0, other = 0;
    std::size_t pos = 0;
    while ((pos = c.out.find("\nsig:", pos)) != std::string::npos) {
        ++pos;
        (c.out.compare(pos, 5, "sig:!") == 0 ? good : other)++;
    }
    EXPECT_EQ(good, 6u) << c.out;  // 2 certifications, 3 bindings, 1 direct-key (revoker)
    EXPECT_EQ(other, 0u) << c.out;
    EXPECT_NE(c.out.find("fpr:::::::::3B45ED2669708ADE23ABB9B91C6C13193C85C95B:"), std::string::npos);
    EXPECT_NE(c.out.find("fpr:::::::::6F897C0CB8A174FE4AB87B9E455C7A6811CD6756:"), std::string::npos);
}

}  // namespace
}  // namespace pgpkit::test
