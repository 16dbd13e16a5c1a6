#pragma once
// The parts every signature pgpkit makes with a secret key shares: subpackets, the
// version, salt, issuer and creation time of the signer's key version, and the signing
// of a digest. Self-signatures of new keys (generate.cpp) and revocations (revoke.cpp)
// are built from them.

#include <cstdint>

#include "base/bytes.h"
#include "crypto/rng.h"
#include "keygen/material.h"
#include "packet/names.h"
#include "packet/signature.h"

namespace pgpkit::keygen {

/** A subpacket with the shortest length form, not critical. */
[[nodiscard]] packet::Subpacket subpacket(packet::SubpacketType type, Bytes body);

/** Four octets, big-endian. */
[[nodiscard]] Bytes be32(std::uint32_t v);

/** v6 salt size by hash, RFC 9580 section 9.5. */
[[nodiscard]] std::size_t salt_size(packet::HashAlgo hash_algo) noexcept;

/**
 * A signature of the signer's key version (v4; LibrePGP v5; v6 with a random salt, RFC 9580
 * section 5.2.3) with issuer fingerprint and creation time first.
 */
[[nodiscard]] packet::Signature start_signature(const KeyMaterial& signer, packet::SigType type, std::uint32_t created,
                                                crypto::Rng& rng);

/** Adds the unhashed issuer key ID (v4 only), the left 16 bits and the signature values. */
void finish_signature(packet::Signature& s, const KeyMaterial& signer, const Bytes& digest, crypto::Rng& rng);

/** The body of a signature packet. */
[[nodiscard]] Bytes signature_body(const packet::Signature& s);

}  // namespace pgpkit::keygen
