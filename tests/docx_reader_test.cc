// DOCX reader: gridSpan/vMerge mapping, numbering, hostile archives (external
// entity, zip bombs, truncation), and HTML/DOCX agreement on the same plan.
#include <gtest/gtest.h>

#include <filesystem>
#include <string>
#include <vector>

#include "extractors/readers.h"
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
  const std::filesystem::path dir = "/work/shared/corpus";
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

}  // namespace
}  // namespace plantrace
