// Slow differential test of pipeline/base/xlsx_writer: workbooks built from the
// gold tasks and from a report are converted to CSV by LibreOffice and must
// give the same rows as the CSV plantrace writes for the same data (dates as
// dates, numbers as numbers, text byte for byte). Skipped without LibreOffice.
#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <string>
#include <vector>

#include "pipeline/base/json_writer.h"
#include "pipeline/base/xlsx_writer.h"
#include "pipeline/store/due.h"
#include "pipeline/store/report.h"
#include "tests/gold_files.h"
#include "tests/test_util.h"

namespace plantrace {
namespace {

namespace fs = std::filesystem;

// The LibreOffice binary on PATH, or "".
std::string FindLibreOffice() {
  for (const char* name : {"libreoffice", "soffice"}) {
    std::string out;
    if (testing::RunCommand(std::string("command -v ") + name + " 2>/dev/null", &out) == 0 && !out.empty()) {
      while (!out.empty() && (out.back() == '\n' || out.back() == '\r')) out.pop_back();
      return out;
    }
  }
  return "";
}

std::string ShellQuote(const std::string& s) {
  std::string out = "'";
  for (char c : s) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return out + "'";
}

// RFC 4180 records (LF or CRLF line ends, quoted fields may hold newlines).
std::vector<std::vector<std::string>> ParseCsv(const std::string& text) {
  std::vector<std::vector<std::string>> rows;
  std::vector<std::string> row;
  std::string field;
  bool quoted = false, any = false;
  for (size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (quoted) {
      if (c == '"' && i + 1 < text.size() && text[i + 1] == '"') {
        field += '"';
        ++i;
      } else if (c == '"') {
        quoted = false;
      } else {
        field += c;
      }
      continue;
    }
    if (c == '"') {
      quoted = any = true;
    } else if (c == ',') {
      row.push_back(std::move(field));
      field.clear();
      any = true;
    } else if (c == '\r' || c == '\n') {
      if (c == '\r' && i + 1 < text.size() && text[i + 1] == '\n') ++i;
      row.push_back(std::move(field));
      field.clear();
      rows.push_back(std::move(row));
      row.clear();
      any = false;
    } else {
      field += c;
      any = true;
    }
  }
  if (any || !field.empty()) {
    row.push_back(std::move(field));
    rows.push_back(std::move(row));
  }
  return rows;
}

// The CSV plantrace writes for a sheet: header, then each cell as its text
// (numbers in shortest form, dates as ISO, empty as ""). Rows are padded to
// the sheet's width, as a spreadsheet's CSV export pads them.
std::string SheetCsv(const XlsxSheet& sheet) {
  size_t width = sheet.header.size();
  for (const auto& row : sheet.rows) width = std::max(width, row.size());
  std::string out;
  std::vector<std::string> header = sheet.header;
  header.resize(width);
  out += CsvRow(header);
  for (const auto& row : sheet.rows) {
    std::vector<std::string> fields(width);
    for (size_t c = 0; c < row.size(); ++c) {
      const XlsxCell& cell = row[c];
      if (cell.kind == XlsxCell::kText || cell.kind == XlsxCell::kDate) fields[c] = cell.text;
      if (cell.kind == XlsxCell::kNumber) {
        char buf[64];
        std::snprintf(buf, sizeof buf, "%.15g", cell.number);
        fields[c] = buf;
      }
    }
    out += CsvRow(fields);
  }
  return out;
}

std::string Opt(const testing::JsonValue& v) { return v.is_string() ? v.text : ""; }

// One sheet per gold file: every task with its deadline as real dates.
std::vector<XlsxSheet> GoldSheets() {
  std::vector<XlsxSheet> sheets;
  for (const auto& gold : testing::GoldFiles()) {
    XlsxSheet s;
    s.name = "Gold " + gold.name.substr(0, 3);
    s.header = {"Row", "Document", "Source", "No.", "Task", "Lead", "Deadline", "Kind", "Start", "End", "Due",
                "Overdue"};
    int n = 0;
    for (const auto& t : gold.root["tasks"].items) {
      Deadline d;
      const auto& dl = t["deadline"];
      d.kind = Opt(dl["kind"]);
      if (dl["start"].is_string()) d.start = dl["start"].text;
      if (dl["end"].is_string()) d.end = dl["end"].text;
      auto date = [](const std::optional<std::string>& iso) {
        return iso ? XlsxCell::Date(*iso) : XlsxCell::Empty();
      };
      auto text = [](const std::string& v) { return v.empty() ? XlsxCell::Empty() : XlsxCell::Text(v); };
      s.rows.push_back({XlsxCell::Number(++n), text(Opt(gold.root["meta"]["number"])), text(Opt(t["source"])),
                        text(Opt(t["number"])), text(Opt(t["name"])), text(Opt(t["lead_raw"])),
                        text(Opt(t["deadline_raw"])), text(d.kind), date(d.start), date(d.end), date(DueDate(d)),
                        XlsxCell::Number(IsOverdue(d, "2026-01-01") ? 1 : 0)});
    }
    sheets.push_back(std::move(s));
  }
  return sheets;
}

// Awkward cells: separators, quotes, line breaks, spaces, number-like text,
// escapes, fractions, leap days.
XlsxSheet EdgeSheet() {
  XlsxSheet s;
  s.name = "Edge";
  s.header = {"Text", "Number", "Date"};
  s.rows = {
      {XlsxCell::Text("Sở Tài chính, \"KH&CN\""), XlsxCell::Number(2.5), XlsxCell::Date("2024-02-29")},
      {XlsxCell::Text("dòng 1\ndòng 2"), XlsxCell::Number(-7), XlsxCell::Date("1900-03-01")},
      {XlsxCell::Text(" khoảng trắng "), XlsxCell::Number(1234567.125), XlsxCell::Date("9999-12-31")},
      {XlsxCell::Text("0123"), XlsxCell::Number(0), XlsxCell::Empty()},
      {XlsxCell::Text("_x0041_"), XlsxCell::Empty(), XlsxCell::Date("2026-01-01")},
      {XlsxCell::Text("=1+1"), XlsxCell::Number(46023)},
  };
  return s;
}

class LibreOfficeXlsxTest : public ::testing::Test {
 protected:
  void SetUp() override {
    office_ = FindLibreOffice();
    if (office_.empty()) GTEST_SKIP() << "LibreOffice (libreoffice or soffice) is not on PATH";
    dir_ = fs::temp_directory_path() / ("plantrace_lo_test_" + std::to_string(getpid()));
    fs::remove_all(dir_);
    fs::create_directories(dir_);
  }
  void TearDown() override {
    if (!dir_.empty()) fs::remove_all(dir_);
  }

