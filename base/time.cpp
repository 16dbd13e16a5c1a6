#include "base/time.h"

#include <cstdio>

namespace pgpkit {

namespace {

constexpr std::int64_t seconds_per_day = 86400;

/** Floor division, so times before 1970 land on the day they belong to. */
std::int64_t floor_div(std::int64_t a, std::int64_t b) noexcept { return a / b - (a % b != 0 && (a < 0) != (b < 0)); }

std::optional<unsigned> digits(std::string_view s, std::size_t pos, std::size_t n) noexcept {
    if (pos + n > s.size()) return std::nullopt;
    unsigned v = 0;
    for (std::size_t i = pos; i < pos + n; ++i) {
        if (s[i] < '0' || s[i] > '9') return std::nullopt;
        v = v * 10 + static_cast<unsigned>(s[i] - '0');
    }
    return v;
}

std::optional<std::int64_t> to_unix(std::optional<unsigned> y, std::optional<unsigned> mo, std::optional<unsigned> d,
                                    std::optional<unsigned> h, std::optional<unsigned> mi,
                                    std::optional<unsigned> sec) noexcept {
    if (!y || !mo || !d || !h || !mi || !sec) return std::nullopt;
    if (!valid_civil(*y, *mo, *d) || *h > 23 || *mi > 59 || *sec > 59) return std::nullopt;
    return days_from_civil(*y, *mo, *d) * seconds_per_day + *h * 3600 + *mi * 60 + *sec;
}

bool is_t(char c) noexcept { return c == 'T' || c == 't'; }

}  // namespace

std::int64_t days_from_civil(std::int64_t y, unsigned m, unsigned d) noexcept {
    y -= m <= 2;
    const std::int64_t era = (y >= 0 ? y : y - 399) / 400;
    const auto yoe = static_cast<unsigned>(y - era * 400);
    const unsigned doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
    const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + static_cast<std::int64_t>(doe) - 719468;
}

CivilDate civil_from_days(std::int64_t z) noexcept {
    z += 719468;
    const std::int64_t era = (z >= 0 ? z : z - 146096) / 146097;
    const auto doe = static_cast<unsigned>(z - era * 146097);
    const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    const unsigned mp = (5 * doy + 2) / 153;
    CivilDate c;
    c.day = doy - (153 * mp + 2) / 5 + 1;
    c.month = mp < 10 ? mp + 3 : mp - 9;
    c.year = static_cast<std::int64_t>(yoe) + era * 400 + (c.month <= 2);
    return c;
}

bool valid_civil(std::int64_t y, unsigned m, unsigned d) noexcept {
    static constexpr unsigned mdays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (m < 1 || m > 12 || d < 1) return false;
    const bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    return d <= mdays[m - 1] + (m == 2 && leap ? 1 : 0);
}

std::string format_date(std::int64_t t) {
    const CivilDate c = civil_from_days(floor_div(t, seconds_per_day));
    char buf[40];
    std::snprintf(buf, sizeof buf, "%04lld-%02u-%02u", static_cast<long long>(c.year), c.month, c.day);
    return buf;
}

std::string format_iso8601(std::int64_t t) {
    const std::int64_t sec = t - floor_div(t, seconds_per_day) * seconds_per_day;
    char buf[24];
    std::snprintf(buf, sizeof buf, "T%02u:%02u:%02uZ", static_cast<unsigned>(sec / 3600),
                  static_cast<unsigned>(sec / 60 % 60), static_cast<unsigned>(sec % 60));
    return format_date(t) + buf;
}

std::optional<std::int64_t> parse_date(std::string_view s) noexcept {
    if (s.size() != 10 || s[4] != '-' || s[7] != '-') return std::nullopt;
    return to_unix(digits(s, 0, 4), digits(s, 5, 2), digits(s, 8, 2), 0, 0, 0);
}

std::optional<std::int64_t> parse_utc_time(std::string_view s) noexcept {
    if (s.size() == 10) return parse_date(s);
    if (s.size() == 15 && is_t(s[8]))
        return to_unix(digits(s, 0, 4), digits(s, 4, 2), digits(s, 6, 2), digits(s, 9, 2), digits(s, 11, 2),
                       digits(s, 13, 2));
    if (s.size() == 19 && s[4] == '-' && s[7] == '-' && is_t(s[10]) && s[13] == ':' && s[16] == ':')
        return to_unix(digits(s, 0, 4), digits(s, 5, 2), digits(s, 8, 2), digits(s, 11, 2), digits(s, 14, 2),
                       digits(s, 17, 2));
    return std::nullopt;
}

}  // namespace pgpkit
