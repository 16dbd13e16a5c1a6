#include "message/reader.h"

#include <memory>
#include <vector>

#include "armor/armor.h"
#include "armor/cleartext.h"
#include "base/error.h"
#include "packet/body_stream.h"
#include "packet/decompress.h"
#include "packet/header.h"

namespace pgpkit::message {

using packet::Tag;

SniffSource::SniffSource(packet::Source& inner, std::size_t n) : m_inner(inner), m_head(n) {
    m_head.resize(m_inner.read_full(m_head));
}

std::size_t SniffSource::read(std::span<std::uint8_t> buf) {
    std::size_t got = 0;
    if (m_pos < m_head.size()) {
        got = std::min(buf.size(), m_head.size() - m_pos);
        std::copy_n(m_head.begin() + static_cast<std::ptrdiff_t>(m_pos), got, buf.begin());
        m_pos += got;
    } else {
        got = m_inner.read(buf);
    }
    m_offset += got;
    return got;
}

InputForm detect_form(ByteView head) noexcept {
    if (!head.empty() && (head[0] & 0x80) != 0) return InputForm::Binary;
    if (armor::looks_cleartext_signed(head)) return InputForm::Cleartext;
    return InputForm::Armored;
}

namespace {

/** One level of the walk: the top-level input, or the inside of a compressed packet. */
struct Layer {
    packet::Source* src = nullptr;
    packet::Header header;
    std::unique_ptr<packet::BodyStream> body;
    std::unique_ptr<packet::Source> decompressor;
};

Bytes read_buffered(packet::BodyStream& body, std::size_t max, Tag tag, std::uint64_t at) {
    Bytes out;
    std::uint8_t buf[16384];
    for (;;) {
        const std::size_t got = body.read({buf, sizeof buf});
        if (got == 0) return out;
        if (out.size() + got > max)
            throw Error(Errc::LimitExceeded, at,
                        std::string(packet::tag_name(tag)) + " packet body exceeds " + std::to_string(max) +
                            " octets (limit max_packet_size)");
        out.insert(out.end(), buf, buf + got);
    }
}

std::uint32_t be32(ByteView b) {
    return (std::uint32_t{b[0]} << 24) | (std::uint32_t{b[1]} << 16) | (std::uint32_t{b[2]} << 8) | b[3];
}

class Walker {
public:
    Walker(packet::Source& src, const packet::Limits& limits, const MessageEvents& ev) : m_lim(limits), m_ev(ev) {
        auto top = std::make_unique<Layer>();
        top->src = &src;
        m_stack.push_back(std::move(top));
    }

    void run() {
        while (!m_stack.empty()) {
            Layer& top = *m_stack.back();
            const std::uint64_t at = top.src->offset();
            std::optional<packet::Header> hdr = packet::read_header(*top.src, false);
            if (!hdr) {
                if (m_stack.size() > 1) m_stack.back()->body->drain();
                m_stack.pop_back();
                continue;
            }
            const std::size_t index = m_count++;
            try {
                packet_at(top, *hdr, at, index);
            } catch (Error& e) {
                if (e.packet_index()) throw;
                // A handler's verdict on the packet (offset 0) is placed at the packet.
                Error placed(e.kind(), e.offset() == 0 ? at : e.offset(), e.detail());
                placed.in_packet(index, static_cast<std::uint8_t>(hdr->tag));
                throw placed;
            }
        }
    }

private:
    void packet_at(Layer& top, packet::Header& hdr, std::uint64_t at, std::size_t index) {
        const std::uint64_t body_at = at + hdr.header_len;
        switch (hdr.tag) {
        case Tag::Signature:
        case Tag::OnePassSig: {
            packet::BodyStream body(*top.src, hdr, body_at, 64);
            const Bytes b = read_buffered(body, m_lim.max_packet_size, hdr.tag, at);
            packet::ByteReader r(b, body_at);
            if (hdr.tag == Tag::OnePassSig) {
                auto ops = packet::parse_one_pass_sig(r);
                if (!ops) throw Error(Errc::BadField, at, "one-pass signature of an unknown version");
                if (m_ev.one_pass) m_ev.one_pass(*ops);
            } else if (auto sig = packet::parse_signature(r, m_lim.max_subpackets)) {
                if (m_ev.signature) m_ev.signature(std::move(*sig), index);
            } else if (m_ev.unknown_signature) {
                m_ev.unknown_signature(index);
            }
            return;
        }
        case Tag::Literal: return literal(top, hdr, at);
        case Tag::CompressedData: return compressed(top, hdr, at);
        case Tag::Marker:
        case Tag::Padding: {
            packet::BodyStream body(*top.src, hdr, body_at, 64);
            body.drain();
            return;
        }
        default:
            throw Error(Errc::BadField, at,
                        std::string("unexpected ") + packet::tag_name(hdr.tag) + " packet in a signed message");
        }
    }

