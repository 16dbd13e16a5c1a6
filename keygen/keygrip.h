#pragma once
// GnuPG keygrips (libgcrypt's gcry_pk_get_keygrip) of OpenPGP public keys, and a secret-key
// store to take existing key material from by keygrip (Key-Grip / Subkey-Grip).

#include <array>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "base/secret.h"
#include "packet/key.h"

namespace pgpkit::keygen {

using Keygrip = std::array<std::uint8_t, 20>;

/**
 * libgcrypt's keygrip: SHA-1 of n with a leading zero octet (RSA); SHA-1 over the
 * S-expression parts "(1:p<len>:<value>)" of p, q, g, y (DSA) or p, g, y (Elgamal), with a
 * zero octet before values whose top bit is set; for ECC the curve's p, a, b, g, n and the
 * public point q (a 0x40 prefix dropped), no zero octets. nullopt for an algorithm or curve
 * libgcrypt has no grip for here (v6 native Ed25519/X25519 are mapped to their curves).
 */
[[nodiscard]] std::optional<Keygrip> keygrip(const packet::Key& key);

/** A keyring file's name (for messages) and contents (binary packets; the CLI dearmors). */
struct KeyringFile {
    std::string name;
    SecretBytes data;  ///< the keyring's packets (secret keys, so in secret memory)
    /** True for --secret-keyring files: searched for every block, not only its %secring. */
    bool for_all_blocks = false;
};

/** A secret key found by keygrip. */
struct FoundKey {
    packet::Key key;   ///< as stored (possibly protected)
    std::string file;  ///< the keyring it came from
    /** Its packet type, SecretKey or SecretSubkey (usage 253 binds it into the protection). */
    packet::Tag tag = packet::Tag::SecretKey;
};

/**
 * Looks for a secret key packet (tag 5 or 7) with keygrip `grip` in `files`, in order.
 * Unparsable files are skipped (they cannot hold the key).
 */
[[nodiscard]] std::optional<FoundKey> find_secret_key(const Keygrip& grip,
                                                      const std::vector<const KeyringFile*>& files);

}  // namespace pgpkit::keygen
