// The armored files of shared/testdata (through MANIFEST.tsv) decode, and what they decode
// to agrees with the manifest's top-level packet scan.

#include <gtest/gtest.h>

#include <fstream>
#include <map>
#include <regex>
#include <set>
#include <sstream>

#include "armor/armor.h"
#include "armor/cleartext.h"
#include "base/error.h"
#include "tests/support/env.h"

namespace pgpkit::armor {
namespace {

struct Row {
    std::string file;
    std::string expected;
};

std::vector<Row> manifest_rows() {
    std::ifstream in(test::shared_testdata() + "/MANIFEST.tsv");
    EXPECT_TRUE(in) << "MANIFEST.tsv missing";
    std::vector<Row> rows;
    std::string line;
    std::getline(in, line);  // header
    while (std::getline(in, line)) {
        std::vector<std::string> cols;
        std::stringstream ss(line);
        std::string c;
        while (std::getline(ss, c, '\t')) cols.push_back(c);
        if (cols.size() >= 6) rows.push_back({cols[0], cols[5]});
    }
    return rows;
}

bool is_armored_file(const Bytes& b) {
    ByteView head = ByteView(b).first(std::min<std::size_t>(b.size(), 65536));
    return looks_armored(head);
}

/** Top-level scan in the manifest's notation, reduced to "<O|N><tag>" tokens. */
std::vector<std::string> scan(ByteView d) {
    std::vector<std::string> out;
    std::size_t pos = 0;
    auto need = [&](std::size_t n) { return pos + n <= d.size(); };
    while (pos < d.size()) {
        std::uint8_t ctb = d[pos++];
        if (!(ctb & 0x80)) {
            out.push_back("BADCTB");
            return out;
        }
        if (ctb & 0x40) {
            out.push_back("N" + std::to_string(ctb & 0x3F));
            for (;;) {
                if (!need(1)) return out.push_back("TRUNC"), out;
                std::uint8_t o = d[pos++];
                std::uint64_t len;
                bool partial = false;
                if (o < 192) len = o;
                else if (o < 224) {
                    if (!need(1)) return out.push_back("TRUNC"), out;
                    len = ((o - 192u) << 8) + d[pos++] + 192u;
                } else if (o == 255) {
                    if (!need(4)) return out.push_back("TRUNC"), out;
                    len = (std::uint64_t{d[pos]} << 24) | (d[pos + 1] << 16) | (d[pos + 2] << 8) | d[pos + 3];
                    pos += 4;
                } else {
                    len = std::uint64_t{1} << (o & 0x1F);
                    partial = true;
                }
                if (!need(len)) return out.push_back("TRUNC"), out;
                pos += len;
                if (!partial) break;
            }
        } else {
            out.push_back("O" + std::to_string((ctb >> 2) & 0x0F));
            unsigned lt = ctb & 3;
            if (lt == 3) return out;
            std::size_t n = lt == 0 ? 1 : lt == 1 ? 2 : 4;
            if (!need(n)) return out.push_back("TRUNC"), out;
            std::uint64_t len = 0;
            for (std::size_t i = 0; i < n; ++i) len = (len << 8) | d[pos++];
            if (!need(len)) return out.push_back("TRUNC"), out;
            pos += len;
        }
    }
    return out;
}

/** Expected tokens and total count from "calc: top-level O6(141) ... ...(146)". */
bool expected_scan(const std::string& expected, std::vector<std::string>& tokens, std::size_t& total) {
    auto at = expected.find("top-level ");
    if (at == std::string::npos) return false;
    std::string s = expected.substr(at + 10, expected.find(';', at) - at - 10);
    if (s.find("TRUNC") != std::string::npos || s.find("BADCTB") != std::string::npos) return false;
    std::stringstream ss(s);
    std::string item;
    total = 0;
    static const std::regex tok(R"(^([ON])(\d+)(p\d+)?\(.*)");
    static const std::regex more(R"(^\.\.\.\((\d+)\)$)");
    std::smatch m;
    while (ss >> item) {
        if (std::regex_match(item, m, tok)) tokens.push_back(m[1].str() + m[2].str());
        else if (std::regex_match(item, m, more)) total = std::stoul(m[1].str());
    }
    if (total == 0) total = tokens.size();
    return !tokens.empty();
}

// Files that must not decode in strict mode: sequoia's tolerance vectors (quoted, no
// dashes, unicode dashes, no line breaks...), a bad CRC, a mismatched footer, fuzz input.
const std::set<std::string> must_fail = {
    "rpgp/unit-tests/dearmor_fuzz_1",
    "rpgp/unit-tests/polyglot.armor",  // its CRC-24 line does not match (see below)
    "sequoia/armor/test-0.bad-crc.asc",
    "sequoia/armor/test-2.bad-footer.asc",
    "sequoia/armor/literal-47-no-newlines.asc",
    "sequoia/armor/test-3.unbalanced-dashes.asc",
    "sequoia/armor/test-3.with-headers-quoted-a-lot.asc",
    "sequoia/armor/test-3.with-headers-quoted-badly.asc",
    "sequoia/armor/test-3.with-headers-quoted.asc",
};

TEST(SharedTestdata, EveryArmoredFileDecodesAsTheManifestSays) {
    auto rows = manifest_rows();
    ASSERT_GT(rows.size(), 100u);
    int decoded = 0, compared = 0, failed_as_expected = 0;
    for (const auto& row : rows) {
        Bytes in = test::read_bytes(test::shared_testdata() + "/" + row.file);
        SCOPED_TRACE(row.file);
        if (must_fail.count(row.file)) {
            EXPECT_THROW((void)decode_all(in), Error);
            ++failed_as_expected;
            continue;
        }
        if (!is_armored_file(in)) continue;
        std::vector<Block> blocks;
        try {
            blocks = decode_all(in);
        } catch (const Error& e) {
            ADD_FAILURE() << e.what();
            continue;
        }
        ++decoded;
        for (const auto& b : blocks) {
            if (b.label == "ARMORED FILE") continue;  // sequoia's test-N vectors: any bytes
            ASSERT_FALSE(b.data.empty());
            EXPECT_TRUE(b.data[0] & 0x80) << "first byte is not a CTB";
        }
        std::vector<std::string> want;
        std::size_t total = 0;
        if (!expected_scan(row.expected, want, total)) continue;
        // The manifest's scan covers the first block (gnupg/bug894-test.asc has two).
        std::vector<std::string> got = scan(blocks[0].data);
        ASSERT_GE(got.size(), want.size());
        EXPECT_EQ(std::vector<std::string>(got.begin(), got.begin() + static_cast<std::ptrdiff_t>(want.size())), want);
        EXPECT_EQ(got.size(), total);
        ++compared;
    }
    EXPECT_GE(decoded, 60);
    EXPECT_GE(compared, 50);
    EXPECT_EQ(failed_as_expected, static_cast<int>(must_fail.size()));
    std::printf("decoded %d armored files, compared %d scans, %d failed as expected\n", decoded,
                compared, failed_as_expected);
}

TEST(SharedTestdata, SequoiaArmorVectorsDecodeToTheirBinaries) {
    const std::string dir = test::shared_testdata() + "/sequoia/armor/";
    const std::pair<const char*, const char*> pairs[] = {
        {"literal-47.asc", "literal-47.bin"},     {"test-0.asc", "test-0.bin"},
        {"test-1.no-crc.asc", "test-1.bin"},      {"test-3.asc", "test-3.bin"},
        {"test-3.with-headers.asc", "test-3.bin"},
    };
    for (auto [asc, bin] : pairs) {
        auto blocks = decode_all(test::read_bytes(dir + asc));
        ASSERT_EQ(blocks.size(), 1u) << asc;
        EXPECT_EQ(Bytes(blocks[0].data.begin(), blocks[0].data.end()), test::read_bytes(dir + bin)) << asc;
    }
    try {
        (void)decode_all(test::read_bytes(dir + "test-0.bad-crc.asc"));
        FAIL();
    } catch (const Error& e) {
        EXPECT_NE(std::string(e.what()).find("bad CRC-24 checksum on line"), std::string::npos);
    }
}

TEST(SharedTestdata, RpgpPolyglotFailsCrcButDecodesTo15036BytesWhenCrcIsIgnored) {
    Bytes in = test::read_bytes(test::shared_testdata() + "/rpgp/unit-tests/polyglot.armor");
    try {
        (void)decode_all(in);
        FAIL();
    } catch (const Error& e) {
        EXPECT_NE(std::string(e.what()).find("bad CRC-24 checksum on line 6"), std::string::npos) << e.what();
    }
    DearmorOptions lenient;
    lenient.verify_checksum = false;
    auto blocks = decode_all(in, lenient);
    std::size_t n = 0;
    for (const auto& b : blocks) n += b.data.size();
    EXPECT_EQ(n, 15036u);
}

}  // namespace
}  // namespace pgpkit::armor
