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

namespace plantrace {
namespace {

constexpr double kNegInf = -1e18;
constexpr size_t kMaxHeaderLines = 32;  // a header run longer than this is prose
constexpr size_t kMaxHeaderWords = 10;  // words in one header cell
constexpr size_t kMaxHeaderLineWords = 12;
constexpr size_t kMaxCellLines = 24;    // wrapped lines in one cell of a PDF table
constexpr double kNewRowCost = 3;       // an unnumbered row starting after a page break

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

// ---------------------------------------------------------------- placing cells by meaning

// A piece of a row: one line, or a part of a line, or a whitespace
// placeholder (empty text) that stands for a blank cell.
struct Frag {
  std::string text;
  size_t index = 0;  // input line index
  int page = 0, line = 0;
  bool placeholder = false;
};

// Cue facts by cell text, each found when first asked for. A table's
// placements judge the same texts again and again (two passes, the split of
// a page break's continuations), and a column asks only for the cues of its
// role; so a cue is matched at most once per text and table.
struct CueMemo {
  enum Cue : uint16_t {
    kDeadline = 1 << 0,
    kAgency = 1 << 1,
    kWhole = 1 << 2,       // a whole agency name (only asked of an agency)
    kIncomplete = 1 << 3,  // an agency name cut short (only asked of an agency)
    kCode = 1 << 4,
    kFunding = 1 << 5,
    kUnit = 1 << 6,
    kTarget = 1 << 7,
  };
  struct Facts {
    uint16_t known = 0, yes = 0;
    int nwords = -1;  // -1: not counted yet
  };
  std::unordered_map<std::string, Facts> facts;
  std::unordered_map<std::string, bool> incomplete;   // cell.agency_incomplete on the whole text
  std::unordered_map<std::string, std::string> keys;  // CellKey of a line or a cell above
};

struct Placer {
  const Cues& cues;
  const std::vector<ColumnRole>& roles;
  bool multi_line;              // cells may span several fragments
  std::vector<double> widths;   // per column, characters; 0 = unknown
  // For the first row after a page break: the cells of the row above (as
  // merged), which a cell of this row may continue; `join_only` when every
  // cell must be such a continuation.
  const std::vector<std::string>* above = nullptr;
  bool join_only = false;
  // A row after a page break that prints no task code: its title cell,
  // merged within one code, can only continue the title above.
  bool title_open = false;
  CueMemo* memo = nullptr;  // owned by the caller, one per table; required

  std::string KeyOf(const std::string& text) const {
    auto it = memo->keys.find(text);
    if (it == memo->keys.end()) it = memo->keys.emplace(text, CellKey(text)).first;
    return it->second;
  }

  bool Incomplete(const std::string& text) const {
    auto it = memo->incomplete.find(text);
    if (it == memo->incomplete.end()) {
      it = memo->incomplete.emplace(text, Cues::Is(cues.agency_incomplete, text)).first;
    }
    return it->second;
  }

  // Whether `text`, printed in column `col` after a page break, continues
  // the cell `before` that the break cut: `before` ends unfinished (a head
  // noun, a connector, a comma), or `text` starts in lower case in a column
  // of running text. An agency or deadline cell that reads complete is not
  // continued by a lower-case line: that line is the content's.
  bool Continues(size_t col, const std::string& before, std::string_view text) const {
    if (before.empty() || text.empty() || text.starts_with("- ")) return false;
    if (Incomplete(before)) return true;
    if (roles[col] == ColumnRole::kTitle && title_open) return true;
    switch (roles[col]) {
      case ColumnRole::kLead:
      case ColumnRole::kCoord:
      case ColumnRole::kMonitor:
      case ColumnRole::kDeadline:
      case ColumnRole::kCode:
      case ColumnRole::kUnit:
        return false;
      default:
        return StartsLower(text);
    }
  }

  // Per fragment facts the scoring reads many times.
  struct FragInfo {
    double len = 0, first_word = 0;
    bool lower = false, upper = false, bullet = false;
    std::string key;  // CellKey of the text
  };

  // What the cues say about the text of fragments [b, e), computed once per
  // span: the placement tries each span against every column.
  struct Span {
    bool done = false;
    std::string text;
    std::string key;                    // CellKey(text), built from the lines' keys
    CueMemo::Facts* facts = nullptr;    // in the memo, set by Judge
  };
  // Spans [b, e) with e - b <= kMaxCellLines, the longest a cell can be: by
  // b then length, so the cache grows with the row, not its square.
  using SpanCache = std::vector<Span>;
  static size_t SpanCacheSize(size_t m) { return (m + 1) * (kMaxCellLines + 1); }

  const Span& Cached(const std::vector<Frag>& f, const std::vector<FragInfo>& info, size_t b, size_t e,
                     SpanCache* cache) const {
    Span& sp = (*cache)[b * (kMaxCellLines + 1) + (e - b)];
    if (sp.done) return sp;
    sp.done = true;
    for (size_t k = b; k < e; ++k) AppendWrappedKeyed(&sp.text, &sp.key, f[k].text, info[k].key);
    Judge(&sp);
    return sp;
  }

  // Ties `sp` (text and key set) to its facts in the memo.
  void Judge(Span* sp) const { sp->facts = &memo->facts[sp->text]; }

