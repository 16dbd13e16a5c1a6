#pragma once
// The cryptographic check of one signature over a digest the caller computed (RFC 9580
// section 5.2.4), with the issuer's public key decoded once per key.

#include <cstdint>

#include "base/bytes.h"
#include "cert/verdict.h"
#include "crypto/verify.h"
#include "packet/key.h"
#include "packet/signature.h"

namespace pgpkit::cert {

/**
 * Decodes a key's public material once; cheap to keep per key and to copy (copies share the
 * decoded key). verify() may be called from several threads at once. Never throws on bad
 * material: a key whose fields do not decode verifies everything as Malformed (or
 * Unsupported) with the reason.
 *
 * Algorithms: RSA (1, 3), DSA (17), ECDSA (19) on NIST P-256/384/521, brainpoolP256r1/
 * 384r1/512r1 and secp256k1, legacy EdDSA (22) on Ed25519, Ed25519 (27). Unsupported:
 * ElGamal (16, 20), Ed448 (28 and legacy), encryption-only algorithms (2, 18, 25, 26),
 * unknown algorithms and curves, and keys over the bounds of crypto/verify.h.
 */
class KeyVerifier {
public:
    explicit KeyVerifier(const packet::Key& key);

    /**
     * Checks sig.fields against `digest` (the caller computed it with sig.hash_algo and
     * already compared left16). The signature's public-key algorithm must be the key's
     * (else Malformed, as gpg reports a wrong public-key algorithm as an error, not as a
     * bad signature). Never throws for bad input.
     */
    [[nodiscard]] CryptoResult verify(const packet::Signature& sig, ByteView digest) const;

    /** Good if the key material decoded, else the verdict every verify() gives, with the reason. */
    [[nodiscard]] CryptoResult key_status() const;
    packet::PubkeyAlgo algo() const noexcept { return m_algo; }

private:
    packet::PubkeyAlgo m_algo{};
    crypto::PublicKey m_key;
};

/** One-shot KeyVerifier(key).verify(sig, digest). */
[[nodiscard]] CryptoResult verify_digest(const packet::Key& key, const packet::Signature& sig,
                                         ByteView digest);

}  // namespace pgpkit::cert
