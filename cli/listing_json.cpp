// `pgpkit list-keys --json`: the layout is documented in README.md ("list-keys --json").
// Values are the colon records' fields, typed: numbers as numbers, empty fields as null.

#include <nlohmann/json.hpp>

#include <string>

#include "base/bytes.h"
#include "cli/listing_render.h"
#include "packet/names.h"
#include "packet/signature.h"

namespace pgpkit::cli {

using cert::ComponentKind;
using cert::ComponentReport;
using Json = nlohmann::ordered_json;

namespace {

Json opt_time(std::optional<std::uint32_t> t) { return t ? Json(*t) : Json(nullptr); }
Json opt_str(const std::string& s) { return s.empty() ? Json(nullptr) : Json(s); }

/** The string fields of a record as JSON: "" becomes null. */
Json field_of(const keyring::ColonRecord& r, std::size_t n) {
    const std::string_view f = r.field(n);
    return f.empty() ? Json(nullptr) : Json(std::string(f));
}

Json validity(const cert::CertReport& rep, const ComponentReport& r) {
    const cert::Validity& v = r.validity;
    return Json{{"letter", std::string(1, keyring::validity_letter(rep, r))},
                {"state", cert::validity_state_name(v.state)},
                {"reason", opt_str(v.reason)},
                {"expires", opt_time(v.expires)},
                {"revoked_at", opt_time(v.revoked_at)}};
}

Json key_data(const packet::Key& k) {
    Json data = Json::array();
    for (const auto& r : keyring::key_data_records(k))
        data.push_back(Json{{"index", std::stoul(std::string(r.field(2)))},
                            {"bits", std::stoul(std::string(r.field(3)))},
                            {"value", field_of(r, 4)}});
    return data;
}

Json key_object(const packet::Key& k, const ListedCert& lc, const ComponentReport& r, const ListingOptions& opt,
                bool primary) {
    const cert::CertReport& rep = *lc.report;
    const std::string curve = keyring::curve_field(k);
    Json j{{"fingerprint", to_hex(k.fingerprint)},
           {"keyid", to_hex(k.keyid)},
           {"version", static_cast<unsigned>(k.version)},
           {"algo", static_cast<unsigned>(k.algo)},
           {"algo_string", cert::algo_string(k)},
           {"bits", packet::key_bits(k.algo, k.fields)},
           {"curve", opt_str(curve)},
           {"created", k.created},
           {"expires", opt_time(r.validity.expires)},
           {"validity", validity(rep, r)},
           {"usage", primary ? rep.usage_field() : cert::usage_letters(r.usage)},
           {"compliance", opt_str(keyring::compliance_field(k))}};
    if (opt.with_keygrip || opt.secret) j["keygrip"] = opt_str(keyring::keygrip_hex(k));
    if (opt.secret) j["secret"] = opt_str(lc.secret ? lc.secret->flag(k) : keyring::secret_flag(k));
    if (opt.with_key_data) j["key_data"] = key_data(k);
    return j;
}

bool is_revocation_class(unsigned cls) {
    using packet::SigType;
    return cls == static_cast<unsigned>(SigType::KeyRevocation) || cls == static_cast<unsigned>(SigType::SubkeyRevocation) ||
           cls == static_cast<unsigned>(SigType::CertRevocation);
}

Json signatures(const ComponentReport& r, const ListingOptions& opt, const keyring::IssuerNames& names) {
    Json arr = Json::array();
    const auto packets = r.component->signatures();
    for (std::size_t i = 0; i < packets.size() && i < r.sigs.size(); ++i) {
        const auto* s = packets[i]->get<packet::Signature>();
        if (!s) continue;
        const char marker = keyring::sig_marker(r.sigs[i], *s, names, opt.check_sigs);
        const std::string cls = std::string(1, "0123456789abcdef"[(static_cast<unsigned>(s->sig_type) >> 4) & 15]) +
                                "0123456789abcdef"[static_cast<unsigned>(s->sig_type) & 15];
        const cert::SigFlags f = cert::signature_flags(*s, opt.now);
        const auto id = s->issuer_keyid();
        const auto fpr = s->issuer_fingerprint();
        Json j{{"type", is_revocation_class(static_cast<unsigned>(s->sig_type)) ? "rev" : "sig"},
               {"sigclass", cls},
               {"exportable", f.exportable},
               {"pk_algo", static_cast<unsigned>(s->pk_algo)},
               {"hash_algo", static_cast<unsigned>(s->hash_algo)},
               {"issuer_keyid", id ? Json(to_hex(*id)) : Json(nullptr)},
               {"issuer_fingerprint", fpr && !fpr->empty() ? Json(to_hex(*fpr)) : Json(nullptr)},
               {"created", opt_time(s->created())},
               {"expires", opt_time(f.expires)},
               {"marker", marker == ' ' ? Json(nullptr) : Json(std::string(1, marker))}};
        if (opt.check_sigs) {
            j["verdict"] = r.sigs[i].verdict_name();
            j["reason"] = r.sigs[i].policy ? Json(*r.sigs[i].policy) : opt_str(r.sigs[i].crypto_reason);
        }
        std::uint64_t v = 0;
        if (id)
            for (auto b : *id) v = (v << 8) | b;
        const std::string* name = id ? names.find(v) : nullptr;
        j["issuer_uid"] = name ? Json(*name) : Json(nullptr);
        if (opt.sig_subpackets.any()) {
            Json subs = Json::array();
            for (const keyring::ListedSubpacket& l : keyring::listed_subpackets(*s, opt.sig_subpackets))
                subs.push_back(Json{{"type", l.subpacket->type()},
                                    {"hashed", l.hashed},
                                    {"critical", l.subpacket->critical()},
                                    {"value", to_hex(l.subpacket->body)}});
            j["subpackets"] = std::move(subs);
        }
        arr.push_back(std::move(j));
    }
    return arr;
}

Json user_object(const cert::CertReport& rep, const ComponentReport& r) {
    const cert::Component& c = *r.component;
    const bool uid = c.kind == ComponentKind::UserId;
    const Bytes id = c.id_bytes();
    Json j{{"type", uid ? "uid" : "uat"},
           {"value", uid ? Json(std::string(id.begin(), id.end())) : Json(nullptr)},
           {"hash", keyring::uid_hash(c)},
           {"primary", r.primary_uid},
           {"validity", validity(rep, r)}};
    return j;
}

Json cert_object(const ListedCert& lc, const ListingOptions& opt, const keyring::IssuerNames& names) {
    const cert::Cert& c = *lc.cert;
    const cert::CertReport& rep = *lc.report;
    const bool sigs = opt.with_sig_list || opt.check_sigs;
    Json j{{"keyring", lc.keyring}, {"type", opt.secret ? "sec" : "pub"}};
    j.update(key_object(c.key(), lc, rep.primary, opt, true));
    Json revokers = Json::array();
    for (const auto& r : keyring::revokers(c, rep))
        revokers.push_back(Json{{"algo", r.algo}, {"fingerprint", r.fingerprint}, {"class", r.revoker_class},
                                {"sensitive", (r.revoker_class & 0x40) != 0}});
    j["revokers"] = std::move(revokers);
    if (sigs) j["signatures"] = signatures(rep.primary, opt, names);
    Json users = Json::array(), subs = Json::array();
    for (const std::size_t i : keyring::listing_order(rep)) {  // gpg's order: primary user ID first
        const auto& r = rep.components[i];
        const cert::Component& comp = *r.component;
        if (comp.kind == ComponentKind::Subkey) {
            if (!comp.key()) continue;
            Json s = key_object(*comp.key(), lc, r, opt, false);
            if (sigs) s["signatures"] = signatures(r, opt, names);
            subs.push_back(std::move(s));
        } else {
            Json u = user_object(rep, r);
            if (sigs) u["signatures"] = signatures(r, opt, names);
            users.push_back(std::move(u));
        }
    }
    j["user_ids"] = std::move(users);
    j["subkeys"] = std::move(subs);
    return j;
}

}  // namespace

void render_listing_json(Output& out, const std::vector<ListedCert>& certs, const ListingOptions& opt,
                         const keyring::IssuerNames& names) {
    out.put("[");
    for (std::size_t i = 0; i < certs.size(); ++i) {
        if (i) out.put(",");
        out.put("\n").put(cert_object(certs[i], opt, names).dump(-1, ' ', false, Json::error_handler_t::replace));
    }
    out.put("\n]\n");
}

}  // namespace pgpkit::cli
