#include "crypto/key_check.h"

#include "crypto/internal/botan_names.h"
#include "crypto/internal/secret_conv.h"

#include <botan/bigint.h>
#include <botan/curve25519.h>
#include <botan/ec_group.h>
#include <botan/ed25519.h>
#include <botan/exceptn.h>
#include <botan/numthry.h>

#include <algorithm>
#include <array>

namespace pgpkit::crypto {

namespace {

Botan::BigInt big(std::span<const std::uint8_t> v) { return Botan::BigInt(v.data(), v.size()); }

/** The 32 octets of a secret stored as an MPI (leading zeros may have been dropped). */
bool pad32(const SecretBytes& in, SecretBytes& out) {
    if (in.size() > 32) return false;
    out.assign(32 - in.size(), 0);
    out.insert(out.end(), in.begin(), in.end());
    return true;
}

bool ec25519_matches(const EcKey& k) {
    if (k.point.size() != 33 || k.point[0] != 0x40) return false;
    SecretBytes s;
    if (!pad32(k.secret, s)) return false;
    if (k.curve == Curve::Ed25519) {
        Botan::Ed25519_PrivateKey key(internal::to_botan(s));
        const std::vector<std::uint8_t>& pub = key.get_public_key();
        return std::equal(pub.begin(), pub.end(), k.point.begin() + 1, k.point.end());
    }
    std::reverse(s.begin(), s.end());  // OpenPGP v4 stores the X25519 scalar big-endian
    std::array<std::uint8_t, 32> pub{};
    Botan::curve25519_basepoint(pub.data(), s.data());
    return std::equal(pub.begin(), pub.end(), k.point.begin() + 1, k.point.end());
}

}  // namespace

bool secret_matches_public(const RsaKey& k) {
    try {
        const Botan::BigInt n = big(k.n), e = big(k.e), d = big(k.d), p = big(k.p), q = big(k.q);
        if (p <= 1 || q <= 1 || n != p * q) return false;
        return (d * e) % (p - 1) == 1 && (d * e) % (q - 1) == 1;
    } catch (const Botan::Exception&) {
        return false;
    }
}

bool secret_matches_public(const DlKey& k) {
    try {
        const Botan::BigInt p = big(k.p), g = big(k.g), y = big(k.y), x = big(k.x);
        if (p <= 2 || x <= 0 || x >= p) return false;
        return Botan::power_mod(g, x, p) == y;
    } catch (const Botan::Exception&) {
        return false;
    }
}

bool secret_matches_public(const EcKey& k) {
    try {
        if (k.curve == Curve::Ed25519 || k.curve == Curve::Cv25519) return ec25519_matches(k);
        const char* name = internal::botan_ec_group_name(k.curve);
        if (!name) return false;
        const Botan::EC_Group grp(name);
        const Botan::BigInt x = big(k.secret);
        if (x <= 0 || x >= grp.get_order()) return false;
        const Botan::PointGFp pub = grp.get_base_point() * x;
        return pub.encode(Botan::PointGFp::UNCOMPRESSED) == k.point;
    } catch (const Botan::Exception&) {
        return false;
    }
}

}  // namespace pgpkit::crypto
