#pragma once
// The HKP machine-readable index (op=index&options=mr): the model both the client and the
// server use, its writer and a parser that reads what real servers send (SKS 1.1.6,
// Hockeypuck, Hagrid's HKP front). Format: the HKP Internet-Draft (draft-gallagher-openpgp-hkp,
// "Machine Readable Indexes"; draft-shaw-openpgp-hkp-00 before it), lines
//   info:<version>:<count>
//   pub:<key>:<algo>:<keylen>:<created>:<expires>:<flags>
//   uid:<escaped user ID>:<created>:<expires>:<flags>

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace pgpkit::keyserver {

/** The flags field of a pub or uid line: r revoked, d disabled, e expired. */
struct IndexFlags {
    bool revoked = false;
    bool disabled = false;
    bool expired = false;
    bool operator==(const IndexFlags&) const = default;
};

/** One uid line. */
struct IndexUid {
    std::string user_id;                 ///< unescaped octets (UTF-8 as the server sent it)
    std::optional<std::uint64_t> created;  ///< seconds since the epoch; empty field: none
    std::optional<std::uint64_t> expires;
    IndexFlags flags;
    bool operator==(const IndexUid&) const = default;
};

/** One pub line with the uid lines that follow it. */
struct IndexEntry {
    /** Key field as the server gave it: 8, 16, 40 or 64 hex digits, upper-case, no 0x. */
    std::string key;
    std::optional<std::uint32_t> algorithm;  ///< RFC 9580 section 9.1 number, if given
    std::optional<std::uint32_t> bits;       ///< key length in bits, if the field is a number
    std::string curve;                       ///< the length field when it is a name ("ed25519")
    std::optional<std::uint64_t> created;
    std::optional<std::uint64_t> expires;
    IndexFlags flags;
    std::vector<IndexUid> uids;
    bool operator==(const IndexEntry&) const = default;

    /** True when `key` is a full fingerprint (40 or 64 hex digits). */
    bool has_fingerprint() const noexcept { return key.size() == 40 || key.size() == 64; }
};

/** A line parse_mr_index() skipped or read only in part. */
struct IndexWarning {
    std::size_t line = 0;  ///< 1-based line number in the text
    std::string message;   ///< what was wrong, without the line number
    bool operator==(const IndexWarning&) const = default;
};

/** "line N: message". */
std::string to_string(const IndexWarning& w);

/**
 * %-escapes a field: '%', ':', octets below 0x20, 0x7f and every octet from 0x80 become
 * %XX (upper-case hex), as the draft asks of user IDs; everything else is kept.
 */
std::string escape_index_field(std::string_view raw);

/**
 * Undoes the escaping: %XX (either hex case) is the octet, "%%" is '%' (SKS writes a
 * literal percent so), and a '%' followed by anything else is kept as it stands. Raw
 * UTF-8 passes through unchanged.
 */
std::string unescape_index_field(std::string_view field);

/**
 * Writes the index: "info:1:N", then per entry its pub line and its uid lines, each ended
 * by "\n". Empty optionals become empty fields; flags are written in the order r, d, e.
 * The curve name, when set, stands in the length field (escaped like a user ID).
 */
std::string format_mr_index(const std::vector<IndexEntry>& entries);

/**
 * Reads an index as servers write it: the info line is optional; lines end in LF or CRLF,
 * the last may have no end; empty lines are ignored, and so are unknown record types;
 * hex in any case, with or without 0x; empty and extra fields; a length field that is a
 * curve name; user IDs %-escaped or raw. A malformed line (a key field that is not 8, 16,
 * 40 or 64 hex digits, a uid line before any pub line) is skipped, and a malformed number
 * is read as an empty field, each with a warning naming the line. uid lines after a
 * skipped pub line are dropped with it. Never throws for any input.
 */
std::vector<IndexEntry> parse_mr_index(std::string_view text, std::vector<IndexWarning>& warnings);

}  // namespace pgpkit::keyserver
