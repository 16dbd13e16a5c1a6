// Peer oracle for `pgpkit check-sigs` (issue 9): the same input is imported into a
// throwaway GnuPG home and listed with `gpg --check-sigs --with-colons`, and checked
// with `pgpkit check-sigs --json`; every signature's marker (!, -, ?, %) and every
// component's trust-free validity must agree. Inputs: keys of every algorithm made by
// gpg here, the key files of shared/testdata, and Debian's keyrings.
// See tests/oracle/README.md ("check-sigs") for what is compared and the cache.

#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <filesystem>
#include <iostream>
#include <map>
#include <regex>
#include <sstream>
#include <string>
#include <vector>

#include "crypto/hash.h"
#include "tests/oracle/checksigs_compare.h"
#include "tests/oracle/gpg_cache.h"
#include "tests/support/env.h"

namespace pgpkit::test {
namespace {

namespace fs = std::filesystem;
using checksigs::Listing;
using checksigs::Report;

std::string q(const std::string& s) { return shell_quote(s); }

std::string describe(const std::string& cmd, const RunResult& r) {
    return cmd + "\nexit " + std::to_string(r.exit_code) + "\n--- stderr ---\n" + r.err.substr(0, 3000);
}

/** Runs a command that must succeed; throws with its stderr otherwise. */
std::string must(const std::string& cmd, const std::string& in = {}) {
    RunResult r = run(cmd, in);
    if (r.exit_code != 0) throw std::runtime_error(describe(cmd, r));
    return r.out;
}

std::string missing_tools() {
    std::string missing;
    for (const char* tool : {"gpg", "gpgconf"}) {
        if (run(std::string("command -v ") + tool).exit_code != 0) missing += std::string(" ") + tool;
    }
    return missing.empty() ? std::string() : "oracle peer(s) not installed:" + missing + " -- run scripts/bootstrap.sh";
}

std::string hex(const std::vector<std::uint8_t>& b) {
    static const char* d = "0123456789abcdef";
    std::string s;
    for (auto x : b) (s += d[x >> 4]) += d[x & 15];
    return s;
}

std::string upper(std::string s) {
    for (char& c : s) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    return s;
}


// ---------------------------------------------------------------------------
// gpg homes

/** `gpg --check-sigs` on the home with no trust: --trust-model always; `which` limits it. */
std::string gpg_check_sigs(const std::string& home, const std::string& which = {}) {
    const std::string cmd = gpg_on(home) + " --with-colons --fixed-list-mode --trust-model always"
                                           " --no-auto-check-trustdb --check-sigs" +
                            (which.empty() ? std::string() : " " + q(which));
    RunResult r = run(cmd);
    // gpg exits 2 after listing if anything was wrong with a key (for example a bad
    // signature); what it listed is the answer.
    if (r.exit_code != 0 && r.out.empty() && r.err.find("error reading key") == std::string::npos &&
        r.err.find("No public key") == std::string::npos) {
        throw std::runtime_error(describe(cmd, r));
    }
    return r.out;
}

// ---------------------------------------------------------------------------
// One comparison

struct Outcome {
    Report report;
    std::string label;
};

/**
 * gpg's listing of a whole keyring depends on the order of its certificates: gpg looks
 * the issuer of a certification up with PUBKEY_USAGE_CERT, which refuses an expired or
 * revoked key, unless an earlier certificate of the same listing already put that key
 * into gpg's key cache (g10/getkey.c), where it is then found without that check. gpg's
 * own answer for one certificate is its listing of that certificate alone. So every
 * certificate where gpg found an issuer we call unusable ('!' against our '?') is listed
 * again on its own, and that listing is the oracle for it.
 */
Listing relist_cached_issuers(const std::string& home, Listing gpg, const Listing& ours) {
    std::map<std::string, std::string> our_marker;
    for (const auto& s : ours.sigs)
        our_marker[s.cert + "|" + s.component + "|" + s.sigclass + "|" + s.issuer + "|" +
                   std::to_string(s.created)] = s.marker;
    std::vector<std::string> certs;
    for (const auto& s : gpg.sigs) {
        auto it = our_marker.find(s.cert + "|" + s.component + "|" + s.sigclass + "|" + s.issuer + "|" +
                                  std::to_string(s.created));
        if (it != our_marker.end() && it->second == "?" && s.marker == "!" &&
            std::find(certs.begin(), certs.end(), s.cert) == certs.end())
            certs.push_back(s.cert);
    }
    for (const auto& fpr : certs) {
        const Listing alone = checksigs::parse_gpg_colons(gpg_check_sigs(home, fpr));
        std::erase_if(gpg.sigs, [&](const checksigs::Sig& s) { return s.cert == fpr; });
        for (const auto& s : alone.sigs)
            if (s.cert == fpr) gpg.sigs.push_back(s);
    }
    std::cout << "[check-sigs oracle] " << certs.size()
              << " certificate(s) listed again alone (issuer found only through gpg's key cache)\n";
    return gpg;
}

/** gpg (from `home`, where `input` was imported) against pgpkit check-sigs --json on `input`. */
Outcome run_oracle(const std::string& label, const std::string& input, const std::string& home) {
    Outcome out;
    out.label = label;
    const Listing gpg = checksigs::parse_gpg_colons(gpg_check_sigs(home));
    const std::string cmd = q(pgpkit_bin()) + " check-sigs --json " + q(input);
    RunResult r = run(cmd);
    Listing ours;
    if (r.exit_code == 0 || r.exit_code == 1) {
        ours = checksigs::parse_ours_json(r.out);
    } else if (!gpg.sigs.empty() || gpg.certs != 0) {
        ADD_FAILURE() << label << ": gpg listed " << gpg.certs << " certificate(s) and " << gpg.sigs.size()
                      << " signature(s), pgpkit failed: " << describe(cmd, r);
    }
    out.report = checksigs::compare(gpg, ours);
    if (!out.report.mismatches.empty()) {
        out.report = checksigs::compare(relist_cached_issuers(home, gpg, ours), ours);
    }
    std::cout << "[check-sigs oracle] " << label << ": certs gpg " << gpg.certs << ", ours " << ours.certs << "\n"
              << out.report.summary();
    return out;
}

/** Writes every line of the report to cache_root()/reports/<label>.txt; returns the path. */
std::string write_full_report(const Outcome& o) {
    std::string name;
    for (char c : o.label.substr(0, o.label.find(' '))) name += std::isalnum(static_cast<unsigned char>(c)) ? c : '_';
    const std::string dir = cache_root() + "/reports";
    fs::create_directories(dir);
    const std::string path = dir + "/" + name + ".txt";
    write_bytes(path, as_bytes(o.label + "\n" + o.report.summary() + o.report.details(SIZE_MAX)));
    return path;
}

void expect_ok(const Outcome& o) {
    const std::string full = write_full_report(o);
    EXPECT_TRUE(o.report.ok()) << o.label << "\n" << o.report.summary() << o.report.details(40)
                               << "every line: " << full;
    if (o.report.ok() && !o.report.ours_only_list.empty()) std::cout << o.report.details(5);
}


// ---------------------------------------------------------------------------
// Packet framing, just enough to cut certificates and flip one signature byte

struct Span {
    int tag = 0;
    std::size_t start = 0, body = 0, end = 0;
};

/** Top-level packets of a binary keyring (no partial lengths in keyrings). */
std::vector<Span> packets(const Bytes& b) {
    std::vector<Span> out;
    std::size_t i = 0;
    auto need = [&](std::size_t n) {
        if (i + n > b.size()) throw std::runtime_error("truncated packet at " + std::to_string(i));
    };
    while (i < b.size()) {
        Span s;
        s.start = i;
        const std::uint8_t c = b[i++];
        std::size_t len = 0;
        if ((c & 0x80) == 0) throw std::runtime_error("not a packet at " + std::to_string(s.start));
        if (c & 0x40) {
            s.tag = c & 0x3f;
            need(1);
            const std::uint8_t o = b[i++];
            if (o < 192) {
                len = o;
            } else if (o < 224) {
                need(1);
                len = ((o - 192) << 8) + b[i++] + 192;
            } else if (o == 255) {
                need(4);
                len = (std::size_t{b[i]} << 24) | (b[i + 1] << 16) | (b[i + 2] << 8) | b[i + 3];
                i += 4;
            } else {
                throw std::runtime_error("partial length in a keyring at " + std::to_string(s.start));
            }
        } else {
            s.tag = (c >> 2) & 15;
            const int n = (c & 3) == 0 ? 1 : (c & 3) == 1 ? 2 : (c & 3) == 2 ? 4 : 0;
            if (n == 0) throw std::runtime_error("indeterminate length in a keyring");
            need(n);
            for (int k = 0; k < n; ++k) len = (len << 8) | b[i++];
        }
        s.body = i;
        need(len);
        i += len;
        s.end = i;
        out.push_back(s);
    }
    return out;
}

/** The issuer key ID (subpacket 16, else 33) of a v4 signature body, upper-case hex. */
std::string v4_issuer(const Bytes& b, const Span& p) {
    std::size_t i = p.body;
    if (p.end - i < 6 || b[i] != 4) return {};
    std::size_t area = i + 4;
    for (int a = 0; a < 2 && area + 2 <= p.end; ++a) {
        const std::size_t n = (b[area] << 8) | b[area + 1];
        std::size_t j = area + 2;
        const std::size_t stop = j + n;
        while (j < stop && stop <= p.end) {
            std::size_t len = b[j++];
            if (len >= 192 && len < 255) len = ((len - 192) << 8) + b[j++] + 192;
            else if (len == 255) {
                len = (std::size_t{b[j]} << 24) | (b[j + 1] << 16) | (b[j + 2] << 8) | b[j + 3];
                j += 4;
            }
            const int type = b[j] & 0x7f;
            std::vector<std::uint8_t> v(b.begin() + static_cast<long>(j + 1), b.begin() + static_cast<long>(j + len));
            if (type == 16 && v.size() == 8) return upper(hex(v));
            if (type == 33 && v.size() == 21) return upper(hex(v)).substr(2 + 24);
            j += len;
        }
        area = stop;
    }
    return {};
}

// ---------------------------------------------------------------------------
// (a) keys made by gpg in the test

/** The gpg algorithm names of the primary keys made, with the encryption subkey of each. */
struct Algo {
    const char* primary;
    const char* subkey;
};
constexpr Algo algos[] = {
    {"rsa2048", "rsa2048"},         {"rsa3072", "rsa3072"},
    {"dsa2048", "elg2048"},         {"nistp256", "nistp256"},
    {"nistp384", "nistp384"},       {"nistp521", "nistp521"},
    {"brainpoolP256r1", "brainpoolP256r1"}, {"brainpoolP384r1", "brainpoolP384r1"},
    {"brainpoolP512r1", "brainpoolP512r1"}, {"ed25519", "cv25519"},
    {"secp256k1", "secp256k1"},
};

/** Makes the keys and certifications of test (a) in one gpg home and exports them. */
class KeyFactory {
public:

    std::string gpg() const { return gpg_on(m_home); }
    const std::string& home() const { return m_home; }
    std::string file(const std::string& n) const { return m_dir.file(n); }

    std::string fpr_of(const std::string& email) {
        const std::string out = must(gpg() + " --with-colons --list-keys " + q("<" + email + ">"));
        for (const std::string& l : non_empty_lines(out)) {
            const auto f = split(l, ':');
            if (f[0] == "fpr") return f[9];
        }
        throw std::runtime_error("no key for " + email);
    }

    /** A primary key (cert,sign) and an encryption subkey; `when`: --faked-system-time or "". */
    std::string make(const std::string& name, const std::string& algo, const std::string& sub,
                     const std::string& when = {}, const std::string& expire = "never") {
        const std::string email = name + "@oracle.test";
        must(gpg() + faked(when) + " --quick-gen-key " + q(name + " <" + email + ">") + " " + algo + " cert,sign " + expire);
        const std::string fpr = fpr_of(email);
        if (!sub.empty()) must(gpg() + faked(when) + " --quick-add-key " + fpr + " " + sub + " encr " + expire);
        m_all.push_back(fpr);
        return fpr;
    }

    /** `signer` certifies every user ID of `target`; `extra`: digest options etc. */
    void certify(const std::string& signer, const std::string& target, const std::string& extra = {},
                 bool local = false) {
        must(gpg() + " -u " + signer + " " + extra + (local ? " --quick-lsign-key " : " --quick-sign-key ") + target);
    }

