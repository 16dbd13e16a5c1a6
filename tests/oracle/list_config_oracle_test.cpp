// list-config against gpg 2.2's --list-config --with-colons: the same items in the same
// order, and every algorithm both support named alike.

#include <gtest/gtest.h>

#include <map>

#include "tests/support/env.h"

namespace pgpkit::test {
namespace {

/** item -> value of each cfg record. */
std::map<std::string, std::string> cfg_of(const std::string& listing, std::vector<std::string>* order) {
    std::map<std::string, std::string> out;
    for (const std::string& line : split(listing, '\n')) {
        if (line.empty()) continue;
        const auto f = split(line, ':');
        EXPECT_EQ(f.size(), 3u) << line;
        if (f.size() != 3) continue;
        out[f[1]] = f[2];
        order->push_back(f[1]);
    }
    return out;
}

TEST(ListConfigOracle, ItemsAndSharedNamesEqualGpgs) {
    TempDir dir;
    const auto g = run("mkdir -m 700 " + shell_quote(dir.file("g")) + " && GNUPGHOME=" +
                       shell_quote(dir.file("g")) + " gpg --batch --with-colons --list-config");
    ASSERT_EQ(g.exit_code, 0) << "gpg is needed for this test: " << g.err;
    const auto p = run(pgpkit_bin() + " list-config --with-colons");
    ASSERT_EQ(p.exit_code, 0) << p.err;
    std::vector<std::string> g_order, p_order;
    const auto gc = cfg_of(g.out, &g_order), pc = cfg_of(p.out, &p_order);
    EXPECT_EQ(p_order, g_order);
    std::size_t shared = 0;
    for (const auto& [ids, names] : {std::pair{"pubkey", "pubkeyname"}, std::pair{"cipher", "ciphername"},
                                     std::pair{"digest", "digestname"}, std::pair{"compress", "compressname"}}) {
        std::map<std::string, std::string> ours;
        const auto pi = split(pc.at(ids), ';'), pn = split(pc.at(names), ';');
        for (std::size_t i = 0; i < pi.size() && i < pn.size(); ++i) ours[pi[i]] = pn[i];
        const auto gi = split(gc.at(ids), ';'), gn = split(gc.at(names), ';');
        for (std::size_t i = 0; i < gi.size() && i < gn.size(); ++i) {
            ASSERT_TRUE(ours.count(gi[i])) << ids << " " << gn[i] << ": gpg supports it, pgpkit does not list it";
            EXPECT_EQ(ours[gi[i]], gn[i]) << ids << " " << gi[i];
            ++shared;
        }
    }
    EXPECT_GT(shared, 20u);
    EXPECT_EQ(pc.at("curve"), gc.at("curve"));
}

TEST(ListConfigOracle, UnknownItemFailsAsGpgDoes) {
    TempDir dir;
    const auto g = run("mkdir -m 700 " + shell_quote(dir.file("g")) + " && GNUPGHOME=" +
                       shell_quote(dir.file("g")) + " gpg --batch --with-colons --list-config pubkey nosuch");
    const auto p = run(pgpkit_bin() + " list-config --with-colons pubkey nosuch");
    EXPECT_EQ(g.exit_code, 2) << g.err;
    EXPECT_EQ(p.exit_code, g.exit_code);
    EXPECT_EQ(split(p.out, ':').at(1), split(g.out, ':').at(1));
    EXPECT_NE(p.err.find("unknown configuration item 'nosuch'"), std::string::npos) << p.err;
}

}  // namespace
}  // namespace pgpkit::test
