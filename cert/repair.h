#pragma once
// Putting self-signatures back on the component they belong to, as gpg does on import
// and Sequoia does when it canonicalizes a certificate.

#include <cstddef>

#include "cert/cert.h"

namespace pgpkit::cert {

/**
 * Moves every self-signature over a user ID, user attribute or subkey that does not fit
 * where it sits but fits another component of the same kind: its left 16 bits (RFC 9580
 * section 5.2.3) match the digest over the other component and not over its own. The
 * signature goes to the end of that component's packets and the move is recorded as a
 * finding. Nothing is verified here (check_cert does that afterwards), and nothing else
 * changes, so a certificate in order is left byte for byte as it was.
 * @return how many signatures were moved.
 */
std::size_t repair_signature_order(Cert& c);

}  // namespace pgpkit::cert
