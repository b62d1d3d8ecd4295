// Tests of the PDF reader (extractors/pdf_reader.cc, pdf_geometry.cc) on the
// fixtures of tests/data/pdf (made by scripts/make_test_pdfs.py) and, when
// present, the shared corpus.
#include <gtest/gtest.h>

#include <filesystem>
#include <set>
#include <string>
#include <vector>

#include "extractors/pdf_geometry.h"
#include "extractors/readers.h"
#include "pipeline/stages/doctree.h"
#include "tests/test_util.h"

namespace plantrace {
namespace {

using ::plantrace::testing::ReadFileOrDie;
using ::plantrace::testing::SharedDir;
using ::plantrace::testing::SourceDir;

std::string Fixture(const std::string& name) { return SourceDir() + "/tests/data/pdf/" + name; }
// Hostile files of the bad-input corpus (scripts/make_bad_inputs.py).
std::string Bad(const std::string& name) { return SourceDir() + "/tests/data/bad/" + name; }

Result<Layout> Read(const std::string& path, Diagnostics* diag, ReadLimits limits = ReadLimits()) {
  std::string bytes = ReadFileOrDie(path);
  return ReadPdf(bytes, path, limits, diag);
}

// "H|TT|Name" style rendering of a row: cells joined by '|', spans as {RxC},
// lines of a cell joined by " / ".
std::string RowText(const Row& r) {
  std::string s = r.header ? "H" : "R";
  for (const Cell& c : r.cells) {
    s += "|";
    if (c.row_span > 1 || c.col_span > 1) s += "{" + std::to_string(c.row_span) + "x" + std::to_string(c.col_span) + "}";
    s += c.Text(" / ");
  }
  return s;
}

std::vector<const Line*> AllTextLines(const Layout& l) {
  std::vector<const Line*> out;
  for (const Block& b : l.blocks) {
    if (b.kind != Block::Kind::kLines) continue;
    for (const Line& line : b.lines) out.push_back(&line);
  }
  return out;
}

TEST(PdfReaderTest, BadInputGivesErrorNamingTheFile) {
  struct Case {
    const char* id;
    std::string path;
    std::string bytes;  // used when path is empty
    int max_pages;
    const char* reason;
  };
  const std::vector<Case> cases = {
      {"encrypted", Fixture("encrypted.pdf"), "", 5000, "encrypted"},
      {"truncated", Fixture("truncated.pdf"), "", 5000, "damaged or truncated"},
      {"zero-pages", Fixture("zero_pages.pdf"), "", 5000, "no pages"},
      {"image-only", Fixture("image_only.pdf"), "", 5000, "no page has a text layer"},
      {"over-page-limit", Fixture("text.pdf"), "", 2, "over the limit"},
      {"garbage", "", "%PDF-1.4\nthis is not a pdf at all\n", 5000, "PDF"},
      {"header-only", "", "%PDF-", 5000, "PDF"},
      {"page-tree-loop", Bad("page-tree-loop.pdf"), "", 5000, "page tree is damaged"},
      {"graphics-state-bomb", Bad("graphics-state-bomb.pdf"), "", 5000, "nest graphics states deeper than 1000"},
      {"unreadable-content", Bad("deep-arrays.pdf"), "", 5000, "no page has text or images"},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.id);
    std::string name = c.path.empty() ? std::string("mem-") + c.id + ".pdf" : c.path;
    std::string bytes = c.path.empty() ? c.bytes : ReadFileOrDie(c.path);
    ReadLimits limits;
    limits.max_pages = c.max_pages;
    Diagnostics diag;
    Result<Layout> r = ReadPdf(bytes, name, limits, &diag);
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.status().code(), Status::Code::kInvalidInput);
    EXPECT_NE(r.status().message().find(name), std::string::npos) << r.status().message();
    EXPECT_NE(r.status().message().find(c.reason), std::string::npos) << r.status().message();
  }
}

