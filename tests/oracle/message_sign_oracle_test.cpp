// Signatures between pgpkit, gpg and sqop, both directions, for RSA, DSA, ECDSA P-256 and
// EdDSA keys: inline, detached and cleartext; and pgpkit's status lines against gpg's for
// the same input, apart from KEY_CONSIDERED and trust.
//
// The keys are made by gpg once and kept under the oracle cache (README.md): a gpg home
// and a pgpkit home with the same secret keys, and a sqop key whose certificate is in the
// pgpkit home.

#include <gtest/gtest.h>

#include <unistd.h>

#include <algorithm>
#include <cstring>
#include <filesystem>
#include <string>
#include <vector>

#include "tests/oracle/gpg_cache.h"
#include "tests/support/env.h"

namespace pgpkit::test {
namespace {

namespace fs = std::filesystem;

struct Kind {
    const char* name;
    const char* gpg_algo;  ///< --quick-gen-key algorithm
};
const Kind kinds[] = {{"rsa", "rsa2048"}, {"dsa", "dsa2048"}, {"p256", "nistp256"}, {"ed25519", "ed25519"}};

std::string pk() { return shell_quote(pgpkit_bin()); }

std::string text_of(const Bytes& b) { return std::string(b.begin(), b.end()); }

/** The cached fixture: gpg/, pgpkit/, sq.key, sq.cert, and one fingerprint file per kind. */
std::string make_fixture(const std::string& dir) {
    const std::string gpg = gpg_on(dir + "/gpg");
    fs::create_directories(dir + "/gpg");
    fs::permissions(dir + "/gpg", fs::perms::owner_all, fs::perm_options::replace);
    std::string log;
    for (const Kind& k : kinds) {
        const std::string uid = std::string(k.name) + " <" + k.name + "@oracle.test>";
        RunResult r = run(gpg + " --quick-gen-key " + shell_quote(uid) + " " + k.gpg_algo + " sign never");
        log += r.err;
        r = run(gpg + " --list-keys --with-colons " + shell_quote(std::string(k.name) + "@oracle.test"));
        for (const std::string& line : non_empty_lines(r.out))
            if (line.rfind("fpr:", 0) == 0) {
                write_bytes(dir + "/" + k.name + ".fpr", as_bytes(split(line, ':').at(9)));
                break;
            }
    }
    // A key expired since it signed, and a key revoked since it signed (gpg's own revocation
    // certificate, with the ':' gpg puts before its armor line removed).
    write_bytes(dir + "/fixture-data", as_bytes(std::string("fixture data\n")));
    const std::string data = shell_quote(dir + "/fixture-data");
    const std::string past = " --faked-system-time 20200101T000000";
    log += run(gpg + past + " --quick-gen-key 'expired <expired@oracle.test>' ed25519 sign 1y").err;
    log += run(gpg + " --faked-system-time 20200601T000000 -u expired@oracle.test -b -o " +
               shell_quote(dir + "/expired.sig") + " " + data).err;
    log += run(gpg + " --faked-system-time 20200601T000000 -u expired@oracle.test --default-sig-expire 1d -b -o " +
               shell_quote(dir + "/expsig.sig") + " " + data).err;
    log += run(gpg + " --quick-gen-key 'revoked <revoked@oracle.test>' ed25519 sign never").err;
    log += run(gpg + " -u revoked@oracle.test -b -o " + shell_quote(dir + "/revoked.sig") + " " + data).err;
    log += run("for f in " + shell_quote(dir + "/gpg/openpgp-revocs.d") + "/*.rev; do "
               "grep -q 'revoked@oracle.test' \"$f\" && sed 's/^:-----BEGIN/-----BEGIN/' \"$f\" | " + gpg +
               " --import; done").err;
    RunResult r = run(gpg + " --export-secret-keys -o " + shell_quote(dir + "/secret.pgp"));
    log += r.err;
    r = run(pk() + " import --home " + shell_quote(dir + "/pgpkit") + " " + shell_quote(dir + "/secret.pgp"));
    log += r.err;
    // gpg's ultimate trust in its own keys, for the TRUST_* lines.
    r = run(gpg + " --export-ownertrust > " + shell_quote(dir + "/ownertrust.txt") + " && " + pk() +
            " import-ownertrust --home " + shell_quote(dir + "/pgpkit") + " " + shell_quote(dir + "/ownertrust.txt"));
    log += r.err;
    r = run("sqop generate-key 'sq <sq@oracle.test>' > " + shell_quote(dir + "/sq.key") + " && sqop extract-cert < " +
            shell_quote(dir + "/sq.key") + " > " + shell_quote(dir + "/sq.cert"));
    log += r.err;
    r = run(pk() + " import --home " + shell_quote(dir + "/pgpkit") + " " + shell_quote(dir + "/sq.cert"));
    log += r.err;
    r = run(pk() + " export --home " + shell_quote(dir + "/pgpkit") + " -o " + shell_quote(dir + "/pgpkit.certs"));
    log += r.err;
    kill_agent(dir + "/gpg");
    return log;
}

const std::string& fixture() {
    static const std::string dir = [] {
        const std::string d = cache_root() + "/message-sign-v3";
        if (fs::exists(d + "/done")) return d;
        fs::create_directories(cache_root());
        const std::string tmp = d + ".tmp." + std::to_string(::getpid());
        fs::remove_all(tmp);
        fs::create_directories(tmp);
        const std::string log = make_fixture(tmp);
        write_bytes(tmp + "/make.log", as_bytes(log));
        write_bytes(tmp + "/done", as_bytes(std::string("ok\n")));
        std::error_code ec;
        fs::rename(tmp, d, ec);
        if (ec) fs::remove_all(tmp);
        return d;
    }();
    return dir;
}

std::string fpr(const std::string& kind) { return text_of(read_bytes(fixture() + "/" + kind + ".fpr")); }
/** The fixture's gpg home, copied for this test process (own_copy_of_home). */
std::string gpg_home() { return own_copy_of_home(fixture() + "/gpg"); }
std::string gpg() { return gpg_on(gpg_home()); }
std::string home() { return " --home " + shell_quote(fixture() + "/pgpkit"); }

/**
 * Status lines without KEY_CONSIDERED (gpg writes it once per key look-up, a varying number
 * of times) and gpg's exit note, and without trust unless `trust`; the rest verbatim.
 */
std::vector<std::string> normalised(const std::string& status, bool trust = true) {
    std::vector<std::string> out;
    for (const std::string& line : non_empty_lines(status)) {
        if (line.find("KEY_CONSIDERED") != std::string::npos || (!trust && line.find("TRUST_") != std::string::npos) ||
            line.find("FAILURE") != std::string::npos)
            continue;
        out.push_back(line);
    }
    return out;
}

/**
 * The human lines of a verification, "pgpkit:" read as "gpg:", without gpg's trustdb notes,
 * the validity word of the trust model read as "[trust]" unless `trust`.
 */
std::vector<std::string> human(const std::string& err, bool trust = true) {
    std::vector<std::string> out;
    for (std::string line : non_empty_lines(err)) {
        if (line.rfind("pgpkit:", 0) == 0) line = "gpg:" + line.substr(7);
        if (!trust)
            for (const char* w : {"[unknown]", "[never]", "[marginal]", "[full]", "[ultimate]"})
                if (const auto at = line.find(w); at != std::string::npos) line.replace(at, std::strlen(w), "[trust]");
        if (line.find("trustdb") != std::string::npos || line.find("marginals needed") != std::string::npos ||
            line.find("depth: ") != std::string::npos)
            continue;
        out.push_back(line);
    }
    return out;
}

class MessageSignOracle : public ::testing::TestWithParam<Kind> {
protected:
    TempDir dir;
    std::string f(const std::string& name) const { return shell_quote(dir.file(name)); }
    void SetUp() override {
        ASSERT_TRUE(fs::exists(fixture() + "/done"));
        ASSERT_EQ(fpr(GetParam().name).size(), 40u) << text_of(read_bytes(fixture() + "/make.log"));
        write_bytes(dir.file("data"), as_bytes(std::string("signed data\nwith two lines  \n")));
    }
    void TearDown() override { kill_agent(gpg_home()); }

