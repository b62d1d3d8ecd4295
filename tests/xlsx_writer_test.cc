// Tests for pipeline/base/xlsx_writer: workbooks written to a temp dir are read
// back with libzip (only here, in a test) and their sheet XML checked: shared
// strings, numbers, real dates, bold frozen header, autofilter, widths,
// validation errors and reproducible bytes.
#include "pipeline/base/xlsx_writer.h"

#include <gtest/gtest.h>
#include <zip.h>

#include <unistd.h>

#include <cmath>
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "tests/test_util.h"

namespace plantrace {
namespace {

namespace fs = std::filesystem;

// The members of a zip archive by name, or nullopt when it does not open.
std::optional<std::map<std::string, std::string>> ReadZip(const std::string& path) {
  int err = 0;
  zip_t* za = zip_open(path.c_str(), ZIP_RDONLY, &err);
  if (za == nullptr) return std::nullopt;
  std::map<std::string, std::string> members;
  const zip_int64_t n = zip_get_num_entries(za, 0);
  for (zip_int64_t i = 0; i < n; ++i) {
    zip_stat_t st;
    zip_file_t* f = nullptr;
    if (zip_stat_index(za, i, 0, &st) != 0 || (f = zip_fopen_index(za, i, 0)) == nullptr) {
      zip_close(za);
      return std::nullopt;
    }
    std::string data(st.size, '\0');
    const zip_int64_t got = zip_fread(f, data.data(), st.size);
    zip_fclose(f);
    if (got != static_cast<zip_int64_t>(st.size)) {
      zip_close(za);
      return std::nullopt;
    }
    members[st.name] = std::move(data);
  }
  zip_close(za);
  return members;
}

std::string Unescape(std::string s) {
  const std::pair<const char*, const char*> kEntities[] = {
      {"&lt;", "<"}, {"&gt;", ">"}, {"&quot;", "\""}, {"&apos;", "'"}, {"&amp;", "&"}};
  for (const auto& [from, to] : kEntities) {
    for (size_t p = 0; (p = s.find(from, p)) != std::string::npos; p += std::string(to).size()) {
      s.replace(p, std::string(from).size(), to);
    }
  }
  return s;
}

// A read-back workbook: the shared strings and each sheet's XML.
struct Book {
  std::map<std::string, std::string> members;
  std::vector<std::string> strings;

  explicit Book(std::map<std::string, std::string> m) : members(std::move(m)) {
    const std::string& sst = members["xl/sharedStrings.xml"];
    for (size_t p = 0; (p = sst.find("<si>", p)) != std::string::npos;) {
      const size_t t = sst.find('>', sst.find("<t", p)) + 1;
      const size_t e = sst.find("</t>", t);
      strings.push_back(Unescape(sst.substr(t, e - t)));
      p = e;
    }
  }

  std::string Sheet(int n) { return members["xl/worksheets/sheet" + std::to_string(n) + ".xml"]; }

  // The <c> element of cell `ref` ("B2") in sheet `n`, or "".
  std::string CellXml(int n, const std::string& ref) {
    const std::string xml = Sheet(n);
    const size_t b = xml.find("<c r=\"" + ref + "\"");
    if (b == std::string::npos) return "";
    const size_t self_close = xml.find("/>", b), close = xml.find("</c>", b);
    const size_t gt = xml.find('>', b);
    if (gt == self_close + 1) return xml.substr(b, gt + 1 - b);
    return xml.substr(b, close + 4 - b);
  }

  // What the cell shows before formatting: the shared string for t="s",
  // else the raw <v>; "" for no cell or no value.
  std::string Value(int n, const std::string& ref) {
    const std::string c = CellXml(n, ref);
    const size_t v = c.find("<v>");
    if (v == std::string::npos) return "";
    const std::string raw = c.substr(v + 3, c.find("</v>") - v - 3);
    if (c.find("t=\"s\"") != std::string::npos) {
      const size_t i = std::stoul(raw);
      return i < strings.size() ? strings[i] : "<bad index>";
    }
    return raw;
  }
};

class XlsxWriterTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("plantrace_xlsx_test_" + std::to_string(getpid()));
    fs::remove_all(dir_);
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }
  std::string Path(const std::string& name) const { return (dir_ / name).string(); }
  size_t FilesInDir() const {
    return static_cast<size_t>(std::distance(fs::directory_iterator(dir_), fs::directory_iterator()));
  }

