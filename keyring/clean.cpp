#include "keyring/clean.h"

#include <algorithm>
#include <map>
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


bool is_uid_cert(SigType t) noexcept {
    return t == SigType::GenericCert || t == SigType::PersonaCert || t == SigType::CasualCert ||
           t == SigType::PositiveCert;
}
bool is_uid_class(SigType t) noexcept { return is_uid_cert(t) || t == SigType::CertRevocation; }
/** gpg's IS_CERT: the signature types that belong in a keyblock. */
bool is_cert_class(SigType t) noexcept {
    return is_uid_class(t) || is_subkey_class(t) || t == SigType::DirectKey || t == SigType::KeyRevocation;
}

/** pubkey_get_nsig of gpg 2.2: how many signature values it compares (0: it cannot). */
std::size_t nsig(packet::PubkeyAlgo algo) noexcept {
    using packet::PubkeyAlgo;
    switch (algo) {
    case PubkeyAlgo::Rsa:
    case PubkeyAlgo::RsaEncryptOnly:
    case PubkeyAlgo::RsaSignOnly: return 1;
    case PubkeyAlgo::Dsa:
    case PubkeyAlgo::Ecdsa:
    case PubkeyAlgo::EdDsaLegacy:
    case PubkeyAlgo::ElgamalSignEncrypt: return 2;
    default: return 0;
    }
}

/** The public-key algorithms gpg 2.2 can check (openpgp_pk_test_algo); others are deleted. */
bool gpg22_algo(packet::PubkeyAlgo algo) noexcept {
    using packet::PubkeyAlgo;
    switch (algo) {
    case PubkeyAlgo::Rsa:
    case PubkeyAlgo::RsaEncryptOnly:
    case PubkeyAlgo::RsaSignOnly:
    case PubkeyAlgo::Elgamal:
    case PubkeyAlgo::Dsa:
    case PubkeyAlgo::Ecdh:
    case PubkeyAlgo::Ecdsa:
    case PubkeyAlgo::EdDsaLegacy: return true;
    default: return false;
    }
}

ByteView value_of(const packet::AlgoField& f) noexcept {
    ByteView v(f.data);
    while (!v.empty() && v.front() == 0) v = v.subspan(1);
    return v;
}

bool same_values(const Signature& a, const Signature& b, std::size_t n) noexcept {
    if (a.fields.size() < n || b.fields.size() < n) return false;
    for (std::size_t i = 0; i < n; ++i) {
        const ByteView x = value_of(a.fields[i]), y = value_of(b.fields[i]);
        if (!std::equal(x.begin(), x.end(), y.begin(), y.end())) return false;
    }
    return true;
}

/** key-check.c's sig_comparison: digest algorithm and values (no issuer). */
bool repair_equal(const Signature& a, const Signature& b) noexcept {
    if (a.hash_algo != b.hash_algo) return false;
    const std::size_t n = nsig(a.pk_algo);
    if (n != nsig(b.pk_algo)) return false;
    return same_values(a, b, n);
}

bool exportable(const Signature& s) noexcept {
    const auto* p = s.subpacket(packet::SubpacketType::ExportableCertification);
    return !p || p->body.empty() || p->body[0] != 0;
}

bool revocable(const Signature& s) noexcept {
    const auto* p = s.subpacket(packet::SubpacketType::Revocable);
    return !p || p->body.empty() || p->body[0] != 0;
}

std::optional<std::uint32_t> sig_expiry(const Signature& s) {
    const auto* p = s.subpacket(packet::SubpacketType::SignatureExpirationTime);
    if (!p || p->body.size() != 4) return std::nullopt;
    const std::uint32_t secs = (std::uint32_t{p->body[0]} << 24) | (std::uint32_t{p->body[1]} << 16) |
                               (std::uint32_t{p->body[2]} << 8) | p->body[3];
    if (secs == 0) return std::nullopt;
    return s.created().value_or(0) + secs;
}

