// Deadline arithmetic for queries and reports (see due.h). Dates are civil
// day counts (H. Hinnant's days_from_civil), so no time zone or clock enters.
#include "pipeline/due.h"

#include <algorithm>
#include <cstdio>

namespace plantrace {
namespace {

constexpr int kMinYear = 1;
constexpr int kMaxYear = 9999;
constexpr int kMaxWindowDays = 3650;
constexpr int kMaxWindowMonths = 120;

bool IsLeap(int y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }

int DaysInMonth(int y, int m) {
  static constexpr int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  return m == 2 && IsLeap(y) ? 29 : kDays[m - 1];
}

int64_t DaysFromCivil(int y, int m, int d) {
  y -= m <= 2;
  const int64_t era = (y >= 0 ? y : y - 399) / 400;
  const int64_t yoe = y - era * 400;
  const int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + doe - 719468;
}

struct Civil {
  int y, m, d;
};

Civil CivilFromDays(int64_t z) {
  z += 719468;
  const int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const int64_t doe = z - era * 146097;
  const int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const int64_t mp = (5 * doy + 2) / 153;
  const int d = static_cast<int>(doy - (153 * mp + 2) / 5 + 1);
  const int m = static_cast<int>(mp < 10 ? mp + 3 : mp - 9);
  const int y = static_cast<int>(yoe + era * 400 + (m <= 2));
  return {y, m, d};
}

// Digits at s[pos, pos+n) as a number, or -1.
int Digits(std::string_view s, size_t pos, size_t n) {
  int v = 0;
  for (size_t i = pos; i < pos + n; ++i) {
    if (s[i] < '0' || s[i] > '9') return -1;
    v = v * 10 + (s[i] - '0');
  }
  return v;
}

std::optional<Civil> ParseCivil(std::string_view iso) {
  if (iso.size() != 10 || iso[4] != '-' || iso[7] != '-') return std::nullopt;
  const int y = Digits(iso, 0, 4), m = Digits(iso, 5, 2), d = Digits(iso, 8, 2);
  if (y < kMinYear || m < 1 || m > 12 || d < 1 || d > DaysInMonth(y, m)) return std::nullopt;
  return Civil{y, m, d};
}

bool InRange(int64_t days) {
  return days >= DaysFromCivil(kMinYear, 1, 1) && days <= DaysFromCivil(kMaxYear, 12, 31);
}

}  // namespace

std::optional<int64_t> ParseIsoDate(std::string_view iso) {
  auto c = ParseCivil(iso);
  if (!c) return std::nullopt;
  return DaysFromCivil(c->y, c->m, c->d);
}

std::string FormatIsoDate(int64_t days) {
  if (!InRange(days)) return "";
  const Civil c = CivilFromDays(days);
  char buf[32];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02d", c.y, c.m, c.d);
  return buf;
}

std::optional<std::string> AddDays(std::string_view iso, int64_t days) {
  auto base = ParseIsoDate(iso);
  // Bounded first so the sum cannot overflow.
  if (!base || days > 4'000'000 || days < -4'000'000) return std::nullopt;
  if (!InRange(*base + days)) return std::nullopt;
  return FormatIsoDate(*base + days);
}

std::optional<std::string> AddMonths(std::string_view iso, int months) {
  auto c = ParseCivil(iso);
  if (!c || months > 120'000 || months < -120'000) return std::nullopt;
  const int64_t index = static_cast<int64_t>(c->y) * 12 + (c->m - 1) + months;
  const int64_t y = index / 12;
  const int m = static_cast<int>(index % 12) + 1;
  if (y < kMinYear || y > kMaxYear) return std::nullopt;
  const int d = std::min(c->d, DaysInMonth(static_cast<int>(y), m));
  return FormatIsoDate(DaysFromCivil(static_cast<int>(y), m, d));
}

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
