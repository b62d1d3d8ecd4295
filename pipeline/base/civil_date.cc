// Calendar arithmetic (see civil_date.h).
#include "pipeline/base/civil_date.h"

#include <algorithm>
#include <cstdio>

namespace plantrace {
namespace {

constexpr int kMinYear = 1;
constexpr int kMaxYear = 9999;

// Digits at s[pos, pos+n) as a number, or -1.
int Digits(std::string_view s, size_t pos, size_t n) {
  int v = 0;
  for (size_t i = pos; i < pos + n; ++i) {
    if (s[i] < '0' || s[i] > '9') return -1;
    v = v * 10 + (s[i] - '0');
  }
  return v;
}

std::optional<CivilDay> ParseCivil(std::string_view iso) {
  if (iso.size() != 10 || iso[4] != '-' || iso[7] != '-') return std::nullopt;
  const int y = Digits(iso, 0, 4), m = Digits(iso, 5, 2), d = Digits(iso, 8, 2);
  if (y < kMinYear || m < 1 || m > 12 || d < 1 || d > DaysInMonth(y, m)) return std::nullopt;
  return CivilDay{y, m, d};
}

bool InRange(int64_t days) {
  return days >= DaysFromCivil(kMinYear, 1, 1) && days <= DaysFromCivil(kMaxYear, 12, 31);
}

}  // namespace

bool IsLeapYear(int year) { return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0; }

int DaysInMonth(int year, int month) {
  static constexpr int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  return month == 2 && IsLeapYear(year) ? 29 : kDays[month - 1];
}

int64_t DaysFromCivil(int year, int month, int day) {
  const int64_t y = static_cast<int64_t>(year) - (month <= 2);
  const int64_t era = (y >= 0 ? y : y - 399) / 400;
  const int64_t yoe = y - era * 400;
  const int64_t doy = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1;
  const int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + doe - 719468;
}

CivilDay CivilFromDays(int64_t days) {
  const int64_t z = days + 719468;
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

std::string IsoDate(int year, int month, int day) {
  char buf[48];  // room for three ints of any value
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02d", year, month, day);
  return buf;
}

std::optional<int64_t> ParseIsoDate(std::string_view iso) {
  auto c = ParseCivil(iso);
  if (!c) return std::nullopt;
  return DaysFromCivil(c->year, c->month, c->day);
}

std::string FormatIsoDate(int64_t days) {
  if (!InRange(days)) return "";
  const CivilDay c = CivilFromDays(days);
  return IsoDate(c.year, c.month, c.day);
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
  const int64_t index = static_cast<int64_t>(c->year) * 12 + (c->month - 1) + months;
  const int64_t y = index / 12;
  const int m = static_cast<int>(index % 12) + 1;
  if (y < kMinYear || y > kMaxYear) return std::nullopt;
  const int d = std::min(c->day, DaysInMonth(static_cast<int>(y), m));
  return FormatIsoDate(DaysFromCivil(static_cast<int>(y), m, d));
}

}  // namespace plantrace
