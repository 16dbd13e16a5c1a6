// Key sources: the store, keyring files and keybox files read through one Sources.

#include <gtest/gtest.h>

#include <sys/stat.h>

#include <string>
#include <vector>

#include "base/error.h"
#include "cert/cert.h"
#include "keyring/keybox.h"
#include "keyring/sources.h"
#include "keyring/store.h"
#include "tests/support/env.h"

namespace pgpkit::keyring {
namespace {

using test::TempDir;

std::string cert_file(const char* name) { return test::test_data_dir() + "/cert/" + name; }
std::string kbx_file() { return test::test_data_dir() + "/keyring/deleted-middle.kbx"; }
std::string testy_private() { return test::shared_testdata() + "/sequoia/keys/testy-private.pgp"; }
std::string card_stub() { return test::shared_testdata() + "/rnp/test_key_edge_cases/alice-s2k-101-2-card.pgp"; }

std::vector<SourcedCert> read(Sources& s, const SourceReadOptions& opt = {}) {
    std::vector<SourcedCert> out;
    s.for_each(opt, [&out](SourcedCert&& c) {
        out.push_back(std::move(c));
        return true;
    });
    return out;
}

/** A home whose store holds two public certificates, testy's secret key and a card stub. */
struct Home {
    TempDir dir;
    Home() {
        Store store(Store::db_path_in(dir.path()));
        StoreWriter w(store);
        for (const char* f : {"ed25519-sha512.pgp", "nistp256-sha256.pgp"})
            for (const auto& c : cert::read_all_certs(test::read_bytes(cert_file(f)))) w.put(c);
        for (const std::string& f : {testy_private(), card_stub()})
            for (const auto& c : cert::read_all_certs(test::read_bytes(f))) {
                w.put(cert::public_part(c));
                w.put_secret(c);
            }
        w.commit();
    }
};

TEST(Sources, TellsKeyboxFromKeyringByContent) {
    EXPECT_EQ(file_kind(kbx_file()), SourceKind::Keybox);
    EXPECT_EQ(file_kind(cert_file("ed25519-sha512.pgp")), SourceKind::KeyringFile);
    EXPECT_EQ(file_kind(test::shared_testdata() + "/sequoia/keys/testy.asc"), SourceKind::KeyringFile);
    EXPECT_THROW((void)file_kind("/nonexistent/ring.kbx"), Error);
}

TEST(Sources, ReadsFilesInOrderWithTheirIndex) {
    Sources s;
    s.add_file(kbx_file());
    s.add_file(cert_file("ed25519-sha512.pgp"));
    ASSERT_EQ(s.list().size(), 2u);
    EXPECT_EQ(s.list()[0].kind, SourceKind::Keybox);
    const auto got = read(s);
    const auto kbx = read_keybox_all_certs(test::read_bytes(kbx_file()));
    ASSERT_EQ(got.size(), kbx.size() + 1);
    for (std::size_t i = 0; i < kbx.size(); ++i) {
        EXPECT_EQ(got[i].cert.fingerprint(), kbx[i].fingerprint());
        EXPECT_EQ(got[i].source, 0u);
    }
    EXPECT_EQ(got.back().source, 1u);
    EXPECT_FALSE(got.back().secret);
}

TEST(Sources, StopsWhenAsked) {
    Sources s;
    s.add_file(kbx_file());
    s.add_file(cert_file("ed25519-sha512.pgp"));
    std::size_t n = 0;
    s.for_each({}, [&n](SourcedCert&&) { return ++n < 1; });
    EXPECT_EQ(n, 1u);
}

TEST(Sources, HomeWithoutStoreListsNothingAndIsNotCreated) {
    TempDir dir;
    const std::string home = dir.path() + "/absent";
    Sources s;
    s.add_store(home);
    EXPECT_TRUE(read(s).empty());
    struct stat st {};
    EXPECT_NE(::stat(home.c_str(), &st), 0);
}

TEST(Sources, HomeThatIsAFileIsAnError) {
    TempDir dir;
    test::write_bytes(dir.file("file"), as_bytes("not a folder"));
    Sources s;
    EXPECT_THROW(s.add_store(dir.file("file")), Error);
}

TEST(Sources, StoreMarksSecretPartsAsGpg) {
    Home h;
    Sources s;
    s.add_store(h.dir.path());
    EXPECT_EQ(s.list().at(0).kind, SourceKind::Store);
    const auto all = read(s);
    ASSERT_EQ(all.size(), 4u);
    EXPECT_FALSE(all[0].secret);
    EXPECT_FALSE(all[0].has_secret);
    SourceReadOptions opt;
    opt.secret_only = true;
    const auto sec = read(s, opt);
    ASSERT_EQ(sec.size(), 2u);
    // testy: every key has its secret part.
    ASSERT_TRUE(sec[0].secret);
    EXPECT_EQ(sec[0].secret->flag(sec[0].cert.key()), "+");
    for (const auto* sub : sec[0].cert.of_kind(cert::ComponentKind::Subkey))
        EXPECT_EQ(sec[0].secret->flag(*sub->key()), "+");
    // The card stub: '#' for the primary (gpg 2.2 after import), '+' for its subkeys.
    ASSERT_TRUE(sec[1].secret);
    EXPECT_FALSE(sec[1].cert.secret()) << "the listed certificate is the public one";
    EXPECT_EQ(sec[1].secret->flag(sec[1].cert.key()), "#");
    for (const auto* sub : sec[1].cert.of_kind(cert::ComponentKind::Subkey))
        EXPECT_EQ(sec[1].secret->flag(*sub->key()), "+");
}

TEST(Sources, SpecsFindTheSameCertificatesInStoreAndFiles) {
    Home h;
    Sources store, files;
    store.add_store(h.dir.path());
    for (const char* f : {"ed25519-sha512.pgp", "nistp256-sha256.pgp"}) files.add_file(cert_file(f));
    files.add_file(testy_private());
    files.add_file(card_stub());
    const auto all = read(files);
    ASSERT_EQ(all.size(), 4u);
    const std::string testy_fpr = to_hex(all[2].cert.fingerprint());
    const std::string sub_kid = to_hex(ByteView(all[2].cert.of_kind(cert::ComponentKind::Subkey).at(0)->key()->keyid));
    for (const std::string& spec : {testy_fpr, "0x" + sub_kid, sub_kid.substr(8), std::string("<alice@rnp>"),
                                    std::string("=Alice <alice@rnp>"), std::string("@example.org"),
                                    std::string("PGPKIT"), std::string("nobody")}) {
        SourceReadOptions opt;
        opt.specs.push_back(parse_key_spec(spec));
        std::string a, b;
        for (const auto& c : read(store, opt)) a += to_hex(c.cert.fingerprint()) + " ";
        for (const auto& c : read(files, opt)) b += to_hex(c.cert.fingerprint()) + " ";
        EXPECT_EQ(a, b) << spec;
        EXPECT_EQ(a.empty(), spec == "nobody") << spec;
    }
}

TEST(Sources, CertsWithKeysFindsIssuersByKeyId) {
    Home h;
    Sources s;
    s.add_store(h.dir.path());
    const auto all = read(s);
    const Bytes kid(all[1].cert.key().keyid.begin(), all[1].cert.key().keyid.end());
    const auto found = s.certs_with_keys({kid});
    ASSERT_EQ(found.size(), 1u);
    EXPECT_EQ(found[0].fingerprint(), all[1].cert.fingerprint());
    EXPECT_TRUE(s.certs_with_keys({}).empty());
}

TEST(Sources, ErrorsNameTheFileAndKeepWhatCameBefore) {
    TempDir dir;
    Bytes ring = test::read_bytes(cert_file("ed25519-sha512.pgp"));
    const Bytes second = test::read_bytes(cert_file("nistp256-sha256.pgp"));
    ring.insert(ring.end(), second.begin(), second.begin() + 40);
    const std::string path = dir.file("cut.pgp");
    test::write_bytes(path, ring);
    Sources s;
    s.add_file(path);
    std::size_t n = 0;
    try {
        s.for_each({}, [&n](SourcedCert&&) { return ++n > 0; });
        FAIL() << "a cut keyring is an error";
    } catch (const Error& e) {
        EXPECT_EQ(e.detail().rfind(path + ": ", 0), 0u) << e.detail();
    }
    EXPECT_EQ(n, 1u);
}

}  // namespace
}  // namespace pgpkit::keyring
