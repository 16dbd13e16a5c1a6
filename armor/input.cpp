#include "armor/input.h"

#include <algorithm>

#include "armor/armor.h"
#include "base/secret.h"
#include "packet/source.h"

namespace pgpkit::armor {

namespace {

struct Malformed {
    std::optional<Error> first;
    std::size_t count = 0;
};

void parse_stream(packet::Source& src, const packet::ParseOptions& opt, const std::function<void(const InputEvent&)>& fn,
                  Malformed& bad) {
    packet::PacketParser parser(src, opt);
    InputEvent ev;
    while (auto p = parser.next()) {
        ev.packet = &*p;
        if (p->get<packet::EndOfContainer>()) {
            ev.kind = InputEvent::ContainerEnd;
            ev.opens_container = false;
        } else {
            ev.kind = InputEvent::PacketStart;
            ev.opens_container = parser.depth() > p->depth;
        }
        fn(ev);
    }
    if (parser.first_malformed() && !bad.first) bad.first = parser.first_malformed();
    bad.count += parser.malformed_count();
}

/** After a complete listing, malformed packets still make the input bad. */
void raise_on(const Malformed& bad) {
    if (!bad.first) return;
    Error e = *bad.first;
    if (bad.count > 1) {
        Error more(e.kind(), e.offset(), e.detail() + " (first of " + std::to_string(bad.count) + " malformed packets)");
        if (e.packet_index()) more.in_packet(*e.packet_index(), e.tag());
        throw more;
    }
    throw e;
}

/** Replays octets already read (for content sniffing) before the rest of a source. */
class PrefixSource final : public packet::Source {
public:
    PrefixSource(SecretBytes prefix, packet::Source& rest) : m_prefix(std::move(prefix)), m_rest(rest) {}
    std::size_t read(std::span<std::uint8_t> buf) override {
        std::size_t n;
        if (m_pos < m_prefix.size()) {
            n = std::min(buf.size(), m_prefix.size() - m_pos);
            std::copy_n(m_prefix.begin() + static_cast<std::ptrdiff_t>(m_pos), n, buf.begin());
            m_pos += n;
        } else {
            n = m_rest.read(buf);
        }
        m_offset += n;
        return n;
    }
    std::optional<ByteView> peek_view(std::size_t n) override {
        if (m_pos < m_prefix.size()) {
            if (n > m_prefix.size() - m_pos) return std::nullopt;
            return ByteView(m_prefix).subspan(m_pos, n);
        }
        return m_rest.peek_view(n);
    }
    std::uint64_t skip(std::uint64_t n) override {
        std::uint64_t done = 0;
        if (m_pos < m_prefix.size()) {
            done = std::min<std::uint64_t>(n, m_prefix.size() - m_pos);
            m_pos += static_cast<std::size_t>(done);
        }
        if (done < n) done += m_rest.skip(n - done);
        m_offset += done;
        return done;
    }

private:
    SecretBytes m_prefix;  ///< the sniffed head of the input (of a secret keyring, perhaps)
    std::size_t m_pos = 0;
    packet::Source& m_rest;
};

}  // namespace

void for_each_packet(packet::Source& file, const packet::ParseOptions& opt,
                     const std::function<void(const InputEvent&)>& fn, bool raise_malformed) {
    // Sniff the content: binary OpenPGP starts with a CTB (bit 7 set); anything else is
    // read as ASCII armor, each block in turn.
    SecretBytes head(4096);
    head.resize(file.read_full(head));
    const bool binary = head.empty() || (head[0] & 0x80) != 0;
    PrefixSource src(std::move(head), file);
    Malformed bad;
    if (binary) {
        parse_stream(src, opt, fn, bad);
        if (raise_malformed) raise_on(bad);
        return;
    }
    DearmorSource dearmored(src);
    do {
        InputEvent ev;
        ev.kind = InputEvent::Armor;
        ev.armor_label = dearmored.label();
        for (const auto& h : dearmored.headers()) ev.armor_headers.emplace_back(h.key, h.value);
        fn(ev);
        parse_stream(dearmored, opt, fn, bad);
    } while (dearmored.next_block());
    if (raise_malformed) raise_on(bad);
}

std::vector<packet::Packet> read_top_level(packet::Source& input, packet::ParseOptions opt) {
    opt.keep_data = true;
    std::vector<packet::Packet> out;
    for_each_packet(input, opt, [&](const InputEvent& ev) {
        if (ev.kind == InputEvent::PacketStart && ev.packet && ev.packet->depth == 0) out.push_back(std::move(*ev.packet));
    });
    return out;
}

}  // namespace pgpkit::armor