    void literal(Layer& top, packet::Header& hdr, std::uint64_t at) {
        if (m_seen_literal) throw Error(Errc::BadField, at, "more than one literal data packet");
        m_seen_literal = true;
        packet::BodyStream body(*top.src, hdr, at + hdr.header_len, 64);
        packet::Literal l;
        l.format = packet::read_exact(body, 1, "literal data format")[0];
        const std::uint8_t n = packet::read_exact(body, 1, "literal file name length")[0];
        l.filename = packet::read_exact(body, n, "literal file name");
        l.date = be32(packet::read_exact(body, 4, "literal date"));
        std::optional<std::uint64_t> length;
        if (hdr.definite() && hdr.length >= 6u + n) length = hdr.length - 6 - n;
        if (m_ev.literal_start) m_ev.literal_start(l, length);
        std::vector<std::uint8_t> buf(std::size_t{1} << 16);
        std::uint64_t total = 0;
        for (;;) {
            const std::size_t got = body.read(buf);
            if (got == 0) break;
            total += got;
            if (m_ev.literal_data) m_ev.literal_data(ByteView(buf.data(), got));
        }
        if (m_ev.literal_end) m_ev.literal_end(total);
    }

    void compressed(Layer& top, packet::Header& hdr, std::uint64_t at) {
        if (m_stack.size() > m_lim.max_depth)
            throw Error(Errc::LimitExceeded, at,
                        "compressed data nested deeper than " + std::to_string(m_lim.max_depth) + " levels");
        auto layer = std::make_unique<Layer>();
        layer->header = hdr;
        layer->body = std::make_unique<packet::BodyStream>(*top.src, layer->header, at + hdr.header_len, 64);
        const auto algo = static_cast<packet::CompressionAlgo>(
            packet::read_exact(*layer->body, 1, "compression algorithm")[0]);
        packet::DecompressionInput where{at + hdr.header_len + 1, nullptr};
        if (m_stack.size() > 1) where.outermost = m_stack[1]->body.get();
        layer->decompressor = packet::make_decompressor(algo, *layer->body, m_lim.decompression, where);
        if (!layer->decompressor)
            throw Error(Errc::BadField, at,
                        "unknown compression algorithm " + std::to_string(static_cast<unsigned>(algo)));
        layer->src = layer->decompressor.get();
        m_stack.push_back(std::move(layer));
    }

    const packet::Limits& m_lim;
    const MessageEvents& m_ev;
    std::vector<std::unique_ptr<Layer>> m_stack;
    std::size_t m_count = 0;
    bool m_seen_literal = false;
};

}  // namespace

void walk_message(packet::Source& src, const packet::Limits& limits, const MessageEvents& events) {
    Walker(src, limits, events).run();
}

std::vector<SignaturePacket> read_signatures(packet::Source& src, const packet::Limits& limits) {
    SniffSource sniff(src);
    std::unique_ptr<armor::DearmorSource> dearmor;
    packet::Source* in = &sniff;
    if (detect_form(sniff.head()) != InputForm::Binary) {
        dearmor = std::make_unique<armor::DearmorSource>(sniff);
        in = dearmor.get();
    }
    std::vector<SignaturePacket> out;
    MessageEvents ev;
    ev.signature = [&](packet::Signature&& s, std::size_t index) { out.push_back({index, std::move(s)}); };
    ev.unknown_signature = [&](std::size_t index) { out.push_back({index, std::nullopt}); };
    ev.one_pass = [&](const packet::OnePassSig&) {
        throw Error(Errc::BadField, in->offset(), "a detached signature holds a one-pass signature packet");
    };
    ev.literal_start = [&](const packet::Literal&, std::optional<std::uint64_t>) {
        throw Error(Errc::BadField, in->offset(), "a detached signature holds literal data");
    };
    walk_message(*in, limits, ev);
    if (out.empty()) throw Error(Errc::BadField, in->offset(), "no signature found");
    return out;
}

}  // namespace pgpkit::message
