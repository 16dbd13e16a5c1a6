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

TEST(StoreCli, ImportOfNoOpenPgpDataSaysSoAndExitsTwo) {
    TempDir dir;
    const std::string in = dir.path() + "/hello.txt", st = dir.path() + "/status";
    write_bytes(in, as_bytes("hello"));
    const auto r = run(pgpkit_bin() + " import --home " + shell_quote(dir.path() + "/home") + " --status-file " +
                       shell_quote(st) + " " + shell_quote(in));
    EXPECT_EQ(r.exit_code, 2);
    EXPECT_NE(r.err.find("pgpkit: no valid OpenPGP data found."), std::string::npos) << r.err;
    const Bytes s = read_bytes(st);
    EXPECT_EQ(std::string(s.begin(), s.end()),
              "[GNUPG:] NODATA 1\n[GNUPG:] IMPORT_RES 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0\n");
}

TEST(StoreCli, ImportOfATruncatedKeyringNamesTheOffsetAndExitsTwo) {
    TempDir dir;
    const Bytes a = read_bytes(test_data_dir() + "/cert/ed25519-sha512.pgp");
    const Bytes b = read_bytes(test_data_dir() + "/cert/rsa2048-sha512.pgp");
    Bytes data = a;
    data.insert(data.end(), b.begin(), b.begin() + static_cast<std::ptrdiff_t>(b.size() / 2));
    const std::string in = dir.path() + "/cut.pgp";
    write_bytes(in, data);
    const auto r = run(pgpkit_bin() + " import --home " + shell_quote(dir.path() + "/home") + " " + shell_quote(in));
    EXPECT_EQ(r.exit_code, 2);
    EXPECT_NE(r.err.find("pgpkit: error: " + in + ": truncated"), std::string::npos) << r.err;
    EXPECT_NE(r.err.find(" at offset "), std::string::npos) << r.err;
    EXPECT_NE(r.err.find("imported: 1"), std::string::npos) << r.err;  // the whole certificate before it
}

}  // namespace
}  // namespace pgpkit::test
