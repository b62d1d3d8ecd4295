// Tests for pipeline/store/report: the canonical order and the three renderings of
// one small report (golden strings inline), plus escaping and labels.
#include "pipeline/store/report.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace plantrace {
namespace {

Report Sample() {
  Report r;
  r.as_of = "2026-01-01";
  r.window = "30d";
  r.rows = {
      {"Sở Y tế", "department", 4, 1, 0, "Sở Y tế"},
      {"Ủy ban nhân dân các huyện", "locality", 10, 0, 3, "Ủy ban nhân dân các huyện"},
      {"Sở Tài chính", "department", 12, 2, 1, "Sở Tài chính"},
      {"Công an tỉnh", "", 1, 0, 0, "Công an tỉnh"},
  };
  r.overdue = {
      {31, "102/KH-UBND", "5",
       "Xây dựng kho dữ liệu dùng chung của tỉnh & các ngành <giai đoạn 1> phục vụ chuyển đổi số",
       "Sở Tài chính", "Quý IV/2025", "2025-12-31"},
      {17, "102/KH-UBND", "2", "Rà soát thủ tục", "Ủy ban nhân dân các huyện", "Tháng 6/2025", "2025-06-30"},
  };
  return r;
}

TEST(ReportTest, SortedReportOrder) {
  Report r = Sample();
  r.overdue.push_back({9, "01/KH-UBND", "1", "x", "y", "", "2025-12-31"});
  r.overdue.push_back({8, "01/KH-UBND", "1", "x", "y", "", "2025-12-31"});
  const Report s = SortedReport(r);
  const std::vector<std::string> agencies = {"Công an tỉnh", "Sở Tài chính", "Sở Y tế",
                                             "Ủy ban nhân dân các huyện"};
  ASSERT_EQ(s.rows.size(), agencies.size());
  for (size_t i = 0; i < agencies.size(); ++i) {
    SCOPED_TRACE("row." + std::to_string(i));
    EXPECT_EQ(s.rows[i].agency, agencies[i]);
  }
  const std::vector<int64_t> ids = {17, 8, 9, 31};
  ASSERT_EQ(s.overdue.size(), ids.size());
  for (size_t i = 0; i < ids.size(); ++i) {
    SCOPED_TRACE("task." + std::to_string(i));
    EXPECT_EQ(s.overdue[i].id, ids[i]);
  }
  // Input order does not matter.
  Report reversed = r;
  std::reverse(reversed.rows.begin(), reversed.rows.end());
  std::reverse(reversed.overdue.begin(), reversed.overdue.end());
  EXPECT_EQ(RenderReportText(reversed), RenderReportText(r));
  EXPECT_EQ(RenderReportHtml(reversed), RenderReportHtml(r));
}

TEST(ReportTest, TextGolden) {
  struct Case {
    const char* id;
    Report report;
    std::string want;
  };
  Report empty;
  empty.as_of = "2026-01-01";
  empty.window = "2w";
  const std::vector<Case> cases = {
      {"text.sample", Sample(),
       "Task report as of 2026-01-01\n"
       "Tasks each agency leads. Due soon: due within 30d of 2026-01-01, not yet overdue.\n"
       "\n"
       "Agency                     Kind        Active  Due within 30d  Overdue\n"
       "-------------------------  ----------  ------  --------------  -------\n"
       "Công an tỉnh                                1               0        0\n"
       "Sở Tài chính               department      12               2        1\n"
       "Sở Y tế                    department       4               1        0\n"
       "Ủy ban nhân dân các huyện  locality        10               0        3\n"
       "\n"
       "Overdue tasks (2)\n"
       "\n"
       "ID  Document     No.  Task                                                         "
       "Lead                       Deadline      Due\n"
       "--  -----------  ---  -----------------------------------------------------------  "
       "-------------------------  ------------  ----------\n"
       "17  102/KH-UBND  2    Rà soát thủ tục                                              "
       "Ủy ban nhân dân các huyện  Tháng 6/2025  2025-06-30\n"
       "31  102/KH-UBND  5    Xây dựng kho dữ liệu dùng chung của tỉnh & các ngành <giai…  "
       "Sở Tài chính               Quý IV/2025   2025-12-31\n"},
      {"text.empty", empty,
       "Task report as of 2026-01-01\n"
       "Tasks each agency leads. Due soon: due within 2w of 2026-01-01, not yet overdue.\n"
       "\n"
       "Agency  Kind  Active  Due within 2w  Overdue\n"
       "------  ----  ------  -------------  -------\n"
       "\n"
       "Overdue tasks: none\n"},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.id);
    EXPECT_EQ(RenderReportText(c.report), c.want);
  }
}

