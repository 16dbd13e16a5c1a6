// The import run (keyring/import.h): batching, events after commit, malformed
// certificates, secret keys, v6 keys and keybox-free inputs.

#include <gtest/gtest.h>

#include "base/error.h"
#include "cert/cert.h"
#include "cert/validity.h"
#include "cert/verify.h"
#include "keyring/export.h"
#include "keyring/import.h"
#include "keyring/store.h"
#include "packet/source.h"
#include "tests/support/env.h"

namespace pgpkit::keyring {
namespace {

using test::TempDir;

Bytes cert_file(const char* name) { return test::read_bytes(test::test_data_dir() + "/cert/" + name); }

Bytes shared_file(const std::string& rel) { return test::read_bytes(test::shared_testdata() + "/" + rel); }

/** Everything an import run reported. */
struct Recorded {
    std::vector<std::string> status;  ///< "KEYWORD arg arg"
    std::vector<std::string> log;
    std::vector<std::string> errors;

    ImportEvents events() {
        ImportEvents ev;
        ev.status = [this](const StatusEvent& e) {
            std::string line = e.keyword;
            for (const auto& a : e.args) line += " " + a;
            status.push_back(line);
        };
        ev.log = [this](const std::string& l) { log.push_back(l); };
        ev.error = [this](const std::string& l) { errors.push_back(l); };
        return ev;
    }
    std::size_t count(const std::string& prefix) const {
        std::size_t n = 0;
        for (const auto& s : status) n += s.rfind(prefix, 0) == 0;
        return n;
    }
};

ImportStats import_bytes(Store& store, ByteView data, Recorded& rec, ImportRunOptions opt = {}) {
    Importer imp(store, opt, rec.events());
    packet::MemorySource src(data);
    imp.read(src, "input");
    return imp.finish();
}

/** The bytes of `c` with the hashed-subpacket length of its first signature made too large. */
Bytes with_broken_signature(const Bytes& cert_bytes) {
    auto certs = cert::read_all_certs(cert_bytes);
    const packet::Packet* sig = certs.at(0).primary.tail.empty() ? nullptr : &certs[0].primary.tail[0];
    if (!sig) sig = certs[0].components.at(0).signatures().at(0);
    Bytes out = cert_bytes;
    const std::size_t body = static_cast<std::size_t>(sig->offset) + sig->header.header_len;
    out.at(body + 4) = 0xFF;  // v4 signature: version, type, algorithms, then this length
    out.at(body + 5) = 0xFF;
    return out;
}

TEST(Import, NewThenUnchangedWithGpgsStatusOrder) {
    TempDir dir;
    Store store(dir.path() + "/keys.db");
    const Bytes data = cert_file("ed25519-sha512.pgp");
    const std::string fpr = to_hex(cert::read_all_certs(data).at(0).fingerprint());
    Recorded first;
    const ImportStats s1 = import_bytes(store, data, first);
    EXPECT_EQ(s1.imported, 1u);
    ASSERT_EQ(first.status.size(), 4u);
    EXPECT_EQ(first.status[0], "KEY_CONSIDERED " + fpr + " 0");
    EXPECT_EQ(first.status[1].rfind("IMPORTED " + fpr.substr(24) + " ", 0), 0u) << first.status[1];
    EXPECT_EQ(first.status[2], "IMPORT_OK 1 " + fpr);
    EXPECT_EQ(first.status[3], "IMPORT_RES 1 0 1 0 0 0 0 0 0 0 0 0 0 0 0");
    Recorded again;
    const ImportStats s2 = import_bytes(store, data, again);
    EXPECT_EQ(s2.unchanged, 1u);
    EXPECT_EQ(again.status, (std::vector<std::string>{"IMPORT_OK 0 " + fpr, "KEY_CONSIDERED " + fpr + " 0",
                                                       "IMPORT_RES 1 0 0 0 1 0 0 0 0 0 0 0 0 0 0"}));
    ASSERT_TRUE(store.get(cert::read_all_certs(data)[0].fingerprint()));
}

// The self-signatures an import verified are kept with the certificate, so a listing
// (and the next import of the same keys) skips their public-key operations.
TEST(Import, KeepsTheVerificationsOfItsSelfSignatures) {
    TempDir dir;
    Store store(dir.path() + "/keys.db");
    Recorded rec;
    (void)import_bytes(store, cert_file("rsa2048-sha512.pgp"), rec);
    const cert::Cert c = cert::public_part(cert::read_all_certs(cert_file("rsa2048-sha512.pgp")).at(0));
    cert::VerifiedSignatures stored;
    store.load_verified(c.fingerprint(), stored);
    EXPECT_GT(stored.size(), 0u);
    cert::CheckContext ctx;
    ctx.verified = &stored;
    const cert::CertReport rep = cert::check_cert(c, ctx, 1893456000);
    EXPECT_EQ(rep.primary.validity.state, cert::ValidityState::Valid);
    EXPECT_TRUE(stored.take_fresh().empty()) << "a self-signature was verified again";
}

TEST(Import, EventsComeOnlyOnceTheirBatchIsCommitted) {
    TempDir dir;
    Store store(dir.path() + "/keys.db");
    Bytes data = cert_file("ed25519-sha512.pgp");
    const Bytes more = cert_file("nistp256-sha256.pgp");
    data.insert(data.end(), more.begin(), more.end());
    ImportRunOptions opt;
    opt.batch_certs = 1000;
    opt.batch_millis = UINT32_MAX;
    Recorded rec;
    Importer imp(store, opt, rec.events());
    packet::MemorySource src(data);
    imp.read(src, "input");
    EXPECT_TRUE(rec.status.empty());
    {
        Store other(dir.path() + "/keys.db");  // another reader sees nothing yet
        EXPECT_EQ(other.count(), 0u);
    }
    imp.finish();
    EXPECT_EQ(rec.count("IMPORT_OK 1 "), 2u);
    EXPECT_EQ(store.count(), 2u);
}

// The look-ahead verifies on several threads; what is reported, and in which order, is
// what one thread reports. Debian's non-uploading developers: 36 keyblocks (more than
// one look-ahead) with third-party signatures, expired keys and subkeys.
TEST(Import, LookAheadThreadsChangeNothingReported) {
    const Bytes data = test::read_bytes("/usr/share/keyrings/debian-nonupload.gpg");
    std::vector<std::vector<std::string>> runs;
    for (const unsigned jobs : {1u, 4u}) {
        TempDir dir;
        Store store(dir.path() + "/keys.db");
        Recorded rec;
        ImportRunOptions opt;
        opt.jobs = jobs;
        opt.now = 1700000000;
        const ImportStats st = import_bytes(store, data, rec, opt);
        EXPECT_GT(st.imported, 32u);
        rec.status.insert(rec.status.end(), rec.log.begin(), rec.log.end());
        runs.push_back(rec.status);
    }
    EXPECT_EQ(runs[0], runs[1]);
}

TEST(Import, MalformedCertificateIsSkippedAndTheRestImported) {
    TempDir dir;
    Store store(dir.path() + "/keys.db");
    const Bytes a = cert_file("ed25519-sha512.pgp"), c = cert_file("dsa2048-sha256.pgp");
    const Bytes b = with_broken_signature(cert_file("nistp256-sha256.pgp"));
    const std::string bad_fpr = to_hex(cert::read_all_certs(cert_file("nistp256-sha256.pgp")).at(0).fingerprint());
    Bytes data = a;
    data.insert(data.end(), b.begin(), b.end());
    data.insert(data.end(), c.begin(), c.end());
    Recorded rec;
    Importer imp(store, {}, rec.events());
    packet::MemorySource src(data);
    imp.read(src, "input");
    const ImportStats s = imp.finish();
    EXPECT_EQ(s.imported, 2u);
    EXPECT_EQ(s.not_imported, 1u);
    EXPECT_EQ(imp.errors(), 1u);
    EXPECT_EQ(rec.count("IMPORT_PROBLEM 1 " + bad_fpr), 1u);
    ASSERT_EQ(rec.errors.size(), 1u);
    EXPECT_NE(rec.errors[0].find(bad_fpr), std::string::npos) << rec.errors[0];
    EXPECT_NE(rec.errors[0].find("offset "), std::string::npos) << rec.errors[0];
    EXPECT_EQ(store.count(), 2u);
}

TEST(Import, ReadErrorKeepsWhatCameBeforeAndSaysWhere) {
    TempDir dir;
    Store store(dir.path() + "/keys.db");
    const Bytes a = cert_file("ed25519-sha512.pgp"), b = cert_file("rsa2048-sha512.pgp");
    Bytes data = a;
    data.insert(data.end(), b.begin(), b.begin() + static_cast<std::ptrdiff_t>(b.size() / 2));
    Recorded rec;
    Importer imp(store, {}, rec.events());
    packet::MemorySource src(data);
    imp.read(src, "input");
    const ImportStats s = imp.finish();
    EXPECT_EQ(s.imported, 1u);
    EXPECT_EQ(imp.errors(), 1u);
    ASSERT_EQ(rec.errors.size(), 1u);
    EXPECT_NE(rec.errors[0].find("truncated"), std::string::npos) << rec.errors[0];
    EXPECT_EQ(store.count(), 1u);  // the cut certificate is not stored in part
}

TEST(Import, NothingToImportIsNoData) {
    TempDir dir;
    Store store(dir.path() + "/keys.db");
    Recorded rec;
    import_bytes(store, as_bytes("hello"), rec);
    EXPECT_EQ(rec.status, (std::vector<std::string>{"NODATA 1", "IMPORT_RES 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0"}));
}

TEST(Import, SecretKeyIsStoredAsItCameAndCountedAsGpgDoes) {
    TempDir dir;
    Store store(dir.path() + "/keys.db");
    const Bytes tsk = shared_file("gnupg/samplekeys/issue2346.gpg");
    Recorded rec;
    const ImportStats s = import_bytes(store, tsk, rec);
    // MANIFEST.tsv: gpg --import prints IMPORT_RES 1 0 1 0 0 0 0 0 0 1 1 0 0 0 0.
    EXPECT_EQ(import_res_args(s), "1 0 1 0 0 0 0 0 0 1 1 0 0 0 0");
    const std::string fpr = "CD7E66AC74ABA35C11ADA531576109131A46786C";
    EXPECT_EQ(rec.count("IMPORT_OK 17 " + fpr), 1u);
    const ExportResult out = export_keys(store, {fpr}, ExportOptions{true, false, false}, {});
    EXPECT_EQ(Bytes(out.data.begin(), out.data.end()), cert::write_cert(cert::read_all_certs(tsk).at(0)));
    Recorded again;
    const ImportStats s2 = import_bytes(store, tsk, again);
    EXPECT_EQ(import_res_args(s2), "1 0 0 0 1 0 0 0 0 1 0 1 0 0 0");
    EXPECT_EQ(again.count("IMPORT_OK 16 " + fpr), 1u);
}

// gpg 2.2.40's status lines for these files (--status-fd, checked by hand): KEYEXPIRED of
// the merge of each look-up, and of check_prefs after a secret key import.
TEST(Import, KeyExpiredLinesWhereGpgWritesThem) {
    const std::string testy = "3E8877C877274692975189F5D03F6F865226FE8B";
    const std::string expired = "KEYEXPIRED 1574427130";  // testy's primary key (2 years)
    {
        TempDir dir;
        Store store(dir.path() + "/keys.db");
        Recorded first, again;
        (void)import_bytes(store, shared_file("sequoia/keys/testy.pgp"), first);
        // one binding of a subkey checked while the primary key is marked expired
        ASSERT_GE(first.status.size(), 2u);
        EXPECT_EQ(first.status[0], expired);
        EXPECT_EQ(first.status[1], "KEY_CONSIDERED " + testy + " 0");
        (void)import_bytes(store, shared_file("sequoia/keys/testy.pgp"), again);
        EXPECT_EQ(again.status, (std::vector<std::string>{"IMPORT_OK 0 " + testy, expired, "KEY_CONSIDERED " + testy + " 0",
                                                           "IMPORT_RES 1 0 0 0 1 0 0 0 0 0 0 0 0 0 0"}));
    }
    {
        TempDir dir;
        Store store(dir.path() + "/keys.db");
        Recorded rec;
        (void)import_bytes(store, shared_file("sequoia/keys/testy-private.pgp"), rec);
        // check_prefs merges once more: the user ID's self-signature and the binding
        const std::vector<std::string> tail(rec.status.end() - 4, rec.status.end());
        EXPECT_EQ(tail, (std::vector<std::string>{"IMPORT_OK 17 " + testy, expired, expired,
                                                  "IMPORT_RES 1 0 1 0 0 0 0 0 0 1 1 0 0 0 0"}));
        EXPECT_EQ(rec.count("KEYEXPIRED"), 4u);
    }
    {
        TempDir dir;
        Store store(dir.path() + "/keys.db");
        Recorded rec;
        (void)import_bytes(store, shared_file("sequoia/keys/dkg-sigs-out-of-order.pgp"), rec);
        // 13 bindings with the primary key expired, 4 back-signatures of expired subkeys
        EXPECT_EQ(rec.count("KEYEXPIRED 1546282645"), 13u);
        EXPECT_EQ(rec.count("KEYEXPIRED"), 17u);
    }
}

TEST(Import, V6KeysAreImportedUnlessGpg22BehaviourIsAsked) {
    TempDir dir;
    Store store(dir.path() + "/keys.db");
    const Bytes tsk = shared_file("rfc9580/A.4.transferable-seckey-v6.asc");
    Recorded gpg22;
    ImportRunOptions strict;
    strict.import.accept_v5_v6 = false;
    const ImportStats s0 = import_bytes(store, tsk, gpg22, strict);
    EXPECT_EQ(s0.count, 0u);
    EXPECT_EQ(store.count(), 0u);
    Recorded rec;
    const ImportStats s = import_bytes(store, tsk, rec);
    EXPECT_EQ(s.imported, 1u);
    EXPECT_EQ(s.secret_imported, 1u);
    const auto certs = cert::read_all_certs(tsk);
    ASSERT_EQ(certs.size(), 1u);
    EXPECT_EQ(to_hex(certs[0].fingerprint()), "CB186C4F0609A697E4D52DFA6C722B0C1F1E27C18A56708F6525EC27BAD9ACC9");
    EXPECT_EQ(store.secret_keys(certs[0].fingerprint()).size(), 2u);
    // Its Ed25519 self-signatures stay: gpg 2.2 would drop them as of an unknown algorithm.
    const auto stored = store.get(certs[0].fingerprint());
    ASSERT_TRUE(stored.has_value());
    EXPECT_EQ(to_hex(stored->keyblock), to_hex(cert::write_cert(cert::public_part(certs[0]))));
}

}  // namespace
}  // namespace pgpkit::keyring