// Poppler copies the graphics state at every "q" without bound: a page
// nesting them past the reader's limit is read up to there, with a warning.
TEST(PdfReaderTest, DeepGraphicsStatesCutThePageNotTheDocument) {
  std::string content = "BT /F1 10 Tf 20 350 Td (Before) Tj ET\n";
  for (int i = 0; i < 1500; ++i) content += "q ";
  content += "BT /F1 10 Tf 20 300 Td (After) Tj ET\n";
  // No xref: Poppler rebuilds it by scanning the objects.
  const std::string pdf =
      "%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n"
      "2 0 obj << /Type /Pages /Kids [3 0 R] /Count 1 >> endobj\n"
      "3 0 obj << /Type /Page /Parent 2 0 R /MediaBox [0 0 300 400] /Contents 4 0 R "
      "/Resources << /Font << /F1 5 0 R >> >> >> endobj\n"
      "4 0 obj << /Length " + std::to_string(content.size()) + " >>\nstream\n" + content + "\nendstream endobj\n"
      "5 0 obj << /Type /Font /Subtype /Type1 /BaseFont /Helvetica >> endobj\n"
      "trailer << /Root 1 0 R >>\n%%EOF\n";
  Diagnostics diag;
  Result<Layout> r = ReadPdf(pdf, "deep.pdf", ReadLimits(), &diag);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  std::string text;
  for (const Line* l : AllTextLines(*r)) text += l->text + "\n";
  EXPECT_EQ(text, "Before\n");
  ASSERT_EQ(diag.size(), 1u);
  EXPECT_EQ(diag.items()[0].code, "pdf.page_cut");
  EXPECT_NE(diag.items()[0].message.find("deep.pdf: page 1 nests graphics states deeper than 1000"),
            std::string::npos)
      << diag.items()[0].message;
}

TEST(PdfReaderTest, ImageOnlyPageIsFlaggedWithDiagnostic) {
  Diagnostics diag;
  ReadLimits no_ocr;
  no_ocr.ocr = ReadLimits::Ocr::kNever;
  Result<Layout> r = Read(Fixture("scanned_page.pdf"), &diag, no_ocr);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  ASSERT_EQ(r->pages.size(), 2u);
  EXPECT_FALSE(r->pages[0].image_only);
  EXPECT_TRUE(r->pages[1].image_only);
  ASSERT_EQ(diag.size(), 1u);
  EXPECT_EQ(diag.items()[0].code, "pdf.image_only");
  EXPECT_EQ(diag.items()[0].page, 2);
  EXPECT_NE(diag.items()[0].message.find("scanned_page.pdf: page 2 has no text layer"), std::string::npos);
}

TEST(PdfReaderTest, ImageOnlyPageGoesThroughOcrByDefault) {
  Diagnostics diag;
  Result<Layout> r = Read(Fixture("scanned_page.pdf"), &diag);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  ASSERT_EQ(r->pages.size(), 2u);
  EXPECT_FALSE(r->pages[0].ocr);
  EXPECT_TRUE(r->pages[1].ocr);
  bool noted = false;
  for (const Diagnostic& d : diag.items()) noted |= d.code == "pdf.ocr" && d.page == 2;
  EXPECT_TRUE(noted);
}

TEST(PdfReaderTest, OcrModesParse) {
  ReadLimits::Ocr mode = ReadLimits::Ocr::kAuto;
  EXPECT_TRUE(ParseOcrMode("always", &mode));
  EXPECT_EQ(mode, ReadLimits::Ocr::kAlways);
  EXPECT_TRUE(ParseOcrMode("never", &mode));
  EXPECT_EQ(mode, ReadLimits::Ocr::kNever);
  EXPECT_TRUE(ParseOcrMode("auto", &mode));
  EXPECT_EQ(mode, ReadLimits::Ocr::kAuto);
  EXPECT_FALSE(ParseOcrMode("yes", &mode));
}

