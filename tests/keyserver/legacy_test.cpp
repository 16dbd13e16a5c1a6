// GnuPG 1.x's keyserver message format (keyserver/legacy_protocol.h), its server on TCP and
// unix sockets (legacy_server.h) and its client (legacy_client.h).
#include <gtest/gtest.h>

#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include <cstring>
#include <fstream>

#include "base/error.h"
#include "keyserver/legacy_client.h"
#include "keyserver/legacy_server.h"
#include "keyserver/sqlite_store.h"
#include "tests/keyserver/sample_certs.h"
#include "tests/support/env.h"

namespace pgpkit::test {
namespace {

using namespace pgpkit::keyserver;

Bytes bytes(const std::string& s) { return Bytes(s.begin(), s.end()); }

std::optional<LegacyRequest> request(const std::string& wire, std::size_t& used, std::size_t max = 1000) {
    return parse_legacy_request(bytes(wire), max, used);
}

TEST(LegacyProtocol, ReadsRequestsWithCrlfOrLfAndAnyHeaderCase) {
    std::size_t used = 0;
    auto r = request("GET\r\nContent-length: 5\r\n\r\nalice", used);
    ASSERT_TRUE(r);
    EXPECT_EQ(r->command, LegacyCommand::Get);
    EXPECT_EQ(r->data, bytes("alice"));
    EXPECT_EQ(used, 31u);
    r = request("PUT\nX-Other: 1\nCONTENT-LENGTH:3\n\nabcNOOP\n\n", used);
    ASSERT_TRUE(r);
    EXPECT_EQ(r->data, bytes("abc"));
    r = request("NOOP\n\n", used);  // NOOP needs no Content-length
    ASSERT_TRUE(r);
    EXPECT_EQ(r->command, LegacyCommand::Noop);
}

TEST(LegacyProtocol, EveryPrefixIsIncompleteAndFormatRoundTrips) {
    const LegacyRequest req{LegacyCommand::Delete, bytes("45F7038ACD51FA9AD01BFF5A71290C550806E030")};
    const Bytes wire = format_legacy_request(req);
    for (std::size_t n = 0; n < wire.size(); ++n) {
        std::size_t used = 1;
        EXPECT_FALSE(parse_legacy_request(ByteView(wire.data(), n), 1000, used)) << n;
        EXPECT_EQ(used, 0u);
    }
    std::size_t used = 0;
    EXPECT_EQ(parse_legacy_request(wire, 1000, used), req);
    const LegacyResponse res{404, "Not Found", bytes("no keys found\n")};
    const Bytes answer = format_legacy_response(res);
    EXPECT_EQ(std::string(answer.begin(), answer.begin() + 20), "GNUPG/1.0 404 Not Fo");
    EXPECT_EQ(parse_legacy_response(answer, 1000, used), res);
}

TEST(LegacyProtocol, BadRequestsNameWhatAndWhere) {
    std::size_t used = 0;
    auto message = [&](const std::string& wire, std::size_t max = 1000) -> std::string {
        try {
            (void)request(wire, used, max);
        } catch (const Error& e) {
            return std::to_string(e.offset()) + ": " + e.detail();
        }
        return "accepted";
    };
    EXPECT_EQ(message("FROB\r\n\r\n"), "0: unknown command 'FROB'");
    EXPECT_EQ(message("GET\r\n\r\n"), "7: GET without Content-length");
    EXPECT_EQ(message("GET\r\nContent-length: 12x\r\n\r\n"), "5: bad Content-length");
    EXPECT_EQ(message("PUT\r\nContent-length: 1001\r\n\r\n"), "5: Content-length 1001 is more than 1000");
    EXPECT_EQ(message("GET\r\nContent-length: 1\r\nContent-length: 1\r\n\r\nx"), "24: a second Content-length");
    EXPECT_EQ(message("GET\r\nno colon here\r\n\r\n"), "5: a header line without ':'");
    EXPECT_EQ(message("\r\n"), "0: an empty first line");
    EXPECT_EQ(message("GET\r\nX: " + std::string(5000, 'a')), "4096: a head longer than 4096");
    EXPECT_THROW((void)parse_legacy_response(bytes("HTTP/1.1 200 OK\r\n\r\n"), 10, used), Error);
}

/** A server on a TCP port and a unix socket over a fresh SQLite store. */
class LegacyServerTest : public ::testing::Test {
protected:
    void start(bool allow_delete) {
        store = std::make_unique<SqliteStore>(dir.file("keys.db"));
        LegacyOptions o;
        o.listen = {"127.0.0.1:0", "unix:" + dir.file("sock")};
        o.allow_delete = allow_delete;
        o.timeout_ms = 3000;
        server = std::make_unique<LegacyServer>(*store, o);
        server->start();
        tcp = "127.0.0.1:" + std::to_string(server->ports().at(0));
        unix_socket = "unix:" + dir.file("sock");
    }
    LegacyResponse ask(const std::string& where, LegacyCommand c, const Bytes& data = {}) {
        return legacy_request(where, {c, data});
    }

