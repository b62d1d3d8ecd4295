// Markdown reader helper: rebuilds the tables a web-to-text export flattened
// into lines (each cell on its own lines, a line holding only "|" between
// cells, a row ended by two such lines, cells merged across rows omitted
// from the rows they cover) into Tables with row and column spans.
#ifndef PLANTRACE_EXTRACTORS_FLAT_TABLES_H_
#define PLANTRACE_EXTRACTORS_FLAT_TABLES_H_

#include <vector>

#include "extractors/markup_util.h"
#include "pipeline/base/diagnostics.h"
#include "pipeline/base/rules.h"

namespace plantrace {

// Replaces, in `items` (reading order), each flattened data table by one
// kTable item and drops every remaining "|" line. A data table opens at a
// header row of three or more short cells (named columns of
// rules/columns.rules when `rules` is given, else all bold) and ends at a
// blank line, a cell that rules `cell.table_end` marks ("PHỤ LỤC II", "Nơi
// nhận:"), a row filled to the header's width followed by text, or the end.
// Layout tables (the issuer | motto header block, the signature) are left as
// lines. A row with fewer cells than the header takes the missing cells as
// row spans of the cells above (the rightmost columns printed unless the
// column cues of `rules` show another placement); a group row ("A." + title)
// spans the width. `blank_before[L]` is true when file line L-1 is blank.
// Rows that cannot be placed, and a truncated table (a row of dots), are
// reported to `diag`.
void RebuildFlatTables(std::vector<MarkupItem>* items, const std::vector<bool>& blank_before, const RuleSet* rules,
                       Diagnostics* diag);

}  // namespace plantrace

#endif  // PLANTRACE_EXTRACTORS_FLAT_TABLES_H_
