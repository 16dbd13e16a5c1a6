#include "packet/describe.h"

#include <array>
#include <string>
#include <type_traits>

#include "packet/byte_writer.h"
#include "packet/names.h"

namespace pgpkit::packet {

namespace {

template <class... Ts> struct overloaded : Ts... { using Ts::operator()...; };
template <class... Ts> overloaded(Ts...) -> overloaded<Ts...>;

/** Big-endian encoding of an integer, for the wire column of hex dumps. */
struct Wire {
    std::array<std::uint8_t, 8> b{};
    std::size_t n = 0;
    Wire(std::uint64_t v, std::size_t octets) : n(octets) {
        for (std::size_t i = 0; i < octets; ++i) b[octets - 1 - i] = static_cast<std::uint8_t>(v >> (8 * i));
    }
    ByteView view() const noexcept { return {b.data(), n}; }
};

std::uint32_t be32(ByteView b) noexcept {
    return (std::uint32_t{b[0]} << 24) | (std::uint32_t{b[1]} << 16) | (std::uint32_t{b[2]} << 8) | b[3];
}

void u8f(FieldSink& s, std::string_view name, std::uint8_t v) { s.number(name, v, Wire(v, 1).view()); }
void named8(FieldSink& s, std::string_view name, std::uint8_t v, const char* meaning) {
    s.named(name, v, meaning, Wire(v, 1).view());
}
/** A wire enum with its name (the name function of its type). */
template <class E>
    requires std::is_enum_v<E>
void named8(FieldSink& s, std::string_view name, E v, const char* meaning) {
    named8(s, name, static_cast<std::uint8_t>(v), meaning);
}
void time32(FieldSink& s, std::string_view name, std::uint32_t v) { s.time(name, v, Wire(v, 4).view()); }
/** A one-octet length or count that frames the following field. */
void framing8(FieldSink& s, std::string_view name, std::size_t v) {
    s.framing(name, v, Wire(v, 1).view());
}

/** `prefix` then `body`, assembled in `buf` only if `on` (the sink shows wire octets). */
template <class Buf>
ByteView joined(bool on, Buf& buf, ByteView prefix, ByteView body) {
    if (!on) return {};
    buf.assign(prefix.begin(), prefix.end());
    buf.insert(buf.end(), body.begin(), body.end());
    return buf;
}
/** A string with its one-octet length prefix (RFC 9580: OIDs, KDF parameters, salts). */
template <class Buf>
ByteView sized8(bool on, Buf& buf, ByteView body) {
    return on ? joined(on, buf, Wire(body.size(), 1).view(), body) : ByteView{};
}

/**
 * `wire`: the sink's wants_wire(), asked once by the caller. The wire octets of secret
 * fields are assembled in a buffer of their own wiping kind.
 */
template <class Field>
void describe_fields(const std::vector<Field>& fields, FieldSink& s, bool secret, bool wire) {
    decltype(Field::data) buf;
    for (const Field& f : fields) {
        switch (f.kind) {
        case FieldKind::Mpi: {
            s.mpi(f.name, f.mpi_bits, f.data, secret, wire ? joined(wire, buf, Wire(f.mpi_bits, 2).view(), f.data) : ByteView{});
            if (f.mpi_bits != f.effective_bits()) {
                std::string key = std::string(f.name) + "_effective_bits";
                s.number(key, f.effective_bits());
            }
            break;
        }
        case FieldKind::Sized8:
            if (f.name == "oid") {
                s.named("curve_oid", f.data.size(), curve_name_from_oid(f.data.data(), f.data.size()),
                        sized8(wire, buf, f.data));
                s.text("curve", curve_name_from_oid(f.data.data(), f.data.size()));
                s.text("oid", oid_to_dotted(f.data.data(), f.data.size()));
            } else if (f.name == "kdf" && f.data.size() == 3) {
                framing8(s, "kdf_length", 3);
                s.begin_object("kdf");
                u8f(s, "reserved", f.data[0]);
                named8(s, "hash_algo", f.data[1], hash_algo_name(f.data[1]));
                named8(s, "sym_algo", f.data[2], sym_algo_name(f.data[2]));
                s.end_object();
            } else {
                s.hex(f.name, f.data, sized8(wire, buf, f.data));
            }
            break;
        case FieldKind::Fixed:
            s.mpi(f.name, static_cast<std::uint16_t>(f.data.size() * 8), f.data, secret, f.data);
            break;
        case FieldKind::Rest: s.hex(f.name, f.data, f.data); break;
        }
    }
}

const char* gnu_mode_name(GnuS2kMode m) noexcept {
    switch (m) {
    case GnuS2kMode::Dummy: return "gnu-dummy";
    case GnuS2kMode::DivertToCard: return "gnu-divert-to-card";
    }
    return "unknown";
}

void describe_s2k(const S2k& k, FieldSink& s) {
    s.begin_object("s2k");
    named8(s, "type", k.type, s2k_type_name(k.type));
    switch (k.type) {
    case S2kType::Simple: named8(s, "hash_algo", k.hash_algo, hash_algo_name(k.hash_algo)); break;
    case S2kType::Salted:
        named8(s, "hash_algo", k.hash_algo, hash_algo_name(k.hash_algo));
        s.hex("salt", k.salt, k.salt);
        break;
    case S2kType::IteratedSalted:
        named8(s, "hash_algo", k.hash_algo, hash_algo_name(k.hash_algo));
        s.hex("salt", k.salt, k.salt);
        s.number("coded_count", k.coded_count, Wire(k.coded_count, 1).view());
        s.number("iterations", k.iterations());
        break;
    case S2kType::Argon2:
        s.hex("salt", k.salt, k.salt);
        u8f(s, "passes", k.argon2_t);
        u8f(s, "parallelism", k.argon2_p);
        u8f(s, "memory_exponent", k.argon2_m);
        break;
    case S2kType::Gnu:
        named8(s, "hash_algo", k.hash_algo, hash_algo_name(k.hash_algo));
        s.text("magic", as_text(k.gnu_magic), k.gnu_magic);
        s.named("gnu_mode", 1000u + k.gnu_mode,
                gnu_mode_name(static_cast<GnuS2kMode>(k.gnu_mode)),
                Wire(k.gnu_mode, 1).view());
        if (k.has_serial) {
            Bytes buf;
            s.hex("card_serial", k.card_serial, sized8(s.wants_wire(), buf, k.card_serial));
        }
        break;
    default: s.hex("unknown", k.unknown, k.unknown); break;
    }
    s.end_object();
}

const char* usage_name(std::uint8_t u) noexcept {
    switch (u) {
    case 0: return "unprotected";
    case 253: return "AEAD";
    case 254: return "CFB with SHA-1 check";
    case 255: return "CFB with checksum";
    default: return "legacy cipher (simple MD5 S2K)";
    }
}

void describe_key(const Key& k, FieldSink& s) {
    const bool wire = s.wants_wire();
    u8f(s, "version", k.version);
    time32(s, "created", k.created);
    if (k.version <= 3) s.number("validity_days", k.v3_validity_days, Wire(k.v3_validity_days, 2).view());
    named8(s, "algo", k.algo, pubkey_algo_name(k.algo));
    if (k.material_len) s.number("material_length", *k.material_len, Wire(*k.material_len, 4).view());
    if (unsigned bits = key_bits(k.algo, k.fields)) s.number("bits", bits);
    describe_fields(k.fields, s, false, wire);
    s.hex("keyid", k.keyid);
    s.hex("fingerprint", k.fingerprint);
    if (k.secret) {
        const SecretKeyMaterial& m = *k.secret;
        s.begin_object("secret");
        named8(s, "s2k_usage", m.usage, usage_name(m.usage));
        if (m.params_len) u8f(s, "params_length", *m.params_len);
        if (m.usage != 0) named8(s, "sym_algo", m.sym_algo, sym_algo_name(m.sym_algo));
        if (m.usage == 253) named8(s, "aead_algo", m.aead_algo, aead_algo_name(m.aead_algo));
        if (m.s2k_len) u8f(s, "s2k_length", *m.s2k_len);
        if (m.s2k) describe_s2k(*m.s2k, s);
        if (!m.iv.empty()) s.hex("iv", m.iv, m.iv);
        if (m.secret_len) s.number("secret_length", *m.secret_len, Wire(*m.secret_len, 4).view());
        describe_fields(m.fields, s, true, wire);
        if (m.checksum) s.hex("checksum", Wire(*m.checksum, 2).view(), Wire(*m.checksum, 2).view());
        if (!m.encrypted.empty()) s.length_of("encrypted", m.encrypted.size(), m.encrypted);
        if (!m.trailing.empty()) s.hex("trailing", m.trailing, m.trailing);
        s.end_object();
    } else if (!k.secret_opaque.empty()) {
        // May be cleartext secret material of an unknown algorithm: its octets stay hidden.
        s.length_of("secret_opaque", k.secret_opaque.size());
    }
}

/** Streamed payloads have no wire octets to show; kept ones (parse_all) do. */
void describe_payload(const Payload& pl, FieldSink& s) {
    s.length_of("data", pl.length, pl.kept ? ByteView(pl.data) : ByteView{});
}

std::string flags_words(ByteView f, const std::array<const char*, 8>& first, const std::array<const char*, 8>& second) {
    std::string out;
    for (std::size_t byte = 0; byte < f.size(); ++byte)
        for (int bit = 0; bit < 8; ++bit) {
            if (!(f[byte] & (1u << bit))) continue;
            const char* name = byte == 0 ? first[static_cast<std::size_t>(bit)]
                             : byte == 1 ? second[static_cast<std::size_t>(bit)]
                                         : nullptr;
            if (!out.empty()) out += ' ';
            out += name ? name : ("bit" + std::to_string(byte * 8 + static_cast<std::size_t>(bit))).c_str();
        }
    return out;
}

void algo_list(FieldSink& s, std::string_view name, ByteView list, const char* (*namer)(std::uint8_t) noexcept) {
    s.begin_list(name);
    for (std::uint8_t a : list) s.named({}, a, namer(a), Wire(a, 1).view());
    s.end_list();
}

const char* revocation_reason_name(std::uint8_t c) noexcept {
    switch (c) {
    case 0: return "no reason specified";
    case 1: return "key is superseded";
    case 2: return "key material has been compromised";
    case 3: return "key is retired and no longer used";
    case 32: return "user ID information is no longer valid";
    default: return "unknown";
    }
}

void describe_subpacket_value(const Subpacket& sp, FieldSink& s) {
    const Bytes& b = sp.body;
    using T = SubpacketType;
    switch (sp.type()) {
    case T::SignatureCreationTime:
        if (b.size() == 4) return time32(s, "time", be32(b));
        break;
    case T::SignatureExpirationTime: case T::KeyExpirationTime:
        if (b.size() == 4) return s.number("seconds", be32(b), b);
        break;
    case T::ExportableCertification: case T::Revocable: case T::PrimaryUserId:
        if (b.size() == 1) return s.boolean("value", b[0] != 0, b);
        break;
    case T::TrustSignature:
        if (b.size() == 2) {
            u8f(s, "level", b[0]);
            u8f(s, "amount", b[1]);
            return;
        }
        break;
    case T::RegularExpression: case T::PreferredKeyServer: case T::PolicyUri: case T::SignersUserId:
        return s.text("value", as_text(b), b);
    case T::PreferredSymmetric: return algo_list(s, "algorithms", b, sym_algo_name);
    case T::PreferredHash: return algo_list(s, "algorithms", b, hash_algo_name);
    case T::PreferredCompression: return algo_list(s, "algorithms", b, compression_algo_name);
    case T::PreferredAeadLibrePgp: return algo_list(s, "algorithms", b, aead_algo_name);
    case T::RevocationKey:
        if (b.size() >= 2) {
            s.hex("class", ByteView(b).first(1), ByteView(b).first(1));
            s.boolean("sensitive", (b[0] & 0x40) != 0);
            named8(s, "algo", b[1], pubkey_algo_name(b[1]));
            s.hex("fingerprint", ByteView(b).subspan(2), ByteView(b).subspan(2));
            return;
        }
        break;
    case T::IssuerKeyId:
        if (b.size() == 8) return s.hex("keyid", b, b);
        break;
    case T::NotationData:
        if (b.size() >= 8) {
            std::size_t nl = (std::size_t{b[4]} << 8) | b[5], vl = (std::size_t{b[6]} << 8) | b[7];
            if (8 + nl + vl == b.size()) {
                ByteView all(b);
                s.hex("flags", all.first(4), all.first(4));
                const bool human = (b[0] & 0x80) != 0;
                s.boolean("human_readable", human);
                s.framing("name_length", nl, all.subspan(4, 2));
                s.framing("value_length", vl, all.subspan(6, 2));
                s.text("name", as_text(all.subspan(8, nl)), all.subspan(8, nl));
                if (human) s.text("value", as_text(all.subspan(8 + nl, vl)), all.subspan(8 + nl, vl));
                else s.hex("value", all.subspan(8 + nl, vl), all.subspan(8 + nl, vl));
                return;
            }
        }
        break;
    case T::KeyServerPreferences:
        s.hex("flags", b, b);
        if (!b.empty() && (b[0] & 0x80)) s.text("meaning", "no-modify");
        return;
    case T::KeyFlags:
        s.hex("flags", b, b);
        s.text("meaning", key_flags_text(b));
        return;
    case T::ReasonForRevocation:
        if (!b.empty()) {
            named8(s, "code", b[0], revocation_reason_name(b[0]));
            s.text("reason", as_text(ByteView(b).subspan(1)), ByteView(b).subspan(1));
            return;
        }
        break;
    case T::Features:
        s.hex("flags", b, b);
        s.text("meaning", flags_words(b, {"seipd-v1", "aead-librepgp", "v5-keys", "seipd-v2", nullptr, nullptr, nullptr, nullptr},
                                      {}));
        return;
    case T::SignatureTarget:
        if (b.size() >= 2) {
            named8(s, "pk_algo", b[0], pubkey_algo_name(b[0]));
            named8(s, "hash_algo", b[1], hash_algo_name(b[1]));
            s.hex("hash", ByteView(b).subspan(2), ByteView(b).subspan(2));
            return;
        }
        break;
    case T::EmbeddedSignature: {
        ByteReader in(b, 0);
        try {
            if (auto sig = parse_signature(in, 1024)) {
                s.begin_object("signature");
                describe_signature(*sig, s);
                s.end_object();
                return;
            }
        } catch (const Error&) {
        }
        break;
    }
    case T::IssuerFingerprint: case T::IntendedRecipient:
        if (!b.empty()) {
            u8f(s, "key_version", b[0]);
            s.hex("fingerprint", ByteView(b).subspan(1), ByteView(b).subspan(1));
            return;
        }
        break;
    case T::PreferredAeadCiphersuites:
        if (b.size() % 2 == 0) {
            s.begin_list("ciphersuites");
            for (std::size_t i = 0; i + 1 < b.size(); i += 2) {
                s.begin_object({});
                named8(s, "sym_algo", b[i], sym_algo_name(b[i]));
                named8(s, "aead_algo", b[i + 1], aead_algo_name(b[i + 1]));
                s.end_object();
            }
            s.end_list();
            return;
        }
        break;
    default: break;
    }
    s.hex("raw", b, b);
}

/**
 * Gives the whole subpacket to the sink (inside the object just begun) and returns the
 * octets of its length, which the type precedes in the description but follows on the wire.
 */
ByteView subpacket_wire(const Subpacket& sp, FieldSink& s, Bytes& buf) {
    buf.clear();
    ByteWriter w(buf);
    write_subpackets(Subpackets{sp}, w);
    s.object_wire(buf);
    return ByteView(buf).first(buf.size() - sp.body.size() - 1);
}

/** describe_subpacket() with the sink's wants_wire() asked once per signature. */
void describe_subpacket_in(const Subpacket& sp, FieldSink& s, bool wire, Bytes& buf) {
    const ByteView length_wire = wire ? subpacket_wire(sp, s, buf) : ByteView{};
    s.named("type", static_cast<unsigned>(sp.type()), subpacket_type_name(sp.type()), Wire(sp.type_octet, 1).view());
    s.flag("critical", sp.critical());
    s.number("length", sp.body.size() + 1, length_wire);
    describe_subpacket_value(sp, s);
}

}  // namespace

std::string key_flags_text(ByteView flags) {
    return flags_words(flags, {"certify", "sign", "encrypt-comms", "encrypt-storage", "split", "auth", nullptr, "group"},
                       {nullptr, nullptr, "adsk", "timestamping", nullptr, nullptr, nullptr, nullptr});
}

void describe_subpacket(const Subpacket& sp, FieldSink& s) {
    Bytes buf;
    describe_subpacket_in(sp, s, s.wants_wire(), buf);
}

void describe_signature(const Signature& sig, FieldSink& s) {
    const bool wire = s.wants_wire();
    u8f(s, "version", sig.version);
    named8(s, "sigclass", sig.sig_type, sig_type_name(sig.sig_type));
    named8(s, "pk_algo", sig.pk_algo, pubkey_algo_name(sig.pk_algo));
    named8(s, "hash_algo", sig.hash_algo, hash_algo_name(sig.hash_algo));
    if (sig.version <= 3) {
        framing8(s, "hashed_material_length", sig.v3_hashed_len);
        time32(s, "created", sig.v3_created);
        s.hex("issuer_keyid", sig.v3_issuer, sig.v3_issuer);
    } else {
        Bytes buf;
        for (int area = 0; area < 2; ++area) {
            const Subpackets& sps = area == 0 ? sig.hashed : sig.unhashed;
            if (wire) {
                const std::size_t octets = subpackets_size(sps);
                s.framing(area == 0 ? "hashed_area_length" : "unhashed_area_length", octets,
                          Wire(octets, sig.version == 6 ? 4 : 2).view());
            }
            s.begin_list(area == 0 ? "hashed_subpackets" : "unhashed_subpackets");
            for (const Subpacket& sp : sps) {
                s.begin_object({});
                describe_subpacket_in(sp, s, wire, buf);
                s.end_object();
            }
            s.end_list();
        }
        if (s.wants_derived()) {
            if (auto c = sig.created()) s.time("created", *c);  // derived: no wire octets
            if (auto id = sig.issuer_keyid()) s.hex("issuer_keyid", *id);
            if (auto fp = sig.issuer_fingerprint()) s.hex("issuer_fingerprint", *fp);
        }
    }
    s.hex("hash_prefix", sig.left16, sig.left16);
    if (sig.version == 6) {
        framing8(s, "salt_length", sig.salt.size());
        s.hex("salt", sig.salt, sig.salt);
    }
    describe_fields(sig.fields, s, false, wire);
}

void describe(const Packet& p, FieldSink& s) {
    std::visit(overloaded{
                   [&](const Opaque& o) {
                       s.text("reason", o.reason);
                       if (o.payload.kept && o.payload.data.size() <= 4096) s.hex("data", o.payload.data, o.payload.data);
                       else s.length_of("data", o.payload.length);
                   },
                   [&](const Pkesk& k) {
                       u8f(s, "version", k.version);
                       if (k.version == 3) {
                           s.hex("keyid", k.keyid, k.keyid);
                       } else {
                           framing8(s, "key_info_length", k.v6_info_len);
                           if (k.v6_info_len > 0) {
                               u8f(s, "key_version", k.v6_key_version);
                               s.hex("fingerprint", k.v6_fingerprint, k.v6_fingerprint);
                           } else {
                               s.text("recipient", "anonymous");
                           }
                       }
                       named8(s, "algo", k.algo, pubkey_algo_name(k.algo));
                       describe_fields(k.fields, s, false, s.wants_wire());
                   },
                   [&](const Signature& sig) { describe_signature(sig, s); },
                   [&](const Skesk& k) {
                       u8f(s, "version", k.version);
                       if (k.v6_params_len) framing8(s, "params_length", *k.v6_params_len);
                       named8(s, "sym_algo", k.sym_algo, sym_algo_name(k.sym_algo));
                       if (k.version != 4) named8(s, "aead_algo", k.aead_algo, aead_algo_name(k.aead_algo));
                       if (k.s2k_len) framing8(s, "s2k_length", *k.s2k_len);
                       describe_s2k(k.s2k, s);
                       if (!k.iv.empty()) s.hex("iv", k.iv, k.iv);
                       if (!k.esk.empty()) s.hex("encrypted_session_key", k.esk, k.esk);
                       if (!k.tag.empty()) s.hex("aead_tag", k.tag, k.tag);
                   },
                   [&](const OnePassSig& o) {
                       u8f(s, "version", o.version);
                       named8(s, "sigclass", o.sig_type, sig_type_name(o.sig_type));
                       named8(s, "hash_algo", o.hash_algo, hash_algo_name(o.hash_algo));
                       named8(s, "pk_algo", o.pk_algo, pubkey_algo_name(o.pk_algo));
                       if (o.version == 3) s.hex("keyid", o.keyid, o.keyid);
                       else {
                           framing8(s, "salt_length", o.salt.size());
                           s.hex("salt", o.salt, o.salt);
                           s.hex("fingerprint", o.fingerprint, o.fingerprint);
                       }
                       s.number("last", o.last_flag, Wire(o.last_flag, 1).view());
                   },
                   [&](const Key& k) { describe_key(k, s); },
                   [&](const Compressed& c) {
                       named8(s, "algo", c.algo, compression_algo_name(c.algo));
                       s.length_of("compressed_length", c.payload.length,
                                   c.payload.kept ? ByteView(c.payload.data) : ByteView{});
                   },
                   [&](const Sed& d) { describe_payload(d.payload, s); },
                   [&](const Marker& m) { s.text("marker", as_text(m.data), m.data); },
                   [&](const Literal& l) {
                       char f[2] = {static_cast<char>(l.format), 0};
                       s.named("format", l.format, f, Wire(l.format, 1).view());
                       framing8(s, "filename_length", l.filename.size());
                       s.text("filename", as_text(l.filename), l.filename);
                       time32(s, "date", l.date);
                       describe_payload(l.payload, s);
                   },
                   [&](const Trust& t) { s.hex("trust", t.data, t.data); },
                   [&](const UserId& u) { s.text("user_id", as_text(u.data), u.data); },
                   [&](const UserAttribute& u) {
                       s.begin_list("subpackets");
                       Bytes buf;
                       const bool wire = s.wants_wire();
                       for (const Subpacket& sp : u.subpackets) {
                           s.begin_object({});
                           const ByteView length_wire = wire ? subpacket_wire(sp, s, buf) : ByteView{};
                           s.named("type", static_cast<unsigned>(sp.attribute_type()),
                                   sp.attribute_type() == UserAttributeType::Image ? "image" : "unknown",
                                   Wire(sp.type_octet, 1).view());
                           s.number("length", sp.body.size() + 1, length_wire);
                           if (auto img = decode_image_attribute(sp)) {
                               s.number("header_length", img->header_len);
                               s.number("header_version", img->header_version);
                               s.named("encoding", img->encoding, img->encoding == 1 ? "JPEG" : "unknown");
                               s.length_of("image", img->image_size);
                           } else {
                               s.length_of("data", sp.body.size());
                           }
                           s.end_object();
                       }
                       s.end_list();
                   },
                   [&](const Seipd& e) {
                       u8f(s, "version", e.version);
                       if (e.version == 2) {
                           named8(s, "sym_algo", e.sym_algo, sym_algo_name(e.sym_algo));
                           named8(s, "aead_algo", e.aead_algo, aead_algo_name(e.aead_algo));
                           s.number("chunk_size_octet", e.chunk_size, Wire(e.chunk_size, 1).view());
                           s.hex("salt", e.salt, e.salt);
                       }
                       describe_payload(e.payload, s);
                   },
                   [&](const Mdc& m) { s.hex("hash", m.hash, m.hash); },
                   [&](const OcbEncrypted& o) {
                       u8f(s, "version", o.version);
                       named8(s, "sym_algo", o.sym_algo, sym_algo_name(o.sym_algo));
                       named8(s, "aead_algo", o.aead_algo, aead_algo_name(o.aead_algo));
                       s.number("chunk_size_octet", o.chunk_size, Wire(o.chunk_size, 1).view());
                       s.hex("iv", o.iv, o.iv);
                       describe_payload(o.payload, s);
                   },
                   [&](const Padding& d) { s.length_of("padding", d.data.size(), d.data); },
                   [&](const EndOfContainer&) {},
               },
               p.body);
}

}  // namespace pgpkit::packet
