#pragma once
// Secret-key protection of the keys keygen writes, RFC 9580 section 5.5.3: S2K usage 254
// (iterated and salted S2K with SHA-256, AES-256 in CFB mode, SHA-1 check) or usage 0 with
// checksum for v4 and v5 keys, usage 253 (AES-256/OCB, Argon2) for v6 keys. Unprotection
// of any key is cert::unprotect (cert/secret_key.h).
// LibrePGP v5 keys use the same scheme (GnuPG 2.4 reads and writes usage 254 in v5 keys)
// plus the v5 count octet and four-octet secret length.

#include <cstdint>
#include <span>

#include "crypto/rng.h"
#include "packet/key.h"

namespace pgpkit::keygen {

/** Coded S2K count keygen uses: 0xE0 = 16.8 million octets hashed (RFC 9580 section 3.7.1.3). */
inline constexpr std::uint8_t default_s2k_coded_count = 0xE0;

/**
 * Replaces the cleartext secret fields of `key` (usage 0) by their encryption under
 * `passphrase`: usage 254, AES-256, iterated+salted S2K (SHA-256, random 8-octet salt,
 * `coded_count`), random IV, CFB over the fields followed by their SHA-1 digest. For a v5
 * key also sets the parameter count and the secret material length.
 * @throws Error(Errc::Usage) if the key has no cleartext secret fields.
 */
void protect_v4(packet::Key& key, std::span<const std::uint8_t> passphrase, crypto::Rng& rng,
                std::uint8_t coded_count = default_s2k_coded_count);

/** Argon2 parameters keygen uses for v6 keys: RFC 9580's second recommendation, 64 MiB. */
struct Argon2Params {
    std::uint8_t passes = 3, lanes = 4, log2_kib = 16;
};

/**
 * v6 protection, RFC 9580 section 5.5.3: usage 253, AES-256 in OCB mode, Argon2id S2K
 * with a random 16-octet salt, key encryption key from HKDF-SHA256 over the S2K output with
 * info = packet type octet (0xC0 | `tag`), version, cipher, AEAD mode; associated data =
 * packet type octet and the public key packet body. `tag` is SecretKey or SecretSubkey.
 * @throws Error(Errc::Usage) if the key is not a v6 key with cleartext secret fields.
 */
void protect_v6(packet::Key& key, packet::Tag tag, std::span<const std::uint8_t> passphrase, crypto::Rng& rng,
                Argon2Params params = {});

/** Marks the secret fields unprotected (usage 0) with their two-octet checksum (none in v6). */
void leave_unprotected(packet::Key& key);

}  // namespace pgpkit::keygen
