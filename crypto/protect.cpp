#include "crypto/protect.h"
#include "crypto/internal/botan_names.h"
#include "crypto/internal/secret_conv.h"

#include <botan/aead.h>
#include <botan/argon2.h>
#include <botan/cipher_mode.h>
#include <botan/exceptn.h>
#include <botan/hash.h>
#include <botan/kdf.h>
#include <botan/mem_ops.h>

#include <algorithm>
#include <optional>
#include <string>
#include <string_view>

#include "base/error.h"

namespace pgpkit::crypto {

namespace {

const char* botan_aead(AeadKind a) noexcept {
    switch (a) {
    case AeadKind::Eax: return "EAX";
    case AeadKind::Ocb: return "OCB";
    case AeadKind::Gcm: return "GCM";
    }
    return "OCB";
}

/** Botan's name of cipher `c` in `mode` ("AES-256/CFB", "CAST-128/CFB", "AES-128/OCB"). */
std::string cipher_name(CipherKind c, std::string_view mode) {
    return std::string(internal::botan_cipher_name(c)).append("/").append(mode);
}

SecretBytes run_cfb(CipherKind c, Botan::Cipher_Dir dir, std::span<const std::uint8_t> key,
                    std::span<const std::uint8_t> iv, std::span<const std::uint8_t> in) {
    // Botan takes an empty IV as "continue with the previous state": insist on one block.
    if (iv.size() != cipher_block_size(c))
        throw Error(Errc::Crypto, 0, cipher_name(c, "CFB") + ": IV of " + std::to_string(iv.size()) + " octets");
    try {
        auto mode = Botan::Cipher_Mode::create_or_throw(cipher_name(c, "CFB"), dir);
        mode->set_key(key.data(), key.size());
        mode->start(iv.data(), iv.size());
        Botan::secure_vector<std::uint8_t> buf = internal::to_botan(in);
        mode->finish(buf);
        return internal::from_botan(buf);
    } catch (const Botan::Exception& e) {
        throw Error(Errc::Crypto, 0, cipher_name(c, "CFB") + ": " + e.what());
    }
}

}  // namespace

std::size_t cipher_key_size(CipherKind c) noexcept {
    switch (c) {
    case CipherKind::Aes128:
    case CipherKind::Idea:
    case CipherKind::Cast5:
    case CipherKind::Blowfish:
    case CipherKind::Camellia128: return 16;
    case CipherKind::Aes192:
    case CipherKind::TripleDes:
    case CipherKind::Camellia192: return 24;
    case CipherKind::Aes256:
    case CipherKind::Twofish:
    case CipherKind::Camellia256: return 32;
    }
    return 32;
}

std::size_t cipher_block_size(CipherKind c) noexcept {
    switch (c) {
    case CipherKind::Idea:
    case CipherKind::TripleDes:
    case CipherKind::Cast5:
    case CipherKind::Blowfish: return 8;
    default: return 16;
    }
}

std::size_t aead_nonce_size(AeadKind a) noexcept {
    switch (a) {
    case AeadKind::Eax: return 16;
    case AeadKind::Ocb: return 15;
    case AeadKind::Gcm: return 12;
    }
    return 16;
}

bool constant_time_equal(std::span<const std::uint8_t> a, std::span<const std::uint8_t> b) noexcept {
    return a.size() == b.size() && Botan::constant_time_compare(a.data(), b.data(), a.size());
}

std::uint32_t s2k_decode_count(std::uint8_t coded) noexcept {
    return (std::uint32_t{16} + (coded & 15)) << ((coded >> 4) + 6);
}

SecretBytes s2k_iterated(HashKind hash, std::span<const std::uint8_t> passphrase, std::span<const std::uint8_t> salt,
                         std::uint32_t count, std::size_t key_len) {
    try {
        auto h = Botan::HashFunction::create_or_throw(internal::botan_hash_name(hash));
        SecretBytes material(salt.begin(), salt.end());
        material.insert(material.end(), passphrase.begin(), passphrase.end());
        const std::size_t total = std::max<std::size_t>(count, material.size());
        SecretBytes key;
        for (std::size_t preload = 0; key.size() < key_len; ++preload) {
            for (std::size_t i = 0; i < preload; ++i) h->update(0);
            std::size_t left = total;
            while (left > 0) {
                const std::size_t n = std::min(left, material.size());
                h->update(material.data(), n);
                left -= n;
            }
            const Botan::secure_vector<std::uint8_t> d = h->final();
            key.insert(key.end(), d.begin(), d.end());
        }
        key.resize(key_len);
        return key;
    } catch (const Botan::Exception& e) {
        throw Error(Errc::Crypto, 0, std::string("S2K: ") + e.what());
    }
}

std::vector<std::uint8_t> cfb_encrypt(CipherKind c, std::span<const std::uint8_t> key, std::span<const std::uint8_t> iv,
                                      std::span<const std::uint8_t> plaintext) {
    SecretBytes out = run_cfb(c, Botan::ENCRYPTION, key, iv, plaintext);
    return std::vector<std::uint8_t>(out.begin(), out.end());
}

SecretBytes cfb_decrypt(CipherKind c, std::span<const std::uint8_t> key, std::span<const std::uint8_t> iv,
                        std::span<const std::uint8_t> ciphertext) {
    return run_cfb(c, Botan::DECRYPTION, key, iv, ciphertext);
}

namespace {

/** Runs an AEAD mode; nullopt when decryption finds the tag wrong. */
std::optional<SecretBytes> run_aead(CipherKind c, AeadKind a, Botan::Cipher_Dir dir, std::span<const std::uint8_t> key,
                                    std::span<const std::uint8_t> nonce, std::span<const std::uint8_t> ad,
                                    std::span<const std::uint8_t> in) {
    const std::string name = cipher_name(c, botan_aead(a));
    if (cipher_block_size(c) != 16) throw Error(Errc::Crypto, 0, name + ": AEAD needs a 16-octet block cipher");
    if (nonce.size() != aead_nonce_size(a))
        throw Error(Errc::Crypto, 0, name + ": nonce of " + std::to_string(nonce.size()) + " octets");
    if (dir == Botan::DECRYPTION && in.size() < aead_tag_size) return std::nullopt;
    try {
        auto mode = Botan::AEAD_Mode::create_or_throw(name, dir);
        mode->set_key(key.data(), key.size());
        mode->set_associated_data(ad.data(), ad.size());
        mode->start(nonce.data(), nonce.size());
        Botan::secure_vector<std::uint8_t> buf = internal::to_botan(in);
        mode->finish(buf);
        return internal::from_botan(buf);
    } catch (const Botan::Invalid_Authentication_Tag&) {
        return std::nullopt;
    } catch (const Botan::Exception& e) {
        throw Error(Errc::Crypto, 0, name + ": " + e.what());
    }
}

}  // namespace

SecretBytes argon2id(std::span<const std::uint8_t> passphrase, std::span<const std::uint8_t> salt,
                     std::uint8_t passes, std::uint8_t lanes, std::uint8_t log2_kib, std::size_t out_len) {
    if (passes == 0 || lanes == 0 || log2_kib > 31 || (std::size_t{1} << log2_kib) < std::size_t{8} * lanes)
        throw Error(Errc::Usage, 0, "invalid Argon2 parameters");
    try {
        SecretBytes out(out_len);
        Botan::argon2(out.data(), out.size(), reinterpret_cast<const char*>(passphrase.data()), passphrase.size(),
                      salt.data(), salt.size(), nullptr, 0, nullptr, 0, 2, lanes, std::size_t{1} << log2_kib, passes);
        return out;
    } catch (const Botan::Exception& e) {
        throw Error(Errc::Crypto, 0, std::string("Argon2id: ") + e.what());
    }
}

SecretBytes hkdf_sha256(std::span<const std::uint8_t> ikm, std::span<const std::uint8_t> info, std::size_t out_len) {
    try {
        auto kdf = Botan::KDF::create_or_throw("HKDF(SHA-256)");
        return internal::from_botan(
            kdf->derive_key(out_len, ikm.data(), ikm.size(), nullptr, 0, info.data(), info.size()));
    } catch (const Botan::Exception& e) {
        throw Error(Errc::Crypto, 0, std::string("HKDF: ") + e.what());
    }
}

std::vector<std::uint8_t> aead_encrypt(CipherKind c, AeadKind a, std::span<const std::uint8_t> key,
                                       std::span<const std::uint8_t> nonce, std::span<const std::uint8_t> ad,
                                       std::span<const std::uint8_t> plaintext) {
    const std::optional<SecretBytes> out = run_aead(c, a, Botan::ENCRYPTION, key, nonce, ad, plaintext);
    return std::vector<std::uint8_t>(out->begin(), out->end());
}

std::optional<SecretBytes> aead_decrypt(CipherKind c, AeadKind a, std::span<const std::uint8_t> key,
                                        std::span<const std::uint8_t> nonce, std::span<const std::uint8_t> ad,
                                        std::span<const std::uint8_t> ciphertext) {
    return run_aead(c, a, Botan::DECRYPTION, key, nonce, ad, ciphertext);
}

std::vector<std::uint8_t> ocb_encrypt(CipherKind c, std::span<const std::uint8_t> key, std::span<const std::uint8_t> nonce,
                                      std::span<const std::uint8_t> ad, std::span<const std::uint8_t> plaintext) {
    return aead_encrypt(c, AeadKind::Ocb, key, nonce, ad, plaintext);
}

SecretBytes ocb_decrypt(CipherKind c, std::span<const std::uint8_t> key, std::span<const std::uint8_t> nonce,
                        std::span<const std::uint8_t> ad, std::span<const std::uint8_t> ciphertext) {
    std::optional<SecretBytes> out = aead_decrypt(c, AeadKind::Ocb, key, nonce, ad, ciphertext);
    if (!out) throw Error(Errc::Crypto, 0, cipher_name(c, "OCB") + ": authentication tag mismatch");
    return std::move(*out);
}

}  // namespace pgpkit::crypto
