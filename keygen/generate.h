#pragma once
// Key assembly: a parameter block becomes a transferable secret key (RFC 9580 section
// 10.2) with self-signatures: positive certification of the user ID, subkey bindings
// with embedded primary key bindings, and a direct-key signature for designated revokers.

#include <cstdint>
#include <string>
#include <vector>

#include "crypto/progress.h"
#include "crypto/rng.h"
#include "keygen/keygrip.h"
#include "keygen/params.h"
#include "keygen/protect.h"
#include "base/bytes.h"
#include "base/secret.h"

namespace pgpkit::keygen {

/** Receives progress characters of prime searches (GnuPG's "primegen" progress). */
using ProgressSink = crypto::ProgressSink;

struct GenerateOptions {
    /** Creation time used when the block has no Creation-Date (seconds since the epoch). */
    std::uint32_t now = 0;
    std::uint8_t s2k_coded_count = default_s2k_coded_count;  ///< v4 protection
    Argon2Params argon2;                                      ///< v6 protection
    /**
     * Secret keyrings Key-Grip / Subkey-Grip take key material from: a block searches the
     * file named by its %secring and every file marked for_all_blocks (--secret-keyring).
     */
    std::vector<KeyringFile> keyrings;
};

/** The result of one block. */
struct GeneratedKey {
    Bytes fingerprint;          ///< of the primary key
    std::size_t subkeys = 0;
    Bytes public_key;           ///< transferable public key, binary packets
    SecretBytes secret_key;     ///< transferable secret key, binary packets
    /** GnuPG's KEY_CREATED type: 'B' primary and subkey(s), 'P' primary only. */
    char created_type() const noexcept { return subkeys ? 'B' : 'P'; }
};

/**
 * Generates the key a committed, error-free block describes: v4 (GnuPG-compatible), v5
 * (LibrePGP as GnuPG 2.4 writes it: 0x9A-framed SHA-256 fingerprints, v5 signatures with
 * eight-octet trailer length, usage 254 protection) or v6
 * (RFC 9580: a direct-key signature with the key's properties, salted v6 signatures,
 * Ed25519/X25519 native keys, Argon2 + OCB protection).
 * Key-Grip / Subkey-Grip keys come from `options.keyrings`, unlocked with the block's
 * Passphrase if protected, and are written with the block's creation time and version.
 * @throws Error(Errc::Usage) for a block with an error, a keygrip not in the keyrings
 * ("t.param:3: Key-Grip <grip>: no secret key with this keygrip in <files>"), a subkey version
 * other than the primary's, DSA/Elgamal/Revoker in a v6 key, or an expiration at or before
 * the creation time; Error(Errc::Crypto) if a primitive fails.
 */
[[nodiscard]] GeneratedKey generate_key(const KeyBlock& block, crypto::Rng& rng, ProgressSink* sink,
                                        const GenerateOptions& options);

}  // namespace pgpkit::keygen
