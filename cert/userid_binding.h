#pragma once
// Whether a user ID of a certificate is bound by a certification (RFC 9580 section 5.2.1,
// types 0x10-0x13) from one of a set of authorities: what `sop validate-userid` asks.

#include <cstdint>
#include <string>
#include <vector>

#include "cert/cert.h"

namespace pgpkit::cert {

/** How a user ID is named. */
struct UserIdMatch {
    std::string user_id;
    /** Match the e-mail address alone: the part inside "<...>", or a user ID that is only an address. */
    bool addr_spec_only = false;
};

/** True if user ID octets `uid` match `m`. */
[[nodiscard]] bool user_id_matches(const std::string& uid, const UserIdMatch& m);

/**
 * True if some user ID of `subject` matching `m` carries a certification that verifies,
 * made at or before `at` by the primary key of one of `authorities` (a certificate among
 * them certifies its own user IDs with its self-signatures), not expired at `at`, and not
 * revoked by a later certification revocation (0x30) of the same issuer made by `at`.
 */
[[nodiscard]] bool user_id_certified(const Cert& subject, const UserIdMatch& m, const std::vector<Cert>& authorities,
                                     std::uint32_t at);

}  // namespace pgpkit::cert
