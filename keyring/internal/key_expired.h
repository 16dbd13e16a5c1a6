#pragma once
// The KEYEXPIRED status lines gpg 2.2 writes while it evaluates a keyblock. gpg writes
// `KEYEXPIRED <expiry>` from check_signature_metadata_validity (g10/sig-check.c) each time
// it checks a key signature while the keyblock's primary key is marked expired
// (check_key_signature2 tests the primary key of the keyblock whoever issued the
// signature), and when it checks the back-signature of a subkey that has expired itself.
// merge_selfsigs (g10/getkey.c), which runs on every look-up of a key, marks the primary
// key expired only after its direct-key and user ID self-signatures, so a fresh keyblock
// gives one line per self-signature after a subkey and one per back-signature of an
// expired subkey; a keyblock merged a second time still carries the mark and gives one
// line per self-signature gpg checks (back-signatures are remembered and not checked again).

#include <cstdint>
#include <vector>

#include "cert/cert.h"
#include "cert/verify.h"

namespace pgpkit::keyring::internal {

/** How merge_selfsigs meets the keyblock. */
enum class MergeState : std::uint8_t {
    Fresh,  ///< just read from the store (a look-up)
    Again,  ///< merged before in this process (gpg's check_prefs after a secret key import)
};

/**
 * The expiry times gpg 2.2 writes as KEYEXPIRED lines, in its order, when merge_selfsigs
 * runs over `c` at time `now` (Unix seconds). Empty for the common case of a key that
 * has no expiry time in any self-signature (checked without verifying anything).
 * `verified` (may be null, here and below) skips verifications known to succeed.
 */
[[nodiscard]] std::vector<std::uint32_t> merge_keyexpired(const cert::Cert& c, std::uint32_t now, MergeState state,
                                                             cert::VerifiedSignatures* verified = nullptr);

/**
 * import-clean's clean_all_uids over `c` after a merge (key-clean.c, mark_usable_uid_certs):
 * one line per user ID certification or revocation it checks on a user ID with a valid
 * self-signature (persona certifications are below min-cert-level and not checked).
 */
[[nodiscard]] std::vector<std::uint32_t> clean_keyexpired(const cert::Cert& c, std::uint32_t now,
                                                             cert::VerifiedSignatures* verified = nullptr);

/**
 * chk_self_sigs of an import over `c` after import-clean merged it (g10/import.c): each
 * self-signature is checked once to fill the signature cache and once more when it
 * decides something (a user ID's first good self-signature, direct-key signatures,
 * bindings and subkey revocations).
 */
[[nodiscard]] std::vector<std::uint32_t> chk_self_sigs_keyexpired(const cert::Cert& c, std::uint32_t now,
                                                                     cert::VerifiedSignatures* verified = nullptr);

}  // namespace pgpkit::keyring::internal
