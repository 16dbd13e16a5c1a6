#include "cert/primitive.h"

#include "base/error.h"
#include "crypto/pk.h"
#include "packet/names.h"
#include "packet/sig_hash.h"

namespace pgpkit::cert {

const char* verdict_name(Verdict v) noexcept {
    switch (v) {
    case Verdict::Good: return "good";
    case Verdict::Bad: return "bad";
    case Verdict::NoKey: return "no-key";
    case Verdict::Unsupported: return "unsupported";
    case Verdict::Malformed: return "malformed";
    }
    return "unknown";
}

namespace {
const Bytes* field(const packet::AlgoFields& f, std::string_view name) {
    for (const auto& x : f)
        if (x.name == name) return &x.data;
    return nullptr;
}
}  // namespace

KeyVerifier::KeyVerifier(const packet::Key& key) : m_key(&key) {}

CryptoResult KeyVerifier::verify(const packet::Signature& sig, ByteView digest) const {
    const auto& kf = m_key->fields;
    const auto& sf = sig.fields;
    const auto hash = packet::hash_kind(sig.hash_algo);
    if (!hash) return {Verdict::Unsupported, "unsupported hash algorithm"};
    try {
        bool ok = false;
        switch (m_key->algo) {
        case 1: case 3: {
            auto n = field(kf, "n"), e = field(kf, "e"), s = field(sf, "s");
            if (!n || !e || !s) return {Verdict::Malformed, "missing RSA fields"};
            ok = crypto::verify_rsa(*n, *e, *hash, digest, *s);
            break;
        }
        case 17: {
            auto p = field(kf, "p"), q = field(kf, "q"), g = field(kf, "g"), y = field(kf, "y");
            auto r = field(sf, "r"), s = field(sf, "s");
            if (!p || !q || !g || !y || !r || !s) return {Verdict::Malformed, "missing DSA fields"};
            crypto::DlKey k{*p, *q, *g, *y, {}};
            ok = crypto::verify_dsa(k, digest, *r, *s);
            break;
        }
        case 22: {
            auto q = field(kf, "q"), r = field(sf, "r"), s = field(sf, "s");
            if (!q || !r || !s) return {Verdict::Malformed, "missing EdDSA fields"};
            crypto::EcKey k{crypto::Curve::Ed25519, *q, {}};
            ok = crypto::verify_eddsa(k, digest, *r, *s);
            break;
        }
        case 19: {
            auto q = field(kf, "q"), r = field(sf, "r"), s = field(sf, "s");
            if (!q || !r || !s) return {Verdict::Malformed, "missing ECDSA fields"};
            const std::string_view c = packet::curve_of(kf);
            crypto::Curve curve;
            if (c == "nistp256") curve = crypto::Curve::NistP256;
            else if (c == "nistp384") curve = crypto::Curve::NistP384;
            else if (c == "nistp521") curve = crypto::Curve::NistP521;
            else if (c == "brainpoolP256r1") curve = crypto::Curve::BrainpoolP256r1;
            else if (c == "brainpoolP384r1") curve = crypto::Curve::BrainpoolP384r1;
            else if (c == "brainpoolP512r1") curve = crypto::Curve::BrainpoolP512r1;
            else return {Verdict::Unsupported, "unsupported curve"};
            crypto::EcKey k{curve, *q, {}};
            ok = crypto::verify_ecdsa(k, digest, *r, *s);
            break;
        }
        default:
            return {Verdict::Unsupported, std::string("unsupported public-key algorithm ") +
                                              std::to_string(m_key->algo)};
        }
        return ok ? CryptoResult{Verdict::Good, {}} : CryptoResult{Verdict::Bad, "signature does not verify"};
    } catch (const Error& e) {
        return {Verdict::Malformed, e.detail()};
    }
}

CryptoResult verify_digest(const packet::Key& key, const packet::Signature& sig, ByteView digest) {
    return KeyVerifier(key).verify(sig, digest);
}

}  // namespace pgpkit::cert
