#include "crypto/primes.h"

#include <botan/bigint.h>
#include <botan/exceptn.h>
#include <botan/numthry.h>

#include <algorithm>
#include <string>

#include "crypto/internal/primes.h"
#include "base/error.h"

namespace pgpkit::crypto {

namespace internal {

namespace {

constexpr std::uint32_t steps_per_start = 20000;  // candidates tried before a new random start
constexpr std::size_t mr_probability = 64;        // Miller-Rabin error bound 2^-64

void tick(ProgressSink* sink, char c) {
    if (sink) sink->progress("primegen", c);
}

Botan::BigInt random_bits(unsigned bits, Rng& rng, bool two_top_bits) {
    Botan::BigInt x(rng.backend(), bits, false);
    x.set_bit(bits - 1);
    if (two_top_bits && bits >= 2) x.set_bit(bits - 2);
    return x;
}

bool fermat_base2(const Botan::BigInt& n) {
    return Botan::power_mod(Botan::BigInt(2), n - 1, n) == 1;
}

std::uint32_t inverse_mod_small(std::uint32_t a, std::uint32_t p) noexcept {
    // Extended Euclid on words; p is prime and a != 0 mod p.
    std::int64_t t = 0, new_t = 1, r = p, new_r = a;
    while (new_r != 0) {
        const std::int64_t q = r / new_r;
        t -= q * new_t;
        std::swap(t, new_t);
        r -= q * new_r;
        std::swap(r, new_r);
    }
    return static_cast<std::uint32_t>(t < 0 ? t + p : t);
}

/**
 * Marks which terms start + k*step (0 <= k < steps_per_start) have a small prime factor:
 * for each small prime p the first such k is (-start) * step^-1 mod p, then every p-th.
 * Primes not below the smallest candidate are skipped so no candidate is itself crossed out.
 */
std::vector<bool> sieve(const Botan::BigInt& start, const Botan::BigInt& step, unsigned bits) {
    std::vector<bool> composite(steps_per_start, false);
    for (std::size_t i = 0; i < Botan::PRIME_TABLE_SIZE; ++i) {  // PRIMES[] starts at 3
        const std::uint32_t p = Botan::PRIMES[i];
        if (bits <= 17 && p >= (1u << (bits - 1))) break;
        const auto s = static_cast<std::uint32_t>(start % p), d = static_cast<std::uint32_t>(step % p);
        if (d == 0) continue;  // p divides the step: p never or always divides a term
        const std::uint64_t k0 = std::uint64_t{(p - s) % p} * inverse_mod_small(d, p) % p;
        for (std::uint64_t k = k0; k < steps_per_start; k += p) composite[k] = true;
    }
    return composite;
}

}  // namespace

Botan::BigInt prime_in_progression(const Botan::BigInt& start, const Botan::BigInt& step, unsigned bits,
                                   Rng& rng, ProgressSink* sink) {
    const std::vector<bool> composite = sieve(start, step, bits);
    unsigned failed = 0;
    for (std::uint32_t k = 0; k < steps_per_start; ++k) {
        if (composite[k]) continue;
        Botan::BigInt n = start + step * k;
        if (n.bits() != bits) break;
        if (fermat_base2(n) && Botan::is_prime(n, rng.backend(), mr_probability, true)) return n;
        if (++failed == 10) {
            tick(sink, '.');
            failed = 0;
        }
    }
    return Botan::BigInt(0);
}

Botan::BigInt random_prime(unsigned bits, Rng& rng, ProgressSink* sink, bool (*accept)(const Botan::BigInt&)) {
    if (bits < 16) throw Error(Errc::Usage, 0, "primes need at least 16 bits, asked for " + std::to_string(bits));
    for (;;) {
        Botan::BigInt start = random_bits(bits, rng, true);
        start.set_bit(0);
        // Search the progression; a prime rejected by `accept` continues from the next odd.
        for (;;) {
            Botan::BigInt p = prime_in_progression(start, Botan::BigInt(2), bits, rng, sink);
            if (p == 0) break;
            if (!accept || accept(p)) return p;
            start = p + 2;
        }
        tick(sink, '+');
    }
}

DsaParams dsa_params(unsigned bits, Rng& rng, ProgressSink* sink) {
    const unsigned qbits = bits <= 1024 ? 160 : bits <= 2048 ? 224 : 256;
    for (;;) {
        DsaParams d;
        d.q = random_prime(qbits, rng, sink);
        const Botan::BigInt step = d.q * 2;
        // p = X - (X mod 2q) + 1 is 1 mod 2q; search upward in steps of 2q.
        Botan::BigInt x = random_bits(bits, rng, true);
        Botan::BigInt start = x - (x % step) + 1;
        d.p = prime_in_progression(start, step, bits, rng, sink);
        if (d.p == 0) {
            tick(sink, '+');
            continue;
        }
        const Botan::BigInt e = (d.p - 1) / d.q;
        for (Botan::word h = 2;; ++h) {
            d.g = Botan::power_mod(Botan::BigInt(h), e, d.p);
            if (d.g > 1) break;
        }
        return d;
    }
}

namespace {

Botan::BigInt product(const std::vector<Botan::BigInt>& pool, const std::vector<std::size_t>& pick) {
    Botan::BigInt r(1);
    for (std::size_t i : pick) r *= pool[i];
    return r;
}

/** n distinct indices below m, drawn from the generator. */
std::vector<std::size_t> random_subset(std::size_t n, std::size_t m, Rng& rng) {
    std::vector<std::size_t> idx(m);
    for (std::size_t i = 0; i < m; ++i) idx[i] = i;
    for (std::size_t i = 0; i < n; ++i) {
        std::uint8_t b[4];
        rng.fill(b);
        const std::uint32_t r = (std::uint32_t{b[0]} << 24) | (std::uint32_t{b[1]} << 16) |
                                (std::uint32_t{b[2]} << 8) | b[3];
        std::swap(idx[i], idx[i + r % (m - i)]);
    }
    idx.resize(n);
    return idx;
}

bool has_small_factor(const Botan::BigInt& n) {
    for (std::size_t i = 0; i < 300; ++i)
        if (n % Botan::PRIMES[i] == 0) return true;
    return false;
}

Botan::BigInt group_generator(const Botan::BigInt& p, const std::vector<Botan::BigInt>& factors,
                              ProgressSink* sink) {
    const Botan::BigInt pm1 = p - 1;
    for (Botan::word g = 3;; ++g) {
        tick(sink, '^');
        bool ok = true;
        for (const Botan::BigInt& f : factors)
            if (Botan::power_mod(Botan::BigInt(g), pm1 / f, p) == 1) {
                ok = false;
                break;
            }
        if (ok) return Botan::BigInt(g);
    }
}

}  // namespace

ElgamalGroup elgamal_group(unsigned bits, Rng& rng, ProgressSink* sink) {
    if (bits < 1024) throw Error(Errc::Usage, 0, "Elgamal keys need at least 1024 bits");
    unsigned qbits = bits < 1536 ? 160 : bits < 3072 ? 200 : 240;
    // n factors of fbits each, at least as long as q; q takes the remaining bits.
    const unsigned n = (bits - qbits - 1) / qbits;
    const unsigned fbits = (bits - qbits - 1) / n + 1;
    qbits = bits - n * fbits;
    Botan::BigInt q = random_prime(qbits, rng, sink);
    std::vector<Botan::BigInt> pool;
    const std::size_t pool_size = n + 4;
    for (std::size_t i = 0; i < pool_size; ++i) {
        tick(sink, '!');
        pool.push_back(random_prime(fbits, rng, sink));
    }
    unsigned too_small = 0, too_big = 0, tries = 0;
    for (;;) {
        std::vector<std::size_t> pick = random_subset(n, pool.size(), rng);
        Botan::BigInt p = q * product(pool, pick) * 2 + 1;
        if (p.bits() < bits) {
            if (++too_small > 20) {
                too_small = 0;
                ++qbits;
                tick(sink, '>');
                q = random_prime(qbits, rng, sink);
            }
            continue;
        }
        too_small = 0;
        if (p.bits() > bits) {
            if (++too_big > 20) {
                too_big = 0;
                --qbits;
                tick(sink, '<');
                q = random_prime(qbits, rng, sink);
            }
            continue;
        }
        too_big = 0;
        if (!has_small_factor(p) && fermat_base2(p) && Botan::is_prime(p, rng.backend(), mr_probability, true)) {
            std::vector<Botan::BigInt> factors{Botan::BigInt(2), q};
            for (std::size_t i : pick) factors.push_back(pool[i]);
            return {p, group_generator(p, factors, sink), qbits};
        }
        if (++tries % 10 == 0) tick(sink, '.');
        if (tries % 200 == 0) {
            // Many combinations of this pool failed: refresh one pool prime.
            tick(sink, '!');
            pool[tries / 200 % pool.size()] = random_prime(fbits, rng, sink);
        }
    }
}

}  // namespace internal

std::vector<std::uint8_t> generate_prime(unsigned bits, Rng& rng, ProgressSink* sink) {
    try {
        Botan::BigInt p = internal::random_prime(bits, rng, sink);
        return Botan::BigInt::encode(p);
    } catch (const Botan::Exception& e) {
        throw Error(Errc::Crypto, 0, std::string("prime generation failed: ") + e.what());
    }
}

bool is_probable_prime(std::span<const std::uint8_t> n, Rng& rng) {
    Botan::BigInt x(n.data(), n.size());
    return Botan::is_prime(x, rng.backend(), 64, false);
}

}  // namespace pgpkit::crypto
