#pragma once
// Certificates the keyserver tests upload and look up.

#include <string>
#include <vector>

#include "base/bytes.h"
#include "cert/cert.h"

namespace pgpkit::test {

/** Fingerprint of tests/data/cert/ed25519-sha512.pgp. */
inline const std::string kEdFpr = "45F7038ACD51FA9AD01BFF5A71290C550806E030";

/** tests/data/cert/ed25519-sha512.pgp, one user ID "pgpkit ed25519 <ed25519@example.org>". */
Bytes ed25519_cert();

/**
 * The first `n` certificates of the first `head_bytes` of Debian's keyring; with
 * `certified_only`, only those that carry third-party certifications.
 */
std::vector<cert::Cert> debian_certs(std::size_t n, bool certified_only, std::size_t head_bytes);

/** The first certificate of Debian's keyring with third-party certifications. */
cert::Cert debian_cert();

inline std::string as_string(const Bytes& b) { return std::string(b.begin(), b.end()); }

}  // namespace pgpkit::test
