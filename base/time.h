#pragma once
// Civil time in UTC for the proleptic Gregorian calendar: conversions between Unix time
// and dates, and the few text forms OpenPGP tools use (GnuPG's parameter files, listings).

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace pgpkit {

/** A calendar date: month 1..12, day 1..31. */
struct CivilDate {
    std::int64_t year = 1970;
    unsigned month = 1;
    unsigned day = 1;
    bool operator==(const CivilDate&) const = default;
};

/** Days since 1970-01-01 of a date (negative before it); H. Hinnant's algorithm. */
[[nodiscard]] std::int64_t days_from_civil(std::int64_t year, unsigned month, unsigned day) noexcept;

/** The date `days` days after 1970-01-01 (before it when negative). */
[[nodiscard]] CivilDate civil_from_days(std::int64_t days) noexcept;

/** True if the date exists (month 1..12, day within the month, 29 February in leap years). */
[[nodiscard]] bool valid_civil(std::int64_t year, unsigned month, unsigned day) noexcept;

/** "YYYY-MM-DD" of the UTC day holding `unix_time`. */
[[nodiscard]] std::string format_date(std::int64_t unix_time);

/** ISO 8601 in UTC, "YYYY-MM-DDTHH:MM:SSZ". */
[[nodiscard]] std::string format_iso8601(std::int64_t unix_time);

/** Unix time of midnight UTC of "YYYY-MM-DD"; nullopt unless exactly that form and a real date. */
[[nodiscard]] std::optional<std::int64_t> parse_date(std::string_view text) noexcept;

/**
 * Unix time of a UTC timestamp in one of the forms GnuPG's parameter files accept:
 * "YYYY-MM-DD", "YYYYMMDDTHHMMSS" or "YYYY-MM-DDTHH:MM:SS" ('T' in either case). nullopt
 * for anything else, a date that does not exist, or a time past 23:59:59.
 */
[[nodiscard]] std::optional<std::int64_t> parse_utc_time(std::string_view text) noexcept;

}  // namespace pgpkit
