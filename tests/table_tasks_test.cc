// Extract on task and indicator tables built by hand: which rows are tasks,
// merged cells, group rows, and the table-versus-prose choice.
#include <gtest/gtest.h>

#include "pipeline/stages/extract.h"
#include "tests/test_util.h"

namespace plantrace {
namespace {

// Rows as strings, cells split on " | "; a cell opening with "^" is a copy
// of a merged cell above. The first row is a header row, and so is a row
// opening with "H:".
Grid MakeGrid(const std::vector<std::string>& rows) {
  Grid g;
  for (size_t r = 0; r < rows.size(); ++r) {
    GridRow row;
    std::string s = rows[r];
    row.header = r == 0 || s.starts_with("H:");
    if (s.starts_with("H:")) s.erase(0, 2);
    row.line = static_cast<int>(r + 1);
    size_t start = 0;
    while (true) {
      size_t bar = s.find(" | ", start);
      std::string cell = s.substr(start, bar == std::string::npos ? std::string::npos : bar - start);
      GridCell c;
      if (cell.starts_with("^")) {
        c.from_span = true;
        cell.erase(0, 1);
      }
      c.text = cell;
      c.blank = cell.empty();
      c.line = row.line;
      row.cells.push_back(c);
      if (bar == std::string::npos) break;
      start = bar + 3;
    }
    g.columns = std::max(g.columns, static_cast<int>(row.cells.size()));
    g.rows.push_back(row);
  }
  return g;
}

Record ExtractTable(const std::vector<std::string>& rows, Diagnostics* d) {
  DocTree tree;
  tree.format = Format::kMarkdown;
  DocPart body;
  DocPart appendix;
  appendix.label = "PHỤ LỤC";
  Node n;
  n.kind = Node::Kind::kTable;
  n.grid = MakeGrid(rows);
  appendix.nodes.push_back(n);
  tree.parts.push_back(body);
  tree.parts.push_back(appendix);
  auto rec = Extract(tree, testing::Rules(), d);
  EXPECT_TRUE(rec.ok());
  return rec.ok() ? *rec : Record{};
}

// One line per task: group/number/name/lead/deadline/output.
std::vector<std::string> Lines(const Record& r) {
  std::vector<std::string> out;
  for (const Task& t : r.tasks) {
    out.push_back(t.group.value_or("-") + "/" + t.number.value_or("-") + "/" + t.name + "/" +
                  t.lead_raw.value_or("-") + "/" + t.deadline_raw.value_or("-") + "/" + t.output.value_or("-"));
  }
  return out;
}

struct Case {
  const char* id;
  std::vector<std::string> rows;
  std::vector<std::string> want;
};

TEST(TableTasksTest, RowsOfTaskTables) {
  const Case cases[] = {
      // A đề án printed as two rows: a central and a local lead under one merged name.
      {"merged-name-second-lead",
       {"TT | Tên đề án ưu tiên | Cơ quan chủ trì | Cơ quan phối hợp | Thời hạn hoàn thành",
        "1 | Đề án tuyên truyền | Bộ Nội vụ | Các bộ | 2030",
        "^1 | ^Đề án tuyên truyền | Ủy ban nhân dân cấp tỉnh | Các sở | ^2030",
        "2 | Đề án đào tạo | Bộ Tài chính | Các bộ | 2027"},
       {"-/1/Đề án tuyên truyền/Bộ Nội vụ/2030/-", "-/1/Đề án tuyên truyền/Ủy ban nhân dân cấp tỉnh/2030/-",
        "-/2/Đề án đào tạo/Bộ Tài chính/2027/-"}},
      // A row that prints nothing of its own continues the row above.
      {"continuation-without-own-cells",
       {"TT | Nội dung | Cơ quan chủ trì | Thời hạn", "1 | Rà soát quy định | Sở Tư pháp | Quý I/2026",
        "^1 | ^Rà soát quy định | ^Sở Tư pháp | ^Quý I/2026"},
       {"-/1/Rà soát quy định/Sở Tư pháp/Quý I/2026/-"}},
      // A name column printed on every row beside a description: the name
      // names the task; bullets opening output and deadline cells dropped.
      {"title-on-every-row",
       {"STT | Tên dự án, nhiệm vụ | Nội dung chính | Cơ quan chủ trì | Kết quả thực hiện | Thời gian thực hiện",
        "1 | Xây dựng hệ thống cảnh báo | - Kết nối dữ liệu quan trắc | Bộ Nông nghiệp và Môi trường | "
        "- Hệ thống được vận hành. - Bản tin được phát hành | - Giai đoạn 2026 - 2027"},
       {"-/1/Xây dựng hệ thống cảnh báo/Bộ Nông nghiệp và Môi trường/Giai đoạn 2026 - 2027/"
        "Hệ thống được vận hành. - Bản tin được phát hành"}},
      // Agency-by-agency groups run past H: "I." continues the letters.
      {"letter-groups-past-h",
       {"STT | Cơ quan chủ trì | Nội dung nhiệm vụ | Thời hạn hoàn thành", "H. | BỘ Y TẾ | ^BỘ Y TẾ | ^BỘ Y TẾ",
        "1 | Bộ Y tế | Hướng dẫn phòng bệnh | Năm 2026", "I. | BỘ CÔNG AN | ^BỘ CÔNG AN | ^BỘ CÔNG AN",
        "1 | Bộ Công an | Kiểm soát khí thải | Năm 2027", "K. | BỘ XÂY DỰNG | ^BỘ XÂY DỰNG | ^BỘ XÂY DỰNG",
        "1 | Bộ Xây dựng | Giảm bụi công trường | Năm 2028"},
       {"H/1/Hướng dẫn phòng bệnh/Bộ Y tế/Năm 2026/-", "I/1/Kiểm soát khí thải/Bộ Công an/Năm 2027/-",
        "K/1/Giảm bụi công trường/Bộ Xây dựng/Năm 2028/-"}},
      // Without a letter group before it, "I." opens a Roman group.
      {"roman-group", {"STT | Tên nhiệm vụ | Cơ quan chủ trì | Thời hạn", "I | NHÓM THỂ CHẾ | ^NHÓM THỂ CHẾ | ^NHÓM THỂ CHẾ",
                       "1 | Ban hành quy chế | Sở Nội vụ | Năm 2026"},
       {"I/1/Ban hành quy chế/Sở Nội vụ/Năm 2026/-"}},
      // Two header rows: the lower row names the columns under a spanning title.
      {"two-header-rows",
       {"TT | Nội dung | Cơ quan thực hiện | ^Cơ quan thực hiện | Thời gian",
        "H:^TT | ^Nội dung | Chủ trì | Phối hợp | ^Thời gian", "1 | Xây dựng kế hoạch | Sở Nội vụ | Các sở | Năm 2026"},
       {"-/1/Xây dựng kế hoạch/Sở Nội vụ/Năm 2026/-"}},
      // A group title alone in the content column, the number cell empty.
      {"inline-group-row", {"TT | Nội dung | Cơ quan chủ trì | Thời hạn", " | II. Xã hội số |  | ",
                            "1 | Phổ cập kỹ năng số | Sở Khoa học và Công nghệ | Năm 2026"},
       {"II/1/Phổ cập kỹ năng số/Sở Khoa học và Công nghệ/Năm 2026/-"}},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.id);
    Diagnostics d;
    EXPECT_EQ(Lines(ExtractTable(c.rows, &d)), c.want);
  }
}

// A "Người đứng đầu chịu trách nhiệm" column holds a person's title: neither
// the lead nor a coordinating agency.
TEST(TableTasksTest, ResponsibleHeadIsNotTheLead) {
  Diagnostics d;
  Record r = ExtractTable({"STT | Tên nhiệm vụ | Người đứng đầu chịu trách nhiệm | Cơ quan chủ trì | Cơ quan phối hợp | "
                  "Thời hạn hoàn thành",
                  "1 | Xây dựng mô hình du lịch thông minh | Cục trưởng Cục Du lịch | Cục Du lịch | Văn phòng Bộ | "
                  "Tháng 12/2025"},
                 &d);
  ASSERT_EQ(r.tasks.size(), 1u);
  EXPECT_EQ(r.tasks[0].lead_raw.value_or(""), "Cục Du lịch");
  EXPECT_EQ(r.tasks[0].coord_raw.value_or(""), "Văn phòng Bộ");
}

// An indicator (chỉ tiêu) table has no deadline column: its rows are
// indicators, never tasks; its group rows are groups, not indicators.
TEST(TableTasksTest, IndicatorTableIsNotATaskTable) {
  Diagnostics d;
  Record r = ExtractTable({"TT | Chỉ tiêu | Chủ trì", " | I. Kinh tế số | ", "1 | Kinh tế số chiếm 45% GRDP | Sở Tài chính",
                  "2 | Tỷ lệ doanh nghiệp ứng dụng công nghệ số đạt 60% | Sở Khoa học và Công nghệ"},
                 &d);
  EXPECT_TRUE(r.tasks.empty());
  ASSERT_EQ(r.indicators.size(), 2u);
  EXPECT_EQ(r.indicators[0].group.value_or(""), "I");
  EXPECT_EQ(r.indicators[0].group_title.value_or(""), "Kinh tế số");
}

}  // namespace
}  // namespace plantrace
