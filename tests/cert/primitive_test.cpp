// Known-answer and hostile-input tests of the signature primitive (cert/primitive.h) and of
// crypto::PublicKey under it: real signatures made by gpg for every algorithm and curve,
// the RFC 9580 samples, and hand-made broken keys and signatures.

#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <optional>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include "armor/armor.h"
#include "cert/primitive.h"
#include "crypto/pk.h"
#include "crypto/rng.h"
#include "crypto/verify.h"
#include "packet/packet.h"
#include "packet/parser.h"
#include "packet/sig_hash.h"
#include "tests/support/env.h"

namespace pgpkit::cert {
namespace {

using packet::HashAlgo;
using packet::PubkeyAlgo;
using packet::SigType;
struct Signed {
    packet::Key key;
    packet::Signature sig;
    Bytes digest;
};

std::vector<packet::Packet> load(const std::string& path) {
    const Bytes data = test::read_bytes(path);
    if (!data.empty() && data[0] == '-') {
        auto blocks = armor::decode_all(data);
        EXPECT_EQ(blocks.size(), 1u) << path;
        return packet::parse_all(blocks.at(0).data);
    }
    return packet::parse_all(data);
}

/** The first user ID self-signature of a certificate, with its digest. */
Signed uid_self_sig(const std::string& path) {
    const auto pk = load(path);
    Signed s;
    Bytes uid;
    bool have_key = false, have_uid = false;
    for (const auto& p : pk) {
        if (const auto* k = p.get<packet::Key>(); k && !have_key) s.key = *k, have_key = true;
        if (const auto* u = p.get<packet::UserId>(); u && !have_uid) uid = u->data, have_uid = true;
        if (const auto* g = p.get<packet::Signature>(); g && have_uid) {
            s.sig = *g;
            s.digest = packet::certification_digest(s.sig, s.key, uid);
            EXPECT_EQ(s.digest.at(0), s.sig.left16[0]) << path;
            EXPECT_EQ(s.digest.at(1), s.sig.left16[1]) << path;
            return s;
        }
    }
    ADD_FAILURE() << "no user ID self-signature in " << path;
    return s;
}

std::string fixture(const std::string& name) { return test::test_data_dir() + "/cert/" + name; }

Bytes flipped(Bytes d, std::size_t index, std::uint8_t mask = 0x01) {
    d.at(index) ^= mask;
    return d;
}

packet::AlgoField mpi(std::string_view name, Bytes v) {
    std::size_t i = 0;
    while (i < v.size() && v[i] == 0) ++i;
    v.erase(v.begin(), v.begin() + static_cast<std::ptrdiff_t>(i));
    packet::AlgoField f{name, packet::FieldKind::Mpi, 0, std::move(v)};
    f.mpi_bits = f.effective_bits();
    return f;
}

packet::AlgoField sized(std::string_view name, Bytes v) {
    return {name, packet::FieldKind::Sized8, 0, std::move(v)};
}

// ---- Known answers from gpg ---------------------------------------------------------------

class GpgFixture : public testing::TestWithParam<const char*> {};

TEST_P(GpgFixture, GoodOnRealSignatureBadWhenOneDigestBitFlips) {
    const Signed s = uid_self_sig(fixture(GetParam()));
    const KeyVerifier v(s.key);
    EXPECT_EQ(v.key_status().verdict, Verdict::Good) << v.key_status().reason;
    const CryptoResult good = v.verify(s.sig, s.digest);
    EXPECT_EQ(good.verdict, Verdict::Good) << good.reason;
    EXPECT_TRUE(good.reason.empty());
    for (std::size_t i : {std::size_t{0}, std::size_t{2}, std::size_t{15}}) {
        const CryptoResult bad = v.verify(s.sig, flipped(s.digest, i, 0x80));
        EXPECT_EQ(bad.verdict, Verdict::Bad) << "byte " << i;
        EXPECT_FALSE(bad.reason.empty());
    }
    EXPECT_EQ(verify_digest(s.key, s.sig, s.digest).verdict, Verdict::Good);
}

INSTANTIATE_TEST_SUITE_P(Algorithms, GpgFixture,
                         testing::Values("rsa2048-sha512.pgp", "rsa2048-sha1.pgp",
                                         "rsa4096-sha512.pgp", "dsa2048-sha256.pgp",
                                         "dsa2048-sha512.pgp", "nistp256-sha256.pgp",
                                         "nistp256-sha512.pgp", "nistp384-sha512.pgp",
                                         "nistp521-sha512.pgp", "brainpoolP256r1-sha512.pgp",
                                         "brainpoolP384r1-sha512.pgp", "brainpoolP512r1-sha512.pgp",
                                         "secp256k1-sha512.pgp", "ed25519-sha512.pgp"),
                         [](const auto& info) {
                             std::string n = info.param;
                             n = n.substr(0, n.find('.'));
                             n.erase(std::remove(n.begin(), n.end(), '-'), n.end());
                             return n;
                         });

TEST(KeyVerifier, DsaAndEcdsaUseOnlyTheLeftmostBitsOfALongDigest) {
    // SHA-512 over a 256-bit group order: octets past the 32nd are cut off (FIPS 186-4 4.6).
    for (const char* name :
         {"nistp256-sha512.pgp", "dsa2048-sha512.pgp", "brainpoolP384r1-sha512.pgp"}) {
        const Signed s = uid_self_sig(fixture(name));
        const KeyVerifier v(s.key);
        const std::size_t order = std::string(name).find("384") != std::string::npos ? 48 : 32;
        EXPECT_EQ(v.verify(s.sig, flipped(s.digest, 63)).verdict, Verdict::Good) << name;
        EXPECT_EQ(v.verify(s.sig, flipped(s.digest, order)).verdict, Verdict::Good) << name;
        EXPECT_EQ(v.verify(s.sig, flipped(s.digest, order - 1)).verdict, Verdict::Bad) << name;
    }
    // P-521's order has 521 bits: all of a SHA-512 digest counts.
    const Signed s = uid_self_sig(fixture("nistp521-sha512.pgp"));
    EXPECT_EQ(KeyVerifier(s.key).verify(s.sig, flipped(s.digest, 63)).verdict, Verdict::Bad);
}

TEST(KeyVerifier, RsaSignOnlyVerifiesLikeRsa) {
    Signed s = uid_self_sig(fixture("rsa2048-sha512.pgp"));
    s.key.algo = PubkeyAlgo::RsaSignOnly;
    s.sig.pk_algo = PubkeyAlgo::RsaSignOnly;
    EXPECT_EQ(KeyVerifier(s.key).verify(s.sig, s.digest).verdict, Verdict::Good);
}

// ---- RFC 9580 samples -----------------------------------------------------------------------

TEST(KeyVerifier, Rfc9580V6Ed25519DirectKeyAndSubkeyBinding) {
    const auto pk = load(test::shared_testdata() + "/rfc9580/A.3.transferable-pubkey-v6.asc");
    std::vector<packet::Key> keys;
    std::vector<packet::Signature> sigs;
    for (const auto& p : pk) {
        if (const auto* k = p.get<packet::Key>()) keys.push_back(*k);
        if (const auto* g = p.get<packet::Signature>()) sigs.push_back(*g);
    }
    ASSERT_EQ(keys.size(), 2u);
    ASSERT_EQ(sigs.size(), 2u);
    ASSERT_EQ(keys[0].algo, PubkeyAlgo::Ed25519);
    const KeyVerifier v(keys[0]);
    const Bytes direct = packet::direct_key_digest(sigs[0], keys[0]);
    const Bytes binding = packet::subkey_binding_digest(sigs[1], keys[0], keys[1]);
    EXPECT_EQ(v.verify(sigs[0], direct).verdict, Verdict::Good) << v.verify(sigs[0], direct).reason;
    EXPECT_EQ(v.verify(sigs[1], binding).verdict, Verdict::Good);
    EXPECT_EQ(v.verify(sigs[0], flipped(direct, 31)).verdict, Verdict::Bad);
    EXPECT_EQ(v.verify(sigs[1], direct).verdict, Verdict::Bad);
    // The subkey is X25519: it cannot sign.
    const CryptoResult sub = KeyVerifier(keys[1]).verify(sigs[1], binding);
    EXPECT_EQ(sub.verdict, Verdict::Unsupported);
    EXPECT_EQ(sub.reason, "public-key algorithm 25 (X25519) cannot sign");
}

TEST(KeyVerifier, Rfc9580V4Ed25519LegacyDocumentSignature) {
    // A.2 is a binary signature (type 0x00) over "OpenPGP" by the A.1 key.
    const auto keys = load(test::shared_testdata() + "/rfc9580/A.1.v4-ed25519legacy-key.asc");
    const auto sigs = load(test::shared_testdata() + "/rfc9580/A.2.v4-ed25519legacy-signature.asc");
    const auto* key = keys.at(0).get<packet::Key>();
    const auto* sig = sigs.at(0).get<packet::Signature>();
    ASSERT_TRUE(key && sig);
    ASSERT_EQ(key->algo, PubkeyAlgo::EdDsaLegacy);
    crypto::Hasher h(crypto::HashKind::Sha256);
    h.update(test::read_bytes(test::shared_testdata() + "/rfc9580/A.2.signed-data.txt"));
    h.update(packet::signature_trailer(*sig));
    const Bytes digest = h.final();
    const KeyVerifier v(*key);
    EXPECT_EQ(v.verify(*sig, digest).verdict, Verdict::Good);
    EXPECT_EQ(v.verify(*sig, flipped(digest, 5)).verdict, Verdict::Bad);
}

TEST(KeyVerifier, ElgamalIsUnsupportedAndDsaPrimaryOfTheSameCertVerifies) {
    const auto pk = load(test::shared_testdata() + "/sequoia/keys/dsa2048-elgamal3072.pgp");
    std::vector<packet::Key> keys;
    std::vector<packet::Signature> sigs;
    for (const auto& p : pk) {
        if (const auto* k = p.get<packet::Key>()) keys.push_back(*k);
        if (const auto* g = p.get<packet::Signature>()) sigs.push_back(*g);
    }
    ASSERT_EQ(keys.size(), 2u);
    ASSERT_EQ(keys[1].algo, PubkeyAlgo::Elgamal);
    const CryptoResult eg = KeyVerifier(keys[1]).key_status();
    EXPECT_EQ(eg.verdict, Verdict::Unsupported);
    EXPECT_EQ(eg.reason, "unsupported public-key algorithm 16 (ElGamal)");
    const packet::Signature& binding = sigs.back();
    ASSERT_EQ(binding.sig_type, SigType::SubkeyBinding);
    const Bytes d = packet::subkey_binding_digest(binding, keys[0], keys[1]);
    EXPECT_EQ(KeyVerifier(keys[0]).verify(binding, d).verdict, Verdict::Good);
}

// ---- Every DigestInfo: signatures made by Botan's EMSA-PKCS1-v1_5 --------------------------

TEST(PublicKey, RsaVerifiesEveryHashAndLeftPadsShortSignatures) {
    crypto::Rng rng = crypto::Rng::seeded(std::vector<std::uint8_t>(32, 7));
    const crypto::RsaKey k = crypto::generate_rsa(1024, rng, nullptr);
    const auto pub = crypto::PublicKey::rsa(k.n, k.e);
    ASSERT_TRUE(pub.usable()) << pub.problem().reason;
    using H = crypto::HashKind;
    for (H h : {H::Md5, H::Sha1, H::Ripemd160, H::Sha224, H::Sha256, H::Sha384, H::Sha512,
                H::Sha3_256, H::Sha3_512}) {
        const Bytes d = crypto::digest(h, as_bytes("pgpkit"));
        const auto sig = crypto::sign_rsa(k, h, d, rng);
        const ByteView part = sig.at(0);
        EXPECT_EQ(pub.verify(h, d, {&part, 1}).status, crypto::VerifyStatus::Good)
            << static_cast<int>(h);
        const Bytes other = flipped(d, 0);
        EXPECT_EQ(pub.verify(h, other, {&part, 1}).status, crypto::VerifyStatus::Bad);
    }
    // About one signature in 256 is shorter than the modulus; gpg accepts it left-padded.
    bool seen_short = false;
    for (std::uint32_t i = 0; i < 4000 && !seen_short; ++i) {
        const Bytes d = crypto::digest(H::Sha256, as_bytes("short " + std::to_string(i)));
        const auto sig = crypto::sign_rsa(k, H::Sha256, d, rng);
        if (sig.at(0).size() >= k.n.size()) continue;
        seen_short = true;
        const ByteView part = sig.at(0);
        EXPECT_EQ(pub.verify(H::Sha256, d, {&part, 1}).status, crypto::VerifyStatus::Good);
    }
    EXPECT_TRUE(seen_short);
}

TEST(PublicKey, DigestInfoPrefixesEndInTheDigestLength) {
    using H = crypto::HashKind;
    for (H h : {H::Md5, H::Sha1, H::Ripemd160, H::Sha224, H::Sha256, H::Sha384, H::Sha512,
                H::Sha3_256, H::Sha3_512}) {
        const ByteView info = crypto::pkcs1_digest_info(h);
        ASSERT_GE(info.size(), 15u);
        EXPECT_EQ(info.back(), crypto::hash_size(h));
        EXPECT_EQ(info[1] + 2u, info.size() + crypto::hash_size(h));
    }
    EXPECT_EQ(packet::hash_kind(HashAlgo::Sha3_256), crypto::HashKind::Sha3_256);
    EXPECT_EQ(packet::hash_kind(HashAlgo::Sha3_512), crypto::HashKind::Sha3_512);
    EXPECT_EQ(crypto::digest(H::Sha3_256, {}).size(), 32u);
}

TEST(PublicKey, EdDsaLegacyLeftPadsShortRAndS) {
    crypto::Rng rng = crypto::Rng::seeded(std::vector<std::uint8_t>(32, 9));
    const crypto::EcKey k = crypto::generate_ec(crypto::Curve::Ed25519, rng);
    const auto pub = crypto::PublicKey::eddsa_legacy(k.point);
    ASSERT_TRUE(pub.usable());
    int shorts = 0;
    for (std::uint32_t i = 0; i < 3000 && shorts < 2; ++i) {
        const Bytes d = crypto::digest(crypto::HashKind::Sha256, as_bytes(std::to_string(i)));
        const auto rs = crypto::sign_eddsa(k, d);
        if (rs.at(0).size() == 32 && rs.at(1).size() == 32) continue;
        ++shorts;
        const ByteView parts[] = {rs[0], rs[1]};
        EXPECT_EQ(pub.verify(crypto::HashKind::Sha256, d, parts).status,
                  crypto::VerifyStatus::Good);
    }
    EXPECT_EQ(shorts, 2);
}

// ---- Hostile keys ---------------------------------------------------------------------------

CryptoResult key_status_of(PubkeyAlgo algo, packet::AlgoFields fields) {
    packet::Key k;
    k.algo = algo;
    k.fields = std::move(fields);
    return KeyVerifier(k).key_status();
}

Bytes odd_bytes(std::size_t n, std::uint8_t fill = 0xC3) {
    Bytes b(n, fill);
    b.back() |= 1;
    return b;
}

TEST(HostileKey, RsaBoundsAndShapes) {
    const Bytes n2048 = odd_bytes(256);
    auto st = key_status_of(PubkeyAlgo::Rsa, {mpi("n", odd_bytes(2051)), mpi("e", {0x01, 0x00, 0x01})});
    EXPECT_EQ(st.verdict, Verdict::Unsupported);
    EXPECT_EQ(st.reason, "RSA modulus of 16408 bits (at most 16384 supported)");
    st = key_status_of(PubkeyAlgo::Rsa, {mpi("n", n2048), mpi("e", odd_bytes(200))});
    EXPECT_EQ(st.verdict, Verdict::Unsupported);
    EXPECT_EQ(st.reason, "RSA exponent of 1600 bits (at most 256 supported)");
    st = key_status_of(PubkeyAlgo::Rsa, {mpi("n", n2048), mpi("e", {0x01, 0x00, 0x00})});
    EXPECT_EQ(st.verdict, Verdict::Malformed);
    EXPECT_EQ(st.reason, "RSA exponent is even or below 3");
    st = key_status_of(PubkeyAlgo::Rsa, {mpi("n", Bytes(256, 0xC2)), mpi("e", {0x01, 0x00, 0x01})});
    EXPECT_EQ(st.reason, "RSA modulus is even");
    st = key_status_of(PubkeyAlgo::Rsa, {mpi("n", {}), mpi("e", {0x03})});
    EXPECT_EQ(st.verdict, Verdict::Malformed);
    EXPECT_EQ(st.reason, "RSA modulus is zero");
    st = key_status_of(PubkeyAlgo::Rsa, {mpi("n", odd_bytes(2)), mpi("e", odd_bytes(3))});
    EXPECT_EQ(st.reason, "RSA exponent not below the modulus");
    // The truncated-MPI check: a bit count larger than the octets that follow.
    packet::AlgoField n = mpi("n", n2048);
    n.mpi_bits = 4096;
    st = key_status_of(PubkeyAlgo::Rsa, {n, mpi("e", {0x03})});
    EXPECT_EQ(st.verdict, Verdict::Malformed);
    EXPECT_EQ(st.reason, "truncated MPI n");
    st = key_status_of(PubkeyAlgo::Rsa, {mpi("n", n2048)});
    EXPECT_EQ(st.reason, "missing field e");
}

TEST(HostileKey, DsaBoundsAndShapes) {
    const Signed real = uid_self_sig(fixture("dsa2048-sha256.pgp"));
    const auto& f = real.key.fields;
    auto st = key_status_of(PubkeyAlgo::Dsa, {mpi("p", odd_bytes(2049)), f[1], f[2], f[3]});
    EXPECT_EQ(st.verdict, Verdict::Unsupported);
    EXPECT_EQ(st.reason, "DSA prime p of 16392 bits (at most 16384 supported)");
    st = key_status_of(PubkeyAlgo::Dsa, {f[0], mpi("q", odd_bytes(65)), f[2], f[3]});
    EXPECT_EQ(st.verdict, Verdict::Unsupported);
    EXPECT_EQ(st.reason, "DSA subgroup order q of 520 bits (at most 512 supported)");
    st = key_status_of(PubkeyAlgo::Dsa, {f[0], mpi("q", odd_bytes(32)), f[2], f[3]});
    EXPECT_EQ(st.verdict, Verdict::Malformed);
    EXPECT_EQ(st.reason, "DSA q does not divide p-1");
    st = key_status_of(PubkeyAlgo::Dsa, {f[0], f[1], mpi("g", {0x01}), f[3]});
    EXPECT_EQ(st.reason, "DSA generator g out of range");
    st = key_status_of(PubkeyAlgo::Dsa, {f[0], f[1], f[2], mpi("y", f[0].data)});
    EXPECT_EQ(st.reason, "DSA public value y out of range");
    EXPECT_EQ(key_status_of(PubkeyAlgo::Dsa, f).verdict, Verdict::Good);
}

TEST(HostileKey, EcdsaPointsOffTheCurveOrOfTheWrongLength) {
    const Signed real = uid_self_sig(fixture("nistp256-sha256.pgp"));
    const packet::AlgoField oid = real.key.fields.at(0);
    Bytes point = real.key.fields.at(1).data;
    ASSERT_EQ(point.size(), 65u);
    Bytes off = point;
    off.back() ^= 0x01;
    auto st = key_status_of(PubkeyAlgo::Ecdsa, {oid, mpi("q", off)});
    EXPECT_EQ(st.verdict, Verdict::Malformed);
    EXPECT_EQ(st.reason, "point not on curve");
    st = key_status_of(PubkeyAlgo::Ecdsa, {oid, mpi("q", Bytes(point.begin(), point.end() - 1))});
    EXPECT_EQ(st.reason, "ECDSA point of 64 octets (65 expected)");
    Bytes compressed(point.begin(), point.begin() + 33);
    compressed[0] = 0x02;
    st = key_status_of(PubkeyAlgo::Ecdsa, {oid, mpi("q", compressed)});
    EXPECT_EQ(st.reason, "ECDSA point is not SEC1 uncompressed (0x04 || x || y)");
    st = key_status_of(PubkeyAlgo::Ecdsa, {oid, mpi("q", {})});
    EXPECT_EQ(st.verdict, Verdict::Malformed);
    // x = p (not reduced) is not a field element.
    Bytes big(65, 0xFF);
    big[0] = 0x04;
    st = key_status_of(PubkeyAlgo::Ecdsa, {oid, mpi("q", big)});
    EXPECT_EQ(st.verdict, Verdict::Malformed);
}

TEST(HostileKey, CurvesAndAlgorithmsThatCannotBeChecked) {
    const Bytes ed_point = uid_self_sig(fixture("ed25519-sha512.pgp")).key.fields.at(1).data;
    auto st = key_status_of(PubkeyAlgo::EdDsaLegacy, {sized("oid", {0x2B, 0x65, 0x71}), mpi("q", Bytes(58, 0x40))});
    EXPECT_EQ(st.verdict, Verdict::Unsupported);
    EXPECT_EQ(st.reason, "unsupported curve 1.3.101.113 (Ed448)");
    st = key_status_of(PubkeyAlgo::Ecdsa, {sized("oid", {0x2A, 0x03}), mpi("q", {0x04, 0x01})});
    EXPECT_EQ(st.verdict, Verdict::Unsupported);
    EXPECT_EQ(st.reason, "unsupported curve 1.2.3");
    st = key_status_of(PubkeyAlgo::Ecdsa, {sized("oid", {0x2B, 0x06, 0x01, 0x04, 0x01, 0xDA, 0x47, 0x0F, 0x01}),
                            mpi("q", ed_point)});
    EXPECT_EQ(st.verdict, Verdict::Malformed);
    EXPECT_EQ(st.reason, "ECDSA key on curve ed25519");
    st = key_status_of(
        PubkeyAlgo::EdDsaLegacy, {sized("oid", {0x2A, 0x86, 0x48, 0xCE, 0x3D, 0x03, 0x01, 0x07}), mpi("q", ed_point)});
    EXPECT_EQ(st.reason, "EdDSA key on curve nistp256");
    st = key_status_of(PubkeyAlgo::Ed448, {{"public", packet::FieldKind::Fixed, 0, Bytes(57, 1)}});
    EXPECT_EQ(st.verdict, Verdict::Unsupported);
    EXPECT_EQ(st.reason, "unsupported public-key algorithm 28 (Ed448)");
    st = key_status_of(PubkeyAlgo::ElgamalSignEncrypt, {mpi("p", {0x17}), mpi("g", {0x05}), mpi("y", {0x03})});
    EXPECT_EQ(st.reason, "unsupported public-key algorithm 20 (ElGamal Encrypt-or-Sign)");
    st = key_status_of(PubkeyAlgo::RsaEncryptOnly, {mpi("n", odd_bytes(128)), mpi("e", {0x03})});
    EXPECT_EQ(st.reason, "public-key algorithm 2 (RSA Encrypt-Only) cannot sign");
    st = key_status_of(static_cast<PubkeyAlgo>(99), {{"opaque", packet::FieldKind::Rest, 0, {1, 2, 3}}});
    EXPECT_EQ(st.reason, "unsupported public-key algorithm 99 (unknown)");
}

TEST(HostileKey, EdwardsPointsOffTheCurveOrWithoutPrefix) {
    Bytes ed_point = uid_self_sig(fixture("ed25519-sha512.pgp")).key.fields.at(1).data;
    auto st =
        key_status_of(PubkeyAlgo::EdDsaLegacy, {sized("oid", {0x2B, 0x06, 0x01, 0x04, 0x01, 0xDA, 0x47, 0x0F, 0x01}),
                           mpi("q", Bytes(ed_point.begin() + 1, ed_point.end()))});
    EXPECT_EQ(st.reason, "EdDSA point lacks the 0x40 prefix");
    // About half of all y have no x; the first few small y values include such points.
    int off = 0;
    for (std::uint8_t y = 2; y < 40; ++y) {
        Bytes raw(32, 0);
        raw[0] = y;
        const auto r = key_status_of(PubkeyAlgo::Ed25519, {{"public", packet::FieldKind::Fixed, 0, raw}});
        if (r.verdict == Verdict::Malformed) {
            EXPECT_EQ(r.reason, "point not on curve");
            ++off;
        } else {
            EXPECT_EQ(r.verdict, Verdict::Good);
        }
    }
    EXPECT_GT(off, 5);
    // y = p is not canonical.
    Bytes p_enc(32, 0xFF);
    p_enc[0] = 0xED;
    p_enc[31] = 0x7F;
    EXPECT_EQ(key_status_of(PubkeyAlgo::Ed25519, {{"public", packet::FieldKind::Fixed, 0, p_enc}}).verdict,
              Verdict::Malformed);
    EXPECT_EQ(key_status_of(PubkeyAlgo::Ed25519, {{"public", packet::FieldKind::Fixed, 0, Bytes(31, 1)}}).reason,
              "Ed25519 point of 31 octets (32 expected)");
}

TEST(HostileKey, LargestAcceptedKeysEndWithBad) {
    // The work a hostile key can ask for is bounded by the limits: a 16384-bit modulus with
    // a 256-bit exponent, and a 16384-bit DSA p with a 512-bit q (p = 2 q m + 1, not prime).
    packet::Signature sig;
    sig.pk_algo = PubkeyAlgo::Rsa;
    sig.hash_algo = HashAlgo::Sha512;
    sig.fields = {mpi("s", odd_bytes(2040, 0x5A))};
    const Bytes digest(64, 0x42);
    packet::Key rsa;
    rsa.algo = PubkeyAlgo::Rsa;
    rsa.fields = {mpi("n", odd_bytes(2048)), mpi("e", odd_bytes(32, 0x9D))};
    CryptoResult r = KeyVerifier(rsa).verify(sig, digest);
    EXPECT_EQ(r.verdict, Verdict::Bad) << r.reason;

    crypto::Rng rng = crypto::Rng::seeded(std::vector<std::uint8_t>(32, 3));
    Bytes q(64), m(1983);
    rng.fill(q);
    rng.fill(m);
    q[0] |= 0x80;
    q.back() |= 1;
    m[0] = 0x01;
    // p = 2 q m + 1 by schoolbook multiplication on octets.
    std::vector<std::uint32_t> acc(q.size() + m.size() + 1, 0);
    for (std::size_t i = 0; i < q.size(); ++i)
        for (std::size_t j = 0; j < m.size(); ++j) acc[i + j + 1] += std::uint32_t{q[i]} * m[j];
    Bytes p(acc.size());
    std::uint32_t carry = 1;  // the "+ 1"
    for (std::size_t k = acc.size(); k-- > 0;) {
        const std::uint64_t v = std::uint64_t{acc[k]} * 2 + carry;
        p[k] = static_cast<std::uint8_t>(v & 0xFF);
        carry = static_cast<std::uint32_t>(v >> 8);
    }
    packet::Key dsa;
    dsa.algo = PubkeyAlgo::Dsa;
    dsa.fields = {mpi("p", p), mpi("q", q), mpi("g", {0x02}), mpi("y", {0x03})};
    ASSERT_LE(dsa.fields[0].mpi_bits, 16384);
    ASSERT_GT(dsa.fields[0].mpi_bits, 16300);
    const KeyVerifier v(dsa);
    ASSERT_EQ(v.key_status().verdict, Verdict::Good) << v.key_status().reason;
    sig.pk_algo = PubkeyAlgo::Dsa;
    sig.fields = {mpi("r", Bytes(63, 0x11)), mpi("s", Bytes(63, 0x22))};
    r = v.verify(sig, digest);
    EXPECT_EQ(r.verdict, Verdict::Bad) << r.reason;
}

TEST(HostileKey, KeyMaterialThatDidNotParse) {
    packet::Key k = uid_self_sig(fixture("rsa2048-sha512.pgp")).key;
    k.fields.assign(1, {"opaque", packet::FieldKind::Rest, 0, {0x08, 0x00, 0x01}});
    k.malformed = Error(Errc::Truncated, 6, "MPI");
    const CryptoResult st = KeyVerifier(k).key_status();
    EXPECT_EQ(st.verdict, Verdict::Malformed);
    EXPECT_NE(st.reason.find("key material did not parse"), std::string::npos) << st.reason;
}

// ---- Hostile signatures ---------------------------------------------------------------------

TEST(HostileSignature, RsaLengthsAndValues) {
    const Signed s = uid_self_sig(fixture("rsa2048-sha512.pgp"));
    const KeyVerifier v(s.key);
    const Bytes n = s.key.fields.at(0).data;
    packet::Signature sig = s.sig;
    Bytes longer = sig.fields.at(0).data;
    longer.insert(longer.begin(), 0x01);
    sig.fields[0] = mpi("s", longer);
    auto r = v.verify(sig, s.digest);
    EXPECT_EQ(r.verdict, Verdict::Bad);
    EXPECT_EQ(r.reason, "RSA signature longer than the modulus");
    sig.fields[0] = mpi("s", n);
    r = v.verify(sig, s.digest);
    EXPECT_EQ(r.verdict, Verdict::Bad);
    EXPECT_EQ(r.reason, "RSA signature not below the modulus");
    // Leading zero octets (a non-minimal MPI) do not matter.
    Bytes padded = s.sig.fields.at(0).data;
    padded.insert(padded.begin(), {0, 0});
    sig.fields[0] = {"s", packet::FieldKind::Mpi, static_cast<std::uint16_t>(padded.size() * 8),
                     padded};
    EXPECT_EQ(v.verify(sig, s.digest).verdict, Verdict::Good);
    sig.fields[0] = {"s", packet::FieldKind::Mpi, 0, {}};
    r = v.verify(sig, s.digest);
    EXPECT_EQ(r.verdict, Verdict::Malformed);
    EXPECT_EQ(r.reason, "zero-length MPI s");
    sig.fields[0] = {"s", packet::FieldKind::Mpi, 2048, Bytes(100, 0x55)};
    r = v.verify(sig, s.digest);
    EXPECT_EQ(r.verdict, Verdict::Malformed);
    EXPECT_EQ(r.reason, "truncated MPI s");
    sig.fields[0] = {"s", packet::FieldKind::Mpi, 8, {0x00}};
    EXPECT_EQ(v.verify(sig, s.digest).reason, "signature value s is zero");
    sig.fields.clear();
    EXPECT_EQ(v.verify(sig, s.digest).reason, "missing field s");
    sig.fields.assign(1, {"opaque", packet::FieldKind::Rest, 0, {1, 2}});
    EXPECT_EQ(v.verify(sig, s.digest).reason, "signature fields did not parse");
}

TEST(HostileSignature, DsaAndEcdsaOutOfRange) {
    for (const char* name : {"dsa2048-sha256.pgp", "nistp384-sha512.pgp"}) {
        const Signed s = uid_self_sig(fixture(name));
        const KeyVerifier v(s.key);
        packet::Signature sig = s.sig;
        sig.fields[0] = mpi("r", Bytes(49, 0x7F));
        EXPECT_EQ(v.verify(sig, s.digest).verdict, Verdict::Bad) << name;
        sig = s.sig;
        sig.fields[1] = mpi("s", Bytes(48, 0xFF));
        EXPECT_EQ(v.verify(sig, s.digest).verdict, Verdict::Bad) << name;
        sig = s.sig;
        sig.fields[1] = {"s", packet::FieldKind::Mpi, 0, {}};
        EXPECT_EQ(v.verify(sig, s.digest).verdict, Verdict::Malformed) << name;
        sig = s.sig;
        std::swap(sig.fields[0].data, sig.fields[1].data);
        EXPECT_EQ(v.verify(sig, s.digest).verdict, Verdict::Bad) << name;
    }
}

TEST(HostileSignature, EdDsaPartsTooLongAndV6SignatureOfTheWrongSize) {
    const Signed s = uid_self_sig(fixture("ed25519-sha512.pgp"));
    packet::Signature sig = s.sig;
    sig.fields[0] = mpi("r", Bytes(33, 0x11));
    const auto r = KeyVerifier(s.key).verify(sig, s.digest);
    EXPECT_EQ(r.verdict, Verdict::Malformed);
    EXPECT_EQ(r.reason, "EdDSA r longer than 32 octets");

    const auto pk = load(test::shared_testdata() + "/rfc9580/A.3.transferable-pubkey-v6.asc");
    const auto* key = pk.at(0).get<packet::Key>();
    const auto* direct = pk.at(1).get<packet::Signature>();
    ASSERT_TRUE(key && direct);
    packet::Signature bad = *direct;
    bad.fields[0].data.pop_back();
    const Bytes d = packet::direct_key_digest(*direct, *key);
    EXPECT_EQ(KeyVerifier(*key).verify(bad, d).reason,
              "Ed25519 signature of 63 octets (64 expected)");
    bad = *direct;
    bad.fields[0].data[63] |= 0xE0;  // s >= 2^253: never a valid scalar
    EXPECT_EQ(KeyVerifier(*key).verify(bad, d).verdict, Verdict::Bad);
}

TEST(HostileSignature, AlgorithmMismatchUnknownHashAndWrongDigestSize) {
    const Signed s = uid_self_sig(fixture("dsa2048-sha256.pgp"));
    const KeyVerifier v(s.key);
    packet::Signature sig = s.sig;
    sig.pk_algo = PubkeyAlgo::Rsa;
    auto r = v.verify(sig, s.digest);
    EXPECT_EQ(r.verdict, Verdict::Malformed);
    EXPECT_EQ(r.reason, "key algorithm 17 cannot check a signature of algorithm 1");
    sig = s.sig;
    sig.hash_algo = static_cast<HashAlgo>(4);
    r = v.verify(sig, s.digest);
    EXPECT_EQ(r.verdict, Verdict::Unsupported);
    EXPECT_EQ(r.reason, "unsupported hash algorithm 4 (unknown)");
    r = v.verify(s.sig, Bytes(s.digest.begin(), s.digest.end() - 1));
    EXPECT_EQ(r.verdict, Verdict::Malformed);
    EXPECT_EQ(r.reason, "digest of 31 octets for SHA-256 (32 expected)");
    EXPECT_EQ(v.verify(s.sig, {}).verdict, Verdict::Malformed);
}

TEST(HostileSignature, RandomFieldsNeverThrowNorVerify) {
    std::mt19937 gen(12345);
    const auto bytes = [&](std::size_t max) {
        Bytes b(gen() % (max + 1));
        for (auto& x : b) x = static_cast<std::uint8_t>(gen());
        return b;
    };
    std::vector<Signed> real;
    for (const char* name : {"rsa2048-sha512.pgp", "dsa2048-sha256.pgp", "nistp256-sha256.pgp",
                             "brainpoolP256r1-sha512.pgp", "ed25519-sha512.pgp"})
        real.push_back(uid_self_sig(fixture(name)));
    for (int i = 0; i < 600; ++i) {
        Signed s = real[static_cast<std::size_t>(i) % real.size()];
        // Damage a random field of the key or of the signature, keeping the MPI framing.
        const bool in_key = gen() % 2;
        packet::AlgoFields& fields = in_key ? s.key.fields : s.sig.fields;
        packet::AlgoField& f = fields[gen() % fields.size()];
        const Bytes fresh = bytes(f.data.size() + 8);
        f = f.kind == packet::FieldKind::Mpi ? mpi(f.name, fresh)
                                             : packet::AlgoField{f.name, f.kind, 0, fresh};
        CryptoResult r;
        EXPECT_NO_THROW(r = KeyVerifier(s.key).verify(s.sig, s.digest));
        EXPECT_NE(r.verdict, Verdict::Good) << i;
        EXPECT_FALSE(r.reason.empty());
    }
}

// ---- Threads, names -------------------------------------------------------------------------

TEST(KeyVerifier, OneObjectFromSeveralThreads) {
    for (const char* name : {"rsa2048-sha512.pgp", "nistp256-sha256.pgp", "dsa2048-sha256.pgp"}) {
        const Signed s = uid_self_sig(fixture(name));
        const KeyVerifier v(s.key);
        const Bytes wrong = flipped(s.digest, 3);
        std::atomic<int> good{0}, bad{0};
        std::vector<std::thread> threads;
        for (int t = 0; t < 4; ++t)
            threads.emplace_back([&] {
                for (int i = 0; i < 25; ++i) {
                    good += v.verify(s.sig, s.digest).verdict == Verdict::Good;
                    bad += v.verify(s.sig, wrong).verdict == Verdict::Bad;
                }
            });
        for (auto& t : threads) t.join();
        EXPECT_EQ(good.load(), 100) << name;
        EXPECT_EQ(bad.load(), 100) << name;
        const KeyVerifier copy = v;  // copies share the decoded key
        EXPECT_EQ(copy.verify(s.sig, s.digest).verdict, Verdict::Good);
    }
}

TEST(Verdict, Names) {
    EXPECT_STREQ(verdict_name(Verdict::Good), "good");
    EXPECT_STREQ(verdict_name(Verdict::Bad), "bad");
    EXPECT_STREQ(verdict_name(Verdict::NoKey), "no-key");
    EXPECT_STREQ(verdict_name(Verdict::Unsupported), "unsupported");
    EXPECT_STREQ(verdict_name(Verdict::Malformed), "malformed");
}

}  // namespace
}  // namespace pgpkit::cert
