#pragma once
// Ciphers of the encrypted data and session key packets: streaming OpenPGP CFB (RFC 9580
// section 13.9) for SEIPD v1 and the legacy SED packet (whose resynchronisation is a
// restart with a new IV, see message/), AES key wrap (RFC 3394) for ECDH and X25519
// session keys, and HKDF with a salt for SEIPD v2.

#include <cstdint>
#include <memory>
#include <optional>
#include <vector>
#include <span>

#include "crypto/protect.h"

namespace pgpkit::crypto {

/** CFB encryption or decryption in place, any number of octets per call. */
class CfbStream {
public:
    enum class Direction : std::uint8_t { Encrypt, Decrypt };
    /**
     * `iv` one block long, or empty for the all-zero IV the data packets use.
     * @throws Error(Errc::Crypto) for a wrong key or IV size.
     */
    CfbStream(CipherKind c, Direction d, std::span<const std::uint8_t> key, std::span<const std::uint8_t> iv = {});
    ~CfbStream();
    CfbStream(CfbStream&&) noexcept;
    CfbStream& operator=(CfbStream&&) noexcept;

    /** Encrypts or decrypts `buf` in place, continuing the stream. */
    void process(std::span<std::uint8_t> buf);
    std::size_t block_size() const noexcept { return m_block; }

private:
    struct Impl;
    std::unique_ptr<Impl> m_impl;
    std::size_t m_block = 16;
};

/** RFC 3394 AES key wrap with the key-encryption key `kek` (16, 24 or 32 octets). */
[[nodiscard]] std::vector<std::uint8_t> aes_key_wrap(std::span<const std::uint8_t> kek,
                                                     std::span<const std::uint8_t> key);
/** RFC 3394 unwrap: the key, or nullopt if the integrity check fails. */
[[nodiscard]] std::optional<SecretBytes> aes_key_unwrap(std::span<const std::uint8_t> kek,
                                                        std::span<const std::uint8_t> wrapped);

/** HKDF with SHA-256 (RFC 5869) with a salt (SEIPD v2, RFC 9580 section 5.13.2). */
[[nodiscard]] SecretBytes hkdf_sha256_salted(std::span<const std::uint8_t> ikm, std::span<const std::uint8_t> salt,
                                             std::span<const std::uint8_t> info, std::size_t out_len);

}  // namespace pgpkit::crypto
