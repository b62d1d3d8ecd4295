// Tests for pipeline/stages/text_tables: small hand-made tables for each flattened
// shape, and the seed documents' task tables compared with the gold rows.
#include "pipeline/stages/text_tables.h"

#include <gtest/gtest.h>

#include <cstdio>
#include <filesystem>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include "extractors/readers.h"
#include "pipeline/base/json_reader.h"
#include "pipeline/base/unicode.h"
#include "pipeline/stages/normalize.h"
#include "tests/test_util.h"

namespace plantrace {
namespace {

// Lines as the segment stage builds them: ReadText, then every line of every
// block, NFC and trimmed, the first of each block marked after_blank.
std::vector<TextLine> Flatten(const std::string& text) {
  Diagnostics diag;
  auto layout = ReadText(text, "test.txt", &diag);
  std::vector<TextLine> out;
  if (!layout.ok()) return out;
  for (const Block& b : layout->blocks) {
    for (size_t i = 0; i < b.lines.size(); ++i) {
      std::string t = ToNfc(b.lines[i].text);
      size_t s = t.find_first_not_of(' '), e = t.find_last_not_of(' ');
      if (s == std::string::npos) continue;
      out.push_back({t.substr(s, e - s + 1), b.lines[i].page, b.lines[i].line, i == 0});
    }
  }
  return out;
}

std::string Join(const std::vector<std::string>& v) {
  std::string out;
  for (const std::string& s : v) out += s + "\n";
  return out;
}

std::vector<std::string> RowTexts(const GridRow& r) {
  std::vector<std::string> out;
  for (const GridCell& c : r.cells) out.push_back(c.text);
  return out;
}

std::vector<std::string> Roles(const TextTable& t) {
  std::vector<std::string> out;
  for (ColumnRole r : t.roles) out.push_back(ColumnRoleName(r));
  return out;
}

using Strings = std::vector<std::string>;

TEST(TextTablesTest, OneCellPerLineWithMissingCellPlacedByMeaning) {
  std::string text = Join({
      "Căn cứ Kế hoạch số 1/KH-UBND, UBND tỉnh ban hành danh mục nhiệm vụ như sau:",
      "TT", "Tên nhiệm vụ", "Cơ quan chủ trì", "Cơ quan phối hợp", "Kết quả", "Thời gian hoàn thành",
      "I", "Hoàn thiện thể chế",
      "1.", "Xây dựng kế hoạch chuyển đổi số.", "Sở Khoa học và Công nghệ", "Các sở, ngành, địa phương",
      "Kế hoạch", "Tháng 9/2025",
      "2.", "Rà soát các quy định.", "Các sở, ngành, địa phương", "Sở Tư pháp", "Theo đề nghị của bộ, ngành",
      "3.", "Tổ chức hội nghị.", "Sở Nội vụ", "Báo cáo kết quả", "Thường xuyên",
      "PHỤ LỤC II", "Danh mục khác",
  });
  Diagnostics diag;
  auto tables = FindTextTables(Flatten(text), testing::Rules(), &diag);
  ASSERT_EQ(tables.size(), 1u);
  const TextTable& t = tables[0];
  EXPECT_EQ(Roles(t), (Strings{"number", "name", "lead", "coord", "output", "deadline"}));
  ASSERT_EQ(t.grid.rows.size(), 5u);
  EXPECT_TRUE(t.grid.rows[0].header);
  EXPECT_EQ(t.grid.columns, 6);
  struct Case {
    const char* id;
    size_t row;
    Strings want;
  } cases[] = {
      {"group", 1, {"I", "Hoàn thiện thể chế", "", "", "", ""}},
      {"full", 2, {"1.", "Xây dựng kế hoạch chuyển đổi số.", "Sở Khoa học và Công nghệ", "Các sở, ngành, địa phương",
                   "Kế hoạch", "Tháng 9/2025"}},
      {"no_output", 3, {"2.", "Rà soát các quy định.", "Các sở, ngành, địa phương", "Sở Tư pháp", "",
                        "Theo đề nghị của bộ, ngành"}},
      {"no_coord", 4, {"3.", "Tổ chức hội nghị.", "Sở Nội vụ", "", "Báo cáo kết quả", "Thường xuyên"}},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.id);
    EXPECT_EQ(RowTexts(t.grid.rows[c.row]), c.want);
    for (const GridCell& cell : t.grid.rows[c.row].cells) EXPECT_EQ(cell.blank, cell.text.empty());
  }
  EXPECT_EQ(t.grid.rows[2].cells[2].line, 12);  // provenance: input line number of "Sở Khoa học..."
  EXPECT_EQ(tables[0].end, 25u);                // stops at the appendix heading
}

TEST(TextTablesTest, PipeSeparatedRowsWithEmptyCells) {
  std::string text = Join({
      "| Số hiệu | 12/KH-UBND |",
      "| Loại văn bản | Kế hoạch |",
      "Nội dung kế hoạch.",
      "|", "TT |", "Các chương trình, đề án, nhiệm vụ |", "Đơn vị chủ trì |", "Đơn vị phối hợp |",
      "Thời gian hoàn thành |",
      "|", "I |", "Công tác lãnh đạo |", "|", "|", "|",
      "|", "1 |", "Thành lập Hội đồng |", "Sở Khoa học và Công nghệ |", "|", "Năm 2025 |",
      "|", "2 |", "Xây dựng quy chế |", "Sở Nội vụ |", "Sở Tư pháp |", "Hàng năm |",
      "Đăng nhập",
  });
  auto tables = FindTextTables(Flatten(text), testing::Rules(), nullptr);
  ASSERT_EQ(tables.size(), 1u);
  const TextTable& t = tables[0];
  EXPECT_EQ(Roles(t), (Strings{"number", "name", "lead", "coord", "deadline"}));
  ASSERT_EQ(t.grid.rows.size(), 4u);
  EXPECT_EQ(RowTexts(t.grid.rows[1]), (Strings{"I", "Công tác lãnh đạo", "", "", ""}));
  EXPECT_EQ(RowTexts(t.grid.rows[2]), (Strings{"1", "Thành lập Hội đồng", "Sở Khoa học và Công nghệ", "", "Năm 2025"}));
  EXPECT_TRUE(t.grid.rows[2].cells[3].blank);
  EXPECT_EQ(RowTexts(t.grid.rows[3]), (Strings{"2", "Xây dựng quy chế", "Sở Nội vụ", "Sở Tư pháp", "Hàng năm"}));
  EXPECT_EQ(t.begin, 3u);
  EXPECT_EQ(t.end, 27u);
}

TEST(TextTablesTest, PipeHeaderWithSpanningCell) {
  std::string text = Join({
      "|", "TT |", "Chỉ tiêu |", "Mục tiêu theo từng giai đoạn |", "Cơ quan chủ trì theo dõi, đánh giá |", "|",
      "|", "Năm 2025 |", "Năm 2030 |", "|||",
      "|", "1 |", "Tỷ lệ phủ sóng 5G |", "≥ 50% |", "100% |", "Sở Khoa học và Công nghệ |",
  });
  auto tables = FindTextTables(Flatten(text), testing::Rules(), nullptr);
  ASSERT_EQ(tables.size(), 1u);
  const TextTable& t = tables[0];
  EXPECT_EQ(Roles(t), (Strings{"number", "indicator", "target", "target", "monitor"}));
  ASSERT_EQ(t.grid.rows.size(), 3u);
  EXPECT_TRUE(t.grid.rows[1].header);
  EXPECT_EQ(RowTexts(t.grid.rows[1])[2], "Năm 2025");
  EXPECT_EQ(RowTexts(t.grid.rows[2]),
            (Strings{"1", "Tỷ lệ phủ sóng 5G", "≥ 50%", "100%", "Sở Khoa học và Công nghệ"}));
}

// PDF text: each line followed by a blank line, a whitespace-only line for a
// blank cell, the header repeated at a page break, a merged cell printed once.
TEST(TextTablesTest, WrappedPdfCells) {
  std::vector<std::string> src = {
      "TT Tên nhiệm vụ", "Cơ quan chủ", "trì", "Cơ quan", "phối hợp", "Kết quả", "Thời gian", "hoàn thành",
      "I. Hoàn thiện thể chế chính sách",
      "1.", "Xây dựng cơ chế, chính sách hỗ trợ doanh nghiệp đổi mới công nghệ trên địa",
      "bàn tỉnh và thu hút đầu tư.", "Sở Khoa học và", "Công nghệ", "Các sở, ban, ngành,", "đơn vị, địa phương",
      " ", "Năm 2025-", "2026",
      "TT Tên nhiệm vụ", "Cơ quan chủ", "trì", "Cơ quan", "phối hợp", "Kết quả", "Thời gian", "hoàn thành",
      "2.", "Rà soát, sửa đổi các quy định về khoa học và công nghệ theo hướng dẫn của", "Trung ương.",
      "Sở Tư pháp", "Cơ chế, chính", "sách được ban", "hành", "Tháng", "12/2025",
      "PHỤ LỤC II"};
  std::string text;
  for (const std::string& l : src) text += l + "\n\n";
  auto tables = FindTextTables(Flatten(text), testing::Rules(), nullptr);
  ASSERT_EQ(tables.size(), 1u);
  const TextTable& t = tables[0];
  EXPECT_EQ(Roles(t), (Strings{"number", "name", "lead", "coord", "output", "deadline"}));
  ASSERT_EQ(t.grid.rows.size(), 4u) << "header once, group, two rows";
  EXPECT_EQ(RowTexts(t.grid.rows[0]),
            (Strings{"TT", "Tên nhiệm vụ", "Cơ quan chủ trì", "Cơ quan phối hợp", "Kết quả", "Thời gian hoàn thành"}));
  EXPECT_EQ(RowTexts(t.grid.rows[1]), (Strings{"I", "Hoàn thiện thể chế chính sách", "", "", "", ""}));
  EXPECT_EQ(RowTexts(t.grid.rows[2]),
            (Strings{"1.",
                     "Xây dựng cơ chế, chính sách hỗ trợ doanh nghiệp đổi mới công nghệ trên địa bàn tỉnh và thu hút "
                     "đầu tư.",
                     "Sở Khoa học và Công nghệ", "Các sở, ban, ngành, đơn vị, địa phương", "", "Năm 2025-2026"}));
  EXPECT_TRUE(t.grid.rows[2].cells[4].blank);
  EXPECT_EQ(RowTexts(t.grid.rows[3]),
            (Strings{"2.", "Rà soát, sửa đổi các quy định về khoa học và công nghệ theo hướng dẫn của Trung ương.",
                     "Sở Tư pháp", "Các sở, ban, ngành, đơn vị, địa phương", "Cơ chế, chính sách được ban hành",
                     "Tháng 12/2025"}));
  EXPECT_TRUE(t.grid.rows[3].cells[3].from_span);
  EXPECT_FALSE(t.grid.rows[3].cells[2].from_span);
}

// PDF text with a code column cut by a page break: the page number before
// the repeated header is dropped; "điều hành" and "Công nghệ" continue the
// title and the lead the break cut; the rest is an unnumbered row. A row
// that opens a code but prints only its content before a break takes the
// merged cells the next row prints on the new page.
TEST(TextTablesTest, PageBreakContinuations) {
  const std::vector<std::string> header = {"TT", "Mã", "nhiệm", "vụ", "Tên nhiệm vụ Nội dung nhiệm vụ", "Đơn vị",
                                           "chủ trì", "Đơn vị", "phối hợp", "Lộ", "trình", "đề xuất", "Nguồn", "vốn"};
  std::vector<std::string> src = header;
  // Ordinary rows first: their wrapped lines give the column widths.
  for (const char* l : {"1.  CQS0.1", "Xây dựng nền", "tảng dữ liệu", "- Nâng cấp Trung tâm dữ liệu của tỉnh, triển khai",
                        "trung tâm dự phòng, sao lưu dữ liệu của tỉnh", "Sở Khoa", "học và", "Công", "nghệ", "Sở Tài",
                        "chính, Sở", "Nội vụ", "2025 -", "2030", "Ngân", "sách địa", "phương", "2.", "- Duy trì hệ thống phòng họp",
                        "không giấy tờ và các hệ thống thông tin báo cáo", "Sở Nội", "vụ", "Sở Tư", "pháp", "Hàng",
                        "năm"}) {
    src.push_back(l);
  }
  for (const char* l : {"3.  CQS1.1", "Khai thác dữ liệu", "trong chỉ đạo,",
                        "- Nâng cấp các phân hệ giám sát của Trung tâm điều hành thông minh", "Sở Khoa", "học và",
                        "Sở Tài", "chính", "2025 -", "2030", "Ngân", "sách địa", "phương", "7"}) {
    src.push_back(l);
  }
  src.insert(src.end(), header.begin(), header.end());
  for (const char* l : {"điều hành", "Công nghệ", "Mở rộng triển khai Trung tâm Điều hành thông minh đến cấp xã",
                        "Sở Khoa học và Công nghệ", "UBND cấp xã", "2025 -", "2030", "4.  CQS1.2",
                        "- Cung cấp giải pháp truyền thông cho các doanh nghiệp trên địa bàn"}) {
    src.push_back(l);
  }
  src.insert(src.end(), header.begin(), header.end());
  for (const char* l : {"5.", "Hỗ trợ doanh", "nghiệp", "- Triển khai các chương trình hỗ trợ doanh nghiệp chuyển đổi",
                        "số trên địa bàn", "Sở Công", "Thương", "2026", "Ngân", "sách địa", "phương", "PHỤ LỤC III"}) {
    src.push_back(l);
  }
  std::string text;
  for (const std::string& l : src) text += l + "\n\n";
  auto tables = FindTextTables(Flatten(text), testing::Rules(), nullptr);
  ASSERT_EQ(tables.size(), 1u);
  const TextTable& t = tables[0];
  ASSERT_EQ(Roles(t), (Strings{"number", "code", "title", "name", "lead", "coord", "deadline", "funding"}));
  ASSERT_EQ(t.grid.rows.size(), 7u) << "header, rows 1, 2, 3, (unnumbered), 4, 5";
  struct Case {
    const char* id;
    size_t row;
    Strings want;
  } cases[] = {
      {"joined", 3, {"3.", "CQS1.1", "Khai thác dữ liệu trong chỉ đạo, điều hành",
                     "- Nâng cấp các phân hệ giám sát của Trung tâm điều hành thông minh", "Sở Khoa học và Công nghệ",
                     "Sở Tài chính", "2025 - 2030", "Ngân sách địa phương"}},
      {"unnumbered", 4, {"", "CQS1.1", "Khai thác dữ liệu trong chỉ đạo, điều hành",
                         "Mở rộng triển khai Trung tâm Điều hành thông minh đến cấp xã", "Sở Khoa học và Công nghệ",
                         "UBND cấp xã", "2025 - 2030", "Ngân sách địa phương"}},
      {"copied_up", 5, {"4.", "CQS1.2", "Hỗ trợ doanh nghiệp",
                        "- Cung cấp giải pháp truyền thông cho các doanh nghiệp trên địa bàn", "Sở Công Thương", "",
                        "2026", "Ngân sách địa phương"}},
      {"after_break", 6, {"5.", "CQS1.2", "Hỗ trợ doanh nghiệp",
                          "- Triển khai các chương trình hỗ trợ doanh nghiệp chuyển đổi số trên địa bàn",
                          "Sở Công Thương", "", "2026", "Ngân sách địa phương"}},
  };
  auto cells = [](const Strings& v) {
    std::string out;
    for (const std::string& x : v) out += x + " | ";
    return out;
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.id);
    EXPECT_EQ(cells(RowTexts(t.grid.rows[c.row])), cells(c.want));
  }
}

