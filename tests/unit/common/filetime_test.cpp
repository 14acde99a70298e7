// FILETIME conversion and ISO 8601 rendering.
#include "regpersist/filetime.h"

#include <gtest/gtest.h>

namespace regpersist {

TEST(FileTime, RendersUtcWithMicrosecondsAndZ) {
  const std::uint64_t ticks = filetime_from_utc(2011, 9, 1, 14, 57, 12) + 1'234'567;
  EXPECT_EQ(filetime_to_iso(ticks), "2011-09-01T14:57:12.123456Z");
  EXPECT_EQ(filetime_to_iso(ticks, false), "2011-09-01T14:57:12Z");
}

TEST(FileTime, PadsSmallFieldsLikePrintf) {
  EXPECT_EQ(filetime_to_iso(filetime_from_utc(2009, 1, 2, 3, 4, 5) + 70), "2009-01-02T03:04:05.000007Z");
  // std::chrono::year stops at 32767: the last FILETIME (year 60056) wraps to a negative year, printed as
  // printf's "%04d" printed it.
  EXPECT_EQ(filetime_to_iso(0xFFFFFFFFFFFFFFFFull, false), "-5480-05-28T05:36:10Z");
}

TEST(FileTime, UnixEpochIsZeroMicroseconds) {
  EXPECT_EQ(filetime_to_unix_micros(filetime_from_utc(1970, 1, 1)), 0);
  EXPECT_EQ(filetime_to_unix_micros(filetime_from_utc(2020, 2, 29, 23, 59, 59)), 1583020799LL * 1'000'000);
}

TEST(FileTime, ZeroAndAncientTimesAreNotPlausible) {
  EXPECT_FALSE(filetime_is_plausible(0));
  EXPECT_FALSE(filetime_is_plausible(filetime_from_utc(1699, 12, 31)));
  EXPECT_TRUE(filetime_is_plausible(filetime_from_utc(1700, 1, 1)));
  EXPECT_TRUE(filetime_is_plausible(filetime_from_utc(2024, 6, 1)));
  EXPECT_EQ(filetime_to_iso(0), "1601-01-01T00:00:00.000000Z");
}

}  // namespace regpersist
