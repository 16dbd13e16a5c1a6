// crypto/internal/modexp.h: the variable-time exponentiation RSA verification uses.

#include <gtest/gtest.h>

#include "crypto/internal/modexp.h"
#include "crypto/pk.h"
#include "crypto/rng.h"

namespace pgpkit::crypto::internal {
namespace {

Bytes be(std::uint64_t v, std::size_t width) {
    Bytes out(width);
    for (std::size_t i = 0; i < width; ++i) out[width - 1 - i] = static_cast<std::uint8_t>(v >> (8 * i));
    return out;
}

__extension__ typedef unsigned __int128 Wide;

std::uint64_t reference(std::uint64_t b, std::uint64_t e, std::uint64_t n) {
    Wide r = 1, x = b % n;
    for (; e; e >>= 1, x = x * x % n)
        if (e & 1) r = r * x % n;
    return static_cast<std::uint64_t>(r);
}

TEST(PublicModexp, OneLimbModuliMatchSchoolArithmetic) {
    const std::uint64_t moduli[] = {3, 0xFFFFFFFFFFFFFFC5ull, 0x8000000000000001ull, 0x00000000DEADBEEFull};
    for (const std::uint64_t n : moduli) {
        std::size_t width = 8;
        while (width > 1 && (n >> (8 * (width - 1))) == 0) --width;
        for (const std::uint64_t b : {std::uint64_t{0}, std::uint64_t{1}, n - 1, n / 3, n / 2 + 1})
            for (const std::uint64_t e : {std::uint64_t{1}, std::uint64_t{3}, std::uint64_t{65537}, ~std::uint64_t{0}})
                EXPECT_EQ(public_modexp(be(b, width), be(e, 8), be(n, width)), be(reference(b, e, n), width))
                    << n << " " << b << " " << e;
    }
}

// m^e^d = m for RSA keys of several limb counts, including ones that are not a power of
// two (the R^2 set-up takes another path) and moduli whose octets are not a limb multiple.
TEST(PublicModexp, RsaRoundTripsAtSeveralSizes) {
    Rng rng = Rng::seeded(Bytes(32, 9));
    for (const unsigned bits : {1024u, 1280u, 1544u}) {
        const RsaKey k = generate_rsa(bits, rng, nullptr);
        const Bytes d(k.d.begin(), k.d.end());
        Bytes m(k.n.size(), 0x5A);
        m[0] = 0x01;  // below n
        const Bytes c = public_modexp(m, k.e, k.n);
        EXPECT_NE(c, m) << bits;
        EXPECT_EQ(public_modexp(c, d, k.n), m) << bits;
        EXPECT_EQ(public_modexp(Bytes(k.n.size(), 0), k.e, k.n), Bytes(k.n.size(), 0)) << bits;
    }
}

}  // namespace
}  // namespace pgpkit::crypto::internal
