#pragma once
// Algorithm-specific fields of keys, signatures and session keys (RFC 9580 sections
// 5.1, 5.2.3, 5.5.5, 5.5.6): MPIs, length-prefixed octet strings and fixed-size values.

#include <cstdint>
#include <string_view>
#include <vector>

#include "base/secret.h"
#include "packet/byte_reader.h"
#include "packet/byte_writer.h"
#include "packet/names.h"

namespace pgpkit::packet {

enum class FieldKind : std::uint8_t {
    Mpi,     ///< two-octet bit count + octets (RFC 9580 section 3.2)
    Sized8,  ///< one-octet length + octets (curve OIDs, KDF parameters, wrapped keys)
    Fixed,   ///< a fixed number of octets (X25519, Ed25519, ...)
    Rest,    ///< everything left: unknown algorithm or unparseable remainder, kept opaque
};

/** Bits of an MPI value without its leading zero bits. */
std::uint16_t effective_bits_of(ByteView value) noexcept;

/**
 * One algorithm-specific field, kept exactly as on the wire. `Storage` holds the value
 * octets: Bytes for public values, SecretBytes for the secret fields of a key.
 */
template <class Storage>
struct BasicAlgoField {
    std::string_view name;          ///< static name, e.g. "n", "oid", "kdf"
    FieldKind kind = FieldKind::Rest;
    std::uint16_t mpi_bits = 0;     ///< Mpi: the bit count as written
    Storage data;                   ///< the value octets, without length prefix
    bool operator==(const BasicAlgoField&) const = default;

    /** Bits of the value without leading zero bits (what the bit count should say). */
    std::uint16_t effective_bits() const noexcept { return effective_bits_of(data); }
};

/** A public field (key, signature, PKESK). */
using AlgoField = BasicAlgoField<Bytes>;
using AlgoFields = std::vector<AlgoField>;
/** A cleartext secret field of a key: its octets live in wiping memory only. */
using SecretAlgoField = BasicAlgoField<SecretBytes>;
using SecretAlgoFields = std::vector<SecretAlgoField>;

/** Which set of fields to read. */
enum class FieldSet : std::uint8_t { PublicKey, SecretKey, Signature, Pkesk };

/**
 * Reads the fields `set` defines for `algo`, until `in` is exhausted for the last field.
 * An algorithm without a schema yields one Rest field holding the remaining octets.
 * Throws Error(Errc::Truncated) if a field runs past the end.
 */
AlgoFields parse_fields(FieldSet set, PubkeyAlgo algo, ByteReader& in);
/**
 * The cleartext secret fields of `algo` (FieldSet::SecretKey), copied from `in` straight
 * into wiping memory. Same rules and errors as parse_fields.
 */
SecretAlgoFields parse_secret_fields(PubkeyAlgo algo, ByteReader& in);
/** True if pgpkit knows the field layout of `algo` for `set`. */
bool has_schema(FieldSet set, PubkeyAlgo algo) noexcept;
void write_fields(const AlgoFields& fields, ByteWriter& out);
/** Writes secret fields; give `out` a SecretBytes target to keep them out of plain memory. */
void write_fields(const SecretAlgoFields& fields, ByteWriter& out);
std::size_t fields_size(const AlgoFields& fields) noexcept;
std::size_t fields_size(const SecretAlgoFields& fields) noexcept;

/** For ECC keys: the curve name from the "oid" field, or "" if there is none. */
std::string_view curve_of(const AlgoFields& fields) noexcept;
/** Size in bits of the key ("n" or "p" bits, or the curve's size), 0 if unknown. */
unsigned key_bits(PubkeyAlgo algo, const AlgoFields& fields) noexcept;

}  // namespace pgpkit::packet