    RunResult pgpkit_sign(const std::string& args, const std::string& out) {
        return run(pk() + " sign" + home() + " -u " + fpr(GetParam().name) + " " + args + " -o " + f(out) + " " +
                   f("data"));
    }
    RunResult gpg_sign(const std::string& args, const std::string& out) {
        return run(gpg() + " -u " + fpr(GetParam().name) + " " + args + " -o " + f(out) + " " + f("data"));
    }
    /** Both verifiers on the same input: exit codes and status lines. */
    struct Both {
        RunResult gpg, pgpkit;
        std::string gpg_status, pgpkit_status;
    };
    Both verify_both(const std::string& args, const std::string& other_gpg = {}, const std::string& pk_home = {}) {
        Both b;
        const std::string g = other_gpg.empty() ? gpg() : gpg_on(other_gpg);
        b.gpg = run(g + " --status-file " + f("gpg.status") + " --verify " + args);
        b.gpg_status = text_of(read_bytes(dir.file("gpg.status")));
        const std::string h = pk_home.empty() ? home() : " --home " + shell_quote(pk_home);
        b.pgpkit = run(pk() + " verify" + h + " --status-file " + f("pk.status") + " " + args);
        b.pgpkit_status = text_of(read_bytes(dir.file("pk.status")));
        return b;
    }
};

TEST_P(MessageSignOracle, GpgVerifiesPgpkitSignatures) {
    const std::string id = fpr(GetParam().name);
    for (const char* mode : {"", "-a", "-b", "-b -a", "--clearsign", "-b --textmode"}) {
        const RunResult s = pgpkit_sign(mode, "out");
        ASSERT_EQ(s.exit_code, 0) << mode << ": " << s.err;
        const std::string data = std::string(mode).find("-b") != std::string::npos ? " " + f("data") : "";
        const RunResult v = run(gpg() + " --status-fd 1 --verify " + f("out") + data);
        EXPECT_EQ(v.exit_code, 0) << mode << ": " << v.err;
        EXPECT_NE(v.out.find("[GNUPG:] VALIDSIG " + id), std::string::npos) << mode << ": " << v.out;
    }
}

TEST_P(MessageSignOracle, GpgReadsPgpkitsPartialLengthLiteralData) {
    // Over 8 KiB: the literal data goes out in partial chunks of 8 KiB, the last one definite.
    std::string big;
    for (int i = 0; big.size() < 100001; ++i) big += "line " + std::to_string(i) + "\n";
    big.resize(100001);
    write_bytes(dir.file("data"), as_bytes(big));
    for (const char* mode : {"", "-a", "-t"}) {
        ASSERT_EQ(pgpkit_sign(mode, "big.msg").exit_code, 0);
        const RunResult v = run(gpg() + " --status-fd 1 -o " + f("gpg.out") + " --verify " + f("big.msg"));
        EXPECT_EQ(v.exit_code, 0) << mode << ": " << v.err;
        EXPECT_NE(v.out.find("[GNUPG:] GOODSIG "), std::string::npos) << v.out;
        EXPECT_EQ(text_of(read_bytes(dir.file("gpg.out"))), big) << mode;
        const RunResult p = run(pk() + " verify" + home() + " -o " + f("pk.out") + " " + f("big.msg"));
        EXPECT_EQ(p.exit_code, 0) << p.err;
        EXPECT_EQ(text_of(read_bytes(dir.file("pk.out"))), big) << mode << ": the data pgpkit gives back, as gpg";
    }
}

TEST_P(MessageSignOracle, SigningStatusLinesEqualGpgs) {
    // Same key, same hash choice: the lines differ only in SIG_CREATED's time.
    auto lines = [](const std::string& out) {
        std::vector<std::string> v = non_empty_lines(out);
        for (std::string& l : v)
            if (l.rfind("[GNUPG:] SIG_CREATED ", 0) == 0) {
                auto f = split(l, ' ');
                f.at(6) = "TIME";
                l.clear();
                for (std::size_t i = 0; i < f.size(); ++i) l += (i ? " " : "") + f[i];
            }
        return v;
    };
    for (const char* mode : {"-s", "-b", "--clearsign"}) {
        const RunResult g = gpg_sign(std::string(mode) + " --status-fd 1", "g.out");
        const std::string pmode = std::string(mode) == "-s" ? "" : mode;
        const RunResult p = pgpkit_sign(pmode + " --status-fd 1", "p.out");
        ASSERT_EQ(g.exit_code, 0) << g.err;
        ASSERT_EQ(p.exit_code, 0) << p.err;
        EXPECT_EQ(lines(p.out), lines(g.out)) << mode;
    }
}

TEST_P(MessageSignOracle, PgpkitVerifiesGpgSignatures) {
    const std::string id = fpr(GetParam().name);
    for (const char* mode : {"-s", "-s -a", "-b", "--clearsign", "-b --textmode", "-s -z 0"}) {
        const RunResult s = gpg_sign(mode, "out");
        ASSERT_EQ(s.exit_code, 0) << mode << ": " << s.err;
        const std::string data = std::string(mode).find("-b") != std::string::npos ? " " + f("data") : "";
        const RunResult v = run(pk() + " verify" + home() + " --status-fd 1 " + f("out") + data);
        EXPECT_EQ(v.exit_code, 0) << mode << ": " << v.err;
        EXPECT_NE(v.out.find("[GNUPG:] VALIDSIG " + id), std::string::npos) << mode << ": " << v.out;
    }
}

TEST_P(MessageSignOracle, StatusLinesEqualGpgsForGoodBadAndMissingKeys) {
    ASSERT_EQ(gpg_sign("-b", "g.sig").exit_code, 0);
    ASSERT_EQ(pgpkit_sign("-b", "p.sig").exit_code, 0);
    ASSERT_EQ(gpg_sign("-s", "g.msg").exit_code, 0);
    ASSERT_EQ(pgpkit_sign("--clearsign", "p.asc").exit_code, 0);
    ASSERT_EQ(gpg_sign("-b --sig-notation 'note@oracle.test=a value with spaces and 100% more' "
                       "--sig-notation 'long@oracle.test=" + std::string(120, 'x') + "' "
                       "--sig-policy-url 'https://policy.example/p%20q'", "n.sig").exit_code, 0);
    for (const std::string& args : {f("g.sig") + " " + f("data"), f("p.sig") + " " + f("data"), f("g.msg"), f("p.asc"),
                                    f("n.sig") + " " + f("data")}) {
        const Both b = verify_both(args);
        EXPECT_EQ(b.gpg.exit_code, 0) << b.gpg.err;
        EXPECT_EQ(b.pgpkit.exit_code, 0) << b.pgpkit.err;
        EXPECT_EQ(normalised(b.pgpkit_status), normalised(b.gpg_status)) << args;
        EXPECT_EQ(human(b.pgpkit.err), human(b.gpg.err)) << args;
    }
    write_bytes(dir.file("data"), as_bytes(std::string("tampered\n")));
    for (const char* sig : {"g.sig", "p.sig"}) {
        const Both b = verify_both(f(sig) + " " + f("data"));
        EXPECT_EQ(b.gpg.exit_code, 1);
        EXPECT_EQ(b.pgpkit.exit_code, 1);
        EXPECT_EQ(normalised(b.pgpkit_status), normalised(b.gpg_status)) << sig;
    }
    // No key: an empty gpg home and an empty pgpkit home (gpg exits 2 here, pgpkit 1: DESIGN's "no").
    fs::create_directories(dir.file("empty-gpg"));
    fs::permissions(dir.file("empty-gpg"), fs::perms::owner_all, fs::perm_options::replace);
    const Both b = verify_both(f("g.msg"), dir.file("empty-gpg"), dir.file("empty-pk"));
    kill_agent(dir.file("empty-gpg"));
    EXPECT_NE(b.gpg.exit_code, 0);
    EXPECT_EQ(b.pgpkit.exit_code, 1);
    EXPECT_EQ(normalised(b.pgpkit_status), normalised(b.gpg_status));
    EXPECT_NE(b.pgpkit.err.find("Can't check signature: No public key"), std::string::npos) << b.pgpkit.err;
}

TEST(MessageKeyStateOracle, ExpiredAndRevokedKeysReportAsGpgDoes) {
    TempDir dir;
    const std::string data = shell_quote(fixture() + "/fixture-data");
    for (const std::string which : {"expired", "revoked", "expsig"}) {
        const std::string sig = shell_quote(fixture() + "/" + which + ".sig");
        const RunResult g = run(gpg() + " --status-file " + shell_quote(dir.file("g")) + " --verify " + sig + " " + data);
        const RunResult p = run(pk() + " verify" + home() + " --status-file " + shell_quote(dir.file("p")) + " " + sig +
                                " " + data);
        kill_agent(gpg_home());
        EXPECT_EQ(p.exit_code, g.exit_code) << which << ": " << p.err << g.err;
        const std::string gs = text_of(read_bytes(dir.file("g")));
        const std::string ps = text_of(read_bytes(dir.file("p")));
        const char* keyword = which == "expired" ? "[GNUPG:] EXPKEYSIG " : which == "revoked" ? "[GNUPG:] REVKEYSIG "
                                                                                              : "[GNUPG:] EXPSIG ";
        EXPECT_NE(ps.find(keyword), std::string::npos) << ps;
        EXPECT_EQ(normalised(ps, false), normalised(gs, false)) << which << "\npgpkit:\n" << ps << "gpg:\n" << gs;
        EXPECT_EQ(human(p.err, false), human(g.err, false)) << which;
    }
}

TEST_P(MessageSignOracle, SqopVerifiesPgpkitSignatures) {
    const std::string certs = shell_quote(fixture() + "/pgpkit.certs");
    ASSERT_EQ(pgpkit_sign("-b", "p.sig").exit_code, 0);
    RunResult v = run("sqop verify " + f("p.sig") + " " + certs + " < " + f("data"));
    EXPECT_EQ(v.exit_code, 0) << v.err;
    EXPECT_NE(v.out.find(fpr(GetParam().name)), std::string::npos) << v.out;
    for (const char* mode : {"", "-a", "--clearsign", "-t"}) {
        ASSERT_EQ(pgpkit_sign(mode, "p.msg").exit_code, 0);
        v = run("sqop inline-verify " + certs + " < " + f("p.msg") + " > " + f("sq.out"));
        EXPECT_EQ(v.exit_code, 0) << mode << ": " << v.err;
        // sqop gives back the signed text of a cleartext message without trailing whitespace,
        // and literal text as stored (CR LF).
        const std::string m = mode;
        const std::string want = m == "--clearsign" ? "signed data\nwith two lines\n"
                                 : m == "-t"        ? "signed data\r\nwith two lines  \r\n"
                                                    : text_of(read_bytes(dir.file("data")));
        EXPECT_EQ(text_of(read_bytes(dir.file("sq.out"))), want) << mode;
    }
}

INSTANTIATE_TEST_SUITE_P(Keys, MessageSignOracle, ::testing::ValuesIn(kinds),
                         [](const auto& info) { return std::string(info.param.name); });

TEST(MessageNestedOracle, TwoSignersInlineAndDetachedAsGpgReadsThem) {
    TempDir dir;
    write_bytes(dir.file("data"), as_bytes(std::string("two signers\n")));
    const std::string users = " -u " + fpr("rsa") + " -u " + fpr("ed25519");
    for (const char* mode : {"", "-b"}) {
        const RunResult s = run(pk() + " sign" + home() + users + " " + mode + " -o " + shell_quote(dir.file("out")) +
                                " " + shell_quote(dir.file("data")));
        ASSERT_EQ(s.exit_code, 0) << s.err;
        const std::string args = shell_quote(dir.file("out")) + (std::string(mode) == "-b" ? " " + shell_quote(dir.file("data")) : "");
        const RunResult g = run(gpg() + " --status-file " + shell_quote(dir.file("g")) + " --verify " + args);
        const RunResult p = run(pk() + " verify" + home() + " --status-file " + shell_quote(dir.file("p")) + " " + args);
        kill_agent(gpg_home());
        EXPECT_EQ(g.exit_code, 0) << g.err;
        EXPECT_EQ(p.exit_code, 0) << p.err;
        const std::vector<std::string> gs = normalised(text_of(read_bytes(dir.file("g"))));
        EXPECT_EQ(normalised(text_of(read_bytes(dir.file("p")))), gs) << mode;
        EXPECT_EQ(std::count_if(gs.begin(), gs.end(), [](const std::string& l) { return l.find("GOODSIG") != std::string::npos; }), 2);
    }
}

TEST(MessagePipemodeOracle, EachOperationReportsAsGpgVerifyingItAlone) {
    // gpg 2.2 has no pipemode: its lines for each signature verified alone, in turn, are
    // what pgpkit writes between BEGIN_STREAM and END_STREAM.
    TempDir dir;
    std::string input = "@<", expected = "[GNUPG:] BEGIN_STREAM\n";
    auto esc = [](const std::string& s) {
        std::string out;
        for (char c : s) out += c == '@' ? std::string("@@") : std::string(1, c);
        return out;
    };
    for (int i = 0; i < 5; ++i) {
        const Kind& k = kinds[i % 4];
        const std::string data = "operation " + std::to_string(i) + " @ pipemode\n";
        write_bytes(dir.file("data"), as_bytes(data));
        ASSERT_EQ(run(gpg() + " -u " + fpr(k.name) + " -b -o " + shell_quote(dir.file("sig")) + " " +
                      shell_quote(dir.file("data"))).exit_code, 0);
        const std::string checked = i == 3 ? data + "tampered" : data;
        write_bytes(dir.file("checked"), as_bytes(checked));
        run(gpg() + " --status-file " + shell_quote(dir.file("g")) + " --verify " + shell_quote(dir.file("sig")) + " " +
            shell_quote(dir.file("checked")));
        expected += text_of(read_bytes(dir.file("g")));
        input += "@B" + esc(text_of(read_bytes(dir.file("sig")))) + "@t" + esc(checked) + "@.";
    }
    kill_agent(gpg_home());
    input += "@>";
    expected += "[GNUPG:] END_STREAM\n";
    write_bytes(dir.file("pipe"), as_bytes(input));
    const RunResult p = run(pk() + " verify" + home() + " --pipemode --status-fd 1 " + shell_quote(dir.file("pipe")));
    EXPECT_EQ(p.exit_code, 1) << "one of the five is bad: " << p.err;
    EXPECT_EQ(normalised(p.out), normalised(expected));
}

TEST(MessageSubkeyOracle, TheNewestSigningSubkeySignsAsWithGpg) {
    TempDir dir;
    const std::string home = dir.file("gpg");
    fs::create_directories(home);
    fs::permissions(home, fs::perms::owner_all, fs::perm_options::replace);
    const std::string g = gpg_on(home);
    ASSERT_EQ(run(g + " --faked-system-time 20260101T000000 --quick-gen-key 'sub <sub@oracle.test>' ed25519 cert never")
                  .exit_code, 0);
    const RunResult l = run(g + " --list-keys --with-colons sub@oracle.test");
    std::string primary;
    for (const std::string& line : non_empty_lines(l.out))
        if (line.rfind("fpr:", 0) == 0 && primary.empty()) primary = split(line, ':').at(9);
    ASSERT_EQ(primary.size(), 40u) << l.err;
    // Two signing subkeys, the second one newer; and an encryption subkey newer still.
    ASSERT_EQ(run(g + " --faked-system-time 20260201T000000 --quick-add-key " + primary + " ed25519 sign never").exit_code, 0);
    ASSERT_EQ(run(g + " --faked-system-time 20260301T000000 --quick-add-key " + primary + " ed25519 sign never").exit_code, 0);
    ASSERT_EQ(run(g + " --faked-system-time 20260401T000000 --quick-add-key " + primary + " cv25519 encr never").exit_code, 0);
    ASSERT_EQ(run(g + " --export-secret-keys -o " + shell_quote(dir.file("sec.pgp"))).exit_code, 0);
    ASSERT_EQ(run(pk() + " import --home " + shell_quote(dir.file("pk")) + " " + shell_quote(dir.file("sec.pgp"))).exit_code, 0);
    write_bytes(dir.file("data"), as_bytes(std::string("subkeys\n")));
    const RunResult gs = run(g + " -b --status-fd 1 -u " + primary + " -o " + shell_quote(dir.file("g.sig")) + " " +
                             shell_quote(dir.file("data")));
    const RunResult ps = run(pk() + " sign --home " + shell_quote(dir.file("pk")) + " -b --status-fd 1 -u " + primary +
                             " -o " + shell_quote(dir.file("p.sig")) + " " + shell_quote(dir.file("data")));
    kill_agent(home);
    ASSERT_EQ(gs.exit_code, 0) << gs.err;
    ASSERT_EQ(ps.exit_code, 0) << ps.err;
    auto signer = [](const std::string& out) {
        for (const std::string& line : non_empty_lines(out))
            if (line.rfind("[GNUPG:] SIG_CREATED ", 0) == 0) return split(line, ' ').back();
        return std::string();
    };
    EXPECT_EQ(signer(ps.out), signer(gs.out)) << ps.out << gs.out;
    EXPECT_NE(signer(ps.out), primary);
    const RunResult v = run(gpg_on(home) + " --verify " + shell_quote(dir.file("p.sig")) + " " + shell_quote(dir.file("data")));
    kill_agent(home);
    EXPECT_EQ(v.exit_code, 0) << v.err;
}

TEST(MessageSqopOracle, PgpkitVerifiesSqopSignaturesInEachForm) {
    TempDir dir;
    write_bytes(dir.file("data"), as_bytes(std::string("from sqop\n")));
    const std::string key = shell_quote(fixture() + "/sq.key");
    const std::string data = shell_quote(dir.file("data"));
    struct Case {
        std::string make;
        bool detached;
    };
    const std::vector<Case> cases = {{"sqop sign " + key, true},
                                     {"sqop sign --as=text " + key, true},
                                     {"sqop inline-sign " + key, false},
                                     {"sqop inline-sign --as=clearsigned " + key, false},
                                     {"sqop inline-sign --as=text " + key, false}};
    for (const Case& c : cases) {
        const RunResult s = run(c.make + " < " + data + " > " + shell_quote(dir.file("out")));
        ASSERT_EQ(s.exit_code, 0) << c.make << ": " << s.err;
        const RunResult v = run(pk() + " verify" + home() + " --status-fd 1 -o " + shell_quote(dir.file("got")) + " " +
                                shell_quote(dir.file("out")) + (c.detached ? " " + data : ""));
        EXPECT_EQ(v.exit_code, 0) << c.make << ": " << v.err;
        EXPECT_NE(v.out.find("[GNUPG:] GOODSIG "), std::string::npos) << c.make << ": " << v.out;
        if (!c.detached) {
            EXPECT_EQ(text_of(read_bytes(dir.file("got"))), "from sqop\n") << c.make;
        }
    }
    // Tampered data: exit 1.
    ASSERT_EQ(run("sqop sign " + key + " < " + data + " > " + shell_quote(dir.file("sig"))).exit_code, 0);
    write_bytes(dir.file("data"), as_bytes(std::string("from sqoq\n")));
    const RunResult v = run(pk() + " verify" + home() + " " + shell_quote(dir.file("sig")) + " " + data);
    EXPECT_EQ(v.exit_code, 1) << v.err;
}

}  // namespace
}  // namespace pgpkit::test
