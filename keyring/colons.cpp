#include "keyring/colons.h"

#include <algorithm>

#include "base/bytes.h"
#include "base/error.h"
#include "crypto/hash.h"
#include "keygen/keygrip.h"
#include "packet/fields.h"
#include "packet/names.h"
#include "packet/signature.h"
#include "packet/simple_packets.h"

namespace pgpkit::keyring {

using cert::CertReport;
using cert::ComponentKind;
using cert::ComponentReport;
using cert::ValidityState;
using packet::PubkeyAlgo;
using packet::Signature;
using packet::SigType;
using packet::SubpacketType;

namespace {

const packet::Subpacket* find_sub(const Signature& s, SubpacketType t, bool unhashed_too = false) {
    for (const auto& p : s.hashed)
        if (p.type() == t) return &p;
    if (unhashed_too)
        for (const auto& p : s.unhashed)
            if (p.type() == t) return &p;
    return nullptr;
}

std::optional<std::uint32_t> be32(const packet::Subpacket* p) {
    if (!p || p->body.size() != 4) return std::nullopt;
    return (std::uint32_t{p->body[0]} << 24) | (std::uint32_t{p->body[1]} << 16) | (std::uint32_t{p->body[2]} << 8) |
           p->body[3];
}

std::string num(std::uint64_t v) { return std::to_string(v); }
std::string opt_num(std::optional<std::uint32_t> v) { return v ? num(*v) : std::string(); }

std::string hex2(unsigned v) {
    static const char* d = "0123456789abcdef";
    return {d[(v >> 4) & 15], d[v & 15]};
}

std::string keyid_hex(const std::array<std::uint8_t, 8>& id) { return to_hex(id); }

std::uint64_t keyid_num(const std::array<std::uint8_t, 8>& id) noexcept {
    std::uint64_t v = 0;
    for (auto b : id) v = (v << 8) | b;
    return v;
}

/** A record of `n` fields (type included) plus the empty one the trailing colon makes. */
ColonRecord record(const char* type, std::size_t n) {
    ColonRecord r;
    r.fields.assign(n + 1, std::string());
    r.fields[0] = type;
    return r;
}

/** fpr and grp records: the value in field 10. */
ColonRecord field10(const char* type, std::string value) {
    ColonRecord r = record(type, 10);
    r.fields[9] = std::move(value);
    return r;
}

bool is_ecc(const packet::Key& k) noexcept {
    return k.algo == PubkeyAlgo::Ecdh || k.algo == PubkeyAlgo::Ecdsa || k.algo == PubkeyAlgo::EdDsaLegacy;
}

unsigned mpi_bits(const packet::Key& k, std::size_t i) {
    return i < k.fields.size() && k.fields[i].kind == packet::FieldKind::Mpi ? k.fields[i].effective_bits() : 0;
}

/** The common fields 2-7 and 12 of pub/sub/sec/ssb. */
void key_fields(ColonRecord& r, const packet::Key& k, char validity, const cert::Validity& v, std::string usage) {
    r.fields[1] = std::string(1, validity);
    r.fields[2] = num(packet::key_bits(k.algo, k.fields));
    r.fields[3] = num(static_cast<unsigned>(k.algo));
    r.fields[4] = keyid_hex(k.keyid);
    r.fields[5] = num(k.created);
    r.fields[6] = opt_num(v.expires);
    r.fields[11] = std::move(usage);
    r.fields[16] = curve_field(k);
    r.fields[17] = compliance_field(k);
}

void key_data(std::vector<ColonRecord>& out, const packet::Key& k) {
    for (std::size_t i = 0; i < k.fields.size(); ++i) {
        const packet::AlgoField& f = k.fields[i];
        ColonRecord r = record("pkd", 4);
        r.fields[1] = num(i);
        if (f.kind == packet::FieldKind::Sized8) {
            // gpg keeps OIDs and KDF parameters as opaque values with their length octet.
            Bytes v{static_cast<std::uint8_t>(f.data.size())};
            v.insert(v.end(), f.data.begin(), f.data.end());
            r.fields[2] = num(v.size() * 8);
            r.fields[3] = to_hex(v);
        } else {
            std::size_t skip = 0;
            while (f.kind == packet::FieldKind::Mpi && skip < f.data.size() && f.data[skip] == 0) ++skip;
            const ByteView v = ByteView(f.data).subspan(skip);
            r.fields[2] = num(f.kind == packet::FieldKind::Mpi ? f.effective_bits() : v.size() * 8);
            r.fields[3] = to_hex(v);
        }
        out.push_back(std::move(r));
    }
}

void key_block(std::vector<ColonRecord>& out, const packet::Key& k, const ColonOptions& opt) {
    out.push_back(field10("fpr", to_hex(k.fingerprint)));
    if (opt.with_keygrip || opt.secret || opt.with_key_data) {  // gpg: key data implies grp
        const std::string grip = keygrip_hex(k);
        if (!grip.empty()) out.push_back(field10("grp", grip));
    }
    if (opt.with_key_data) key_data(out, k);
}

std::string issuer_name(const IssuerNames& names, const Signature& s) {
    const auto id = s.issuer_keyid();
    const std::string* n = id ? names.find(keyid_num(*id)) : nullptr;
    return n ? colon_escape(*n) : std::string("[User ID not found]");
}

bool is_rev(const Signature& s) noexcept {
    return s.sig_type == SigType::KeyRevocation || s.sig_type == SigType::SubkeyRevocation ||
           s.sig_type == SigType::CertRevocation;
}

/** The text of a revocation's reason subpacket, or "" (field 21 of rev records). */
std::string reason_text(const Signature& s) {
    const auto* why = find_sub(s, SubpacketType::ReasonForRevocation, true);
    if (!why || why->body.size() < 2 || !is_rev(s)) return {};
    return colon_escape(std::string_view(reinterpret_cast<const char*>(why->body.data()) + 1, why->body.size() - 1));
}

ColonRecord sig_record(const Signature& s, const cert::SigCheck& check, const IssuerNames& names,
                       const ColonOptions& opt) {
    std::string why = reason_text(s);
    ColonRecord r = record(is_rev(s) ? "rev" : "sig", why.empty() ? 16 : 21);
    if (!why.empty()) r.fields[20] = std::move(why);
    const char marker = sig_marker(check, s, names, opt.check_sigs);
    if (marker != ' ') r.fields[1] = std::string(1, marker);
    r.fields[3] = num(static_cast<unsigned>(s.pk_algo));
    const auto id = s.issuer_keyid();
    r.fields[4] = id ? keyid_hex(*id) : std::string(16, '0');
    r.fields[5] = num(s.created().value_or(0));
    if (const auto secs = be32(find_sub(s, SubpacketType::SignatureExpirationTime)); secs && *secs)
        r.fields[6] = num(std::uint64_t{s.created().value_or(0)} + *secs);
    if (const auto* t = find_sub(s, SubpacketType::TrustSignature); t && t->body.size() >= 2 && (t->body[0] || t->body[1]))
        r.fields[7] = num(t->body[0]) + " " + num(t->body[1]);
    if (const auto* re = find_sub(s, SubpacketType::RegularExpression)) {
        const std::string text(re->body.begin(), re->body.end());
        r.fields[8] = colon_escape(text.substr(0, text.find('\0')));
    }
    if (marker == '%')
        r.fields[9] = "[" + error_text(check) + "] ";
    else if (marker != '?' || !opt.check_sigs)
        r.fields[9] = marker == '?' ? std::string("[User ID not found]") : issuer_name(names, s);
    const cert::SigFlags f = cert::signature_flags(s, 0);
    r.fields[10] = hex2(static_cast<unsigned>(s.sig_type)) + (f.exportable ? "x" : "l");
    if (const auto* why = find_sub(s, SubpacketType::ReasonForRevocation, true); why && is_rev(s) && !why->body.empty())
        r.fields[10] += "," + hex2(why->body[0]);
    // gpg 2.2 takes the issuer fingerprint from the hashed area only (issuer_fpr_raw), of a
    // v4 or v5 key; pgpkit also prints a v6 key's, which gpg 2.2 cannot read.
    if (const auto* p = find_sub(s, SubpacketType::IssuerFingerprint);
        p && ((p->body.size() == 21 && p->body[0] == 4) || (p->body.size() == 33 && p->body[0] >= 5)))
        r.fields[12] = to_hex(ByteView(p->body).subspan(1));
    r.fields[15] = num(static_cast<unsigned>(s.hash_algo));
    return r;
}

void sig_records(std::vector<ColonRecord>& out, const ComponentReport& r, const IssuerNames& names,
                 const ColonOptions& opt) {
    if (!opt.with_sig_list && !opt.check_sigs) return;
    const auto packets = r.component->signatures();
    for (std::size_t i = 0; i < packets.size() && i < r.sigs.size(); ++i) {
        const auto* s = packets[i]->get<Signature>();
        if (!s) continue;
        out.push_back(sig_record(*s, r.sigs[i], names, opt));
        if (opt.sig_subpackets.any())
            for (ColonRecord& spk : subpacket_records(*s, opt.sig_subpackets)) out.push_back(std::move(spk));
    }
}

std::string percent_escape(ByteView v) {
    static constexpr char hex[] = "0123456789ABCDEF";
    std::string out;
    for (std::uint8_t b : v) {
        if (b >= 32 && b <= 126 && b != ':' && b != '%') {
            out += static_cast<char>(b);
        } else {
            out += '%';
            out += hex[b >> 4];
            out += hex[b & 15];
        }
    }
    return out;
}

ColonRecord user_record(const CertReport& rep, const ComponentReport& r) {
    const cert::Component& c = *r.component;
    const bool attr = c.kind == ComponentKind::UserAttribute;
    ColonRecord u = record(attr ? "uat" : "uid", 20);
    u.fields[1] = std::string(1, validity_letter(rep, r));
    // gpg's uid->created is the self-signature's date, unset when that signature is a
    // revocation or has expired; uid->expiredate is the signature's expiry.
    if (r.self_sig && r.validity.state != ValidityState::Revoked) {
        const auto packets = c.signatures();
        if (*r.self_sig < packets.size() && r.validity.state == ValidityState::Valid)
            if (const auto* s = packets[*r.self_sig]->get<Signature>()) u.fields[5] = num(s->created().value_or(0));
        u.fields[6] = opt_num(r.validity.expires);
    }
    u.fields[7] = uid_hash(c);
    const Bytes id = c.id_bytes();
    if (attr) {
        const auto* a = c.head.get<packet::UserAttribute>();
        u.fields[9] = num(a ? a->subpackets.size() : 0) + " " + num(id.size());
    } else {
        u.fields[9] = colon_escape(std::string_view(reinterpret_cast<const char*>(id.data()), id.size()));
    }
    u.fields[19] = "0";
    return u;
}

}  // namespace

std::bitset<128> parse_subpacket_list(std::string_view list) {
    std::bitset<128> out;
    std::string token;
    bool any = false;
    auto flush = [&] {
        if (token.empty()) return;
        unsigned v = 0;
        for (char c : token) {
            if (c < '0' || c > '9' || v > 127) throw Error(Errc::Usage, 0, "bad subpacket type '" + token + "'");
            v = v * 10 + static_cast<unsigned>(c - '0');
        }
        if (v < 1 || v > 127) throw Error(Errc::Usage, 0, "subpacket type out of range: " + token);
        out.set(v);
        any = true;
        token.clear();
    };
    for (char c : list) {
        if (c == ',' || c == ' ' || c == '"') flush();
        else token += c;
    }
    flush();
    if (!any)
        for (std::size_t t = 1; t < out.size(); ++t) out.set(t);
    return out;
}

std::vector<ListedSubpacket> listed_subpackets(const Signature& s, const std::bitset<128>& types) {
    std::vector<ListedSubpacket> out;
    for (std::size_t t = types.size() - 1; t >= 1; --t) {
        if (!types.test(t)) continue;
        for (const bool hashed : {true, false})
            for (const packet::Subpacket& sp : hashed ? s.hashed : s.unhashed)
                if (static_cast<std::size_t>(sp.type()) == t) out.push_back(ListedSubpacket{&sp, hashed});
    }
    return out;
}

std::vector<ColonRecord> subpacket_records(const Signature& s, const std::bitset<128>& types) {
    std::vector<ColonRecord> out;
    for (const ListedSubpacket& l : listed_subpackets(s, types)) {
        const packet::Subpacket& sp = *l.subpacket;
        const unsigned flags = (l.hashed ? 1u : 0u) | (sp.critical() ? 2u : 0u);
        out.push_back(ColonRecord{{"spk", num(static_cast<unsigned>(sp.type())), num(flags), num(sp.body.size()), percent_escape(sp.body)}});
    }
    return out;
}

std::string_view ColonRecord::field(std::size_t n) const noexcept {
    return n >= 1 && n <= fields.size() ? std::string_view(fields[n - 1]) : std::string_view();
}

std::string ColonRecord::line() const {
    std::string s;
    for (std::size_t i = 0; i < fields.size(); ++i) {
        if (i) s += ':';
        s += fields[i];
    }
    return s;
}

void IssuerNames::add(const cert::Cert& c, const CertReport& r) {
    std::optional<std::string> name;
    for (const auto& u : r.components)
        if (u.primary_uid && u.component->kind == ComponentKind::UserId) {
            const Bytes b = u.component->id_bytes();
            name = std::string(b.begin(), b.end());
        }
    if (!name)
        for (const auto* u : c.of_kind(ComponentKind::UserId)) {
            const Bytes b = u->id_bytes();
            name = std::string(b.begin(), b.end());
            break;
        }
    if (!name) return;
    m_names.emplace(keyid_num(c.key().keyid), *name);
    for (const auto* s : c.of_kind(ComponentKind::Subkey))
        if (s->key()) m_names.emplace(keyid_num(s->key()->keyid), *name);
}

const std::string* IssuerNames::find(std::uint64_t keyid) const {
    auto it = m_names.find(keyid);
    return it == m_names.end() ? nullptr : &it->second;
}

std::string colon_escape(std::string_view s) {
    std::string out;
    out.reserve(s.size());
    for (const char ch : s) {
        const auto c = static_cast<unsigned char>(ch);
        if (c >= 0x20 && c != 0x7F && c != ':' && c != '\\') {
            out += ch;
            continue;
        }
        out += '\\';
        switch (c) {
        case '\n': out += 'n'; break;
        case '\r': out += 'r'; break;
        case '\f': out += 'f'; break;
        case '\v': out += 'v'; break;
        case '\b': out += 'b'; break;
        case 0: out += '0'; break;
        default: out += 'x' + hex2(c); break;
        }
    }
    return out;
}

char validity_letter(const CertReport& rep, const ComponentReport& comp) {
    auto letter = [](ValidityState s) {
        switch (s) {
        case ValidityState::Invalid: return 'i';
        case ValidityState::Revoked: return 'r';
        case ValidityState::Expired: return 'e';
        case ValidityState::Valid: return '-';
        }
        return '-';
    };
    const ComponentKind kind = comp.component ? comp.component->kind : ComponentKind::PrimaryKey;
    const bool user = kind == ComponentKind::UserId || kind == ComponentKind::UserAttribute;
    if (user && (comp.validity.state == ValidityState::Revoked || comp.validity.state == ValidityState::Expired))
        return letter(comp.validity.state);
    // gpg's get_validity for a user ID: revoked or expired from the key, else the trust
    // model's answer, which is unknown ('-') for a key without a valid self-signature too.
    if (user) return rep.primary.validity.state == ValidityState::Invalid ? '-' : letter(rep.primary.validity.state);
    return letter(comp.validity.state);
}

std::string secret_flag(const packet::Key& k) {
    if (!k.secret) return k.secret_opaque.empty() ? std::string() : std::string("+");
    const auto& s2k = k.secret->s2k;
    if (s2k && s2k->is_gnu()) {
        if (s2k->gnu_mode == static_cast<std::uint8_t>(packet::GnuS2kMode::Dummy)) return "#";
        if (s2k->gnu_mode == static_cast<std::uint8_t>(packet::GnuS2kMode::DivertToCard))
            return s2k->card_serial.empty() ? std::string("#") : to_hex(s2k->card_serial);
    }
    return "+";
}

std::string SecretParts::flag(const packet::Key& k) const {
    for (const Part& p : parts)
        if (p.fingerprint == k.fingerprint) return p.flag;
    return "#";
}

std::string secret_field(const packet::Key& k, const ColonOptions& opt) {
    return opt.secret_parts ? opt.secret_parts->flag(k) : secret_flag(k);
}

std::string curve_field(const packet::Key& k) {
    if (!is_ecc(k)) return {};
    for (const auto& f : k.fields)
        if (f.name == "oid") {
            const std::string_view name = packet::curve_name_from_oid(f.data.data(), f.data.size());
            return name == "unknown" ? packet::oid_to_dotted(f.data.data(), f.data.size()) : std::string(name);
        }
    return {};
}

std::string compliance_field(const packet::Key& k) {
    bool ok = false;
    const unsigned bits = packet::key_bits(k.algo, k.fields);
    if (k.algo == PubkeyAlgo::Rsa || k.algo == PubkeyAlgo::RsaEncryptOnly || k.algo == PubkeyAlgo::RsaSignOnly)
        ok = bits == 2048 || bits == 3072 || bits == 4096;
    else if (k.algo == PubkeyAlgo::Dsa)
        ok = (bits == 2048 || bits == 3072) && mpi_bits(k, 1) == 256;
    else if (k.algo == PubkeyAlgo::Ecdsa || k.algo == PubkeyAlgo::Ecdh) {
        const std::string c = curve_field(k);
        ok = c == "brainpoolP256r1" || c == "brainpoolP384r1" || c == "brainpoolP512r1";
    }
    return ok ? "23" : "";
}

std::string keygrip_hex(const packet::Key& k) {
    const auto g = keygen::keygrip(k);
    return g ? to_hex(*g) : std::string();
}

std::string uid_hash(const cert::Component& uid) {
    return to_hex(crypto::digest(crypto::HashKind::Ripemd160, uid.id_bytes()));
}

std::vector<Revoker> revokers(const cert::Cert& c, const CertReport& rep) {
    std::vector<Revoker> out;
    const auto packets = c.primary.signatures();
    for (std::size_t i = 0; i < packets.size() && i < rep.primary.sigs.size(); ++i) {
        const auto* s = packets[i]->get<Signature>();
        if (!s || s->sig_type != SigType::DirectKey || !rep.primary.sigs[i].good() || !rep.primary.sigs[i].self)
            continue;
        for (const auto& p : s->hashed) {
            if (p.type() != SubpacketType::RevocationKey || p.body.size() < 3) continue;
            Revoker r{p.body[0], p.body[1], to_hex(ByteView(p.body).subspan(2))};
            const bool dup = std::any_of(out.begin(), out.end(), [&](const Revoker& o) {
                return o.fingerprint == r.fingerprint && o.algo == r.algo && o.revoker_class == r.revoker_class;
            });
            if (!dup) out.push_back(std::move(r));
        }
    }
    return out;
}

std::string error_text(const cert::SigCheck& r) {
    if (r.policy) return *r.policy;
    // check_key_signature2 finds no packet the signature can be over (find_prev_kbnode).
    if (r.crypto == cert::Verdict::Malformed &&
        (r.crypto_reason == "no user ID for this certification" || r.crypto_reason == "no subkey for this subkey signature"))
        return "Invalid signature class";
    return r.crypto_reason;
}

char sig_marker(const cert::SigCheck& r, const Signature& s, const IssuerNames& names, bool check) {
    if (check) return r.marker();
    const auto id = s.issuer_keyid();
    return id && names.find(keyid_num(*id)) ? ' ' : '?';
}

ColonRecord revocation_record(const Signature& s, const cert::SigCheck& check, const IssuerNames& names) {
    ColonOptions opt;
    opt.check_sigs = true;
    ColonRecord r = sig_record(s, check, names, opt);
    r.fields[0] = "rvs";
    r.fields.resize(17);  // 16 fields and gpg's final colon: no reason text
    if (r.fields[1] == "?") r.fields[9] = "[User ID not found]";
    return r;
}

std::vector<ColonRecord> key_data_records(const packet::Key& k) {
    std::vector<ColonRecord> out;
    key_data(out, k);
    return out;
}

ColonRecord tru_record() { return ColonRecord{{"tru", "", "1", "0", "0", "3", "1", "5"}}; }

namespace {

bool is_user(ComponentKind k) { return k == ComponentKind::UserId || k == ComponentKind::UserAttribute; }

/**
 * One step of gpg's reorder: the first component of `order` that `pick` selects moves,
 * alone, to the place of the first user ID or attribute.
 */
template <class Pick>
void move_to_front(std::vector<std::size_t>& order, const CertReport& rep, Pick pick) {
    auto kind = [&](std::size_t i) { return rep.components[i].component->kind; };
    const auto chosen = std::find_if(order.begin(), order.end(), [&](std::size_t i) { return pick(rep.components[i]); });
    const auto first = std::find_if(order.begin(), order.end(), [&](std::size_t i) { return is_user(kind(i)); });
    if (chosen == order.end() || first == order.end() || chosen <= first) return;
    std::rotate(first, chosen, chosen + 1);
}

}  // namespace

std::vector<std::size_t> listing_order(const CertReport& rep) {
    std::vector<std::size_t> order(rep.components.size());
    for (std::size_t i = 0; i < order.size(); ++i) order[i] = i;
    move_to_front(order, rep, [](const cert::ComponentReport& r) {
        return r.component->kind == ComponentKind::UserAttribute && r.primary_flag;
    });
    move_to_front(order, rep, [](const cert::ComponentReport& r) {
        return r.component->kind == ComponentKind::UserId && r.primary_uid;
    });
    return order;
}

std::vector<ColonRecord> colon_records(const cert::Cert& c, const CertReport& rep, const ColonOptions& opt,
                                       const IssuerNames& names) {
    std::vector<ColonRecord> out;
    const packet::Key& k = c.key();
    ColonRecord pub = record(opt.secret ? "sec" : "pub", 20);
    key_fields(pub, k, validity_letter(rep, rep.primary), rep.primary.validity, rep.usage_field());
    pub.fields[8] = "-";
    if (opt.secret) pub.fields[14] = secret_field(k, opt);
    pub.fields[19] = "0";
    out.push_back(std::move(pub));
    for (const Revoker& r : revokers(c, rep)) {
        ColonRecord v = record("rvk", 11);
        v.fields[3] = num(r.algo);
        v.fields[9] = r.fingerprint;
        v.fields[10] = hex2(r.revoker_class) + ((r.revoker_class & 0x40) ? "s" : "");
        out.push_back(std::move(v));
    }
    key_block(out, k, opt);
    sig_records(out, rep.primary, names, opt);
    for (const std::size_t i : listing_order(rep)) {
        const ComponentReport& r = rep.components[i];
        const cert::Component& comp = *r.component;
        if (comp.kind != ComponentKind::Subkey) {
            out.push_back(user_record(rep, r));
        } else if (const packet::Key* sk = comp.key()) {
            ColonRecord sub = record(opt.secret ? "ssb" : "sub", 18);
            key_fields(sub, *sk, validity_letter(rep, r), r.validity, cert::usage_letters(r.usage));
            if (opt.secret) sub.fields[14] = secret_field(*sk, opt);
            out.push_back(std::move(sub));
            key_block(out, *sk, opt);
        } else {
            continue;  // a subkey packet that does not parse has no fields to list
        }
        sig_records(out, r, names, opt);
    }
    return out;
}

}  // namespace pgpkit::keyring
