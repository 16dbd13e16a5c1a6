#pragma once
// Secret-key unprotection for every scheme OpenPGP has used (RFC 9580 section 5.5.3,
// RFC 4880 section 5.5.3): S2K usage 0, 253 (AEAD: EAX, OCB, GCM), 254 (CFB, SHA-1 check),
// 255 (CFB, checksum) and the legacy cipher octet (simple MD5 S2K), v3 keys with their
// per-MPI CFB resynchronisation, and GnuPG's key stubs (S2K 101). The cleartext secret
// fields are returned only in wiping memory.

#include <cstdint>
#include <string_view>
#include <vector>

#include "base/secret.h"
#include "cert/cert.h"
#include "packet/fields.h"
#include "packet/key.h"

namespace pgpkit::cert {

/** One cleartext secret field, named as packet/'s schema names it. */
struct SecretField {
    std::string_view name;                            ///< static name: "d", "p", "x", "secret", ...
    packet::FieldKind kind = packet::FieldKind::Mpi;  ///< how the field is written
    SecretBytes value;                        ///< the value octets, without length prefix
    bool operator==(const SecretField&) const = default;
};

/** The cleartext secret fields of one key, in the algorithm's order. */
struct SecretFields {
    std::vector<SecretField> fields;

    /** The field named `name`, or nullptr. */
    [[nodiscard]] const SecretField* find(std::string_view name) const noexcept;
    bool operator==(const SecretFields&) const = default;
};

/** What the secret part of a key packet holds, before any passphrase is tried. */
enum class SecretKind : std::uint8_t {
    None,          ///< no secret part (a public key), or one of an unknown algorithm kept opaque
    Cleartext,     ///< S2K usage 0
    Encrypted,     ///< usage 253, 254, 255 or a legacy cipher octet
    GnuDummy,      ///< GNU S2K extension 1001: a key stub without secret material
    DivertToCard,  ///< GNU S2K extension 1002: the secret key lives on a smartcard
    UnknownStub,   ///< another GNU S2K extension mode
};

/** Classifies the secret part of `key` (never throws, decrypts nothing). */
[[nodiscard]] SecretKind secret_kind(const packet::Key& key) noexcept;

/** Bounds on the work one unprotect call may do for an input-controlled S2K specifier. */
struct UnprotectLimits {
    /**
     * Largest Argon2 memory accepted, as log2 of KiB. 21 (2 GiB) is RFC 9580's first
     * recommendation (section 3.7.1.4) and what its sample key A.5 uses.
     */
    std::uint8_t max_argon2_log2_kib = 21;
    /**
     * Largest Argon2 work accepted: passes times KiB of memory. 2^23 admits both RFC 9580
     * recommendations (1 pass over 2 GiB, 3 passes over 64 MiB) and refuses 255 passes
     * over 2 GiB, which a hostile key could ask for.
     */
    std::uint64_t max_argon2_pass_kib = std::uint64_t{1} << 23;
};

/**
 * The cleartext secret fields of `key`, a secret key packet of type `tag` (SecretKey or
 * SecretSubkey; usage 253 binds the type into the key derivation and the associated data).
 * A cleartext key (usage 0) is returned after its checksum is checked; `passphrase` is then
 * not used.
 *
 * Errors, each with a detail naming the key ID:
 * - Errc::BadPassphrase "wrong passphrase for key <KEYID>" (SHA-1 check, AEAD tag, or the
 *   two-octet checksum of usage 255 and legacy keys fails: with those a wrong passphrase and
 *   corrupt data look alike, the detail says so);
 * - Errc::Usage "key stub without secret material (gnu-dummy)", "secret key on card
 *   <SERIAL>", "unsupported protection: ..." (cipher, AEAD mode, S2K type or hash pgpkit
 *   lacks), "not a secret key" (secret_kind() tells these apart without parsing messages);
 * - Errc::BadField "secret material corrupt: ..." (usage 0 checksum mismatch, fields that
 *   do not parse although the check value matched, an IV or nonce of the wrong size, a
 *   scheme RFC 9580 forbids such as Argon2 outside usage 253);
 * - Errc::Truncated for encrypted data too short to hold its check value;
 * - Errc::LimitExceeded for Argon2 memory or work above `limits` (checked before any work).
 */
[[nodiscard]] SecretFields unprotect(const packet::Key& key, packet::Tag tag, const SecretBytes& passphrase,
                                     const UnprotectLimits& limits = {});

/**
 * The key the S2K specifier of `key` derives from `passphrase` (for the legacy cipher
 * octet: simple MD5), of the cipher's key size. Lets a caller derive once and try it, and
 * lets tests use published S2K outputs. Same errors as unprotect, no BadPassphrase.
 */
[[nodiscard]] SecretBytes derive_s2k_key(const packet::Key& key, const SecretBytes& passphrase,
                                                 const UnprotectLimits& limits = {});

/** As unprotect, from the S2K output (what derive_s2k_key returns) instead of the passphrase. */
[[nodiscard]] SecretFields unprotect_with_s2k_key(const packet::Key& key, packet::Tag tag,
                                                  const SecretBytes& s2k_key);

/**
 * Writes a transferable secret key back exactly as it was read (as write_cert does), into
 * wiping memory: no plain buffer ever holds its secret fields.
 */
[[nodiscard]] SecretBytes write_tsk(const Tsk& tsk);

}  // namespace pgpkit::cert
