// DocTree: what segment produces from a normalised Layout and extract
// consumes. The header fields, the numbered hierarchy of each part (main
// body, then each appendix), and tables as dense grids.
#ifndef PLANTRACE_PIPELINE_STAGES_DOCTREE_H_
#define PLANTRACE_PIPELINE_STAGES_DOCTREE_H_

#include <optional>
#include <string>
#include <vector>

#include "extractors/layout.h"

namespace plantrace {

// A table with spans resolved: every row has the same number of cells and
// a cell covered by a row/col span holds a copy of the spanning cell's text.
struct GridCell {
  std::string text;        // normalised, lines joined
  bool from_span = false;  // copied from a cell above/left (merged cell)
  bool blank = true;       // printed empty (or whitespace only)
  int page = 0;
  int line = 0;
  // Lowest OCR confidence (0..100) of the cell's words; -1 when no word
  // was read by OCR.
  float confidence = -1;
};

struct GridRow {
  std::vector<GridCell> cells;
  bool header = false;
  int page = 0;
  int line = 0;
};

struct Grid {
  std::vector<GridRow> rows;
  int columns = 0;
  // Column roles (ColumnRoleName of columns.h) where the builder knew them;
  // empty when extract should classify the header row itself.
  std::vector<std::string> column_roles;
  int first_page = 0;
  int line = 0;
};

// Expands a reader's Table (spans at top-left) into a dense Grid, joining
// each cell's lines with the normalisation rules. Declared here, defined in
// normalize.cc.
Grid ExpandTable(const Table& table);

// One node of the numbered hierarchy.
struct Node {
  enum class Kind { kHeading, kItem, kParagraph, kTable };
  Kind kind = Kind::kParagraph;
  std::string marker;  // as printed: "I.", "1-", "a)", "-", "+", "(1)", "" for none
  std::string label;   // marker without punctuation: "I", "1", "a", "-", "+", "1"
  std::string style;   // marker family: "roman", "arabic", "dotted", "letter", "dash", "plus", "paren", "upper_letter"
  int level = 0;       // depth below the part (0 = top)
  std::string text;    // NFC text, marker and Markdown marks removed
  bool bold = false;
  int page = 0;
  int line = 0;        // first line
  int last_line = 0;
  Grid grid;           // kTable
  float confidence = -1;  // lowest OCR confidence of its words; -1: none OCR'd
  std::vector<Node> children;
};

// A part of the document: the main body or one appendix.
struct DocPart {
  std::string label;    // "" for the main body; "PHỤ LỤC II", "Phụ lục số 02" as printed
  std::string title;    // appendix title lines joined
  std::string caption;  // "(Kèm theo ...)"
  int page = 0;
  int line = 0;
  std::vector<Node> nodes;
};

struct DocHeader {
  std::optional<std::string> number;        // "102/KH-UBND", spaces removed
  std::optional<std::string> number_printed;
  std::optional<std::string> type;          // "Kế hoạch"
  std::optional<std::string> issuer;
  std::optional<std::string> place;
  std::optional<std::string> date;          // ISO
  std::optional<std::string> title;
  std::optional<std::string> signer;
  std::optional<std::string> signer_title;
  std::optional<std::string> attachment_type;   // a Quyết định issuing a Chương trình
  std::optional<std::string> attachment_title;
  int number_line = 0, date_line = 0, title_line = 0, signer_line = 0;
  std::vector<std::string> rules;  // rule ids used
};

// A normalised line of the whole document, for provenance and scanning.
struct SourceLine {
  std::string text;
  int page = 0;
  int line = 0;
  int part = 0;  // index into DocTree::parts
};

struct DocTree {
  std::string source;
  Format format = Format::kUnknown;
  DocHeader header;
  std::vector<DocPart> parts;  // parts[0] is the main body
  std::vector<SourceLine> lines;
  bool has_pages = false;
};

}  // namespace plantrace

#endif  // PLANTRACE_PIPELINE_STAGES_DOCTREE_H_
