// PDF page geometry -> Layout, the half of the PDF reader that knows no
// Poppler: lines from word boxes, ruled tables rebuilt from their borders,
// running headers/footers dropped, tables continued over pages joined.
#ifndef PLANTRACE_EXTRACTORS_PDF_GEOMETRY_H_
#define PLANTRACE_EXTRACTORS_PDF_GEOMETRY_H_

#include <string>
#include <vector>

#include "extractors/layout.h"
#include "pipeline/base/diagnostics.h"

namespace plantrace::pdf {

// A word as the text layer gives it. Coordinates in points, origin top-left.
struct RawWord {
  std::string text;
  Box box;
  double base = 0;  // baseline y
  double size = 0;  // font size
  bool bold = false;
  bool space_after = false;  // a space glyph is printed right after the word
  float confidence = -1;     // OCR confidence 0..100; -1 from a text layer
  std::vector<std::string> alternatives;  // OCR's other spellings (layout.h Word)
};

// A ruling line: horizontal (y0 == y1) or vertical (x0 == x1), x0 <= x1 and
// y0 <= y1. Table borders drawn as strokes or as thin filled rectangles both
// end up here.
struct Rule {
  double x0 = 0, y0 = 0, x1 = 0, y1 = 0;
  bool horizontal() const { return y1 - y0 <= x1 - x0; }
};

struct RawPage {
  int number = 1;  // 1-based
  double width = 0, height = 0;
  std::vector<RawWord> words;
  std::vector<Rule> rules;
  bool has_images = false;
  bool ocr = false;  // words read by OCR from the rendered page
  // Width of a printed space in font sizes (the page's median), used to tell
  // whether a space would have fitted at the end of a line.
  double space_em = 0.25;
};

// Builds a Layout from pages handed over one at a time, so the caller can
// drop each page's Poppler objects before reading the next. Each AddPage
// costs O(n log n) in the page's words and rules; Finish is linear in the
// document's lines and cells.
class LayoutBuilder {
 public:
  explicit LayoutBuilder(std::string source);
  ~LayoutBuilder();
  LayoutBuilder(const LayoutBuilder&) = delete;
  LayoutBuilder& operator=(const LayoutBuilder&) = delete;

  // Pages must come in order. Pages without words are recorded (image-only
  // when they have images, with a "pdf.image_only" diagnostic).
  void AddPage(RawPage page, Diagnostics* diag);
  // Number of pages added so far that had any text.
  int text_pages() const { return text_pages_; }
  // Drops running headers/footers and page numbers, joins tables continued
  // over pages, and returns the Layout (format kPdf).
  Layout Finish();

  struct PageContent;  // private, defined in the .cc

 private:
  std::string source_;
  std::vector<PageContent> pages_;
  int text_pages_ = 0;
};

}  // namespace plantrace::pdf

#endif  // PLANTRACE_EXTRACTORS_PDF_GEOMETRY_H_
