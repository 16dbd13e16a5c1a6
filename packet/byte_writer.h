#pragma once
// Appends big-endian integers and byte runs to a vector (HOUSE-STYLE rule 14). The target
// is a plain Bytes or, for output that holds secret key material, a SecretBytes: then no
// copy of the written octets is left in plain memory, not even by the vector's growth.

#include <cstdint>
#include <type_traits>

#include "base/bytes.h"
#include "base/secret.h"

namespace pgpkit::packet {

class ByteWriter {
public:
    explicit ByteWriter(Bytes& out) noexcept : m_plain(&out) {}
    /** Writes into wiping memory (secret keys, serialized secret fields). */
    explicit ByteWriter(SecretBytes& out) noexcept : m_secret(&out) {}

    void u8(std::uint8_t v) {
        if (m_secret) m_secret->push_back(v);
        else m_plain->push_back(v);
    }
    /** A wire enum (Tag, PubkeyAlgo, ...) as its octet. */
    template <class E>
        requires std::is_enum_v<E> && std::is_same_v<std::underlying_type_t<E>, std::uint8_t>
    void u8(E v) {
        u8(static_cast<std::uint8_t>(v));
    }
    void be16(std::uint16_t v) {
        u8(static_cast<std::uint8_t>(v >> 8));
        u8(static_cast<std::uint8_t>(v));
    }
    void be32(std::uint32_t v) {
        for (int s = 24; s >= 0; s -= 8) u8(static_cast<std::uint8_t>(v >> s));
    }
    void bytes(ByteView b) {
        if (m_secret) m_secret->insert(m_secret->end(), b.begin(), b.end());
        else m_plain->insert(m_plain->end(), b.begin(), b.end());
    }
    std::size_t size() const noexcept { return m_secret ? m_secret->size() : m_plain->size(); }
    /** True if the target is wiping memory. */
    bool is_secret() const noexcept { return m_secret != nullptr; }

private:
    Bytes* m_plain = nullptr;
    SecretBytes* m_secret = nullptr;
};

}  // namespace pgpkit::packet
