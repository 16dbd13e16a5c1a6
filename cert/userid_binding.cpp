#include "cert/userid_binding.h"

#include <algorithm>
#include <optional>

#include "cert/verify.h"
#include "packet/names.h"
#include "packet/signature.h"

namespace pgpkit::cert {

namespace {

std::string addr_spec(const std::string& uid) {
    const auto open = uid.rfind('<');
    const auto close = uid.rfind('>');
    if (open != std::string::npos && close != std::string::npos && close > open)
        return uid.substr(open + 1, close - open - 1);
    return uid.find('@') != std::string::npos && uid.find(' ') == std::string::npos ? uid : std::string{};
}

/** The authority whose primary key is `key`, or nullptr. */
const Cert* authority_of(const packet::Key* key, const std::vector<Cert>& authorities) {
    if (!key) return nullptr;
    for (const Cert& a : authorities)
        if (a.fingerprint() == key->fingerprint) return &a;
    return nullptr;
}

struct Checked {
    const Cert* by = nullptr;
    std::uint32_t created = 0;
    bool revocation = false;
};

/** The good certifications and revocations of `comp` made by an authority by `at`. */
std::vector<Checked> checked_sigs(const Cert& subject, const Component& comp, const std::vector<Cert>& authorities,
                                  std::uint32_t at) {
    KeyIndex index;
    for (const Cert& a : authorities) index.add(a);
    CheckContext ctx;
    ctx.others = &index;
    std::vector<Checked> out;
    for (const packet::Packet* p : comp.signatures()) {
        const auto* sig = p->get<packet::Signature>();
        if (!sig) continue;
        const bool rev = sig->sig_type == packet::SigType::CertRevocation;
        if (!rev && !packet::is_certification(sig->sig_type)) continue;
        const std::uint32_t created = sig->created().value_or(0);
        if (created > at || (!rev && signature_flags(*sig, at).expired)) continue;
        const SigCheck c = check_signature(subject, comp, *p, ctx);
        if (!c.good()) continue;
        if (const Cert* by = authority_of(c.issuer, authorities)) out.push_back({by, created, rev});
    }
    return out;
}

}  // namespace

bool user_id_matches(const std::string& uid, const UserIdMatch& m) {
    if (!m.addr_spec_only) return uid == m.user_id;
    const std::string a = addr_spec(uid);
    return !a.empty() && a == m.user_id;
}

bool user_id_certified(const Cert& subject, const UserIdMatch& m, const std::vector<Cert>& authorities,
                       std::uint32_t at) {
    for (const Component* comp : subject.of_kind(ComponentKind::UserId)) {
        const Bytes id = comp->id_bytes();
        if (!user_id_matches(std::string(id.begin(), id.end()), m)) continue;
        const std::vector<Checked> sigs = checked_sigs(subject, *comp, authorities, at);
        for (const Checked& c : sigs) {
            if (c.revocation) continue;
            const bool revoked = std::any_of(sigs.begin(), sigs.end(), [&](const Checked& r) {
                return r.revocation && r.by == c.by && r.created >= c.created;
            });
            if (!revoked) return true;
        }
    }
    return false;
}

}  // namespace pgpkit::cert
