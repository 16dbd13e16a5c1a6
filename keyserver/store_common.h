#pragma once
// What every engine of the keyserver store shares, so that SQLite and PostgreSQL refuse,
// accept and find the same: reading an upload (the key text of /pks/add), and matching
// a word search against a certificate's user IDs.

#include <optional>
#include <vector>

#include "cert/cert.h"
#include "keyserver/server_store.h"

namespace pgpkit::keyserver {

/**
 * Reads `keytext` (armored or binary) into `certs` within `limits`. Returns the refusal
 * of the whole upload (too large, not a keyring, no certificate, a secret key), or
 * nullopt when the certificates may be merged.
 */
[[nodiscard]] std::optional<AddResult> read_upload(ByteView keytext, const UploadLimits& limits,
                                                   std::vector<cert::Cert>& certs);

/**
 * True if the certificate(s) of `keyblock` match the words search `s`: every word of
 * s.words occurs as a word of some user ID; with `exact`, one user ID holds s.text as
 * written (case-insensitively).
 */
[[nodiscard]] bool words_match(ByteView keyblock, const Search& s, bool exact);

}  // namespace pgpkit::keyserver
