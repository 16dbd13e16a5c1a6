// Listings of certificates for /pks/lookup (index_build.h).
#include "keyserver/index_build.h"

#include <ctime>

#include "base/bytes.h"
#include "cert/validity.h"
#include "packet/fields.h"
#include "packet/signature.h"

namespace pgpkit::keyserver {

namespace {

IndexFlags flags_of(const cert::Validity& v) {
    IndexFlags f;
    f.revoked = v.state == cert::ValidityState::Revoked;
    f.expired = v.state == cert::ValidityState::Expired;
    return f;
}

const packet::Signature* self_sig_of(const cert::ComponentReport& r) {
    if (!r.self_sig || !r.component) return nullptr;
    const auto sigs = r.component->signatures();
    if (*r.self_sig >= sigs.size()) return nullptr;
    return sigs[*r.self_sig]->get<packet::Signature>();
}

std::string date(std::uint32_t t) {
    const std::time_t tt = static_cast<std::time_t>(t);
    std::tm tm{};
    gmtime_r(&tt, &tm);
    char buf[16];
    std::strftime(buf, sizeof buf, "%Y-%m-%d", &tm);
    return buf;
}

bool made_by(const packet::Signature& s, const packet::Key& k) {
    if (auto fpr = s.issuer_fingerprint()) return *fpr == k.fingerprint;
    if (auto id = s.issuer_keyid()) return *id == k.keyid;
    return false;
}

std::string key_line(const cert::Cert& c, const cert::CertReport& rep, const ListingOptions& opt) {
    const auto& k = c.key();
    std::string line = "pub  " + cert::algo_string(k) + "/<a href=\"/pks/lookup?op=get&amp;search=0x" +
                       to_hex(k.fingerprint) + "\">" + to_hex(k.keyid) + "</a> " + date(k.created);
    const auto& v = rep.primary.validity;
    if (v.state == cert::ValidityState::Revoked) line += " [revoked]";
    if (v.expires) line += std::string(v.state == cert::ValidityState::Expired ? " [expired: " : " [expires: ") +
                           date(*v.expires) + "]";
    line += "\n";
    if (opt.fingerprint) line += "     Fingerprint=" + to_hex(k.fingerprint) + "\n";
    return line;
}

std::string uid_lines(const cert::Cert& c, const cert::ComponentReport& r, const ListingOptions& opt) {
    const Bytes id = r.component->id_bytes();
    std::string out = "uid  " + html_escape(std::string(id.begin(), id.end())) + "\n";
    if (!opt.verbose) return out;
    const auto sigs = r.component->signatures();
    for (std::size_t i = 0; i < sigs.size(); ++i) {
        const auto* s = sigs[i]->get<packet::Signature>();
        if (!s) continue;
        const auto issuer = s->issuer_keyid();
        const bool self = made_by(*s, c.key());
        std::string who = issuer ? to_hex(ByteView(issuer->data(), issuer->size())) : std::string(16, '?');
        out += std::string(self ? "sig  sig3 " : "sig  sig  ") + who + " " + (s->created() ? date(*s->created()) : "") +
               (i < r.sigs.size() && r.sigs[i].good() ? "" : (self ? " [bad]" : "")) + "\n";
    }
    return out;
}

}  // namespace

std::string html_escape(std::string_view s) {
    std::string out;
    out.reserve(s.size());
    for (char ch : s) {
        switch (ch) {
        case '&': out += "&amp;"; break;
        case '<': out += "&lt;"; break;
        case '>': out += "&gt;"; break;
        case '"': out += "&quot;"; break;
        default: out.push_back(ch);
        }
    }
    return out;
}

namespace {

cert::CertReport checked(const cert::Cert& c, std::uint32_t now, cert::VerifiedSignatures* verified) {
    cert::CheckContext ctx;
    ctx.verified = verified;
    return cert::check_cert(c, ctx, now);
}

}  // namespace

IndexEntry index_entry(const cert::Cert& c, std::uint32_t now, cert::VerifiedSignatures* verified) {
    const auto rep = checked(c, now, verified);
    const auto& k = c.key();
    IndexEntry e;
    e.key = to_hex(k.fingerprint);
    e.algorithm = static_cast<std::uint32_t>(k.algo);
    if (const unsigned bits = packet::key_bits(k.algo, k.fields)) e.bits = bits;
    e.created = k.created;
    if (rep.primary.validity.expires) e.expires = *rep.primary.validity.expires;
    e.flags = flags_of(rep.primary.validity);
    for (const auto& r : rep.components) {
        if (!r.component || r.component->kind != cert::ComponentKind::UserId) continue;
        const auto* s = self_sig_of(r);
        if (!s) continue;
        IndexUid u;
        const Bytes id = r.component->id_bytes();
        u.user_id.assign(id.begin(), id.end());
        if (auto t = s->created()) u.created = *t;
        if (r.validity.expires) u.expires = *r.validity.expires;
        u.flags = flags_of(r.validity);
        e.uids.push_back(std::move(u));
    }
    return e;
}

std::string html_index(const std::vector<cert::Cert>& certs, const std::string& search, const ListingOptions& opt,
                       std::uint32_t now, cert::VerifiedSignatures* verified) {
    std::string out = "<!DOCTYPE html>\n<html><head><title>Search results for '" + html_escape(search) +
                      "'</title></head><body>\n<h1>Search results for '" + html_escape(search) + "'</h1>\n";
    for (const auto& c : certs) {
        const auto rep = checked(c, now, verified);
        out += "<pre>\n" + key_line(c, rep, opt);
        for (const auto& r : rep.components)
            if (r.component && r.component->kind == cert::ComponentKind::UserId) out += uid_lines(c, r, opt);
        for (const auto& r : rep.components)
            if (r.component && r.component->kind == cert::ComponentKind::Subkey)
                out += "sub  " + cert::algo_string(*r.component->key()) + "/" + to_hex(r.component->key()->keyid) +
                       " " + date(r.component->key()->created) + "\n";
        out += "</pre>\n";
    }
    out += "</body></html>\n";
    return out;
}

cert::Cert without_third_party(const cert::Cert& c) {
    cert::Cert out = c;
    for (auto& comp : out.components) {
        if (comp.kind != cert::ComponentKind::UserId && comp.kind != cert::ComponentKind::UserAttribute) continue;
        std::vector<packet::Packet> kept;
        for (auto& p : comp.tail) {
            const auto* s = p.get<packet::Signature>();
            if (!s || made_by(*s, c.key())) kept.push_back(std::move(p));
        }
        comp.tail = std::move(kept);
    }
    return out;
}

}  // namespace pgpkit::keyserver
