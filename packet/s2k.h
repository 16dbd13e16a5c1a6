#pragma once
// String-to-key specifiers, RFC 9580 section 3.7, and GnuPG's extension 101.

#include <cstdint>

#include "packet/byte_reader.h"
#include "packet/byte_writer.h"
#include "packet/names.h"

namespace pgpkit::packet {

enum class S2kType : std::uint8_t { Simple = 0, Salted = 1, IteratedSalted = 3, Argon2 = 4, Gnu = 101 };

/** GnuPG extension modes, stored as the wire octet (mode - 1000). */
enum class GnuS2kMode : std::uint8_t { Dummy = 1, DivertToCard = 2 };

/** A string-to-key specifier as written on the wire. */
struct S2k {
    S2kType type = S2kType::Simple;
    HashAlgo hash_algo{};           ///< types 0, 1, 3 and 101
    Bytes salt;                     ///< 8 octets (1, 3) or 16 (Argon2)
    std::uint8_t coded_count = 0;   ///< type 3
    std::uint8_t argon2_t = 0, argon2_p = 0, argon2_m = 0;  ///< type 4: passes, lanes, log2(KiB)
    Bytes gnu_magic;                ///< type 101: "GNU" as written
    std::uint8_t gnu_mode = 0;      ///< type 101: 1 = gnu-dummy (1001), 2 = divert-to-card (1002)
    Bytes card_serial;              ///< divert-to-card: the card's serial number
    bool has_serial = false;        ///< divert-to-card: a serial length octet was present
    Bytes unknown;                  ///< unknown type: the specifier body kept opaque
    bool operator==(const S2k&) const = default;

    bool is_gnu() const noexcept { return type == S2kType::Gnu; }
    /** Decoded iteration count of type 3 (RFC 9580 section 3.7.1.3). */
    std::uint32_t iterations() const noexcept;
};

/** True if the S2K type's length is known (so data after it can be parsed). */
bool s2k_type_known(S2kType type) noexcept;

/**
 * Reads one specifier. An unknown type takes the rest of the reader: callers that know the
 * specifier's length (v6 keys and SKESK) pass a reader bounded to it.
 */
S2k parse_s2k(ByteReader& in);
void write_s2k(const S2k& s, ByteWriter& out);
std::size_t s2k_size(const S2k& s) noexcept;
const char* s2k_type_name(S2kType type) noexcept;

}  // namespace pgpkit::packet
