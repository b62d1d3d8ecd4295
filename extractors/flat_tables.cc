// Rebuilds flattened tables ("|" lines between cells) into Tables with spans.
// See flat_tables.h for the contract.
#include "extractors/flat_tables.h"

#include <algorithm>
#include <cstddef>
#include <limits>
#include <string>

#include "pipeline/base/columns.h"

namespace plantrace {
namespace {

constexpr size_t kNone = static_cast<size_t>(-1);

// A run of "|" lines, a cell (the lines between two runs), or a boundary (a
// pipe table) that no flattened table crosses.
struct Tok {
  enum class Kind { kPipe, kCell, kBoundary };
  Kind kind = Kind::kCell;
  int pipes = 0;
  std::vector<size_t> lines;  // item indices (kLine) of a cell, or of the pipe lines
  bool blank_before = false;  // a blank line in the file comes before the token
};

bool IsPipe(const MarkupItem& it) { return it.kind == MarkupItem::Kind::kLine && it.line.text == "|"; }

std::vector<Tok> Tokenize(const std::vector<MarkupItem>& items, const std::vector<bool>& blank_before) {
  std::vector<Tok> toks;
  auto blank = [&](const Line& l) {
    return l.line > 0 && static_cast<size_t>(l.line) < blank_before.size() && blank_before[l.line];
  };
  for (size_t i = 0; i < items.size(); ++i) {
    const MarkupItem& it = items[i];
    if (it.kind == MarkupItem::Kind::kBreak) continue;
    if (it.kind == MarkupItem::Kind::kTable) {
      toks.push_back(Tok{Tok::Kind::kBoundary, 0, {i}, true});
      continue;
    }
    bool b = blank(it.line);
    Tok::Kind kind = IsPipe(it) ? Tok::Kind::kPipe : Tok::Kind::kCell;
    if (!toks.empty() && toks.back().kind == kind && !b) {
      toks.back().lines.push_back(i);
      if (kind == Tok::Kind::kPipe) ++toks.back().pipes;
      continue;
    }
    toks.push_back(Tok{kind, kind == Tok::Kind::kPipe ? 1 : 0, {i}, b});
  }
  return toks;
}

class Rebuilder {
 public:
  Rebuilder(std::vector<MarkupItem>* items, std::vector<Tok> toks, const RuleSet* rules, Diagnostics* diag)
      : items_(*items), toks_(std::move(toks)), rules_(rules), diag_(diag) {}

  void Run() {
    std::vector<bool> drop(items_.size(), false);
    std::vector<std::pair<size_t, Table>> tables;  // at item index
    size_t t = 0;
    while (t < toks_.size()) {
      size_t head_begin = 0;
      if (toks_[t].kind == Tok::Kind::kPipe && toks_[t].pipes >= 2 && HeaderEndingAt(t, &head_begin)) {
        size_t end = t;
        Table table = Build(head_begin, t, &end);
        if (table.rows.size() >= 2) {
          // The table covers the tokens from the pipe before its header to `end`.
          size_t first = toks_[head_begin - 1].lines.front();
          for (size_t k = head_begin - 1; k <= end && k < toks_.size(); ++k) {
            for (size_t i : toks_[k].lines) drop[i] = true;
          }
          tables.emplace_back(first, std::move(table));
          t = end + 1;
          continue;
        }
      }
      ++t;
    }
    for (size_t i = 0; i < items_.size(); ++i) {
      if (IsPipe(items_[i])) drop[i] = true;
    }
    std::vector<MarkupItem> out;
    out.reserve(items_.size());
    size_t ti = 0;
    for (size_t i = 0; i < items_.size(); ++i) {
      if (ti < tables.size() && tables[ti].first == i) {
        MarkupItem b;
        out.push_back(b);  // kBreak
        MarkupItem tab;
        tab.kind = MarkupItem::Kind::kTable;
        tab.table = std::move(tables[ti].second);
        out.push_back(std::move(tab));
        out.push_back(MarkupItem{});
        ++ti;
      }
      if (!drop[i]) {
        out.push_back(std::move(items_[i]));
      } else if (IsPipe(items_[i]) && (out.empty() || out.back().kind != MarkupItem::Kind::kBreak)) {
        out.push_back(MarkupItem{});  // the cells of a layout table are paragraphs of their own
      }
    }
    items_ = std::move(out);
  }