std::uint32_t created(const Signature& s) { return s.created().value_or(0); }

/** Collects drops, one entry per component and reason. */
class Drops {
public:
    explicit Drops(std::vector<Dropped>* out) : m_out(out) {}
    void add(const Component& comp, DropReason why, std::string detail, std::size_t n = 1, bool whole = false) {
        if (!m_out || n == 0) return;
        const std::string name = describe_component(comp);
        if (!whole && !m_out->empty()) {
            Dropped& last = m_out->back();
            if (!last.whole_component && last.reason == why && last.component == name) {
                last.packets += n;
                return;
            }
        }
        m_out->push_back({comp.kind, name, whole, n, why, std::move(detail)});
    }

private:
    std::vector<Dropped>* m_out;
};

/** Removes the tail packets for which `kill` says so. */
template <class Pred>
std::size_t erase_tail(Component& comp, Pred kill) {
    const auto before = comp.tail.size();
    std::erase_if(comp.tail, kill);
    return before - comp.tail.size();
}

template <class Fn>
void each_component(Cert& c, Fn fn) {
    fn(c.primary);
    for (Component& comp : c.components) fn(comp);
}

// ---------------------------------------------------------------------------------------
// The steps of import_one_real, in its order.

/** read_block keeps only keyblock packets (ring trust is skipped unless restoring). */
void keep_keyblock_packets(Cert& c, Drops& drops) {
    each_component(c, [&](Component& comp) {
        const auto n = erase_tail(comp, [](const Packet& p) { return !p.get<Signature>(); });
        drops.add(comp, DropReason::NotKeyblockPacket, "not a signature packet (or one that does not parse)", n);
    });
    std::erase_if(c.components, [&](const Component& comp) {
        if (comp.kind != ComponentKind::Subkey || comp.key()) return false;
        drops.add(comp, DropReason::NotKeyblockPacket, "subkey packet that does not parse", 1 + comp.tail.size(), true);
        return true;
    });
}

void remove_non_self_sigs(Cert& c, Drops& drops) {
    const std::uint64_t self = cert::keyid_value(c.key().keyid);
    each_component(c, [&](Component& comp) {
        const auto n = erase_tail(comp, [&](const Packet& p) { return issuer_of(*p.get<Signature>()) != self; });
        drops.add(comp, DropReason::NotSelfSignature, "not a self-signature (self-sigs-only)", n);
    });
}

/** Removes later copies of a signature on one component; `eq` says what a copy is. */
template <class Eq>
std::size_t dedup_tail(Component& comp, Eq eq) {
    std::vector<Packet> kept;
    std::size_t removed = 0;
    for (Packet& p : comp.tail) {
        const Signature& s = *p.get<Signature>();
        const bool dup = std::any_of(kept.begin(), kept.end(), [&](const Packet& k) { return eq(*k.get<Signature>(), s); });
        if (dup) ++removed;
        else kept.push_back(std::move(p));
    }
    comp.tail = std::move(kept);
    return removed;
}

/** collapse_uids: a repeated user ID's signatures go before the first one's, then dedup. */
std::size_t collapse_uids(Cert& c, Drops& drops) {
    std::size_t collapsed = 0;
    for (std::size_t i = 0; i < c.components.size(); ++i) {
        if (!is_user(c.components[i].kind)) continue;
        const Bytes id = c.components[i].id_bytes();
        for (std::size_t j = i + 1; j < c.components.size();) {
            Component& other = c.components[j];
            if (other.kind != c.components[i].kind || other.id_bytes() != id) {
                ++j;
                continue;
            }
            drops.add(other, DropReason::DuplicateUserId, "duplicated user ID detected - merged", 1, true);
            std::vector<Packet> tail = std::move(other.tail);
            for (Packet& p : c.components[i].tail) tail.push_back(std::move(p));
            c.components[i].tail = std::move(tail);
            c.components.erase(c.components.begin() + static_cast<std::ptrdiff_t>(j));
            const auto n = dedup_tail(c.components[i], same_signature);
            drops.add(c.components[i], DropReason::DuplicateSignature, "duplicate signature", n);
            ++collapsed;
        }
    }
    return collapsed;
}

