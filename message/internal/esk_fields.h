#pragma once
// Decoding the key fields that session-key encryption needs (message/ only).

#include <optional>
#include <string_view>

#include "base/secret.h"
#include "cert/secret_key.h"
#include "crypto/pk.h"
#include "packet/fields.h"
#include "packet/key.h"

namespace pgpkit::message::internal {

/** The field named `name`, or nullptr. */
const packet::AlgoField* field(const packet::AlgoFields& fields, std::string_view name) noexcept;

bool is_rsa(packet::PubkeyAlgo a) noexcept;

std::optional<crypto::RsaKey> rsa_public(const packet::Key& key);
std::optional<crypto::RsaKey> rsa_secret(const packet::Key& key, const cert::SecretFields& secret);
std::optional<crypto::DlKey> elgamal_public(const packet::Key& key);

struct EcdhPublic {
    crypto::EcKey key;       ///< curve and point
    Bytes oid;               ///< the curve OID as in the key
    Bytes kdf;               ///< the KDF parameter field (01, hash, cipher)
    packet::HashAlgo hash{};
    packet::SymAlgo kek_algo{};
};
/** An ECDH key on a curve pgpkit knows, with KDF parameters it supports. */
std::optional<EcdhPublic> ecdh_public(const packet::Key& key);

/** The key-encryption key of RFC 9580 section 13.5 (RFC 6637 KDF) for shared secret `z`. */
SecretBytes ecdh_kek(const packet::Key& key, const EcdhPublic& k, const SecretBytes& z);

}  // namespace pgpkit::message::internal
