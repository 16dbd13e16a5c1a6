#include "message/decrypt_keys.h"

#include <algorithm>

namespace pgpkit::message {

namespace {

bool anonymous(const std::array<std::uint8_t, 8>& id) {
    return std::all_of(id.begin(), id.end(), [](std::uint8_t b) { return b == 0; });
}

}  // namespace

bool has_key_id(const cert::Cert& c, const std::array<std::uint8_t, 8>& keyid) noexcept {
    if (c.key().keyid == keyid) return true;
    for (const cert::Component& s : c.components)
        if (s.kind == cert::ComponentKind::Subkey && s.key() && s.key()->keyid == keyid) return true;
    return false;
}

std::vector<cert::Tsk> StoreSecretKeys::secret_keys(const std::array<std::uint8_t, 8>& keyid) {
    std::vector<Bytes> fprs;
    if (anonymous(keyid)) {
        m_store.for_each([&](const keyring::StoredCert& c) {
            if (c.has_secret) fprs.push_back(c.fingerprint);
            return true;
        });
    } else {
        fprs = m_store.find_by_key_id(ByteView(keyid.data(), keyid.size()));
    }
    std::vector<cert::Tsk> out;
    for (const Bytes& f : fprs) {
        const auto sec = m_store.get_secret(f);
        if (!sec) continue;
        for (cert::Cert& c : cert::read_all_certs(ByteView(sec->data(), sec->size())))
            if (c.secret()) out.push_back(std::move(c));
    }
    return out;
}

std::optional<cert::Cert> StoreSecretKeys::certificate(const std::array<std::uint8_t, 8>& keyid) {
    if (anonymous(keyid)) return std::nullopt;
    for (const Bytes& f : m_store.find_by_key_id(ByteView(keyid.data(), keyid.size()))) {
        const auto stored = m_store.get(f);
        if (!stored) continue;
        auto certs = cert::read_all_certs(stored->keyblock);
        if (!certs.empty()) return std::move(certs.front());
    }
    return std::nullopt;
}

std::vector<cert::Tsk> MemorySecretKeys::secret_keys(const std::array<std::uint8_t, 8>& keyid) {
    std::vector<cert::Tsk> out;
    for (const cert::Cert& c : m_certs)
        if (c.secret() && (anonymous(keyid) || has_key_id(c, keyid))) out.push_back(c);
    return out;
}

std::optional<cert::Cert> MemorySecretKeys::certificate(const std::array<std::uint8_t, 8>& keyid) {
    for (const cert::Cert& c : m_certs)
        if (has_key_id(c, keyid)) return c;
    return std::nullopt;
}

}  // namespace pgpkit::message
