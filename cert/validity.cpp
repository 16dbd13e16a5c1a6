#include "cert/validity.h"

#include <algorithm>
#include <atomic>
#include <exception>
#include <thread>

#include "packet/byte_reader.h"
#include "packet/names.h"
#include "packet/sig_hash.h"
#include "packet/signature.h"

namespace pgpkit::cert {

using packet::Signature;
using packet::SigType;
using packet::SubpacketType;

namespace {

std::optional<std::uint32_t> be32_subpacket(const Signature& s, SubpacketType t) {
    const auto* p = s.subpacket(t);
    if (!p || p->body.size() != 4) return std::nullopt;
    return (std::uint32_t{p->body[0]} << 24) | (std::uint32_t{p->body[1]} << 16) |
           (std::uint32_t{p->body[2]} << 8) | p->body[3];
}

bool is_type(const Signature& s, SigType t) noexcept { return s.sig_type == t; }

bool is_user_cert(const Signature& s) noexcept { return packet::is_certification(s.sig_type); }

std::optional<Usage> key_flags(const Signature& s) {
    const auto* p = s.subpacket(SubpacketType::KeyFlags);
    if (!p) return std::nullopt;
    const std::uint8_t f = p->body.empty() ? 0 : p->body[0];
    return Usage{(f & 0x01) != 0, (f & 0x02) != 0, (f & 0x0C) != 0, (f & 0x20) != 0};
}

/** What gpg assumes for a key without key flags (g10/misc.c, openpgp_pk_algo_usage). */
Usage default_usage(packet::PubkeyAlgo algo) noexcept {
    switch (algo) {
    case packet::PubkeyAlgo::Rsa: return {true, true, true, true};
    case packet::PubkeyAlgo::RsaSignOnly: return {true, true, false, false};
    case packet::PubkeyAlgo::RsaEncryptOnly:
    case packet::PubkeyAlgo::Elgamal:
    case packet::PubkeyAlgo::Ecdh:
    case packet::PubkeyAlgo::X25519:
    case packet::PubkeyAlgo::X448: return {false, false, true, false};
    case packet::PubkeyAlgo::Dsa:
    case packet::PubkeyAlgo::Ecdsa:
    case packet::PubkeyAlgo::EdDsaLegacy:
    case packet::PubkeyAlgo::Ed25519:
    case packet::PubkeyAlgo::Ed448: return {true, true, false, true};
    default: return {};
    }
}

std::string revocation_text(const Signature& s, bool& hard) {
    const auto* p = s.subpacket(SubpacketType::ReasonForRevocation, true);
    const auto code = static_cast<RevocationReason>(p && !p->body.empty() ? p->body[0] : 0);
    hard = code != RevocationReason::Superseded && code != RevocationReason::Retired;
    std::string text;
    switch (code) {
    case RevocationReason::NoReason: text = "no reason specified"; break;
    case RevocationReason::Superseded: text = "key is superseded"; break;
    case RevocationReason::Compromised: text = "key has been compromised"; break;
    case RevocationReason::Retired: text = "key is no longer used"; break;
    case RevocationReason::UserIdInvalid: text = "user ID is no longer valid"; break;
    default: text = "reason " + std::to_string(static_cast<unsigned>(code)); break;
    }
    if (p && p->body.size() > 1) text += ": " + std::string(p->body.begin() + 1, p->body.end());
    return text;
}

/** A good self-signature that is in force at `now` (not from the future). */
bool usable_self(const SigCheck& r, const Signature& s, std::uint32_t now) {
    return r.good() && r.self && s.created().value_or(0) <= now;
}

void set_revoked(Validity& v, const Signature& s) {
    v.state = ValidityState::Revoked;
    v.revoked_at = s.created();
    v.reason = revocation_text(s, v.hard_revocation);
}

void set_expiry(Validity& v, std::uint32_t created, std::optional<std::uint32_t> secs, std::uint32_t now) {
    if (!secs || *secs == 0) return;
    v.expires = created + *secs;
    if (v.state == ValidityState::Valid && *v.expires <= now) {
        v.state = ValidityState::Expired;
        v.reason = "expired";
    }
}

std::vector<SigCheck> check_all(const Cert& c, const Component& comp, const CheckContext& ctx) {
    std::vector<SigCheck> out;
    for (const packet::Packet* p : comp.signatures()) out.push_back(check_signature(c, comp, *p, ctx));
    return out;
}

/** Newest usable self-signature among those `accept` selects, as an index into sigs. */
template <class Pred>
std::optional<std::size_t> newest_self(const Component& comp, const std::vector<SigCheck>& sigs, std::uint32_t now,
                                       Pred accept) {
    const auto packets = comp.signatures();
    std::optional<std::size_t> best;
    std::uint32_t best_time = 0;
    for (std::size_t i = 0; i < packets.size(); ++i) {
        const auto& s = *packets[i]->get<Signature>();
        if (!accept(s) || !usable_self(sigs[i], s, now)) continue;
        const std::uint32_t t = s.created().value_or(0);
        if (!best || t >= best_time) best = i, best_time = t;
    }
    return best;
}

const Signature& sig_at(const Component& comp, std::size_t i) { return *comp.signatures()[i]->get<Signature>(); }

void user_validity(ComponentReport& r, std::uint32_t now) {
    const Component& comp = *r.component;
    const auto latest = newest_self(comp, r.sigs, now, [](const Signature& s) {
        return is_user_cert(s) || is_type(s, SigType::CertRevocation);
    });
    const auto binding = newest_self(comp, r.sigs, now, is_user_cert);
    r.self_sig = binding;
    // A revocation newer than every certification revokes, even when it is the only
    // self-signature left (keyrings that drop superseded signatures keep just that).
    if (latest && is_type(sig_at(comp, *latest), SigType::CertRevocation)) {
        set_revoked(r.validity, sig_at(comp, *latest));
        return;
    }
    if (!binding) {
        r.validity = {ValidityState::Invalid, "no valid self-signature", {}, {}, false};
        return;
    }
    r.validity.state = ValidityState::Valid;
    const Signature& s = sig_at(comp, *binding);
    const auto exp = be32_subpacket(s, SubpacketType::SignatureExpirationTime);
    if (exp && *exp != 0) set_expiry(r.validity, s.created().value_or(0), exp, now);
    const auto* primary = s.subpacket(SubpacketType::PrimaryUserId);
    r.primary_uid = primary && !primary->body.empty() && primary->body[0] != 0;
}

CryptoResult check_backsig(const Cert& c, const packet::Key& sub, const Signature& binding, const CheckContext& ctx) {
    const auto* p = binding.subpacket(SubpacketType::EmbeddedSignature, true);
    if (!p) return {Verdict::NoKey, "no back-signature"};
    try {
        packet::ByteReader in(p->body);
        const auto back = packet::parse_signature(in, 64);
        if (!back || !is_type(*back, SigType::PrimaryKeyBinding))
            return {Verdict::Malformed, "embedded signature is not a primary key binding"};
        const Bytes digest = packet::subkey_binding_digest(*back, c.key(), sub);
        if (digest.size() < 2 || digest[0] != back->left16[0] || digest[1] != back->left16[1])
            return {Verdict::Bad, "back-signature digest does not match its left 16 bits"};
        if (ctx.cache) return ctx.cache->get(sub).verify(*back, digest);
        return verify_digest(sub, *back, digest);
    } catch (const Error& e) {
        return {Verdict::Malformed, "back-signature: " + e.detail()};
    }
}

void subkey_validity(const Cert& c, ComponentReport& r, const CheckContext& ctx, std::uint32_t now) {
    const Component& comp = *r.component;
    const packet::Key* sub = comp.key();
    if (!sub) {
        r.validity = {ValidityState::Invalid, "subkey does not parse", {}, {}, false};
        return;
    }
    bool too_old = false;
    const auto binding = newest_self(comp, r.sigs, now, [&](const Signature& s) {
        if (!is_type(s, SigType::SubkeyBinding)) return false;
        if (s.created().value_or(0) >= sub->created) return true;
        too_old = true;
        return false;
    });
    if (!binding) {
        r.validity = {ValidityState::Invalid, too_old ? "binding older than the key" : "no valid binding signature",
                      {}, {}, false};
        return;
    }
    r.self_sig = binding;
    const Signature& s = sig_at(comp, *binding);
    Usage u = default_usage(sub->algo);
    u.certify = false;
    r.usage = key_flags(s).value_or(u);
    r.validity.state = ValidityState::Valid;
    if (r.usage.sign) {
        const CryptoResult back = check_backsig(c, *sub, s, ctx);
        if (back.verdict != Verdict::Good) {
            r.validity = {ValidityState::Invalid, "signing subkey without a valid back-signature (" + back.reason + ")",
                          {}, {}, false};
            return;
        }
    }
    const auto packets = comp.signatures();
    for (std::size_t i = 0; i < packets.size(); ++i)
        if (const Signature& rev = *packets[i]->get<Signature>();
            is_type(rev, SigType::SubkeyRevocation) && r.sigs[i].good()) {
            set_revoked(r.validity, rev);
            return;
        }
    set_expiry(r.validity, sub->created, be32_subpacket(s, SubpacketType::KeyExpirationTime), now);
}

/** The user ID whose self-signature speaks for the key: flagged primary, else newest. */
ComponentReport* primary_user(CertReport& rep) {
    ComponentReport* best = nullptr;
    std::uint32_t best_time = 0;
    bool best_flag = false;
    for (auto& r : rep.components) {
        if (r.component->kind != ComponentKind::UserId || !r.self_sig) continue;
        if (r.validity.state == ValidityState::Invalid || r.validity.state == ValidityState::Revoked) continue;
        const std::uint32_t t = sig_at(*r.component, *r.self_sig).created().value_or(0);
        if (!best || (r.primary_uid && !best_flag) || (r.primary_uid == best_flag && t > best_time))
            best = &r, best_time = t, best_flag = r.primary_uid;
    }
    for (auto& r : rep.components) r.primary_uid = &r == best;
    return best;
}

void primary_validity(const Cert& c, CertReport& rep, std::uint32_t now) {
    ComponentReport& r = rep.primary;
    const Component& comp = c.primary;
    const packet::Key& key = c.key();
    const auto direct = newest_self(comp, r.sigs, now, [](const Signature& s) { return is_type(s, SigType::DirectKey); });
    const ComponentReport* uid = primary_user(rep);
    const Signature* in_force = nullptr;
    if (uid) in_force = &sig_at(*uid->component, *uid->self_sig);
    else if (direct) in_force = &sig_at(comp, *direct);
    r.self_sig = direct;
    if (!in_force && key.version >= 4) {
        r.validity = {ValidityState::Invalid, "no valid self-signature", {}, {}, false};
        return;
    }
    r.validity.state = ValidityState::Valid;
    r.usage = default_usage(key.algo);
    if (in_force) {
        if (auto flags = key_flags(*in_force)) r.usage = *flags;
        else if (direct)
            if (auto dflags = key_flags(sig_at(comp, *direct))) r.usage = *dflags;
    }
    const auto packets = comp.signatures();
    for (std::size_t i = 0; i < packets.size(); ++i)
        if (const Signature& rev = *packets[i]->get<Signature>();
            is_type(rev, SigType::KeyRevocation) && r.sigs[i].good() && r.sigs[i].self) {
            set_revoked(r.validity, rev);
            return;
        }
    std::optional<std::uint32_t> secs;
    if (key.version < 4 && key.v3_validity_days) secs = std::uint32_t{key.v3_validity_days} * 86400u;
    if (in_force) secs = be32_subpacket(*in_force, SubpacketType::KeyExpirationTime);
    if (!secs && direct) secs = be32_subpacket(sig_at(comp, *direct), SubpacketType::KeyExpirationTime);
    set_expiry(r.validity, key.created, secs, now);
}

/** A subkey is no more valid than its primary key (gpg's merge_selfsigs). */
void inherit_primary(const CertReport& rep, ComponentReport& sub) {
    const Validity& p = rep.primary.validity;
    // A subkey's own revocation (or invalidity) says more than its primary's state.
    if (p.state == ValidityState::Valid || sub.validity.state == ValidityState::Invalid ||
        sub.validity.state == ValidityState::Revoked)
        return;
    sub.validity.state = p.state;
    sub.validity.reason = std::string("primary key ") + validity_state_name(p.state);
}

void usable_set(CertReport& rep) {
    if (rep.primary.validity.state != ValidityState::Valid) return;
    Usage all = rep.primary.usage;
    for (const auto& r : rep.components) {
        if (r.component->kind != ComponentKind::Subkey || r.validity.state != ValidityState::Valid) continue;
        all.sign |= r.usage.sign;
        all.encrypt |= r.usage.encrypt;
        all.authenticate |= r.usage.authenticate;
    }
    rep.usable = all;
}

}  // namespace

const char* validity_state_name(ValidityState s) noexcept {
    switch (s) {
    case ValidityState::Valid: return "valid";
    case ValidityState::Expired: return "expired";
    case ValidityState::Revoked: return "revoked";
    case ValidityState::Invalid: return "invalid";
    }
    return "unknown";
}

std::string usage_letters(const Usage& u) {
    std::string s;
    if (u.encrypt) s += 'e';
    if (u.sign) s += 's';
    if (u.certify) s += 'c';
    if (u.authenticate) s += 'a';
    return s;
}

std::string CertReport::usage_field() const {
    std::string s = usage_letters(primary.usage);
    for (char ch : usage_letters(usable)) s += static_cast<char>(ch - 'a' + 'A');
    return s;
}

}  // namespace pgpkit::cert

