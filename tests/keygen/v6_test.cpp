// v6 keys (RFC 9580): the RFC's own samples check pgpkit's v6 signature hashing, Ed25519
// verification, Argon2id, HKDF and OCB key unlocking; generated v6 keys must verify and
// unlock the same way. (gpg 2.2, sq 0.27 and rnp 0.16 predate v6, so the RFC samples are
// the oracle here.)

#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <variant>
#include <vector>

#include "armor/armor.h"
#include "crypto/pk.h"
#include "crypto/protect.h"
#include "keygen/generate.h"
#include "keygen/params.h"
#include "keygen/protect.h"
#include "base/error.h"
#include "packet/parser.h"
#include "packet/sig_hash.h"
#include "tests/keygen/checks.h"
#include "tests/support/env.h"

namespace pgpkit::keygen {
namespace {

using packet::AeadAlgo;
using packet::PubkeyAlgo;
using packet::S2kType;
using packet::SigType;
using packet::SubpacketType;
using packet::SymAlgo;
using packet::Tag;
using checks::Parts;

Bytes from_hex(const std::string& h) {
    Bytes out;
    for (std::size_t i = 0; i + 1 < h.size(); i += 2) out.push_back(static_cast<std::uint8_t>(std::stoi(h.substr(i, 2), nullptr, 16)));
    return out;
}

std::vector<packet::Packet> load_armored(const std::string& name) {
    const Bytes text = test::read_bytes(test::shared_testdata() + "/rfc9580/" + name);
    auto blocks = armor::decode_all(text);
    EXPECT_EQ(blocks.size(), 1u);
    return packet::parse_all(blocks.at(0).data);
}

/** Verifies an Ed25519 (27) or ECDSA (19) signature by `k` over `digest`. */
bool verify(const packet::Key& k, const packet::Signature& s, const Bytes& digest) {
    if (s.left16[0] != digest.at(0) || s.left16[1] != digest.at(1)) return false;
    crypto::EcKey e;
    if (k.algo == PubkeyAlgo::Ed25519) {
        e.curve = crypto::Curve::Ed25519;
        const Bytes& pub = k.fields.at(0).data;
        e.point.assign(pub.size() + 1, 0x40);
        std::copy(pub.begin(), pub.end(), e.point.begin() + 1);
        const Bytes& sig = s.fields.at(0).data;
        if (sig.size() != 64) return false;
        return crypto::verify_eddsa(e, digest, Bytes(sig.begin(), sig.begin() + 32), Bytes(sig.begin() + 32, sig.end()));
    }
    if (k.algo == PubkeyAlgo::Ecdsa) {
        e.curve = crypto::Curve::NistP256;
        e.point = k.fields.at(1).data;
        return crypto::verify_ecdsa(e, digest, s.fields.at(0).data, s.fields.at(1).data);
    }
    return false;
}

TEST(V6Rfc9580, SampleCertificateSignaturesVerify) {
    Parts p = checks::split_packets(load_armored("A.3.transferable-pubkey-v6.asc"));
    ASSERT_EQ(p.tags, (std::vector<Tag>{Tag::PublicKey, Tag::Signature, Tag::PublicSubkey, Tag::Signature}));
    EXPECT_EQ(to_hex(p.keys[0].fingerprint), "CB186C4F0609A697E4D52DFA6C722B0C1F1E27C18A56708F6525EC27BAD9ACC9");
    EXPECT_TRUE(verify(p.keys[0], p.sigs[0], packet::direct_key_digest(p.sigs[0], p.keys[0])));
    EXPECT_TRUE(verify(p.keys[0], p.sigs[1], packet::subkey_binding_digest(p.sigs[1], p.keys[0], p.keys[1])));
    packet::Signature other = p.sigs[0];
    other.salt.back() ^= 1;  // the salt is hashed first
    EXPECT_FALSE(verify(p.keys[0], other, packet::direct_key_digest(other, p.keys[0])));
}

TEST(V6Rfc9580, LockedSampleKeyUnlocksToTheUnlockedSample) {
    Parts locked = checks::split_packets(load_armored("A.5.sample-locked-v6-seckey-argon2-aead.asc"));
    Parts open = checks::split_packets(load_armored("A.4.transferable-seckey-v6.asc"));
    ASSERT_EQ(locked.keys.size(), 2u);
    ASSERT_EQ(open.keys.size(), 2u);
    const packet::S2k& s2k = *locked.keys[0].secret->s2k;
    // Argon2id with the sample's parameters (t=1, p=4, 2 GiB) against the RFC's S2K output.
    const std::string pass = "correct horse battery staple";
    const SecretBytes derived =
        crypto::argon2id(as_bytes(pass), s2k.salt, s2k.argon2_t, s2k.argon2_p, s2k.argon2_m, 32);
    EXPECT_EQ(to_hex(Bytes(derived.begin(), derived.end())),
              "832BD2662A5C2B251EE3FC82AEC349A766CA539015880133002E5A21960B3BCF");
    const SecretBytes none;
    EXPECT_EQ(cert::unprotect_with_s2k_key(locked.keys[0], Tag::SecretKey, derived),
              cert::unprotect(open.keys[0], Tag::SecretKey, none));
    const Bytes sub_hex = from_hex("f74a6ce873a089ef13a3da9ac059777bb22340d15eaa6c9dc0f8ef09035c67cd");
    const SecretBytes sub_derived(sub_hex.begin(), sub_hex.end());
    EXPECT_EQ(cert::unprotect_with_s2k_key(locked.keys[1], Tag::SecretSubkey, sub_derived),
              cert::unprotect(open.keys[1], Tag::SecretSubkey, none));
    // The packet type is bound into HKDF and the associated data.
    EXPECT_THROW((void)cert::unprotect_with_s2k_key(locked.keys[1], Tag::SecretKey, sub_derived), Error);
}

std::vector<SubpacketType> hashed_types(const packet::Signature& s) {
    std::vector<SubpacketType> t;
    for (const auto& sp : s.hashed) t.push_back(sp.type());
    return t;
}

GeneratedKey make_v6(const std::string& text, std::uint8_t seed_fill) {
    GenerateOptions o;
    o.argon2 = Argon2Params{1, 1, 10};  // 1 MiB: the tests check the format, not its cost
    return checks::generate_seeded(text, "v6.param", seed_fill, o);
}

const std::string v6_block =
    "Key-Type: EdDSA\nKey-Curve: ed25519\nKey-Version: 6\nSubkey-Type: ECDH\nSubkey-Curve: cv25519\n"
    "Subkey-Type: ECDSA\nSubkey-Curve: nistp256\nSubkey-Usage: sign\nName-Real: Six\nExpire-Date: 1y\n";

TEST(V6Generate, KeyHasDirectSignatureNativeFieldsAndVerifies) {
    GeneratedKey g = make_v6(v6_block + "%no-protection\n", 1);
    Parts p = checks::split_packets(packet::parse_all(g.public_key));
    ASSERT_EQ(p.tags, (std::vector<Tag>{Tag::PublicKey, Tag::Signature, Tag::UserId, Tag::Signature, Tag::PublicSubkey,
                                        Tag::Signature, Tag::PublicSubkey, Tag::Signature}));
    const packet::Key& primary = p.keys[0];
    EXPECT_EQ(primary.version, 6);
    EXPECT_EQ(primary.algo, PubkeyAlgo::Ed25519);
    EXPECT_EQ(primary.fingerprint.size(), 32u);
    EXPECT_EQ(g.fingerprint, primary.fingerprint);
    EXPECT_EQ(p.keys[1].algo, PubkeyAlgo::X25519);
    EXPECT_EQ(p.keys[1].fields.at(0).data.size(), 32u);
    EXPECT_EQ(p.keys[2].algo, PubkeyAlgo::Ecdsa);
    for (const auto& s : p.sigs) {
        EXPECT_EQ(s.version, 6);
        EXPECT_EQ(s.salt.size(), 16u);  // SHA-256
        EXPECT_TRUE(s.unhashed.empty());  // no issuer key ID in v6
    }
    EXPECT_EQ(p.sigs[0].sig_type, SigType::DirectKey);
    using T = SubpacketType;
    EXPECT_EQ(hashed_types(p.sigs[0]),
              (std::vector<T>{T::IssuerFingerprint, T::SignatureCreationTime, T::KeyFlags,
                              T::KeyExpirationTime, T::PreferredSymmetric, T::PreferredHash,
                              T::PreferredCompression, T::Features, T::KeyServerPreferences}));
    for (const auto& sp : p.sigs[0].hashed)
        if (sp.type() == SubpacketType::Features) {
            EXPECT_EQ(sp.body, (Bytes{0x09}));  // SEIPD v1 and v2
        }
    EXPECT_TRUE(verify(primary, p.sigs[0], packet::direct_key_digest(p.sigs[0], primary)));
    EXPECT_TRUE(verify(primary, p.sigs[1], packet::certification_digest(p.sigs[1], primary, p.uid)));
    EXPECT_TRUE(verify(primary, p.sigs[2], packet::subkey_binding_digest(p.sigs[2], primary, p.keys[1])));
    EXPECT_TRUE(verify(primary, p.sigs[3], packet::subkey_binding_digest(p.sigs[3], primary, p.keys[2])));
    // The ECDSA signing subkey's back-signature, embedded in its binding.
    bool backsig = false;
    for (const auto& sp : p.sigs[3].hashed)
        if (sp.type() == SubpacketType::EmbeddedSignature) {
            packet::ByteReader r(sp.body);
            auto back = packet::parse_signature(r, 64);
            ASSERT_TRUE(back);
            EXPECT_EQ(back->version, 6);
            EXPECT_TRUE(verify(p.keys[2], *back, packet::subkey_binding_digest(*back, primary, p.keys[2])));
            backsig = true;
        }
    EXPECT_TRUE(backsig);
}

TEST(V6Generate, UnprotectedSecretKeysHaveNoChecksum) {
    GeneratedKey g = make_v6(v6_block + "%no-protection\n", 2);
    Parts p = checks::split_packets(packet::parse_all(g.secret_key));
    ASSERT_EQ(p.tags, (std::vector<Tag>{Tag::SecretKey, Tag::Signature, Tag::UserId, Tag::Signature, Tag::SecretSubkey,
                                        Tag::Signature, Tag::SecretSubkey, Tag::Signature}));
    for (const auto& k : p.keys) {
        ASSERT_TRUE(k.secret);
        EXPECT_EQ(k.secret->usage, 0);
        EXPECT_FALSE(k.secret->checksum);
        EXPECT_FALSE(k.secret->params_len);
    }
    EXPECT_EQ(p.keys[0].secret->fields.at(0).data.size(), 32u);
}

TEST(V6Generate, ProtectedKeysUnlockWithArgon2AndOcb) {
    GeneratedKey g = make_v6(v6_block + "Passphrase: six six\n", 3);
    Parts p = checks::split_packets(packet::parse_all(g.secret_key));
    const std::string pass = "six six", wrong = "six";
    for (std::size_t i = 0; i < p.keys.size(); ++i) {
        const packet::Key& k = p.keys[i];
        const Tag tag = i == 0 ? Tag::SecretKey : Tag::SecretSubkey;
        ASSERT_TRUE(k.secret);
        EXPECT_EQ(k.secret->usage, 253);
        EXPECT_EQ(k.secret->sym_algo, SymAlgo::Aes256);
        EXPECT_EQ(k.secret->aead_algo, AeadAlgo::Ocb);
        ASSERT_TRUE(k.secret->s2k);
        EXPECT_EQ(k.secret->s2k->type, S2kType::Argon2);
        EXPECT_EQ(k.secret->s2k->salt.size(), 16u);
        EXPECT_EQ(k.secret->iv.size(), 15u);
        EXPECT_EQ(*k.secret->params_len, 3 + *k.secret->s2k_len + 15);
        const cert::SecretFields f = cert::unprotect(k, tag, checks::secret(pass));
        ASSERT_EQ(f.fields.size(), 1u);
        EXPECT_THROW((void)cert::unprotect(k, tag, checks::secret(wrong)), Error);
    }
}

TEST(V6Generate, SeededV6IsReproducible) {
    EXPECT_EQ(make_v6(v6_block + "Passphrase: p\n", 4).secret_key, make_v6(v6_block + "Passphrase: p\n", 4).secret_key);
}

TEST(V6Generate, V6RefusesDsaElgamalRevokersAndMixedVersions) {
    auto fails = [](const std::string& text, const std::string& want) {
        try {
            (void)make_v6(text, 5);
            ADD_FAILURE() << "accepted: " << text;
        } catch (const Error& e) {
            EXPECT_EQ(e.detail(), want);
        }
    };
    fails("Key-Type: DSA\nKey-Version: 6\nName-Real: a\n", "v6.param:1: RFC 9580 forbids DSA and Elgamal in v6 keys");
    fails("Key-Type: RSA\nKey-Version: 6\nSubkey-Type: ELG-E\nName-Real: a\n",
          "v6.param:3: RFC 9580 forbids DSA and Elgamal in v6 keys");
    fails("Key-Type: EdDSA\nKey-Curve: ed25519\nKey-Version: 6\nName-Real: a\n"
          "Revoker: 1:9E968EC36736E326FBD76BF0C2275D29FF01434E\n",
          "v6.param:1: Revoker is not supported for v6 keys (the subpacket is deprecated in RFC 9580)");
    fails("Key-Type: EdDSA\nKey-Curve: ed25519\nKey-Version: 6\nSubkey-Type: default\nSubkey-Version: 4\nName-Real: a\n",
          "v6.param:4: Subkey-Version 4 differs from Key-Version 6 (pgpkit makes subkeys of the primary key's version)");
}

}  // namespace
}  // namespace pgpkit::keygen
