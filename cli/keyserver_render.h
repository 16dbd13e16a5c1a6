#pragma once
// How `pgpkit keyserver` shows search results and per-key results: gpg --search-keys'
// numbered listing, JSON, and the one-line reports of recv and refresh.

#include <string>
#include <vector>

#include "keyserver/fetch.h"
#include "keyserver/mr_index.h"

namespace pgpkit::cli {

/** gpg's name of an algorithm number in a listing ("RSA", "DSA", "EdDSA", ...). */
[[nodiscard]] std::string index_algo_name(const keyserver::IndexEntry& e);

/**
 * The numbered listing gpg --search-keys prints:
 *   (1)  Alice <alice@example.org>
 *          3072 bit RSA key 0123456789ABCDEF, created: 2020-01-01, expires: 2030-01-01 (revoked)
 */
[[nodiscard]] std::string render_index_text(const std::vector<keyserver::IndexEntry>& entries);

/** The entries as one JSON array (key, keyid, fingerprint, algorithm, ..., uids). */
[[nodiscard]] std::string render_index_json(const std::vector<keyserver::IndexEntry>& entries);

/** "updated: 1 new user ID, 3 new signatures" / "unchanged" / "not on server" / ... */
[[nodiscard]] std::string describe_report(const keyserver::KeyReport& r);

}  // namespace pgpkit::cli