namespace pgpkit::cert {

CertReport check_cert(const Cert& c, const CheckContext& ctx, std::uint32_t now) {
    CertReport rep;
    rep.primary.component = &c.primary;
    rep.primary.sigs = check_all(c, c.primary, ctx);
    rep.components.reserve(c.components.size());
    for (const Component& comp : c.components) {
        ComponentReport r;
        r.component = &comp;
        r.sigs = check_all(c, comp, ctx);
        if (comp.kind == ComponentKind::Subkey) subkey_validity(c, r, ctx, now);
        else user_validity(r, now);
        rep.components.push_back(std::move(r));
    }
    primary_validity(c, rep, now);
    for (auto& r : rep.components)
        if (r.component->kind == ComponentKind::Subkey) inherit_primary(rep, r);
    usable_set(rep);
    return rep;
}

namespace {

/** Runs fn(i, ctx) for i in [0, n) on `jobs` threads sharing `cache`. */
template <class Fn>
void parallel(std::size_t n, unsigned jobs, const CheckContext& ctx, VerifierCache& cache, Fn fn) {
    jobs = std::max(1u, std::min<unsigned>(jobs, static_cast<unsigned>(std::max<std::size_t>(n, 1))));
    std::atomic<std::size_t> next{0};
    std::vector<std::exception_ptr> failed(jobs);
    auto worker = [&](unsigned j) {
        try {
            CheckContext local = ctx;
            local.cache = &cache;
            for (std::size_t i; (i = next.fetch_add(1)) < n;) fn(i, local);
        } catch (...) {
            failed[j] = std::current_exception();
            next = n;
        }
    };
    if (jobs == 1) {
        worker(0);
    } else {
        std::vector<std::thread> pool;
        for (unsigned j = 0; j < jobs; ++j) pool.emplace_back(worker, j);
        for (auto& t : pool) t.join();
    }
    for (const auto& e : failed)
        if (e) std::rethrow_exception(e);
}

void recheck_third_party(const Cert& c, ComponentReport& r, const CheckContext& ctx) {
    const auto packets = r.component->signatures();
    for (std::size_t i = 0; i < packets.size(); ++i)
        if (r.sigs[i].crypto == Verdict::NoKey) r.sigs[i] = check_signature(c, *r.component, *packets[i], ctx);
}

}  // namespace

CheckResults check_certs(const std::vector<Cert>& input, const std::vector<Cert>& keyring, const Policy& policy,
                         std::uint32_t now, unsigned jobs) {
    CheckResults out;
    CheckContext self_only;
    self_only.policy = policy;
    out.reports.resize(input.size());
    std::vector<ValidityState> keyring_state(keyring.size());
    VerifierCache cache;  // shared by both passes and all threads: each key is decoded once
    parallel(input.size() + keyring.size(), jobs, self_only, cache, [&](std::size_t i, const CheckContext& ctx) {
        if (i < input.size()) out.reports[i] = check_cert(input[i], ctx, now);
        else keyring_state[i - input.size()] = check_cert(keyring[i - input.size()], ctx, now).primary.validity.state;
    });
    for (std::size_t i = 0; i < input.size(); ++i)
        out.index.add(input[i], out.reports[i].primary.validity.state == ValidityState::Valid);
    for (std::size_t i = 0; i < keyring.size(); ++i)
        out.index.add(keyring[i], keyring_state[i] == ValidityState::Valid);
    CheckContext full = self_only;
    full.others = &out.index;
    parallel(input.size(), jobs, full, cache, [&](std::size_t i, const CheckContext& ctx) {
        CertReport& rep = out.reports[i];
        recheck_third_party(input[i], rep.primary, ctx);
        for (auto& r : rep.components) recheck_third_party(input[i], r, ctx);
    });
    return out;
}

}  // namespace pgpkit::cert
