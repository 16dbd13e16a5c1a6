// check-trustdb / update-trustdb and the validity of list-keys over a home (issue 11): the
// small web of tests/data/trust (make-small-web.sh) imported into a store, ownertrust
// root 6, a 5, b 4, computed at a fixed time.

#include <gtest/gtest.h>

#include <map>
#include <string>
#include <vector>

#include "tests/support/env.h"
#include "trust/trustdb.h"

namespace pgpkit::test {
namespace {

constexpr const char* kNow = "1767225600";  // 2026-01-01, as tests/trust/wot_test.cpp

std::string pgpkit(const std::string& args) { return "TZ=UTC " + pgpkit_bin() + " " + args; }

/** A home with the small web imported; names ("root", "a", ...) to fingerprints and user IDs. */
class Home {
public:
    Home() : m_home(m_dir.file("home")) {
        const auto imp = run(pgpkit("import -q --home " + shell_quote(m_home) + " " +
                                    shell_quote(test_data_dir() + "/trust/small-web.pgp")));
        if (imp.exit_code != 0) throw std::runtime_error("import failed: " + imp.err);
        const auto r = run(pgpkit("list-keys --with-colons --home " + shell_quote(m_home)));
        std::string fpr;
        for (const std::string& line : non_empty_lines(r.out)) {
            const auto f = split(line, ':');
            if (f[0] == "pub") fpr.clear();
            if (f[0] == "fpr" && fpr.empty()) fpr = f[9];
            if (f[0] == "uid") {
                const std::string name = f[9].substr(0, f[9].find(' '));
                m_fpr[name] = fpr;
                m_uid[name] = f[9];
            }
        }
        if (m_fpr.size() != 8) throw std::runtime_error("small web: expected 8 keys:\n" + r.out + r.err);
    }
    void ownertrust() {
        const std::string text = fpr("root") + ":6:\n" + fpr("a") + ":5:\n" + fpr("b") + ":4:\n";
        const auto r = run(pgpkit("import-ownertrust --home " + shell_quote(m_home) + " -"), text);
        if (r.exit_code != 0) throw std::runtime_error("import-ownertrust failed: " + r.err);
    }
    RunResult cmd(const std::string& command, const std::string& args = {}) const {
        return run(pgpkit(command + " --home " + shell_quote(m_home) + " --faked-system-time " + kNow + " " + args));
    }
    /** "name:field2:field9" of pub records and "name:field2" of uid records, in name order. */
    std::string letters(const std::string& args = {}) const {
        const auto r = cmd("list-keys --with-colons", args);
        if (r.exit_code != 0) return "exit " + std::to_string(r.exit_code) + ": " + r.err;
        std::map<std::string, std::string> by_name;
        std::string pub;
        for (const std::string& line : non_empty_lines(r.out)) {
            const auto f = split(line, ':');
            if (f[0] == "pub") pub = f[1] + f[8];
            if (f[0] == "uid") by_name[f[9].substr(0, f[9].find(' '))] = pub + "/" + f[1];
        }
        std::string s;
        for (const auto& [n, v] : by_name) s += n + ":" + v + " ";
        return s;
    }
    std::string tru(const std::string& args = {}) const {
        const auto r = cmd("list-keys --with-colons", args);
        return non_empty_lines(r.out).empty() ? std::string() : non_empty_lines(r.out)[0];
    }
    const std::string& fpr(const std::string& n) const { return m_fpr.at(n); }
    const std::string& uid(const std::string& n) const { return m_uid.at(n); }
    std::string trustdb() const { return m_home + "/trustdb.gpg"; }
    const std::string& path() const { return m_home; }

private:
    TempDir m_dir;
    std::string m_home;
    std::map<std::string, std::string> m_fpr, m_uid;
};

Bytes unhex(const std::string& h) {
    Bytes out;
    for (std::size_t i = 0; i + 1 < h.size(); i += 2)
        out.push_back(static_cast<std::uint8_t>(std::stoi(h.substr(i, 2), nullptr, 16)));
    return out;
}

TEST(TrustCli, ListingWithoutOwnertrustIsUnchanged) {
    Home h;
    EXPECT_EQ(h.tru(), "tru::1:0:0:3:1:5");
    EXPECT_EQ(h.letters(), "a:--/- b:--/- c:--/- d:--/- e1:--/- e2:--/- root:--/- t:--/- ");
}

TEST(TrustCli, CheckTrustdbLogsAsGpgAndTheListingShowsValidity) {
    Home h;
    h.ownertrust();
    const auto r = h.cmd("check-trustdb");
    ASSERT_EQ(r.exit_code, 0) << r.err;
    const auto lines = non_empty_lines(r.err);
    ASSERT_GE(lines.size(), 3u) << r.err;
    EXPECT_EQ(lines[0], "pgpkit: marginals needed: 3  completes needed: 1  trust model: pgp");
    EXPECT_EQ(lines[1], "pgpkit: depth: 0  valid:   1  signed:   2  trust: 0-, 0q, 0n, 0m, 0f, 1u");
    EXPECT_EQ(r.out, "");
    // README of tests/data: root u, a f, b f, c m, d -, t f, e1 f, e2 -; t's ownertrust is
    // raised to full by root's trust signature.
    EXPECT_EQ(h.letters(), "a:ff/f b:fm/f c:m-/m d:--/- e1:f-/f e2:--/- root:uu/u t:ff/f ");
    EXPECT_EQ(h.tru(), std::string("tru::1:") + kNow + ":0:3:1:5");
    const trust::Trustdb db = trust::Trustdb::load(h.trustdb());
    const auto c = db.validity(unhex(h.fpr("c")), as_bytes(h.uid("c")));
    ASSERT_TRUE(c.has_value());
    EXPECT_EQ(c->validity, 4);
    EXPECT_EQ(c->marginal_count, 1);
    EXPECT_EQ(db.find_trust(unhex(h.fpr("t")))->min_ownertrust, 5);
    EXPECT_EQ(db.find_trust(unhex(h.fpr("c")))->depth, 2);
    EXPECT_EQ(db.version().created, 1767225600u);
    EXPECT_EQ(db.version().nextcheck, 0u);
}

TEST(TrustCli, HumanListingShowsGpgsTags) {
    Home h;
    h.ownertrust();
    const auto r = h.cmd("list-keys");
    ASSERT_EQ(r.exit_code, 0) << r.err;
    for (const char* want : {"uid           [ultimate] root <root@example.org>\n",
                             "uid           [  full  ] a <a@example.org>\n",
                             "uid           [marginal] c <c@example.org>\n",
                             "uid           [ unknown] d <d@example.org>\n"})
        EXPECT_NE(r.out.find(want), std::string::npos) << want << r.out;
    const auto cl = h.cmd("list-keys", "--trust-model classic");
    EXPECT_NE(cl.out.find("uid           [  undef ] e2 <e2@other.net>\n"), std::string::npos) << cl.out;
}

TEST(TrustCli, OptionsChangeTheValidityAndTheTruRecord) {
    Home h;
    h.ownertrust();
    ASSERT_EQ(h.cmd("update-trustdb").exit_code, 0);
    // d has only a level-1 certification, by root.
    EXPECT_NE(h.letters("--min-cert-level 1").find("d:f-/f"), std::string::npos) << h.letters("--min-cert-level 1");
    EXPECT_NE(h.letters("--trust-model classic").find("e1:q-/q e2:q-/q root:uu/u t:f-/f"), std::string::npos)
        << h.letters("--trust-model classic");
    EXPECT_EQ(h.tru("--min-cert-level 1 --marginals-needed 2"), std::string("tru:ml:1:") + kNow + ":0:3:1:5");
    EXPECT_EQ(h.tru("--trust-model classic"), std::string("tru:t:1:") + kNow + ":0:3:1:5");
    const auto cl = h.cmd("check-trustdb", "--trust-model classic --completes-needed 2");
    ASSERT_EQ(cl.exit_code, 0) << cl.err;
    EXPECT_EQ(non_empty_lines(cl.err)[0], "pgpkit: marginals needed: 3  completes needed: 2  trust model: classic");
    EXPECT_EQ(h.tru("--trust-model classic --completes-needed 2"), std::string("tru::0:") + kNow + ":0:3:2:5");
}

TEST(TrustCli, TrustedKeyIsUltimateWithoutOwnertrust) {
    Home h;
    EXPECT_NE(h.letters("--trusted-key " + h.fpr("root")).find("a:f-/f"), std::string::npos);
    EXPECT_NE(h.letters("--trusted-key " + h.fpr("root").substr(24)).find("root:u-/u"), std::string::npos);
    const auto r = h.cmd("check-trustdb", "--trusted-key " + h.fpr("root"));
    ASSERT_EQ(r.exit_code, 0) << r.err;
    ASSERT_EQ(non_empty_lines(r.err).size(), 5u) << r.err;
    EXPECT_EQ(non_empty_lines(r.err)[0], "pgpkit: key " + h.fpr("root").substr(24) + " marked as ultimately trusted");
    EXPECT_EQ(non_empty_lines(r.err)[2], "pgpkit: depth: 0  valid:   1  signed:   2  trust: 0-, 0q, 0n, 0m, 0f, 1u");
    const auto none = h.cmd("check-trustdb");
    ASSERT_EQ(none.exit_code, 0) << none.err;
    EXPECT_EQ(none.err, "pgpkit: no ultimately trusted keys found\n");
}

TEST(TrustCli, JsonNamesThePathToTheUltimateKey) {
    Home h;
    h.ownertrust();
    const auto r = h.cmd("check-trustdb --json -q");
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_EQ(r.err, "");
    // c <- b (marginal) <- a (full) <- root (ultimate).
    const std::string c = "{\"fingerprint\":\"" + h.fpr("c") + "\",\"validity\":\"marginal\",\"letter\":\"m\"";
    const auto at = r.out.find(c);
    ASSERT_NE(at, std::string::npos) << r.out;
    const std::string line = r.out.substr(at, r.out.find('\n', at) - at);
    const std::string path = "\"path\":[{\"fingerprint\":\"" + h.fpr("c") + "\",\"user_id\":\"" + h.uid("c") +
                             "\",\"certified_by\":\"" + h.fpr("b") + "\",\"signer_trust\":\"marginal\"";
    EXPECT_NE(line.find(path), std::string::npos) << line;
    EXPECT_NE(line.find("\"certified_by\":\"" + h.fpr("a") + "\""), std::string::npos) << line;
    EXPECT_NE(line.find("\"certified_by\":\"" + h.fpr("root") + "\",\"signer_trust\":\"ultimate\",\"signer_ultimate\":true"),
              std::string::npos)
        << line;
}

TEST(TrustCli, OptionsGpgRefusesExitTwo) {
    Home h;
    h.ownertrust();
    const auto m = h.cmd("check-trustdb", "--marginals-needed 1");
    EXPECT_EQ(m.exit_code, 2);
    EXPECT_EQ(m.err, "pgpkit: error: marginals-needed must be greater than 1\n");
    EXPECT_EQ(h.cmd("list-keys", "--max-cert-depth 0").exit_code, 2);
    EXPECT_EQ(h.cmd("list-keys", "--min-cert-level 4").exit_code, 2);
    EXPECT_EQ(h.cmd("check-trustdb", "--trust-model tofu").exit_code, 2);
    EXPECT_EQ(h.cmd("check-trustdb", "--trusted-key 1234").exit_code, 2);
    const auto a = h.cmd("check-trustdb", "--trust-model always");
    EXPECT_EQ(a.exit_code, 0);
    EXPECT_EQ(a.err, "pgpkit: no need for a trustdb check with 'always' trust model\n");
}

TEST(TrustCli, DamagedTrustdbIsOneLineExitTwoAndLeftAlone) {
    Home h;
    h.ownertrust();
    Bytes data = read_bytes(h.trustdb());
    data[30 * 40] = 7;  // the first record after the hash table: a trust record
    write_bytes(h.trustdb(), data);
    const auto r = h.cmd("check-trustdb");
    EXPECT_EQ(r.exit_code, 2);
    EXPECT_EQ(r.err, "pgpkit: error: " + h.trustdb() + ": trustdb record 30: bad record type 7 at offset 1200\n");
    EXPECT_EQ(read_bytes(h.trustdb()), data);
    const auto l = h.cmd("list-keys");
    EXPECT_EQ(l.exit_code, 2);
    EXPECT_EQ(non_empty_lines(l.err).size(), 1u) << l.err;
}

}  // namespace
}  // namespace pgpkit::test