    /** Revokes subkey number `n` (1-based, in gpg's order) of `fpr` through --edit-key. */
    void revoke_subkey(const std::string& fpr, int n) {
        must(gpg() + " --command-fd 0 --edit-key " + fpr,
             "key " + std::to_string(n) + "\nrevkey\ny\n0\n\ny\nsave\n");
    }

    /** Imports the revocation certificate gpg stored at key generation. */
    void revoke_key(const std::string& fpr) {
        std::string rev = read_text(m_home + "/openpgp-revocs.d/" + fpr + ".rev");
        const std::size_t at = rev.find(":-----BEGIN");
        if (at == std::string::npos) throw std::runtime_error("unexpected revocation file for " + fpr);
        rev.erase(at, 1);
        write_bytes(file("rev.asc"), as_bytes(rev));
        must(gpg() + " --import " + q(file("rev.asc")));
    }

    /** `gpg --export` (with local signatures) of `fprs` into `name`. */
    std::string export_keys(const std::string& name, const std::vector<std::string>& fprs) {
        std::string cmd = gpg() + " --export-options export-local-sigs -o " + q(file(name)) + " --export";
        for (const auto& f : fprs) cmd += " " + f;
        must(cmd);
        return file(name);
    }

    const std::vector<std::string>& all() const { return m_all; }
    KeyFactory() { ::mkdir(m_home.c_str(), 0700); }
    ~KeyFactory() { kill_agent(m_home); }
    KeyFactory(const KeyFactory&) = delete;
    KeyFactory& operator=(const KeyFactory&) = delete;

private:
    static std::string faked(const std::string& when) {
        return when.empty() ? std::string() : " --faked-system-time " + when;
    }
    static std::string read_text(const std::string& p) {
        const Bytes b = read_bytes(p);
        return std::string(b.begin(), b.end());
    }

