#pragma once
// Reading OpenPGP input whatever its encoding: binary or ASCII-armored (detected by
// content), several armored blocks in turn, through the packet parser.

#include <functional>
#include <string>
#include <utility>
#include <vector>

#include "packet/parser.h"

namespace pgpkit::armor {

/** One step of a streamed read: an armor block starts, a packet starts, a container ends. */
struct InputEvent {
    enum Kind { Armor, PacketStart, ContainerEnd } kind = PacketStart;
    packet::Packet* packet = nullptr;  ///< the handler may move from it
    bool opens_container = false;
    std::string armor_label;
    std::vector<std::pair<std::string, std::string>> armor_headers;
};

/**
 * Parses `input` (a file, standard input, or memory) in streaming fashion and calls `fn`
 * for every event. Binary OpenPGP starts with a CTB (bit 7 set); anything else is read as
 * ASCII armor, each block in turn. Malformed packets are reported to `fn` as opaque
 * packets first; then, unless `raise_malformed` is false (the caller looks at the
 * findings itself), the first malformed packet's error is thrown.
 * @throws Error from the parser, the dearmorer or `fn`.
 */
void for_each_packet(packet::Source& input, const packet::ParseOptions& opt,
                     const std::function<void(const InputEvent&)>& fn, bool raise_malformed = true);

/**
 * The top-level packets of `input` (binary, or every armored block in turn) with their
 * bodies kept, as write_packet needs them (packets inside containers stay in their
 * container's payload). @throws Error as for_each_packet does.
 */
[[nodiscard]] std::vector<packet::Packet> read_top_level(packet::Source& input, packet::ParseOptions opt = {});

}  // namespace pgpkit::armor
