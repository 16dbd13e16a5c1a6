#include "message/internal/checker.h"

#include <algorithm>

#include "base/error.h"
#include "packet/names.h"

namespace pgpkit::message::internal {

namespace {

using packet::SubpacketType;

std::uint32_t be32(ByteView b) {
    return (std::uint32_t{b[0]} << 24) | (std::uint32_t{b[1]} << 16) | (std::uint32_t{b[2]} << 8) | b[3];
}

std::string text_of(const cert::Component& c) {
    const Bytes b = c.id_bytes();
    return std::string(b.begin(), b.end());
}

}  // namespace

std::string hex(ByteView b) {
    static constexpr char digits[] = "0123456789ABCDEF";
    std::string out;
    out.reserve(b.size() * 2);
    for (std::uint8_t c : b) {
        out += digits[c >> 4];
        out += digits[c & 15];
    }
    return out;
}

}  // namespace pgpkit::message::internal

namespace pgpkit::message {

SignerCache::SignerCache() : m_impl(std::make_unique<Impl>()) {}
SignerCache::~SignerCache() = default;

}  // namespace pgpkit::message

namespace pgpkit::message::internal {

Checker::Checker(const VerifyOptions& opt)
    : m_opt(opt), m_cache(opt.cache ? opt.cache->impl() : m_own.impl()) {}

const std::vector<std::unique_ptr<Signer>>& Checker::signers(std::uint64_t keyid) {
    auto it = m_cache.signers.find(keyid);
    if (it != m_cache.signers.end()) return it->second;
    std::vector<std::unique_ptr<Signer>> found;
    if (m_opt.keys) {
        Bytes id(8);
        for (int i = 0; i < 8; ++i) id[static_cast<std::size_t>(i)] = static_cast<std::uint8_t>(keyid >> (56 - 8 * i));
        for (cert::Cert& c : m_opt.keys(id)) {
            auto s = std::make_unique<Signer>();
            s->cert = std::move(c);
            cert::CheckContext ctx;
            ctx.policy = m_opt.policy;
            ctx.cache = &m_cache.verifiers;
            s->rep = cert::check_cert(s->cert, ctx, m_opt.now);
            found.push_back(std::move(s));
        }
    }
    return m_cache.signers.emplace(keyid, std::move(found)).first->second;
}

void Checker::describe(SignatureReport& r, const Signer& s, const cert::ComponentReport& key) const {
    const packet::Key& k = *key.component->key();
    r.key_fpr = hex(k.fingerprint);
    r.primary_fpr = hex(s.cert.fingerprint());
    r.subkey = key.component != &s.cert.primary;
    for (const cert::ComponentReport& c : s.rep.components) {
        if (c.component->kind != cert::ComponentKind::UserId) continue;
        if (c.primary_uid) r.primary_uid = text_of(*c.component);
        else if (c.validity.state == cert::ValidityState::Valid) r.other_uids.push_back(text_of(*c.component));
    }
    if (r.primary_uid.empty() && !r.other_uids.empty()) {
        r.primary_uid = r.other_uids.front();
        r.other_uids.erase(r.other_uids.begin());
    }
    r.key_expired = key.validity.state == cert::ValidityState::Expired;
    r.key_revoked = key.validity.state == cert::ValidityState::Revoked;
    if (r.key_expired) r.key_expires = key.validity.expires;
    if (r.key_revoked) r.revocation_reason = key.validity.reason;
    if (m_opt.trust) r.trust = m_opt.trust(s.cert);
}

SignatureReport Checker::against(SignatureReport t, const packet::Signature& sig, const Bytes& digest,
                                 const Signer& s, const cert::ComponentReport& kr) {
    describe(t, s, kr);
    const bool subkey = &kr != &s.rep.primary;
    if (digest.size() < 2 || digest[0] != sig.left16[0] || digest[1] != sig.left16[1]) {
        t.outcome = SigOutcome::Bad;
        t.reason = "digest does not match the signature's left 16 bits";
    } else if (subkey && kr.validity.state == cert::ValidityState::Invalid) {
        t.outcome = SigOutcome::Error;
        t.reason = "signing subkey " + t.keyid + " is not bound: " + kr.validity.reason;
    } else if (subkey && kr.usage.sign && (!kr.backsig || kr.backsig->verdict != cert::Verdict::Good)) {
        t.outcome = SigOutcome::Error;
        t.reason = "signing subkey " + t.keyid + " is not cross-certified";
    } else {
        const cert::CheckContext ctx{nullptr, m_opt.policy, &m_cache.verifiers, nullptr};
        const cert::CryptoResult cr = cert::verify_in_context(*kr.component->key(), sig, digest, {}, ctx);
        t.outcome = cr.verdict == cert::Verdict::Good  ? SigOutcome::Good
                    : cr.verdict == cert::Verdict::Bad ? SigOutcome::Bad
                                                       : SigOutcome::Error;
        t.reason = cr.reason;
    }
    return t;
}

SignatureReport Checker::check(const packet::Signature& sig, const std::optional<Bytes>& digest,
                               const std::string& why) {
    SignatureReport r;
    r.sig = sig;
    r.created = sig.created().value_or(0);
    r.algo_name = gpg_algo_name(sig.pk_algo);
    const auto id = sig.issuer_keyid();
    const std::uint64_t keyid = id ? cert::keyid_value(*id) : 0;
    r.keyid = id ? hex(*id) : std::string(16, '0');
    const std::optional<Bytes> ifpr = sig.issuer_fingerprint();
    r.issuer = ifpr ? hex(*ifpr) : r.keyid;
    if (const auto* e = sig.subpacket(SubpacketType::SignatureExpirationTime); e && e->body.size() == 4) {
        const std::uint32_t v = be32(e->body);
        if (v != 0) {
            r.sig_expires = r.created + v;
            r.sig_expired = m_opt.now >= *r.sig_expires;
        }
    }
    auto finish = [&](SignatureReport& out) -> SignatureReport {
        report_status(m_opt, out);
        return out;
    };
    if (!digest) {
        r.outcome = SigOutcome::Error;
        r.reason = why;
        return finish(r);
    }
    if (std::find(m_opt.policy.rejected_hashes.begin(), m_opt.policy.rejected_hashes.end(), sig.hash_algo) !=
        m_opt.policy.rejected_hashes.end()) {
        r.outcome = SigOutcome::Error;
        r.reason = "Invalid digest algorithm";
        return finish(r);
    }
    r.outcome = SigOutcome::NoKey;
    r.reason = "No public key";
    std::optional<SignatureReport> fallback;
    for (const auto& s : signers(keyid)) {
        std::vector<const cert::ComponentReport*> keys{&s->rep.primary};
        for (const auto& c : s->rep.components)
            if (c.component->kind == cert::ComponentKind::Subkey) keys.push_back(&c);
        for (const cert::ComponentReport* kr : keys) {
            const packet::Key& k = *kr->component->key();
            if (cert::keyid_value(k.keyid) != keyid) continue;
            if (ifpr && *ifpr != k.fingerprint) continue;
            SignatureReport t = against(r, sig, *digest, *s, *kr);
            if (t.outcome == SigOutcome::Good) return finish(t);
            if (!fallback || t.outcome == SigOutcome::Bad) fallback = std::move(t);
        }
    }
    if (fallback) return finish(*fallback);
    return finish(r);
}

}  // namespace pgpkit::message::internal