  fs::path dir_;
};

XlsxSheet TasksSheet() {
  XlsxSheet s;
  s.name = "Nhiệm vụ";
  s.header = {"ID", "Cơ quan chủ trì", "Hạn", "Số"};
  s.rows = {
      {XlsxCell::Number(7), XlsxCell::Text("Sở Tài chính"), XlsxCell::Date("2026-01-01"),
       XlsxCell::Number(2.5)},
      {XlsxCell::Number(12), XlsxCell::Text("Sở KH&CN <chủ trì>"), XlsxCell::Empty()},
  };
  return s;
}

TEST_F(XlsxWriterTest, WritesTypedCellsAndSheetFeatures) {
  const std::string path = Path("tasks.xlsx");
  ASSERT_TRUE(WriteXlsx(path, {TasksSheet()}).ok());
  auto members = ReadZip(path);
  ASSERT_TRUE(members.has_value()) << "not a zip: " << path;
  Book book(std::move(*members));
  ASSERT_FALSE(book.Sheet(1).empty());
  EXPECT_NE(book.members["xl/workbook.xml"].find("name=\"Nhiệm vụ\""), std::string::npos);

  struct Case {
    const char* id;
    const char* ref;
    std::string value;
  };
  const std::vector<Case> cases = {
      {"cell.header_text", "A1", "ID"},
      {"cell.header_vietnamese", "B1", "Cơ quan chủ trì"},
      {"cell.number", "A2", "7"},
      {"cell.text", "B2", "Sở Tài chính"},
      {"cell.date_serial", "C2", "46023"},  // 2026-01-01 as days since 1899-12-30
      {"cell.fraction", "D2", "2.5"},
      {"cell.escaped_text", "B3", "Sở KH&CN <chủ trì>"},
      {"cell.empty", "C3", ""},
      {"cell.short_row", "D3", ""},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.id);
    EXPECT_EQ(book.Value(1, c.ref), c.value);
  }
  EXPECT_EQ(book.CellXml(1, "B2").find("t=\"s\"") != std::string::npos, true) << "shared string";
  EXPECT_EQ(book.CellXml(1, "C3"), "") << "empty cells are not written";

  const std::string sheet = book.Sheet(1);
  EXPECT_NE(sheet.find("state=\"frozen\""), std::string::npos);
  EXPECT_NE(sheet.find("ySplit=\"1\""), std::string::npos);
  EXPECT_NE(sheet.find("<autoFilter ref=\"A1:D3\"/>"), std::string::npos);
  EXPECT_NE(sheet.find("<cols>"), std::string::npos);

  // Header cells use a bold style; date cells the date number format.
  const std::string styles = book.members["xl/styles.xml"];
  EXPECT_NE(styles.find("<b/>"), std::string::npos);
  EXPECT_NE(styles.find("formatCode=\"yyyy-mm-dd\""), std::string::npos);
  const std::string header_style = book.CellXml(1, "A1").substr(0, book.CellXml(1, "A1").find('>'));
  const std::string date_style = book.CellXml(1, "C2").substr(0, book.CellXml(1, "C2").find('>'));
  EXPECT_NE(header_style.find(" s=\""), std::string::npos);
  EXPECT_NE(date_style.find(" s=\""), std::string::npos);
  EXPECT_NE(header_style.substr(header_style.find(" s=")), date_style.substr(date_style.find(" s=")));
}

// Column widths in sheet XML: libxlsxwriter writes width + padding, so only
// the order and the bounds are checked.
double ColumnWidth(const std::string& sheet, int col) {
  const std::string key = "<col min=\"" + std::to_string(col) + "\" max=\"" + std::to_string(col) + "\"";
  const size_t b = sheet.find(key);
  if (b == std::string::npos) return -1;
  const size_t w = sheet.find("width=\"", b) + 7;
  return std::stod(sheet.substr(w, sheet.find('"', w) - w));
}

