#pragma once
// The data a signature over keys and user IDs hashes, RFC 9580 section 5.2.4: key
// material, user IDs, and the signature trailer, for v4, v5 (LibrePGP) and v6 signatures.

#include <cstdint>
#include <optional>

#include "crypto/hash.h"
#include "base/bytes.h"
#include "packet/key.h"
#include "packet/signature.h"

namespace pgpkit::packet {

/** The hash function of a signature's hash algorithm octet, or nullopt if unsupported. */
std::optional<crypto::HashKind> hash_kind(HashAlgo hash_algo) noexcept;

/**
 * Digest of a certification over `key` and `user_id` (types 0x10-0x13, 0x30), or over a
 * user attribute's subpacket octets when `attribute` (framed with 0xD1 instead of 0xB4).
 * v2/v3 signatures hash the user ID without a header and end with type and creation time.
 * A v6 signature hashes its salt first; v6 keys are framed with 0x9B and a four-octet
 * length, v5 keys with 0x9A and four octets, v4 keys with 0x99 and two octets; v5
 * signatures end their trailer with an eight-octet length; the user ID with 0xB4 and four octets.
 * @throws Error(Errc::Usage) for an unsupported hash algorithm or signature version.
 */
[[nodiscard]] Bytes certification_digest(const Signature& sig, const Key& key, ByteView user_id,
                                         bool attribute = false);

/** Digest of a subkey binding (0x18), primary key binding (0x19) or subkey revocation (0x28). */
[[nodiscard]] Bytes subkey_binding_digest(const Signature& sig, const Key& primary, const Key& subkey);

/** Digest of a direct-key signature (0x1F) or key revocation (0x20). */
[[nodiscard]] Bytes direct_key_digest(const Signature& sig, const Key& key);

/**
 * Digest of a data signature: binary (0x00) over `data`, text (0x01) over `data` with line
 * ends made CR LF (RFC 9580 section 5.2.1.2), standalone (0x02) and timestamp (0x40) over
 * nothing but the signature's own trailer.
 */
[[nodiscard]] Bytes data_digest(const Signature& sig, ByteView data);

/** The octets hashed after the signed data: hashed part of the signature and final trailer. */
[[nodiscard]] Bytes signature_trailer(const Signature& sig);

}  // namespace pgpkit::packet
