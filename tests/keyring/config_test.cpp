// list-config's cfg records: layout, item selection, and that what they claim is there.

#include <gtest/gtest.h>

#include <algorithm>

#include "base/version.h"
#include "crypto/hash.h"
#include "keyring/config.h"
#include "packet/names.h"
#include "packet/sig_hash.h"
#include "tests/support/env.h"

namespace pgpkit::keyring {
namespace {

std::string value(const std::string& item) {
    const std::vector<std::string> items{item};
    const auto r = config_records(items);
    return r.size() == 1 ? std::string(r[0].field(3)) : "<" + std::to_string(r.size()) + " records>";
}

TEST(ListConfig, AllItemsInGpgOrderWithoutTrailingColon) {
    const auto all = config_records({});
    ASSERT_EQ(all.size(), config_items().size());
    for (std::size_t i = 0; i < all.size(); ++i) {
        EXPECT_EQ(all[i].field(1), "cfg");
        EXPECT_EQ(all[i].field(2), config_items()[i]);
        EXPECT_EQ(all[i].fields.size(), 3u);
    }
    EXPECT_EQ(all[0].line(), std::string("cfg:version:") + version());
}

TEST(ListConfig, ItemsMatchWithoutCaseInTheOrderAsked) {
    const std::vector<std::string> items{"CURVE", "nosuch", "Pubkey", "group"};
    const auto r = config_records(items);
    ASSERT_EQ(r.size(), 2u);
    EXPECT_EQ(r[0].field(2), "curve");
    EXPECT_EQ(r[1].field(2), "pubkey");
    EXPECT_EQ(unknown_config_items(items), std::vector<std::string>{"nosuch"});
}

TEST(ListConfig, NumbersAndNamesPairUp) {
    for (const auto& [ids, names] : {std::pair{"pubkey", "pubkeyname"}, std::pair{"cipher", "ciphername"},
                                     std::pair{"digest", "digestname"}, std::pair{"compress", "compressname"}})
        EXPECT_EQ(test::split(value(ids), ';').size(), test::split(value(names), ';').size()) << ids;
}

TEST(ListConfig, EveryListedDigestHashes) {
    const auto names = test::split(value("digestname"), ';');
    const auto ids = test::split(value("digest"), ';');
    ASSERT_EQ(ids.size(), names.size());
    for (std::size_t i = 0; i < ids.size(); ++i) {
        const auto algo = static_cast<packet::HashAlgo>(std::stoi(ids[i]));
        const auto kind = packet::hash_kind(algo);
        ASSERT_TRUE(kind.has_value()) << names[i];
        EXPECT_EQ(crypto::digest(*kind, std::vector<std::uint8_t>{1, 2, 3}).size(), crypto::hash_size(*kind));
    }
    EXPECT_EQ(std::count(ids.begin(), ids.end(), "1"), 0) << "MD5 is refused by the default policy";
}

}  // namespace
}  // namespace pgpkit::keyring
