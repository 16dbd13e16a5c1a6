#pragma once
// Random number generators, injected everywhere randomness is used (HOUSE-STYLE rule 21):
// the operating system's generator, or a deterministic one seeded by the caller for test
// vectors (pgpkit gen-key --seed).

#include <cstdint>
#include <memory>
#include <span>

namespace Botan {
class RandomNumberGenerator;
}

namespace pgpkit::crypto {

class Rng {
public:
    /** The operating system's generator (getrandom / /dev/urandom). */
    [[nodiscard]] static Rng system();
    /**
     * A deterministic generator (ChaCha20 keyed from `seed`): the same seed yields the
     * same stream. For test vectors only. @throws Error(Errc::Usage) if the seed is
     * shorter than 16 octets.
     */
    [[nodiscard]] static Rng seeded(std::span<const std::uint8_t> seed);

    ~Rng();
    Rng(Rng&&) noexcept;
    Rng& operator=(Rng&&) noexcept;

    /** Fills `out` with random octets. */
    void fill(std::span<std::uint8_t> out);
    /** True for a seeded generator. */
    bool deterministic() const noexcept;
    /**
     * An independent generator for unit of work `index` (one key block): seeded
     * generators derive it from their seed and the index, so parallel work stays
     * reproducible; the system generator returns another system generator.
     */
    [[nodiscard]] Rng fork(std::uint32_t index) const;

    /** The Botan generator behind this one; for crypto/ units only. */
    Botan::RandomNumberGenerator& backend() noexcept;

private:
    struct Impl;
    explicit Rng(std::unique_ptr<Impl> impl) noexcept;
    std::unique_ptr<Impl> m_impl;
};

}  // namespace pgpkit::crypto