 private:
  std::string CellText(size_t tok) const {
    std::string s;
    for (size_t i : toks_[tok].lines) {
      const std::string& t = items_[i].line.text;
      if (t.empty()) continue;
      if (!s.empty()) s += ' ';
      s += t;
    }
    return s;
  }

  std::string FirstLine(size_t tok) const {
    for (size_t i : toks_[tok].lines) {
      if (!items_[i].line.text.empty()) return items_[i].line.text;
    }
    return "";
  }

  // Header text without a trailing footnote mark ("Cơ quan chủ trì[1]").
  static std::string HeaderText(std::string s) {
    if (s.ends_with("]")) {
      size_t open = s.rfind('[');
      if (open != std::string::npos && open + 2 < s.size() &&
          s.find_first_not_of("0123456789", open + 1) == s.size() - 1) {
        s.erase(open);
      }
    }
    while (!s.empty() && s.back() == ' ') s.pop_back();
    return s;
  }

  bool HeaderLike(size_t tok) const {
    const Tok& k = toks_[tok];
    if (k.kind != Tok::Kind::kCell || k.lines.size() > 4) return false;
    std::string text = CellText(tok);
    if (text.empty() || text.size() > 120) return false;
    if (rules_ && MatchCellCue(*rules_, "table_end", FirstLine(tok))) return false;  // a bold "PHỤ LỤC II"
    if (rules_ && rules_->FullMatchIn("heading", text)) return false;  // "7. Mức thu phí:" above the table
    bool bold = true;
    for (size_t i : k.lines) bold = bold && (items_[i].line.text.empty() || items_[i].line.bold);
    if (bold) return true;
    return rules_ && ClassifyHeader(HeaderText(text), *rules_) != ColumnRole::kOther;
  }

  // True when the cells before the row end `t` (a run of two or more "|")
  // form a table header; `begin` gets the token index of its first cell.
  bool HeaderEndingAt(size_t t, size_t* begin) {
    size_t j = t;
    size_t first = kNone;
    while (j >= 2 && toks_[j - 1].kind == Tok::Kind::kCell && toks_[j - 2].kind == Tok::Kind::kPipe &&
           HeaderLike(j - 1)) {
      first = j - 1;
      // The row starts after a row break or where a blank line opens the table.
      if (toks_[j - 2].pipes >= 2 || toks_[j - 2].blank_before || toks_[j - 1].blank_before) break;
      j -= 2;
    }
    if (first == kNone) return false;
    size_t cells = (t - first + 1) / 2;
    if (cells < 3) return false;
    if (rules_) {
      std::vector<std::string> texts;
      for (size_t k = first; k < t; k += 2) texts.push_back(HeaderText(CellText(k)));
      int known = 0;
      for (ColumnRole r : ClassifyHeaderRow(texts, *rules_)) known += r != ColumnRole::kOther;
      if (known < 2) return false;
    }
    *begin = first;
    return true;
  }

  bool EndsTable(size_t tok) const {
    if (toks_[tok].blank_before) return true;
    return rules_ && MatchCellCue(*rules_, "table_end", FirstLine(tok));
  }

  bool Cue(const char* cue, const std::string& text) const { return rules_ && MatchCellCue(*rules_, cue, text); }

  bool IsLabel(const std::string& text) const {
    return IsRowNumber(text) || Cue("group", text) || Cue("number", text);
  }

