#include "packet/session_key.h"

#include <algorithm>

#include "packet/names.h"

namespace pgpkit::packet {

std::optional<Pkesk> parse_pkesk(ByteReader& in) {
    Pkesk p;
    p.version = in.u8("PKESK version");
    if (p.version == 3) {
        ByteView id = in.take(8, "key ID");
        std::copy(id.begin(), id.end(), p.keyid.begin());
    } else if (p.version == 6) {
        p.v6_info_len = in.u8("key information length");
        if (p.v6_info_len > 0) {
            ByteReader info = in.sub(p.v6_info_len, "key information");
            p.v6_key_version = info.u8("key version");
            p.v6_fingerprint = info.rest_bytes();
        }
    } else {
        return std::nullopt;
    }
    p.algo = in.enum8<PubkeyAlgo>("public-key algorithm");
    p.fields = parse_fields(FieldSet::Pkesk, p.algo, in);
    if (!in.empty()) p.fields.push_back({"trailing", FieldKind::Rest, 0, in.rest_bytes()});
    return p;
}

void write_pkesk(const Pkesk& p, ByteWriter& out) {
    out.u8(p.version);
    if (p.version == 3) {
        out.bytes(p.keyid);
    } else {
        out.u8(p.v6_info_len);
        if (p.v6_info_len > 0) {
            out.u8(p.v6_key_version);
            out.bytes(p.v6_fingerprint);
        }
    }
    out.u8(p.algo);
    write_fields(p.fields, out);
}

std::optional<Skesk> parse_skesk(ByteReader& in) {
    Skesk s;
    s.version = in.u8("SKESK version");
    if (s.version == 4) {
        s.sym_algo = in.enum8<SymAlgo>("symmetric algorithm");
        s.s2k = parse_s2k(in);
        s.esk = in.rest_bytes();
        return s;
    }
    if (s.version != 5 && s.version != 6) return std::nullopt;
    if (s.version == 6) s.v6_params_len = in.u8("parameter count");
    s.sym_algo = in.enum8<SymAlgo>("symmetric algorithm");
    s.aead_algo = in.enum8<AeadAlgo>("AEAD algorithm");
    if (s.version == 6) {
        s.s2k_len = in.u8("S2K length");
        ByteReader sub = in.sub(*s.s2k_len, "S2K specifier");
        s.s2k = parse_s2k(sub);
        sub.expect_end("S2K specifier");
    } else {
        s.s2k = parse_s2k(in);
    }
    std::size_t nonce = aead_nonce_size(s.aead_algo);
    if (nonce == 0) {
        // Unknown AEAD mode: nonce size unknown, keep the rest as the encrypted key.
        s.esk = in.rest_bytes();
        return s;
    }
    s.iv = in.take_bytes(nonce, "AEAD nonce");
    if (in.remaining() < 16) throw Error(Errc::Truncated, in.offset(), "truncated AEAD tag of SKESK");
    s.esk = in.take_bytes(in.remaining() - 16, "encrypted session key");
    s.tag = in.take_bytes(16, "AEAD tag");
    return s;
}

void write_skesk(const Skesk& s, ByteWriter& out) {
    out.u8(s.version);
    if (s.v6_params_len) out.u8(*s.v6_params_len);
    out.u8(s.sym_algo);
    if (s.version != 4) out.u8(s.aead_algo);
    if (s.s2k_len) out.u8(*s.s2k_len);
    write_s2k(s.s2k, out);
    out.bytes(s.iv);
    out.bytes(s.esk);
    out.bytes(s.tag);
}

}  // namespace pgpkit::packet
