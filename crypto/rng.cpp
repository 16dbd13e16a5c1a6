#include "crypto/rng.h"

#include <botan/chacha_rng.h>
#include <botan/exceptn.h>
#include <botan/hash.h>
#include <botan/system_rng.h>

#include <string>

#include "base/secret.h"
#include "crypto/internal/secret_conv.h"
#include "base/error.h"

namespace pgpkit::crypto {

struct Rng::Impl {
    std::unique_ptr<Botan::RandomNumberGenerator> rng;
    SecretBytes seed;  // empty for the system generator
};

Rng::Rng(std::unique_ptr<Impl> impl) noexcept : m_impl(std::move(impl)) {}
Rng::~Rng() = default;
Rng::Rng(Rng&&) noexcept = default;
Rng& Rng::operator=(Rng&&) noexcept = default;

Rng Rng::system() {
    auto impl = std::make_unique<Impl>();
    try {
        impl->rng = std::make_unique<Botan::System_RNG>();
    } catch (const Botan::Exception& e) {
        throw Error(Errc::Crypto, 0, std::string("system random generator unavailable: ") + e.what());
    }
    return Rng(std::move(impl));
}

Rng Rng::seeded(std::span<const std::uint8_t> seed) {
    if (seed.size() < 16)
        throw Error(Errc::Usage, 0, "a seed needs at least 16 octets (32 hex digits), got " +
                                        std::to_string(seed.size()));
    auto impl = std::make_unique<Impl>();
    impl->seed.assign(seed.begin(), seed.end());
    impl->rng = std::make_unique<Botan::ChaCha_RNG>(internal::to_botan(impl->seed));
    return Rng(std::move(impl));
}

void Rng::fill(std::span<std::uint8_t> out) { m_impl->rng->randomize(out.data(), out.size()); }

bool Rng::deterministic() const noexcept { return !m_impl->seed.empty(); }

Rng Rng::fork(std::uint32_t index) const {
    if (!deterministic()) return system();
    auto h = Botan::HashFunction::create_or_throw("SHA-256");
    h->update(m_impl->seed.data(), m_impl->seed.size());
    const std::uint8_t idx[4] = {static_cast<std::uint8_t>(index >> 24), static_cast<std::uint8_t>(index >> 16),
                                 static_cast<std::uint8_t>(index >> 8), static_cast<std::uint8_t>(index)};
    h->update(idx, sizeof idx);
    const Botan::secure_vector<std::uint8_t> derived = h->final();
    return seeded(derived);
}

Botan::RandomNumberGenerator& Rng::backend() noexcept { return *m_impl->rng; }

}  // namespace pgpkit::crypto