TEST_F(XlsxWriterTest, ColumnWidthsFollowContentWithinBounds) {
  XlsxSheet s;
  s.name = "W";
  s.header = {"A", "Tên nhiệm vụ", "C"};
  std::string long_text;
  for (int i = 0; i < 20; ++i) long_text += "kho dữ liệu ";
  s.rows = {{XlsxCell::Text("x"), XlsxCell::Text(long_text), XlsxCell::Text("Sở Tài chính tỉnh")},
            {XlsxCell::Empty(), XlsxCell::Text("dòng 1\ndòng 2")}};
  const std::string path = Path("w.xlsx");
  ASSERT_TRUE(WriteXlsx(path, {s}).ok());
  Book book(*ReadZip(path));
  const std::string sheet = book.Sheet(1);
  const double a = ColumnWidth(sheet, 1), b = ColumnWidth(sheet, 2), c = ColumnWidth(sheet, 3);
  EXPECT_GE(a, kXlsxMinColumnWidth);
  EXPECT_LT(a, kXlsxMinColumnWidth + 1);
  EXPECT_GE(b, kXlsxMaxColumnWidth);
  EXPECT_LT(b, kXlsxMaxColumnWidth + 1);
  EXPECT_GT(c, 17);
  EXPECT_LT(c, 20);
  // The capped column and the multi-line cell wrap: same style, which has
  // wrapText; the short text cell does not.
  const std::string styles = book.members["xl/styles.xml"];
  EXPECT_NE(styles.find("wrapText=\"1\""), std::string::npos);
  auto style_of = [&](const std::string& ref) {
    const std::string x = book.CellXml(1, ref);
    return x.substr(x.find(" s=\""), x.find('"', x.find(" s=\"") + 4) - x.find(" s=\""));
  };
  EXPECT_EQ(style_of("B2"), style_of("B3"));
  EXPECT_NE(style_of("B2"), style_of("C2"));
  EXPECT_EQ(book.Value(1, "B3"), "dòng 1\ndòng 2");
}

TEST_F(XlsxWriterTest, SeveralSheetsInOrder) {
  XlsxSheet a = TasksSheet(), b;
  b.name = "Quá hạn";
  b.header = {"ID"};
  b.rows = {{XlsxCell::Number(1)}};
  XlsxSheet empty;
  empty.name = "Trống";
  const std::string path = Path("multi.xlsx");
  ASSERT_TRUE(WriteXlsx(path, {a, b, empty}).ok());
  Book book(*ReadZip(path));
  const std::string wb = book.members["xl/workbook.xml"];
  const size_t pa = wb.find("name=\"Nhiệm vụ\""), pb = wb.find("name=\"Quá hạn\""), pc = wb.find("name=\"Trống\"");
  ASSERT_NE(pa, std::string::npos);
  ASSERT_NE(pb, std::string::npos);
  ASSERT_NE(pc, std::string::npos);
  EXPECT_LT(pa, pb);
  EXPECT_LT(pb, pc);
  EXPECT_EQ(book.Value(2, "A1"), "ID");
  EXPECT_EQ(book.Value(2, "A2"), "1");
  EXPECT_NE(book.Sheet(2).find("<autoFilter ref=\"A1:A2\"/>"), std::string::npos);
  EXPECT_FALSE(book.Sheet(3).empty());
  EXPECT_EQ(book.Sheet(3).find("autoFilter"), std::string::npos);
}

TEST_F(XlsxWriterTest, TextIsCleanedForXml) {
  XlsxSheet s;
  s.name = "T";
  s.header = {"x"};
  struct Case {
    const char* id;
    std::string in, out;
  };
  const std::vector<Case> cases = {
      {"clean.control", "a\x01" "b\x7F" "c", "a b c"},
      {"clean.tab_kept", "a\tb", "a\tb"},
      {"clean.crlf", "a\r\nb\rc", "a\nb c"},
      {"clean.invalid_utf8", "Sở\xFF" "x", "Sở\xEF\xBF\xBDx"},
      {"clean.excel_escape_kept_literal", "_x0041_", "_x005F_x0041_"},
      {"clean.not_an_escape", "_x00G1_ _x41_", "_x00G1_ _x41_"},
  };
  for (const Case& c : cases) s.rows.push_back({XlsxCell::Text(c.in)});
  const std::string path = Path("clean.xlsx");
  ASSERT_TRUE(WriteXlsx(path, {s}).ok());
  Book book(*ReadZip(path));
  for (size_t i = 0; i < cases.size(); ++i) {
    SCOPED_TRACE(cases[i].id);
    EXPECT_EQ(book.Value(1, "A" + std::to_string(i + 2)), cases[i].out);
  }
}