  // How well a cell's text fits a column: positive for a cue of the column's
  // role, negative for a cue of another role.
  int Fit(ColumnRole role, const std::string& text) const {
    if (text.empty()) return 0;
    bool deadline = Cue("deadline_hint", text), agency = Cue("agency_hint", text);
    // "Ban hành trong năm 2026" opens like an agency ("Ban ...") but dates itself.
    bool digits = text.find_first_of("0123456789") != std::string::npos;
    switch (role) {
      case ColumnRole::kDeadline:
        return deadline ? 2 : (agency && !digits) ? -2 : 0;
      case ColumnRole::kLead:
      case ColumnRole::kCoord:
        return agency ? 2 : deadline ? -2 : 0;
      case ColumnRole::kNumber:
        return IsLabel(text) ? 2 : -2;
      default:
        return 0;
    }
  }

  struct Parsed {
    std::vector<size_t> cells;  // token index, kNone for an empty cell
    int line = 0;
  };

  Cell MakeCell(size_t tok, bool header) const {
    Cell c;
    c.header = header;
    if (tok == kNone) return c;
    for (size_t i : toks_[tok].lines) {
      if (items_[i].line.text.empty()) continue;
      c.lines.push_back(items_[i].line);
      if (header) c.lines.back().text = HeaderText(c.lines.back().text);
    }
    return c;
  }

  std::string Text(size_t tok) const { return tok == kNone ? "" : CellText(tok); }

  // Parses rows from the header's cells to the table's end; `end` gets the
  // last token index the table consumed.
  Table Build(size_t head_begin, size_t head_end, size_t* end) {
    std::vector<Parsed> rows;
    Parsed header;
    for (size_t k = head_begin; k < head_end; k += 2) header.cells.push_back(k);
    const size_t n = header.cells.size();
    size_t width = n;  // cells in a full row
    rows.push_back(header);
    size_t t = head_end;  // a row-ending pipe run
    *end = t;
    int carry = toks_[t].pipes - 2;
    bool done = false;
    while (!done && t + 1 < toks_.size() && toks_[t + 1].kind == Tok::Kind::kCell && !EndsTable(t + 1)) {
      Parsed row;
      row.cells.assign(static_cast<size_t>(std::max(0, carry)), kNone);
      carry = 0;
      size_t c = t + 1;
      while (true) {
        if (toks_[c].kind != Tok::Kind::kCell || EndsTable(c)) {
          done = true;
          break;
        }
        if (c + 1 >= toks_.size() || toks_[c + 1].kind != Tok::Kind::kPipe) {
          done = true;  // not closed by "|": text after the table
          break;
        }
        row.cells.push_back(c);
        if (row.line == 0) row.line = items_[toks_[c].lines.front()].line.line;
        const Tok& p = toks_[c + 1];
        *end = c + 1;
        if (p.pipes >= 2) {
          int extra = p.pipes - 2;
          // Empty cells beside a row break: they complete this row when that
          // makes it full, else they open the next.
          if (row.cells.size() + static_cast<size_t>(extra) == n) {
            row.cells.insert(row.cells.end(), static_cast<size_t>(extra), kNone);
          } else {
            carry = extra;
          }
          t = c + 1;
          break;
        }
        for (int e = 1; e < p.pipes; ++e) row.cells.push_back(kNone);
        if (row.cells.size() >= width) {
          done = true;  // full row closed by one "|": text follows
          break;
        }
        c += 2;
        if (c >= toks_.size()) {
          done = true;
          break;
        }
      }
      if (rows.size() == 1 && row.cells.size() >= 2 && row.cells.size() < n &&
          std::all_of(row.cells.begin(), row.cells.end(), [&](size_t k) { return k != kNone && HeaderLike(k); })) {
        width = n - 1 + row.cells.size();  // a second header row under one spanning title
      }
      if (!row.cells.empty()) rows.push_back(std::move(row));
    }
    return Place(rows, n);
  }

