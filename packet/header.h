#pragma once
// Packet headers: CTB and length forms, RFC 9580 section 4.2 (HOUSE-STYLE rule 10).

#include <cstdint>
#include <optional>
#include <vector>

#include "base/bytes.h"
#include "packet/names.h"
#include "packet/source.h"

namespace pgpkit::packet {

enum class CtbFormat : std::uint8_t { Old, New };

/** How the body length was encoded on the wire. */
enum class LengthForm : std::uint8_t {
    OneOctet,       ///< old type 0, or new-format length < 192
    TwoOctet,       ///< old type 1, or new-format 192..8383
    FourOctet,      ///< old type 2 (four-octet length)
    FiveOctet,      ///< new format 0xFF + four octets
    Indeterminate,  ///< old type 3: until the end of the enclosing structure
    Partial,        ///< new-format partial body lengths; see Header::chunks
    GnupgChunked,   ///< old type 3 read as GnuPG's chunked proposal (opt-in)
};

const char* length_form_name(LengthForm f) noexcept;

/** One piece of a chunked body: its size and how its length was encoded. */
struct Chunk {
    std::uint32_t size = 0;
    LengthForm form = LengthForm::Partial;  ///< Partial for a power-of-two chunk
    bool operator==(const Chunk&) const = default;
};

/**
 * A decoded packet header. It remembers the CTB format and the length form so the
 * packet can be written back byte for byte. For chunked bodies (Partial, GnupgChunked)
 * `chunks` lists every chunk in order (including the final, definite one and, for
 * GnupgChunked, the terminating zero) as the body is read.
 */
struct Header {
    CtbFormat format = CtbFormat::New;
    Tag tag = Tag::Reserved;
    LengthForm form = LengthForm::OneOctet;
    /** The declared body length for definite forms; total octets read otherwise. */
    std::uint64_t length = 0;
    /** Octets of the CTB and the (first) length field. */
    std::uint8_t header_len = 0;
    std::vector<Chunk> chunks;
    /** Chunks read but not listed in `chunks` (Limits::max_recorded_chunks): they came
        between the first recorded ones and the last, which is always listed. */
    std::uint64_t chunks_omitted = 0;

    std::uint64_t chunk_count() const noexcept { return chunks.size() + chunks_omitted; }

    bool definite() const noexcept {
        return form != LengthForm::Indeterminate && form != LengthForm::Partial &&
               form != LengthForm::GnupgChunked;
    }
    bool operator==(const Header&) const = default;
};

/** The length field that follows a new-format CTB or precedes a partial chunk. */
struct NewLength {
    std::uint32_t value = 0;
    LengthForm form = LengthForm::OneOctet;  ///< Partial: value is the chunk size
    std::uint8_t octets = 1;
};

/**
 * Reads a header from `src`. Returns nullopt at a clean end of stream (no byte at all).
 * Throws Error(Errc::BadHeader) for an invalid CTB and Errc::Truncated for a header
 * cut short. With `gnupg_chunked`, old-format length type 3 means GnuPG's chunked form.
 */
std::optional<Header> read_header(Source& src, bool gnupg_chunked);

/** Reads one new-format length (RFC 9580 section 4.2.1); `offset` is for errors. */
NewLength read_new_length(Source& src);

/** Writes the header as it was encoded (the first chunk length for chunked forms). */
void write_header(const Header& h, Bytes& out);
/** Writes a new-format length field of the given form. */
void write_new_length(std::uint32_t value, LengthForm form, Bytes& out);
/** Shortest new-format header for a body of `len` octets. */
void write_canonical_header(Tag tag, std::uint64_t len, Bytes& out);
/** Octets a shortest new-format length takes. */
std::size_t new_length_size(std::uint64_t len) noexcept;

/** True for the packets that RFC 9580 allows partial lengths on (8, 9, 11, 18, 20). */
bool tag_allows_partial(Tag tag) noexcept;

}  // namespace pgpkit::packet