TEST(TextTablesTest, NoTableInProse) {
  std::string text = Join({"TT", "Các nội dung khác của kế hoạch.", "1. Mục đích", "2. Yêu cầu"});
  EXPECT_TRUE(FindTextTables(Flatten(text), testing::Rules(), nullptr).empty());
}

// A table saved from a word processor as plain text: every cell on a line
// of its own, an empty cell as an empty line, a cell merged over rows printed
// once in its first row and empty below, an unnumbered row's number cell an
// empty line. The prose after the table is not a row.
TEST(TextTablesTest, WordProcessorTextOneCellPerLine) {
  const std::string text =
      "TT\nTên nhiệm vụ\nCơ quan chủ trì\nCơ quan phối hợp\nKết quả\nThời gian hoàn thành\n"
      "I\nHoàn thiện thể chế chính sách\n"
      "1.\nXây dựng cơ chế hỗ trợ doanh nghiệp đổi mới công nghệ\nCác sở, ban, ngành, địa phương\n"
      "Sở Tài chính\n\nThường xuyên\n"
      "2.\nRà soát, sửa đổi các quy định về khoa học và công nghệ\n\nSở Tư pháp\n"
      "Cơ chế, chính sách được ban hành\nTháng 12/2025\n"
      "\nMở rộng triển khai Trung tâm Điều hành thông minh đến cấp xã\nSở Khoa học và Công nghệ\n"
      "UBND cấp xã\n\n\n"
      "3.\nTổ chức đào tạo, bồi dưỡng cán bộ\nSở Nội vụ\n\n\nNăm 2026\n"
      "Trong quá trình triển khai thực hiện, các cơ quan kịp thời báo cáo\n"
      "UBND tỉnh để xem xét, quyết định.\n";
  auto tables = FindTextTables(Flatten(text), testing::Rules(), nullptr);
  ASSERT_EQ(tables.size(), 1u);
  const TextTable& t = tables[0];
  EXPECT_EQ(Roles(t), (Strings{"number", "name", "lead", "coord", "output", "deadline"}));
  ASSERT_EQ(t.grid.rows.size(), 6u) << "header, group, rows 1, 2, unnumbered, 3";
  struct Case {
    const char* id;
    size_t row;
    Strings want;
  } cases[] = {
      {"empty_output", 2, {"1.", "Xây dựng cơ chế hỗ trợ doanh nghiệp đổi mới công nghệ",
                           "Các sở, ban, ngành, địa phương", "Sở Tài chính", "", "Thường xuyên"}},
      {"merged_lead", 3, {"2.", "Rà soát, sửa đổi các quy định về khoa học và công nghệ",
                          "Các sở, ban, ngành, địa phương", "Sở Tư pháp", "Cơ chế, chính sách được ban hành",
                          "Tháng 12/2025"}},
      {"unnumbered", 4, {"", "Mở rộng triển khai Trung tâm Điều hành thông minh đến cấp xã",
                         "Sở Khoa học và Công nghệ", "UBND cấp xã", "", ""}},
      {"last_row", 5, {"3.", "Tổ chức đào tạo, bồi dưỡng cán bộ", "Sở Nội vụ", "", "", "Năm 2026"}},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.id);
    EXPECT_EQ(RowTexts(t.grid.rows[c.row]), c.want);
  }
  EXPECT_TRUE(t.grid.rows[3].cells[2].from_span);
  EXPECT_FALSE(t.grid.rows[2].cells[2].from_span);
}