  // A second header row under one spanning title ("Cơ quan thực hiện" over
  // "Chủ trì | Phối hợp"): the index of the spanning cell in the first row,
  // or kNone. The rows below must be as wide as the two rows together.
  size_t SpanningParent(const std::vector<Parsed>& rows, size_t n) const {
    if (!rules_ || rows.size() < 3) return kNone;
    const Parsed& sub = rows[1];
    size_t k = sub.cells.size();
    if (k < 2 || k >= n) return kNone;
    std::vector<std::string> sub_texts;
    for (size_t t : sub.cells) {
      if (t == kNone || !HeaderLike(t)) return kNone;
      sub_texts.push_back(HeaderText(Text(t)));
    }
    size_t width = n - 1 + k, wide = 0;
    for (size_t ri = 2; ri < rows.size() && ri < 8; ++ri) wide += rows[ri].cells.size() == width;
    if (wide == 0) return kNone;
    std::vector<ColumnRole> sub_roles = ClassifyHeaderRow(sub_texts, *rules_);
    size_t other = kNone;
    for (size_t c = 0; c < rows[0].cells.size(); ++c) {
      ColumnRole r = ClassifyHeader(HeaderText(Text(rows[0].cells[c])), *rules_);
      if (std::find(sub_roles.begin(), sub_roles.end(), r) != sub_roles.end() && r != ColumnRole::kOther) return c;
      if (r == ColumnRole::kOther && other == kNone) other = c;
    }
    return other;
  }

  Table Place(const std::vector<Parsed>& rows_in, size_t n) {
    Table table;
    std::vector<Parsed> rows = rows_in;
    size_t parent = SpanningParent(rows, n);
    size_t sub_cells = parent == kNone ? 0 : rows[1].cells.size();
    std::vector<std::string> head;
    for (size_t c = 0; c < rows[0].cells.size(); ++c) {
      if (c == parent) {
        for (size_t t : rows[1].cells) head.push_back(HeaderText(Text(t)));
      } else {
        head.push_back(HeaderText(Text(rows[0].cells[c])));
      }
    }
    if (parent != kNone) {
      n = n - 1 + sub_cells;
      Row top, below;
      top.header = below.header = true;
      for (size_t c = 0; c < rows[0].cells.size(); ++c) {
        Cell cell = MakeCell(rows[0].cells[c], true);
        if (c == parent) {
          cell.col_span = static_cast<int>(sub_cells);
        } else {
          cell.row_span = 2;
        }
        top.cells.push_back(std::move(cell));
      }
      for (size_t t : rows[1].cells) below.cells.push_back(MakeCell(t, true));
      table.rows.push_back(std::move(top));
      table.rows.push_back(std::move(below));
      rows.erase(rows.begin(), rows.begin() + 2);
    }
    std::vector<ColumnRole> roles(n, ColumnRole::kOther);
    if (rules_) roles = ClassifyHeaderRow(head, *rules_);
    // owner[c]: (row, cell) of the table covering column c in the last row.
    std::vector<std::pair<size_t, size_t>> owner(n, {kNone, kNone});
    for (size_t ri = 0; ri < rows.size(); ++ri) {
      const Parsed& pr = rows[ri];
      std::vector<std::string> texts;
      for (size_t k : pr.cells) texts.push_back(Text(k));
      bool all_empty = std::all_of(texts.begin(), texts.end(), [](const std::string& s) { return s.empty(); });
      if (all_empty) continue;
      if (!table.rows.empty() && IsColumnNumberRow(texts)) continue;  // "(1) (2) (3)" under the header
      if (!table.rows.empty() && IsDots(texts)) {
        diag_->Warn("table.truncated", "table row of dots: the table is cut short here (" +
                                           std::to_string(table.rows.size() - 1) + " rows read)",
                    0, pr.line);
        continue;
      }
      Row row;
      row.page = 1;
      bool first = ri == 0 && parent == kNone;
      row.header = first || (texts.size() == head.size() && SameAsHeader(texts, head));
      std::vector<size_t> cols = Columns(pr, texts, roles, owner, n, first);
      size_t row_index = table.rows.size();
      std::vector<bool> covered(n, false);
      for (size_t i = 0; i < pr.cells.size(); ++i) {
        Cell cell = MakeCell(pr.cells[i], row.header);
        size_t col = cols[i];
        size_t next = i + 1 < cols.size() ? cols[i + 1] : n;
        // A label row ("A." + title): the last cell spans to the right edge.
        if (i + 1 == pr.cells.size() && col < n && next > col + 1 && IsGroupRow(texts)) {
          cell.col_span = static_cast<int>(next - col);
        }
        for (size_t c = col; c < col + static_cast<size_t>(cell.col_span) && c < n; ++c) {
          // Header cells never span down into the body.
          owner[c] = row.header ? std::make_pair(kNone, kNone) : std::make_pair(row_index, row.cells.size());
          covered[c] = true;
        }
        row.cells.push_back(std::move(cell));
      }
      // Columns this row does not print: the cell above spans down.
      for (size_t c = 0; c < n; ++c) {
        if (covered[c] || owner[c].first == kNone || owner[c].first == row_index) continue;
        Cell& above = table.rows[owner[c].first].cells[owner[c].second];
        if (owner[c].first + static_cast<size_t>(above.row_span) == row_index) ++above.row_span;
      }
      table.rows.push_back(std::move(row));
    }
    return table;
  }