TEST(PdfReaderTest, TruncatedPrefixesNeverCrash) {
  // Every prefix of a valid file (step 61 bytes) either reads or fails cleanly.
  const std::string bytes = ReadFileOrDie(Fixture("table.pdf"));
  for (size_t n = 0; n < bytes.size(); n += 61) {
    SCOPED_TRACE("prefix " + std::to_string(n));
    Diagnostics diag;
    Result<Layout> r = ReadPdf(std::string_view(bytes).substr(0, n), "prefix.pdf", ReadLimits(), &diag);
    if (!r.ok()) {
      EXPECT_NE(r.status().message().find("prefix.pdf"), std::string::npos);
    }
  }
}

TEST(PdfReaderTest, TextLinesHeadersAndPageNumbers) {
  Diagnostics diag;
  Result<Layout> r = Read(Fixture("text.pdf"), &diag);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->format, Format::kPdf);
  ASSERT_EQ(r->pages.size(), 3u);
  EXPECT_EQ(r->pages[0].width, 300);
  std::vector<const Line*> lines = AllTextLines(*r);
  struct Case {
    const char* id;
    size_t index;
    const char* text;
    int page, line;
    bool bold, centered;
  };
  const std::vector<Case> cases = {
      {"title", 0, "PLAN", 1, 2, true, true},
      {"left-column", 1, "Left side", 1, 3, false, false},
      {"right-column", 2, "Right side", 1, 3, false, false},
      {"body-p1", 3, "Body line 1 of page 1 runs across the whole width ok", 1, 4, false, false},
      {"body-p2", 6, "Body line 1 of page 2 runs across the whole width ok", 2, 2, false, false},
      {"last", 11, "Body line 3 of page 3 runs across the whole width ok", 3, 4, false, false},
  };
  ASSERT_EQ(lines.size(), 12u) << "running header and page numbers must be dropped";
  for (const Case& c : cases) {
    SCOPED_TRACE(c.id);
    const Line& l = *lines[c.index];
    EXPECT_EQ(l.text, c.text);
    EXPECT_EQ(l.page, c.page);
    EXPECT_EQ(l.line, c.line);
    EXPECT_EQ(l.bold, c.bold);
    EXPECT_EQ(l.centered, c.centered);
    EXPECT_FALSE(l.words.empty());
    EXPECT_LT(l.box.x0, l.box.x1);
  }
  for (const Line* l : lines) {
    SCOPED_TRACE(l->text);
    EXPECT_EQ(l->text.find("Gazette"), std::string::npos);
    EXPECT_EQ(l->text.find("- "), std::string::npos);
  }
}

TEST(PdfReaderTest, RuledTableOverTwoPages) {
  Diagnostics diag;
  Result<Layout> r = Read(Fixture("table.pdf"), &diag);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  ASSERT_EQ(r->blocks.size(), 3u);
  EXPECT_EQ(r->blocks[0].kind, Block::Kind::kLines);
  EXPECT_EQ(r->blocks[2].kind, Block::Kind::kLines);
  ASSERT_EQ(r->blocks[1].kind, Block::Kind::kTable);
  const Table& t = r->blocks[1].table;
  EXPECT_EQ(t.first_page, 1);
  EXPECT_EQ(t.last_page, 2);
  const std::vector<std::string> want = {
      "H|TT|Name|Lead|Due",                             // repeat on page 2 dropped
      "R|I|{1x3}Group one",                             // group row: col_span
      "R|1.|Task one|{2x1}Lead A|2025",                 // merged lead cell
      "R|2.|Task two|2026",                             // ... omitted in the row it covers
      "R|3.|Do the first / part of work|{2x1}Lead B|2027",  // row split by the page break, joined
      "R|4.|Task four|2028",                            // merged cell continued over the break
      "R|5.|Task five|Lead C|2029",
  };
  ASSERT_EQ(t.rows.size(), want.size());
  for (size_t i = 0; i < want.size(); ++i) {
    SCOPED_TRACE("row " + std::to_string(i));
    EXPECT_EQ(RowText(t.rows[i]), want[i]);
    EXPECT_EQ(t.rows[i].page, i < 5 ? 1 : 2);
  }
  EXPECT_TRUE(t.rows[0].cells[0].header);
  EXPECT_EQ(r->blocks[2].lines[0].text, "After the table.");
}