  // Whether the cue holds for the span's text.
  bool Is(const Span& sp, CueMemo::Cue cue) const {
    CueMemo::Facts& f = *sp.facts;
    if (!(f.known & cue)) {
      if (cues.work) ++cues.work->cues_matched;
      bool yes = false;
      switch (cue) {
        case CueMemo::kDeadline: yes = Cues::Is(cues.deadline, sp.text, sp.key); break;
        case CueMemo::kAgency: yes = Cues::Is(cues.agency, sp.text, sp.key); break;
        case CueMemo::kWhole: yes = Is(sp, CueMemo::kAgency) && Cues::Is(cues.agency_whole, sp.text, sp.key); break;
        case CueMemo::kIncomplete:
          yes = Is(sp, CueMemo::kAgency) && Cues::Is(cues.agency_incomplete, sp.text, sp.key);
          break;
        case CueMemo::kCode: yes = Cues::Is(cues.code, sp.text, sp.key); break;
        case CueMemo::kFunding: yes = Cues::Is(cues.funding, sp.text, sp.key); break;
        case CueMemo::kUnit: yes = Cues::Is(cues.unit, sp.text, sp.key); break;
        case CueMemo::kTarget: yes = Cues::Is(cues.target, sp.text, sp.key); break;
      }
      f.known |= cue;
      if (yes) f.yes |= cue;
    }
    return f.yes & cue;
  }

  int Nwords(const Span& sp) const {
    CueMemo::Facts& f = *sp.facts;
    if (f.nwords < 0) f.nwords = static_cast<int>(CountWords(sp.text));
    return f.nwords;
  }

  double Meaning(const Span& sp, ColumnRole role) const {
    switch (role) {
      case ColumnRole::kDeadline:
        return Is(sp, CueMemo::kDeadline) ? 4 : -4;
      case ColumnRole::kLead:
      case ColumnRole::kCoord:
      case ColumnRole::kMonitor:
        if (!Is(sp, CueMemo::kAgency)) return Is(sp, CueMemo::kDeadline) ? -4 : -2;
        if (Is(sp, CueMemo::kIncomplete)) return -1;
        return Is(sp, CueMemo::kWhole) ? 4.5 : 3;
      case ColumnRole::kOutput:
        return (Is(sp, CueMemo::kAgency) || Is(sp, CueMemo::kDeadline)) ? -2 : 0.5;
      case ColumnRole::kCode:
        return Is(sp, CueMemo::kCode) ? 4 : -6;
      case ColumnRole::kFunding:
        return Is(sp, CueMemo::kFunding) ? 3 : -3;
      case ColumnRole::kUnit:
        return Is(sp, CueMemo::kUnit) ? 2 : (Nwords(sp) > 4 ? -3 : -1);
      case ColumnRole::kTarget:
        return Is(sp, CueMemo::kTarget) ? 2 : -1;
      case ColumnRole::kName:
      case ColumnRole::kTitle:
      case ColumnRole::kIndicator: {
        if (Is(sp, CueMemo::kDeadline)) return -3;
        double s = (Is(sp, CueMemo::kAgency) && Nwords(sp) < 8) ? -1.5 : 0.5;
        if (sp.text.starts_with("-")) s += role == ColumnRole::kTitle ? -2 : 0.5;
        return s;
      }
      default:
        return 0;
    }
  }

  // Leaving a column without a cell: cheap, except the row's name, which a
  // task or indicator row always prints in line-per-cell dumps.
  double SkipCost(size_t col) const {
    bool name = roles[col] == ColumnRole::kName || roles[col] == ColumnRole::kIndicator;
    return name && !multi_line ? 3 : 0.25;
  }

  std::vector<FragInfo> Infos(const std::vector<Frag>& f) const {
    std::vector<FragInfo> out(f.size());
    for (size_t k = 0; k < f.size(); ++k) {
      out[k].key = KeyOf(f[k].text);
      std::vector<std::string> ws = SplitWords(f[k].text);
      out[k].len = static_cast<double>(Utf8Length(f[k].text));
      out[k].first_word = ws.empty() ? 0 : static_cast<double>(Utf8Length(ws[0]));
      out[k].lower = StartsLower(f[k].text);
      out[k].upper = StartsUpper(f[k].text);
      out[k].bullet = f[k].text.starts_with("- ") || f[k].text.starts_with("+ ");
    }
    return out;
  }

