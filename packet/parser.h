#pragma once
// The packet parser: a pull parser over a Source that descends into compressed
// containers (HOUSE-STYLE rules 12, 13, 17).

#include <cstdint>
#include <memory>
#include <optional>
#include <vector>

#include "packet/decompress.h"
#include "packet/packet.h"
#include "packet/source.h"

namespace pgpkit::packet {

/** Every resource an input controls is bounded by one of these. */
struct Limits {
    unsigned max_depth = 16;                          ///< nesting of compressed containers
    std::size_t max_packet_size = std::size_t{1} << 20;  ///< buffered (non-data) packet bodies
    std::size_t max_subpackets = 1024;                ///< per subpacket area
    DecompressionLimits decompression;
    std::uint64_t max_kept_payload = std::uint64_t{1} << 32;  ///< keep_data mode, per payload
    /** Without keep_data, the chunk sizes listed per packet (the first ones and the last);
        the others are only counted, so a stream of tiny chunks is read in constant memory.
        With keep_data every chunk is listed, as write-back needs them all. At least 2. */
    std::size_t max_recorded_chunks = 4096;
};

struct ParseOptions {
    Limits limits;
    /** Keep payloads (literal data, encrypted data, compressed octets) for write-back. */
    bool keep_data = false;
    /** Parse the packets inside compressed containers. */
    bool descend = true;
    /** Read old-format length type 3 as GnuPG's chunked proposal (doc/DETAILS). */
    bool gnupg_chunked = false;
    /** Turn findings into errors (Errc::Strict). */
    bool strict = false;
};

/**
 * Pull parser. next() returns packets in document order: a compressed container comes
 * before the packets inside it, and is followed after them by an EndOfContainer event
 * whose index names the container. Returns nullopt at the end of the input. Errors carry
 * the offset and the packet index and tag. After an error the parser must not be used.
 */
class PacketParser {
public:
    PacketParser(Source& src, ParseOptions options);
    ~PacketParser();
    PacketParser(const PacketParser&) = delete;
    PacketParser& operator=(const PacketParser&) = delete;

    std::optional<Packet> next();
    /** Depth of the packet that next() would return. */
    unsigned depth() const noexcept;
    std::size_t packets_seen() const noexcept { return m_count; }
    /**
     * A packet whose framing is intact but whose body does not parse is kept as Opaque
     * with a "malformed-packet" finding, and parsing goes on (unless strict, which throws
     * the original error). The first such error, annotated, and how many there were:
     */
    const std::optional<Error>& first_malformed() const noexcept { return m_first_malformed; }
    std::size_t malformed_count() const noexcept { return m_malformed; }

private:
    struct Layer;
    Packet read_packet(Layer& top, Header hdr, std::uint64_t offset);
    std::optional<Packet> pop_layer();
    void check_findings(Packet& p);
    std::size_t recorded_chunks() const noexcept {
        return m_opt.keep_data ? SIZE_MAX : m_opt.limits.max_recorded_chunks;
    }

    ParseOptions m_opt;
    std::vector<std::unique_ptr<Layer>> m_stack;
    std::size_t m_count = 0;
    FingerprintHashers m_hashers;
    std::optional<Error> m_first_malformed;
    std::size_t m_malformed = 0;
};

/** Parses a whole buffer into a tree (children of containers under Packet::children). */
std::vector<Packet> parse_all(ByteView data, ParseOptions options = {});
/** Same, keeping payloads, so that write_packets(parse_lossless(x)) == x. */
std::vector<Packet> parse_lossless(ByteView data, ParseOptions options = {});

}  // namespace pgpkit::packet
