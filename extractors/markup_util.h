// Helpers shared by the markup readers (HTML, DOCX): building printed lines
// from inline runs, telling layout tables from data tables, dropping a
// repeated copy of the document, and assembling the final Layout.
#ifndef PLANTRACE_EXTRACTORS_MARKUP_UTIL_H_
#define PLANTRACE_EXTRACTORS_MARKUP_UTIL_H_

#include <string>
#include <string_view>
#include <vector>

#include "extractors/layout.h"
#include "pipeline/base/diagnostics.h"

namespace plantrace {

// Accumulates the inline text of one printed line. Whitespace runs (including
// tab, newline and no-break space) collapse to one space; the line is bold
// when every letter or digit in it came from a bold run.
class LineBuilder {
 public:
  void Append(std::string_view text, bool bold, bool link = false);
  // True when no letter, digit or punctuation has been appended.
  bool blank() const { return chars_ == 0; }
  // True when every letter or digit came from a link (a menu item, "log in").
  bool all_link() const { return alnum_ > 0 && link_alnum_ == alnum_; }
  // The trimmed line, then resets. `line.line` is left 0 (AssembleLayout numbers lines).
  Line Take(int heading_level, bool centered);
  void Clear() { *this = LineBuilder(); }

 private:
  std::string text_;
  bool pending_space_ = false;
  size_t chars_ = 0;
  size_t alnum_ = 0, bold_alnum_ = 0, link_alnum_ = 0;
};

// What a reader can tell about a table before reading its cells.
struct TableShape {
  int rows = 0;
  int max_cols = 0;             // cells in the widest row, spans counted
  bool header_row = false;      // <th>/<thead>/w:tblHeader
  bool bordered = false;        // drawn rules
  bool nested_table = false;    // a table inside one of its cells
  bool numbered_rows = false;   // two or more rows whose first cell is a bare number ("1", "2.", "II")
};

// A table used only to place text (the two-column header of an official
// letter, a signature block, a page frame) rather than a grid of data.
bool IsLayoutTable(const TableShape& shape);

// True for a short cell text that is only a row number: "1", "2.", "10.1", "IV", "a)".
bool IsRowNumber(std::string_view text);

// `v` in Roman numerals, upper or lower case, as list markers print it ("iv",
// "XII"); empty for v < 1, and cut at 20-odd letters for a huge v.
std::string RomanNumeral(int v, bool upper);

// Marks the first row as a header row when every non-empty cell in it is
// bold and one of the next three rows is not (column titles typed in bold rather than
// marked up as <th>/w:tblHeader).
void MarkBoldHeaderRow(Table* table);

// One unit of reading order: a line, a table, or a block break.
struct MarkupItem {
  enum class Kind { kLine, kTable, kBreak };

  Kind kind = Kind::kBreak;
  Line line;
  Table table;
};

// What both markup readers build: the current line and the document's
// items. A finished line goes to the open data-table cell, else to items.
class MarkupSink {
 public:
  explicit MarkupSink(bool drop_link_lines) : drop_link_lines_(drop_link_lines) {}
  std::vector<MarkupItem>& items() { return items_; }

 protected:
  // Ends the current line; with drop_link_lines, a line made only of links
  // outside a table cell is dropped.
  void EndLine();
  // A block boundary outside tables.
  void Break();

  std::vector<MarkupItem> items_;
  LineBuilder line_;
  int heading_ = 0;
  bool centered_ = false;
  std::vector<Line>* cell_lines_ = nullptr;  // set while reading a data-table cell

 private:
  bool drop_link_lines_;
};

// Drops a run of items that repeats an earlier run exactly (a portal page that
// shows the document twice). Only runs of at least four lines and 120
// characters, or repeated tables of three or more rows, count; comparison folds
// ASCII case and spacing. Reports each drop in `diag`.
void DropRepeatedRuns(std::vector<MarkupItem>* items, Diagnostics* diag);

// Groups items into blocks (consecutive lines form one kLines block; a break
// ends a block) and numbers every line, cell lines included, 1.. in reading
// order. All on page 1.
Layout AssembleLayout(std::vector<MarkupItem> items, const std::string& source, Format format);

}  // namespace plantrace

#endif  // PLANTRACE_EXTRACTORS_MARKUP_UTIL_H_
