// Deadline arithmetic for queries and reports: when a normalised Deadline
// (record.h) falls due, whether it is overdue or due soon as of a date the
// caller passes in (never the clock). The ISO date helpers it uses are in
// civil_date.h.
#ifndef PLANTRACE_PIPELINE_STORE_DUE_H_
#define PLANTRACE_PIPELINE_STORE_DUE_H_

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "pipeline/base/civil_date.h"
#include "pipeline/base/status.h"
#include "pipeline/stages/record.h"

namespace plantrace {

// The last day the task is due, ISO:
//   date                         -> end (start when end is absent)
//   month, quarter, year, range  -> end
//   open_from, recurring, ongoing, conditional, unknown kinds -> nullopt
// A malformed end date also gives nullopt, so a caller never compares
// garbage.
std::optional<std::string> DueDate(const Deadline& d);

// True when DueDate(d) exists and is strictly before `as_of` (ISO). A task
// without a due date (recurring, ongoing, conditional, open_from) is never
// overdue. A malformed `as_of` gives false.
bool IsOverdue(const Deadline& d, std::string_view as_of);

// True when DueDate(d) is in [from, until] (both ISO, inclusive). Malformed
// bounds give false.
bool DueBetween(const Deadline& d, std::string_view from, std::string_view until);

// Due soon: DueDate(d) is in [as_of, as_of + days]. Overdue tasks are not
// "due within" (the two report columns never count a task twice).
bool DueWithin(const Deadline& d, std::string_view as_of, int days);

// A look-ahead window as typed on the command line: "30d", "2w", "3m" (days,
// weeks, calendar months); a bare number means days.
struct DueWindow {
  enum class Unit { kDays, kWeeks, kMonths };
  int count = 0;
  Unit unit = Unit::kDays;
};

// Parses a window; at most 3650 days (521 weeks, 120 months). The error
// is a usage Status naming the text.
Result<DueWindow> ParseDueWindow(std::string_view text);

// The last day inside the window that starts on `as_of`: as_of + N days,
// + 7N days or + N calendar months (day clamped). nullopt for a malformed
// as_of.
std::optional<std::string> WindowEnd(std::string_view as_of, const DueWindow& w);

// "30d", "2w", "3m": the canonical spelling of a window.
std::string FormatDueWindow(const DueWindow& w);

// Due soon over a calendar window: DueBetween(d, as_of, WindowEnd(as_of, w)).
bool DueWithinWindow(const Deadline& d, std::string_view as_of, const DueWindow& w);

}  // namespace plantrace

#endif  // PLANTRACE_PIPELINE_STORE_DUE_H_
