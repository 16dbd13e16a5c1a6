#pragma once
// Checks shared by the key-generation tests: verify a self-signature with the crypto/
// primitives (RSA, DSA, ECDSA, legacy EdDSA; v4 and v5 keys), and sort a parsed key into
// its keys, signatures and user ID.

#include <gtest/gtest.h>

#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "cert/secret_key.h"
#include "crypto/pk.h"
#include "base/secret.h"
#include "crypto/rng.h"
#include "keygen/generate.h"
#include "keygen/params.h"
#include "keygen/material.h"
#include "packet/packet.h"
#include "packet/sig_hash.h"

namespace pgpkit::keygen::checks {

/** A passphrase in the wiping type cert::unprotect takes. */
inline SecretBytes secret(std::string_view s) { return SecretBytes(s.begin(), s.end()); }

inline std::optional<crypto::Curve> curve_from(const packet::Key& k) {
    for (auto c : {crypto::Curve::NistP256, crypto::Curve::NistP384, crypto::Curve::NistP521,
                   crypto::Curve::BrainpoolP256r1, crypto::Curve::BrainpoolP384r1, crypto::Curve::BrainpoolP512r1,
                   crypto::Curve::Ed25519, crypto::Curve::Cv25519})
        if (k.fields.at(0).data == curve_oid(c)) return c;
    return std::nullopt;
}

inline bool verify(const packet::Key& k, const packet::Signature& s, const Bytes& digest) {
    const auto& f = k.fields;
    if (s.left16[0] != digest.at(0) || s.left16[1] != digest.at(1)) return false;
    switch (k.algo) {
    case packet::PubkeyAlgo::Rsa:
        return crypto::verify_rsa(f[0].data, f[1].data, *packet::hash_kind(s.hash_algo), digest, s.fields.at(0).data);
    case packet::PubkeyAlgo::Dsa: {
        crypto::DlKey d;
        d.p = f[0].data, d.q = f[1].data, d.g = f[2].data, d.y = f[3].data;
        return crypto::verify_dsa(d, digest, s.fields.at(0).data, s.fields.at(1).data);
    }
    case packet::PubkeyAlgo::Ecdsa:
    case packet::PubkeyAlgo::EdDsaLegacy: {
        crypto::EcKey e;
        e.curve = *curve_from(k);
        e.point = f[1].data;
        return k.algo == packet::PubkeyAlgo::Ecdsa
                   ? crypto::verify_ecdsa(e, digest, s.fields.at(0).data, s.fields.at(1).data)
                   : crypto::verify_eddsa(e, digest, s.fields.at(0).data, s.fields.at(1).data);
    }
    default: return false;
    }
}

struct Parts {
    std::vector<packet::Key> keys;
    std::vector<packet::Signature> sigs;
    std::vector<packet::Tag> tags;
    Bytes uid;
};

inline Parts split_packets(const std::vector<packet::Packet>& pk) {
    Parts p;
    for (const auto& x : pk) {
        p.tags.push_back(x.tag());
        if (const auto* k = x.get<packet::Key>()) p.keys.push_back(*k);
        if (const auto* s = x.get<packet::Signature>()) p.sigs.push_back(*s);
        if (const auto* u = x.get<packet::UserId>()) p.uid = u->data;
    }
    return p;
}

/**
 * Generates the last block of parameter text `text` (named `file` in errors) from a
 * seed of 32 octets `seed_fill`, created at 2026-01-01; `o` sets the protection costs.
 */
inline GeneratedKey generate_seeded(const std::string& text, const std::string& file,
                                    std::uint8_t seed_fill, GenerateOptions o) {
    KeyBlock b;
    for (const Item& i : parse_params(text, file))
        if (const auto* k = std::get_if<KeyBlock>(&i)) b = *k;
    EXPECT_FALSE(b.error) << *b.error;
    crypto::Rng rng = crypto::Rng::seeded(std::vector<std::uint8_t>(32, seed_fill));
    o.now = 1767225600;
    return generate_key(b, rng, nullptr, o);
}

}  // namespace pgpkit::keygen::checks
