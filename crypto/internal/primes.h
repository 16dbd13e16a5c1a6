#pragma once
// Prime searches on Botan integers; internal to crypto/.

#include <botan/bigint.h>

#include <vector>

#include "crypto/progress.h"
#include "crypto/rng.h"

namespace pgpkit::crypto::internal {

/**
 * A random prime of exactly `bits` bits with its two top bits set. Candidates are sieved
 * by small primes, then Fermat-tested to base 2, then Miller-Rabin-tested; `accept` may
 * reject a prime (e.g. gcd(e, p-1) != 1 for RSA).
 */
Botan::BigInt random_prime(unsigned bits, Rng& rng, ProgressSink* sink,
                           bool (*accept)(const Botan::BigInt&) = nullptr);

/** A prime p = start + k*step (k >= 0) with exactly `bits` bits, or 0 if the range ends. */
Botan::BigInt prime_in_progression(const Botan::BigInt& start, const Botan::BigInt& step, unsigned bits,
                                   Rng& rng, ProgressSink* sink);

struct DsaParams {
    Botan::BigInt p, q, g;
};
/** FIPS 186-style DSA domain: q of 160/224/256 bits, p = 1 mod q of `bits` bits. */
DsaParams dsa_params(unsigned bits, Rng& rng, ProgressSink* sink);

struct ElgamalGroup {
    Botan::BigInt p, g;
    unsigned qbits = 0;
};
/**
 * Lim-Lee prime for Elgamal (doc/DETAILS "Key generation"): q of 160/200/240 bits, a pool
 * of primes at least that long, p = 2*q*p1*...*pn + 1, and a generator of the whole group.
 */
ElgamalGroup elgamal_group(unsigned bits, Rng& rng, ProgressSink* sink);

}  // namespace pgpkit::crypto::internal
