#pragma once
// Passphrase-based protection primitives for secret keys: iterated and salted S2K
// (RFC 9580 section 3.7.1.3) and CFB encryption (section 5.5.3, S2K usage 254).

#include <cstdint>
#include <span>
#include <vector>

#include "crypto/hash.h"
#include "base/secret.h"

namespace pgpkit::crypto {

enum class CipherKind : std::uint8_t { Aes128, Aes192, Aes256 };

/** Key length in octets. */
std::size_t cipher_key_size(CipherKind c) noexcept;

/** Octets hashed for a coded count octet (RFC 9580 section 3.7.1.3). */
std::uint32_t s2k_decode_count(std::uint8_t coded) noexcept;

/**
 * Iterated and salted S2K: hashes salt || passphrase repeatedly until `count` octets
 * (at least one full copy), with preloaded zero octets for keys longer than the digest.
 */
[[nodiscard]] SecretBytes s2k_iterated(HashKind hash, std::span<const std::uint8_t> passphrase,
                                       std::span<const std::uint8_t> salt, std::uint32_t count,
                                       std::size_t key_len);

/** CFB encryption with the full-block IV `iv`, no resynchronisation. @throws Error(Errc::Crypto). */
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
