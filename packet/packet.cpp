#include "packet/packet.h"

#include <algorithm>
#include <type_traits>

namespace pgpkit::packet {

namespace {

template <class... Ts> struct overloaded : Ts... { using Ts::operator()...; };
template <class... Ts> overloaded(Ts...) -> overloaded<Ts...>;

void payload(const Payload& p, ByteWriter& w) {
    if (!p.kept && p.length > 0)
        throw Error(Errc::Usage, 0, "packet payload was not kept (parse with keep_data to write it back)");
    w.bytes(p.data);
}

void write_body_to(const Body& body, ByteWriter& w) {
    std::visit(overloaded{
                   [&](const Opaque& o) { payload(o.payload, w); },
                   [&](const Pkesk& p) { write_pkesk(p, w); },
                   [&](const Signature& s) { write_signature(s, w); },
                   [&](const Skesk& s) { write_skesk(s, w); },
                   [&](const OnePassSig& o) { write_one_pass_sig(o, w); },
                   [&](const Key& k) { write_key(k, w); },
                   [&](const Compressed& c) {
                       w.u8(c.algo);
                       payload(c.payload, w);
                   },
                   [&](const Sed& s) { payload(s.payload, w); },
                   [&](const Marker& m) { w.bytes(m.data); },
                   [&](const Literal& l) {
                       w.u8(l.format);
                       w.u8(static_cast<std::uint8_t>(l.filename.size()));
                       w.bytes(l.filename);
                       w.be32(l.date);
                       payload(l.payload, w);
                   },
                   [&](const Trust& t) { w.bytes(t.data); },
                   [&](const UserId& u) { w.bytes(u.data); },
                   [&](const UserAttribute& u) { write_user_attribute(u, w); },
                   [&](const Seipd& s) {
                       w.u8(s.version);
                       if (s.version == 2) {
                           w.u8(s.sym_algo);
                           w.u8(s.aead_algo);
                           w.u8(s.chunk_size);
                           w.bytes(s.salt);
                       }
                       payload(s.payload, w);
                   },
                   [&](const Mdc& m) { w.bytes(m.hash); },
                   [&](const OcbEncrypted& o) {
                       w.u8(o.version);
                       w.u8(o.sym_algo);
                       w.u8(o.aead_algo);
                       w.u8(o.chunk_size);
                       w.bytes(o.iv);
                       payload(o.payload, w);
                   },
                   [&](const Padding& p) { w.bytes(p.data); },
                   [&](const EndOfContainer&) {},
               },
               body);
}

/** The body into a buffer of the output's kind (wiping memory for secret output). */
template <class Out>
Out body_of(const Body& body) {
    Out out;
    ByteWriter w(out);
    write_body_to(body, w);
    return out;
}

/**
 * Runs `write` (one of header.h's writers, which take a Bytes) on `out`. Framing octets are
 * never secret: for wiping output they go through a small plain buffer.
 */
template <class Out, class F>
void framing_to(Out& out, F&& write) {
    if constexpr (std::is_same_v<Out, Bytes>) {
        write(out);
    } else {
        Bytes framing;
        write(framing);
        out.insert(out.end(), framing.begin(), framing.end());
    }
}

template <class Out>
void header_to(const Header& h, Out& out) {
    framing_to(out, [&](Bytes& b) { write_header(h, b); });
}

template <class Out>
void write_packet_to(const Packet& p, Out& out) {
    if (std::holds_alternative<EndOfContainer>(p.body)) return;
    const Header& h = p.header;
    if (h.chunks_omitted)
        throw Error(Errc::Usage, p.offset,
                    "not every partial chunk size was recorded (parse with keep_data to write back)");
    const Out body = body_of<Out>(p.body);
    switch (h.form) {
    case LengthForm::Partial: {
        header_to(h, out);
        std::size_t pos = 0;
        for (std::size_t i = 0; i < h.chunks.size(); ++i) {
            const Chunk& c = h.chunks[i];
            if (i > 0) framing_to(out, [&](Bytes& b) { write_new_length(c.size, c.form, b); });
            std::size_t n = std::min<std::size_t>(c.size, body.size() - pos);
            out.insert(out.end(), body.begin() + static_cast<std::ptrdiff_t>(pos),
                       body.begin() + static_cast<std::ptrdiff_t>(pos + n));
            pos += n;
        }
        if (pos != body.size())
            throw Error(Errc::Usage, p.offset, "partial chunk sizes do not cover the packet body");
        return;
    }
    case LengthForm::GnupgChunked: {
        header_to(h, out);
        std::size_t pos = 0;
        for (const Chunk& c : h.chunks) {
            out.push_back(static_cast<std::uint8_t>(c.size >> 8));
            out.push_back(static_cast<std::uint8_t>(c.size));
            std::size_t n = std::min<std::size_t>(c.size, body.size() - pos);
            out.insert(out.end(), body.begin() + static_cast<std::ptrdiff_t>(pos),
                       body.begin() + static_cast<std::ptrdiff_t>(pos + n));
            pos += n;
        }
        return;
    }
    case LengthForm::Indeterminate:
        header_to(h, out);
        out.insert(out.end(), body.begin(), body.end());
        return;
    default: {
        Header fixed = h;
        fixed.length = body.size();
        header_to(fixed, out);
        out.insert(out.end(), body.begin(), body.end());
        return;
    }
    }
}

template <class Out>
void write_packet_canonical_to(const Packet& p, Out& out) {
    if (std::holds_alternative<EndOfContainer>(p.body)) return;
    const Out body = body_of<Out>(p.body);
    if (body.size() <= 0xFFFFFFFFu) {
        framing_to(out, [&](Bytes& b) { write_canonical_header(p.header.tag, body.size(), b); });
        out.insert(out.end(), body.begin(), body.end());
        return;
    }
    // Too long for a five-octet length: partial chunks of 2^30, then the rest.
    out.push_back(static_cast<std::uint8_t>(0xC0 | (static_cast<unsigned>(p.header.tag) & 0x3F)));
    constexpr std::size_t chunk = std::size_t{1} << 30;
    std::size_t pos = 0;
    while (body.size() - pos > 0xFFFFFFFFu) {
        out.push_back(224 + 30);
        out.insert(out.end(), body.begin() + static_cast<std::ptrdiff_t>(pos),
                   body.begin() + static_cast<std::ptrdiff_t>(pos + chunk));
        pos += chunk;
    }
    std::size_t rest = body.size() - pos;
    std::size_t n = new_length_size(rest);
    const LengthForm form = n == 1 ? LengthForm::OneOctet : n == 2 ? LengthForm::TwoOctet : LengthForm::FiveOctet;
    framing_to(out, [&](Bytes& b) { write_new_length(static_cast<std::uint32_t>(rest), form, b); });
    out.insert(out.end(), body.begin() + static_cast<std::ptrdiff_t>(pos), body.end());
}

}  // namespace

Bytes write_body(const Body& body) { return body_of<Bytes>(body); }

void write_packet(const Packet& p, Bytes& out) { write_packet_to(p, out); }

Bytes write_packets(const std::vector<Packet>& packets) {
    Bytes out;
    for (const Packet& p : packets) write_packet_to(p, out);
    return out;
}

void write_packet(const Packet& p, SecretBytes& out) { write_packet_to(p, out); }

SecretBytes write_packets_secret(const std::vector<Packet>& packets) {
    SecretBytes out;
    for (const Packet& p : packets) write_packet_to(p, out);
    return out;
}

void write_packet_canonical(const Packet& p, Bytes& out) { write_packet_canonical_to(p, out); }

Bytes write_packets_canonical(const std::vector<Packet>& packets) {
    Bytes out;
    for (const Packet& p : packets) write_packet_canonical_to(p, out);
    return out;
}

SecretBytes write_packets_canonical_secret(const std::vector<Packet>& packets) {
    SecretBytes out;
    for (const Packet& p : packets) write_packet_canonical_to(p, out);
    return out;
}

}  // namespace pgpkit::packet
