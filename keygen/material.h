#pragma once
// Key material for one key of a block: the crypto/ key pair and its OpenPGP v4 key packet
// (public fields and cleartext secret fields, RFC 9580 sections 5.5.5 and 5.5.6).

#include <cstdint>
#include <optional>
#include <vector>

#include "cert/secret_key.h"
#include "crypto/pk.h"
#include "keygen/params.h"
#include "packet/key.h"

namespace pgpkit::keygen {

/** A freshly generated key: what signs (crypto/) and what is written (packet/). */
struct KeyMaterial {
    Algo algo = Algo::Rsa;
    std::optional<crypto::RsaKey> rsa;
    std::optional<crypto::DlKey> dl;
    std::optional<crypto::EcKey> ec;
    packet::Key key;  ///< version 4, 5 or 6, public fields, secret fields in cleartext (usage 0)

    KeyMaterial() = default;
    KeyMaterial(const KeyMaterial&) = delete;
    KeyMaterial& operator=(const KeyMaterial&) = delete;
    KeyMaterial(KeyMaterial&&) = default;
    KeyMaterial& operator=(KeyMaterial&&) = default;
    /** The cleartext secret fields and key pairs are in wiping memory; their destructors wipe them. */
    ~KeyMaterial();
};

/** Curve OID body (RFC 9580 section 9.2) of a curve. */
[[nodiscard]] std::vector<std::uint8_t> curve_oid(crypto::Curve c);

/**
 * Generates a key of `algo` (`bits` for RSA/DSA/Elgamal, `curve` for ECC) as a `version` 4,
 * 5 (LibrePGP: v4 fields with a four-octet material length) or 6 key created at `created`. In v6 keys Ed25519 and Cv25519 use the RFC 9580 algorithms
 * Ed25519 (27) and X25519 (25) with native fields instead of the legacy EdDSA/ECDH forms.
 * @throws Error(Errc::Usage) for an impossible combination (DSA or Elgamal in v6).
 */
[[nodiscard]] KeyMaterial generate_material(Algo algo, unsigned bits, std::optional<crypto::Curve> curve,
                                            std::uint32_t created, std::uint8_t version, crypto::Rng& rng,
                                            crypto::ProgressSink* sink);

/** keygen's Algo of an OpenPGP public-key algorithm number (RSA 1-3, Elgamal 16/20, 25/27 native). */
[[nodiscard]] std::optional<Algo> keygen_algo(packet::PubkeyAlgo packet_algo) noexcept;

/**
 * Existing key material (Key-Grip): the public fields of `stored` with its cleartext
 * `secret` fields, written as a new `version` key created at `created` (the fingerprint
 * changes with the creation time, as with GnuPG's Key-Grip).
 * @throws Error(Errc::Usage) for an unsupported algorithm, curve or version combination.
 */
[[nodiscard]] KeyMaterial material_from_key(const packet::Key& stored, const cert::SecretFields& secret,
                                            std::uint32_t created, std::uint8_t version);

/** Hash algorithm keygen signs with for this key (SHA-256, or larger for big curves). */
[[nodiscard]] packet::HashAlgo signing_hash(const KeyMaterial& m) noexcept;

/** Signs `digest` and returns the signature's algorithm fields. @throws Error(Errc::Usage) if the key cannot sign. */
[[nodiscard]] packet::AlgoFields sign_digest(const KeyMaterial& m, packet::HashAlgo hash_algo, ByteView digest,
                                             crypto::Rng& rng);

/** MPI field from a big-endian integer (leading zeros dropped, bit count exact). */
[[nodiscard]] packet::AlgoField make_mpi(std::string_view name, std::span<const std::uint8_t> value);
/** The same for a secret value: the field's octets are in wiping memory only. */
[[nodiscard]] packet::SecretAlgoField make_secret_mpi(std::string_view name, std::span<const std::uint8_t> value);

}  // namespace pgpkit::keygen
