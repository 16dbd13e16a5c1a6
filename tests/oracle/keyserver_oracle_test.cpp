// gpg 2.2 (through dirmngr) against `pgpkit serve`: --send-keys, --recv-keys,
// --search-keys and --refresh-keys with keys of several algorithms and real Debian keys;
// gpg must get back the certificates it uploaded, merged.
#include <gtest/gtest.h>

#include <sys/stat.h>

#include <fstream>
#include <optional>

#include "base/error.h"
#include "cert/cert.h"
#include "keyserver/index_build.h"
#include "packet/source.h"
#include "tests/oracle/gpg_cache.h"
#include "tests/support/env.h"
#include "tests/support/serve_process.h"

namespace pgpkit::test {
namespace {

/** Debian keyring certificates that carry third-party certifications (from its head). */
std::vector<cert::Cert> debian_certs(std::size_t n) {
    Bytes head = read_bytes("/usr/share/keyrings/debian-keyring.gpg");
    head.resize(std::min<std::size_t>(head.size(), 1000000));
    std::vector<cert::Cert> out;
    packet::MemorySource src(head);
    cert::ReadOptions ro;
    ro.deliver_partial = false;
    try {
        cert::read_certs(src, ro, {[&](cert::Cert&& c) {
                             if (out.size() < n && cert::write_cert(keyserver::without_third_party(c)).size() <
                                                       cert::write_cert(c).size())
                                 out.push_back(std::move(c));
                         },
                                   {}});
    } catch (const Error&) {
        // The cut ends inside a certificate.
    }
    return out;
}

class KeyserverOracle : public ::testing::Test {
protected:
    void SetUp() override {
        server.emplace("--home " + shell_quote(dir.file("ks")), dir.file("serve.log"));
        port = std::to_string(server->port());
    }
    void TearDown() override {
        for (const auto& h : homes) run("GNUPGHOME=" + shell_quote(h) + " gpgconf --kill dirmngr");
        for (const auto& h : homes) kill_agent(h);
        server.reset();
    }
    std::string home(const std::string& name) {
        const std::string h = dir.file(name);
        ::mkdir(h.c_str(), 0700);
        std::ofstream(h + "/dirmngr.conf") << "keyserver hkp://127.0.0.1:" << port << "\n";
        homes.push_back(h);
        return h;
    }
    RunResult gpg(const std::string& h, const std::string& args) {
        return run("GNUPGHOME=" + shell_quote(h) + " " + gpg_on(h) + " --keyserver hkp://127.0.0.1:" + port + " " + args);
    }
    /** fpr -> number of sig records in h's listing of that key. */
    std::size_t sig_count(const std::string& h, const std::string& fpr) {
        const RunResult r = gpg(h, "--with-colons --list-sigs " + fpr);
        std::size_t n = 0;
        for (const auto& l : non_empty_lines(r.out)) n += l.rfind("sig:", 0) == 0 ? 1 : 0;
        return n;
    }