bool kind_fits(const Component& comp, SigType t) noexcept {
    if (is_uid_class(t)) return is_user(comp.kind);
    if (is_subkey_class(t)) return comp.kind == ComponentKind::Subkey;
    return comp.kind == ComponentKind::PrimaryKey;
}

/** Whether key_check_all_keysigs can check the signature (issuer at hand, algorithms known). */
bool checkable(const Cert& c, const Signature& s, const cert::CheckContext& ctx) {
    if (!gpg22_algo(s.pk_algo) || packet::hash_digest_size(s.hash_algo) == 0) return false;
    const std::uint64_t id = issuer_of(s);
    return id == cert::keyid_value(c.key().keyid) || (ctx.others && ctx.others->find(id));
}

/** The component a misplaced signature is over, verified; null if none. */
Component* home_of(Cert& c, const Component& from, const Packet& p, const cert::CheckContext& ctx) {
    const Signature& s = *p.get<Signature>();
    const SigType t = s.sig_type;
    if (!is_cert_class(t)) return nullptr;
    if (kind_fits(from, t) && cert::left16_matches(c, from, s)) return nullptr;
    Component* found = nullptr;
    each_component(c, [&](Component& other) {
        if (found || &other == &from || !kind_fits(other, t) || !cert::left16_matches(c, other, s)) return;
        if (cert::check_signature(c, other, p, ctx).crypto == cert::Verdict::Good) found = &other;
    });
    return found;
}

}  // namespace

std::vector<std::uint64_t> repair_issuers(const Cert& c) {
    std::vector<std::uint64_t> out;
    const std::uint64_t self = cert::keyid_value(c.key().keyid);
    auto scan = [&](const Component& comp) {
        for (const Packet& p : comp.tail) {
            const Signature* s = p.get<Signature>();
            if (!s || !is_cert_class(s->sig_type) || issuer_of(*s) == self || issuer_of(*s) == 0) continue;
            if (kind_fits(comp, s->sig_type) && cert::left16_matches(c, comp, *s)) continue;
            if (std::find(out.begin(), out.end(), issuer_of(*s)) == out.end()) out.push_back(issuer_of(*s));
        }
    };
    scan(c.primary);
    for (const Component& comp : c.components) scan(comp);
    return out;
}

