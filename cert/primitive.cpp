#include "cert/primitive.h"

#include <algorithm>
#include <array>
#include <exception>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "crypto/pk.h"
#include "packet/names.h"
#include "packet/sig_hash.h"

namespace pgpkit::cert {

namespace {

using crypto::PublicKey;
using crypto::VerifyStatus;

/** What an OID names, for the signing algorithms (RFC 9580 section 9.2, GnuPG's aliases). */
enum class OidKind : std::uint8_t { Weierstrass, Ed25519, Ed448, Montgomery };

struct CurveOid {
    OidKind kind;
    crypto::Curve curve;
    const char* name;
    std::uint8_t len;
    std::array<std::uint8_t, 10> oid;
};

using K = OidKind;
using C = crypto::Curve;
// clang-format off
constexpr std::array<CurveOid, 13> curve_oids{{
    {K::Weierstrass, C::NistP256, "nistp256", 8, {0x2A, 0x86, 0x48, 0xCE, 0x3D, 0x03, 0x01, 0x07}},
    {K::Weierstrass, C::NistP384, "nistp384", 5, {0x2B, 0x81, 0x04, 0x00, 0x22}},
    {K::Weierstrass, C::NistP521, "nistp521", 5, {0x2B, 0x81, 0x04, 0x00, 0x23}},
    {K::Weierstrass, C::BrainpoolP256r1, "brainpoolP256r1", 9,
     {0x2B, 0x24, 0x03, 0x03, 0x02, 0x08, 0x01, 0x01, 0x07}},
    {K::Weierstrass, C::BrainpoolP384r1, "brainpoolP384r1", 9,
     {0x2B, 0x24, 0x03, 0x03, 0x02, 0x08, 0x01, 0x01, 0x0B}},
    {K::Weierstrass, C::BrainpoolP512r1, "brainpoolP512r1", 9,
     {0x2B, 0x24, 0x03, 0x03, 0x02, 0x08, 0x01, 0x01, 0x0D}},
    {K::Weierstrass, C::Secp256k1, "secp256k1", 5, {0x2B, 0x81, 0x04, 0x00, 0x0A}},
    {K::Ed25519, C::Ed25519, "ed25519", 9, {0x2B, 0x06, 0x01, 0x04, 0x01, 0xDA, 0x47, 0x0F, 0x01}},
    {K::Ed25519, C::Ed25519, "ed25519", 3, {0x2B, 0x65, 0x70}},         // RFC 8410 id-Ed25519
    {K::Ed448, C::Ed25519, "ed448", 3, {0x2B, 0x65, 0x71}},             // curve unused
    {K::Montgomery, C::Cv25519, "cv25519", 10,
     {0x2B, 0x06, 0x01, 0x04, 0x01, 0x97, 0x55, 0x01, 0x05, 0x01}},
    {K::Montgomery, C::Cv25519, "cv25519", 3, {0x2B, 0x65, 0x6E}},
    {K::Montgomery, C::Cv25519, "x448", 3, {0x2B, 0x65, 0x6F}},         // curve unused
}};
// clang-format on

const CurveOid* find_curve(ByteView oid) noexcept {
    for (const CurveOid& c : curve_oids)
        if (c.len == oid.size() && std::equal(oid.begin(), oid.end(), c.oid.begin())) return &c;
    return nullptr;
}

std::string algo_text(packet::PubkeyAlgo algo) {
    return std::to_string(static_cast<unsigned>(algo)) + " (" + packet::pubkey_algo_name(algo) + ")";
}

/** A key that answers every check with `reason`. */
PublicKey reject(VerifyStatus s, std::string reason) {
    return PublicKey::invalid(s, std::move(reason));
}

/** The field `name`, checked: present, of `kind`, and as long as its MPI bit count says. */
struct FieldLookup {
    const packet::AlgoFields& fields;
    std::string problem;

