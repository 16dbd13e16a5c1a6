#include "packet/key.h"

#include <algorithm>

#include "crypto/hash.h"
#include "packet/names.h"

namespace pgpkit::packet {

bool key_version_known(std::uint8_t version) noexcept { return version >= 2 && version <= 6; }

namespace {

std::size_t iv_size(const SecretKeyMaterial& s) noexcept {
    if (s.s2k && s.s2k->is_gnu()) return 0;
    if (s.usage == 253) return aead_nonce_size(s.aead_algo);
    return sym_block_size(s.sym_algo);
}

SecretKeyMaterial parse_secret(ByteReader& in, const Key& k) {
    SecretKeyMaterial s;
    s.usage = in.u8("S2K usage");
    const bool protected_by_s2k = s.usage == 253 || s.usage == 254 || s.usage == 255;
    if (k.version == 5 || (k.version == 6 && s.usage != 0)) s.params_len = in.u8("parameter count");
    if (protected_by_s2k) {
        s.sym_algo = in.enum8<SymAlgo>("symmetric algorithm");
        if (s.usage == 253) s.aead_algo = in.enum8<AeadAlgo>("AEAD algorithm");
        if (k.version == 6) {
            s.s2k_len = in.u8("S2K length");
            ByteReader sub = in.sub(*s.s2k_len, "S2K specifier");
            s.s2k = parse_s2k(sub);
            sub.expect_end("S2K specifier");
        } else {
            s.s2k = parse_s2k(in);
        }
    } else if (s.usage != 0) {
        s.sym_algo = static_cast<SymAlgo>(s.usage);  // legacy: the usage octet is the cipher, MD5 simple S2K
    }
    if (s.usage != 0) {
        const bool gnu = s.s2k && s.s2k->is_gnu();
        const bool unknown_s2k = s.s2k && !s2k_type_known(s.s2k->type);
        std::size_t n = iv_size(s);
        if (!gnu && !unknown_s2k && n == 0) {
            // Unknown cipher: the IV size is unknown, keep the rest opaque.
            s.encrypted = in.rest_bytes();
            return s;
        }
        s.iv = in.take_bytes(n, "IV");
    }
    if (k.version == 5) s.secret_len = in.be32("secret material length");
    if (s.usage == 0) {
        s.fields = parse_secret_fields(k.algo, in);
        if (k.version != 6 && s.fields.back().kind != FieldKind::Rest) s.checksum = in.be16("checksum");
        ByteView rest = in.rest();
        s.trailing.assign(rest.begin(), rest.end());
    } else {
        ByteView rest = in.rest();
        s.encrypted.assign(rest.begin(), rest.end());
    }
    return s;
}

void write_secret(const SecretKeyMaterial& s, ByteWriter& out) {
    out.u8(s.usage);
    if (s.params_len) out.u8(*s.params_len);
    if (s.usage == 253 || s.usage == 254 || s.usage == 255) {
        out.u8(s.sym_algo);
        if (s.usage == 253) out.u8(s.aead_algo);
        if (s.s2k_len) out.u8(*s.s2k_len);
        if (s.s2k) write_s2k(*s.s2k, out);
    }
    out.bytes(s.iv);
    if (s.secret_len) out.be32(*s.secret_len);
    write_fields(s.fields, out);
    if (s.checksum) out.be16(*s.checksum);
    out.bytes(s.encrypted);
    out.bytes(s.trailing);
}

void write_public(const Key& k, ByteWriter& out) {
    out.u8(k.version);
    out.be32(k.created);
    if (k.version <= 3) out.be16(k.v3_validity_days);
    out.u8(k.algo);
    if (k.material_len) out.be32(*k.material_len);
    write_fields(k.fields, out);
}

}  // namespace

FingerprintHashers::FingerprintHashers() = default;
FingerprintHashers::~FingerprintHashers() = default;

crypto::Hasher& FingerprintHashers::get(crypto::HashKind kind) {
    for (auto& [k, h] : m_hashers)
        if (k == kind) return *h;
    m_hashers.emplace_back(kind, std::make_unique<crypto::Hasher>(kind));
    return *m_hashers.back().second;
}

void compute_key_identity(Key& k, ByteView pub, FingerprintHashers* hashers) {
    using crypto::HashKind;
    std::optional<crypto::Hasher> local;
    auto hasher = [&](HashKind kind) -> crypto::Hasher& {
        if (hashers) return hashers->get(kind);
        local.emplace(kind);
        return *local;
    };
    if (k.version <= 3) {
        const bool rsa =
            k.algo == PubkeyAlgo::Rsa || k.algo == PubkeyAlgo::RsaEncryptOnly || k.algo == PubkeyAlgo::RsaSignOnly;
        if (rsa && k.fields.size() >= 2 && k.fields[0].kind == FieldKind::Mpi) {
            crypto::Hasher& h = hasher(HashKind::Md5);
            h.update(k.fields[0].data);
            h.update(k.fields[1].data);
            k.fingerprint = h.final();
            const Bytes& n = k.fields[0].data;
            std::size_t take = std::min<std::size_t>(8, n.size());
            k.keyid.fill(0);
            std::copy(n.end() - static_cast<std::ptrdiff_t>(take), n.end(), k.keyid.end() - static_cast<std::ptrdiff_t>(take));
            return;
        }
        crypto::Hasher& h = hasher(HashKind::Ripemd160);
        h.update(0x99);
        h.update(static_cast<std::uint8_t>(pub.size() >> 8));
        h.update(static_cast<std::uint8_t>(pub.size()));
        h.update(pub);
        k.fingerprint = h.final();
        std::copy(k.fingerprint.end() - 8, k.fingerprint.end(), k.keyid.begin());
        return;
    }
    if (k.version == 4) {
        crypto::Hasher& h = hasher(HashKind::Sha1);
        std::uint8_t head[3] = {0x99, static_cast<std::uint8_t>(pub.size() >> 8), static_cast<std::uint8_t>(pub.size())};
        h.update(head);
        h.update(pub);
        k.fingerprint = h.final();
        std::copy(k.fingerprint.end() - 8, k.fingerprint.end(), k.keyid.begin());
        return;
    }
    crypto::Hasher& h = hasher(HashKind::Sha256);
    std::uint32_t n = static_cast<std::uint32_t>(pub.size());
    std::uint8_t head[5] = {static_cast<std::uint8_t>(k.version == 5 ? 0x9A : 0x9B), static_cast<std::uint8_t>(n >> 24),
                            static_cast<std::uint8_t>(n >> 16), static_cast<std::uint8_t>(n >> 8),
                            static_cast<std::uint8_t>(n)};
    h.update(head);
    h.update(pub);
    k.fingerprint = h.final();
    std::copy(k.fingerprint.begin(), k.fingerprint.begin() + 8, k.keyid.begin());
}

std::optional<Key> parse_key(ByteView body, std::uint64_t offset, bool secret, FingerprintHashers* hashers) {
    ByteReader in(body, offset);
    Key k;
    k.version = in.u8("key version");
    if (!key_version_known(k.version)) return std::nullopt;
    k.created = in.be32("creation time");
    if (k.version <= 3) k.v3_validity_days = in.be16("validity period");
    k.algo = in.enum8<PubkeyAlgo>("public-key algorithm");
    if (k.version >= 5) k.material_len = in.be32("key material length");
    // The public fields end where the material length says (v5/v6), at the end of a public
    // key packet, or where the algorithm's fields end (v2-v4 secret keys).
    const bool delimited = k.version >= 5 || !secret;
    ByteReader area = in;
    if (k.version >= 5) area = in.sub(*k.material_len, "public key material");
    else if (!secret) area = in.sub(in.remaining(), "public key material");
    try {
        ByteReader fields = area;
        if (secret && !delimited && !has_schema(FieldSet::PublicKey, k.algo)) {
            // Unknown algorithm in a v2-v4 secret key: the public/secret boundary is unknown.
            k.fields.push_back({"opaque", FieldKind::Rest, 0, fields.rest_bytes()});
        } else {
            k.fields = parse_fields(FieldSet::PublicKey, k.algo, fields);
            if (delimited && !fields.empty())
                k.fields.push_back({"trailing", FieldKind::Rest, 0, fields.rest_bytes()});
        }
        if (!delimited) in = fields;
    } catch (Error& e) {
        if (!delimited) throw;  // without the fields the secret part cannot be found
        k.malformed = e;
        ByteReader whole = area;
        k.fields.assign(1, {"opaque", FieldKind::Rest, 0, whole.rest_bytes()});
    }
    if (!secret && k.version >= 5 && !in.empty()) {
        // Octets after the declared key material of a public key: kept, and part of the
        // fingerprinted body like the rest of the packet.
        k.fields.push_back({"trailing", FieldKind::Rest, 0, in.rest_bytes()});
    }
    const std::size_t pub_len = body.size() - in.remaining();
    if (secret && !in.empty()) {
        if (k.version >= 5 || has_schema(FieldSet::PublicKey, k.algo)) {
            ByteReader attempt = in;
            try {
                k.secret = parse_secret(attempt, k);
            } catch (Error& e) {
                k.malformed = e;
                k.secret.reset();
                const ByteView rest = in.rest();
                k.secret_opaque.assign(rest.begin(), rest.end());
            }
        } else {
            const ByteView rest = in.rest();
            k.secret_opaque.assign(rest.begin(), rest.end());
        }
    } else if (secret && k.version >= 5 && in.empty()) {
        throw Error(Errc::Truncated, in.offset(), "truncated secret key material (S2K usage missing)");
    }
    compute_key_identity(k, body.first(pub_len), hashers);
    return k;
}

void write_key(const Key& k, ByteWriter& out) {
    write_public(k, out);
    if (k.secret) write_secret(*k.secret, out);
    out.bytes(k.secret_opaque);
}

Bytes public_key_body(const Key& k) {
    Bytes b;
    ByteWriter w(b);
    write_public(k, w);
    return b;
}

}  // namespace pgpkit::packet
