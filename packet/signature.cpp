#include "packet/signature.h"

#include <algorithm>

namespace pgpkit::packet {

bool signature_version_known(std::uint8_t version) noexcept { return version >= 2 && version <= 6; }

namespace {
std::uint32_t be32_of(ByteView b) noexcept {
    return (std::uint32_t{b[0]} << 24) | (std::uint32_t{b[1]} << 16) | (std::uint32_t{b[2]} << 8) | b[3];
}

const Subpacket* find(const Subpackets& s, SubpacketType type) noexcept {
    for (const Subpacket& p : s)
        if (p.type() == type) return &p;
    return nullptr;
}
}  // namespace

std::optional<std::uint32_t> Signature::created() const noexcept {
    if (version <= 3) return v3_created;
    const Subpacket* p = find(hashed, SubpacketType::SignatureCreationTime);
    if (p && p->body.size() == 4) return be32_of(p->body);
    return std::nullopt;
}

std::optional<std::array<std::uint8_t, 8>> Signature::issuer_keyid() const noexcept {
    if (version <= 3) return v3_issuer;
    std::array<std::uint8_t, 8> id{};
    for (const Subpackets* area : {&hashed, &unhashed}) {
        const Subpacket* p = find(*area, SubpacketType::IssuerKeyId);
        if (p && p->body.size() == 8) {
            std::copy(p->body.begin(), p->body.end(), id.begin());
            return id;
        }
    }
    for (const Subpackets* area : {&hashed, &unhashed}) {
        const Subpacket* p = find(*area, SubpacketType::IssuerFingerprint);
        if (!p || p->body.size() < 9) continue;
        if (p->body[0] == 4 && p->body.size() == 21) {
            std::copy(p->body.end() - 8, p->body.end(), id.begin());
            return id;
        }
        if ((p->body[0] == 5 || p->body[0] == 6) && p->body.size() == 33) {
            std::copy(p->body.begin() + 1, p->body.begin() + 9, id.begin());
            return id;
        }
    }
    return std::nullopt;
}

const Subpacket* Signature::subpacket(SubpacketType type, bool unhashed_too) const noexcept {
    if (const Subpacket* p = find(hashed, type)) return p;
    return unhashed_too ? find(unhashed, type) : nullptr;
}

std::optional<Bytes> Signature::issuer_fingerprint() const {
    for (const Subpackets* area : {&hashed, &unhashed}) {
        const Subpacket* p = find(*area, SubpacketType::IssuerFingerprint);
        if (p && p->body.size() >= 2) return Bytes(p->body.begin() + 1, p->body.end());
    }
    return std::nullopt;
}

std::optional<Signature> parse_signature(ByteReader& in, std::size_t max_subpackets) {
    Signature s;
    s.version = in.u8("signature version");
    if (!signature_version_known(s.version)) return std::nullopt;
    if (s.version <= 3) {
        const std::uint64_t at = in.offset();
        s.v3_hashed_len = in.u8("hashed material length");
        if (s.v3_hashed_len != 5)
            throw Error(Errc::BadField, at,
                        "v3 signature hashed material length is " + std::to_string(s.v3_hashed_len) + ", not 5");
        s.sig_type = in.enum8<SigType>("signature type");
        s.v3_created = in.be32("creation time");
        ByteView id = in.take(8, "issuer key ID");
        std::copy(id.begin(), id.end(), s.v3_issuer.begin());
        s.pk_algo = in.enum8<PubkeyAlgo>("public-key algorithm");
        s.hash_algo = in.enum8<HashAlgo>("hash algorithm");
    } else {
        s.sig_type = in.enum8<SigType>("signature type");
        s.pk_algo = in.enum8<PubkeyAlgo>("public-key algorithm");
        s.hash_algo = in.enum8<HashAlgo>("hash algorithm");
        const bool v6 = s.version == 6;
        std::uint32_t hlen = v6 ? in.be32("hashed area length") : in.be16("hashed area length");
        ByteReader hashed = in.sub(hlen, "hashed subpacket area");
        s.hashed = parse_subpackets(hashed, max_subpackets);
        std::uint32_t ulen = v6 ? in.be32("unhashed area length") : in.be16("unhashed area length");
        ByteReader unhashed = in.sub(ulen, "unhashed subpacket area");
        s.unhashed = parse_subpackets(unhashed, max_subpackets);
    }
    ByteView left = in.take(2, "hash prefix");
    s.left16 = {left[0], left[1]};
    if (s.version == 6) {
        std::uint8_t n = in.u8("salt length");
        s.salt = in.take_bytes(n, "salt");
    }
    s.fields = parse_fields(FieldSet::Signature, s.pk_algo, in);
    if (!in.empty()) s.fields.push_back({"trailing", FieldKind::Rest, 0, in.rest_bytes()});
    return s;
}

void write_signature(const Signature& s, ByteWriter& out) {
    out.u8(s.version);
    if (s.version <= 3) {
        out.u8(s.v3_hashed_len);
        out.u8(s.sig_type);
        out.be32(s.v3_created);
        out.bytes(s.v3_issuer);
        out.u8(s.pk_algo);
        out.u8(s.hash_algo);
    } else {
        out.u8(s.sig_type);
        out.u8(s.pk_algo);
        out.u8(s.hash_algo);
        const bool v6 = s.version == 6;
        for (const Subpackets* area : {&s.hashed, &s.unhashed}) {
            std::size_t n = subpackets_size(*area);
            if (v6) out.be32(static_cast<std::uint32_t>(n));
            else out.be16(static_cast<std::uint16_t>(n));
            write_subpackets(*area, out);
        }
    }
    out.bytes(s.left16);
    if (s.version == 6) {
        out.u8(static_cast<std::uint8_t>(s.salt.size()));
        out.bytes(s.salt);
    }
    write_fields(s.fields, out);
}

}  // namespace pgpkit::packet
