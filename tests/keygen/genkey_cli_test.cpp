// End-to-end tests of `pgpkit gen-key`: status lines in GnuPG's format, %pubring/%secring
// files, armor, bad blocks, dry runs, seeds and option errors.

#include <gtest/gtest.h>

#include <sys/stat.h>

#include <string>
#include <vector>

#include "packet/parser.h"
#include "tests/support/env.h"

namespace pgpkit::test {
namespace {

using packet::Tag;
const std::string ed_block = "Key-Type: EdDSA\nKey-Curve: ed25519\nSubkey-Type: ECDH\nSubkey-Curve: cv25519\n";

RunResult genkey(const TempDir& dir, const std::string& params, const std::string& args = "") {
    write_bytes(dir.file("p.param"), as_bytes(params));
    return run("cd " + shell_quote(dir.path()) + " && " + shell_quote(pgpkit_bin()) +
               " gen-key --batch p.param --status-fd 3 " + args + " 3>status");
}

std::string status(const TempDir& dir) {
    Bytes b = read_bytes(dir.file("status"));
    return std::string(b.begin(), b.end());
}

std::vector<Tag> tags(const Bytes& data) {
    std::vector<Tag> out;
    for (const auto& p : packet::parse_all(data)) out.push_back(p.tag());
    return out;
}

bool is_hex40(const std::string& s) {
    return s.size() == 40 && s.find_first_not_of("0123456789ABCDEF") == std::string::npos;
}

TEST(GenKeyCli, ParallelJobsKeepFileOrderWhenTheFirstBlockIsSlowest) {
    // Block 1 (RSA-3072) takes far longer than the Ed25519 blocks after it: with --jobs 2
    // the second worker takes blocks 2, 3, ... from the queue meanwhile, yet status lines,
    // messages and keys still come in file order, after an interleaved bad block too.
    TempDir dir;
    std::string params = "Key-Type: RSA\nKey-Length: 3072\nName-Real: slow\nHandle: h1\n%no-protection\n%commit\n";
    for (int i = 2; i <= 6; ++i) {
        if (i == 4) params += "Key-Type: RSB\nName-Real: bad\nHandle: h4\n%commit\n";
        else params += "Key-Type: EdDSA\nKey-Curve: ed25519\nName-Real: k" + std::to_string(i) + "\nHandle: h" +
                       std::to_string(i) + "\n%no-protection\n%commit\n";
    }
    RunResult r = genkey(dir, params, "--jobs 2 --output keys.pgp");
    EXPECT_EQ(r.exit_code, 2);
    std::vector<std::string> handles;
    for (const std::string& l : split(status(dir), '\n')) {
        if (l.rfind("[GNUPG:] KEY_", 0) == 0) handles.push_back(l.substr(l.rfind(' ') + 1));
    }
    EXPECT_EQ(handles, (std::vector<std::string>{"h1", "h2", "h3", "h4", "h5", "h6"}));
    std::vector<std::string> uids;
    for (const auto& p : packet::parse_all(read_bytes(dir.file("keys.pgp"))))
        if (const auto* u = p.get<packet::UserId>()) uids.emplace_back(u->data.begin(), u->data.end());
    EXPECT_EQ(uids, (std::vector<std::string>{"slow", "k2", "k3", "k5", "k6"}));
}

TEST(GenKeyCli, KeyCreatedStatusHasTypeFingerprintAndHandle) {
    TempDir dir;
    RunResult r = genkey(dir, ed_block + "Name-Real: a\nHandle: my key\n%no-protection\n%commit\n"
                                         "Key-Type: EdDSA\nKey-Curve: ed25519\nName-Real: b\n",
                         "--output keys.pgp");
    ASSERT_EQ(r.exit_code, 0) << r.err;
    const std::string s = status(dir);
    ASSERT_EQ(s.rfind("[GNUPG:] KEY_CREATED B ", 0), 0u) << s;
    EXPECT_TRUE(is_hex40(s.substr(23, 40))) << s;
    EXPECT_EQ(s.substr(63, 8), " my_key\n");  // white space in a handle becomes '_'
    const std::size_t second = s.find("[GNUPG:] KEY_CREATED P ", 1);
    ASSERT_NE(second, std::string::npos) << s;
    EXPECT_EQ(s.substr(second + 63, 1), "\n");  // no handle: nothing after the fingerprint
}

TEST(GenKeyCli, BadBlockReportsKeyNotCreatedAndTheNextStillRuns) {
    TempDir dir;
    Bytes params = read_bytes(test_data_dir() + "/keygen/bad-block-then-good.param");
    RunResult r = genkey(dir, std::string(params.begin(), params.end()), "--output keys.pgp");
    EXPECT_EQ(r.exit_code, 2);
    EXPECT_NE(r.err.find("pgpkit: p.param:1: unknown Key-Type \"RSB\""), std::string::npos) << r.err;
    const std::string s = status(dir);
    EXPECT_EQ(s.rfind("[GNUPG:] KEY_NOT_CREATED first_bad\n[GNUPG:] KEY_CREATED P ", 0), 0u) << s;
    EXPECT_NE(s.find(" second\n"), std::string::npos) << s;
    EXPECT_EQ(tags(read_bytes(dir.file("keys.pgp"))), (std::vector<Tag>{Tag::SecretKey, Tag::UserId, Tag::Signature}));
}

TEST(GenKeyCli, GenerationErrorIsKeyNotCreated) {
    TempDir dir;
    RunResult r = genkey(dir, "Key-Type: EdDSA\nKey-Curve: ed25519\nName-Real: a\nCreation-Date: 2026-01-01\n"
                              "Expire-Date: 2025-01-01\nHandle: past\n");
    EXPECT_EQ(r.exit_code, 2);
    EXPECT_EQ(status(dir), "[GNUPG:] KEY_NOT_CREATED past\n");
    EXPECT_NE(r.err.find("p.param:1: expiration date is not after the creation date"), std::string::npos) << r.err;
    EXPECT_TRUE(r.out.empty());
}

TEST(GenKeyCli, RsaProgressLinesFollowGnupgFormat) {
    TempDir dir;
    // Seeded, so the prime search is the same every run: with the system RNG a prime can
    // turn up before the first progress tick (about one run in ten), and the test flaked.
    RunResult r = genkey(dir, "Key-Type: RSA\nKey-Length: 2048\nName-Real: a\nCreation-Date: 20260101T000000\n%no-protection\n",
                         "--output k.pgp --seed 05050505050505050505050505050505");
    ASSERT_EQ(r.exit_code, 0) << r.err;
    const std::string s = status(dir);
    std::size_t progress = 0, pos = 0;
    while ((pos = s.find("[GNUPG:] PROGRESS primegen ", pos)) != std::string::npos) {
        const std::string rest = s.substr(pos + 27, 6);
        EXPECT_TRUE(rest == ". 0 0\n" || rest == "+ 0 0\n") << rest;
        ++progress;
        ++pos;
    }
    EXPECT_GT(progress, 0u) << s;
    EXPECT_NE(r.err.find('.'), std::string::npos);  // the characters themselves go to stderr
}

TEST(GenKeyCli, StdoutGetsTransferableSecretKeys) {
    TempDir dir;
    RunResult r = genkey(dir, ed_block + "Name-Real: a\n%no-protection\n");
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_EQ(tags(Bytes(r.out.begin(), r.out.end())), (std::vector<Tag>{Tag::SecretKey, Tag::UserId, Tag::Signature,
                                                                         Tag::SecretSubkey, Tag::Signature}));
}

TEST(GenKeyCli, ArmorWrapsThePrivateKeyBlock) {
    TempDir dir;
    RunResult r = genkey(dir, ed_block + "Name-Real: a\n%no-protection\n", "--armor");
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_EQ(r.out.rfind("-----BEGIN PGP PRIVATE KEY BLOCK-----\n", 0), 0u) << r.out;
    EXPECT_NE(r.out.find("-----END PGP PRIVATE KEY BLOCK-----\n"), std::string::npos);
}

TEST(GenKeyCli, PubringAndSecringAreAppendedAndSecringIsPrivate) {
    TempDir dir;
    const std::string params = "%pubring pub.pgp\n%secring sec.pgp\n" + ed_block + "Name-Real: a\n%no-protection\n";
    ASSERT_EQ(genkey(dir, params).exit_code, 0);
    RunResult r = genkey(dir, params);
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_TRUE(r.out.empty());
    EXPECT_EQ(tags(read_bytes(dir.file("pub.pgp"))), (std::vector<Tag>{Tag::PublicKey, Tag::UserId, Tag::Signature,
                                                                       Tag::PublicSubkey, Tag::Signature,
                                                                       Tag::PublicKey, Tag::UserId, Tag::Signature,
                                                                       Tag::PublicSubkey, Tag::Signature}));
    EXPECT_EQ(tags(read_bytes(dir.file("sec.pgp"))), (std::vector<Tag>{Tag::SecretKey, Tag::UserId, Tag::Signature,
                                                                       Tag::SecretSubkey, Tag::Signature,
                                                                       Tag::SecretKey, Tag::UserId, Tag::Signature,
                                                                       Tag::SecretSubkey, Tag::Signature}));
    struct stat st {};
    ASSERT_EQ(::stat(dir.file("sec.pgp").c_str(), &st), 0);
    EXPECT_EQ(st.st_mode & 0777, 0600u);
}

TEST(GenKeyCli, PubringAloneStillPrintsTheSecretKeys) {
    TempDir dir;
    RunResult r = genkey(dir, "%pubring pub.pgp\n" + ed_block + "Name-Real: a\n%no-protection\n");
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_EQ(tags(read_bytes(dir.file("pub.pgp"))), (std::vector<Tag>{Tag::PublicKey, Tag::UserId, Tag::Signature,
                                                                       Tag::PublicSubkey, Tag::Signature}));
    EXPECT_EQ(tags(Bytes(r.out.begin(), r.out.end())), (std::vector<Tag>{Tag::SecretKey, Tag::UserId, Tag::Signature,
                                                                         Tag::SecretSubkey, Tag::Signature}));
}

TEST(GenKeyCli, DryRunGeneratesNothing) {
    TempDir dir;
    RunResult r = genkey(dir, "%dry-run\n" + ed_block + "Name-Real: a\n");
    EXPECT_EQ(r.exit_code, 0) << r.err;
    EXPECT_TRUE(r.out.empty());
    EXPECT_TRUE(status(dir).empty());
    EXPECT_NE(r.err.find("dry-run mode - key generation skipped"), std::string::npos) << r.err;
}

TEST(GenKeyCli, EchoAndNoticesGoToStderrInOrder) {
    TempDir dir;
    RunResult r = genkey(dir, "%echo one\n%ask-passphrase\n%echo two\n");
    EXPECT_EQ(r.exit_code, 0);
    const std::size_t one = r.err.find("pgpkit: one\n"), notice = r.err.find("%ask-passphrase is obsolete"),
                      two = r.err.find("pgpkit: two\n");
    ASSERT_NE(one, std::string::npos) << r.err;
    ASSERT_NE(notice, std::string::npos) << r.err;
    ASSERT_NE(two, std::string::npos) << r.err;
    EXPECT_LT(one, notice);
    EXPECT_LT(notice, two);
}

TEST(GenKeyCli, SeedWithCreationDateIsReproducibleAndWarns) {
    TempDir dir;
    const std::string params = ed_block + "Name-Real: a\nCreation-Date: 2026-01-01\nPassphrase: x\n";
    const std::string seed = "--seed 00112233445566778899aabbccddeeff";
    RunResult a = genkey(dir, params, seed), b = genkey(dir, params, seed);
    ASSERT_EQ(a.exit_code, 0) << a.err;
    EXPECT_EQ(a.out, b.out);
    EXPECT_NE(a.err.find("warning: --seed"), std::string::npos) << a.err;
    RunResult c = genkey(dir, params, "--seed 00112233445566778899aabbccddeef0");
    EXPECT_NE(a.out, c.out);
    RunResult d = genkey(dir, params), e = genkey(dir, params);
    EXPECT_NE(d.out, e.out);  // without a seed every run differs
}

TEST(GenKeyCli, BadSeedAndMissingFileAreUsageErrors) {
    TempDir dir;
    RunResult r = genkey(dir, ed_block + "Name-Real: a\n", "--seed 0011zz");
    EXPECT_EQ(r.exit_code, 2);
    EXPECT_NE(r.err.find("pgpkit: error: --seed wants hex digits"), std::string::npos) << r.err;
    RunResult s = genkey(dir, ed_block + "Name-Real: a\n", "--seed 0011");
    EXPECT_EQ(s.exit_code, 2);
    // One line, without the "at offset 0" that means nothing for an option value.
    EXPECT_EQ(s.err, "pgpkit: error: a seed needs at least 16 octets (32 hex digits), got 2\n");
    RunResult m = run(shell_quote(pgpkit_bin()) + " gen-key --batch " + shell_quote(dir.file("missing.param")));
    EXPECT_EQ(m.exit_code, 2);
    EXPECT_NE(m.err.find("cannot open parameter file"), std::string::npos) << m.err;
}

TEST(GenKeyCli, KeyringThatIsNotARegularFileIsRefused) {
    TempDir dir;
    RunResult r = genkey(dir, "%pubring " + dir.path() + "\n" + ed_block + "Name-Real: a\n%no-protection\n");
    EXPECT_EQ(r.exit_code, 2);
    EXPECT_NE(r.err.find("is not a regular file"), std::string::npos) << r.err;
}

}  // namespace
}  // namespace pgpkit::test
