// Segment helper: finds task/indicator tables that another tool flattened
// into text (one cell per line; "|" between cells; PDF text with each row's
// cells run one after another) and rebuilds each as a dense Grid.
#ifndef PLANTRACE_PIPELINE_TEXT_TABLES_H_
#define PLANTRACE_PIPELINE_TEXT_TABLES_H_

#include <string>
#include <vector>

#include "pipeline/columns.h"
#include "pipeline/diagnostics.h"
#include "pipeline/doctree.h"
#include "pipeline/rules.h"

namespace plantrace {

// One line of the document in reading order: NFC, trimmed, never empty.
// `after_blank` is true for the first line of a block (a blank line or a
// block boundary came before it). `line` is the provenance line number.
struct TextLine {
  std::string text;
  int page = 0;
  int line = 0;
  bool after_blank = false;
};

struct TextTable {
  size_t begin = 0, end = 0;            // [begin, end): indices of the input lines the table consumed
  Grid grid;                            // first row(s) header=true, then body rows
  std::vector<ColumnRole> roles;        // one per grid column
  std::vector<std::string> role_rules;  // rule id per column
};

// Finds the flattened tables in a document's lines (in order) and rebuilds
// each as a dense Grid (every row has grid.columns cells; merged cells copied
// into every row they cover with from_span=true; header rows repeated at page
// breaks dropped). A table starts at a run of header cells that
// rules/columns.rules classifies, the first being a number column (TT, STT),
// and ends at an appendix heading, a signature, a line that fits no row, or
// the end of input. Rows whose cells could not be placed with certainty are
// reported to `diag` (code "table.row_uncertain").
std::vector<TextTable> FindTextTables(const std::vector<TextLine>& lines, const RuleSet& rules,
                                      Diagnostics* diag);

}  // namespace plantrace

#endif  // PLANTRACE_PIPELINE_TEXT_TABLES_H_