    TempDir dir;
    std::unique_ptr<SqliteStore> store;
    std::unique_ptr<LegacyServer> server;
    std::string tcp, unix_socket;
};

TEST_F(LegacyServerTest, NoopPutGetOnBothTransports) {
    start(false);
    EXPECT_EQ(ask(tcp, LegacyCommand::Noop).code, 200u);
    const auto put = ask(tcp, LegacyCommand::Put, ed25519_cert());
    EXPECT_EQ(put.code, 200u);
    EXPECT_EQ(as_string(put.data), "inserted " + kEdFpr + "\n");
    for (const auto& where : {tcp, unix_socket}) {
        const auto got = ask(where, LegacyCommand::Get, bytes("0x" + kEdFpr));
        EXPECT_EQ(got.code, 200u) << where;
        EXPECT_EQ(as_string(got.data).rfind("-----BEGIN PGP PUBLIC KEY BLOCK-----\n", 0), 0u);
    }
    EXPECT_EQ(ask(tcp, LegacyCommand::Get, bytes("nobody@example.org")).code, 404u);
    EXPECT_EQ(ask(tcp, LegacyCommand::Put, bytes("garbage")).code, 422u);
    struct stat st {};
    ASSERT_EQ(::stat(dir.file("sock").c_str(), &st), 0);
    EXPECT_EQ(st.st_mode & 0777, 0600u);
}

TEST_F(LegacyServerTest, DeleteOnlyOnTheUnixSocketAndOnlyWhenAllowed) {
    start(true);
    ASSERT_EQ(ask(tcp, LegacyCommand::Put, ed25519_cert()).code, 200u);
    EXPECT_EQ(ask(tcp, LegacyCommand::Delete, bytes(kEdFpr)).code, 403u);
    EXPECT_EQ(store->stats().certs, 1u);
    EXPECT_EQ(ask(unix_socket, LegacyCommand::Delete, bytes("0x1234")).code, 400u);
    const auto del = ask(unix_socket, LegacyCommand::Delete, bytes(kEdFpr + "\n"));
    EXPECT_EQ(del.code, 200u);
    EXPECT_EQ(as_string(del.data), "deleted " + kEdFpr + "\n");
    EXPECT_EQ(store->stats().certs, 0u);
    EXPECT_EQ(ask(unix_socket, LegacyCommand::Delete, bytes(kEdFpr)).code, 404u);
    server->stop();
    start(false);
    ASSERT_EQ(ask(tcp, LegacyCommand::Put, ed25519_cert()).code, 200u);
    EXPECT_EQ(ask(unix_socket, LegacyCommand::Delete, bytes(kEdFpr)).code, 403u);
    EXPECT_EQ(store->stats().certs, 1u);
}

/** A raw unix-socket connection, to send what the client never would. */
int connect_raw(const std::string& path) {
    const int fd = ::socket(AF_UNIX, SOCK_STREAM, 0);
    sockaddr_un sa{};
    sa.sun_family = AF_UNIX;
    std::strncpy(sa.sun_path, path.c_str(), sizeof sa.sun_path - 1);
    EXPECT_EQ(::connect(fd, reinterpret_cast<sockaddr*>(&sa), sizeof sa), 0);
    return fd;
}

TEST_F(LegacyServerTest, BadRequestIsAnsweredAndAStalledClientBlocksNobody) {
    start(false);
    const int stalled = connect_raw(dir.file("sock"));
    const std::string half = "PUT\r\nContent-length: 100\r\n\r\nonly a part";
    ASSERT_EQ(::send(stalled, half.data(), half.size(), 0), static_cast<ssize_t>(half.size()));
    EXPECT_EQ(ask(tcp, LegacyCommand::Noop).code, 200u);  // one server thread, not held by it
    const int bad = connect_raw(dir.file("sock"));
    const std::string frob = "FROB\r\n\r\n";
    ASSERT_EQ(::send(bad, frob.data(), frob.size(), 0), static_cast<ssize_t>(frob.size()));
    char buf[256] = {};
    const ssize_t n = ::recv(bad, buf, sizeof buf - 1, MSG_WAITALL);
    EXPECT_EQ(std::string(buf, static_cast<std::size_t>(std::max<ssize_t>(n, 0))).substr(0, 26),
              "GNUPG/1.0 400 Bad Request\r");
    ::close(bad);
    ::close(stalled);
}

TEST_F(LegacyServerTest, SocketPathThatIsNotASocketIsNeverRemoved) {
    std::ofstream(dir.file("sock")) << "precious";
    store = std::make_unique<SqliteStore>(dir.file("keys.db"));
    LegacyOptions o;
    o.listen = {"unix:" + dir.file("sock")};
    LegacyServer s(*store, o);
    EXPECT_THROW(s.start(), Error);
    EXPECT_EQ(as_string(read_bytes(dir.file("sock"))), "precious");
}

TEST(LegacyClient, UnreachableServerIsAnIoError) {
    TempDir dir;
    try {
        (void)legacy_request("unix:" + dir.file("nothing"), {LegacyCommand::Noop, {}});
        FAIL() << "connected";
    } catch (const Error& e) {
        EXPECT_EQ(e.kind(), Errc::Io);
        EXPECT_NE(std::string(e.what()).find("legacy keyserver unix:"), std::string::npos) << e.what();
    }
}

}  // namespace
}  // namespace pgpkit::test
