#include <gtest/gtest.h>

#include <set>
#include <string>

#include "armor/armor.h"
#include "cert/cert.h"
#include "keyring/store.h"
#include "keyserver/fetch.h"
#include "keyserver/hkp_client.h"
#include "tests/keyserver/stub_server.h"
#include "tests/support/env.h"

namespace pgpkit::test {
namespace {

using keyserver::HkpClient;
using keyserver::Outcome;
using keyserver::QueryKind;

// Debian's SKS 1.1.6 (404 for op=get and op=index), style and DOCTYPE shortened.
const char* sks_404 =
    "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<html xmlns=\"http://www.w3.org/1999/xhtml\">\n<head>\n"
    "<title>No results found</title>\n</head><body><div class=\"disclaimer\">Information displayed on this "
    "website ... <em>is not cryptographically verified</em>.</div><h1>No results found</h1>No results found: "
    "No keys found</body></html>";

keyserver::HttpOptions fast() {
    keyserver::HttpOptions o;
    o.connect_timeout_ms = 2000;
    o.total_timeout_ms = 3000;
    o.backoff_ms = 5;
    o.max_retry_after_ms = 20;
    return o;
}

std::string text_of(const std::string& path) {
    const Bytes b = read_bytes(path);
    return std::string(b.begin(), b.end());
}

std::string armored_cert(const std::string& name) {
    const Bytes b = read_bytes(test_data_dir() + "/cert/" + name);
    return armor::encode_text(b, "PUBLIC KEY BLOCK", {});
}

Bytes fingerprint_of(const std::string& name) {
    return cert::read_all_certs(read_bytes(test_data_dir() + "/cert/" + name)).at(0).fingerprint();
}

TEST(HkpQuery, ClassifiesTheQueryForms) {
    EXPECT_EQ(keyserver::classify_query("0x1234abcd").kind, QueryKind::ShortKeyId);
    EXPECT_EQ(keyserver::classify_query("1234ABCD").text, "1234ABCD");
    EXPECT_EQ(keyserver::classify_query("0123456789abcdef").kind, QueryKind::LongKeyId);
    const auto f = keyserver::classify_query("ECAF 7590 EB34 43B5 C7CF  3ACB 6C7E E1B8 621C C013");
    EXPECT_EQ(f.kind, QueryKind::Fingerprint);
    EXPECT_EQ(f.text, "ECAF7590EB3443B5C7CF3ACB6C7EE1B8621CC013");
    EXPECT_EQ(keyserver::classify_query("<alice@example.org>").kind, QueryKind::Email);
    EXPECT_EQ(keyserver::classify_query("alice@example.org").text, "alice@example.org");
    EXPECT_EQ(keyserver::classify_query("Werner Koch").kind, QueryKind::Words);
    EXPECT_EQ(keyserver::classify_query("DEAD BEEF").kind, QueryKind::Words);  // spaced short IDs are words
    EXPECT_EQ(keyserver::query_id(keyserver::classify_query("0x0102ABCD")), (Bytes{1, 2, 0xAB, 0xCD}));
}

TEST(HkpClient, SearchSendsMrIndexAndReadsSksAnswer) {
    const std::string index = text_of(test_data_dir() + "/keyserver/sks-index.mr");
    StubServer s([&](const StubRequest&) { return http_reply(200, "text/plain", index); });
    HkpClient c(s.url(), fast());
    const auto r = c.search(keyserver::classify_query("alice@example.org"));
    ASSERT_TRUE(r.ok()) << r.message;
    EXPECT_EQ(r.entries.size(), 2u);
    ASSERT_EQ(s.requests().size(), 1u);
    EXPECT_EQ(s.requests()[0].target,
              "/pks/lookup?op=index&options=mr&fingerprint=on&search=alice%40example.org&exact=on");
}

TEST(HkpClient, SearchByWordsAndKeyIdHasNoExact) {
    const std::string index = text_of(test_data_dir() + "/keyserver/hockeypuck-index.mr");
    StubServer s([&](const StubRequest&) { return http_reply(200, "text/plain; charset=utf-8", index); });
    HkpClient c(s.url(), fast());
    EXPECT_EQ(c.search(keyserver::classify_query("Jurgen Raw")).entries.size(), 1u);
    EXPECT_EQ(c.search(keyserver::classify_query("6c7ee1b8621cc013")).entries.at(0).curve, "ed25519");
    EXPECT_EQ(s.requests()[0].target, "/pks/lookup?op=index&options=mr&fingerprint=on&search=Jurgen%20Raw");
    EXPECT_EQ(s.requests()[1].target, "/pks/lookup?op=index&options=mr&fingerprint=on&search=0x6C7EE1B8621CC013");
}

TEST(HkpClient, MapsStatusesAsGpgDoes) {
    StubServer s([](const StubRequest& q) {
        if (q.target.find("search=none") != std::string::npos) return http_reply(404, "text/html", sks_404);
        if (q.target.find("search=many") != std::string::npos)
            return http_reply(500, "text/html", "<html><body><h1>Error</h1>Too many responses</body></html>");
        if (q.target.find("search=todo") != std::string::npos) return http_reply(501, "text/plain", "");
        if (q.target.find("search=portal") != std::string::npos)
            return http_reply(200, "text/html", "<!DOCTYPE html><html><body>Log in to the Wi-Fi</body></html>");
        return http_reply(502, "text/html", "<html>bad gateway</html>");
    });
    HkpClient c(s.url(), fast());
    auto r = c.search(keyserver::classify_query("none"));
    EXPECT_EQ(r.outcome, Outcome::NotFound);
    EXPECT_NE(r.message.find("No keys found"), std::string::npos) << r.message;
    r = c.search(keyserver::classify_query("many"));
    EXPECT_EQ(r.outcome, Outcome::HttpError);
    EXPECT_NE(r.message.find("Too many responses"), std::string::npos) << r.message;
    EXPECT_EQ(c.search(keyserver::classify_query("todo")).outcome, Outcome::NotImplemented);
    EXPECT_EQ(c.search(keyserver::classify_query("portal")).outcome, Outcome::NotKeyserver);
    EXPECT_EQ(c.search(keyserver::classify_query("gateway")).outcome, Outcome::Unavailable);
}

TEST(HkpClient, PlainTextThatIsNoIndexIsNotAKeyserver) {
    StubServer s([](const StubRequest&) { return http_reply(200, "text/plain", "Welcome to my web site\n"); });
    HkpClient c(s.url(), fast());
    EXPECT_EQ(c.search(keyserver::classify_query("x")).outcome, Outcome::NotKeyserver);
    EXPECT_EQ(c.get(Bytes(20, 0)).outcome, Outcome::NotKeyserver);
}

TEST(HkpClient, GetAsksByFingerprintAndMatchRefusesOtherKeys) {
    const std::string both = armored_cert("ed25519-sha512.pgp") + armored_cert("rsa2048-sha512.pgp");
    StubServer s([&](const StubRequest&) { return http_reply(200, "application/pgp-keys", both); });
    HkpClient c(s.url(), fast());
    const Bytes fpr = fingerprint_of("ed25519-sha512.pgp");
    const auto r = c.get(fpr);
    ASSERT_TRUE(r.ok()) << r.message;
    EXPECT_EQ(s.requests()[0].target, "/pks/lookup?op=get&options=mr&search=0x" + to_hex(fpr));
    const auto m = keyserver::match_certs(r.data, fpr);
    ASSERT_EQ(m.accepted.size(), 1u);
    EXPECT_EQ(m.accepted[0].fingerprint(), fpr);
    ASSERT_EQ(m.refused.size(), 1u);
    EXPECT_NE(m.refused[0].find(to_hex(fingerprint_of("rsa2048-sha512.pgp"))), std::string::npos);
    // By long and short key ID (the low octets of a v4 fingerprint).
    EXPECT_EQ(keyserver::match_certs(r.data, Bytes(fpr.end() - 8, fpr.end())).accepted.size(), 1u);
    EXPECT_EQ(keyserver::match_certs(r.data, Bytes(fpr.end() - 4, fpr.end())).accepted.size(), 1u);
}

TEST(HkpClient, RecvImportsOnlyWhatWasAskedAndRefreshSeesNoChange) {
    const std::string both = armored_cert("ed25519-sha512.pgp") + armored_cert("rsa2048-sha512.pgp");
    const Bytes wanted = fingerprint_of("ed25519-sha512.pgp");
    const Bytes missing(20, 0x11);
    StubServer s([&](const StubRequest& q) {
        if (q.target.find(to_hex(missing)) != std::string::npos) return http_reply(404, "text/html", sks_404);
        return http_reply(200, "application/pgp-keys", both);
    });
    TempDir home;
    keyring::Store store(keyring::Store::db_path_in(home.path()));
    keyserver::FetchOptions fo;
    fo.http = fast();
    fo.jobs = 2;
    std::size_t last_done = 0;
    auto fetched = keyserver::fetch_keys(s.url(), {wanted, missing}, fo, [&](std::size_t d, std::size_t) { last_done = d; });
    EXPECT_EQ(last_done, 2u);
    keyring::ImportStats stats;
    auto reports = keyserver::import_fetched(store, fetched, {}, {}, stats);
    ASSERT_EQ(reports.size(), 2u);
    EXPECT_EQ(reports[0].outcome, keyserver::KeyOutcome::New);
    EXPECT_EQ(reports[1].outcome, keyserver::KeyOutcome::NotOnServer);
    EXPECT_EQ(store.count(), 1u);  // the rsa2048 key came along but was not asked for
    EXPECT_TRUE(store.get(wanted).has_value());
    fetched = keyserver::fetch_keys(s.url(), {wanted}, fo);
    reports = keyserver::import_fetched(store, fetched, {}, {}, stats);
    EXPECT_EQ(reports.at(0).outcome, keyserver::KeyOutcome::Unchanged);
}

TEST(HkpClient, VksFetchUsesByFingerprintAndByKeyId) {
    const std::string cert = armored_cert("ed25519-sha512.pgp");
    StubServer s([&](const StubRequest&) { return http_reply(200, "application/pgp-keys", cert); });
    const Bytes fpr = fingerprint_of("ed25519-sha512.pgp");
    keyserver::FetchOptions fo;
    fo.http = fast();
    fo.vks = true;
    const auto f = keyserver::fetch_keys(s.url(), {fpr, Bytes(fpr.end() - 8, fpr.end())}, fo);
    ASSERT_EQ(f.size(), 2u);
    EXPECT_EQ(f[0].certs.accepted.size(), 1u);
    EXPECT_EQ(f[1].certs.accepted.size(), 1u);
    std::set<std::string> targets;
    for (const auto& q : s.requests()) targets.insert(q.target);
    EXPECT_TRUE(targets.count("/vks/v1/by-fingerprint/" + to_hex(fpr)));
    EXPECT_TRUE(targets.count("/vks/v1/by-keyid/" + to_hex(Bytes(fpr.end() - 8, fpr.end()))));
}

TEST(HkpClient, SendPostsArmoredKeytext) {
    StubServer s([](const StubRequest&) { return http_reply(200, "text/html", "<html><body>Key block added</body></html>"); });
    HkpClient c(s.url(), fast());
    const auto a = c.send("-----BEGIN PGP PUBLIC KEY BLOCK-----\n\nabc+/=\n-----END PGP PUBLIC KEY BLOCK-----\n");
    EXPECT_TRUE(a.ok());
    EXPECT_EQ(a.message, "Key block added");
    const auto q = s.requests().at(0);
    EXPECT_EQ(q.method, "POST");
    EXPECT_EQ(q.target, "/pks/add");
    EXPECT_EQ(q.body.substr(0, 50), "keytext=-----BEGIN%20PGP%20PUBLIC%20KEY%20BLOCK---");
    EXPECT_NE(q.body.find("abc%2B%2F%3D"), std::string::npos);
}

TEST(HkpProbe, KeyserverWithEmptyAnswer) {
    StubServer s([](const StubRequest& q) {
        if (q.target.starts_with("/pks/lookup")) return http_reply(404, "text/html", sks_404);
        if (q.target.starts_with("/vks/")) return http_reply(404, "text/plain", "No key found for fingerprint");
        return http_reply(404, "text/html", "<html><body>Page not found</body></html>");
    });
    HkpClient c(s.url(), fast());
    const auto p = c.probe();
    EXPECT_TRUE(p.hkp);
    EXPECT_TRUE(p.vks);
    EXPECT_TRUE(p.empty_answer);
    EXPECT_EQ(p.verdict, "keyserver, empty answer");
}

TEST(HkpProbe, WebServerEchoingThePathIsNotAKeyserver) {
    StubServer s([](const StubRequest& q) {
        const std::string path = q.target.substr(0, q.target.find('?'));
        return http_reply(404, "text/html", "<html><body><h1>Not Found</h1>The requested URL " + path +
                                                " was not found on this server.</body></html>");
    });
    HkpClient c(s.url(), fast());
    EXPECT_FALSE(c.probe().hkp);
}

TEST(HkpProbe, PlainWebServerIsNotAKeyserver) {
    StubServer s([](const StubRequest&) { return http_reply(404, "text/html", "<html><body>Not Found</body></html>"); });
    HkpClient c(s.url(), fast());
    const auto p = c.probe();
    EXPECT_FALSE(p.hkp);
    EXPECT_FALSE(p.vks);
    EXPECT_EQ(p.verdict.substr(0, 31), "answers, but not as a keyserver");
}

TEST(HkpProbe, CaptivePortalIsNotAKeyserver) {
    StubServer s([](const StubRequest&) {
        return http_reply(200, "text/html", "<!DOCTYPE html><html><body>Sign in to the hotel Wi-Fi</body></html>");
    });
    HkpClient c(s.url(), fast());
    const auto p = c.probe();
    EXPECT_FALSE(p.hkp);
    EXPECT_NE(p.verdict.find("Sign in to the hotel"), std::string::npos) << p.verdict;
}

TEST(HkpProbe, UnreachableServerSaysWhy) {
    HkpClient c("hkp://no-such-host.invalid", fast());
    const auto p = c.probe();
    EXPECT_EQ(p.reach.outcome, Outcome::NetFailure);
    EXPECT_EQ(p.verdict.substr(0, 27), "not reachable: DNS failure:");
}

}  // namespace
}  // namespace pgpkit::test
