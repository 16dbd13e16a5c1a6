#pragma once
// Basic byte containers shared by the packet layer.

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace pgpkit {

using Bytes = std::vector<std::uint8_t>;
using ByteView = std::span<const std::uint8_t>;

inline ByteView as_bytes(std::string_view s) noexcept {
    return {reinterpret_cast<const std::uint8_t*>(s.data()), s.size()};
}
inline std::string_view as_text(ByteView b) noexcept {
    return {reinterpret_cast<const char*>(b.data()), b.size()};
}
/** Upper-case hexadecimal, no separators. */
std::string to_hex(ByteView b);
/** Lower-case hexadecimal, no separators. */
std::string to_hex_lower(ByteView b);

}  // namespace pgpkit
