// Oracle cross-checks (issue 2): data is made with gpg inside the test, then
// `pgpkit dump --json` is compared on the same bytes with `gpg --list-packets`,
// `gpg --show-keys --with-colons`, `sq packet dump` and `pgpdump`.
//
// `rnp --list-packets` is a fourth opinion on nesting, header sizes and offsets.
// A missing peer is a failure naming scripts/bootstrap.sh, never a skip.
// See tests/oracle/README.md for what each peer is trusted for and for the peer
// behaviours the comparisons account for.

#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cstdint>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <random>
#include <regex>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "tests/support/env.h"

namespace pgpkit::test {
namespace {

using nlohmann::json;

// ---------------------------------------------------------------------------
// Running tools

std::string quote(const std::string& s) { return shell_quote(s); }

std::string describe(const RunResult& r) {
    std::ostringstream os;
    os << "exit " << r.exit_code << "\n--- stderr ---\n" << r.err.substr(0, 4000);
    return os.str();
}

/** The peers the comparisons need; any missing one fails every test. */
std::string missing_peers() {
    std::string missing;
    for (const char* tool : {"gpg", "gpgconf", "sq", "pgpdump", "rnp"}) {
        if (run(std::string("command -v ") + tool).exit_code != 0) missing += std::string(" ") + tool;
    }
    if (missing.empty()) return {};
    return "oracle peer(s) not installed:" + missing +
           " -- run scripts/bootstrap.sh (installs gnupg, sq, pgpdump, rnp)";
}

// ---------------------------------------------------------------------------
// Our side: pgpkit dump --json

/** One packet of our dump with its nesting depth, in document order. */
struct OurPacket {
    int depth = 0;
    json obj;
};

void flatten_into(const json& arr, int depth, std::vector<OurPacket>& out) {
    for (const json& p : arr) {
        OurPacket op;
        op.depth = depth;
        op.obj = p;
        op.obj.erase("packets");
        out.push_back(std::move(op));
        if (p.contains("packets") && p["packets"].is_array()) flatten_into(p["packets"], depth + 1, out);
    }
}

/** Flattens the JSON tree (children under "packets") into document order. */
std::vector<OurPacket> flatten(const json& dump) {
    std::vector<OurPacket> out;
    flatten_into(dump, 0, out);
    return out;
}

std::vector<int> tags_of(const std::vector<OurPacket>& ps) {
    std::vector<int> t;
    for (const auto& p : ps) t.push_back(p.obj.value("tag", -1));
    return t;
}

std::vector<std::pair<int, int>> depth_tags_of(const std::vector<OurPacket>& ps) {
    std::vector<std::pair<int, int>> t;
    for (const auto& p : ps) t.emplace_back(p.depth, p.obj.value("tag", -1));
    return t;
}

/** Integer field; accepts a JSON number or a decimal/"0x" hex string. */
std::optional<long long> int_field(const json& o, const char* key) {
    if (!o.contains(key) || o[key].is_null()) return std::nullopt;
    const json& v = o[key];
    if (v.is_number_integer()) return v.get<long long>();
    if (v.is_string()) {
        const std::string s = v.get<std::string>();
        try {
            if (s.rfind("0x", 0) == 0 || s.rfind("0X", 0) == 0) return std::stoll(s.substr(2), nullptr, 16);
            return std::stoll(s);
        } catch (...) {
            return std::nullopt;
        }
    }
    return std::nullopt;
}

/** The S2K specifier object of a packet: "s2k" (SKESK) or "secret"."s2k" (secret keys). */
const json* s2k_of(const json& o) {
    if (o.contains("s2k") && o["s2k"].is_object()) return &o["s2k"];
    if (o.contains("secret") && o["secret"].is_object() && o["secret"].contains("s2k") &&
        o["secret"]["s2k"].is_object())
        return &o["secret"]["s2k"];
    return nullptr;
}

std::optional<std::string> str_field(const json& o, const char* key) {
    if (!o.contains(key) || !o[key].is_string()) return std::nullopt;
    return o[key].get<std::string>();
}

std::string to_upper(std::string s) {
    for (char& c : s) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    return s;
}

/** Runs `pgpkit dump --json FILE`; on failure records a test failure and returns nullopt. */
std::optional<std::vector<OurPacket>> our_dump(const std::string& path) {
    RunResult r = run(quote(pgpkit_bin()) + " dump --json " + quote(path));
    if (r.exit_code != 0) {
        ADD_FAILURE() << "pgpkit dump --json " << path << " failed: " << describe(r);
        return std::nullopt;
    }
    json j = json::parse(r.out, nullptr, /*allow_exceptions=*/false);
    if (j.is_discarded() || !j.is_array()) {
        ADD_FAILURE() << "pgpkit dump --json " << path << " did not print one JSON array:\n" << r.out.substr(0, 2000);
        return std::nullopt;
    }
    return flatten(j);
}

// ---------------------------------------------------------------------------
// gpg --list-packets

/** One "# off=... ctb=... tag=..." record of gpg --list-packets and the fields after it. */
struct GpgPacket {
    long long off = 0;
    int ctb = 0;
    int tag = 0;
    int hlen = 0;
    long long plen = 0;
    bool partial = false;
    bool indeterminate = false;
    std::map<std::string, std::string> f;  // fields gpg printed, by our JSON name
};

std::vector<GpgPacket> parse_gpg_list_packets(const std::string& text) {
    static const std::regex header(R"(^# off=(\d+) ctb=([0-9a-f]+) tag=(\d+) hlen=(\d+) plen=(\d+)(.*)$)");
    static const std::regex key_line(R"(^\tversion (\d+), algo (\d+), created (\d+), expires)");
    static const std::regex keyid_line(R"(^\tkeyid: ([0-9A-F]{16}))");
    static const std::regex sig_head(R"(^:signature packet: algo (\d+), keyid ([0-9A-F]{16}))");
    static const std::regex sig_line(R"(^\tversion (\d+), created (\d+), md5len \d+, sigclass 0x([0-9a-f]{2}))");
    static const std::regex digest_line(R"(^\tdigest algo (\d+),)");
    static const std::regex pkesk_head(R"(^:pubkey enc packet: version (\d+), algo (\d+), keyid ([0-9A-F]{16}))");
    static const std::regex ops_head(R"(^:onepass_sig packet: keyid ([0-9A-F]{16}))");
    static const std::regex ops_line(R"(^\tversion (\d+), sigclass 0x([0-9a-f]{2}), digest (\d+), pubkey (\d+), last=(\d))");
    static const std::regex comp_head(R"(^:compressed packet: algo=(\d+))");
    static const std::regex uid_head(R"re(^:user ID packet: "(.*)"$)re");
    static const std::regex s2k_line(R"(^\t(gnu-dummy|gnu-divert-to-card|iter\+salt|salted|simple) S2K)");
    static const std::regex subpkt_line(R"(^\t(critical )?(hashed )?subpkt (\d+) len \d+)");
    static const std::regex skesk_head(R"(^:symkey enc packet: version (\d+), cipher (\d+), aead \d+,\s*s2k (\d+), hash (\d+))");

    std::vector<GpgPacket> out;
    std::istringstream in(text);
    std::string line;
    std::smatch m;
    while (std::getline(in, line)) {
        if (std::regex_match(line, m, header)) {
            GpgPacket p;
            p.off = std::stoll(m[1]);
            p.ctb = std::stoi(m[2], nullptr, 16);
            p.tag = std::stoi(m[3]);
            p.hlen = std::stoi(m[4]);
            p.plen = std::stoll(m[5]);
            const std::string flags = m[6];
            p.partial = flags.find("partial") != std::string::npos;
            p.indeterminate = flags.find("indeterminate") != std::string::npos;
            out.push_back(std::move(p));
            continue;
        }
        if (out.empty()) continue;
        auto& f = out.back().f;
        if (std::regex_search(line, m, key_line)) {
            f["version"] = m[1];
            f["algo"] = m[2];
            f["created"] = m[3];
        } else if (std::regex_search(line, m, keyid_line)) {
            f["keyid"] = m[1];
        } else if (std::regex_search(line, m, sig_head)) {
            f["pk_algo"] = m[1];
            f["issuer_keyid"] = m[2];
        } else if (std::regex_search(line, m, sig_line)) {
            f["version"] = m[1];
            f["sigclass"] = std::to_string(std::stoi(m[3], nullptr, 16));
        } else if (std::regex_search(line, m, digest_line)) {
            f["hash_algo"] = m[1];
        } else if (std::regex_search(line, m, pkesk_head)) {
            f["version"] = m[1];
            f["algo"] = m[2];
            f["keyid"] = m[3];
        } else if (std::regex_search(line, m, ops_head)) {
            f["keyid"] = m[1];
        } else if (std::regex_search(line, m, ops_line)) {
            f["version"] = m[1];
            f["sigclass"] = std::to_string(std::stoi(m[2], nullptr, 16));
            f["hash_algo"] = m[3];
            f["pk_algo"] = m[4];
        } else if (std::regex_search(line, m, comp_head)) {
            f["algo"] = m[1];
        } else if (std::regex_search(line, m, uid_head)) {
            f["user_id"] = m[1];
        } else if (std::regex_search(line, m, s2k_line)) {
            const std::string kind = m[1];
            f["s2k.type"] = kind == "simple"     ? "0"
                            : kind == "salted"   ? "1"
                            : kind == "iter+salt" ? "3"
                                                  : "101";
            if (kind == "gnu-dummy") f["s2k.gnu_mode"] = "1001";
            if (kind == "gnu-divert-to-card") f["s2k.gnu_mode"] = "1002";
        } else if (std::regex_search(line, m, subpkt_line)) {
            // "33" or "33!" (critical), comma-separated, per area.
            std::string& list = f[m[2].matched ? "hashed_subpackets" : "unhashed_subpackets"];
            if (!list.empty()) list += ",";
            list += m[3].str() + (m[1].matched ? "!" : "");
        } else if (std::regex_search(line, m, skesk_head)) {
            f["version"] = m[1];
            f["s2k.type"] = m[3];
        }
    }
    return out;
}

std::vector<int> tags_of(const std::vector<GpgPacket>& ps) {
    std::vector<int> t;
    for (const auto& p : ps) t.push_back(p.tag);
    return t;
}

// ---------------------------------------------------------------------------
// sq packet dump

struct SqPacket {
    int depth = 0;
    int tag = -1;
    std::string name;
    std::string ctb;     // "old" / "new"
    std::string length;  // the text after "CTB, "
    std::string fingerprint;
    std::string keyid;
};

int sq_tag(const std::string& name) {
    static const std::map<std::string, int> tags = {
        {"Public-Key Encrypted Session Key Packet", 1},
        {"Signature Packet", 2},
        {"Symmetric-Key Encrypted Session Key Packet", 3},
        {"One-Pass Signature Packet", 4},
        {"Secret-Key Packet", 5},
        {"Public-Key Packet", 6},
        {"Secret-Subkey Packet", 7},
        {"Compressed Data Packet", 8},
        {"Symmetrically Encrypted Data Packet", 9},
        {"Marker Packet", 10},
        {"Literal Data Packet", 11},
        {"Trust Packet", 12},
        {"User ID Packet", 13},
        {"Public-Subkey Packet", 14},
        {"User Attribute Packet", 17},
        {"Sym. Encrypted and Integrity Protected Data Packet", 18},
        {"Modification Detection Code Packet", 19},
        {"AEAD Encrypted Data Packet", 20},
    };
    auto it = tags.find(name);
    return it == tags.end() ? -1 : it->second;
}

/**
 * Parses `sq packet dump` (sq 0.27): top-level packets start in column 0
 * ("Public-Key Packet, old CTB, 269 bytes"); nested ones follow groups of "│   " or
 * "    " and a branch "├── " / "└── ". Field lines are indented; an embedded
 * signature's "Signature Packet" line has no ", old/new CTB" and is not a packet.
 */
std::vector<SqPacket> parse_sq_dump(const std::string& text) {
    static const std::string bar = "\xe2\x94\x82   ";                            // "│   "
    static const std::string spaces = "    ";
    static const std::string tee = "\xe2\x94\x9c\xe2\x94\x80\xe2\x94\x80 ";      // "├── "
    static const std::string elbow = "\xe2\x94\x94\xe2\x94\x80\xe2\x94\x80 ";    // "└── "
    static const std::regex head(R"(^([A-Za-z][A-Za-z .\-]* Packet), (old|new) CTB, (.*)$)");
    static const std::regex fpr(R"(^\s*Fingerprint: ([0-9A-F]+)\s*$)");
    static const std::regex kid(R"(^\s*KeyID: ([0-9A-F]{16})\s*$)");

    std::vector<SqPacket> out;
    std::istringstream in(text);
    std::string line;
    std::smatch m;
    while (std::getline(in, line)) {
        std::string rest = line;
        int groups = 0;
        for (;;) {
            if (rest.rfind(bar, 0) == 0) rest = rest.substr(bar.size());
            else if (rest.rfind(spaces, 0) == 0) rest = rest.substr(spaces.size());
            else break;
            ++groups;
        }
        int depth = -1;
        if (rest.rfind(tee, 0) == 0 || rest.rfind(elbow, 0) == 0) {
            rest = rest.substr(tee.size());
            depth = groups + 1;
        } else if (groups == 0 && !rest.empty() && rest[0] != ' ') {
            depth = 0;
        }
        if (depth >= 0 && std::regex_match(rest, m, head)) {
            SqPacket p;
            p.depth = depth;
            p.name = m[1];
            p.tag = sq_tag(p.name);
            p.ctb = m[2];
            p.length = m[3];
            out.push_back(std::move(p));
            continue;
        }
        if (out.empty()) continue;
        if (std::regex_match(rest, m, fpr) && out.back().fingerprint.empty()) out.back().fingerprint = m[1];
        else if (std::regex_match(rest, m, kid) && out.back().keyid.empty()) out.back().keyid = m[1];
    }
    return out;
}

std::vector<std::pair<int, int>> depth_tags_of(const std::vector<SqPacket>& ps) {
    std::vector<std::pair<int, int>> t;
    for (const auto& p : ps) t.emplace_back(p.depth, p.tag);
    return t;
}

// ---------------------------------------------------------------------------
// pgpdump

struct PgpdumpPacket {
    int tag = 0;
    bool new_ctb = false;
    std::vector<long long> chunks;  // partial-length chunk sizes, empty otherwise
};

/** Parses `pgpdump` (0.34): "Old: Name(tag N)(L bytes)" and "New: \t(L bytes) partial continue". */
std::vector<PgpdumpPacket> parse_pgpdump(const std::string& text) {
    static const std::regex head(R"(^(Old|New): [^\t].*\(tag (\d+)\)(.*)$)");
    static const std::regex chunk(R"(\((\d+) bytes\) partial (start|continue|end))");
    std::vector<PgpdumpPacket> out;
    std::istringstream in(text);
    std::string line;
    std::smatch m;
    while (std::getline(in, line)) {
        if (std::regex_match(line, m, head)) {
            PgpdumpPacket p;
            p.tag = std::stoi(m[2]);
            p.new_ctb = m[1] == "New";
            const std::string tail = m[3];
            if (std::regex_search(tail, m, chunk)) p.chunks.push_back(std::stoll(m[1]));
            out.push_back(std::move(p));
        } else if (!out.empty() && (line.rfind("New: \t(", 0) == 0 || line.rfind("Old: \t(", 0) == 0) &&
                   std::regex_search(line, m, chunk)) {
            out.back().chunks.push_back(std::stoll(m[1]));
        }
    }
    return out;
}

// ---------------------------------------------------------------------------
// rnp --list-packets

struct RnpPacket {
    int depth = 0;
    long long off = 0;
    int header_len = 0;
    int tag = 0;
    std::string length;  // "len 269", "partial len", "indeterminate len"
};

/** Parses `rnp --list-packets` (0.16): ":off 0: packet header 0x99010d (tag 6, len 269)", 4 spaces per level. */
std::vector<RnpPacket> parse_rnp(const std::string& text) {
    static const std::regex head(R"(^( *):off (\d+): packet header 0x([0-9a-f]+) \(tag (\d+), (.*)\)\s*$)");
    std::vector<RnpPacket> out;
    std::istringstream in(text);
    std::string line;
    std::smatch m;
    while (std::getline(in, line)) {
        if (!std::regex_match(line, m, head)) continue;
        RnpPacket p;
        p.depth = static_cast<int>(m[1].length() / 4);
        p.off = std::stoll(m[2]);
        p.header_len = static_cast<int>(m[3].length() / 2);
        p.tag = std::stoi(m[4]);
        p.length = m[5];
        out.push_back(std::move(p));
    }
    return out;
}

// ---------------------------------------------------------------------------
// gpg --show-keys --with-colons

struct ColonKey {
    std::string record;  // pub, sub, sec, ssb
    std::string keyid;
    std::string algo;
    std::string created;
    std::string fingerprint;
};

std::vector<ColonKey> parse_colon_keys(const std::string& text) {
    std::vector<ColonKey> out;
    std::istringstream in(text);
    std::string line;
    bool want_fpr = false;
    while (std::getline(in, line)) {
        std::vector<std::string> f;
        std::string field;
        std::istringstream ls(line);
        while (std::getline(ls, field, ':')) f.push_back(field);
        if (f.empty()) continue;
        if (f[0] == "pub" || f[0] == "sub" || f[0] == "sec" || f[0] == "ssb") {
            f.resize(12);
            out.push_back({f[0], f[4], f[3], f[5], {}});
            want_fpr = true;
        } else if (f[0] == "fpr" && want_fpr && f.size() > 9) {
            out.back().fingerprint = f[9];
            want_fpr = false;
        }
    }
    return out;
}

// ---------------------------------------------------------------------------
// A throwaway GnuPG home with lazily generated keys

enum class KeyKind { Rsa, DsaElg, P256, Ed25519 };

const char* kind_name(KeyKind k) {
    switch (k) {
        case KeyKind::Rsa: return "Rsa";
        case KeyKind::DsaElg: return "DsaElg";
        case KeyKind::P256: return "P256";
        case KeyKind::Ed25519: return "Ed25519";
    }
    return "?";
}

std::string kind_email(KeyKind k) { return to_upper(kind_name(k)) + "@oracle.test"; }

std::string kind_params(KeyKind k) {
    const std::string email = kind_email(k);
    std::string head;
    switch (k) {
        case KeyKind::Rsa:
            head = "Key-Type: RSA\nKey-Length: 2048\nSubkey-Type: RSA\nSubkey-Length: 2048\n";
            break;
        case KeyKind::DsaElg:
            head = "Key-Type: DSA\nKey-Length: 2048\nSubkey-Type: ELG-E\nSubkey-Length: 2048\n";
            break;
        case KeyKind::P256:
            head = "Key-Type: ECDSA\nKey-Curve: nistp256\nSubkey-Type: ECDH\nSubkey-Curve: nistp256\n";
            break;
        case KeyKind::Ed25519:
            head = "Key-Type: EDDSA\nKey-Curve: ed25519\nSubkey-Type: ECDH\nSubkey-Curve: cv25519\n";
            break;
    }
    return "%no-protection\n" + head + "Name-Real: " + kind_name(k) + " Oracle\nName-Email: " + email +
           "\nExpire-Date: 0\n%commit\n";
}

/**
 * Two homes: `keys` holds the generated keys (secret ones too); `list` stays empty
 * and is used for every listing, so gpg --list-packets never decrypts and shows
 * the outer layer of an encrypted message, as our dump does. Both agents are
 * killed on destruction.
 */
class GpgHome {
public:
    GpgHome() {
        for (const char* d : {"keys", "list", "data"}) {
            std::string p = m_dir.file(d);
            if (::mkdir(p.c_str(), 0700) != 0) throw std::runtime_error("mkdir " + p);
        }
    }
    ~GpgHome() {
        for (const char* d : {"keys", "list"}) run("gpgconf --homedir " + quote(m_dir.file(d)) + " --kill all");
    }
    GpgHome(const GpgHome&) = delete;
    GpgHome& operator=(const GpgHome&) = delete;

