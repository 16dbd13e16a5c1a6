#pragma once
// Changes to existing keys and certificates that need a secret key (RFC 9580 sections
// 5.2.1, 5.2.3 and 5.5.3): unlocking key material, certifying user IDs, revocation
// certificates and changing the passphrase of a transferable secret key.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "base/secret.h"
#include "cert/cert.h"
#include "crypto/rng.h"
#include "keygen/material.h"
#include "keygen/protect.h"

namespace pgpkit::keygen {

/**
 * The key material of secret key packet `key` (of type `tag`), unlocked with the first of
 * `passphrases` that opens it (none needed for an unprotected key).
 * @throws Error(Errc::BadPassphrase) when none does (or none was given for a protected key),
 *         Error(Errc::Usage) for a key stub, a card key or an algorithm keygen cannot sign with,
 *         and what cert::unprotect throws for corrupt material.
 */
[[nodiscard]] KeyMaterial unlock_key(const packet::Key& key, packet::Tag tag,
                                     const std::vector<SecretBytes>& passphrases);

/** As unlock_key, for the primary key of `tsk`. */
[[nodiscard]] KeyMaterial unlock_primary(const cert::Tsk& tsk, const std::vector<SecretBytes>& passphrases);

/**
 * Adds a generic certification (0x10, RFC 9580 section 5.2.1) by `signer` of the user ID
 * `user_id` on `target`'s primary key. A user ID `target` lacks is added as a new
 * component (after its other user IDs) carrying only this certification.
 */
void certify_user_id(cert::Cert& target, const std::string& user_id, const KeyMaterial& signer, std::uint32_t now,
                     crypto::Rng& rng);

/** True if `c` has a user ID component with exactly these octets. */
[[nodiscard]] bool has_user_id(const cert::Cert& c, const std::string& user_id);

/**
 * The revocation certificate of `tsk`: its certificate (public part) with a key revocation
 * signature (0x20) by `primary`, the unlocked primary key, reason "no reason specified"
 * unless `reason` says otherwise (RFC 9580 section 5.2.3.31).
 */
[[nodiscard]] cert::Cert revocation_certificate(const cert::Tsk& tsk, const KeyMaterial& primary, std::uint32_t now,
                                                crypto::Rng& rng, std::uint8_t reason = 0,
                                                const std::string& comment = {});

/**
 * `tsk` with every secret key packet unlocked with `old` (the first passphrase that opens
 * it) and protected again with `fresh` (v4/v5: usage 254 with AES-256 and iterated S2K;
 * v6: usage 253 with Argon2 and OCB), or left unprotected when `fresh` is empty or unset.
 * Key stubs stay as they are.
 * @throws as unlock_key.
 */
[[nodiscard]] cert::Tsk change_passphrase(const cert::Tsk& tsk, const std::vector<SecretBytes>& old,
                                          const std::optional<SecretBytes>& fresh, crypto::Rng& rng,
                                          const Argon2Params& argon2 = {});

}  // namespace pgpkit::keygen
