// Tests for pipeline/base/civil_date: leap years, month lengths, day counts both
// ways, ISO formatting, parsing and arithmetic. Table-driven.
#include "pipeline/base/civil_date.h"

#include <gtest/gtest.h>

#include <optional>
#include <string>
#include <vector>

namespace plantrace {
namespace {

TEST(CivilDateTest, LeapYearsAndMonthLengths) {
  struct Case {
    const char* id;
    int year, month, days;
  };
  const std::vector<Case> cases = {
      {"jan", 2026, 1, 31},          {"apr", 2026, 4, 30},         {"dec", 2026, 12, 31},
      {"feb.common", 2025, 2, 28},   {"feb.leap", 2024, 2, 29},    {"feb.century", 1900, 2, 28},
      {"feb.400", 2000, 2, 29},      {"feb.2100", 2100, 2, 28},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.id);
    EXPECT_EQ(DaysInMonth(c.year, c.month), c.days);
    if (c.month == 2) {
      EXPECT_EQ(IsLeapYear(c.year), c.days == 29);
    }
  }
}

TEST(CivilDateTest, DayCountsRoundTrip) {
  EXPECT_EQ(DaysFromCivil(1970, 1, 1), 0);
  EXPECT_EQ(DaysFromCivil(1969, 12, 31), -1);
  EXPECT_EQ(DaysFromCivil(2024, 2, 29), 19782);
  // Every day of four centuries, both ways, in order.
  int64_t want = DaysFromCivil(1900, 1, 1);
  for (int y = 1900; y < 2300; ++y) {
    for (int m = 1; m <= 12; ++m) {
      for (int d = 1; d <= DaysInMonth(y, m); ++d, ++want) {
        ASSERT_EQ(DaysFromCivil(y, m, d), want) << y << "-" << m << "-" << d;
        const CivilDay back = CivilFromDays(want);
        ASSERT_EQ(back.year * 10000 + back.month * 100 + back.day, y * 10000 + m * 100 + d) << want;
      }
    }
  }
}

TEST(CivilDateTest, IsoDatePadsEachField) {
  EXPECT_EQ(IsoDate(2026, 4, 9), "2026-04-09");
  EXPECT_EQ(IsoDate(987, 12, 31), "0987-12-31");
  EXPECT_EQ(IsoDate(0, 0, 0), "0000-00-00");  // printed as given; callers validate
}

TEST(CivilDateTest, IsoDateRoundTrip) {
  struct Case {
    const char* id;
    const char* iso;
    std::optional<int64_t> days;
  };
  const std::vector<Case> cases = {
      {"iso.epoch", "1970-01-01", 0},
      {"iso.after", "2026-01-01", 20454},
      {"iso.before", "1969-12-31", -1},
      {"iso.leap", "2024-02-29", 19782},
      {"iso.first", "0001-01-01", -719162},
      {"iso.last", "9999-12-31", 2932896},
      {"iso.not_leap", "2025-02-29", std::nullopt},
      {"iso.century_not_leap", "1900-02-29", std::nullopt},
      {"iso.400_leap", "2000-02-29", 11016},
      {"iso.day31", "2026-04-31", std::nullopt},
      {"iso.month13", "2026-13-01", std::nullopt},
      {"iso.year0", "0000-01-01", std::nullopt},
      {"iso.short", "2026-1-01", std::nullopt},
      {"iso.slash", "2026/01/01", std::nullopt},
      {"iso.sign", "2026-0-101", std::nullopt},
      {"iso.empty", "", std::nullopt},
      {"iso.trailing", "2026-01-01 ", std::nullopt},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.id);
    EXPECT_EQ(ParseIsoDate(c.iso), c.days);
    if (c.days) {
      EXPECT_EQ(FormatIsoDate(*c.days), c.iso);
    }
  }
  EXPECT_EQ(FormatIsoDate(2932897), "");
  EXPECT_EQ(FormatIsoDate(-719163), "");
}

TEST(CivilDateTest, AddDaysAndMonths) {
  struct Case {
    const char* id;
    const char* iso;
    int64_t days;
    int months;
    std::optional<std::string> plus_days, plus_months;
  };
  const std::vector<Case> cases = {
      {"add.zero", "2026-03-15", 0, 0, "2026-03-15", "2026-03-15"},
      {"add.year_end", "2025-12-31", 1, 1, "2026-01-01", "2026-01-31"},
      {"add.leap", "2024-02-28", 1, 12, "2024-02-29", "2025-02-28"},
      {"add.clamp", "2026-01-31", 30, 1, "2026-03-02", "2026-02-28"},
      {"add.clamp_leap", "2024-01-31", 29, 1, "2024-02-29", "2024-02-29"},
      {"add.negative", "2026-03-01", -1, -3, "2026-02-28", "2025-12-01"},
      {"add.overflow", "9999-12-31", 1, 1, std::nullopt, std::nullopt},
      {"add.underflow", "0001-01-01", -1, -1, std::nullopt, std::nullopt},
      {"add.huge", "2026-01-01", 4'000'001, 200'000, std::nullopt, std::nullopt},
      {"add.bad", "2026-02-30", 1, 1, std::nullopt, std::nullopt},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.id);
    EXPECT_EQ(AddDays(c.iso, c.days), c.plus_days);
    EXPECT_EQ(AddMonths(c.iso, c.months), c.plus_months);
  }
}

}  // namespace
}  // namespace plantrace
