// Excel output (see xlsx_writer.h): validates plain sheets, then writes them
// with libxlsxwriter, the only file that includes it, turning its error codes
// into Status.
#include "pipeline/base/xlsx_writer.h"

#include <xlsxwriter.h>

#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <set>
#include <string_view>
#include <system_error>

#include "pipeline/base/civil_date.h"
#include "pipeline/base/numbers.h"
#include "pipeline/base/terminal_table.h"
#include "pipeline/base/unicode.h"

namespace plantrace {
namespace {

constexpr size_t kMaxRows = 1048576;  // including the header row
constexpr size_t kMaxColumns = 16384;
constexpr size_t kMaxTextUnits = 32767;  // UTF-16 code units per cell
constexpr size_t kMaxSheetNameUnits = 31;
// Room for the autofilter button next to a header.
constexpr double kHeaderButtonWidth = 2;

// Code units `s` would take in UTF-16 (U+FFFD for each invalid byte).
size_t Utf16Units(std::string_view s) {
  size_t n = 0;
  for (size_t i = 0; i < s.size(); ++i) {
    const unsigned char c = static_cast<unsigned char>(s[i]);
    if ((c & 0xC0) != 0x80) n += c >= 0xF0 ? 2 : 1;
  }
  return n;
}

bool IsHex(char c) {
  return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

// Text as XML and Excel can carry it: see the WriteXlsx contract. A literal
// "_xHHHH_" would be read back by Excel as an escaped character, so its
// underscore is itself escaped as _x005F_.
std::string CleanText(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  while (!s.empty()) {
    const size_t bad = FindInvalidUtf8(s);
    const std::string_view good = s.substr(0, bad);
    for (size_t k = 0; k < good.size(); ++k) {
      const char c = good[k];
      if (c == '\r' && k + 1 < good.size() && good[k + 1] == '\n') continue;
      if ((static_cast<unsigned char>(c) < 0x20 && c != '\t' && c != '\n') || c == 0x7F) {
        out += ' ';
      } else if (c == '_' && k + 6 < good.size() && good[k + 1] == 'x' && IsHex(good[k + 2]) &&
                 IsHex(good[k + 3]) && IsHex(good[k + 4]) && IsHex(good[k + 5]) && good[k + 6] == '_') {
        out += "_x005F_";
      } else {
        out += c;
      }
    }
    if (bad == std::string_view::npos) break;
    out += "\xEF\xBF\xBD";
    s.remove_prefix(bad + 1);
  }
  return out;
}

// Widest line of `text` in character units.
double TextWidth(std::string_view text) {
  size_t widest = 0;
  while (true) {
    const size_t nl = text.find('\n');
    widest = std::max(widest, DisplayWidth(text.substr(0, nl)));
    if (nl == std::string_view::npos) break;
    text.remove_prefix(nl + 1);
  }
  return static_cast<double>(widest);
}

std::string FormatNumber(double v) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.15g", v);
  return buf;
}

Status ValidateSheets(const std::vector<XlsxSheet>& sheets) {
  if (sheets.empty()) return Status::InvalidInput("no sheets to write");
  std::set<std::string> names;
  for (const XlsxSheet& sheet : sheets) {
    const std::string where = "sheet '" + sheet.name + "'";
    if (sheet.name.empty() || FindInvalidUtf8(sheet.name) != std::string::npos ||
        Utf16Units(sheet.name) > kMaxSheetNameUnits) {
      return Status::InvalidInput(where + ": a sheet name has 1 to 31 characters of valid UTF-8");
    }
    if (sheet.name.find_first_of("[]:*?/\\") != std::string::npos || sheet.name.front() == '\'' ||
        sheet.name.back() == '\'') {
      return Status::InvalidInput(where + ": a sheet name has none of []:*?/\\ and no quote at either end");
    }
    if (!names.insert(ToLower(sheet.name)).second) {
      return Status::InvalidInput(where + ": two sheets have this name");
    }
    if (sheet.rows.size() + 1 > kMaxRows) {
      return Status::InvalidInput(where + ": more rows than Excel allows");
    }
    size_t columns = sheet.header.size();
    for (const auto& row : sheet.rows) columns = std::max(columns, row.size());
    if (columns > kMaxColumns) return Status::InvalidInput(where + ": more columns than Excel allows");
    for (size_t c = 0; c < sheet.header.size(); ++c) {
      if (Utf16Units(sheet.header[c]) > kMaxTextUnits) {
        return Status::InvalidInput(where + " header column " + std::to_string(c + 1) +
                                    ": text longer than 32767 characters");
      }
    }
    for (size_t r = 0; r < sheet.rows.size(); ++r) {
      for (size_t c = 0; c < sheet.rows[r].size(); ++c) {
        const XlsxCell& cell = sheet.rows[r][c];
        const std::string at = where + " row " + std::to_string(r + 1) + " column " + std::to_string(c + 1);
        switch (cell.kind) {
          case XlsxCell::kEmpty:
            break;
          case XlsxCell::kText:
            if (Utf16Units(cell.text) > kMaxTextUnits) {
              return Status::InvalidInput(at + ": text longer than 32767 characters");
            }
            break;
          case XlsxCell::kNumber:
            if (!std::isfinite(cell.number)) return Status::InvalidInput(at + ": number is not finite");
            break;
          case XlsxCell::kDate: {
            auto days = ParseIsoDate(cell.text);
            if (!days || *days < *ParseIsoDate(kXlsxMinDate)) {
              return Status::InvalidInput(at + ": '" + cell.text + "' is not an ISO date from " +
                                          kXlsxMinDate + " on");
            }
            break;
          }
        }
      }
    }
  }
  return Status::Ok();
}

// Formats shared by all sheets of one workbook (owned by the workbook).
struct Formats {
  lxw_format* header = nullptr;
  lxw_format* text = nullptr;
  lxw_format* wrap = nullptr;
  lxw_format* number = nullptr;
  lxw_format* date = nullptr;
};

Formats AddFormats(lxw_workbook* wb) {
  Formats f;
  f.header = workbook_add_format(wb);
  format_set_bold(f.header);
  format_set_align(f.header, LXW_ALIGN_VERTICAL_TOP);
  f.text = workbook_add_format(wb);
  format_set_align(f.text, LXW_ALIGN_VERTICAL_TOP);
  f.wrap = workbook_add_format(wb);
  format_set_align(f.wrap, LXW_ALIGN_VERTICAL_TOP);
  format_set_text_wrap(f.wrap);
  f.number = workbook_add_format(wb);
  format_set_align(f.number, LXW_ALIGN_VERTICAL_TOP);
  f.date = workbook_add_format(wb);
  format_set_align(f.date, LXW_ALIGN_VERTICAL_TOP);
  format_set_num_format(f.date, kXlsxDateFormat);
  return f;
}

Status Check(lxw_error err, const std::string& what) {
  if (err == LXW_NO_ERROR) return Status::Ok();
  return Status::Internal(what + ": " + lxw_strerror(err));
}

Status WriteSheet(lxw_workbook* wb, const Formats& f, const XlsxSheet& sheet) {
  lxw_worksheet* ws = workbook_add_worksheet(wb, sheet.name.c_str());
  if (ws == nullptr) return Status::Internal("sheet '" + sheet.name + "': cannot be added");
  const std::string where = "sheet '" + sheet.name + "'";

  size_t columns = sheet.header.size();
  for (const auto& row : sheet.rows) columns = std::max(columns, row.size());
  std::vector<double> widths(columns, 0);
  for (size_t c = 0; c < sheet.header.size(); ++c) {
    const std::string text = CleanText(sheet.header[c]);
    widths[c] = TextWidth(text) + kHeaderButtonWidth;
    PLANTRACE_RETURN_IF_ERROR(Check(
        worksheet_write_string(ws, 0, static_cast<lxw_col_t>(c), text.c_str(), f.header), where));
  }
  for (const auto& row : sheet.rows) {
    for (size_t c = 0; c < row.size(); ++c) {
      const XlsxCell& cell = row[c];
      double w = 0;
      if (cell.kind == XlsxCell::kText) w = TextWidth(cell.text);
      if (cell.kind == XlsxCell::kNumber) w = static_cast<double>(FormatNumber(cell.number).size());
      if (cell.kind == XlsxCell::kDate) w = static_cast<double>(std::string_view(kXlsxDateFormat).size());
      widths[c] = std::max(widths[c], w);
    }
  }

  for (size_t r = 0; r < sheet.rows.size(); ++r) {
    const auto row_index = static_cast<lxw_row_t>(r + 1);
    for (size_t c = 0; c < sheet.rows[r].size(); ++c) {
      const XlsxCell& cell = sheet.rows[r][c];
      const auto col = static_cast<lxw_col_t>(c);
      lxw_error err = LXW_NO_ERROR;
      switch (cell.kind) {
        case XlsxCell::kEmpty:
          break;
        case XlsxCell::kText: {
          const std::string text = CleanText(cell.text);
          const bool wrap = widths[c] > kXlsxMaxColumnWidth || text.find('\n') != std::string::npos;
          err = worksheet_write_string(ws, row_index, col, text.c_str(), wrap ? f.wrap : f.text);
          break;
        }
        case XlsxCell::kNumber:
          err = worksheet_write_number(ws, row_index, col, cell.number, f.number);
          break;
        case XlsxCell::kDate: {
          // Validated as strict YYYY-MM-DD.
          const std::string& iso = cell.text;
          auto part = [&](size_t at, size_t n) { return static_cast<int>(ParseInt(iso.substr(at, n)).value_or(0)); };
          lxw_datetime dt = {part(0, 4), part(5, 2), part(8, 2), 0, 0, 0};
          err = worksheet_write_datetime(ws, row_index, col, &dt, f.date);
          break;
        }
      }
      PLANTRACE_RETURN_IF_ERROR(Check(err, where + " row " + std::to_string(r + 1)));
    }
  }

  for (size_t c = 0; c < columns; ++c) {
    const double width = std::clamp(widths[c] + 1, kXlsxMinColumnWidth, kXlsxMaxColumnWidth);
    const auto col = static_cast<lxw_col_t>(c);
    PLANTRACE_RETURN_IF_ERROR(Check(worksheet_set_column(ws, col, col, width, nullptr), where));
  }
  if (columns > 0) {
    worksheet_freeze_panes(ws, 1, 0);
    PLANTRACE_RETURN_IF_ERROR(Check(
        worksheet_autofilter(ws, 0, 0, static_cast<lxw_row_t>(sheet.rows.size()),
                             static_cast<lxw_col_t>(columns - 1)),
        where));
  }
  return Status::Ok();
}

}  // namespace

Status WriteXlsx(const std::string& path, const std::vector<XlsxSheet>& sheets,
                 const XlsxOptions& options) {
  PLANTRACE_RETURN_IF_ERROR(ValidateSheets(sheets).Annotate(path));
  // libxlsxwriter reports a file it cannot create on stderr; check first.
  const std::filesystem::path parent = std::filesystem::path(path).parent_path();
  std::error_code ec;
  if (!parent.empty() && !std::filesystem::is_directory(parent, ec)) {
    return Status::Io(path + ": cannot write: no directory " + parent.string());
  }
  const std::string tmp = path + ".tmp" + std::to_string(getpid());
  lxw_workbook* wb = workbook_new(tmp.c_str());
  if (wb == nullptr) return Status::Io(path + ": cannot create workbook");
  // libxlsxwriter stamps core.xml with the clock unless given a time; 0 means
  // "unset" to it, so the epoch is written as its first second.
  lxw_doc_properties props = {};
  const int64_t created_days = ParseIsoDate(options.created).value_or(0);
  props.created = static_cast<time_t>(created_days * 86400 + (created_days == 0 ? 1 : 0));
  Status st = Check(workbook_set_properties(wb, &props), "properties");
  const Formats f = AddFormats(wb);
  for (const XlsxSheet& sheet : sheets) {
    if (!st.ok()) break;
    st = WriteSheet(wb, f, sheet);
  }
  // workbook_close also frees the workbook, so it runs even after an error.
  const lxw_error closed = workbook_close(wb);
  if (st.ok() && closed != LXW_NO_ERROR) st = Status::Io(std::string("cannot write: ") + lxw_strerror(closed));
  if (st.ok()) {
    std::filesystem::rename(tmp, path, ec);
    if (ec) st = Status::Io("cannot rename " + tmp + ": " + ec.message());
  }
  if (!st.ok()) std::filesystem::remove(tmp, ec);
  return st.Annotate(path);
}

}  // namespace plantrace
