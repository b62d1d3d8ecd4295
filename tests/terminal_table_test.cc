// Tests for pipeline/base/terminal_table: display width of Vietnamese (NFC and
// decomposed), wide and invalid text, truncation, and whole tables.
#include "pipeline/base/terminal_table.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace plantrace {
namespace {

TEST(TextTableTest, DisplayWidth) {
  struct Case {
    const char* id;
    std::string text;
    size_t width;
  };
  const std::vector<Case> cases = {
      {"width.empty", "", 0},
      {"width.ascii", "KH&CN", 5},
      {"width.nfc", "Sở Tài chính", 12},
      {"width.nfc_stacked", "Nội vụ", 6},
      {"width.decomposed", "So\xCC\x9B\xCC\x89 Ta\xCC\x80i", 6},  // "Sở Tài" with combining marks
      {"width.ellipsis", "…", 1},
      {"width.cjk", "中文", 4},
      {"width.zero_width_space", "a\xE2\x80\x8B" "b", 2},
      {"width.control", "a\tb", 2},
      {"width.invalid_byte", "a\xFF" "b", 3},
      {"width.truncated_sequence", "a\xE1\xBB", 3},
      {"width.overlong", "\xC0\xAF", 2},
      {"width.surrogate", "\xED\xA0\x80", 3},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.id);
    EXPECT_EQ(DisplayWidth(c.text), c.width);
  }
}

TEST(TextTableTest, TruncateAndCellText) {
  struct Case {
    const char* id;
    std::string text;
    size_t max;
    std::string want;
  };
  const std::vector<Case> cases = {
      {"cut.fits", "Sở Tài chính", 12, "Sở Tài chính"},
      {"cut.one_short", "Sở Tài chính", 11, "Sở Tài chí…"},
      {"cut.space_before_ellipsis", "Sở Tài chính", 7, "Sở Tài…"},
      {"cut.trailing_space_dropped", "Sở Tài chính", 8, "Sở Tài…"},
      {"cut.one", "Sở", 1, "…"},
      {"cut.zero", "Sở", 0, ""},
      {"cut.keeps_marks", "To\xCC\x9B\xCC\x81i ha\xCC\xA3n", 4, "To\xCC\x9B\xCC\x81i…"},
      {"cut.wide_not_split", "中文字", 4, "中…"},
      {"cut.empty", "", 3, ""},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.id);
    const std::string got = TruncateToWidth(c.text, c.max);
    EXPECT_EQ(got, c.want);
    EXPECT_LE(DisplayWidth(got), c.max);
  }

  const std::vector<std::pair<std::string, std::string>> cells = {
      {"  a \t\r\n b  ", "a b"},
      {"Hằng năm\n(tháng 12)", "Hằng năm (tháng 12)"},
      {"\x01x\x7F", "x"},
      {"", ""},
      {"a\xFF", "a\xFF"},
  };
  for (size_t i = 0; i < cells.size(); ++i) {
    SCOPED_TRACE("cell." + std::to_string(i));
    EXPECT_EQ(CellText(cells[i].first), cells[i].second);
  }
}

TEST(TextTableTest, RenderTerminalTable) {
  struct Case {
    const char* id;
    std::vector<TerminalColumn> columns;
    std::vector<std::vector<std::string>> rows;
    std::string want;
  };
  const std::vector<Case> cases = {
      {"table.basic",
       {{"ID", true, 0}, {"Agency", false, 0}, {"Due", false, 0}},
       {{"7", "Sở Tài chính", "2026-01-31"}, {"12", "Sở KH&CN", ""}},
       "ID  Agency        Due\n"
       "--  ------------  ----------\n"
       " 7  Sở Tài chính  2026-01-31\n"
       "12  Sở KH&CN\n"},
      {"table.truncated",
       {{"Name", false, 10}, {"N", true, 0}},
       {{"Xây dựng kho dữ liệu dùng chung", "3"}, {"Ngắn", "10"}},
       "Name        N\n"
       "---------  --\n"
       "Xây dựng…   3\n"
       "Ngắn       10\n"},
      {"table.ragged_rows",
       {{"A", false, 0}, {"B", false, 0}},
       {{"x"}, {"y", "z", "extra"}},
       "A  B\n"
       "-  -\n"
       "x\n"
       "y  z\n"},
      {"table.no_rows", {{"Agency", false, 0}, {"", false, 0}}, {}, "Agency\n------  -\n"},
      {"table.multiline_cell",
       {{"Deadline", false, 0}},
       {{"Hằng năm\ntrước 15/12"}},
       "Deadline\n--------------------\nHằng năm trước 15/12\n"},
      {"table.no_columns", {}, {{"x"}}, ""},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.id);
    EXPECT_EQ(RenderTerminalTable(c.columns, c.rows), c.want);
  }
}

}  // namespace
}  // namespace plantrace