// Regression (Nghị quyết exported with 2,562 cell lines; a 74-page PDF whose
// ruling lines were lost): the text after a repeated header that no number
// opens was split by placing every head and every tail anew, each placement
// setting up a table of the square of its lines: minutes. The work must grow
// with the lines, not faster.
TextTableWork WorkForContinuation(size_t n) {
  std::vector<std::string> src = {"TT Tên nhiệm vụ", "Cơ quan chủ", "trì", "Cơ quan", "phối hợp", "Kết quả",
                                  "Thời gian", "hoàn thành", "1.",
                                  "Xây dựng cơ chế, chính sách hỗ trợ doanh nghiệp đổi mới công nghệ trên địa",
                                  "bàn tỉnh và thu hút đầu tư", "Sở Khoa học và", "Công nghệ", "Sở Tài chính",
                                  "Năm 2025-", "2026", "TT Tên nhiệm vụ", "Cơ quan chủ", "trì", "Cơ quan",
                                  "phối hợp", "Kết quả", "Thời gian", "hoàn thành"};
  for (size_t k = 0; k < n; ++k) {
    src.push_back("và triển khai nội dung thứ " + std::to_string(k + 1) + " của nhiệm vụ trên địa bàn tỉnh,");
  }
  src.push_back("PHỤ LỤC II");
  std::string text;
  for (const std::string& l : src) text += l + "\n\n";
  TextTableWork work;
  auto tables = FindTextTables(Flatten(text), testing::Rules(), nullptr, &work);
  EXPECT_EQ(tables.size(), 1u) << n;
  return work;
}

