#include "cert/validity.h"

#include "base/parallel.h"

#include <algorithm>

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

// Wire values are compared as numbers, so this compiles whether packet/ keeps them as
// std::uint8_t or as scoped enums.
bool is_type(const Signature& s, SigType t) noexcept {
    return static_cast<unsigned>(s.sig_type) == static_cast<unsigned>(t);
}

bool is_user_cert(const Signature& s) noexcept {
    const auto t = static_cast<unsigned>(s.sig_type);
    return t >= static_cast<unsigned>(SigType::GenericCert) && t <= static_cast<unsigned>(SigType::PositiveCert);
}

// gpg's PUBKEY_USAGE_* bits as g10/getkey.c parse_key_usage returns them.
constexpr unsigned use_cert = 1, use_sign = 2, use_enc = 4, use_auth = 8, use_unknown = 16, use_none = 32;
constexpr unsigned use_basic = use_cert | use_sign | use_enc | use_auth;

/** The key flags of a self-signature's hashed area; 0 without them (gpg's parse_key_usage). */
unsigned parse_key_usage(const Signature& s) {
    const auto* p = s.subpacket(SubpacketType::KeyFlags);
    if (!p) return 0;
    if (p->body.empty()) return use_none;
    const std::uint8_t f = p->body[0];
    unsigned u = 0;
    if (f & 0x01) u |= use_cert;
    if (f & 0x02) u |= use_sign;
    if (f & 0x0C) u |= use_enc;
    if (f & 0x20) u |= use_auth;
    if (f & ~0x2F) u |= use_unknown;
    return u ? u : use_none;
}

/** What an algorithm can do (g10/misc.c, openpgp_pk_algo_usage); 0 for algorithms gpg 2.2 cannot use. */
unsigned algo_usage(unsigned algo) noexcept {
    switch (static_cast<packet::PubkeyAlgo>(algo)) {
    case packet::PubkeyAlgo::Rsa: return use_basic;
    case packet::PubkeyAlgo::RsaSignOnly: return use_cert | use_sign;
    case packet::PubkeyAlgo::RsaEncryptOnly:
    case packet::PubkeyAlgo::Elgamal:
    case packet::PubkeyAlgo::Ecdh:
    case packet::PubkeyAlgo::X25519:
    case packet::PubkeyAlgo::X448: return use_enc;
    case packet::PubkeyAlgo::Dsa:
    case packet::PubkeyAlgo::Ecdsa:
    case packet::PubkeyAlgo::EdDsaLegacy:
    case packet::PubkeyAlgo::Ed25519:
    case packet::PubkeyAlgo::Ed448: return use_cert | use_sign | use_auth;
    default: return 0;
    }
}

