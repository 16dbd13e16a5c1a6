#pragma once
// Re-encoding the framing of packets (`pgpkit reframe`, issue 15): another CTB format or
// length form, every body octet kept. A form RFC 9580 forbids for a packet (partial
// lengths on a key, a first partial chunk under 512 octets, an indeterminate length before
// the last packet) is refused with the packet's index unless allow_invalid asks for it,
// for negative test vectors; a form that cannot carry the packet at all (an old CTB for a
// tag above 15, a one-octet length for 300 octets) is refused always.

#include <cstdint>
#include <optional>
#include <string_view>
#include <utility>
#include <vector>

#include "base/secret.h"
#include "packet/header.h"
#include "packet/packet.h"

namespace pgpkit::packet {

/** The length forms reframe writes; Keep leaves each packet's own. */
enum class ReframeLength : std::uint8_t {
    Keep, Minimal, One, Two, Four, Five, Partial, PartialRandom, Indeterminate, GnupgChunked,
};

struct ReframeOptions {
    std::optional<CtbFormat> ctb;  ///< nullopt: each packet's own
    ReframeLength length = ReframeLength::Keep;
    /** Partial: the size of every chunk but the last (a power of two, 1 to 2^30); GnupgChunked:
        the size of every chunk but the last (1 to 65534). */
    std::uint32_t chunk = 0;
    std::uint64_t seed = 0;  ///< PartialRandom: the chunk sizes' generator
    /** Indexes (as `dump` numbers top-level packets, from 0) to reframe, as inclusive
        ranges; empty: every packet. The others are written as they came. */
    std::vector<std::pair<std::size_t, std::size_t>> packets;
    bool allow_invalid = false;
};

/**
 * Reads a --length value: minimal, one, two, four, five, partial:N, partial:random:SEED,
 * indeterminate, gnupg-chunked or gnupg-chunked:N. @throws Error(Errc::Usage) otherwise.
 */
void parse_length_spec(std::string_view spec, ReframeOptions& opt);

/** Reads a --packets value ("3", "0-4,7"). @throws Error(Errc::Usage) otherwise. */
[[nodiscard]] std::vector<std::pair<std::size_t, std::size_t>> parse_packet_ranges(std::string_view spec);

/**
 * The header packet `p` (top-level packet number `index` of `count`) gets. @throws
 * Error(Errc::Usage) naming the packet when the form cannot carry it or is forbidden.
 */
[[nodiscard]] Header reframed_header(const Packet& p, std::uint64_t body_length, std::size_t index, std::size_t count,
                                     const ReframeOptions& opt);

/** The packets written again with reframed headers (wiping memory: they may be secret keys). */
[[nodiscard]] SecretBytes reframe(const std::vector<Packet>& packets, const ReframeOptions& opt);

}  // namespace pgpkit::packet
