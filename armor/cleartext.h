#pragma once
// The Cleartext Signature Framework, RFC 9580 section 7: parsing and writing the
// "-----BEGIN PGP SIGNED MESSAGE-----" form, dash-escaping, and the canonical text a
// signature is computed over. No cryptography here: the signing/verifying layers use this.

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "armor/armor.h"
#include "base/bytes.h"

namespace pgpkit::armor {

/** A parsed cleartext-signed message. */
struct CleartextMessage {
    /** Armor headers of the SIGNED MESSAGE part ("Hash: SHA256", ...), in order. */
    std::vector<ArmorHeader> headers;
    /**
     * The signed text after dash-unescaping, lines joined with "\n" (CRLF input is
     * normalised), without the line end before the signature block. Trailing whitespace
     * is kept as in the input; signed_data() drops it.
     */
    std::string text;
    /** Armor headers of the signature block. */
    std::vector<ArmorHeader> signature_headers;
    /** The decoded signature block: one or more Signature packets. */
    Bytes signature;

    /** The hash algorithm names of every Hash header, split at commas, in order. */
    [[nodiscard]] std::vector<std::string> hash_names() const;
    bool operator==(const CleartextMessage&) const = default;
};

/**
 * Parses a cleartext-signed message (junk before the BEGIN line is skipped), RFC 9580
 * section 7.
 * @throws Error(Errc::Armor) when there is no "-----BEGIN PGP SIGNED MESSAGE-----" line,
 * for a malformed header, a line starting with '-' that is not dash-escaped, a missing
 * "-----BEGIN PGP SIGNATURE-----" block, and for every error of the signature block's
 * armor (see DearmorSource); messages name the line.
 */
[[nodiscard]] CleartextMessage parse_cleartext(ByteView input);

/** True if `head` starts (after junk lines) with the cleartext framework's BEGIN line. */
[[nodiscard]] bool looks_cleartext_signed(ByteView head) noexcept;

/**
 * Dash-escapes text (RFC 9580 section 7.2): every line starting with '-' gets a "- "
 * prefix; with escape_from, so does every line starting with "From ".
 */
[[nodiscard]] std::string dash_escape(std::string_view text, bool escape_from = false);

/**
 * Removes dash-escaping: a line starting with "- " loses those two characters.
 * @throws Error(Errc::Armor) for a line starting with '-' but not "- " (offset of the
 * line, the detail names the line number counting from first_line).
 */
[[nodiscard]] std::string dash_unescape(std::string_view text, std::uint64_t first_line = 1);

/**
 * The octets a cleartext signature covers (RFC 9580 section 7.1): trailing spaces and
 * tabs removed from every line, lines joined with CRLF, no line end after the last line.
 * Accepts LF or CRLF line ends in `text`.
 */
[[nodiscard]] Bytes signed_data(std::string_view text);

/**
 * Writes a complete cleartext-signed message: the BEGIN line, one "Hash:" header listing
 * `hashes` (omitted when empty, as RFC 9580 allows for v6 signatures), a blank line, the
 * dash-escaped text, a line end, and `signature` armored as "SIGNATURE" with
 * `signature_headers`.
 */
[[nodiscard]] std::string write_cleartext(std::string_view text,
                                          const std::vector<std::string>& hashes,
                                          ByteView signature,
                                          const std::vector<ArmorHeader>& signature_headers = {},
                                          EncodeOptions options = {});

}  // namespace pgpkit::armor
