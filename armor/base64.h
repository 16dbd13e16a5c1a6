#pragma once
// Table-driven base64 (RFC 4648 section 4) as used by ASCII armor, RFC 9580 section 6.

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "base/bytes.h"

namespace pgpkit::armor {

/** Characters base64_encode produces for n input bytes (with padding). */
[[nodiscard]] constexpr std::size_t base64_encoded_size(std::size_t n) noexcept {
    return (n + 2) / 3 * 4;
}

/**
 * Encodes `in` into `out`, which must hold base64_encoded_size(in.size()) characters.
 * No line breaks; the last group is padded with '='. Returns the characters written.
 */
std::size_t base64_encode_to(ByteView in, char* out) noexcept;

/**
 * As base64_encode_to(in, out), told that `readable` >= in.size() bytes from in.data()
 * may be read (not used), which lets the vector path run to the end of `in`.
 */
std::size_t base64_encode_to(ByteView in, char* out, std::size_t readable) noexcept;

/** Encodes `in` as one padded base64 string without line breaks. */
[[nodiscard]] std::string base64_encode(ByteView in);

/**
 * Bulk decoder step: decodes up to `quads` groups of four alphabet characters from `in`
 * into 3 bytes each at `out`, stopping before the first group that holds a character
 * outside the alphabet (including '=', whitespace and line ends). Returns the number of
 * groups decoded. This is the hot loop of the armor reader.
 */
std::size_t base64_decode_quads(const char* in, std::size_t quads, std::uint8_t* out) noexcept;

/** Value 0..63 of a base64 alphabet character, or -1. */
[[nodiscard]] int base64_value(char c) noexcept;

/**
 * Decodes a padded or unpadded base64 string with no whitespace.
 * @throws Error(Errc::Armor) for a character outside the alphabet, misplaced padding or
 * a dangling single character; the offset is the index of the character.
 */
[[nodiscard]] Bytes base64_decode(std::string_view in);

}  // namespace pgpkit::armor
