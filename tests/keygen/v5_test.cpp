// LibrePGP v5 keys (draft-koch-librepgp, what GnuPG 2.3+ writes with Key-Version 5).
// No peer installed here reads v5 (gpg 2.2.40, rnp 0.16.3, sq 0.27 and pgpdump all reject
// the packets), so GnuPG's own v5 sample is the oracle: its self-signatures must verify
// with pgpkit's v5 hashing, its secret key must round-trip through our writer, and keys
// we generate must have the same layout and verify the same way.

#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <variant>
#include <vector>

#include "armor/armor.h"
#include "crypto/pk.h"
#include "keygen/generate.h"
#include "keygen/material.h"
#include "keygen/params.h"
#include "keygen/protect.h"
#include "base/error.h"
#include "packet/parser.h"
#include "packet/sig_hash.h"
#include "tests/keygen/checks.h"
#include "tests/support/env.h"

namespace pgpkit::keygen {
namespace {

using packet::PubkeyAlgo;
using packet::SubpacketType;
using packet::SymAlgo;
using packet::Tag;
using checks::Parts;
using checks::verify;

std::vector<packet::Packet> load_gnupg_sample(const std::string& name) {
    const Bytes text = test::read_bytes(test::shared_testdata() + "/gnupg/samplekeys/" + name);
    auto blocks = armor::decode_all(text);
    EXPECT_EQ(blocks.size(), 1u);
    return packet::parse_all(blocks.at(0).data);
}

Bytes v5_fingerprint(const packet::Key& k) {
    const Bytes body = packet::public_key_body(k);
    crypto::Hasher h(crypto::HashKind::Sha256);
    const auto n = static_cast<std::uint32_t>(body.size());
    const std::uint8_t head[5] = {0x9A, static_cast<std::uint8_t>(n >> 24), static_cast<std::uint8_t>(n >> 16),
                                  static_cast<std::uint8_t>(n >> 8), static_cast<std::uint8_t>(n)};
    h.update(head);
    h.update(body);
    return h.final();
}

TEST(V5Gnupg, SampleSelfSignaturesVerifyWithOurV5Hashing) {
    Parts p = checks::split_packets(load_gnupg_sample("v5-sample-1-pub.asc"));
    ASSERT_EQ(p.tags, (std::vector<Tag>{Tag::PublicKey, Tag::UserId, Tag::Signature, Tag::PublicSubkey,
                                        Tag::Signature}));
    EXPECT_EQ(to_hex(p.keys[0].fingerprint), "19347BC9872464025F99DF3EC2E0000ED9884892E1F7B3EA4C94009159569B54");
    EXPECT_EQ(to_hex(p.keys[1].fingerprint), "E4557C2B02FFBF4B04F87401EC336AF7133D0F85BE7FD09BAEFD9CAEB8C93965");
    EXPECT_EQ(p.keys[0].fingerprint, v5_fingerprint(p.keys[0]));
    EXPECT_EQ(p.sigs[0].version, 5);
    EXPECT_TRUE(p.sigs[0].unhashed.empty());  // GnuPG writes no issuer key ID in v5 signatures
    EXPECT_TRUE(verify(p.keys[0], p.sigs[0], packet::certification_digest(p.sigs[0], p.keys[0], p.uid)));
    EXPECT_TRUE(verify(p.keys[0], p.sigs[1], packet::subkey_binding_digest(p.sigs[1], p.keys[0], p.keys[1])));
    // The eight-octet trailer length and the 0x9A key framing both matter.
    packet::Signature as_v4 = p.sigs[0];
    as_v4.version = 4;
    EXPECT_NE(packet::certification_digest(as_v4, p.keys[0], p.uid),
              packet::certification_digest(p.sigs[0], p.keys[0], p.uid));
}

TEST(V5Gnupg, SampleSecretKeyLayoutAndRoundTrip) {
    const Bytes text = test::read_bytes(test::shared_testdata() + "/gnupg/samplekeys/v5-sample-1-sec.asc");
    const SecretBytes decoded = armor::decode_all(text).at(0).data;
    const Bytes bin(decoded.begin(), decoded.end());
    Parts p = checks::split_packets(packet::parse_all(bin));
    ASSERT_EQ(p.keys.size(), 2u);
    for (const auto& k : p.keys) {
        ASSERT_TRUE(k.secret);
        EXPECT_EQ(k.secret->usage, 0);
        EXPECT_EQ(k.secret->params_len, std::optional<std::uint8_t>(0));
        // The length counts the cleartext fields, not the two-octet checksum after them.
        EXPECT_EQ(*k.secret->secret_len, packet::fields_size(k.secret->fields));
        EXPECT_TRUE(k.secret->checksum);
    }
    EXPECT_EQ(packet::write_packets(packet::parse_all(bin)), bin);
}

GeneratedKey make_v5(const std::string& text, std::uint8_t seed_fill) {
    GenerateOptions o;
    o.s2k_coded_count = 0x60;  // fast S2K: the tests check the format, not its cost
    return checks::generate_seeded(text, "v5.param", seed_fill, o);
}

/** Checks the v5 layout of every key and signature of `g` and verifies every self-signature. */
void expect_v5_key_verifies(const GeneratedKey& g, std::size_t subkeys) {
    Parts p = checks::split_packets(packet::parse_all(g.public_key));
    ASSERT_EQ(p.keys.size(), 1 + subkeys);
    ASSERT_EQ(p.sigs.size(), 1 + subkeys);
    const packet::Key& primary = p.keys[0];
    EXPECT_EQ(g.fingerprint, primary.fingerprint);
    for (const auto& k : p.keys) {
        EXPECT_EQ(k.version, 5);
        EXPECT_EQ(*k.material_len, packet::fields_size(k.fields));
        EXPECT_EQ(k.fingerprint, v5_fingerprint(k));
        EXPECT_TRUE(std::equal(k.keyid.begin(), k.keyid.end(), k.fingerprint.begin()));  // first 8 octets
    }
    for (const auto& s : p.sigs) {
        EXPECT_EQ(s.version, 5);
        EXPECT_TRUE(s.unhashed.empty());
        ASSERT_FALSE(s.hashed.empty());
        EXPECT_EQ(s.hashed[0].type(), SubpacketType::IssuerFingerprint);
        Bytes want{5};
        want.insert(want.end(), primary.fingerprint.begin(), primary.fingerprint.end());
        EXPECT_EQ(s.hashed[0].body, want);  // issuer fingerprint, version 5
    }
    EXPECT_TRUE(verify(primary, p.sigs[0], packet::certification_digest(p.sigs[0], primary, p.uid)));
    for (std::size_t i = 0; i < subkeys; ++i) {
        const packet::Signature& bind = p.sigs[1 + i];
        EXPECT_TRUE(verify(primary, bind, packet::subkey_binding_digest(bind, primary, p.keys[1 + i]))) << i;
        for (const auto& sp : bind.hashed)
            if (sp.type() == SubpacketType::EmbeddedSignature) {
                packet::ByteReader r(sp.body);
                auto back = packet::parse_signature(r, 64);
                ASSERT_TRUE(back);
                EXPECT_EQ(back->version, 5);
                EXPECT_TRUE(verify(p.keys[1 + i], *back, packet::subkey_binding_digest(*back, primary, p.keys[1 + i])));
            }
    }
}

TEST(V5Generate, EdDsaWithCv25519AndSigningSubkeyVerifies) {
    GeneratedKey g = make_v5("Key-Type: EdDSA\nKey-Curve: ed25519\nKey-Version: 5\nSubkey-Type: ECDH\n"
                             "Subkey-Curve: cv25519\nSubkey-Type: ECDSA\nSubkey-Curve: nistp256\nSubkey-Usage: sign\n"
                             "Name-Real: Five\n%no-protection\n",
                             1);
    expect_v5_key_verifies(g, 2);
    Parts p = checks::split_packets(packet::parse_all(g.public_key));
    EXPECT_EQ(p.keys[0].algo, PubkeyAlgo::EdDsaLegacy);  // v5 keeps the legacy EdDSA/ECDH forms, like GnuPG 2.4
    EXPECT_EQ(p.keys[1].algo, PubkeyAlgo::Ecdh);
    for (const auto& sp : p.sigs[0].hashed)
        if (sp.type() == SubpacketType::Features) {
            EXPECT_EQ(sp.body, (Bytes{0x05}));  // MDC and v5 keys
        }
}

TEST(V5Generate, RsaAndDsaElgamalVerify) {
    expect_v5_key_verifies(make_v5("Key-Type: RSA\nKey-Length: 2048\nKey-Version: 5\nSubkey-Type: RSA\n"
                                   "Subkey-Length: 2048\nName-Real: R\n%no-protection\n",
                                   2),
                           1);
    expect_v5_key_verifies(make_v5("Key-Type: DSA\nKey-Length: 1024\nKey-Version: 5\nSubkey-Type: ELG-E\n"
                                   "Subkey-Length: 1024\nName-Real: D\n%no-protection\n",
                                   3),
                           1);
}

TEST(V5Generate, UnprotectedSecretKeysHaveGnupgsLayout) {
    GeneratedKey g = make_v5("Key-Type: EdDSA\nKey-Curve: ed25519\nKey-Version: 5\nSubkey-Type: default\n"
                             "Name-Real: Five\n%no-protection\n",
                             4);
    Parts p = checks::split_packets(packet::parse_all(g.secret_key));
    ASSERT_EQ(p.tags, (std::vector<Tag>{Tag::SecretKey, Tag::UserId, Tag::Signature, Tag::SecretSubkey,
                                        Tag::Signature}));
    for (const auto& k : p.keys) {
        ASSERT_TRUE(k.secret);
        EXPECT_EQ(k.secret->usage, 0);
        EXPECT_EQ(k.secret->params_len, std::optional<std::uint8_t>(0));
        EXPECT_EQ(*k.secret->secret_len, packet::fields_size(k.secret->fields));
        ASSERT_TRUE(k.secret->checksum);
        EXPECT_TRUE(k.secret->trailing.empty());
    }
    EXPECT_EQ(packet::write_packets(packet::parse_all(g.secret_key)), Bytes(g.secret_key.begin(), g.secret_key.end()));
}

TEST(V5Generate, ProtectedKeysUseUsage254WithV5Counts) {
    GeneratedKey g = make_v5("Key-Type: RSA\nKey-Length: 2048\nKey-Version: 5\nSubkey-Type: ECDH\n"
                             "Subkey-Curve: cv25519\nName-Real: Five\nPassphrase: five five\n",
                             5);
    Parts p = checks::split_packets(packet::parse_all(g.secret_key));
    ASSERT_EQ(p.keys.size(), 2u);
    for (const auto& k : p.keys) {
        ASSERT_TRUE(k.secret);
        EXPECT_EQ(k.secret->usage, 254);
        EXPECT_EQ(k.secret->sym_algo, SymAlgo::Aes256);
        EXPECT_EQ(*k.secret->params_len, 1 + 11 + 16);  // cipher, iterated+salted S2K, AES IV
        EXPECT_EQ(*k.secret->secret_len, k.secret->encrypted.size());
        const Tag tag = &k == &p.keys[0] ? Tag::SecretKey : Tag::SecretSubkey;
        const cert::SecretFields f = cert::unprotect(k, tag, checks::secret("five five"));
        EXPECT_FALSE(f.fields.empty());
        EXPECT_THROW((void)cert::unprotect(k, tag, checks::secret("five")), Error);
    }
}

TEST(V5Generate, GoldenVectorSelfSignaturesVerify) {
    GeneratedKey g;
    g.public_key = test::read_bytes(test::test_data_dir() + "/../../testvectors/keygen/seeded-v5.pgp");
    Parts p = checks::split_packets(packet::parse_all(g.public_key));
    ASSERT_EQ(p.tags, (std::vector<Tag>{Tag::SecretKey, Tag::UserId, Tag::Signature, Tag::SecretSubkey, Tag::Signature,
                                        Tag::SecretSubkey, Tag::Signature}));
    g.fingerprint = p.keys.at(0).fingerprint;
    expect_v5_key_verifies(g, 2);
    for (const auto& k : p.keys) {
        const cert::SecretFields f =
            cert::unprotect(k, &k == &p.keys[0] ? Tag::SecretKey : Tag::SecretSubkey, checks::secret("test vector"));
        std::size_t written = 0;  // MPIs: a two-octet bit count and the value
        for (const cert::SecretField& s : f.fields)
            written += (s.kind == packet::FieldKind::Mpi ? 2 : 0) + s.value.size();
        EXPECT_EQ(*k.secret->secret_len, written + 20);  // SHA-1 check inside
    }
}

TEST(V5Generate, MixedSubkeyVersionIsRefused) {
    try {
        (void)make_v5("Key-Type: EdDSA\nKey-Curve: ed25519\nKey-Version: 5\nSubkey-Type: default\n"
                      "Subkey-Version: 4\nName-Real: a\n",
                      6);
        ADD_FAILURE() << "mixed versions accepted";
    } catch (const Error& e) {
        EXPECT_EQ(e.detail(),
                  "v5.param:4: Subkey-Version 4 differs from Key-Version 5 (pgpkit makes subkeys of the primary key's "
                  "version)");
    }
}

}  // namespace
}  // namespace pgpkit::keygen