TEST(ReportTest, HtmlGolden) {
  Report r = Sample();
  r.rows.resize(2);
  r.overdue.resize(1);
  r.overdue[0].lead = "Sở \"Tài\" 'chính'\xFF";
  const std::string want =
      "<!DOCTYPE html>\n"
      "<html lang=\"en\">\n"
      "<head>\n"
      "<meta charset=\"utf-8\">\n"
      "<title>Task report as of 2026-01-01</title>\n"
      "<style>\n"
      "body{font-family:system-ui,\"Segoe UI\",Roboto,Arial,sans-serif;margin:2em;color:#222}\n"
      "table{border-collapse:collapse;margin:1em 0}\n"
      "th,td{border:1px solid #ccc;padding:4px 8px;text-align:left;vertical-align:top}\n"
      "th{background:#f0f0f0}\n"
      "td.n{text-align:right;font-variant-numeric:tabular-nums}\n"
      "td.late{color:#b00020;font-weight:bold}\n"
      "</style>\n"
      "</head>\n"
      "<body>\n"
      "<h1>Task report as of 2026-01-01</h1>\n"
      "<p>Tasks each agency leads. Due soon: due within 30d of 2026-01-01, not yet overdue.</p>\n"
      "<table>\n"
      "<thead>\n"
      "<tr><th>Agency</th><th>Kind</th><th>Active</th><th>Due within 30d</th><th>Overdue</th></tr>\n"
      "</thead>\n"
      "<tbody>\n"
      "<tr><td>Sở Y tế</td><td>department</td><td class=\"n\">4</td><td class=\"n\">1</td>"
      "<td class=\"n\">0</td></tr>\n"
      "<tr><td>Ủy ban nhân dân các huyện</td><td>locality</td><td class=\"n\">10</td>"
      "<td class=\"n\">0</td><td class=\"n late\">3</td></tr>\n"
      "</tbody>\n"
      "</table>\n"
      "<h2>Overdue tasks (1)</h2>\n"
      "<table>\n"
      "<thead>\n"
      "<tr><th>ID</th><th>Document</th><th>No.</th><th>Task</th><th>Lead</th><th>Deadline</th>"
      "<th>Due</th></tr>\n"
      "</thead>\n"
      "<tbody>\n"
      "<tr><td class=\"n\">31</td><td>102/KH-UBND</td><td>5</td><td>Xây dựng kho dữ liệu dùng chung "
      "của tỉnh &amp; các ngành &lt;giai đoạn 1&gt; phục vụ chuyển đổi số</td>"
      "<td>Sở &quot;Tài&quot; &#39;chính&#39;\xEF\xBF\xBD</td><td>Quý IV/2025</td>"
      "<td class=\"late\">2025-12-31</td></tr>\n"
      "</tbody>\n"
      "</table>\n"
      "</body>\n"
      "</html>\n";
  EXPECT_EQ(RenderReportHtml(r), want);

  Report none = r;
  none.overdue.clear();
  const std::string html = RenderReportHtml(none);
  EXPECT_NE(html.find("<h2>Overdue tasks</h2>\n<p>none</p>\n</body>"), std::string::npos) << html;
}

