#include "crypto/internal/modexp.h"

#include <algorithm>

#if defined(__x86_64__)
#include <cpuid.h>
#endif

namespace pgpkit::crypto::internal {

namespace {

using Limb = PublicModulus::Limb;
__extension__ typedef unsigned __int128 Wide;  // GCC and Clang: the 64 x 64 -> 128-bit product
__extension__ typedef __int128 SWide;
using Limbs = std::vector<Limb>;

/** Little-endian limbs of big-endian `b`, `k` limbs (b must fit). */
Limbs limbs_of(ByteView b, std::size_t k) {
    Limbs out(k, 0);
    for (std::size_t i = 0; i < b.size(); ++i) {
        const std::size_t pos = b.size() - 1 - i;  // octet i from the right
        out[i / 8] |= static_cast<Limb>(b[pos]) << (8 * (i % 8));
    }
    return out;
}

Bytes octets_of(const Limb* x, std::size_t width) {
    Bytes out(width, 0);
    for (std::size_t i = 0; i < width; ++i)
        out[width - 1 - i] = static_cast<std::uint8_t>(x[i / 8] >> (8 * (i % 8)));
    return out;
}

/** -n0^-1 mod 2^64 for odd n0: each Newton step doubles the correct low bits (3 to 96). */
Limb neg_inverse(Limb n0) {
    Limb x = n0;
    for (int i = 0; i < 5; ++i) x *= 2 - n0 * x;
    return 0 - x;
}

/** a >= n over k limbs, plus `carry` above them. */
bool at_least(const Limb* a, Limb carry, const Limb* n, std::size_t k) {
    if (carry) return true;
    for (std::size_t i = k; i-- > 0;)
        if (a[i] != n[i]) return a[i] > n[i];
    return true;
}

void subtract(Limb* a, const Limb* n, std::size_t k) {
    Limb borrow = 0;
    for (std::size_t i = 0; i < k; ++i) {
        const Wide d = static_cast<Wide>(a[i]) - n[i] - borrow;
        a[i] = static_cast<Limb>(d);
        borrow = static_cast<Limb>(d >> 64) ? 1 : 0;
    }
}

/** t[0, len) += a[0, len) * b; returns the limb carried out. Portable C++. */
Limb addmul_row_plain(Limb* t, const Limb* a, std::size_t len, Limb b) {
    Limb c = 0;
    for (std::size_t j = 0; j < len; ++j) {
        const Wide w = static_cast<Wide>(a[j]) * b + t[j] + c;
        t[j] = static_cast<Limb>(w);
        c = static_cast<Limb>(w >> 64);
    }
    return c;
}

#if defined(__x86_64__)
/**
 * addmul_row_plain with BMI2 and ADX: mulx leaves the flags alone, so t[j] comes in on
 * the CF chain (adcx) and the previous product's high limb on the OF chain (adox), two
 * carry chains at once. The loop is counted with lea and jrcxz, which keep both flags.
 * The carry out fits a limb: t + a * b < 2^(64 len) * 2^64.
 */
Limb addmul_row_adx(Limb* t, const Limb* a, std::size_t len, Limb b) {
    if (len == 0) return 0;
    Limb lo, hi, prev;
    __asm__ volatile(
        "xor %k[prev], %k[prev]\n\t"  // prev = 0, CF = OF = 0
        "1:\n\t"
        "mulx (%[a]), %[lo], %[hi]\n\t"
        "adcx (%[t]), %[lo]\n\t"
        "adox %[prev], %[lo]\n\t"
        "mov %[lo], (%[t])\n\t"
        "mov %[hi], %[prev]\n\t"
        "lea 8(%[a]), %[a]\n\t"
        "lea 8(%[t]), %[t]\n\t"
        "lea -1(%[n]), %[n]\n\t"
        "jrcxz 2f\n\t"
        "jmp 1b\n\t"
        "2:\n\t"
        "mov $0, %k[lo]\n\t"
        "adcx %[lo], %[prev]\n\t"
        "adox %[lo], %[prev]\n\t"
        : [t] "+r"(t), [a] "+r"(a), [n] "+c"(len), [lo] "=&r"(lo), [hi] "=&r"(hi), [prev] "=&r"(prev)
        : "d"(b)
        : "cc", "memory");
    return prev;
}

bool cpu_has_adx() {
    unsigned eax = 0, ebx = 0, ecx = 0, edx = 0;
    if (!__get_cpuid_count(7, 0, &eax, &ebx, &ecx, &edx)) return false;
    return (ebx & (1u << 8)) && (ebx & (1u << 19));  // BMI2 (mulx) and ADX
}

Limb addmul_row(Limb* t, const Limb* a, std::size_t len, Limb b) {
    static const bool adx = cpu_has_adx();
    return adx ? addmul_row_adx(t, a, len, b) : addmul_row_plain(t, a, len, b);
}
#else
Limb addmul_row(Limb* t, const Limb* a, std::size_t len, Limb b) { return addmul_row_plain(t, a, len, b); }
#endif

/** t = a * b, 2k limbs. */
void product(const Limb* a, const Limb* b, std::size_t k, Limb* t) {
    std::fill(t, t + 2 * k, Limb{0});
    for (std::size_t i = 0; i < k; ++i) t[i + k] = addmul_row(t + i, a, k, b[i]);  // no row before reached t[i + k]
}

/** t = a^2, 2k limbs: each cross product once, doubled, then the squares added. */
void square(const Limb* a, std::size_t k, Limb* t) {
    std::fill(t, t + 2 * k, Limb{0});
    for (std::size_t i = 0; i < k; ++i) t[i + k] = addmul_row(t + 2 * i + 1, a + i + 1, k - i - 1, a[i]);
    Limb top = 0;
    for (std::size_t i = 0; i < 2 * k; ++i) {
        const Limb v = t[i];
        t[i] = (v << 1) | top;
        top = v >> 63;
    }
    Limb c = 0;
    for (std::size_t i = 0; i < k; ++i) {
        const Wide sq = static_cast<Wide>(a[i]) * a[i];
        Wide s = static_cast<Wide>(t[2 * i]) + static_cast<Limb>(sq) + c;
        t[2 * i] = static_cast<Limb>(s);
        s = static_cast<Wide>(t[2 * i + 1]) + static_cast<Limb>(sq >> 64) + static_cast<Limb>(s >> 64);
        t[2 * i + 1] = static_cast<Limb>(s);
        c = static_cast<Limb>(s >> 64);
    }
}

/**
 * out = t / R mod n (Montgomery reduction) for t below n * R; t (2k limbs) is used up.
 * The carry out of each row's top limb waits in `extra` for the next row, which adds at
 * the limb above.
 */
void reduce(Limb* t, const Limb* n, Limb inv, std::size_t k, Limb* out) {
    Limb extra = 0;
    for (std::size_t i = 0; i < k; ++i) {
        const Limb c = addmul_row(t + i, n, k, t[i] * inv);
        const Wide s = static_cast<Wide>(t[i + k]) + c + extra;
        t[i + k] = static_cast<Limb>(s);
        extra = static_cast<Limb>(s >> 64);
    }
    Limb* hi = t + k;
    if (at_least(hi, extra, n, k)) subtract(hi, n, k);
    std::copy(hi, hi + k, out);
}

/**
 * out = (b * 2^(64k)) mod n, the Montgomery form of b < n, for k > 1: Knuth's algorithm D
 * (TAOCP 4.3.1) on `vn`, n shifted left by `s` bits so its top bit is set, keeping only
 * the remainder. It costs about half a multiplication and needs no R^2 mod n.
 */
void to_montgomery(const Limb* b, const Limb* vn, unsigned s, std::size_t k, Limb* out) {
    Limbs un(2 * k + 1, 0);  // b * 2^(64k), shifted left by s
    for (std::size_t i = 0; i < k; ++i)
        un[k + i] = (b[i] << s) | (s && i ? b[i - 1] >> (64 - s) : 0);
    un[2 * k] = s ? b[k - 1] >> (64 - s) : 0;
    const Limb top = vn[k - 1], next = vn[k - 2];
    for (std::size_t j = k + 1; j-- > 0;) {
        const Wide num = (static_cast<Wide>(un[j + k]) << 64) | un[j + k - 1];
        Wide q = num / top, r = num % top;  // q <= 2^64 + 1: top is normalized
        while ((q >> 64) || q * next > ((r << 64) | un[j + k - 2])) {
            --q;
            r += top;
            if (r >> 64) break;
        }
        SWide borrow = 0;
        for (std::size_t i = 0; i < k; ++i) {
            const Wide p = q * vn[i];
            const SWide t = static_cast<SWide>(un[i + j]) - borrow - static_cast<SWide>(static_cast<Limb>(p));
            un[i + j] = static_cast<Limb>(t);
            borrow = static_cast<SWide>(p >> 64) - (t >> 64);
        }
        const SWide t = static_cast<SWide>(un[j + k]) - borrow;
        un[j + k] = static_cast<Limb>(t);
        if (t >= 0) continue;
        Limb c = 0;  // q was one too large: add vn back
        for (std::size_t i = 0; i < k; ++i) {
            const Wide w = static_cast<Wide>(un[i + j]) + vn[i] + c;
            un[i + j] = static_cast<Limb>(w);
            c = static_cast<Limb>(w >> 64);
        }
        un[j + k] += c;
    }
    for (std::size_t i = 0; i + 1 < k; ++i) out[i] = (un[i] >> s) | (s ? un[i + 1] << (64 - s) : 0);
    out[k - 1] = un[k - 1] >> s;
}

}  // namespace

PublicModulus::PublicModulus(ByteView modulus)
    : m_n(limbs_of(modulus, (modulus.size() + 7) / 8)), m_octets(modulus.size()), m_inv(neg_inverse(m_n[0])) {
    const std::size_t k = m_n.size();
    m_shift = static_cast<unsigned>(__builtin_clzll(m_n[k - 1]));
    m_vn = m_n;
    if (m_shift)
        for (std::size_t i = k; i-- > 0;) m_vn[i] = (m_n[i] << m_shift) | (i ? m_n[i - 1] >> (64 - m_shift) : 0);
}

/** Montgomery form of b < n: one limb by the machine's division, more by to_montgomery. */
void PublicModulus::montgomery_form(const Limb* b, Limb* out) const {
    const std::size_t k = m_n.size();
    if (k == 1) out[0] = static_cast<Limb>((static_cast<Wide>(b[0]) << 64) % m_n[0]);
    else to_montgomery(b, m_vn.data(), m_shift, k, out);
}

Bytes PublicModulus::power(ByteView base, ByteView exponent) const {
    const std::size_t k = m_n.size();
    const Limb* n = m_n.data();
    Limbs t(2 * k), base_m(k), x(k);
    const Limbs b = limbs_of(base, k);
    montgomery_form(b.data(), base_m.data());  // base * R mod n
    std::size_t top = 0;
    while (top < exponent.size() && exponent[top] == 0) ++top;
    x = base_m;
    bool leading = true;  // the exponent's top set bit is x = base itself
    for (std::size_t i = top; i < exponent.size(); ++i) {
        for (int bit = 7; bit >= 0; --bit) {
            const bool set = (exponent[i] >> bit) & 1;
            if (leading) {
                leading = !set;
                continue;
            }
            square(x.data(), k, t.data());
            reduce(t.data(), n, m_inv, k, x.data());
            if (!set) continue;
            product(x.data(), base_m.data(), k, t.data());
            reduce(t.data(), n, m_inv, k, x.data());
        }
    }
    std::fill(t.begin(), t.end(), Limb{0});
    std::copy(x.begin(), x.end(), t.begin());
    reduce(t.data(), n, m_inv, k, x.data());  // out of Montgomery form
    return octets_of(x.data(), m_octets);
}

Bytes public_modexp(ByteView base, ByteView exponent, ByteView modulus) {
    return PublicModulus(modulus).power(base, exponent);
}

}  // namespace pgpkit::crypto::internal
