#pragma once
// Public-Key, Public-Subkey, Secret-Key and Secret-Subkey packets, RFC 9580 section 5.5,
// versions 2 and 3 (RFC 4880), 4, 5 (LibrePGP, as GnuPG 2.4 writes it) and 6.

#include <array>
#include <cstdint>
#include <memory>
#include <optional>
#include <utility>
#include <vector>

#include "crypto/hash.h"

#include "base/error.h"
#include "base/secret.h"
#include "packet/fields.h"
#include "packet/names.h"
#include "packet/s2k.h"

namespace pgpkit::packet {

/**
 * The secret part of a Secret-Key packet (RFC 9580 section 5.5.3). Cleartext secret values
 * (the fields of an unprotected key) live in wiping memory; the protection header, the IV
 * and the encrypted material are not secret and stay in plain Bytes.
 */
struct SecretKeyMaterial {
    std::uint8_t usage = 0;                  ///< 0, 253 (AEAD), 254 (CFB+SHA1), 255, or a cipher
    std::optional<std::uint8_t> params_len;  ///< v5 always, v6 when protected: count octet
    SymAlgo sym_algo = SymAlgo::Plaintext;   ///< usage != 0 (legacy: the usage octet)
    AeadAlgo aead_algo{};                    ///< usage 253
    std::optional<std::uint8_t> s2k_len;     ///< v6: length octet of the S2K specifier
    std::optional<S2k> s2k;
    Bytes iv;
    std::optional<std::uint32_t> secret_len; ///< v5: octet count of the secret material
    SecretAlgoFields fields;                 ///< usage 0: the cleartext secret fields
    std::optional<std::uint16_t> checksum;   ///< usage 0, versions < 6
    Bytes encrypted;                         ///< protected: the encrypted material as is
    Bytes trailing;                          ///< octets after the material (finding)
    bool operator==(const SecretKeyMaterial&) const = default;

    bool is_protected() const noexcept { return usage != 0; }
};

/** A key packet of any of the four key tags. */
struct Key {
    std::uint8_t version = 4;
    std::uint32_t created = 0;
    std::uint16_t v3_validity_days = 0;      ///< versions 2 and 3 only
    PubkeyAlgo algo{};
    std::optional<std::uint32_t> material_len;  ///< v5/v6: octet count of the public fields
    AlgoFields fields;                       ///< public fields (a Rest field if unknown algo)
    std::optional<SecretKeyMaterial> secret; ///< secret key packets whose layout is known
    SecretBytes secret_opaque;               ///< secret part of an unknown algorithm, as is

    // Derived when parsed, not written: identity of the key.
    Bytes fingerprint;
    std::array<std::uint8_t, 8> keyid{};
    /**
     * Set when some key material did not parse but the packet is still a usable key: the
     * public fields of a public key (kept as one opaque field; the fingerprint covers the
     * whole body anyway) or the secret part (kept in secret_opaque).
     */
    std::optional<Error> malformed;
    bool operator==(const Key&) const = default;
};

/**
 * Hash objects reused across many keys: creating a Botan hash costs more than hashing a
 * key, and keyrings hold hundreds of thousands of them. Not thread-safe; one per parser.
 */
class FingerprintHashers {
public:
    FingerprintHashers();
    ~FingerprintHashers();
    FingerprintHashers(const FingerprintHashers&) = delete;
    FingerprintHashers& operator=(const FingerprintHashers&) = delete;
    crypto::Hasher& get(crypto::HashKind kind);

private:
    std::vector<std::pair<crypto::HashKind, std::unique_ptr<crypto::Hasher>>> m_hashers;
};

/** Versions whose layout pgpkit parses. Others are kept opaque. */
bool key_version_known(std::uint8_t version) noexcept;

/**
 * Parses a key packet body. `secret` selects the Secret-Key layout. Returns nullopt for an
 * unknown version. Computes the fingerprint and key ID (RFC 9580 section 5.5.4; v3 per
 * RFC 4880 section 12.2: RSA key ID = low 64 bits of n, fingerprint = MD5(n || e);
 * other v3 keys: RIPEMD-160 over the packet with CTB 0x99).
 */
std::optional<Key> parse_key(ByteView body, std::uint64_t offset, bool secret,
                             FingerprintHashers* hashers = nullptr);
/**
 * Writes the key packet body. For a secret key give `out` a SecretBytes target (or use
 * write_packets_secret) so that its secret fields are not copied into plain memory.
 */
void write_key(const Key& k, ByteWriter& out);
/** The public part of the key body (what the fingerprint is computed over). */
Bytes public_key_body(const Key& k);
/** Computes fingerprint and key ID from the public part of a key body. */
void compute_key_identity(Key& k, ByteView public_body, FingerprintHashers* hashers = nullptr);

}  // namespace pgpkit::packet
