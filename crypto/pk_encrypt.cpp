#include "crypto/pk_encrypt.h"

#include <botan/bigint.h>
#include <botan/curve25519.h>
#include <botan/dl_group.h>
#include <botan/ec_group.h>
#include <botan/ecdh.h>
#include <botan/elgamal.h>
#include <botan/exceptn.h>
#include <botan/pubkey.h>
#include <botan/rsa.h>

#include <algorithm>
#include <string>

#include "base/error.h"
#include "crypto/internal/botan_names.h"
#include "crypto/internal/secret_conv.h"

namespace pgpkit::crypto {

namespace {

Botan::BigInt dec(std::span<const std::uint8_t> b) { return Botan::BigInt(b.data(), b.size()); }

Integer strip(std::span<const std::uint8_t> b) {
    std::size_t i = 0;
    while (i < b.size() && b[i] == 0) ++i;
    return Integer(b.begin() + static_cast<std::ptrdiff_t>(i), b.end());
}

/** `v` left-padded with zeros to `len` octets (empty if it is longer). */
std::vector<std::uint8_t> pad_to(const Integer& v, std::size_t len) {
    const Integer s = strip(v);
    if (s.size() > len) return {};
    std::vector<std::uint8_t> out(len - s.size(), 0);
    out.insert(out.end(), s.begin(), s.end());
    return out;
}

[[noreturn]] void failure(const char* what, const Botan::Exception& e) {
    throw Error(Errc::Crypto, 0, std::string(what) + ": " + e.what());
}

Botan::EC_Group group_of(Curve c) {
    const char* name = internal::botan_ec_group_name(c);
    if (!name) throw Error(Errc::Crypto, 0, "no ECDH on this curve");
    return Botan::EC_Group(name);
}

std::span<const std::uint8_t> native_x25519(const Integer& point) {
    if (point.size() != 33 || point[0] != 0x40) throw Error(Errc::Crypto, 0, "Cv25519 point without its 0x40 prefix");
    return {point.data() + 1, 32};
}

}  // namespace

Integer encrypt_rsa(const Integer& n, const Integer& e, std::span<const std::uint8_t> m, Rng& rng) {
    try {
        const Botan::RSA_PublicKey key(dec(n), dec(e));
        Botan::PK_Encryptor_EME enc(key, rng.backend(), "PKCS1v15");
        return strip(enc.encrypt(m.data(), m.size(), rng.backend()));
    } catch (const Botan::Exception& ex) {
        failure("RSA encryption", ex);
    }
}

std::optional<SecretBytes> decrypt_rsa(const RsaKey& k, const Integer& c) {
    Rng rng = Rng::system();
    try {
        const Botan::RSA_PrivateKey key(dec(k.p), dec(k.q), dec(k.e), dec(k.d), dec(k.n));
        Botan::PK_Decryptor_EME dec_op(key, rng.backend(), "PKCS1v15");
        const auto padded = pad_to(c, (key.get_n().bits() + 7) / 8);
        if (padded.empty()) return std::nullopt;
        return internal::from_botan(dec_op.decrypt(padded.data(), padded.size()));
    } catch (const Botan::Decoding_Error&) {
        return std::nullopt;
    } catch (const Botan::Exception& ex) {
        failure("RSA decryption", ex);
    }
}

ElgamalCiphertext encrypt_elgamal(const DlKey& k, std::span<const std::uint8_t> m, Rng& rng) {
    try {
        const Botan::DL_Group grp(dec(k.p), dec(k.g));
        const Botan::ElGamal_PublicKey key(grp, dec(k.y));
        Botan::PK_Encryptor_EME enc(key, rng.backend(), "PKCS1v15");
        const auto out = enc.encrypt(m.data(), m.size(), rng.backend());
        const std::size_t half = out.size() / 2;
        return {strip({out.data(), half}), strip({out.data() + half, half})};
    } catch (const Botan::Exception& ex) {
        failure("Elgamal encryption", ex);
    }
}

std::optional<SecretBytes> decrypt_elgamal(const DlKey& k, const Integer& a, const Integer& b) {
    Rng rng = Rng::system();
    try {
        const Botan::DL_Group grp(dec(k.p), dec(k.g));
        const Botan::ElGamal_PrivateKey key(rng.backend(), grp, dec(k.x));
        Botan::PK_Decryptor_EME dec_op(key, rng.backend(), "PKCS1v15");
        const std::size_t plen = (grp.get_p().bits() + 7) / 8;
        std::vector<std::uint8_t> ct = pad_to(a, plen);
        const std::vector<std::uint8_t> pb = pad_to(b, plen);
        if (ct.empty() || pb.empty()) return std::nullopt;
        ct.insert(ct.end(), pb.begin(), pb.end());
        return internal::from_botan(dec_op.decrypt(ct.data(), ct.size()));
    } catch (const Botan::Decoding_Error&) {
        return std::nullopt;
    } catch (const Botan::Invalid_Argument&) {
        return std::nullopt;
    } catch (const Botan::Exception& ex) {
        failure("Elgamal decryption", ex);
    }
}

Agreement x25519_agree(std::span<const std::uint8_t> point, Rng& rng) {
    if (point.size() != 32) throw Error(Errc::Crypto, 0, "X25519 public key of " + std::to_string(point.size()) + " octets");
    SecretBytes eph(32);
    rng.fill(eph);
    Agreement a;
    a.ephemeral = x25519_public(eph);
    a.shared = x25519_shared(eph, point);
    return a;
}

SecretBytes x25519_shared(std::span<const std::uint8_t> secret, std::span<const std::uint8_t> ephemeral) {
    if (secret.size() != 32 || ephemeral.size() != 32) throw Error(Errc::Crypto, 0, "X25519 value of the wrong size");
    SecretBytes out(32);
    Botan::curve25519_donna(out.data(), secret.data(), ephemeral.data());
    if (std::all_of(out.begin(), out.end(), [](std::uint8_t b) { return b == 0; }))
        throw Error(Errc::Crypto, 0, "X25519 shared secret is zero (bad ephemeral key)");
    return out;
}

Integer x25519_public(std::span<const std::uint8_t> secret) {
    if (secret.size() != 32) throw Error(Errc::Crypto, 0, "X25519 secret of the wrong size");
    Integer pub(32);
    Botan::curve25519_basepoint(pub.data(), secret.data());
    return pub;
}

Agreement ecdh_agree(Curve curve, const Integer& point, Rng& rng) {
    if (curve == Curve::Cv25519) {
        Agreement a = x25519_agree(native_x25519(point), rng);
        a.ephemeral.insert(a.ephemeral.begin(), 0x40);
        return a;
    }
    try {
        const Botan::EC_Group grp = group_of(curve);
        const Botan::PointGFp pt = grp.OS2ECP(point.data(), point.size());
        if (!pt.on_the_curve() || pt.is_zero()) throw Error(Errc::Crypto, 0, "ECDH point not on the curve");
        const Botan::ECDH_PrivateKey eph(rng.backend(), grp);
        Botan::PK_Key_Agreement ka(eph, rng.backend(), "Raw");
        Agreement a;
        a.shared = internal::from_botan(ka.derive_key(0, point.data(), point.size()).bits_of());
        a.ephemeral = eph.public_point().encode(Botan::PointGFp::UNCOMPRESSED);
        return a;
    } catch (const Botan::Exception& ex) {
        failure("ECDH", ex);
    }
}

SecretBytes ecdh_shared(const EcKey& k, const Integer& ephemeral) {
    if (k.curve == Curve::Cv25519) {
        if (k.secret.size() > 32) throw Error(Errc::Crypto, 0, "Cv25519 secret longer than 32 octets");
        SecretBytes native(32, 0);  // OpenPGP stores the scalar big-endian
        std::copy(k.secret.rbegin(), k.secret.rend(), native.begin());
        return x25519_shared(native, native_x25519(ephemeral));
    }
    Rng rng = Rng::system();
    try {
        const Botan::EC_Group grp = group_of(k.curve);
        const Botan::ECDH_PrivateKey key(rng.backend(), grp, dec(k.secret));
        Botan::PK_Key_Agreement ka(key, rng.backend(), "Raw");
        return internal::from_botan(ka.derive_key(0, ephemeral.data(), ephemeral.size()).bits_of());
    } catch (const Botan::Exception& ex) {
        failure("ECDH", ex);
    }
}

}  // namespace pgpkit::crypto
