#include "cert/repair.h"

#include <optional>
#include <string>

#include "cert/verify.h"
#include "packet/names.h"

namespace pgpkit::cert {

using packet::Signature;
using packet::SigType;

namespace {

/** The kind of component a self-signature type is over, if it is one that can be misplaced. */
std::optional<bool> over_user(const Cert& c, const Signature& s) {
    const auto id = s.issuer_keyid();
    if (!id || *id != c.key().keyid) return std::nullopt;
    const SigType t = s.sig_type;
    if (packet::is_certification(t) || t == SigType::CertRevocation) return true;
    if (t == SigType::SubkeyBinding || t == SigType::SubkeyRevocation) return false;
    return std::nullopt;
}

bool is_user(ComponentKind k) noexcept { return k == ComponentKind::UserId || k == ComponentKind::UserAttribute; }

/** The component the signature fits, when it does not fit where it sits; else null. */
Component* better_home(Cert& c, const Component& from, const Signature& s) {
    const auto user = over_user(c, s);
    if (!user) return nullptr;
    const bool right_kind = *user ? is_user(from.kind) : from.kind == ComponentKind::Subkey;
    if (right_kind && left16_matches(c, from, s)) return nullptr;
    for (Component& other : c.components)
        if (&other != &from && is_user(other.kind) == *user && left16_matches(c, other, s)) return &other;
    return nullptr;
}

}  // namespace

std::size_t repair_signature_order(Cert& c) {
    std::size_t moved = 0;
    auto repair = [&](Component& comp) {
        for (std::size_t i = 0; i < comp.tail.size();) {
            const auto* s = comp.tail[i].get<Signature>();
            Component* home = s ? better_home(c, comp, *s) : nullptr;
            if (!home) {
                ++i;
                continue;
            }
            c.findings.push_back({comp.tail[i].offset, comp.tail[i].index,
                                  std::string("signature out of order: moved from a ") +
                                      component_kind_name(comp.kind) + " to the " + component_kind_name(home->kind) +
                                      " it is over"});
            home->tail.push_back(std::move(comp.tail[i]));
            comp.tail.erase(comp.tail.begin() + static_cast<std::ptrdiff_t>(i));
            ++moved;
        }
    };
    repair(c.primary);
    for (Component& comp : c.components) repair(comp);
    return moved;
}

}  // namespace pgpkit::cert
