// compute_validity: gpg 2.2's validate_keys (g10/trustdb.c) over certificates in memory.
// The passes follow gpg's: a pass looks at the keys that are not yet fully valid on every
// user ID, counts the certifications made by the previous pass's introducers, stores the
// user IDs' validity, and makes the keys with a fully valid user ID the next introducers.
#include <algorithm>
#include <unordered_map>

#include "trust/wot.h"

#include "base/parallel.h"

namespace pgpkit::trust {

namespace {

using cert::Cert;
using cert::ComponentKind;
using cert::ValidityState;
using packet::Signature;
using packet::SigType;
using packet::SubpacketType;

/** What gpg's trustdb holds for one user ID name (records are keyed by the name's hash). */
struct Record {
    Validity validity = Validity::Unknown;
    bool present = false;
    unsigned marginal = 0, full = 0;
};

/** A certificate as the passes see it. */
struct Node {
    cert::CertReport rep;
    std::uint64_t keyid = 0;
    std::vector<std::size_t> users;  ///< component indexes of user IDs and attributes
    std::vector<std::size_t> record_of;  ///< per users[k]: index into records
    std::vector<Record> records;
    std::vector<std::vector<Counted>> counted;  ///< per users[k]: what counted, over the passes
    bool skip = false;  ///< gpg's full_trust table: never looked at again
    bool used = false;  ///< already an introducer
};

/** An introducer of a pass (gpg's key_item). */
struct Introducer {
    std::size_t cert = 0;
    Validity ownertrust = Validity::Unknown;
    TrustGrant grant;
};

/** A certification whose check the pass needs. */
struct Job {
    std::size_t cert = 0, user = 0, sig = 0;  ///< user: index into Node::users
    std::size_t introducer = 0;
    bool good = false;
};

std::uint32_t be32(const Bytes& b) {
    return (std::uint32_t{b[0]} << 24) | (std::uint32_t{b[1]} << 16) | (std::uint32_t{b[2]} << 8) | b[3];
}

bool is_user(ComponentKind k) { return k == ComponentKind::UserId || k == ComponentKind::UserAttribute; }

template <class Fn>
void parallel_for(std::size_t n, unsigned jobs, Fn fn) {
    run_parallel(n, static_cast<unsigned>(std::clamp<std::size_t>(n / 8, 1, std::max(1u, jobs))), fn);
}

/** The self-signature checks gpg's merge_selfsigs needs; third-party ones are left NoKey. */
cert::CertReport check_self(const Cert& c, const cert::CheckContext& ctx, std::uint32_t now) {
    const std::uint64_t own = cert::keyid_value(c.key().keyid);
    auto check = [&](const cert::Component& comp) {
        std::vector<cert::SigCheck> out;
        for (const packet::Packet* p : comp.signatures()) {
            const Signature* s = p->get<Signature>();
            const auto id = s ? s->issuer_keyid() : std::nullopt;
            const bool self = !s || !id || cert::keyid_value(*id) == own || s->sig_type == SigType::DirectKey ||
                              s->sig_type == SigType::SubkeyRevocation || s->sig_type == SigType::SubkeyBinding;
            out.push_back(self ? cert::check_signature(c, comp, *p, ctx) : cert::SigCheck{});
        }
        return out;
    };
    cert::CertReport rep;
    rep.primary.component = &c.primary;
    rep.primary.sigs = check(c.primary);
    for (const auto& comp : c.components) {
        cert::ComponentReport r;
        r.component = &comp;
        r.sigs = check(comp);
        rep.components.push_back(std::move(r));
    }
    cert::derive_validity(c, rep, now);
    return rep;
}

/** The name gpg matches a trust signature's regular expression against. */
std::string name_of(const cert::Component& comp) {
    if (comp.kind == ComponentKind::UserId) {
        const Bytes b = comp.id_bytes();
        std::string s(b.begin(), b.end());
        return s.substr(0, s.find('\0'));
    }
    return "[image of size " + std::to_string(comp.id_bytes().size()) + "]";
}

class Passes {
public:
    Passes(const std::vector<Cert>& certs, const OwnertrustLookup& ot, const WotOptions& opt, std::uint32_t now,
           const std::vector<cert::CertReport>* checked)
        : m_certs(certs), m_ot(ot), m_opt(opt), m_now(now), m_checked(checked) {}

