// DOCX reader: gridSpan/vMerge mapping, numbering, hostile archives (external
// entity, zip bombs, truncation), HTML/DOCX agreement on the same plan, and
// Word files as drafted (footnotes, text boxes, column-number rows), built
// here from XML strings zipped with libzip (testing::MakeZip).
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include "extractors/readers.h"
#include "pipeline/stages/process.h"
#include "tests/test_util.h"

namespace plantrace {
namespace {

std::string Fixture(const std::string& dir, const std::string& name) {
  return testing::ReadFileOrDie(testing::SourceDir() + "/tests/data/" + dir + "/" + name);
}

const Table* FirstTable(const Layout& layout) {
  for (const Block& b : layout.blocks) {
    if (b.kind == Block::Kind::kTable) return &b.table;
  }
  return nullptr;
}

// Line texts outside tables, then each table as "rowspan x colspan text" cells.
std::string TextShape(const Layout& layout) {
  std::string s;
  for (const Block& b : layout.blocks) {
    for (const Line& l : b.lines) s += l.text + "\n";
    for (const Row& r : b.table.rows) {
      s += "row";
      for (const Cell& c : r.cells) {
        s += " | " + std::to_string(c.row_span) + "x" + std::to_string(c.col_span) + " " + c.Text(" / ");
      }
      s += "\n";
    }
  }
  return s;
}

TEST(DocxReader, TableSpansNumberingAndLayoutTables) {
  Diagnostics diag;
  Result<Layout> r = ReadDocx(Fixture("docx", "spans.docx"), "spans.docx", ReadLimits{}, &diag);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->format, Format::kDocx);
  const Table* t = FirstTable(*r);
  ASSERT_NE(t, nullptr);
  ASSERT_EQ(t->rows.size(), 5u);
  struct Expect {
    const char* id;
    size_t row, cell;
    const char* text;
    int row_span, col_span;
    bool header;
  };
  const std::vector<Expect> cases = {
      {"tblHeader", 0, 0, "TT", 1, 1, true},
      {"gridSpan", 1, 1, "Hoàn thiện thể chế", 1, 3, false},
      {"vMerge.restart", 2, 2, "Sở Nội vụ", 2, 1, false},
      {"cell.paragraphs", 2, 1, "Xây dựng quy chế / phối hợp liên ngành", 1, 1, false},
      {"vMerge.continue.omitted", 3, 2, "Năm 2025", 1, 1, false},
      {"after.merge", 4, 2, "Sở Tài chính", 1, 1, false},
  };
  for (const Expect& e : cases) {
    SCOPED_TRACE(e.id);
    ASSERT_LT(e.cell, t->rows[e.row].cells.size());
    const Cell& c = t->rows[e.row].cells[e.cell];
    EXPECT_EQ(c.Text(" / "), e.text);
    EXPECT_EQ(c.row_span, e.row_span);
    EXPECT_EQ(c.col_span, e.col_span);
    EXPECT_EQ(c.header, e.header);
  }
  EXPECT_TRUE(t->rows[0].header);
  EXPECT_EQ(t->rows[3].cells.size(), 3u);