TEST(TextTablesTest, ContinuationSplitWorkGrowsWithLines) {
  struct Case {
    const char* id;
    size_t n;  // lines after the break; 5 columns hold at most 120
  } cases[] = {{"fits", 40}, {"too_many", 600}};
  for (const Case& c : cases) {
    SCOPED_TRACE(c.id);
    TextTableWork once = WorkForContinuation(c.n), twice = WorkForContinuation(2 * c.n);
    EXPECT_GT(once.steps, 0u);
    // Linear: twice the lines, at most about twice the work (the
    // quadratic search took four times, the square tables eight).
    EXPECT_LE(twice.steps, 5 * once.steps / 2) << once.steps << " -> " << twice.steps;
    EXPECT_LE(twice.cells_scored, 5 * once.cells_scored / 2 + 100) << once.cells_scored << " -> " << twice.cells_scored;
    EXPECT_LE(twice.cues_matched, 5 * once.cues_matched / 2 + 100) << once.cues_matched << " -> " << twice.cues_matched;
  }
}

// Regression (a damaged 74-page PDF that repeats one page 45 times): each
// page opens with lines that continue the content cell above, so that cell
// grew page after page, and every join was judged on a fresh copy of it:
// seconds for one file. The text built must grow with the pages, not their
// square.
TextTableWork WorkForRepeatedPages(size_t pages) {
  const std::vector<std::string> header = {"TT Tên nhiệm vụ", "Cơ quan chủ", "trì", "Cơ quan", "phối hợp",
                                           "Kết quả", "Thời gian", "hoàn thành"};
  std::vector<std::string> src = header;
  for (const char* l : {"1.", "Xây dựng cơ chế, chính sách hỗ trợ doanh nghiệp đổi mới công nghệ trên địa",
                        "bàn tỉnh và thu hút đầu tư", "Sở Khoa học và", "Công nghệ", "Sở Tài chính", "Năm 2025-",
                        "2026"}) {
    src.push_back(l);
  }
  for (size_t p = 0; p < pages; ++p) {
    src.insert(src.end(), header.begin(), header.end());
    for (int k = 1; k <= 12; ++k) {
      src.push_back("và triển khai nội dung thứ " + std::to_string(k) + " của nhiệm vụ trên địa bàn tỉnh,");
    }
  }
  src.push_back("PHỤ LỤC II");
  std::string text;
  for (const std::string& l : src) text += l + "\n\n";
  TextTableWork work;
  auto tables = FindTextTables(Flatten(text), testing::Rules(), nullptr, &work);
  EXPECT_EQ(tables.size(), 1u) << pages;
  return work;
}

