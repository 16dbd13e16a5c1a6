#include "armor/crc24.h"

#include <array>

#if defined(__x86_64__) && defined(__GNUC__)
#include <immintrin.h>
#define PGPKIT_CRC24_CLMUL 1
#endif

namespace pgpkit::armor {

namespace {

using Table = std::array<std::array<std::uint32_t, 256>, 8>;

constexpr Table make_tables() {
    Table t{};
    constexpr std::uint32_t poly = crc24_poly << 8;
    for (std::uint32_t b = 0; b < 256; ++b) {
        std::uint32_t r = b << 24;
        for (int i = 0; i < 8; ++i) r = (r & 0x80000000u) ? (r << 1) ^ poly : (r << 1);
        t[0][b] = r;
    }
    for (std::size_t k = 1; k < 8; ++k)
        for (std::size_t b = 0; b < 256; ++b)
            t[k][b] = (t[k - 1][b] << 8) ^ t[0][t[k - 1][b] >> 24];
    return t;
}

constexpr Table tables = make_tables();

inline std::uint32_t load_be32(const std::uint8_t* p) noexcept {
    return (std::uint32_t{p[0]} << 24) | (std::uint32_t{p[1]} << 16) |
           (std::uint32_t{p[2]} << 8) | std::uint32_t{p[3]};
}

std::uint32_t update_tables(std::uint32_t c, const std::uint8_t* p, std::size_t n) noexcept {
    while (n >= 8) {
        std::uint32_t a = c ^ load_be32(p);
        std::uint32_t b = load_be32(p + 4);
        c = tables[7][a >> 24] ^ tables[6][(a >> 16) & 0xFF] ^ tables[5][(a >> 8) & 0xFF] ^
            tables[4][a & 0xFF] ^ tables[3][b >> 24] ^ tables[2][(b >> 16) & 0xFF] ^
            tables[1][(b >> 8) & 0xFF] ^ tables[0][b & 0xFF];
        p += 8;
        n -= 8;
    }
    while (n--) c = (c << 8) ^ tables[0][(c >> 24) ^ *p++];
    return c;
}

#ifdef PGPKIT_CRC24_CLMUL
// The register is a 32-bit CRC with generator G = x^8 * P (P the CRC-24 polynomial).
// Folding with carry-less multiplication: a 128-bit block A = A_hi x^64 + A_lo moved 128
// bits on is A_hi (x^192 mod G) + A_lo (x^128 mod G), which is then added to the next
// block. What is left is a 16-byte message congruent to the input, finished by table.
constexpr std::uint64_t x_pow_mod_g(unsigned n) {
    std::uint64_t r = 1;
    for (unsigned i = 0; i < n; ++i) {
        r <<= 1;
        if (r & (std::uint64_t{1} << 32)) r ^= (std::uint64_t{1} << 32) | (std::uint64_t{crc24_poly} << 8);
    }
    return r;
}
constexpr std::uint64_t k128 = x_pow_mod_g(128);
constexpr std::uint64_t k192 = x_pow_mod_g(192);

__attribute__((target("pclmul,ssse3,sse4.1"))) std::uint32_t update_clmul(
    std::uint32_t c, const std::uint8_t* p, std::size_t n) noexcept {
    const __m128i reverse = _mm_setr_epi8(15, 14, 13, 12, 11, 10, 9, 8, 7, 6, 5, 4, 3, 2, 1, 0);
    const __m128i k = _mm_set_epi64x(static_cast<long long>(k192), static_cast<long long>(k128));
    __m128i x = _mm_shuffle_epi8(_mm_loadu_si128(reinterpret_cast<const __m128i*>(p)), reverse);
    x = _mm_xor_si128(x, _mm_set_epi32(static_cast<int>(c), 0, 0, 0));
    p += 16;
    n -= 16;
    while (n >= 16) {
        __m128i b = _mm_shuffle_epi8(_mm_loadu_si128(reinterpret_cast<const __m128i*>(p)), reverse);
        __m128i hi = _mm_clmulepi64_si128(x, k, 0x11);
        __m128i lo = _mm_clmulepi64_si128(x, k, 0x00);
        x = _mm_xor_si128(_mm_xor_si128(hi, lo), b);
        p += 16;
        n -= 16;
    }
    alignas(16) std::uint8_t rest[16];
    _mm_store_si128(reinterpret_cast<__m128i*>(rest), _mm_shuffle_epi8(x, reverse));
    c = update_tables(0, rest, sizeof rest);
    return update_tables(c, p, n);
}

bool detect_clmul() noexcept {
    __builtin_cpu_init();
    return __builtin_cpu_supports("pclmul") && __builtin_cpu_supports("sse4.1");
}
const bool have_clmul = detect_clmul();
#endif

}  // namespace

void Crc24::update(ByteView data) noexcept {
    const std::uint8_t* p = data.data();
    std::size_t n = data.size();
    std::uint32_t c = m_state;
#ifdef PGPKIT_CRC24_CLMUL
    if (have_clmul && n >= 256) {
        m_state = update_clmul(c, p, n) & 0xFFFFFF00u;
        return;
    }
#endif
    m_state = update_tables(c, p, n) & 0xFFFFFF00u;
}

std::uint32_t crc24(ByteView data) noexcept {
    Crc24 c;
    c.update(data);
    return c.value();
}

}  // namespace pgpkit::armor
