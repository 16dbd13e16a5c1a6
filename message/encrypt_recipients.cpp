// Choosing recipients' keys and reading their algorithm preferences, as gpg does.

#include <algorithm>

#include "base/error.h"
#include "cert/validity.h"
#include "keyring/spec.h"
#include "message/encrypt.h"
#include "packet/signature.h"

namespace pgpkit::message {

const char* invalid_recipient_text(InvalidRecipient r) noexcept {
    switch (r) {
    case InvalidRecipient::NotFound: return "No public key";
    case InvalidRecipient::Ambiguous: return "Ambiguous name";
    case InvalidRecipient::WrongUsage: return "Unusable public key";
    case InvalidRecipient::Revoked: return "Key revoked";
    case InvalidRecipient::Expired: return "Key expired";
    case InvalidRecipient::NoReason: break;
    }
    return "Unusable public key";
}

namespace {

using packet::SubpacketType;

const packet::Signature* sig_at(const cert::Component& comp, const cert::ComponentReport& rep) {
    if (!rep.self_sig) return nullptr;
    const auto sigs = comp.signatures();
    if (*rep.self_sig >= sigs.size()) return nullptr;
    return sigs[*rep.self_sig]->get<packet::Signature>();
}

/** The self-signature whose preferences count: the primary user ID's, else the direct-key one. */
const packet::Signature* preference_sig(const cert::Cert& c, const cert::CertReport& rep) {
    for (std::size_t i = 0; i < c.components.size(); ++i)
        if (rep.components[i].primary_uid)
            if (const packet::Signature* s = sig_at(c.components[i], rep.components[i])) return s;
    return sig_at(c.primary, rep.primary);
}

template <class E>
std::vector<E> octets_of(const packet::Signature* s, SubpacketType t) {
    std::vector<E> out;
    if (!s) return out;
    if (const packet::Subpacket* sp = s->subpacket(t))
        for (std::uint8_t b : sp->body) out.push_back(static_cast<E>(b));
    return out;
}

void read_preferences(const packet::Signature* s, Recipient& r) {
    r.sym_prefs = octets_of<packet::SymAlgo>(s, SubpacketType::PreferredSymmetric);
    r.compression_prefs = octets_of<packet::CompressionAlgo>(s, SubpacketType::PreferredCompression);
    if (s) {
        if (const packet::Subpacket* f = s->subpacket(SubpacketType::Features))
            r.seipd_v2 = !f->body.empty() && (f->body[0] & 0x08);
        if (const packet::Subpacket* a = s->subpacket(SubpacketType::PreferredAeadCiphersuites))
            for (std::size_t i = 1; i < a->body.size(); i += 2) {
                const auto m = static_cast<packet::AeadAlgo>(a->body[i]);
                if (std::find(r.aead_prefs.begin(), r.aead_prefs.end(), m) == r.aead_prefs.end())
                    r.aead_prefs.push_back(m);
            }
    }
    if (r.key.version == 6) r.seipd_v2 = true;
}

InvalidRecipient state_reason(cert::ValidityState s) {
    switch (s) {
    case cert::ValidityState::Revoked: return InvalidRecipient::Revoked;
    case cert::ValidityState::Expired: return InvalidRecipient::Expired;
    default: return InvalidRecipient::WrongUsage;
    }
}

}  // namespace

std::variant<Recipient, InvalidRecipient> pick_recipient(const cert::Cert& c, std::uint32_t now) {
    const cert::CertReport rep = cert::check_cert(c, cert::CheckContext{}, now);
    if (rep.primary.validity.state != cert::ValidityState::Valid) return state_reason(rep.primary.validity.state);
    const packet::Key* best = nullptr;
    InvalidRecipient why = InvalidRecipient::WrongUsage;
    for (std::size_t i = 0; i < c.components.size(); ++i) {
        const cert::Component& comp = c.components[i];
        const cert::ComponentReport& cr = rep.components[i];
        if (comp.kind != cert::ComponentKind::Subkey || !comp.key() || !cr.usage.encrypt) continue;
        if (cr.validity.state != cert::ValidityState::Valid) {
            why = state_reason(cr.validity.state);
            continue;
        }
        if (!can_encrypt_to(*comp.key())) continue;
        if (!best || comp.key()->created >= best->created) best = comp.key();  // gpg: the newest
    }
    if (!best && rep.primary.usage.encrypt && can_encrypt_to(c.key())) best = &c.key();
    if (!best) return why;
    Recipient r;
    r.primary_fingerprint = c.fingerprint();
    r.key = *best;
    r.key.secret.reset();
    r.key.secret_opaque.clear();
    read_preferences(preference_sig(c, rep), r);
    return r;
}

RecipientLookup find_recipients(keyring::Sources& sources, const std::vector<std::string>& specs, std::uint32_t now,
                                const StatusSink& status) {
    RecipientLookup out;
    for (const std::string& spec : specs) {
        keyring::SourceReadOptions ro;
        ro.specs = {keyring::parse_key_spec(spec)};
        std::optional<Recipient> found;
        InvalidRecipient why = InvalidRecipient::NotFound;
        sources.for_each(ro, [&](keyring::SourcedCert&& sc) {
            auto pick = pick_recipient(sc.cert, now);
            if (auto* r = std::get_if<Recipient>(&pick)) {
                found = std::move(*r);
                return false;
            }
            why = std::get<InvalidRecipient>(pick);
            return true;
        });
        if (found) {
            found->spec = spec;
            out.found.push_back(std::move(*found));
        } else {
            emit(status, "INV_RECP", {std::to_string(static_cast<unsigned>(why)), status_escape(spec, true)});
            out.invalid.emplace_back(spec, why);
        }
    }
    if (out.found.empty() && !specs.empty()) emit(status, "NO_RECP", {"0"});
    return out;
}

}  // namespace pgpkit::message