TEST(TextTablesTest, RepeatedPagesTextGrowsWithPages) {
  TextTableWork once = WorkForRepeatedPages(20), twice = WorkForRepeatedPages(40);
  EXPECT_GT(once.text_built, 0u);
  EXPECT_LE(twice.text_built, 5 * once.text_built / 2) << once.text_built << " -> " << twice.text_built;
}

// Cell keys are built piecewise from the lines' keys (AppendWrappedKeyed)
// instead of folding each joined cell again: the same key as folding the
// whole, at each kind of join AppendWrapped makes.
TEST(TextTablesTest, KeyOfJoinedCellEqualsFoldedWhole) {
  struct Case {
    const char* id;
    std::vector<std::string> lines;
  } cases[] = {
      {"space", {"Sở Khoa học và", "Công nghệ"}},
      {"old_tone_at_end", {"Ban Chỉ đạo tỉnh Khánh Hoà", "và các cơ quan"}},
      {"old_tone_at_start", {"các sở, ban, ngành", "hoà nhập, Uỷ ban nhân dân"}},
      {"hyphen_glued", {"Ủy ban nhân dân cấp xã phối hợp triển khai công-", "nghệ số"}},
      {"hyphen_spaced", {"Năm 2025 -", "2026"}},
      {"broken_date", {"Trước ngày 30/6/202", "5"}},
      {"decomposed", {"Sơ\u0309 Tài chi\u0301nh", "\u0301 và Sở Nội vụ"}},
      {"spaces_and_case", {"  THỜI   GIAN  ", "  Quý IV/2025  "}},
      {"three", {"Phòng Kinh tế,", "Hạ tầng và Đô", "thị các xã"}},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.id);
    std::string text, key;
    for (const std::string& l : c.lines) AppendWrappedKeyed(&text, &key, l, CellKey(l));
    EXPECT_EQ(text, JoinWrapped(c.lines));
    EXPECT_EQ(key, CellKey(text));
  }
}

