#include "cert/cert.h"

#include <string>
#include <utility>

#include "armor/input.h"
#include "base/error.h"
#include "packet/fields.h"
#include "packet/names.h"

namespace pgpkit::cert {

using packet::Packet;
using packet::Tag;

namespace {

bool is_tag(const Packet& p, Tag t) noexcept { return p.tag() == t; }

bool is_primary_tag(const Packet& p) noexcept { return is_tag(p, Tag::PublicKey) || is_tag(p, Tag::SecretKey); }

std::optional<ComponentKind> opens_component(const Packet& p) noexcept {
    if (is_tag(p, Tag::UserId)) return ComponentKind::UserId;
    if (is_tag(p, Tag::UserAttribute)) return ComponentKind::UserAttribute;
    if (is_tag(p, Tag::PublicSubkey) || is_tag(p, Tag::SecretSubkey)) return ComponentKind::Subkey;
    return std::nullopt;
}

std::string hex2(std::uint8_t v) {
    static constexpr char digits[] = "0123456789abcdef";
    return {'0', 'x', digits[v >> 4], digits[v & 15]};
}

/** Signature types RFC 9580 section 10.1 allows after each kind of component. */
bool sig_type_fits(ComponentKind k, packet::SigType t) noexcept {
    using packet::SigType;
    switch (k) {
    case ComponentKind::PrimaryKey: return t == SigType::DirectKey || t == SigType::KeyRevocation;
    case ComponentKind::UserId:
    case ComponentKind::UserAttribute:
        return packet::is_certification(t) || t == SigType::CertRevocation || t == SigType::AttestedKey;
    case ComponentKind::Subkey: return t == SigType::SubkeyBinding || t == SigType::SubkeyRevocation;
    }
    return false;
}

void note(Cert& c, const Packet& p, std::string detail) {
    c.findings.push_back({p.offset, p.index, std::move(detail)});
}

/** Reports a packet of the tail that RFC 9580 section 10.1 does not put there. */
void check_tail_packet(Cert& c, const Component& comp, const Packet& p) {
    if (const auto* sig = p.get<packet::Signature>()) {
        if (!sig_type_fits(comp.kind, sig->sig_type))
            note(c, p,
                 std::string("signature of type ") + hex2(static_cast<std::uint8_t>(sig->sig_type)) + " (" +
                     packet::sig_type_name(sig->sig_type) + ") after a " + component_kind_name(comp.kind));
        return;
    }
    if (is_tag(p, Tag::Trust) || is_tag(p, Tag::Padding)) return;
    if (is_tag(p, Tag::Signature)) {
        note(c, p, "signature packet that does not parse");
        return;
    }
    note(c, p, std::string("unexpected ") + packet::tag_name(p.tag()) + " packet (tag " +
                   std::to_string(static_cast<unsigned>(p.tag())) + ") in a certificate");
}

void check_component_head(Cert& c, const Component& comp) {
    const Packet& p = comp.head;
    if (comp.kind == ComponentKind::Subkey) {
        if (!comp.key()) note(c, p, "subkey packet that does not parse");
        else if (c.secret() != is_tag(p, Tag::SecretSubkey))
            note(c, p, c.secret() ? "public subkey in a secret key" : "secret subkey in a public certificate");
    }
    if (comp.kind != ComponentKind::Subkey && !c.of_kind(ComponentKind::Subkey).empty())
        note(c, p, std::string(component_kind_name(comp.kind)) + " after a subkey");
}

}  // namespace

const char* component_kind_name(ComponentKind k) noexcept {
    switch (k) {
    case ComponentKind::PrimaryKey: return "primary key";
    case ComponentKind::UserId: return "user ID";
    case ComponentKind::UserAttribute: return "user attribute";
    case ComponentKind::Subkey: return "subkey";
    }
    return "unknown";
}

Bytes Component::id_bytes() const {
    if (const auto* u = head.get<packet::UserId>()) return u->data;
    if (const auto* a = head.get<packet::UserAttribute>()) {
        Bytes out;
        packet::ByteWriter w(out);
        packet::write_subpackets(a->subpackets, w);
        return out;
    }
    return {};
}

std::vector<const Packet*> Component::signatures() const {
    std::vector<const Packet*> out;
    for (const auto& p : tail)
        if (p.get<packet::Signature>()) out.push_back(&p);
    return out;
}

std::string algo_string(const packet::Key& k) {
    using packet::PubkeyAlgo;
    const auto bits = std::to_string(packet::key_bits(k.algo, k.fields));
    switch (k.algo) {
    case PubkeyAlgo::Rsa:
    case PubkeyAlgo::RsaEncryptOnly:
    case PubkeyAlgo::RsaSignOnly: return "rsa" + bits;
    case PubkeyAlgo::Dsa: return "dsa" + bits;
    case PubkeyAlgo::Elgamal:
    case PubkeyAlgo::ElgamalSignEncrypt: return "elg" + bits;
    case PubkeyAlgo::Ecdh:
    case PubkeyAlgo::Ecdsa:
    case PubkeyAlgo::EdDsaLegacy: {
        const std::string_view curve = packet::curve_of(k.fields);
        return curve.empty() || curve == "unknown" ? "E_" + bits : std::string(curve);
    }
    case PubkeyAlgo::X25519: return "cv25519";
    case PubkeyAlgo::X448: return "cv448";
    case PubkeyAlgo::Ed25519: return "ed25519";
    case PubkeyAlgo::Ed448: return "ed448";
    default: return "unknown_" + std::to_string(static_cast<unsigned>(k.algo));
    }
}

bool Cert::secret() const noexcept { return is_tag(primary.head, Tag::SecretKey); }

std::vector<const Component*> Cert::of_kind(ComponentKind k) const {
    std::vector<const Component*> out;
    for (const auto& c : components)
        if (c.kind == k) out.push_back(&c);
    return out;
}

Cert assemble(std::vector<Packet> packets) {
    if (packets.empty() || !is_primary_tag(packets.front()) || !packets.front().get<packet::Key>())
        throw Error(Errc::BadField, packets.empty() ? 0 : packets.front().offset,
                    "a certificate must start with a primary key packet");
    Cert c;
    c.primary.kind = ComponentKind::PrimaryKey;
    c.primary.head = std::move(packets.front());
    Component* current = &c.primary;
    for (std::size_t i = 1; i < packets.size(); ++i) {
        Packet& p = packets[i];
        if (auto kind = opens_component(p)) {
            Component comp{*kind, std::move(p), {}};
            check_component_head(c, comp);
            c.components.push_back(std::move(comp));
            current = &c.components.back();
            continue;
        }
        check_tail_packet(c, *current, p);
        current->tail.push_back(std::move(p));
    }
    if (c.of_kind(ComponentKind::UserId).empty() && c.key().version < 6)
        note(c, c.primary.head, "certificate without a user ID");
    return c;
}

std::vector<const Packet*> packets_of(const Cert& c) {
    std::vector<const Packet*> out;
    auto add = [&out](const Component& comp) {
        out.push_back(&comp.head);
        for (const auto& p : comp.tail) out.push_back(&p);
    };
    add(c.primary);
    for (const auto& comp : c.components) add(comp);
    return out;
}

Bytes write_cert(const Cert& c) {
    Bytes out;
    for (const Packet* p : packets_of(c)) packet::write_packet(*p, out);
    return out;
}

}  // namespace pgpkit::cert
