#include "crypto/verify.h"

#include "crypto/internal/botan_names.h"
#include "crypto/internal/modexp.h"
#include "crypto/pk.h"

#include <botan/bigint.h>
#include <botan/dl_group.h>
#include <botan/dsa.h>
#include <botan/ec_group.h>
#include <botan/ecdsa.h>
#include <botan/exceptn.h>
#include <botan/numthry.h>
#include <botan/pubkey.h>
#include <botan/sodium.h>

#include <algorithm>
#include <array>
#include <exception>
#include <mutex>
#include <string>
#include <vector>

namespace pgpkit::crypto {

namespace {

constexpr std::size_t pool_cap = 16;  // verifiers kept per key; more threads create their own

VerifyResult result(VerifyStatus s, std::string reason) { return {s, std::move(reason)}; }
VerifyResult good() { return {VerifyStatus::Good, {}}; }
VerifyResult bad(std::string r) { return result(VerifyStatus::Bad, std::move(r)); }
VerifyResult malformed(std::string r) { return result(VerifyStatus::Malformed, std::move(r)); }

ByteView strip(ByteView b) noexcept {
    std::size_t i = 0;
    while (i < b.size() && b[i] == 0) ++i;
    return b.subspan(i);
}

Botan::BigInt dec(ByteView b) { return Botan::BigInt(b.data(), b.size()); }

/** Big-endian `v` left-padded to `width` octets; false if it does not fit. */
bool pad_into(ByteView v, std::uint8_t* out, std::size_t width) noexcept {
    v = strip(v);
    if (v.size() > width) return false;
    std::fill(out, out + (width - v.size()), std::uint8_t{0});
    std::copy(v.begin(), v.end(), out + (width - v.size()));
    return true;
}

std::string bits_text(std::size_t bits) { return std::to_string(bits) + " bits"; }

}  // namespace

struct PublicKey::Impl {
    Kind kind = Kind::Invalid;
    VerifyResult problem;
    mutable std::unique_ptr<Botan::Public_Key> key;  // DSA, ECDSA
    Botan::BigInt limit;                     // RSA n, DSA q, EC group order
    Bytes exponent_bytes;                    // RSA e
    // RSA: variable-time Montgomery arithmetic on public values (modexp.h), prepared at
    // the first verification. Botan's RSA verifier is constant time and needs a division
    // to set up, which costs more than the few verifications most keys make.
    mutable std::once_flag rsa_prepared;
    mutable std::unique_ptr<internal::PublicModulus> modulus;
    std::size_t width = 0;                   // octets of `limit`
    Bytes limit_bytes;                       // RSA: n, `width` octets
    std::array<std::uint8_t, 32> ed{};       // Ed25519 point

    mutable std::mutex mutex;
    mutable std::vector<std::unique_ptr<Botan::PK_Verifier>> pool;

