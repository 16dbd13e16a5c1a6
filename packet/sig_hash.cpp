#include "packet/sig_hash.h"

#include <string>

#include "base/error.h"
#include "packet/names.h"
#include "packet/subpacket.h"

namespace pgpkit::packet {

namespace {

crypto::Hasher start(const Signature& sig) {
    if (sig.version < 2 || sig.version > 6)
        throw Error(Errc::Usage, 0, "cannot hash a v" + std::to_string(sig.version) + " signature");
    auto kind = hash_kind(sig.hash_algo);
    if (!kind)
        throw Error(Errc::Usage, 0, "unsupported hash algorithm " + std::to_string(static_cast<unsigned>(sig.hash_algo)));
    crypto::Hasher h(*kind);
    if (sig.version == 6) h.update(sig.salt);
    return h;
}

void hash_key(crypto::Hasher& h, const Key& k) {
    const Bytes body = public_key_body(k);
    if (k.version >= 5) {
        // LibrePGP v5 keys: 0x9A; RFC 9580 v6 keys: 0x9B; both with a four-octet length.
        const auto n = static_cast<std::uint32_t>(body.size());
        const std::uint8_t head[5] = {static_cast<std::uint8_t>(k.version == 5 ? 0x9A : 0x9B),
                                      static_cast<std::uint8_t>(n >> 24), static_cast<std::uint8_t>(n >> 16),
                                      static_cast<std::uint8_t>(n >> 8), static_cast<std::uint8_t>(n)};
        h.update(head);
    } else {
        const std::uint8_t head[3] = {0x99, static_cast<std::uint8_t>(body.size() >> 8),
                                      static_cast<std::uint8_t>(body.size())};
        h.update(head);
    }
    h.update(body);
}

/** Text signatures hash lines with CR LF endings (RFC 9580 section 5.2.1.2). */
void hash_canonical_text(crypto::Hasher& h, ByteView data) {
    static constexpr std::uint8_t crlf[2] = {'\r', '\n'};
    std::size_t start = 0;
    for (std::size_t i = 0; i < data.size(); ++i) {
        if (data[i] != '\n') continue;
        std::size_t end = i;
        if (end > start && data[end - 1] == '\r') --end;
        h.update(data.subspan(start, end - start));
        h.update(crlf);
        start = i + 1;
    }
    h.update(data.subspan(start));
}

Bytes finish(crypto::Hasher& h, const Signature& sig) {
    h.update(signature_trailer(sig));
    return h.final();
}

}  // namespace

std::optional<crypto::HashKind> hash_kind(HashAlgo hash_algo) noexcept {
    switch (hash_algo) {
    case HashAlgo::Md5: return crypto::HashKind::Md5;
    case HashAlgo::Sha1: return crypto::HashKind::Sha1;
    case HashAlgo::Ripemd160: return crypto::HashKind::Ripemd160;
    case HashAlgo::Sha256: return crypto::HashKind::Sha256;
    case HashAlgo::Sha384: return crypto::HashKind::Sha384;
    case HashAlgo::Sha512: return crypto::HashKind::Sha512;
    case HashAlgo::Sha224: return crypto::HashKind::Sha224;
    case HashAlgo::Sha3_256: return crypto::HashKind::Sha3_256;
    case HashAlgo::Sha3_512: return crypto::HashKind::Sha3_512;
    default: return std::nullopt;
    }
}

Bytes signature_trailer(const Signature& sig) {
    Bytes out;
    ByteWriter w(out);
    if (sig.version < 4) {
        // v2/v3: the signature type and the four-octet creation time (RFC 4880 section 5.2.4).
        w.u8(sig.sig_type);
        w.be32(sig.v3_created);
        return out;
    }
    w.u8(sig.version);
    w.u8(sig.sig_type);
    w.u8(sig.pk_algo);
    w.u8(sig.hash_algo);
    const std::size_t area = subpackets_size(sig.hashed);
    if (sig.version == 6) {
        w.be32(static_cast<std::uint32_t>(area));
    } else {
        if (area > 0xFFFF) throw Error(Errc::LimitExceeded, 0, "hashed subpacket area over 65535 octets");
        w.be16(static_cast<std::uint16_t>(area));
    }
    write_subpackets(sig.hashed, w);
    const auto hashed_len = static_cast<std::uint32_t>(out.size());
    w.u8(sig.version);
    w.u8(0xFF);
    // LibrePGP v5 signatures end with an eight-octet length (draft-koch-librepgp section 5.2.4).
    if (sig.version == 5) w.be32(0);
    w.be32(hashed_len);
    return out;
}

Bytes certification_digest(const Signature& sig, const Key& key, ByteView user_id, bool attribute) {
    crypto::Hasher h = start(sig);
    hash_key(h, key);
    // v3 certifications hash the user ID octets without a header (RFC 4880 section 5.2.4).
    if (sig.version >= 4) {
        const auto n = static_cast<std::uint32_t>(user_id.size());
        const std::uint8_t head[5] = {static_cast<std::uint8_t>(attribute ? 0xD1 : 0xB4),
                                      static_cast<std::uint8_t>(n >> 24), static_cast<std::uint8_t>(n >> 16),
                                      static_cast<std::uint8_t>(n >> 8), static_cast<std::uint8_t>(n)};
        h.update(head);
    }
    h.update(user_id);
    return finish(h, sig);
}

Bytes data_digest(const Signature& sig, ByteView data) {
    crypto::Hasher h = start(sig);
    if (sig.sig_type == SigType::Text) {
        hash_canonical_text(h, data);
    } else if (sig.sig_type == SigType::Binary) {
        h.update(data);
    }
    return finish(h, sig);
}

Bytes subkey_binding_digest(const Signature& sig, const Key& primary, const Key& subkey) {
    crypto::Hasher h = start(sig);
    hash_key(h, primary);
    hash_key(h, subkey);
    return finish(h, sig);
}

Bytes direct_key_digest(const Signature& sig, const Key& key) {
    crypto::Hasher h = start(sig);
    hash_key(h, key);
    return finish(h, sig);
}

}  // namespace pgpkit::packet