namespace {

/** repair-keys (key_check_all_keysigs in mode 1): duplicates out, misplaced ones moved. */
std::size_t repair_keys(Cert& c, const cert::CheckContext& ctx, Drops& drops) {
    auto dedup_all = [&] {
        each_component(c, [&](Component& comp) {
            const auto n = dedup_tail(comp, repair_equal);
            drops.add(comp, DropReason::DuplicateSignature, "duplicate signature removed (repair-keys)", n);
        });
    };
    dedup_all();
    std::size_t moved = 0;
    each_component(c, [&](Component& comp) {
        for (std::size_t i = 0; i < comp.tail.size();) {
            const Packet& p = comp.tail[i];
            Component* home = checkable(c, *p.get<Signature>(), ctx) ? home_of(c, comp, p, ctx) : nullptr;
            if (!home) {
                ++i;
                continue;
            }
            // key_check_all_keysigs puts it right after the component it is over; a copy
            // of one that component holds already goes, and the one in place stays where it
            // is (gpg 2.2.40 on Debian's key C32A4D0858F5A6EA with its certifier at hand).
            Packet moving = std::move(comp.tail[i]);
            comp.tail.erase(comp.tail.begin() + static_cast<std::ptrdiff_t>(i));
            const Signature& ms = *moving.get<Signature>();
            const bool held = std::any_of(home->tail.begin(), home->tail.end(), [&](const Packet& q) {
                const Signature* qs = q.get<Signature>();
                return qs && repair_equal(*qs, ms);
            });
            if (held) {
                drops.add(comp, DropReason::DuplicateSignature, "duplicate signature removed (repair-keys)", 1);
                continue;
            }
            home->tail.insert(home->tail.begin(), std::move(moving));
            ++moved;
        }
    });
    if (moved) dedup_all();
    return moved;
}

// ---------------------------------------------------------------------------------------
// chk_self_sigs and delete_inv_parts

struct SelfCheck {
    std::vector<bool> good;                          ///< per component: valid self-signature
    std::map<const Packet*, DropReason> marked;      ///< NODE_DELETION_MARK
    bool invalid_keyblock = false;
};

void check_subkey_sigs(const Cert& c, const Component& comp, const cert::CheckContext& ctx, SelfCheck& sc,
                       std::size_t index) {
    const std::uint64_t self = cert::keyid_value(c.key().keyid);
    const Packet* newest[2] = {nullptr, nullptr};  // binding, revocation
    std::uint32_t newest_time[2] = {0, 0};
    for (const Packet& p : comp.tail) {
        const Signature& s = *p.get<Signature>();
        if (issuer_of(s) != self || !is_subkey_class(s.sig_type)) continue;
        const int which = s.sig_type == SigType::SubkeyBinding ? 0 : 1;
        if (!cert::check_signature(c, comp, p, ctx).good()) {
            sc.marked[&p] = DropReason::InvalidSelfSignature;
            continue;
        }
        if (created(s) < newest_time[which]) {
            sc.marked[&p] = DropReason::SupersededSelfSignature;
            continue;
        }
        // gpg 2.2.40 keeps a subkey whose only self-signature is a good revocation (it
        // lists it as invalid, 'i'); a bad revocation alone does not keep it.
        sc.good[index] = true;
        if (newest[which]) sc.marked[newest[which]] = DropReason::SupersededSelfSignature;
        newest[which] = &p;
        newest_time[which] = created(s);
    }
}

/** The user ID or attribute a certification sitting in `comp` is over (gpg's find_prev_kbnode). */
std::optional<std::size_t> user_for(const Cert& c, std::size_t index) {
    for (std::size_t i = index + 1; i-- > 0;)
        if (is_user(c.components[i].kind)) return i;
    return std::nullopt;
}

SelfCheck chk_self_sigs(const Cert& c, const cert::CheckContext& ctx) {
    SelfCheck sc;
    sc.good.assign(c.components.size(), false);
    const std::uint64_t self = cert::keyid_value(c.key().keyid);
    for (const Packet& p : c.primary.tail) {
        const Signature& s = *p.get<Signature>();
        if (issuer_of(s) != self) continue;
        if (is_uid_class(s.sig_type)) sc.invalid_keyblock = true;  // "no user ID for signature"
        else if (s.sig_type == SigType::DirectKey && !cert::check_signature(c, c.primary, p, ctx).good())
            sc.marked[&p] = DropReason::InvalidSelfSignature;
        else if (is_subkey_class(s.sig_type)) sc.marked[&p] = DropReason::WrongPlace;
    }
    for (std::size_t i = 0; i < c.components.size(); ++i) {
        const Component& comp = c.components[i];
        if (comp.kind == ComponentKind::Subkey) check_subkey_sigs(c, comp, ctx, sc, i);
        for (const Packet& p : comp.tail) {
            const Signature& s = *p.get<Signature>();
            if (issuer_of(s) != self) continue;
            if (is_uid_class(s.sig_type)) {
                const auto user = user_for(c, i);
                if (user && !sc.good[*user] && cert::check_signature(c, comp, p, ctx).good()) sc.good[*user] = true;
            } else if (s.sig_type == SigType::DirectKey) {
                if (!cert::check_signature(c, comp, p, ctx).good()) sc.marked[&p] = DropReason::InvalidSelfSignature;
            } else if (is_subkey_class(s.sig_type) && comp.kind != ComponentKind::Subkey) {
                sc.marked[&p] = DropReason::WrongPlace;
            }
        }
    }
    return sc;
}

struct InvState {
    bool uid_seen = false;
    bool subkey_seen = false;
};

/** delete_inv_parts for one signature: the reason to delete it, if any. */
std::optional<std::pair<DropReason, const char*>> sig_verdict(const Cert& c, const Packet& p, const SelfCheck& sc,
                                                              const InvState& st, const ImportOptions& opt,
                                                              const cert::CheckContext& ctx, Prepared& out) {
    const Signature& s = *p.get<Signature>();
    const SigType t = s.sig_type;
    const std::uint64_t self = cert::keyid_value(c.key().keyid);
    // RFC 9580's Ed25519 and Ed448 signatures stay when v6 keys are accepted (pgpkit's default).
    const bool rfc9580_sig = s.pk_algo == packet::PubkeyAlgo::Ed25519 || s.pk_algo == packet::PubkeyAlgo::Ed448;
    if (!gpg22_algo(s.pk_algo) && !(opt.accept_v5_v6 && rfc9580_sig))
        return std::pair{DropReason::UnsupportedAlgorithm, "public-key algorithm gpg 2.2 does not support"};
    if (!exportable(s) && !opt.import_local_sigs && !(opt.have_secret_key && opt.have_secret_key(issuer_of(s))))
        return std::pair{DropReason::NonExportable, "non exportable signature - skipped"};
    if (t == SigType::KeyRevocation) {
        if (st.uid_seen) {
            out.other_revocations.push_back(p);
            return std::pair{DropReason::MisplacedRevocation, "revocation certificate at wrong place - skipped"};
        }
        if (issuer_of(s) != self) out.other_revocations.push_back(p);
        else if (!cert::check_signature(c, c.primary, p, ctx).good())
            return std::pair{DropReason::InvalidRevocation, "invalid revocation certificate - skipped"};
        return std::nullopt;
    }
    if (is_subkey_class(t) && !st.subkey_seen)
        return std::pair{DropReason::WrongPlace, "subkey signature in wrong place - skipped"};
    if (!is_cert_class(t)) return std::pair{DropReason::UnexpectedClass, "unexpected signature class - skipped"};
    if (auto m = sc.marked.find(&p); m != sc.marked.end()) {
        const char* why = m->second == DropReason::SupersededSelfSignature ? "removed multiple subkey binding"
                          : m->second == DropReason::WrongPlace           ? "no subkey for key binding"
                                                                          : "invalid self-signature";
        return std::pair{m->second, why};
    }
    return std::nullopt;
}

void delete_bad_sigs(const Cert& c, Component& comp, const SelfCheck& sc, const InvState& st, const ImportOptions& opt,
                     const cert::CheckContext& ctx, Prepared& out, Drops& drops) {
    std::vector<Packet> kept;
    for (Packet& p : comp.tail) {
        if (auto why = sig_verdict(c, p, sc, st, opt, ctx, out)) drops.add(comp, why->first, why->second);
        else kept.push_back(std::move(p));
    }
    comp.tail = std::move(kept);
}

/** delete_inv_parts: returns how many user IDs are left. */
std::size_t delete_inv_parts(Cert& c, const SelfCheck& sc, const ImportOptions& opt, const cert::CheckContext& ctx,
                             Prepared& out, Drops& drops) {
    InvState st;
    std::size_t valid = 0;
    delete_bad_sigs(c, c.primary, sc, st, opt, ctx, out, drops);
    std::vector<Component> kept;
    for (std::size_t i = 0; i < c.components.size(); ++i) {
        Component& comp = c.components[i];
        if (is_user(comp.kind)) st.uid_seen = true;
        if (!sc.good[i]) {
            drops.add(comp, DropReason::NoValidSelfSignature,
                      is_user(comp.kind) ? "skipped user ID: no valid self-signature"
                                         : "skipped subkey: no valid binding signature",
                      1 + comp.tail.size(), true);
            continue;
        }
        if (is_user(comp.kind)) ++valid;
        else st.subkey_seen = true;
        delete_bad_sigs(c, comp, sc, st, opt, ctx, out, drops);
        kept.push_back(std::move(comp));
    }
    c.components = std::move(kept);
    return valid;
}

void flood_cap(Cert& c, std::size_t cap, Drops& drops) {
    if (cap == 0) return;
    const std::uint64_t self = cert::keyid_value(c.key().keyid);
    each_component(c, [&](Component& comp) {
        std::size_t third = 0;
        const auto n = erase_tail(comp, [&](const Packet& p) {
            return issuer_of(*p.get<Signature>()) != self && ++third > cap;
        });
        drops.add(comp, DropReason::FloodCap, "more third-party signatures than max_sigs_per_component", n);
    });
}

}  // namespace

