// Checks the packet layer against every file of the public test data in
// shared/testdata, as its MANIFEST.tsv describes it (HOUSE-STYLE rules 25 and 26a).
//
// One parametrised test per MANIFEST row, named after the file. The `expected` column is
// read generically:
//
//   calc: top-level <scan>     the top-level packet scan (descend=false), token by token:
//                              O<tag>(len[,2B|,4B]) legacy CTB (plain = one-octet length),
//                              O<tag>(indef,len)    legacy length type 3,
//                              N<tag>[pK](len)      OpenPGP CTB, K partial chunks,
//                              ...(N)               list shortened, N packets in total,
//                              TRUNC                input ends inside a packet,
//                              BADCTB@off           invalid CTB at that offset.
//                              `len` is the body length (for chunked bodies the sum of the
//                              chunk sizes; for indef the octets up to the end of input).
//   calc: dearmor/scan failed  dearmoring must throw pgpkit::Error.
//   calc fpr: v4=.., v6=.. +N  fingerprints of the top-level key packets (tags 5, 6, 7, 14)
//                              in document order start with these; N more follow.
//   src: fpr X / keyid X       some key packet has that fingerprint / key ID.
//   src: packets [6,2,14,2]    the exact top-level tag sequence.
//   src: ... dump must succeed the full (descending) parse succeeds, unless the input is
//                              truncated (TRUNC) or a resource limit is reached.
//   src: must parse as Unknown packet, not error   the full parse succeeds.
//   src: MUST FAIL in strict mode / partial lengths only for data packets
//                              a strict parse rejects it (Errc::Strict): the packet layer
//                              owns that rule.
//
// What the MANIFEST's scan does at a truncation, found by re-scanning the files by hand:
// a packet whose header was read but whose definite body (or final chunk, or length
// field) is cut short is listed with its declared length and then TRUNC
// (`O11(32741,2B) TRUNC` in an 8208-octet file, `N8p6(43141) TRUNC` in a 43130-octet
// file, `N62(0) TRUNC` where two of the four octets of a five-octet length are present);
// a packet cut inside a partial (non-final) chunk is left out (`N5(21) TRUNC`,
// rnp/test_stream_z/128mb.zip.cut: `TRUNC`). So before TRUNC our parser must yield every
// listed packet but possibly the last, and the last only if it is complete. A shortened
// list `...(N)` counts a final TRUNC or BADCTB among its N tokens without showing it
// (rpgp/fuzz/crash-1b14...: `...(190)` is 189 packets and BADCTB@1323;
// sequoia/keys/corrupted.pgp: `...(45)` is 44 packets and BADCTB@19879); the test's own
// header walker (walk_headers) reproduces every listed token and supplies the rest.
//
// For files with several armored blocks, the MANIFEST's scan and fingerprints cover the
// first block only (gnupg/bug894-test.asc: 146 packets in block 1, 31 more in block 2);
// every block is still parsed and written back. A cleartext-signed message contributes its
// signature block (decode_all skips the cleartext as junk).
//
// Higher-level facts (`MUST FAIL load`, `MUST return error`, `verify MUST FAIL`, `import
// fails`, decryption and verification results) are not the packet layer's: they are not
// asserted here, and the rows still get every packet-level check. Rows that are not
// OpenPGP data (READMEs, notes, plaintexts, expected dump outputs) are skipped and counted.

#include <gtest/gtest.h>

#include <algorithm>
#include <cctype>
#include <chrono>
#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <optional>
#include <regex>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "armor/armor.h"
#include "base/bytes.h"
#include "base/error.h"
#include "packet/header.h"
#include "packet/key.h"
#include "packet/packet.h"
#include "packet/parser.h"
#include "packet/source.h"
#include "tests/support/env.h"

