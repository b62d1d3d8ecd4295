// Segment: header fields, paragraphs, appendices and the numbered hierarchy
// from hand-built text layouts.
#include "pipeline/stages/segment.h"

#include <gtest/gtest.h>

#include <functional>

#include "extractors/readers.h"
#include "pipeline/stages/normalize.h"
#include "tests/test_util.h"

namespace plantrace {
namespace {

DocTree SegmentText(const std::string& text) {
  Diagnostics d;
  auto layout = ReadText(text, "t.txt", &d);
  EXPECT_TRUE(layout.ok());
  auto tree = Segment(Normalize(*layout, &d), testing::Rules(), &d);
  EXPECT_TRUE(tree.ok());
  return *tree;
}

struct HeaderCase {
  const char* id;
  std::string text;
  const char* number;
  const char* place;
  const char* date;
  const char* type;
  const char* title;
  const char* signer;
};

TEST(SegmentTest, Header) {
  const HeaderCase cases[] = {
      {"plain",
       "Số: 102/KH-UBND\nHưng Yên, ngày 19 tháng 5 năm 2025\nKẾ HOẠCH\nTHỰC HIỆN NGHỊ QUYẾT SỐ 71/NQ-CP\n"
       "Căn cứ Nghị quyết số 71/NQ-CP;\nI. MỤC ĐÍCH\n1. Mục đích\nNơi nhận:\n- Như trên;\nTM. ỦY BAN NHÂN DÂN\n"
       "CHỦ TỊCH\nTrần Quốc Văn\n",
       "102/KH-UBND", "Hưng Yên", "2025-05-19", "Kế hoạch", "THỰC HIỆN NGHỊ QUYẾT SỐ 71/NQ-CP", "Trần Quốc Văn"},
      {"spaced-number",
       "Hưng Yên, ngày 10 tháng 4 năm 2026\n\nSố: 125 /KH-BCĐ\n\nKẾ HOẠCH\n\nHoạt động năm 2026\n\n"
       "Căn cứ Nghị quyết số 57-NQ/TW;\n\nI. QUAN ĐIỂM\n\nTRƯỞNG BAN\n\nPhạm Quang Ngọc\n",
       "125/KH-BCĐ", "Hưng Yên", "2026-04-10", "Kế hoạch", "Hoạt động năm 2026", "Phạm Quang Ngọc"},
      {"wrapped-title",
       " QUYẾT ĐỊNH\nBan hành Chương trình phát triển khoa học, công nghệ, \n\nđổi mới sáng tạo tỉnh \n"
       "giai đoạn 2025-2030\n\nỦY BAN NHÂN DÂN TỈNH HƯNG YÊN\n\nCăn cứ Luật Tổ chức chính quyền địa phương;\n",
       nullptr, nullptr, nullptr, "Quyết định",
       "Ban hành Chương trình phát triển khoa học, công nghệ, đổi mới sáng tạo tỉnh giai đoạn 2025-2030", nullptr},
  };
  for (const HeaderCase& c : cases) {
    SCOPED_TRACE(c.id);
    DocTree t = SegmentText(c.text);
    auto eq = [](const std::optional<std::string>& got, const char* want) {
      if (!want) return !got.has_value();
      return got && *got == want;
    };
    EXPECT_TRUE(eq(t.header.number, c.number)) << t.header.number.value_or("-");
    EXPECT_TRUE(eq(t.header.place, c.place)) << t.header.place.value_or("-");
    EXPECT_TRUE(eq(t.header.date, c.date)) << t.header.date.value_or("-");
    EXPECT_TRUE(eq(t.header.type, c.type)) << t.header.type.value_or("-");
    EXPECT_TRUE(eq(t.header.title, c.title)) << t.header.title.value_or("-");
    EXPECT_TRUE(eq(t.header.signer, c.signer)) << t.header.signer.value_or("-");
  }
}

TEST(SegmentTest, HierarchyAndAppendices) {
  DocTree t = SegmentText(
      "KẾ HOẠCH\nVề việc thử\nI- NHIỆM VỤ\n1- Việc một\na) Ý a\n- gạch một\n+ cộng một\nb) Ý b\n2. Việc hai\n"
      "II. TỔ CHỨC THỰC HIỆN\nSở Tài chính chủ trì.\nPHỤ LỤC II\nDANH MỤC NHIỆM VỤ\n"
      "(Kèm theo Kế hoạch số 1/KH)\n");
  ASSERT_EQ(t.parts.size(), 2u);
  EXPECT_EQ(t.parts[1].label, "PHỤ LỤC II");
  EXPECT_EQ(t.parts[1].title, "DANH MỤC NHIỆM VỤ");
  EXPECT_EQ(t.parts[1].caption, "(Kèm theo Kế hoạch số 1/KH)");
  const std::vector<Node>& top = t.parts[0].nodes;
  ASSERT_EQ(top.size(), 2u);
  EXPECT_EQ(top[0].marker, "I-");
  EXPECT_EQ(top[0].text, "NHIỆM VỤ");
  ASSERT_EQ(top[0].children.size(), 2u);  // 1- and 2.
  const Node& one = top[0].children[0];
  EXPECT_EQ(one.label, "1");
  ASSERT_EQ(one.children.size(), 2u);  // a) and b)
  EXPECT_EQ(one.children[0].style, "letter");
  ASSERT_EQ(one.children[0].children.size(), 1u);  // the dash item
  EXPECT_EQ(one.children[0].children[0].children.size(), 1u);  // the plus item under it
  EXPECT_EQ(top[1].children.size(), 1u);
  EXPECT_EQ(top[1].children[0].kind, Node::Kind::kParagraph);
}

TEST(SegmentTest, WrappedLinesRejoined) {
  // PDF text: every line followed by a blank line, sentences across lines.
  std::string text = "KẾ HOẠCH\n\nVề việc thử\n\nI. MỤC ĐÍCH\n\n";
  text += "a) Tuyên truyền, quán triệt, phổ biến đến toàn thể cán bộ, công chức, viên \n\n";
  text += "chức, người lao động trong tỉnh và triển khai kịp thời, có hiệu quả quan điểm \n\n";
  text += "chỉ đạo, mục tiêu, nhiệm vụ, giải pháp trong Nghị quyết số 57-NQ/TW.\n\n";
  text += "b) Ý thứ hai ngắn.\n";
  DocTree t = SegmentText(text);
  ASSERT_EQ(t.parts[0].nodes.size(), 1u);
  const Node& sec = t.parts[0].nodes[0];
  ASSERT_EQ(sec.children.size(), 2u);
  EXPECT_EQ(sec.children[0].text,
            "Tuyên truyền, quán triệt, phổ biến đến toàn thể cán bộ, công chức, viên chức, người lao động trong "
            "tỉnh và triển khai kịp thời, có hiệu quả quan điểm chỉ đạo, mục tiêu, nhiệm vụ, giải pháp trong Nghị "
            "quyết số 57-NQ/TW.");
}

// A printed page wraps its lines however long they are (a small font): a
// line that goes on with a capitalised name ("Hưng" / "Yên") is joined.
TEST(SegmentTest, LongPrintedLinesAreWrapped) {
  Layout l;
  l.format = Format::kPdf;
  l.pages.push_back(Page{});
  Block b;
  const std::vector<std::string> lines = {
      "Căn cứ Kế hoạch số 386-KH/TU ngày 13/02/2025 của Ban Thường vụ Tỉnh ủy về phát triển khoa học, công nghệ, "
      "đổi mới sáng tạo của tỉnh Hưng",
      "Yên thực hiện Nghị quyết số 57-NQ/TW ngày 22/12/2024 của Bộ Chính trị về đột phá phát triển khoa học, công "
      "nghệ, đổi mới sáng tạo và",
      "chuyển đổi số quốc gia (sau đây gọi tắt là Kế hoạch số 386-KH/TU), Ủy ban nhân dân tỉnh ban hành Kế hoạch "
      "thực hiện như sau:"};
  for (size_t i = 0; i < lines.size(); ++i) {
    Line line;
    line.text = lines[i];
    line.line = static_cast<int>(i + 1);
    b.lines.push_back(line);
  }
  l.blocks.push_back(b);
  Diagnostics d;
  Result<DocTree> t = Segment(l, testing::Rules(), &d);
  ASSERT_TRUE(t.ok());
  ASSERT_EQ(t->parts.size(), 1u);
  ASSERT_EQ(t->parts[0].nodes.size(), 1u);
  EXPECT_EQ(t->parts[0].nodes[0].text, lines[0] + " " + lines[1] + " " + lines[2]);
}

}  // namespace
}  // namespace plantrace