  struct LineExpect {
    const char* id;
    const char* text;
    bool bold;
    int heading;
  };
  const std::vector<LineExpect> lines = {
      {"layout.table.text", "ỦY BAN NHÂN DÂN", false, 0},
      {"bold.run", "KẾ HOẠCH", true, 0},
      {"heading.style", "Triển khai chuyển đổi số năm 2025", true, 2},
      {"numbering.upperRoman.1", "I. Mục đích", false, 0},
      {"numbering.upperRoman.2", "II. Yêu cầu", false, 0},
      {"numbering.lowerLetter", "a) Bảo đảm tiến độ", false, 0},
      {"numbering.bullet", "- Ghi chú", false, 0},
      {"entity.amp", "Phần một & hai", false, 0},
  };
  for (const LineExpect& e : lines) {
    SCOPED_TRACE(e.id);
    const Line* found = nullptr;
    for (const Block& b : r->blocks) {
      for (const Line& l : b.lines) {
        if (l.text == e.text) found = &l;
      }
    }
    ASSERT_NE(found, nullptr);
    EXPECT_EQ(found->bold, e.bold);
    EXPECT_EQ(found->heading_level, e.heading);
  }
}

TEST(DocxReader, HostileArchives) {
  const std::string spans = Fixture("docx", "spans.docx");
  struct Case {
    const char* id;
    std::string bytes;
    size_t max_entry;
    size_t max_entries;
    std::vector<std::string> message_parts;
  };
  const std::vector<Case> cases = {
      {"external.entity", Fixture("docx", "xxe.docx"), 64u << 20, 2000, {"word/document.xml", "DOCTYPE"}},
      {"bomb.declared", Fixture("docx", "bomb.docx"), 1u << 20, 2000, {"word/document.xml", "declares"}},
      {"bomb.lying", Fixture("docx", "bomb_lying.docx"), 1u << 20, 2000, {"word/document.xml"}},
      {"truncated.half", spans.substr(0, spans.size() / 2), 64u << 20, 2000, {"truncated"}},
      {"truncated.tail", spans.substr(0, spans.size() - 10), 64u << 20, 2000, {"truncated"}},
      {"too.many.entries", spans, 64u << 20, 1, {"entries"}},
      {"not.a.zip", "PK\x03\x04garbage", 64u << 20, 2000, {"zip"}},
      {"empty", "", 64u << 20, 2000, {"empty"}},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.id);
    ReadLimits limits;
    limits.max_unzipped_entry = c.max_entry;
    limits.max_zip_entries = c.max_entries;
    Diagnostics diag;
    const std::string source = std::string(c.id) + ".docx";
    Result<Layout> r = ReadDocx(c.bytes, source, limits, &diag);
    ASSERT_FALSE(r.ok()) << TextShape(*r);
    EXPECT_NE(r.status().message().find(source), std::string::npos) << r.status().message();
    for (const std::string& p : c.message_parts) {
      EXPECT_NE(r.status().message().find(p), std::string::npos) << r.status().message();
    }
  }
}

TEST(DocxReader, BombLyingAboutItsSizeIsStoppedWhileInflating) {
  ReadLimits limits;
  limits.max_unzipped_entry = 1u << 20;
  Diagnostics diag;
  Result<Layout> r = ReadDocx(Fixture("docx", "bomb_lying.docx"), "b.docx", limits, &diag);
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().message().find("inflates beyond"), std::string::npos) << r.status().message();
}

TEST(DocxReader, SameTableAsTheHtmlFixture) {
  Diagnostics diag;
  Result<Layout> docx = ReadDocx(Fixture("docx", "spans.docx"), "spans.docx", ReadLimits{}, &diag);
  Result<Layout> html = ReadHtml(Fixture("html", "clean.html"), "clean.html", ReadLimits{}, &diag);
  ASSERT_TRUE(docx.ok()) << docx.status().ToString();
  ASSERT_TRUE(html.ok()) << html.status().ToString();
  EXPECT_EQ(TextShape(*docx), TextShape(*html));
}

// The corpus renders each plan as HTML and as DOCX: both must give the same
// lines and the same table cells with the same spans.
TEST(DocxReader, CorpusHtmlAndDocxAgree) {
  const std::filesystem::path dir = testing::SharedDir() + "/corpus";
  if (!std::filesystem::exists(dir)) GTEST_SKIP() << "no corpus at " << dir;
  int compared = 0;
  for (const auto& entry : std::filesystem::directory_iterator(dir)) {
    if (entry.path().extension() != ".docx") continue;
    std::filesystem::path html_path = entry.path();
    html_path.replace_extension(".html");
    if (!std::filesystem::exists(html_path)) continue;
    SCOPED_TRACE(entry.path().stem().string());
    Diagnostics diag;
    Result<Layout> docx = ReadDocx(testing::ReadFileOrDie(entry.path()), entry.path(), ReadLimits{}, &diag);
    Result<Layout> html = ReadHtml(testing::ReadFileOrDie(html_path), html_path, ReadLimits{}, &diag);
    ASSERT_TRUE(docx.ok()) << docx.status().ToString();
    ASSERT_TRUE(html.ok()) << html.status().ToString();
    EXPECT_EQ(TextShape(*docx), TextShape(*html));
    ++compared;
  }
  EXPECT_GT(compared, 0);
}

constexpr const char* kNs =
    "xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\" "
    "xmlns:mc=\"http://schemas.openxmlformats.org/markup-compatibility/2006\" "
    "xmlns:wp=\"http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing\" "
    "xmlns:wps=\"http://schemas.microsoft.com/office/word/2010/wordprocessingShape\" "
    "xmlns:wpg=\"http://schemas.microsoft.com/office/word/2010/wordprocessingGroup\" "
    "xmlns:a=\"http://schemas.openxmlformats.org/drawingml/2006/main\" "
    "xmlns:v=\"urn:schemas-microsoft-com:vml\"";

