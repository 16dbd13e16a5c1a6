#include "crypto/data_cipher.h"

#include <botan/block_cipher.h>
#include <botan/mem_ops.h>
#include <botan/exceptn.h>
#include <botan/kdf.h>
#include <botan/rfc3394.h>
#include <botan/symkey.h>

#include <cstring>
#include <string>
#include <vector>

#include "base/error.h"
#include "crypto/internal/botan_names.h"
#include "crypto/internal/secret_conv.h"

namespace pgpkit::crypto {

namespace internal {

const char* botan_cipher_name(CipherKind c) noexcept {
    switch (c) {
    case CipherKind::Aes128: return "AES-128";
    case CipherKind::Aes192: return "AES-192";
    case CipherKind::Aes256: return "AES-256";
    case CipherKind::Idea: return "IDEA";
    case CipherKind::TripleDes: return "TripleDES";
    case CipherKind::Cast5: return "CAST-128";
    case CipherKind::Blowfish: return "Blowfish";
    case CipherKind::Twofish: return "Twofish";
    case CipherKind::Camellia128: return "Camellia-128";
    case CipherKind::Camellia192: return "Camellia-192";
    case CipherKind::Camellia256: return "Camellia-256";
    }
    return "AES-256";
}

}  // namespace internal

// OpenPGP CFB over the block cipher directly: decryption of whole blocks takes every
// keystream block from ciphertext already at hand, so one encrypt_n call covers a whole
// buffer (AES-NI pipelines it); Botan's CFB mode goes block by block.
struct CfbStream::Impl {
    std::unique_ptr<Botan::BlockCipher> cipher;
    bool decrypt = true;
    std::size_t bs = 16;
    std::vector<std::uint8_t> prev;  ///< the feedback: the previous ciphertext block (or the IV)
    std::vector<std::uint8_t> ks;    ///< keystream of the current block, E(prev)
    std::vector<std::uint8_t> cur;   ///< ciphertext of the current block so far
    std::size_t pos = 0;             ///< octets of the current block done (0: none started)
    std::vector<std::uint8_t> tmp;   ///< keystream of a run of whole blocks

    void byte_step(std::uint8_t& b) {
        if (pos == 0) cipher->encrypt(prev.data(), ks.data());
        const std::uint8_t out = static_cast<std::uint8_t>(b ^ ks[pos]);
        cur[pos++] = decrypt ? b : out;  // the ciphertext octet feeds back
        b = out;
        if (pos == bs) {
            prev.swap(cur);
            pos = 0;
        }
    }

    void whole_blocks_decrypt(std::uint8_t* p, std::size_t n) {
        tmp.resize(n * bs);
        std::memcpy(tmp.data(), prev.data(), bs);
        std::memcpy(tmp.data() + bs, p, (n - 1) * bs);
        std::memcpy(prev.data(), p + (n - 1) * bs, bs);
        cipher->encrypt_n(tmp.data(), tmp.data(), n);
        Botan::xor_buf(p, tmp.data(), n * bs);
    }

    void whole_blocks_encrypt(std::uint8_t* p, std::size_t n) {
        for (std::size_t i = 0; i < n; ++i, p += bs) {
            cipher->encrypt(prev.data(), ks.data());
            Botan::xor_buf(p, ks.data(), bs);
            std::memcpy(prev.data(), p, bs);
        }
    }
};

CfbStream::CfbStream(CipherKind c, Direction d, std::span<const std::uint8_t> key,
                     std::span<const std::uint8_t> iv)
    : m_impl(std::make_unique<Impl>()), m_block(cipher_block_size(c)) {
    const std::string name = std::string(internal::botan_cipher_name(c)) + "/CFB";
    if (!iv.empty() && iv.size() != m_block)
        throw Error(Errc::Crypto, 0, name + ": IV of " + std::to_string(iv.size()) + " octets");
    if (key.size() != cipher_key_size(c))
        throw Error(Errc::Crypto, 0, name + ": key of " + std::to_string(key.size()) + " octets");
    try {
        Impl& s = *m_impl;
        s.cipher = Botan::BlockCipher::create_or_throw(internal::botan_cipher_name(c));
        s.cipher->set_key(key.data(), key.size());
        s.decrypt = d == Direction::Decrypt;
        s.bs = m_block;
        s.prev.assign(m_block, 0);
        if (!iv.empty()) std::memcpy(s.prev.data(), iv.data(), m_block);
        s.ks.assign(m_block, 0);
        s.cur.assign(m_block, 0);
    } catch (const Botan::Exception& e) {
        throw Error(Errc::Crypto, 0, name + ": " + e.what());
    }
}

CfbStream::~CfbStream() {
    if (!m_impl) return;
    for (auto* v : {&m_impl->prev, &m_impl->ks, &m_impl->cur, &m_impl->tmp}) Botan::secure_scrub_memory(v->data(), v->size());
}
CfbStream::CfbStream(CfbStream&&) noexcept = default;
CfbStream& CfbStream::operator=(CfbStream&&) noexcept = default;

void CfbStream::process(std::span<std::uint8_t> buf) {
    Impl& s = *m_impl;
    std::size_t i = 0;
    while (i < buf.size() && s.pos != 0) s.byte_step(buf[i++]);
    const std::size_t n = (buf.size() - i) / s.bs;
    if (n > 0) {
        if (s.decrypt) s.whole_blocks_decrypt(buf.data() + i, n);
        else s.whole_blocks_encrypt(buf.data() + i, n);
        i += n * s.bs;
    }
    while (i < buf.size()) s.byte_step(buf[i++]);
}

std::vector<std::uint8_t> aes_key_wrap(std::span<const std::uint8_t> kek, std::span<const std::uint8_t> key) {
    try {
        const Botan::secure_vector<std::uint8_t> in = internal::to_botan(key);
        const auto out = Botan::rfc3394_keywrap(in, Botan::SymmetricKey(kek.data(), kek.size()));
        return std::vector<std::uint8_t>(out.begin(), out.end());
    } catch (const Botan::Exception& e) {
        throw Error(Errc::Crypto, 0, std::string("AES key wrap: ") + e.what());
    }
}

std::optional<SecretBytes> aes_key_unwrap(std::span<const std::uint8_t> kek, std::span<const std::uint8_t> wrapped) {
    if (wrapped.size() < 16 || wrapped.size() % 8 != 0) return std::nullopt;
    if (kek.size() != 16 && kek.size() != 24 && kek.size() != 32) return std::nullopt;
    try {
        const Botan::secure_vector<std::uint8_t> in = internal::to_botan(wrapped);
        return internal::from_botan(Botan::rfc3394_keyunwrap(in, Botan::SymmetricKey(kek.data(), kek.size())));
    } catch (const Botan::Exception&) {
        return std::nullopt;  // integrity check failed
    }
}

SecretBytes hkdf_sha256_salted(std::span<const std::uint8_t> ikm, std::span<const std::uint8_t> salt,
                               std::span<const std::uint8_t> info, std::size_t out_len) {
    try {
        auto kdf = Botan::KDF::create_or_throw("HKDF(SHA-256)");
        return internal::from_botan(
            kdf->derive_key(out_len, ikm.data(), ikm.size(), salt.data(), salt.size(), info.data(), info.size()));
    } catch (const Botan::Exception& e) {
        throw Error(Errc::Crypto, 0, std::string("HKDF: ") + e.what());
    }
}

}  // namespace pgpkit::crypto
