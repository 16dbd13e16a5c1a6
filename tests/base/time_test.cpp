#include <gtest/gtest.h>

#include <cstdint>

#include "base/time.h"

namespace pgpkit {
namespace {

TEST(CivilTime, EpochIsDayZero) {
    EXPECT_EQ(days_from_civil(1970, 1, 1), 0);
    EXPECT_EQ(civil_from_days(0), (CivilDate{1970, 1, 1}));
}

TEST(CivilTime, KnownDays) {
    EXPECT_EQ(days_from_civil(2000, 3, 1), 11017);
    EXPECT_EQ(days_from_civil(1969, 12, 31), -1);
    EXPECT_EQ(days_from_civil(2106, 2, 7), 49710);  // 2^32 s falls on this day
    EXPECT_EQ(civil_from_days(-1), (CivilDate{1969, 12, 31}));
    EXPECT_EQ(civil_from_days(11016), (CivilDate{2000, 2, 29}));
}

TEST(CivilTime, RoundTripsEveryDayOfFourCenturies) {
    for (std::int64_t z = days_from_civil(1800, 1, 1); z < days_from_civil(2200, 1, 1); ++z) {
        const CivilDate c = civil_from_days(z);
        ASSERT_TRUE(valid_civil(c.year, c.month, c.day)) << z;
        ASSERT_EQ(days_from_civil(c.year, c.month, c.day), z);
    }
}

TEST(CivilTime, ValidCivilKnowsLeapYears) {
    EXPECT_TRUE(valid_civil(2024, 2, 29));
    EXPECT_TRUE(valid_civil(2000, 2, 29));
    EXPECT_FALSE(valid_civil(1900, 2, 29));
    EXPECT_FALSE(valid_civil(2023, 2, 29));
    EXPECT_FALSE(valid_civil(2023, 4, 31));
    EXPECT_FALSE(valid_civil(2023, 13, 1));
    EXPECT_FALSE(valid_civil(2023, 0, 1));
    EXPECT_FALSE(valid_civil(2023, 1, 0));
}

TEST(FormatTime, DateAndIso8601InUtc) {
    EXPECT_EQ(format_date(0), "1970-01-01");
    EXPECT_EQ(format_iso8601(0), "1970-01-01T00:00:00Z");
    EXPECT_EQ(format_date(1700000000), "2023-11-14");
    EXPECT_EQ(format_iso8601(1700000000), "2023-11-14T22:13:20Z");
    EXPECT_EQ(format_iso8601(4294967295), "2106-02-07T06:28:15Z");
}

TEST(FormatTime, BeforeTheEpochCountsBackFromTheRightDay) {
    EXPECT_EQ(format_iso8601(-1), "1969-12-31T23:59:59Z");
    EXPECT_EQ(format_date(-86400), "1969-12-31");
    EXPECT_EQ(format_date(-86401), "1969-12-30");
}

TEST(ParseTime, DateForm) {
    EXPECT_EQ(parse_date("1970-01-01"), 0);
    EXPECT_EQ(parse_date("2023-11-14"), 1699920000);
    EXPECT_EQ(parse_date("2024-02-29"), days_from_civil(2024, 2, 29) * 86400);
    EXPECT_FALSE(parse_date("2023-02-29"));
    EXPECT_FALSE(parse_date("2023-1-01"));
    EXPECT_FALSE(parse_date("2023-01-01 "));
    EXPECT_FALSE(parse_date("2023/01/01"));
    EXPECT_FALSE(parse_date("20230101"));
}

TEST(ParseTime, BasicAndExtendedTimestamps) {
    EXPECT_EQ(parse_utc_time("20231114T221320"), 1700000000);
    EXPECT_EQ(parse_utc_time("20231114t221320"), 1700000000);
    EXPECT_EQ(parse_utc_time("2023-11-14T22:13:20"), 1700000000);
    EXPECT_EQ(parse_utc_time("2023-11-14"), 1699920000);
    EXPECT_FALSE(parse_utc_time("20231114T241320"));
    EXPECT_FALSE(parse_utc_time("20231114T226020"));
    EXPECT_FALSE(parse_utc_time("20231114T221360"));
    EXPECT_FALSE(parse_utc_time("20231114X221320"));
    EXPECT_FALSE(parse_utc_time("2023-11-14 22:13:20"));
    EXPECT_FALSE(parse_utc_time(""));
}

TEST(ParseTime, FormatAndParseAgree) {
    for (std::int64_t t : {std::int64_t{0}, std::int64_t{951782400}, std::int64_t{1700000000}}) {
        EXPECT_EQ(parse_utc_time(format_iso8601(t).substr(0, 19)), t);
        EXPECT_EQ(parse_date(format_date(t)), t - t % 86400);
    }
}

}  // namespace
}  // namespace pgpkit