const char* drop_reason_name(DropReason r) noexcept {
    switch (r) {
    case DropReason::NoValidSelfSignature: return "no-valid-self-signature";
    case DropReason::DuplicateUserId: return "duplicate-user-id";
    case DropReason::DuplicateSignature: return "duplicate-signature";
    case DropReason::InvalidSelfSignature: return "invalid-self-signature";
    case DropReason::SupersededSelfSignature: return "superseded-self-signature";
    case DropReason::NotSelfSignature: return "not-self-signature";
    case DropReason::UnsupportedAlgorithm: return "unsupported-algorithm";
    case DropReason::NonExportable: return "non-exportable";
    case DropReason::MisplacedRevocation: return "misplaced-revocation";
    case DropReason::InvalidRevocation: return "invalid-revocation";
    case DropReason::WrongPlace: return "wrong-place";
    case DropReason::UnexpectedClass: return "unexpected-class";
    case DropReason::NotKeyblockPacket: return "not-keyblock-packet";
    case DropReason::Cleaned: return "cleaned";
    case DropReason::FloodCap: return "flood-cap";
    }
    return "unknown";
}

const char* problem_text(Problem p) noexcept {
    switch (p) {
    case Problem::None: return "";
    case Problem::NoUserId: return "no user ID";
    case Problem::NoValidUserIds: return "no valid user IDs";
    case Problem::InvalidKeyblock: return "no user ID for signature";
    case Problem::V3Key: return "PGP-2 key skipped";
    case Problem::UnknownVersion: return "key version not supported";
    }
    return "";
}

