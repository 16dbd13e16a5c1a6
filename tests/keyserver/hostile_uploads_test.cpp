// Hostile uploads to pgpkit serve: a compression bomb, a flood of signatures on one user
// ID, a PGP 2 (v3) key, a secret key. Each gets a 4xx and an access-log line naming why,
// and nothing of it is stored. Hundreds of idle connections hold no one up.
#include <gtest/gtest.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>
#include <zlib.h>

#include <chrono>
#include <memory>
#include <mutex>
#include <thread>

#include "cert/cert.h"
#include "keyserver/hkp_server.h"
#include "keyserver/sqlite_store.h"
#include "packet/packet.h"
#include "tests/keyserver/http_client.h"
#include "tests/keyserver/sample_certs.h"
#include "tests/support/env.h"

namespace pgpkit::test {
namespace {

using namespace pgpkit::keyserver;

/** A Compressed Data packet (ZIP) that inflates to `size` zero octets. */
Bytes compression_bomb(std::size_t size) {
    z_stream z{};
    EXPECT_EQ(deflateInit2(&z, 9, Z_DEFLATED, -15, 9, Z_DEFAULT_STRATEGY), Z_OK);
    const Bytes zeros(1 << 20, 0);
    Bytes deflated(size / 500 + 4096);
    z.next_out = deflated.data();
    z.avail_out = static_cast<uInt>(deflated.size());
    for (std::size_t done = 0; done < size; done += zeros.size()) {
        z.next_in = const_cast<Bytef*>(zeros.data());
        z.avail_in = static_cast<uInt>(zeros.size());
        const bool last = done + zeros.size() >= size;
        EXPECT_EQ(deflate(&z, last ? Z_FINISH : Z_NO_FLUSH), last ? Z_STREAM_END : Z_OK);
    }
    deflated.resize(z.total_out);
    deflateEnd(&z);
    const std::uint32_t len = static_cast<std::uint32_t>(deflated.size() + 1);
    // New-format header, five-octet length, then the algorithm octet (1: ZIP).
    deflated.insert(deflated.begin(), {0xC8, 0xFF, static_cast<std::uint8_t>(len >> 24),
                                       static_cast<std::uint8_t>(len >> 16), static_cast<std::uint8_t>(len >> 8),
                                       static_cast<std::uint8_t>(len), 1});
    return deflated;
}

/** The ed25519 certificate with its user ID's self-signature repeated `n` more times. */
Bytes signature_flood(std::size_t n) {
    Bytes out = ed25519_cert();
    const cert::Cert c = cert::read_all_certs(out).at(0);
    const auto* uid = c.of_kind(cert::ComponentKind::UserId).at(0);
    const Bytes sig = packet::write_packets({*uid->signatures().at(0)});
    for (std::size_t i = 0; i < n; ++i) out.insert(out.end(), sig.begin(), sig.end());
    return out;
}

class HostileUploads : public ::testing::Test {
protected:
    void SetUp() override {
        store = std::make_unique<SqliteStore>(dir.file("keys.db"));
        ServerOptions so;
        so.listen = {"127.0.0.1:0"};
        so.threads = 2;
        ServerEvents ev;
        ev.access = [this](const AccessEvent& e) {
            std::lock_guard lock(mu);
            log.push_back(format_access(e));
        };
        server = std::make_unique<HkpServer>(*store, so, ev);
        server->start();
        port = server->ports().at(0);
    }
    void TearDown() override { server->stop(); }
    /** Uploads `keys`; the status and the access log's line for it. */
    /** Uploads `keys`: the status (0 when the server closed the connection before the
     *  client had sent it all, as it does on a body over its limit) and the access log's
     *  line for it. */
    std::pair<unsigned, std::string> upload(const Bytes& keys) {
        unsigned status = 0;
        try {
            status = http_post_form(port, "/pks/add", "keytext=" + form_escape(as_string(keys))).status;
        } catch (const std::exception&) {
        }
        for (int i = 0; i < 200; ++i) {
            {
                std::lock_guard lock(mu);
                if (log.size() > logged) {
                    logged = log.size();
                    return {status, log.back()};
                }
            }
            std::this_thread::sleep_for(std::chrono::milliseconds(10));
        }
        return {status, ""};
    }

    TempDir dir;
    std::unique_ptr<SqliteStore> store;
    std::unique_ptr<HkpServer> server;
    std::uint16_t port = 0;
    std::mutex mu;
    std::vector<std::string> log;
    std::size_t logged = 0;
};

TEST_F(HostileUploads, EachGetsA4xxAndALogLineAndNothingIsStored) {
    struct Case {
        const char* what;
        Bytes keys;
        unsigned status;
        const char* logged;
    };
    const std::vector<Case> cases{
        // Compressed data is not a keyring: refused before anything is inflated.
        {"a 256 MiB compression bomb", compression_bomb(std::size_t{256} << 20), 422, "no certificate"},
        {"25,000 signatures on one user ID", signature_flood(25000), 413, "packets"},
        {"100,000 signatures on one user ID", signature_flood(100000), 413, "too large"},
        {"a PGP 2 key", read_bytes(shared_testdata() + "/gnupg/pgp263-test.pub.asc"), 422, "rejected"},
        {"a secret key", read_bytes(shared_testdata() + "/gnupg/samplekeys/silent-running.asc"), 422, "secret"},
    };
    for (const Case& c : cases) {
        SCOPED_TRACE(c.what);
        const auto [status, line] = upload(c.keys);
        if (status != 0) {
            EXPECT_EQ(status, c.status);
        }
        EXPECT_NE(line.find(" " + std::to_string(c.status) + " "), std::string::npos) << line;
        EXPECT_NE(line.find(c.logged), std::string::npos) << line;
    }
    EXPECT_EQ(store->stats().certs, 0u);
}

TEST_F(HostileUploads, HundredsOfIdleConnectionsHoldNoOneUp) {
    std::vector<int> idle;
    for (int i = 0; i < 300; ++i) {
        const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
        sockaddr_in sa{};
        sa.sin_family = AF_INET;
        sa.sin_port = htons(port);
        sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        ASSERT_EQ(::connect(fd, reinterpret_cast<sockaddr*>(&sa), sizeof sa), 0) << i;
        idle.push_back(fd);
    }
    for (int i = 0; i < 20; ++i) EXPECT_EQ(http_get(port, "/health").status, 200u);
    EXPECT_EQ(upload(ed25519_cert()).first, 200u);
    for (int fd : idle) ::close(fd);
}

}  // namespace
}  // namespace pgpkit::test