// ---------------------------------------------------------------- seeds vs gold

std::string FindData(const std::string& sub, const std::string& stem, const std::string& ext) {
  for (const std::string& root : {testing::CorpusDir(), testing::SharedDir()}) {
    std::string p = root + "/" + sub + "/" + stem + ext;
    if (std::filesystem::exists(p)) return p;
  }
  return "";
}

std::string Clean(const std::string& s) { return CollapseSpaces(s); }

// Task fields of one body row through the table's roles; "" for null.
std::map<std::string, std::string> RowFields(const TextTable& t, const GridRow& r) {
  std::map<std::string, std::string> f;
  for (size_t c = 0; c < t.roles.size() && c < r.cells.size(); ++c) {
    std::string v = r.cells[c].blank ? "" : Clean(r.cells[c].text);
    switch (t.roles[c]) {
      case ColumnRole::kNumber:
        while (!v.empty() && v.back() == '.') v.pop_back();
        f["number"] = v;
        break;
      case ColumnRole::kCode: f["code"] = v; break;
      case ColumnRole::kName:
        if (v.starts_with("- ") || v.starts_with("-")) v = Clean(v.substr(1));
        f["name"] = v;
        break;
      case ColumnRole::kLead: f["lead_raw"] = v; break;
      case ColumnRole::kCoord: f["coord_raw"] = v; break;
      case ColumnRole::kOutput: f["output"] = v; break;
      case ColumnRole::kDeadline: f["deadline_raw"] = v; break;
      case ColumnRole::kFunding: f["funding"] = v; break;
      default: break;
    }
  }
  return f;
}