// Lines broken inside a word carry joins_next (shown "~" by Cell::Text) and
// normalize joins them with no space; every other wrap keeps its space.
TEST(PdfReaderTest, WordsBrokenWithoutSpaceInCellsAreMarked) {
  Diagnostics diag;
  Result<Layout> r = Read(Fixture("wrapped_cells.pdf"), &diag);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  ASSERT_EQ(r->blocks.size(), 1u);
  const Table& t = r->blocks[0].table;
  const std::vector<std::string> want = {
      "H|TT|Name|Lead",
      "R|1.|Use GAP…~ / thong qua the big apps / and more|Lead / office",  // room left: no-space break
      "R|2.|Full width line abcdefg / next words|",     // no room for the space: a wrap
      "R|3.|First part / Second|",                      // capitalised next line
      "R|4.|alpha beta / gamma delta / end|",           // spaces printed
      "R|5.|See hy.check...~ / org then hy.check.ch~ / o san pham|",  // and broken over the page
      "R|6.|Last task|",
  };
  ASSERT_EQ(t.rows.size(), want.size());
  for (size_t i = 0; i < want.size(); ++i) {
    SCOPED_TRACE("row " + std::to_string(i));
    EXPECT_EQ(RowText(t.rows[i]), want[i]);
  }
  Grid g = ExpandTable(t);
  EXPECT_EQ(g.rows[1].cells[1].text, "Use GAP…thong qua the big apps and more");
  EXPECT_EQ(g.rows[1].cells[2].text, "Lead office");
  EXPECT_EQ(g.rows[5].cells[1].text, "See hy.check...org then hy.check.cho san pham");
}

// A generator that prints no space glyphs at all gives no signal: its wraps
// all keep their space.
TEST(PdfGeometryTest, NoWordBreaksWhereNoWrapSpacesArePrinted) {
  auto word = [](const std::string& t, double x, double top) {
    return pdf::RawWord{t, Box{x, top, x + 5.0 * t.size(), top + 12}, top + 10, 10, false, false, -1, {}};
  };
  pdf::LayoutBuilder b("mem.pdf");
  Diagnostics diag;
  pdf::RawPage p;
  p.width = 300;
  p.height = 400;
  for (double y : {40.0, 60.0, 100.0}) p.rules.push_back(pdf::Rule{20, y, 200, y});
  for (double x : {20.0, 50.0, 200.0}) p.rules.push_back(pdf::Rule{x, 40, x, 100});
  p.words = {word("TT", 22, 42),    word("Name", 52, 42),   word("1.", 22, 62),
             word("Short", 52, 62), word("line", 52, 74),   word("wide", 52, 86),
             word("longer", 82, 86), word("text", 117, 86), word("here", 142, 86)};
  b.AddPage(std::move(p), &diag);
  Layout l = b.Finish();
  ASSERT_EQ(l.blocks.size(), 1u);
  ASSERT_EQ(l.blocks[0].table.rows.size(), 2u);
  EXPECT_EQ(RowText(l.blocks[0].table.rows[1]), "R|1.|Short / line / wide longer text here");
}