// A DOCX whose w:body holds `body`, with further parts (name -> XML) as given.
std::string MakeDocx(const std::string& body, const std::map<std::string, std::string>& parts = {}) {
  std::map<std::string, std::string> members = parts;
  members["word/document.xml"] = std::string("<?xml version=\"1.0\" encoding=\"UTF-8\"?><w:document ") + kNs +
                                 "><w:body>" + body + "</w:body></w:document>";
  return testing::MakeZip(members);
}

std::string P(const std::string& runs) { return "<w:p>" + runs + "</w:p>"; }
std::string R(const std::string& text) { return "<w:r><w:t xml:space=\"preserve\">" + text + "</w:t></w:r>"; }
std::string Tc(const std::string& text, const std::string& pr = "") {
  return "<w:tc>" + (pr.empty() ? "" : "<w:tcPr>" + pr + "</w:tcPr>") + P(R(text)) + "</w:tc>";
}
std::string Tr(const std::vector<std::string>& cells, const std::string& pr = "") {
  std::string s = "<w:tr>" + (pr.empty() ? "" : "<w:trPr>" + pr + "</w:trPr>");
  for (const std::string& c : cells) s += c.starts_with("<w:tc>") ? c : Tc(c);
  return s + "</w:tr>";
}
std::string Tbl(const std::string& rows) {
  return "<w:tbl><w:tblPr><w:tblBorders><w:top w:val=\"single\"/></w:tblBorders></w:tblPr>" + rows + "</w:tbl>";
}

std::string Notes(const char* root, const char* note, const std::vector<std::pair<std::string, std::string>>& notes) {
  std::string s = std::string("<?xml version=\"1.0\"?><w:") + root + " " + kNs + ">" + "<w:" + note +
                  " w:type=\"separator\" w:id=\"-1\">" + P("<w:r><w:separator/></w:r>") + "</w:" + note + ">";
  for (const auto& [id, paras] : notes) s += std::string("<w:") + note + " w:id=\"" + id + "\">" + paras + "</w:" + note + ">";
  return s + "</w:" + root + ">";
}

// The document as text: lines "L: text", table rows "T: cell | cell".
std::string Flat(const Layout& layout) {
  std::string s;
  for (const Block& b : layout.blocks) {
    for (const Line& l : b.lines) s += "L: " + l.text + "\n";
    for (const Row& r : b.table.rows) {
      s += r.header ? "H:" : "T:";
      for (const Cell& c : r.cells) s += " | " + c.Text(" / ");
      s += "\n";
    }
  }
  return s;
}

