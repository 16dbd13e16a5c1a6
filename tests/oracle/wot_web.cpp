// The web of trust the oracle tests compare with gpg (issue 11): 36 keys made with gpg
// (certification levels 0-3, a chain of depth 6, marginal-only paths, a revoked and an
// expired certifier, an expired certification, a local certification, trust signatures
// with depth and a regular expression, ownertrust from --import-ownertrust).
#include "tests/oracle/wot_web.h"

#include <sys/stat.h>
#include <unistd.h>

#include <cctype>
#include <filesystem>
#include <map>
#include <stdexcept>
#include <string>

#include "base/bytes.h"
#include "tests/oracle/gpg_cache.h"
#include "tests/support/env.h"

namespace pgpkit::test {
namespace {

namespace fs = std::filesystem;

// Keys are made in the past, so that the expired certifier and the expired certification
// can be made while they were valid, and nothing is newer than what it signs.
constexpr const char* kT0 = "20240101T000000";

/** Makes the web in a gpg home: keys by short name, certifications, ownertrust. */
class WebBuilder {
public:
    explicit WebBuilder(std::string home) : m_home(std::move(home)) { fs::create_directories(m_home); }

    void key(const std::string& name, const std::string& domain, const std::string& expire = "never") {
        const std::string uid = name + " <" + name + "@" + domain + ">";
        gpg("--faked-system-time " + std::string(kT0) + " --quick-gen-key " + shell_quote(uid) + " ed25519 cert " +
            expire);
        const RunResult r = gpg("--with-colons --list-keys " + shell_quote("<" + name + "@" + domain + ">"));
        for (const std::string& line : non_empty_lines(r.out)) {
            const auto f = split(line, ':');
            if (f[0] == "fpr") {
                m_fpr[name] = f[9];
                return;
            }
        }
        throw std::runtime_error("gpg made no key for " + uid + ": " + r.err);
    }
    /** A certification at `level` (0-3) by `signer`; `extra` adds gpg options. */
    void sign(const std::string& signer, const std::string& target, int level, const std::string& extra = {},
              const char* command = "--quick-sign-key") {
        gpg("-u " + m_fpr.at(signer) + " --default-cert-level " + std::to_string(level) + " " + extra + " " +
            command + " " + m_fpr.at(target));
    }
    void lsign(const std::string& signer, const std::string& target) {
        sign(signer, target, 3, {}, "--quick-lsign-key");
    }
    /** gpg's edit-key "tsign": amount 1 marginal, 2 full; `domain` empty: no regexp. */
    void tsign(const std::string& signer, const std::string& target, int amount, int depth,
               const std::string& domain) {
        const std::string answers =
            "tsign\n" + std::to_string(amount) + "\n" + std::to_string(depth) + "\n" + domain + "\nsave\n";
        const RunResult r = run(gpg_on(m_home) + " -u " + m_fpr.at(signer) +
                                    " --command-fd 0 --status-fd 2 --edit-key " + m_fpr.at(target),
                                answers);
        if (r.exit_code != 0) throw std::runtime_error("tsign failed: " + r.err);
    }
    /** Imports the revocation certificate gpg wrote when it made the key. */
    void revoke(const std::string& name) {
        const Bytes b = read_bytes(m_home + "/openpgp-revocs.d/" + m_fpr.at(name) + ".rev");
        std::string text(b.begin(), b.end());
        const auto at = text.find(":-----BEGIN");
        if (at == std::string::npos) throw std::runtime_error("no revocation certificate for " + name);
        text.erase(at, 1);
        write_bytes(m_home + "/rev.asc", as_bytes(text));
        gpg("--import " + shell_quote(m_home + "/rev.asc"));
    }
    /** Replaces the trustdb (gpg made every new key ultimately trusted) by these values. */
    void ownertrust(const std::map<std::string, int>& values) {
        fs::remove(m_home + "/trustdb.gpg");
        std::string text;
        for (const auto& [name, level] : values) text += m_fpr.at(name) + ":" + std::to_string(level) + ":\n";
        write_bytes(m_home + "/ownertrust.txt", as_bytes(text));
        gpg("--import-ownertrust " + shell_quote(m_home + "/ownertrust.txt"));
    }
    RunResult gpg(const std::string& args) {
        RunResult r = run(gpg_on(m_home) + " " + args);
        if (r.exit_code != 0) throw std::runtime_error("gpg " + args + ": " + r.err);
        return r;
    }
    const std::map<std::string, std::string>& fingerprints() const { return m_fpr; }

private:
    std::string m_home;
    std::map<std::string, std::string> m_fpr;
};

void make_keys(WebBuilder& w) {
    for (const char* n : {"root", "k1", "k2", "k3", "k4", "k5", "k6", "k7", "k8", "m1", "m2", "m3", "m4", "t1",
                          "t2", "t3", "t4", "f1", "f2", "n1", "x1", "u1", "x2", "r", "x3", "x4", "x5", "l1", "x6",
                          "ts1", "y1", "ts2", "w1", "z1"})
        w.key(n, "example.org");
    w.key("y2", "other.net");
    w.key("e", "example.org", "1y");  // expired since 2025
}

void make_certifications(WebBuilder& w) {
    // A chain of depth 6 at levels 3, 2, 0, 3, 2, 3; k7 has only a level-1 certification.
    const char* chain[] = {"root", "k1", "k2", "k3", "k4", "k5", "k6"};
    const int levels[] = {3, 2, 0, 3, 2, 3};
    for (int i = 0; i < 6; ++i) w.sign(chain[i], chain[i + 1], levels[i]);
    w.sign("root", "k7", 1);
    w.sign("root", "k8", 3);
    // Marginal-only paths: t1 by three marginals, t2 by two, t3 by one, t4 by m4 and m1.
    for (const char* m : {"m1", "m2", "m3", "m4"}) w.sign("root", m, 3);
    for (const char* m : {"m1", "m2", "m3"}) w.sign(m, "t1", 2);
    for (const char* m : {"m1", "m2"}) w.sign(m, "t2", 3);
    w.sign("m1", "t3", 3);
    for (const char* m : {"m4", "m1"}) w.sign(m, "t4", 0);
    // Completes: f1 by two full introducers, f2 by one.
    w.sign("k1", "f1", 3);
    w.sign("k8", "f1", 3);
    w.sign("k1", "f2", 3);
    // Introducers trusted never and not at all.
    w.sign("root", "n1", 3);
    w.sign("n1", "x1", 3);
    w.sign("root", "u1", 3);
    w.sign("u1", "x2", 3);
    // A certifier revoked after certifying, one expired since, an expired certification.
    w.sign("root", "r", 3);
    w.sign("r", "x3", 3);
    w.revoke("r");
    w.sign("root", "e", 3, "--faked-system-time 20240201T000000");
    w.sign("e", "x4", 3, "--faked-system-time 20240601T000000");
    w.sign("root", "x5", 3, "--faked-system-time 20240301T000000 --default-cert-expire 30d");
    // A local certification of an introducer.
    w.lsign("root", "l1");
    w.sign("l1", "x6", 3);
    // Trust signatures: full, depth 2, only for example.org; marginal, depth 1, no scope.
    w.tsign("root", "ts1", 2, 2, "example.org");
    w.tsign("ts1", "y1", 2, 1, "");
    w.sign("ts1", "y2", 3);
    w.sign("y1", "z1", 3);
    w.tsign("root", "ts2", 1, 1, "");
    w.sign("ts2", "w1", 3);
}

}  // namespace

std::string cached_wot_web() {
    const RunResult v = run("gpg --version | head -n1");
    if (v.exit_code != 0) throw std::runtime_error("gpg is needed (scripts/bootstrap.sh)");
    std::string tag;
    for (char c : v.out)
        if (std::isalnum(static_cast<unsigned char>(c)) || c == '.') tag += c;
    const std::string dir = cache_root() + "/wot-web-v1-" + tag;
    if (fs::exists(dir + "/done")) return dir;
    const std::string tmp = dir + ".tmp." + std::to_string(::getpid());
    fs::remove_all(tmp);
    WebBuilder w(tmp + "/home");
    ::chmod((tmp + "/home").c_str(), 0700);
    make_keys(w);
    make_certifications(w);
    std::map<std::string, int> ot{{"root", 6}, {"m1", 4}, {"m2", 4}, {"m3", 4}, {"m4", 4}, {"n1", 3},
                                  {"r", 5},    {"e", 5},  {"l1", 5}, {"k8", 5}, {"x1", 5}};
    for (const char* k : {"k1", "k2", "k3", "k4", "k5"}) ot[k] = 5;
    w.ownertrust(ot);
    w.gpg("--export --export-options export-local-sigs -o " + shell_quote(tmp + "/keys.pgp"));
    kill_agent(tmp + "/home");
    write_bytes(tmp + "/done", as_bytes(std::string("ok\n")));
    std::error_code ec;
    fs::rename(tmp, dir, ec);
    if (ec) fs::remove_all(tmp);  // another process was first: use its web
    return dir;
}

}  // namespace pgpkit::test
