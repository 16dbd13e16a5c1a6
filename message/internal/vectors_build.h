#pragma once
// Pieces the groups of the vector suite share (message/vectors*.cpp only).

#include <cstdint>
#include <string>
#include <vector>

#include "crypto/rng.h"
#include "message/vectors.h"
#include "packet/header.h"
#include "packet/packet.h"

namespace pgpkit::message::internal {

/** A file of the suite; its data is a copy of `data`. */
[[nodiscard]] VectorFile vector_file(std::string name, VectorGroup g, std::string holds, bool accept, ByteView data,
                                     std::string packets);

/** A Literal Data body (format 'b', file name "v", vectors_time) of exactly `total` octets (at least 6). */
[[nodiscard]] Bytes literal_body(std::uint64_t total, std::uint8_t fill = 'x');

/** A kept Literal Data packet over `body` with the header `h` (tag, format, form, chunks set by the caller). */
[[nodiscard]] packet::Packet literal_packet(const packet::Header& h, const Bytes& body);

/** A Compressed Data packet (canonical header) of `algo` around the packets `inner`. */
[[nodiscard]] Bytes compressed_packet(packet::CompressionAlgo algo, const Bytes& inner);

/** The bytes of `p` as its header says (write_packet). */
[[nodiscard]] Bytes written(const packet::Packet& p);

/**
 * Key IDs and fingerprints of the key packets of `keyblock` (binary, canonical), computed
 * here from each key packet's public body (RFC 9580 section 5.5.4; v3 RSA per RFC 4880
 * section 12.2), not by the packet parser, so that the manifest checks the parser.
 */
void key_identities(ByteView keyblock, VectorFile& f);

/** The independent identity of one public key body (`version` is its first octet). */
void body_identity(ByteView public_body, std::string& keyid, std::string& fingerprint);

/** The groups. Each draws on its own fork of the suite's generator. */
void add_key_vectors(crypto::Rng& rng, std::vector<VectorFile>& out);
void add_framing_vectors(std::vector<VectorFile>& out);
void add_legacy_vectors(crypto::Rng& rng, std::vector<VectorFile>& out);
void add_negative_vectors(crypto::Rng& rng, std::vector<VectorFile>& out);

/** The known peer deviations of `f` (vectors_deviations.cpp), filled in last. */
[[nodiscard]] std::string known_deviations(const VectorFile& f);

}  // namespace pgpkit::message::internal
