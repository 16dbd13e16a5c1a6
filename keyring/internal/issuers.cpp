#include "keyring/internal/issuers.h"

#include <algorithm>
#include <string>

#include "base/error.h"

namespace pgpkit::keyring::internal {

cert::Cert parse_stored(ByteView block, ByteView fpr) {
    auto certs = cert::read_all_certs(block);
    if (certs.size() != 1) throw Error(Errc::BadField, 0, "stored keyblock " + to_hex(fpr) + " does not parse");
    return std::move(certs[0]);
}

std::vector<std::array<std::uint8_t, 8>> third_party_issuers(const cert::Cert& c) {
    std::vector<std::array<std::uint8_t, 8>> out;
    auto scan = [&](const cert::Component& comp) {
        for (const packet::Packet* p : comp.signatures()) {
            const auto id = p->get<packet::Signature>()->issuer_keyid();
            if (id && *id != c.key().keyid) out.push_back(*id);
        }
    };
    scan(c.primary);
    for (const auto& comp : c.components) scan(comp);
    return out;
}

Bytes keyid_of_fingerprint(ByteView fpr) {
    if (fpr.size() == 20) return Bytes(fpr.end() - 8, fpr.end());
    return Bytes(fpr.begin(), fpr.begin() + std::min<std::size_t>(8, fpr.size()));
}

std::optional<Bytes> primary_of_issuer(Store& store, const packet::Signature& s) {
    if (auto fpr = s.issuer_fingerprint(); fpr && store.get(*fpr)) return fpr;
    const auto id = s.issuer_keyid();
    if (!id) return std::nullopt;
    const Bytes want(id->begin(), id->end());
    for (Bytes& cand : store.find_by_key_id(want))
        if (keyid_of_fingerprint(cand) == want) return std::move(cand);
    return std::nullopt;
}

void load_issuers(Store& store, const cert::Cert& c, IssuerKeys& out) {
    load_issuers(store, third_party_issuers(c), out);
}

void load_issuers(Store& store, const std::vector<std::array<std::uint8_t, 8>>& keyids, IssuerKeys& out) {
    std::vector<std::string> loaded;  // hex: GCC 12 warns falsely on containers of Bytes
    for (const auto& have : out.certs) loaded.push_back(to_hex(have->fingerprint()));
    for (const auto& id : keyids)
        for (const Bytes& fpr : store.find_by_key_id(ByteView(id.data(), id.size()))) {
            std::string hex = to_hex(fpr);
            if (std::find(loaded.begin(), loaded.end(), hex) != loaded.end()) continue;
            loaded.push_back(std::move(hex));
            if (const auto s = store.get(fpr)) {
                out.certs.push_back(std::make_unique<cert::Cert>(parse_stored(s->keyblock, fpr)));
                out.index.add(*out.certs.back());
            }
        }
}

}  // namespace pgpkit::keyring::internal