  // Score of fragments [b, e) as one cell of column `col`.
  double CellScore(const std::vector<Frag>& f, const std::vector<FragInfo>& info, size_t b, size_t e, size_t col,
                   SpanCache* cache) const {
    if (cues.work) ++cues.work->cells_scored;
    if (f[b].placeholder) return e == b + 1 ? 1.0 : kNegInf;
    // Decided first: in a row of continuations most spans fail here, before
    // their text is judged.
    const bool continues = above && col < above->size() && Continues(col, (*above)[col], f[b].text);
    if (!continues && (join_only || (title_open && roles[col] == ColumnRole::kTitle))) return kNegInf;
    double s = 0;
    double w = col < widths.size() ? widths[col] : 0;
    const bool agency_col =
        roles[col] == ColumnRole::kLead || roles[col] == ColumnRole::kCoord || roles[col] == ColumnRole::kMonitor;
    for (size_t k = b; k < e; ++k) {
      if (f[k].placeholder) return kNegInf;
      if (w > 0 && info[k].len > w * 1.15 + 2) s -= 3;
      if (k > b) {
        // A line breaks only where the next word did not fit.
        double need = info[k - 1].len + 1 + info[k].first_word;
        if (w > 0 && need < w * 0.75) s -= 2.5;
        if (info[k].lower) s += 1;
        if (info[k].bullet) s -= 1.5;
        if (agency_col && info[k].upper) {
          const Span& before = Cached(f, info, b, k, cache);
          if (Is(before, CueMemo::kWhole) && !Is(before, CueMemo::kIncomplete)) s -= 2;  // a whole agency name, then a capitalised line
        }
        if (agency_col && Is(Cached(f, info, k, k + 1, cache), CueMemo::kDeadline)) s -= 2;  // a line that reads as a deadline
      }
    }
    if (continues) {
      // The cell continues the one above: judge the joined text.
      Span alone;
      alone.text = (*above)[col];
      alone.key = KeyOf(alone.text);
      Judge(&alone);
      Span joined;
      joined.text = alone.text;
      joined.key = alone.key;
      for (size_t k = b; k < e; ++k) AppendWrappedKeyed(&joined.text, &joined.key, f[k].text, info[k].key);
      Judge(&joined);
      // Rewarded by what the join adds to the cell's meaning, and when the
      // cell above reads unfinished.
      const double unfinished = Incomplete(alone.text) ? 1.5 : 0;
      return s + unfinished + Meaning(joined, roles[col]) - Meaning(alone, roles[col]);
    }
    if (info[b].lower) s -= above ? 4.5 : 2.5;  // after a page break a lower-case line continues a cell
    s += Meaning(Cached(f, info, b, e, cache), roles[col]);
    return s;
  }

  // Most lines (not placeholders) that `columns` columns can hold.
  size_t Capacity(size_t columns) const { return columns * (multi_line ? kMaxCellLines : 1); }

  // The placement as steps from state (i, j), fragment i and column j: take
  // fragments [i, e) as column j, drop a placeholder too many (-2), or skip
  // column j (SkipCost). Placing ends once every fragment is taken; the
  // columns left then cost nothing.
  struct Table {
    std::vector<std::vector<double>> best;  // [i][j]: best score placing fragments i.. into columns j..
    std::vector<std::vector<std::pair<size_t, size_t>>> choice;  // the step: (next i, 1 take | 2 drop | 0 skip)
  };

  // Fills the table from the last fragment back. A column takes one
  // placeholder or up to kMaxCellLines lines: where the lines left outnumber
  // what the columns left can hold, nothing fits and the state is not tried
  // (a table whose rows were not found can hand over thousands of lines).
  Table Solve(const std::vector<Frag>& f, size_t first, const std::vector<FragInfo>& info,
              SpanCache* cache) const {
    const size_t m = f.size(), nc = roles.size();
    Table t;
    t.best.assign(m + 1, std::vector<double>(nc + 1, kNegInf));
    t.choice.assign(m + 1, std::vector<std::pair<size_t, size_t>>(nc + 1));
    auto& best = t.best;
    auto& choice = t.choice;
    for (size_t j = 0; j <= nc; ++j) best[m][j] = 0;
    std::vector<size_t> lines_from(m + 1, 0);
    for (size_t i = m; i-- > 0;) lines_from[i] = lines_from[i + 1] + (f[i].placeholder ? 0 : 1);
    if (cues.work) cues.work->steps += SpanCacheSize(m) + m * (nc - first);
    for (size_t i = m; i-- > 0;) {
      for (size_t j = nc; j-- > first;) {
        if (lines_from[i] > Capacity(nc - j)) continue;
        // Take fragments i..e-1 as column j (preferred on ties), or skip column j.
        size_t max_e = multi_line ? std::min(m, i + kMaxCellLines) : i + 1;
        for (size_t e = i + 1; e <= max_e; ++e) {
          if (best[e][j + 1] <= kNegInf / 2) continue;
          double s = CellScore(f, info, i, e, j, cache);
          if (s <= kNegInf / 2) continue;
          double total = s + best[e][j + 1];
          if (total > best[i][j]) {
            best[i][j] = total;
            choice[i][j] = {e, 1};
          }
        }
        if (f[i].placeholder && best[i + 1][j] > kNegInf / 2 && best[i + 1][j] - 2 > best[i][j]) {
          best[i][j] = best[i + 1][j] - 2;  // a placeholder too many: dropped
          choice[i][j] = {i + 1, 2};
        }
        double skip = best[i][j + 1] - SkipCost(j);
        if (best[i][j + 1] > kNegInf / 2 && skip > best[i][j]) {
          best[i][j] = skip;
          choice[i][j] = {i, 0};
        }
      }
    }
    return t;
  }

  // Places fragments into columns first..roles.size()-1 in order, skipping
  // columns where needed. Returns for each column the fragment range
  // [b, e) or (npos, npos) when the column got nothing; `score` the total.
  std::vector<std::pair<size_t, size_t>> Place(const std::vector<Frag>& f, size_t first, double* score) const {
    const size_t m = f.size(), nc = roles.size();
    constexpr size_t npos = std::numeric_limits<size_t>::max();
    std::vector<std::pair<size_t, size_t>> out(nc, {npos, npos});
    size_t lines = 0;
    for (const Frag& x : f) lines += x.placeholder ? 0 : 1;
    if (lines > Capacity(nc - first)) {
      if (score) *score = kNegInf;
      return out;
    }
    SpanCache cache(SpanCacheSize(m));
    const Table t = Solve(f, first, Infos(f), &cache);
    if (score) *score = t.best[0][first];
    if (t.best[0][first] <= kNegInf / 2) return out;
    size_t i = 0, j = first;
    while (i < m && j < nc) {
      auto [e, how] = t.choice[i][j];
      if (how == 1) out[j] = {i, e};
      i = e;
      if (how != 2) ++j;
    }
    return out;
  }