std::uint64_t issuer_of(const Signature& s) noexcept {
    const auto id = s.issuer_keyid();
    return id ? cert::keyid_value(*id) : 0;
}

bool same_signature(const Signature& a, const Signature& b) noexcept {
    if (issuer_of(a) != issuer_of(b) || a.pk_algo != b.pk_algo) return false;
    const std::size_t n = nsig(a.pk_algo);
    return n != 0 && same_values(a, b, n);
}

std::string describe_component(const Component& comp) {
    switch (comp.kind) {
    case ComponentKind::PrimaryKey: return "primary key";
    case ComponentKind::UserId: {
        const Bytes id = comp.id_bytes();
        return "user ID \"" + std::string(as_text(id)) + "\"";
    }
    case ComponentKind::UserAttribute: return "user attribute";
    case ComponentKind::Subkey: return comp.key() ? "subkey " + to_hex(comp.key()->keyid) : "subkey";
    }
    return "component";
}

namespace {

/** A direct-key signature by the key itself that verifies and is not from the future. */
bool has_valid_direct_key_sig(const Cert& c, const cert::CheckContext& ctx, std::uint32_t now) {
    const std::uint64_t self = cert::keyid_value(c.key().keyid);
    for (const Packet& p : c.primary.tail) {
        const Signature* s = p.get<Signature>();
        if (s && s->sig_type == SigType::DirectKey && issuer_of(*s) == self && created(*s) <= now &&
            cert::check_signature(c, c.primary, p, ctx).good())
            return true;
    }
    return false;
}

}  // namespace

