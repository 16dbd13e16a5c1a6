// The keyserver store's engines (keyserver/sqlite_store.h, keyserver/postgres_store.h):
// the same uploads, merges, refusals and look-ups on each, and what only PostgreSQL
// promises: several servers on one database, uploading the same keys at once.
#include <gtest/gtest.h>

#include <functional>
#include <memory>
#include <optional>
#include <thread>

#include "base/error.h"
#include "cert/cert.h"
#include "keyserver/hkp_server.h"
#include "keyserver/index_build.h"
#include "keyserver/postgres_store.h"
#include "keyserver/server_store.h"
#include "tests/keyserver/http_client.h"
#include "tests/keyserver/postgres.h"
#include "tests/keyserver/sample_certs.h"
#include "tests/support/env.h"

namespace pgpkit::test {
namespace {

using namespace pgpkit::keyserver;

Search search(const std::string& s) { return parse_search(s); }

/** One engine's store in a fresh place: a temporary keys.db, or a new database. */
class StoreEngine : public ::testing::TestWithParam<std::string> {
protected:
    std::unique_ptr<KeyserverStore> open(UploadLimits limits = {}) {
        if (GetParam() == "sqlite") return open_keyserver_store("sqlite:" + dir.file("keys.db"), limits);
        if (!db) db.emplace();
        return open_keyserver_store(db->uri(), limits);
    }

