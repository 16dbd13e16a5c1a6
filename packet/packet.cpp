#include "packet/packet.h"

#include <algorithm>

namespace pgpkit::packet {

namespace {

template <class... Ts> struct overloaded : Ts... { using Ts::operator()...; };
template <class... Ts> overloaded(Ts...) -> overloaded<Ts...>;

void payload(const Payload& p, ByteWriter& w) {
    if (!p.kept && p.length > 0)
        throw Error(Errc::Usage, 0, "packet payload was not kept (parse with keep_data to write it back)");
    w.bytes(p.data);
}

}  // namespace

Bytes write_body(const Body& body) {
    Bytes out;
    ByteWriter w(out);
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
    return out;
}

void write_packet(const Packet& p, Bytes& out) {
    if (std::holds_alternative<EndOfContainer>(p.body)) return;
    const Header& h = p.header;
    if (h.chunks_omitted)
        throw Error(Errc::Usage, p.offset,
                    "not every partial chunk size was recorded (parse with keep_data to write back)");
    Bytes body = write_body(p.body);
    switch (h.form) {
    case LengthForm::Partial: {
        write_header(h, out);
        std::size_t pos = 0;
        for (std::size_t i = 0; i < h.chunks.size(); ++i) {
            const Chunk& c = h.chunks[i];
            if (i > 0) write_new_length(c.size, c.form, out);
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
        write_header(h, out);
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
        write_header(h, out);
        out.insert(out.end(), body.begin(), body.end());
        return;
    default: {
        Header fixed = h;
        fixed.length = body.size();
        write_header(fixed, out);
        out.insert(out.end(), body.begin(), body.end());
        return;
    }
    }
}

Bytes write_packets(const std::vector<Packet>& packets) {
    Bytes out;
    for (const Packet& p : packets) write_packet(p, out);
    return out;
}

void write_packet_canonical(const Packet& p, Bytes& out) {
    if (std::holds_alternative<EndOfContainer>(p.body)) return;
    Bytes body = write_body(p.body);
    if (body.size() <= 0xFFFFFFFFu) {
        write_canonical_header(p.header.tag, body.size(), out);
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
    write_new_length(static_cast<std::uint32_t>(rest),
                     n == 1 ? LengthForm::OneOctet : n == 2 ? LengthForm::TwoOctet : LengthForm::FiveOctet, out);
    out.insert(out.end(), body.begin() + static_cast<std::ptrdiff_t>(pos), body.end());
}

Bytes write_packets_canonical(const std::vector<Packet>& packets) {
    Bytes out;
    for (const Packet& p : packets) write_packet_canonical(p, out);
    return out;
}

}  // namespace pgpkit::packet
