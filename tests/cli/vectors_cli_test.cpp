// `pgpkit vectors` (issue 15): every accept file of the suite parses with `pgpkit dump`,
// with the packets, key IDs and fingerprints its MANIFEST.tsv row states, and its
// FILE.dump.json is that dump; every reject file makes `pgpkit dump` fail with one error
// line, after the packets the row states. The same seed writes the same files.

#include <gtest/gtest.h>

#include <string>

#include "tests/support/env.h"
#include "tests/support/vectors_manifest.h"

namespace pgpkit::test {
namespace {

std::string pgpkit(const std::string& args) { return shell_quote(pgpkit_bin()) + " " + args; }

std::string slurp(const std::string& path) {
    const Bytes b = read_bytes(path);
    return std::string(b.begin(), b.end());
}

/** The suite (or one group) written into `dir`. */
void write_suite(const std::string& dir, const std::string& extra = "") {
    const RunResult r = run(pgpkit("vectors --out " + shell_quote(dir) + " " + extra));
    ASSERT_EQ(r.exit_code, 0) << r.err;
    ASSERT_NE(r.out.find("MANIFEST.tsv"), std::string::npos) << r.out;
}

RunResult dump(const std::string& dir, const ManifestRow& row) {
    const std::string opts = row.at("dump_options") == "-" ? "" : row.at("dump_options") + " ";
    return run(pgpkit("dump --json " + opts + shell_quote(dir + "/" + row.at("file"))));
}

/** The packets column without its defect mark: "6 13 !" gives "6 13", "8( !" gives "8(". */
std::string before_defect(const std::string& packets) {
    std::string s = packets.substr(0, packets.find('!'));
    while (!s.empty() && s.back() == ' ') s.pop_back();
    return s;
}

TEST(VectorsCli, EveryAcceptFileParsesAsItsManifestRowSays) {
    TempDir dir;
    write_suite(dir.path());
    std::size_t accepted = 0;
    for (const ManifestRow& row : read_manifest(dir.path())) {
        if (row.at("expect") != "accept") continue;
        ++accepted;
        const std::string& name = row.at("file");
        const RunResult r = dump(dir.path(), row);
        ASSERT_EQ(r.exit_code, 0) << name << ": " << r.err;
        EXPECT_EQ(row.at("pgpkit"), "ok") << name;
        EXPECT_EQ(dump_packet_sequence(r.out), row.at("packets")) << name;
        EXPECT_EQ(dump_key_field(r.out, "keyid"), row.at("keyids")) << name;
        EXPECT_EQ(dump_key_field(r.out, "fingerprint"), row.at("fingerprints")) << name;
        EXPECT_EQ(slurp(dir.file(name + ".dump.json")), r.out) << name << ".dump.json is not pgpkit dump --json of it";
    }
    EXPECT_GE(accepted, 100u);
}

TEST(VectorsCli, EveryRejectFileFailsWithOneErrorLine) {
    TempDir dir;
    write_suite(dir.path());
    std::size_t rejected = 0;
    for (const ManifestRow& row : read_manifest(dir.path())) {
        if (row.at("expect") != "reject") continue;
        ++rejected;
        const std::string& name = row.at("file");
        const RunResult r = dump(dir.path(), row);
        EXPECT_EQ(r.exit_code, 2) << name << " was not rejected";
        const auto lines = non_empty_lines(r.err);
        ASSERT_EQ(lines.size(), 1u) << name << ": " << r.err;
        ASSERT_EQ(lines[0].rfind("pgpkit: error: ", 0), 0u) << lines[0];
        EXPECT_EQ("error: " + lines[0].substr(15), row.at("pgpkit")) << name;
        // What parsed before the error, as the row says.
        std::string seq = r.out.empty() ? "" : dump_packet_sequence(r.out);
        const std::string want = before_defect(row.at("packets"));
        EXPECT_EQ(seq.substr(0, want.size()), want) << name << ": dump listed " << seq;
        EXPECT_EQ(slurp(dir.file(name + ".dump.json")), r.out) << name;
        // Without the row's options, findings-only defects are accepted: the options matter.
        if (row.at("dump_options") == "--strict") {
            EXPECT_EQ(run(pgpkit("dump --json " + shell_quote(dir.file(name)))).exit_code, 0) << name;
        }
    }
    EXPECT_GE(rejected, 10u);
}

TEST(VectorsCli, SameSeedWritesSameFilesAndOtherSeedOtherKeys) {
    TempDir a, b, c;
    const std::string seed = "--seed 000102030405060708090a0b0c0d0e0f --only legacy";
    write_suite(a.path(), seed);
    write_suite(b.path(), seed);
    write_suite(c.path(), "--seed 0f0e0d0c0b0a09080706050403020100 --only legacy");
    EXPECT_EQ(slurp(a.file("MANIFEST.tsv")), slurp(b.file("MANIFEST.tsv")));
    const auto rows = read_manifest(a.path());
    const auto other = read_manifest(c.path());
    ASSERT_EQ(rows.size(), other.size());
    for (std::size_t i = 0; i < rows.size(); ++i) {
        const std::string& name = rows[i].at("file");
        EXPECT_TRUE(read_bytes(a.file(name)) == read_bytes(b.file(name))) << name;
        EXPECT_NE(rows[i].at("fingerprints"), other[i].at("fingerprints")) << name;
        EXPECT_EQ(rows[i].at("group"), "legacy");
    }
}

TEST(VectorsCli, BadSeedOrGroupIsRefusedNamingTheOption) {
    TempDir dir;
    const std::pair<std::string, std::string> cases[] = {
        {"--seed 0011", "pgpkit: error: "}, {"--seed xyz0", "--seed wants hex digits"}, {"--only nothing", "--only"}};
    for (const auto& [args, says] : cases) {
        const RunResult r = run(pgpkit("vectors --out " + shell_quote(dir.path()) + " " + args));
        EXPECT_EQ(r.exit_code, 2) << args;
        const auto lines = non_empty_lines(r.err);
        ASSERT_FALSE(lines.empty()) << args;
        EXPECT_NE(lines[0].find(says), std::string::npos) << args << ": " << r.err;
    }
    const RunResult help = run(pgpkit("vectors --help"));
    EXPECT_EQ(help.exit_code, 0);
    EXPECT_NE(help.out.find("Example: pgpkit vectors"), std::string::npos);
}

}  // namespace
}  // namespace pgpkit::test