    TempDir dir;
    std::optional<TestDatabase> db;
};

TEST_P(StoreEngine, InsertThenUnchangedThenFoundEveryWay) {
    const auto store = open();
    EXPECT_EQ(store->engine(), GetParam());
    auto r = store->add(ed25519_cert());
    ASSERT_EQ(r.problem, UploadProblem::None) << r.message;
    ASSERT_EQ(r.certs.size(), 1u);
    EXPECT_EQ(r.certs[0].status, AddStatus::Inserted);
    EXPECT_EQ(to_hex(r.certs[0].fingerprint), kEdFpr);
    EXPECT_EQ(store->add(ed25519_cert()).certs.at(0).status, AddStatus::Unchanged);
    for (const std::string& s : {"0x" + kEdFpr, "0x" + kEdFpr.substr(24), "0x" + kEdFpr.substr(32), kEdFpr,
                                std::string("ED25519@Example.org"), std::string("pgpkit ED25519"),
                                std::string("example ed25519 pgpkit")}) {
        const auto found = store->lookup(search(s), {});
        ASSERT_EQ(found.size(), 1u) << s;
        EXPECT_EQ(to_hex(found[0].fingerprint), kEdFpr);
        EXPECT_EQ(found[0].keyblock, ed25519_cert());
    }
    EXPECT_TRUE(store->lookup(search("pgpkit nosuchword"), {}).empty());
    EXPECT_TRUE(store->lookup(search("other@example.org"), {}).empty());
    LookupOptions exact;
    exact.exact = true;
    EXPECT_EQ(store->lookup(search("pgpkit ed25519 <ed25519"), exact).size(), 1u);
    EXPECT_TRUE(store->lookup(search("ed25519 pgpkit"), exact).empty());
    EXPECT_EQ(store->stats().certs, 1u);
    EXPECT_GT(store->stats().last_update, 0);
}

TEST_P(StoreEngine, MergesNewCertificationsAndNeverDeletes) {
    const auto store = open();
    const cert::Cert c = debian_cert();
    const Bytes stripped = cert::write_cert(without_third_party(c));
    const Bytes full = cert::write_cert(c);
    EXPECT_EQ(store->add(stripped).certs.at(0).status, AddStatus::Inserted);
    EXPECT_EQ(store->add(full).certs.at(0).status, AddStatus::Updated);
    EXPECT_EQ(store->add(stripped).certs.at(0).status, AddStatus::Unchanged);
    const auto found = store->lookup(search("0x" + to_hex(c.fingerprint())), {});
    ASSERT_EQ(found.size(), 1u);
    EXPECT_GT(found[0].keyblock.size(), stripped.size());
    // A subkey's key ID finds the certificate too.
    const auto* sub = c.of_kind(cert::ComponentKind::Subkey).at(0);
    const Bytes sub_id(sub->key()->keyid.begin(), sub->key()->keyid.end());
    EXPECT_EQ(store->lookup(search("0x" + to_hex(sub_id)), {}).size(), 1u);
}

TEST_P(StoreEngine, RefusesSecretKeysGarbageAndOversizedUploads) {
    UploadLimits limits;
    limits.max_bytes = 100000;
    const auto store = open(limits);
    const auto secret = store->add(read_bytes(shared_testdata() + "/gnupg/samplekeys/silent-running.asc"));
    EXPECT_EQ(secret.problem, UploadProblem::Invalid);
    EXPECT_NE(secret.message.find("secret keys"), std::string::npos);
    const std::string junk = "hello, world";
    EXPECT_EQ(store->add(Bytes(junk.begin(), junk.end())).problem, UploadProblem::Invalid);
    EXPECT_EQ(store->add(Bytes(100001, 0x99)).problem, UploadProblem::TooLarge);
    EXPECT_EQ(store->stats().certs, 0u);
}

TEST_P(StoreEngine, ServesThroughTheHttpServer) {
    const auto store = open();
    ServerOptions so;
    so.listen = {"127.0.0.1:0"};
    so.threads = 2;
    HkpServer server(*store, so, {});
    server.start();
    const auto port = server.ports().at(0);
    const auto added = http_post_form(port, "/pks/add", "keytext=" + form_escape(as_string(ed25519_cert())));
    EXPECT_EQ(added.body, "inserted " + kEdFpr + "\n");
    EXPECT_EQ(http_get(port, "/pks/lookup?op=get&options=bin&search=0x" + kEdFpr).body, as_string(ed25519_cert()));
    const auto mr = http_get(port, "/pks/lookup?op=index&options=mr&search=pgpkit");
    EXPECT_NE(mr.body.find("\npub:" + kEdFpr + ":22:255:"), std::string::npos) << mr.body;
    EXPECT_NE(http_get(port, "/pks/lookup?op=stats&options=mr").body.find("\"engine\":\"" + GetParam() + "\""),
              std::string::npos);
    server.stop();
}

INSTANTIATE_TEST_SUITE_P(Engines, StoreEngine, ::testing::Values("sqlite", "postgresql"),
                         [](const auto& info) { return info.param; });

TEST(PostgresStore, TwoServersOnOneDatabaseMergeConcurrentUploads) {
    TestDatabase db;
    std::unique_ptr<KeyserverStore> a, b;
    std::string error_a, error_b;
    // Both create the tables at once, as two servers starting together do.
    auto opening = [&](std::unique_ptr<KeyserverStore>& s, std::string& error) {
        return std::thread([&] {
            try {
                s = std::make_unique<PostgresStore>(db.uri());
            } catch (const Error& e) {
                error = e.what();
            }
        });
    };
    std::thread ta = opening(a, error_a), tb = opening(b, error_b);
    ta.join();
    tb.join();
    ASSERT_TRUE(a && b) << error_a << error_b;
    const cert::Cert c = debian_cert();
    const Bytes stripped = cert::write_cert(without_third_party(c));
    const Bytes full = cert::write_cert(c);
    // Server A gets the stripped certificate again and again while server B gets the full
    // one: whatever the interleaving, the full certificate is what remains.
    auto uploading = [](KeyserverStore& s, std::function<Bytes(int)> what, std::string& error) {
        return std::thread([&s, what, &error] {
            try {
                for (int i = 0; i < 20; ++i)
                    if (s.add(what(i)).problem != UploadProblem::None) error += "upload refused; ";
            } catch (const Error& e) {
                error += e.what();
            }
        });
    };
    std::thread ua = uploading(*a, [&](int) { return stripped; }, error_a);
    std::thread ub = uploading(*b, [&](int i) { return i % 2 ? full : ed25519_cert(); }, error_b);
    ua.join();
    ub.join();
    EXPECT_EQ(error_a + error_b, "");
    for (KeyserverStore* s : {a.get(), b.get()}) {
        EXPECT_EQ(s->stats().certs, 2u);
        const auto found = s->lookup(search("0x" + to_hex(c.fingerprint())), {});
        ASSERT_EQ(found.size(), 1u);
        EXPECT_EQ(found[0].keyblock.size(), full.size());
        EXPECT_EQ(s->lookup(search(kEdFpr), {}).size(), 1u);
    }
    EXPECT_EQ(db.psql("SELECT count(*) FROM pgpkit_certs"), "2");
}

TEST(PostgresStore, SchemaVersionIsRecordedAndANewerOneRefused) {
    TestDatabase db;
    { PostgresStore s(db.uri()); }
    EXPECT_EQ(db.psql("SELECT version FROM pgpkit_schema"), "1");
    { PostgresStore again(db.uri()); }  // nothing to migrate: opens as it is
    EXPECT_EQ(db.psql("SELECT count(*) FROM pgpkit_schema"), "1");
    db.psql("UPDATE pgpkit_schema SET version = 99");
    try {
        PostgresStore newer(db.uri());
        FAIL() << "opened a database of a newer schema";
    } catch (const Error& e) {
        EXPECT_NE(std::string(e.what()).find("schema is version 99, newer than this pgpkit's (1)"), std::string::npos)
            << e.what();
    }
}

TEST(PostgresStore, UnreachableServerIsOneClearError) {
    try {
        PostgresStore s("postgresql:///nosuchdb?host=/nonexistent-pgpkit-socket-dir&connect_timeout=2");
        FAIL() << "connected";
    } catch (const Error& e) {
        EXPECT_EQ(e.kind(), Errc::Io);
        EXPECT_NE(std::string(e.what()).find("postgresql: cannot connect:"), std::string::npos) << e.what();
    }
}

}  // namespace
}  // namespace pgpkit::test
