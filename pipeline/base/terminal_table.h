// Command output: aligned plain-text tables for a terminal (`tasks`,
// `report`). Widths are display columns of UTF-8 text, so Vietnamese with
// combining marks and CJK wide characters line up.
#ifndef PLANTRACE_PIPELINE_BASE_TERMINAL_TABLE_H_
#define PLANTRACE_PIPELINE_BASE_TERMINAL_TABLE_H_

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace plantrace {

// Terminal columns `s` takes: one per code point, except combining marks,
// zero-width characters and C0/C1 controls (0) and East Asian wide or
// fullwidth characters (2). Each invalid UTF-8 byte counts as 1.
size_t DisplayWidth(std::string_view s);

// `s` cut to at most `max_width` columns, ending in "…" when anything was
// cut. A character is never split from its combining marks. max_width 0
// gives "".
std::string TruncateToWidth(std::string_view s, size_t max_width);

// One line for a cell: every run of whitespace (tab, CR, LF, ...) and other
// control characters becomes one space; leading and trailing spaces go.
std::string CellText(std::string_view s);

struct TerminalColumn {
  std::string header;
  bool align_right = false;  // numbers
  size_t max_width = 0;      // 0: as wide as the widest cell
};

// Renders
//   ID  Agency        Due
//   --  ------------  ----------
//   12  Sở Tài chính  2026-01-31
// Cells go through CellText and TruncateToWidth(max_width); columns are
// separated by two spaces; every line ends in '\n' without trailing spaces.
// A row shorter than `columns` is padded with empty cells, extra cells are
// ignored. No columns gives "".
std::string RenderTerminalTable(const std::vector<TerminalColumn>& columns,
                            const std::vector<std::vector<std::string>>& rows);

}  // namespace plantrace

#endif  // PLANTRACE_PIPELINE_BASE_TERMINAL_TABLE_H_
