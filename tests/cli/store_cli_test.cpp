// pgpkit export / delete over a store, and the one status writer (--status-file).

#include <gtest/gtest.h>

#include "tests/support/env.h"

namespace pgpkit::test {
namespace {

TEST(StatusWriter, DearmorWritesBadArmorToStatusFile) {
    TempDir dir;
    const std::string bad = dir.path() + "/bad.asc", st = dir.path() + "/status";
    write_bytes(bad, as_bytes("-----BEGIN PGP MESSAGE-----\n\n!!!!\n-----END PGP MESSAGE-----\n"));
    const auto r = run(pgpkit_bin() + " dearmor --status-file " + shell_quote(st) + " " + shell_quote(bad));
    EXPECT_NE(r.exit_code, 0);
    const Bytes s = read_bytes(st);
    EXPECT_EQ(std::string(s.begin(), s.end()), "[GNUPG:] BADARMOR\n");
}

TEST(StoreCli, ExportOfAnEmptyStoreSaysNothingExported) {
    TempDir dir;
    const std::string st = dir.path() + "/status";
    const auto r = run(pgpkit_bin() + " export --home " + shell_quote(dir.path() + "/home") + " --status-file " +
                       shell_quote(st));
    EXPECT_EQ(r.exit_code, 0);
    EXPECT_NE(r.err.find("nothing exported"), std::string::npos) << r.err;
    const Bytes s = read_bytes(st);
    EXPECT_EQ(std::string(s.begin(), s.end()), "[GNUPG:] EXPORT_RES 0 0 0\n");
}

TEST(StoreCli, DeleteOfAMissingKeyReportsProblemOne) {
    TempDir dir;
    const std::string st = dir.path() + "/status";
    const auto r = run(pgpkit_bin() + " delete --yes --home " + shell_quote(dir.path() + "/home") +
                       " --status-file " + shell_quote(st) + " nobody@example.org");
    EXPECT_EQ(r.exit_code, 1);
    const Bytes s = read_bytes(st);
    EXPECT_EQ(std::string(s.begin(), s.end()), "[GNUPG:] DELETE_PROBLEM 1\n");
    EXPECT_NE(run(pgpkit_bin() + " delete --home " + shell_quote(dir.path() + "/home") + " x").exit_code, 0);
}

}  // namespace
}  // namespace pgpkit::test
