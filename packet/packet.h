#pragma once
// A parsed packet: header, typed body, findings (HOUSE-STYLE rule 7).

#include <cstdint>
#include <string>
#include <variant>
#include <vector>

#include "packet/header.h"
#include "packet/key.h"
#include "packet/session_key.h"
#include "packet/signature.h"
#include "packet/simple_packets.h"

namespace pgpkit::packet {

/**
 * Marks the end of a container's nested packets in a streamed parse; carries the
 * container's header as completed by reading its body (chunk sizes, total length).
 */
struct EndOfContainer {
    std::size_t container_index = 0;
    bool operator==(const EndOfContainer&) const = default;
};

using Body = std::variant<Opaque, Pkesk, Signature, Skesk, OnePassSig, Key, Compressed, Sed, Marker,
                          Literal, Trust, UserId, UserAttribute, Seipd, Mdc, OcbEncrypted, Padding,
                          EndOfContainer>;

/**
 * Input that is readable but not conformant (RFC 9580 section 4.2.1 and friends): a
 * named finding, shown by dump, made an error by --strict.
 */
struct Finding {
    std::string name;    ///< stable identifier, e.g. "non-minimal-length"
    std::uint64_t offset = 0;
    std::string detail;
    bool operator==(const Finding&) const = default;
};

struct Packet {
    std::size_t index = 0;   ///< document order, nested packets included
    std::uint64_t offset = 0;  ///< of the CTB, in the stream the packet was read from
    unsigned depth = 0;      ///< 0 top level; n inside n compressed containers
    Header header;
    Body body;
    std::vector<Finding> findings;
    std::vector<Packet> children;  ///< parse_all: packets inside a compressed container
    bool operator==(const Packet&) const = default;

    Tag tag() const noexcept { return header.tag; }
    template <class T> const T* get() const noexcept { return std::get_if<T>(&body); }
};

/** Serializes the body of a packet (kept payloads included). */
Bytes write_body(const Body& body);
/**
 * Writes the packet exactly as it was encoded: CTB format, length form, chunking.
 * write(parse(x)) == x for every input that parses with ParseOptions::keep_data.
 * Throws Error(Errc::Usage) if a payload was not kept.
 */
void write_packet(const Packet& p, Bytes& out);
/** Writes a sequence (children of containers are inside their payload). */
Bytes write_packets(const std::vector<Packet>& packets);
/** New-format header with the shortest length (partial chunks above 2^32-1 octets). */
void write_packet_canonical(const Packet& p, Bytes& out);
Bytes write_packets_canonical(const std::vector<Packet>& packets);
/**
 * As write_packets and write_packets_canonical, into wiping memory: for sequences that hold
 * secret key packets, so that no plain buffer (not even an intermediate body or a buffer
 * the output outgrew) ever holds their secret material.
 */
SecretBytes write_packets_secret(const std::vector<Packet>& packets);
/** write_packet into wiping memory. */
void write_packet(const Packet& p, SecretBytes& out);
SecretBytes write_packets_canonical_secret(const std::vector<Packet>& packets);

}  // namespace pgpkit::packet
