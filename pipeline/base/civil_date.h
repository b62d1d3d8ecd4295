// Proleptic Gregorian calendar arithmetic shared by the stages that read
// dates (deadline, references, link) and the store queries that compare
// them (due). All date arithmetic lives here, as SQLite keeps it in date.c.
#ifndef PLANTRACE_PIPELINE_BASE_CIVIL_DATE_H_
#define PLANTRACE_PIPELINE_BASE_CIVIL_DATE_H_

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace plantrace {

struct CivilDay {
  int year, month, day;
};

bool IsLeapYear(int year);
// REQUIRES: 1 <= month <= 12.
int DaysInMonth(int year, int month);

// Days since 1970-01-01 (negative before), and back; exact for every
// year that fits an int (H. Hinnant's days_from_civil / civil_from_days).
int64_t DaysFromCivil(int year, int month, int day);
CivilDay CivilFromDays(int64_t days);

// "YYYY-MM-DD", the year zero-padded to four digits. Values are printed as
// given, not checked: callers validate first.
std::string IsoDate(int year, int month, int day);

// Days since 1970-01-01 (proleptic Gregorian) of a strict "YYYY-MM-DD" date
// with years 0001..9999; nullopt for anything else (including 2026-02-30).
std::optional<int64_t> ParseIsoDate(std::string_view iso);
// "YYYY-MM-DD" of a day count from ParseIsoDate. Days outside years
// 0001..9999 give "".
std::string FormatIsoDate(int64_t days);
// `iso` moved by `days` (may be negative); nullopt when `iso` is not a date
// or the result leaves years 0001..9999.
std::optional<std::string> AddDays(std::string_view iso, int64_t days);
// `iso` moved by whole calendar months, the day clamped to the target
// month's length (2026-01-31 + 1 month = 2026-02-28).
std::optional<std::string> AddMonths(std::string_view iso, int months);

}  // namespace plantrace

#endif  // PLANTRACE_PIPELINE_BASE_CIVIL_DATE_H_