    TempDir m_dir;
    std::string m_home = m_dir.file("gen");
    std::vector<std::string> m_all;
};


/** Flips the last byte of the first certification by `issuer` in `path` (a bad signature). */
void corrupt_certification(const std::string& path, const std::string& issuer) {
    Bytes b = read_bytes(path);
    for (const Span& p : packets(b)) {
        if (p.tag != 2 || p.end - p.body < 2) continue;
        const int sigclass = b[p.body + 1];
        if (sigclass >= 0x10 && sigclass <= 0x13 && v4_issuer(b, p) == issuer.substr(issuer.size() - 16)) {
            b[p.end - 1] ^= 0x01;
            write_bytes(path, b);
            return;
        }
    }
    throw std::runtime_error("no certification by " + issuer + " in " + path);
}

/** How many of gpg's records have this type and field 2. */
std::size_t count_records(const std::string& colons, const std::string& rec, const std::string& f2) {
    std::size_t n = 0;
    for (const std::string& l : non_empty_lines(colons)) {
        const auto f = split(l, ':');
        if (f.size() > 1 && f[0] == rec && f[1] == f2) ++n;
    }
    return n;
}

}  // namespace

// The keys, in one gpg home: one of every algorithm gpg 2.2 makes (primary + encryption
// subkey), each certifying the next in a ring; plus, on purpose,
//  - a local (non-exportable) certification, exported and imported with local sigs;
//  - a revoked user ID, a revoked subkey, a revoked key (its stored revocation cert);
//  - keys made in 2017 (--faked-system-time): one that expired in 2019, one whose
//    subkey expired in 2019, a SHA-1 certification from 2018 (accepted) and one from
//    2020 (rejected: SHA-1 key signatures after 2019-01-19), a SHA-1 certification made
//    now and an MD5 one (both '%');
//  - a certification by a key that is not exported ('?') and one whose last signature
//    byte is flipped ('-').
TEST(OracleCheckSigs, GeneratedKeysOfEveryAlgorithmAgreeWithGpg) {
    const std::string missing = missing_tools();
    ASSERT_TRUE(missing.empty()) << missing;
    KeyFactory k;
    std::map<std::string, std::string> fp;
    for (const Algo& a : algos) fp[a.primary] = k.make(a.primary, a.primary, a.subkey);
    const std::vector<std::string> ring = k.all();
    for (std::size_t i = 0; i < ring.size(); ++i) k.certify(ring[i], ring[(i + 1) % ring.size()]);

    const std::string rsa = fp["rsa2048"];
    k.certify(rsa, fp["rsa3072"], {}, /*local=*/true);
    must(k.gpg() + " --quick-add-uid " + rsa + " " + q("rsa2048 second <rsa2048-second@oracle.test>"));
    must(k.gpg() + " --quick-revoke-uid " + rsa + " " + q("rsa2048 second <rsa2048-second@oracle.test>"));
    // Self-signatures dated a day ahead count for gpg: a user ID revoked tomorrow is
    // revoked now, one certified tomorrow is valid now.
    const std::string tomorrow = std::to_string(std::time(nullptr) + 86400);
    must(k.gpg() + " --quick-add-uid " + rsa + " " + q("rsa2048 third <rsa2048-third@oracle.test>"));
    must(k.gpg() + " --faked-system-time " + tomorrow + " --quick-revoke-uid " + rsa + " " +
         q("rsa2048 third <rsa2048-third@oracle.test>"));
    must(k.gpg() + " --faked-system-time " + tomorrow + " --quick-add-uid " + rsa + " " +
         q("rsa2048 fourth <rsa2048-fourth@oracle.test>"));
    must(k.gpg() + " --quick-add-key " + rsa + " ed25519 sign never");
    k.revoke_subkey(rsa, 2);
    k.revoke_key(fp["nistp256"]);
    k.certify(fp["rsa3072"], fp["ed25519"], "--cert-digest-algo SHA1 --allow-weak-key-signatures");
    k.certify(rsa, fp["secp256k1"], "--cert-digest-algo MD5 --allow-weak-digest-algos");

    const std::string old1 = k.make("old1", "rsa2048", {}, "20170101T000000");
    const std::string old2 = k.make("old2", "rsa2048", {}, "20170101T000100");
    const std::string expired = k.make("expired", "ed25519", "cv25519", "20170101T000200", "2y");
    must(k.gpg() + " --faked-system-time 20180101T000000 --quick-add-key " + old1 + " rsa2048 encr 1y");
    k.certify(old1, old2, "--faked-system-time 20180601T000000 --cert-digest-algo SHA1 --allow-weak-key-signatures");
    k.certify(old2, old1, "--faked-system-time 20200601T000000 --cert-digest-algo SHA1 --allow-weak-key-signatures");
    k.certify(old2, expired, "--faked-system-time 20180101T000000");

    const std::string outsider = k.make("outsider", "ed25519", {});
    k.certify(outsider, fp["nistp384"]);
    const std::string victim = fp["brainpoolP512r1"];
    k.certify(rsa, victim);

    std::vector<std::string> exported;
    for (const std::string& f : k.all()) {
        if (f != outsider && f != victim) exported.push_back(f);
    }
    const std::string main_part = k.export_keys("main.pgp", exported);
    const std::string victim_part = k.export_keys("victim.pgp", {victim});
    corrupt_certification(victim_part, rsa);
    Bytes input = read_bytes(main_part);
    const Bytes v = read_bytes(victim_part);
    input.insert(input.end(), v.begin(), v.end());
    const std::string path = k.file("input.pgp");
    write_bytes(path, input);

    // Kept for reproducing a mismatch by hand: pgpkit check-sigs --json FILE.
    fs::create_directories(cache_root() + "/reports");
    fs::copy_file(path, cache_root() + "/reports/generated-keys.pgp", fs::copy_options::overwrite_existing);

    TempDir oracle;
    import_into(oracle.file("home"), path);
    const Outcome o = run_oracle("generated keys (" + path + ")", path, oracle.file("home"));
    expect_ok(o);

    // The fixture does what it says: gpg shows every marker and every state made above.
    const std::string colons = gpg_check_sigs(oracle.file("home"));
    for (const char* m : {"!", "-", "?", "%"}) EXPECT_GT(count_records(colons, "sig", m), 0u) << "no sig:" << m << ":";
    EXPECT_GT(count_records(colons, "rev", "!"), 0u);
    EXPECT_GT(count_records(colons, "pub", "r"), 0u) << "revoked key";
    EXPECT_GT(count_records(colons, "pub", "e"), 0u) << "expired key";
    EXPECT_GT(count_records(colons, "sub", "r"), 0u) << "revoked subkey";
    EXPECT_GT(count_records(colons, "sub", "e"), 0u) << "expired subkey";
    EXPECT_GE(count_records(colons, "uid", "r"), 2u) << "revoked user IDs, now and tomorrow";
    EXPECT_EQ(o.report.agree_by_marker.size(), 4u) << "every marker agreed at least once";
}

namespace {


void debian_keyring_agrees(const std::string& keyring, std::size_t every) {
    const std::string missing = missing_tools();
    ASSERT_TRUE(missing.empty()) << missing;
    ASSERT_TRUE(fs::exists(keyring)) << keyring << " missing -- install the Debian package debian-keyring"
                                     << " (scripts/bootstrap.sh)";
    const std::string input = every > 1 ? keyring_subset(keyring, every) : keyring;
    const std::string home = cached_home(input);
    const Outcome o = run_oracle(every > 1 ? keyring + " (every " + std::to_string(every) + "th certificate: " + input + ")"
                                           : keyring,
                                 input, home);
    expect_ok(o);
    EXPECT_GT(o.report.agree_by_marker.count("!"), 0u);
}

}  // namespace

// Every key file of the shared test data, one gpg home each (cached by content).
TEST(OracleCheckSigs, SharedTestdataKeyFilesAgreeWithGpg) {
    const std::string missing = missing_tools();
    ASSERT_TRUE(missing.empty()) << missing;
    const std::vector<std::string> files = testdata_key_files();
    ASSERT_GE(files.size(), 40u) << "MANIFEST.tsv lists fewer key files than expected";
    std::size_t sigs = 0;
    for (const std::string& f : files) {
        SCOPED_TRACE(f);
        ASSERT_TRUE(fs::exists(f)) << f;
        const Outcome o = run_oracle(f, f, cached_home(f));
        expect_ok(o);
        sigs += o.report.agree;
    }
    std::cout << "[check-sigs oracle] " << files.size() << " testdata key files, " << sigs << " signatures agree\n";
    EXPECT_GT(sigs, 100u);
}

// debian-keyring.gpg (28 MB, 905 certificates) takes gpg about 3 minutes to import and
// as long to list, so the test uses every third certificate (deterministic, about 300).
// bench/compare_checksigs.sh runs gpg on all of it.
TEST(OracleCheckSigs, DebianKeyringSubsetAgreesWithGpg) {
    debian_keyring_agrees("/usr/share/keyrings/debian-keyring.gpg", 3);
}

TEST(OracleCheckSigs, DebianMaintainersKeyringAgreesWithGpg) {
    debian_keyring_agrees("/usr/share/keyrings/debian-maintainers.gpg", 1);
}

TEST(OracleCheckSigs, DebianNonuploadKeyringAgreesWithGpg) {
    debian_keyring_agrees("/usr/share/keyrings/debian-nonupload.gpg", 1);
}

TEST(OracleCheckSigs, DebianRoleKeysKeyringAgreesWithGpg) {
    debian_keyring_agrees("/usr/share/keyrings/debian-role-keys.gpg", 1);
}

}  // namespace pgpkit::test
