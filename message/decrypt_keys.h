#pragma once
// Secret keys for decryption from the key store (keyring/store.h) or from keyring files.

#include <memory>
#include <string>
#include <vector>

#include "cert/cert.h"
#include "keyring/store.h"
#include "message/decrypt.h"

namespace pgpkit::message {

/** The secret keyblocks of a store (which must outlive it). */
class StoreSecretKeys final : public SecretKeySource {
public:
    explicit StoreSecretKeys(keyring::Store& store) noexcept : m_store(store) {}
    std::vector<cert::Tsk> secret_keys(const std::array<std::uint8_t, 8>& keyid) override;
    std::optional<cert::Cert> certificate(const std::array<std::uint8_t, 8>& keyid) override;

private:
    keyring::Store& m_store;
};

/** Certificates and secret keys held in memory (keyring files, tests, fuzzing). */
class MemorySecretKeys final : public SecretKeySource {
public:
    explicit MemorySecretKeys(std::vector<cert::Cert> certs) : m_certs(std::move(certs)) {}
    std::vector<cert::Tsk> secret_keys(const std::array<std::uint8_t, 8>& keyid) override;
    std::optional<cert::Cert> certificate(const std::array<std::uint8_t, 8>& keyid) override;

private:
    std::vector<cert::Cert> m_certs;
};

/** True if `c` has a key (primary or subkey) with this key ID. */
[[nodiscard]] bool has_key_id(const cert::Cert& c, const std::array<std::uint8_t, 8>& keyid) noexcept;

}  // namespace pgpkit::message
