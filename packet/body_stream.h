#pragma once
// A Source over one packet body that hides the length form (HOUSE-STYLE rule 12).

#include <cstdint>

#include "packet/header.h"
#include "packet/source.h"

namespace pgpkit::packet {

/**
 * Reads exactly one packet body from `parent`: a definite length is a limit; partial
 * lengths and GnuPG chunks are decoded (each chunk is appended to header.chunks as it is
 * met); an indeterminate length reads until the parent ends. A body cut short throws
 * Error(Errc::Truncated). Offsets of this source count body octets only.
 */
class BodyStream final : public Source {
public:
    /** `header` must outlive the stream; chunk sizes are recorded into it, at most
        `max_chunks` of them (the first ones and the last; see Header::chunks_omitted). */
    BodyStream(Source& parent, Header& header, std::uint64_t body_start,
               std::size_t max_chunks = SIZE_MAX);

    std::size_t read(std::span<std::uint8_t> buf) override;
    std::optional<ByteView> peek_view(std::size_t n) override;
    std::uint64_t skip(std::uint64_t n) override;

    /** True once the whole body has been read. */
    bool done() const noexcept { return m_done; }
    /** Consumes whatever is left of the body; returns the number of octets skipped. */
    std::uint64_t drain();
    /** Absolute offset in the parent where the body started. */
    std::uint64_t body_start() const noexcept { return m_body_start; }

private:
    bool next_chunk();
    void record(Chunk c);
    void truncated() const;

    Source& m_parent;
    Header& m_header;
    std::uint64_t m_body_start;
    std::size_t m_max_chunks;
    std::uint64_t m_left = 0;  ///< octets left in the current chunk (or definite body)
    bool m_last = true;        ///< the current chunk is the last one
    bool m_done = false;
    bool m_unbounded = false;  ///< indeterminate: until the parent ends
};

}  // namespace pgpkit::packet