  // Writes `sheets`, converts every sheet with LibreOffice, and compares each
  // sheet's CSV with SheetCsv.
  void RoundTrip(const std::string& stem, const std::vector<XlsxSheet>& sheets) {
    const std::string xlsx = (dir_ / (stem + ".xlsx")).string();
    const Status st = WriteXlsx(xlsx, sheets);
    ASSERT_TRUE(st.ok()) << st.ToString();
    // Own profile: a running office instance would otherwise take the job.
    // Filter options: comma, double quote, UTF-8, from line 1, ..., -1 = one
    // CSV per sheet named <stem>-<sheet>.csv.
    const std::string cmd =
        ShellQuote(office_) + " -env:UserInstallation=file://" + (dir_ / "profile").string() +
        " --headless --convert-to " +
        ShellQuote("csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,false,false,false,-1") +
        " --outdir " + ShellQuote(dir_.string()) + " " + ShellQuote(xlsx) + " 2>&1";
    std::string log;
    ASSERT_EQ(testing::RunCommand(cmd, &log), 0) << log;
    for (const XlsxSheet& sheet : sheets) {
      SCOPED_TRACE(stem + " / " + sheet.name);
      const fs::path csv = dir_ / (stem + "-" + sheet.name + ".csv");
      ASSERT_TRUE(fs::exists(csv)) << log;
      const auto got = ParseCsv(testing::ReadFileOrDie(csv.string()));
      const auto want = ParseCsv(SheetCsv(sheet));
      ASSERT_EQ(got.size(), want.size());
      for (size_t r = 0; r < want.size(); ++r) {
        SCOPED_TRACE("row " + std::to_string(r));
        // LibreOffice drops trailing empty cells of a row only when the
        // whole column is empty; compare on the wider width.
        std::vector<std::string> g = got[r], w = want[r];
        g.resize(std::max(g.size(), w.size()));
        w.resize(g.size());
        EXPECT_EQ(g, w);
      }
    }
  }

  std::string office_;
  fs::path dir_;
};

TEST_F(LibreOfficeXlsxTest, EdgeCellsRoundTrip) { RoundTrip("edge", {EdgeSheet()}); }

TEST_F(LibreOfficeXlsxTest, GoldTasksRoundTrip) {
  const auto sheets = GoldSheets();
  if (sheets.empty()) GTEST_SKIP() << "no gold files";
  size_t rows = 0, dates = 0;
  for (const auto& s : sheets) {
    rows += s.rows.size();
    for (const auto& row : s.rows) {
      for (const auto& c : row) dates += c.kind == XlsxCell::kDate;
    }
  }
  EXPECT_GT(rows, 100u);
  EXPECT_GT(dates, 100u);
  RoundTrip("gold", sheets);
}

TEST_F(LibreOfficeXlsxTest, ReportRoundTrip) {
  Report r;
  r.as_of = "2026-01-01";
  r.window = "30d";
  r.rows = {{"Sở Khoa học và Công nghệ", "department", 12, 2, 1, "Sở Khoa học và Công nghệ"},
            {"Công an tỉnh", "", 1, 0, 0, "Công an tỉnh"}};
  r.overdue = {{31, "102/KH-UBND", "5", "Xây dựng kho dữ liệu dùng chung", "Sở Khoa học và Công nghệ",
                "Quý IV/2025", "2025-12-31"}};
  RoundTrip("report", ReportSheets(r));
}

}  // namespace
}  // namespace plantrace
