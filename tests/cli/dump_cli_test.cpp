// End-to-end tests of `pgpkit dump`, `split` and `join` through the built executable.

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <filesystem>
#include <string>
#include <vector>

#include "tests/support/env.h"

namespace pgpkit::test {
namespace {

std::string pgpkit(const std::string& args) { return shell_quote(pgpkit_bin()) + " " + args; }

std::string example(const std::string& name) { return test_data_dir() + "/examples/" + name; }

std::size_t count_lines(const std::string& s) { return static_cast<std::size_t>(std::count(s.begin(), s.end(), '\n')); }

TEST(DumpCli, ArmoredKeyListsPacketsAndArmorHeaders) {
    RunResult r = run(pgpkit("dump " + shell_quote(example("alice.pub.asc"))));
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_NE(r.out.find("# armor: BEGIN PGP PUBLIC KEY BLOCK"), std::string::npos);
    EXPECT_NE(r.out.find(":public key packet:"), std::string::npos);
    EXPECT_NE(r.out.find("user_id: \"Alice Example <alice@example.org>\""), std::string::npos);
    EXPECT_TRUE(r.err.empty()) << r.err;
}

TEST(DumpCli, ArmorHeadersAreShownInTextAndJson) {
    TempDir tmp;
    RunResult bin = run(pgpkit("dearmor " + shell_quote(example("alice.pub.asc"))));
    ASSERT_EQ(bin.exit_code, 0) << bin.err;
    write_bytes(tmp.file("key.pgp"), as_bytes(bin.out));
    RunResult arm = run(pgpkit("armor --label cert --header 'Comment:made for a test' --header 'Version:x 1' " +
                               shell_quote(tmp.file("key.pgp"))));
    ASSERT_EQ(arm.exit_code, 0) << arm.err;
    write_bytes(tmp.file("key.asc"), as_bytes(arm.out));
    RunResult text = run(pgpkit("dump " + shell_quote(tmp.file("key.asc"))));
    ASSERT_EQ(text.exit_code, 0) << text.err;
    EXPECT_NE(text.out.find("# armor header: Comment: made for a test"), std::string::npos) << text.out;
    EXPECT_NE(text.out.find("# armor header: Version: x 1"), std::string::npos) << text.out;
    RunResult json = run(pgpkit("dump --json " + shell_quote(tmp.file("key.asc"))));
    ASSERT_EQ(json.exit_code, 0) << json.err;
    nlohmann::json doc = nlohmann::json::parse(json.out);
    ASSERT_TRUE(doc.at(0).contains("armor"));
    EXPECT_EQ(doc[0]["armor"]["label"], "PUBLIC KEY BLOCK");
    EXPECT_EQ(doc[0]["armor"]["headers"][0]["key"], "Comment");
    EXPECT_EQ(doc[0]["armor"]["headers"][0]["value"], "made for a test");
}

TEST(DumpCli, JsonIsOneArrayWithTheContractKeys) {
    RunResult r = run(pgpkit("dump --json " + shell_quote(example("alice.pub.asc"))));
    ASSERT_EQ(r.exit_code, 0) << r.err;
    nlohmann::json doc = nlohmann::json::parse(r.out);
    ASSERT_TRUE(doc.is_array());
    std::vector<int> tags;
    for (const auto& p : doc) {
        if (p.contains("armor")) continue;
        for (const char* key : {"offset", "header_len", "ctb", "tag", "tag_name", "length"})
            EXPECT_TRUE(p.contains(key)) << key << " missing in " << p.dump();
        tags.push_back(p["tag"].get<int>());
        if (p["tag"] == 6) {
            EXPECT_EQ(p["version"], 4);
            EXPECT_EQ(p["keyid"].get<std::string>().size(), 16u);
            EXPECT_EQ(p["fingerprint"].get<std::string>().size(), 40u);
            EXPECT_TRUE(p["fingerprint"].get<std::string>().ends_with(p["keyid"].get<std::string>()));
        }
    }
    EXPECT_EQ(tags, (std::vector<int>{6, 13, 2, 14, 2}));
}

TEST(DumpCli, GnuDummyStubIsShown) {
    RunResult r = run(pgpkit("dump --json " + shell_quote(example("alice.stub-primary.sec.asc"))));
    ASSERT_EQ(r.exit_code, 0) << r.err;
    nlohmann::json doc = nlohmann::json::parse(r.out);
    bool seen = false;
    for (const auto& p : doc)
        if (p.value("tag", 0) == 5) {
            EXPECT_EQ(p["secret"]["s2k"]["type"], 101);
            EXPECT_EQ(p["secret"]["s2k"]["gnu_mode"], 1001);
            seen = true;
        }
    EXPECT_TRUE(seen);
}

TEST(DumpCli, BadInputPrintsWhatParsedThenOneErrorLineAndExitsTwo) {
    TempDir tmp;
    Bytes good = read_bytes(example("alice.pub.asc"));
    // Binary: dearmor through the tool itself, then cut the last packet short.
    RunResult bin = run(pgpkit("dearmor " + shell_quote(example("alice.pub.asc"))));
    ASSERT_EQ(bin.exit_code, 0) << bin.err;
    std::string cut = bin.out.substr(0, bin.out.size() - 10);
    write_bytes(tmp.file("cut.pgp"), as_bytes(cut));
    RunResult r = run(pgpkit("dump " + shell_quote(tmp.file("cut.pgp"))));
    EXPECT_EQ(r.exit_code, 2);
    EXPECT_EQ(count_lines(r.err), 1u) << r.err;
    EXPECT_NE(r.err.find("pgpkit: error: truncated packet body"), std::string::npos) << r.err;
    EXPECT_NE(r.err.find("(packet 4, tag 2)"), std::string::npos) << r.err;
    EXPECT_NE(r.out.find(":public sub key packet:"), std::string::npos) << "packets before the error are shown";

    RunResult j = run(pgpkit("dump --json " + shell_quote(tmp.file("cut.pgp"))));
    EXPECT_EQ(j.exit_code, 2);
    EXPECT_TRUE(nlohmann::json::accept(j.out)) << "JSON stays valid after an error: " << j.out;
}

TEST(DumpCli, GarbageIsRejectedWithOneLine) {
    TempDir tmp;
    write_bytes(tmp.file("junk"), as_bytes(std::string("\x41\x42\x43 not openpgp\n")));
    RunResult r = run(pgpkit("dump " + shell_quote(tmp.file("junk"))));
    EXPECT_EQ(r.exit_code, 2);
    EXPECT_EQ(count_lines(r.err), 1u) << r.err;
    EXPECT_EQ(r.err.rfind("pgpkit: error: ", 0), 0u) << r.err;
}

TEST(DumpCli, MissingFileIsAnIoError) {
    RunResult r = run(pgpkit("dump /nonexistent/file.pgp"));
    EXPECT_EQ(r.exit_code, 2);
    EXPECT_NE(r.err.find("cannot open /nonexistent/file.pgp"), std::string::npos) << r.err;
}

TEST(DumpCli, ReadsStandardInput) {
    Bytes data = read_bytes(example("alice.pub.asc"));
    RunResult r = run(pgpkit("dump -"), std::string(data.begin(), data.end()));
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_NE(r.out.find(":user ID packet:"), std::string::npos);
}

TEST(DumpCli, StrictTurnsFindingsIntoErrors) {
    TempDir tmp;
    Bytes in{0xCD, 0xFF, 0, 0, 0, 3, 'a', 'b', 'c'};  // non-minimal length
    write_bytes(tmp.file("nonmin.pgp"), in);
    RunResult lax = run(pgpkit("dump " + shell_quote(tmp.file("nonmin.pgp"))));
    EXPECT_EQ(lax.exit_code, 0) << lax.err;
    EXPECT_NE(lax.out.find("! non-minimal-length"), std::string::npos) << lax.out;
    RunResult strict = run(pgpkit("dump --strict " + shell_quote(tmp.file("nonmin.pgp"))));
    EXPECT_EQ(strict.exit_code, 2);
    EXPECT_NE(strict.err.find("non-minimal-length"), std::string::npos) << strict.err;
}

TEST(DumpCli, GnupgChunkedOnlyWithTheFlag) {
    TempDir tmp;
    Bytes in{0xAF, 0x00, 0x03, 'b', 0, 0, 0x00, 0x04, 0, 0, 0, 'x', 0x00, 0x00};
    write_bytes(tmp.file("chunked.pgp"), in);
    RunResult r = run(pgpkit("dump --json --gnupg-chunked " + shell_quote(tmp.file("chunked.pgp"))));
    ASSERT_EQ(r.exit_code, 0) << r.err;
    auto doc = nlohmann::json::parse(r.out);
    ASSERT_EQ(doc.size(), 1u);
    EXPECT_EQ(doc[0]["length_form"], "gnupg-chunked");
    EXPECT_EQ(doc[0]["partial_chunks"], nlohmann::json::array({3, 4, 0}));
    EXPECT_EQ(doc[0]["data_length"], 1);
}

TEST(SplitJoin, SplitNamesSortInPacketOrderAndJoinIsByteExact) {
    TempDir tmp;
    RunResult bin = run(pgpkit("dearmor " + shell_quote(example("alice.pub.asc"))));
    ASSERT_EQ(bin.exit_code, 0) << bin.err;
    write_bytes(tmp.file("key.pgp"), as_bytes(bin.out));
    std::filesystem::create_directory(tmp.file("parts"));
    RunResult s = run(pgpkit("split --prefix " + shell_quote(tmp.file("parts/P")) + " " + shell_quote(tmp.file("key.pgp"))));
    ASSERT_EQ(s.exit_code, 0) << s.err;
    std::vector<std::string> names;
    for (const auto& e : std::filesystem::directory_iterator(tmp.file("parts"))) names.push_back(e.path().filename());
    std::sort(names.begin(), names.end());
    ASSERT_EQ(names.size(), 5u);
    EXPECT_EQ(names[0], "P000001-006.public_key");
    EXPECT_EQ(names[1], "P000002-013.user_id");
    EXPECT_EQ(names[4], "P000005-002.sig");
    std::string args;
    for (const auto& n : names) args += " " + shell_quote(tmp.file("parts/" + n));
    RunResult j = run(pgpkit("join" + args));
    ASSERT_EQ(j.exit_code, 0) << j.err;
    EXPECT_EQ(j.out, bin.out);
}

TEST(SplitJoin, SecretKeyPartsAreCreatedPrivate) {
    TempDir tmp;
    RunResult bin = run(pgpkit("dearmor " + shell_quote(example("alice.stub-primary.sec.asc"))));
    ASSERT_EQ(bin.exit_code, 0) << bin.err;
    write_bytes(tmp.file("sec.pgp"), as_bytes(bin.out));
    RunResult s = run(pgpkit("split --prefix " + shell_quote(tmp.file("S")) + " " + shell_quote(tmp.file("sec.pgp"))));
    ASSERT_EQ(s.exit_code, 0) << s.err;
    auto perms = std::filesystem::status(tmp.file("S000001-005.secret_key")).permissions();
    EXPECT_EQ(perms & std::filesystem::perms::all, std::filesystem::perms::owner_read | std::filesystem::perms::owner_write);
}

}  // namespace
}  // namespace pgpkit::test
