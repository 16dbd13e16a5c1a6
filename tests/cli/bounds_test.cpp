// Resource bounds end to end (issue 5): each hostile input of
// tests/data/bounds/make-bounds.py, and the compression quines of shared/testdata, run
// through the real `pgpkit dump` in text, --json and --hex modes. Bad input gives exit 2
// and exactly one error line with offset and packet, after the dump of what parsed
// before; legitimately valid input gives exit 0. Time and memory are measured by
// bench/bounds.sh, not asserted here.

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <cstdint>
#include <regex>
#include <string>
#include <vector>

#include "tests/support/env.h"

namespace pgpkit::test {
namespace {

std::string pgpkit(const std::string& args) { return shell_quote(pgpkit_bin()) + " " + args; }

/** Writes one case of the generator into `dir` and returns the file's path. */
std::string generate(const TempDir& dir, const std::string& name) {
    const std::string script = test_data_dir() + "/bounds/make-bounds.py";
    RunResult r = run("python3 " + shell_quote(script) + " " + shell_quote(dir.path()) + " " + name);
    EXPECT_EQ(r.exit_code, 0) << r.err;
    return dir.file(name + ".pgp");
}

std::size_t count(const std::string& hay, const std::string& needle) {
    std::size_t n = 0;
    for (std::size_t at = hay.find(needle); at != std::string::npos; at = hay.find(needle, at + needle.size())) ++n;
    return n;
}

struct Case {
    std::string name;  ///< generator case, or a path under shared/testdata
    int exit_code;
    /** The one error line must match this (ECMAScript regex, whole line); empty: no error. */
    std::string error;
    /** The text dump of what came before must contain each of these. */
    std::vector<std::string> before;
};

std::ostream& operator<<(std::ostream& os, const Case& c) { return os << c.name; }

const std::string bomb_tail = R"( \(ratio above 1000, raise with --max-ratio: a compression bomb\?\) at offset \d+)";

const std::vector<Case> cases = {
    // Two ZIP levels, 2.5 KB -> 1 MiB -> 1 GiB: the inner container stops at the 16 MiB
    // ratio floor (its output is measured against the outer container's compressed octets).
    {"zip-bomb", 2, "ZIP expands \\d+ octets of the outermost compressed data to over 167[78]\\d{4}" + bomb_tail +
                        R"( \(packet 1, tag 8\))",
     {"# #0 off=0 ctb=C8 (new) tag=8", "  # #1 off=0 ctb=C8 (new) tag=8", "algo: 1 (ZIP)"}},
    {"zlib-bomb", 2, "ZLIB expands \\d+ octets of the outermost compressed data to over 167[78]\\d{4}" + bomb_tail +
                         R"( \(packet 1, tag 8\))",
     {"# #0 off=0 ctb=C8 (new) tag=8", "  # #1 off=0 ctb=C8 (new) tag=8", "algo: 2 (ZLIB)"}},
    // One BZip2 level, 835 octets -> 1.1 GB.
    {"bzip2-bomb", 2, R"(BZip2 expands \d+ compressed octets to over 167[78]\d{4})" + bomb_tail + R"( \(packet 0, tag 8\))",
     {"# #0 off=0 ctb=C8 (new) tag=8", "algo: 3 (BZip2)"}},
    // Three ZIP levels each under 1:1000 on their own; 8 KB -> 1 TiB.
    {"ratio-chain", 2, R"(ZIP expands \d+ octets of the outermost compressed data to over 167[78]\d{4})" + bomb_tail +
                           R"( \(packet 2, tag 8\))",
     {"# #0 off=0", "  # #1 off=0", "    # #2 off=0"}},
    {"nest-128-zip", 2,
     R"(compressed data nested deeper than 16 levels \(raise with --max-depth\) at offset 0 \(packet 16, tag 8\))",
     {"                              # #15 off=0"}},
    {"nest-128-bzip2", 2,
     R"(compressed data nested deeper than 16 levels \(raise with --max-depth\) at offset 0 \(packet 16, tag 8\))",
     {"                              # #15 off=0", "algo: 3 (BZip2)"}},
    {"shared:sequoia/messages/compression-quine.gpg", 2,
     R"(compressed data nested deeper than 16 levels \(raise with --max-depth\) at offset 0 \(packet 16, tag 8\))",
     {"                              # #15 off=0"}},
    {"shared:rpgp/quine.out", 2,
     R"(compressed data nested deeper than 16 levels \(raise with --max-depth\) at offset 0 \(packet 16, tag 8\))",
     {"                              # #15 off=0"}},
    // rnp's quine inflates to one octet less than itself: the inner copy is truncated.
    {"shared:rnp/test_messages/message.zlib-quine", 2,
     R"(truncated packet body \(1 more octets declared\) at offset 179 \(packet 1, tag 8\))",
     {"# #0 off=0 ctb=C8 (new) tag=8 hlen=2 plen=178", "  # #1 off=0 ctb=C8 (new) tag=8 hlen=2 plen=178"}},
    {"len-4gb-signature", 2,
     R"(declared body length 4294967295 of Signature packet exceeds 1048576 octets \(raise with --max-packet-size\) at offset 0 \(packet 0, tag 2\))",
     {}},
    // A literal is streamed, so the 4 GB length is only found short at the end of the file.
    {"len-4gb-literal", 2,
     R"(truncated packet body \(4294967201 more octets declared\) at offset 100 \(packet 0, tag 11\))", {}},
    // The frame is intact: the signature is kept opaque and the dump goes on.
    {"subpacket-area", 2,
     R"(truncated hashed subpacket area \(needs 65535 octets, 3 left\) at offset 16 \(packet 1, tag 2\))",
     {"user_id: \"before\"", "! malformed-packet: truncated hashed subpacket area", "user_id: \"after\""}},
    {"mpi-65535", 2, R"(truncated MPI \(needs 8192 octets, 12 left\) at offset 10 \(packet 0, tag 6\))",
     {":public key packet:", "user_id: \"after\""}},
    // Legal framing (RFC 9580 only asks the first chunk to be >= 512 octets, a finding);
    // gpg --list-packets accepts it too. It must simply finish.
    {"chunks-1m", 0, "",
     {"plen=1000001 partial [1 1 1", "... (1000001 chunks)", "data: 999995 octets",
      "! short-first-partial-chunk: first partial chunk is 1 octets"}},
};

class Bounds : public ::testing::TestWithParam<Case> {
protected:
    std::string input() {
        const Case& c = GetParam();
        if (c.name.starts_with("shared:")) return shared_testdata() + "/" + c.name.substr(7);
        return generate(m_tmp, c.name);
    }
    TempDir m_tmp;
};

/** Exactly one line, "pgpkit: error: <pattern>". */
void expect_one_error_line(const std::string& err, const std::string& pattern) {
    ASSERT_EQ(count(err, "\n"), 1u) << err;
    ASSERT_EQ(count(err, "pgpkit: error: "), 1u) << err;
    EXPECT_TRUE(std::regex_match(err, std::regex("pgpkit: error: " + pattern + "\n"))) << err << "pattern: " << pattern;
}

TEST_P(Bounds, TextDumpStopsWithOneErrorLineAfterWhatParsed) {
    const Case& c = GetParam();
    const std::string file = input();
    RunResult r = run(pgpkit("dump " + shell_quote(file)));
    EXPECT_EQ(r.exit_code, c.exit_code) << r.err;
    if (c.error.empty()) {
        EXPECT_TRUE(r.err.empty()) << r.err;
    } else {
        expect_one_error_line(r.err, c.error);
    }
    for (const auto& s : c.before) EXPECT_NE(r.out.find(s), std::string::npos) << "missing: " << s << "\n" << r.out;
}

TEST_P(Bounds, JsonAndHexModesGiveTheSameVerdict) {
    const Case& c = GetParam();
    const std::string file = input();
    const RunResult text = run(pgpkit("dump " + shell_quote(file)));
    for (const char* mode : {"--json", "--hex --mpis"}) {
        RunResult r = run(pgpkit(std::string("dump ") + mode + " " + shell_quote(file)));
        EXPECT_EQ(r.exit_code, c.exit_code) << mode << ": " << r.err;
        EXPECT_EQ(r.err, text.err) << mode;
        // Even after an error the array is closed: what parsed is machine-readable. (The
        // 2 MB of chunks-1m take seconds to validate under ASan; MillionChunksInJson
        // checks that one.)
        if (std::string(mode) == "--json" && r.out.size() < (1u << 20)) {
            EXPECT_TRUE(nlohmann::json::accept(r.out)) << r.out.substr(0, 2000);
        }
    }
}

INSTANTIATE_TEST_SUITE_P(Issue5, Bounds, ::testing::ValuesIn(cases), [](const auto& info) {
    std::string n = info.param.name.substr(info.param.name.find_last_of("/:") + 1);
    std::replace_if(n.begin(), n.end(), [](char ch) { return !std::isalnum(static_cast<unsigned char>(ch)); }, '_');
    return n;
});

TEST(BoundsCli, MillionChunksInJsonListFirstAndLastAndCountTheRest) {
    TempDir tmp;
    RunResult r = run(pgpkit("dump --json " + shell_quote(generate(tmp, "chunks-1m"))));
    ASSERT_EQ(r.exit_code, 0) << r.err;
    // A scan, not nlohmann: parsing a million numbers takes ~10 s under ASan.
    ASSERT_TRUE(r.out.starts_with("[\n{\"index\":0,")) << r.out.substr(0, 200);
    ASSERT_TRUE(r.out.ends_with("}]\n")) << r.out.substr(r.out.size() - std::min<std::size_t>(r.out.size(), 200));
    EXPECT_NE(r.out.find("\"length\":1000001,"), std::string::npos);
    const std::size_t open = r.out.find("\"partial_chunks\":[");
    ASSERT_NE(open, std::string::npos);
    const std::size_t close = r.out.find(']', open);
    ASSERT_NE(close, std::string::npos);
    const std::string list = r.out.substr(open + 18, close - open - 18);
    EXPECT_EQ(count(list, ","), 4095u);
    EXPECT_EQ(count(list, "1"), 4096u);
    EXPECT_NE(r.out.find("],\"partial_chunks_omitted\":995905"), std::string::npos);
    EXPECT_EQ(count(r.out, "{\"index\":"), 1u);
}

TEST(BoundsCli, MillionChunksAreRejectedUnderStrict) {
    TempDir tmp;
    RunResult r = run(pgpkit("dump --strict " + shell_quote(generate(tmp, "chunks-1m"))));
    EXPECT_EQ(r.exit_code, 2);
    expect_one_error_line(r.err, R"(short-first-partial-chunk: first partial chunk is 1 octets .*at offset 0 \(packet 0, tag 11\))");
}

TEST(BoundsCli, RaisingTheRatioLetsTheBombRunToTheNextLimit) {
    // The limits are options, not constants: with --max-ratio raised, the BZip2 bomb
    // is stopped by --max-decompressed instead, still early and still one line.
    TempDir tmp;
    RunResult r = run(pgpkit("dump --max-ratio 0 --max-decompressed 33554432 " +
                             shell_quote(generate(tmp, "bzip2-bomb"))));
    EXPECT_EQ(r.exit_code, 2);
    expect_one_error_line(r.err,
                          R"(BZip2 output exceeds 33554432 octets \(raise with --max-decompressed\) at offset \d+ \(packet 0, tag 8\))");
}

}  // namespace
}  // namespace pgpkit::test