Prepared prepare_cert(Cert incoming, const ImportOptions& opt, const cert::CheckContext& ctx, std::uint32_t now) {
    Prepared out;
    Drops drops(&out.dropped);
    out.cert = std::move(incoming);
    Cert& c = out.cert;
    const std::uint8_t version = c.key().version;
    if (version < 4 || version > 6 || (version != 4 && !opt.accept_v5_v6)) {
        out.problem = version < 4 ? Problem::V3Key : Problem::UnknownVersion;
        return out;
    }
    // RFC 9580 section 10.1: a v6 key may have no user ID; its direct-key signature holds it.
    const bool uidless_ok = version == 6 && has_valid_direct_key_sig(c, ctx, now);
    if (c.of_kind(ComponentKind::UserId).empty() && c.of_kind(ComponentKind::UserAttribute).empty() && !uidless_ok) {
        out.problem = Problem::NoUserId;
        return out;
    }
    keep_keyblock_packets(c, drops);
    if (opt.self_sigs_only) remove_non_self_sigs(c, drops);
    out.user_ids_collapsed = collapse_uids(c, drops);
    auto lines = [&out](std::vector<std::uint32_t> more) {
        out.key_expired.insert(out.key_expired.end(), more.begin(), more.end());
    };
    if (opt.clean()) {
        // gpg merges the keyblock before it cleans it: from then on its primary key
        // carries the expired mark into every check (internal/key_expired.h).
        lines(internal::merge_keyexpired(c, now, internal::MergeState::Fresh, ctx.verified));
        lines(internal::clean_keyexpired(c, now, ctx.verified));
        clean_cert(c, opt.import_minimal, ctx, now, &out.dropped);
    }
    if (opt.repair_keys) out.reordered = repair_keys(c, ctx, drops);
    if (opt.clean()) lines(internal::chk_self_sigs_keyexpired(c, now, ctx.verified));
    const SelfCheck sc = chk_self_sigs(c, ctx);
    if (sc.invalid_keyblock) {
        out.problem = Problem::InvalidKeyblock;
        return out;
    }
    if (delete_inv_parts(c, sc, opt, ctx, out, drops) == 0 && !uidless_ok) out.problem = Problem::NoValidUserIds;
    flood_cap(c, opt.max_sigs_per_component, drops);
    return out;
}