/** The usage a key ends up with: its key flags masked by the algorithm, or the algorithm's default. */
Usage effective_usage(unsigned flags, unsigned algo) noexcept {
    const unsigned x = algo_usage(algo);
    unsigned u = flags ? (x ? flags & x : flags) : x;
    return Usage{(u & use_cert) != 0, (u & use_sign) != 0, (u & use_enc) != 0, (u & use_auth) != 0};
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

/**
 * A good self-signature. One dated in the future counts too: gpg's merge of
 * self-signatures never looks at the clock, so a user ID revoked "tomorrow" is revoked
 * today, and a revocation gpg dated a second ahead (it keeps a revocation newer than
 * the signature it revokes) counts at once.
 */
bool usable_self(const SigCheck& r) { return r.good() && r.self; }

/** gpg's sig->flags.expired: the signature's own expiration time has come. */
bool sig_expired(const Signature& s, std::uint32_t now) {
    const auto secs = be32_subpacket(s, SubpacketType::SignatureExpirationTime);
    return secs && *secs && std::uint64_t{s.created().value_or(0)} + *secs <= now;
}

void set_revoked(Validity& v, const Signature& s) {
    v.state = ValidityState::Revoked;
    v.revoked_at = s.created();
    v.reason = revocation_text(s, v.hard_revocation);
}

/** Key expiry `created + secs` (none for 0); expired once it has passed (gpg: expiry < now). */
void set_key_expiry(Validity& v, std::uint32_t created, std::optional<std::uint32_t> secs, std::uint32_t now) {
    if (!secs || *secs == 0) return;
    v.expires = created + *secs;
    if (v.state == ValidityState::Valid && *v.expires < now) {
        v.state = ValidityState::Expired;
        v.reason = "expired";
    }
}

std::vector<SigCheck> check_all(const Cert& c, const Component& comp, const CheckContext& ctx) {
    std::vector<SigCheck> out;
    for (const packet::Packet* p : comp.signatures()) out.push_back(check_signature(c, comp, *p, ctx));
    return out;
}

const Signature& sig_at(const Component& comp, std::size_t i) { return *comp.signatures()[i]->get<Signature>(); }

/**
 * The self-signature in force among those `accept` selects: the newest usable one, the
 * later in input order on equal times (gpg's "timestamp >= sigdate"); with
 * `skip_expired`, signatures whose own expiration time has passed do not count.
 */
template <class Pred>
std::optional<std::size_t> newest_self(const Component& comp, const std::vector<SigCheck>& sigs, std::uint32_t now,
                                       bool skip_expired, Pred accept) {
    const auto packets = comp.signatures();
    std::optional<std::size_t> best;
    std::uint32_t best_time = 0;
    for (std::size_t i = 0; i < packets.size() && i < sigs.size(); ++i) {
        const auto* s = packets[i]->get<Signature>();
        if (!s || !accept(*s) || !usable_self(sigs[i]) || (skip_expired && sig_expired(*s, now))) continue;
        const std::uint32_t t = s->created().value_or(0);
        if (!best || t >= best_time) best = i, best_time = t;
    }
    return best;
}

/** The last good self-signature of type `t` (gpg keeps the last revocation it checks). */
std::optional<std::size_t> last_good_self(const Component& comp, const std::vector<SigCheck>& sigs, SigType t) {
    const auto packets = comp.signatures();
    std::optional<std::size_t> last;
    for (std::size_t i = 0; i < packets.size() && i < sigs.size(); ++i)
        if (const auto* s = packets[i]->get<Signature>(); s && is_type(*s, t) && sigs[i].good() && sigs[i].self)
            last = i;
    return last;
}

/** What a user ID's self-signature in force tells about the key (gpg's fixup_uidnode). */
struct UserInfo {
    ComponentReport* report = nullptr;
    std::uint32_t created = 0;      ///< of the self-signature; 0 when revoked, expired or unsigned
    unsigned key_usage = 0;         ///< its key flags (parse_key_usage bits)
    std::uint32_t key_expires = 0;  ///< the key expiry it sets, 0 for none
    bool flagged_primary = false;   ///< it carries the primary user ID flag
};

UserInfo user_validity(ComponentReport& r, const packet::Key& key, std::uint32_t now) {
    UserInfo info{&r};
    r.primary_flag = false;
    const Component& comp = *r.component;
    // Certifications and revocations compete: a newer certification undoes a revocation.
    const auto chosen = newest_self(comp, r.sigs, now, false, [](const Signature& s) {
        return is_user_cert(s) || is_type(s, SigType::CertRevocation);
    });
    r.self_sig = chosen;
    if (!chosen) {
        r.validity = {ValidityState::Invalid, "no valid self-signature", {}, {}, false};
        return info;
    }
    const Signature& s = sig_at(comp, *chosen);
    const auto* primary = s.subpacket(SubpacketType::PrimaryUserId);
    r.primary_flag = primary && !primary->body.empty() && primary->body[0] != 0;
    if (is_type(s, SigType::CertRevocation)) {
        set_revoked(r.validity, s);
        return info;
    }
    r.validity.state = ValidityState::Valid;
    if (const auto exp = be32_subpacket(s, SubpacketType::SignatureExpirationTime); exp && *exp)
        r.validity.expires = s.created().value_or(0) + *exp;
    if (sig_expired(s, now)) {
        r.validity.state = ValidityState::Expired;
        r.validity.reason = "self-signature expired";
        return info;
    }
    info.created = s.created().value_or(0);
    info.key_usage = parse_key_usage(s);
    if (const auto secs = be32_subpacket(s, SubpacketType::KeyExpirationTime); secs && *secs)
        info.key_expires = key.created + *secs;
    info.flagged_primary = r.primary_flag;
    return info;
}

void subkey_validity(ComponentReport& r, std::uint32_t now) {
    const Component& comp = *r.component;
    const packet::Key* sub = comp.key();
    if (!sub) {
        r.validity = {ValidityState::Invalid, "subkey does not parse", {}, {}, false};
        return;
    }
    const auto binding = newest_self(comp, r.sigs, now, true,
                                     [](const Signature& s) { return is_type(s, SigType::SubkeyBinding); });
    if (!binding) {
        r.validity = {ValidityState::Invalid, "no valid binding signature", {}, {}, false};
        // gpg's merge_selfsigs_subkey marks the subkey revoked before it finds no binding:
        // it stays invalid, and the revocation time is known (a human listing hides it).
        if (const auto rev = last_good_self(comp, r.sigs, SigType::SubkeyRevocation))
            r.validity.revoked_at = sig_at(comp, *rev).created();
        return;
    }
    r.self_sig = binding;
    const Signature& s = sig_at(comp, *binding);
    r.usage = effective_usage(parse_key_usage(s), static_cast<unsigned>(sub->algo));
    if (!algo_usage(static_cast<unsigned>(sub->algo))) {
        r.validity = {ValidityState::Invalid, "unsupported public-key algorithm", {}, {}, false};
        return;
    }
    r.validity.state = ValidityState::Valid;
    // The expiry stays known for a revoked subkey: gpg lists it.
    set_key_expiry(r.validity, sub->created, be32_subpacket(s, SubpacketType::KeyExpirationTime), now);
    // A revocation revokes whatever its date: a newer binding does not undo it.
    if (const auto rev = last_good_self(comp, r.sigs, SigType::SubkeyRevocation)) set_revoked(r.validity, sig_at(comp, *rev));
}

/** gpg's cmp_user_ids: the longer user ID, then the greater octets, sorts later. */
bool sorts_after(const Component& a, const Component& b) {
    const Bytes x = a.id_bytes(), y = b.id_bytes();
    if (x.size() != y.size()) return x.size() > y.size();
    return std::lexicographical_compare(y.begin(), y.end(), x.begin(), x.end());
}

/**
 * The primary user ID as gpg's merge_selfsigs_main picks it: the newest of those flagged
 * primary, else the newest self-signed one, else the one that sorts last; equal dates go
 * to the user ID that sorts last. User attributes never are.
 */
void pick_primary_user(std::vector<UserInfo>& users) {
    UserInfo* flagged = nullptr;
    UserInfo* newest = nullptr;
    UserInfo* last_sorted = nullptr;
    auto better = [](UserInfo* best, UserInfo& u) {
        return !best ? u.created > 0
                     : u.created > best->created ||
                           (u.created == best->created && sorts_after(*u.report->component, *best->report->component));
    };
    for (UserInfo& u : users) {
        if (u.report->component->kind != ComponentKind::UserId) continue;
        if (u.flagged_primary ? better(flagged, u) : better(newest, u)) (u.flagged_primary ? flagged : newest) = &u;
        if (!last_sorted || sorts_after(*u.report->component, *last_sorted->report->component)) last_sorted = &u;
    }
    UserInfo* pick = flagged ? flagged : newest ? newest : last_sorted;
    for (UserInfo& u : users) u.report->primary_uid = &u == pick;
}

/** The value of the newest user ID (by self-signature date) that sets one; the first on equal dates. */
template <class Get>
unsigned latest_user_value(const std::vector<UserInfo>& users, Get get) {
    unsigned value = 0;
    std::uint32_t date = 0;
    bool found = false;
    for (const UserInfo& u : users) {
        if (u.report->component->kind != ComponentKind::UserId || !get(u)) continue;
        if (!found || u.created > date) value = get(u), date = u.created, found = true;
    }
    return value;
}

/** The fingerprints the good direct-key self-signatures name as designated revokers. */
std::vector<ByteView> designated_revokers(const Component& comp, const std::vector<SigCheck>& sigs) {
    std::vector<ByteView> out;
    const auto packets = comp.signatures();
    for (std::size_t i = 0; i < packets.size() && i < sigs.size(); ++i) {
        const auto* s = packets[i]->get<Signature>();
        if (!s || !is_type(*s, SigType::DirectKey) || !usable_self(sigs[i])) continue;
        for (const auto& p : s->hashed)
            if (p.type() == SubpacketType::RevocationKey && p.body.size() > 2 && (p.body[0] & 0x80))
                out.push_back(ByteView(p.body).subspan(2));
    }
    return out;
}

/**
 * The first good key revocation by a designated revoker (gpg's "revoked by a revocation
 * key"): made by another key whose fingerprint a direct-key self-signature names.
 */
std::optional<std::size_t> designated_revocation(const Component& comp, const std::vector<SigCheck>& sigs) {
    const std::vector<ByteView> revokers = designated_revokers(comp, sigs);
    if (revokers.empty()) return std::nullopt;
    const auto packets = comp.signatures();
    for (std::size_t i = 0; i < packets.size() && i < sigs.size(); ++i) {
        const auto* s = packets[i]->get<Signature>();
        if (!s || !is_type(*s, SigType::KeyRevocation) || sigs[i].self || !sigs[i].good() || !sigs[i].issuer) continue;
        const Bytes& fpr = sigs[i].issuer->fingerprint;
        if (std::any_of(revokers.begin(), revokers.end(),
                        [&](ByteView r) { return std::equal(r.begin(), r.end(), fpr.begin(), fpr.end()); }))
            return i;
    }
    return std::nullopt;
}

/** The primary key (gpg's merge_selfsigs_main): direct-key signature first, then the user IDs. */
void primary_validity(const Cert& c, ComponentReport& r, const std::vector<UserInfo>& users, std::uint32_t now) {
    const Component& comp = c.primary;
    const packet::Key& key = c.key();
    const auto direct = newest_self(comp, r.sigs, now, true,
                                    [](const Signature& s) { return is_type(s, SigType::DirectKey); });
    r.self_sig = direct;
    const bool any_user = std::any_of(users.begin(), users.end(), [](const UserInfo& u) {
        return u.report->self_sig.has_value();
    });
    if (!direct && !any_user && key.version >= 4) {
        r.validity = {ValidityState::Invalid, "no valid self-signature", {}, {}, false};
        r.usage = effective_usage(0, static_cast<unsigned>(key.algo));  // gpg: what the algorithm can do
        return;
    }
    r.validity.state = ValidityState::Valid;
    unsigned flags = direct ? parse_key_usage(sig_at(comp, *direct)) : 0;
    if (!flags) flags = latest_user_value(users, [](const UserInfo& u) { return u.key_usage; });
    r.usage = effective_usage(flags, static_cast<unsigned>(key.algo));
    r.usage.certify = true;  // whatever the flags say, a primary key certifies
    // Key expiry: a v3 key's own, else the direct-key signature's, else the newest user
    // ID's that sets one (not necessarily the primary user ID's).
    const std::uint32_t v3_max = key.version < 4 ? std::uint32_t{key.v3_validity_days} * 86400u : 0;
    std::uint32_t secs = v3_max;
    bool seen = key.version < 4;
    if (direct)
        if (const auto d = be32_subpacket(sig_at(comp, *direct), SubpacketType::KeyExpirationTime); d && *d)
            secs = *d, seen = true;
    if (!seen)
        if (const unsigned at = latest_user_value(users, [](const UserInfo& u) { return u.key_expires; }))
            secs = at - key.created;
    if (secs == 0 || (v3_max && secs > v3_max)) secs = v3_max;
    set_key_expiry(r.validity, key.created, secs, now);
    if (const auto rev = last_good_self(comp, r.sigs, SigType::KeyRevocation)) set_revoked(r.validity, sig_at(comp, *rev));
    else if (const auto by = designated_revocation(comp, r.sigs)) set_revoked(r.validity, sig_at(comp, *by));
}

/** A subkey is no more valid than its primary key (gpg's merge_selfsigs): invalid, then revoked, then expired. */
void inherit_primary(const CertReport& rep, ComponentReport& sub) {
    const Validity& p = rep.primary.validity;
    const ValidityState own = sub.validity.state;
    if (p.state == ValidityState::Valid || own == ValidityState::Invalid) return;
    if (p.state == ValidityState::Invalid || own == ValidityState::Valid ||
        (own == ValidityState::Expired && p.state == ValidityState::Revoked)) {
        sub.validity.state = p.state;
        sub.validity.reason = std::string("primary key ") + validity_state_name(p.state);
    }
}

/** gpg's print_capabilities over the keyblock: what valid, unrevoked, unexpired keys can do. */
void usable_set(CertReport& rep) {
    Usage all;
    auto add = [&all](const ComponentReport& r) {
        if (r.validity.state != ValidityState::Valid) return;
        all.certify |= r.usage.certify;
        all.sign |= r.usage.sign;
        all.encrypt |= r.usage.encrypt;
        all.authenticate |= r.usage.authenticate;
    };
    add(rep.primary);
    for (const auto& r : rep.components)
        if (r.component->kind == ComponentKind::Subkey) add(r);
    rep.usable = all;
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
        return verify_in_context(sub, *back, digest, c.key().fingerprint, ctx);
    } catch (const Error& e) {
        return {Verdict::Malformed, "back-signature: " + e.detail()};
    }
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

void derive_validity(const Cert& c, CertReport& rep, std::uint32_t now) {
    std::vector<UserInfo> users;
    for (auto& r : rep.components) {
        r.primary_uid = false;
        if (r.component->kind == ComponentKind::Subkey) subkey_validity(r, now);
        else users.push_back(user_validity(r, c.key(), now));
    }
    pick_primary_user(users);
    primary_validity(c, rep.primary, users, now);
    for (auto& r : rep.components)
        if (r.component->kind == ComponentKind::Subkey) inherit_primary(rep, r);
    usable_set(rep);
}

CertReport check_cert(const Cert& c, const CheckContext& ctx, std::uint32_t now) {
    CertReport rep;
    rep.primary.component = &c.primary;
    rep.primary.sigs = check_all(c, c.primary, ctx);
    rep.components.reserve(c.components.size());
    for (const Component& comp : c.components) {
        ComponentReport r;
        r.component = &comp;
        r.sigs = check_all(c, comp, ctx);
        rep.components.push_back(std::move(r));
    }
    derive_validity(c, rep, now);
    for (auto& r : rep.components)
        if (r.component->kind == ComponentKind::Subkey && r.self_sig && r.usage.sign && r.component->key())
            r.backsig = check_backsig(c, *r.component->key(), sig_at(*r.component, *r.self_sig), ctx);
    return rep;
}

namespace {

/** Runs fn(i, ctx) for i in [0, n) on `jobs` threads sharing `cache`. */
template <class Fn>
void parallel(std::size_t n, unsigned jobs, const CheckContext& ctx, VerifierCache& cache, Fn fn) {
    jobs = std::max(1u, std::min<unsigned>(jobs, static_cast<unsigned>(std::max<std::size_t>(n, 1))));
    CheckContext local = ctx;
    local.cache = &cache;
    run_parallel(n, jobs, [&](std::size_t i) { fn(i, local); });
}

void recheck_third_party(const Cert& c, ComponentReport& r, const CheckContext& ctx) {
    const auto packets = r.component->signatures();
    for (std::size_t i = 0; i < packets.size(); ++i)
        if (r.sigs[i].crypto == Verdict::NoKey) r.sigs[i] = check_signature(c, *r.component, *packets[i], ctx);
}

}  // namespace

CheckResults check_certs(const std::vector<Cert>& input, const std::vector<Cert>& keyring, const Policy& policy,
                         std::uint32_t now, unsigned jobs, VerifiedSignatures* verified) {
    CheckResults out;
    CheckContext self_only;
    self_only.policy = policy;
    self_only.verified = verified;
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
        const bool pending = !pending_revoker_keyids(input[i], rep).empty();
        recheck_third_party(input[i], rep.primary, ctx);
        for (auto& r : rep.components) recheck_third_party(input[i], r, ctx);
        if (pending && designated_revocation(input[i].primary, rep.primary.sigs)) derive_validity(input[i], rep, now);
    });
    return out;
}

