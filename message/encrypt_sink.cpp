#include "message/encrypt_sink.h"

#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <string>

#include "armor/armor.h"
#include "base/error.h"
#include "packet/compress.h"
#include "packet/header.h"

namespace pgpkit::message {

void FdSink::write(ByteView data) {
    std::size_t done = 0;
    while (done < data.size()) {
        const ssize_t n = ::write(m_fd, data.data() + done, data.size() - done);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) throw Error(Errc::Io, 0, std::string("write failed: ") + std::strerror(errno));
        done += static_cast<std::size_t>(n);
    }
}

PacketSink::PacketSink(ByteSink& next, packet::Tag tag, unsigned chunk_log2)
    : m_next(next), m_tag(tag), m_chunk(std::size_t{1} << chunk_log2) {
    m_buf.reserve(m_chunk + 8);
}

void PacketSink::write(ByteView data) {
    while (!data.empty()) {
        const std::size_t take = std::min(data.size(), m_chunk - m_buf.size());
        m_buf.insert(m_buf.end(), data.begin(), data.begin() + static_cast<std::ptrdiff_t>(take));
        data = data.subspan(take);
        if (m_buf.size() < m_chunk || data.empty()) continue;
        // A full chunk with more to come: a partial length. The final piece waits for finish().
        Bytes head;
        if (!m_started) head.push_back(static_cast<std::uint8_t>(0xC0 | static_cast<unsigned>(m_tag)));
        unsigned log2 = 0;
        while ((std::size_t{1} << log2) < m_chunk) ++log2;
        head.push_back(static_cast<std::uint8_t>(224 + log2));
        m_started = true;
        m_next.write(head);
        m_next.write(m_buf);
        m_buf.clear();
    }
}

void PacketSink::finish() {
    Bytes head;
    if (!m_started) {
        packet::write_canonical_header(m_tag, m_buf.size(), head);
    } else {
        packet::write_new_length(static_cast<std::uint32_t>(m_buf.size()),
                                 m_buf.size() < 192     ? packet::LengthForm::OneOctet
                                 : m_buf.size() < 8384  ? packet::LengthForm::TwoOctet
                                                        : packet::LengthForm::FiveOctet,
                                 head);
    }
    m_next.write(head);
    m_next.write(m_buf);
    m_buf.clear();
    m_next.finish();
}

struct ArmorSink::Impl {
    explicit Impl(const std::string& label) : enc(label, {}) {}
    armor::ArmorEncoder enc;
    std::string text;
};

ArmorSink::ArmorSink(ByteSink& next, std::string label)
    : m_impl(std::make_unique<Impl>(label)), m_next(next) {}

ArmorSink::~ArmorSink() = default;

void ArmorSink::write(ByteView data) {
    m_impl->enc.update(data, m_impl->text);
    if (m_impl->text.size() >= (1u << 16)) {
        m_next.write(as_bytes(m_impl->text));
        m_impl->text.clear();
    }
}

void ArmorSink::finish() {
    m_impl->enc.finish(m_impl->text);
    m_next.write(as_bytes(m_impl->text));
    m_impl->text.clear();
    m_next.finish();
}

struct CompressSink::Impl {
    Impl(packet::CompressionAlgo algo, int level) : comp(algo, level) {}
    packet::Compressor comp;
    Bytes out;
};

CompressSink::CompressSink(ByteSink& next, packet::CompressionAlgo algo, int level)
    : m_impl(std::make_unique<Impl>(algo, level)), m_next(next) {
    const std::uint8_t a = static_cast<std::uint8_t>(algo);
    m_next.write({&a, 1});
}

CompressSink::~CompressSink() = default;

void CompressSink::write(ByteView data) {
    m_impl->comp.update(data, m_impl->out);
    if (m_impl->out.size() >= (1u << 15)) {
        m_next.write(m_impl->out);
        m_impl->out.clear();
    }
}

void CompressSink::finish() {
    m_impl->comp.finish(m_impl->out);
    m_next.write(m_impl->out);
    m_impl->out.clear();
    m_next.finish();
}

}  // namespace pgpkit::message
