// End-to-end tests of `pgpkit gen-key` typed the way gpg users type gpg --batch --gen-key:
// --batch as a flag with the parameter file as a positional argument or on standard input,
// -o for --output, key lengths clamped with a warning, and the documented difference that a
// bad line spoils only its own block.

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "packet/parser.h"
#include "tests/support/env.h"

namespace pgpkit::test {
namespace {

// A fixed Creation-Date and --seed make the output the same bytes on every run, so two
// command lines that must mean the same thing can be compared octet for octet.
const std::string seed = " --seed 000102030405060708090a0b0c0d0e0f ";
const std::string ed_params = "%no-protection\nKey-Type: EdDSA\nKey-Curve: ed25519\nName-Real: batch\n"
                              "Creation-Date: 20260101T000000\n%commit\n";

RunResult pgpkit_in(const TempDir& dir, const std::string& args, const std::string& stdin_data = {}) {
    return run("cd " + shell_quote(dir.path()) + " && " + shell_quote(pgpkit_bin()) + " " + args, stdin_data);
}

std::string text_of(const std::string& path) {
    Bytes b = read_bytes(path);
    return std::string(b.begin(), b.end());
}

std::vector<std::string> user_ids(const Bytes& keys) {
    std::vector<std::string> out;
    for (const auto& p : packet::parse_all(keys))
        if (const auto* u = p.get<packet::UserId>()) out.emplace_back(u->data.begin(), u->data.end());
    return out;
}

/** Bits of the first public field (RSA n, DSA p, Elgamal p) of each key packet, in order. */
std::vector<unsigned> key_bits(const Bytes& keys) {
    std::vector<unsigned> out;
    for (const auto& p : packet::parse_all(keys))
        if (const auto* k = p.get<packet::Key>(); k && !k->fields.empty()) out.push_back(k->fields[0].effective_bits());
    return out;
}

TEST(GenKeyGpgUsage, BatchIsAFlagAndTheFileAPositionalAnywhere) {
    TempDir dir;
    write_bytes(dir.file("p.param"), as_bytes(ed_params));
    const std::vector<std::string> forms = {
        "gen-key --batch p.param --output a.pgp",  // pgpkit's old form keeps working
        "gen-key --batch --output b.pgp p.param",  // failed before: --batch took "--output"
        "gen-key --output c.pgp --batch p.param",
        "gen-key p.param -o d.pgp",                // --batch may be left out
        "gen-key -o e.pgp --batch p.param",
    };
    for (std::size_t i = 0; i < forms.size(); ++i) {
        RunResult r = pgpkit_in(dir, forms[i] + seed);
        ASSERT_EQ(r.exit_code, 0) << forms[i] << "\n" << r.err;
    }
    const Bytes a = read_bytes(dir.file("a.pgp"));
    EXPECT_EQ(user_ids(a), std::vector<std::string>{"batch"});
    for (const char* f : {"b.pgp", "c.pgp", "d.pgp", "e.pgp"}) EXPECT_EQ(read_bytes(dir.file(f)), a) << f;
}

TEST(GenKeyGpgUsage, WithoutAFileTheParametersComeFromStandardInput) {
    TempDir dir;
    write_bytes(dir.file("p.param"), as_bytes(ed_params));
    ASSERT_EQ(pgpkit_in(dir, "gen-key --batch p.param -o file.pgp" + seed).exit_code, 0);
    for (const std::string& form : {std::string("gen-key --batch -o stdin.pgp"), std::string("gen-key --batch - -o dash.pgp"),
                                    std::string("gen-key -o bare.pgp")}) {
        RunResult r = pgpkit_in(dir, form + seed, ed_params);
        ASSERT_EQ(r.exit_code, 0) << form << "\n" << r.err;
    }
    const Bytes want = read_bytes(dir.file("file.pgp"));
    for (const char* f : {"stdin.pgp", "dash.pgp", "bare.pgp"}) EXPECT_EQ(read_bytes(dir.file(f)), want) << f;
    // Errors name standard input as the file.
    RunResult bad = pgpkit_in(dir, "gen-key --batch -o x.pgp", "Key-Type: RSB\nName-Real: a\n");
    EXPECT_EQ(bad.exit_code, 2);
    EXPECT_NE(bad.err.find("pgpkit: stdin:1: unknown Key-Type \"RSB\""), std::string::npos) << bad.err;
}

TEST(GenKeyGpgUsage, WithoutOutputTheKeysGoToStandardOutput) {
    TempDir dir;
    write_bytes(dir.file("p.param"), as_bytes(ed_params));
    RunResult r = pgpkit_in(dir, "gen-key --batch p.param --armor" + seed);
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_EQ(r.out.rfind("-----BEGIN PGP PRIVATE KEY BLOCK-----", 0), 0u) << r.out;
}

TEST(GenKeyGpgUsage, TwoParameterFilesAreAUsageError) {
    TempDir dir;
    write_bytes(dir.file("p.param"), as_bytes(ed_params));
    RunResult r = pgpkit_in(dir, "gen-key --batch p.param p.param -o x.pgp");
    EXPECT_NE(r.exit_code, 0);
    EXPECT_NE(r.err.find("p.param"), std::string::npos) << r.err;  // CLI11 names the extra one
}

TEST(GenKeyGpgUsage, OutOfRangeKeyLengthWarnsAndGenerates) {
    TempDir dir;
    const std::string params = "%no-protection\nKey-Type: RSA\nKey-Length: 1000\nName-Real: small\n%commit\n"
                               "Key-Type: EdDSA\nKey-Curve: ed25519\nName-Real: elg\nSubkey-Type: ELG-E\n"
                               "Subkey-Length: 500\n%commit\n";
    write_bytes(dir.file("p.param"), as_bytes(params));
    RunResult r = pgpkit_in(dir, "gen-key --batch p.param -o k.pgp --status-fd 3 3>status" + seed);
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_NE(r.err.find("pgpkit: p.param:3: keysize invalid; using 3072 bits\n"), std::string::npos) << r.err;
    EXPECT_NE(r.err.find("pgpkit: p.param:10: keysize invalid; using 3072 bits\n"), std::string::npos) << r.err;
    // Both blocks were made: the warnings are not errors.
    const std::string st = text_of(dir.file("status"));
    std::size_t created = 0;
    for (std::size_t at = st.find("KEY_CREATED"); at != std::string::npos; at = st.find("KEY_CREATED", at + 1)) ++created;
    EXPECT_EQ(created, 2u) << st;
    EXPECT_EQ(st.find("KEY_NOT_CREATED"), std::string::npos) << st;
    // RSA-3072 primary; EdDSA (a curve point, not counted here) with an Elgamal-3072 subkey.
    const std::vector<unsigned> bits = key_bits(read_bytes(dir.file("k.pgp")));
    ASSERT_EQ(bits.size(), 3u);
    EXPECT_EQ(bits[0], 3072u);
    EXPECT_EQ(bits[2], 3072u);
}

TEST(GenKeyGpgUsage, ABadLineSpoilsOnlyItsBlockUnlikeGpg) {
    // The documented difference: gpg stops at the bad line; pgpkit makes the other blocks.
    TempDir dir;
    const std::string params = "%no-protection\nKey-Type: EdDSA\nKey-Curve: ed25519\nName-Real: one\n%commit\n"
                               "Key-Type: EdDSA\nKey-Curve: ed25519\nBogus: x\nName-Real: two\n%commit\n"
                               "Key-Type: EdDSA\nKey-Curve: ed25519\nName-Real:\n%commit\n"
                               "Key-Type: EdDSA\nKey-Curve: ed25519\nName-Real: four\n%commit\n";
    write_bytes(dir.file("p.param"), as_bytes(params));
    RunResult r = pgpkit_in(dir, "gen-key --batch p.param -o k.pgp");
    EXPECT_EQ(r.exit_code, 2);
    EXPECT_NE(r.err.find("pgpkit: p.param:8: unknown keyword \"Bogus\""), std::string::npos) << r.err;
    EXPECT_NE(r.err.find("pgpkit: p.param:13: missing argument for Name-Real"), std::string::npos) << r.err;
    EXPECT_EQ(user_ids(read_bytes(dir.file("k.pgp"))), (std::vector<std::string>{"one", "four"}));
}

TEST(GenKeyGpgUsage, HelpShowsTheFormsAndTheDeliberateDifference) {
    TempDir dir;
    RunResult r = pgpkit_in(dir, "gen-key --help");
    ASSERT_EQ(r.exit_code, 0) << r.err;
    for (const char* s : {"-o,--output", "--batch", "pgpkit gen-key --batch keys.param -o secret.pgp",
                          "pgpkit gen-key --batch < keys.param", "gpg stops reading the whole file"})
        EXPECT_NE(r.out.find(s), std::string::npos) << s << "\n" << r.out;
}

}  // namespace
}  // namespace pgpkit::test
