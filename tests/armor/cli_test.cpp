// End-to-end tests of `pgpkit armor` and `pgpkit dearmor` against gpg (GnuPG 2.2.40).
// gpg --enarmor always writes the label "ARMORED FILE" and the header
// `Comment: Use "gpg --dearmor" for unpacking`; we pass the same label and header to
// pgpkit and then expect byte-identical output.

#include <gtest/gtest.h>

#include <algorithm>
#include <random>

#include "tests/support/env.h"

namespace pgpkit::test {
namespace {

const std::string gpg_comment = "Comment: Use \"gpg --dearmor\" for unpacking";

std::string bin() { return shell_quote(pgpkit_bin()); }

/** gpg with a throw-away home, so no user configuration or agent is involved. */
std::string gpg(const TempDir& home) {
    return "gpg --homedir " + shell_quote(home.path()) + " --batch --no-options --quiet";
}

void require_gpg() {
    RunResult r = run("gpg --version");
    ASSERT_EQ(r.exit_code, 0) << "gpg is missing: run scripts/bootstrap.sh (installs gnupg)";
}

Bytes random_file(std::size_t n, std::uint32_t seed) {
    std::mt19937 rng(seed);
    Bytes b(n);
    for (auto& x : b) x = static_cast<std::uint8_t>(rng());
    return b;
}

TEST(CmdArmor, OutputIsByteIdenticalToGpgEnarmor) {
    require_gpg();
    TempDir tmp, home;
    for (std::size_t n : {0u, 1u, 2u, 3u, 47u, 48u, 49u, 1000u, 300000u}) {
        std::string in = tmp.file("in" + std::to_string(n));
        write_bytes(in, random_file(n, static_cast<std::uint32_t>(n)));
        RunResult ours = run(bin() + " armor --label 'ARMORED FILE' --header " + shell_quote(gpg_comment) +
                             " " + shell_quote(in));
        RunResult theirs = run(gpg(home) + " --enarmor < " + shell_quote(in));
        ASSERT_EQ(ours.exit_code, 0) << ours.err;
        ASSERT_EQ(theirs.exit_code, 0) << theirs.err;
        EXPECT_EQ(ours.out, theirs.out) << "input of " << n << " bytes";
    }
}

TEST(CmdDearmor, OutputIsByteIdenticalToGpgDearmor) {
    require_gpg();
    TempDir home;
    const std::string fixtures = test_data_dir() + "/armor/";
    for (const char* f : {"two-blocks.asc", "crlf-line-ends.asc", "line-length-76.asc",
                          "junk-around-block.asc", "headers-kept.asc", "trailing-whitespace.asc",
                          "empty-body.asc"}) {  // gpg 2.2.40 rejects "MESSAGE, PART X/Y" labels
        std::string path = shell_quote(fixtures + f);
        RunResult ours = run(bin() + " dearmor " + path);
        RunResult theirs = run(gpg(home) + " --dearmor < " + path);
        ASSERT_EQ(ours.exit_code, 0) << f << ": " << ours.err;
        ASSERT_EQ(theirs.exit_code, 0) << f << ": " << theirs.err;
        EXPECT_EQ(ours.out, theirs.out) << f;
    }
    for (const char* f : {"/rfc9580/A.3.transferable-pubkey-v6.asc", "/gnupg/bug894-test.asc",
                          "/gnupg/samplekeys/whats-new-in-2.1.asc"}) {
        std::string path = shell_quote(shared_testdata() + f);
        RunResult ours = run(bin() + " dearmor " + path);
        RunResult theirs = run(gpg(home) + " --dearmor < " + path);
        ASSERT_EQ(ours.exit_code, 0) << f << ": " << ours.err;
        EXPECT_EQ(ours.out, theirs.out) << f;
    }
}

TEST(CmdArmor, RoundTripsThroughStdinAndStdout) {
    Bytes data = random_file(100000, 9);
    std::string text(data.begin(), data.end());
    RunResult r = run(bin() + " armor | " + bin() + " dearmor", text);
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_EQ(r.out, text);
}

TEST(CmdArmor, LabelAutoFollowsFirstPacket) {
    RunResult r = run(bin() + " armor " + shell_quote(test_data_dir() + "/armor/payload-v6-cert.pgp"));
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_TRUE(r.out.starts_with("-----BEGIN PGP PUBLIC KEY BLOCK-----\n\n")) << r.out;
    r = run(bin() + " armor --label sig", "x");
    EXPECT_TRUE(r.out.starts_with("-----BEGIN PGP SIGNATURE-----\n")) << r.out;
    r = run(bin() + " armor --label 'MESSAGE, PART 1/2' --header Version:1 --header 'Comment: two'", "x");
    EXPECT_TRUE(r.out.starts_with("-----BEGIN PGP MESSAGE, PART 1/2-----\nVersion: 1\nComment: two\n\n"))
        << r.out;
}

TEST(CmdDearmor, BadInputPrintsOneLineAndExitsTwo) {
    const std::string fixtures = test_data_dir() + "/armor/";
    const std::pair<const char*, const char*> cases[] = {
        {"crc-mismatch.asc", "bad CRC-24 checksum on line 12"},
        {"bad-base64-char.asc", "invalid base64 character 0x2A '*' on line 5"},
        {"missing-end-line.asc", "missing armor end line"},
        {"mismatched-labels.asc", "armor labels differ"},
        {"no-armor.txt", "no armored block found"},
    };
    for (auto [f, msg] : cases) {
        RunResult r = run(bin() + " dearmor " + shell_quote(fixtures + f));
        EXPECT_EQ(r.exit_code, 2) << f;
        EXPECT_TRUE(r.err.starts_with("pgpkit: error: ")) << r.err;
        EXPECT_NE(r.err.find(msg), std::string::npos) << r.err;
        EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1) << r.err;
    }
}

TEST(CmdDearmor, StatusFdReportsBadArmor) {
    RunResult r = run(bin() + " dearmor --status-fd 2 " +
                      shell_quote(test_data_dir() + "/armor/crc-mismatch.asc") + " >/dev/null");
    EXPECT_EQ(r.exit_code, 2);
    EXPECT_TRUE(r.err.starts_with("[GNUPG:] BADARMOR\n")) << r.err;
    r = run(bin() + " dearmor --status-fd 2 " + shell_quote(test_data_dir() + "/armor/two-blocks.asc") +
            " >/dev/null");
    EXPECT_EQ(r.exit_code, 0);
    EXPECT_EQ(r.err, "");
}

TEST(CmdArmor, MissingFileExitsTwo) {
    RunResult r = run(bin() + " armor /nonexistent/file");
    EXPECT_EQ(r.exit_code, 2);
    EXPECT_TRUE(r.err.starts_with("pgpkit: error: cannot open")) << r.err;
}

}  // namespace
}  // namespace pgpkit::test
