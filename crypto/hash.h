#pragma once
// Message digests (the only place besides other crypto/ units that includes Botan).

#include <cstddef>
#include <cstdint>
#include <memory>
#include <span>
#include <string_view>
#include <vector>

namespace pgpkit::crypto {

enum class HashKind : std::uint8_t { Md5, Sha1, Ripemd160, Sha256, Sha384, Sha512, Sha224, Sha3_256, Sha3_512 };

/** Octet length of a digest of `kind`. */
std::size_t hash_size(HashKind kind) noexcept;

/** An incremental hash. Throws pgpkit::Error(Errc::Crypto) if the algorithm is unavailable. */
class Hasher {
public:
    explicit Hasher(HashKind kind);
    ~Hasher();
    Hasher(Hasher&&) noexcept;
    Hasher& operator=(Hasher&&) noexcept;

    void update(std::span<const std::uint8_t> data);
    void update(std::uint8_t b) { update({&b, 1}); }
    /** Returns the digest and resets the hasher. */
    std::vector<std::uint8_t> final();
    std::size_t digest_size() const noexcept;

private:
    struct Impl;
    std::unique_ptr<Impl> m_impl;
};

/** One-shot digest. */
std::vector<std::uint8_t> digest(HashKind kind, std::span<const std::uint8_t> data);

}  // namespace pgpkit::crypto
