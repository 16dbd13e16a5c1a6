#include "armor/base64.h"

#include <array>
#include <cstring>

#if defined(__x86_64__) && defined(__GNUC__)
#include <immintrin.h>
#define PGPKIT_BASE64_AVX2 1
#endif

#include "base/error.h"

namespace pgpkit::armor {

namespace {

constexpr char alphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

// Encoding: one lookup per 12 input bits yields two output characters.
constexpr std::array<std::array<char, 2>, 4096> make_pair_table() {
    std::array<std::array<char, 2>, 4096> t{};
    for (std::size_t i = 0; i < 4096; ++i) t[i] = {alphabet[i >> 6], alphabet[i & 63]};
    return t;
}
constexpr auto pair_table = make_pair_table();

// Decoding: four tables, each placing a character's six bits at its position in the
// 24-bit group; characters outside the alphabet set bit 24 so one test per group finds
// them.
constexpr std::uint32_t bad = 0x01000000u;
using DecodeTable = std::array<std::uint32_t, 256>;
constexpr DecodeTable make_decode_table(unsigned shift) {
    DecodeTable t{};
    for (auto& v : t) v = bad;
    for (std::uint32_t i = 0; i < 64; ++i)
        t[static_cast<unsigned char>(alphabet[i])] = i << shift;
    return t;
}
constexpr DecodeTable d0 = make_decode_table(18);
constexpr DecodeTable d1 = make_decode_table(12);
constexpr DecodeTable d2 = make_decode_table(6);
constexpr DecodeTable d3 = make_decode_table(0);

inline std::uint32_t quad(const char* p) noexcept {
    const auto* u = reinterpret_cast<const unsigned char*>(p);
    return d0[u[0]] | d1[u[1]] | d2[u[2]] | d3[u[3]];
}

inline void put3(std::uint8_t* o, std::uint32_t x) noexcept {
    o[0] = static_cast<std::uint8_t>(x >> 16);
    o[1] = static_cast<std::uint8_t>(x >> 8);
    o[2] = static_cast<std::uint8_t>(x);
}

#ifdef PGPKIT_BASE64_AVX2
// AVX2 decoder after W. Mula and D. Lemire, "Faster Base64 Encoding and Decoding Using
// AVX2 Instructions" (2018): classify by nibble lookups, translate with a per-range offset,
// and pack 32 characters into 24 bytes with multiply-adds. Returns false (writing nothing)
// if any of the 32 characters is outside the alphabet.
__attribute__((target("avx2"))) bool decode32_avx2(const char* in, std::uint8_t* out) noexcept {
    const __m256i str = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(in));
    const __m256i lut_lo = _mm256_setr_epi8(
        0x15, 0x11, 0x11, 0x11, 0x11, 0x11, 0x11, 0x11, 0x11, 0x11, 0x13, 0x1A, 0x1B, 0x1B, 0x1B, 0x1A,
        0x15, 0x11, 0x11, 0x11, 0x11, 0x11, 0x11, 0x11, 0x11, 0x11, 0x13, 0x1A, 0x1B, 0x1B, 0x1B, 0x1A);
    const __m256i lut_hi = _mm256_setr_epi8(
        0x10, 0x10, 0x01, 0x02, 0x04, 0x08, 0x04, 0x08, 0x10, 0x10, 0x10, 0x10, 0x10, 0x10, 0x10, 0x10,
        0x10, 0x10, 0x01, 0x02, 0x04, 0x08, 0x04, 0x08, 0x10, 0x10, 0x10, 0x10, 0x10, 0x10, 0x10, 0x10);
    const __m256i lut_roll = _mm256_setr_epi8(
        0, 16, 19, 4, -65, -65, -71, -71, 0, 0, 0, 0, 0, 0, 0, 0,
        0, 16, 19, 4, -65, -65, -71, -71, 0, 0, 0, 0, 0, 0, 0, 0);
    const __m256i nibble = _mm256_set1_epi8(0x0F);
    const __m256i hi_nibbles = _mm256_and_si256(_mm256_srli_epi32(str, 4), nibble);
    const __m256i lo_nibbles = _mm256_and_si256(str, nibble);
    const __m256i lo = _mm256_shuffle_epi8(lut_lo, lo_nibbles);
    const __m256i hi = _mm256_shuffle_epi8(lut_hi, hi_nibbles);
    if (!_mm256_testz_si256(lo, hi)) return false;
    const __m256i eq_2f = _mm256_cmpeq_epi8(str, _mm256_set1_epi8(0x2F));
    const __m256i roll = _mm256_shuffle_epi8(lut_roll, _mm256_add_epi8(eq_2f, hi_nibbles));
    const __m256i values = _mm256_add_epi8(str, roll);
    const __m256i ab_bc = _mm256_maddubs_epi16(values, _mm256_set1_epi32(0x01400140));
    const __m256i abcd = _mm256_madd_epi16(ab_bc, _mm256_set1_epi32(0x00011000));
    const __m256i bytes = _mm256_shuffle_epi8(
        abcd, _mm256_setr_epi8(2, 1, 0, 6, 5, 4, 10, 9, 8, 14, 13, 12, -1, -1, -1, -1,
                               2, 1, 0, 6, 5, 4, 10, 9, 8, 14, 13, 12, -1, -1, -1, -1));
    const __m256i packed = _mm256_permutevar8x32_epi32(bytes, _mm256_setr_epi32(0, 1, 2, 4, 5, 6, 7, 7));
    _mm_storeu_si128(reinterpret_cast<__m128i*>(out), _mm256_castsi256_si128(packed));
    _mm_storel_epi64(reinterpret_cast<__m128i*>(out + 16), _mm256_extracti128_si256(packed, 1));
    return true;
}

// AVX2 encoder of the same paper: 24 input bytes (lane 0 from p, lane 1 from p + 12, so
// 28 bytes must be readable) to 32 characters.
__attribute__((target("avx2"))) void encode24_avx2(const std::uint8_t* p, char* out) noexcept {
    const __m256i input = _mm256_inserti128_si256(
        _mm256_castsi128_si256(_mm_loadu_si128(reinterpret_cast<const __m128i*>(p))),
        _mm_loadu_si128(reinterpret_cast<const __m128i*>(p + 12)), 1);
    const __m256i in = _mm256_shuffle_epi8(
        input, _mm256_setr_epi8(1, 0, 2, 1, 4, 3, 5, 4, 7, 6, 8, 7, 10, 9, 11, 10,
                                1, 0, 2, 1, 4, 3, 5, 4, 7, 6, 8, 7, 10, 9, 11, 10));
    const __m256i t0 = _mm256_and_si256(in, _mm256_set1_epi32(0x0fc0fc00));
    const __m256i t1 = _mm256_mulhi_epu16(t0, _mm256_set1_epi32(0x04000040));
    const __m256i t2 = _mm256_and_si256(in, _mm256_set1_epi32(0x003f03f0));
    const __m256i t3 = _mm256_mullo_epi16(t2, _mm256_set1_epi32(0x01000010));
    const __m256i sextets = _mm256_or_si256(t1, t3);
    const __m256i lut = _mm256_setr_epi8(65, 71, -4, -4, -4, -4, -4, -4, -4, -4, -4, -4, -19, -16, 0, 0,
                                         65, 71, -4, -4, -4, -4, -4, -4, -4, -4, -4, -4, -19, -16, 0, 0);
    __m256i idx = _mm256_subs_epu8(sextets, _mm256_set1_epi8(51));
    idx = _mm256_sub_epi8(idx, _mm256_cmpgt_epi8(sextets, _mm256_set1_epi8(25)));
    const __m256i chars = _mm256_add_epi8(sextets, _mm256_shuffle_epi8(lut, idx));
    _mm256_storeu_si256(reinterpret_cast<__m256i*>(out), chars);
}

bool detect_avx2() noexcept {
    __builtin_cpu_init();
    return __builtin_cpu_supports("avx2");
}
const bool have_avx2 = detect_avx2();
#endif

}  // namespace