    TempDir dir;
    std::optional<ServeProcess> server;
    std::string port;
    std::vector<std::string> homes;
};

TEST_F(KeyserverOracle, SendRecvSearchAndRefreshWithGpg) {
    const std::vector<std::string> algos = {"ed25519-sha512", "rsa2048-sha512", "dsa2048-sha256", "nistp256-sha256",
                                            "brainpoolP256r1-sha512", "secp256k1-sha512"};
    const auto debian = debian_certs(3);
    ASSERT_EQ(debian.size(), 3u);
    Bytes stripped, full;
    for (const auto& c : debian) {
        const Bytes s = cert::write_cert(keyserver::without_third_party(c));
        const Bytes f = cert::write_cert(c);
        stripped.insert(stripped.end(), s.begin(), s.end());
        full.insert(full.end(), f.begin(), f.end());
    }
    write_bytes(dir.file("stripped.gpg"), stripped);
    write_bytes(dir.file("full.gpg"), full);

    // Home A sends the algorithm keys and the Debian keys without third-party certifications.
    const std::string a = home("a");
    std::string files;
    for (const auto& n : algos) files += " " + shell_quote(test_data_dir() + "/cert/" + n + ".pgp");
    ASSERT_EQ(gpg(a, "--import" + files + " " + shell_quote(dir.file("stripped.gpg"))).exit_code, 0);
    std::string primaries;
    for (const auto& c : debian) primaries += " " + to_hex(c.fingerprint());
    const RunResult sent = gpg(a, "--send-keys" + primaries + " 45F7038ACD51FA9AD01BFF5A71290C550806E030");
    ASSERT_EQ(sent.exit_code, 0) << sent.err;
    std::string algo_fprs;
    for (const auto& n : algos) {
        const auto c = cert::read_all_certs(read_bytes(test_data_dir() + "/cert/" + n + ".pgp")).at(0);
        algo_fprs += " " + to_hex(c.fingerprint());
    }
    ASSERT_EQ(gpg(a, "--send-keys" + algo_fprs).exit_code, 0);

    // Home C sends the full Debian certificates: the server merges them.
    const std::string c = home("c");
    ASSERT_EQ(gpg(c, "--import " + shell_quote(dir.file("full.gpg"))).exit_code, 0);
    ASSERT_EQ(gpg(c, "--send-keys" + primaries).exit_code, 0);

    // Home B receives everything: the same certificates, the Debian ones merged.
    const std::string b = home("b");
    // gpg 2.2.17 and later import from keyservers with self-sigs-only and import-clean;
    // without them it keeps the third-party certifications the server merged.
    const std::string keep = " --keyserver-options no-self-sigs-only,no-import-clean";
    const RunResult got = gpg(b, keep + " --recv-keys" + primaries + algo_fprs);
    ASSERT_EQ(got.exit_code, 0) << got.err;
    for (const auto& d : debian) {
        const std::string f = to_hex(d.fingerprint());
        EXPECT_EQ(sig_count(b, f), sig_count(c, f)) << f;
        EXPECT_GT(sig_count(b, f), sig_count(a, f)) << f;
    }
    for (const auto& n : algos) {
        const std::string want = gpg(a, "--export " + shell_quote(n.substr(0, n.find('-')) + "@example.org")).out;
        EXPECT_EQ(gpg(b, "--export " + shell_quote(n.substr(0, n.find('-')) + "@example.org")).out, want) << n;
    }

    // --search-keys lists what the server has.
    const RunResult found = gpg(b, "--with-colons --search-keys ed25519@example.org");
    EXPECT_NE(found.out.find("pub:45F7038ACD51FA9AD01BFF5A71290C550806E030:22:"), std::string::npos)
        << found.out << found.err;
    EXPECT_NE(found.out.find("uid:pgpkit ed25519 <ed25519@example.org>:"), std::string::npos) << found.out;

    // --refresh-keys brings home A the certifications home C uploaded.
    const RunResult refreshed = gpg(a, keep + " --refresh-keys" + primaries);
    EXPECT_EQ(refreshed.exit_code, 0) << refreshed.err;
    for (const auto& d : debian) EXPECT_EQ(sig_count(a, to_hex(d.fingerprint())), sig_count(c, to_hex(d.fingerprint())));

    // pgpkit's client and gpg's, each with its keyserver defaults (self-sigs-only,
    // import-clean), receive the same certificates from the same server, byte for byte.
    const std::string d = home("d"), p = dir.file("pgpkit");
    ASSERT_EQ(gpg(d, "--recv-keys" + primaries + algo_fprs).exit_code, 0);
    const RunResult pr = run(shell_quote(pgpkit_bin()) + " keyserver recv -q --home " + shell_quote(p) +
                             " --keyserver hkp://127.0.0.1:" + port + primaries + algo_fprs);
    ASSERT_EQ(pr.exit_code, 0) << pr.out << pr.err;
    for (const std::string& f : split(primaries + algo_fprs, ' ')) {
        if (f.empty()) continue;
        const RunResult ours = run(shell_quote(pgpkit_bin()) + " export --home " + shell_quote(p) + " " + f);
        EXPECT_EQ(ours.out, gpg(d, "--export " + f).out) << f;
    }
}

}  // namespace
}  // namespace pgpkit::test