TEST(DocxReader, WordAsDrafted) {
  const std::string fn_ref = "<w:r><w:rPr><w:rStyle w:val=\"FootnoteReference\"/></w:rPr><w:footnoteReference w:id=\"1\"/></w:r>";
  const std::string footnotes = Notes(
      "footnotes", "footnote",
      {{"1", P("<w:r><w:footnoteRef/></w:r>" + R(" Nghị quyết số 57-NQ/TW ngày 22/12/2024") + "<w:r><w:br/></w:r>" +
               R("của Bộ Chính trị về đột phá phát triển khoa học, công nghệ"))},
       {"2", P(R("Quyết định số 749/QĐ-TTg ngày 03/6/2020")) + P(R("của Thủ tướng Chính phủ"))}});
  const std::string endnotes =
      Notes("endnotes", "endnote", {{"3", P(R("Kế hoạch số 102/KH-UBND ngày 19/5/2025 của UBND tỉnh"))}});
  // One text box as Word 2010+ writes it: a DrawingML shape, then the same
  // box in VML for older readers.
  const std::string box =
      "<w:r><mc:AlternateContent><mc:Choice Requires=\"wps\"><w:drawing><wp:anchor>"
      "<wp:positionH relativeFrom=\"column\"><wp:posOffset>914400</wp:posOffset></wp:positionH>"
      "<wp:positionV relativeFrom=\"page\"><wp:align>top</wp:align></wp:positionV>"
      "<a:graphic><a:graphicData><wps:wsp><wps:txbx><w:txbxContent>" +
      P(R("DỰ THẢO")) + "</w:txbxContent></wps:txbx></wps:wsp></a:graphicData></a:graphic></wp:anchor></w:drawing>"
      "</mc:Choice><mc:Fallback><w:pict><v:shape><v:textbox><w:txbxContent>" +
      P(R("DỰ THẢO")) + "</w:txbxContent></v:textbox></v:shape></w:pict></mc:Fallback></mc:AlternateContent></w:r>";
  const std::string group =
      "<w:r><w:drawing><wp:inline><a:graphic><a:graphicData><wpg:wgp>"
      "<wps:wsp><wps:txbx><w:txbxContent>" + P(R("Hộp một")) + "</w:txbxContent></wps:txbx></wps:wsp>"
      "<wps:wsp><wps:txbx><w:txbxContent>" + P(R("Hộp hai")) + "</w:txbxContent></wps:txbx></wps:wsp>"
      "</wpg:wgp></a:graphicData></a:graphic></wp:inline></w:drawing></w:r>";
  const std::string header = Tr({"TT", "Nội dung công việc", "Cơ quan chủ trì", "Thời gian hoàn thành"},
                                "<w:tblHeader/>");
  struct Case {
    const char* id;
    std::string body;
    std::map<std::string, std::string> parts;
    std::vector<std::string> present;  // lines of Flat() that must appear, in this order
    std::vector<std::string> absent;   // substrings that must not appear
  };
  const std::vector<Case> cases = {
      {"footnote.after.paragraph",
       P(R("Thực hiện Nghị quyết số 57") + fn_ref + R(" của Bộ Chính trị.")) + P(R("Tiếp theo.")),
       {{"word/footnotes.xml", footnotes}},
       {"L: Thực hiện Nghị quyết số 57 của Bộ Chính trị.",
        "L: Nghị quyết số 57-NQ/TW ngày 22/12/2024 của Bộ Chính trị về đột phá phát triển khoa học, công nghệ",
        "L: Tiếp theo."},
       {"571", "separator"}},
      {"footnote.paragraphs.join",
       P(R("Theo Quyết định") + "<w:r><w:footnoteReference w:id=\"2\"/></w:r>"),
       {{"word/footnotes.xml", footnotes}},
       {"L: Theo Quyết định", "L: Quyết định số 749/QĐ-TTg ngày 03/6/2020 của Thủ tướng Chính phủ"},
       {}},
      {"endnote", P(R("Căn cứ Kế hoạch") + "<w:r><w:endnoteReference w:id=\"3\"/></w:r>"),
       {{"word/endnotes.xml", endnotes}},
       {"L: Căn cứ Kế hoạch", "L: Kế hoạch số 102/KH-UBND ngày 19/5/2025 của UBND tỉnh"},
       {}},
      {"footnote.cited.twice.written.once",
       P(R("Một") + fn_ref) + P(R("Hai") + fn_ref),
       {{"word/footnotes.xml", footnotes}},
       {"L: Một", "L: Nghị quyết số 57-NQ/TW ngày 22/12/2024 của Bộ Chính trị về đột phá phát triển khoa học, công nghệ",
        "L: Hai"},
       {}},
      {"footnote.in.cell.after.table",
       Tbl(header + Tr({"1", "<w:tc>" + P(R("Triển khai Nghị quyết") + fn_ref) + "</w:tc>", "Sở Khoa học và Công nghệ",
                        "Năm 2025"})) +
           P(R("Sau bảng.")),
       {{"word/footnotes.xml", footnotes}},
       {"T: | 1 | Triển khai Nghị quyết | Sở Khoa học và Công nghệ | Năm 2025",
        "L: Nghị quyết số 57-NQ/TW ngày 22/12/2024 của Bộ Chính trị về đột phá phát triển khoa học, công nghệ",
        "L: Sau bảng."},
       {}},
      {"footnote.part.missing", P(R("Không có chú thích") + fn_ref), {}, {"L: Không có chú thích"}, {}},
      {"textbox.alternate.content.once", P(R("KẾ HOẠCH") + box) + P(R("Tiếp theo.")), {},
       {"L: KẾ HOẠCH", "L: DỰ THẢO", "L: Tiếp theo."}, {"914400", "top"}},
      {"textbox.alternate.content.at.paragraph.level",
       "<w:p>" + R("Trước") + "<mc:AlternateContent><mc:Choice Requires=\"wps\">" + R("một lần") +
           "</mc:Choice><mc:Fallback>" + R("một lần") + "</mc:Fallback></mc:AlternateContent></w:p>",
       {},
       {"L: Trướcmột lần"},
       {"một lầnmột lần"}},
      {"textbox.group.two.boxes", P(group), {}, {"L: Hộp một", "L: Hộp hai"}, {}},
      {"textbox.holds.table",
       P("<w:r><w:drawing><wp:anchor><a:graphic><a:graphicData><wps:wsp><wps:txbx><w:txbxContent>" +
         Tbl(header + Tr({"1", "Rà soát thủ tục hành chính", "Văn phòng UBND tỉnh", "Quý III/2025"})) + P("") +
         "</w:txbxContent></wps:txbx></wps:wsp></a:graphicData></a:graphic></wp:anchor></w:drawing></w:r>"),
       {},
       {"H: | TT | Nội dung công việc | Cơ quan chủ trì | Thời gian hoàn thành",
        "T: | 1 | Rà soát thủ tục hành chính | Văn phòng UBND tỉnh | Quý III/2025"},
       {}},
      {"column.numbers.parenthesised",
       Tbl(header + Tr({"(1)", "(2)", "(3)", "(4)"}) + Tr({"1", "Rà soát", "Sở Tư pháp", "Năm 2025"})),
       {},
       {"H: | TT | Nội dung công việc | Cơ quan chủ trì | Thời gian hoàn thành",
        "T: | 1 | Rà soát | Sở Tư pháp | Năm 2025"},
       {"(2)"}},
      {"column.numbers.bare.no.header.mark",
       Tbl(Tr({"STT", "Nhiệm vụ", "Đơn vị chủ trì", "Thời hạn"}) + Tr({"1", "2", "3", "4"}) +
           Tr({"1", "Rà soát", "Sở Tư pháp", "Năm 2025"})),
       {},
       {"T: | STT | Nhiệm vụ | Đơn vị chủ trì | Thời hạn", "T: | 1 | Rà soát | Sở Tư pháp | Năm 2025"},
       {"T: | 1 | 2 | 3 | 4"}},
      {"column.numbers.not.a.count.of.values",
       Tbl(Tr({"Chỉ tiêu", "2023", "2024", "2025"}) + Tr({"Số doanh nghiệp", "1", "2", "3"})),
       {},
       {"T: | Số doanh nghiệp | 1 | 2 | 3"},
       {}},
      {"header.repeated.by.hand",
       Tbl(header + Tr({"1", "Rà soát", "Sở Tư pháp", "Năm 2025"}) +
           Tr({"TT", "Nội dung công việc", "Cơ quan chủ trì", "Thời gian hoàn thành"}) + Tr({"(1)", "(2)", "(3)", "(4)"}) +
           Tr({"2", "Báo cáo", "Sở Nội vụ", "Tháng 12/2025"})),
       {},
       {"H: | TT | Nội dung công việc | Cơ quan chủ trì | Thời gian hoàn thành", "T: | 1 | Rà soát | Sở Tư pháp | Năm 2025",
        "T: | 2 | Báo cáo | Sở Nội vụ | Tháng 12/2025"},
       {"T: | TT", "(3)"}},
      {"vmerge.and.rows.in.content.control",
       Tbl(header + Tr({"1", "Rà soát", Tc("Sở Tư pháp", "<w:vMerge w:val=\"restart\"/>"), "Năm 2025"}) +
           "<w:sdt><w:sdtContent>" + Tr({"2", "Báo cáo", Tc("", "<w:vMerge/>"), "Tháng 12/2025"}) +
           "</w:sdtContent></w:sdt>"),
       {},
       {"T: | 1 | Rà soát | Sở Tư pháp | Năm 2025", "T: | 2 | Báo cáo | Tháng 12/2025"},
       {}},
      {"grid.with.one.nested.table.stays.a.grid",
       Tbl(header + Tr({"1", "<w:tc>" + P(R("Đầu tư hạ tầng")) + Tbl(Tr({"Năm 2025", "Năm 2026"})) + P("") + "</w:tc>",
                        "Sở Xây dựng", "2025-2026"}) +
           Tr({"2", "Rà soát", "Sở Tư pháp", "Năm 2025"}) + Tr({"3", "Báo cáo", "Sở Nội vụ", "Năm 2026"})),
       {},
       {"H: | TT | Nội dung công việc | Cơ quan chủ trì | Thời gian hoàn thành",
        "T: | 1 | Đầu tư hạ tầng / Năm 2025 / Năm 2026 | Sở Xây dựng | 2025-2026", "T: | 3 | Báo cáo | Sở Nội vụ | Năm 2026"},
       {}},
      {"frame.table.holds.the.grid",
       Tbl(Tr({"<w:tc>" + P(R("PHỤ LỤC")) +
               Tbl(header + Tr({"1", "Rà soát", "Sở Tư pháp", "Năm 2025"})) + P("") + "</w:tc>"})),
       {},
       {"L: PHỤ LỤC", "H: | TT | Nội dung công việc | Cơ quan chủ trì | Thời gian hoàn thành",
        "T: | 1 | Rà soát | Sở Tư pháp | Năm 2025"},
       {}},
      {"draft.number.blank",
       P(R("Số:") + "<w:r><w:t xml:space=\"preserve\">      </w:t></w:r><w:r><w:tab/></w:r>" + R("/KH-UBND")),
       {},
       {"L: Số: /KH-UBND"},
       {}},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.id);
    Diagnostics diag;
    Result<Layout> r = ReadDocx(MakeDocx(c.body, c.parts), std::string(c.id) + ".docx", ReadLimits{}, &diag);
    ASSERT_TRUE(r.ok()) << r.status().ToString();
    const std::string flat = Flat(*r);
    size_t pos = 0;
    for (const std::string& line : c.present) {
      size_t at = flat.find(line + "\n", pos);
      EXPECT_NE(at, std::string::npos) << "missing or out of order: " << line << "\n" << flat;
      if (at != std::string::npos) pos = at + line.size();
    }
    for (const std::string& bad : c.absent) EXPECT_EQ(flat.find(bad), std::string::npos) << bad << "\n" << flat;
  }
}

