#include "crypto/pk.h"

#include <botan/bigint.h>
#include <botan/curve25519.h>
#include <botan/dl_group.h>
#include <botan/dsa.h>
#include <botan/ec_group.h>
#include <botan/ecdsa.h>
#include <botan/ed25519.h>
#include <botan/exceptn.h>
#include <botan/numthry.h>
#include <botan/pubkey.h>
#include <botan/rsa.h>

#include <algorithm>
#include <string>
#include <string_view>

#include "crypto/internal/primes.h"
#include "crypto/internal/botan_names.h"
#include "crypto/internal/secret_conv.h"
#include "base/error.h"

namespace pgpkit::crypto {

namespace {



Integer enc(const Botan::BigInt& x) { return Botan::BigInt::encode(x); }
SecretBytes enc_secret(const Botan::BigInt& x) { return internal::from_botan(Botan::BigInt::encode_locked(x)); }
Botan::BigInt dec(std::span<const std::uint8_t> b) { return Botan::BigInt(b.data(), b.size()); }

Integer strip(std::span<const std::uint8_t> b) {
    std::size_t i = 0;
    while (i < b.size() && b[i] == 0) ++i;
    return Integer(b.begin() + static_cast<std::ptrdiff_t>(i), b.end());
}

/** Splits an IEEE 1363 r||s signature into two integers. */
std::vector<Integer> split_rs(const std::vector<std::uint8_t>& sig) {
    const std::size_t half = sig.size() / 2;
    return {strip({sig.data(), half}), strip({sig.data() + half, half})};
}

std::vector<std::uint8_t> join_rs(const Integer& r, const Integer& s, std::size_t half) {
    std::vector<std::uint8_t> out(2 * half, 0);
    if (r.size() > half || s.size() > half) return {};
    std::copy(r.begin(), r.end(), out.begin() + static_cast<std::ptrdiff_t>(half - r.size()));
    std::copy(s.begin(), s.end(), out.end() - static_cast<std::ptrdiff_t>(s.size()));
    return out;
}

[[noreturn]] void crypto_failure(const char* what, const Botan::Exception& e) {
    throw Error(Errc::Crypto, 0, std::string(what) + ": " + e.what());
}

bool rsa_prime_ok(const Botan::BigInt& p) { return (p - 1) % 65537 != 0; }

Botan::DL_Group dsa_group(const DlKey& k) { return Botan::DL_Group(dec(k.p), dec(k.q), dec(k.g)); }

Botan::EC_Group ec_group(Curve c) {
    const char* name = internal::botan_ec_group_name(c);
    if (!name) throw Error(Errc::Usage, 0, "not a Weierstrass curve");
    return Botan::EC_Group(name);
}

std::size_t order_bytes(Curve c) { return (ec_group(c).get_order_bits() + 7) / 8; }

}  // namespace

unsigned curve_bits(Curve c) noexcept {
    switch (c) {
    case Curve::NistP256: case Curve::BrainpoolP256r1: case Curve::Ed25519: case Curve::Cv25519:
    case Curve::Secp256k1: return 256;
    case Curve::NistP384: case Curve::BrainpoolP384r1: return 384;
    case Curve::NistP521: return 521;
    case Curve::BrainpoolP512r1: return 512;
    }
    return 0;
}

RsaKey generate_rsa(unsigned bits, Rng& rng, ProgressSink* sink) {
    if (bits < 1024 || bits > 16384)
        throw Error(Errc::Usage, 0, "RSA keys need 1024 to 16384 bits, asked for " + std::to_string(bits));
    try {
        const Botan::BigInt e(65537);
        Botan::BigInt p, q;
        do {
            p = internal::random_prime(bits / 2, rng, sink, rsa_prime_ok);
            q = internal::random_prime(bits - bits / 2, rng, sink, rsa_prime_ok);
        } while (p == q || (p * q).bits() != bits);
        if (p > q) std::swap(p, q);
        const Botan::BigInt n = p * q;
        const Botan::BigInt d = Botan::inverse_mod(e, Botan::lcm(p - 1, q - 1));
        RsaKey k;
        k.n = enc(n);
        k.e = enc(e);
        k.d = enc_secret(d);
        k.p = enc_secret(p);
        k.q = enc_secret(q);
        k.u = enc_secret(Botan::inverse_mod(p, q));
        return k;
    } catch (const Botan::Exception& ex) {
        crypto_failure("RSA key generation", ex);
    }
}

DlKey generate_dsa(unsigned bits, Rng& rng, ProgressSink* sink) {
    if (bits < 768 || bits > 3072)
        throw Error(Errc::Usage, 0, "DSA keys need 768 to 3072 bits, asked for " + std::to_string(bits));
    try {
        internal::DsaParams d = internal::dsa_params(bits, rng, sink);
        const Botan::BigInt x = Botan::BigInt::random_integer(rng.backend(), 1, d.q);
        DlKey k;
        k.p = enc(d.p);
        k.q = enc(d.q);
        k.g = enc(d.g);
        k.y = enc(Botan::power_mod(d.g, x, d.p));
        k.x = enc_secret(x);
        return k;
    } catch (const Botan::Exception& ex) {
        crypto_failure("DSA key generation", ex);
    }
}

DlKey generate_elgamal(unsigned bits, Rng& rng, ProgressSink* sink) {
    if (bits < 1024 || bits > 4096)
        throw Error(Errc::Usage, 0, "Elgamal keys need 1024 to 4096 bits, asked for " + std::to_string(bits));
    try {
        internal::ElgamalGroup grp = internal::elgamal_group(bits, rng, sink);
        const Botan::BigInt x = Botan::BigInt::random_integer(rng.backend(), 2, grp.p - 1);
        DlKey k;
        k.p = enc(grp.p);
        k.g = enc(grp.g);
        k.y = enc(Botan::power_mod(grp.g, x, grp.p));
        k.x = enc_secret(x);
        return k;
    } catch (const Botan::Exception& ex) {
        crypto_failure("Elgamal key generation", ex);
    }
}

EcKey generate_ec(Curve curve, Rng& rng) {
    try {
        EcKey k;
        k.curve = curve;
        if (curve == Curve::Ed25519) {
            Botan::secure_vector<std::uint8_t> seed(32);
            rng.fill(seed);
            Botan::Ed25519_PrivateKey key(seed);
            k.point.push_back(0x40);
            const auto& pub = key.get_public_key();
            k.point.insert(k.point.end(), pub.begin(), pub.end());
            k.secret = internal::from_botan(seed);
            return k;
        }
        if (curve == Curve::Cv25519) {
            SecretBytes scalar(32);
            rng.fill(scalar);
            scalar[0] &= 248;
            scalar[31] &= 127;
            scalar[31] |= 64;
            std::uint8_t pub[32];
            Botan::curve25519_basepoint(pub, scalar.data());
            k.point.push_back(0x40);
            k.point.insert(k.point.end(), pub, pub + 32);
            k.secret.assign(scalar.rbegin(), scalar.rend());  // OpenPGP stores it big-endian
            return k;
        }
        Botan::ECDSA_PrivateKey key(rng.backend(), ec_group(curve));
        k.point = key.public_point().encode(Botan::PointGFp::UNCOMPRESSED);
        k.secret = enc_secret(key.private_value());
        return k;
    } catch (const Botan::Exception& ex) {
        crypto_failure("EC key generation", ex);
    }
}

std::vector<Integer> sign_rsa(const RsaKey& k, HashKind hash, std::span<const std::uint8_t> digest, Rng& rng) {
    try {
        Botan::RSA_PrivateKey key(dec(k.p), dec(k.q), dec(k.e), dec(k.d), dec(k.n));
        Botan::PK_Signer signer(key, rng.backend(), std::string("EMSA3(Raw,") + internal::botan_hash_name(hash) + ")");
        return {strip(signer.sign_message(digest.data(), digest.size(), rng.backend()))};
    } catch (const Botan::Exception& ex) {
        crypto_failure("RSA signing", ex);
    }
}

std::vector<Integer> sign_dsa(const DlKey& k, std::span<const std::uint8_t> digest, Rng& rng) {
    try {
        Botan::DSA_PrivateKey key(rng.backend(), dsa_group(k), dec(k.x));
        Botan::PK_Signer signer(key, rng.backend(), "Raw");
        return split_rs(signer.sign_message(digest.data(), digest.size(), rng.backend()));
    } catch (const Botan::Exception& ex) {
        crypto_failure("DSA signing", ex);
    }
}

std::vector<Integer> sign_ecdsa(const EcKey& k, std::span<const std::uint8_t> digest, Rng& rng) {
    try {
        Botan::ECDSA_PrivateKey key(rng.backend(), ec_group(k.curve), dec(k.secret));
        Botan::PK_Signer signer(key, rng.backend(), "Raw");
        return split_rs(signer.sign_message(digest.data(), digest.size(), rng.backend()));
    } catch (const Botan::Exception& ex) {
        crypto_failure("ECDSA signing", ex);
    }
}

std::vector<Integer> sign_eddsa(const EcKey& k, std::span<const std::uint8_t> digest) {
    try {
        Botan::secure_vector<std::uint8_t> seed(32, 0);
        // The seed is stored as an MPI, which may have lost leading zero octets.
        if (k.secret.size() > 32) throw Error(Errc::Crypto, 0, "Ed25519 secret longer than 32 octets");
        std::copy(k.secret.begin(), k.secret.end(), seed.end() - static_cast<std::ptrdiff_t>(k.secret.size()));
        Botan::Ed25519_PrivateKey key(seed);
        Botan::Null_RNG null_rng;
        Botan::PK_Signer signer(key, null_rng, "Pure");
        return split_rs(signer.sign_message(digest.data(), digest.size(), null_rng));
    } catch (const Botan::Exception& ex) {
        crypto_failure("EdDSA signing", ex);
    }
}

bool verify_rsa(const Integer& n, const Integer& e, HashKind hash, std::span<const std::uint8_t> digest,
                const Integer& s) {
    try {
        Botan::RSA_PublicKey key(dec(n), dec(e));
        Botan::PK_Verifier v(key, std::string("EMSA3(Raw,") + internal::botan_hash_name(hash) + ")");
        std::vector<std::uint8_t> sig(n.size(), 0);
        if (s.size() > sig.size()) return false;
        std::copy(s.begin(), s.end(), sig.end() - static_cast<std::ptrdiff_t>(s.size()));
        return v.verify_message(digest.data(), digest.size(), sig.data(), sig.size());
    } catch (const Botan::Exception& ex) {
        crypto_failure("RSA verification", ex);
    }
}

bool verify_dsa(const DlKey& k, std::span<const std::uint8_t> digest, const Integer& r, const Integer& s) {
    try {
        Botan::DSA_PublicKey key(dsa_group(k), dec(k.y));
        Botan::PK_Verifier v(key, "Raw");
        auto sig = join_rs(r, s, k.q.size());
        // Botan verifies only digests up to the size of q; DSA uses the leftmost q bits.
        const std::size_t n = std::min(digest.size(), k.q.size());
        return !sig.empty() && v.verify_message(digest.data(), n, sig.data(), sig.size());
    } catch (const Botan::Exception& ex) {
        crypto_failure("DSA verification", ex);
    }
}

bool verify_ecdsa(const EcKey& k, std::span<const std::uint8_t> digest, const Integer& r, const Integer& s) {
    try {
        Botan::EC_Group grp = ec_group(k.curve);
        Botan::ECDSA_PublicKey key(grp, grp.OS2ECP(k.point));
        Botan::PK_Verifier v(key, "Raw");
        auto sig = join_rs(r, s, order_bytes(k.curve));
        return !sig.empty() && v.verify_message(digest.data(), digest.size(), sig.data(), sig.size());
    } catch (const Botan::Exception& ex) {
        crypto_failure("ECDSA verification", ex);
    }
}

bool verify_eddsa(const EcKey& k, std::span<const std::uint8_t> digest, const Integer& r, const Integer& s) {
    try {
        if (k.point.size() != 33 || k.point[0] != 0x40) return false;
        Botan::Ed25519_PublicKey key(std::vector<std::uint8_t>(k.point.begin() + 1, k.point.end()));
        Botan::PK_Verifier v(key, "Pure");
        auto sig = join_rs(r, s, 32);
        return !sig.empty() && v.verify_message(digest.data(), digest.size(), sig.data(), sig.size());
    } catch (const Botan::Exception& ex) {
        crypto_failure("EdDSA verification", ex);
    }
}


namespace {

Integer from_hex(std::string_view h) {
    Integer out;
    for (std::size_t i = 0; i + 1 < h.size(); i += 2)
        out.push_back(static_cast<std::uint8_t>(std::stoi(std::string(h.substr(i, 2)), nullptr, 16)));
    return strip(out);
}

}  // namespace

CurveDomain curve_domain(Curve c) {
    // The 25519 curves as libgcrypt's ecc-curves.c defines them (twisted Edwards and
    // Montgomery forms), which Botan does not model as EC_Group.
    constexpr std::string_view p25519 = "7FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFED";
    constexpr std::string_view n25519 = "1000000000000000000000000000000014DEF9DEA2F79CD65812631A5CF5D3ED";
    if (c == Curve::Ed25519)
        return {from_hex(p25519), from_hex("01"),
                from_hex("2DFC9311D490018C7338BF8688861767FF8FF5B2BEBE27548A14B235ECA6874A"),
                from_hex("04216936D3CD6E53FEC0A4E231FDD6DC5C692CC7609525A7B2C9562D608F25D51A"
                         "6666666666666666666666666666666666666666666666666666666666666658"),
                from_hex(n25519)};
    if (c == Curve::Cv25519)
        return {from_hex(p25519), from_hex("01DB41"), from_hex("01"),
                from_hex("040000000000000000000000000000000000000000000000000000000000000009"
                         "20AE19A1B8A086B4E01EDD2C7748D14C923D4D7E6D7C61B229E9C5A27ECED3D9"),
                from_hex(n25519)};
    try {
        const Botan::EC_Group grp = ec_group(c);
        return {enc(grp.get_p()), enc(grp.get_a()), enc(grp.get_b()),
                grp.get_base_point().encode(Botan::PointGFp::UNCOMPRESSED), enc(grp.get_order())};
    } catch (const Botan::Exception& e) {
        throw Error(Errc::Crypto, 0, std::string("curve parameters: ") + e.what());
    }
}

}  // namespace pgpkit::crypto

namespace pgpkit::crypto::internal {

const char* botan_ec_group_name(Curve c) noexcept {
    switch (c) {
    case Curve::NistP256: return "secp256r1";
    case Curve::NistP384: return "secp384r1";
    case Curve::NistP521: return "secp521r1";
    case Curve::BrainpoolP256r1: return "brainpool256r1";
    case Curve::BrainpoolP384r1: return "brainpool384r1";
    case Curve::BrainpoolP512r1: return "brainpool512r1";
    case Curve::Secp256k1: return "secp256k1";
    case Curve::Ed25519:
    case Curve::Cv25519: return nullptr;
    }
    return nullptr;
}

}  // namespace pgpkit::crypto::internal
