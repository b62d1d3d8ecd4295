// Deadline arithmetic for queries and reports (see due.h). Dates are civil
// day counts (pipeline/base/civil_date.h), so no time zone or clock enters.
#include "pipeline/store/due.h"

#include <algorithm>

#include "pipeline/base/civil_date.h"

namespace plantrace {
namespace {

constexpr int kMaxWindowDays = 3650;
constexpr int kMaxWindowMonths = 120;

}  // namespace

std::optional<std::string> DueDate(const Deadline& d) {
  const std::optional<std::string>* due = nullptr;
  if (d.kind == "date") {
    due = d.end ? &d.end : &d.start;
  } else if (d.kind == "month" || d.kind == "quarter" || d.kind == "year" || d.kind == "range") {
    due = &d.end;
  }
  if (due == nullptr || !due->has_value() || !ParseIsoDate(**due)) return std::nullopt;
  return **due;
}

bool IsOverdue(const Deadline& d, std::string_view as_of) {
  auto due = DueDate(d);
  auto now = ParseIsoDate(as_of);
  return due && now && *ParseIsoDate(*due) < *now;
}

bool DueBetween(const Deadline& d, std::string_view from, std::string_view until) {
  auto due = DueDate(d);
  auto lo = ParseIsoDate(from), hi = ParseIsoDate(until);
  if (!due || !lo || !hi) return false;
  const int64_t day = *ParseIsoDate(*due);
  return *lo <= day && day <= *hi;
}

bool DueWithin(const Deadline& d, std::string_view as_of, int days) {
  auto until = AddDays(as_of, days);
  return until && DueBetween(d, as_of, *until);
}

Result<DueWindow> ParseDueWindow(std::string_view text) {
  auto bad = [&](const char* why) {
    return Status::Usage("bad window '" + std::string(text) + "': " + why);
  };
  size_t i = 0;
  int64_t n = 0;
  while (i < text.size() && text[i] >= '0' && text[i] <= '9') {
    n = n * 10 + (text[i] - '0');
    if (n > kMaxWindowDays) return bad("longer than 3650 days");
    ++i;
  }
  if (i == 0) return bad("expected a number followed by d, w or m (30d, 2w, 3m)");
  DueWindow w;
  w.count = static_cast<int>(n);
  std::string_view unit = text.substr(i);
  if (unit.empty() || unit == "d") {
    w.unit = DueWindow::Unit::kDays;
  } else if (unit == "w") {
    w.unit = DueWindow::Unit::kWeeks;
    if (n * 7 > kMaxWindowDays) return bad("longer than 3650 days");
  } else if (unit == "m") {
    w.unit = DueWindow::Unit::kMonths;
    if (n > kMaxWindowMonths) return bad("longer than 120 months");
  } else {
    return bad("unit must be d, w or m");
  }
  return w;
}

std::optional<std::string> WindowEnd(std::string_view as_of, const DueWindow& w) {
  switch (w.unit) {
    case DueWindow::Unit::kDays:
      return AddDays(as_of, w.count);
    case DueWindow::Unit::kWeeks:
      return AddDays(as_of, int64_t{7} * w.count);
    case DueWindow::Unit::kMonths:
      return AddMonths(as_of, w.count);
  }
  return std::nullopt;
}

std::string FormatDueWindow(const DueWindow& w) {
  const char unit = w.unit == DueWindow::Unit::kDays    ? 'd'
                    : w.unit == DueWindow::Unit::kWeeks ? 'w'
                                                        : 'm';
  return std::to_string(w.count) + unit;
}

bool DueWithinWindow(const Deadline& d, std::string_view as_of, const DueWindow& w) {
  auto until = WindowEnd(as_of, w);
  return until && DueBetween(d, as_of, *until);
}

}  // namespace plantrace
