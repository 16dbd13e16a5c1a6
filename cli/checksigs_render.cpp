#include "cli/checksigs_render.h"

#include <cstdio>
#include <ctime>
#include <string>
#include <unordered_map>

#include "base/time.h"
#include "cli/listing_text.h"
#include "packet/fields.h"

namespace pgpkit::cli {

using cert::Cert;
using cert::CertReport;
using cert::ComponentKind;
using cert::ComponentReport;
using cert::SigCheck;
using packet::Signature;

namespace {

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

void key_line(Output& out, const char* what, const packet::Key& k, const ComponentReport& r) {
    out.put(what).put("   ").put(cert::algo_string(k)).put(' ').put(format_date(k.created));
    out.put(usage_tag(r.usage)).put(validity_tag(r.validity, true)).put('\n');
}

void sig_line(Output& out, const Signature& s, const SigCheck& r, const Names& names, const cert::KeyIndex& index,
              std::uint32_t now) {
    std::string line = sig_line_head(s, r.marker(), now);
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

}  // namespace

void add_to_tally(SigTally& t, const SigCheck& r) {
    switch (r.marker()) {
    case '!': ++t.good; break;
    case '-': ++t.bad; break;
    case '?': ++t.no_key; break;
    default: ++t.errors; break;
    }
}

void add_to_tally(SigTally& t, const CertReport& rep) {
    for (const auto& s : rep.primary.sigs) add_to_tally(t, s);
    for (const auto& r : rep.components)
        for (const auto& s : r.sigs) add_to_tally(t, s);
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
                out.put("uid           ").put(uid_tag(state_letter(r.validity.state))).put(' ');
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
