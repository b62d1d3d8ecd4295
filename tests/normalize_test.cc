// Normalize: text cleanup, line joining, table span expansion.
#include "pipeline/stages/normalize.h"

#include <gtest/gtest.h>

#include "pipeline/stages/doctree.h"

namespace plantrace {
namespace {

TEST(NormalizeTest, Text) {
  EXPECT_EQ(NormalizeText("  Sở\xC2\xA0Khoa học "), "Sở Khoa học");
  EXPECT_EQ(NormalizeText("Tên nhiệm vụ   Nội dung"), "Tên nhiệm vụ   Nội dung");  // cell gaps kept
  EXPECT_EQ(NormalizeText("chuyển\xC2\xAD đổi"), "chuyển đổi");         // soft hyphen
  EXPECT_EQ(NormalizeText("a\xE2\x80\x8B" "b"), "ab");                    // zero-width space
  EXPECT_EQ(NormalizeText("Ho\xCC\x80" "a"), "Hòa");                     // NFC
}

struct JoinCase {
  const char* id;
  std::vector<std::string> lines;
  const char* want;
};

TEST(NormalizeTest, JoinWrapped) {
  const JoinCase cases[] = {
      {"plain", {"Sở Khoa", "học và Công nghệ"}, "Sở Khoa học và Công nghệ"},
      {"range-glued", {"2025-", "2030"}, "2025-2030"},
      {"range-spaced", {"2025 -", "2030"}, "2025 - 2030"},
      {"blank-piece", {"a", "", "b"}, "a b"},
      {"date-broken-in-cell", {"30/6/202", "5"}, "30/6/2025"},
      {"date-then-word", {"30/6/2025", "5 nhiệm vụ"}, "30/6/2025 5 nhiệm vụ"},
  };
  for (const JoinCase& c : cases) {
    SCOPED_TRACE(c.id);
    EXPECT_EQ(JoinWrapped(c.lines), c.want);
  }
}

Cell MakeCell(std::string text, int rs = 1, int cs = 1) {
  Cell c;
  Line l;
  l.text = std::move(text);
  l.line = 1;
  c.lines.push_back(l);
  c.row_span = rs;
  c.col_span = cs;
  return c;
}

TEST(NormalizeTest, ExpandTableCopiesSpans) {
  Table t;
  Row r0, r1, r2;
  r0.cells = {MakeCell("I"), MakeCell("Nhóm", 1, 2)};
  r1.cells = {MakeCell("1."), MakeCell("Sở A", 2, 1), MakeCell("x")};
  r2.cells = {MakeCell("2."), MakeCell("y")};
  t.rows = {r0, r1, r2};
  Grid g = ExpandTable(t);
  ASSERT_EQ(g.columns, 3);
  ASSERT_EQ(g.rows.size(), 3u);
  EXPECT_EQ(g.rows[0].cells[2].text, "Nhóm");
  EXPECT_TRUE(g.rows[0].cells[2].from_span);
  EXPECT_EQ(g.rows[2].cells[1].text, "Sở A");
  EXPECT_TRUE(g.rows[2].cells[1].from_span);
  EXPECT_FALSE(g.rows[1].cells[1].from_span);
  EXPECT_EQ(g.rows[2].cells[2].text, "y");
}

}  // namespace
}  // namespace plantrace