    std::unique_ptr<Botan::PK_Verifier> acquire() const {
        {
            std::lock_guard<std::mutex> lock(mutex);
            if (!pool.empty()) {
                auto v = std::move(pool.back());
                pool.pop_back();
                return v;
            }
        }
        return std::make_unique<Botan::PK_Verifier>(*key, "Raw");
    }
    void release(std::unique_ptr<Botan::PK_Verifier> v) const {
        std::lock_guard<std::mutex> lock(mutex);
        if (pool.size() < pool_cap) pool.push_back(std::move(v));
    }
    /** One check through a pooled verifier; a verifier that threw is dropped, not reused. */
    bool check(const std::uint8_t* msg, std::size_t msg_len, const std::uint8_t* sig,
               std::size_t sig_len) const {
        auto v = acquire();
        const bool ok = v->verify_message(msg, msg_len, sig, sig_len);
        release(std::move(v));
        return ok;
    }
};

namespace {

using Impl = PublicKey::Impl;

std::shared_ptr<Impl> failed(VerifyStatus s, std::string reason) {
    auto impl = std::make_shared<Impl>();
    impl->problem = result(s, std::move(reason));
    return impl;
}

std::shared_ptr<Impl> make_rsa(ByteView n_in, ByteView e_in) {
    const ByteView nb = strip(n_in), eb = strip(e_in);
    if (nb.empty()) return failed(VerifyStatus::Malformed, "RSA modulus is zero");
    const Botan::BigInt n = dec(nb), e = dec(eb);
    if (n.bits() > max_rsa_modulus_bits)
        return failed(VerifyStatus::Unsupported,
                      "RSA modulus of " + bits_text(n.bits()) + " (at most " +
                          std::to_string(max_rsa_modulus_bits) + " supported)");
    if (n.is_even()) return failed(VerifyStatus::Malformed, "RSA modulus is even");
    if (e < 3 || e.is_even())
        return failed(VerifyStatus::Malformed, "RSA exponent is even or below 3");
    if (e.bits() > max_rsa_exponent_bits)
        return failed(VerifyStatus::Unsupported,
                      "RSA exponent of " + bits_text(e.bits()) + " (at most " +
                          std::to_string(max_rsa_exponent_bits) + " supported)");
    if (e >= n) return failed(VerifyStatus::Malformed, "RSA exponent not below the modulus");
    auto impl = std::make_shared<Impl>();
    impl->kind = PublicKey::Kind::Rsa;
    impl->exponent_bytes.assign(eb.begin(), eb.end());
    impl->width = nb.size();
    impl->limit = n;
    impl->limit_bytes.assign(nb.begin(), nb.end());
    return impl;
}

std::shared_ptr<Impl> make_dsa(ByteView pb, ByteView qb, ByteView gb, ByteView yb) {
    const Botan::BigInt p = dec(strip(pb)), q = dec(strip(qb)), g = dec(strip(gb)),
                        y = dec(strip(yb));
    if (p.bits() > max_dsa_p_bits)
        return failed(VerifyStatus::Unsupported, "DSA prime p of " + bits_text(p.bits()) +
                                                     " (at most " + std::to_string(max_dsa_p_bits) +
                                                     " supported)");
    if (q.bits() > max_dsa_q_bits)
        return failed(VerifyStatus::Unsupported, "DSA subgroup order q of " + bits_text(q.bits()) +
                                                     " (at most " + std::to_string(max_dsa_q_bits) +
                                                     " supported)");
    if (p < 5 || p.is_even())
        return failed(VerifyStatus::Malformed, "DSA prime p is even or too small");
    if (q < 3 || q.is_even() || q >= p)
        return failed(VerifyStatus::Malformed, "DSA q is even, too small or not below p");
    if ((p - 1) % q != 0) return failed(VerifyStatus::Malformed, "DSA q does not divide p-1");
    if (g <= 1 || g >= p) return failed(VerifyStatus::Malformed, "DSA generator g out of range");
    if (y <= 1 || y >= p) return failed(VerifyStatus::Malformed, "DSA public value y out of range");
    auto impl = std::make_shared<Impl>();
    impl->kind = PublicKey::Kind::Dsa;
    impl->key = std::make_unique<Botan::DSA_PublicKey>(Botan::DL_Group(p, q, g), y);
    impl->width = q.bytes();
    impl->limit = q;
    return impl;
}

std::shared_ptr<Impl> make_ecdsa(Curve curve, ByteView point) {
    const char* name = internal::botan_ec_group_name(curve);
    if (!name)
        return failed(VerifyStatus::Malformed,
                      "ECDSA key on a curve that is not a Weierstrass curve");
    Botan::EC_Group grp(name);
    const std::size_t field = grp.get_p_bytes();
    if (point.empty() || point[0] != 0x04)
        return failed(VerifyStatus::Malformed,
                      "ECDSA point is not SEC1 uncompressed (0x04 || x || y)");
    if (point.size() != 1 + 2 * field)
        return failed(VerifyStatus::Malformed, "ECDSA point of " + std::to_string(point.size()) +
                                                   " octets (" + std::to_string(1 + 2 * field) +
                                                   " expected)");
    Botan::PointGFp pt;
    try {
        pt = grp.OS2ECP(point.data(), point.size());
    } catch (const Botan::Exception&) {
        return failed(VerifyStatus::Malformed, "point not on curve");
    }
    if (pt.is_zero() || !pt.on_the_curve())
        return failed(VerifyStatus::Malformed, "point not on curve");
    auto impl = std::make_shared<Impl>();
    impl->kind = PublicKey::Kind::Ecdsa;
    impl->limit = grp.get_order();
    impl->width = impl->limit.bytes();
    impl->key = std::make_unique<Botan::ECDSA_PublicKey>(grp, pt);
    return impl;
}

/** RFC 8032 section 5.1.3: y < p and (y^2 - 1) / (d y^2 + 1) is a square mod p. */
bool ed25519_on_curve(const std::array<std::uint8_t, 32>& enc) {
    std::array<std::uint8_t, 32> be{};
    std::reverse_copy(enc.begin(), enc.end(), be.begin());
    be[0] &= 0x7F;
    const Botan::BigInt p = (Botan::BigInt::power_of_2(255)) - 19;
    const Botan::BigInt y(be.data(), be.size());
    if (y >= p) return false;
    const Botan::BigInt d = (p - 121665) * Botan::inverse_mod(Botan::BigInt(121666), p) % p;
    const Botan::BigInt y2 = y * y % p;
    const Botan::BigInt u = (y2 + p - 1) % p;
    const Botan::BigInt v = (d * y2 + 1) % p;
    const Botan::BigInt w = u * Botan::inverse_mod(v, p) % p;
    return w.is_zero() || Botan::power_mod(w, (p - 1) >> 1, p) == 1;
}

std::shared_ptr<Impl> make_ed25519(ByteView raw, PublicKey::Kind kind) {
    if (raw.size() != 32)
        return failed(VerifyStatus::Malformed,
                      "Ed25519 point of " + std::to_string(raw.size()) + " octets (32 expected)");
    auto impl = std::make_shared<Impl>();
    std::copy(raw.begin(), raw.end(), impl->ed.begin());
    if (!ed25519_on_curve(impl->ed)) return failed(VerifyStatus::Malformed, "point not on curve");
    impl->kind = kind;
    return impl;
}

}  // namespace

PublicKey::PublicKey(std::shared_ptr<const Impl> impl) noexcept : m_impl(std::move(impl)) {}
PublicKey::~PublicKey() = default;

namespace {
template <typename F>
std::shared_ptr<const Impl> guarded(const char* what, F&& make) {
    try {
        return make();
    } catch (const std::exception& e) {
        return failed(VerifyStatus::Malformed, std::string(what) + ": " + e.what());
    }
}
}  // namespace

PublicKey PublicKey::rsa(ByteView n, ByteView e) {
    return PublicKey(guarded("RSA key", [&] { return make_rsa(n, e); }));
}

PublicKey PublicKey::dsa(ByteView p, ByteView q, ByteView g, ByteView y) {
    return PublicKey(guarded("DSA key", [&] { return make_dsa(p, q, g, y); }));
}

PublicKey PublicKey::ecdsa(Curve curve, ByteView point) {
    return PublicKey(guarded("ECDSA key", [&] { return make_ecdsa(curve, point); }));
}

PublicKey PublicKey::eddsa_legacy(ByteView point) {
    if (point.empty() || point[0] != 0x40)
        return invalid(VerifyStatus::Malformed, "EdDSA point lacks the 0x40 prefix");
    return PublicKey(
        guarded("EdDSA key", [&] { return make_ed25519(point.subspan(1), Kind::EdDsaLegacy); }));
}

PublicKey PublicKey::ed25519(ByteView point) {
    return PublicKey(guarded("Ed25519 key", [&] { return make_ed25519(point, Kind::Ed25519); }));
}

PublicKey PublicKey::invalid(VerifyStatus status, std::string reason) {
    return PublicKey(failed(status, std::move(reason)));
}

namespace {

// DER DigestInfo prefixes, RFC 8017 section 9.2 note 1 (SHA-3: the NIST OIDs
// 2.16.840.1.101.3.4.2.8 and .10 in the same frame).
constexpr std::uint8_t info_md5[] = {0x30, 0x20, 0x30, 0x0C, 0x06, 0x08, 0x2A, 0x86, 0x48,
                                     0x86, 0xF7, 0x0D, 0x02, 0x05, 0x05, 0x00, 0x04, 0x10};
constexpr std::uint8_t info_sha1[] = {0x30, 0x21, 0x30, 0x09, 0x06, 0x05, 0x2B, 0x0E,
                                      0x03, 0x02, 0x1A, 0x05, 0x00, 0x04, 0x14};
constexpr std::uint8_t info_rmd160[] = {0x30, 0x21, 0x30, 0x09, 0x06, 0x05, 0x2B, 0x24,
                                        0x03, 0x02, 0x01, 0x05, 0x00, 0x04, 0x14};
constexpr std::uint8_t info_sha224[] = {0x30, 0x2D, 0x30, 0x0D, 0x06, 0x09, 0x60, 0x86, 0x48, 0x01,
                                        0x65, 0x03, 0x04, 0x02, 0x04, 0x05, 0x00, 0x04, 0x1C};
constexpr std::uint8_t info_sha256[] = {0x30, 0x31, 0x30, 0x0D, 0x06, 0x09, 0x60, 0x86, 0x48, 0x01,
                                        0x65, 0x03, 0x04, 0x02, 0x01, 0x05, 0x00, 0x04, 0x20};
constexpr std::uint8_t info_sha384[] = {0x30, 0x41, 0x30, 0x0D, 0x06, 0x09, 0x60, 0x86, 0x48, 0x01,
                                        0x65, 0x03, 0x04, 0x02, 0x02, 0x05, 0x00, 0x04, 0x30};
constexpr std::uint8_t info_sha512[] = {0x30, 0x51, 0x30, 0x0D, 0x06, 0x09, 0x60, 0x86, 0x48, 0x01,
                                        0x65, 0x03, 0x04, 0x02, 0x03, 0x05, 0x00, 0x04, 0x40};
constexpr std::uint8_t info_sha3_256[] = {0x30, 0x31, 0x30, 0x0D, 0x06, 0x09, 0x60,
                                          0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02,
                                          0x08, 0x05, 0x00, 0x04, 0x20};
constexpr std::uint8_t info_sha3_512[] = {0x30, 0x51, 0x30, 0x0D, 0x06, 0x09, 0x60,
                                          0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02,
                                          0x0A, 0x05, 0x00, 0x04, 0x40};

const char* kind_name(PublicKey::Kind k) noexcept {
    switch (k) {
    case PublicKey::Kind::Rsa: return "RSA";
    case PublicKey::Kind::Dsa: return "DSA";
    case PublicKey::Kind::Ecdsa: return "ECDSA";
    case PublicKey::Kind::EdDsaLegacy: return "EdDSA";
    case PublicKey::Kind::Ed25519: return "Ed25519";
    case PublicKey::Kind::Invalid: break;
    }
    return "invalid";
}

std::size_t parts_expected(PublicKey::Kind k) noexcept {
    return k == PublicKey::Kind::Rsa || k == PublicKey::Kind::Ed25519 ? 1 : 2;
}

VerifyResult check_rsa(const Impl& k, HashKind hash, ByteView digest, ByteView s_in) {
    const ByteView s = strip(s_in);
    if (s.size() > k.width) return bad("RSA signature longer than the modulus");
    const ByteView info = pkcs1_digest_info(hash);
    const std::size_t t = info.size() + digest.size();
    if (k.width < t + 11)
        return bad(std::string("RSA modulus too short for a ") + internal::botan_hash_name(hash) +
                   " DigestInfo");
    std::vector<std::uint8_t> sig(k.width);
    pad_into(s, sig.data(), sig.size());
    if (!std::lexicographical_compare(sig.begin(), sig.end(), k.limit_bytes.begin(),
                                      k.limit_bytes.end()))
        return bad("RSA signature not below the modulus");
    // EMSA-PKCS1-v1_5 (RFC 8017 section 9.2): 0x00 0x01 0xFF.. 0x00 DigestInfo H.
    std::vector<std::uint8_t> em(k.width, 0xFF);
    em[0] = 0x00;
    em[1] = 0x01;
    em[k.width - t - 1] = 0x00;
    std::copy(info.begin(), info.end(), em.end() - static_cast<std::ptrdiff_t>(t));
    std::copy(digest.begin(), digest.end(), em.end() - static_cast<std::ptrdiff_t>(digest.size()));
    std::call_once(k.rsa_prepared, [&k] { k.modulus = std::make_unique<internal::PublicModulus>(k.limit_bytes); });
    const Bytes m = k.modulus->power(sig, k.exponent_bytes);
    return std::equal(m.begin(), m.end(), em.begin(), em.end()) ? good() : bad("RSA signature does not verify");
}

/** DSA and ECDSA: r || s of the order's width, the digest cut to the order's octets. */
VerifyResult check_dl(const Impl& k, ByteView digest, ByteView r, ByteView s) {
    const char* what = kind_name(k.kind);
    std::vector<std::uint8_t> sig(2 * k.width);
    if (!pad_into(r, sig.data(), k.width)) return bad(std::string(what) + " r out of range");
    if (!pad_into(s, sig.data() + k.width, k.width))
        return bad(std::string(what) + " s out of range");
    const std::size_t n = std::min(digest.size(), k.width);
    return k.check(digest.data(), n, sig.data(), sig.size())
               ? good()
               : bad(std::string(what) + " signature does not verify");
}

VerifyResult check_ed25519(const Impl& k, ByteView digest, std::span<const ByteView> parts) {
    std::array<std::uint8_t, 64> sig{};
    if (parts.size() == 1) {
        if (parts[0].size() != 64)
            return malformed("Ed25519 signature of " + std::to_string(parts[0].size()) +
                             " octets (64 expected)");
        std::copy(parts[0].begin(), parts[0].end(), sig.begin());
    } else {
        if (!pad_into(parts[0], sig.data(), 32)) return malformed("EdDSA r longer than 32 octets");
        if (!pad_into(parts[1], sig.data() + 32, 32))
            return malformed("EdDSA s longer than 32 octets");
    }
    // Botan 2.19 exports its Ed25519 core only through the libsodium-compatible API.
    const bool ok = Botan::Sodium::crypto_sign_ed25519_verify_detached(
                        sig.data(), digest.data(), digest.size(), k.ed.data()) == 0;
    return ok ? good() : bad(std::string(kind_name(k.kind)) + " signature does not verify");
}

VerifyResult check_parts(const Impl& k, std::span<const ByteView> parts) {
    const std::size_t want = parts_expected(k.kind);
    if (parts.size() != want)
        return malformed(std::string(kind_name(k.kind)) + " signature of " +
                         std::to_string(parts.size()) + " parts (" + std::to_string(want) +
                         " expected)");
    if (k.kind == PublicKey::Kind::Ed25519) return good();
    static constexpr const char* names[] = {"r", "s"};
    for (std::size_t i = 0; i < parts.size(); ++i) {
        const char* name = want == 1 ? "s" : names[i];
        if (parts[i].empty()) return malformed(std::string("zero-length MPI ") + name);
        if (strip(parts[i]).empty())
            return malformed(std::string("signature value ") + name + " is zero");
    }
    return good();
}

}  // namespace

ByteView pkcs1_digest_info(HashKind hash) noexcept {
    switch (hash) {
    case HashKind::Md5: return info_md5;
    case HashKind::Sha1: return info_sha1;
    case HashKind::Ripemd160: return info_rmd160;
    case HashKind::Sha224: return info_sha224;
    case HashKind::Sha256: return info_sha256;
    case HashKind::Sha384: return info_sha384;
    case HashKind::Sha512: return info_sha512;
    case HashKind::Sha3_256: return info_sha3_256;
    case HashKind::Sha3_512: return info_sha3_512;
    }
    return {};
}

VerifyResult PublicKey::verify(HashKind hash, ByteView digest,
                               std::span<const ByteView> parts) const {
    const Impl& k = *m_impl;
    if (k.kind == Kind::Invalid) return k.problem;
    try {
        if (digest.size() != hash_size(hash))
            return malformed("digest of " + std::to_string(digest.size()) + " octets for " +
                             internal::botan_hash_name(hash) + " (" +
                             std::to_string(hash_size(hash)) + " expected)");
        VerifyResult shape = check_parts(k, parts);
        if (shape.status != VerifyStatus::Good) return shape;
        switch (k.kind) {
        case Kind::Rsa: return check_rsa(k, hash, digest, parts[0]);
        case Kind::Dsa:
        case Kind::Ecdsa: return check_dl(k, digest, parts[0], parts[1]);
        case Kind::EdDsaLegacy:
        case Kind::Ed25519: return check_ed25519(k, digest, parts);
        case Kind::Invalid: break;
        }
        return k.problem;
    } catch (const std::exception& e) {
        return malformed(std::string(kind_name(k.kind)) + " verification failed: " + e.what());
    }
}

PublicKey::Kind PublicKey::kind() const noexcept { return m_impl->kind; }
bool PublicKey::usable() const noexcept { return m_impl->kind != Kind::Invalid; }
const VerifyResult& PublicKey::problem() const noexcept { return m_impl->problem; }

}  // namespace pgpkit::crypto
