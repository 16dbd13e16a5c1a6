// The vector suite against the peers (issue 15): `pgpkit vectors` writes the suite, then
// gpg --list-packets, sq packet dump, rnp --list-packets and pgpdump read every file. Each
// peer's verdict (exit 0: accepted) must equal the manifest's expect column, and the key
// IDs and fingerprints a peer prints for the key packets of an accept file must equal the
// manifest's. A disagreement passes only when the manifest's peer_deviations column records
// it for that peer and the peer's version ("gpg 2.2.40: accepts (why)"); a recorded
// deviation that no longer happens fails too, so the records stay true.
// A missing peer is a failure naming scripts/bootstrap.sh, never a skip.

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdlib>
#include <cctype>
#include <map>
#include <regex>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "tests/support/env.h"
#include "tests/support/vectors_manifest.h"

namespace pgpkit::test {
namespace {

struct Peer {
    std::string name;     ///< as the deviation column names it
    std::string command;  ///< run with the file's path appended
    std::string version;
};

/** What one peer made of one file. */
struct Reading {
    bool accepted = false;
    std::vector<std::string> keyids, fingerprints;  ///< upper-case hex; empty: it printed none
    bool prints_keyids = false, prints_fingerprints = false;
};

std::string first_match(const std::string& text, const std::string& re) {
    std::smatch m;
    return std::regex_search(text, m, std::regex(re)) ? m[1].str() : std::string();
}

std::string upper(std::string s) {
    for (char& c : s) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    return s;
}

std::vector<std::string> all_matches(const std::string& text, const std::string& re) {
    std::vector<std::string> out;
    const std::regex r(re);
    for (auto it = std::sregex_iterator(text.begin(), text.end(), r); it != std::sregex_iterator(); ++it)
        out.push_back(upper((*it)[1].str()));
    return out;
}

/** Key packets' identities in each peer's output (tests/oracle/README.md lists the formats). */
Reading read_output(const std::string& peer, const std::string& out, int rc) {
    Reading r;
    r.accepted = rc == 0;
    if (peer == "gpg") {
        r.prints_keyids = true;
        r.keyids = all_matches(out, "\n\tkeyid: ([0-9A-F]{16})");
    } else if (peer == "sq") {
        r.prints_keyids = r.prints_fingerprints = true;
        r.keyids = all_matches(out, "\n    KeyID: ([0-9A-F]{16})");
        r.fingerprints = all_matches(out, "\n    Fingerprint: ([0-9A-F]{32,64})");
    } else if (peer == "rnp") {
        r.prints_keyids = r.prints_fingerprints = true;
        r.keyids = all_matches(out, "\n    keyid: 0x([0-9a-f]{16})");
        r.fingerprints = all_matches(out, "\n    fingerprint: 0x([0-9a-f]{32,64})");
    }
    return r;
}

std::vector<Peer> peers(const std::string& gpg_home) {
    std::vector<Peer> p = {
        {"gpg", "gpg --homedir " + shell_quote(gpg_home) + " --batch --no-tty --list-only --list-packets", ""},
        {"sq", "sq packet dump", ""},
        {"rnp", "rnp --list-packets --grips", ""},
        {"pgpdump", "pgpdump", ""},
    };
    p[0].version = first_match(run("gpg --version").out, R"(gpg \(GnuPG\) (\S+))");
    p[1].version = first_match(run("sq --version").out, R"(sq (\S+))");
    p[2].version = first_match(run("rnp --version").out, R"(rnp (\d[\w.]*))");
    p[3].version = first_match(run("pgpdump -v").out + run("pgpdump -v").err, R"(pgpdump version ([0-9.]+))");
    return p;
}

std::string missing_peers() {
    std::string missing;
    for (const char* tool : {"gpg", "sq", "rnp", "pgpdump"})
        if (run(std::string("command -v ") + tool).exit_code != 0) missing += std::string(" ") + tool;
    return missing.empty() ? "" : "oracle peer(s) not installed:" + missing + " -- run scripts/bootstrap.sh";
}

/**
 * Runs every peer over every file, the four peers at once, each in one shell loop that
 * marks where each file's output starts and ends with its exit code.
 */
std::map<std::string, std::map<std::string, Reading>> run_peers(const std::vector<Peer>& ps, const std::string& dir,
                                                                const std::vector<ManifestRow>& rows,
                                                                const TempDir& tmp) {
    std::string files;
    for (const ManifestRow& row : rows) files += " " + shell_quote(dir + "/" + row.at("file"));
    std::string script;
    for (const Peer& p : ps)
        script += "(for f in" + files + "; do echo \"@@@FILE $f\"; " + p.command +
                  " \"$f\" 2>&1 </dev/null; echo \"@@@RC $?\"; done >" + shell_quote(tmp.file(p.name + ".out")) +
                  ") & ";
    run(script + "wait");
    std::map<std::string, std::map<std::string, Reading>> out;  // peer -> file -> reading
    for (const Peer& p : ps) {
        const Bytes b = read_bytes(tmp.file(p.name + ".out"));
        const std::string text(b.begin(), b.end());
        // Blocks "@@@FILE path\n...output...@@@RC n\n", split by hand (std::regex recurses per character).
        for (std::size_t at = text.find("@@@FILE "); at != std::string::npos;) {
            const std::size_t eol = text.find('\n', at);
            const std::size_t rc = text.find("@@@RC ", eol);
            if (eol == std::string::npos || rc == std::string::npos) break;
            const std::string path = text.substr(at + 8, eol - at - 8);
            const std::string name = path.substr(path.rfind('/') + 1);
            out[p.name][name] = read_output(p.name, text.substr(eol, rc - eol), std::atoi(text.c_str() + rc + 6));
            at = text.find("@@@FILE ", rc);
        }
    }
    return out;
}

std::vector<std::string> listed(const std::string& field) {
    if (field == "-") return {};
    return split(field, ',');
}

/** The disagreements of one reading with a row, each as "KIND (what the peer did)". */
std::vector<std::pair<std::string, std::string>> disagreements(const ManifestRow& row, const Reading& r) {
    std::vector<std::pair<std::string, std::string>> out;
    const bool accept = row.at("expect") == "accept";
    if (r.accepted != accept) out.emplace_back(r.accepted ? "accepts" : "rejects", "");
    if (!accept || !r.accepted) return out;
    auto join = [](const std::vector<std::string>& v) {
        std::string s;
        for (const std::string& x : v) s += (s.empty() ? "" : ",") + x;
        return s.empty() ? std::string("none") : s;
    };
    if (r.prints_keyids && r.keyids != listed(row.at("keyids")))
        out.emplace_back("keyids differ", "printed " + join(r.keyids));
    if (r.prints_fingerprints && r.fingerprints != listed(row.at("fingerprints")))
        out.emplace_back("fingerprints differ", "printed " + join(r.fingerprints));
    return out;
}

/** The recorded deviations of a row: "peer version: kind (why)" entries, as "peer version: kind". */
std::set<std::string> recorded(const ManifestRow& row) {
    std::set<std::string> out;
    if (row.at("peer_deviations") == "-") return out;
    std::istringstream in(row.at("peer_deviations"));
    for (std::string entry; std::getline(in, entry, ';');) {
        entry.erase(0, entry.find_first_not_of(' '));
        out.insert(entry.substr(0, entry.find(" (")));
    }
    return out;
}

TEST(VectorsOracle, EveryPeerAgreesWithTheManifestOrTheDeviationIsRecorded) {
    const std::string missing = missing_peers();
    ASSERT_TRUE(missing.empty()) << missing;
    TempDir tmp;
    const std::string dir = tmp.file("suite"), home = tmp.file("gpg-home");
    ASSERT_EQ(run("mkdir -m 700 " + shell_quote(home)).exit_code, 0);
    const RunResult gen = run(shell_quote(pgpkit_bin()) + " vectors --out " + shell_quote(dir));
    ASSERT_EQ(gen.exit_code, 0) << gen.err;
    const std::vector<ManifestRow> rows = read_manifest(dir);
    ASSERT_GE(rows.size(), 100u);
    const std::vector<Peer> ps = peers(home);
    for (const Peer& p : ps) ASSERT_FALSE(p.version.empty()) << "no version string from " << p.name;
    const auto readings = run_peers(ps, dir, rows, tmp);

    std::vector<std::string> unrecorded, stale;
    std::size_t recorded_seen = 0;
    for (const ManifestRow& row : rows) {
        const std::string& name = row.at("file");
        const std::set<std::string> rec = recorded(row);
        std::set<std::string> seen;
        for (const Peer& p : ps) {
            const auto it = readings.at(p.name).find(name);
            ASSERT_NE(it, readings.at(p.name).end()) << p.name << " did not read " << name;
            for (const auto& [kind, what] : disagreements(row, it->second)) {
                const std::string key = p.name + " " + p.version + ": " + kind;
                seen.insert(key);
                if (rec.count(key))
                    ++recorded_seen;
                else
                    unrecorded.push_back(name + ": " + key + (what.empty() ? "" : " (" + what + ")"));
            }
        }
        for (const std::string& r : rec) {
            const bool ours = std::any_of(
                ps.begin(), ps.end(), [&](const Peer& p) { return r.rfind(p.name + " " + p.version + ":", 0) == 0; });
            if (ours && !seen.count(r)) stale.push_back(name + ": " + r);
        }
    }
    auto list = [](const std::vector<std::string>& v) {
        std::string s;
        for (std::size_t i = 0; i < v.size() && i < 80; ++i) s += "\n  " + v[i];
        return s;
    };
    EXPECT_TRUE(unrecorded.empty()) << unrecorded.size() << " disagreements not in the manifest's deviations"
                                    << " (message/vectors_deviations.cpp):" << list(unrecorded);
    EXPECT_TRUE(stale.empty()) << stale.size() << " recorded deviations that did not happen:" << list(stale);
    std::printf("vectors oracle: %zu files, 4 peers, %zu recorded deviations seen\n", rows.size(), recorded_seen);
}

}  // namespace
}  // namespace pgpkit::test
