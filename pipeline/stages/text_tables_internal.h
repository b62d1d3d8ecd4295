// Segment helper, internal: what the table finders of text_tables.cc and
// the fragment-table parser (fragment_table.cc, cell_placer.cc) share.
// Only those files include it.
#ifndef PLANTRACE_PIPELINE_STAGES_TEXT_TABLES_INTERNAL_H_
#define PLANTRACE_PIPELINE_STAGES_TEXT_TABLES_INTERNAL_H_

#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "pipeline/base/columns.h"
#include "pipeline/base/diagnostics.h"
#include "pipeline/base/rules.h"
#include "pipeline/stages/doctree.h"
#include "pipeline/stages/text_tables.h"

namespace plantrace {
namespace text_tables_internal {

constexpr double kNegInf = -1e18;
constexpr size_t kMaxHeaderLines = 32;  // a header run longer than this is prose
constexpr size_t kMaxHeaderWords = 10;  // words in one header cell
constexpr size_t kMaxHeaderLineWords = 12;
constexpr size_t kMaxCellLines = 24;    // wrapped lines in one cell of a PDF table
constexpr double kNewRowCost = 3;       // an unnumbered row starting after a page break
constexpr size_t kMaxContinuedCellBytes = 6000;  // a cell longer than this is not continued after a break

// The `cell.*` rules, looked up once.
struct Cues {
  // Whether a line's first words name a number column (memo for one call).
  mutable std::unordered_map<std::string, bool> number_header_cache;
  explicit Cues(const RuleSet& rules)
      : number(rules.Find("cell.number")),
        group(rules.Find("cell.group")),
        group_inline(rules.Find("cell.group_inline")),
        code(rules.Find("cell.code")),
        deadline(rules.Find("cell.deadline_hint")),
        agency(rules.Find("cell.agency_hint")),
        agency_whole(rules.Find("cell.agency_whole")),
        agency_incomplete(rules.Find("cell.agency_incomplete")),
        unit(rules.Find("cell.unit_hint")),
        target(rules.Find("cell.target_hint")),
        funding(rules.Find("cell.funding_hint")),
        end(rules.Find("cell.table_end")) {}
  static bool Is(const Rule* r, std::string_view text, Match* m = nullptr) {
    return r != nullptr && MatchCellRule(*r, text, m);
  }
  // With the folded text (CellKey) already at hand.
  static bool Is(const Rule* r, std::string_view text, std::string_view key) {
    return r != nullptr && MatchCellRule(*r, text, key, nullptr);
  }
  const Rule *number, *group, *group_inline, *code, *deadline;
  const Rule *agency, *agency_whole, *agency_incomplete, *unit, *target, *funding, *end;
  TextTableWork* work = nullptr;  // counted when given
};

// True when the first character is a lower-case letter (continuation lines
// of a wrapped cell usually start so).
bool StartsLower(std::string_view s);

// "10.1." -> {10, 1}; empty when not a number label.
std::vector<int> ParseNumber(std::string_view label);

// Whether `cur` can follow `prev` in a numbered column: the next sibling at
// some depth, or the first child. Anything goes at the start of a group.
bool PlausibleNext(const std::vector<int>& prev, const std::vector<int>& cur, bool after_group);

struct HeaderCell {
  std::string text;
  size_t first_line = 0, last_line = 0;
  int page = 0, line = 0;
};

struct Header {
  size_t begin = 0, end = 0;  // input line indices
  std::vector<HeaderCell> cells;
  bool pipe = false;
  bool wrapped = false;  // a cell spans lines or a line holds several cells
  std::vector<ColumnRole> roles;
  std::vector<std::string> rules;
};

// The header that starts at line `i`, if one does.
std::optional<Header> DetectHeader(const std::vector<TextLine>& lines, size_t i, const RuleSet& rules,
                                   const Cues& cues);
bool SameHeader(const Header& a, const Header& b);

GridCell BlankCell();
GridCell TextCell(std::string text, int page, int line);
GridRow HeaderRow(const Header& h);
// Index of the first column with a role of `want` (tried in order), or -1.
int FirstColumn(const std::vector<ColumnRole>& roles, std::initializer_list<ColumnRole> want);
GridRow GroupRow(const std::vector<ColumnRole>& roles, const std::string& label, const std::string& code,
                 const std::string& title, int page, int line);

// Pieces of one printed line: runs of two or more spaces separate columns
// that the text extractor put on one line.
std::vector<std::string> SplitColumns(const std::string& t);

// A table printed as PDF text, its cells wrapped over lines and each row's
// cells run one after another (Header::wrapped): rebuilt by placing each
// row's lines into columns by meaning (fragment_table.cc). False when no
// body row was found.
bool ParseFragmentTable(const std::vector<TextLine>& lines, const Header& h, const RuleSet& rules,
                        const Cues& cues, Diagnostics* diag, TextTable* out);

}  // namespace text_tables_internal
}  // namespace plantrace

#endif  // PLANTRACE_PIPELINE_STAGES_TEXT_TABLES_INTERNAL_H_
