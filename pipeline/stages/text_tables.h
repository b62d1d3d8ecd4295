// Segment helper: finds task/indicator tables that another tool flattened
// into text (one cell per line; "|" between cells; PDF text with each row's
// cells run one after another) and rebuilds each as a dense Grid.
#ifndef PLANTRACE_PIPELINE_STAGES_TEXT_TABLES_H_
#define PLANTRACE_PIPELINE_STAGES_TEXT_TABLES_H_

#include <string>
#include <vector>

#include "pipeline/base/columns.h"
#include "pipeline/base/diagnostics.h"
#include "pipeline/base/rules.h"
#include "pipeline/stages/doctree.h"

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
// What the search did, for tests that bound it: the work must grow with the
// lines, not their square (a table exported with thousands of cell lines).
struct TextTableWork {
  size_t steps = 0;         // placement states and span slots set up
  size_t cells_scored = 0;  // a run of lines scored as one cell of a column
  size_t cues_matched = 0;  // a cell cue rule run on a cell's text
  size_t text_built = 0;    // bytes of cell text built to be judged
};

std::vector<TextTable> FindTextTables(const std::vector<TextLine>& lines, const RuleSet& rules,
                                      Diagnostics* diag, TextTableWork* work = nullptr);

// Appends `next` to `text` as AppendWrapped does, and `next_key`
// (CellKey(next)) to `key`, so that a `key` equal to CellKey(*text) stays so
// without folding the joined text again. The fold works character by
// character, but for a tone mark moved within one syllable; AppendWrapped
// joins at a space, after a hyphen or between two digits, where no syllable
// spans the join. Exposed for the test that checks this against CellKey.
void AppendWrappedKeyed(std::string* text, std::string* key, std::string_view next, std::string_view next_key);

}  // namespace plantrace

#endif  // PLANTRACE_PIPELINE_STAGES_TEXT_TABLES_H_
