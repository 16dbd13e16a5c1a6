#pragma once
// Revocation certificates (RFC 9580 section 5.2.1.11, key revocation 0x20): made with the
// key's own secret primary, or by a designated revoker (section 5.2.3.23) for another
// key; and the text of a revocation-certificate file as gpg keeps them in
// openpgp-revocs.d: a few lines of explanation, then armor whose first line is guarded
// by a colon so that the file is not imported by accident.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "base/bytes.h"
#include "base/secret.h"
#include "cert/cert.h"
#include "crypto/rng.h"
#include "keygen/material.h"

namespace pgpkit::keygen {

/** Reason for revocation codes of key revocations (RFC 9580 section 5.2.3.31). */
enum class RevocationReason : std::uint8_t { Unspecified = 0, Superseded = 1, Compromised = 2, Retired = 3 };

/** "unspecified", "superseded", "compromised", "retired" (as --reason takes them). */
[[nodiscard]] std::optional<RevocationReason> revocation_reason(std::string_view name) noexcept;

struct RevocationRequest {
    RevocationReason reason = RevocationReason::Unspecified;
    std::string comment;  ///< UTF-8, may be empty
    std::uint32_t now = 0;
};

/**
 * The signature packet (binary, new CTB) of a key revocation of `target`, signed by
 * `signer`: the target's own primary key, or a designated revoker's key. v4 (v6 for a v6
 * signer) with issuer fingerprint, creation time and the reason hashed.
 * @throws Error(Errc::Crypto) if the signature cannot be made.
 */
[[nodiscard]] Bytes key_revocation(const KeyMaterial& signer, const packet::Key& target, const RevocationRequest& req,
                                   crypto::Rng& rng);

/**
 * The revocation certificate of `tsk`'s primary key, made with its secret part, unlocked
 * with `passphrase` when protected.
 * @throws Error(Errc::Usage) when the primary's secret is not there (a stub, on a card) or
 * a passphrase is needed and not given; what cert::unprotect throws (Errc::BadPassphrase).
 */
[[nodiscard]] Bytes revoke_primary(const cert::Tsk& tsk, const std::optional<SecretBytes>& passphrase,
                                   const RevocationRequest& req, crypto::Rng& rng);

/**
 * gpg's --desig-revoke: a revocation of `target` made by `revoker`, a key that a
 * direct-key signature of `target` names as designated revoker (by its primary key's
 * fingerprint). As gpg writes it, the result carries what a recipient needs to attach
 * it: `target`'s primary key packet, the revocation, the direct-key signatures that name
 * the revoker, and the first user ID with its self-signatures (gpg imports no key
 * without a user ID).
 * @throws Error(Errc::Usage) when no direct-key signature of `target` names `revoker`,
 * and as revoke_primary() for the revoker's secret key.
 */
[[nodiscard]] Bytes designated_revocation(const cert::Cert& target, const cert::Tsk& revoker,
                                          const std::optional<SecretBytes>& passphrase, const RevocationRequest& req,
                                          crypto::Rng& rng);

/** True if a direct-key signature of `target` names `fingerprint` as designated revoker. */
[[nodiscard]] bool names_revoker(const cert::Cert& target, ByteView fingerprint);

/**
 * A revocation certificate as text: armor (PUBLIC KEY BLOCK with the comment "This is a
 * revocation certificate"). With `guarded`, it follows lines that say what the file is,
 * naming the key by `key_lines` (e.g. its listing), and the armor's first line starts with
 * a colon, as gpg writes openpgp-revocs.d/FPR.rev: remove the colon to import it.
 */
[[nodiscard]] std::string revocation_text(ByteView signature_packet, std::string_view key_lines, bool guarded);

/** The lines that name `c` in a guarded file: its fingerprint and user IDs (control characters as '?'). */
[[nodiscard]] std::string revocation_key_lines(const cert::Cert& c);

}  // namespace pgpkit::keygen