TEST(ReportTest, LabelsAreUsedEverywhere) {
  ReportLabels vi;
  vi.lang = "vi";
  vi.title = "Báo cáo đến ngày {as_of}";
  vi.due_soon = "Đến hạn trong {window}";
  vi.agency = "Cơ quan";
  vi.agencies_sheet = "Cơ quan";
  const Report r = Sample();
  const std::string text = RenderReportText(r, vi);
  EXPECT_EQ(text.rfind("Báo cáo đến ngày 2026-01-01\n", 0), 0u) << text;
  EXPECT_NE(text.find("Cơ quan"), std::string::npos);
  EXPECT_NE(text.find("Đến hạn trong 30d"), std::string::npos);
  const std::string html = RenderReportHtml(r, vi);
  EXPECT_NE(html.find("<html lang=\"vi\">"), std::string::npos);
  EXPECT_NE(html.find("<title>Báo cáo đến ngày 2026-01-01</title>"), std::string::npos);
  const auto sheets = ReportSheets(r, vi);
  ASSERT_EQ(sheets.size(), 3u);
  EXPECT_EQ(sheets[0].name, "Cơ quan");
  EXPECT_EQ(sheets[0].header[3], "Đến hạn trong 30d");
}

std::string Describe(const XlsxCell& c) {
  switch (c.kind) {
    case XlsxCell::kEmpty: return "empty";
    case XlsxCell::kText: return "text:" + c.text;
    case XlsxCell::kNumber: return "number:" + std::to_string(static_cast<int64_t>(c.number));
    case XlsxCell::kDate: return "date:" + c.text;
  }
  return "?";
}

TEST(ReportTest, SheetsGolden) {
  Report r = Sample();
  r.overdue[1].due = "not a date";
  const auto sheets = ReportSheets(r);
  struct Case {
    const char* id;
    size_t sheet;
    std::string name;
    std::vector<std::string> header;
    std::vector<std::vector<std::string>> rows;
  };
  const std::vector<Case> cases = {
      {"sheet.agencies", 0, "Agencies",
       {"Agency", "Kind", "Active", "Due within 30d", "Overdue"},
       {{"text:Công an tỉnh", "empty", "number:1", "number:0", "number:0"},
        {"text:Sở Tài chính", "text:department", "number:12", "number:2", "number:1"},
        {"text:Sở Y tế", "text:department", "number:4", "number:1", "number:0"},
        {"text:Ủy ban nhân dân các huyện", "text:locality", "number:10", "number:0", "number:3"}}},
      {"sheet.overdue", 1, "Overdue",
       {"ID", "Document", "No.", "Task", "Lead", "Deadline", "Due"},
       {{"number:31", "text:102/KH-UBND", "text:5", "text:" + Sample().overdue[0].name, "text:Sở Tài chính",
         "text:Quý IV/2025", "date:2025-12-31"},
        {"number:17", "text:102/KH-UBND", "text:2", "text:Rà soát thủ tục", "text:Ủy ban nhân dân các huyện",
         "text:Tháng 6/2025", "text:not a date"}}},
      {"sheet.info", 2, "Info", {"As of", "Window"}, {{"date:2026-01-01", "text:30d"}}},
  };
  ASSERT_EQ(sheets.size(), cases.size());
  for (const Case& c : cases) {
    SCOPED_TRACE(c.id);
    const XlsxSheet& s = sheets[c.sheet];
    EXPECT_EQ(s.name, c.name);
    EXPECT_EQ(s.header, c.header);
    std::vector<std::vector<std::string>> got;
    for (const auto& row : s.rows) {
      got.emplace_back();
      for (const XlsxCell& cell : row) got.back().push_back(Describe(cell));
    }
    EXPECT_EQ(got, c.rows);
  }
}

}  // namespace
}  // namespace plantrace