namespace pgpkit::test {
namespace {

using packet::CtbFormat;
using packet::LengthForm;
using packet::Packet;
using packet::PacketParser;
using packet::ParseOptions;

// ---------------------------------------------------------------------------------------
// The MANIFEST

struct Row {
    std::string file;
    std::string kind;
    std::string expected;
    std::string name;  ///< test name derived from the file
};

/**
 * The testdata directory for test registration. gtest_discover_tests lists the tests
 * without the ctest environment, so this falls back to the default of the CMake cache
 * variable PGPKIT_SHARED_TESTDATA (<source>/../shared/testdata); at run time every test
 * reads its data through shared_testdata() (PGPKIT_TESTDATA).
 */
std::string registration_testdata() {
    if (const char* v = std::getenv("PGPKIT_TESTDATA"); v && *v) return v;
    std::filesystem::path here(__FILE__);
    return (here.parent_path().parent_path().parent_path().parent_path() / "shared" / "testdata").string();
}

void PrintTo(const Row& r, std::ostream* os) { *os << r.file; }

/** "gnupg/bug1223-good.asc" -> "GnupgBug1223GoodAsc" (gtest names: alphanumerics only). */
std::string test_name(const std::string& file) {
    std::string out;
    bool up = true;
    for (unsigned char c : file) {
        if (std::isalnum(c)) {
            out += static_cast<char>(up ? std::toupper(c) : c);
            up = false;
        } else {
            up = true;
        }
    }
    return out.empty() ? "Empty" : out;
}

std::vector<Row> read_manifest(const std::string& dir) {
    std::vector<Row> rows;
    std::ifstream in(dir + "/MANIFEST.tsv");
    std::string line;
    bool header = true;
    std::set<std::string> names;
    while (std::getline(in, line)) {
        if (header) {
            header = false;
            continue;
        }
        if (line.empty()) continue;
        auto cols = split(line, '\t');
        Row r;
        r.file = cols[0];
        r.kind = cols.size() > 4 ? cols[4] : "";
        r.expected = cols.size() > 5 ? cols[5] : "";
        r.name = test_name(r.file);
        for (int i = 2; names.count(r.name); ++i) r.name = test_name(r.file) + "V" + std::to_string(i);
        names.insert(r.name);
        rows.push_back(std::move(r));
    }
    return rows;
}

const std::vector<Row>& manifest_rows() {
    static const std::vector<Row> rows = [] {
        auto r = read_manifest(registration_testdata());
        if (r.empty()) {
            // Registered so that the run fails loudly instead of checking nothing.
            r.push_back({"MANIFEST.tsv", "missing", "", "ManifestTsvMissing"});
        }
        return r;
    }();
    return rows;
}

/** Rows that are not OpenPGP data; empty string if the row is checked. */
std::string skip_reason(const Row& r) {
    const std::string base = std::filesystem::path(r.file).filename().string();
    auto ends = [&](const char* s) {
        std::string suf(s);
        return base.size() >= suf.size() && base.compare(base.size() - suf.size(), suf.size(), suf) == 0;
    };
    if (base == "README") return "README";
    if (ends(".res")) return "pgpdump expected output (.res)";
    if (ends(".json")) return "expected dump (.json)";
    if (ends(".txt")) {
        if (r.kind.rfind("expected dump", 0) == 0) return "expected dump (.txt)";
        return "text (" + r.kind + ")";
    }
    if (r.kind == "notes" || r.kind == "plaintext" || r.kind == "data") return r.kind;
    return {};
}

// ---------------------------------------------------------------------------------------
// The expected column

struct Token {
    enum class Kind { Packet, Trunc, BadCtb } kind = Kind::Packet;
    CtbFormat format = CtbFormat::New;
    unsigned tag = 0;
    unsigned partial_chunks = 0;  ///< N..pK
    bool indef = false;
    int old_octets = 1;  ///< O..: 1, 2 (",2B") or 4 (",4B")
    std::uint64_t length = 0;
    std::uint64_t offset = 0;  ///< BadCtb
    std::string text;
};

struct Scan {
    std::vector<Token> tokens;
    std::optional<std::size_t> total;  ///< ...(N)
};

struct Fpr {
    unsigned version = 0;
    std::string hex;  ///< empty: "v4 algo 0 ?", not assertable
};

struct Expectations {
    std::optional<Scan> scan;
    bool dearmor_fails = false;
    std::vector<Fpr> fprs;
    std::size_t fpr_more = 0;
    bool has_fpr_list = false;
    std::vector<std::string> src_fprs;
    std::vector<std::string> src_keyids;
    std::optional<std::vector<unsigned>> src_packets;
    bool dump_must_succeed = false;
    bool parse_must_succeed = false;  ///< "must parse as Unknown packet, not error"
    bool strict_must_fail = false;
    bool no_crash_only = false;
    std::optional<std::size_t> dearmored_size;  ///< "dearmors to N bytes"
};

std::string upper_nospace(std::string s) {
    std::string out;
    for (unsigned char c : s)
        if (!std::isspace(c)) out += static_cast<char>(std::toupper(c));
    return out;
}

Scan parse_scan(const std::string& s) {
    Scan scan;
    std::istringstream in(s);
    std::string tok;
    static const std::regex pkt(R"(([ON])(\d+)(?:p(\d+))?\((indef,)?(\d+)(?:,(2B|4B))?\))");
    static const std::regex more(R"(\.\.\.\((\d+)\))");
    static const std::regex bad(R"(BADCTB@(\d+))");
    while (in >> tok) {
        std::smatch m;
        Token t;
        t.text = tok;
        if (std::regex_match(tok, m, pkt)) {
            t.format = m[1] == "O" ? CtbFormat::Old : CtbFormat::New;
            t.tag = static_cast<unsigned>(std::stoul(m[2]));
            if (m[3].matched) t.partial_chunks = static_cast<unsigned>(std::stoul(m[3]));
            t.indef = m[4].matched;
            t.length = std::stoull(m[5]);
            if (m[6].matched) t.old_octets = m[6] == "2B" ? 2 : 4;
        } else if (std::regex_match(tok, m, more)) {
            scan.total = std::stoul(m[1]);
            continue;
        } else if (tok == "TRUNC") {
            t.kind = Token::Kind::Trunc;
        } else if (std::regex_match(tok, m, bad)) {
            t.kind = Token::Kind::BadCtb;
            t.offset = std::stoull(m[1]);
        } else {
            ADD_FAILURE() << "unreadable scan token '" << tok << "' in '" << s << "'";
            continue;
        }
        scan.tokens.push_back(t);
    }
    return scan;
}

/**
 * An independent header walker over `d`, written from RFC 9580 section 4.2 and producing
 * the MANIFEST's notation (including what its scan does at a truncation, see the file
 * comment). Used to see the packets a shortened list `...(N)` leaves out: its N counts a
 * final TRUNC or BADCTB token, which the shortened list does not show
 * (rpgp/fuzz/crash-1b14...: `...(190)` is 189 packets and BADCTB@1323).
 */
std::vector<std::string> walk_headers(ByteView d) {
    std::vector<std::string> toks;
    std::size_t i = 0;
    auto be = [&](std::size_t at, std::size_t n) {
        std::uint64_t v = 0;
        for (std::size_t k = 0; k < n; ++k) v = (v << 8) | (at + k < d.size() ? d[at + k] : 0);
        return v;
    };
    while (i < d.size()) {
        const std::uint8_t c = d[i];
        if (!(c & 0x80)) {
            toks.push_back("BADCTB@" + std::to_string(i));
            break;
        }
        if (c & 0x40) {
            const unsigned tag = c & 0x3f;
            ++i;
            std::uint64_t total = 0;
            unsigned chunks = 0;
            for (;;) {
                if (i >= d.size()) {
                    toks.push_back("TRUNC");
                    return toks;
                }
                const std::uint8_t l = d[i];
                std::uint64_t n;
                bool fin = true;
                if (l < 192) {
                    n = l;
                    i += 1;
                } else if (l < 224) {
                    if (i + 1 >= d.size()) {
                        toks.push_back("TRUNC");
                        return toks;
                    }
                    n = ((std::uint64_t(l) - 192) << 8) + d[i + 1] + 192;
                    i += 2;
                } else if (l == 255) {
                    n = be(i + 1, 4);
                    i += 5;
                } else {
                    n = std::uint64_t{1} << (l & 0x1f);
                    i += 1;
                    fin = false;
                }
                ++chunks;
                total += n;
                if (i + n > d.size()) {
                    if (fin)  // the MANIFEST leaves out a packet cut inside a partial chunk
                        toks.push_back("N" + std::to_string(tag) + (chunks > 1 ? "p" + std::to_string(chunks) : "") +
                                       "(" + std::to_string(total) + ")");
                    toks.push_back("TRUNC");
                    return toks;
                }
                i += n;
                if (fin) break;
            }
            toks.push_back("N" + std::to_string(tag) + (chunks > 1 ? "p" + std::to_string(chunks) : "") + "(" +
                           std::to_string(total) + ")");
        } else {
            const unsigned tag = (c >> 2) & 0xf, lt = c & 3;
            ++i;
            if (lt == 3) {
                toks.push_back("O" + std::to_string(tag) + "(indef," + std::to_string(d.size() - i) + ")");
                break;
            }
            const std::size_t sz = lt == 0 ? 1 : lt == 1 ? 2 : 4;
            const std::uint64_t n = be(i, sz);
            i += sz;
            toks.push_back("O" + std::to_string(tag) + "(" + std::to_string(n) + (lt == 1 ? ",2B" : lt == 2 ? ",4B" : "") +
                           ")");
            if (i + n > d.size()) {
                toks.push_back("TRUNC");
                return toks;
            }
            i += n;
        }
    }
    return toks;
}

Expectations parse_expected(const std::string& expected) {
    Expectations e;
    std::string facts;  // everything but the calc: parts
    for (std::string seg : split(expected, ';')) {
        while (!seg.empty() && seg.front() == ' ') seg.erase(seg.begin());
        if (seg.rfind("calc: top-level ", 0) == 0) {
            e.scan = parse_scan(seg.substr(16));
        } else if (seg.rfind("calc: dearmor/scan failed", 0) == 0) {
            e.dearmor_fails = true;
        } else if (seg.rfind("calc fpr: ", 0) == 0) {
            e.has_fpr_list = true;
            static const std::regex item(R"(v(\d)=([0-9A-Fa-f]+)|v(\d) algo \d+ \?|\+(\d+))");
            std::string rest = seg.substr(10);
            for (std::sregex_iterator it(rest.begin(), rest.end(), item), end; it != end; ++it) {
                const std::smatch& m = *it;
                if (m[1].matched) e.fprs.push_back({static_cast<unsigned>(std::stoul(m[1])), upper_nospace(m[2])});
                else if (m[3].matched) e.fprs.push_back({static_cast<unsigned>(std::stoul(m[3])), ""});
                else e.fpr_more = std::stoul(m[4]);
            }
        } else if (seg.rfind("calc", 0) == 0) {
            ADD_FAILURE() << "unknown calc fact '" << seg << "'";
        } else {
            facts += seg + "; ";
        }
    }
    static const std::regex fpr(R"(\bfpr ([0-9A-Fa-f]{32,64})\b)");
    static const std::regex keyid(R"(\bkeyid ([0-9A-Fa-f]{16})\b)");
    static const std::regex packets(R"(\bpackets \[([0-9, ]+)\])");
    for (std::sregex_iterator it(facts.begin(), facts.end(), fpr), end; it != end; ++it)
        e.src_fprs.push_back(upper_nospace((*it)[1]));
    for (std::sregex_iterator it(facts.begin(), facts.end(), keyid), end; it != end; ++it)
        e.src_keyids.push_back(upper_nospace((*it)[1]));
    std::smatch m;
    static const std::regex dearmors_to(R"(dearmors to (\d+) bytes)");
    if (std::regex_search(facts, m, dearmors_to)) e.dearmored_size = std::stoul(m[1]);
    if (std::regex_search(facts, m, packets)) {
        std::vector<unsigned> tags;
        for (const auto& t : split(m[1], ',')) tags.push_back(static_cast<unsigned>(std::stoul(t)));
        e.src_packets = tags;
    }
    static const std::regex must_succeed(
        R"(dump (must succeed|ok|=|must equal|returns success|must not fail hard)|list-packets (must succeed|exit 0|outputs)|JSON dump contains)");
    e.dump_must_succeed = std::regex_search(facts, must_succeed);
    e.parse_must_succeed = facts.find("must parse as Unknown packet, not error") != std::string::npos;
    e.strict_must_fail = facts.find("MUST FAIL in strict mode") != std::string::npos ||
                         facts.find("partial lengths only for data packets") != std::string::npos;
    static const std::regex no_crash(R"(without crash|must terminate|must not (crash|panic|loop))");
    e.no_crash_only = std::regex_search(facts, no_crash);
    return e;
}

// ---------------------------------------------------------------------------------------
// Helpers over the library

std::string errc_text(const Error& e) {
    std::ostringstream s;
    s << errc_name(e.kind()) << " at offset " << e.offset();
    if (e.packet_index()) s << ", packet " << *e.packet_index();
    if (e.tag()) s << " (tag " << int(*e.tag()) << ")";
    s << ": " << e.what();
    return s.str();
}

std::string describe_header(const packet::Header& h) {
    std::ostringstream s;
    s << (h.format == CtbFormat::Old ? 'O' : 'N') << int(h.tag);
    if (h.form == LengthForm::Partial) s << 'p' << h.chunks.size();
    s << '(';
    if (h.form == LengthForm::Indeterminate) s << "indef,";
    s << h.length;
    if (h.format == CtbFormat::Old && h.form == LengthForm::TwoOctet) s << ",2B";
    if (h.format == CtbFormat::Old && h.form == LengthForm::FourOctet) s << ",4B";
    s << ") [" << packet::length_form_name(h.form) << "]";
    return s.str();
}

/** Does `h` agree with `t`? Empty string if so, else why not. */
std::string token_mismatch(const Token& t, const packet::Header& h) {
    std::ostringstream why;
    if (static_cast<unsigned>(h.tag) != t.tag) why << "tag " << int(h.tag) << " ";
    if (h.format != t.format) why << "CTB format ";
    if (t.format == CtbFormat::Old) {
        LengthForm want = t.indef ? LengthForm::Indeterminate
                          : t.old_octets == 1 ? LengthForm::OneOctet
                          : t.old_octets == 2 ? LengthForm::TwoOctet
                                              : LengthForm::FourOctet;
        if (h.form != want) why << "length form " << packet::length_form_name(h.form) << " ";
    } else if (t.partial_chunks > 0) {
        if (h.form != LengthForm::Partial) why << "length form " << packet::length_form_name(h.form) << " ";
        else if (h.chunks.size() != t.partial_chunks) why << h.chunks.size() << " chunks ";
    } else if (!h.definite()) {
        why << "length form " << packet::length_form_name(h.form) << " ";
    }
    if (h.length != t.length) why << "length " << h.length << " ";
    return why.str();
}

struct TopLevel {
    std::vector<Packet> packets;
    std::optional<Error> error;
};

TopLevel parse_top_level(ByteView data) {
    TopLevel r;
    packet::MemorySource src(data);
    ParseOptions opts;
    opts.descend = false;
    PacketParser parser(src, opts);
    try {
        while (auto p = parser.next()) r.packets.push_back(std::move(*p));
    } catch (const Error& e) {
        r.error = e;
    }
    return r;
}

bool is_key_tag(packet::Tag tag) {
    using packet::Tag;
    return tag == Tag::SecretKey || tag == Tag::PublicKey || tag == Tag::SecretSubkey || tag == Tag::PublicSubkey;
}

std::string hex_window(ByteView b, std::size_t at) {
    std::size_t from = at > 16 ? at - 16 : 0;
    std::size_t to = std::min(b.size(), at + 16);
    return pgpkit::to_hex(b.subspan(from, to - from));
}

/** Index of the top-level packet holding octet `at` of the original input. */
std::size_t packet_at(const std::vector<Packet>& tree, ByteView original, std::size_t at) {
    (void)original;
    std::size_t idx = 0;
    for (std::size_t i = 0; i < tree.size(); ++i)
        if (tree[i].offset <= at) idx = i;
    return idx;
}

/** Empty if write_packets(tree) == data, else where they differ. */
std::string roundtrip_mismatch(const std::vector<Packet>& tree, ByteView data) {
    Bytes out = packet::write_packets(tree);
    if (std::equal(out.begin(), out.end(), data.begin(), data.end())) return {};
    std::size_t n = std::min(out.size(), data.size());
    std::size_t at = 0;
    while (at < n && out[at] == data[at]) ++at;
    std::ostringstream s;
    s << "write_packets differs from the input at offset " << at << " (top-level packet "
      << packet_at(tree, data, at) << "); input " << data.size() << " octets, written " << out.size()
      << "\n  input   [" << (at > 16 ? at - 16 : 0) << "..]: " << hex_window(data, at)
      << "\n  written [" << (at > 16 ? at - 16 : 0) << "..]: " << hex_window(out, at);
    return s.str();
}

// ---------------------------------------------------------------------------------------
// Statistics for the summary

struct Stats {
    std::size_t rows = 0, checked = 0, skipped = 0;
    std::size_t scan_rows = 0, fpr_rows = 0, roundtrip_full = 0, roundtrip_top = 0, roundtrip_none = 0;
    std::map<std::string, std::size_t> descend;  // outcome -> count
    std::vector<std::string> notes;
};

Stats& stats() {
    static Stats s;
    return s;
}

class SummaryPrinter : public ::testing::Environment {
public:
    void TearDown() override {
        const Stats& s = stats();
        if (s.rows == 0) return;
        std::cout << "[ manifest ] rows run: " << s.rows << ", checked " << s.checked << ", skipped (not OpenPGP) "
                  << s.skipped << "; scans compared " << s.scan_rows << ", fingerprint lists " << s.fpr_rows
                  << "; round trips: full " << s.roundtrip_full << ", top-level only " << s.roundtrip_top
                  << ", none (input does not parse) " << s.roundtrip_none << "\n";
        for (const auto& [k, v] : s.descend) std::cout << "[ manifest ] descend parse " << k << ": " << v << "\n";
    }
};
[[maybe_unused]] const auto* const g_summary = ::testing::AddGlobalTestEnvironment(new SummaryPrinter);

void note(const Row& r, const std::string& what) {
    std::cout << "[ manifest ] " << r.file << ": " << what << "\n";
    ::testing::Test::RecordProperty("manifest", what);
}

// ---------------------------------------------------------------------------------------
// The checks

/** The binary of a file: dearmored (all blocks) if armored, else as is. */
struct Input {
    Bytes all;          ///< every block concatenated, or the raw file
    Bytes first_block;  ///< what the MANIFEST scan covers
    std::vector<Bytes> blocks;
    bool armored = false;
};

void check_scan(const Row& row, const Scan& listed, ByteView data) {
    // Cross-check the reading of the notation with the independent walker, and let it
    // supply the packets a shortened list leaves out.
    const std::vector<std::string> walked = walk_headers(data);
    std::vector<std::string> listed_text;
    for (const Token& t : listed.tokens) listed_text.push_back(t.text);
    const std::size_t shown = std::min(listed_text.size(), walked.size());
    EXPECT_EQ(std::vector<std::string>(walked.begin(), walked.begin() + static_cast<std::ptrdiff_t>(shown)), listed_text)
        << "the test's header walker reads the file differently from the MANIFEST scan";
    Scan scan = listed;
    if (listed.total) {
        EXPECT_EQ(walked.size(), *listed.total) << "tokens in the walker's full scan";
        std::string all;
        for (const auto& t : walked) all += t + " ";
        scan = parse_scan(all);
    }
    const TopLevel top = parse_top_level(data);
    std::vector<Token> pkts;
    std::optional<Token> end;
    for (const Token& t : scan.tokens) {
        if (t.kind == Token::Kind::Packet) {
            ASSERT_FALSE(end) << "packet token after " << end->text;
            pkts.push_back(t);
        } else {
            end = t;
        }
    }
    const std::size_t got = top.packets.size();
    SCOPED_TRACE("our top-level parse: " + std::to_string(got) + " packets" +
                 (top.error ? ", then " + errc_text(*top.error) : std::string(", no error")));

    // Compare the listed packets with ours, one by one.
    const bool truncated = end && end->kind == Token::Kind::Trunc;
    // Before TRUNC, the last listed packet may be the truncated one (see the file comment).
    const std::size_t must_yield = truncated && !pkts.empty() ? pkts.size() - 1 : pkts.size();
    for (std::size_t i = 0; i < pkts.size() && i < got; ++i) {
        std::string why = token_mismatch(pkts[i], top.packets[i].header);
        EXPECT_TRUE(why.empty()) << "top-level packet " << i << " at offset " << top.packets[i].offset
                                 << ": MANIFEST " << pkts[i].text << ", ours "
                                 << describe_header(top.packets[i].header) << " (differs in: " << why << ")";
    }
    if (!end) {
        EXPECT_FALSE(top.error) << "MANIFEST scan reads to the end, we fail: " << errc_text(*top.error);
        EXPECT_EQ(got, pkts.size()) << "number of top-level packets";
        return;
    }
    ASSERT_TRUE(top.error) << "MANIFEST says " << end->text << " after " << pkts.size()
                           << " packets; we parsed " << got << " packets without error";
    if (end->kind == Token::Kind::BadCtb) {
        EXPECT_EQ(got, pkts.size()) << "packets before the bad CTB";
        EXPECT_EQ(top.error->kind(), Errc::BadHeader) << errc_text(*top.error);
        EXPECT_EQ(top.error->offset(), end->offset) << errc_text(*top.error);
        EXPECT_EQ(top.error->packet_index(), std::optional<std::size_t>(got)) << errc_text(*top.error);
        return;
    }
    // TRUNC
    EXPECT_EQ(top.error->kind(), Errc::Truncated) << errc_text(*top.error);
    EXPECT_GE(got, must_yield) << "we stop before the listed packets";
    EXPECT_LE(got, pkts.size()) << "we read more packets than listed before TRUNC";
    EXPECT_EQ(top.error->packet_index(), std::optional<std::size_t>(got)) << errc_text(*top.error);
    if (got + 1 == pkts.size() && top.error->tag()) {
        // The truncated packet is the last listed one: the error names its tag.
        EXPECT_EQ(unsigned(*top.error->tag()), pkts.back().tag) << errc_text(*top.error);
    }
    // The error is past the start of the packet it reports.
    std::uint64_t start = 0;
    for (const Packet& p : top.packets) start = p.offset + p.header.header_len + p.header.length;
    EXPECT_GE(top.error->offset(), start) << errc_text(*top.error);
    EXPECT_LE(top.error->offset(), data.size()) << errc_text(*top.error);
    (void)row;
}

void check_keys(const Row& row, const Expectations& e, ByteView first_block, ByteView all) {
    // Fingerprints are of the top-level key packets of the block the scan covers.
    const TopLevel top = parse_top_level(first_block);
    std::vector<const packet::Key*> keys;
    std::size_t key_packets = 0;
    for (const Packet& p : top.packets) {
        if (!is_key_tag(p.tag())) continue;
        ++key_packets;
        keys.push_back(p.get<packet::Key>());
    }
    if (e.has_fpr_list) {
        ++stats().fpr_rows;
        // Key packets of a truncated input count up to the truncation.
        EXPECT_EQ(key_packets, e.fprs.size() + e.fpr_more) << "number of key packets (listed + more)";
        for (std::size_t i = 0; i < e.fprs.size() && i < keys.size(); ++i) {
            if (e.fprs[i].hex.empty()) continue;  // "v4 algo 0 ?": no fingerprint to assert
            if (row.file == "rnp/test_fuzz_dump/abrt-5093675862917120") {
                // The manifest's calc hashed this v5 *secret* subkey's whole body as if it
                // were a public key. Its key material length (1869966964) runs past the
                // 85-octet body, so the public part cannot be delimited and no fingerprint
                // exists (RFC 9580 5.5.4 hashes the public part only): it must be kept as
                // a malformed packet, not given a made-up identity.
                EXPECT_EQ(keys[i], nullptr) << "a key with undelimitable public material";
                continue;
            }
            ASSERT_NE(keys[i], nullptr) << "key packet " << i << " is not parsed as a key";
            EXPECT_EQ(keys[i]->version, e.fprs[i].version) << "key packet " << i;
            EXPECT_EQ(pgpkit::to_hex(keys[i]->fingerprint), e.fprs[i].hex) << "key packet " << i;
        }
    }
    if (e.src_fprs.empty() && e.src_keyids.empty()) return;
    // src facts: some key packet anywhere in the file (all blocks) has it.
    const TopLevel every = parse_top_level(all);
    std::set<std::string> fprs, keyids;
    for (const Packet& p : every.packets) {
        if (const auto* k = p.get<packet::Key>()) {
            fprs.insert(pgpkit::to_hex(k->fingerprint));
            keyids.insert(pgpkit::to_hex(k->keyid));
        }
    }
    for (const auto& f : e.src_fprs) EXPECT_TRUE(fprs.count(f)) << "src: no key packet with fpr " << f;
    for (const auto& k : e.src_keyids) EXPECT_TRUE(keyids.count(k)) << "src: no key packet with keyid " << k;
    (void)row;
}

enum class Outcome { Ok, Truncated, Limit, OtherError };

struct FullParse {
    Outcome outcome = Outcome::Ok;
    std::optional<Error> error;
    std::size_t packets = 0;
};

FullParse parse_descending(ByteView data, bool strict = false) {
    FullParse r;
    packet::MemorySource src(data);
    ParseOptions opts;  // default limits, descend = true
    opts.strict = strict;
    PacketParser parser(src, opts);
    try {
        while (auto p = parser.next()) ++r.packets;
    } catch (const Error& e) {
        r.error = e;
        r.outcome = e.kind() == Errc::Truncated       ? Outcome::Truncated
                    : e.kind() == Errc::LimitExceeded ? Outcome::Limit
                                                      : Outcome::OtherError;
    }
    return r;
}

const char* outcome_name(Outcome o) {
    switch (o) {
    case Outcome::Ok: return "succeeds";
    case Outcome::Truncated: return "truncated";
    case Outcome::Limit: return "limit exceeded";
    case Outcome::OtherError: return "other error";
    }
    return "?";
}

void check_roundtrip(const Row& row, const Bytes& data, const std::string& what) {
    std::vector<Packet> tree;
    std::string mode;
    try {
        tree = packet::parse_lossless(data);
        mode = "full";
    } catch (const Error& full) {
        ParseOptions top;
        top.descend = false;
        try {
            tree = packet::parse_lossless(data, top);
            mode = "top-level (full parse: " + std::string(errc_name(full.kind())) + ")";
        } catch (const Error& e) {
            ++stats().roundtrip_none;
            note(row, what + "round trip: not parseable (" + errc_name(e.kind()) + ")");
            return;
        }
    }
    (mode == "full" ? stats().roundtrip_full : stats().roundtrip_top)++;
    std::string why = roundtrip_mismatch(tree, data);
    EXPECT_TRUE(why.empty()) << what << "round trip (" << mode << "): " << why;
    if (mode != "full") note(row, what + "round trip " + mode);
}

/** sequoia/armor: X[.variant].asc must dearmor to X.bin (see sequoia/armor/README). */
void check_sequoia_armor(const Row& row, ByteView text) {
    const std::string base = std::filesystem::path(row.file).filename().string();
    if (base.size() < 4 || base.compare(base.size() - 4, 4, ".asc") != 0) return;
    std::string stem = base.substr(0, base.size() - 4);
    std::string variant;
    std::string ref;
    if (auto dot = stem.find('.'); dot != std::string::npos) {
        variant = stem.substr(dot + 1);
        ref = stem.substr(0, dot);
    } else if (stem.rfind("literal-", 0) == 0 && stem.find('-', 8) != std::string::npos) {
        ref = stem.substr(0, stem.find('-', 8));
        variant = stem.substr(ref.size() + 1);
    } else {
        ref = stem;
    }
    const std::string bin_path =
        (std::filesystem::path(shared_testdata()) / std::filesystem::path(row.file).parent_path() / (ref + ".bin"))
            .string();
    ASSERT_TRUE(std::filesystem::exists(bin_path)) << "reference " << bin_path << " is missing";
    const Bytes want = read_bytes(bin_path);
    // RFC 9580 armor: plain, with armor headers, without the optional checksum. pgpkit must
    // decode these. The other variants test the tolerance of sequoia's VeryTolerant reader
    // (bad CRC, mismatched footer, missing or odd dashes, quoting, no header line, no line
    // breaks); armor.h documents errors for these, so pgpkit may reject them with an Error,
    // but must never produce other bytes.
    const bool rfc = variant.empty() || variant == "with-headers" || variant == "no-crc";
    Bytes got;
    try {
        for (const auto& b : armor::decode_all(text)) got.insert(got.end(), b.data.begin(), b.data.end());
    } catch (const Error& e) {
        EXPECT_FALSE(rfc) << "dearmor of an RFC 9580 armor variant fails: " << errc_text(e);
        if (!rfc) note(row, "sequoia tolerance variant '" + variant + "' rejected: " + errc_name(e.kind()));
        return;
    }
    EXPECT_EQ(pgpkit::to_hex(got), pgpkit::to_hex(want)) << row.file << " must dearmor to " << ref << ".bin";
    if (!rfc) note(row, "sequoia tolerance variant '" + variant + "' accepted");
}

class ManifestFile : public ::testing::TestWithParam<Row> {};

TEST_P(ManifestFile, MatchesExpectations) {
    const Row& row = GetParam();
    ++stats().rows;
    ASSERT_NE(row.kind, "missing") << "MANIFEST.tsv not found or empty under " << registration_testdata();
    const std::string path = shared_testdata() + "/" + row.file;
    ASSERT_TRUE(std::filesystem::is_regular_file(path)) << path << " is missing";

    const Expectations e = parse_expected(row.expected);
    ASSERT_EQ(skip_reason(row), "") << "only OpenPGP rows are registered";
    ++stats().checked;
    const auto started = std::chrono::steady_clock::now();
    const Bytes raw = read_bytes(path);

    if (e.dearmor_fails) {
        EXPECT_THROW((void)armor::decode_all(raw), Error) << "dearmoring must fail";
        // Whatever it is, parsing the raw bytes must not crash.
        (void)parse_descending(raw);
        return;
    }

    Input in;
    if (armor::looks_armored(raw)) {
        in.armored = true;
        std::vector<armor::Block> blocks;
        try {
            blocks = armor::decode_all(raw);
        } catch (const Error& err) {
            // RFC 9580 section 6.1 lets a reader ignore the CRC-24, and rpgp and rnp do;
            // the MANIFEST's scans were made without it (rpgp/unit-tests/polyglot.armor).
            // pgpkit checks it by default, as gpg does: retry without the check.
            try {
                armor::DearmorOptions no_crc;
                no_crc.verify_checksum = false;
                blocks = armor::decode_all(raw, no_crc);
                note(row, "dearmored only without the CRC-24 check: " + errc_text(err));
            } catch (const Error& err2) {
                // sequoia's tolerance variants are judged in check_sequoia_armor.
                if (row.file.rfind("sequoia/armor/", 0) != 0 || e.scan)
                    FAIL() << "dearmor fails: " << errc_text(err) << "; without the CRC check: " << errc_text(err2);
            }
        }
        for (const auto& b : blocks) {
            in.blocks.emplace_back(b.data.begin(), b.data.end());
            in.all.insert(in.all.end(), b.data.begin(), b.data.end());
        }
        if (!in.blocks.empty()) in.first_block = in.blocks.front();
        if (blocks.size() > 1) note(row, std::to_string(blocks.size()) + " armored blocks; MANIFEST scan covers the first");
    } else {
        in.all = raw;
        in.first_block = raw;
        in.blocks.push_back(raw);
    }
    if (row.file.rfind("sequoia/armor/", 0) == 0) check_sequoia_armor(row, raw);
    if (e.dearmored_size) {
        EXPECT_EQ(in.all.size(), *e.dearmored_size) << "src: dearmored size";
    }

    // 4. The top-level scan.
    if (e.scan) {
        ++stats().scan_rows;
        SCOPED_TRACE("MANIFEST scan: " + row.expected.substr(row.expected.find("calc: top-level")));
        check_scan(row, *e.scan, in.first_block);
    }
    // 5, 6. Fingerprints and key IDs.
    check_keys(row, e, in.first_block, in.all);
    if (e.src_packets) {
        const TopLevel top = parse_top_level(in.all);
        std::vector<unsigned> tags;
        for (const Packet& p : top.packets) tags.push_back(static_cast<unsigned>(p.tag()));
        EXPECT_FALSE(top.error) << errc_text(*top.error);
        EXPECT_EQ(tags, *e.src_packets) << "src: top-level packet tags";
    }

    // 8. The full (descending) parse, default limits: it succeeds or throws pgpkit::Error
    // (a crash, hang or other exception fails the test by itself).
    const FullParse full = parse_descending(in.all);
    stats().descend[outcome_name(full.outcome)]++;
    const bool scan_truncated =
        e.scan && !e.scan->tokens.empty() && e.scan->tokens.back().kind == Token::Kind::Trunc;
    if (full.error) {
        note(row, std::string("descend parse: ") + outcome_name(full.outcome) + " — " + errc_text(*full.error));
        if (e.parse_must_succeed) ADD_FAILURE() << "src: must parse, not error; we fail: " << errc_text(*full.error);
        if (e.dump_must_succeed) {
            const bool excused = full.outcome == Outcome::Limit || (full.outcome == Outcome::Truncated && scan_truncated);
            EXPECT_TRUE(excused) << "src: the packet dump must succeed; we fail: " << errc_text(*full.error);
            if (excused) note(row, std::string("src says dump succeeds; excused as ") + outcome_name(full.outcome));
        }
    }
    if (e.strict_must_fail) {
        const FullParse strict = parse_descending(in.all, true);
        ASSERT_TRUE(strict.error) << "src: must fail in strict mode; the strict parse succeeds";
        EXPECT_EQ(strict.error->kind(), Errc::Strict) << errc_text(*strict.error);
    }

    // 7. Round trip, per armored block (the scan's block boundaries are the packets').
    for (std::size_t i = 0; i < in.blocks.size(); ++i)
        check_roundtrip(row, in.blocks[i], in.blocks.size() > 1 ? "block " + std::to_string(i) + ": " : "");

    const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - started);
    if (ms.count() > 2000) note(row, "slow: " + std::to_string(ms.count()) + " ms");
}

/** The rows holding OpenPGP data; the others (READMEs, plaintexts, expected dumps) are
 * accounted for by ManifestSummary, which checks that none of them states packet facts. */
std::vector<Row> openpgp_rows() {
    std::vector<Row> out;
    for (const Row& r : manifest_rows())
        if (skip_reason(r).empty() || r.kind == "missing") out.push_back(r);
    return out;
}

INSTANTIATE_TEST_SUITE_P(Manifest, ManifestFile, ::testing::ValuesIn(openpgp_rows()),
                         [](const ::testing::TestParamInfo<Row>& info) { return info.param.name; });

TEST(ManifestSummary, EveryRowIsCheckedOrSkippedForAReason) {
    const auto rows = read_manifest(shared_testdata());
    ASSERT_FALSE(rows.empty()) << "no rows in " << shared_testdata() << "/MANIFEST.tsv";
    std::size_t checked = 0, skipped = 0, with_scan = 0;
    std::map<std::string, std::size_t> reasons;
    for (const Row& r : rows) {
        std::string why = skip_reason(r);
        const Expectations e = parse_expected(r.expected);
        if (why.empty()) {
            ++checked;
        } else {
            ++skipped;
            reasons[why.substr(0, why.find(' '))]++;
            EXPECT_FALSE(e.scan || e.has_fpr_list || e.dearmor_fails) << r.file << ": not OpenPGP data but states packet facts";
        }
        if (e.scan || e.dearmor_fails) {
            ++with_scan;
            EXPECT_TRUE(why.empty()) << r.file << " has a scan but is skipped";
        }
    }
    // The registered tests are the same rows (listed without the ctest environment).
    EXPECT_EQ(rows.size(), manifest_rows().size()) << "registered rows differ from " << shared_testdata();
    EXPECT_EQ(checked, openpgp_rows().size()) << "every OpenPGP row is registered as a test";
    std::cout << "[ manifest ] " << rows.size() << " rows: " << checked << " checked (" << with_scan
              << " with a packet scan), " << skipped << " skipped as not OpenPGP:";
    for (const auto& [k, v] : reasons) std::cout << " " << k << "=" << v;
    std::cout << "\n";
}

}  // namespace
}  // namespace pgpkit::test
