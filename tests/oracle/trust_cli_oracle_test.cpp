// check-trustdb and list-keys against gpg (issue 11): the web of wot_web.cpp imported into a
// pgpkit store with the same ownertrust (`pgpkit import-ownertrust` of gpg's export), then
// for a few settings `pgpkit check-trustdb` beside `gpg --check-trustdb`: the same log lines,
// the same colon listing (tru record; fields 2 and 9 of pub, field 2 of uid and sub), the
// same trustdb contents (every trust record's ownertrust, depth and min_ownertrust, every
// validity record), and gpg itself lists the same from the trustdb pgpkit wrote.
#include <gtest/gtest.h>

#include <algorithm>
#include <ctime>
#include <map>
#include <string>
#include <vector>

#include "base/bytes.h"
#include "tests/oracle/gpg_cache.h"
#include "tests/oracle/wot_web.h"
#include "tests/support/env.h"
#include "trust/trustdb.h"

namespace pgpkit::test {
namespace {

std::string pgpkit(const std::string& args) { return "TZ=UTC " + pgpkit_bin() + " " + args; }

/**
 * The records compared, by key: "tru ..." whole, then per primary fingerprint the pub
 * record's fields 2 and 9 and each uid/uat/sub record's field 2 (with the user ID).
 */
std::map<std::string, std::vector<std::string>> digest(const std::string& colons) {
    std::map<std::string, std::vector<std::string>> out;
    std::vector<std::string>* cur = nullptr;
    std::string pending;
    for (const std::string& line : non_empty_lines(colons)) {
        const auto f = split(line, ':');
        if (f[0] == "tru") {
            out["tru"].push_back(line);
        } else if (f[0] == "pub") {
            pending = "pub " + f[1] + " " + f[8];
            cur = nullptr;
        } else if (f[0] == "fpr" && !pending.empty()) {
            cur = &out[f[9]];
            cur->push_back(pending);
            pending.clear();
        } else if (cur && (f[0] == "uid" || f[0] == "uat")) {
            cur->push_back(f[0] + " " + f[1] + " " + f[9]);
        } else if (cur && f[0] == "sub") {
            cur->push_back("sub " + f[1] + " " + f[4]);
        }
    }
    return out;
}

std::string diff(const std::map<std::string, std::vector<std::string>>& want,
                 const std::map<std::string, std::vector<std::string>>& got) {
    std::string out;
    auto keys = [](const auto& m) {
        std::vector<std::string> k;
        for (const auto& [n, v] : m) k.push_back(n);
        return k;
    };
    std::vector<std::string> all = keys(want);
    for (const auto& k : keys(got)) all.push_back(k);
    std::sort(all.begin(), all.end());
    all.erase(std::unique(all.begin(), all.end()), all.end());
    const std::vector<std::string> none;
    for (const auto& k : all) {
        const auto w = want.find(k), g = got.find(k);
        const auto& a = w == want.end() ? none : w->second;
        const auto& b = g == got.end() ? none : g->second;
        if (a == b) continue;
        out += k + ":\n  gpg:";
        for (const auto& l : a) out += " [" + l + "]";
        out += "\n  pgpkit:";
        for (const auto& l : b) out += " [" + l + "]";
        out += "\n";
    }
    return out;
}

/** A trustdb's contents without its record numbers: version options and times, then per key. */
std::vector<std::string> contents(const std::string& path) {
    const trust::Trustdb db = trust::Trustdb::load(path);
    const trust::VersionRecord& v = db.version();
    std::vector<std::string> out;
    out.push_back("version " + std::to_string(v.marginals) + " " + std::to_string(v.completes) + " " +
                  std::to_string(v.cert_depth) + " " + std::to_string(static_cast<unsigned>(v.trust_model)) + " " +
                  std::to_string(v.min_cert_level) + " created " + std::to_string(v.created) + " next " +
                  std::to_string(v.nextcheck));
    std::vector<std::string> keys;
    for (const trust::Record& r : db.records()) {
        const auto* t = std::get_if<trust::TrustRecord>(&r.body);
        if (!t) continue;
        const ByteView fpr(t->fingerprint.data(), t->fingerprint.size());
        std::string s = to_hex(fpr) + " ot " + std::to_string(t->ownertrust) + " depth " + std::to_string(t->depth) +
                        " min " + std::to_string(t->min_ownertrust);
        std::vector<std::string> uids;
        for (const trust::ValidRecord& u : db.validities(fpr))
            uids.push_back(" [" + to_hex(ByteView(u.namehash.data(), 20)).substr(0, 8) + " " +
                           std::to_string(u.validity) + " f" + std::to_string(u.full_count) + " m" +
                           std::to_string(u.marginal_count) + "]");
        std::sort(uids.begin(), uids.end());
        for (const auto& u : uids) s += u;
        keys.push_back(s);
    }
    std::sort(keys.begin(), keys.end());
    out.insert(out.end(), keys.begin(), keys.end());
    return out;
}

std::string joined(const std::vector<std::string>& v) {
    std::string s;
    for (const auto& l : v) s += l + "\n";
    return s;
}

/** gpg's log lines of --check-trustdb with "pgpkit:" for "gpg:". */
std::string as_pgpkit_log(const std::string& err) {
    std::string out;
    for (const std::string& line : non_empty_lines(err))
        if (line.rfind("gpg: ", 0) == 0 && line.find("faked system time") == std::string::npos)
            out += "pgpkit: " + line.substr(5) + "\n";
    return out;
}

TEST(TrustCliOracle, CheckTrustdbAndTheListingAreGpgsForEachSetting) {
    const std::string web = cached_wot_web();
    TempDir t;
    const std::string gh = t.file("gpg"), ph = t.file("pgpkit");
    ASSERT_EQ(run("cp -a " + shell_quote(web + "/home") + " " + shell_quote(gh)).exit_code, 0);
    const auto imp = run(pgpkit("import -q --import-options import-local-sigs --home " + shell_quote(ph) + " " +
                                shell_quote(web + "/keys.pgp")));
    ASSERT_EQ(imp.exit_code, 0) << imp.err;
    // One frozen time for both, so that the trustdb's creation times agree: pgpkit's is
    // created by import-ownertrust, gpg's by its first check-trustdb.
    const std::string when = " --faked-system-time " + std::to_string(std::time(nullptr)) + "!";
    const auto ot = run(gpg_on(gh) + " --export-ownertrust");
    ASSERT_EQ(ot.exit_code, 0) << ot.err;
    const auto iot = run(pgpkit("import-ownertrust --home " + shell_quote(ph) + when + " -"), ot.out);
    ASSERT_EQ(iot.exit_code, 0) << iot.err;
    const std::vector<std::string> settings{
        "",
        " --marginals-needed 2 --completes-needed 2 --max-cert-depth 3",
        " --trust-model classic --min-cert-level 1",
    };
    std::map<char, int> seen;
    for (const std::string& s : settings) {
        SCOPED_TRACE(s);
        const auto g = run(gpg_on(gh) + s + when + " --check-trustdb");
        ASSERT_EQ(g.exit_code, 0) << g.err;
        const auto p = run(pgpkit("check-trustdb --home " + shell_quote(ph) + s + when));
        ASSERT_EQ(p.exit_code, 0) << p.err;
        EXPECT_EQ(p.err, as_pgpkit_log(g.err));

        const auto gl = run(gpg_on(gh) + s + when + " --with-colons --list-keys");
        const auto pl = run(pgpkit("list-keys --with-colons --home " + shell_quote(ph) + s + when));
        ASSERT_EQ(pl.exit_code, 0) << pl.err;
        const auto want = digest(gl.out);
        ASSERT_EQ(want.size(), 37u);  // tru and 36 keys
        EXPECT_EQ(diff(want, digest(pl.out)), "");
        for (const auto& [k, lines] : want)
            for (const auto& l : lines) ++seen[l[4]];

        EXPECT_EQ(joined(contents(ph + "/trustdb.gpg")), joined(contents(gh + "/trustdb.gpg")));
        // gpg lists from the file pgpkit wrote what it lists from its own.
        const std::string copy = t.file("copy.gpg");
        ASSERT_EQ(run("cp " + shell_quote(ph + "/trustdb.gpg") + " " + shell_quote(copy)).exit_code, 0);
        const std::string on_copy = " --trustdb-name " + shell_quote(copy) + " --no-auto-check-trustdb";
        const auto gp = run(gpg_on(gh) + on_copy + s + when + " --with-colons --list-keys");
        EXPECT_EQ(diff(want, digest(gp.out)), "");
        const auto eo = run(gpg_on(gh) + on_copy + when + " --export-ownertrust");
        EXPECT_EQ(eo.out, run(gpg_on(gh) + when + " --export-ownertrust").out);
    }
    // The settings reach every outcome, so the comparison cannot pass on a degenerate web.
    for (char c : std::string("ufmq-re")) EXPECT_GT(seen[c], 0) << c;
}

TEST(TrustCliOracle, HumanListingTagsAreGpgs) {
    const std::string web = cached_wot_web();
    TempDir t;
    const std::string gh = t.file("gpg"), ph = t.file("pgpkit");
    ASSERT_EQ(run("cp -a " + shell_quote(web + "/home") + " " + shell_quote(gh)).exit_code, 0);
    ASSERT_EQ(run(pgpkit("import -q --import-options import-local-sigs --home " + shell_quote(ph) + " " +
                         shell_quote(web + "/keys.pgp")))
                  .exit_code,
              0);
    const auto ot = run(gpg_on(gh) + " --export-ownertrust");
    ASSERT_EQ(run(pgpkit("import-ownertrust --home " + shell_quote(ph) + " -"), ot.out).exit_code, 0);
    auto uid_lines = [](const std::string& out) {
        std::vector<std::string> v;
        for (const std::string& l : non_empty_lines(out))
            if (l.rfind("uid ", 0) == 0) v.push_back(l);
        std::sort(v.begin(), v.end());
        return joined(v);
    };
    ASSERT_EQ(run(gpg_on(gh) + " --check-trustdb").exit_code, 0);
    const auto g = run(gpg_on(gh) + " --list-keys");
    const auto p = run(pgpkit("list-keys --home " + shell_quote(ph)));
    ASSERT_EQ(p.exit_code, 0) << p.err;
    EXPECT_EQ(uid_lines(p.out), uid_lines(g.out));
    EXPECT_NE(g.out.find("[marginal]"), std::string::npos);
}

}  // namespace
}  // namespace pgpkit::test
