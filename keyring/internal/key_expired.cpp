#include "keyring/internal/key_expired.h"

#include <optional>

#include "base/error.h"
#include "cert/validity.h"
#include "cert/verify.h"
#include "packet/signature.h"

namespace pgpkit::keyring::internal {

using cert::Cert;
using cert::Component;
using cert::ComponentKind;
using packet::Signature;
using packet::SigType;

namespace {

/** openpgp_pk_test_algo of gpg 2.2: the public-key algorithms it can check at all. */
bool gpg22_pk(packet::PubkeyAlgo a) noexcept {
    using packet::PubkeyAlgo;
    return a == PubkeyAlgo::Rsa || a == PubkeyAlgo::RsaEncryptOnly || a == PubkeyAlgo::RsaSignOnly ||
           a == PubkeyAlgo::Elgamal || a == PubkeyAlgo::Dsa || a == PubkeyAlgo::Ecdh || a == PubkeyAlgo::Ecdsa ||
           a == PubkeyAlgo::EdDsaLegacy;
}

/** openpgp_md_test_algo of gpg 2.2 (no SHA-3). */
bool gpg22_md(packet::HashAlgo h) noexcept {
    using packet::HashAlgo;
    return h == HashAlgo::Md5 || h == HashAlgo::Sha1 || h == HashAlgo::Ripemd160 || h == HashAlgo::Sha256 ||
           h == HashAlgo::Sha384 || h == HashAlgo::Sha512 || h == HashAlgo::Sha224;
}

std::optional<std::uint32_t> be32(const Signature& s, packet::SubpacketType t) {
    const auto* p = s.subpacket(t);
    if (!p || p->body.size() != 4) return std::nullopt;
    return (std::uint32_t{p->body[0]} << 24) | (std::uint32_t{p->body[1]} << 16) | (std::uint32_t{p->body[2]} << 8) |
           p->body[3];
}

bool self_issued(const Cert& c, const Signature& s) {
    const auto id = s.issuer_keyid();
    return id && *id == c.key().keyid;
}

/** Whether any self-signature sets a key expiration time: without one nothing can expire. */
bool may_expire(const Cert& c) {
    for (const packet::Packet* p : cert::packets_of(c)) {
        const Signature* s = p->get<Signature>();
        if (!s || !self_issued(c, *s)) continue;
        const auto secs = be32(*s, packet::SubpacketType::KeyExpirationTime);
        if (secs && *secs) return true;
    }
    return false;
}

bool is_uid_class(SigType t) noexcept {
    return t == SigType::GenericCert || t == SigType::PersonaCert || t == SigType::CasualCert ||
           t == SigType::PositiveCert || t == SigType::CertRevocation;
}

/**
 * check_key_signature2 up to its check_signature_metadata_validity on the primary key: a
 * self-signature gpg can check, of a class it finds the signed packet for (find_prev_kbnode:
 * a user ID or subkey anywhere before it), not older than the key (a time conflict returns first).
 */
bool reaches_metadata(const Cert& c, const Signature& s, bool user_before, bool subkey_before) {
    if (!self_issued(c, s) || !gpg22_pk(s.pk_algo) || !gpg22_md(s.hash_algo)) return false;
    if (c.key().created > s.created().value_or(0)) return false;
    const SigType t = s.sig_type;
    if (t == SigType::KeyRevocation || t == SigType::DirectKey) return true;
    if (is_uid_class(t)) return user_before;
    if (t == SigType::SubkeyBinding || t == SigType::SubkeyRevocation) return subkey_before;
    return false;
}

/** The newest 0x19 signature embedded in `binding` (hashed area first), as merge_selfsigs_subkey picks it. */
std::optional<Signature> newest_backsig(const Signature& binding) {
    std::optional<Signature> best;
    for (const packet::Subpackets* area : {&binding.hashed, &binding.unhashed})
        for (const packet::Subpacket& sp : *area) {
            if (sp.type() != packet::SubpacketType::EmbeddedSignature) continue;
            try {
                packet::ByteReader in(sp.body);
                auto s = packet::parse_signature(in, 64);
                if (!s || s->sig_type != SigType::PrimaryKeyBinding) continue;
                if (!best || s->created().value_or(0) > best->created().value_or(0)) best = std::move(s);
            } catch (const Error&) {
                // buf_to_sig fails: gpg ignores the subpacket
            }
        }
    return best;
}

/** check_backsig: the subkey's own expiry when it has passed and the back-signature is checked. */
std::optional<std::uint32_t> backsig_line(const Component& sub, const cert::ComponentReport& r, std::uint32_t now) {
    const packet::Key* k = sub.key();
    if (!k || !r.self_sig || !gpg22_pk(k->algo)) return std::nullopt;
    const auto packets = sub.signatures();
    const auto back = newest_backsig(*packets[*r.self_sig]->get<Signature>());
    if (!back || !gpg22_md(back->hash_algo)) return std::nullopt;
    if (k->created > back->created().value_or(0) || k->created > now) return std::nullopt;
    const auto& exp = r.validity.expires;
    if (!exp || *exp >= now) return std::nullopt;
    return *exp;
}

/** The primary key's expiry when it has passed at `now` (gpg's has_expired after a merge). */
std::optional<std::uint32_t> expired_at(const cert::CertReport& rep, std::uint32_t now) {
    const auto& exp = rep.primary.validity.expires;
    if (exp && *exp < now) return exp;
    return std::nullopt;
}

cert::CertReport self_report(const Cert& c, std::uint32_t now, cert::VerifiedSignatures* verified) {
    cert::VerifierCache cache;
    cert::CheckContext ctx;
    ctx.cache = &cache;
    ctx.verified = verified;
    return cert::check_cert(c, ctx, now);
}

bool checkable(const Cert& c, const Signature& s) {
    return gpg22_pk(s.pk_algo) && gpg22_md(s.hash_algo) && c.key().created <= s.created().value_or(0);
}

}  // namespace

std::vector<std::uint32_t> clean_keyexpired(const Cert& c, std::uint32_t now, cert::VerifiedSignatures* verified) {
    std::vector<std::uint32_t> out;
    if (c.key().version != 4 || !may_expire(c) || c.key().created > now) return out;
    const cert::CertReport rep = self_report(c, now, verified);
    const auto exp = expired_at(rep, now);
    if (!exp) return out;
    for (std::size_t i = 0; i < c.components.size(); ++i) {
        const Component& comp = c.components[i];
        if (comp.kind == ComponentKind::Subkey) break;
        const auto& r = rep.components[i];
        // clean_uid_from_key compacts a user ID without a valid self-signature instead.
        if (comp.kind != ComponentKind::UserId || r.validity.state != cert::ValidityState::Valid) continue;
        for (const packet::Packet* p : comp.signatures()) {
            const Signature& s = *p->get<Signature>();
            if (is_uid_class(s.sig_type) && s.sig_type != SigType::PersonaCert && checkable(c, s)) out.push_back(*exp);
        }
    }
    return out;
}

std::vector<std::uint32_t> chk_self_sigs_keyexpired(const Cert& c, std::uint32_t now,
                                                    cert::VerifiedSignatures* verified) {
    std::vector<std::uint32_t> out;
    if (c.key().version != 4 || !may_expire(c) || c.key().created > now) return out;
    const cert::CertReport rep = self_report(c, now, verified);
    const auto exp = expired_at(rep, now);
    if (!exp) return out;
    bool user_before = false, subkey_before = false;
    auto scan = [&](const Component& comp, const cert::ComponentReport& r, bool* user_good) {
        const auto packets = comp.signatures();
        for (std::size_t k = 0; k < packets.size(); ++k) {
            const Signature& s = *packets[k]->get<Signature>();
            if (!self_issued(c, s) || !reaches_metadata(c, s, user_before, subkey_before)) continue;
            out.push_back(*exp);  // check_key_signature to fill the cache
            const SigType t = s.sig_type;
            bool again = t == SigType::DirectKey || t == SigType::SubkeyBinding || t == SigType::SubkeyRevocation;
            if (is_uid_class(t) && user_good && !*user_good) {
                again = true;
                *user_good = k < r.sigs.size() && r.sigs[k].good();
            }
            if (again) out.push_back(*exp);
        }
    };
    scan(c.primary, rep.primary, nullptr);
    bool good = false;
    for (std::size_t i = 0; i < c.components.size(); ++i) {
        const Component& comp = c.components[i];
        if (comp.kind == ComponentKind::UserId) good = false;  // find_prev_kbnode: the last user ID
        user_before |= comp.kind == ComponentKind::UserId;
        subkey_before |= comp.kind == ComponentKind::Subkey;
        scan(comp, rep.components[i], &good);
    }
    return out;
}

std::vector<std::uint32_t> merge_keyexpired(const Cert& c, std::uint32_t now, MergeState state,
                                            cert::VerifiedSignatures* verified) {
    std::vector<std::uint32_t> out;
    if (c.key().version != 4 || !may_expire(c) || c.key().created > now) return out;
    const cert::CertReport rep = self_report(c, now, verified);
    const auto exp = expired_at(rep, now);
    const bool expired = exp.has_value();
    bool user_before = false, subkey_before = false;
    auto scan = [&](const Component& comp) {
        for (const packet::Packet* p : comp.signatures())
            if (reaches_metadata(c, *p->get<Signature>(), user_before, subkey_before)) out.push_back(*exp);
    };
    // merge_selfsigs_main checks the direct-key and user ID self-signatures before it marks
    // the key expired: only a keyblock merged before carries the mark there.
    if (expired && state == MergeState::Again) scan(c.primary);
    for (std::size_t i = 0; i < c.components.size(); ++i) {
        const Component& comp = c.components[i];
        user_before |= comp.kind == ComponentKind::UserId;
        subkey_before |= comp.kind == ComponentKind::Subkey;
        if (expired && (subkey_before || state == MergeState::Again)) scan(comp);
        // The back-signature is checked once per keyblock, on the first merge.
        if (comp.kind == ComponentKind::Subkey && state == MergeState::Fresh)
            if (const auto line = backsig_line(comp, rep.components[i], now)) out.push_back(*line);
    }
    return out;
}

}  // namespace pgpkit::keyring::internal
