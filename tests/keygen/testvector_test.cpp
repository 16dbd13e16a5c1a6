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