// Through the whole pipeline: a document cited only in a footnote is a
// reference, and the column-number row under an appendix table's titles is
// not a task.
TEST(DocxReader, FootnoteReferencesAndAppendixTableReachTheRecord) {
  const std::string footnotes = Notes(
      "footnotes", "footnote",
      {{"1", P("<w:r><w:footnoteRef/></w:r>" + R(" Nghị quyết số 57-NQ/TW ngày 22/12/2024") + "<w:r><w:br/></w:r>" +
               R("của Bộ Chính trị về đột phá phát triển khoa học, công nghệ"))}});
  const std::string body =
      P(R("ỦY BAN NHÂN DÂN")) + P(R("TỈNH HƯNG YÊN")) + P(R("Số:      /KH-UBND")) + P(R("KẾ HOẠCH")) +
      P(R("Triển khai chuyển đổi số năm 2025")) + P(R("I. MỤC ĐÍCH, YÊU CẦU")) +
      P(R("Triển khai Nghị quyết của Bộ Chính trị") + "<w:r><w:footnoteReference w:id=\"1\"/></w:r>" + R(".")) +
      P(R("II. TỔ CHỨC THỰC HIỆN")) + P(R("Các sở, ngành thực hiện nhiệm vụ tại Phụ lục kèm theo.")) +
      P(R("Phụ lục")) + P(R("DANH MỤC NHIỆM VỤ")) +
      Tbl(Tr({"TT", "Nội dung công việc", "Cơ quan chủ trì", "Thời gian hoàn thành"}, "<w:tblHeader/>") +
          Tr({"(1)", "(2)", "(3)", "(4)"}) + Tr({"1", "Rà soát thủ tục hành chính", "Sở Tư pháp", "Năm 2025"}) +
          Tr({"2", "Xây dựng cơ sở dữ liệu", "Sở Nội vụ", "Tháng 12/2025"}));
  Result<Record> rec = ProcessDocument(MakeDocx(body, {{"word/footnotes.xml", footnotes}}), "draft.docx",
                                       testing::Rules());
  ASSERT_TRUE(rec.ok()) << rec.status().ToString();
  bool cited = false;
  for (const Reference& r : rec->references) cited = cited || r.number == "57-NQ/TW";
  EXPECT_TRUE(cited) << "the footnote's reference is missing";
  std::vector<std::string> names;
  for (const Task& t : rec->tasks) names.push_back(t.name);
  struct Case {
    const char* id;
    std::string name;
    bool present;
  };
  const std::vector<Case> cases = {
      {"row.1", "Rà soát thủ tục hành chính", true},
      {"row.2", "Xây dựng cơ sở dữ liệu", true},
      {"column.numbers", "(2)", false},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.id);
    EXPECT_EQ(std::find(names.begin(), names.end(), c.name) != names.end(), c.present);
  }
}

}  // namespace
}  // namespace plantrace