namespace plantrace {
namespace {

// A resolution of the National Assembly's Standing Committee: the issuer is
// printed under the title, no place or date line; the date is the day of
// adoption in the closing formula, which also ends the body (the recipients
// below it lost their label in the export).
TEST(SegmentTest, ResolutionDatedByItsClosingFormula) {
  DocTree t = SegmentText(
      "Số: 1656/NQ-UBTVQH15\nNGHỊ QUYẾT\nVề việc sắp xếp các đơn vị hành chính cấp xã\n"
      "ỦY BAN THƯỜNG VỤ QUỐC HỘI\nCăn cứ Hiến pháp nước Cộng hòa xã hội chủ nghĩa Việt Nam;\nQUYẾT NGHỊ:\n"
      "Điều 1. Tổ chức thực hiện\n1. Giao Chính phủ tổ chức thi hành Nghị quyết này.\n"
      "Nghị quyết này được Ủy ban Thường vụ Quốc hội khóa XV thông qua ngày 16 tháng 4 năm 2025.\n"
      "- Chính phủ; - Ban Tổ chức Trung ương; - Lưu: HC.\n");
  EXPECT_EQ(t.header.date.value_or(""), "2025-04-16");
  EXPECT_EQ(t.header.issuer.value_or(""), "Ủy ban Thường vụ Quốc hội");
  EXPECT_EQ(t.header.title.value_or(""), "Về việc sắp xếp các đơn vị hành chính cấp xã");
  std::string body;
  std::function<void(const std::vector<Node>&)> walk = [&](const std::vector<Node>& nodes) {
    for (const Node& n : nodes) {
      body += n.text + "\n";
      walk(n.children);
    }
  };
  for (const DocPart& p : t.parts) walk(p.nodes);
  EXPECT_NE(body.find("thông qua ngày 16"), std::string::npos);
  EXPECT_EQ(body.find("Ban Tổ chức Trung ương"), std::string::npos) << body;
}

}  // namespace
}  // namespace plantrace