// LayoutBuilder alone: borders given as rules, as a filled-rectangle PDF
// would give them; the lead column is never empty elsewhere, so its empty
// piece at the top of page 2 continues the merged cell above.
TEST(PdfGeometryTest, EmptyPieceInAlwaysFilledColumnContinuesMergedCell) {
  auto word = [](const std::string& t, double x, double top) {
    return pdf::RawWord{t, Box{x, top, x + 6.0 * t.size(), top + 12}, top + 10, 10, false, false, -1, {}};
  };
  auto grid = [](pdf::RawPage* p, const std::vector<double>& ys) {
    for (double y : ys) p->rules.push_back(pdf::Rule{20, y, 200, y});
    for (double x : {20.0, 60.0, 140.0, 200.0}) p->rules.push_back(pdf::Rule{x, ys.front(), x, ys.back()});
  };
  pdf::LayoutBuilder b("mem.pdf");
  Diagnostics diag;
  pdf::RawPage p1;
  p1.number = 1;
  p1.width = 300;
  p1.height = 400;
  grid(&p1, {40, 60, 80, 100, 120});
  const char* rows1[][3] = {{"1.", "Alpha", "Lead"}, {"2.", "Beta", "Own"}, {"3.", "Gamma", "Other"}, {"4.", "Delta", "Dept"}};
  for (int i = 0; i < 4; ++i) {
    for (int c = 0; c < 3; ++c) p1.words.push_back(word(rows1[i][c], c == 0 ? 22 : c == 1 ? 62 : 142, 42.0 + 20 * i));
  }
  b.AddPage(std::move(p1), &diag);
  pdf::RawPage p2;
  p2.number = 2;
  p2.width = 300;
  p2.height = 400;
  grid(&p2, {40, 60, 80});
  p2.words.push_back(word("5.", 22, 42));
  p2.words.push_back(word("Eps", 62, 42));
  p2.words.push_back(word("6.", 22, 62));
  p2.words.push_back(word("Zeta", 62, 62));
  p2.words.push_back(word("Unit", 142, 62));
  b.AddPage(std::move(p2), &diag);
  Layout l = b.Finish();
  ASSERT_EQ(l.blocks.size(), 1u);
  const Table& t = l.blocks[0].table;
  std::vector<std::string> got;
  for (const Row& r : t.rows) got.push_back(RowText(r));
  const std::vector<std::string> want = {"R|1.|Alpha|Lead", "R|2.|Beta|Own", "R|3.|Gamma|Other",
                                         "R|4.|Delta|{2x1}Dept", "R|5.|Eps", "R|6.|Zeta|Unit"};
  EXPECT_EQ(got, want);
}

// The shared corpus (LibreOffice renderings of real plans), when present.
TEST(PdfReaderCorpusTest, TaskTablesComeOutWhole) {
  const std::string dir = SharedDir() + "/corpus";
  if (!std::filesystem::exists(dir + "/000_5765c50382b6d008.pdf")) GTEST_SKIP() << "no " << dir;
  struct Case {
    const char* file;
    size_t header_cells;
    int first_number, last_number;  // task numbers "N." expected in one table
  };
  const std::vector<Case> cases = {
      {"000_5765c50382b6d008.pdf", 6, 1, 27},
      {"002_aceac1bad310a983.pdf", 8, 1, 167},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.file);
    Diagnostics diag;
    Result<Layout> r = Read(dir + "/" + c.file, &diag);
    ASSERT_TRUE(r.ok()) << r.status().ToString();
    bool found = false;
    for (const Block& b : r->blocks) {
      if (b.kind != Block::Kind::kTable || b.table.rows.empty()) continue;
      const Row& head = b.table.rows[0];
      if (!head.header || head.cells.size() != c.header_cells || head.cells[0].Text() != "TT") continue;
      std::set<std::string> numbers;
      for (size_t i = 1; i < b.table.rows.size(); ++i) {
        const Row& row = b.table.rows[i];
        EXPECT_FALSE(row.header) << "row " << i;
        if (!row.cells.empty()) numbers.insert(row.cells[0].Text());
      }
      bool all = true;
      for (int n = c.first_number; n <= c.last_number; ++n) all = all && numbers.count(std::to_string(n) + ".");
      if (all) found = true;
    }
    EXPECT_TRUE(found) << "no table with a " << c.header_cells << "-column TT header and rows " << c.first_number
                       << ".." << c.last_number;
  }
}

}  // namespace
}  // namespace plantrace
