#include "base/bytes.h"

namespace pgpkit {

namespace {
constexpr char upper_digits[] = "0123456789ABCDEF";
constexpr char lower_digits[] = "0123456789abcdef";
std::string hex_with(ByteView b, const char* digits) {
    std::string s(b.size() * 2, '0');
    for (std::size_t i = 0; i < b.size(); ++i) {
        s[2 * i] = digits[b[i] >> 4];
        s[2 * i + 1] = digits[b[i] & 15];
    }
    return s;
}
}  // namespace

std::string to_hex(ByteView b) { return hex_with(b, upper_digits); }
std::string to_hex_lower(ByteView b) { return hex_with(b, lower_digits); }

}  // namespace pgpkit
