// Every secret value keygen and cert handle has the wiping type (issue 9), and protection
// round-trips through it: protect, write, parse, unprotect gives the generated fields back,
// and the public part of a secret key is the public key.

#include <gtest/gtest.h>

#include <type_traits>

#include "armor/armor.h"
#include "base/secret.h"
#include "cert/cert.h"
#include "cert/secret_key.h"
#include "keygen/generate.h"
#include "keygen/keygrip.h"
#include "keygen/material.h"
#include "keygen/params.h"
#include "keygen/protect.h"
#include "packet/byte_writer.h"
#include "packet/key.h"
#include "packet/packet.h"
#include "packet/parser.h"
#include "tests/keygen/checks.h"

namespace pgpkit::keygen {
namespace {

static_assert(std::is_same_v<decltype(packet::SecretKeyMaterial::fields), packet::SecretAlgoFields>);
static_assert(std::is_same_v<decltype(packet::Key::secret_opaque), SecretBytes>);
static_assert(std::is_same_v<decltype(cert::SecretField::value), SecretBytes>);
static_assert(std::is_same_v<decltype(KeyBlock::passphrase), std::optional<SecretBytes>>);
static_assert(std::is_same_v<decltype(KeyringFile::data), SecretBytes>);
static_assert(std::is_same_v<decltype(GeneratedKey::secret_key), SecretBytes>);
static_assert(std::is_same_v<decltype(armor::Block::data), SecretBytes>);
static_assert(std::is_same_v<decltype(cert::write_tsk(std::declval<const cert::Tsk&>())), SecretBytes>);
static_assert(std::is_same_v<decltype(make_secret_mpi("d", {})), packet::SecretAlgoField>);
static_assert(std::is_same_v<decltype(cert::derive_s2k_key(std::declval<const packet::Key&>(),
                                                           std::declval<const SecretBytes&>())),
                             SecretBytes>);

constexpr std::uint32_t fixed_time = 1767225600;  // 2026-01-01

crypto::Rng seeded() { return crypto::Rng::seeded(std::vector<std::uint8_t>(32, 0x5C)); }

/** The key packet body written into wiping memory, parsed back as a secret key. */
packet::Key reparsed(const packet::Key& k) {
    SecretBytes body;
    packet::ByteWriter w(body);
    packet::write_key(k, w);
    std::optional<packet::Key> out = packet::parse_key(body, 0, true);
    if (!out) throw Error(Errc::BadField, 0, "key did not parse back");
    return std::move(*out);
}

void expect_same_fields(const cert::SecretFields& got, const packet::SecretAlgoFields& want) {
    ASSERT_EQ(got.fields.size(), want.size());
    for (std::size_t i = 0; i < want.size(); ++i) {
        EXPECT_EQ(got.fields[i].name, want[i].name) << i;
        EXPECT_EQ(got.fields[i].kind, want[i].kind) << i;
        EXPECT_TRUE(got.fields[i].value == want[i].data) << "field " << want[i].name << " differs";
    }
}

struct Case {
    Algo algo;
    crypto::Curve curve;
    std::uint8_t version;
};

class ProtectRoundTrip : public ::testing::TestWithParam<Case> {};

TEST_P(ProtectRoundTrip, UnprotectGivesBackTheGeneratedFieldsAndThePublicBodyStays) {
    const Case c = GetParam();
    crypto::Rng rng = seeded();
    KeyMaterial m = generate_material(c.algo, 0, c.curve, fixed_time, c.version, rng, nullptr);
    ASSERT_TRUE(m.key.secret);
    const packet::SecretAlgoFields generated = m.key.secret->fields;
    ASSERT_FALSE(generated.empty());
    const Bytes public_body = packet::public_key_body(m.key);
    const Bytes fingerprint = m.key.fingerprint;

    const SecretBytes pw = checks::secret("correct horse");
    if (c.version == 6) protect_v6(m.key, packet::Tag::SecretKey, pw, rng, Argon2Params{1, 1, 10});
    else protect_v4(m.key, pw, rng, 0x60);
    ASSERT_TRUE(m.key.secret->is_protected());
    EXPECT_TRUE(m.key.secret->fields.empty());  // the cleartext fields are gone
    EXPECT_FALSE(m.key.secret->encrypted.empty());
    EXPECT_EQ(packet::public_key_body(m.key), public_body);

    const packet::Key back = reparsed(m.key);
    EXPECT_EQ(back.fingerprint, fingerprint);
    EXPECT_EQ(packet::public_key_body(back), public_body);
    expect_same_fields(cert::unprotect(back, packet::Tag::SecretKey, pw), generated);
    EXPECT_THROW((void)cert::unprotect(back, packet::Tag::SecretKey, checks::secret("correct horsE")), Error);
}

INSTANTIATE_TEST_SUITE_P(Keys, ProtectRoundTrip,
                         ::testing::Values(Case{Algo::EdDsa, crypto::Curve::Ed25519, 4},
                                           Case{Algo::Ecdh, crypto::Curve::Cv25519, 4},
                                           Case{Algo::Ecdsa, crypto::Curve::NistP256, 5},
                                           Case{Algo::EdDsa, crypto::Curve::Ed25519, 6},
                                           Case{Algo::Ecdh, crypto::Curve::Cv25519, 6}));

TEST(SecretMemory, CleartextKeyUnprotectsToItsFieldsAndChecksItsChecksum) {
    crypto::Rng rng = seeded();
    KeyMaterial m = generate_material(Algo::Ecdsa, 0, crypto::Curve::NistP256, fixed_time, 4, rng, nullptr);
    leave_unprotected(m.key);
    const packet::Key back = reparsed(m.key);
    ASSERT_TRUE(back.secret);
    EXPECT_EQ(back.secret->usage, 0);
    expect_same_fields(cert::unprotect(back, packet::Tag::SecretKey, {}), m.key.secret->fields);
    packet::Key spoiled = back;
    spoiled.secret->fields.at(0).data.back() ^= 1;  // the checksum no longer matches
    EXPECT_THROW((void)cert::unprotect(spoiled, packet::Tag::SecretKey, {}), Error);
}

GeneratedKey generate(const std::string& params) {
    std::vector<KeyBlock> blocks;
    for (const Item& i : parse_params(params, "t.param"))
        if (const auto* b = std::get_if<KeyBlock>(&i)) blocks.push_back(*b);
    if (blocks.size() != 1 || blocks[0].error) throw Error(Errc::Usage, 0, "bad test parameters");
    GenerateOptions o;
    o.now = fixed_time;
    o.s2k_coded_count = 0x60;
    o.argon2 = Argon2Params{1, 1, 10};
    crypto::Rng rng = seeded();
    return generate_key(blocks[0], rng, nullptr, o);
}

class PublicPart : public ::testing::TestWithParam<const char*> {};

TEST_P(PublicPart, OfTheSecretKeyIsThePublicKeyAndTheSecretKeyWritesBackExactly) {
    const GeneratedKey g = generate(GetParam());
    const std::vector<cert::Cert> tsks = cert::read_all_certs(g.secret_key);
    ASSERT_EQ(tsks.size(), 1u);
    EXPECT_EQ(cert::write_cert(cert::public_part(tsks[0])), g.public_key);
    EXPECT_TRUE(cert::write_tsk(tsks[0]) == g.secret_key);
    const std::vector<packet::Packet> packets = packet::parse_lossless(g.secret_key);
    EXPECT_TRUE(packet::write_packets_secret(packets) == g.secret_key);
    EXPECT_TRUE(packet::write_packets_canonical_secret(packets) == g.secret_key);  // keygen writes canonically
}

INSTANTIATE_TEST_SUITE_P(
    Keys, PublicPart,
    ::testing::Values("Key-Type: EdDSA\nKey-Curve: ed25519\nSubkey-Type: ECDH\nSubkey-Curve: cv25519\n"
                      "Name-Real: p\nPassphrase: sesame\n",
                      "Key-Type: EdDSA\nKey-Curve: ed25519\nName-Real: p\n%no-protection\n",
                      "Key-Type: EdDSA\nKey-Curve: ed25519\nSubkey-Type: ECDH\nSubkey-Curve: cv25519\n"
                      "Key-Version: 6\nName-Real: p\nPassphrase: sesame\n"));

}  // namespace
}  // namespace pgpkit::keygen
