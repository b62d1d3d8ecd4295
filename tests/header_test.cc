// Header block and page furniture (pipeline/stages/header.h through Segment): the
// forms in which real exports print the header, the caption fallback, and
// what is not document text.
#include "pipeline/stages/header.h"

#include <gtest/gtest.h>

#include <algorithm>

#include "extractors/readers.h"
#include "pipeline/stages/normalize.h"
#include "pipeline/stages/segment.h"
#include "tests/test_util.h"

namespace plantrace {
namespace {

struct Segmented {
  DocTree tree;
  Diagnostics diag;
};

Segmented FromLayout(const Layout& layout) {
  Segmented s;
  auto tree = Segment(Normalize(layout, &s.diag), testing::Rules(), &s.diag);
  EXPECT_TRUE(tree.ok());
  if (tree.ok()) s.tree = *tree;
  return s;
}

Segmented FromText(const std::string& text, const std::string& name = "t.md") {
  Diagnostics d;
  auto layout = ReadText(text, name, &d);
  EXPECT_TRUE(layout.ok());
  return FromLayout(*layout);
}

bool Warned(const Diagnostics& d, const std::string& code) {
  return std::any_of(d.items().begin(), d.items().end(), [&](const Diagnostic& x) { return x.code == code; });
}

bool HasLine(const DocTree& t, const std::string& needle) {
  return std::any_of(t.lines.begin(), t.lines.end(),
                     [&](const SourceLine& l) { return l.text.find(needle) != std::string::npos; });
}

std::string Or(const std::optional<std::string>& v) { return v.value_or("-"); }

// A web export's header: a two-column table flattened into lines, cells
// separated by lines holding only '|'.
const char* kPipeHeader =
    "|\n**UỶ BAN NHÂN\nDÂN**\nTỈNH LAI CHÂU\n--------\n|\n**CỘNG HÒA XÃ\nHỘI CHỦ NGHĨA VIỆT NAM**\n"
    "Độc lập - Tự do - Hạnh phúc\n---------------\n|\n|\nSố:\n7360/KH-UBND\n|\n*Lai Châu, ngày\n"
    "19 tháng 11 năm 2025*\n|\n\n**KẾ HOẠCH**\n\nTRIỂN KHAI THI HÀNH LUẬT TIÊU CHUẨN\n\n"
    "Thực hiện Quyết định số 2138/QĐ-TTg ngày 27 tháng 9 năm 2025 của Thủ tướng Chính phủ.\n\n"
    "**I. MỤC ĐÍCH, YÊU CẦU**\n\n- Bảo đảm sự chỉ đạo thống nhất.\n\n|\nNơi nhận:\n- Như trên;\n|\n"
    "**KT. CHỦ TỊCH\nPHÓ CHỦ TỊCH**\n**Tống Thanh Hải**\n|\n";

struct Case {
  const char* id;
  std::string text;
  const char* number;
  const char* type;
  const char* issuer;
  const char* place;
  const char* date;
  const char* signer;
  const char* warning;  // a warning code that must be present, or nullptr
};

TEST(HeaderTest, PrintedForms) {
  const Case cases[] = {
      {"pipe-cells-number-next-line-italic-date", kPipeHeader, "7360/KH-UBND", "Kế hoạch",
       "Ủy ban nhân dân tỉnh Lai Châu", "Lai Châu", "2025-11-19", "Tống Thanh Hải", nullptr},
      {"bold-closed-on-next-line-place-split",
       "|\n**ỦY BAN NHÂN DÂN\n**\nTHÀNH PHỐ HỒ CHÍ MINH\n-------\n|\n**CỘNG HÒA XÃ HỘI\nCHỦ NGHĨA VIỆT NAM**\n"
       "Độc lập - Tự do - Hạnh phúc\n|\n|\nSố: 172/KH-UBND\n|\n*Thành phố Hồ Chí\nMinh, ngày 18 tháng 11 năm 2025*\n"
       "|\n\n**KẾ HOẠCH**\n\nTRIỂN\nKHAI THI HÀNH LUẬT VIỆC LÀM\n\nỦy ban nhân dân Thành phố ban hành Kế hoạch "
       "triển khai thi hành Luật Việc làm với các nội dung sau:\n\n**I. MỤC ĐÍCH**\n\n|\nNơi nhận:\n- Như trên;\n|\n"
       "**KT. CHỦ TỊCH\nPHÓ CHỦ TỊCH**\nTrần Thị Diệu Thúy\n|\n",
       "172/KH-UBND", "Kế hoạch", "Ủy ban nhân dân Thành phố Hồ Chí Minh", "Thành phố Hồ Chí Minh", "2025-11-18",
       "Trần Thị Diệu Thúy", nullptr},
      {"draft-number-left-blank",
       "UBND TỈNH BẮC NINH\n\nSố:      /KH-UBND\n\nBắc Ninh, ngày    tháng 11 năm 2025\n\nKẾ HOẠCH\n\n"
       "Phát triển kinh tế số\n\nCăn cứ Nghị quyết số 57-NQ/TW;\n\nI. QUAN ĐIỂM\n",
       nullptr, "Kế hoạch", nullptr, nullptr, nullptr, nullptr, "meta.number_missing"},
      {"chairman-decision-authority-line",
       "|\n**ỦY BAN NHÂN DÂN**\nTỈNH QUẢNG NGÃI\n-------\n|\n**CỘNG HÒA XÃ HỘI\nCHỦ NGHĨA VIỆT NAM**\n"
       "Độc lập - Tự do - Hạnh phúc\n|\n|\nSố: 1627/QĐ-UBND\n|\n*Quảng Ngãi, ngày\n21 tháng 11 năm 2025*\n|\n\n"
       "**QUYẾT ĐỊNH**\n\nVỀ VIỆC BAN HÀNH KẾ HOẠCH KIỂM KÊ TÀI SẢN CÔNG\n\n"
       "**CHỦ TỊCH ỦY BAN NHÂN DÂN TỈNH QUẢNG NGÃI**\n\n*Căn cứ Luật Tổ chức chính quyền địa phương;*\n\n"
       "**QUYẾT ĐỊNH:**\n\n**Điều 1.** Ban hành kèm theo Quyết định này Kế hoạch.\n\n|\nNơi nhận:\n- Như Điều 2;\n|\n"
       "**KT. CHỦ TỊCH\nPHÓ CHỦ TỊCH**\nNguyễn Ngọc Sâm\n|\n",
       "1627/QĐ-UBND", "Quyết định", "Chủ tịch Ủy ban nhân dân tỉnh Quảng Ngãi", "Quảng Ngãi", "2025-11-21",
       "Nguyễn Ngọc Sâm", nullptr},
      {"header-lost-number-from-own-caption",
       "**NGHỊ QUYẾT**\n\nVỀ PHÁT ĐỘNG PHONG TRÀO BẢO VỆ MÔI TRƯỜNG\n\n**CHÍNH PHỦ**\n\n"
       "*Căn cứ Luật Tổ chức Chính phủ ngày 18 tháng 02 năm 2025;*\n\n**QUYẾT NGHỊ:**\n\n"
       "**I. QUAN ĐIỂM CHỈ ĐẠO**\n\n1. Bảo vệ môi trường là nhiệm vụ của toàn dân.\n\n|\nNơi nhận:\n- Như trên;\n|\n"
       "**TM. CHÍNH PHỦ\nTHỦ TƯỚNG**\n**Phạm Minh Chính**\n|\n\n**PHỤ LỤC**\n\nDANH MỤC ĐỀ ÁN ƯU TIÊN\n\n"
       "*(Kèm theo Nghị quyết số 394/NQ-CP ngày 03 tháng 12 năm 2025 của Chính phủ)*\n",
       "394/NQ-CP", "Nghị quyết", "Chính phủ", nullptr, "2025-12-03", "Phạm Minh Chính", "meta.number_from_caption"},
      {"caption-with-blank-number-gives-nothing",
       "**KẾ HOẠCH**\n\nTRIỂN KHAI THI HÀNH LUẬT BẢO VỆ DỮ LIỆU CÁ NHÂN\n\n"
       "*(Kèm theo Quyết định số /QĐ-TTg ngày\ntháng năm 2025 của Thủ tướng Chính phủ)*\n\n"
       "**I. MỤC ĐÍCH, YÊU CẦU**\n\n**1. Mục đích**\n\nBảo đảm triển khai kịp thời.\n",
       nullptr, "Kế hoạch", nullptr, nullptr, nullptr, nullptr, "meta.number_missing"},
      {"cited-number-is-not-the-documents",
       "**KẾ HOẠCH**\n\nTHỰC HIỆN NGHỊ QUYẾT SỐ 71/NQ-CP\n\nThực hiện Nghị quyết số 71/NQ-CP ngày 01/4/2025 của "
       "Chính phủ.\n\n**I. MỤC ĐÍCH**\n\n1. Triển khai kịp thời.\n\n**PHỤ LỤC I**\n\nDANH MỤC NHIỆM VỤ\n\n"
       "(Kèm theo Quyết định số 12/QĐ-UBND ngày 02/01/2025 của Ủy ban nhân dân tỉnh)\n",
       nullptr, "Kế hoạch", nullptr, nullptr, nullptr, nullptr, "meta.number_missing"},
      {"portal-box-and-summary-are-not-read",
       "|\nBản dịch này thuộc quyền sở hữu của **\nTHƯ VIỆN PHÁP LUẬT**. Mọi hành vi sao chép là vi phạm.\n"
       "Đang tải văn bản...\n#\n**Số hiệu:**\n|\n6225/BVHTTDL-VP\n|\n**Loại văn bản:**\n|\nCông văn\n|\n"
       "**Ngày ban hành:**\n|\n18/11/2025\n|\n**Tình trạng:**\n|\nĐã biết\n|\n** **\n|\n**Kính gửi:**\n|\n"
       "- Các cơ quan thuộc Bộ.\n|\nBộ Văn hóa, Thể thao và Du lịch yêu cầu:\n**1. Thủ trưởng các cơ quan**\n"
       "- Chịu trách nhiệm toàn diện.\n|\nNơi nhận:\n- Như trên;\n|\n**BỘ TRƯỞNG**\nNguyễn Văn Hùng\n|\n"
       "Công văn 6225/BVHTTDL-VP ngày 18/11/2025 tập trung đẩy mạnh việc thực hiện do Bộ Văn hóa, Thể thao "
       "và Du lịch ban hành\n## Văn bản liên quan\nBan hành:\n17/09/2025\n",
       nullptr, nullptr, nullptr, nullptr, nullptr, "Nguyễn Văn Hùng", "meta.number_missing"},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.id);
    Segmented s = FromText(c.text);
    const DocHeader& h = s.tree.header;
    auto eq = [](const std::optional<std::string>& got, const char* want) {
      return want ? got && *got == want : !got.has_value();
    };
    EXPECT_TRUE(eq(h.number, c.number)) << Or(h.number);
    EXPECT_TRUE(eq(h.type, c.type)) << Or(h.type);
    if (c.issuer) {
      EXPECT_TRUE(eq(h.issuer, c.issuer)) << Or(h.issuer);
    }
    EXPECT_TRUE(eq(h.place, c.place)) << Or(h.place);
    EXPECT_TRUE(eq(h.date, c.date)) << Or(h.date);
    EXPECT_TRUE(eq(h.signer, c.signer)) << Or(h.signer);
    if (c.warning) {
      EXPECT_TRUE(Warned(s.diag, c.warning)) << c.warning;
    }
  }
}

TEST(HeaderTest, DraftKeepsThePrintedNumberForm) {
  Segmented s = FromText("Số:      /KH-UBND\n\nKẾ HOẠCH\n\nPhát triển kinh tế số\n\nCăn cứ Luật;\n");
  EXPECT_FALSE(s.tree.header.number.has_value());
  ASSERT_TRUE(s.tree.header.number_printed.has_value());
  EXPECT_EQ(*s.tree.header.number_printed, "Số: /KH-UBND");
}

// Regression: the country's name in a "Căn cứ Hiến pháp nước Cộng hòa xã hội
// chủ nghĩa Việt Nam" line was taken for the header's motto, and everything
// above it (the number) dropped as page furniture.
TEST(HeaderTest, CountryNameInABasisLineIsNotTheMotto) {
  Segmented s = FromText(
      "Số: 1675/NQ-UBTVQH15 |\n|\n\n**NGHỊ QUYẾT**\n\n**Về việc sắp xếp các đơn vị hành chính cấp xã**\n\n"
      "**ỦY BAN THƯỜNG VỤ QUỐC HỘI**\n\n*Căn cứ Hiến pháp nước Cộng hòa xã hội chủ nghĩa Việt Nam;*\n\n"
      "**QUYẾT NGHỊ:**\n\n**Điều 1. Sắp xếp**\n");
  ASSERT_TRUE(s.tree.header.number.has_value());
  EXPECT_EQ(*s.tree.header.number, "1675/NQ-UBTVQH15");
  ASSERT_TRUE(s.tree.header.type.has_value());
  EXPECT_EQ(*s.tree.header.type, "Nghị quyết");
}

// Regression: a letter printed without its header ("Kính gửi:" first) whose
// first Roman heading stands in a list attached after the signature lost
// that list (the parts were looked for from that heading on).
TEST(HeaderTest, HeadlessLetterKeepsTheListAttachedAfterTheSignature) {
  Segmented s = FromText(
      "**Kính gửi:**\n\n- Các cơ quan thuộc Bộ.\n\n1. Thủ trưởng các cơ quan\n\n- Chịu trách nhiệm về tiến độ.\n\n"
      "Nơi nhận:\n- Như trên;\n- Lưu: VT.\n\n**BỘ TRƯỞNG**\nNguyễn Văn Hùng\n\n"
      "**Danh mục các văn bản đã ban hành**\n**I. QUYẾT ĐỊNH**\n1.\nQuyết định số 1381/QĐ-BVHTTDL ngày 15/5/2025 "
      "của Bộ trưởng.\n\n**PHỤ LỤC**\nDANH MỤC CÁC NHIỆM VỤ\n");
  std::vector<std::string> labels;
  for (const DocPart& p : s.tree.parts) labels.push_back(p.label);
  EXPECT_EQ(labels, (std::vector<std::string>{"", "Danh mục các văn bản đã ban hành", "PHỤ LỤC"}));
}

TEST(HeaderTest, PortalFurnitureIsNotDocumentText) {
  Segmented s = FromText(
      "Bản dịch này thuộc quyền sở hữu của THƯ VIỆN PHÁP LUẬT.\n**Số hiệu:**\n|\n2530/QĐ-TTg\n|\n"
      "## Nghiên cứu ứng dụng công nghệ khắc phục ô nhiễm không khí\nTóm tắt của trang về văn bản.\n|\n"
      "**THỦ\nTƯỚNG CHÍNH PHỦ**\n-------\n|\n**CỘNG\nHÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM**\nĐộc lập - Tự do - Hạnh phúc\n|\n"
      "|\nSố: 2530/QĐ-TTg\n|\n*Hà Nội, ngày 19\ntháng 11 năm 2025*\n|\n**QUYẾT ĐỊNH**\nPHÊ DUYỆT KẾ HOẠCH HÀNH ĐỘNG\n"
      "**THỦ TƯỚNG CHÍNH PHỦ**\n*Căn cứ Luật Tổ chức Chính phủ;*\n**QUYẾT ĐỊNH:**\n**Điều 1.** Phê duyệt Kế hoạch.\n"
      "|\nNơi nhận:\n- Như trên;\n|\n**KT. THỦ TƯỚNG**\n**PHÓ THỦ TƯỚNG**\n**Trần Hồng Hà**\n|\n"
      "Văn bản này chưa cập nhật nội dung Tiếng Anh\n## Văn bản liên quan\nBan hành:\n17/09/2025\n");
  const DocHeader& h = s.tree.header;
  EXPECT_EQ(Or(h.number), "2530/QĐ-TTg");
  EXPECT_EQ(Or(h.issuer), "Thủ tướng Chính phủ");
  EXPECT_EQ(Or(h.signer), "Trần Hồng Hà");
  EXPECT_FALSE(HasLine(s.tree, "Bản dịch"));
  EXPECT_FALSE(HasLine(s.tree, "Nghiên cứu ứng dụng"));
  EXPECT_FALSE(HasLine(s.tree, "Văn bản liên quan"));
  EXPECT_FALSE(HasLine(s.tree, "17/09/2025"));
  EXPECT_TRUE(HasLine(s.tree, "Phê duyệt Kế hoạch"));
}

TEST(HeaderTest, MarkdownHeaderWithoutBlankLinesOrBars) {
  // A Markdown export whose header cells lost their '|' separators and
  // whose type line is followed by the title with no blank line.
  Segmented s = FromText(
      "Xem chi tiết tại trang văn bản.\n\n**THỦ\nTƯỚNG CHÍNH PHỦ**\n\n-------\n\n**CỘNG**\n"
      "**HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM**\nĐộc lập - Tự do - Hạnh phúc\n\nSố: 2530/QĐ-TTg\n*Hà Nội, ngày 19*\n"
      "*tháng 11 năm 2025*\n**QUYẾT ĐỊNH**\nPHÊ\nDUYỆT KẾ HOẠCH HÀNH ĐỘNG QUỐC GIA\n**THỦ TƯỚNG CHÍNH PHỦ**\n"
      "*Căn cứ Luật Tổ chức Chính phủ;*\n**Điều 1.** Phê duyệt Kế hoạch.\n");
  const DocHeader& h = s.tree.header;
  EXPECT_EQ(Or(h.number), "2530/QĐ-TTg");
  EXPECT_EQ(Or(h.type), "Quyết định");
  EXPECT_EQ(Or(h.issuer), "Thủ tướng Chính phủ");
  EXPECT_EQ(Or(h.date), "2025-11-19");
  EXPECT_EQ(Or(h.title), "PHÊ DUYỆT KẾ HOẠCH HÀNH ĐỘNG QUỐC GIA");
  EXPECT_FALSE(HasLine(s.tree, "Xem chi tiết"));
}

TEST(HeaderTest, TextWithoutPortalEvidenceKeepsItsTail) {
  // A plan's own table of contents heading after the signature is dropped
  // only on portal pages; without a portal banner or a lead before the
  // header, nothing is dropped.
  Segmented s = FromText(
      "Số: 12/KH-UBND\nHà Nội, ngày 02 tháng 01 năm 2025\nKẾ HOẠCH\nCải cách hành chính\nCăn cứ Luật;\n"
      "I. MỤC ĐÍCH\nNơi nhận:\n- Như trên;\nCHỦ TỊCH\nNguyễn Văn An\nMục lục\nI. Mục đích\n",
      "t.txt");
  EXPECT_TRUE(HasLine(s.tree, "Mục lục"));
}

Line PdfLine(const std::string& text, int line, double x0, double x1, int page = 1) {
  Line l;
  l.text = text;
  l.page = page;
  l.line = line;
  l.box = Box{x0, 40.0 + 14 * line, x1, 52.0 + 14 * line};
  return l;
}

Layout PdfLayout(std::vector<Line> lines) {
  Layout layout;
  layout.source = "t.pdf";
  layout.format = Format::kPdf;
  layout.pages.push_back(Page{1, 595, 842, false});
  Block b;
  b.lines = std::move(lines);
  layout.blocks.push_back(std::move(b));
  return layout;
}

TEST(HeaderTest, PdfTwoColumnHeaderAndSigningWidget) {
  Segmented s = FromLayout(PdfLayout({
      PdfLine("UỶ BAN NHÂN DÂN", 1, 60, 190),
      PdfLine("CỘNG HOÀ XÃ HỘI CHỦ NGHĨA VIỆT NAM", 1, 250, 540),
      PdfLine("THỊ XÃ BỈM SƠN", 2, 75, 175),
      PdfLine("Độc lập - Tự do - Hạnh phúc", 2, 300, 490),
      PdfLine("Số: 3070. /KH-UBND", 3, 70, 185),
      PdfLine("Bỉm Sơn, ngày 09 tháng 9 năm 2024", 3, 290, 510),
      PdfLine("KẾ HOẠCH", 4, 260, 330),
      PdfLine("Khắc phục những tồn tại, hạn chế năm 2024", 5, 150, 450),
      PdfLine("Thực hiện Công văn số 1781-CV/TU ngày 27/8/2024 của Tỉnh uỷ.", 6, 70, 530),
      PdfLine("I. MỤC ĐÍCH, YÊU CẦU", 7, 70, 250),
      PdfLine("Nơi nhận:", 8, 70, 130),
      PdfLine("CHỦ TỊCH", 8, 380, 450),
      PdfLine("Trịnh Tuấn Thành", 9, 360, 470),
      PdfLine("Signature Not Verified", 10, 360, 480),
      PdfLine("Ký bởi: Ủy ban nhân dân thị xã Bỉm Sơn", 11, 360, 540),
  }));
  const DocHeader& h = s.tree.header;
  EXPECT_EQ(Or(h.number), "3070/KH-UBND");
  EXPECT_EQ(Or(h.issuer), "Ủy ban nhân dân thị xã Bỉm Sơn");
  EXPECT_EQ(Or(h.place), "Bỉm Sơn");
  EXPECT_EQ(Or(h.date), "2024-09-09");
  EXPECT_EQ(Or(h.signer), "Trịnh Tuấn Thành");
  EXPECT_FALSE(HasLine(s.tree, "Signature Not Verified"));
  EXPECT_FALSE(HasLine(s.tree, "Ký bởi"));
}

TEST(HeaderTest, NonVietnameseTextLayerIsWarnedAndNotRead) {
  Segmented s = FromLayout(PdfLayout({
      PdfLine("8ӸBAN NHÂN DÂN", 1, 60, 190),
      PdfLine("6Ӣ CÔNG 7+ѬѪ1* Ӣ+ӶѫӴ", 1, 250, 540),
      PdfLine("Số: 3070/KH-UBND", 2, 70, 185),
      PdfLine("%ӍP 6ѫQ, ngày 09 tháng 9 năm 2024 ӢѫӴѪ", 2, 290, 510),
      PdfLine("KẾ HOẠCH", 3, 260, 330),
  }));
  EXPECT_TRUE(Warned(s.diag, "text.not_vietnamese"));
  EXPECT_FALSE(s.tree.header.number.has_value());
  EXPECT_FALSE(s.tree.header.date.has_value());
}

TEST(HeaderTest, SignerInASignatureTableRow) {
  Layout layout;
  layout.source = "t.html";
  layout.format = Format::kHtml;
  Block lines;
  int n = 0;
  for (const char* t : {"CHÍNH PHỦ", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Số: 43/2026/NĐ-CP",
                        "Hà Nội, ngày 26 tháng 01 năm 2026", "NGHỊ ĐỊNH", "Sửa đổi một số điều",
                        "Căn cứ Luật Tổ chức Chính phủ;", "Điều 1. Hiệu lực thi hành"}) {
    Line l;
    l.text = t;
    l.line = ++n;
    lines.lines.push_back(l);
  }
  layout.blocks.push_back(lines);
  Block table;
  table.kind = Block::Kind::kTable;
  Row row;
  row.cells.resize(2);
  for (const char* t : {"TM. CHÍNH PHỦ", "KT. THỦ TƯỚNG", "PHÓ THỦ TƯỚNG", "(Đã ký)", "Trần Hồng Hà"}) {
    Line l;
    l.text = t;
    l.line = ++n;
    row.cells[1].lines.push_back(l);
  }
  table.table.rows.push_back(row);
  layout.blocks.push_back(table);
  Block toc;
  for (const char* t : {"Mục lục", "Điều 1. Hiệu lực thi hành"}) {
    Line l;
    l.text = t;
    l.line = ++n;
    toc.lines.push_back(l);
  }
  layout.blocks.push_back(toc);
  Segmented s = FromLayout(layout);
  EXPECT_EQ(Or(s.tree.header.type), "Nghị định");
  EXPECT_EQ(Or(s.tree.header.issuer), "Chính phủ");
  EXPECT_EQ(Or(s.tree.header.signer), "Trần Hồng Hà");
}

TEST(HeaderTest, NumbersAndIssuerCase) {
  struct {
    const char* in;
    const char* want;
  } numbers[] = {{"3070. /KH-UBND", "3070/KH-UBND"}, {"2858 /QĐ-UBND", "2858/QĐ-UBND"}, {"43/2026/NĐ-CP", "43/2026/NĐ-CP"}};
  for (const auto& c : numbers) {
    SCOPED_TRACE(c.in);
    EXPECT_EQ(NormalizeDocNumber(c.in), c.want);
  }
  struct {
    const char* in;
    const char* want;
  } issuers[] = {{"UỶ BAN NHÂN DÂN TỈNH BẮC NINH", "Ủy ban nhân dân tỉnh Bắc Ninh"},
                 {"THỦ TƯỚNG CHÍNH PHỦ", "Thủ tướng Chính phủ"},
                 {"BỘ CÔNG THƯƠNG", "Bộ Công Thương"},
                 {"Bộ Văn hóa, Thể thao và Du lịch", "Bộ Văn hóa, Thể thao và Du lịch"}};
  for (const auto& c : issuers) {
    SCOPED_TRACE(c.in);
    EXPECT_EQ(IssuerCase(c.in, testing::Rules()), c.want);
  }
}

}  // namespace
}  // namespace plantrace