    std::optional<ByteView> get(std::string_view name, packet::FieldKind kind) {
        for (const packet::AlgoField& f : fields) {
            if (f.name != name) continue;
            if (f.kind != kind) break;
            if (kind == packet::FieldKind::Mpi &&
                f.data.size() != (std::size_t{f.mpi_bits} + 7) / 8) {
                problem = "truncated MPI " + std::string(name);
                return std::nullopt;
            }
            return ByteView(f.data);
        }
        problem = "missing field " + std::string(name);
        return std::nullopt;
    }
};

PublicKey decode_ec(packet::PubkeyAlgo algo, FieldLookup& in) {
    auto oid = in.get("oid", packet::FieldKind::Sized8);
    auto q = in.get("q", packet::FieldKind::Mpi);
    if (!oid || !q) return reject(VerifyStatus::Malformed, in.problem);
    const CurveOid* c = find_curve(*oid);
    const std::string dotted = packet::oid_to_dotted(oid->data(), oid->size());
    if (!c)
        return reject(VerifyStatus::Unsupported,
                      "unsupported curve " + (dotted.empty() ? "(empty OID)" : dotted));
    if (c->kind == OidKind::Ed448)
        return reject(VerifyStatus::Unsupported, "unsupported curve " + dotted + " (Ed448)");
    if (algo == packet::PubkeyAlgo::Ecdsa) {
        if (c->kind != OidKind::Weierstrass)
            return reject(VerifyStatus::Malformed, std::string("ECDSA key on curve ") + c->name);
        return PublicKey::ecdsa(c->curve, *q);
    }
    if (c->kind != OidKind::Ed25519)
        return reject(VerifyStatus::Malformed, std::string("EdDSA key on curve ") + c->name);
    return PublicKey::eddsa_legacy(*q);
}

PublicKey decode_key(const packet::Key& key) {
    using packet::PubkeyAlgo;
    const PubkeyAlgo algo = key.algo;
    FieldLookup in{key.fields, {}};
    const bool opaque = !key.fields.empty() && key.fields.front().kind == packet::FieldKind::Rest;
    switch (algo) {
    case PubkeyAlgo::RsaEncryptOnly:
    case PubkeyAlgo::Ecdh:
    case PubkeyAlgo::X25519:
    case PubkeyAlgo::X448:
        return reject(VerifyStatus::Unsupported,
                      "public-key algorithm " + algo_text(algo) + " cannot sign");
    case PubkeyAlgo::Elgamal:
    case PubkeyAlgo::ElgamalSignEncrypt:
    case PubkeyAlgo::Ed448:
        return reject(VerifyStatus::Unsupported,
                      "unsupported public-key algorithm " + algo_text(algo));
    case PubkeyAlgo::Rsa:
    case PubkeyAlgo::RsaSignOnly:
    case PubkeyAlgo::Dsa:
    case PubkeyAlgo::Ecdsa:
    case PubkeyAlgo::EdDsaLegacy:
    case PubkeyAlgo::Ed25519: break;
    default:
        return reject(VerifyStatus::Unsupported,
                      "unsupported public-key algorithm " + algo_text(algo));
    }
    // key.malformed alone may be about the secret part; the public fields are then intact.
    if (opaque)
        return reject(VerifyStatus::Malformed,
                      "key material did not parse" +
                          (key.malformed ? ": " + std::string(key.malformed->what()) : ""));
    switch (algo) {
    case PubkeyAlgo::Rsa:
    case PubkeyAlgo::RsaSignOnly: {
        auto n = in.get("n", packet::FieldKind::Mpi);
        auto e = n ? in.get("e", packet::FieldKind::Mpi) : std::nullopt;
        return n && e ? PublicKey::rsa(*n, *e) : reject(VerifyStatus::Malformed, in.problem);
    }
    case PubkeyAlgo::Dsa: {
        auto p = in.get("p", packet::FieldKind::Mpi);
        auto q = p ? in.get("q", packet::FieldKind::Mpi) : std::nullopt;
        auto g = q ? in.get("g", packet::FieldKind::Mpi) : std::nullopt;
        auto y = g ? in.get("y", packet::FieldKind::Mpi) : std::nullopt;
        return y ? PublicKey::dsa(*p, *q, *g, *y) : reject(VerifyStatus::Malformed, in.problem);
    }
    case PubkeyAlgo::Ed25519: {
        auto pt = in.get("public", packet::FieldKind::Fixed);
        return pt ? PublicKey::ed25519(*pt) : reject(VerifyStatus::Malformed, in.problem);
    }
    default: return decode_ec(algo, in);
    }
}

PublicKey decode_guarded(const packet::Key& key) {
    try {
        return decode_key(key);
    } catch (const std::exception& e) {
        return reject(VerifyStatus::Malformed, std::string("key material: ") + e.what());
    }
}

Verdict to_verdict(VerifyStatus s) noexcept {
    switch (s) {
    case VerifyStatus::Good: return Verdict::Good;
    case VerifyStatus::Bad: return Verdict::Bad;
    case VerifyStatus::Malformed: return Verdict::Malformed;
    case VerifyStatus::Unsupported: return Verdict::Unsupported;
    }
    return Verdict::Malformed;
}

CryptoResult convert(crypto::VerifyResult r) { return {to_verdict(r.status), std::move(r.reason)}; }

CryptoResult check(const PublicKey& key, packet::PubkeyAlgo algo, const packet::Signature& sig,
                   ByteView digest) {
    if (!key.usable()) return convert(key.problem());
    if (sig.pk_algo != algo)
        return {Verdict::Malformed, "key algorithm " + std::to_string(static_cast<unsigned>(algo)) +
                                        " cannot check a signature of algorithm " +
                                        std::to_string(static_cast<unsigned>(sig.pk_algo))};
    const auto hash = packet::hash_kind(sig.hash_algo);
    if (!hash)
        return {Verdict::Unsupported, "unsupported hash algorithm " +
                                          std::to_string(static_cast<unsigned>(sig.hash_algo)) + " (" +
                                          packet::hash_algo_name(sig.hash_algo) + ")"};
    FieldLookup in{sig.fields, {}};
    std::vector<ByteView> parts;
    const auto take = [&](std::string_view name, packet::FieldKind kind) {
        auto v = in.get(name, kind);
        if (v) parts.push_back(*v);
        return v.has_value();
    };
    using packet::PubkeyAlgo;
    const bool ok = algo == PubkeyAlgo::Ed25519 ? take("signature", packet::FieldKind::Fixed)
                    : algo == PubkeyAlgo::Rsa || algo == PubkeyAlgo::RsaSignOnly
                        ? take("s", packet::FieldKind::Mpi)
                        : take("r", packet::FieldKind::Mpi) && take("s", packet::FieldKind::Mpi);
    if (!ok) {
        const bool opaque =
            !sig.fields.empty() && sig.fields.front().kind == packet::FieldKind::Rest;
        return {Verdict::Malformed, opaque ? "signature fields did not parse" : in.problem};
    }
    return convert(key.verify(*hash, digest, parts));
}

}  // namespace

KeyVerifier::KeyVerifier(const packet::Key& key) : m_algo(key.algo), m_key(decode_guarded(key)) {}

CryptoResult KeyVerifier::verify(const packet::Signature& sig, ByteView digest) const {
    try {
        return check(m_key, m_algo, sig, digest);
    } catch (const std::exception& e) {
        return {Verdict::Malformed, std::string("verification failed: ") + e.what()};
    }
}

CryptoResult KeyVerifier::key_status() const {
    if (m_key.usable()) return {Verdict::Good, {}};
    return convert(m_key.problem());
}

CryptoResult verify_digest(const packet::Key& key, const packet::Signature& sig, ByteView digest) {
    return KeyVerifier(key).verify(sig, digest);
}

}  // namespace pgpkit::cert
