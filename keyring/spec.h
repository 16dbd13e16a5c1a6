#pragma once
// Key specifications as gpg accepts them (gpg(1) "HOW TO SPECIFY A USER ID"; GnuPG's
// classify_user_id): key IDs, fingerprints, e-mail addresses, exact user IDs, domains and
// substrings.

#include <cstdint>
#include <string>
#include <string_view>

#include "base/bytes.h"

namespace pgpkit::keyring {

enum class SpecKind : std::uint8_t {
    ShortKeyId,   ///< "0x1234ABCD" or "1234ABCD": the low 32 bits of a key ID
    LongKeyId,    ///< 16 hex digits, with or without 0x
    Fingerprint,  ///< 40 (v4) or 64 (v5/v6) hex digits; spaces allowed; 0x optional
    Email,        ///< "<addr@example.org>" or a bare address: exact, case-insensitive
    Exact,        ///< "=Full Name <addr>": the whole user ID, exactly
    Domain,       ///< "@example.org": every address of the domain (case-insensitive)
    Substring,    ///< anything else, or "*text": case-insensitive substring of a user ID
};

const char* spec_kind_name(SpecKind k) noexcept;

struct KeySpec {
    SpecKind kind = SpecKind::Substring;
    Bytes id;          ///< key ID (4 or 8 octets) or fingerprint octets
    std::string text;  ///< e-mail (lower-case), domain (lower-case), exact user ID or substring
    /** A trailing '!' (gpg: "this exact key, not its primary"): the key or subkey itself. */
    bool exact_key = false;
    bool operator==(const KeySpec&) const = default;
};

/**
 * Parses a specification. Hex with a 0x prefix is always an ID of that length; bare hex is
 * an ID when it has 8, 16, 40 or 64 digits (as gpg 2.2); 32 hex digits (v3 MD5
 * fingerprints) are a fingerprint too.
 * @throws Error(Errc::Usage) for an empty specification or a malformed ID after 0x.
 */
[[nodiscard]] KeySpec parse_key_spec(std::string_view spec);

/** The lower-cased address of a user ID: the text inside the last <...>, else the whole
    user ID if it looks like an address; empty if there is none. */
[[nodiscard]] std::string email_of(std::string_view user_id);

/** The domain part of an address (after the last '@'), lower-case. */
[[nodiscard]] std::string domain_of(std::string_view email);

}  // namespace pgpkit::keyring
