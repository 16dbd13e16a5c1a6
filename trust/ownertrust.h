#pragma once
// Ownertrust as GnuPG keeps it (g10/trustdb.h): a trust level in the low four bits of a
// byte and flag bits above it, and gpg's --export-ownertrust text format.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "base/bytes.h"

namespace pgpkit::trust {

/** gpg's trust levels (TRUST_UNKNOWN ... TRUST_ULTIMATE); other values stay representable. */
enum class TrustLevel : std::uint8_t {
    Unknown = 0,    ///< 'o'/'-': not yet calculated or assigned
    Expired = 1,    ///< 'e'
    Undefined = 2,  ///< 'q': not enough information
    Never = 3,      ///< 'n': never trust this key
    Marginal = 4,   ///< 'm'
    Fully = 5,      ///< 'f'
    Ultimate = 6,   ///< 'u': a key of one's own
};

/** The bits of a trust byte that hold the level (gpg's TRUST_MASK). */
inline constexpr std::uint8_t kTrustMask = 0x0f;
/** Flag bits gpg keeps in the same byte as the level. */
inline constexpr std::uint8_t kTrustFlagRevoked = 0x20;     ///< 'r': revoked
inline constexpr std::uint8_t kTrustFlagSubRevoked = 0x40;  ///< revoked but for subkeys
inline constexpr std::uint8_t kTrustFlagDisabled = 0x80;    ///< 'd': key disabled

/** The level of a trust byte (its low four bits). */
[[nodiscard]] constexpr TrustLevel trust_level(std::uint8_t value) noexcept {
    return static_cast<TrustLevel>(value & kTrustMask);
}
/** True if the byte has gpg's disabled flag. */
[[nodiscard]] constexpr bool trust_disabled(std::uint8_t value) noexcept {
    return (value & kTrustFlagDisabled) != 0;
}
/** The byte with `level` and the flags of `value` (what gpg's --edit-key "trust" does). */
[[nodiscard]] constexpr std::uint8_t with_level(std::uint8_t value, TrustLevel level) noexcept {
    return static_cast<std::uint8_t>((value & ~kTrustMask) | static_cast<std::uint8_t>(level));
}

/** Stable lower-case name: "unknown", "expired", "undefined", ...; "level-N" past 6. */
[[nodiscard]] std::string trust_level_name(TrustLevel level);

/**
 * gpg's colon-listing letter of an ownertrust level (field 9): '-' unknown, 'e', 'q', 'n',
 * 'm', 'f', 'u'; '?' for a value past 6.
 */
[[nodiscard]] char trust_level_letter(TrustLevel level) noexcept;

/** One line of an ownertrust list: a 20-octet fingerprint and gpg's ownertrust byte. */
struct OwnertrustEntry {
    Bytes fingerprint;
    std::uint8_t value = 0;
    bool operator==(const OwnertrustEntry&) const = default;
};

/**
 * Fingerprint -> ownertrust byte, in the order the fingerprints were first set (gpg
 * exports in trustdb record order, which is the order trust records were created).
 * Fingerprints are kept as gpg keeps them: 20 octets, shorter v3 ones padded with zeros.
 */
class OwnertrustMap {
public:
    /** The value for `fingerprint` (padded to 20 octets), if set. */
    [[nodiscard]] std::optional<std::uint8_t> get(ByteView fingerprint) const;
    /** Sets or replaces the value; a new fingerprint goes last. */
    void set(ByteView fingerprint, std::uint8_t value);
    /** Removes the fingerprint; true if it was there. */
    bool erase(ByteView fingerprint);
    [[nodiscard]] const std::vector<OwnertrustEntry>& entries() const noexcept { return m_entries; }
    [[nodiscard]] std::size_t size() const noexcept { return m_entries.size(); }
    [[nodiscard]] bool empty() const noexcept { return m_entries.empty(); }
    bool operator==(const OwnertrustMap& o) const { return m_entries == o.m_entries; }

private:
    std::vector<OwnertrustEntry> m_entries;
    std::unordered_map<std::string, std::size_t> m_index;
};

/**
 * A fingerprint as gpg's trustdb keys it: 16 (v3) or 20 (v4) octets, padded with zeros to
 * 20. @throws Error(Errc::BadField) for any other length (v5 and v6 fingerprints have no
 * place in a gpg 2.2 trustdb).
 */
[[nodiscard]] Bytes trustdb_fingerprint(ByteView fingerprint);

/**
 * Parses gpg's --export-ownertrust format as gpg 2.2's --import-ownertrust reads it:
 * lines "HEX:LEVEL:" where HEX is 32 or 40 hex digits (a 32-digit v3 fingerprint is padded
 * with zeros), LEVEL a decimal ownertrust byte; lines starting with '#' are comments.
 * Every line ends with a newline and has at most 254 characters. Entries with level 0 are
 * returned too (an importer skips them, as gpg does). A fingerprint of 64 hex digits (v5,
 * v6) is an invalid fingerprint, as in gpg 2.2.
 * @throws Error(Errc::BadField) at the first bad line, naming its number ("ownertrust line
 * 3: colon missing"); the offset is where that line starts.
 */
[[nodiscard]] std::vector<OwnertrustEntry> parse_ownertrust(std::string_view text);

/**
 * gpg's header line's time: asctimestamp() in the C locale, local time of the process's
 * time zone (TZ), e.g. "Tue Nov 14 22:13:20 2023 UTC".
 */
[[nodiscard]] std::string gpg_asctime(std::int64_t unix_time);

/**
 * The text of gpg --export-ownertrust: the two header comment lines with `now` as
 * gpg_asctime() writes it, then "FPR:VALUE:" for every entry with a non-zero value, in
 * order, fingerprints as 40 upper-case hex digits.
 */
[[nodiscard]] std::string format_ownertrust(const std::vector<OwnertrustEntry>& entries, std::int64_t now);

}  // namespace pgpkit::trust
