#pragma once
// gpg 2.2's key caches in a --check-sigs listing, emulated. gpg looks up the issuer of a
// third-party certification with PUBKEY_USAGE_CERT, which skips an expired, revoked or
// invalid key: such a signature is '?' (no key). But get_pubkey (g10/getkey.c) first
// consults its public key cache, and does so without looking at the usage: once a key is
// in that cache, gpg finds it whatever its state. The listing fills the cache itself:
// printing a sig record whose verdict is not '?' or '%' looks the issuer's user ID up
// (get_user_id), and when the user ID cache does not know the key ID yet, that look-up
// reads the key with no usage requirement and caches it. So an unusable key is found by
// every signature listed after the first of its own self-signatures (usually the first
// sig record of its own listing), and is "no key" before it: the answer depends on the
// listing order, which this emulation follows record by record.

#include <vector>

#include "cert/cert.h"
#include "cert/validity.h"
#include "cert/verify.h"

namespace pgpkit::keyring {

/**
 * Walks `certs` in listing order (their components in listing_order, signatures in
 * keyblock order) as gpg lists them with --check-sigs, and rechecks in `reports`
 * (parallel to `certs`, made by cert::check_certs against `certs` and `keyring`) each
 * third-party signature that was "no key" because its issuer is not usable for
 * certification but that gpg finds in its key cache at that point. `keyring` holds the
 * certificates gpg can look issuers up in that are not listed.
 */
void apply_listing_key_cache(const std::vector<cert::Cert>& certs, std::vector<cert::CertReport>& reports,
                             const std::vector<cert::Cert>& keyring, const cert::Policy& policy);

}  // namespace pgpkit::keyring