    /** gpg on the key home, batch, loopback pinentry with an empty passphrase. */
    std::string gpg() const {
        return "gpg --homedir " + quote(m_dir.file("keys")) +
               " --batch --no-tty --yes --pinentry-mode loopback --passphrase ''";
    }
    /** gpg on the empty listing home. */
    std::string gpg_list() const { return "gpg --homedir " + quote(m_dir.file("list")) + " --batch --no-tty"; }

    std::string file(const std::string& name) const { return m_dir.file("data/" + name); }

    /** Generates the key of this kind once; returns its user ID email. */
    std::string key(KeyKind k) {
        const std::string email = kind_email(k);
        if (m_have.count(k)) return email;
        const std::string params = file(std::string("params-") + kind_name(k));
        write_bytes(params, as_bytes(kind_params(k)));
        RunResult r = run(gpg() + " --gen-key " + quote(params));
        if (r.exit_code != 0) throw std::runtime_error("gpg --gen-key " + std::string(kind_name(k)) + ": " + r.err);
        m_have.insert(k);
        return email;
    }

    /** Runs a gpg command line on the key home writing to `out`; throws on failure. */
    std::string make(const std::string& name, const std::string& args, const std::string& pipe_from = {}) {
        const std::string out = file(name);
        std::string cmd = gpg() + " -o " + quote(out) + " " + args;
        if (!pipe_from.empty()) cmd = "cat " + quote(pipe_from) + " | " + cmd;
        RunResult r = run(cmd);
        if (r.exit_code != 0) throw std::runtime_error("making " + name + " failed: " + cmd + "\n" + r.err);
        return out;
    }

private:
    TempDir m_dir;
    std::set<KeyKind> m_have;
};

// ---------------------------------------------------------------------------
// The comparisons

std::string dump_text(const std::vector<OurPacket>& ours) {
    std::ostringstream os;
    for (size_t i = 0; i < ours.size(); ++i)
        os << "  [" << i << "] depth " << ours[i].depth << ": " << ours[i].obj.dump().substr(0, 300) << "\n";
    return os.str();
}

bool is_partial(const json& o) {
    return o.contains("partial_chunks") && o["partial_chunks"].is_array() && !o["partial_chunks"].empty();
}

/**
 * gpg 2.2 --list-packets lists nothing after a literal data packet with partial
 * lengths (it prints "raw data: unknown length" and stops), nested or not. What gpg
 * can show is therefore our sequence up to and including that packet.
 */
size_t gpg_visible_count(const std::vector<OurPacket>& ours) {
    for (size_t i = 0; i < ours.size(); ++i)
        if (ours[i].obj.value("tag", -1) == 11 && is_partial(ours[i].obj)) return i + 1;
    return ours.size();
}

void expect_field(const json& ours, const std::string& name, const std::string& gpg_value, size_t index) {
    if (name.rfind("s2k.", 0) == 0) {
        const std::string sub = name.substr(4);
        const json* s2k = s2k_of(ours);
        ASSERT_NE(s2k, nullptr) << "packet " << index << ": gpg shows an S2K specifier, our dump has no \"s2k\" object: "
                                << ours.dump();
        auto v = int_field(*s2k, sub.c_str());
        EXPECT_EQ(v, std::optional<long long>(std::stoll(gpg_value)))
            << "packet " << index << " s2k." << sub << ": gpg says " << gpg_value << ", ours " << s2k->dump();
        return;
    }
    if (name == "keyid" || name == "issuer_keyid") {
        auto v = str_field(ours, name.c_str());
        EXPECT_EQ(v ? to_upper(*v) : std::string("<absent>"), gpg_value)
            << "packet " << index << " \"" << name << "\": " << ours.dump().substr(0, 400);
        return;
    }
    if (name == "hashed_subpackets" || name == "unhashed_subpackets") {
        std::string list;
        if (ours.contains(name) && ours[name].is_array()) {
            for (const json& sp : ours[name]) {
                if (!list.empty()) list += ",";
                list += std::to_string(int_field(sp, "type").value_or(-1));
                if (sp.value("critical", false)) list += "!";
            }
        }
        EXPECT_EQ(list, gpg_value) << "packet " << index << " " << name << " types (\"!\" = critical)";
        return;
    }
    if (name == "user_id") {
        EXPECT_EQ(str_field(ours, "user_id").value_or("<absent>"), gpg_value) << "packet " << index;
        return;
    }
    auto v = int_field(ours, name.c_str());
    EXPECT_EQ(v, std::optional<long long>(std::stoll(gpg_value)))
        << "packet " << index << " (tag " << ours.value("tag", -1) << ") \"" << name << "\": gpg says " << gpg_value
        << ", ours " << (ours.contains(name) ? ours[name].dump() : "<absent>");
}

void compare_with_gpg(GpgHome& home, const std::string& path, const std::vector<OurPacket>& ours) {
    SCOPED_TRACE("gpg --list-packets " + path);
    RunResult r = run(home.gpg_list() + " --list-packets " + quote(path));
    const auto gpg = parse_gpg_list_packets(r.out);
    ASSERT_FALSE(gpg.empty()) << "gpg listed no packets: " << describe(r);
    bool encrypted = false;
    for (const auto& p : gpg) encrypted |= p.tag == 1 || p.tag == 3;
    // In the empty home gpg cannot decrypt, so it fails after listing the outer layer.
    if (!encrypted) {
        EXPECT_EQ(r.exit_code, 0) << describe(r);
    }

    const size_t visible = gpg_visible_count(ours);
    std::vector<int> expected = tags_of(ours);
    expected.resize(visible);
    ASSERT_EQ(tags_of(gpg), expected) << "tag sequence differs (ours, all packets):\n" << dump_text(ours);

    for (size_t i = 0; i < gpg.size(); ++i) {
        const GpgPacket& g = gpg[i];
        const json& o = ours[i].obj;
        SCOPED_TRACE("packet " + std::to_string(i) + " tag " + std::to_string(g.tag) + ": " + o.dump().substr(0, 300));
        const bool new_ctb = (g.ctb & 0x40) != 0;
        EXPECT_EQ(o.value("ctb", std::string("?")), new_ctb ? "new" : "old");
        if (ours[i].depth == 0) {
            EXPECT_EQ(int_field(o, "offset"), std::optional<long long>(g.off));
        }
        EXPECT_EQ(int_field(o, "header_len"), std::optional<long long>(g.hlen));
        if (g.indeterminate) {
            EXPECT_TRUE(o.contains("length") && o["length"].is_null()) << "old-format indeterminate length";
        } else if (g.partial) {
            EXPECT_TRUE(is_partial(o)) << "gpg says partial length, we have no partial_chunks";
        } else {
            EXPECT_EQ(int_field(o, "length"), std::optional<long long>(g.plen));
            EXPECT_FALSE(is_partial(o));
        }
        for (const auto& [name, value] : g.f) expect_field(o, name, value, i);
    }
}

void compare_with_sq(const std::string& path, const std::vector<OurPacket>& ours) {
    SCOPED_TRACE("sq packet dump " + path);
    RunResult r = run("sq packet dump " + quote(path));
    ASSERT_EQ(r.exit_code, 0) << describe(r);
    const auto sq = parse_sq_dump(r.out);
    ASSERT_FALSE(sq.empty()) << "could not parse sq output:\n" << r.out.substr(0, 2000);
    for (const auto& p : sq) ASSERT_NE(p.tag, -1) << "sq packet name not mapped to a tag: " << p.name;
    ASSERT_EQ(depth_tags_of(sq), depth_tags_of(ours)) << "(depth, tag) sequence differs; ours:\n" << dump_text(ours);
    for (size_t i = 0; i < sq.size(); ++i) {
        const json& o = ours[i].obj;
        SCOPED_TRACE("packet " + std::to_string(i) + ": " + o.dump().substr(0, 300));
        EXPECT_EQ(o.value("ctb", std::string("?")), sq[i].ctb);
        if (sq[i].length.rfind("partial length", 0) == 0) {
            EXPECT_TRUE(is_partial(o)) << "sq: " << sq[i].length;
        } else if (sq[i].length == "indeterminate length") {
            EXPECT_TRUE(o.contains("length") && o["length"].is_null()) << "sq: " << sq[i].length;
        } else {
            EXPECT_EQ(std::to_string(int_field(o, "length").value_or(-1)) + " bytes", sq[i].length);
        }
        if (!sq[i].fingerprint.empty()) {
            EXPECT_EQ(to_upper(str_field(o, "fingerprint").value_or("<absent>")), sq[i].fingerprint);
        }
        if (!sq[i].keyid.empty()) {
            EXPECT_EQ(to_upper(str_field(o, "keyid").value_or("<absent>")), sq[i].keyid);
        }
    }
}

/**
 * pgpdump 0.34 misreads the secret MPI of an unprotected ECC secret key (ECDSA, ECDH,
 * EdDSA) as another curve OID, loses sync and lists nothing after that packet. What
 * pgpdump can show is our sequence up to and including the first such packet; gpg's
 * listing (no S2K line) says which packets are unprotected.
 */
size_t pgpdump_visible_count(const std::vector<GpgPacket>& gpg, size_t ours_count) {
    for (size_t i = 0; i < gpg.size(); ++i) {
        const GpgPacket& g = gpg[i];
        if (g.tag != 5 && g.tag != 7) continue;
        const std::string algo = g.f.count("algo") ? g.f.at("algo") : "";
        if ((algo == "18" || algo == "19" || algo == "22") && !g.f.count("s2k.type")) return i + 1;
    }
    return ours_count;
}

void compare_with_pgpdump(const std::string& path, const std::vector<OurPacket>& ours, size_t visible) {
    SCOPED_TRACE("pgpdump " + path);
    RunResult r = run("pgpdump " + quote(path));
    ASSERT_EQ(r.exit_code, 0) << describe(r);
    const auto pd = parse_pgpdump(r.out);
    std::vector<int> pd_tags;
    for (const auto& p : pd) pd_tags.push_back(p.tag);
    std::vector<int> expected = tags_of(ours);
    expected.resize(std::min(visible, expected.size()));
    ASSERT_EQ(pd_tags, expected) << "tag sequence differs; ours (all packets):\n" << dump_text(ours);
    for (size_t i = 0; i < pd.size(); ++i) {
        const json& o = ours[i].obj;
        EXPECT_EQ(o.value("ctb", std::string("?")), pd[i].new_ctb ? "new" : "old") << "packet " << i;
        if (pd[i].chunks.empty()) {
            EXPECT_FALSE(is_partial(o)) << "packet " << i;
        } else {
            ASSERT_TRUE(is_partial(o)) << "packet " << i << ": pgpdump lists partial chunks, ours: " << o.dump();
            EXPECT_EQ(o["partial_chunks"].get<std::vector<long long>>(), pd[i].chunks) << "packet " << i;
        }
    }
}

void compare_with_rnp(const std::string& path, const std::vector<OurPacket>& ours) {
    SCOPED_TRACE("rnp --list-packets " + path);
    RunResult r = run("rnp --list-packets " + quote(path));
    ASSERT_EQ(r.exit_code, 0) << describe(r);
    const auto rnp = parse_rnp(r.out);
    std::vector<std::pair<int, int>> rnp_tags;
    for (const auto& p : rnp) rnp_tags.emplace_back(p.depth, p.tag);
    ASSERT_EQ(rnp_tags, depth_tags_of(ours)) << "(depth, tag) sequence differs; ours:\n" << dump_text(ours);
    for (size_t i = 0; i < rnp.size(); ++i) {
        const json& o = ours[i].obj;
        SCOPED_TRACE("packet " + std::to_string(i) + ": " + o.dump().substr(0, 300));
        EXPECT_EQ(int_field(o, "header_len"), std::optional<long long>(rnp[i].header_len));
        if (ours[i].depth == 0) {
            EXPECT_EQ(int_field(o, "offset"), std::optional<long long>(rnp[i].off));
        }
        if (rnp[i].length.rfind("len ", 0) == 0) {
            EXPECT_EQ(int_field(o, "length"), std::optional<long long>(std::stoll(rnp[i].length.substr(4))));
        }
    }
}

void compare_keys_with_gpg(GpgHome& home, const std::string& path, const std::vector<OurPacket>& ours) {
    SCOPED_TRACE("gpg --show-keys --with-colons " + path);
    RunResult r = run(home.gpg_list() + " --with-colons --fingerprint --with-subkey-fingerprints --show-keys " +
                      quote(path));
    ASSERT_EQ(r.exit_code, 0) << describe(r);
    const auto gpg = parse_colon_keys(r.out);
    std::vector<const json*> keys;
    for (const auto& p : ours) {
        const int tag = p.obj.value("tag", -1);
        if (tag == 5 || tag == 6 || tag == 7 || tag == 14) keys.push_back(&p.obj);
    }
    ASSERT_EQ(keys.size(), gpg.size()) << "number of key packets; gpg:\n" << r.out;
    for (size_t i = 0; i < gpg.size(); ++i) {
        const json& o = *keys[i];
        const std::string expect_rec = o["tag"] == 5 ? "sec" : o["tag"] == 6 ? "pub" : o["tag"] == 7 ? "ssb" : "sub";
        EXPECT_EQ(gpg[i].record, expect_rec) << "key " << i;
        EXPECT_EQ(to_upper(str_field(o, "keyid").value_or("<absent>")), gpg[i].keyid) << "key " << i;
        EXPECT_EQ(to_upper(str_field(o, "fingerprint").value_or("<absent>")), gpg[i].fingerprint) << "key " << i;
        EXPECT_EQ(int_field(o, "algo"), std::optional<long long>(std::stoll(gpg[i].algo))) << "key " << i;
        EXPECT_EQ(int_field(o, "created"), std::optional<long long>(std::stoll(gpg[i].created))) << "key " << i;
    }
}

/** Every comparison that applies; returns our flattened dump for extra assertions. */
std::vector<OurPacket> expect_matches_peers(GpgHome& home, const std::string& path) {
    auto ours = our_dump(path);
    if (!ours) return {};
    {
        SCOPED_TRACE("gpg");
        compare_with_gpg(home, path, *ours);
    }
    compare_with_sq(path, *ours);
    const auto gpg = parse_gpg_list_packets(run(home.gpg_list() + " --list-packets " + quote(path)).out);
    compare_with_pgpdump(path, *ours, pgpdump_visible_count(gpg, ours->size()));
    compare_with_rnp(path, *ours);
    bool has_keys = false;
    for (const auto& p : *ours) {
        const int tag = p.obj.value("tag", -1);
        has_keys |= tag == 5 || tag == 6;
    }
    if (has_keys) compare_keys_with_gpg(home, path, *ours);
    return *ours;
}

/** Deterministic 100000-byte payload, so streamed messages need many partial chunks. */
std::string payload_file(GpgHome& home) {
    const std::string path = home.file("payload.bin");
    std::mt19937 rng(20240502);
    std::string data(100000, '\0');
    for (char& c : data) c = static_cast<char>(rng() & 0xff);
    write_bytes(path, as_bytes(data));
    return path;
}

std::string small_file(GpgHome& home) {
    const std::string path = home.file("msg.txt");
    write_bytes(path, as_bytes(std::string("oracle message\n")));
    return path;
}

// ---------------------------------------------------------------------------
// Fixtures: one GnuPG home per test suite

class GpgOracle : public ::testing::Test {
protected:
    static void SetUpTestSuite() {
        s_error = missing_peers();
        if (s_error.empty()) s_home = std::make_unique<GpgHome>();
    }
    static void TearDownTestSuite() { s_home.reset(); }
    void SetUp() override { ASSERT_TRUE(s_error.empty()) << s_error; }

