// Command output: Excel workbooks (`tasks --format xlsx`, `report`). The only
// file that includes libxlsxwriter is xlsx_writer.cc; callers build sheets
// from plain typed cells.
#ifndef PLANTRACE_PIPELINE_BASE_XLSX_WRITER_H_
#define PLANTRACE_PIPELINE_BASE_XLSX_WRITER_H_

#include <string>
#include <vector>

#include "pipeline/base/status.h"

namespace plantrace {

struct XlsxCell {
  enum Kind { kEmpty, kText, kNumber, kDate };
  Kind kind = kEmpty;
  std::string text;   // kText: UTF-8; kDate: ISO "YYYY-MM-DD", kXlsxMinDate or later
  double number = 0;  // kNumber

  static XlsxCell Empty() { return XlsxCell(); }
  static XlsxCell Text(std::string s) { return XlsxCell{kText, std::move(s), 0}; }
  static XlsxCell Number(double v) { return XlsxCell{kNumber, "", v}; }
  static XlsxCell Date(std::string iso) { return XlsxCell{kDate, std::move(iso), 0}; }
};

struct XlsxSheet {
  std::string name;  // 1..31 characters, none of []:*?/\, unique (case-insensitive)
  std::vector<std::string> header;
  std::vector<std::vector<XlsxCell>> rows;  // may be shorter or longer than header
};

// The first date a kDate cell may hold: Excel counts a fictitious 1900-02-29,
// so earlier serials mean different days in Excel and LibreOffice.
inline constexpr char kXlsxMinDate[] = "1900-03-01";
// Number format of date cells; also how a CSV of the same data spells dates.
inline constexpr char kXlsxDateFormat[] = "yyyy-mm-dd";
// Column widths in character units: from the widest cell, within these bounds.
inline constexpr double kXlsxMinColumnWidth = 6;
inline constexpr double kXlsxMaxColumnWidth = 60;

struct XlsxOptions {
  // ISO date stamped as the workbook's creation time (e.g. a report's as-of
  // date); empty or malformed: 1970-01-01. Never the clock, so output is
  // reproducible.
  std::string created;
};

// Writes one workbook with the sheets in order. Each sheet: the header row
// bold, panes frozen below it, an autofilter over header and rows, column
// widths from content (text wider than kXlsxMaxColumnWidth wraps), text cells
// as shared strings, numbers as numbers, dates as real Excel dates shown with
// kXlsxDateFormat. Text is written as given except that invalid UTF-8 becomes
// U+FFFD and control characters other than tab and line feed become spaces
// (XML cannot carry them). The output is byte-identical for identical input.
//
// The input is validated before anything is written (no sheets, bad or
// duplicate sheet names, malformed dates, non-finite numbers, text over
// 32767 characters, more rows or columns than Excel allows: InvalidInput).
// The workbook is written to a temporary file next to `path` and renamed, so
// `path` is never left half-written. Every error names `path`.
Status WriteXlsx(const std::string& path, const std::vector<XlsxSheet>& sheets,
                 const XlsxOptions& options = {});

}  // namespace plantrace

#endif  // PLANTRACE_PIPELINE_BASE_XLSX_WRITER_H_
