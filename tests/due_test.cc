// Tests for pipeline/store/due: due dates of every deadline kind, overdue / due-soon predicates and window parsing. Table-driven.
#include "pipeline/store/due.h"

#include <gtest/gtest.h>

#include <optional>
#include <string>
#include <vector>

namespace plantrace {
namespace {

Deadline Make(std::string kind, std::optional<std::string> start = std::nullopt,
              std::optional<std::string> end = std::nullopt,
              std::optional<std::string> every = std::nullopt) {
  Deadline d;
  d.kind = std::move(kind);
  d.start = std::move(start);
  d.end = std::move(end);
  d.every = std::move(every);
  return d;
}

TEST(DueTest, DueDateAndPredicates) {
  struct Case {
    const char* id;
    Deadline d;
    std::optional<std::string> due;
    // As of 2026-01-01: overdue? due within 30 days (to 2026-01-31)?
    bool overdue, within30;
  };
  const std::vector<Case> cases = {
      {"kind.date", Make("date", "2025-06-30", "2025-06-30"), "2025-06-30", true, false},
      {"kind.date_start_only", Make("date", "2026-01-15"), "2026-01-15", false, true},
      {"kind.month", Make("month", "2025-12-01", "2025-12-31"), "2025-12-31", true, false},
      {"kind.month_ends_on_as_of", Make("month", "2026-01-01", "2026-01-31"), "2026-01-31", false, true},
      {"kind.quarter", Make("quarter", "2026-01-01", "2026-03-31"), "2026-03-31", false, false},
      {"kind.year", Make("year", "2025-01-01", "2025-12-31"), "2025-12-31", true, false},
      {"kind.range", Make("range", "2025-01-01", "2030-12-31"), "2030-12-31", false, false},
      {"kind.due_today", Make("date", "2026-01-01", "2026-01-01"), "2026-01-01", false, true},
      {"kind.due_window_end", Make("date", "2026-01-31", "2026-01-31"), "2026-01-31", false, true},
      {"kind.due_after_window", Make("date", "2026-02-01", "2026-02-01"), "2026-02-01", false, false},
      {"kind.open_from", Make("open_from", "2025-01-01"), std::nullopt, false, false},
      {"kind.recurring", Make("recurring", std::nullopt, std::nullopt, "year"), std::nullopt, false, false},
      {"kind.recurring_with_dates", Make("recurring", "2020-01-01", "2020-12-31", "month"), std::nullopt,
       false, false},
      {"kind.ongoing", Make("ongoing"), std::nullopt, false, false},
      {"kind.conditional", Make("conditional"), std::nullopt, false, false},
      {"kind.unknown", Make("someday", "2020-01-01", "2020-01-01"), std::nullopt, false, false},
      {"kind.month_without_end", Make("month", "2025-12-01"), std::nullopt, false, false},
      {"kind.bad_end", Make("year", "2025-01-01", "2025-13-31"), std::nullopt, false, false},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.id);
    EXPECT_EQ(DueDate(c.d), c.due);
    EXPECT_EQ(IsOverdue(c.d, "2026-01-01"), c.overdue);
    EXPECT_EQ(DueWithin(c.d, "2026-01-01", 30), c.within30);
    EXPECT_EQ(DueWithinWindow(c.d, "2026-01-01", DueWindow{30, DueWindow::Unit::kDays}), c.within30);
    EXPECT_FALSE(IsOverdue(c.d, "not a date"));
    EXPECT_FALSE(DueWithin(c.d, "2026-02-30", 30));
  }
}

TEST(DueTest, DueBetweenIsInclusive) {
  const Deadline d = Make("month", "2026-03-01", "2026-03-31");
  struct Case {
    const char* id;
    const char* from;
    const char* until;
    bool want;
  };
  const std::vector<Case> cases = {
      {"between.inside", "2026-03-01", "2026-04-01", true},
      {"between.at_from", "2026-03-31", "2026-04-30", true},
      {"between.at_until", "2026-01-01", "2026-03-31", true},
      {"between.before", "2026-04-01", "2026-05-01", false},
      {"between.after", "2026-01-01", "2026-03-30", false},
      {"between.empty", "2026-04-01", "2026-03-01", false},
      {"between.bad_from", "", "2026-12-31", false},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.id);
    EXPECT_EQ(DueBetween(d, c.from, c.until), c.want);
  }
}

TEST(DueTest, ParseDueWindow) {
  struct Case {
    const char* id;
    const char* text;
    bool ok;
    int count;
    DueWindow::Unit unit;
    const char* end_from_2026_01_31;  // WindowEnd("2026-01-31", w)
  };
  using U = DueWindow::Unit;
  const std::vector<Case> cases = {
      {"window.days", "30d", true, 30, U::kDays, "2026-03-02"},
      {"window.bare", "7", true, 7, U::kDays, "2026-02-07"},
      {"window.weeks", "2w", true, 2, U::kWeeks, "2026-02-14"},
      {"window.months_clamp", "1m", true, 1, U::kMonths, "2026-02-28"},
      {"window.months", "3m", true, 3, U::kMonths, "2026-04-30"},
      {"window.zero", "0d", true, 0, U::kDays, "2026-01-31"},
      {"window.max_days", "3650d", true, 3650, U::kDays, "2036-01-29"},
      {"window.too_long", "3651d", false, 0, U::kDays, ""},
      {"window.too_many_weeks", "522w", false, 0, U::kDays, ""},
      {"window.too_many_months", "121m", false, 0, U::kDays, ""},
      {"window.huge", "99999999999999999999d", false, 0, U::kDays, ""},
      {"window.empty", "", false, 0, U::kDays, ""},
      {"window.no_number", "d", false, 0, U::kDays, ""},
      {"window.negative", "-3d", false, 0, U::kDays, ""},
      {"window.unit", "3y", false, 0, U::kDays, ""},
      {"window.upper", "3D", false, 0, U::kDays, ""},
      {"window.space", "3 d", false, 0, U::kDays, ""},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.id);
    auto w = ParseDueWindow(c.text);
    ASSERT_EQ(w.ok(), c.ok) << w.status().ToString();
    if (!c.ok) {
      EXPECT_EQ(w.status().code(), Status::Code::kUsage);
      EXPECT_NE(w.status().message().find(std::string("'") + c.text + "'"), std::string::npos);
      continue;
    }
    EXPECT_EQ(w->count, c.count);
    EXPECT_EQ(w->unit, c.unit);
    EXPECT_EQ(WindowEnd("2026-01-31", *w), c.end_from_2026_01_31);
    auto again = ParseDueWindow(FormatDueWindow(*w));
    ASSERT_TRUE(again.ok());
    EXPECT_EQ(again->count, w->count);
    EXPECT_EQ(again->unit, w->unit);
  }
  EXPECT_EQ(WindowEnd("bad", DueWindow{1, DueWindow::Unit::kMonths}), std::nullopt);
}

}  // namespace
}  // namespace plantrace
