// The key store: schema, index look-ups in gpg's forms, export and delete.

#include <gtest/gtest.h>

#include <sys/stat.h>

#include "base/error.h"
#include "cert/cert.h"
#include "cert/validity.h"
#include "cert/verify.h"
#include "keyring/export.h"
#include "keyring/spec.h"
#include "keyring/store.h"
#include "tests/support/env.h"

namespace pgpkit::keyring {
namespace {

using test::TempDir;

std::vector<cert::Cert> sample_certs() {
    std::vector<cert::Cert> out;
    for (const char* f : {"ed25519-sha512.pgp", "nistp256-sha256.pgp", "dsa2048-sha256.pgp"}) {
        auto certs = cert::read_all_certs(test::read_bytes(test::test_data_dir() + "/cert/" + f));
        for (auto& c : certs) out.push_back(cert::public_part(c));
    }
    return out;
}

TEST(KeySpec, ParsesGpgForms) {
    EXPECT_EQ(parse_key_spec("0x1234ABCD").kind, SpecKind::ShortKeyId);
    EXPECT_EQ(parse_key_spec("1234ABCD").kind, SpecKind::ShortKeyId);
    EXPECT_EQ(parse_key_spec("0x0123456789ABCDEF").kind, SpecKind::LongKeyId);
    EXPECT_EQ(parse_key_spec("0123 4567 89AB CDEF 0123  4567 89AB CDEF 0123 4567").kind, SpecKind::Fingerprint);
    EXPECT_EQ(parse_key_spec("<Alice@Example.ORG>").text, "alice@example.org");
    EXPECT_EQ(parse_key_spec("=Alice <a@b>").kind, SpecKind::Exact);
    EXPECT_EQ(parse_key_spec("@Example.org").text, "example.org");
    EXPECT_EQ(parse_key_spec("alice").kind, SpecKind::Substring);
    EXPECT_EQ(parse_key_spec("DEAD BEEF").kind, SpecKind::Substring);
    EXPECT_THROW((void)parse_key_spec("0x12"), Error);
    EXPECT_THROW((void)parse_key_spec("  "), Error);
    EXPECT_EQ(email_of("Alice Example <ALICE@example.org>"), "alice@example.org");
    EXPECT_EQ(email_of("bob@example.org"), "bob@example.org");
    EXPECT_EQ(email_of("No Address"), "");
}

TEST(Store, CreatesPrivateFileAndFindsByEveryIndex) {
    TempDir dir;
    const std::string db = dir.path() + "/keys.db";
    Store store(db);
    const auto certs = sample_certs();
    ASSERT_GE(certs.size(), 3u);
    {
        StoreWriter w(store);
        for (const auto& c : certs) w.put(c);
        w.commit();
    }
    struct stat st {};
    ASSERT_EQ(::stat(db.c_str(), &st), 0);
    EXPECT_EQ(st.st_mode & 0777, 0600u);
    EXPECT_EQ(store.count(), certs.size());
    for (const auto& c : certs) {
        const std::string fpr = to_hex(c.fingerprint());
        const std::string kid = to_hex(ByteView(c.key().keyid));
        for (const std::string& spec : {fpr, "0x" + kid, kid.substr(8), "0x" + kid.substr(8)}) {
            const auto found = store.find(parse_key_spec(spec));
            ASSERT_EQ(found.size(), 1u) << spec;
            EXPECT_EQ(found[0], c.fingerprint()) << spec;
        }
        const auto got = store.get(c.fingerprint());
        ASSERT_TRUE(got);
        EXPECT_EQ(got->keyblock, cert::write_cert(c));
        for (const auto* uid : c.of_kind(cert::ComponentKind::UserId)) {
            const Bytes b = uid->id_bytes();
            const std::string text(b.begin(), b.end());
            EXPECT_FALSE(store.find(parse_key_spec("=" + text)).empty()) << text;
            const std::string mail = email_of(text);
            if (!mail.empty()) {
                EXPECT_FALSE(store.find(parse_key_spec("<" + mail + ">")).empty()) << mail;
                EXPECT_FALSE(store.find(parse_key_spec("@" + domain_of(mail))).empty()) << mail;
            }
        }
    }
    EXPECT_EQ(store.integrity_check(), "ok");
}

TEST(Store, ExportIsByteExactAndDeleteRemoves) {
    TempDir dir;
    Store store(dir.path() + "/keys.db");
    const auto certs = sample_certs();
    {
        StoreWriter w(store);
        for (const auto& c : certs) w.put(c);
        w.commit();
    }
    std::vector<StatusEvent> events;
    const auto r = export_keys(store, {}, {}, [&](const StatusEvent& e) { events.push_back(e); });
    Bytes expected;
    for (const auto& c : certs) {
        const Bytes b = cert::write_cert(c);
        expected.insert(expected.end(), b.begin(), b.end());
    }
    EXPECT_EQ(Bytes(r.data.begin(), r.data.end()), expected);
    ASSERT_FALSE(events.empty());
    EXPECT_EQ(events.back(), (StatusEvent{"EXPORT_RES", {std::to_string(certs.size()), "0", std::to_string(certs.size())}}));

    const std::string fpr = to_hex(certs[0].fingerprint());
    const auto out = delete_keys(store, {fpr, "nobody-at-all"}, false, {});
    ASSERT_EQ(out.size(), 2u);
    EXPECT_FALSE(out[0].problem);
    EXPECT_EQ(out[1].problem, DeleteProblem::NoSuchKey);
    EXPECT_FALSE(store.get(certs[0].fingerprint()));
    EXPECT_EQ(store.count(), certs.size() - 1);
}

TEST(Store, KeepsVerificationsOfItsCertificatesAndDropsThemWithTheCertificate) {
    TempDir dir;
    Store store(dir.path() + "/keys.db");
    const auto certs = sample_certs();
    cert::VerifiedSignatures checked;
    cert::CheckContext ctx;
    ctx.verified = &checked;
    for (const auto& c : certs) (void)cert::check_cert(c, ctx, 1893456000);
    const auto fresh = checked.take_fresh();
    ASSERT_GE(fresh.size(), certs.size());
    {
        StoreWriter w(store);
        w.put(certs[0]);
        w.put(certs[1]);
        // Entries of a certificate the store does not hold are left out.
        std::size_t of_stored = 0;
        for (const auto& [fpr, id] : fresh) of_stored += fpr == certs[0].fingerprint() || fpr == certs[1].fingerprint();
        EXPECT_EQ(w.save_verified(fresh), of_stored);
        EXPECT_EQ(w.save_verified(fresh), of_stored);  // again: nothing twice (INSERT OR IGNORE)
        w.commit();
    }
    cert::VerifiedSignatures all, one;
    store.load_verified(all);
    store.load_verified(certs[0].fingerprint(), one);
    EXPECT_LT(one.size(), all.size());
    EXPECT_GT(one.size(), 0u);
    for (const auto& [fpr, id] : fresh) {
        const bool stored = fpr == certs[0].fingerprint() || fpr == certs[1].fingerprint();
        EXPECT_EQ(all.contains(id), stored);
        EXPECT_EQ(one.contains(id), fpr == certs[0].fingerprint());
    }
    {
        StoreWriter w(store);
        EXPECT_TRUE(w.erase(certs[0].fingerprint()));
        w.commit();
    }
    cert::VerifiedSignatures after;
    store.load_verified(after);
    EXPECT_EQ(after.size(), all.size() - one.size());
}

// Inside a write transaction key-ID look-ups are remembered; each write must drop what
// it changes: a new key ID, a subkey gone from a new version, an erased certificate.
TEST(Store, KeyIdLookupsInATransactionSeeItsOwnWrites) {
    TempDir dir;
    Store store(dir.path() + "/keys.db");
    const auto certs = cert::read_all_certs(test::read_bytes("/usr/share/keyrings/debian-role-keys.gpg"));
    const cert::Cert* with_sub = nullptr;
    for (const auto& c : certs)
        if (!c.of_kind(cert::ComponentKind::Subkey).empty()) with_sub = &c;
    ASSERT_NE(with_sub, nullptr);
    const auto& primary_id = with_sub->key().keyid;
    const auto sub_id = with_sub->of_kind(cert::ComponentKind::Subkey).front()->key()->keyid;
    const ByteView pid(primary_id.data(), primary_id.size()), sid(sub_id.data(), sub_id.size());
    StoreWriter w(store);
    EXPECT_TRUE(store.find_by_key_id(pid).empty());
    EXPECT_TRUE(store.find_by_key_id(sid).empty());
    w.put(*with_sub);
    EXPECT_EQ(store.find_by_key_id(pid), std::vector<Bytes>{with_sub->fingerprint()});
    EXPECT_EQ(store.find_by_key_id(sid), std::vector<Bytes>{with_sub->fingerprint()});
    cert::Cert without = *with_sub;
    std::erase_if(without.components, [](const cert::Component& c) { return c.kind == cert::ComponentKind::Subkey; });
    w.put(without);
    EXPECT_TRUE(store.find_by_key_id(sid).empty());
    EXPECT_EQ(store.find_by_key_id(pid), std::vector<Bytes>{with_sub->fingerprint()});
    EXPECT_TRUE(w.erase(with_sub->fingerprint()));
    EXPECT_TRUE(store.find_by_key_id(pid).empty());
    w.commit();
}

TEST(Store, RefusesFilesThatAreNotStores) {
    TempDir dir;
    const std::string path = dir.path() + "/keys.db";
    const std::string junk = "this is not a database, and must survive\n";
    test::write_bytes(path, as_bytes(junk));
    EXPECT_THROW({ Store s(path); }, Error);
    const Bytes after = test::read_bytes(path);
    EXPECT_EQ(std::string(after.begin(), after.end()), junk);
}

TEST(Store, HomeFolderIsCreatedPrivate) {
    TempDir dir;
    const std::string home = resolve_home(dir.path() + "/a/b/home");
    struct stat st {};
    ASSERT_EQ(::stat(home.c_str(), &st), 0);
    EXPECT_EQ(st.st_mode & 0777, 0700u);
}

}  // namespace
}  // namespace pgpkit::keyring
