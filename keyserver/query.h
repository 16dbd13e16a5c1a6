#pragma once
// HKP requests (draft-gallagher-openpgp-hkp, doc/DETAILS "Documentation on HKP"): the query
// string of /pks/lookup parsed into a typed query, and the url-encoded forms of /pks/add.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "base/bytes.h"

namespace pgpkit::keyserver {

/** The operations of /pks/lookup. */
enum class Op : std::uint8_t {
    Get,      ///< op=get: the certificates
    Index,    ///< op=index: a listing of keys and user IDs
    VIndex,   ///< op=vindex: a verbose listing (with signatures in the human form)
    Stats,    ///< op=stats: key count, last update, version
    Unknown,  ///< any other op: the server answers 501
};

/** "get", "index", ...; "unknown" for Op::Unknown. */
const char* op_name(Op op) noexcept;

/** How a search names keys. */
enum class SearchKind : std::uint8_t {
    KeyId,        ///< 0x + 8 or 16 hex: a short or long key ID of a primary key or subkey
    Fingerprint,  ///< 0x + 40 or 64 hex, or a bare fingerprint (spaces allowed)
    Email,        ///< an address, bare or in <...>: exact, case-insensitive
    Words,        ///< anything else: every word must occur in a user ID
};

const char* search_kind_name(SearchKind k) noexcept;

/** A parsed search. */
struct Search {
    SearchKind kind = SearchKind::Words;
    Bytes id;                        ///< KeyId (4 or 8 octets) or Fingerprint (20 or 32)
    std::string text;                ///< Email: the lower-case address; Words: the text as given
    std::vector<std::string> words;  ///< Words: the lower-case words, in order, each once
    bool operator==(const Search&) const = default;
};

/** A parsed /pks/lookup request. */
struct LookupQuery {
    Op op = Op::Unknown;
    std::string op_text;             ///< the op as sent (for the 501 message)
    std::optional<Search> search;    ///< every op but Stats has one
    bool mr = false;                 ///< options=mr: the machine-readable output
    bool bin = false;                ///< options=bin: op=get answers binary packets
    bool json = false;               ///< options=json: op=stats answers JSON
    bool exact = false;              ///< exact=on: Words match the text as a phrase
    bool fingerprint = false;        ///< fingerprint=on: listings show fingerprints
};

/** Limits of a search; longer ones are a 400. */
inline constexpr std::size_t kMaxSearchLength = 1024;
inline constexpr std::size_t kMaxSearchWords = 16;

/**
 * Decodes %XX escapes (and '+' as a space when `plus_is_space`).
 * @throws Error(Errc::Usage) for a '%' not followed by two hex digits.
 */
[[nodiscard]] std::string url_decode(std::string_view s, bool plus_is_space = true);

/**
 * The key=value pairs of an application/x-www-form-urlencoded text (a query string or a
 * POST body), decoded, in order. A pair without '=' has an empty value; empty pairs are
 * skipped.
 * @throws Error(Errc::Usage) for a bad escape.
 */
[[nodiscard]] std::vector<std::pair<std::string, std::string>> parse_form(std::string_view form);

/** The value of the first pair named `name`. */
[[nodiscard]] std::optional<std::string> form_value(
    const std::vector<std::pair<std::string, std::string>>& form, std::string_view name);

/**
 * The words of a text as a search or a user ID holds them: runs of letters, digits and
 * non-ASCII octets, ASCII lower-cased, each once, in order.
 */
[[nodiscard]] std::vector<std::string> search_words(std::string_view text);

/**
 * Parses a search text. 0x + hex is always an ID, of 8, 16, 40 or 64 digits; bare hex of
 * 40 or 64 digits (spaces between them allowed) is a fingerprint; an address (one '@', no
 * spaces, optionally in <>) is an e-mail; the rest are words, split at every character
 * that is not a letter, digit or non-ASCII octet.
 * @throws Error(Errc::Usage) with a message for a 400: empty, too long, bad hex after 0x,
 *         no words, too many words.
 */
[[nodiscard]] Search parse_search(std::string_view text);

/**
 * Parses the query string of /pks/lookup (without the '?'). Unknown parameters are
 * ignored; an unknown op is Op::Unknown, not an error.
 * @throws Error(Errc::Usage) with a message for a 400: no op, a missing or bad search,
 *         exact or fingerprint not "on"/"off".
 */
[[nodiscard]] LookupQuery parse_lookup(std::string_view query_string);

}  // namespace pgpkit::keyserver
