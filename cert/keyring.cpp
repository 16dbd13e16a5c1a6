// Reading keyring streams into certificates, and the public part of a secret key.

#include <utility>

#include "armor/input.h"
#include "base/error.h"
#include "cert/cert.h"
#include "packet/header.h"
#include "packet/names.h"

namespace pgpkit::cert {

using packet::Packet;
using packet::Tag;

namespace {

bool is_primary(const Packet& p) noexcept {
    return p.tag() == Tag::PublicKey || p.tag() == Tag::SecretKey;
}

/** Collects the packets of one certificate at a time. */
class Assembler {
public:
    Assembler(const ReadOptions& opt, const ReadEvents& ev) : m_opt(opt), m_ev(ev) {}

    void add(Packet&& p) {
        if (is_primary(p)) {
            flush();
            if (!p.get<packet::Key>()) {
                stray(p, "primary key packet that does not parse");
                m_skipping = true;
                return;
            }
            m_skipping = false;
        } else if (m_pending.empty()) {
            stray(p, m_skipping ? "packet of a certificate whose primary key does not parse"
                                : "packet before the first primary key");
            return;
        }
        if (m_pending.size() >= m_opt.max_packets_per_cert)
            throw Error(Errc::LimitExceeded, p.offset,
                        "certificate has more than " + std::to_string(m_opt.max_packets_per_cert) + " packets");
        m_pending.push_back(std::move(p));
    }

    void flush() {
        if (m_pending.empty()) return;
        Cert c = assemble(std::move(m_pending));
        m_pending.clear();
        if (m_ev.cert) m_ev.cert(std::move(c));
    }

private:
    void stray(const Packet& p, const char* why) {
        if (m_ev.stray) m_ev.stray(p, why);
    }

    const ReadOptions& m_opt;
    const ReadEvents& m_ev;
    std::vector<Packet> m_pending;
    bool m_skipping = false;
};

packet::Header fresh_header(Tag tag, std::size_t body_len) {
    packet::Header h;
    h.format = packet::CtbFormat::New;
    h.tag = tag;
    const std::size_t n = packet::new_length_size(body_len);
    h.form = n == 1 ? packet::LengthForm::OneOctet
                    : n == 2 ? packet::LengthForm::TwoOctet
                             : packet::LengthForm::FiveOctet;
    h.length = body_len;
    h.header_len = static_cast<std::uint8_t>(1 + n);
    return h;
}

/** A Public-Key or Public-Subkey packet from a Secret-Key or Secret-Subkey packet. */
void make_public(Packet& p) {
    auto* k = std::get_if<packet::Key>(&p.body);
    const bool primary = p.tag() == Tag::SecretKey;
    if (!k || !(primary || p.tag() == Tag::SecretSubkey)) return;
    k->secret.reset();
    k->secret_opaque.clear();
    const Tag tag = primary ? Tag::PublicKey : Tag::PublicSubkey;
    p.header = fresh_header(tag, packet::write_body(p.body).size());
    p.findings.clear();
}

}  // namespace

void read_certs(packet::Source& input, const ReadOptions& opt, const ReadEvents& events) {
    packet::ParseOptions parse = opt.parse;
    parse.descend = false;
    parse.keep_data = true;
    parse.limits.max_kept_payload = parse.limits.max_packet_size;
    Assembler a(opt, events);
    try {
        armor::for_each_packet(
            input, parse,
            [&a](const armor::InputEvent& ev) {
                if (ev.kind == armor::InputEvent::PacketStart) a.add(std::move(*ev.packet));
            },
            opt.raise_malformed);
    } catch (const Error&) {
        // What parsed before the error is still handed over, unless the caller said no.
        if (opt.deliver_partial) a.flush();
        throw;
    }
    a.flush();
}

std::vector<Cert> read_all_certs(ByteView data, const ReadOptions& opt) {
    std::vector<Cert> out;
    packet::MemorySource src(data);
    ReadEvents ev;
    ev.cert = [&out](Cert&& c) { out.push_back(std::move(c)); };
    read_certs(src, opt, ev);
    return out;
}

Cert public_part(const Cert& c) {
    Cert out = c;
    make_public(out.primary.head);
    for (auto& comp : out.components) make_public(comp.head);
    return out;
}

}  // namespace pgpkit::cert