  // The scores Place gives every suffix f[s..] (index s): one table serves
  // them all, as the table of a suffix is the tail of the whole one.
  std::vector<double> SuffixScores(const std::vector<Frag>& f, size_t first) const {
    SpanCache cache(SpanCacheSize(f.size()));
    const Table t = Solve(f, first, Infos(f), &cache);
    std::vector<double> out(f.size() + 1);
    for (size_t s = 0; s <= f.size(); ++s) out[s] = t.best[s][first];
    return out;
  }

  // The scores Place gives every prefix f[..s) (index s), by the same steps
  // taken from the first fragment forward: the best path to (s, j) for any
  // j, as the columns left after the last fragment cost nothing. The scores
  // are sums of quarters, so the order of adding does not change them.
  std::vector<double> PrefixScores(const std::vector<Frag>& f, size_t first) const {
    const size_t m = f.size(), nc = roles.size();
    SpanCache cache(SpanCacheSize(m));
    const std::vector<FragInfo> info = Infos(f);
    if (cues.work) cues.work->steps += SpanCacheSize(m) + m * (nc - first);
    std::vector<std::vector<double>> reach(m + 1, std::vector<double>(nc + 1, kNegInf));
    reach[0][first] = 0;
    auto relax = [](double* to, double v) {
      if (v > *to) *to = v;
    };
    for (size_t i = 0; i <= m; ++i) {
      for (size_t j = first; j <= nc; ++j) {
        const double here = reach[i][j];
        if (here <= kNegInf / 2 || i == m) continue;
        if (j < nc) {
          relax(&reach[i][j + 1], here - SkipCost(j));
          size_t max_e = multi_line ? std::min(m, i + kMaxCellLines) : i + 1;
          for (size_t e = i + 1; e <= max_e; ++e) {
            double s = CellScore(f, info, i, e, j, &cache);
            if (s > kNegInf / 2) relax(&reach[e][j + 1], here + s);
          }
          if (f[i].placeholder) relax(&reach[i + 1][j], here - 2);
        }
      }
    }
    std::vector<double> out(m + 1, kNegInf);
    for (size_t s = 0; s <= m; ++s) {
      for (size_t j = first; j <= nc; ++j) out[s] = std::max(out[s], reach[s][j]);
    }
    return out;
  }
};

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

struct FragRow {
  bool group = false;
  bool open = false;               // a group label printed alone: its title follows
  std::string label, code, title;  // group rows
  Frag number;                     // numbered rows; text empty for an unnumbered row
  std::vector<Frag> frags;
  int page = 0, line = 0;
  // The first row after a repeated header: its cells may continue cells the
  // page break cut (joined back to the row above). A `join_only` row is made
  // only of such continuations and is no row of its own.
  bool continues = false;
  bool join_only = false;
  bool after_break = false;  // continues, or the new row split from a continuing one
  bool numbered_after_break = false;  // opens with its own number right after a break
};

bool ParseFragmentTable(const std::vector<TextLine>& lines, const Header& h, const RuleSet& rules,
                        const Cues& cues, Diagnostics* diag, TextTable* out) {
  const size_t nc = h.roles.size();
  out->grid.rows.push_back(HeaderRow(h));
  // Extent of the body, and whether its lines are double spaced (then a
  // second blank line stands for a whitespace-only placeholder cell).
  size_t end = h.end;
  std::vector<size_t> body;
  // A header repeated at a page break may print only some of its words
  // ("Mã", "nhiệm", "vụ", "Lộ", "trình"): a run of two or more lines made
  // only of the header's own words, starting with a cell's first word.
  // Two words are enough when they are a gapped part of one longer cell
  // ("Mã" "vụ" of "Mã nhiệm vụ"): body text does not skip a word so.
  std::set<std::string> vocab, heads;
  std::vector<std::vector<std::string>> cell_words;
  for (const HeaderCell& c : h.cells) {
    std::vector<std::string> ws = SplitWords(ToLower(c.text));
    vocab.insert(ws.begin(), ws.end());
    if (!ws.empty()) heads.insert(ws[0]);
    cell_words.push_back(std::move(ws));
  }
  auto gapped_part = [&](const std::vector<std::string>& run) {
    for (const std::vector<std::string>& cw : cell_words) {
      if (cw.size() <= run.size() || run.empty() || cw[0] != run[0]) continue;
      size_t at = 0;
      for (const std::string& w : cw) at += at < run.size() && run[at] == w;
      if (at == run.size()) return true;
    }
    return false;
  };
  auto header_run = [&](size_t k) {
    std::vector<std::string> first = SplitWords(ToLower(lines[k].text));
    if (first.empty() || !heads.count(first[0])) return k;
    size_t e = k;
    std::vector<std::string> run;
    for (; e < lines.size(); ++e) {
      std::vector<std::string> ws = SplitWords(ToLower(lines[e].text));
      bool all = !ws.empty();
      for (const std::string& w : ws) all = all && vocab.count(w) > 0;
      if (!all) break;
      run.insert(run.end(), ws.begin(), ws.end());
    }
    return (e - k >= 2 && (run.size() >= 3 || gapped_part(run))) ? e : k;
  };
  // A page number: up to three digits (not a year) alone on the line just
  // before a repeated header.
  auto page_number = [&](size_t k) {
    const std::string& t = lines[k].text;
    if (k + 1 >= lines.size() || t.empty() || t.size() > 3 ||
        t.find_first_not_of("0123456789") != std::string::npos) {
      return false;
    }
    auto again = DetectHeader(lines, k + 1, rules, cues);
    return (again && SameHeader(*again, h)) || header_run(k + 1) > k + 1;
  };
  std::vector<bool> after_header;  // per body line: a repeated header came just before it
  bool skipped = false;
  while (end < lines.size()) {
    if (Cues::Is(cues.end, lines[end].text)) break;
    if (auto again = DetectHeader(lines, end, rules, cues); again && SameHeader(*again, h)) {
      end = again->end;
      skipped = true;
      continue;
    }
    if (size_t e = header_run(end); e > end) {
      end = e;
      skipped = true;
      continue;
    }
    if (page_number(end)) {
      ++end;
      continue;
    }
    body.push_back(end++);
    after_header.push_back(skipped);
    skipped = false;
  }
  out->end = end;
  size_t spaced = 0;
  for (size_t k = 1; k < body.size(); ++k) spaced += lines[body[k]].line - lines[body[k - 1]].line == 2;
  const bool double_spaced = body.size() > 4 && spaced * 2 > body.size();

  std::vector<FragRow> rows;
  std::vector<int> prev;
  bool after_group = true;
  bool page_break = false;  // a repeated header came since the last row or fragment
  auto add_frag = [&](Frag f) {
    if (!rows.empty() && rows.back().group && !f.placeholder &&
        (rows.back().open || (StartsLower(f.text) && rows.back().frags.empty()))) {
      AppendWrapped(&rows.back().title, f.text);  // a group title wrapped over lines
      return;
    }
    if (!rows.empty() && rows.back().group && f.placeholder) return;
    if (rows.empty() || rows.back().group || (page_break && !f.placeholder)) {
      FragRow r;  // text before any numbered row, or after a page break: an unnumbered row
      r.page = f.page;
      r.line = f.line;
      r.continues = page_break && !rows.empty() && !rows.back().group;
      r.after_break = r.continues;
      rows.push_back(std::move(r));
    }
    if (!f.placeholder) page_break = false;
    rows.back().frags.push_back(std::move(f));
  };
  auto try_number = [&](const std::string& word, std::vector<int>* num) {
    if (!Cues::Is(cues.number, word)) return false;
    *num = ParseNumber(word);
    return PlausibleNext(prev, *num, after_group);
  };
  for (size_t bi = 0; bi < body.size(); ++bi) {
    const TextLine& l = lines[body[bi]];
    if (after_header[bi]) page_break = true;
    if (double_spaced && bi > 0 && !after_header[bi]) {
      int gap = l.line - lines[body[bi - 1]].line - 1;
      for (int k = 0; k < gap / 2 && !rows.empty() && !rows.back().group; ++k) {
        add_frag(Frag{"", body[bi], l.page, l.line, true});
      }
    }
    Match m;
    if (Cues::Is(cues.group, l.text, &m)) {
      FragRow r;
      r.group = true;
      r.open = true;
      r.label = m.Group(1, "");
      r.page = l.page;
      r.line = l.line;
      rows.push_back(std::move(r));
      after_group = true;
      page_break = false;
      continue;
    }
    if (Cues::Is(cues.group_inline, l.text, &m) && !Cues::Is(cues.number, SplitWords(l.text)[0])) {
      FragRow r;
      r.group = true;
      r.label = m.Group(1, "");
      r.code = m.Group(2, "");
      r.title = CollapseSpaces(m.Group(3, ""));
      r.page = l.page;
      r.line = l.line;
      rows.push_back(std::move(r));
      after_group = true;
      page_break = false;
      continue;
    }
    for (const std::string& piece : SplitColumns(l.text)) {
      std::vector<std::string> ws = SplitWords(piece);
      std::vector<int> num;
      if (try_number(ws[0], &num)) {
        FragRow r;
        r.number = Frag{ws[0], body[bi], l.page, l.line, false};
        r.page = l.page;
        r.line = l.line;
        // A numbered row is a task of its own: after a page break only its
        // merged cells (title, agencies) may continue the row above, never
        // its content, which the number opens.
        r.continues = page_break && !rows.empty() && !rows.back().group;
        r.numbered_after_break = r.continues;
        r.after_break = r.continues;
        page_break = false;
        rows.push_back(std::move(r));
        prev = num;
        after_group = false;
        std::string rest = TrimWhitespace(piece.substr(ws[0].size()));
        if (ws.size() > 2 && Cues::Is(cues.code, ws[1])) {  // "115. XHS1.1 - Xây dựng ..."
          add_frag(Frag{ws[1], body[bi], l.page, l.line, false});
          rest = TrimWhitespace(rest.substr(ws[1].size()));
        }
        if (!rest.empty()) add_frag(Frag{rest, body[bi], l.page, l.line, false});
        continue;
      }
      if (ws.size() > 1 && ws.back().back() == '.' && try_number(ws.back(), &num)) {
        add_frag(Frag{TrimWhitespace(piece.substr(0, piece.size() - ws.back().size())), body[bi], l.page, l.line, false});
        FragRow r;
        r.number = Frag{ws.back(), body[bi], l.page, l.line, false};
        r.page = l.page;
        r.line = l.line;
        r.continues = page_break && !rows.empty() && !rows.back().group;
        r.after_break = r.continues;
        page_break = false;
        rows.push_back(std::move(r));
        prev = num;
        after_group = false;
        continue;
      }
      if (ws.size() > 1 && Cues::Is(cues.code, ws[0])) {  // "XHS1.1 - Xây dựng ..."
        add_frag(Frag{ws[0], body[bi], l.page, l.line, false});
        add_frag(Frag{TrimWhitespace(piece.substr(ws[0].size())), body[bi], l.page, l.line, false});
        continue;
      }
      add_frag(Frag{piece, body[bi], l.page, l.line, false});
    }
  }
  // "... cấp xã. Văn" + "phòng": the first word of an agency cell printed on
  // the content column's last line.
  for (FragRow& r : rows) {
    std::vector<Frag> split;
    for (size_t k = 0; k < r.frags.size(); ++k) {
      const Frag& f = r.frags[k];
      bool done = false;
      if (k + 1 < r.frags.size() && !f.placeholder && !r.frags[k + 1].placeholder &&
          Utf8Length(r.frags[k + 1].text) <= 15) {
        // The tail (one or two words, capitalised) plus the next short line
        // reads as an agency: the tail is that agency cell's first line. The
        // line is the content's last line when it is long, or when it is a
        // short one whose head wraps the line before ("động Ngân" after
        // "... cho công").
        const bool wraps_before = k > 0 && !r.frags[k - 1].placeholder && StartsLower(f.text) &&
                                  Utf8Length(r.frags[k - 1].text) >= 30;
        // A whole agency name (up to four words) after a sentence's end is
        // such a cell printed whole ("... bệnh viện. Sở Y tế").
        size_t sp = f.text.size();
        for (int words = 1; words <= 4 && !done; ++words) {
          sp = f.text.rfind(' ', sp - 1);
          if (sp == std::string::npos || sp == 0) break;
          std::string tail = f.text.substr(sp + 1);
          if (!StartsUpper(tail) || (Utf8Length(f.text) < 30 && !wraps_before)) continue;
          const bool starts_agency = words <= 2 && Cues::Is(cues.agency, tail + " " + r.frags[k + 1].text);
          const bool whole_after_stop = (f.text[sp - 1] == '.' || f.text[sp - 1] == ';') &&
                                        Cues::Is(cues.agency_whole, tail);
          if (!starts_agency && !whole_after_stop) continue;
          split.push_back(Frag{TrimWhitespace(f.text.substr(0, sp)), f.index, f.page, f.line, false});
          split.push_back(Frag{tail, f.index, f.page, f.line, false});
          done = true;
        }
      }
      if (!done) split.push_back(f);
    }
    r.frags = std::move(split);
  }

  // "tử - Xây dựng ...": a wrapped title's last word glued to the content's
  // first bullet. Split before the bullet when the head is one or two
  // lower-case words.
  for (FragRow& r : rows) {
    std::vector<Frag> split;
    for (const Frag& f : r.frags) {
      size_t at = f.placeholder ? std::string::npos : f.text.find(" - ");
      if (at != std::string::npos && at > 0 && StartsLower(f.text) && SplitWords(f.text.substr(0, at)).size() <= 2 &&
          StartsUpper(f.text.substr(at + 3))) {
        split.push_back(Frag{f.text.substr(0, at), f.index, f.page, f.line, false});
        split.push_back(Frag{f.text.substr(at + 1), f.index, f.page, f.line, false});
        continue;
      }
      split.push_back(f);
    }
    r.frags = std::move(split);
  }

  // A bullet printed after the row's agency or deadline cells starts a row
  // of its own that has no number (its other cells are merged from above).
  // Not in the text after a page break that has no number: its bullets are
  // judged by the split into continuations and a new row below.
  for (size_t r = 0; r < rows.size(); ++r) {
    if (rows[r].group || (rows[r].continues && rows[r].number.text.empty())) continue;
    bool seen_other = false;
    for (size_t k = 0; k < rows[r].frags.size(); ++k) {
      const Frag& f = rows[r].frags[k];
      if (f.placeholder) continue;
      if (seen_other && f.text.starts_with("- ")) {
        FragRow next;
        next.page = f.page;
        next.line = f.line;
        next.frags.assign(rows[r].frags.begin() + static_cast<std::ptrdiff_t>(k), rows[r].frags.end());
        rows[r].frags.resize(k);
        rows.insert(rows.begin() + static_cast<std::ptrdiff_t>(r) + 1, std::move(next));
        break;
      }
      if (Utf8Length(f.text) <= 15 && (Cues::Is(cues.agency, f.text) || Cues::Is(cues.deadline, f.text))) {
        seen_other = true;
      }
    }
  }
  for (FragRow& r : rows) {  // placeholders after a row's last cell stand for nothing
    while (!r.frags.empty() && r.frags.back().placeholder) r.frags.pop_back();
  }

  // Place every row's fragments; the first pass has no column widths, the
  // second uses the widths of the lines the first pass found wrapped (a
  // wrapped line is nearly as long as its column is wide; the median resists
  // the first pass's misplaced lines). Between the passes, the unnumbered
  // text after a page break is split into continuations of the cells above
  // and a new row.
  constexpr size_t npos = std::numeric_limits<size_t>::max();
  const int code_col = FirstColumn(h.roles, {ColumnRole::kCode});
  CueMemo memo;
  Placer placer{cues, h.roles, true, std::vector<double>(nc, 0)};
  placer.memo = &memo;
  std::vector<std::vector<std::pair<size_t, size_t>>> placed;
  // The cells of a row as merged: printed text, continuations joined, the
  // rest copied from `eff` (the row above) unless the row opens a new code.
  auto prints_code = [&](const FragRow& fr) {
    for (const Frag& f : fr.frags) {
      if (Cues::Is(cues.code, f.text)) return true;
    }
    return false;
  };
  // Placement context of a row that may continue the cells `eff` above.
  // `cur` holds the cells above as merged, for the title test.
  auto enter = [&](const FragRow& fr, const std::vector<std::string>* eff, bool join_only,
                   const std::vector<std::string>& cur) {
    placer.above = eff;
    placer.join_only = join_only;
    const int title_col = FirstColumn(h.roles, {ColumnRole::kTitle});
    placer.title_open = fr.after_break && code_col >= 0 && title_col >= 0 && !prints_code(fr) &&
                        !cur[static_cast<size_t>(title_col)].empty();
  };
  auto leave = [&] {
    placer.above = nullptr;
    placer.join_only = false;
    placer.title_open = false;
  };
  auto merge = [&](const FragRow& fr, const std::vector<std::pair<size_t, size_t>>& cells,
                   std::vector<std::string>* eff, std::vector<bool>* joined) {
    std::vector<std::string> prev_eff = *eff;
    joined->assign(nc, false);
    enter(fr, &prev_eff, false, prev_eff);
    bool new_code = code_col >= 0 && cells[code_col].first != npos;
    for (size_t c = 1; c < nc; ++c) {
      auto [b, e] = cells[c];
      if (b == npos) {
        if (new_code && static_cast<int>(c) != code_col) (*eff)[c].clear();
        continue;
      }
      std::string text;
      for (size_t k = b; k < e; ++k) AppendWrapped(&text, fr.frags[k].text);
      bool own_content = fr.numbered_after_break && placer.roles[c] == ColumnRole::kName;
      if (fr.continues && !own_content && placer.Continues(c, prev_eff[c], fr.frags[b].text)) {
        (*joined)[c] = true;
        AppendWrapped(&(*eff)[c], text);
      } else {
        (*eff)[c] = text;
      }
    }
    leave();
  };
  auto place_all = [&](bool report) {
    placed.assign(rows.size(), {});
    std::vector<std::vector<double>> wrapped(nc);
    std::vector<std::string> eff(nc);
    std::vector<bool> joined;
    for (size_t r = 0; r < rows.size(); ++r) {
      if (rows[r].group) {
        eff.assign(nc, "");
        continue;
      }
      double score = 0;
      enter(rows[r], rows[r].continues ? &eff : nullptr, rows[r].join_only, eff);
      placed[r] = placer.Place(rows[r].frags, 1, &score);
      leave();
      if (report && diag && score < 0) {
        diag->Warn("table.row_uncertain", "cells of row " + rows[r].number.text + " placed with low confidence",
                   rows[r].page, rows[r].line);
      }
      merge(rows[r], placed[r], &eff, &joined);
      for (size_t c = 1; c < nc; ++c) {
        auto [b, e] = placed[r][c];
        for (size_t k = b; b != npos && k + 1 < e; ++k) {
          wrapped[c].push_back(static_cast<double>(Utf8Length(rows[r].frags[k].text)));
        }
      }
    }
    for (size_t c = 1; c < nc; ++c) placer.widths[c] = wrapped[c].size() >= 3 ? Percentile(wrapped[c], 0.5) * 1.1 : 0;
  };
  place_all(false);
  {
    std::vector<std::string> eff(nc);
    std::vector<bool> joined;
    for (size_t r = 0; r < rows.size(); ++r) {
      if (rows[r].group) {
        eff.assign(nc, "");
        continue;
      }
      if (rows[r].continues && rows[r].number.text.empty()) {
        // Fragments [0, s) continue the cells above, [s, m) start a new
        // unnumbered row: the s with the best total score.
        const std::vector<Frag>& f = rows[r].frags;
        const size_t m = f.size();
        double best = kNegInf;
        size_t best_s = 0;
        // Every head's score (continuations of `eff`) and every tail's (a
        // new row) from one table each, not one placement per split. A
        // tail's title cell is open unless the tail prints a code: tails
        // starting before `code_end` do, those from it on do not.
        enter(rows[r], &eff, true, eff);
        const std::vector<double> heads = placer.PrefixScores(f, 1);
        leave();
        size_t code_end = 0;
        for (size_t k = 0; k < m; ++k) {
          if (Cues::Is(cues.code, f[k].text)) code_end = k + 1;
        }
        auto tail_scores = [&](size_t from) {
          FragRow tail_row;
          tail_row.after_break = true;
          tail_row.frags.assign(f.begin() + static_cast<std::ptrdiff_t>(from), f.end());
          enter(tail_row, nullptr, false, eff);
          std::vector<double> out = placer.SuffixScores(f, 1);
          leave();
          return out;
        };
        const std::vector<double> open_tails = tail_scores(code_end);
        const std::vector<double> coded_tails = code_end > 0 ? tail_scores(code_end - 1) : open_tails;
        for (size_t sp = 0; sp <= m; ++sp) {
          double head = sp > 0 ? heads[sp] : 0;
          double tail = 0;
          if (sp < m) {  // a row without a number after a page break is rare
            tail = (sp < code_end ? coded_tails : open_tails)[sp] - kNewRowCost;
          }
          if (head <= kNegInf / 2 || tail <= kNegInf / 2) continue;
          if (head + tail > best) {
            best = head + tail;
            best_s = sp;
          }
        }
        if (best_s == 0) {
          rows[r].continues = false;
        } else {
          rows[r].join_only = true;
          if (best_s < m) {
            FragRow next;
            next.after_break = true;
            next.frags.assign(f.begin() + static_cast<std::ptrdiff_t>(best_s), f.end());
            next.page = next.frags[0].page;
            next.line = next.frags[0].line;
            rows[r].frags.resize(best_s);
            rows.insert(rows.begin() + static_cast<std::ptrdiff_t>(r) + 1, std::move(next));
            placed.insert(placed.begin() + static_cast<std::ptrdiff_t>(r) + 1,
                          std::vector<std::pair<size_t, size_t>>());
          }
          enter(rows[r], &eff, true, eff);
          placed[r] = placer.Place(rows[r].frags, 1, nullptr);
          leave();
        }
        if (!rows[r].join_only) placed[r] = placer.Place(rows[r].frags, 1, nullptr);
      }
      if (placed[r].empty()) placed[r] = placer.Place(rows[r].frags, 1, nullptr);
      merge(rows[r], placed[r], &eff, &joined);
    }
  }
  place_all(true);

  // Build rows. A column a row does not print is a cell merged with the one
  // above, unless the row opens a new code (merged cells stay inside one
  // code) or follows a group row. After a page break, a cell that continues
  // the one above is joined to it (and to the rows it is merged over); a
  // cell the row before the break left blank takes the text the merged cell
  // printed on the new page.
  std::vector<std::string> eff(nc);
  std::vector<bool> joined;
  int above = -1;  // index in out->grid.rows of the row above, -1 after a group
  std::vector<bool> before_printed(nc, false);  // columns the row above printed (text or whitespace)
  for (size_t r = 0; r < rows.size(); ++r) {
    const FragRow& fr = rows[r];
    if (fr.group) {
      out->grid.rows.push_back(GroupRow(h.roles, fr.label, fr.code, fr.title, fr.page, fr.line));
      above = -1;
      eff.assign(nc, "");
      continue;
    }
    merge(fr, placed[r], &eff, &joined);
    GridRow row;
    row.page = fr.page;
    row.line = fr.line;
    row.cells.assign(nc, BlankCell());
    if (!fr.number.text.empty()) row.cells[0] = TextCell(fr.number.text, fr.number.page, fr.number.line);
    std::vector<bool> printed(nc, false);
    printed[0] = true;
    for (size_t c = 1; c < nc; ++c) {
      auto [b, e] = placed[r][c];
      if (b == npos) continue;
      printed[c] = true;
      if (fr.frags[b].placeholder) continue;
      std::string text;
      for (size_t k = b; k < e; ++k) AppendWrapped(&text, fr.frags[k].text);
      row.cells[c] = TextCell(text, fr.frags[b].page, fr.frags[b].line);
    }
    for (size_t c = 1; c < nc && above >= 0; ++c) {
      if (!joined[c]) continue;
      // The merged cell above: the row that printed it and the rows below
      // that copy it all get the joined text.
      const std::string old = out->grid.rows[above].cells[c].text;
      for (int k = above; k >= 0 && !out->grid.rows[k].header; --k) {
        GridCell& cell = out->grid.rows[k].cells[c];
        if (cell.text != old) break;
        cell.text = eff[c];
        cell.blank = cell.text.empty();
        if (!cell.from_span) break;
      }
      row.cells[c] = out->grid.rows[above].cells[c];
      row.cells[c].from_span = true;
    }
    const bool new_code = code_col >= 0 && printed[code_col];
    if (fr.continues && code_col >= 0 && !new_code && above >= 0) {
      GridRow& before = out->grid.rows[above];
      for (size_t c = 1; c < nc; ++c) {
        if (!printed[c] || joined[c] || static_cast<int>(c) == code_col || !before.cells[c].blank ||
            before_printed[c]) {
          continue;
        }
        before.cells[c] = row.cells[c];
        before.cells[c].from_span = true;
      }
    }
    if (fr.join_only) continue;
    for (size_t c = 1; c < nc && above >= 0; ++c) {
      if (printed[c] || (new_code && static_cast<int>(c) != code_col)) continue;
      row.cells[c] = out->grid.rows[above].cells[c];
      row.cells[c].from_span = true;
    }
    out->grid.rows.push_back(std::move(row));
    above = static_cast<int>(out->grid.rows.size()) - 1;
    before_printed = printed;
  }
  return out->grid.rows.size() > 1;
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

}  // namespace

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
