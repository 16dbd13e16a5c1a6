// Library-level tests of key generation (keygen/generate.h, keygen/material.h,
// keygen/protect.h, packet/sig_hash.h): every algorithm's self-signatures verify with the
// crypto/ primitives, seeded generation is reproducible, protection round-trips.

#include <gtest/gtest.h>

#include <map>
#include <set>
#include <string>
#include <variant>
#include <vector>

#include "crypto/pk.h"
#include "crypto/primes.h"
#include "keygen/generate.h"
#include "keygen/material.h"
#include "keygen/params.h"
#include "keygen/protect.h"
#include "base/error.h"
#include "packet/parser.h"
#include "packet/sig_hash.h"
#include "tests/keygen/checks.h"

namespace pgpkit::keygen {
namespace {

using packet::HashAlgo;
using packet::PubkeyAlgo;
using packet::S2kType;
using packet::SigType;
using packet::SubpacketType;
using packet::SymAlgo;
using packet::Tag;
using checks::verify;

constexpr std::uint32_t fixed_time = 1767225600;  // 2026-01-01

crypto::Rng seeded(std::uint8_t fill = 0x42) {
    std::vector<std::uint8_t> seed(32, fill);
    return crypto::Rng::seeded(seed);
}

std::vector<KeyBlock> valid_blocks(const std::string& text) {
    std::vector<KeyBlock> out;
    for (const Item& i : parse_params(text, "t.param"))
        if (const auto* b = std::get_if<KeyBlock>(&i)) {
            EXPECT_FALSE(b->error) << *b->error;
            out.push_back(*b);
        }
    return out;
}

GeneratedKey make(const std::string& text, crypto::Rng& rng, ProgressSink* sink = nullptr) {
    auto b = valid_blocks(text);
    EXPECT_EQ(b.size(), 1u);
    GenerateOptions o;
    o.now = fixed_time;
    o.s2k_coded_count = 0x60;  // fast S2K: the tests check the format, not its cost
    return generate_key(b.at(0), rng, sink, o);
}

struct Parsed {
    std::vector<packet::Key> keys;  // primary first
    std::vector<Tag> tags;
    std::vector<packet::Signature> sigs;
    Bytes user_id;
};

Parsed parse(ByteView data) {
    Parsed p;
    for (const packet::Packet& pk : packet::parse_all(data)) {
        p.tags.push_back(pk.tag());
        if (const auto* k = pk.get<packet::Key>()) p.keys.push_back(*k);
        if (const auto* s = pk.get<packet::Signature>()) p.sigs.push_back(*s);
        if (const auto* u = pk.get<packet::UserId>()) p.user_id = u->data;
    }
    return p;
}

std::optional<packet::Signature> embedded_backsig(const packet::Signature& binding) {
    for (const auto& sp : binding.hashed)
        if (sp.type() == SubpacketType::EmbeddedSignature) {
            packet::ByteReader r(sp.body);
            return packet::parse_signature(r, 64);
        }
    return std::nullopt;
}

/** Verifies the certification and every binding (and back-signature) of a key. */
void expect_self_signatures_verify(const GeneratedKey& g, std::size_t subkeys, std::size_t signing_subkeys) {
    Parsed p = parse(g.public_key);
    ASSERT_EQ(p.keys.size(), 1 + subkeys);
    ASSERT_EQ(p.sigs.size(), 1 + subkeys);
    EXPECT_EQ(p.keys[0].fingerprint, g.fingerprint);
    const packet::Key& primary = p.keys[0];
    EXPECT_EQ(p.sigs[0].sig_type, SigType::PositiveCert);
    EXPECT_TRUE(verify(primary, p.sigs[0], packet::certification_digest(p.sigs[0], primary, p.user_id)));
    std::size_t backsigs = 0;
    for (std::size_t i = 0; i < subkeys; ++i) {
        const packet::Signature& bind = p.sigs[1 + i];
        EXPECT_EQ(bind.sig_type, SigType::SubkeyBinding);
        EXPECT_TRUE(verify(primary, bind, packet::subkey_binding_digest(bind, primary, p.keys[1 + i]))) << i;
        if (auto back = embedded_backsig(bind)) {
            ++backsigs;
            EXPECT_EQ(back->sig_type, SigType::PrimaryKeyBinding);
            EXPECT_TRUE(verify(p.keys[1 + i], *back, packet::subkey_binding_digest(*back, primary, p.keys[1 + i])));
        }
    }
    EXPECT_EQ(backsigs, signing_subkeys);
}

TEST(Generate, RsaKeyWithSigningAndEncryptionSubkeysVerifies) {
    crypto::Rng rng = seeded();
    GeneratedKey g = make("Key-Type: RSA\nKey-Length: 2048\nSubkey-Type: RSA\nSubkey-Length: 2048\n"
                          "Subkey-Usage: sign\nName-Real: r\n%no-protection\n",
                          rng);
    EXPECT_EQ(g.created_type(), 'B');
    expect_self_signatures_verify(g, 1, 1);
}

TEST(Generate, DsaWithElgamalSubkeyVerifies) {
    crypto::Rng rng = seeded();
    GeneratedKey g = make("Key-Type: DSA\nKey-Length: 1024\nSubkey-Type: ELG-E\nSubkey-Length: 1024\n"
                          "Name-Real: d\n%no-protection\n",
                          rng);
    expect_self_signatures_verify(g, 1, 0);
    Parsed p = parse(g.public_key);
    EXPECT_EQ(p.keys[0].fields.at(0).mpi_bits, 1024);
    EXPECT_EQ(p.keys[0].fields.at(1).mpi_bits, 160);  // q
    EXPECT_EQ(p.keys[1].algo, PubkeyAlgo::Elgamal);
    EXPECT_EQ(p.keys[1].fields.at(0).mpi_bits, 1024);
}

TEST(Generate, EveryWeierstrassCurveVerifies) {
    for (const char* curve : {"nistp256", "nistp384", "nistp521", "brainpoolP256r1", "brainpoolP384r1", "brainpoolP512r1"}) {
        crypto::Rng rng = seeded();
        GeneratedKey g = make(std::string("Key-Type: ECDSA\nKey-Curve: ") + curve + "\nSubkey-Type: ECDH\nSubkey-Curve: " +
                                  curve + "\nName-Real: e\n%no-protection\n",
                              rng);
        SCOPED_TRACE(curve);
        expect_self_signatures_verify(g, 1, 0);
        Parsed p = parse(g.public_key);
        EXPECT_EQ(p.keys[1].algo, PubkeyAlgo::Ecdh);
        EXPECT_EQ(p.keys[1].fields.size(), 3u);  // oid, point, KDF parameters
    }
}

TEST(Generate, Ed25519WithCv25519AndSigningSubkeyVerifies) {
    crypto::Rng rng = seeded();
    GeneratedKey g = make("Key-Type: EdDSA\nKey-Curve: ed25519\nSubkey-Type: ECDH\nSubkey-Curve: cv25519\n"
                          "Subkey-Type: EdDSA\nSubkey-Curve: ed25519\nName-Real: ed\n%no-protection\n",
                          rng);
    EXPECT_EQ(g.subkeys, 2u);
    expect_self_signatures_verify(g, 2, 1);
    Parsed p = parse(g.public_key);
    EXPECT_EQ(p.tags, (std::vector<Tag>{Tag::PublicKey, Tag::UserId, Tag::Signature, Tag::PublicSubkey, Tag::Signature,
                                        Tag::PublicSubkey, Tag::Signature}));
    EXPECT_EQ(p.keys[1].fields.at(1).data.size(), 33u);  // 0x40 || u-coordinate
    EXPECT_EQ(p.keys[1].fields.at(1).data[0], 0x40);
}

TEST(Generate, SignatureOverAnotherDigestDoesNotVerify) {
    crypto::Rng rng = seeded();
    GeneratedKey g = make("Key-Type: EdDSA\nKey-Curve: ed25519\nName-Real: ed\n%no-protection\n", rng);
    Parsed p = parse(g.public_key);
    Bytes digest = packet::certification_digest(p.sigs[0], p.keys[0], p.user_id);
    digest.back() ^= 1;
    EXPECT_FALSE(verify(p.keys[0], p.sigs[0], digest));
    Bytes other_uid = p.user_id;
    other_uid.push_back('x');
    EXPECT_FALSE(verify(p.keys[0], p.sigs[0], packet::certification_digest(p.sigs[0], p.keys[0], other_uid)));
}

TEST(Generate, SecretOutputHasSecretPacketsAndPublicOutputDoesNot) {
    crypto::Rng rng = seeded();
    GeneratedKey g = make("Key-Type: EdDSA\nKey-Curve: ed25519\nSubkey-Type: default\nName-Real: ed\n%no-protection\n", rng);
    EXPECT_EQ(parse(g.secret_key).tags, (std::vector<Tag>{Tag::SecretKey, Tag::UserId, Tag::Signature,
                                                          Tag::SecretSubkey, Tag::Signature}));
    EXPECT_EQ(parse(g.public_key).tags, (std::vector<Tag>{Tag::PublicKey, Tag::UserId, Tag::Signature,
                                                          Tag::PublicSubkey, Tag::Signature}));
}

TEST(Generate, SelfSignatureCarriesRequestedSubpackets) {
    crypto::Rng rng = seeded();
    GeneratedKey g = make("Key-Type: EdDSA\nKey-Curve: ed25519\nName-Real: ed\nExpire-Date: 10d\n"
                          "Keyserver: hkps://k.example\nPreferences: AES256 SHA512 ZLIB\n"
                          "Revoker: 1:9E968EC36736E326FBD76BF0C2275D29FF01434E sensitive\n%no-protection\n",
                          rng);
    Parsed p = parse(g.public_key);
    ASSERT_EQ(p.tags, (std::vector<Tag>{Tag::PublicKey, Tag::Signature, Tag::UserId, Tag::Signature}));
    const packet::Signature& direct = p.sigs[0];
    EXPECT_EQ(direct.sig_type, SigType::DirectKey);
    EXPECT_TRUE(verify(p.keys[0], direct, packet::direct_key_digest(direct, p.keys[0])));
    std::map<SubpacketType, Bytes> sub;
    for (const auto& s : p.sigs[1].hashed) sub[s.type()] = s.body;
    EXPECT_EQ(sub[SubpacketType::KeyExpirationTime], (Bytes{0, 0x0D, 0x2F, 0x00}));  // 10 days
    EXPECT_EQ(sub[SubpacketType::PreferredSymmetric], (Bytes{9}));
    EXPECT_EQ(sub[SubpacketType::PreferredHash], (Bytes{10}));
    EXPECT_EQ(sub[SubpacketType::PreferredCompression], (Bytes{2}));
    EXPECT_EQ(sub[SubpacketType::PreferredKeyServer],
              (Bytes{'h', 'k', 'p', 's', ':', '/', '/', 'k', '.', 'e', 'x', 'a', 'm', 'p', 'l', 'e'}));
    EXPECT_EQ(sub[SubpacketType::PrimaryUserId], (Bytes{1}));
    EXPECT_EQ(sub[SubpacketType::KeyFlags], (Bytes{0x23}));  // certify, sign, authenticate
    EXPECT_EQ(sub[SubpacketType::Features], (Bytes{1}));
    EXPECT_EQ(sub[SubpacketType::SignatureCreationTime], (Bytes{0x69, 0x55, 0xB9, 0x00}));
    bool revoker = false;
    for (const auto& s : direct.hashed)
        if (s.type() == SubpacketType::RevocationKey) {
            revoker = true;
            EXPECT_EQ(s.body.at(0), 0xC0);
            EXPECT_EQ(s.body.at(1), 1);
            EXPECT_EQ(s.body.size(), 22u);
        }
    EXPECT_TRUE(revoker);
}

TEST(Generate, SeededGenerationIsByteIdentical) {
    const std::string text = "Key-Type: RSA\nKey-Length: 2048\nSubkey-Type: ECDH\nSubkey-Curve: nistp256\n"
                             "Name-Real: s\nPassphrase: pw\n";
    crypto::Rng a = seeded(1), b = seeded(1), c = seeded(2);
    const GeneratedKey ga = make(text, a), gb = make(text, b), gc = make(text, c);
    EXPECT_EQ(ga.secret_key, gb.secret_key);
    EXPECT_EQ(ga.public_key, gb.public_key);
    EXPECT_NE(ga.fingerprint, gc.fingerprint);
}

TEST(Generate, ForkedSeededGeneratorsAreIndependentAndReproducible) {
    crypto::Rng r = seeded(7);
    std::vector<std::uint8_t> x(16), y(16), z(16);
    r.fork(0).fill(x);
    r.fork(0).fill(y);
    r.fork(1).fill(z);
    EXPECT_EQ(x, y);
    EXPECT_NE(x, z);
    EXPECT_TRUE(r.fork(3).deterministic());
    EXPECT_FALSE(crypto::Rng::system().deterministic());
    EXPECT_THROW((void)crypto::Rng::seeded(std::vector<std::uint8_t>(8, 1)), Error);
}

TEST(Generate, ProtectedKeyOpensWithItsPassphraseOnly) {
    crypto::Rng rng = seeded();
    GeneratedKey g = make("Key-Type: EdDSA\nKey-Curve: ed25519\nName-Real: p\nPassphrase: sesame\n", rng);
    Parsed p = parse(g.secret_key);
    const packet::Key& k = p.keys.at(0);
    ASSERT_TRUE(k.secret);
    EXPECT_EQ(k.secret->usage, 254);
    EXPECT_EQ(k.secret->sym_algo, SymAlgo::Aes256);
    ASSERT_TRUE(k.secret->s2k);
    EXPECT_EQ(k.secret->s2k->type, S2kType::IteratedSalted);
    EXPECT_EQ(k.secret->s2k->hash_algo, HashAlgo::Sha256);
    EXPECT_EQ(k.secret->iv.size(), 16u);
    const std::string pw = "sesame", bad = "sesamE";
    const cert::SecretFields f = cert::unprotect(k, Tag::SecretKey, checks::secret(pw));
    ASSERT_EQ(f.fields.size(), 1u);
    EXPECT_LE(f.fields[0].value.size(), 32u);
    try {
        (void)cert::unprotect(k, Tag::SecretKey, checks::secret(bad));
        ADD_FAILURE() << "wrong passphrase accepted";
    } catch (const Error& e) {
        EXPECT_EQ(e.kind(), Errc::BadPassphrase);
    }
}

TEST(Generate, NoProtectionWritesChecksummedCleartext) {
    crypto::Rng rng = seeded();
    GeneratedKey g = make("Key-Type: EdDSA\nKey-Curve: ed25519\nName-Real: p\nPassphrase: ignored\n%no-protection\n", rng);
    const packet::Key k = parse(g.secret_key).keys.at(0);
    ASSERT_TRUE(k.secret);
    EXPECT_EQ(k.secret->usage, 0);
    ASSERT_TRUE(k.secret->checksum);
    Bytes fields;
    packet::ByteWriter w(fields);
    packet::write_fields(k.secret->fields, w);
    std::uint32_t sum = 0;
    for (auto b : fields) sum += b;
    EXPECT_EQ(*k.secret->checksum, sum & 0xFFFF);
}

TEST(Generate, UnsupportedKeyVersionIsAClearError) {
    crypto::Rng rng = seeded();
    KeyBlock b = valid_blocks("Key-Type: EdDSA\nKey-Curve: ed25519\nName-Real: p\n").at(0);
    b.version = 3;  // the parameter parser allows only 4, 5 and 6; the generator checks again
    try {
        (void)generate_key(b, rng, nullptr, GenerateOptions{});
        ADD_FAILURE() << "v3 accepted";
    } catch (const Error& e) {
        EXPECT_EQ(e.kind(), Errc::Usage);
        EXPECT_EQ(e.detail(), "t.param:1: Key-Version 3 is not implemented (only 4, 5 and 6)");
    }
}

TEST(Generate, ExpirationNotAfterCreationIsRejected) {
    crypto::Rng rng = seeded();
    try {
        (void)make("Key-Type: EdDSA\nKey-Curve: ed25519\nName-Real: p\nCreation-Date: 2026-01-01\nExpire-Date: 2025-01-01\n", rng);
        ADD_FAILURE() << "expiry in the past accepted";
    } catch (const Error& e) {
        EXPECT_EQ(e.detail(), "t.param:1: expiration date is not after the creation date");
    }
}

TEST(Generate, BlockWithErrorIsRefused) {
    KeyBlock b;
    b.error = "x.param:3: unknown keyword \"Foo\"";
    crypto::Rng rng = seeded();
    EXPECT_THROW((void)generate_key(b, rng, nullptr, GenerateOptions{}), Error);
}

TEST(SigHash, V4TrailerFramesTheHashedArea) {
    packet::Signature s;
    s.version = 4;
    s.sig_type = SigType::PositiveCert;
    s.pk_algo = PubkeyAlgo::EdDsaLegacy;
    s.hash_algo = HashAlgo::Sha256;
    packet::Subpacket sp;
    sp.type_octet = 2;
    sp.body = {1, 2, 3, 4};
    s.hashed.push_back(sp);
    EXPECT_EQ(packet::signature_trailer(s),
              (Bytes{4, 0x13, 22, 8, 0, 6, 5, 2, 1, 2, 3, 4, 4, 0xFF, 0, 0, 0, 12}));
    s.hash_algo = static_cast<HashAlgo>(99);
    packet::Key k;
    EXPECT_THROW((void)packet::direct_key_digest(s, k), Error);
}

class CountingSink final : public ProgressSink {
public:
    void progress(const char* what, char c) override {
        EXPECT_STREQ(what, "primegen");
        chars.insert(c);
        ++count;
    }
    std::set<char> chars;
    std::size_t count = 0;
};

TEST(Primes, PrimeHasExactBitLengthAndTopBitsSet) {
    crypto::Rng rng = seeded();
    CountingSink sink;
    for (unsigned bits : {64u, 512u, 1024u}) {
        auto p = crypto::generate_prime(bits, rng, &sink);
        ASSERT_FALSE(p.empty());
        EXPECT_EQ(p.size(), bits / 8);
        EXPECT_EQ(p[0] & 0xC0, 0xC0);
        EXPECT_EQ(p.back() & 1, 1);
        EXPECT_TRUE(crypto::is_probable_prime(p, rng));
    }
    for (char c : sink.chars) EXPECT_TRUE(c == '.' || c == '+') << c;
    EXPECT_GT(sink.count, 0u);
    EXPECT_FALSE(crypto::is_probable_prime(std::vector<std::uint8_t>{0x01, 0x00, 0x01, 0x01}, rng));  // 65793 = 3*7*13*241
}

TEST(Primes, ElgamalGroupShowsPoolAndGeneratorProgress) {
    crypto::Rng rng = seeded();
    CountingSink sink;
    crypto::DlKey k = crypto::generate_elgamal(1024, rng, &sink);
    EXPECT_EQ(k.p.size(), 128u);
    EXPECT_TRUE(crypto::is_probable_prime(k.p, rng));
    EXPECT_TRUE(sink.chars.count('!'));
    EXPECT_TRUE(sink.chars.count('^'));
    for (char c : sink.chars) EXPECT_NE(std::string(".+!^<>").find(c), std::string::npos) << c;
}

TEST(Primes, TooSmallRequestsAreUsageErrors) {
    crypto::Rng rng = seeded();
    EXPECT_THROW((void)crypto::generate_prime(8, rng, nullptr), Error);
    EXPECT_THROW((void)crypto::generate_rsa(512, rng, nullptr), Error);
    EXPECT_THROW((void)crypto::generate_elgamal(512, rng, nullptr), Error);
}

}  // namespace
}  // namespace pgpkit::keygen