  static bool IsColumnNumberRow(const std::vector<std::string>& texts) {
    if (texts.size() < 3) return false;
    for (size_t i = 0; i < texts.size(); ++i) {
      std::string want = std::to_string(i + 1);
      if (texts[i] != want && texts[i] != "(" + want + ")") return false;
    }
    return true;
  }

  static bool IsDots(const std::vector<std::string>& texts) {
    bool any = false;
    for (const std::string& t : texts) {
      if (t.empty()) continue;
      if (t.find_first_not_of(".… ") != std::string::npos) return false;
      any = true;
    }
    return any;
  }

  static bool SameAsHeader(const std::vector<std::string>& texts, const std::vector<std::string>& head) {
    for (size_t i = 0; i < texts.size(); ++i) {
      if (texts[i] != head[i]) return false;
    }
    return true;
  }

  bool IsGroupRow(const std::vector<std::string>& texts) const {
    size_t filled = 0;
    for (const std::string& t : texts) filled += !t.empty();
    return filled <= 2 && !texts.empty() && (texts[0].empty() || IsLabel(texts[0]));
  }

  struct Placement {
    bool found = false;
    int score = 0;
    std::vector<size_t> columns;
  };

  // The best order-keeping choice of k of the n columns for the cells of a
  // continuation row (fits[i * n + c]: how cell i fits column c): of the
  // choices that leave out only whole cells spanning down from above, the
  // highest total fit, and of equal ones the one leaving out the columns
  // furthest left (as placing on the right does). The columns of one cell
  // above are consecutive, so the choice is made run by run: O(n k), where
  // trying every choice took C(n, k) steps (C(26, 13) = 10 million, minutes
  // for one row of a wide budget table: a fuzz finding).
  static Placement BestPlacement(const std::vector<int>& fits, const std::vector<std::pair<size_t, size_t>>& owner,
                                 size_t n, size_t k) {
    struct Run {
      size_t begin, size;
      bool owned;  // a cell above spans down into it: the row may leave it out
    };
    std::vector<Run> runs;
    for (size_t c = 0; c < n; ++c) {
      const bool owned = owner[c].first != kNone;
      if (owned && c > 0 && owner[c] == owner[c - 1]) {
        ++runs.back().size;
      } else {
        runs.push_back({c, 1, owned});
      }
    }
    for (size_t r = 0; r < runs.size(); ++r) {
      for (size_t q = r + 1; q < runs.size(); ++q) {
        // One cell over two runs: tables built here never have one.
        if (runs[r].owned && owner[runs[q].begin] == owner[runs[r].begin]) return {};
      }
    }
    // best[r * (k + 1) + i]: the highest fit of runs r.. for cells i..k-1.
    constexpr int kNever = std::numeric_limits<int>::min();
    const size_t width = k + 1;
    std::vector<int> best((runs.size() + 1) * width, kNever);
    best[runs.size() * width + k] = 0;
    auto take = [&](size_t r, size_t i) {  // cells i.. into run r, and what follows
      const Run& run = runs[r];
      if (i + run.size > k || best[(r + 1) * width + i + run.size] == kNever) return kNever;
      int s = best[(r + 1) * width + i + run.size];
      for (size_t j = 0; j < run.size; ++j) s += fits[(i + j) * n + run.begin + j];
      return s;
    };
    for (size_t r = runs.size(); r-- > 0;) {
      for (size_t i = 0; i <= k; ++i) {
        int leave = runs[r].owned ? best[(r + 1) * width + i] : kNever;
        best[r * width + i] = std::max(leave, take(r, i));
      }
    }
    Placement p;
    if (best[0] == kNever) return p;
    p.found = true;
    p.score = best[0];
    for (size_t r = 0, i = 0; r < runs.size(); ++r) {
      if (runs[r].owned && best[(r + 1) * width + i] == best[r * width + i]) continue;  // left out
      for (size_t j = 0; j < runs[r].size; ++j) p.columns.push_back(runs[r].begin + j);
      i += runs[r].size;
    }
    return p;
  }

