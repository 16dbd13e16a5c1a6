// Several keyservers: a 502, 503 or 504 (after the retries) or no answer at all moves the
// request on to the next listed server, as gpg's dirmngr does; a 404 does not.
#include <gtest/gtest.h>

#include <string>

#include "armor/armor.h"
#include "cert/cert.h"
#include "keyserver/fetch.h"
#include "keyserver/keyserver_list.h"
#include "tests/keyserver/stub_server.h"
#include "tests/support/env.h"

namespace pgpkit::test {
namespace {

keyserver::HttpOptions quick() {
    keyserver::HttpOptions o;
    o.connect_timeout_ms = 2000;
    o.total_timeout_ms = 3000;
    o.retries = 1;
    o.backoff_ms = 5;
    o.max_retry_after_ms = 20;
    return o;
}

const std::string cert_name = "ed25519-sha512.pgp";

std::string armored() {
    return armor::encode_text(read_bytes(test_data_dir() + "/cert/" + cert_name), "PUBLIC KEY BLOCK", {});
}

Bytes fingerprint() { return cert::read_all_certs(read_bytes(test_data_dir() + "/cert/" + cert_name)).at(0).fingerprint(); }

StubServer failing(int status) {
    return StubServer([status](const StubRequest&) { return http_reply(status, "text/html", "<html>down</html>"); });
}

StubServer serving() {
    return StubServer([](const StubRequest& q) {
        if (q.method == "POST") return http_reply(200, "text/html", "<html><body>Key block added</body></html>");
        if (q.target.find("op=index") != std::string::npos)
            return http_reply(200, "text/plain", "info:1:1\npub:" + to_hex(fingerprint()) + ":22:256:1554576991::\n");
        return http_reply(200, "application/pgp-keys", armored());
    });
}

keyserver::KeyserverEntry entry(const StubServer& s) { return {s.url(), false}; }

TEST(KeyserverFailover, UnavailableServersPassTheKeysOn) {
    for (int status : {502, 503, 504}) {
        SCOPED_TRACE(status);
        StubServer down = failing(status), up = serving();
        keyserver::FetchOptions fo;
        fo.http = quick();
        std::size_t last = 0;
        const auto f = keyserver::fetch_keys({entry(down), entry(up)}, {fingerprint()}, fo,
                                             [&](std::size_t done, std::size_t) { last = done; });
        ASSERT_EQ(f.size(), 1u);
        EXPECT_TRUE(f[0].answer.ok());
        EXPECT_EQ(f[0].server, up.url());
        EXPECT_EQ(f[0].certs.accepted.size(), 1u);
        EXPECT_EQ(down.requests().size(), 2u);  // the first try and one retry
        EXPECT_EQ(last, 1u);
    }
}

TEST(KeyserverFailover, NotFoundIsAnAnswerAndStops) {
    StubServer missing = failing(404), up = serving();
    keyserver::FetchOptions fo;
    fo.http = quick();
    const auto f = keyserver::fetch_keys({entry(missing), entry(up)}, {fingerprint()}, fo);
    EXPECT_EQ(f.at(0).answer.outcome, keyserver::Outcome::NotFound);
    EXPECT_EQ(f.at(0).server, missing.url());
    EXPECT_TRUE(up.requests().empty());
}

TEST(KeyserverFailover, UnreachableServerPassesOnAndTheLastAnswerStands) {
    std::string closed;
    {
        StubServer gone = serving();
        closed = gone.url();
    }
    StubServer down = failing(503);
    keyserver::FetchOptions fo;
    fo.http = quick();
    const auto f = keyserver::fetch_keys({{closed, false}, {down.url(), false}}, {fingerprint()}, fo);
    EXPECT_EQ(f.at(0).answer.outcome, keyserver::Outcome::Unavailable);
    EXPECT_EQ(f.at(0).server, down.url());
}

TEST(KeyserverFailover, SearchAndSendMoveOnToo) {
    StubServer down = failing(502), up = serving();
    const auto s = keyserver::search_keys({entry(down), entry(up)}, keyserver::classify_query("ed25519@example.org"),
                                          quick());
    EXPECT_EQ(s.server, up.url());
    ASSERT_TRUE(s.result.ok()) << s.result.message;
    EXPECT_EQ(s.result.entries.size(), 1u);
    const auto [server, ans] = keyserver::send_key({entry(down), entry(up)}, armored(), quick());
    EXPECT_EQ(server, up.url());
    EXPECT_TRUE(ans.ok());
}

TEST(KeyserverFailover, ListAsksTheDefaultFirst) {
    const auto list = keyserver::KeyserverList::parse("hkps://a.example\nhkps://b.example default\nhkps://c.example\n", "t");
    const auto order = list.in_order();
    ASSERT_EQ(order.size(), 3u);
    EXPECT_EQ(order[0].url, "hkps://b.example");
    EXPECT_EQ(order[1].url, "hkps://a.example");
    EXPECT_EQ(order[2].url, "hkps://c.example");
    EXPECT_EQ(keyserver::KeyserverList{}.in_order().size(), 1u);  // the built-in default
}

}  // namespace
}  // namespace pgpkit::test