const char* kFields[] = {"number", "code", "name", "lead_raw", "coord_raw", "output", "deadline_raw", "funding"};

std::map<std::string, std::string> GoldFields(const JsonValue& task) {
  std::map<std::string, std::string> f;
  for (const char* k : kFields) f[k] = Clean(task[k].is_string() ? task[k].text : "");
  return f;
}

bool IsGroupLabel(std::string v) {
  while (!v.empty() && v.back() == '.') v.pop_back();
  if (v.empty()) return false;
  if (v.size() == 1 && v[0] >= 'A' && v[0] <= 'Z') return true;
  return v.find_first_not_of("IVXL") == std::string::npos;
}

struct Agreement {
  size_t gold = 0, found = 0, paired = 0, full = 0;
  std::map<std::string, size_t> field_ok;
};

// Pairs found rows with gold rows in order (a row pairs when its number or
// name agrees) and counts rows whose every field agrees.
Agreement Compare(const std::vector<std::map<std::string, std::string>>& got,
                  const std::vector<std::map<std::string, std::string>>& gold, std::string* report) {
  const size_t n = got.size(), m = gold.size();
  std::vector<std::vector<int>> best(n + 1, std::vector<int>(m + 1, 0));
  auto pair_score = [&](size_t i, size_t j) {
    int eq = 0;
    for (const char* k : kFields) eq += got[i].count(k) ? got[i].at(k) == gold[j].at(k) : gold[j].at(k).empty();
    bool anchor = (!gold[j].at("number").empty() && got[i].count("number") && got[i].at("number") == gold[j].at("number")) ||
                  (got[i].count("name") && got[i].at("name") == gold[j].at("name"));
    return anchor ? eq + 1 : -1;
  };
  for (size_t i = n; i-- > 0;) {
    for (size_t j = m; j-- > 0;) {
      int s = std::max(best[i + 1][j], best[i][j + 1]);
      int p = pair_score(i, j);
      if (p > 0) s = std::max(s, p + best[i + 1][j + 1]);
      best[i][j] = s;
    }
  }
  Agreement a;
  a.gold = m;
  a.found = n;
  size_t i = 0, j = 0;
  while (i < n && j < m) {
    int p = pair_score(i, j);
    if (p > 0 && best[i][j] == p + best[i + 1][j + 1]) {
      ++a.paired;
      bool all = true;
      for (const char* k : kFields) {
        bool ok = got[i].count(k) ? got[i].at(k) == gold[j].at(k) : gold[j].at(k).empty();
        if (ok) {
          ++a.field_ok[k];
        } else {
          all = false;
          if (report) {
            *report += "  row " + gold[j].at("number") + " " + k + ": got '" + (got[i].count(k) ? got[i].at(k) : "") +
                       "' want '" + gold[j].at(k) + "'\n";
          }
        }
      }
      a.full += all;
      ++i;
      ++j;
    } else if (best[i][j] == best[i + 1][j]) {
      if (report) *report += "  extra row " + (got[i].count("number") ? got[i].at("number") : "") + "\n";
      ++i;
    } else {
      if (report) *report += "  missed gold row " + gold[j].at("number") + "\n";
      ++j;
    }
  }
  return a;
}

