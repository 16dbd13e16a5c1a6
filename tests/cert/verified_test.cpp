// VerifiedSignatures (cert/verify.h): good verifications are recorded once, reused, and
// an entry stands for one key, signature and digest only.

#include <gtest/gtest.h>

#include "cert/validity.h"
#include "cert/verify.h"
#include "packet/sig_hash.h"
#include "tests/support/env.h"

namespace pgpkit::cert {
namespace {

constexpr std::uint32_t kNow = 1893456000;  // 2030-01-01

Cert fixture(const char* file) {
    return read_all_certs(test::read_bytes(test::test_data_dir() + "/cert/" + file)).at(0);
}

std::size_t good_sigs(const CertReport& rep) {
    std::size_t n = 0;
    for (const SigCheck& s : rep.primary.sigs) n += s.crypto == Verdict::Good;
    for (const ComponentReport& r : rep.components)
        for (const SigCheck& s : r.sigs) n += s.crypto == Verdict::Good;
    return n;
}

std::vector<Verdict> verdicts(const CertReport& rep) {
    std::vector<Verdict> out;
    for (const SigCheck& s : rep.primary.sigs) out.push_back(s.crypto);
    for (const ComponentReport& r : rep.components)
        for (const SigCheck& s : r.sigs) out.push_back(s.crypto);
    return out;
}

TEST(VerifiedSignatures, GoodVerificationsAreRecordedOnceAndReused) {
    const Cert c = fixture("rsa4096-sha512.pgp");
    VerifiedSignatures v;
    CheckContext ctx;
    ctx.verified = &v;
    const CertReport first = check_cert(c, ctx, kNow);
    const std::size_t good = good_sigs(first);
    ASSERT_GT(good, 0u);
    EXPECT_EQ(v.size(), good);
    const auto fresh = v.take_fresh();
    ASSERT_EQ(fresh.size(), good);
    for (const auto& [fpr, id] : fresh) EXPECT_EQ(fpr, c.fingerprint());
    EXPECT_TRUE(v.take_fresh().empty());  // taken once

    const CertReport again = check_cert(c, ctx, kNow);
    EXPECT_EQ(verdicts(again), verdicts(first));
    EXPECT_TRUE(v.take_fresh().empty());  // every verification was known
    EXPECT_EQ(v.size(), good);
}

TEST(VerifiedSignatures, AnEntryStandsForOneKeySignatureAndDigest) {
    const Cert c = fixture("rsa4096-sha512.pgp");
    const Cert other = fixture("rsa2048-sha512.pgp");
    const Component& uid = c.components.at(0);
    ASSERT_EQ(uid.kind, ComponentKind::UserId);
    const packet::Signature sig = *uid.signatures().at(0)->get<packet::Signature>();
    const Bytes digest = packet::certification_digest(sig, c.key(), uid.id_bytes());
    const auto id = VerifiedSignatures::id_of(c.key(), sig, digest);
    EXPECT_EQ(VerifiedSignatures::id_of(c.key(), sig, digest), id);
    EXPECT_NE(VerifiedSignatures::id_of(other.key(), sig, digest), id);
    Bytes other_digest = digest;
    other_digest.back() ^= 1;
    EXPECT_NE(VerifiedSignatures::id_of(c.key(), sig, other_digest), id);
    packet::Signature changed = sig;
    ASSERT_FALSE(changed.fields.empty());
    changed.fields.back().data.back() ^= 1;
    EXPECT_NE(VerifiedSignatures::id_of(c.key(), changed, digest), id);
}

// The store's entries are trusted as gpg trusts its keybox's signature-cache flags: an
// entry for a signature that does not verify makes it good. So only verifications that
// succeeded are recorded, and bad ones are checked every time.
TEST(VerifiedSignatures, BadVerificationsAreNotRecordedAndEntriesAreTrusted) {
    Cert c = fixture("rsa4096-sha512.pgp");
    Component& uid = c.components.at(0);
    packet::Packet& packet = uid.tail.at(0);
    packet::Signature& sig = std::get<packet::Signature>(packet.body);
    sig.fields.back().data.back() ^= 1;  // the signature value no longer verifies
    VerifiedSignatures v;
    CheckContext ctx;
    ctx.verified = &v;
    const SigCheck bad = check_signature(c, uid, packet, ctx);
    EXPECT_EQ(bad.crypto, Verdict::Bad);
    for (const auto& [fpr, id] : v.take_fresh())
        EXPECT_NE(id, VerifiedSignatures::id_of(c.key(), sig, packet::certification_digest(sig, c.key(), uid.id_bytes())));
    v.load(VerifiedSignatures::id_of(c.key(), sig, packet::certification_digest(sig, c.key(), uid.id_bytes())));
    EXPECT_EQ(check_signature(c, uid, packet, ctx).crypto, Verdict::Good);
}

}  // namespace
}  // namespace pgpkit::cert
