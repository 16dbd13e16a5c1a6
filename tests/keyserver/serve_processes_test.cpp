// pgpkit serve as processes: two servers on one PostgreSQL database serve each other's
// uploads, and a kill -9 during uploads leaves a store that opens and answers (both engines).
#include <gtest/gtest.h>

#include <atomic>
#include <thread>

#include "base/error.h"
#include "cert/cert.h"
#include "keyserver/server_store.h"
#include "packet/source.h"
#include "tests/keyserver/http_client.h"
#include "tests/keyserver/postgres.h"
#include "tests/keyserver/sample_certs.h"
#include "tests/support/serve_process.h"
#include "tests/support/env.h"

namespace pgpkit::test {
namespace {

using namespace pgpkit::keyserver;

std::string keytext_form(const Bytes& keys) { return "keytext=" + form_escape(as_string(keys)); }

TEST(ServeProcesses, TwoServersOnOneDatabaseServeEachOthersUploads) {
    TempDir dir;
    TestDatabase db;
    ServeProcess a("--db " + shell_quote(db.uri()), dir.file("a.log"));
    ServeProcess b("--db " + shell_quote(db.uri()), dir.file("b.log"));
    EXPECT_EQ(http_post_form(a.port(), "/pks/add", keytext_form(ed25519_cert())).body, "inserted " + kEdFpr + "\n");
    EXPECT_EQ(http_get(b.port(), "/pks/lookup?op=get&options=bin&search=0x" + kEdFpr).body, as_string(ed25519_cert()));
    const cert::Cert c = debian_cert();
    const Bytes full = cert::write_cert(c);
    EXPECT_EQ(http_post_form(b.port(), "/pks/add", keytext_form(full)).status, 200u);
    const auto index = http_get(a.port(), "/pks/lookup?op=index&options=mr&search=0x" + to_hex(c.fingerprint()));
    EXPECT_NE(index.body.find("pub:" + to_hex(c.fingerprint())), std::string::npos) << index.body;
    EXPECT_NE(http_get(a.port(), "/pks/lookup?op=stats&options=mr").body.find("\"total\":2,"), std::string::npos);
}

/** Uploads certificates one by one until the server is gone; `accepted` gets the
 *  fingerprints of those answered 200, `count` their number. */
void upload_until_killed(std::uint16_t port, const std::vector<cert::Cert>& certs, std::vector<Bytes>& accepted,
                         std::atomic<std::size_t>& count) {
    for (const auto& c : certs) {
        try {
            if (http_post_form(port, "/pks/add", keytext_form(cert::write_cert(c))).status != 200) continue;
        } catch (const std::exception&) {
            return;
        }
        accepted.push_back(c.fingerprint());
        ++count;
    }
}

class KillDuringUploads : public ::testing::TestWithParam<std::string> {};

TEST_P(KillDuringUploads, LeavesAStoreThatOpensAndAnswers) {
    TempDir dir;
    std::optional<TestDatabase> db;
    std::string spec = "sqlite:" + dir.file("keys.db");
    if (GetParam() == "postgresql") spec = db.emplace().uri();
    const auto certs = debian_certs(400, false, 3000000);
    ASSERT_GE(certs.size(), 100u);
    std::vector<Bytes> accepted;
    std::atomic<std::size_t> count{0};
    {
        ServeProcess s("--db " + shell_quote(spec), dir.file("serve.log"));
        std::thread up(upload_until_killed, s.port(), std::cref(certs), std::ref(accepted), std::ref(count));
        for (int i = 0; i < 3000 && count < 30; ++i) std::this_thread::sleep_for(std::chrono::milliseconds(5));
        s.kill_hard();
        up.join();
    }
    ASSERT_GE(accepted.size(), 30u);
    ASSERT_LT(accepted.size(), certs.size()) << "the uploads ended before the kill";
    // Every upload that was answered is there, whole; the store opens and answers.
    const auto store = open_keyserver_store(spec);
    EXPECT_GE(store->stats().certs, accepted.size());
    for (const Bytes& fpr : accepted) {
        const auto found = store->lookup(parse_search("0x" + to_hex(fpr)), {});
        ASSERT_EQ(found.size(), 1u) << to_hex(fpr);
        EXPECT_NO_THROW((void)cert::read_all_certs(found[0].keyblock)) << to_hex(fpr);
    }
    ServeProcess again("--db " + shell_quote(spec), dir.file("again.log"));
    EXPECT_EQ(http_post_form(again.port(), "/pks/add", keytext_form(ed25519_cert())).status, 200u);
}

INSTANTIATE_TEST_SUITE_P(Engines, KillDuringUploads, ::testing::Values("sqlite", "postgresql"),
                         [](const auto& info) { return info.param; });

}  // namespace
}  // namespace pgpkit::test
