#include <gtest/gtest.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <string>

#include "keyserver/http_client.h"
#include "tests/keyserver/stub_server.h"

namespace pgpkit::test {
namespace {

using keyserver::HttpClient;
using keyserver::HttpOptions;
using keyserver::NetError;

HttpOptions fast() {
    HttpOptions o;
    o.connect_timeout_ms = 2000;
    o.total_timeout_ms = 5000;
    o.backoff_ms = 5;
    o.max_retry_after_ms = 20;
    return o;
}

TEST(HttpClient, TransportUrlGivesDefaultPorts) {
    EXPECT_EQ(keyserver::transport_url("hkp://keys.example.org"), "http://keys.example.org:11371");
    EXPECT_EQ(keyserver::transport_url("hkps://keys.example.org/"), "https://keys.example.org:443");
    EXPECT_EQ(keyserver::transport_url("hkp://127.0.0.1:8080"), "http://127.0.0.1:8080");
    EXPECT_EQ(keyserver::transport_url("hkp://[::1]"), "http://[::1]:11371");
    EXPECT_EQ(keyserver::transport_url("https://a.example/sub"), "https://a.example/sub");
    EXPECT_EQ(keyserver::transport_url("ldap://a.example"), "");
}

TEST(HttpClient, FormEscapeKeepsUnreservedOnly) {
    EXPECT_EQ(keyserver::form_escape("a b+c=\n-._~"), "a%20b%2Bc%3D%0A-._~");
}

TEST(HttpClient, GetsBodyAndContentType) {
    StubServer s([](const StubRequest&) { return http_reply(200, "text/plain", "hello"); });
    HttpClient c(fast());
    const auto r = c.get(s.url() + "/x");
    ASSERT_TRUE(r.ok()) << r.message;
    EXPECT_EQ(r.status, 200);
    EXPECT_EQ(r.body, "hello");
    EXPECT_EQ(r.content_type, "text/plain");
    EXPECT_EQ(r.attempts, 1);
}

TEST(HttpClient, RetriesBadGatewayThenSucceeds) {
    std::atomic<int> n{0};
    StubServer s([&](const StubRequest&) {
        return ++n <= 2 ? http_reply(502, "text/html", "<html>bad gateway</html>") : http_reply(200, "text/plain", "ok");
    });
    HttpClient c(fast());
    const auto r = c.get(s.url() + "/");
    EXPECT_EQ(r.status, 200);
    EXPECT_EQ(r.attempts, 3);
}

TEST(HttpClient, GivesUpAfterRetriesAndReportsTheStatus) {
    StubServer s([](const StubRequest&) { return http_reply(503, "text/plain", "busy", "Retry-After: 1\r\n"); });
    auto o = fast();
    o.retries = 1;
    HttpClient c(o);
    const auto r = c.get(s.url() + "/");
    EXPECT_TRUE(r.ok());
    EXPECT_EQ(r.status, 503);
    EXPECT_EQ(r.attempts, 2);
    EXPECT_EQ(s.requests().size(), 2u);
}

TEST(HttpClient, TooManyRequestsIsRetriedNotFoundIsNot) {
    std::atomic<int> n{0};
    StubServer s([&](const StubRequest& q) {
        if (q.target == "/missing") return http_reply(404, "text/plain", "no");
        return ++n == 1 ? http_reply(429, "text/plain", "slow down", "Retry-After: 0\r\n") : http_reply(200, "", "ok");
    });
    HttpClient c(fast());
    EXPECT_EQ(c.get(s.url() + "/").attempts, 2);
    const auto r = c.get(s.url() + "/missing");
    EXPECT_EQ(r.status, 404);
    EXPECT_EQ(r.attempts, 1);
}

TEST(HttpClient, StallIsATimeout) {
    StubServer s([](const StubRequest&) { return StubReply{"", true}; });
    auto o = fast();
    o.total_timeout_ms = 300;
    HttpClient c(o);
    const auto r = c.get(s.url() + "/");
    EXPECT_EQ(r.error, NetError::Timeout) << r.message;
    EXPECT_EQ(r.attempts, 1);
}

TEST(HttpClient, ClosedPortIsRefused) {
    // A bound socket that does not listen: connecting to it is refused.
    const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    ASSERT_EQ(::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr), 0);
    socklen_t len = sizeof addr;
    ::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len);
    HttpClient c(fast());
    const auto r = c.get("http://127.0.0.1:" + std::to_string(ntohs(addr.sin_port)) + "/");
    ::close(fd);
    EXPECT_EQ(r.error, NetError::Refused) << r.message;
}

TEST(HttpClient, UnknownHostIsDns) {
    HttpClient c(fast());
    const auto r = c.get("http://no-such-host.invalid/");
    EXPECT_EQ(r.error, NetError::Dns) << r.message;
}

TEST(HttpClient, TlsToAPlainServerIsTls) {
    StubServer s([](const StubRequest&) { return http_reply(200, "text/plain", "plain"); });
    HttpClient c(fast());
    const auto r = c.get("https://127.0.0.1:" + std::to_string(s.port()) + "/");
    EXPECT_EQ(r.error, NetError::Tls) << r.message;
}

TEST(HttpClient, FollowsRedirects) {
    StubServer s([](const StubRequest& q) {
        if (q.target == "/old") return http_reply(302, "text/html", "moved", "Location: /new\r\n");
        return http_reply(200, "text/plain", "here: " + q.target);
    });
    HttpClient c(fast());
    const auto r = c.get(s.url() + "/old");
    EXPECT_EQ(r.status, 200);
    EXPECT_EQ(r.body, "here: /new");
    EXPECT_EQ(r.url, s.url() + "/new");
}

TEST(HttpClient, RedirectLoopStops) {
    StubServer s([](const StubRequest&) { return http_reply(302, "", "", "Location: /again\r\n"); });
    HttpClient c(fast());
    EXPECT_EQ(c.get(s.url() + "/").error, NetError::Redirects);
}

TEST(HttpClient, HugeBodyIsCapped) {
    const std::string big(4u << 20, 'x');
    StubServer s([&](const StubRequest&) { return http_reply(200, "text/plain", big); });
    auto o = fast();
    o.max_response = 1u << 20;
    HttpClient c(o);
    const auto r = c.get(s.url() + "/");
    EXPECT_EQ(r.error, NetError::TooLarge);
    EXPECT_LE(r.body.size(), o.max_response);
}

TEST(HttpClient, PostsTheForm) {
    StubServer s([](const StubRequest& q) { return http_reply(200, "text/plain", q.method + " " + q.body); });
    HttpClient c(fast());
    const auto r = c.post_form(s.url() + "/pks/add", "keytext=abc%20d");
    EXPECT_EQ(r.body, "POST keytext=abc%20d");
}

}  // namespace
}  // namespace pgpkit::test
