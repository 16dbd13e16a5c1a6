#include "cli/listing_render.h"

#include <string>

#include "base/bytes.h"
#include "base/time.h"
#include "cli/listing_text.h"
#include "packet/names.h"
#include "packet/signature.h"

namespace pgpkit::cli {

using cert::ComponentKind;
using cert::ComponentReport;
using cert::ValidityState;

namespace {

/** '#' for a stub, '>' for a key on a card, ' ' else (gpg's sec#/sec>). */
char secret_mark(const packet::Key& k, const keyring::SecretParts* parts) {
    const std::string f = parts ? parts->flag(k) : keyring::secret_flag(k);
    return f.empty() || f == "#" ? '#' : f == "+" ? ' ' : '>';
}

void key_line(Output& out, const char* what, const packet::Key& k, const ComponentReport& r, bool secret,
              const keyring::SecretParts* parts) {
    out.put(what).put(secret ? secret_mark(k, parts) : ' ').put("  ").put(cert::algo_string(k)).put(' ');
    // gpg prints an empty usage "[]" for a subkey revoked without a binding (no usage known).
    const bool revoked_unbound = r.validity.state == ValidityState::Invalid && r.validity.revoked_at;
    out.put(format_date(k.created)).put(revoked_unbound ? std::string(" []") : usage_tag(r.usage));
    out.put(validity_tag(r.validity, false)).put('\n');
}

/** "6C97 91A8 ... FC9C  076D ..." as gpg's --with-fingerprint prints a v4 fingerprint. */
std::string spaced_fingerprint(const Bytes& fpr) {
    const std::string hex = to_hex(fpr);
    if (hex.size() != 40) return hex;
    std::string s;
    for (std::size_t i = 0; i < hex.size(); i += 4) {
        if (i) s += i == 20 ? "  " : " ";
        s += hex.substr(i, 4);
    }
    return s;
}

void key_extras(Output& out, const packet::Key& k, bool primary, const ListingOptions& opt) {
    if (primary && opt.with_fingerprint == 0) out.put("      ").put(to_hex(k.fingerprint)).put('\n');
    else if (primary ? opt.with_fingerprint >= 1 : opt.with_fingerprint >= 2)
        out.put("      ").put(spaced_fingerprint(k.fingerprint)).put('\n');
    if (opt.with_keygrip) {
        const std::string grip = keyring::keygrip_hex(k);
        if (!grip.empty()) out.put("      Keygrip = ").put(grip).put('\n');
    }
}

std::string name_of(const keyring::IssuerNames& names, const packet::Signature& s) {
    const auto id = s.issuer_keyid();
    std::uint64_t v = 0;
    if (id)
        for (auto b : *id) v = (v << 8) | b;
    const std::string* n = id ? names.find(v) : nullptr;
    return n ? native_text(*n) : "[User ID not found]";
}

void sig_lines(Output& out, const ComponentReport& r, const ListingOptions& opt, const keyring::IssuerNames& names) {
    if (!opt.with_sig_list && !opt.check_sigs) return;
    const auto packets = r.component->signatures();
    for (std::size_t i = 0; i < packets.size() && i < r.sigs.size(); ++i) {
        const auto* s = packets[i]->get<packet::Signature>();
        if (!s) continue;
        const char marker = opt.check_sigs ? r.sigs[i].marker() : ' ';
        if (marker == '?') continue;  // gpg --check-sigs leaves out signatures it has no key for
        std::string line = sig_line_head(*s, marker, opt.now);
        if (marker == '%') {
            const auto& c = r.sigs[i];
            line += "[" + keyring::error_text(c) + "] ";
        } else {
            line += name_of(names, *s);
        }
        out.put(line).put('\n');
    }
}

/** gpg's text for a user attribute: "[jpeg image of size N]" per image subpacket. */
std::string attribute_text(const cert::Component& c) {
    const auto* a = c.head.get<packet::UserAttribute>();
    if (!a || a->subpackets.empty()) return "[invalid image]";
    const auto& p = a->subpackets.front();
    // An image subpacket (type 1) has a 16-octet image header before the JPEG data.
    if (static_cast<unsigned>(p.type()) == 1 && p.body.size() >= 16)
        return "[jpeg image of size " + std::to_string(p.body.size() - 16) + "]";
    return "[unknown attribute of size " + std::to_string(p.body.size()) + "]";
}

/** Field 2 of a user ID's or subkey's record: from the web of trust when `kv` is set. */
char letter_of(const cert::CertReport& rep, std::size_t index, const trust::KeyValidity* kv) {
    const ComponentReport& r = rep.components[index];
    const char plain = keyring::validity_letter(rep, r);
    if (!kv) return plain;
    if (r.component->kind == ComponentKind::Subkey) return plain == '-' ? kv->letter : plain;
    for (const trust::UserIdValidity& u : kv->user_ids)
        if (u.component == index) return u.letter;
    return plain;
}

/**
 * Puts the web of trust's letters into a certificate's records: pub/sec fields 2 and 9,
 * and field 2 of the uid/uat/sub/ssb records, which colon_records emits in listing_order
 * (subkeys whose packet does not parse have none).
 */
void apply_trust(std::vector<keyring::ColonRecord>& records, const cert::CertReport& rep,
                 const trust::KeyValidity& kv) {
    std::vector<std::size_t> order;
    for (const std::size_t i : keyring::listing_order(rep)) {
        const cert::Component& c = *rep.components[i].component;
        if (c.kind != ComponentKind::Subkey || c.key()) order.push_back(i);
    }
    std::size_t next = 0;
    for (keyring::ColonRecord& r : records) {
        const std::string& t = r.type();
        if (t == "pub" || t == "sec") {
            r.fields[1] = std::string(1, kv.letter);
            r.fields[8] = std::string(1, trust::ownertrust_letter(kv));
        } else if ((t == "uid" || t == "uat" || t == "sub" || t == "ssb") && next < order.size()) {
            r.fields[1] = std::string(1, letter_of(rep, order[next++], &kv));
        }
    }
}

bool hidden(const ComponentReport& r) {
    // An invalid subkey with a good revocation counts as revoked here (gpg's flags.revoked).
    return r.validity.state == ValidityState::Revoked || r.validity.state == ValidityState::Expired ||
           (r.component->kind == ComponentKind::Subkey && r.validity.revoked_at);
}

void render_one(Output& out, const ListedCert& lc, const ListingOptions& opt, const keyring::IssuerNames& names) {
    const cert::Cert& c = *lc.cert;
    const cert::CertReport& rep = *lc.report;
    key_line(out, opt.secret ? "sec" : "pub", c.key(), rep.primary, opt.secret, lc.secret);
    key_extras(out, c.key(), true, opt);
    sig_lines(out, rep.primary, opt, names);
    for (const std::size_t i : keyring::listing_order(rep)) {  // gpg's order: primary user ID first
        const auto& r = rep.components[i];
        const cert::Component& comp = *r.component;
        // gpg hides revoked and expired user IDs and subkeys (list-options show-unusable-*).
        if (!opt.show_only && hidden(r)) continue;
        if (comp.kind == ComponentKind::Subkey) {
            if (!comp.key()) continue;
            key_line(out, opt.secret ? "ssb" : "sub", *comp.key(), r, opt.secret, lc.secret);
            key_extras(out, *comp.key(), false, opt);
        } else {
            // --show-keys tags only a user ID revoked or expired by its own self-signature.
            const char own = state_letter(r.validity.state);
            if (opt.show_only && own != 'r' && own != 'e') out.put("uid                      ");
            else out.put("uid           ").put(uid_tag(opt.show_only ? own : letter_of(rep, i, lc.trust))).put(' ');
            if (comp.kind == ComponentKind::UserId) {
                const Bytes id = comp.id_bytes();
                out.put(native_text(std::string_view(reinterpret_cast<const char*>(id.data()), id.size())));
            } else {
                out.put(attribute_text(comp));
            }
            out.put('\n');
        }
        sig_lines(out, r, opt, names);
    }
    out.put('\n');
}

}  // namespace

keyring::ColonOptions colon_options(const ListingOptions& opt) {
    keyring::ColonOptions o;
    o.secret = opt.secret;
    o.with_keygrip = opt.with_keygrip;
    o.with_sig_list = opt.with_sig_list;
    o.check_sigs = opt.check_sigs;
    o.with_key_data = opt.with_key_data;
    o.sig_subpackets = opt.sig_subpackets;
    return o;
}

void render_listing_colons(Output& out, const std::vector<ListedCert>& certs, const ListingOptions& opt,
                           const keyring::IssuerNames& names) {
    if (!opt.secret) out.put(opt.tru ? *opt.tru : keyring::tru_record().line()).put('\n');
    keyring::ColonOptions co = colon_options(opt);
    for (const ListedCert& lc : certs) {
        co.secret_parts = lc.secret;
        std::vector<keyring::ColonRecord> records = keyring::colon_records(*lc.cert, *lc.report, co, names);
        if (lc.trust) apply_trust(records, *lc.report, *lc.trust);
        for (const keyring::ColonRecord& r : records) out.put(r.line()).put('\n');
    }
}

void render_listing_text(Output& out, const std::vector<ListedCert>& certs, const ListingOptions& opt,
                         const keyring::IssuerNames& names) {
    const std::string* last = nullptr;
    for (const ListedCert& lc : certs) {
        if (opt.keyring_headers && (!last || *last != lc.keyring)) {
            out.put(lc.keyring).put('\n').put(std::string(lc.keyring.size(), '-')).put('\n');
            last = &lc.keyring;
        }
        render_one(out, lc, opt, names);
    }
}

}  // namespace pgpkit::cli
