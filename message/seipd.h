#pragma once
// Reading the encrypted data packets (RFC 9580 sections 5.7 and 5.13): sources that
// decrypt a SEIPD v1 body (CFB, MDC checked at the end), a SEIPD v2 body (AEAD chunks,
// each released only after its tag verifies, final tag at the end) and the legacy SED
// body (CFB with resynchronisation, no integrity protection). Their output is the packet
// stream inside the encryption, read in constant memory.

#include <cstdint>
#include <memory>

#include "base/secret.h"
#include "crypto/data_cipher.h"
#include "message/session_key.h"
#include "packet/simple_packets.h"
#include "packet/source.h"

namespace pgpkit::message {

/**
 * The random prefix of a CFB-encrypted body (block size + 2 octets) decrypts to a repeat
 * of its last two octets under the right key (RFC 9580 section 5.7): gpg's quick check.
 */
[[nodiscard]] bool cfb_quick_check(crypto::CipherKind c, const SecretBytes& key, ByteView prefix);

/**
 * Integrity failures (bad or missing MDC, an AEAD tag that does not verify) are thrown as
 * Error(Errc::Crypto) whose detail starts with this text, so callers tell them from bad
 * framing: "encrypted message has been manipulated".
 */
inline constexpr const char* manipulated_text = "encrypted message has been manipulated";

/** The plaintext of a SEIPD v1 body: the octets after the version octet are read from `body`. */
class SeipdV1Reader final : public packet::Source {
public:
    /** `prefix`: the first block size + 2 octets of ciphertext, already read from `body`. */
    SeipdV1Reader(packet::Source& body, crypto::CipherKind c, const SecretBytes& key, ByteView prefix);
    ~SeipdV1Reader() override;
    /** Plaintext up to the MDC packet; at the end the MDC is checked (throws if it fails). */
    std::size_t read(std::span<std::uint8_t> buf) override;
    /** True once the MDC has been checked and matched. */
    bool verified() const noexcept { return m_verified; }

private:
    bool refill();
    struct Impl;
    std::unique_ptr<Impl> m_impl;
    bool m_verified = false;
};

/** The plaintext of a legacy SED body (no integrity protection). */
class SedReader final : public packet::Source {
public:
    SedReader(packet::Source& body, crypto::CipherKind c, const SecretBytes& key, ByteView prefix);
    ~SedReader() override;
    std::size_t read(std::span<std::uint8_t> buf) override;

private:
    packet::Source& m_body;
    crypto::CfbStream m_cfb;
};

/** Largest SEIPD v2 chunk size octet accepted (RFC 9580 section 5.13.2: at most 16). */
inline constexpr std::uint8_t max_chunk_size_octet = 16;

/**
 * The plaintext of a SEIPD v2 body (`header` holds its parameters, already read) or of
 * GnuPG's OCB Encrypted Data packet (tag 20; `librepgp`), chunk by chunk.
 * @throws Error(Errc::BadField) for an unknown cipher, mode or chunk size (constructor),
 *         Error(Errc::Crypto) "encrypted message has been manipulated ..." when a tag fails,
 *         Error(Errc::Truncated) for a body too short to hold its final tag.
 */
class AeadReader final : public packet::Source {
public:
    AeadReader(packet::Source& body, const packet::Seipd& header, const SecretBytes& key);
    AeadReader(packet::Source& body, const packet::OcbEncrypted& header, const SecretBytes& key);
    ~AeadReader() override;
    std::size_t read(std::span<std::uint8_t> buf) override;
    bool verified() const noexcept { return m_verified; }
    struct Impl;  ///< opaque

private:
    bool next_chunk();
    std::unique_ptr<Impl> m_impl;
    bool m_verified = false;
};

}  // namespace pgpkit::message