  // The column of each printed cell of a row.
  std::vector<size_t> Columns(const Parsed& pr, const std::vector<std::string>& texts,
                              const std::vector<ColumnRole>& roles,
                              const std::vector<std::pair<size_t, size_t>>& owner, size_t n, bool first_row) {
    size_t k = pr.cells.size();
    std::vector<size_t> cols(k);
    for (size_t i = 0; i < k; ++i) cols[i] = i;
    if (k >= n || first_row) {
      if (k > n) diag_->Warn("table.row_long", "table row has " + std::to_string(k) + " cells, header " +
                                                   std::to_string(n), 0, pr.line);
      return cols;
    }
    if (IsGroupRow(texts) || (!texts[0].empty() && IsLabel(texts[0]))) {
      if (!IsGroupRow(texts)) {
        diag_->Warn("table.row_short", "numbered table row has " + std::to_string(k) + " of " + std::to_string(n) +
                                           " cells; placed from the left",
                    0, pr.line);
      }
      return cols;  // a new record starts at the left
    }
    // A continuation row: the cells above span down over the columns it leaves out.
    auto placeable = [&](const std::vector<size_t>& cs) {
      std::vector<bool> printed(n, false);
      for (size_t c : cs) printed[c] = true;
      for (size_t c = 0; c < n; ++c) {
        if (printed[c]) continue;
        if (owner[c].first == kNone) return false;
        // Every column of the spanning cell must be left out too.
        for (size_t d = 0; d < n; ++d) {
          if (owner[d] == owner[c] && printed[d]) return false;
        }
      }
      return true;
    };
    std::vector<size_t> right(k);
    for (size_t i = 0; i < k; ++i) right[i] = n - k + i;
    bool contradiction = false;
    int best = 0;
    for (size_t i = 0; i < k; ++i) {
      int f = Fit(roles[right[i]], texts[i]);
      best += f;
      contradiction |= f < 0;
    }
    std::vector<size_t> chosen = right;
    bool ok = placeable(right);
    if (rules_ && (contradiction || !ok)) {
      std::vector<int> fits(k * n);
      for (size_t i = 0; i < k; ++i) {
        for (size_t c = 0; c < n; ++c) fits[i * n + c] = Fit(roles[c], texts[i]);
      }
      Placement alt = BestPlacement(fits, owner, n, k);
      if (alt.found && (!ok || alt.score > best)) {
        chosen = std::move(alt.columns);
        ok = true;
      }
    }
    if (!ok) {
      diag_->Warn("table.row_unplaced", "table row of " + std::to_string(k) + " cells under a header of " +
                                            std::to_string(n) + " fits no merged cells above; placed on the right",
                  0, pr.line);
    }
    return chosen;
  }

  std::vector<MarkupItem>& items_;
  std::vector<Tok> toks_;
  const RuleSet* rules_;
  Diagnostics* diag_;
};

}  // namespace

void RebuildFlatTables(std::vector<MarkupItem>* items, const std::vector<bool>& blank_before, const RuleSet* rules,
                       Diagnostics* diag) {
  Diagnostics ignored;
  Rebuilder(items, Tokenize(*items, blank_before), rules, diag ? diag : &ignored).Run();
}

}  // namespace plantrace