    WotResult run();

private:
    void passes();
    void finish();
    void prepare();
    std::vector<Introducer> ultimate_keys();
    void adjust_ownertrust(std::vector<Introducer>& klist, DepthStats& st);
    std::vector<Job> collect(const std::unordered_map<std::uint64_t, std::size_t>& by_keyid);
    void check(std::vector<Job>& jobs);
    std::vector<bool> usable(std::size_t cert, std::size_t user, const std::vector<const Job*>& jobs);
    /** validate_one_keyblock and store_validation_status; the user IDs' flags (1, 2, 4). */
    std::vector<unsigned> validate(std::size_t cert, const std::vector<const Job*>& jobs,
                                   const std::vector<Introducer>& klist, unsigned depth);
    void take_expiry(std::optional<std::uint32_t> t) {
        if (t && *t >= m_now && *t < m_next) m_next = *t;
    }
    const Signature* sig_at(std::size_t cert, std::size_t user, std::size_t k) const {
        const auto& comp = m_certs[cert].components[m_nodes[cert].users[user]];
        return comp.signatures()[k]->get<Signature>();
    }

    const std::vector<Cert>& m_certs;
    const OwnertrustLookup& m_ot;
    const WotOptions& m_opt;
    std::uint32_t m_now;
    const std::vector<cert::CertReport>* m_checked;
    std::vector<Node> m_nodes;
    cert::KeyIndex m_index;
    cert::VerifierCache m_cache;
    WotResult m_out;
    std::uint32_t m_next = 0xffffffffu;
    std::vector<TrustGrant> m_pass_grant;  ///< gpg's pk->trust_*, per certificate, this pass
};

void Passes::prepare() {
    m_nodes.resize(m_certs.size());
    cert::CheckContext self_only;
    self_only.policy = m_opt.policy;
    self_only.cache = &m_cache;
    parallel_for(m_certs.size(), m_opt.jobs, [&](std::size_t i) {
        m_nodes[i].rep = m_checked ? (*m_checked)[i] : check_self(m_certs[i], self_only, m_now);
    });
    for (std::size_t i = 0; i < m_certs.size(); ++i) {
        Node& n = m_nodes[i];
        const Cert& c = m_certs[i];
        n.keyid = cert::keyid_value(c.key().keyid);
        m_index.add(c, n.rep.primary.validity.state == ValidityState::Valid);
        std::unordered_map<std::string, std::size_t> by_name;
        for (std::size_t k = 0; k < c.components.size(); ++k) {
            if (!is_user(c.components[k].kind)) continue;
            n.users.push_back(k);
            const Bytes id = c.components[k].id_bytes();
            auto [it, fresh] = by_name.try_emplace(std::string(id.begin(), id.end()), n.records.size());
            if (fresh) n.records.emplace_back();
            n.record_of.push_back(it->second);
        }
        n.counted.resize(n.users.size());
    }
    // A designated revoker's revocation counts once every key is known (gpg's
    // check_revocation_keys): the revoked key then has no validity to give or get.
    cert::CheckContext with_all = self_only;
    with_all.others = &m_index;
    for (std::size_t i = 0; i < m_certs.size(); ++i)
        cert::apply_designated_revocations(m_certs[i], m_nodes[i].rep, with_all, m_now);
    m_out.keys.resize(m_certs.size());
    for (std::size_t i = 0; i < m_certs.size(); ++i) m_out.keys[i].ownertrust = m_ot(m_certs[i].fingerprint());
}

std::vector<Introducer> Passes::ultimate_keys() {
    std::vector<Introducer> klist;
    for (std::size_t i = 0; i < m_certs.size(); ++i) {
        const Bytes& fpr = m_certs[i].fingerprint();
        const bool listed = std::find(m_opt.trusted_keys.begin(), m_opt.trusted_keys.end(), fpr) !=
                            m_opt.trusted_keys.end();
        if (!listed && (m_out.keys[i].ownertrust & 0x0f) != static_cast<std::uint8_t>(Validity::Ultimate)) continue;
        Node& n = m_nodes[i];
        n.used = n.skip = true;
        m_out.keys[i].ultimate = true;
        m_out.keys[i].depth = 0;
        m_out.keys[i].introducer_depth = 0;
        for (Record& r : n.records) r = Record{Validity::Ultimate, true, 0, 0};
        take_expiry(m_nodes[i].rep.primary.validity.expires);
        klist.push_back(Introducer{i, Validity::Ultimate, {}});
    }
    return klist;
}

void Passes::adjust_ownertrust(std::vector<Introducer>& klist, DepthStats& st) {
    for (Introducer& k : klist) {
        // Trust amounts 120 and 60 are RFC 2440's full and partial trust.
        const Validity min = k.grant.amount >= 120 ? Validity::Full
                             : k.grant.amount >= 60 ? Validity::Marginal
                                                    : Validity::Unknown;
        m_out.keys[k.cert].min_ownertrust = min;
        if (k.ownertrust < min) k.ownertrust = min;
        const auto level = static_cast<std::size_t>(k.ownertrust);
        if (level < 7) ++st.ownertrust[level];
        ++st.valid;
    }
}

std::vector<Job> Passes::collect(const std::unordered_map<std::uint64_t, std::size_t>& by_keyid) {
    std::vector<Job> jobs;
    for (std::size_t i = 0; i < m_certs.size(); ++i) {
        Node& n = m_nodes[i];
        if (n.skip) continue;
        const ValidityState ks = n.rep.primary.validity.state;
        if (ks == ValidityState::Revoked || ks == ValidityState::Expired) {
            n.skip = true;  // gpg never looks at such keys again
            continue;
        }
        for (std::size_t u = 0; u < n.users.size(); ++u) {
            const auto& ur = n.rep.components[n.users[u]];
            if (ur.validity.state == ValidityState::Revoked || ur.validity.state == ValidityState::Expired) continue;
            if (ur.validity.expires && *ur.validity.expires < m_next) m_next = *ur.validity.expires;
            const auto packets = m_certs[i].components[n.users[u]].signatures();
            for (std::size_t k = 0; k < packets.size(); ++k) {
                const Signature* s = packets[k]->get<Signature>();
                if (!s || !(packet::is_certification(s->sig_type) || s->sig_type == SigType::CertRevocation)) continue;
                const auto id = s->issuer_keyid();
                if (!id || cert::keyid_value(*id) == n.keyid) continue;
                const auto level = static_cast<unsigned>(s->sig_type) - 0x10;
                if (s->sig_type != SigType::CertRevocation && level >= 1 && level < m_opt.min_cert_level) continue;
                const auto it = by_keyid.find(cert::keyid_value(*id));
                if (it != by_keyid.end()) jobs.push_back(Job{i, u, k, it->second, false});
            }
        }
    }
    return jobs;
}

void Passes::check(std::vector<Job>& jobs) {
    cert::CheckContext ctx;
    ctx.others = &m_index;
    ctx.policy = m_opt.policy;
    ctx.cache = &m_cache;
    std::atomic<std::size_t> fresh{0};
    parallel_for(jobs.size(), m_opt.jobs, [&](std::size_t j) {
        Job& job = jobs[j];
        const std::size_t comp = m_nodes[job.cert].users[job.user];
        if (m_checked) {
            const cert::SigCheck& prior = (*m_checked)[job.cert].components[comp].sigs[job.sig];
            if (prior.crypto != cert::Verdict::NoKey) {
                job.good = prior.good();
                return;
            }
        }
        const auto& component = m_certs[job.cert].components[comp];
        job.good = cert::check_signature(m_certs[job.cert], component, *component.signatures()[job.sig], ctx).good();
        ++fresh;
    });
    m_out.signatures_checked += fresh;
}

/** gpg's test for a certification that a later one of the same signer cannot replace. */
bool sticky(const Signature& s, std::uint32_t now) {
    if (!packet::is_certification(s.sig_type)) return false;
    const auto* r = s.subpacket(SubpacketType::Revocable);
    if (!r || r->body.empty() || r->body[0] != 0) return false;
    const auto* e = s.subpacket(SubpacketType::SignatureExpirationTime);
    const std::uint32_t secs = e && e->body.size() == 4 ? be32(e->body) : 0;
    return secs == 0 || s.created().value_or(0) + secs > now;
}

std::vector<bool> Passes::usable(std::size_t cert, std::size_t user, const std::vector<const Job*>& jobs) {
    // gpg's mark_usable_uid_certs: per signer, the newest good certification or revocation
    // (a later packet on equal dates; an unexpired non-revocable one is never replaced) is
    // the one in force; a certification in force that has not expired counts.
    std::vector<bool> out(jobs.size(), false), done(jobs.size(), false);
    for (std::size_t a = 0; a < jobs.size(); ++a) {
        if (!jobs[a]->good || done[a]) continue;
        done[a] = true;
        const Signature* pick = sig_at(cert, user, jobs[a]->sig);
        std::size_t pick_at = a;
        const auto kid = pick->issuer_keyid();
        for (std::size_t b = a + 1; b < jobs.size(); ++b) {
            if (!jobs[b]->good || done[b]) continue;
            const Signature* s = sig_at(cert, user, jobs[b]->sig);
            if (s->issuer_keyid() != kid) continue;
            done[b] = true;
            const bool ps = sticky(*pick, m_now), ss = sticky(*s, m_now);
            if (ps && !ss) continue;
            if ((!ps && ss) || s->created().value_or(0) >= pick->created().value_or(0)) {
                pick = s;
                pick_at = b;
            }
        }
        if (!packet::is_certification(pick->sig_type)) continue;
        const auto* e = pick->subpacket(SubpacketType::SignatureExpirationTime);
        // A zero expiry counts as expiring at creation here, as in gpg.
        const std::uint32_t expire = e && e->body.size() == 4 ? pick->created().value_or(0) + be32(e->body) : 0;
        if (expire == 0 || expire > m_now) {
            out[pick_at] = true;
            if (expire && expire < m_next) m_next = expire;
        }
    }
    return out;
}

std::optional<std::string> regexp_of(const Signature& s) {
    const auto* p = s.subpacket(SubpacketType::RegularExpression);
    if (!p || p->body.empty()) return std::nullopt;
    std::string r(p->body.begin(), p->body.end());
    return r.substr(0, r.find('\0'));
}

std::vector<unsigned> Passes::validate(std::size_t cert, const std::vector<const Job*>& jobs,
                                       const std::vector<Introducer>& klist, unsigned depth) {
    Node& n = m_nodes[cert];
    const bool pgp = m_opt.model == WotModel::Pgp;
    std::vector<unsigned> flags(n.users.size(), 0);
    std::vector<Record> work(n.users.size());
    std::vector<std::vector<Counted>> counted(n.users.size());
    TrustGrant& grant = m_pass_grant[cert];
    for (std::size_t a = 0; a < jobs.size();) {
        const std::size_t u = jobs[a]->user;
        std::vector<const Job*> mine;
        for (; a < jobs.size() && jobs[a]->user == u; ++a) mine.push_back(jobs[a]);
        const auto use = usable(cert, u, mine);
        Record r = n.records[n.record_of[u]];
        const std::string name = name_of(m_certs[cert].components[n.users[u]]);
        bool issigned = false;
        for (std::size_t k = 0; k < mine.size(); ++k) {
            if (!use[k]) continue;
            const Introducer& kr = klist[mine[k]->introducer];
            if (pgp && kr.grant.regexp && !regexp_matches(*kr.grant.regexp, name)) continue;
            const Signature& s = *sig_at(cert, u, mine[k]->sig);
            const auto* ts = s.subpacket(SubpacketType::TrustSignature);
            if (pgp && ts && ts->body.size() == 2 && ts->body[0] > 0) {
                const std::uint8_t d = ts->body[0] < kr.grant.depth || kr.ownertrust == Validity::Ultimate
                                           ? ts->body[0] : kr.grant.depth;
                if (d) {
                    grant.amount = ts->body[1];
                    grant.depth = static_cast<std::uint8_t>(d - 1);
                    if (auto re = regexp_of(s)) grant.regexp = std::move(re);
                }
            }
            if (kr.ownertrust == Validity::Ultimate) r.full = m_opt.completes_needed;
            else if (kr.ownertrust == Validity::Full) ++r.full;
            else if (kr.ownertrust == Validity::Marginal) ++r.marginal;
            counted[u].push_back(Counted{kr.cert, mine[k]->sig, kr.ownertrust, depth});
            issigned = true;
        }
        if (!issigned) continue;
        flags[u] = 1;
        if (r.full >= m_opt.completes_needed || r.marginal >= m_opt.marginals_needed) flags[u] |= 4;
        else if (r.full || r.marginal) flags[u] |= 2;
        work[u] = r;
    }
    for (std::size_t u = 0; u < n.users.size(); ++u) {
        if (!flags[u]) continue;
        Record& rec = n.records[n.record_of[u]];
        rec = work[u];
        rec.present = true;
        rec.validity = (flags[u] & 4) ? Validity::Full : (flags[u] & 2) ? Validity::Marginal : Validity::Undefined;
        m_out.keys[cert].depth = depth;
        n.counted[u].insert(n.counted[u].end(), counted[u].begin(), counted[u].end());
    }
    return flags;
}

void Passes::passes() {
    std::vector<Introducer> klist = ultimate_keys();
    m_pass_grant.assign(m_certs.size(), TrustGrant{});
    for (unsigned depth = 0; depth < m_opt.max_cert_depth && !klist.empty(); ++depth) {
        DepthStats st;
        st.depth = depth;
        adjust_ownertrust(klist, st);
        // gpg's klist is built by prepending and searched from the front: the last
        // introducer with a key ID wins.
        std::unordered_map<std::uint64_t, std::size_t> by_keyid;
        for (std::size_t k = 0; k < klist.size(); ++k) by_keyid[m_nodes[klist[k].cert].keyid] = k;
        std::vector<Job> jobs = collect(by_keyid);
        check(jobs);
        std::vector<Introducer> next;
        for (std::size_t a = 0; a < jobs.size();) {
            const std::size_t c = jobs[a].cert;
            std::vector<const Job*> mine;
            for (; a < jobs.size() && jobs[a].cert == c; ++a) mine.push_back(&jobs[a]);
            m_pass_grant[c] = TrustGrant{};
            const std::vector<unsigned> flags = validate(c, mine, klist, depth);
            if (std::none_of(flags.begin(), flags.end(), [](unsigned f) { return f != 0; })) continue;
            ++st.signed_keys;
            take_expiry(m_nodes[c].rep.primary.validity.expires);
            Node& n = m_nodes[c];
            if (std::all_of(flags.begin(), flags.end(), [](unsigned f) { return (f & 4) != 0; })) n.skip = true;
            const auto full = std::find_if(flags.begin(), flags.end(), [](unsigned f) { return (f & 4) != 0; });
            if (full == flags.end() || n.used) continue;
            n.used = true;
            KeyValidity& kv = m_out.keys[c];
            kv.introducer_depth = depth + 1;
            kv.introducer_uid = n.users[static_cast<std::size_t>(full - flags.begin())];
            kv.grant = m_pass_grant[c];
            next.push_back(Introducer{c, static_cast<Validity>(kv.ownertrust & 0x0f), kv.grant});
        }
        m_out.depths.push_back(st);
        klist = std::move(next);
    }
}

char key_letter(ValidityState s, Validity v) {
    switch (s) {
    case ValidityState::Invalid: return 'i';
    case ValidityState::Revoked: return 'r';
    case ValidityState::Expired: return 'e';
    case ValidityState::Valid: break;
    }
    return validity_letter(v);
}

char user_letter(ValidityState uid, ValidityState key, char key_letter, Validity v) {
    if (uid == ValidityState::Revoked || key == ValidityState::Revoked) return 'r';
    if (uid == ValidityState::Expired || key == ValidityState::Expired) return 'e';
    if (key_letter == 'u') return 'u';  // gpg's "ulti_hack" in the key listing
    return validity_letter(v);
}

void Passes::finish() {
    const bool wot = m_opt.model == WotModel::Pgp || m_opt.model == WotModel::Classic;
    for (std::size_t i = 0; i < m_certs.size(); ++i) {
        const Node& n = m_nodes[i];
        KeyValidity& kv = m_out.keys[i];
        for (const Record& r : n.records)
            if (r.present && r.validity > kv.validity) kv.validity = r.validity;
        if (m_opt.model == WotModel::Direct) kv.validity = static_cast<Validity>(kv.ownertrust & 0x0f);
        const ValidityState ks = n.rep.primary.validity.state;
        kv.letter = key_letter(ks, kv.validity);
        for (std::size_t u = 0; u < n.users.size(); ++u) {
            const Record& r = n.records[n.record_of[u]];
            UserIdValidity uv;
            uv.component = n.users[u];
            uv.has_record = wot && r.present;
            uv.validity = m_opt.model == WotModel::Direct ? kv.validity : uv.has_record ? r.validity : Validity::Unknown;
            uv.marginal_count = r.marginal;
            uv.full_count = r.full;
            uv.counted = n.counted[u];
            uv.letter = user_letter(n.rep.components[uv.component].validity.state, ks, kv.letter, uv.validity);
            kv.user_ids.push_back(std::move(uv));
        }
    }
    m_out.next_check = (m_next == 0xffffffffu || m_next < m_now) ? 0 : m_next;
}

WotResult Passes::run() {
    prepare();
    if (m_opt.model == WotModel::Pgp || m_opt.model == WotModel::Classic) passes();
    finish();
    return std::move(m_out);
}

}  // namespace

WotResult compute_validity(const std::vector<cert::Cert>& certs, const OwnertrustLookup& ownertrust,
                           const WotOptions& opt, std::uint32_t now, const std::vector<cert::CertReport>* checked) {
    return Passes(certs, ownertrust, opt, now, checked).run();
}

}  // namespace pgpkit::trust
