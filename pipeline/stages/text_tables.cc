// Segment helper: rebuilds tables that another tool flattened into text (see
// text_tables.h). Header synonyms, cell cues and table ends are data in
// rules/columns.rules; this file holds only the layout reasoning.
#include "pipeline/stages/text_tables.h"

#include <algorithm>
#include <limits>
#include <optional>
#include <set>
#include <unordered_map>

#include "pipeline/base/percentile.h"
#include "pipeline/base/text_util.h"
#include "pipeline/base/unicode.h"
#include "pipeline/stages/normalize.h"
#include "pipeline/stages/cell_placer.h"
#include "pipeline/stages/text_tables_internal.h"

namespace plantrace {
namespace text_tables_internal {

bool IsPipeLine(std::string_view t) { return !t.empty() && t.back() == '|'; }

// Cells of a line of a "|"-separated dump: every "|" closes one cell, so
// "text |" is one cell and "|||" three empty ones.
std::vector<std::string> PipeCells(std::string_view t) {
  std::vector<std::string> out;
  size_t start = 0;
  for (size_t i = 0; i < t.size(); ++i) {
    if (t[i] != '|') continue;
    out.push_back(TrimWhitespace(t.substr(start, i - start)));
    start = i + 1;
  }
  return out;
}

// "10.1." -> {10, 1}; empty when not a number label.
std::vector<int> ParseNumber(std::string_view label) {
  std::vector<int> out;
  int cur = -1;
  for (char c : label) {
    if (c >= '0' && c <= '9') {
      cur = (cur < 0 ? 0 : cur * 10) + (c - '0');
    } else if (c == '.') {
      if (cur >= 0) out.push_back(cur);
      cur = -1;
    } else {
      return {};
    }
  }
  if (cur >= 0) out.push_back(cur);
  return out;
}

// Whether `cur` can follow `prev` in a numbered column: the next sibling at
// some depth, or the first child. Anything goes at the start of a group.
bool PlausibleNext(const std::vector<int>& prev, const std::vector<int>& cur, bool after_group) {
  if (cur.empty()) return false;
  if (prev.empty() || after_group) return true;
  for (size_t d = 1; d <= prev.size(); ++d) {
    std::vector<int> s(prev.begin(), prev.begin() + d);
    ++s.back();
    if (cur == s) return true;
  }
  std::vector<int> child = prev;
  child.push_back(1);
  return cur == child;
}

// True when the first character is a lower-case letter (continuation lines
// of a wrapped cell usually start so).
bool StartsLower(std::string_view s) {
  if (s.empty()) return false;
  unsigned char c = static_cast<unsigned char>(s[0]);
  size_t n = c < 0x80 ? 1 : c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4;
  std::string first(s.substr(0, std::min(n, s.size())));
  return ToLower(first) == first && ToUpper(first) != first;
}

// ---------------------------------------------------------------- headers

bool GoodHeaderRoles(const std::vector<ColumnRole>& roles) {
  if (roles.size() < 3 || roles[0] != ColumnRole::kNumber) return false;
  bool name = false, other = false;
  for (size_t i = 1; i < roles.size(); ++i) {
    switch (roles[i]) {
      case ColumnRole::kName:
      case ColumnRole::kTitle:
      case ColumnRole::kIndicator:
        name = true;
        break;
      case ColumnRole::kLead:
      case ColumnRole::kCoord:
      case ColumnRole::kDeadline:
      case ColumnRole::kTarget:
      case ColumnRole::kMonitor:
      case ColumnRole::kUnit:
      case ColumnRole::kOutput:
        other = true;
        break;
      default:
        break;
    }
  }
  return name && other;
}

bool IsRowStartish(const TextLine& l, const Cues& cues) {
  std::string first = SplitWords(l.text).empty() ? "" : SplitWords(l.text)[0];
  return Cues::Is(cues.number, first) || Cues::Is(cues.group, l.text) || Cues::Is(cues.group_inline, l.text) ||
         Cues::Is(cues.end, l.text);
}

// A header of a "|"-separated table starting at line i ("TT |"), with the
// lone "|" that opens its row before it when present.
std::optional<Header> DetectPipeHeader(const std::vector<TextLine>& lines, size_t i, const RuleSet& rules) {
  std::vector<std::string> first = PipeCells(lines[i].text);
  if (first.size() != 1 || ClassifyHeader(first[0], rules) != ColumnRole::kNumber) return std::nullopt;
  Header h;
  h.pipe = true;
  h.begin = (i > 0 && lines[i - 1].text == "|") ? i - 1 : i;
  size_t j = i;
  for (; j < lines.size() && IsPipeLine(lines[j].text) && h.cells.size() < 16; ++j) {
    std::vector<std::string> cells = PipeCells(lines[j].text);
    if (cells.size() != 1 || cells[0].empty()) break;
    std::string id;
    ClassifyHeader(cells[0], rules, &id);
    if (id.empty()) break;
    h.cells.push_back({cells[0], j, j, lines[j].page, lines[j].line});
  }
  h.end = j;
  std::vector<std::string> texts;
  for (const HeaderCell& c : h.cells) texts.push_back(c.text);
  h.roles = ClassifyHeaderRow(texts, rules, &h.rules);
  if (!GoodHeaderRoles(h.roles)) return std::nullopt;
  return h;
}

// A header whose cells are printed as words over one or more lines, cells
// possibly sharing a line or wrapping: segments the words into the fewest
// cells that each match a column rule, over the longest run of lines that
// segments completely.
std::optional<Header> DetectHeader(const std::vector<TextLine>& lines, size_t i, const RuleSet& rules,
                                   const Cues& cues) {
  if (IsPipeLine(lines[i].text)) return DetectPipeHeader(lines, i, rules);
  std::vector<std::string> first = SplitWords(lines[i].text);
  // A longer line ends the header run before it starts (see below): checked
  // first, as every prose line passes through here.
  if (first.empty() || first.size() > kMaxHeaderLineWords) return std::nullopt;
  bool numbered = false;
  for (size_t n = 1; n <= std::min<size_t>(3, first.size()) && !numbered; ++n) {
    std::string t;
    for (size_t k = 0; k < n; ++k) t += (k ? " " : "") + first[k];
    // Every line is tried as a header start; its first words repeat a lot.
    auto it = cues.number_header_cache.find(t);
    if (it == cues.number_header_cache.end()) {
      it = cues.number_header_cache.emplace(t, ClassifyHeader(t, rules) == ColumnRole::kNumber).first;
    }
    numbered = it->second;
  }
  if (!numbered) return std::nullopt;

  struct W {
    std::string text;
    size_t line;
  };
  std::vector<W> words;
  std::vector<size_t> line_end;  // words.size() after each line
  for (size_t j = i; j < lines.size() && j < i + kMaxHeaderLines; ++j) {
    if (j > i && IsRowStartish(lines[j], cues)) break;
    std::vector<std::string> ws = SplitWords(lines[j].text);
    if (ws.size() > kMaxHeaderLineWords) break;
    for (std::string& w : ws) words.push_back({std::move(w), j});
    line_end.push_back(words.size());
  }
  const size_t n = words.size();
  std::vector<int> best(n + 1, std::numeric_limits<int>::max());
  std::vector<size_t> back(n + 1, 0);
  best[0] = 0;
  for (size_t e = 1; e <= n; ++e) {
    for (size_t len = 1; len <= std::min(kMaxHeaderWords, e); ++len) {
      size_t b = e - len;
      if (best[b] == std::numeric_limits<int>::max()) continue;
      std::string t;
      for (size_t k = b; k < e; ++k) t += (k > b ? " " : "") + words[k].text;
      std::string id;
      ClassifyHeader(t, rules, &id);
      if (id.empty()) continue;
      if (best[b] + 1 < best[e]) {
        best[e] = best[b] + 1;
        back[e] = b;
      }
    }
  }
  for (size_t k = line_end.size(); k-- > 0;) {
    size_t e = line_end[k];
    if (e == 0 || best[e] == std::numeric_limits<int>::max()) continue;
    Header h;
    h.begin = i;
    h.end = i + k + 1;
    std::vector<std::pair<size_t, size_t>> spans;
    for (size_t x = e; x > 0; x = back[x]) spans.emplace_back(back[x], x);
    std::reverse(spans.begin(), spans.end());
    std::vector<std::string> texts;
    for (auto [b, x] : spans) {
      HeaderCell c;
      for (size_t w = b; w < x; ++w) c.text += (w > b ? " " : "") + words[w].text;
      c.first_line = words[b].line;
      c.last_line = words[x - 1].line;
      c.page = lines[c.first_line].page;
      c.line = lines[c.first_line].line;
      if (c.first_line != c.last_line) h.wrapped = true;
      if (!h.cells.empty() && h.cells.back().last_line == c.first_line) h.wrapped = true;
      texts.push_back(c.text);
      h.cells.push_back(std::move(c));
    }
    h.roles = ClassifyHeaderRow(texts, rules, &h.rules);
    if (!GoodHeaderRoles(h.roles)) return std::nullopt;
    return h;
  }
  return std::nullopt;
}

bool SameHeader(const Header& a, const Header& b) { return a.roles == b.roles; }

// ---------------------------------------------------------------- grid helpers

GridCell BlankCell() { return GridCell{}; }

GridCell TextCell(std::string text, int page, int line) {
  GridCell c;
  c.text = std::move(text);
  c.blank = c.text.empty();
  c.page = page;
  c.line = line;
  return c;
}

GridRow HeaderRow(const Header& h) {
  GridRow row;
  row.header = true;
  for (const HeaderCell& c : h.cells) row.cells.push_back(TextCell(CollapseSpaces(c.text), c.page, c.line));
  if (!h.cells.empty()) {
    row.page = h.cells[0].page;
    row.line = h.cells[0].line;
  }
  return row;
}

int FirstColumn(const std::vector<ColumnRole>& roles, std::initializer_list<ColumnRole> want) {
  for (ColumnRole w : want) {
    for (size_t i = 0; i < roles.size(); ++i) {
      if (roles[i] == w) return static_cast<int>(i);
    }
  }
  return -1;
}

// Column that receives a group row's title.
int GroupTitleColumn(const std::vector<ColumnRole>& roles) {
  int c = FirstColumn(roles, {ColumnRole::kTitle, ColumnRole::kName, ColumnRole::kIndicator});
  return c < 0 ? (roles.size() > 1 ? 1 : 0) : c;
}

GridRow GroupRow(const std::vector<ColumnRole>& roles, const std::string& label, const std::string& code,
                 const std::string& title, int page, int line) {
  GridRow row;
  row.page = page;
  row.line = line;
  row.cells.assign(roles.size(), BlankCell());
  row.cells[0] = TextCell(label, page, line);
  row.cells[GroupTitleColumn(roles)] = TextCell(title, page, line);
  int code_col = FirstColumn(roles, {ColumnRole::kCode});
  if (code_col >= 0 && !code.empty()) row.cells[code_col] = TextCell(code, page, line);
  return row;
}

// ---------------------------------------------------------------- one cell per line

bool ParseLineTable(const std::vector<TextLine>& lines, const Header& h, const RuleSet& rules, const Cues& cues,
                    Diagnostics* diag, TextTable* out) {
  const size_t nc = h.roles.size();
  CueMemo memo;
  Placer placer{cues, h.roles, false, {}};
  placer.memo = &memo;
  out->grid.rows.push_back(HeaderRow(h));
  std::vector<int> prev;
  bool after_group = true;
  bool group_above = false;  // the last row pushed is a group row
  bool exact_above = false;  // ... is a row read with its empty lines as cells
  size_t j = h.end;
  // Empty lines in the source between lines x - 1 and x of the same page.
  auto empty_before = [&](size_t x) {
    return x > 0 && x < lines.size() && lines[x].page == lines[x - 1].page ? lines[x].line - lines[x - 1].line - 1
                                                                           : 0;
  };
  // Lines set off by empty lines throughout say nothing about empty cells.
  size_t spaced = 0, seen = 0;
  for (size_t x = h.end + 1; x < lines.size() && seen < 400; ++x, ++seen) spaced += empty_before(x) > 0;
  const bool double_spaced = spaced * 2 > seen;
  auto row_start = [&](size_t k, std::vector<int>* num, bool* group) {
    const std::string& t = lines[k].text;
    *group = false;
    if (Cues::Is(cues.group, t) || Cues::Is(cues.group_inline, t)) {
      *group = true;
      return true;
    }
    if (!Cues::Is(cues.number, t)) return false;
    *num = ParseNumber(t);
    return PlausibleNext(prev, *num, after_group);
  };
  while (j < lines.size()) {
    if (Cues::Is(cues.end, lines[j].text)) break;
    if (auto again = DetectHeader(lines, j, rules, cues); again && SameHeader(*again, h)) {
      j = again->end;
      continue;
    }
    std::vector<int> num;
    bool group = false;
    // After such a row, an empty line before a line that opens no row is
    // the empty number cell of an unnumbered row.
    const bool unnumbered = !row_start(j, &num, &group);
    if (unnumbered && (!exact_above || empty_before(j) < 1)) break;
    if (group) {
      after_group = true;
    } else if (!unnumbered) {
      prev = num;
      after_group = false;
    }
    size_t k = unnumbered ? j : j + 1;
    std::vector<Frag> cells;
    size_t cap = group ? 1 : unnumbered ? 0 : nc - 1;
    while (k < lines.size() && cells.size() < cap) {
      std::vector<int> n2;
      bool g2;
      if (Cues::Is(cues.end, lines[k].text) || row_start(k, &n2, &g2)) break;
      if (auto again = DetectHeader(lines, k, rules, cues); again && SameHeader(*again, h)) break;
      cells.push_back({lines[k].text, k, lines[k].page, lines[k].line, false});
      ++k;
    }
    // A word processor's text export prints each cell of a row on a line of
    // its own and an empty cell as an empty line: when the row's lines and
    // the empty lines among and after them (up to the next row) make exactly
    // one cell per column, they are the row's cells in order.
    bool exact_row = false;
    if (!group && !double_spaced) {
      std::vector<Frag> exact;
      size_t x = unnumbered ? j : j + 1;
      for (;; ++x) {
        // Empty lines beyond the row's last cell belong to the next row.
        const int gap = empty_before(x) - (unnumbered && x == j ? 1 : 0);
        for (int g = 0; g < gap && exact.size() < nc - 1; ++g) {
          exact.push_back({"", x - 1, lines[x - 1].page, lines[x - 1].line, true});
        }
        if (x >= lines.size() || exact.size() >= nc - 1) break;
        std::vector<int> n2;
        bool g2;
        if (Cues::Is(cues.end, lines[x].text) || row_start(x, &n2, &g2)) break;
        if (auto again = DetectHeader(lines, x, rules, cues); again && SameHeader(*again, h)) break;
        exact.push_back({lines[x].text, x, lines[x].page, lines[x].line, false});
      }
      std::vector<int> n2;
      bool g2;
      // An unnumbered row must be followed by the table's next row, so that
      // prose after the table is not read as one.
      const bool next_row = x < lines.size() && row_start(x, &n2, &g2);
      // A numbered row may also end the table when the rows above were read
      // so: a paragraph follows a table without an empty line.
      const bool table_goes_on = next_row || (!unnumbered && (x >= lines.size() || empty_before(x) > 0 ||
                                                             exact_above || Cues::Is(cues.end, lines[x].text)));
      if (exact.size() == nc - 1 && table_goes_on) {
        cells = std::move(exact);
        k = x;
        exact_row = true;
      }
    }
    if (unnumbered && !exact_row) break;
    if (!group && !exact_row && cells.size() == nc - 1) {
      // A full row on consecutive lines reads the same in that form.
      exact_row = true;
      for (size_t x = j + 1; x < k; ++x) exact_row = exact_row && empty_before(x) == 0;
    }
    const TextLine& L = lines[j];
    if (group) {
      Match m;
      std::string label = L.text, code, title;
      if (Cues::Is(cues.group_inline, L.text, &m)) {
        label = m.Group(1, "");
        code = m.Group(2, "");
        title = m.Group(3, "");
      } else if (!cells.empty()) {
        title = cells[0].text;
      }
      while (!label.empty() && label.back() == '.') label.pop_back();
      out->grid.rows.push_back(GroupRow(h.roles, label, code, title, L.page, L.line));
      group_above = true;  // exact_above kept: the form of the rows around a group row
      j = (Cues::Is(cues.group_inline, L.text) ? j + 1 : k);
      continue;
    }
    GridRow row;
    row.page = L.page;
    row.line = L.line;
    row.cells.assign(nc, BlankCell());
    if (!unnumbered) row.cells[0] = TextCell(L.text, L.page, L.line);
    if (cells.size() == nc - 1) {
      for (size_t c = 0; c < cells.size(); ++c) {
        row.cells[c + 1] = TextCell(cells[c].text, cells[c].page, cells[c].line);
      }
      // Such an export prints a cell merged over rows once, in its first
      // row, and leaves it empty below. A task row always names its lead:
      // an empty lead cell is the merged one above (not across a group row).
      const GridRow& before = out->grid.rows.back();
      for (size_t c = 1; c < nc && exact_row && !before.header && !group_above; ++c) {
        if (h.roles[c] != ColumnRole::kLead || !row.cells[c].blank || before.cells[c].blank) continue;
        row.cells[c] = before.cells[c];
        row.cells[c].from_span = true;
      }
    } else {
      double score = 0;
      auto placed = placer.Place(cells, 1, &score);
      for (size_t c = 1; c < nc; ++c) {
        if (placed[c].first == std::numeric_limits<size_t>::max()) continue;
        const Frag& f = cells[placed[c].first];
        row.cells[c] = TextCell(f.text, f.page, f.line);
      }
      if (diag && score < 0) {
        diag->Warn("table.row_uncertain", "cells of row " + L.text + " placed by meaning with low confidence",
                   L.page, L.line);
      }
    }
    out->grid.rows.push_back(std::move(row));
    group_above = false;
    exact_above = exact_row;
    j = k;
  }
  out->end = j;
  return out->grid.rows.size() > 1;
}

// ---------------------------------------------------------------- PDF text, cells wrapped

// Pieces of one printed line: runs of two or more spaces separate columns
// that the text extractor put on one line.
std::vector<std::string> SplitColumns(const std::string& t) {
  std::vector<std::string> out;
  size_t start = 0;
  for (size_t i = 0; i + 1 < t.size(); ++i) {
    if (t[i] == ' ' && t[i + 1] == ' ') {
      std::string piece = TrimWhitespace(t.substr(start, i - start));
      if (!piece.empty()) out.push_back(piece);
      while (i < t.size() && t[i] == ' ') ++i;
      start = i;
    }
  }
  std::string piece = TrimWhitespace(t.substr(start));
  if (!piece.empty()) out.push_back(piece);
  // "-  Kiện toàn ...": a bullet mark set off by spaces belongs to its text.
  for (size_t k = 0; k + 1 < out.size(); ++k) {
    if (out[k] == "-" || out[k] == "+") {
      out[k] += " " + out[k + 1];
      out.erase(out.begin() + static_cast<std::ptrdiff_t>(k) + 1);
    }
  }
  return out;
}

// ---------------------------------------------------------------- "|"-separated

bool ParsePipeTable(const std::vector<TextLine>& lines, const Header& h, const RuleSet& rules, const Cues& cues,
                    TextTable* out) {
  struct Tok {
    std::string text;
    int page = 0, line = 0;
  };
  std::vector<Tok> toks;
  size_t j = h.begin;
  for (; j < lines.size(); ++j) {
    const TextLine& l = lines[j];
    if (!IsPipeLine(l.text) || Cues::Is(cues.end, l.text)) break;
    for (std::string& c : PipeCells(l.text)) toks.push_back({std::move(c), l.page, l.line});
  }
  // A row is an opening "|" then N cells; find the N that makes every row
  // open with an empty token and most rows start with a number or group.
  const size_t hc = h.cells.size();
  size_t ncols = 0;
  for (size_t n = hc; n <= hc + 12 && ncols == 0; ++n) {
    size_t rows = toks.size() / (n + 1), good = 0;
    if (rows < 2) break;
    bool ok = true;
    for (size_t r = 0; r < rows && ok; ++r) {
      ok = toks[r * (n + 1)].text.empty();
      const std::string& first = toks[r * (n + 1) + 1].text;
      if (Cues::Is(cues.number, first) || Cues::Is(cues.group, first)) ++good;
    }
    if (ok && good > 0 && good * 2 + 2 >= rows) ncols = n;  // up to two header rows
  }
  if (ncols == 0) return false;
  std::vector<std::vector<Tok>> rows;
  for (size_t r = 0; r * (ncols + 1) < toks.size(); ++r) {
    std::vector<Tok> row;
    for (size_t c = 1; c <= ncols; ++c) {
      size_t k = r * (ncols + 1) + c;
      row.push_back(k < toks.size() ? toks[k] : Tok{});
    }
    rows.push_back(std::move(row));
  }
  size_t nhead = 0;
  while (nhead < rows.size() && !Cues::Is(cues.number, rows[nhead][0].text) &&
         !Cues::Is(cues.group, rows[nhead][0].text)) {
    ++nhead;
  }
  if (nhead == 0 || nhead == rows.size()) return false;
  // Header cells that span columns print their extra "|" at the end of the
  // row: when the first header row has e trailing empties and the second has
  // e + 1 cells, the spanning cell is the one whose role the second row's
  // cells share.
  std::vector<std::vector<GridCell>> head(nhead, std::vector<GridCell>(ncols));
  for (size_t r = 0; r < nhead; ++r) {
    for (size_t c = 0; c < ncols; ++c) head[r][c] = TextCell(rows[r][c].text, rows[r][c].page, rows[r][c].line);
  }
  if (nhead == 2) {
    auto count_text = [&](size_t r) {
      size_t t = 0;
      while (t < ncols && !rows[r][t].text.empty()) ++t;
      return t;
    };
    size_t t1 = count_text(0), t2 = count_text(1);
    if (t1 < ncols && t2 > 1 && t1 + t2 - 1 == ncols) {
      ColumnRole sub = ClassifyHeader(rows[1][0].text, rules);
      size_t span = t1;
      for (size_t c = 0; c < t1; ++c) {
        if (ClassifyHeader(rows[0][c].text, rules) == sub) span = c;
      }
      if (span < t1) {
        std::vector<GridCell> top, bottom;
        for (size_t c = 0; c < t1; ++c) {
          GridCell cell = TextCell(rows[0][c].text, rows[0][c].page, rows[0][c].line);
          if (c == span) {
            for (size_t k = 0; k < t2; ++k) {
              GridCell copy = cell;
              copy.from_span = k > 0;
              top.push_back(copy);
              bottom.push_back(TextCell(rows[1][k].text, rows[1][k].page, rows[1][k].line));
            }
          } else {
            top.push_back(cell);
            GridCell copy = cell;
            copy.from_span = true;
            bottom.push_back(copy);
          }
        }
        head[0] = top;
        head[1] = bottom;
      }
    }
  }
  std::vector<std::string> texts(ncols);
  for (size_t c = 0; c < ncols; ++c) {
    for (size_t r = nhead; r-- > 0;) {
      if (!head[r][c].blank && !head[r][c].from_span) {
        texts[c] = head[r][c].text;
        break;
      }
    }
    if (texts[c].empty()) texts[c] = head[0][c].text;
  }
  out->roles = ClassifyHeaderRow(texts, rules, &out->role_rules);
  for (size_t r = 0; r < nhead; ++r) {
    GridRow row;
    row.header = true;
    row.cells = head[r];
    row.page = rows[r][0].page;
    row.line = rows[r][0].line;
    out->grid.rows.push_back(std::move(row));
  }
  for (size_t r = nhead; r < rows.size(); ++r) {
    bool repeat = true;
    for (size_t c = 0; c < ncols && repeat; ++c) repeat = rows[r][c].text == rows[0][c].text;
    if (repeat) continue;
    GridRow row;
    for (const Tok& t : rows[r]) row.cells.push_back(TextCell(t.text, t.page, t.line));
    row.page = rows[r][0].page;
    row.line = rows[r][0].line;
    out->grid.rows.push_back(std::move(row));
  }
  out->end = j;
  return true;
}

}  // namespace text_tables_internal

using namespace text_tables_internal;  // NOLINT: this file implements them

void AppendWrappedKeyed(std::string* text, std::string* key, std::string_view next, std::string_view next_key) {
  const size_t before = text->size();
  AppendWrapped(text, next);
  if (text->size() == before) return;
  if (before == 0) {
    *key = next_key;
    return;
  }
  // AppendWrapped's joined part never starts with a space: one there is the
  // separator it put in.
  if ((*text)[before] == ' ') key->push_back(' ');
  key->append(next_key);
}

std::vector<TextTable> FindTextTables(const std::vector<TextLine>& lines, const RuleSet& rules,
                                      Diagnostics* diag, TextTableWork* work) {
  Cues cues(rules);
  cues.work = work;
  std::vector<TextTable> tables;
  size_t i = 0;
  while (i < lines.size()) {
    if (diag != nullptr && diag->OverBudget()) break;  // the pipeline fails the document
    std::optional<Header> h = DetectHeader(lines, i, rules, cues);
    if (!h) {
      ++i;
      continue;
    }
    TextTable t;
    t.begin = h->begin;
    bool ok = false;
    if (h->pipe) {
      ok = ParsePipeTable(lines, *h, rules, cues, &t);
    } else {
      t.roles = h->roles;
      t.role_rules = h->rules;
      ok = h->wrapped ? ParseFragmentTable(lines, *h, rules, cues, diag, &t)
                      : ParseLineTable(lines, *h, rules, cues, diag, &t);
    }
    if (!ok) {
      i = h->end > i ? h->end : i + 1;
      continue;
    }
    t.grid.columns = static_cast<int>(t.roles.size());
    if (!t.grid.rows.empty()) {
      t.grid.first_page = t.grid.rows[0].page;
      t.grid.line = t.grid.rows[0].line;
    }
    i = std::max(t.end, i + 1);
    tables.push_back(std::move(t));
  }
  return tables;
}

}  // namespace plantrace
