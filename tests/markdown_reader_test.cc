// Markdown reader: CommonMark/GFM text, pipe tables, and the flattened tables
// of web exports ("|" lines between cells, merged cells left out).
#include <gtest/gtest.h>

#include "extractors/readers.h"
#include "pipeline/stages/doctree.h"
#include "tests/test_util.h"

namespace plantrace {
namespace {

std::vector<const Table*> Tables(const Layout& l) {
  std::vector<const Table*> out;
  for (const Block& b : l.blocks) {
    if (b.kind == Block::Kind::kTable) out.push_back(&b.table);
  }
  return out;
}

std::vector<std::string> Texts(const Layout& l) {
  std::vector<std::string> out;
  for (const Block& b : l.blocks) {
    for (const Line& line : b.lines) out.push_back(line.text);
  }
  return out;
}

// "<line number> <text>" of each line outside tables.
std::vector<std::string> NumberedTexts(const Layout& l) {
  std::vector<std::string> out;
  for (const Block& b : l.blocks) {
    for (const Line& line : b.lines) out.push_back(std::to_string(line.line) + " " + line.text);
  }
  return out;
}

// The flattened header of a task table, as the export prints it.
const char* kFlatHeader =
    "|\n**TT**\n|\n**Tên nhiệm vụ**\n|\n**Cơ quan chủ trì**\n|\n**Cơ quan phối hợp**\n|\n"
    "**Thời hạn hoàn thành**\n|\n";

TEST(MarkdownReaderTest, PipeTableBecomesTable) {
  std::string md =
      "**KẾ HOẠCH**\n\n"
      "| TT | Nội dung | Thời hạn |\n"
      "|----|----------|----------|\n"
      "| 1 | **Xây dựng** kế hoạch chuyển đổi số | Quý II/2026 |\n"
      "| 2 | Tổ chức hội nghị<br>sơ kết | Hằng năm |\n";
  Diagnostics d;
  auto l = ReadMarkdown(md, "a.md", nullptr, &d);
  ASSERT_TRUE(l.ok()) << l.status().ToString();
  auto tables = Tables(*l);
  ASSERT_EQ(tables.size(), 1u);
  const Table& t = *tables[0];
  ASSERT_EQ(t.rows.size(), 3u);
  EXPECT_TRUE(t.rows[0].header);
  EXPECT_FALSE(t.rows[1].header);
  ASSERT_EQ(t.rows[1].cells.size(), 3u);
  EXPECT_EQ(t.rows[1].cells[1].Text(" "), "Xây dựng kế hoạch chuyển đổi số");
  EXPECT_EQ(t.rows[2].cells[1].lines.size(), 2u);  // <br> breaks the cell's line
  EXPECT_EQ(t.rows[2].cells[1].lines[0].line, 6);
}

TEST(MarkdownReaderTest, EmphasisNeverReachesText) {
  struct Case {
    const char* id;
    const char* md;
    std::vector<std::string> want;
    std::vector<bool> bold;
  };
  const Case cases[] = {
      {"strong-line", "**QUYẾT ĐỊNH:**\n\nĐiều 1.\n", {"QUYẾT ĐỊNH:", "Điều 1."}, {true, false}},
      {"misplaced-close", "khai thác hiệu quả **03/7 cơ sở dữ liệu **theo lộ trình\n\nx **y** z\n\n**a**\n",
       {"khai thác hiệu quả 03/7 cơ sở dữ liệu theo lộ trình", "x y z", "a"}, {false, false, true}},
      {"emphasis-over-lines", "*Hà Nội, ngày 19\ntháng 11 năm 2025*\n\n**b** **c**\n",
       {"Hà Nội, ngày 19", "tháng 11 năm 2025", "b c"}, {false, false, true}},
      {"list-markers-kept", "**I. MỤC TIÊU**\n\n- Bộ Xây dựng;\n- Bộ Công Thương.\n\n10. Mười\n",
       {"I. MỤC TIÊU", "- Bộ Xây dựng;", "- Bộ Công Thương.", "10. Mười"}, {true, false, false, false}},
      {"footnote-and-star", "Ghi chú (*) số 2<sup>1</sup>\n\n**x**\n\n**y**\n",
       {"Ghi chú (*) số 2", "x", "y"}, {false, true, true}},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.id);
    Diagnostics d;
    auto l = ReadMarkdown(c.md, "a.md", nullptr, &d);
    ASSERT_TRUE(l.ok()) << l.status().ToString();
    EXPECT_EQ(Texts(*l), c.want);
    std::vector<bool> bold;
    for (const Block& b : l->blocks) {
      for (const Line& line : b.lines) bold.push_back(line.bold);
    }
    EXPECT_EQ(bold, c.bold);
  }
}

TEST(MarkdownReaderTest, LinesKeepTheirLineInTheFile) {
  Diagnostics d;
  auto l = ReadMarkdown("**KẾ HOẠCH**\n\nmột\nhai\n\n|\nba\n|\n", "a.md", nullptr, &d);
  ASSERT_TRUE(l.ok());
  std::vector<int> lines;
  for (const Block& b : l->blocks) {
    for (const Line& line : b.lines) lines.push_back(line.line);
  }
  EXPECT_EQ(lines, (std::vector<int>{1, 3, 4, 7}));
}

// The header block of an official letter is a two-column layout table in the
// export: it comes out as lines the header code reads, never as a Table.
TEST(MarkdownReaderTest, HeaderBlockTableGivesLines) {
  std::string md =
      "|\n**ỦY BAN NHÂN DÂN\nTỈNH BẮC NINH**\n-------\n|\n**CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM**\n"
      "Độc lập - Tự do - Hạnh phúc\n---------------\n|\n|\nSố: 144/KH-UBND\n|\n"
      "*Bắc Ninh, ngày 24\ntháng 11 năm 2025*\n|\n\n** **\n\n**KẾ HOẠCH**\n";
  Diagnostics d;
  auto l = ReadMarkdown(md, "a.md", &testing::Rules(), &d);
  ASSERT_TRUE(l.ok()) << l.status().ToString();
  EXPECT_TRUE(Tables(*l).empty());
  std::vector<std::string> texts = Texts(*l);
  const std::vector<std::string> want = {"ỦY BAN NHÂN DÂN", "TỈNH BẮC NINH", "-------",
                                         "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc",
                                         "---------------", "Số: 144/KH-UBND", "Bắc Ninh, ngày 24",
                                         "tháng 11 năm 2025", "KẾ HOẠCH"};
  EXPECT_EQ(texts, want);
  // Each cell is a paragraph of its own: the number is not run into the date.
  for (const Block& b : l->blocks) {
    for (size_t i = 0; i + 1 < b.lines.size(); ++i) {
      EXPECT_FALSE(b.lines[i].text == "Số: 144/KH-UBND" && b.lines[i + 1].text == "Bắc Ninh, ngày 24");
    }
  }
}

struct FlatCase {
  const char* id;
  bool rules;
  std::string md;
  // Expected grid after expansion: one string per row, cells joined by " | ",
  // a cell copied from a merged cell above marked with "^".
  std::vector<std::string> grid;
};

std::string GridText(const Grid& g) {
  std::string all;
  for (const GridRow& r : g.rows) {
    std::string row;
    for (size_t c = 0; c < r.cells.size(); ++c) {
      if (c) row += " | ";
      row += (r.cells[c].from_span ? "^" : "") + r.cells[c].text;
    }
    all += row + "\n";
  }
  return all;
}

TEST(MarkdownReaderTest, FlattenedTablesAreRebuilt) {
  const std::string body_two_leads =
      "|\n1\n|\nXây dựng đề án chuyển đổi số\n|\nSở Khoa học và Công nghệ\n|\nCác sở, ban, ngành\n|\n"
      "Quý IV/2026\n|\n|\nỦy ban nhân dân cấp xã\n|\nCác cơ quan, đơn vị liên quan\n|\n|\n"
      "2\n|\nTổ chức hội nghị sơ kết\n|\nSở Nội vụ\n|\n** **\n|\nHằng năm\n|\n";
  const FlatCase cases[] = {
      // Merged cells left out of the second row: the cue of each printed cell
      // (an agency, not a deadline) puts them under the lead and coord columns.
      {"omitted-merged-cells-by-cues", true, std::string("**PHỤ LỤC**\n\n") + kFlatHeader + body_two_leads,
       {"TT | Tên nhiệm vụ | Cơ quan chủ trì | Cơ quan phối hợp | Thời hạn hoàn thành",
        "1 | Xây dựng đề án chuyển đổi số | Sở Khoa học và Công nghệ | Các sở, ban, ngành | Quý IV/2026",
        "^1 | ^Xây dựng đề án chuyển đổi số | Ủy ban nhân dân cấp xã | Các cơ quan, đơn vị liên quan | ^Quý IV/2026",
        "2 | Tổ chức hội nghị sơ kết | Sở Nội vụ |  | Hằng năm"}},
      // Without cues the printed cells are the rightmost ones.
      {"omitted-merged-cells-no-rules", false, std::string("**PHỤ LỤC**\n\n") + kFlatHeader + body_two_leads,
       {"TT | Tên nhiệm vụ | Cơ quan chủ trì | Cơ quan phối hợp | Thời hạn hoàn thành",
        "1 | Xây dựng đề án chuyển đổi số | Sở Khoa học và Công nghệ | Các sở, ban, ngành | Quý IV/2026",
        "^1 | ^Xây dựng đề án chuyển đổi số | ^Sở Khoa học và Công nghệ | Ủy ban nhân dân cấp xã | "
        "Các cơ quan, đơn vị liên quan",
        "2 | Tổ chức hội nghị sơ kết | Sở Nội vụ |  | Hằng năm"}},
      // A group row ("A." + agency) spans the row; the column-number row is
      // dropped; a repeated header stays a header; text after a blank line
      // is not a cell.
      {"group-row-and-column-numbers", true,
       std::string("**PHỤ LỤC I**\n\n") + kFlatHeader +
           "|\n(1)\n|\n(2)\n|\n(3)\n|\n(4)\n|\n(5)\n|\n|\n**A.**\n|\n**SỞ NỘI VỤ**\n|\n|\n"
           "1\n|\nRà soát thủ tục hành chính\n|\nSở Nội vụ\n|\nCác sở\n|\nNăm 2026\n|\n\nTM. ỦY BAN NHÂN DÂN\n",
       {"TT | Tên nhiệm vụ | Cơ quan chủ trì | Cơ quan phối hợp | Thời hạn hoàn thành",
        "A. | SỞ NỘI VỤ | ^SỞ NỘI VỤ | ^SỞ NỘI VỤ | ^SỞ NỘI VỤ",
        "1 | Rà soát thủ tục hành chính | Sở Nội vụ | Các sở | Năm 2026"}},
      // Two header rows: "Cơ quan thực hiện" spans "Chủ trì | Phối hợp".
      {"two-header-rows", true,
       "**PHỤ LỤC**\n\n|\n**TT**\n|\n**Nội dung**\n|\n**Cơ quan thực hiện**\n|\n**Thời gian**\n|\n|\n"
       "**Chủ trì**\n|\n**Phối hợp**\n|\n|\n1\n|\nXây dựng kế hoạch\n|\nSở Nội vụ\n|\nCác sở\n|\nNăm 2026\n|\n",
       {"TT | Nội dung | Cơ quan thực hiện | ^Cơ quan thực hiện | Thời gian",
        "^TT | ^Nội dung | Chủ trì | Phối hợp | ^Thời gian", "1 | Xây dựng kế hoạch | Sở Nội vụ | Các sở | Năm 2026"}},
      // Sub-rows of one numbered task printing only their last columns.
      {"continuation-rows-right", true,
       std::string("**PHỤ LỤC**\n\n") + kFlatHeader +
           "|\n1\n|\nHoàn thiện thể chế\n|\nSở Tư pháp\n|\nCác sở\n|\nNăm 2026\n|\n|\nCác xã, phường\n|\n"
           "Năm 2027\n|\n",
       {"TT | Tên nhiệm vụ | Cơ quan chủ trì | Cơ quan phối hợp | Thời hạn hoàn thành",
        "1 | Hoàn thiện thể chế | Sở Tư pháp | Các sở | Năm 2026",
        "^1 | ^Hoàn thiện thể chế | ^Sở Tư pháp | Các xã, phường | Năm 2027"}},
  };
  for (const FlatCase& c : cases) {
    SCOPED_TRACE(c.id);
    Diagnostics d;
    auto l = ReadMarkdown(c.md, "a.md", c.rules ? &testing::Rules() : nullptr, &d);
    ASSERT_TRUE(l.ok()) << l.status().ToString();
    auto tables = Tables(*l);
    ASSERT_EQ(tables.size(), 1u);
    std::string want;
    for (const std::string& r : c.grid) want += r + "\n";
    EXPECT_EQ(GridText(ExpandTable(*tables[0])), want);
    for (const std::string& t : Texts(*l)) EXPECT_NE(t, "|");
  }
}

// Where a continuation row's cells go was searched over every order-keeping
// choice of columns: C(26, 13) = 10 million for this 26-column table, minutes
// of work (a fuzz finding). The choice is made run by run now, with the same
// answer: the 13 agencies under the 12 lead columns and the name column (the
// leftmost column, TT, spanning down as a cell it leaves out; the deadlines
// above spanning down too).
TEST(MarkdownReaderTest, WideTableRowIsPlacedByItsCues) {
  const std::string md =
      testing::ReadFileOrDie(testing::SourceDir() + "/tests/data/fuzz/markdown/flat-table-column-search-26-cols.md");
  Diagnostics d;
  auto l = ReadMarkdown(md, "wide.md", &testing::Rules(), &d);
  ASSERT_TRUE(l.ok()) << l.status().ToString();
  auto tables = Tables(*l);
  ASSERT_EQ(tables.size(), 1u);
  std::string head = "TT | Tên nhiệm vụ", first = "1 | Xây dựng kế hoạch", second = "^1 | Sở Y tế";
  for (int i = 0; i < 12; ++i) {
    head += " | Cơ quan chủ trì | Thời hạn hoàn thành";
    first += " | Sở Nội vụ | Năm 2026";
    second += " | Sở Y tế | ^Năm 2026";
  }
  EXPECT_EQ(GridText(ExpandTable(*tables[0])), head + "\n" + first + "\n" + second + "\n");
  EXPECT_TRUE(d.items().empty());
}

TEST(MarkdownReaderTest, TextAroundAFlatTableStaysText) {
  std::string md = std::string("**Điều 3.** Các sở thi hành.\n|\n*Nơi nhận:*\n- Như Điều 3;\n|\n**KT. CHỦ TỊCH**\n|\n") +
                   "**PHỤ LỤC II**\nDANH MỤC NHIỆM VỤ\n" + kFlatHeader +
                   "|\n1\n|\nXây dựng cơ sở dữ liệu\n|\nSở Y tế\n|\nCác sở\n|\n2027\n|\n**PHỤ LỤC III**\nBIỂU MẪU\n";
  Diagnostics d;
  auto l = ReadMarkdown(md, "a.md", &testing::Rules(), &d);
  ASSERT_TRUE(l.ok());
  auto tables = Tables(*l);
  ASSERT_EQ(tables.size(), 1u);
  EXPECT_EQ(tables[0]->rows.size(), 2u);
  std::vector<std::string> texts = Texts(*l);
  const std::vector<std::string> want = {"Điều 3. Các sở thi hành.", "Nơi nhận:", "- Như Điều 3;", "KT. CHỦ TỊCH",
                                         "PHỤ LỤC II", "DANH MỤC NHIỆM VỤ", "PHỤ LỤC III", "BIỂU MẪU"};
  EXPECT_EQ(texts, want);
}

TEST(MarkdownReaderTest, RowOfDotsIsWarnedNotARow) {
  std::string md = std::string("**PHỤ LỤC**\n\n") + kFlatHeader +
                   "|\n1\n|\nXây dựng kế hoạch\n|\nSở Tài chính\n|\nCác sở\n|\n2026\n|\n|\n...\n|\n....\n|\n"
                   "…\n|\n...\n|\n...\n|\n";
  Diagnostics d;
  auto l = ReadMarkdown(md, "a.md", &testing::Rules(), &d);
  ASSERT_TRUE(l.ok());
  auto tables = Tables(*l);
  ASSERT_EQ(tables.size(), 1u);
  EXPECT_EQ(tables[0]->rows.size(), 2u);
  bool warned = false;
  for (const Diagnostic& x : d.items()) warned |= x.code == "table.truncated";
  EXPECT_TRUE(warned);
}

TEST(MarkdownReaderTest, ReadDocumentSendsMarkdownToTheMarkdownReader) {
  std::string md = std::string("**KẾ HOẠCH**\n\n**I. MỤC TIÊU**\n\n**II. NHIỆM VỤ**\n\n") + kFlatHeader +
                   "|\n1\n|\nXây dựng kế hoạch\n|\nSở Tài chính\n|\nCác sở\n|\n2026\n|\n";
  Diagnostics d;
  auto l = ReadDocument(md, "a.md", ReadLimits(), &d, &testing::Rules());
  ASSERT_TRUE(l.ok());
  EXPECT_EQ(l->format, Format::kMarkdown);
  EXPECT_EQ(Tables(*l).size(), 1u);
  auto plain = ReadDocument("Số: 1/KH\nHà Nội\n", "a.txt", ReadLimits(), &d);
  ASSERT_TRUE(plain.ok());
  EXPECT_EQ(plain->format, Format::kText);
}

// Text an export indented, or fenced with backquotes, is a code block to
// cmark: its lines are read as text, on their own line numbers. (Reading any
// code block crashed the reader until a fuzzer found it.)
TEST(MarkdownReaderTest, CodeBlocksAreReadAsText) {
  const std::string md =
      "**KẾ HOẠCH**\n\n"
      "    Giao Sở Y tế chủ trì\n\n"
      "```\n"
      "Thời hạn: Quý II/2026\n"
      "```\n"
      "**Nơi nhận:**\n";
  Diagnostics d;
  auto l = ReadMarkdown(md, "a.md", nullptr, &d);
  ASSERT_TRUE(l.ok()) << l.status().ToString();
  const std::vector<std::string> want = {"1 KẾ HOẠCH", "3 Giao Sở Y tế chủ trì", "6 Thời hạn: Quý II/2026",
                                         "8 Nơi nhận:"};
  EXPECT_EQ(NumberedTexts(*l), want);
}

// A lone CR ends a line for cmark, so it does for the reader's own line
// numbers: otherwise every later line is one off, and a list marker was cut
// out of the next line ("S\xE1" of "Sở", not UTF-8: a fuzz finding).
TEST(MarkdownReaderTest, LoneCarriageReturnEndsALine) {
  Diagnostics d;
  auto l = ReadMarkdown("Kế hoạch\rSố 1\n- Giao\nSở Y tế\n", "a.md", nullptr, &d);
  ASSERT_TRUE(l.ok()) << l.status().ToString();
  const std::vector<std::string> want = {"1 Kế hoạch", "2 Số 1", "3 - Giao", "4 Sở Y tế"};
  EXPECT_EQ(NumberedTexts(*l), want);
}

}  // namespace
}  // namespace plantrace
