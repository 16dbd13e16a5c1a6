#pragma once
// Making data signatures, RFC 9580 sections 5.2, 5.4, 5.9 and 7: inline signed messages
// (one-pass signatures, literal data, signatures), detached signatures and cleartext
// signed messages, as gpg 2.2 writes them; and the choice of the signing key and hash.

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "base/bytes.h"
#include "base/secret.h"
#include "base/status.h"
#include "cert/cert.h"
#include "crypto/rng.h"
#include "keygen/material.h"
#include "packet/names.h"
#include "packet/source.h"

namespace pgpkit::message {

/** A key ready to sign: its decoded secret material and the hash to sign with. */
struct SigningKey {
    keygen::KeyMaterial material;
    Bytes primary_fpr;
    packet::HashAlgo hash = packet::HashAlgo::Sha256;
};

/**
 * gpg's choice of the key of `tsk` that signs at `now`: the newest valid signing subkey
 * with a good back-signature and a secret part, else the primary key if it may sign. It
 * is unlocked with `passphrase` (not needed for an unprotected key). The hash is gpg 2.2's
 * choice: SHA-256 for legacy EdDSA; for DSA and ECDSA the smallest that fits q (at least
 * SHA-256); else the first of the key's preferences (its primary user ID's self-signature)
 * that pgpkit has, of 256 bits or more, and SHA-256 without one.
 * @throws Error(Errc::Usage) when no key of `tsk` can sign (naming the key), for a missing
 * passphrase, and what unprotect throws (Errc::BadPassphrase for a wrong one).
 */
[[nodiscard]] SigningKey signing_key(const cert::Tsk& tsk, std::uint32_t now,
                                     const std::optional<SecretBytes>& passphrase);

/** True if some key of `tsk` with a secret part may sign at `now` (no passphrase tried). */
[[nodiscard]] bool can_sign(const cert::Tsk& tsk, std::uint32_t now);

enum class SignMode : std::uint8_t { Inline, Detached, Cleartext };

struct SignOptions {
    SignMode mode = SignMode::Inline;
    bool armor = false;
    /** Text signatures (0x01) and literal format 't'; cleartext signatures are always text. */
    bool text = false;
    std::uint32_t now = 0;
    /** The literal data packet's file name and date (inline). */
    std::string filename;
    std::uint32_t literal_date = 0;
    /** BEGIN_SIGNING and SIG_CREATED, as gpg writes them. */
    StatusSink status;
};

/**
 * Signs the data of `data` with each of `keys` and writes the result to `out` as it is
 * made: inline and detached forms in constant memory (the data is read once; the literal
 * data is written in partial-length chunks), a cleartext message after reading the data.
 * v4 signatures (v6 for v6 keys) with the issuer fingerprint and creation time hashed
 * and, for v4, the issuer key ID unhashed.
 * @throws Error(Errc::Usage) with no key, Errc::Crypto if a signature cannot be made.
 */
void sign(packet::Source& data, const std::vector<SigningKey>& keys, const SignOptions& opt, crypto::Rng& rng,
          const std::function<void(ByteView)>& out);

}  // namespace pgpkit::message
