// The trustdb commands of the CLI: exit codes, one error line, damaged files left alone.

#include <gtest/gtest.h>

#include <string>

#include "tests/support/env.h"

namespace pgpkit::test {
namespace {

std::string gpg_file() { return test_data_dir() + "/trust/gpg-2.2.40-checked.trustdb"; }

std::string pgpkit(const std::string& args) { return "TZ=UTC " + pgpkit_bin() + " " + args; }

/** gpg's file with record 5's type octet set to 7. */
std::string damaged_copy(const TempDir& dir) {
    Bytes data = read_bytes(gpg_file());
    data[5 * 40] = 7;
    const std::string path = dir.file("damaged.gpg");
    write_bytes(path, data);
    return path;
}

TEST(TrustdbCli, DumpListsEveryRecord) {
    const auto r = run(pgpkit("trustdb dump " + shell_quote(gpg_file())));
    ASSERT_EQ(r.exit_code, 0) << r.err;
    const auto lines = non_empty_lines(r.out);
    ASSERT_EQ(lines.size(), 37u);
    EXPECT_EQ(lines[0].rfind("0: version version=3 marginals_needed=3", 0), 0u) << lines[0];
    EXPECT_EQ(lines[32],
              "32: trust fingerprint=E63027CF3D6822A76FF2093ED1799E72382660E3 ownertrust=5 (full) depth=0 "
              "min_ownertrust=0 flags=0 validlist=36");
    EXPECT_EQ(lines[36],
              "36: valid namehash=67415CA2556193E197C9AF710864EF6714683900 validity=6 (ultimate) next=0 "
              "full_count=0 marginal_count=0");
}

TEST(TrustdbCli, DamagedFileIsOneErrorLineAfterWhatParsed) {
    TempDir dir;
    const std::string bad = damaged_copy(dir);
    const auto r = run(pgpkit("trustdb dump " + shell_quote(bad)));
    EXPECT_EQ(r.exit_code, 2);
    EXPECT_EQ(non_empty_lines(r.out).size(), 5u);
    EXPECT_EQ(r.err, "pgpkit: error: " + bad + ": trustdb record 5: bad record type 7 at offset 200\n");
}

TEST(TrustdbCli, DamagedFileIsNeverModified) {
    TempDir dir;
    const std::string bad = damaged_copy(dir);
    const Bytes before = read_bytes(bad);
    const std::string ot = dir.file("ot.txt");
    write_bytes(ot, as_bytes(std::string("02905ABF17C781FBC3909B00636A1BBD68FD0088:5:\n")));
    const auto imp = run(pgpkit("import-ownertrust --trustdb " + shell_quote(bad) + " " + shell_quote(ot)));
    EXPECT_EQ(imp.exit_code, 2);
    EXPECT_NE(imp.err.find("trustdb record 5: bad record type 7"), std::string::npos) << imp.err;
    EXPECT_EQ(read_bytes(bad), before);
    const auto take = run(pgpkit("import-trustdb --home " + shell_quote(dir.file("h")) + " " + shell_quote(bad)));
    EXPECT_EQ(take.exit_code, 2);
    EXPECT_EQ(run("test -e " + shell_quote(dir.file("h/trustdb.gpg"))).exit_code, 1);
    EXPECT_EQ(read_bytes(bad), before);
}

TEST(TrustdbCli, OwnertrustRoundTripsThroughAHome) {
    TempDir dir;
    const std::string home = dir.file("h");
    const std::string text = "02905ABF17C781FBC3909B00636A1BBD68FD0088:5:\nCCD99FD6A66E720FB8DEEB1B0E970899:132:\n";
    const auto imp = run(pgpkit("import-ownertrust --home " + shell_quote(home) + " -"), text);
    ASSERT_EQ(imp.exit_code, 0) << imp.err;
    const auto exp = run(pgpkit("export-ownertrust --home " + shell_quote(home) + " --faked-system-time 0"));
    ASSERT_EQ(exp.exit_code, 0) << exp.err;
    EXPECT_EQ(exp.out,
              "# List of assigned trustvalues, created Thu Jan  1 00:00:00 1970 UTC\n"
              "# (Use \"gpg --import-ownertrust\" to restore them)\n"
              "02905ABF17C781FBC3909B00636A1BBD68FD0088:5:\nCCD99FD6A66E720FB8DEEB1B0E97089900000000:132:\n");
}

TEST(TrustdbCli, BadOwnertrustLineNamesTheInput) {
    TempDir dir;
    const auto r = run(pgpkit("import-ownertrust --trustdb " + shell_quote(dir.file("t.gpg"))),
                       "# ok\n19347BC9872464025F99DF3EC2E0000ED9884892E1F7B3EA4C94009159569B54:5:\n");
    EXPECT_EQ(r.exit_code, 2);
    EXPECT_EQ(r.err, "pgpkit: error: [stdin]: ownertrust line 2: invalid fingerprint at offset 5\n");
    EXPECT_EQ(run("test -e " + shell_quote(dir.file("t.gpg"))).exit_code, 1);
}

TEST(TrustdbCli, ImportTrustdbTakesTheFileOver) {
    TempDir dir;
    const std::string home = dir.file("h");
    const auto r = run(pgpkit("import-trustdb --home " + shell_quote(home) + " " + shell_quote(gpg_file())));
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_EQ(read_bytes(home + "/trustdb.gpg"), read_bytes(gpg_file()));
    const auto exp = run(pgpkit("export-ownertrust --home " + shell_quote(home)));
    EXPECT_EQ(non_empty_lines(exp.out).size(), 8u);
}

}  // namespace
}  // namespace pgpkit::test
