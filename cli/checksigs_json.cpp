// `pgpkit check-sigs --json`: the layout is documented in README.md.

#include <nlohmann/json.hpp>

#include <ctime>
#include <string>

#include "cli/checksigs_render.h"
#include "packet/fields.h"

namespace pgpkit::cli {

using cert::Cert;
using cert::CertReport;
using cert::ComponentKind;
using cert::ComponentReport;
using Json = nlohmann::ordered_json;

namespace {

Json opt_time(std::optional<std::uint32_t> t) { return t ? Json(*t) : Json(nullptr); }

Json validity(const cert::Validity& v) {
    return Json{{"state", cert::validity_state_name(v.state)},
                {"reason", v.reason.empty() ? Json(nullptr) : Json(v.reason)},
                {"expires", opt_time(v.expires)},
                {"revoked_at", opt_time(v.revoked_at)},
                {"hard_revocation", v.state == cert::ValidityState::Revoked ? Json(v.hard_revocation) : Json(nullptr)}};
}

Json key_fields(const packet::Key& k) {
    const std::string_view curve = packet::curve_of(k.fields);
    return Json{{"fingerprint", to_hex(k.fingerprint)}, {"keyid", to_hex(k.keyid)},
                {"version", k.version},                 {"algo", k.algo},
                {"bits", packet::key_bits(k.algo, k.fields)},
                {"curve", curve.empty() ? Json(nullptr) : Json(std::string(curve))},
                {"created", k.created}};
}

char hexdigit(unsigned v) { return "0123456789abcdef"[v & 15]; }

Json signature(const packet::Packet& p, const cert::SigCheck& r, SigTally& t) {
    add_to_tally(t, r);
    Json j{{"index", p.index}, {"offset", p.offset}};
    if (const auto* s = p.get<packet::Signature>()) {
        const auto id = s->issuer_keyid();
        const auto fpr = s->issuer_fingerprint();
        j["version"] = s->version;
        const auto sigclass = static_cast<unsigned>(s->sig_type);
        j["sigclass"] = std::string{hexdigit(sigclass >> 4), hexdigit(sigclass)};
        j["pk_algo"] = static_cast<unsigned>(s->pk_algo);
        j["hash_algo"] = static_cast<unsigned>(s->hash_algo);
        j["issuer_keyid"] = id ? Json(to_hex(*id)) : Json(nullptr);
        j["issuer_fingerprint"] = fpr ? Json(to_hex(*fpr)) : Json(nullptr);
        j["created"] = opt_time(s->created());
        j["expires"] = opt_time(cert::signature_flags(*s, 0).expires);
    }
    j["self"] = r.self;
    j["crypto"] = cert::verdict_name(r.crypto);
    j["crypto_reason"] = r.crypto_reason.empty() ? Json(nullptr) : Json(r.crypto_reason);
    j["policy"] = r.policy ? Json(*r.policy) : Json(nullptr);
    j["verdict"] = r.verdict_name();
    j["marker"] = std::string(1, r.marker());
    return j;
}

Json signatures(const ComponentReport& r, SigTally& t) {
    Json arr = Json::array();
    const auto packets = r.component->signatures();
    for (std::size_t i = 0; i < packets.size(); ++i) arr.push_back(signature(*packets[i], r.sigs[i], t));
    return arr;
}

Json user(const ComponentReport& r, SigTally& t) {
    const cert::Component& c = *r.component;
    const Bytes id = c.id_bytes();
    const bool uid = c.kind == ComponentKind::UserId;
    return Json{{"kind", uid ? "uid" : "uat"},
                {"index", c.head.index},
                {"offset", c.head.offset},
                {"value", uid ? Json(std::string(id.begin(), id.end())) : Json(nullptr)},
                {"value_hex", to_hex(id)},
                {"primary", r.primary_uid},
                {"validity", validity(r.validity)},
                {"signatures", signatures(r, t)}};
}

Json subkey(const ComponentReport& r, SigTally& t) {
    const cert::Component& c = *r.component;
    Json j{{"index", c.head.index}, {"offset", c.head.offset}};
    if (c.key()) j.update(key_fields(*c.key()));
    j["validity"] = validity(r.validity);
    j["usage"] = cert::usage_letters(r.usage);
    j["signatures"] = signatures(r, t);
    return j;
}

Json certificate(const Cert& c, const CertReport& rep, SigTally& t) {
    Json j{{"offset", c.primary.head.offset}, {"index", c.primary.head.index}, {"secret", c.secret()}};
    j.update(key_fields(c.key()));
    j["validity"] = validity(rep.primary.validity);
    j["usage"] = rep.usage_field();
    j["signatures"] = signatures(rep.primary, t);
    Json users = Json::array(), subs = Json::array(), findings = Json::array();
    for (const auto& r : rep.components)
        (r.component->kind == ComponentKind::Subkey ? subs : users).push_back(
            r.component->kind == ComponentKind::Subkey ? subkey(r, t) : user(r, t));
    for (const auto& f : c.findings) findings.push_back(Json{{"offset", f.offset}, {"index", f.index}, {"detail", f.detail}});
    j["user_ids"] = std::move(users);
    j["subkeys"] = std::move(subs);
    j["findings"] = std::move(findings);
    return j;
}

}  // namespace

SigTally render_checks_json(Output& out, const std::vector<Cert>& certs, const std::vector<CertReport>& reports,
                            const cert::KeyIndex&) {
    SigTally t;
    out.put("[");
    for (std::size_t i = 0; i < certs.size(); ++i) {
        if (i) out.put(",");
        out.put("\n").put(certificate(certs[i], reports[i], t).dump(-1, ' ', false, Json::error_handler_t::replace));
    }
    out.put("\n]\n");
    return t;
}

}  // namespace pgpkit::cli
