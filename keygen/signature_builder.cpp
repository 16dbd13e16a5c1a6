#include "keygen/signature_builder.h"

#include "packet/byte_writer.h"

namespace pgpkit::keygen {

using sp = packet::SubpacketType;

packet::Subpacket subpacket(sp type, Bytes body) {
    packet::Subpacket s;
    s.len_form = body.size() + 1 < 192 ? packet::LengthForm::OneOctet : packet::LengthForm::TwoOctet;
    s.type_octet = static_cast<std::uint8_t>(type);
    s.body = std::move(body);
    return s;
}

Bytes be32(std::uint32_t v) {
    return {static_cast<std::uint8_t>(v >> 24), static_cast<std::uint8_t>(v >> 16), static_cast<std::uint8_t>(v >> 8),
            static_cast<std::uint8_t>(v)};
}

std::size_t salt_size(packet::HashAlgo hash_algo) noexcept {
    switch (hash_algo) {
    case packet::HashAlgo::Sha384: return 24;
    case packet::HashAlgo::Sha512: case packet::HashAlgo::Sha3_512: return 32;
    default: return 16;
    }
}

packet::Signature start_signature(const KeyMaterial& signer, packet::SigType type, std::uint32_t created, crypto::Rng& rng) {
    packet::Signature s;
    s.version = signer.key.version;
    s.sig_type = type;
    s.pk_algo = signer.key.algo;
    s.hash_algo = signing_hash(signer);
    if (s.version == 6) {
        s.salt.resize(salt_size(s.hash_algo));
        rng.fill(s.salt);
    }
    Bytes fpr{s.version};
    fpr.insert(fpr.end(), signer.key.fingerprint.begin(), signer.key.fingerprint.end());
    s.hashed.push_back(subpacket(sp::IssuerFingerprint, std::move(fpr)));
    s.hashed.push_back(subpacket(sp::SignatureCreationTime, be32(created)));
    return s;
}

void finish_signature(packet::Signature& s, const KeyMaterial& signer, const Bytes& digest, crypto::Rng& rng) {
    // v5 and v6 signatures name their issuer by fingerprint only (RFC 9580 section
    // 5.2.3.12; GnuPG 2.4 writes no issuer key ID in v5 self-signatures either).
    if (s.version == 4)
        s.unhashed.push_back(subpacket(sp::IssuerKeyId, Bytes(signer.key.keyid.begin(), signer.key.keyid.end())));
    s.left16 = {digest.at(0), digest.at(1)};
    s.fields = sign_digest(signer, s.hash_algo, digest, rng);
}

Bytes signature_body(const packet::Signature& s) {
    Bytes out;
    packet::ByteWriter w(out);
    packet::write_signature(s, w);
    return out;
}

}  // namespace pgpkit::keygen
