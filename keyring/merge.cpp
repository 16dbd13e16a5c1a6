#include "keyring/merge.h"

#include <algorithm>
#include <utility>

#include "base/bytes.h"
#include "keyring/internal/key_expired.h"
#include "keyring/internal/sig_class.h"
#include "packet/names.h"

namespace pgpkit::keyring {

using cert::Cert;
using cert::Component;
using cert::ComponentKind;
using packet::Packet;
using packet::Signature;
using packet::SigType;
using internal::is_subkey_class;
using internal::is_user;

namespace {

const Signature& sig(const Packet& p) { return *p.get<Signature>(); }

/** Where gpg's insert_kbnode(dst, n, PKT_SIGNATURE) puts a signature: after the leading run of them. */
void insert_after_sigs(Component& comp, const Packet& p) {
    auto at = std::find_if(comp.tail.begin(), comp.tail.end(), [](const Packet& q) { return !q.get<Signature>(); });
    comp.tail.insert(at, p);
}

std::size_t sig_count(const Component& comp) {
    return static_cast<std::size_t>(
        std::count_if(comp.tail.begin(), comp.tail.end(), [](const Packet& p) { return p.get<Signature>() != nullptr; }));
}

bool same_user(const Component& a, const Component& b) { return a.kind == b.kind && a.id_bytes() == b.id_bytes(); }

bool same_key(const Component& a, const Component& b) {
    return a.key() && b.key() && a.key()->fingerprint == b.key()->fingerprint;
}

/** The tails gpg's user ID loops walk: the user ID's and those up to the next user ID. */
std::vector<Component*> user_range(Cert& c, std::size_t i) {
    std::vector<Component*> out{&c.components[i]};
    for (std::size_t j = i + 1; j < c.components.size() && !is_user(c.components[j].kind); ++j)
        out.push_back(&c.components[j]);
    return out;
}

/** Steps 1 and 2 of merge_blocks: key revocations, then direct-key signatures. */
void merge_primary_sigs(Cert& existing, const Cert& incoming, SigType type, MergeCounts& n) {
    for (const Packet& p : incoming.primary.tail) {
        if (!p.get<Signature>() || sig(p).sig_type != type) continue;
        const auto& tail = existing.primary.tail;
        const bool found = std::any_of(tail.begin(), tail.end(), [&](const Packet& q) {
            return q.get<Signature>() && sig(q).sig_type == type && same_signature(sig(q), sig(p));
        });
        if (found) continue;
        existing.primary.tail.insert(existing.primary.tail.begin(), p);
        ++n.sigs;
    }
}

/** merge_sigs: new certifications of a known user ID. */
void merge_user_sigs(Cert& existing, std::size_t oi, const Cert& incoming, std::size_t ii, MergeCounts& n) {
    std::vector<const Packet*> src;
    for (std::size_t j = ii; j < incoming.components.size() && (j == ii || !is_user(incoming.components[j].kind)); ++j)
        for (const Packet& p : incoming.components[j].tail)
            if (p.get<Signature>() && !is_subkey_class(sig(p).sig_type)) src.push_back(&p);
    for (const Packet* p : src) {
        bool found = false;
        for (Component* comp : user_range(existing, oi))
            for (const Packet& q : comp->tail)
                if (q.get<Signature>() && same_signature(sig(*p), sig(q))) found = true;
        if (found) continue;
        insert_after_sigs(existing.components[oi], *p);
        ++n.sigs;
    }
}

/** merge_keysigs: a subkey signature is new unless one of its type and issuer is not older. */
void merge_subkey_sigs(Component& dst, const Component& src, MergeCounts& n) {
    for (const Packet& p : src.tail) {
        if (!p.get<Signature>()) continue;
        const Signature& s = sig(p);
        const bool found = std::any_of(dst.tail.begin(), dst.tail.end(), [&](const Packet& q) {
            if (!q.get<Signature>()) return false;
            const Signature& d = sig(q);
            return issuer_of(d) == issuer_of(s) && s.created().value_or(0) <= d.created().value_or(0) &&
                   d.sig_type == s.sig_type;
        });
        if (found) continue;
        insert_after_sigs(dst, p);
        ++n.sigs;
    }
}

std::size_t first_subkey(const Cert& c) {
    for (std::size_t i = 0; i < c.components.size(); ++i)
        if (c.components[i].kind == ComponentKind::Subkey) return i;
    return c.components.size();
}

}  // namespace

MergeCounts merge_into(Cert& existing, const Cert& incoming) {
    MergeCounts n;
    merge_primary_sigs(existing, incoming, SigType::KeyRevocation, n);
    merge_primary_sigs(existing, incoming, SigType::DirectKey, n);
    // 3rd: new signatures on the user IDs we have (before any is added).
    const std::size_t known = existing.components.size();
    for (std::size_t oi = 0; oi < known; ++oi) {
        if (!is_user(existing.components[oi].kind)) continue;
        for (std::size_t ii = 0; ii < incoming.components.size(); ++ii)
            if (same_user(existing.components[oi], incoming.components[ii])) {
                merge_user_sigs(existing, oi, incoming, ii, n);
                break;
            }
    }
    // 4th: new user IDs, before the first subkey.
    for (const Component& comp : incoming.components) {
        if (!is_user(comp.kind)) continue;
        const bool have = std::any_of(existing.components.begin(), existing.components.end(),
                                      [&](const Component& o) { return same_user(o, comp); });
        if (have) continue;
        existing.components.insert(existing.components.begin() + static_cast<std::ptrdiff_t>(first_subkey(existing)),
                                   comp);
        ++n.uids;
        n.sigs += sig_count(comp);
    }
    // 5th: new subkeys at the end; 6th: new signatures on the subkeys we had.
    const std::size_t before = existing.components.size();
    std::vector<bool> added(before, false);
    for (const Component& comp : incoming.components) {
        if (comp.kind != ComponentKind::Subkey) continue;
        const bool have = std::any_of(existing.components.begin(), existing.components.end(),
                                      [&](const Component& o) { return o.kind == ComponentKind::Subkey && same_key(o, comp); });
        if (have) continue;
        existing.components.push_back(comp);
        ++n.subkeys;
        n.sigs += sig_count(comp);
    }
    for (std::size_t oi = 0; oi < before; ++oi) {
        Component& dst = existing.components[oi];
        if (dst.kind != ComponentKind::Subkey) continue;
        for (const Component& src : incoming.components)
            if (src.kind == ComponentKind::Subkey && same_key(dst, src)) {
                merge_subkey_sigs(dst, src, n);
                break;
            }
    }
    return n;
}

std::size_t remove_bad_direct_key_sigs(Cert& stored, const cert::CheckContext& ctx) {
    std::vector<Packet> kept;
    std::size_t removed = 0;
    for (Packet& p : stored.primary.tail) {
        if (p.get<Signature>() && sig(p).sig_type == SigType::DirectKey) {
            const cert::SigCheck r = cert::check_signature(stored, stored.primary, p, ctx);
            // gpg keeps what it cannot decide (an unsupported algorithm).
            if (!r.good() && r.crypto != cert::Verdict::Unsupported) {
                ++removed;
                continue;
            }
        }
        kept.push_back(std::move(p));
    }
    stored.primary.tail = std::move(kept);
    return removed;
}

namespace {

bool is_secret_packet(const Packet& p) {
    const packet::Tag t = p.tag();
    return t == packet::Tag::SecretKey || t == packet::Tag::SecretSubkey;
}

bool is_stub(const packet::Key& k) {
    return k.secret && k.secret->s2k && k.secret->s2k->is_gnu() &&
           (k.secret->s2k->gnu_mode == static_cast<std::uint8_t>(packet::GnuS2kMode::Dummy) ||
            k.secret->s2k->gnu_mode == static_cast<std::uint8_t>(packet::GnuS2kMode::DivertToCard));
}

bool has_secret(const Component& comp) { return is_secret_packet(comp.head) && comp.key() && !is_stub(*comp.key()); }

void merge_one_secret(Component& dst, const Component& src, SecretMerge& out) {
    if (!is_secret_packet(src.head) || !src.key()) return;
    if (is_stub(*src.key())) {
        ++out.stubs;
        if (!is_secret_packet(dst.head)) dst.head = src.head;  // keep the card reference
        return;
    }
    if (has_secret(dst)) {
        ++out.dups;
        return;
    }
    dst.head = src.head;
    ++out.imported;
}

}  // namespace

SecretMerge merge_secret(Cert& stored, const Cert& tsk) {
    SecretMerge out;
    if (stored.key().fingerprint == tsk.key().fingerprint) merge_one_secret(stored.primary, tsk.primary, out);
    for (const Component& src : tsk.components) {
        if (src.kind != ComponentKind::Subkey) continue;
        for (Component& dst : stored.components)
            if (dst.kind == ComponentKind::Subkey && same_key(dst, src)) {
                merge_one_secret(dst, src, out);
                break;
            }
    }
    return out;
}

namespace {

/** gpg's cmp_user_ids(a, b) > 0: the longer user ID, or at equal length the greater octets. */
bool ranks_higher(const Component& a, const Component& b) {
    const Bytes x = a.id_bytes(), y = b.id_bytes();
    if (x.size() != y.size()) return x.size() > y.size();
    return std::lexicographical_compare(y.begin(), y.end(), x.begin(), x.end());
}

/** The user ID gpg names a key by: flagged primary in its newest self-signature, else newest. */
/** The user ID gpg would call primary, or null; `revoked_too` also considers revoked ones. */
const Component* pick_primary_uid(const Cert& c, bool revoked_too) {
    const std::uint64_t self = cert::keyid_value(c.key().keyid);
    const Component* best = nullptr;
    bool best_flag = false;
    std::uint32_t best_time = 0;
    for (const Component& comp : c.components) {
        if (comp.kind != ComponentKind::UserId) continue;
        const Signature* newest = nullptr;
        std::optional<std::uint32_t> revoked_at;
        for (const Packet& p : comp.tail) {
            if (!p.get<Signature>() || issuer_of(sig(p)) != self) continue;
            const std::uint32_t t = sig(p).created().value_or(0);
            if (sig(p).sig_type == SigType::CertRevocation) revoked_at = std::max(revoked_at.value_or(0), t);
            const auto ty = sig(p).sig_type;
            const bool cert_class = ty == SigType::GenericCert || ty == SigType::PersonaCert ||
                                    ty == SigType::CasualCert || ty == SigType::PositiveCert;
            if (cert_class && (!newest || t >= newest->created().value_or(0))) newest = &sig(p);
        }
        if (!newest) continue;
        const std::uint32_t t = newest->created().value_or(0);
        if (!revoked_too && revoked_at && *revoked_at >= t) continue;  // gpg skips revoked user IDs
        const auto* f = newest->subpacket(packet::SubpacketType::PrimaryUserId);
        const bool flag = f && !f->body.empty() && f->body[0] != 0;
        // gpg's merge_selfsigs_main: flagged first, then newest; a tie goes to the user ID
        // that cmp_user_ids ranks higher (longer, then greater octets).
        const bool wins = !best || (flag && !best_flag) ||
                          (flag == best_flag && (t > best_time || (t == best_time && ranks_higher(comp, *best))));
        if (wins) best = &comp, best_flag = flag, best_time = t;
    }
    return best;
}

std::string primary_uid(const Cert& c) {
    const Component* best = pick_primary_uid(c, false);
    if (!best) best = pick_primary_uid(c, true);
    if (!best) return "[?]";
    const Bytes id = best->id_bytes();
    return std::string(as_text(id));
}

std::uint64_t approx_size(const Cert& c) {
    std::uint64_t n = 0;
    for (const Packet* p : cert::packets_of(c)) n += p->header.header_len + p->header.length;
    return n;
}

std::string plural(std::size_t n, const char* one, const char* many) {
    return n == 1 ? std::string("1 ") + one : std::to_string(n) + " " + many;
}

void merge_log(ImportResult& r, const std::string& key, const std::string& uid) {
    const std::string head = "key " + key + ": \"" + uid + "\" ";
    if (r.counts.uids) r.log.push_back(head + plural(r.counts.uids, "new user ID", "new user IDs"));
    if (r.counts.sigs) r.log.push_back(head + plural(r.counts.sigs, "new signature", "new signatures"));
    if (r.counts.subkeys) r.log.push_back(head + plural(r.counts.subkeys, "new subkey", "new subkeys"));
    if (r.cleaned.sigs_cleaned)
        r.log.push_back(head + plural(r.cleaned.sigs_cleaned, "signature cleaned", "signatures cleaned"));
    if (r.cleaned.uids_cleaned)
        r.log.push_back(head + plural(r.cleaned.uids_cleaned, "user ID cleaned", "user IDs cleaned"));
}

void more_key_expired(ImportResult& r, const std::vector<std::uint32_t>& lines) {
    r.key_expired.insert(r.key_expired.end(), lines.begin(), lines.end());
}

/** The public part of import_one_real once the keyblock is prepared. */
void insert_or_merge(ImportResult& r, const Cert& pub, const Cert* existing, const ImportOptions& opt,
                     const cert::CheckContext& ctx, std::uint32_t now) {
    const std::string key = keyid_hex(pub.key());
    const std::string fpr = to_hex(pub.key().fingerprint);
    if (!existing) {
        if (opt.merge_only) {
            r.outcome = ImportOutcome::SkippedNew;
            return;
        }
        r.cert = pub;
        if (opt.clean()) {
            // gpg merges the keyblock it cleaned before once more, then cleans it again.
            more_key_expired(r, internal::merge_keyexpired(r.cert, now, internal::MergeState::Again,
                                                           ctx.verified));
            more_key_expired(r, internal::clean_keyexpired(r.cert, now, ctx.verified));
            clean_cert(r.cert, opt.import_minimal, ctx, now, &r.dropped);  // gpg counts nothing here
        }
        r.outcome = ImportOutcome::New;
        r.store = true;
        r.import_ok = 1;
        const std::string uid = primary_uid(r.cert);
        r.status.push_back({"IMPORTED", key + " " + uid});
        r.log.push_back("key " + key + ": public key \"" + uid + "\" imported");
        return;
    }
    r.cert = *existing;
    r.cleaned.sigs_cleaned = remove_bad_direct_key_sigs(r.cert, ctx);
    r.counts = merge_into(r.cert, pub);
    if (opt.clean() && !opt.self_sigs_only) {
        // The stored keyblock is merged here for the first time.
        more_key_expired(r, internal::merge_keyexpired(r.cert, now, internal::MergeState::Fresh,
                                                       ctx.verified));
        more_key_expired(r, internal::clean_keyexpired(r.cert, now, ctx.verified));
        const CleanCounts cc = clean_cert(r.cert, opt.import_minimal, ctx, now, &r.dropped);
        r.cleaned.sigs_cleaned += cc.sigs_cleaned;
        r.cleaned.uids_cleaned += cc.uids_cleaned;
    }
    const std::string uid = primary_uid(r.cert);
    if (r.counts.any() || r.cleaned.sigs_cleaned || r.cleaned.uids_cleaned) {
        r.outcome = ImportOutcome::Updated;
        r.store = true;
        r.import_ok = (r.counts.uids ? 2u : 0u) | (r.counts.sigs ? 4u : 0u) | (r.counts.subkeys ? 8u : 0u);
        merge_log(r, key, uid);
    } else {
        r.outcome = ImportOutcome::Unchanged;
        r.import_ok = 0;
        r.log.push_back("key " + key + ": \"" + uid + "\" not changed");
    }
}

ImportResult import_prepared(Prepared prep, const Cert* existing, const ImportOptions& opt,
                             const cert::CheckContext& ctx, std::uint32_t now) {
    ImportResult r;
    r.secret = prep.cert.secret();
    r.problem = prep.problem;
    r.dropped = std::move(prep.dropped);
    r.key_expired = std::move(prep.key_expired);
    const std::string key = keyid_hex(prep.cert.key());
    if (!prep.importable()) {
        if (r.problem == Problem::NoUserId) r.log.push_back("key " + key + ": no user ID");
        if (r.problem == Problem::NoValidUserIds) {
            r.log.push_back("key " + key + ": no valid user IDs");
            r.log.push_back("this may be caused by a missing self-signature");
        }
        if (r.problem == Problem::InvalidKeyblock) r.log.push_back("key " + key + ": no user ID for signature");
        const bool no_uid = r.problem == Problem::NoUserId || r.problem == Problem::NoValidUserIds;
        if (opt.revocation_only_updates && existing && no_uid) {
            // Not gpg: the key revocations of a known key still count.
            for (const Packet& p : prep.cert.primary.tail)
                if (p.get<Signature>() && sig(p).sig_type == SigType::KeyRevocation) r.other_revocations.push_back(p);
            if (!r.other_revocations.empty()) {
                r.problem = Problem::None;
                r.outcome = ImportOutcome::Unchanged;
            }
        }
        return r;
    }
    r.other_revocations = std::move(prep.other_revocations);
    const Cert pub = r.secret ? cert::public_part(prep.cert) : prep.cert;
    insert_or_merge(r, pub, existing, opt, ctx, now);
    const std::string fpr = to_hex(pub.key().fingerprint);
    if (r.import_ok) r.status.push_back({"IMPORT_OK", std::to_string(*r.import_ok) + " " + fpr});
    if (!r.secret || r.outcome == ImportOutcome::SkippedNew) return r;
    // import_secret_one: the secret parts of the components that survived, into the result.
    if (!r.store) r.cert = *existing;
    r.secret_merge = merge_secret(r.cert, prep.cert);
    if (r.secret_merge.imported) r.store = true;
    r.secret_import_ok = 16u | (r.secret_merge.imported ? 1u : 0u);
    r.status.push_back({"IMPORT_OK", std::to_string(*r.secret_import_ok) + " " + fpr});
    r.log.push_back("key " + key + ": secret key imported");
    return r;
}

}  // namespace

ImportResult import_cert(Cert incoming, const Cert* existing, const ImportOptions& opt, const cert::CheckContext& ctx,
                         std::uint32_t now) {
    const std::uint64_t limit = opt.max_keyblock_bytes;
    const bool may_retry = limit && !(opt.self_sigs_only && opt.clean()) &&
                           approx_size(incoming) + (existing ? approx_size(*existing) : 0) > limit;
    std::optional<Cert> copy;
    if (may_retry) copy = incoming;
    ImportResult r = import_prepared(prepare_cert(std::move(incoming), opt, ctx, now), existing, opt, ctx, now);
    if (!r.store || !limit || approx_size(r.cert) <= limit) return r;
    if (copy) {
        // import_one: the keybox refused the image; do it again with self-sigs-only + clean.
        ImportOptions strict = opt;
        strict.self_sigs_only = true;
        strict.import_clean = true;
        r = import_prepared(prepare_cert(std::move(*copy), strict, ctx, now), existing, strict, ctx, now);
        r.retried_self_sigs_only = true;
        if (!r.store || approx_size(r.cert) <= limit) return r;
    }
    ImportResult too_large;
    too_large.outcome = ImportOutcome::NotImported;
    too_large.too_large = true;
    too_large.secret = r.secret;
    too_large.dropped = std::move(r.dropped);
    too_large.retried_self_sigs_only = r.retried_self_sigs_only;
    too_large.log.push_back("key " + keyid_hex(r.cert.key()) + ": keyblock too large");
    return too_large;
}

RevocationResult attach_revocation(Cert* stored, const Packet& sig_packet, const cert::CheckContext& ctx) {
    RevocationResult r;
    const Signature* s = sig_packet.get<Signature>();
    const std::string key = s ? to_hex(s->issuer_keyid().value_or(std::array<std::uint8_t, 8>{})) : "0000000000000000";
    if (!stored) {
        r.outcome = RevocationOutcome::NoPublicKey;
        r.log.push_back("key " + key + ": no public key - can't apply revocation certificate");
        return r;
    }
    const cert::SigCheck check = s && s->sig_type == SigType::KeyRevocation
                                     ? cert::check_signature(*stored, stored->primary, sig_packet, ctx)
                                     : cert::SigCheck{cert::Verdict::Malformed, "not a key revocation", {}, nullptr, false};
    if (!check.good()) {
        r.outcome = RevocationOutcome::Invalid;
        r.reason = check.policy ? *check.policy : check.crypto_reason;
        if (r.reason.empty()) r.reason = check.verdict_name();
        r.log.push_back("key " + key + ": invalid revocation certificate: " + r.reason + " - rejected");
        return r;
    }
    auto& tail = stored->primary.tail;
    // gpg compares with every signature of the primary key, whatever its type.
    if (std::any_of(tail.begin(), tail.end(), [&](const Packet& q) { return q.get<Signature>() && same_signature(sig(q), *s); })) {
        r.outcome = RevocationOutcome::Duplicate;
        return r;
    }
    tail.insert(tail.begin(), sig_packet);
    r.outcome = RevocationOutcome::Imported;
    r.log.push_back("key " + key + ": \"" + primary_uid(*stored) + "\" revocation certificate imported");
    return r;
}

std::string keyid_hex(const packet::Key& k) { return to_hex(k.keyid); }

const char* import_outcome_name(ImportOutcome o) noexcept {
    switch (o) {
    case ImportOutcome::New: return "new";
    case ImportOutcome::Updated: return "updated";
    case ImportOutcome::Unchanged: return "unchanged";
    case ImportOutcome::SkippedNew: return "skipped-new";
    case ImportOutcome::NotImported: return "not-imported";
    }
    return "unknown";
}

}  // namespace pgpkit::keyring
