#pragma once
// Passphrase-based protection primitives for secret keys: hashed S2K (RFC 9580 section
// 3.7.1), Argon2, HKDF, CFB encryption (section 5.5.3, usages 254/255 and legacy) and the
// AEAD modes EAX, OCB and GCM (usage 253) over every block cipher OpenPGP names.

#include <cstdint>
#include <optional>
#include <span>
#include <vector>

#include "crypto/hash.h"
#include "base/secret.h"

namespace pgpkit::crypto {

/** Block ciphers of RFC 9580 section 9.3 (Botan 2.19 implements all of them). */
enum class CipherKind : std::uint8_t {
    Aes128, Aes192, Aes256, Idea, TripleDes, Cast5, Blowfish, Twofish, Camellia128, Camellia192, Camellia256,
};

/** AEAD modes of RFC 9580 section 9.6: 16-octet tags, nonces of 16 (EAX), 15 (OCB), 12 (GCM) octets. */
enum class AeadKind : std::uint8_t { Eax, Ocb, Gcm };

/** Key length in octets (Blowfish: 16, as OpenPGP uses it). */
std::size_t cipher_key_size(CipherKind c) noexcept;
/** Block length in octets: 8 for IDEA, TripleDES, CAST5 and Blowfish, else 16. */
std::size_t cipher_block_size(CipherKind c) noexcept;
/** Nonce length in octets of an AEAD mode. */
std::size_t aead_nonce_size(AeadKind a) noexcept;
/** Authentication tag length in octets (16 for all three modes). */
inline constexpr std::size_t aead_tag_size = 16;

/** Equality of two octet strings in time that depends on their lengths only. */
[[nodiscard]] bool constant_time_equal(std::span<const std::uint8_t> a, std::span<const std::uint8_t> b) noexcept;

/** Octets hashed for a coded count octet (RFC 9580 section 3.7.1.3). */
std::uint32_t s2k_decode_count(std::uint8_t coded) noexcept;

/**
 * Iterated and salted S2K: hashes salt || passphrase repeatedly until `count` octets
 * (at least one full copy), with preloaded zero octets for keys longer than the digest.
 */
[[nodiscard]] SecretBytes s2k_iterated(HashKind hash, std::span<const std::uint8_t> passphrase,
                                       std::span<const std::uint8_t> salt, std::uint32_t count,
                                       std::size_t key_len);

/**
 * CFB encryption with the full-block IV `iv`, no resynchronisation (the secret-key form of
 * RFC 9580 section 5.5.3; not the resynchronising variant of SED packets).
 * @throws Error(Errc::Crypto), e.g. for an IV that is not one block long.
 */
[[nodiscard]] std::vector<std::uint8_t> cfb_encrypt(CipherKind c, std::span<const std::uint8_t> key,
                                                    std::span<const std::uint8_t> iv,
                                                    std::span<const std::uint8_t> plaintext);
/** CFB decryption, the inverse of cfb_encrypt. */
[[nodiscard]] SecretBytes cfb_decrypt(CipherKind c, std::span<const std::uint8_t> key,
                                      std::span<const std::uint8_t> iv, std::span<const std::uint8_t> ciphertext);

/**
 * Argon2id (RFC 9106) as RFC 9580 section 3.7.1.4 uses it: `passes` t, `lanes` p, memory
 * 2^`log2_kib` KiB, no secret and no associated data. @throws Error(Errc::Usage) for
 * parameters RFC 9580 forbids (memory below 8*p KiB or above 2^31 KiB).
 */
[[nodiscard]] SecretBytes argon2id(std::span<const std::uint8_t> passphrase, std::span<const std::uint8_t> salt,
                                   std::uint8_t passes, std::uint8_t lanes, std::uint8_t log2_kib,
                                   std::size_t out_len);

/** HKDF with SHA-256 (RFC 5869), no salt. */
[[nodiscard]] SecretBytes hkdf_sha256(std::span<const std::uint8_t> ikm, std::span<const std::uint8_t> info,
                                      std::size_t out_len);

/**
 * AEAD encryption: returns ciphertext || 16-octet tag. The block cipher must have 16-octet
 * blocks. @throws Error(Errc::Crypto) for a wrong nonce size or an 8-octet-block cipher.
 */
[[nodiscard]] std::vector<std::uint8_t> aead_encrypt(CipherKind c, AeadKind a, std::span<const std::uint8_t> key,
                                                     std::span<const std::uint8_t> nonce,
                                                     std::span<const std::uint8_t> ad,
                                                     std::span<const std::uint8_t> plaintext);
/**
 * Inverse of aead_encrypt: the plaintext, or nullopt if the tag does not verify (also for
 * input shorter than a tag). @throws Error(Errc::Crypto) for a wrong key or nonce size.
 */
[[nodiscard]] std::optional<SecretBytes> aead_decrypt(CipherKind c, AeadKind a, std::span<const std::uint8_t> key,
                                       std::span<const std::uint8_t> nonce, std::span<const std::uint8_t> ad,
                                       std::span<const std::uint8_t> ciphertext);

/** OCB mode (RFC 7253) with a 15-octet nonce and 16-octet tag: returns ciphertext || tag. */
[[nodiscard]] std::vector<std::uint8_t> ocb_encrypt(CipherKind c, std::span<const std::uint8_t> key,
                                                    std::span<const std::uint8_t> nonce,
                                                    std::span<const std::uint8_t> ad,
                                                    std::span<const std::uint8_t> plaintext);
/** Inverse of ocb_encrypt. @throws Error(Errc::Crypto) if the tag does not verify. */
[[nodiscard]] SecretBytes ocb_decrypt(CipherKind c, std::span<const std::uint8_t> key,
                                      std::span<const std::uint8_t> nonce, std::span<const std::uint8_t> ad,
                                      std::span<const std::uint8_t> ciphertext);

}  // namespace pgpkit::crypto
