// 50 clients upload overlapping versions of the same 100 certificates at once; afterwards
// every packet any upload carried is in the store (issue 13: nothing is lost), on both
// engines.
#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <mutex>
#include <optional>
#include <random>
#include <set>
#include <thread>

#include "base/error.h"
#include "cert/cert.h"
#include "keyserver/hkp_server.h"
#include "keyserver/index_build.h"
#include "keyserver/server_store.h"
#include "packet/packet.h"
#include "packet/source.h"
#include "tests/keyserver/http_client.h"
#include "tests/keyserver/postgres.h"
#include "tests/keyserver/sample_certs.h"
#include "tests/support/env.h"

namespace pgpkit::test {
namespace {

using namespace pgpkit::keyserver;

/** Version `v` of `c`: its third-party certifications with index % 3 != v % 3 dropped. */
cert::Cert version_of(const cert::Cert& c, unsigned v) {
    cert::Cert out = c;
    const cert::Cert self = without_third_party(c);
    for (std::size_t i = 0; i < out.components.size(); ++i) {
        auto& tail = out.components[i].tail;
        const auto& keep = self.components[i].tail;
        std::vector<packet::Packet> kept;
        std::size_t third = 0;
        for (auto& p : tail) {
            const bool own = std::any_of(keep.begin(), keep.end(), [&](const packet::Packet& k) {
                return packet::write_packets({k}) == packet::write_packets({p});
            });
            if (own || third++ % 3 == v % 3) kept.push_back(std::move(p));
        }
        tail = std::move(kept);
    }
    return out;
}

/** Every packet of `c`, as octets. */
std::set<std::string> packet_set(const cert::Cert& c) {
    std::set<std::string> out;
    for (const packet::Packet* p : cert::packets_of(c)) out.insert(as_string(packet::write_packets({*p})));
    return out;
}

class ConcurrentUploads : public ::testing::TestWithParam<std::string> {};

TEST_P(ConcurrentUploads, FiftyClientsLoseNothing) {
    TempDir dir;
    std::optional<TestDatabase> db;
    const auto store = open_keyserver_store(GetParam() == "sqlite" ? "sqlite:" + dir.file("keys.db") : db.emplace().uri());
    ServerOptions so;
    so.listen = {"127.0.0.1:0"};
    so.threads = 2;
    HkpServer server(*store, so, {});
    server.start();
    const auto port = server.ports().at(0);
    const auto certs = debian_certs(100, true, 8000000);
    ASSERT_EQ(certs.size(), 100u);
    std::vector<std::vector<cert::Cert>> versions(certs.size());
    std::vector<std::vector<std::string>> forms(certs.size());
    for (std::size_t k = 0; k < certs.size(); ++k)
        for (unsigned v = 0; v < 3; ++v) {
            versions[k].push_back(version_of(certs[k], v));
            forms[k].push_back("keytext=" + form_escape(as_string(cert::write_cert(versions[k].back()))));
        }
    // Each client uploads 8 (certificate, version) pairs, 400 uploads over the 100 keys.
    std::mutex mu;
    std::set<std::pair<std::size_t, std::size_t>> uploaded;
    std::atomic<int> failures{0};
    std::vector<std::thread> clients;
    for (unsigned c = 0; c < 50; ++c)
        clients.emplace_back([&, c] {
            std::mt19937 rng(c);
            for (unsigned i = 0; i < 8; ++i) {
                const std::size_t k = (c * 8 + i) % certs.size(), v = rng() % 3;
                try {
                    if (http_post_form(port, "/pks/add", forms[k][v]).status != 200) {
                        ++failures;
                        continue;
                    }
                } catch (const std::exception&) {
                    ++failures;
                    continue;
                }
                std::lock_guard lock(mu);
                uploaded.emplace(k, v);
            }
        });
    for (auto& t : clients) t.join();
    server.stop();
    EXPECT_EQ(failures, 0);
    // The same uploads one after the other into a fresh store are the reference: what an
    // import keeps of a version (no non-exportable or broken signatures) is what counts.
    const auto reference = open_keyserver_store("sqlite:" + dir.file("reference.db"));
    for (const auto& [k, v] : uploaded)
        ASSERT_EQ(reference->add(cert::write_cert(versions[k][v])).problem, UploadProblem::None);
    std::size_t checked = 0;
    for (std::size_t k = 0; k < certs.size(); ++k) {
        const auto search = parse_search("0x" + to_hex(certs[k].fingerprint()));
        const auto found = store->lookup(search, {});
        const auto want = reference->lookup(search, {});
        ASSERT_EQ(found.size(), 1u) << k;
        ASSERT_EQ(want.size(), 1u) << k;
        const auto stored = packet_set(cert::read_all_certs(found[0].keyblock).at(0));
        std::size_t missing = 0;
        for (const auto& p : packet_set(cert::read_all_certs(want[0].keyblock).at(0))) missing += stored.count(p) ? 0 : 1;
        EXPECT_EQ(missing, 0u) << "certificate " << k;
        checked += stored.size();
    }
    EXPECT_GT(checked, 1000u);
}

INSTANTIATE_TEST_SUITE_P(Engines, ConcurrentUploads, ::testing::Values("sqlite", "postgresql"),
                         [](const auto& info) { return info.param; });

}  // namespace
}  // namespace pgpkit::test