struct SeedCase {
  const char* stem;
  std::vector<double> min_full;  // per task appendix, in order
};

class SeedTablesTest : public ::testing::TestWithParam<SeedCase> {};

TEST_P(SeedTablesTest, TaskRowsAgreeWithGold) {
  const SeedCase& sc = GetParam();
  std::string seed = FindData("seeds", sc.stem, ".txt"), gold_path = FindData("gold", sc.stem, ".json");
  if (seed.empty() || gold_path.empty()) GTEST_SKIP() << "seed or gold for " << sc.stem << " not found";
  auto gold = ParseJson(testing::ReadFileOrDie(gold_path));
  ASSERT_TRUE(gold.ok()) << gold_path << " does not parse";
  const JsonValue* tasks = &(*gold)["tasks"];
  ASSERT_TRUE(tasks->is_array());
  // Gold task rows of each source, in order of first appearance (tables only).
  std::vector<std::string> sources;
  std::map<std::string, std::vector<std::map<std::string, std::string>>> by_source;
  for (const JsonValue& t : tasks->items) {
    std::string src = t["source"].is_string() ? t["source"].text : "";
    if (!by_source.count(src)) sources.push_back(src);
    by_source[src].push_back(GoldFields(t));
  }
  Diagnostics diag;
  std::vector<TextLine> lines = Flatten(testing::ReadFileOrDie(seed));
  std::vector<TextTable> tables = FindTextTables(lines, testing::Rules(), &diag);
  std::vector<const TextTable*> task_tables;
  for (const TextTable& t : tables) {
    bool indicator = false, lead = false;
    for (ColumnRole r : t.roles) {
      indicator |= r == ColumnRole::kIndicator;
      lead |= r == ColumnRole::kLead || r == ColumnRole::kDeadline;
    }
    if (lead && !indicator) task_tables.push_back(&t);
  }
  ASSERT_EQ(task_tables.size(), sources.size()) << sc.stem << ": task tables found vs gold appendices";
  ASSERT_EQ(sc.min_full.size(), sources.size());
  for (size_t k = 0; k < sources.size(); ++k) {
    SCOPED_TRACE(std::string(sc.stem) + " " + sources[k]);
    std::vector<std::map<std::string, std::string>> got;
    for (const GridRow& r : task_tables[k]->grid.rows) {
      if (r.header) continue;
      auto f = RowFields(*task_tables[k], r);
      if (IsGroupLabel(f["number"])) continue;
      got.push_back(std::move(f));
    }
    std::string report;
    Agreement a = Compare(got, by_source[sources[k]], &report);
    double full = a.gold ? static_cast<double>(a.full) / a.gold : 0;
    std::ostringstream line;
    line << sc.stem << " " << sources[k] << ": gold " << a.gold << " found " << a.found << " paired " << a.paired
         << " fully right " << a.full << " (" << static_cast<int>(full * 1000) / 10.0 << "%); fields:";
    for (const char* f : kFields) line << " " << f << "=" << a.field_ok[f];
    std::printf("%s\n", line.str().c_str());
    if (std::getenv("TABLES_VERBOSE")) std::printf("%s", report.c_str());
    EXPECT_GE(full, sc.min_full[k]) << report;
  }
}

INSTANTIATE_TEST_SUITE_P(Seeds, SeedTablesTest,
                         ::testing::Values(SeedCase{"000_5765c50382b6d008", {0.95}},
                                           SeedCase{"003_47b38050f79059a8", {0.95}},
                                           SeedCase{"002_aceac1bad310a983", {0.95, 0.89}}),
                         [](const ::testing::TestParamInfo<SeedCase>& info) {
                           return std::string("seed_") + std::string(info.param.stem).substr(0, 3);
                         });

}  // namespace
}  // namespace plantrace
