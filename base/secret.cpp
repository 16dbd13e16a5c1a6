#include "base/secret.h"

#include <cstring>

namespace pgpkit {

namespace {
// A call through a volatile function pointer: the compiler cannot prove it is memset, so
// it cannot drop the store as dead even when the buffer is freed right after.
void* (*const volatile memset_v)(void*, int, std::size_t) = std::memset;
}  // namespace

void wipe(void* data, std::size_t len) noexcept {
    if (data == nullptr || len == 0) return;
    memset_v(data, 0, len);
}

bool constant_time_equal(std::span<const std::uint8_t> a, std::span<const std::uint8_t> b) noexcept {
    if (a.size() != b.size()) return false;
    volatile std::uint8_t diff = 0;
    for (std::size_t i = 0; i < a.size(); ++i) diff = static_cast<std::uint8_t>(diff | (a[i] ^ b[i]));
    return diff == 0;
}

SecretBytes to_secret(std::vector<std::uint8_t>& plain) {
    SecretBytes out(plain.begin(), plain.end());
    wipe(plain.data(), plain.size());
    plain.clear();
    plain.shrink_to_fit();
    return out;
}

}  // namespace pgpkit
