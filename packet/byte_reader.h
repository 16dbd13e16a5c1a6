#pragma once
// Bounds-checked cursor over a byte span (HOUSE-STYLE rule 11).

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <type_traits>

#include "base/bytes.h"
#include "base/error.h"

namespace pgpkit::packet {

/**
 * Reads big-endian integers and byte runs from a span. Every read checks the length first
 * and throws Error(Errc::Truncated) naming the absolute offset and what was being read.
 */
class ByteReader {
public:
    explicit ByteReader(ByteView data, std::uint64_t base_offset = 0) noexcept
        : m_rest(data), m_offset(base_offset) {}

    std::uint8_t u8(std::string_view what = "octet") {
        need(1, what);
        std::uint8_t v = m_rest[0];
        advance(1);
        return v;
    }
    /** One octet as a wire enum (Tag, PubkeyAlgo, ...): every octet is representable. */
    template <class E>
        requires std::is_enum_v<E> && std::is_same_v<std::underlying_type_t<E>, std::uint8_t>
    E enum8(std::string_view what = "octet") {
        return static_cast<E>(u8(what));
    }
    std::uint16_t be16(std::string_view what = "two-octet field") {
        need(2, what);
        std::uint16_t v = static_cast<std::uint16_t>((m_rest[0] << 8) | m_rest[1]);
        advance(2);
        return v;
    }
    std::uint32_t be32(std::string_view what = "four-octet field") {
        need(4, what);
        std::uint32_t v = (std::uint32_t{m_rest[0]} << 24) | (std::uint32_t{m_rest[1]} << 16) |
                          (std::uint32_t{m_rest[2]} << 8) | std::uint32_t{m_rest[3]};
        advance(4);
        return v;
    }
    /** A zero-copy view of the next n bytes. */
    ByteView take(std::size_t n, std::string_view what = "field") {
        need(n, what);
        ByteView v = m_rest.first(n);
        advance(n);
        return v;
    }
    Bytes take_bytes(std::size_t n, std::string_view what = "field") {
        ByteView v = take(n, what);
        return Bytes(v.begin(), v.end());
    }
    /** Everything that is left. */
    ByteView rest() noexcept {
        ByteView v = m_rest;
        advance(m_rest.size());
        return v;
    }
    /** Copies everything that is left. */
    Bytes rest_bytes() {
        ByteView v = rest();
        return Bytes(v.begin(), v.end());
    }
    /** A child reader over the next n bytes; the parent skips them. */
    ByteReader sub(std::size_t n, std::string_view what = "field") {
        std::uint64_t at = m_offset;
        return ByteReader(take(n, what), at);
    }
    std::optional<std::uint8_t> peek() const noexcept {
        if (m_rest.empty()) return std::nullopt;
        return m_rest[0];
    }

    std::size_t remaining() const noexcept { return m_rest.size(); }
    bool empty() const noexcept { return m_rest.empty(); }
    std::uint64_t offset() const noexcept { return m_offset; }

    /** Throws Errc::BadLength if bytes remain. */
    void expect_end(std::string_view what) const {
        if (!m_rest.empty())
            throw Error(Errc::BadLength, m_offset,
                        std::to_string(m_rest.size()) + " unexpected trailing octets after " +
                            std::string(what));
    }

private:
    void need(std::size_t n, std::string_view what) const {
        if (n > m_rest.size()) truncated(n, what);
    }
    [[noreturn]] void truncated(std::size_t wanted, std::string_view what) const {
        throw Error(Errc::Truncated, m_offset,
                    "truncated " + std::string(what) + " (needs " + std::to_string(wanted) +
                        " octets, " + std::to_string(m_rest.size()) + " left)");
    }
    void advance(std::size_t n) noexcept {
        m_rest = m_rest.subspan(n);
        m_offset += n;
    }

    ByteView m_rest;
    std::uint64_t m_offset;
};

}  // namespace pgpkit::packet