std::vector<Bytes> pending_revoker_keyids(const Cert& c, const CertReport& rep) {
    std::vector<Bytes> out;
    const auto& sigs = rep.primary.sigs;
    if (designated_revokers(c.primary, sigs).empty()) return out;
    const auto packets = c.primary.signatures();
    for (std::size_t i = 0; i < packets.size() && i < sigs.size(); ++i) {
        const auto* s = packets[i]->get<Signature>();
        if (!s || !is_type(*s, SigType::KeyRevocation) || sigs[i].crypto != Verdict::NoKey) continue;
        if (const auto id = s->issuer_keyid()) out.emplace_back(id->begin(), id->end());
    }
    return out;
}

void apply_designated_revocations(const Cert& c, CertReport& rep, const CheckContext& ctx, std::uint32_t now) {
    if (pending_revoker_keyids(c, rep).empty()) return;
    const auto packets = c.primary.signatures();
    for (std::size_t i = 0; i < packets.size() && i < rep.primary.sigs.size(); ++i) {
        const auto* s = packets[i]->get<Signature>();
        if (s && is_type(*s, SigType::KeyRevocation) && rep.primary.sigs[i].crypto == Verdict::NoKey)
            rep.primary.sigs[i] = check_signature(c, c.primary, *packets[i], ctx);
    }
    if (designated_revocation(c.primary, rep.primary.sigs)) derive_validity(c, rep, now);
}

}  // namespace pgpkit::cert
