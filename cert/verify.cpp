#include "cert/verify.h"

#include <algorithm>

#include "base/error.h"
#include "packet/names.h"
#include "packet/sig_hash.h"

namespace pgpkit::cert {

using packet::Key;
using packet::Signature;
using packet::SigType;

namespace {

enum class Target : std::uint8_t { PrimaryKey, UserId, Subkey, Other };

Target target_of(SigType type) noexcept {
    switch (type) {
    case SigType::DirectKey:
    case SigType::KeyRevocation: return Target::PrimaryKey;
    case SigType::GenericCert:
    case SigType::PersonaCert:
    case SigType::CasualCert:
    case SigType::PositiveCert:
    case SigType::CertRevocation: return Target::UserId;
    case SigType::SubkeyBinding:
    case SigType::SubkeyRevocation: return Target::Subkey;
    default: return Target::Other;
    }
}

bool is_user_component(const Component& comp) noexcept {
    return comp.kind == ComponentKind::UserId || comp.kind == ComponentKind::UserAttribute;
}

SigCheck verdict(Verdict v, std::string reason) {
    SigCheck r;
    r.crypto = v;
    r.crypto_reason = std::move(reason);
    return r;
}

/**
 * The user ID a certification is over: its own component, or for one misplaced after a
 * subkey the last user ID or attribute before it, as gpg's find_prev_kbnode picks.
 */
const Component* user_before(const Cert& c, const Component& comp) {
    if (is_user_component(comp)) return &comp;
    if (comp.kind == ComponentKind::PrimaryKey) return nullptr;
    const Component* last = nullptr;
    for (const Component& other : c.components) {
        if (&other == &comp) break;
        if (is_user_component(other)) last = &other;
    }
    return last;
}

/** The digest the signature covers, or a verdict saying why there is none. */
std::optional<SigCheck> digest_of(const Cert& c, const Component& comp, const Signature& sig, Bytes& out) {
    try {
        switch (target_of(sig.sig_type)) {
        case Target::PrimaryKey: out = packet::direct_key_digest(sig, c.key()); break;
        case Target::UserId: {
            const Component* user = user_before(c, comp);
            if (!user) return verdict(Verdict::Malformed, "no user ID for this certification");
            out = packet::certification_digest(sig, c.key(), user->id_bytes(),
                                               user->kind == ComponentKind::UserAttribute);
            break;
        }
        case Target::Subkey:
            if (comp.kind != ComponentKind::Subkey || !comp.key())
                return verdict(Verdict::Malformed, "no subkey for this subkey signature");
            out = packet::subkey_binding_digest(sig, c.key(), *comp.key());
            break;
        case Target::Other:
            return verdict(Verdict::Bad, std::string("signature of type ") + packet::sig_type_name(sig.sig_type) +
                                             " is not over a key or user ID");
        }
    } catch (const Error& e) {
        const bool hash = packet::hash_digest_size(sig.hash_algo) == 0 || !packet::hash_kind(sig.hash_algo);
        return verdict(hash ? Verdict::Unsupported : Verdict::Malformed, e.detail());
    }
    return std::nullopt;
}

/**
 * True if digest_of would compute a digest (no early verdict): a certification after a
 * user ID, a subkey signature on a subkey, a known hash, a signature version whose hashed
 * area cannot pass 65535 octets. A signature without candidate issuers then is "no key"
 * without hashing: most signatures of a listing are third-party ones of unknown keys.
 */
bool hashing_cannot_fail(const Cert& c, const Component& comp, const Signature& sig) {
    if (sig.version < 2 || sig.version > 5 || !packet::hash_kind(sig.hash_algo)) return false;
    switch (target_of(sig.sig_type)) {
    case Target::PrimaryKey: return true;
    case Target::UserId: return user_before(c, comp) != nullptr;
    case Target::Subkey: return comp.kind == ComponentKind::Subkey && comp.key();
    case Target::Other: return false;
    }
    return false;
}

bool keyid_is(const Key& k, std::uint64_t id) noexcept { return keyid_value(k.keyid) == id; }

/** Candidate issuers: the keys gpg would try, in its order. */
std::vector<const Key*> issuers(const Cert& c, const Signature& sig, const CheckContext& ctx) {
    const SigType type = sig.sig_type;
    // gpg verifies direct-key signatures and subkey revocations with the primary key,
    // whatever issuer they name (g10/sig-check.c, check_key_signature2).
    if (type == SigType::DirectKey || type == SigType::SubkeyRevocation)
        return {&c.key()};
    const auto id = sig.issuer_keyid();
    if (!id) return {};
    const std::uint64_t want = keyid_value(*id);
    std::vector<const Key*> out;
    if (keyid_is(c.key(), want)) return {&c.key()};
    for (const Component* sub : c.of_kind(ComponentKind::Subkey))
        if (sub->key() && keyid_is(*sub->key(), want)) out.push_back(sub->key());
    // Another certificate's key must be able to certify: gpg looks such issuers up with
    // PUBKEY_USAGE_CERT, which only usable primary keys satisfy (not expired, revoked or
    // invalid); a subkey's ID or an unusable key is "no key".
    if (ctx.others)
        if (const auto* found = ctx.others->find(want))
            for (const Key* k : *found) {
                const Cert* owner = ctx.others->owner(k);
                if (owner && &owner->key() == k && ctx.others->usable(k) &&
                    std::find(out.begin(), out.end(), k) == out.end())
                    out.push_back(k);
            }
    return out;
}

void apply_policy(const Signature& sig, const Key& signer, const Cert& c, SigCheck& r, const Policy& p) {
    const auto created = sig.created();
    if (std::find(p.rejected_hashes.begin(), p.rejected_hashes.end(), sig.hash_algo) != p.rejected_hashes.end()) {
        r.policy = "Invalid digest algorithm";
        return;
    }
    const bool sha1 = sig.hash_algo == packet::HashAlgo::Sha1;
    if (sha1 && !r.self && target_of(sig.sig_type) == Target::UserId && p.sha1_cert_cutoff && created &&
        *created > *p.sha1_cert_cutoff) {
        r.policy = "Invalid digest algorithm";
        return;
    }
    if (p.reject_time_conflict && created && (signer.created > *created || c.key().created > *created))
        r.policy = "key is newer than the signature";
}

/** Tries each candidate issuer; the first that verifies wins, else the first verdict. */
SigCheck verify_candidates(const std::vector<const Key*>& candidates, const Signature& sig, ByteView digest,
                           ByteView cert_fpr, const CheckContext& ctx) {
    SigCheck r = verdict(Verdict::NoKey, "no public key for the issuer");
    for (const Key* k : candidates) {
        CryptoResult cr;
        // The quick check of the left 16 bits (RFC 9580 section 5.2.3): gpg calls a
        // mismatch a bad signature without verifying.
        if (digest.size() >= 2 && (digest[0] != sig.left16[0] || digest[1] != sig.left16[1]))
            cr = {Verdict::Bad, "digest does not match the signature's left 16 bits"};
        else
            cr = verify_in_context(*k, sig, digest, cert_fpr, ctx);
        if (r.crypto == Verdict::NoKey || cr.verdict == Verdict::Good) {
            r.crypto = cr.verdict;
            r.crypto_reason = std::move(cr.reason);
            r.issuer = k;
        }
        if (r.crypto == Verdict::Good) break;
    }
    return r;
}

}  // namespace

CryptoResult verify_in_context(const Key& k, const Signature& sig, ByteView digest, ByteView cert_fpr,
                               const CheckContext& ctx) {
    if (k.malformed) return {Verdict::Malformed, "key material does not parse: " + k.malformed->detail()};
    std::optional<VerifiedSignatures::Id> id;
    if (ctx.verified && !cert_fpr.empty()) {
        id = VerifiedSignatures::id_of(k, sig, digest);
        if (ctx.verified->contains(*id)) return {Verdict::Good, {}};
    }
    CryptoResult r = ctx.cache ? ctx.cache->get(k).verify(sig, digest) : verify_digest(k, sig, digest);
    if (id && r.verdict == Verdict::Good) ctx.verified->record(*id, cert_fpr);
    return r;
}

SigFlags signature_flags(const Signature& sig, std::uint32_t now) {
    using packet::SubpacketType;
    auto sub = [&sig](SubpacketType t) { return sig.subpacket(t); };
    SigFlags f;
    if (const auto* p = sub(SubpacketType::ExportableCertification)) f.exportable = !p->body.empty() && p->body[0];
    if (const auto* p = sub(SubpacketType::Revocable)) f.revocable = !p->body.empty() && p->body[0];
    f.policy_url = sub(SubpacketType::PolicyUri) != nullptr;
    f.notation = sub(SubpacketType::NotationData) != nullptr;
    if (const auto* p = sub(SubpacketType::TrustSignature); p && !p->body.empty()) f.trust_depth = p->body[0];
    const auto* e = sub(SubpacketType::SignatureExpirationTime);
    if (e && e->body.size() == 4) {
        const std::uint32_t secs = (std::uint32_t{e->body[0]} << 24) | (std::uint32_t{e->body[1]} << 16) |
                                   (std::uint32_t{e->body[2]} << 8) | e->body[3];
        if (secs) {
            f.expires = sig.created().value_or(0) + secs;
            f.expired = *f.expires <= now;
        }
    }
    return f;
}

bool is_revocation(SigType t) noexcept {
    return t == SigType::KeyRevocation || t == SigType::SubkeyRevocation || t == SigType::CertRevocation;
}

bool left16_matches(const Cert& c, const Component& comp, const Signature& sig) {
    Bytes digest;
    if (digest_of(c, comp, sig, digest)) return false;
    return digest.size() >= 2 && digest[0] == sig.left16[0] && digest[1] == sig.left16[1];
}

std::uint64_t keyid_value(const std::array<std::uint8_t, 8>& id) noexcept {
    std::uint64_t v = 0;
    for (std::uint8_t b : id) v = (v << 8) | b;
    return v;
}

char SigCheck::marker() const noexcept {
    if (policy) return '%';
    switch (crypto) {
    case Verdict::Good: return '!';
    case Verdict::Bad: return '-';
    case Verdict::NoKey: return '?';
    default: return '%';
    }
}

const char* SigCheck::verdict_name() const noexcept {
    if (crypto == Verdict::Good && policy) return "rejected";
    return cert::verdict_name(crypto);
}

void KeyIndex::add(const Cert& c, bool usable) {
    auto put = [&](const Key& k) {
        m_by_keyid[keyid_value(k.keyid)].push_back(&k);
        m_owner.emplace(&k, &c);
        m_usable.emplace(&k, usable);
    };
    put(c.key());
    for (const Component* sub : c.of_kind(ComponentKind::Subkey))
        if (sub->key()) put(*sub->key());
}

bool KeyIndex::usable(const Key* key) const {
    auto it = m_usable.find(key);
    return it != m_usable.end() && it->second;
}

const Cert* KeyIndex::owner(const Key* key) const {
    auto it = m_owner.find(key);
    return it == m_owner.end() ? nullptr : it->second;
}

const std::vector<const Key*>* KeyIndex::find(std::uint64_t keyid) const {
    auto it = m_by_keyid.find(keyid);
    return it == m_by_keyid.end() ? nullptr : &it->second;
}

KeyVerifier VerifierCache::get(const Key& key) {
    // By fingerprint, not address: a copy of a certificate finds the keys decoded for the
    // original, and a freed key's address reused by another key cannot hit.
    std::string id(key.fingerprint.begin(), key.fingerprint.end());
    {
        std::lock_guard<std::mutex> lock(m_mu);
        if (auto it = m_map.find(id); it != m_map.end()) return it->second;
    }
    KeyVerifier decoded(key);
    std::lock_guard<std::mutex> lock(m_mu);
    return m_map.try_emplace(std::move(id), std::move(decoded)).first->second;
}

SigCheck check_data_signature(const Signature& sig, ByteView data, const CheckContext& ctx) {
    const SigType t = sig.sig_type;
    if (t != SigType::Binary && t != SigType::Text && t != SigType::Standalone && t != SigType::Timestamp)
        return verdict(Verdict::Malformed, std::string("signature of type ") + packet::sig_type_name(sig.sig_type) +
                                               " is not a data signature");
    Bytes digest;
    try {
        digest = packet::data_digest(sig, data);
    } catch (const Error& e) {
        return verdict(packet::hash_kind(sig.hash_algo) ? Verdict::Malformed : Verdict::Unsupported, e.detail());
    }
    std::vector<const Key*> candidates;
    const auto id = sig.issuer_keyid();
    if (id && ctx.others)
        if (const auto* found = ctx.others->find(keyid_value(*id))) candidates = *found;
    SigCheck r = verify_candidates(candidates, sig, digest, {}, ctx);  // data: never memoised
    const Cert* owner = r.issuer && ctx.others ? ctx.others->owner(r.issuer) : nullptr;
    if (owner) {
        r.self = false;
        apply_policy(sig, *r.issuer, *owner, r, ctx.policy);
    }
    return r;
}

SigCheck check_signature(const Cert& c, const Component& comp, const packet::Packet& sig_packet,
                         const CheckContext& ctx) {
    const auto* sig = sig_packet.get<Signature>();
    if (!sig) return verdict(Verdict::Malformed, "signature packet does not parse");
    const std::vector<const Key*> candidates = issuers(c, *sig, ctx);
    if (candidates.empty() && hashing_cannot_fail(c, comp, *sig))
        return verdict(Verdict::NoKey, "no public key for the issuer");  // what hashing would end in
    Bytes digest;
    if (auto early = digest_of(c, comp, *sig, digest)) return *early;
    SigCheck r = verify_candidates(candidates, *sig, digest, c.key().fingerprint, ctx);
    r.self = r.issuer == &c.key();
    if (r.issuer) apply_policy(*sig, *r.issuer, c, r, ctx.policy);
    return r;
}

}  // namespace pgpkit::cert
