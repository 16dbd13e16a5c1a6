#include "cli/checksigs_render.h"

#include <cstdio>
#include <ctime>
#include <string>
#include <unordered_map>

#include "base/time.h"
#include "packet/fields.h"

namespace pgpkit::cli {

using cert::Cert;
using cert::CertReport;
using cert::ComponentKind;
using cert::ComponentReport;
using cert::SigCheck;
using packet::Signature;

namespace {

std::string keyid_hex(const std::array<std::uint8_t, 8>& id) { return to_hex(id); }

/** The user ID gpg would name a key by: the primary user ID of its certificate. */
class Names {
public:
    Names(const std::vector<Cert>& certs, const std::vector<CertReport>& reports) {
        for (std::size_t i = 0; i < certs.size(); ++i) m_reports.emplace(&certs[i], &reports[i]);
    }
    std::string of(const Cert* c) const {
        if (!c) return "[User ID not found]";
        auto it = m_reports.find(c);
        if (it != m_reports.end())
            for (const auto& r : it->second->components)
                if (r.primary_uid) return as_string(r.component->id_bytes());
        for (const auto* u : c->of_kind(ComponentKind::UserId)) return as_string(u->id_bytes());
        return "[User ID not found]";
    }

private:
    static std::string as_string(const Bytes& b) { return {b.begin(), b.end()}; }
    std::unordered_map<const Cert*, const CertReport*> m_reports;
};

std::string usage_tag(const cert::Usage& u) {
    std::string s;
    if (u.sign) s += 'S';
    if (u.certify) s += 'C';
    if (u.encrypt) s += 'E';
    if (u.authenticate) s += 'A';
    return s.empty() ? "" : " [" + s + "]";
}

std::string validity_tag(const cert::Validity& v) {
    switch (v.state) {
    case cert::ValidityState::Revoked: return " [revoked: " + format_date(v.revoked_at.value_or(0)) + "]";
    case cert::ValidityState::Expired: return " [expired: " + format_date(v.expires.value_or(0)) + "]";
    case cert::ValidityState::Invalid: return " [invalid: " + v.reason + "]";
    case cert::ValidityState::Valid: return v.expires ? " [expires: " + format_date(*v.expires) + "]" : "";
    }
    return "";
}

void key_line(Output& out, const char* what, const packet::Key& k, const ComponentReport& r) {
    out.put(what).put("   ").put(cert::algo_string(k)).put(' ').put(format_date(k.created));
    out.put(usage_tag(r.usage)).put(validity_tag(r.validity)).put('\n');
}

void sig_line(Output& out, const Signature& s, const SigCheck& r, const Names& names, const cert::KeyIndex& index,
              std::uint32_t now) {
    const cert::SigFlags f = cert::signature_flags(s, now);
    std::string line = cert::is_revocation(s.sig_type) ? "rev" : "sig";
    line += r.marker();
    const unsigned t = static_cast<unsigned>(s.sig_type);
    const bool level = packet::is_certification(s.sig_type) && s.sig_type != packet::SigType::GenericCert;
    line += level ? static_cast<char>('0' + t - 0x10) : ' ';
    line += ' ';
    line += f.exportable ? ' ' : 'L';
    line += f.revocable ? ' ' : 'R';
    line += f.policy_url ? 'P' : ' ';
    line += f.notation ? 'N' : ' ';
    line += f.expired ? 'X' : ' ';
    line += f.trust_depth > 9 ? 'T' : f.trust_depth ? static_cast<char>('0' + f.trust_depth) : ' ';
    const auto id = s.issuer_keyid();
    line += ' ';
    line += id ? keyid_hex(*id) : std::string(16, '0');
    line += ' ' + format_date(s.created().value_or(0)) + "  ";
    if (r.marker() == '%') line += "[" + (r.policy ? *r.policy : r.crypto_reason) + "]";
    else if (r.marker() == '?' || !r.issuer) line += "[User ID not found]";
    else line += names.of(index.owner(r.issuer));
    out.put(line).put('\n');
}

void component_sigs(Output& out, const ComponentReport& r, const Names& names, const cert::KeyIndex& index,
                    std::uint32_t now, SigTally& t) {
    const auto packets = r.component->signatures();
    for (std::size_t i = 0; i < packets.size(); ++i) {
        add_to_tally(t, r.sigs[i]);
        if (const auto* s = packets[i]->get<Signature>()) sig_line(out, *s, r.sigs[i], names, index, now);
        else out.put("sig%         0000000000000000 1970-01-01  [signature packet does not parse]\n");
    }
}

const char* uid_label(const cert::Validity& v) {
    switch (v.state) {
    case cert::ValidityState::Revoked: return "[ revoked]";
    case cert::ValidityState::Expired: return "[ expired]";
    case cert::ValidityState::Invalid: return "[ invalid]";
    case cert::ValidityState::Valid: return "[ unknown]";
    }
    return "[ unknown]";
}

}  // namespace

void add_to_tally(SigTally& t, const SigCheck& r) {
    switch (r.marker()) {
    case '!': ++t.good; break;
    case '-': ++t.bad; break;
    case '?': ++t.no_key; break;
    default: ++t.errors; break;
    }
}

SigTally render_checks_text(Output& out, const std::vector<Cert>& certs, const std::vector<CertReport>& reports,
                            const cert::KeyIndex& index) {
    SigTally t;
    const Names names(certs, reports);
    const auto now = static_cast<std::uint32_t>(std::time(nullptr));
    for (std::size_t i = 0; i < certs.size(); ++i) {
        const Cert& c = certs[i];
        const CertReport& rep = reports[i];
        key_line(out, c.secret() ? "sec" : "pub", c.key(), rep.primary);
        out.put("      ").put(to_hex(c.fingerprint())).put('\n');
        component_sigs(out, rep.primary, names, index, now, t);
        for (const auto& r : rep.components) {
            const cert::Component& comp = *r.component;
            if (comp.kind == ComponentKind::Subkey) {
                if (comp.key()) key_line(out, c.secret() ? "ssb" : "sub", *comp.key(), r);
                else out.put("sub   [subkey packet does not parse]\n");
            } else {
                out.put("uid           ").put(uid_label(r.validity)).put(' ');
                if (comp.kind == ComponentKind::UserId) {
                    const Bytes id = comp.id_bytes();
                    out.put(std::string_view(reinterpret_cast<const char*>(id.data()), id.size()));
                } else {
                    out.put("[user attribute]");
                }
                out.put('\n');
            }
            component_sigs(out, r, names, index, now, t);
        }
        out.put('\n');
    }
    return t;
}

void print_tally(const SigTally& t) {
    auto line = [](std::size_t n, const char* one, const char* many) {
        if (n) std::fprintf(stderr, "pgpkit: %zu %s\n", n, n == 1 ? one : many);
    };
    line(t.good, "good signature", "good signatures");
    line(t.bad, "bad signature", "bad signatures");
    line(t.no_key, "signature not checked due to a missing key", "signatures not checked due to missing keys");
    line(t.errors, "signature not checked due to an error", "signatures not checked due to errors");
}

}  // namespace pgpkit::cli
