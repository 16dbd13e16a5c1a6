// Library tests of key editing (keygen/edit.h) and user ID bindings (cert/userid_binding.h):
// several or no user IDs at generation, passphrase changes that unlock with the new
// passphrase only, revocation certificates that revoke, certifications that bind.

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "base/error.h"
#include "cert/cert.h"
#include "cert/secret_key.h"
#include "cert/userid_binding.h"
#include "cert/validity.h"
#include "keygen/edit.h"
#include "keygen/generate.h"
#include "keygen/params.h"

namespace pgpkit::keygen {
namespace {

constexpr std::uint32_t t0 = 1767225600;  // 2026-01-01

crypto::Rng seeded(std::uint8_t fill) { return crypto::Rng::seeded(std::vector<std::uint8_t>(32, fill)); }

SecretBytes secret(const std::string& s) { return SecretBytes(s.begin(), s.end()); }

/** An Ed25519 key (v4 or v6) with a Cv25519 subkey and the given user IDs. */
cert::Tsk make_key(std::uint8_t version, const std::vector<std::string>& uids, const std::string& pass = {},
                   std::uint8_t seed = 1) {
    KeyBlock b;
    b.file = "test";
    b.version = version;
    b.algo = Algo::EdDsa;
    b.curve = crypto::Curve::Ed25519;
    b.usage = Usage{true, false, false, true};
    SubkeySpec sub;
    sub.algo = Algo::Ecdh;
    sub.curve = crypto::Curve::Cv25519;
    sub.usage = Usage{false, true, false, false};
    b.subkeys.push_back(sub);
    b.prefs = default_preferences();
    if (!uids.empty()) b.user_id = uids.front();
    if (uids.size() > 1) b.more_user_ids.assign(uids.begin() + 1, uids.end());
    b.allow_no_user_id = true;
    if (!pass.empty()) b.passphrase = secret(pass);
    b.no_protection = pass.empty();
    GenerateOptions o;
    o.now = t0;
    o.s2k_coded_count = 0x60;
    o.argon2 = Argon2Params{1, 1, 10};
    crypto::Rng rng = seeded(seed);
    const GeneratedKey k = generate_key(b, rng, nullptr, o);
    auto certs = cert::read_all_certs(ByteView(k.secret_key.data(), k.secret_key.size()));
    EXPECT_EQ(certs.size(), 1u);
    return certs.at(0);
}

cert::CertReport report(const cert::Cert& c, std::uint32_t at = t0 + 10) {
    return cert::check_cert(c, cert::CheckContext{}, at);
}

TEST(KeygenEdit, EveryUserIdGivenIsBoundAndTheFirstIsPrimary) {
    for (std::uint8_t v : {4, 6}) {
        const cert::Tsk k = make_key(v, {"Alice <a@example.org>", "alice@example.net", "Alias"});
        const auto uids = k.of_kind(cert::ComponentKind::UserId);
        ASSERT_EQ(uids.size(), 3u);
        const cert::CertReport rep = report(k);
        EXPECT_EQ(rep.primary.validity.state, cert::ValidityState::Valid);
        for (const cert::ComponentReport& c : rep.components) {
            if (c.component->kind != cert::ComponentKind::UserId) continue;
            EXPECT_EQ(c.validity.state, cert::ValidityState::Valid) << "v" << int(v);
        }
        EXPECT_TRUE(cert::user_id_certified(k, {"alice@example.net", false}, {k}, t0 + 10));
        EXPECT_TRUE(cert::user_id_certified(k, {"a@example.org", true}, {k}, t0 + 10));
        EXPECT_FALSE(cert::user_id_certified(k, {"a@example.org", false}, {k}, t0 + 10));
    }
}

TEST(KeygenEdit, AKeyWithoutUserIdsCarriesItsPropertiesInADirectKeySignature) {
    const cert::Tsk k = make_key(4, {});
    EXPECT_TRUE(k.of_kind(cert::ComponentKind::UserId).empty());
    const cert::CertReport rep = report(k);
    EXPECT_EQ(rep.primary.validity.state, cert::ValidityState::Valid);
    EXPECT_TRUE(rep.primary.usage.certify);
    EXPECT_TRUE(rep.usable.encrypt) << "the subkey is bound";
}

TEST(KeygenEdit, ChangedPassphraseUnlocksAndTheOldOneNoLonger) {
    for (std::uint8_t v : {4, 6}) {
        const cert::Tsk k = make_key(v, {"c <c@example.org>"}, "old pass");
        EXPECT_THROW((void)unlock_primary(k, {}), Error);
        crypto::Rng rng = seeded(7);
        const Argon2Params fast{1, 1, 10};
        EXPECT_THROW((void)change_passphrase(k, {secret("wrong")}, secret("new"), rng, fast), Error);
        const cert::Tsk changed = change_passphrase(k, {secret("wrong"), secret("old pass")}, secret("new"), rng, fast);
        EXPECT_EQ(changed.fingerprint(), k.fingerprint());
        try {
            (void)unlock_primary(changed, {secret("old pass")});
            ADD_FAILURE() << "the old passphrase still opens the key";
        } catch (const Error& e) {
            EXPECT_EQ(e.kind(), Errc::BadPassphrase);
        }
        EXPECT_EQ(unlock_primary(changed, {secret("new")}).key.fingerprint, k.fingerprint());
        for (const cert::Component* s : changed.of_kind(cert::ComponentKind::Subkey))
            EXPECT_NO_THROW((void)cert::unprotect(*s->key(), s->head.tag(), secret("new")));
        const cert::Tsk bare = change_passphrase(changed, {secret("new")}, std::nullopt, rng, fast);
        EXPECT_EQ(cert::secret_kind(bare.key()), cert::SecretKind::Cleartext);
        EXPECT_EQ(report(bare).primary.validity.state, cert::ValidityState::Valid) << "self-signatures untouched";
    }
}

TEST(KeygenEdit, RevocationCertificateRevokesThePrimaryKey) {
    for (std::uint8_t v : {4, 6}) {
        const cert::Tsk k = make_key(v, {"r <r@example.org>"});
        crypto::Rng rng = seeded(9);
        const cert::Cert rev = revocation_certificate(k, unlock_primary(k, {}), t0 + 5, rng);
        EXPECT_FALSE(rev.secret());
        EXPECT_EQ(report(rev).primary.validity.state, cert::ValidityState::Revoked) << "v" << int(v);
        EXPECT_EQ(report(cert::public_part(k)).primary.validity.state, cert::ValidityState::Valid);
    }
}

TEST(KeygenEdit, ThirdPartyCertificationBindsForTheCertifierOnly) {
    const cert::Tsk alice = make_key(4, {"Alice <alice@example.org>"}, {}, 3);
    cert::Cert bob = cert::public_part(make_key(6, {"Bob <bob@example.org>"}, {}, 4));
    const cert::Cert alice_cert = cert::public_part(alice);
    const cert::UserIdMatch bob_uid{"Bob <bob@example.org>", false};
    EXPECT_FALSE(cert::user_id_certified(bob, bob_uid, {alice_cert}, t0 + 10));
    EXPECT_TRUE(cert::user_id_certified(bob, bob_uid, {bob}, t0 + 10)) << "the self-signature";
    crypto::Rng rng = seeded(5);
    certify_user_id(bob, "Bob <bob@example.org>", unlock_primary(alice, {}), t0 + 20, rng);
    EXPECT_TRUE(cert::user_id_certified(bob, bob_uid, {alice_cert}, t0 + 30));
    EXPECT_FALSE(cert::user_id_certified(bob, bob_uid, {alice_cert}, t0 + 10)) << "not before it was made";
    // A pet name: a user ID Bob never bound, certified by Alice alone.
    EXPECT_FALSE(has_user_id(bob, "Bobby"));
    certify_user_id(bob, "Bobby", unlock_primary(alice, {}), t0 + 20, rng);
    EXPECT_TRUE(has_user_id(bob, "Bobby"));
    EXPECT_TRUE(cert::user_id_certified(bob, {"Bobby", false}, {alice_cert}, t0 + 30));
    EXPECT_FALSE(cert::user_id_certified(bob, {"Bobby", false}, {bob}, t0 + 30));
    // The edited certificate reads back the same.
    const auto again = cert::read_all_certs(packet::write_packets_canonical([&] {
        std::vector<packet::Packet> p;
        for (const packet::Packet* q : cert::packets_of(bob)) p.push_back(*q);
        return p;
    }()));
    ASSERT_EQ(again.size(), 1u);
    EXPECT_TRUE(cert::user_id_certified(again[0], {"Bobby", false}, {alice_cert}, t0 + 30));
}

}  // namespace
}  // namespace pgpkit::keygen