    static GpgHome& home() { return *s_home; }

    static inline std::string s_error;
    static inline std::unique_ptr<GpgHome> s_home;
};

class OracleKeys : public GpgOracle {};
class OracleKeyKinds : public GpgOracle, public ::testing::WithParamInterface<KeyKind> {};
class OracleMessages : public GpgOracle {};
class OracleCompression : public GpgOracle, public ::testing::WithParamInterface<std::string> {};

int compress_algo_id(const std::string& name) {
    if (name == "zip") return 1;
    if (name == "zlib") return 2;
    if (name == "bzip2") return 3;
    return 0;
}

// ---------------------------------------------------------------------------
// Keys

TEST_P(OracleKeyKinds, PublicKeyExportMatchesPeers) {
    const std::string email = home().key(GetParam());
    const std::string path = home().make("pub.pgp", "--export " + quote("<" + email + ">"));
    auto ours = expect_matches_peers(home(), path);
    std::vector<int> tags = tags_of(ours);
    EXPECT_EQ(tags, (std::vector<int>{6, 13, 2, 14, 2}));
}

TEST_P(OracleKeyKinds, SecretKeyExportMatchesPeers) {
    const std::string email = home().key(GetParam());
    const std::string path = home().make("sec.pgp", "--export-secret-keys " + quote("<" + email + ">"));
    auto ours = expect_matches_peers(home(), path);
    EXPECT_EQ(tags_of(ours), (std::vector<int>{5, 13, 2, 7, 2}));
    for (const auto& p : ours) {
        if (p.obj.value("tag", -1) != 5 && p.obj.value("tag", -1) != 7) continue;
        const json* s2k = s2k_of(p.obj);
        EXPECT_FALSE(s2k && s2k->contains("gnu_mode")) << "unprotected secret key reported as GNU stub: " << p.obj.dump();
    }
}

TEST_P(OracleKeyKinds, SecretSubkeysExportHasGnuDummyPrimary) {
    const std::string email = home().key(GetParam());
    const std::string path = home().make("ssub.pgp", "--export-secret-subkeys " + quote("<" + email + ">"));
    auto ours = expect_matches_peers(home(), path);
    ASSERT_EQ(tags_of(ours), (std::vector<int>{5, 13, 2, 7, 2}));
    const json& primary = ours[0].obj;
    const json* s2k = s2k_of(primary);
    ASSERT_NE(s2k, nullptr) << primary.dump();
    EXPECT_EQ(int_field(*s2k, "type"), std::optional<long long>(101));
    EXPECT_EQ(int_field(*s2k, "gnu_mode"), std::optional<long long>(1001));
    const json& sub = ours[3].obj;
    const json* sub_s2k = s2k_of(sub);
    EXPECT_FALSE(sub_s2k && sub_s2k->contains("gnu_mode")) << "the subkey keeps its secret: " << sub.dump();
}

INSTANTIATE_TEST_SUITE_P(Algorithms, OracleKeyKinds,
                         ::testing::Values(KeyKind::Rsa, KeyKind::DsaElg, KeyKind::P256, KeyKind::Ed25519),
                         [](const ::testing::TestParamInfo<KeyKind>& info) { return kind_name(info.param); });

TEST_F(OracleKeys, KeyringOfEveryAlgorithmMatchesPeers) {
    std::string ids;
    for (KeyKind k : {KeyKind::Rsa, KeyKind::DsaElg, KeyKind::P256, KeyKind::Ed25519})
        ids += " " + quote("<" + home().key(k) + ">");
    const std::string path = home().make("all.pgp", "--export" + ids);
    auto ours = expect_matches_peers(home(), path);
    EXPECT_EQ(ours.size(), 20u);
}

TEST_F(OracleKeys, PassphraseProtectedSecretKeyUsesIteratedSaltedS2k) {
    const std::string params = home().file("params-protected");
    write_bytes(params, as_bytes(std::string("Key-Type: EDDSA\nKey-Curve: ed25519\nSubkey-Type: ECDH\n"
                                             "Subkey-Curve: cv25519\nName-Real: Protected Oracle\n"
                                             "Name-Email: protected@oracle.test\nPassphrase: oracle\n"
                                             "Expire-Date: 0\n%commit\n")));
    RunResult g = run(home().gpg() + " --gen-key " + quote(params));
    ASSERT_EQ(g.exit_code, 0) << describe(g);
    const std::string path = home().make(
        "protected.pgp", "--passphrase oracle --export-secret-keys " + quote("<protected@oracle.test>"));
    auto ours = expect_matches_peers(home(), path);
    ASSERT_EQ(tags_of(ours), (std::vector<int>{5, 13, 2, 7, 2}));
    for (size_t i : {0u, 3u}) {
        const json& k = ours[i].obj;
        const json* s2k = s2k_of(k);
        ASSERT_NE(s2k, nullptr) << k.dump();
        EXPECT_EQ(int_field(*s2k, "type"), std::optional<long long>(3)) << k.dump();
    }
}

// ---------------------------------------------------------------------------
// Messages, one per compression algorithm

TEST_P(OracleCompression, SignedMessageMatchesPeers) {
    const std::string signer = home().key(KeyKind::Ed25519);
    const std::string path = home().make("signed.pgp", "--compress-algo " + GetParam() + " -u " +
                                                           quote("<" + signer + ">") + " -s " + quote(small_file(home())));
    auto ours = expect_matches_peers(home(), path);
    if (GetParam() == "none") {
        EXPECT_EQ(depth_tags_of(ours), (std::vector<std::pair<int, int>>{{0, 4}, {0, 11}, {0, 2}}));
    } else {
        ASSERT_EQ(depth_tags_of(ours), (std::vector<std::pair<int, int>>{{0, 8}, {1, 4}, {1, 11}, {1, 2}}));
        EXPECT_EQ(int_field(ours[0].obj, "algo"), std::optional<long long>(compress_algo_id(GetParam())));
    }
}

TEST_P(OracleCompression, StoredMessageMatchesPeers) {
    const std::string path =
        home().make("stored.pgp", "--compress-algo " + GetParam() + " --store " + quote(small_file(home())));
    auto ours = expect_matches_peers(home(), path);
    if (GetParam() == "none") {
        EXPECT_EQ(depth_tags_of(ours), (std::vector<std::pair<int, int>>{{0, 11}}));
    } else {
        EXPECT_EQ(depth_tags_of(ours), (std::vector<std::pair<int, int>>{{0, 8}, {1, 11}}));
    }
}

TEST_P(OracleCompression, EncryptedMessageOuterLayerMatchesPeers) {
    const std::string to = home().key(KeyKind::Rsa);
    const std::string path = home().make("encrypted.pgp", "--compress-algo " + GetParam() + " -r " +
                                                              quote("<" + to + ">") + " -e " + quote(small_file(home())));
    auto ours = expect_matches_peers(home(), path);
    EXPECT_EQ(depth_tags_of(ours), (std::vector<std::pair<int, int>>{{0, 1}, {0, 18}}));
}

TEST_P(OracleCompression, StreamedSignedMessageUsesPartialLengths) {
    const std::string signer = home().key(KeyKind::Ed25519);
    const std::string path = home().make("streamed-signed.pgp",
                                         "--compress-algo " + GetParam() + " -u " + quote("<" + signer + ">") + " -s",
                                         payload_file(home()));
    auto ours = expect_matches_peers(home(), path);
    bool literal_partial = false;
    for (const auto& p : ours)
        if (p.obj.value("tag", -1) == 11) literal_partial = is_partial(p.obj);
    EXPECT_TRUE(literal_partial) << "gpg reading a pipe writes the literal with partial lengths:\n" << dump_text(ours);
}

INSTANTIATE_TEST_SUITE_P(Algorithms, OracleCompression, ::testing::Values("none", "zip", "zlib", "bzip2"),
                         [](const ::testing::TestParamInfo<std::string>& info) {
                             std::string n = info.param;
                             n[0] = static_cast<char>(std::toupper(static_cast<unsigned char>(n[0])));
                             return n;
                         });

// ---------------------------------------------------------------------------
// Other messages

TEST_F(OracleMessages, StreamedStoreWritesPartialLiteral) {
    const std::string path =
        home().make("streamed-store.pgp", "--compress-algo none --store", payload_file(home()));
    auto ours = expect_matches_peers(home(), path);
    ASSERT_EQ(tags_of(ours), (std::vector<int>{11}));
    ASSERT_TRUE(is_partial(ours[0].obj));
    long long total = 0;
    for (const auto& c : ours[0].obj["partial_chunks"]) total += c.get<long long>();
    // Literal body: format octet, name length, empty name, 4-byte date, then the data.
    EXPECT_EQ(total, 100000 + 6);
}

TEST_F(OracleMessages, StreamedEncryptedMessageHasPartialSeipd) {
    const std::string to = home().key(KeyKind::Ed25519);
    const std::string path =
        home().make("streamed-encrypted.pgp", "-r " + quote("<" + to + ">") + " -e", payload_file(home()));
    auto ours = expect_matches_peers(home(), path);
    ASSERT_EQ(tags_of(ours), (std::vector<int>{1, 18}));
    EXPECT_TRUE(is_partial(ours[1].obj));
}

TEST_F(OracleMessages, EncryptedToEveryAlgorithmListsEachRecipient) {
    std::string recipients;
    for (KeyKind k : {KeyKind::Rsa, KeyKind::DsaElg, KeyKind::P256, KeyKind::Ed25519})
        recipients += " -r " + quote("<" + home().key(k) + ">");
    const std::string path = home().make("encrypted-all.pgp", recipients + " -e " + quote(small_file(home())));
    auto ours = expect_matches_peers(home(), path);
    EXPECT_EQ(tags_of(ours), (std::vector<int>{1, 1, 1, 1, 18}));
}

TEST_F(OracleMessages, SignedByEveryAlgorithmMatchesPeers) {
    for (KeyKind k : {KeyKind::Rsa, KeyKind::DsaElg, KeyKind::P256, KeyKind::Ed25519}) {
        SCOPED_TRACE(kind_name(k));
        const std::string signer = home().key(k);
        const std::string path = home().make(std::string("signed-by-") + kind_name(k) + ".pgp",
                                             "--compress-algo none -u " + quote("<" + signer + ">") + " -s " +
                                                 quote(small_file(home())));
        auto ours = expect_matches_peers(home(), path);
        EXPECT_EQ(tags_of(ours), (std::vector<int>{4, 11, 2}));
    }
}

TEST_F(OracleMessages, DetachedSignatureMatchesPeers) {
    const std::string signer = home().key(KeyKind::P256);
    const std::string path =
        home().make("detached.sig", "-u " + quote("<" + signer + ">") + " --detach-sign " + quote(small_file(home())));
    auto ours = expect_matches_peers(home(), path);
    EXPECT_EQ(tags_of(ours), (std::vector<int>{2}));
}

TEST_F(OracleMessages, SymmetricallyEncryptedMessageMatchesPeers) {
    const std::string path = home().make(
        "symmetric.pgp", "--passphrase oracle --s2k-mode 3 -c " + quote(small_file(home())));
    auto ours = expect_matches_peers(home(), path);
    EXPECT_EQ(tags_of(ours), (std::vector<int>{3, 18}));
}

// ---------------------------------------------------------------------------
// The peer parsers themselves, on fixed text (so a peer output change is caught
// here, not as a confusing mismatch above)

TEST(OracleParsers, GpgListPacketsHeadersAndFields) {
    const std::string text =
        "# off=0 ctb=a3 tag=8 hlen=1 plen=0 indeterminate\n"
        ":compressed packet: algo=1\n"
        "# off=2 ctb=90 tag=4 hlen=2 plen=13\n"
        ":onepass_sig packet: keyid C0922E183F00FC82\n"
        "\tversion 3, sigclass 0x00, digest 8, pubkey 22, last=1\n"
        "# off=15 ctb=cb tag=11 hlen=2 plen=0 partial new-ctb\n"
        ":literal data packet:\n";
    auto p = parse_gpg_list_packets(text);
    ASSERT_EQ(tags_of(p), (std::vector<int>{8, 4, 11}));
    EXPECT_TRUE(p[0].indeterminate);
    EXPECT_EQ(p[0].f.at("algo"), "1");
    EXPECT_EQ(p[1].f.at("keyid"), "C0922E183F00FC82");
    EXPECT_EQ(p[1].f.at("pk_algo"), "22");
    EXPECT_TRUE(p[2].partial);
    EXPECT_EQ(p[2].ctb, 0xcb);
}

TEST(OracleParsers, SqDumpNestingDepth) {
    const std::string text =
        "Compressed Data Packet, old CTB, indeterminate length\n"
        "\xe2\x94\x82   Algorithm: ZIP\n"
        "\xe2\x94\x9c\xe2\x94\x80\xe2\x94\x80 One-Pass Signature Packet, old CTB, 13 bytes\n"
        "\xe2\x94\x82       Version: 3\n"
        "\xe2\x94\x94\xe2\x94\x80\xe2\x94\x80 Signature Packet, old CTB, 138 bytes\n"
        "      Embedded signature: \n"
        "        Signature Packet\n"
        "Public-Key Packet, old CTB, 269 bytes\n"
        "    Fingerprint: 0DA714EF3956A0EAA053BE40D78E2AFCCA49AA69\n"
        "    KeyID: D78E2AFCCA49AA69\n";
    auto p = parse_sq_dump(text);
    EXPECT_EQ(depth_tags_of(p), (std::vector<std::pair<int, int>>{{0, 8}, {1, 4}, {1, 2}, {0, 6}}));
    EXPECT_EQ(p[3].fingerprint, "0DA714EF3956A0EAA053BE40D78E2AFCCA49AA69");
    EXPECT_EQ(p[3].keyid, "D78E2AFCCA49AA69");
    EXPECT_EQ(p[0].length, "indeterminate length");
}

TEST(OracleParsers, PgpdumpPartialChunks) {
    const std::string text =
        "Old: Compressed Data Packet(tag 8)\n"
        "\tComp alg - ZLIB <RFC1950>(comp 2)\n"
        "New: Literal Data Packet(tag 11)(8192 bytes) partial start\n"
        "New: \t(8192 bytes) partial continue\n"
        "New: \t(166 bytes) partial end\n"
        "Old: Signature Packet(tag 2)(324 bytes)\n";
    auto p = parse_pgpdump(text);
    ASSERT_EQ(p.size(), 3u);
    EXPECT_EQ(p[1].chunks, (std::vector<long long>{8192, 8192, 166}));
    EXPECT_TRUE(p[1].new_ctb);
    EXPECT_TRUE(p[2].chunks.empty());
}

TEST(OracleParsers, RnpListPacketsDepthAndHeaderSize) {
    const std::string text =
        ":off 0: packet header 0xa3 (tag 8, indeterminate len)\n"
        "Compressed data packet\n"
        "    :off 0: packet header 0x900d (tag 4, len 13)\n"
        "    :off 15: packet header 0xcbed (tag 11, partial len)\n"
        "            :type 33, len 21\n"
        "    :off 100037: packet header 0x890144 (tag 2, len 324)\n";
    auto p = parse_rnp(text);
    ASSERT_EQ(p.size(), 4u);
    EXPECT_EQ(p[0].header_len, 1);
    EXPECT_EQ(p[0].depth, 0);
    EXPECT_EQ(p[3].depth, 1);
    EXPECT_EQ(p[3].header_len, 3);
    EXPECT_EQ(p[3].off, 100037);
    EXPECT_EQ(p[2].length, "partial len");
}

TEST(OracleParsers, GpgSubpacketAreas) {
    const std::string text =
        "# off=302 ctb=89 tag=2 hlen=3 plen=334\n"
        ":signature packet: algo 1, keyid D78E2AFCCA49AA69\n"
        "\tversion 4, created 1795365373, md5len 0, sigclass 0x13\n"
        "\tdigest algo 10, begin of digest d6 08\n"
        "\thashed subpkt 33 len 21 (issuer fpr v4 0DA714EF3956A0EAA053BE40D78E2AFCCA49AA69)\n"
        "\tcritical hashed subpkt 2 len 4 (sig created 2026-11-22)\n"
        "\tsubpkt 16 len 8 (issuer key ID D78E2AFCCA49AA69)\n";
    auto p = parse_gpg_list_packets(text);
    ASSERT_EQ(p.size(), 1u);
    EXPECT_EQ(p[0].f.at("hashed_subpackets"), "33,2!");
    EXPECT_EQ(p[0].f.at("unhashed_subpackets"), "16");
    EXPECT_EQ(p[0].f.at("sigclass"), "19");
    EXPECT_EQ(p[0].f.at("hash_algo"), "10");
    EXPECT_EQ(p[0].f.at("issuer_keyid"), "D78E2AFCCA49AA69");
}

}  // namespace
}  // namespace pgpkit::test
