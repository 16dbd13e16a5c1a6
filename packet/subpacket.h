#pragma once
// Signature subpackets (RFC 9580 section 5.2.3.7) and user attribute subpackets
// (section 5.12), which share one framing: a length, a type octet, a body.

#include <cstdint>
#include <vector>

#include "packet/byte_reader.h"
#include "packet/byte_writer.h"
#include "packet/header.h"
#include "packet/names.h"

namespace pgpkit::packet {

/** One subpacket as written: length form, type octet (critical bit included) and body. */
struct Subpacket {
    LengthForm len_form = LengthForm::OneOctet;  ///< OneOctet, TwoOctet or FiveOctet
    std::uint8_t type_octet = 0;
    Bytes body;
    bool operator==(const Subpacket&) const = default;

    /** The type without the critical bit, as a signature subpacket type. */
    SubpacketType type() const noexcept { return static_cast<SubpacketType>(type_octet & 0x7F); }
    /** The type without the critical bit, as a user attribute subpacket type. */
    UserAttributeType attribute_type() const noexcept { return static_cast<UserAttributeType>(type_octet & 0x7F); }
    bool critical() const noexcept { return (type_octet & 0x80) != 0; }
    /** True if the length used more octets than needed (a finding, still valid). */
    bool non_minimal_length() const noexcept;
};

using Subpackets = std::vector<Subpacket>;

/**
 * Splits a subpacket area into subpackets. A zero length or a length past the end of the
 * area throws Error(Errc::BadLength) with the offset of the subpacket. At most
 * `max_count` subpackets are accepted (Errc::LimitExceeded beyond).
 */
Subpackets parse_subpackets(ByteReader& area, std::size_t max_count);
void write_subpackets(const Subpackets& s, ByteWriter& out);
std::size_t subpackets_size(const Subpackets& s) noexcept;

}  // namespace pgpkit::packet
