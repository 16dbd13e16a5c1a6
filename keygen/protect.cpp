#include "keygen/protect.h"

#include "crypto/hash.h"
#include "crypto/protect.h"
#include "base/secret.h"
#include "base/error.h"
#include "packet/sig_hash.h"

namespace pgpkit::keygen {

namespace {

constexpr packet::SymAlgo aes256 = packet::SymAlgo::Aes256;
constexpr packet::HashAlgo sha256 = packet::HashAlgo::Sha256;

/** The secret fields as written (MPI headers included), in secure memory. */
SecretBytes serialize_fields(const packet::SecretAlgoFields& fields) {
    SecretBytes out;
    packet::ByteWriter w(out);
    packet::write_fields(fields, w);
    return out;
}

packet::SecretKeyMaterial& cleartext_secret(packet::Key& key) {
    if (!key.secret || key.secret->usage != 0 || key.secret->fields.empty())
        throw Error(Errc::Usage, 0, "key has no cleartext secret material to protect");
    return *key.secret;
}

constexpr packet::AeadAlgo ocb = packet::AeadAlgo::Ocb;
constexpr std::size_t ocb_nonce = 15;

/** The packet type octet of a new-format header of `tag`. */
std::uint8_t type_octet(packet::Tag tag) noexcept {
    return static_cast<std::uint8_t>(0xC0 | static_cast<unsigned>(tag));
}

Bytes v6_info(const packet::Key& key, packet::Tag tag) {
    return {type_octet(tag), key.version, static_cast<std::uint8_t>(aes256), static_cast<std::uint8_t>(ocb)};
}

Bytes v6_associated_data(const packet::Key& key, packet::Tag tag) {
    Bytes ad{type_octet(tag)};
    const Bytes body = packet::public_key_body(key);
    ad.insert(ad.end(), body.begin(), body.end());
    return ad;
}

}  // namespace

void protect_v6(packet::Key& key, packet::Tag tag, std::span<const std::uint8_t> passphrase, crypto::Rng& rng,
                Argon2Params params) {
    if (key.version != 6) throw Error(Errc::Usage, 0, "AEAD protection with Argon2 is for v6 keys");
    packet::SecretKeyMaterial& s = cleartext_secret(key);
    const SecretBytes plain = serialize_fields(s.fields);
    packet::S2k s2k;
    s2k.type = packet::S2kType::Argon2;
    s2k.salt.resize(16);
    rng.fill(s2k.salt);
    s2k.argon2_t = params.passes;
    s2k.argon2_p = params.lanes;
    s2k.argon2_m = params.log2_kib;
    Bytes nonce(ocb_nonce);
    rng.fill(nonce);
    const SecretBytes ikm =
        crypto::argon2id(passphrase, s2k.salt, params.passes, params.lanes, params.log2_kib, 32);
    const SecretBytes kek = crypto::hkdf_sha256(ikm, v6_info(key, tag), 32);

    s.fields.clear();  // wiping storage: the cleartext octets are overwritten as they go
    s.checksum.reset();
    s.usage = 253;
    s.sym_algo = aes256;
    s.aead_algo = ocb;
    s.s2k_len = static_cast<std::uint8_t>(packet::s2k_size(s2k));
    s.params_len = static_cast<std::uint8_t>(3 + *s.s2k_len + nonce.size());
    s.s2k = std::move(s2k);
    s.iv = std::move(nonce);
    s.encrypted = crypto::ocb_encrypt(crypto::CipherKind::Aes256, kek, s.iv, v6_associated_data(key, tag), plain);
}

void protect_v4(packet::Key& key, std::span<const std::uint8_t> passphrase, crypto::Rng& rng,
                std::uint8_t coded_count) {
    packet::SecretKeyMaterial& s = cleartext_secret(key);
    SecretBytes plain = serialize_fields(s.fields);
    crypto::Hasher sha1(crypto::HashKind::Sha1);
    sha1.update(plain);
    Bytes check = sha1.final();
    plain.insert(plain.end(), check.begin(), check.end());
    wipe(check.data(), check.size());  // a digest of the secret fields: kept only in `plain`

    packet::S2k s2k;
    s2k.type = packet::S2kType::IteratedSalted;
    s2k.hash_algo = sha256;
    s2k.salt.resize(8);
    rng.fill(s2k.salt);
    s2k.coded_count = coded_count;
    Bytes iv(16);
    rng.fill(iv);
    const SecretBytes k = crypto::s2k_iterated(crypto::HashKind::Sha256, passphrase, s2k.salt,
                                                       crypto::s2k_decode_count(coded_count), 32);

    s.fields.clear();  // wiping storage: the cleartext octets are overwritten as they go
    s.checksum.reset();
    s.usage = 254;
    s.sym_algo = aes256;
    s.s2k = std::move(s2k);
    s.iv = std::move(iv);
    s.encrypted = crypto::cfb_encrypt(crypto::CipherKind::Aes256, k, s.iv, plain);
    if (key.version == 5) {
        // LibrePGP v5: count of the cipher, S2K and IV octets, and of the encrypted octets.
        s.params_len = static_cast<std::uint8_t>(1 + packet::s2k_size(*s.s2k) + s.iv.size());
        s.secret_len = static_cast<std::uint32_t>(s.encrypted.size());
    }
}

void leave_unprotected(packet::Key& key) {
    packet::SecretKeyMaterial& s = cleartext_secret(key);
    if (key.version == 6) return;  // RFC 9580 section 5.5.3: v6 keys carry no checksum
    const SecretBytes plain = serialize_fields(s.fields);
    std::uint32_t sum = 0;
    for (std::uint8_t b : plain) sum += b;
    s.checksum = static_cast<std::uint16_t>(sum & 0xFFFF);
    if (key.version == 5) {
        // LibrePGP v5 (as GnuPG 2.4 writes it): no S2K fields, and the length of the
        // cleartext fields, the checksum not counted.
        s.params_len = 0;
        s.secret_len = static_cast<std::uint32_t>(plain.size());
    }
}

}  // namespace pgpkit::keygen