std::size_t base64_encode_to(ByteView in, char* out) noexcept {
    return base64_encode_to(in, out, in.size());
}

std::size_t base64_encode_to(ByteView in, char* out, std::size_t readable) noexcept {
    const std::uint8_t* p = in.data();
    std::size_t n = in.size();
    char* o = out;
#ifdef PGPKIT_BASE64_AVX2
    if (have_avx2) {
        // The vector loads read 4 bytes past each 24-byte block.
        while (n >= 24 && readable >= 28) {
            encode24_avx2(p, o);
            p += 24;
            n -= 24;
            readable -= 24;
            o += 32;
        }
    }
#endif
    while (n >= 3) {
        std::uint32_t x = (std::uint32_t{p[0]} << 16) | (std::uint32_t{p[1]} << 8) | p[2];
        std::memcpy(o, pair_table[x >> 12].data(), 2);
        std::memcpy(o + 2, pair_table[x & 0xFFF].data(), 2);
        p += 3;
        n -= 3;
        o += 4;
    }
    if (n > 0) {
        std::uint32_t x = std::uint32_t{p[0]} << 16;
        if (n == 2) x |= std::uint32_t{p[1]} << 8;
        o[0] = alphabet[x >> 18];
        o[1] = alphabet[(x >> 12) & 63];
        o[2] = n == 2 ? alphabet[(x >> 6) & 63] : '=';
        o[3] = '=';
        o += 4;
    }
    return static_cast<std::size_t>(o - out);
}

