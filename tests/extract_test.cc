// Tests for pipeline/stages/extract on documents read from text the way a file is
// (ReadText -> Normalize -> Segment -> Extract): a task table row's fields
// and provenance, the prose fallback used only when there is no task table,
// and the declared-count warning.
#include "pipeline/stages/extract.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "extractors/readers.h"
#include "pipeline/stages/normalize.h"
#include "pipeline/stages/segment.h"
#include "tests/test_util.h"

namespace plantrace {
namespace {

struct Extracted {
  Record record;
  Diagnostics diag;
};

Extracted ExtractText(const std::vector<std::string>& lines) {
  std::string text;
  for (const std::string& l : lines) text += l + "\n";
  Extracted out;
  auto layout = ReadText(text, "t.txt", &out.diag);
  EXPECT_TRUE(layout.ok());
  if (!layout.ok()) return out;
  auto tree = Segment(Normalize(*layout, &out.diag), testing::Rules(), &out.diag);
  EXPECT_TRUE(tree.ok());
  if (!tree.ok()) return out;
  auto rec = Extract(*tree, testing::Rules(), &out.diag);
  EXPECT_TRUE(rec.ok()) << rec.status().ToString();
  if (rec.ok()) out.record = *rec;
  return out;
}

std::vector<std::string> Codes(const Diagnostics& d) {
  std::vector<std::string> out;
  for (const Diagnostic& x : d.items()) out.push_back(x.code);
  return out;
}

bool HasCode(const Diagnostics& d, const std::string& code) {
  for (const Diagnostic& x : d.items()) {
    if (x.code == code) return true;
  }
  return false;
}

// A plan whose appendix holds a task table (one cell per line, as text saved
// from a word processor) and whose body also assigns work in prose.
const std::vector<std::string> kTablePlan = {
    "ỦY BAN NHÂN DÂN", "TỈNH THỬ NGHIỆM", "Số: 12/KH-UBND", "Thử Nghiệm, ngày 10 tháng 4 năm 2025",
    "KẾ HOẠCH", "Triển khai chuyển đổi số năm 2025",
    "I. TỔ CHỨC THỰC HIỆN",
    "1. Sở Tư pháp chủ trì, phối hợp với các cơ quan liên quan theo dõi việc thực hiện Kế hoạch này.",
    "PHỤ LỤC I", "DANH MỤC NHIỆM VỤ",
    "TT", "Tên nhiệm vụ", "Cơ quan chủ trì", "Cơ quan phối hợp", "Kết quả", "Thời gian hoàn thành",
    "1.", "Xây dựng kế hoạch chuyển đổi số.", "Sở Khoa học và Công nghệ", "Sở Tài chính", "Kế hoạch",
    "Tháng 9/2025",
    "2.", "Tổ chức hội nghị tập huấn.", "Sở Nội vụ", "Sở Tư pháp", "Báo cáo kết quả", "Quý IV/2025",
};

TEST(ExtractTest, TaskTableRowGivesFieldsAndProvenance) {
  Extracted e = ExtractText(kTablePlan);
  const Record& r = e.record;
  ASSERT_EQ(r.tasks.size(), 2u) << ::testing::PrintToString(Codes(e.diag));
  const Task& t = r.tasks[0];
  EXPECT_EQ(t.number.value_or("-"), "1");  // printed "1.": the number alone
  EXPECT_EQ(t.name, "Xây dựng kế hoạch chuyển đổi số.");
  ASSERT_EQ(t.lead.size(), 1u);
  EXPECT_EQ(t.lead[0].printed, "Sở Khoa học và Công nghệ");
  ASSERT_EQ(t.coord.size(), 1u);
  EXPECT_EQ(t.coord[0].printed, "Sở Tài chính");
  EXPECT_EQ(t.output.value_or("-"), "Kế hoạch");
  EXPECT_EQ(t.deadline_raw.value_or("-"), "Tháng 9/2025");
  ASSERT_TRUE(t.deadline.has_value());
  EXPECT_EQ(t.deadline->kind, "month");
  EXPECT_EQ(t.deadline->end.value_or("-"), "2025-09-30");
  // Provenance: the row's first input line (its number cell), the appendix
  // it sits in and the rules that read it.
  EXPECT_EQ(t.provenance.line, 17);
  EXPECT_NE(t.provenance.clause.find("PHỤ LỤC I"), std::string::npos) << t.provenance.clause;
  bool deadline_rule = false;
  for (const std::string& rule : t.provenance.rules) deadline_rule |= rule.starts_with("deadline.");
  EXPECT_TRUE(deadline_rule) << ::testing::PrintToString(t.provenance.rules);
}

TEST(ExtractTest, ProseTasksOnlyWithoutATaskTable) {
  // With the table: the prose assignment in section I is not a task.
  Extracted with_table = ExtractText(kTablePlan);
  for (const Task& t : with_table.record.tasks) {
    EXPECT_EQ(t.name.find("theo dõi việc thực hiện"), std::string::npos) << t.name;
  }
  // The same plan without its appendix: the prose assignment is the task.
  std::vector<std::string> prose_only(kTablePlan.begin(), kTablePlan.begin() + 8);
  Extracted without = ExtractText(prose_only);
  ASSERT_EQ(without.record.tasks.size(), 1u);
  const Task& t = without.record.tasks[0];
  EXPECT_EQ(t.name, "theo dõi việc thực hiện Kế hoạch này");
  ASSERT_EQ(t.lead.size(), 1u);
  EXPECT_EQ(t.lead[0].printed, "Sở Tư pháp");
}

TEST(ExtractTest, DeclaredTaskCountThatDiffersIsAWarning) {
  struct Case {
    const char* id;
    const char* declared_line;
    bool warned;
  };
  const Case cases[] = {
      {"agrees", "Tổng số: 2 nhiệm vụ.", false},
      {"differs", "Tổng số: 61 nhiệm vụ, trong đó:", true},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.id);
    std::vector<std::string> lines = kTablePlan;
    lines.insert(lines.begin() + 8, c.declared_line);
    Extracted e = ExtractText(lines);
    EXPECT_EQ(e.record.tasks.size(), 2u);
    ASSERT_TRUE(e.record.meta.declared_task_count.has_value());
    EXPECT_EQ(HasCode(e.diag, "tasks.count_mismatch"), c.warned) << ::testing::PrintToString(Codes(e.diag));
  }
}

}  // namespace
}  // namespace plantrace
