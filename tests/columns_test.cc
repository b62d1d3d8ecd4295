// Tests for pipeline/base/columns: every example of rules/columns.rules, and the
// context rules of ClassifyHeaderRow.
#include "pipeline/base/columns.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "tests/test_util.h"

namespace plantrace {
namespace {

// Rule examples write a line break inside a header as "\n".
std::string Unescape(const std::string& s) {
  std::string out;
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '\\' && i + 1 < s.size() && s[i + 1] == 'n') {
      out.push_back('\n');
      ++i;
    } else {
      out.push_back(s[i]);
    }
  }
  return out;
}

TEST(ColumnsTest, ColumnRuleExamples) {
  const RuleSet& rules = testing::Rules();
  auto column_rules = rules.Category("column");
  ASSERT_FALSE(column_rules.empty());
  for (const Rule* r : column_rules) {
    for (const RuleExample& ex : r->examples) {
      SCOPED_TRACE(r->file + ":" + std::to_string(ex.line) + " " + r->id + ": " + ex.input);
      std::string id;
      ColumnRole role = ClassifyHeader(Unescape(ex.input), rules, &id);
      EXPECT_EQ(ColumnRoleName(role), ex.expected);
      EXPECT_EQ(id, r->id);
    }
  }
}

TEST(ColumnsTest, CellCueExamplesAndNegatives) {
  const RuleSet& rules = testing::Rules();
  auto cell_rules = rules.Category("cell");
  ASSERT_FALSE(cell_rules.empty());
  for (const Rule* r : cell_rules) {
    std::string cue = r->id.substr(5);
    for (const RuleExample& ex : r->examples) {
      SCOPED_TRACE(r->file + ":" + std::to_string(ex.line) + " " + r->id + ": " + ex.input);
      ASSERT_TRUE(ex.expected == "yes" || ex.expected == "no") << "expected must be yes or no";
      EXPECT_EQ(MatchCellCue(rules, cue, ex.input), ex.expected == "yes");
    }
    for (const RuleExample& neg : r->negatives) {
      for (const Rule* other : cell_rules) {
        SCOPED_TRACE(r->file + ":" + std::to_string(neg.line) + " negative '" + neg.input + "' vs " + other->id);
        EXPECT_FALSE(MatchCellCue(rules, other->id.substr(5), neg.input));
      }
    }
  }
}

TEST(ColumnsTest, RoleNamesRoundTrip) {
  for (int i = 0; i <= static_cast<int>(ColumnRole::kMonitor); ++i) {
    ColumnRole r = static_cast<ColumnRole>(i), back;
    SCOPED_TRACE(ColumnRoleName(r));
    ASSERT_TRUE(ParseColumnRole(ColumnRoleName(r), &back));
    EXPECT_EQ(back, r);
  }
}

TEST(ColumnsTest, HeaderTextIsCollapsed) {
  const RuleSet& rules = testing::Rules();
  struct Case {
    const char* id;
    const char* text;
    ColumnRole want;
  } cases[] = {
      {"wrapped", "Cơ quan  \nphối hợp", ColumnRole::kCoord},
      {"pipe", "Thời gian hoàn thành |", ColumnRole::kDeadline},
      {"upper", "CƠ QUAN CHỦ TRÌ", ColumnRole::kLead},
      {"old_tones", "Thời gian hoàn thành:", ColumnRole::kDeadline},
      {"unknown", "Ghi chú thêm về việc này", ColumnRole::kOther},
      {"empty", "  ", ColumnRole::kOther},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.id);
    EXPECT_EQ(ColumnRoleName(ClassifyHeader(c.text, rules)), std::string(ColumnRoleName(c.want)));
  }
}

TEST(ColumnsTest, HeaderRowContext) {
  const RuleSet& rules = testing::Rules();
  using R = ColumnRole;
  struct Case {
    const char* id;
    std::vector<std::string> headers;
    std::vector<R> want;
  } cases[] = {
      {"task_table",
       {"TT", "Tên nhiệm vụ", "Cơ quan chủ trì", "Cơ quan phối hợp", "Kết quả", "Thời gian hoàn thành"},
       {R::kNumber, R::kName, R::kLead, R::kCoord, R::kOutput, R::kDeadline}},
      {"indicator_table",
       {"TT", "Chỉ tiêu", "Đơn vị", "Kết quả", "Cơ quan chủ trì theo dõi, đánh giá"},
       {R::kNumber, R::kIndicator, R::kUnit, R::kTarget, R::kMonitor}},
      {"title_and_content",
       {"TT", "Mã nhiệm vụ", "Tên nhiệm vụ", "Nội dung nhiệm vụ", "Đơn vị chủ trì", "Đơn vị phối hợp",
        "Lộ trình đề xuất", "Nguồn vốn"},
       {R::kNumber, R::kCode, R::kTitle, R::kName, R::kLead, R::kCoord, R::kDeadline, R::kFunding}},
      {"web_list",
       {"TT", "Các chương trình, đề án, nhiệm vụ", "Đơn vị chủ trì", "Đơn vị phối hợp", "Thời gian hoàn thành"},
       {R::kNumber, R::kName, R::kLead, R::kCoord, R::kDeadline}},
      {"targets_by_year",
       {"TT", "Chỉ tiêu", "Năm 2025", "Năm 2030", "Cơ quan chủ trì theo dõi, đánh giá"},
       {R::kNumber, R::kIndicator, R::kTarget, R::kTarget, R::kMonitor}},
      {"bare_unit_without_indicator", {"STT", "Nội dung", "Đơn vị"}, {R::kNumber, R::kName, R::kLead}},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.id);
    std::vector<std::string> ids;
    std::vector<R> got = ClassifyHeaderRow(c.headers, rules, &ids);
    ASSERT_EQ(got.size(), c.want.size());
    ASSERT_EQ(ids.size(), c.want.size());
    for (size_t i = 0; i < got.size(); ++i) {
      SCOPED_TRACE(c.headers[i]);
      EXPECT_EQ(std::string(ColumnRoleName(got[i])), ColumnRoleName(c.want[i]));
    }
  }
}

}  // namespace
}  // namespace plantrace
