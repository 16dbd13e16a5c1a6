#pragma once
// Appends big-endian integers and byte runs to a vector (HOUSE-STYLE rule 14).

#include <cstdint>
#include <type_traits>

#include "base/bytes.h"

namespace pgpkit::packet {

class ByteWriter {
public:
    explicit ByteWriter(Bytes& out) noexcept : m_out(out) {}
    void u8(std::uint8_t v) { m_out.push_back(v); }
    /** A wire enum (Tag, PubkeyAlgo, ...) as its octet. */
    template <class E>
        requires std::is_enum_v<E> && std::is_same_v<std::underlying_type_t<E>, std::uint8_t>
    void u8(E v) {
        m_out.push_back(static_cast<std::uint8_t>(v));
    }
    void be16(std::uint16_t v) {
        m_out.push_back(static_cast<std::uint8_t>(v >> 8));
        m_out.push_back(static_cast<std::uint8_t>(v));
    }
    void be32(std::uint32_t v) {
        for (int s = 24; s >= 0; s -= 8) m_out.push_back(static_cast<std::uint8_t>(v >> s));
    }
    void bytes(ByteView b) { m_out.insert(m_out.end(), b.begin(), b.end()); }
    std::size_t size() const noexcept { return m_out.size(); }
    Bytes& buffer() noexcept { return m_out; }

private:
    Bytes& m_out;
};

}  // namespace pgpkit::packet
