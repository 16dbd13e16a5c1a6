#include "crypto/internal/modexp.h"

#include <algorithm>

namespace pgpkit::crypto::internal {

namespace {

using Limb = std::uint64_t;
__extension__ typedef unsigned __int128 Wide;  // GCC and Clang: the 64 x 64 -> 128-bit product
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

Bytes octets_of(const Limbs& x, std::size_t width) {
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

/** a >= n over the first n.size() limbs of a, plus `carry` above them. */
bool at_least(const Limb* a, Limb carry, const Limbs& n) {
    if (carry) return true;
    for (std::size_t i = n.size(); i-- > 0;)
        if (a[i] != n[i]) return a[i] > n[i];
    return true;
}

void subtract(Limb* a, const Limbs& n) {
    Limb borrow = 0;
    for (std::size_t i = 0; i < n.size(); ++i) {
        const Wide d = static_cast<Wide>(a[i]) - n[i] - borrow;
        a[i] = static_cast<Limb>(d);
        borrow = static_cast<Limb>(d >> 64) ? 1 : 0;
    }
}

class Montgomery {
public:
    explicit Montgomery(Limbs n) : m_n(std::move(n)), m_k(m_n.size()), m_inv(neg_inverse(m_n[0])), m_t(m_k + 2) {}

    /** a * b / R mod n (CIOS), for a, b below n. */
    Limbs mul(const Limbs& a, const Limbs& b) {
        std::fill(m_t.begin(), m_t.end(), 0);
        for (std::size_t i = 0; i < m_k; ++i) {
            Limb c = 0;
            for (std::size_t j = 0; j < m_k; ++j) {
                const Wide w = static_cast<Wide>(a[j]) * b[i] + m_t[j] + c;
                m_t[j] = static_cast<Limb>(w);
                c = static_cast<Limb>(w >> 64);
            }
            Wide w = static_cast<Wide>(m_t[m_k]) + c;
            m_t[m_k] = static_cast<Limb>(w);
            m_t[m_k + 1] = static_cast<Limb>(w >> 64);
            const Limb m = m_t[0] * m_inv;
            c = static_cast<Limb>((static_cast<Wide>(m) * m_n[0] + m_t[0]) >> 64);
            for (std::size_t j = 1; j < m_k; ++j) {
                w = static_cast<Wide>(m) * m_n[j] + m_t[j] + c;
                m_t[j - 1] = static_cast<Limb>(w);
                c = static_cast<Limb>(w >> 64);
            }
            w = static_cast<Wide>(m_t[m_k]) + c;
            m_t[m_k - 1] = static_cast<Limb>(w);
            m_t[m_k] = m_t[m_k + 1] + static_cast<Limb>(w >> 64);
        }
        if (at_least(m_t.data(), m_t[m_k], m_n)) subtract(m_t.data(), m_n);
        return Limbs(m_t.begin(), m_t.begin() + static_cast<std::ptrdiff_t>(m_k));
    }

    /** 2x mod n for x below n. */
    void twice(Limbs& x) const {
        Limb carry = 0;
        for (Limb& l : x) {
            const Limb top = l >> 63;
            l = (l << 1) | carry;
            carry = top;
        }
        if (at_least(x.data(), carry, m_n)) subtract(x.data(), m_n);
    }

    /**
     * R^2 mod n for R = 2^(64k): with 64k = u * 2^j, doublings give 2^u * R (the
     * Montgomery form of 2^u) and j Montgomery squarings raise it to 2^(64k) * R. A
     * doubling costs about 1/200 of a squaring at 4096 bits, so j stops at 4.
     */
    Limbs r_squared() {
        const std::size_t total = 64 * m_k;
        std::size_t u = total, j = 0;
        while (u % 2 == 0 && j < 4) u /= 2, ++j;
        std::size_t bits = 64 * (m_k - 1);
        for (Limb top = m_n[m_k - 1]; top; top >>= 1) ++bits;
        Limbs x(m_k, 0);
        x[(bits - 1) / 64] = Limb{1} << ((bits - 1) % 64);  // 2^(bits-1), below n
        for (std::size_t i = bits - 1; i < u + total; ++i) twice(x);
        for (std::size_t i = 0; i < j; ++i) x = mul(x, x);
        return x;
    }

    std::size_t limbs() const { return m_k; }

private:
    Limbs m_n;
    std::size_t m_k;
    Limb m_inv;
    Limbs m_t;
};

}  // namespace

Bytes public_modexp(ByteView base, ByteView exponent, ByteView modulus) {
    const std::size_t k = (modulus.size() + 7) / 8;
    Montgomery mont(limbs_of(modulus, k));
    const Limbs base_m = mont.mul(limbs_of(base, k), mont.r_squared());
    std::size_t top = 0;
    while (top < exponent.size() && exponent[top] == 0) ++top;
    Limbs x = base_m;
    bool leading = true;  // the exponent's top set bit is x = base itself
    for (std::size_t i = top; i < exponent.size(); ++i) {
        for (int b = 7; b >= 0; --b) {
            const bool set = (exponent[i] >> b) & 1;
            if (leading) {
                leading = !set;
                continue;
            }
            x = mont.mul(x, x);
            if (set) x = mont.mul(x, base_m);
        }
    }
    Limbs one(mont.limbs(), 0);
    one[0] = 1;
    return octets_of(mont.mul(x, one), modulus.size());
}

}  // namespace pgpkit::crypto::internal