namespace {

/** A certification or revocation that verifies and is not from the future. */
bool verifies(const Cert& c, const Component& comp, const Packet& p, const cert::CheckContext& ctx,
              std::uint32_t now) {
    return created(*p.get<Signature>()) <= now && cert::check_signature(c, comp, p, ctx).good();
}

/** merge_selfsigs_main's choice: the newest valid self-signature, certification or revocation. */
const Packet* chosen_self_sig(const Cert& c, const Component& comp, const cert::CheckContext& ctx, std::uint32_t now) {
    const std::uint64_t self = cert::keyid_value(c.key().keyid);
    const Packet* best = nullptr;
    std::uint32_t best_time = 0;
    for (const Packet& p : comp.tail) {
        const Signature& s = *p.get<Signature>();
        if (issuer_of(s) != self || !is_uid_class(s.sig_type) || created(s) < best_time) continue;
        if (!verifies(c, comp, p, ctx, now)) continue;
        best = &p;
        best_time = created(s);
    }
    return best;
}

/** A certification gpg prefers whatever its age: not revocable (and never expired at time 0). */
bool sticky(const Signature& s) noexcept { return is_uid_cert(s.sig_type) && !revocable(s); }

/** mark_usable_uid_certs with curtime 0: per signer, the signature to keep. */
std::vector<const Packet*> usable_certs(const Cert& c, const Component& comp, const cert::CheckContext& ctx,
                                        std::uint32_t now) {
    std::vector<const Packet*> candidates;
    for (const Packet& p : comp.tail) {
        const SigType t = p.get<Signature>()->sig_type;
        // opt.min_cert_level is 2: persona certifications (0x11) do not count.
        if (is_uid_class(t) && t != SigType::PersonaCert && verifies(c, comp, p, ctx, now)) candidates.push_back(&p);
    }
    std::vector<const Packet*> keep;
    std::vector<bool> done(candidates.size(), false);
    for (std::size_t i = 0; i < candidates.size(); ++i) {
        if (done[i]) continue;
        done[i] = true;
        const Packet* chosen = candidates[i];
        std::uint32_t date = created(*chosen->get<Signature>());
        const std::uint64_t signer = issuer_of(*chosen->get<Signature>());
        for (std::size_t j = i + 1; j < candidates.size(); ++j) {
            const Signature& s = *candidates[j]->get<Signature>();
            if (done[j] || issuer_of(s) != signer) continue;
            done[j] = true;
            const bool old_sticky = sticky(*chosen->get<Signature>());
            if (old_sticky && !sticky(s)) continue;
            if ((!old_sticky && sticky(s)) || created(s) >= date) {
                chosen = candidates[j];
                date = created(s);
            }
        }
        keep.push_back(chosen);
    }
    return keep;
}

void clean_one_uid(const Cert& c, Component& comp, bool minimal, const cert::CheckContext& ctx, std::uint32_t now,
                   CleanCounts& out, Drops& drops) {
    const Packet* chosen = chosen_self_sig(c, comp, ctx, now);
    const Signature* cs = chosen ? chosen->get<Signature>() : nullptr;
    const auto expiry = cs ? sig_expiry(*cs) : std::nullopt;
    const bool valid = cs && is_uid_cert(cs->sig_type) && !(expiry && *expiry <= now);
    if (!valid) {
        // clean_uid_from_key: compact to the self-signature that makes it revoked or expired.
        const auto n = erase_tail(comp, [&](const Packet& p) { return &p != chosen; });
        if (n) ++out.uids_cleaned;
        drops.add(comp, DropReason::Cleaned, "compacting user ID (revoked, expired or invalid)", n);
        return;
    }
    const std::vector<const Packet*> keep = usable_certs(c, comp, ctx, now);
    const std::uint64_t self = cert::keyid_value(c.key().keyid);
    const auto n = erase_tail(comp, [&](const Packet& p) {
        const bool usable = std::find(keep.begin(), keep.end(), &p) != keep.end();
        return !usable || (minimal && issuer_of(*p.get<Signature>()) != self);
    });
    out.sigs_cleaned += n;
    drops.add(comp, DropReason::Cleaned, "removing signature: invalid, superseded or key unavailable", n);
}

}  // namespace

CleanCounts clean_cert(Cert& c, bool minimal, const cert::CheckContext& ctx, std::uint32_t now,
                       std::vector<Dropped>* dropped) {
    CleanCounts out;
    Drops drops(dropped);
    bool after_subkey = false;
    for (Component& comp : c.components) {
        if (comp.kind == ComponentKind::Subkey) after_subkey = true;
        if (!after_subkey) {
            if (is_user(comp.kind)) clean_one_uid(c, comp, minimal, ctx, now, out, drops);
            continue;
        }
        // clean_all_subkeys: past the first subkey only bindings and subkey revocations stay
        // (gpg does not count these).
        const auto n = erase_tail(comp, [](const Packet& p) { return !is_subkey_class(p.get<Signature>()->sig_type); });
        drops.add(comp, DropReason::Cleaned, "signature that is not a binding after a subkey", n);
    }
    return out;
}

}  // namespace pgpkit::keyring