TEST_F(XlsxWriterTest, RejectsBadInputNamingTheFile) {
  auto sheet = [](std::string name) {
    XlsxSheet s;
    s.name = std::move(name);
    s.header = {"h"};
    return s;
  };
  auto with_cell = [&](XlsxCell cell) {
    XlsxSheet s = sheet("S");
    s.rows = {{XlsxCell::Text("ok"), std::move(cell)}};
    return s;
  };
  struct Case {
    const char* id;
    std::vector<XlsxSheet> sheets;
    const char* file;  // relative to the temp dir
    Status::Code code;
    const char* why;
  };
  const std::vector<Case> cases = {
      {"bad.no_sheets", {}, "a.xlsx", Status::Code::kInvalidInput, "no sheets"},
      {"bad.empty_name", {sheet("")}, "a.xlsx", Status::Code::kInvalidInput, "1 to 31"},
      {"bad.long_name", {sheet(std::string(32, 'x'))}, "a.xlsx", Status::Code::kInvalidInput, "1 to 31"},
      {"bad.name_char", {sheet("a/b")}, "a.xlsx", Status::Code::kInvalidInput, "none of"},
      {"bad.name_quote", {sheet("'a")}, "a.xlsx", Status::Code::kInvalidInput, "quote"},
      {"bad.duplicate", {sheet("Sở"), sheet("SỞ")}, "a.xlsx", Status::Code::kInvalidInput, "two sheets"},
      {"bad.date", {with_cell(XlsxCell::Date("2026-02-30"))}, "a.xlsx", Status::Code::kInvalidInput,
       "row 1 column 2: '2026-02-30'"},
      {"bad.date_format", {with_cell(XlsxCell::Date("30/01/2026"))}, "a.xlsx",
       Status::Code::kInvalidInput, "not an ISO date"},
      {"bad.date_before_1900", {with_cell(XlsxCell::Date("1899-12-31"))}, "a.xlsx",
       Status::Code::kInvalidInput, "from 1900-03-01"},
      {"bad.date_in_excel_leap_bug", {with_cell(XlsxCell::Date("1900-02-28"))}, "a.xlsx",
       Status::Code::kInvalidInput, "from 1900-03-01"},
      {"bad.nan", {with_cell(XlsxCell::Number(std::nan("")))}, "a.xlsx", Status::Code::kInvalidInput,
       "not finite"},
      {"bad.long_text", {with_cell(XlsxCell::Text(std::string(32768, 'a')))}, "a.xlsx",
       Status::Code::kInvalidInput, "longer than 32767"},
      {"bad.missing_dir", {sheet("S")}, "no/such/dir/a.xlsx", Status::Code::kIo, "cannot write"},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.id);
    const std::string path = Path(c.file);
    const Status st = WriteXlsx(path, c.sheets);
    ASSERT_FALSE(st.ok());
    EXPECT_EQ(st.code(), c.code) << st.ToString();
    EXPECT_EQ(st.message().rfind(path + ": ", 0), 0u) << st.message();
    EXPECT_NE(st.message().find(c.why), std::string::npos) << st.message();
    EXPECT_FALSE(fs::exists(path));
    EXPECT_EQ(FilesInDir(), 0u) << "no temporary file left";
  }
  // The longest allowed text and name still write.
  XlsxSheet ok = with_cell(XlsxCell::Text(std::string(32767, 'a')));
  ok.name = std::string(31, 'x');
  EXPECT_TRUE(WriteXlsx(Path("max.xlsx"), {ok}).ok());
}

TEST_F(XlsxWriterTest, OutputIsReproducible) {
  const std::string a = Path("a.xlsx"), b = Path("b.xlsx"), c = Path("c.xlsx");
  ASSERT_TRUE(WriteXlsx(a, {TasksSheet()}, {"2026-01-01"}).ok());
  sleep(1);  // a clock-stamped field would differ now
  ASSERT_TRUE(WriteXlsx(b, {TasksSheet()}, {"2026-01-01"}).ok());
  ASSERT_TRUE(WriteXlsx(c, {TasksSheet()}).ok());
  EXPECT_EQ(testing::ReadFileOrDie(a), testing::ReadFileOrDie(b));
  Book book(*ReadZip(a));
  EXPECT_NE(book.members["docProps/core.xml"].find("2026-01-01T00:00:00Z"), std::string::npos);
  Book epoch(*ReadZip(c));
  EXPECT_NE(epoch.members["docProps/core.xml"].find("1970-01-01T00:00:01Z"), std::string::npos);
}

}  // namespace
}  // namespace plantrace
