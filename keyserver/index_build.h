#pragma once
// What the listings of /pks/lookup show of a certificate: the machine-readable index
// entry (keyserver/mr_index.h), the human listing of op=index and op=vindex, and the
// certificate without third-party certifications (--strip-third-party).

#include <cstdint>
#include <string>
#include <vector>

#include "cert/cert.h"
#include "cert/verify.h"
#include "keyserver/mr_index.h"

namespace pgpkit::keyserver {

/**
 * The index entry of a certificate, validity judged at `now` from its self-signatures:
 * the key field is the primary fingerprint; uid lines carry the creation and expiry of
 * the self-signature in force and r/e flags; user IDs without a good self-signature are
 * left out. `verified` (may be null) remembers good verifications across calls, so a
 * server that lists the same certificates again does no public-key operation.
 */
[[nodiscard]] IndexEntry index_entry(const cert::Cert& c, std::uint32_t now,
                                     cert::VerifiedSignatures* verified = nullptr);

/** What the human listing shows. */
struct ListingOptions {
    bool verbose = false;      ///< op=vindex: the signatures on each user ID
    bool fingerprint = false;  ///< fingerprint=on
};

/** The human listing of op=index / op=vindex: an HTML page with one <pre> block per key. */
[[nodiscard]] std::string html_index(const std::vector<cert::Cert>& certs, const std::string& search,
                                     const ListingOptions& opt, std::uint32_t now,
                                     cert::VerifiedSignatures* verified = nullptr);

/** `c` without certifications of user IDs and attributes made by other keys. */
[[nodiscard]] cert::Cert without_third_party(const cert::Cert& c);

/** The text with &, <, >, " written as HTML entities. */
[[nodiscard]] std::string html_escape(std::string_view s);

}  // namespace pgpkit::keyserver
