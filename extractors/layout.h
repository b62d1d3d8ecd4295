// The Layout model: what every reader (text, PDF, HTML, DOCX) produces and
// the normalize/segment stages consume. Plain structs that own their strings,
// so a test can build any reader's output by hand.
#ifndef PLANTRACE_EXTRACTORS_LAYOUT_H_
#define PLANTRACE_EXTRACTORS_LAYOUT_H_

#include <string>
#include <vector>

namespace plantrace {

enum class Format { kUnknown, kText, kMarkdown, kPdf, kHtml, kDocx };
const char* FormatName(Format f);

// A box in page coordinates (points, origin top-left). All zero when the
// format has no geometry (text, HTML, DOCX).
struct Box {
  double x0 = 0, y0 = 0, x1 = 0, y1 = 0;
  bool empty() const { return x1 <= x0 && y1 <= y0; }
};

struct Word {
  std::string text;  // UTF-8 as read; normalisation happens later
  Box box;
  bool bold = false;
  double size = 0;   // font size in points, 0 if unknown
  // OCR confidence 0..100 of a word read from a page image; -1 for a word
  // of a text layer.
  float confidence = -1;
  // Other spellings OCR weighed for the word (ocr::OcrWord::alternatives).
  std::vector<std::string> alternatives;
};

// One printed line. `line` is the provenance line number: for text input the
// 1-based line in the file; for paged formats the 1-based line on the page
// (counted top to bottom over all blocks); for HTML/DOCX the 1-based
// paragraph index in the document.
struct Line {
  std::string text;
  int page = 1;
  int line = 0;
  Box box;
  std::vector<Word> words;  // empty when the format has no word geometry
  bool bold = false;        // whole line bold (Markdown **...**, <b>, PDF bold font)
  int heading_level = 0;    // Markdown '#' count / <hN>; 0 = not marked
  bool centered = false;    // set where the reader can tell
  // The line ends inside a word: the next line continues it with no space
  // between (a PDF line broken where the generator printed no space).
  bool joins_next = false;
};

// A table cell. `lines` are the cell's own printed lines in order; joining
// them (with hyphenation rules) is normalize's job. A cell that spans rows or
// columns appears once, at its top-left position, with its spans.
struct Cell {
  std::vector<Line> lines;
  int row_span = 1;
  int col_span = 1;
  bool header = false;  // <th>, or a repeated header row recognised by the reader
  // Lines joined by sep; a line marked joins_next ends with "~" before it.
  std::string Text(const char* sep = "\n") const;
};

struct Row {
  std::vector<Cell> cells;
  bool header = false;  // a header row (kept once; repeats at page breaks dropped)
  int page = 1;
};

// Rows x cells with spans, as HTML gives it. Readers that see a table
// continued over pages emit one Table.
struct Table {
  std::vector<Row> rows;
  int first_page = 1;
  int last_page = 1;
};

// A run of lines, or a table.
struct Block {
  enum class Kind { kLines, kTable };
  Kind kind = Kind::kLines;
  std::vector<Line> lines;  // kLines
  Table table;              // kTable
  int page = 1;             // page where the block starts
};

struct Page {
  int number = 1;
  double width = 0, height = 0;
  bool image_only = false;  // no text layer: needs OCR
  bool ocr = false;         // words read by OCR from the page image
};

struct Layout {
  std::string source;  // file path as given, for messages
  Format format = Format::kUnknown;
  std::vector<Page> pages;    // empty for formats without pages
  std::vector<Block> blocks;  // reading order over the whole document
};

}  // namespace plantrace

#endif  // PLANTRACE_EXTRACTORS_LAYOUT_H_