std::string base64_encode(ByteView in) {
    std::string s(base64_encoded_size(in.size()), '\0');
    base64_encode_to(in, s.data());
    return s;
}

std::size_t base64_decode_quads(const char* in, std::size_t quads, std::uint8_t* out) noexcept {
    std::size_t done = 0;
#ifdef PGPKIT_BASE64_AVX2
    if (have_avx2) {
        while (quads - done >= 8 && decode32_avx2(in, out)) {
            in += 32;
            out += 24;
            done += 8;
        }
    }
#endif
    // Four groups per step: one branch for 16 characters.
    while (quads - done >= 4) {
        std::uint32_t a = quad(in), b = quad(in + 4), c = quad(in + 8), d = quad(in + 12);
        if ((a | b | c | d) & bad) break;
        put3(out, a);
        put3(out + 3, b);
        put3(out + 6, c);
        put3(out + 9, d);
        in += 16;
        out += 12;
        done += 4;
    }
    while (done < quads) {
        std::uint32_t a = quad(in);
        if (a & bad) break;
        put3(out, a);
        in += 4;
        out += 3;
        ++done;
    }
    return done;
}

int base64_value(char c) noexcept {
    std::uint32_t v = d3[static_cast<unsigned char>(c)];
    return v & bad ? -1 : static_cast<int>(v);
}

Bytes base64_decode(std::string_view in) {
    Bytes out((in.size() / 4 + 1) * 3);
    std::size_t q = base64_decode_quads(in.data(), in.size() / 4, out.data());
    std::size_t pos = q * 4;
    std::size_t len = q * 3;
    std::uint32_t acc = 0;
    unsigned n = 0;
    for (; pos < in.size(); ++pos) {
        char c = in[pos];
        if (c == '=') break;
        int v = base64_value(c);
        if (v < 0)
            throw Error(Errc::Armor, pos, "invalid base64 character");
        acc = (acc << 6) | static_cast<std::uint32_t>(v);
        if (++n == 4) {
            put3(out.data() + len, acc);
            len += 3;
            acc = 0;
            n = 0;
        }
    }
    if (n == 1) throw Error(Errc::Armor, pos, "truncated base64 group");
    std::size_t pad_at = pos;
    for (; pos < in.size(); ++pos)
        if (in[pos] != '=') throw Error(Errc::Armor, pos, "base64 data after padding");
    if (pad_at < in.size() && (n == 0 || pos - pad_at != 4 - n))
        throw Error(Errc::Armor, pad_at, "misplaced base64 padding");
    if (n == 2) out[len++] = static_cast<std::uint8_t>(acc >> 4);
    if (n == 3) {
        out[len++] = static_cast<std::uint8_t>(acc >> 10);
        out[len++] = static_cast<std::uint8_t>(acc >> 2);
    }
    out.resize(len);
    return out;
}

}  // namespace pgpkit::armor
