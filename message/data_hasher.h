#pragma once
// Incremental hashing of signed data (RFC 9580 section 5.2.4): binary signatures hash the
// octets as they are, text signatures with every line end made CR LF, streamed in pieces
// of any size so a message of any length is hashed in constant memory.

#include <cstdint>

#include "base/bytes.h"
#include "crypto/hash.h"
#include "packet/names.h"
#include "packet/signature.h"

namespace pgpkit::message {

/** Hashes the data of one data signature as it streams past. */
class DataHasher {
public:
    /**
     * A hasher for a signature of `type` (Binary or Text; other types hash no data) with
     * `hash_algo`; a v6 signature's `salt` is hashed first.
     * @throws Error(Errc::Usage) for a hash algorithm pgpkit does not have.
     */
    DataHasher(packet::HashAlgo hash_algo, packet::SigType type, ByteView salt);
    /** Hashes the next piece of the signed data. */
    void update(ByteView data);
    /** The digest: the data hashed so far, then the trailer of `sig` (signature_trailer). */
    [[nodiscard]] Bytes finish(const packet::Signature& sig);

private:
    crypto::Hasher m_hash;
    packet::SigType m_type;
    bool m_after_cr = false;  ///< the last octet hashed was CR (a CR LF split over two pieces)
};

/** True if pgpkit can hash with `hash_algo`. */
[[nodiscard]] bool hash_supported(packet::HashAlgo hash_algo) noexcept;

}  // namespace pgpkit::message
