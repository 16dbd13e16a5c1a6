#include "keygen/keygrip.h"

#include <algorithm>
#include <exception>
#include <string>

#include "crypto/hash.h"
#include "crypto/pk.h"
#include "keygen/material.h"
#include "packet/parser.h"

namespace pgpkit::keygen {

namespace {

/** "(1:<name><len>:<zero?><value>)" as libgcrypt hashes one S-expression part. */
void hash_part(crypto::Hasher& h, char name, ByteView value, bool sign_zero) {
    const bool zero = sign_zero && !value.empty() && (value[0] & 0x80);
    const std::string head = std::string("(1:") + name + std::to_string(value.size() + (zero ? 1 : 0)) + ":";
    h.update(as_bytes(head));
    if (zero) h.update(0x00);
    h.update(value);
    h.update(static_cast<std::uint8_t>(')'));
}

std::optional<crypto::Curve> curve_of(ByteView oid) {
    for (auto c : {crypto::Curve::NistP256, crypto::Curve::NistP384, crypto::Curve::NistP521,
                   crypto::Curve::BrainpoolP256r1, crypto::Curve::BrainpoolP384r1, crypto::Curve::BrainpoolP512r1,
                   crypto::Curve::Secp256k1, crypto::Curve::Ed25519, crypto::Curve::Cv25519}) {
        const auto o = curve_oid(c);
        if (o.size() == oid.size() && std::equal(o.begin(), o.end(), oid.begin())) return c;
    }
    return std::nullopt;
}

void hash_ecc(crypto::Hasher& h, crypto::Curve c, ByteView q) {
    const crypto::CurveDomain d = crypto::curve_domain(c);
    hash_part(h, 'p', d.p, false);
    hash_part(h, 'a', d.a, false);
    hash_part(h, 'b', d.b, false);
    hash_part(h, 'g', d.g, false);
    hash_part(h, 'n', d.n, false);
    if (!q.empty() && q[0] == 0x40) q = q.subspan(1);  // libgcrypt hashes the native encoding
    hash_part(h, 'q', q, false);
}

}  // namespace

std::optional<Keygrip> keygrip(const packet::Key& key) {
    const auto& f = key.fields;
    auto mpis = [&](std::size_t n) {
        if (f.size() < n) return false;
        for (std::size_t i = 0; i < n; ++i)
            if (f[i].kind != packet::FieldKind::Mpi) return false;
        return true;
    };
    crypto::Hasher h(crypto::HashKind::Sha1);
    using packet::PubkeyAlgo;
    switch (key.algo) {
    case PubkeyAlgo::Rsa:
    case PubkeyAlgo::RsaEncryptOnly:
    case PubkeyAlgo::RsaSignOnly:
        if (!mpis(2)) return std::nullopt;
        h.update(0x00);  // libgcrypt hashes n as a signed S-expression value: top bit always set
        h.update(f[0].data);
        break;
    case PubkeyAlgo::Dsa:
        if (!mpis(4)) return std::nullopt;
        hash_part(h, 'p', f[0].data, true);
        hash_part(h, 'q', f[1].data, true);
        hash_part(h, 'g', f[2].data, true);
        hash_part(h, 'y', f[3].data, true);
        break;
    case PubkeyAlgo::Elgamal:
    case PubkeyAlgo::ElgamalSignEncrypt:
        if (!mpis(3)) return std::nullopt;
        hash_part(h, 'p', f[0].data, true);
        hash_part(h, 'g', f[1].data, true);
        hash_part(h, 'y', f[2].data, true);
        break;
    case PubkeyAlgo::Ecdh:
    case PubkeyAlgo::Ecdsa:
    case PubkeyAlgo::EdDsaLegacy: {
        if (f.size() < 2 || f[0].kind != packet::FieldKind::Sized8 || f[1].kind != packet::FieldKind::Mpi)
            return std::nullopt;
        const auto c = curve_of(f[0].data);
        if (!c) return std::nullopt;
        hash_ecc(h, *c, f[1].data);
        break;
    }
    case PubkeyAlgo::X25519:
    case PubkeyAlgo::Ed25519:
        if (f.empty() || f[0].kind != packet::FieldKind::Fixed) return std::nullopt;
        hash_ecc(h, key.algo == PubkeyAlgo::Ed25519 ? crypto::Curve::Ed25519 : crypto::Curve::Cv25519, f[0].data);
        break;
    default: return std::nullopt;
    }
    const Bytes d = h.final();
    Keygrip g{};
    std::copy(d.begin(), d.end(), g.begin());
    return g;
}

std::optional<FoundKey> find_secret_key(const Keygrip& grip, const std::vector<const KeyringFile*>& files) {
    for (const KeyringFile* file : files) {
        std::vector<packet::Packet> packets;
        try {
            packets = packet::parse_all(file->data);
        } catch (const std::exception&) {
            continue;  // not a keyring: it cannot hold the key
        }
        for (const packet::Packet& p : packets) {
            if (p.tag() != packet::Tag::SecretKey && p.tag() != packet::Tag::SecretSubkey) continue;
            const auto* k = p.get<packet::Key>();
            if (!k || !k->secret) continue;
            if (keygrip(*k) == grip) return FoundKey{*k, file->name, p.tag()};
        }
    }
    return std::nullopt;
}

}  // namespace pgpkit::keygen
