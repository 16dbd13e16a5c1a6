#pragma once
// Streaming reader of signed messages (RFC 9580 section 10.3): one-pass signatures,
// signatures, literal data and compressed containers, walked in constant memory; and the
// detection of the input's form (binary, armored, cleartext signed).

#include <cstdint>
#include <functional>
#include <optional>
#include <vector>

#include "base/bytes.h"
#include "packet/parser.h"
#include "packet/simple_packets.h"
#include "packet/signature.h"
#include "packet/source.h"

namespace pgpkit::message {

/**
 * A source that reads up to `n` octets ahead of its reader, so the form of the input can
 * be told before it is consumed (head()), and then returns every octet in order.
 */
class SniffSource final : public packet::Source {
public:
    SniffSource(packet::Source& inner, std::size_t n = 4096);
    /** The octets read ahead (fewer only when the input is shorter). */
    ByteView head() const noexcept { return m_head; }
    std::size_t read(std::span<std::uint8_t> buf) override;

private:
    packet::Source& m_inner;
    Bytes m_head;
    std::size_t m_pos = 0;
};

enum class InputForm : std::uint8_t { Binary, Armored, Cleartext };

/** Binary when the first octet has bit 7 set, cleartext for a SIGNED MESSAGE, else armored. */
[[nodiscard]] InputForm detect_form(ByteView head) noexcept;

/** What walk_message reports, in message order. Unset handlers are not called. */
struct MessageEvents {
    std::function<void(const packet::OnePassSig&)> one_pass;
    /** A signature packet; `index` counts packets in document order, nested ones included. */
    std::function<void(packet::Signature&&, std::size_t index)> signature;
    /** A signature packet of a version pgpkit does not know. */
    std::function<void(std::size_t index)> unknown_signature;
    /**
     * The literal data packet's header fields (its payload is not kept) and the length of
     * its data when the packet has a definite length.
     */
    std::function<void(const packet::Literal&, std::optional<std::uint64_t> length)> literal_start;
    std::function<void(ByteView)> literal_data;
    /** After the last octet of literal data; `length` is the payload's length. */
    std::function<void(std::uint64_t length)> literal_end;
};

/**
 * Walks a binary OpenPGP message from `src`, descending into compressed data, and reports
 * its packets. Marker and padding packets are skipped. Memory is bounded by `limits`
 * (buffered packets, nesting depth, decompression) whatever the length of the data.
 * @throws Error with offset, packet index and tag: a packet that cannot be in a signed
 * message (keys, encrypted data: Errc::BadField), a second literal data packet, framing
 * errors, truncation, and what the handlers throw.
 */
void walk_message(packet::Source& src, const packet::Limits& limits, const MessageEvents& events);

/** The signatures of a detached signature (or any sequence of signature packets). */
struct SignaturePacket {
    std::size_t index = 0;
    std::optional<packet::Signature> sig;  ///< nullopt: a version pgpkit does not know
};

/**
 * Reads a detached signature, binary or armored: signature packets only (marker packets
 * are skipped; anything else is Errc::BadField).
 * @throws Error for bad framing or armor, and Errc::BadField for an input without any signature.
 */
[[nodiscard]] std::vector<SignaturePacket> read_signatures(packet::Source& src, const packet::Limits& limits);

}  // namespace pgpkit::message
