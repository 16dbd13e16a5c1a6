#include "packet/simple_packets.h"

#include <algorithm>
#include <string>

namespace pgpkit::packet {

std::optional<OnePassSig> parse_one_pass_sig(ByteReader& in) {
    OnePassSig p;
    p.version = in.u8("one-pass signature version");
    if (p.version != 3 && p.version != 6) return std::nullopt;
    p.sig_type = in.enum8<SigType>("signature type");
    p.hash_algo = in.enum8<HashAlgo>("hash algorithm");
    p.pk_algo = in.enum8<PubkeyAlgo>("public-key algorithm");
    if (p.version == 3) {
        ByteView id = in.take(8, "key ID");
        std::copy(id.begin(), id.end(), p.keyid.begin());
    } else {
        std::uint8_t n = in.u8("salt length");
        p.salt = in.take_bytes(n, "salt");
        p.fingerprint = in.take_bytes(32, "fingerprint");
    }
    p.last_flag = in.u8("last flag");
    in.expect_end("one-pass signature");
    return p;
}

void write_one_pass_sig(const OnePassSig& p, ByteWriter& out) {
    out.u8(p.version);
    out.u8(p.sig_type);
    out.u8(p.hash_algo);
    out.u8(p.pk_algo);
    if (p.version == 3) {
        out.bytes(p.keyid);
    } else {
        out.u8(static_cast<std::uint8_t>(p.salt.size()));
        out.bytes(p.salt);
        out.bytes(p.fingerprint);
    }
    out.u8(p.last_flag);
}

UserAttribute parse_user_attribute(ByteReader& in, std::size_t max_subpackets) {
    UserAttribute u;
    u.subpackets = parse_subpackets(in, max_subpackets);
    return u;
}

void write_user_attribute(const UserAttribute& u, ByteWriter& out) { write_subpackets(u.subpackets, out); }

std::optional<ImageAttribute> decode_image_attribute(const Subpacket& s) noexcept {
    if (s.attribute_type() != UserAttributeType::Image || s.body.size() < 4) return std::nullopt;
    ImageAttribute a;
    a.header_len = static_cast<std::uint16_t>(s.body[0] | (s.body[1] << 8));
    a.header_version = s.body[2];
    a.encoding = s.body[3];
    a.image_size = s.body.size() >= a.header_len ? s.body.size() - a.header_len : 0;
    return a;
}

Bytes read_exact(Source& src, std::size_t n, std::string_view what) {
    Bytes b(n);
    const std::uint64_t at = src.offset();
    if (src.read_full(b) != n)
        throw Error(Errc::Truncated, at, "truncated " + std::string(what));
    return b;
}

}  // namespace pgpkit::packet
