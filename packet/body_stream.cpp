#include "packet/body_stream.h"

#include <algorithm>
#include <string>

#include "base/error.h"

namespace pgpkit::packet {

BodyStream::BodyStream(Source& parent, Header& header, std::uint64_t body_start,
                       std::size_t max_chunks)
    : m_parent(parent), m_header(header), m_body_start(body_start),
      m_max_chunks(std::max<std::size_t>(max_chunks, 2)) {
    switch (header.form) {
    case LengthForm::Indeterminate:
        m_unbounded = true;
        m_last = true;
        break;
    case LengthForm::Partial:
        // read_header recorded the first chunk already.
        m_left = header.chunks.empty() ? 0 : header.chunks.front().size;
        m_last = false;
        break;
    case LengthForm::GnupgChunked:
        m_left = 0;
        m_last = false;
        break;
    default:
        m_left = header.length;
        m_last = true;
        break;
    }
    if (m_left == 0 && m_last && !m_unbounded) m_done = true;
    if (header.form == LengthForm::Partial || header.form == LengthForm::GnupgChunked ||
        header.form == LengthForm::Indeterminate)
        m_header.length = 0;
}

void BodyStream::truncated() const {
    throw Error(Errc::Truncated, m_parent.offset(),
                "truncated packet body (" + std::to_string(m_left) + " more octets declared)");
}

void BodyStream::record(Chunk c) {
    std::vector<Chunk>& list = m_header.chunks;
    if (list.size() < m_max_chunks) {
        list.push_back(c);
        return;
    }
    // Full: the newest chunk takes the last place, so the final chunk is always listed.
    ++m_header.chunks_omitted;
    list.back() = c;
}

bool BodyStream::next_chunk() {
    // Called when the current chunk is exhausted; reads the next chunk header.
    if (m_last) {
        m_done = true;
        return false;
    }
    if (m_header.form == LengthForm::GnupgChunked) {
        std::uint8_t b[2];
        const std::uint64_t at = m_parent.offset();
        if (m_parent.read_full({b, 2}) != 2)
            throw Error(Errc::Truncated, at, "truncated GnuPG chunk length");
        std::uint32_t len = (std::uint32_t{b[0]} << 8) | b[1];
        record({len, LengthForm::TwoOctet});
        if (len == 0) {
            m_last = true;
            m_done = true;
            return false;
        }
        m_left = len;
        return true;
    }
    NewLength len = read_new_length(m_parent);
    record({len.value, len.form});
    m_left = len.value;
    if (len.form != LengthForm::Partial) m_last = true;
    if (m_left == 0 && m_last) {
        m_done = true;
        return false;
    }
    return true;
}

std::size_t BodyStream::read(std::span<std::uint8_t> buf) {
    std::size_t total = 0;
    while (total < buf.size() && !m_done) {
        if (m_unbounded) {
            std::size_t got = m_parent.read(buf.subspan(total));
            if (got == 0) {
                m_done = true;
                break;
            }
            total += got;
            m_header.length += got;
            m_offset += got;
            continue;
        }
        if (m_left == 0) {
            if (!next_chunk()) break;
            continue;
        }
        std::size_t want = static_cast<std::size_t>(std::min<std::uint64_t>(m_left, buf.size() - total));
        std::size_t got = m_parent.read(buf.subspan(total, want));
        if (got == 0) truncated();
        total += got;
        m_left -= got;
        m_offset += got;
        if (!m_header.definite()) m_header.length += got;
        if (m_left == 0 && m_last) m_done = true;
    }
    return total;
}

std::optional<ByteView> BodyStream::peek_view(std::size_t n) {
    if (m_unbounded || m_done || n > m_left) return std::nullopt;
    return m_parent.peek_view(n);
}

std::uint64_t BodyStream::skip(std::uint64_t n) {
    std::uint64_t total = 0;
    while (total < n && !m_done) {
        if (m_unbounded) {
            std::uint64_t got = m_parent.skip(n - total);
            if (got == 0) {
                m_done = true;
                break;
            }
            total += got;
            m_header.length += got;
            m_offset += got;
            continue;
        }
        if (m_left == 0) {
            if (!next_chunk()) break;
            continue;
        }
        std::uint64_t want = std::min(m_left, n - total);
        std::uint64_t got = m_parent.skip(want);
        if (got < want) {
            m_left -= got;
            truncated();
        }
        total += got;
        m_left -= got;
        m_offset += got;
        if (!m_header.definite()) m_header.length += got;
        if (m_left == 0 && m_last) m_done = true;
    }
    return total;
}

std::uint64_t BodyStream::drain() {
    std::uint64_t total = 0;
    while (!m_done) total += skip(std::uint64_t{1} << 40);
    return total;
}

}  // namespace pgpkit::packet
