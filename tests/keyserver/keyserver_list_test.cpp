#include <gtest/gtest.h>

#include <sys/stat.h>

#include <string>

#include "base/error.h"
#include "keyserver/keyserver_list.h"
#include "tests/support/env.h"

namespace pgpkit::test {
namespace {

using keyserver::KeyserverList;

TEST(KeyserverList, EmptyListHasTheBuiltInDefault) {
    TempDir dir;
    const auto list = KeyserverList::load(dir.file("keyservers.conf"));
    EXPECT_TRUE(list.entries().empty());
    EXPECT_EQ(list.default_server().url, "hkps://keys.openpgp.org");
}

TEST(KeyserverList, NormalizesUrls) {
    EXPECT_EQ(keyserver::normalize_keyserver_url("HKP://Keys.Example.ORG:11371/"), "hkp://keys.example.org:11371");
    EXPECT_EQ(keyserver::normalize_keyserver_url("keyserver.ubuntu.com"), "hkps://keyserver.ubuntu.com");
    EXPECT_THROW((void)keyserver::normalize_keyserver_url("ftp://x"), Error);
    EXPECT_THROW((void)keyserver::normalize_keyserver_url("hkp://"), Error);
    EXPECT_THROW((void)keyserver::normalize_keyserver_url("hkp://a/?q=1"), Error);
}

TEST(KeyserverList, AddRemoveDefaultAndSaveRoundTrip) {
    TempDir dir;
    const std::string path = dir.file("keyservers.conf");
    auto list = KeyserverList::load(path);
    EXPECT_TRUE(list.add("hkp://127.0.0.1:11371", false));
    EXPECT_TRUE(list.add("hkps://keys.openpgp.org", true));
    EXPECT_FALSE(list.add("HKPS://keys.openpgp.org/", true));
    EXPECT_EQ(list.default_server().url, "hkp://127.0.0.1:11371");  // the first without a marker
    list.set_default("hkps://keys.openpgp.org");
    list.save(path);
    struct stat st {};
    ASSERT_EQ(::stat(path.c_str(), &st), 0);
    const auto again = KeyserverList::load(path);
    ASSERT_EQ(again.entries().size(), 2u);
    EXPECT_EQ(again.default_server().url, "hkps://keys.openpgp.org");
    EXPECT_TRUE(again.default_server().vks);
    EXPECT_EQ(again.text(), list.text());
    auto edited = again;
    EXPECT_TRUE(edited.remove("hkps://keys.openpgp.org"));
    EXPECT_EQ(edited.default_server().url, "hkp://127.0.0.1:11371");  // always one default
    EXPECT_FALSE(edited.remove("hkp://nowhere.example"));
    EXPECT_TRUE(edited.remove("hkp://127.0.0.1:11371"));
    EXPECT_EQ(edited.default_server().url, "hkps://keys.openpgp.org");
}

TEST(KeyserverList, ReadsCommentsAndMarkers) {
    const auto list = KeyserverList::parse("# mine\n\n  hkp://a.example  \nhkps://b.example vks default\r\n", "t.conf");
    ASSERT_EQ(list.entries().size(), 2u);
    EXPECT_EQ(list.default_server().url, "hkps://b.example");
    EXPECT_TRUE(list.default_server().vks);
    EXPECT_FALSE(list.lookup("hkp://a.example").vks);
    EXPECT_EQ(list.lookup("hkp://c.example").url, "hkp://c.example");
}

TEST(KeyserverList, BadLinesNameTheFileAndLine) {
    try {
        (void)KeyserverList::parse("hkp://a.example\nhkp://b.example defualt\n", "t.conf");
        FAIL() << "no error";
    } catch (const Error& e) {
        EXPECT_EQ(e.kind(), Errc::BadField);
        EXPECT_NE(std::string(e.what()).find("t.conf line 2: unknown marker 'defualt'"), std::string::npos) << e.what();
    }
    EXPECT_THROW((void)KeyserverList::parse("hkp://a default\nhkp://b default\n", "t"), Error);
    EXPECT_THROW((void)KeyserverList::parse("hkp://a\nhkp://a/\n", "t"), Error);
}

}  // namespace
}  // namespace pgpkit::test
