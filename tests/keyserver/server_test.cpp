// pgpkit serve's routes and HTTP server (keyserver/hkp_handler.h, hkp_server.h) on the
// SQLite engine, driven in process on a port the kernel picks (the engines themselves:
// store_engines_test.cpp).
#include <gtest/gtest.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <memory>
#include <mutex>

#include "base/error.h"
#include "cert/cert.h"
#include "keyserver/hkp_server.h"
#include "keyserver/index_build.h"
#include "keyserver/sqlite_store.h"
#include "packet/source.h"
#include "tests/keyserver/http_client.h"
#include "tests/keyserver/sample_certs.h"
#include "tests/support/env.h"

namespace pgpkit::test {
namespace {

using namespace pgpkit::keyserver;

Search search(const std::string& s) { return parse_search(s); }

class ServerTest : public ::testing::Test {
protected:
    void start(HandlerOptions h = {}) {
        store = std::make_unique<SqliteStore>(dir.file("keys.db"));
        ServerOptions so;
        so.listen = {"127.0.0.1:0"};
        so.threads = 1;  // one thread: a stalled client must not hold it
        so.handler = h;
        ServerEvents ev;
        ev.access = [this](const AccessEvent& e) {
            std::lock_guard lock(log_mutex);
            log.push_back(format_access(e));
        };
        server = std::make_unique<HkpServer>(*store, so, ev);
        server->start();
        port = server->ports().at(0);
    }
    HttpReply add(const Bytes& keytext) {
        return http_post_form(port, "/pks/add", "keytext=" + form_escape(as_string(keytext)));
    }
    void TearDown() override {
        if (server) server->stop();
    }

