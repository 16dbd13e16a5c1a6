// GnuPG's trustdb.gpg both ways (issue 11): pgpkit reads what gpg 2.2 wrote, and gpg uses
// what pgpkit wrote. One small throwaway home with the gnupg sample keys.

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include <set>
#include <string>
#include <vector>

#include "tests/oracle/gpg_cache.h"
#include "tests/support/env.h"

namespace pgpkit::test {
namespace {

// gpg's header line carries the time: both sides get the same fixed one, in UTC.
const std::string kTime = "1700000000";
const std::string kEnv = "TZ=UTC LC_ALL=C ";

std::string q(const std::string& s) { return shell_quote(s); }

/** A gpg home with the sample keys imported; primary fingerprints and uid name hashes. */
struct Home {
    TempDir dir;
    std::string home = dir.file("g");
    std::vector<std::string> primaries;
    std::set<std::string> namehashes;

    Home() {
        const std::string keys = shared_testdata() + "/gnupg/samplekeys/whats-new-in-2.1.asc";
        const auto imp = run("mkdir -m 700 " + q(home) + " && " + gpg_on(home) + " --import " + q(keys));
        EXPECT_EQ(imp.exit_code, 0) << "gpg is needed for this test: " << imp.err;
        const auto list = run(gpg_on(home) + " --with-colons --list-keys");
        bool want_fpr = false;
        for (const auto& line : split(list.out, '\n')) {
            const auto f = split(line, ':');
            if (f.empty()) continue;
            if (f[0] == "fpr" && want_fpr && f.size() > 9) primaries.push_back(f[9]);
            want_fpr = f[0] == "pub";
            if (f[0] == "uid" && f.size() > 7) namehashes.insert(f[7]);
        }
    }
    ~Home() { kill_agent(home); }

    /** Ownertrust text for the primaries: levels 3..6, one disabled, and a v3 fingerprint. */
    std::string ownertrust_text() const {
        std::string text = "# made by the trustdb oracle\n";
        const unsigned levels[] = {6, 3, 4, 5, 0x84, 5};
        for (std::size_t i = 0; i < primaries.size() && i < 6; ++i)
            text += primaries[i] + ":" + std::to_string(levels[i]) + ":\n";
        text += "CCD99FD6A66E720FB8DEEB1B0E970899:4:\n";
        return text;
    }
    std::string gpg(const std::string& args) const { return kEnv + gpg_on(home) + " " + args; }
};

std::string pgpkit(const std::string& args) { return kEnv + pgpkit_bin() + " " + args; }

TEST(TrustdbOracle, GpgsTrustdbReadsAsGpgExportsIt) {
    Home h;
    ASSERT_GE(h.primaries.size(), 4u);
    const std::string ot = h.dir.file("ot.txt");
    write_bytes(ot, as_bytes(h.ownertrust_text()));
    ASSERT_EQ(run(h.gpg("--import-ownertrust " + q(ot))).exit_code, 0);
    const auto check = run(h.gpg("--check-trustdb"));
    ASSERT_EQ(check.exit_code, 0) << check.err;
    const std::string tdb = h.home + "/trustdb.gpg";

    const auto g = run(h.gpg("--faked-system-time " + kTime + "! --export-ownertrust"));
    ASSERT_EQ(g.exit_code, 0) << g.err;
    const auto p = run(pgpkit("export-ownertrust --trustdb " + q(tdb) + " --faked-system-time " + kTime));
    ASSERT_EQ(p.exit_code, 0) << p.err;
    EXPECT_EQ(p.out, g.out);
    EXPECT_EQ(split(p.out, '\n').size(), 2 + 7 + 1u);

    // The dump lists every record; every validity record is of one of gpg's user IDs.
    const auto d = run(pgpkit("trustdb dump --json " + q(tdb)));
    ASSERT_EQ(d.exit_code, 0) << d.err;
    const auto records = nlohmann::json::parse(d.out);
    ASSERT_EQ(records.size(), read_bytes(tdb).size() / 40);
    std::size_t valid = 0, trust = 0;
    for (std::size_t i = 0; i < records.size(); ++i) {
        EXPECT_EQ(records[i]["number"], i);
        const std::string type = records[i]["type_name"];
        if (type == "valid") {
            ++valid;
            EXPECT_TRUE(h.namehashes.count(records[i]["namehash"].get<std::string>())) << records[i].dump();
        }
        trust += type == "trust";
    }
    EXPECT_GE(valid, 1u);
    EXPECT_GE(trust, 7u);
    const auto text = run(pgpkit("trustdb dump " + q(tdb)));
    EXPECT_EQ(text.exit_code, 0) << text.err;
    EXPECT_EQ(non_empty_lines(text.out).size(), records.size());

    // Taken over into a pgpkit home, the same export.
    const std::string ph = h.dir.file("p");
    ASSERT_EQ(run(pgpkit("import-trustdb --home " + q(ph) + " " + q(tdb))).exit_code, 0);
    EXPECT_EQ(read_bytes(ph + "/trustdb.gpg"), read_bytes(tdb));
    EXPECT_EQ(run(pgpkit("export-ownertrust --home " + q(ph) + " --faked-system-time " + kTime)).out, g.out);
}

TEST(TrustdbOracle, GpgUsesTheTrustdbPgpkitWrote) {
    Home h;
    ASSERT_GE(h.primaries.size(), 4u);
    const std::string ot = h.dir.file("ot.txt"), ours = h.dir.file("ours.gpg"), theirs = h.dir.file("theirs.gpg");
    write_bytes(ot, as_bytes(h.ownertrust_text()));
    const auto imp = run(pgpkit("import-ownertrust --trustdb " + q(ours) + " --faked-system-time " + kTime + " " + q(ot)));
    ASSERT_EQ(imp.exit_code, 0) << imp.err;
    // gpg importing the same text into a new trustdb at the same time writes the same file.
    ASSERT_EQ(run(h.gpg("--trustdb-name " + q(theirs) + " --faked-system-time " + kTime + "! --import-ownertrust " + q(ot)))
                  .exit_code,
              0);
    EXPECT_EQ(read_bytes(ours), read_bytes(theirs));

    const auto mine = run(pgpkit("export-ownertrust --trustdb " + q(ours) + " --faked-system-time " + kTime));
    ASSERT_EQ(mine.exit_code, 0) << mine.err;
    const auto g = run(h.gpg("--trustdb-name " + q(ours) + " --faked-system-time " + kTime + "! --export-ownertrust"));
    ASSERT_EQ(g.exit_code, 0) << g.err;
    EXPECT_EQ(g.out, mine.out);

    // gpg computes validities into it without complaint, and pgpkit still reads it.
    const auto check = run(h.gpg("--trustdb-name " + q(ours) + " --check-trustdb"));
    EXPECT_EQ(check.exit_code, 0) << check.err;
    EXPECT_EQ(check.err.find("trustdb"), std::string::npos) << check.err;
    const auto again = run(pgpkit("export-ownertrust --trustdb " + q(ours) + " --faked-system-time " + kTime));
    EXPECT_EQ(again.exit_code, 0) << again.err;
    EXPECT_EQ(again.out, mine.out);
    EXPECT_EQ(run(pgpkit("trustdb dump " + q(ours))).exit_code, 0);
}

}  // namespace
}  // namespace pgpkit::test
