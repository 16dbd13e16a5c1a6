#include "crypto/hash.h"

#include <botan/exceptn.h>
#include <botan/hash.h>

#include "crypto/internal/botan_names.h"
#include "base/error.h"

namespace pgpkit::crypto {

namespace internal {
const char* botan_hash_name(HashKind k) noexcept {
    switch (k) {
    case HashKind::Md5: return "MD5";
    case HashKind::Sha1: return "SHA-1";
    case HashKind::Ripemd160: return "RIPEMD-160";
    case HashKind::Sha256: return "SHA-256";
    case HashKind::Sha384: return "SHA-384";
    case HashKind::Sha512: return "SHA-512";
    case HashKind::Sha224: return "SHA-224";
    case HashKind::Sha3_256: return "SHA-3(256)";
    case HashKind::Sha3_512: return "SHA-3(512)";
    }
    return "SHA-256";
}
}  // namespace internal

std::size_t hash_size(HashKind kind) noexcept {
    switch (kind) {
    case HashKind::Md5: return 16;
    case HashKind::Sha1: case HashKind::Ripemd160: return 20;
    case HashKind::Sha224: return 28;
    case HashKind::Sha256: case HashKind::Sha3_256: return 32;
    case HashKind::Sha384: return 48;
    case HashKind::Sha512: case HashKind::Sha3_512: return 64;
    }
    return 0;
}

struct Hasher::Impl {
    std::unique_ptr<Botan::HashFunction> fn;
};

Hasher::Hasher(HashKind kind) : m_impl(std::make_unique<Impl>()) {
    try {
        m_impl->fn = Botan::HashFunction::create_or_throw(internal::botan_hash_name(kind));
    } catch (const Botan::Exception& e) {
        throw Error(Errc::Crypto, 0, std::string("hash ") + internal::botan_hash_name(kind) + " unavailable: " + e.what());
    }
}
Hasher::~Hasher() = default;
Hasher::Hasher(Hasher&&) noexcept = default;
Hasher& Hasher::operator=(Hasher&&) noexcept = default;

void Hasher::update(std::span<const std::uint8_t> data) { m_impl->fn->update(data.data(), data.size()); }

std::vector<std::uint8_t> Hasher::final() {
    std::vector<std::uint8_t> out(m_impl->fn->output_length());
    m_impl->fn->final(out.data());
    return out;
}

std::size_t Hasher::digest_size() const noexcept { return m_impl->fn->output_length(); }

std::vector<std::uint8_t> digest(HashKind kind, std::span<const std::uint8_t> data) {
    Hasher h(kind);
    h.update(data);
    return h.final();
}

}  // namespace pgpkit::crypto