    TempDir dir;
    std::unique_ptr<SqliteStore> store;
    std::unique_ptr<HkpServer> server;
    std::uint16_t port = 0;
    std::mutex log_mutex;
    std::vector<std::string> log;
};

TEST_F(ServerTest, AddThenGetIndexVindexStatsAndVks) {
    start();
    const auto added = add(ed25519_cert());
    EXPECT_EQ(added.status, 200u);
    EXPECT_EQ(added.body, "inserted " + kEdFpr + "\n");
    const auto armored = http_get(port, "/pks/lookup?op=get&options=mr&search=0x" + kEdFpr);
    EXPECT_EQ(armored.status, 200u);
    EXPECT_EQ(armored.content_type, "application/pgp-keys");
    EXPECT_EQ(armored.body.rfind("-----BEGIN PGP PUBLIC KEY BLOCK-----\n", 0), 0u);
    const auto bin = http_get(port, "/pks/lookup?op=get&options=bin&search=0x" + kEdFpr.substr(24));
    EXPECT_EQ(bin.body, as_string(ed25519_cert()));
    const auto mr = http_get(port, "/pks/lookup?op=index&options=mr&search=ed25519%40example.org");
    EXPECT_EQ(mr.status, 200u);
    EXPECT_EQ(mr.body.substr(0, mr.body.find('\n')), "info:1:1");
    EXPECT_NE(mr.body.find("\npub:" + kEdFpr + ":22:255:"), std::string::npos) << mr.body;
    EXPECT_NE(mr.body.find("\nuid:pgpkit ed25519 <ed25519@example.org>:"), std::string::npos) << mr.body;
    const auto human = http_get(port, "/pks/lookup?op=vindex&fingerprint=on&search=pgpkit");
    EXPECT_EQ(human.content_type, "text/html; charset=utf-8");
    EXPECT_NE(human.body.find("Fingerprint=" + kEdFpr), std::string::npos);
    EXPECT_NE(human.body.find("uid  pgpkit ed25519 &lt;ed25519@example.org&gt;"), std::string::npos);
    const auto stats = http_get(port, "/pks/lookup?op=stats&options=mr");
    EXPECT_EQ(stats.content_type, "application/json");
    EXPECT_NE(stats.body.find("\"total\":1,"), std::string::npos) << stats.body;
    EXPECT_NE(http_get(port, "/pks/lookup?op=stats").body.find("total keys:  1"), std::string::npos);
    EXPECT_EQ(http_get(port, "/vks/v1/by-fingerprint/" + kEdFpr).body, armored.body);
    EXPECT_EQ(http_get(port, "/vks/v1/by-keyid/" + kEdFpr.substr(24)).status, 200u);
    EXPECT_EQ(http_get(port, "/vks/v1/by-email/ED25519%40example.org").status, 200u);
    EXPECT_EQ(http_get(port, "/health").body, "ok\n");
    std::lock_guard lock(log_mutex);
    ASSERT_FALSE(log.empty());
    EXPECT_NE(log.front().find("\"POST /pks/add\" 200"), std::string::npos) << log.front();
}

TEST_F(ServerTest, StatusCodes) {
    start();
    EXPECT_EQ(http_get(port, "/pks/lookup?op=get&search=0x1234ABCD").status, 404u);
    const auto bad = http_get(port, "/pks/lookup?op=get&search=0x123");
    EXPECT_EQ(bad.status, 400u);
    EXPECT_EQ(bad.body, "a key ID after 0x must have 8, 16, 40 or 64 hex digits\n");
    EXPECT_EQ(http_get(port, "/pks/lookup?search=x").status, 400u);
    EXPECT_EQ(http_get(port, "/pks/lookup?op=frobnicate&search=x").status, 501u);
    EXPECT_EQ(http_get(port, "/vks/v1/by-keyid/XYZ").status, 400u);
    EXPECT_EQ(http_get(port, "/nowhere").status, 404u);
    EXPECT_EQ(http_post_form(port, "/pks/add", "nokeytext=1").status, 400u);
    EXPECT_EQ(http_post_form(port, "/pks/add", "keytext=garbage").status, 422u);
    EXPECT_EQ(http_get(port, "/pks/add").status, 405u);
}

TEST_F(ServerTest, SecretKeyUploadIs422AndNotStored) {
    start();
    const auto r = add(read_bytes(shared_testdata() + "/gnupg/samplekeys/silent-running.asc"));
    EXPECT_EQ(r.status, 422u);
    EXPECT_NE(r.body.find("secret keys are not accepted"), std::string::npos);
    EXPECT_EQ(store->stats().certs, 0u);
    EXPECT_EQ(http_get(port, "/pks/lookup?op=get&search=0x64944BC035493D929EF2A2B9D19D22B06EE78668").status, 404u);
}

TEST_F(ServerTest, WordSearchCanBeSwitchedOffAndThirdPartyStripped) {
    HandlerOptions h;
    h.word_search = false;
    h.strip_third_party = true;
    start(h);
    const cert::Cert c = debian_cert();
    EXPECT_EQ(add(cert::write_cert(c)).status, 200u);
    EXPECT_EQ(http_get(port, "/pks/lookup?op=index&search=debian").status, 501u);
    const auto got = http_get(port, "/pks/lookup?op=get&options=bin&search=0x" + to_hex(c.fingerprint()));
    EXPECT_EQ(got.body, as_string(cert::write_cert(without_third_party(c))));
    EXPECT_LT(got.body.size(), store->lookup(search("0x" + to_hex(c.fingerprint())), {}).at(0).keyblock.size());
}

TEST_F(ServerTest, StalledHalfRequestDoesNotBlockOthers) {
    start();
    const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    ASSERT_GE(fd, 0);
    sockaddr_in sa{};
    sa.sin_family = AF_INET;
    sa.sin_port = htons(port);
    sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    ASSERT_EQ(::connect(fd, reinterpret_cast<sockaddr*>(&sa), sizeof sa), 0);
    const std::string half = "GET /pks/lookup?op=stats HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ";
    ASSERT_EQ(::send(fd, half.data(), half.size(), 0), static_cast<ssize_t>(half.size()));
    // The server has one thread; this completes only if the stalled connection holds none.
    EXPECT_EQ(http_get(port, "/health").status, 200u);
    EXPECT_EQ(add(ed25519_cert()).status, 200u);
    ::close(fd);
}

TEST_F(ServerTest, HeadAnswersAsGetWithoutTheBody) {
    start();
    ASSERT_EQ(add(ed25519_cert()).status, 200u);
    const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in sa{};
    sa.sin_family = AF_INET;
    sa.sin_port = htons(port);
    sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    ASSERT_EQ(::connect(fd, reinterpret_cast<sockaddr*>(&sa), sizeof sa), 0);
    const std::string req = "HEAD /pks/lookup?op=get&options=mr&search=0x" + kEdFpr +
                            " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n";
    ASSERT_EQ(::send(fd, req.data(), req.size(), 0), static_cast<ssize_t>(req.size()));
    std::string answer;
    char buf[4096];
    for (ssize_t n; (n = ::recv(fd, buf, sizeof buf, 0)) > 0;) answer.append(buf, static_cast<std::size_t>(n));
    ::close(fd);
    EXPECT_EQ(answer.rfind("HTTP/1.1 200 OK\r\n", 0), 0u) << answer;
    const auto get = http_get(port, "/pks/lookup?op=get&options=mr&search=0x" + kEdFpr);
    EXPECT_NE(answer.find("Content-Length: " + std::to_string(get.body.size()) + "\r\n"), std::string::npos) << answer;
    EXPECT_EQ(answer.substr(answer.size() - 4), "\r\n\r\n");  // headers only
}

TEST(HkpServerListen, ParsesAddresses) {
    EXPECT_EQ(parse_listen("127.0.0.1:11371"), (std::pair<std::string, std::uint16_t>{"127.0.0.1", 11371}));
    EXPECT_EQ(parse_listen("[::1]:80"), (std::pair<std::string, std::uint16_t>{"::1", 80}));
    EXPECT_THROW((void)parse_listen("localhost"), Error);
    EXPECT_THROW((void)parse_listen("h:70000"), Error);
}

}  // namespace
}  // namespace pgpkit::test
