// PDF page geometry -> Layout: the Poppler-free half of the PDF reader
// (pdf_reader.cc feeds it words and ruling lines page by page).
#include "extractors/pdf_geometry.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <numeric>
#include <set>
#include <utility>

#include "pipeline/base/unicode.h"

namespace plantrace::pdf {
namespace {

// Rule ends and positions closer than this (points) are the same.
constexpr double kSnap = 2.0;
// Pages with more rules than this are not searched for tables (quadratic
// component search); such pages are drawings, not forms.
constexpr size_t kMaxRules = 4000;
// Grids with more cells than this are not tables (hatching, graph paper).
constexpr size_t kMaxGridCells = 200000;
// Header rows repeated at the top of continuation pages: at most this many.
constexpr int kMaxHeaderRows = 3;
// A horizontal gap wider than this many font sizes splits a printed line
// into two Lines (side-by-side columns outside tables).
constexpr double kColumnGap = 2.5;

// A line under construction, with the baseline used for ordering.
struct PLine {
  Line line;
  double base = 0;
  double size = 0;           // largest font size on the line
  bool space_after = false;  // a space glyph follows the last word
};

struct PartCell {
  int row = 0, row_span = 1;
  double x0 = 0, x1 = 0;
  std::vector<Line> lines;
};

// The piece of a ruled table printed on one page.
struct TablePart {
  int page = 1;
  Box box;
  std::vector<double> xs;  // column boundaries, ascending
  int rows = 0;
  std::vector<PartCell> cells;  // sorted by (row, x0)
};

// Disjoint sets over indices.
class UnionFind {
 public:
  explicit UnionFind(size_t n) : parent_(n) { std::iota(parent_.begin(), parent_.end(), 0); }
  size_t Find(size_t i) {
    while (parent_[i] != i) i = parent_[i] = parent_[parent_[i]];
    return i;
  }
  void Union(size_t a, size_t b) {
    a = Find(a);
    b = Find(b);
    if (a != b) parent_[std::max(a, b)] = std::min(a, b);
  }

 private:
  std::vector<size_t> parent_;
};

bool HasBold(const std::vector<Word>& words) {
  if (words.empty()) return false;
  for (const Word& w : words) {
    if (!w.bold) return false;
  }
  return true;
}

// Words -> printed lines. A word joins the current line when its baseline is
// within half the smaller font size of the line's first baseline (so raised
// footnote marks stay on their line). With `split_gaps`, a horizontal gap of
// more than kColumnGap font sizes starts a separate Line.
std::vector<PLine> BuildLines(std::vector<RawWord> words, int page, bool split_gaps) {
  std::vector<PLine> out;
  if (words.empty()) return out;
  std::sort(words.begin(), words.end(), [](const RawWord& a, const RawWord& b) {
    return a.base != b.base ? a.base < b.base : a.box.x0 < b.box.x0;
  });
  size_t i = 0;
  while (i < words.size()) {
    size_t j = i + 1;
    double size = words[i].size > 0 ? words[i].size : 10;
    while (j < words.size()) {
      double s = std::min(size, words[j].size > 0 ? words[j].size : 10);
      if (words[j].base - words[i].base > 0.5 * s) break;
      ++j;
    }
    std::sort(words.begin() + i, words.begin() + j,
              [](const RawWord& a, const RawWord& b) { return a.box.x0 < b.box.x0; });
    PLine cur;
    double cur_size = 0;
    auto flush = [&]() {
      if (cur.line.words.empty()) return;
      cur.line.words.shrink_to_fit();
      cur.line.bold = HasBold(cur.line.words);
      cur.size = cur_size;
      out.push_back(std::move(cur));
      cur = PLine();
      cur_size = 0;
    };
    for (size_t k = i; k < j; ++k) {
      RawWord& w = words[k];
      double s = w.size > 0 ? w.size : 10;
      if (!cur.line.words.empty()) {
        double gap = w.box.x0 - cur.line.box.x1;
        if (split_gaps && gap > kColumnGap * std::max(s, cur_size)) {
          flush();
        } else if (gap > 0.1 * s) {
          cur.line.text += ' ';
        }
      }
      if (cur.line.words.empty()) {
        cur.line.page = page;
        cur.line.box = w.box;
        cur.base = w.base;
      } else {
        Box& b = cur.line.box;
        b.x0 = std::min(b.x0, w.box.x0);
        b.y0 = std::min(b.y0, w.box.y0);
        b.x1 = std::max(b.x1, w.box.x1);
        b.y1 = std::max(b.y1, w.box.y1);
      }
      if (s >= cur_size) {
        cur_size = s;
        cur.base = w.base;
      }
      cur.line.text += w.text;
      cur.space_after = w.space_after;
      cur.line.words.push_back(Word{std::move(w.text), w.box, w.bold, w.size, w.confidence, std::move(w.alternatives)});
    }
    flush();
    i = j;
  }
  return out;
}

// Sorted positions -> cluster representatives (mean of each run of values
// within kSnap of the previous one).
std::vector<double> Cluster(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  std::vector<double> out;
  size_t i = 0;
  while (i < v.size()) {
    size_t j = i + 1;
    double sum = v[i];
    while (j < v.size() && v[j] - v[j - 1] <= kSnap) sum += v[j++];
    out.push_back(sum / static_cast<double>(j - i));
    i = j;
  }
  return out;
}

// Index of the value in sorted `v` nearest to x.
size_t Nearest(const std::vector<double>& v, double x) {
  auto it = std::lower_bound(v.begin(), v.end(), x);
  if (it == v.end()) return v.size() - 1;
  size_t i = static_cast<size_t>(it - v.begin());
  if (i > 0 && x - v[i - 1] < *it - x) return i - 1;
  return i;
}

// Joins collinear rules that overlap or touch.
std::vector<Rule> MergeRules(std::vector<Rule> rules, bool horizontal) {
  auto pos = [&](const Rule& r) { return horizontal ? r.y0 : r.x0; };
  auto lo = [&](const Rule& r) { return horizontal ? r.x0 : r.y0; };
  auto hi = [&](const Rule& r) { return horizontal ? r.x1 : r.y1; };
  std::sort(rules.begin(), rules.end(), [&](const Rule& a, const Rule& b) {
    if (std::fabs(pos(a) - pos(b)) > 0.5) return pos(a) < pos(b);
    return lo(a) < lo(b);
  });
  std::vector<Rule> out;
  for (const Rule& r : rules) {
    if (!out.empty()) {
      Rule& p = out.back();
      if (std::fabs(pos(p) - pos(r)) <= 0.5 && lo(r) <= hi(p) + kSnap) {
        if (horizontal) {
          p.x1 = std::max(p.x1, r.x1);
        } else {
          p.y1 = std::max(p.y1, r.y1);
        }
        continue;
      }
    }
    out.push_back(r);
  }
  return out;
}

bool Contains(const Box& b, double x, double y) { return x >= b.x0 && x <= b.x1 && y >= b.y0 && y <= b.y1; }

// One connected set of rules that forms a grid.
struct Grid {
  Box box;
  std::vector<double> xs, ys;
  std::vector<Rule> h, v;
};

std::vector<Grid> FindGrids(const std::vector<Rule>& rules) {
  std::vector<Rule> hs, vs;
  for (const Rule& r : rules) (r.horizontal() ? hs : vs).push_back(r);
  hs = MergeRules(std::move(hs), true);
  vs = MergeRules(std::move(vs), false);
  std::vector<Grid> grids;
  if (hs.size() < 2 || vs.size() < 2 || hs.size() + vs.size() > kMaxRules) return grids;
  UnionFind uf(hs.size() + vs.size());
  for (size_t i = 0; i < hs.size(); ++i) {
    for (size_t j = 0; j < vs.size(); ++j) {
      const Rule& h = hs[i];
      const Rule& v = vs[j];
      if (v.x0 >= h.x0 - kSnap && v.x0 <= h.x1 + kSnap && h.y0 >= v.y0 - kSnap && h.y0 <= v.y1 + kSnap) {
        uf.Union(i, hs.size() + j);
      }
    }
  }
  std::map<size_t, Grid> by_root;
  for (size_t i = 0; i < hs.size() + vs.size(); ++i) {
    Grid& g = by_root[uf.Find(i)];
    if (i < hs.size()) {
      g.h.push_back(hs[i]);
    } else {
      g.v.push_back(vs[i - hs.size()]);
    }
  }
  for (auto& [root, g] : by_root) {
    if (g.h.size() < 2 || g.v.size() < 2) continue;
    std::vector<double> xs, ys;
    g.box = Box{1e18, 1e18, -1e18, -1e18};
    for (const Rule& r : g.h) {
      ys.push_back(r.y0);
      g.box.x0 = std::min(g.box.x0, r.x0);
      g.box.x1 = std::max(g.box.x1, r.x1);
    }
    for (const Rule& r : g.v) {
      xs.push_back(r.x0);
      g.box.y0 = std::min(g.box.y0, r.y0);
      g.box.y1 = std::max(g.box.y1, r.y1);
    }
    g.xs = Cluster(std::move(xs));
    g.ys = Cluster(std::move(ys));
    if (g.xs.size() < 2 || g.ys.size() < 2) continue;
    if ((g.xs.size() - 1) * (g.ys.size() - 1) > kMaxGridCells) continue;
    grids.push_back(std::move(g));
  }
  std::sort(grids.begin(), grids.end(), [](const Grid& a, const Grid& b) { return a.box.y0 < b.box.y0; });
  return grids;
}

// True when one of `rules` (all at position ~p along the other axis) covers
// at least half of [a, b].
bool Covered(const std::vector<std::pair<double, double>>& spans, double a, double b) {
  for (const auto& [lo, hi] : spans) {
    if (std::min(hi, b) - std::max(lo, a) >= 0.5 * (b - a)) return true;
  }
  return false;
}

// Whether `next` continues a word left open at the end of `l`: both start
// at the same left edge and `next` starts in lower case (a new paragraph
// inside a cell does not).
bool ContinuesWord(const Line& l, const Line& next) {
  if (next.words.empty() || std::fabs(l.box.x0 - next.box.x0) > 1.0) return false;
  const std::string& first = next.words.front().text;
  return !StartsUpper(first) && ToUpper(first) != first;
}

// Sets Line::joins_next on cell lines broken inside a word. A generator
// that prints the space at each wrap (most do, when it fits) shows a break
// without one where a space would still have fitted before the column's
// right text edge: the line was broken at a no-space break opportunity
// ("GAP…" / "thông") or inside a word too long for the cell ("…ch" / "o").
// Only lines flush with the column's left text edge qualify: centred lines
// (headers) print no wrap spaces at all. A cell's last line gets the flag
// when it qualifies on its own, because the row may go on over the page;
// TableAssembler checks it against the line that continues it there and
// clears it otherwise. Pages whose generator prints no wrap spaces are left
// alone.
void MarkWordBreaks(const std::vector<PartCell>& cells, std::vector<std::vector<PLine>>* lines, double space_em) {
  std::map<double, double> left_edge;   // column's left rule -> leftmost text on it
  std::map<double, double> right_edge;  // column's right rule -> rightmost text on it
  size_t wraps = 0, spaced = 0;
  for (size_t i = 0; i < cells.size(); ++i) {
    const std::vector<PLine>& ls = (*lines)[i];
    double& left = left_edge.try_emplace(cells[i].x0, 1e18).first->second;
    double& edge = right_edge.try_emplace(cells[i].x1, 0.0).first->second;
    for (size_t k = 0; k < ls.size(); ++k) {
      left = std::min(left, ls[k].line.box.x0);
      edge = std::max(edge, ls[k].line.box.x1 + (ls[k].space_after ? space_em * ls[k].size : 0));
      if (k + 1 < ls.size()) {
        ++wraps;
        if (ls[k].space_after) ++spaced;
      }
    }
  }
  if (spaced * 4 < wraps) return;
  for (size_t i = 0; i < cells.size(); ++i) {
    std::vector<PLine>& ls = (*lines)[i];
    const double left = left_edge[cells[i].x0], edge = right_edge[cells[i].x1];
    for (size_t k = 0; k < ls.size(); ++k) {
      Line& l = ls[k].line;
      if (ls[k].space_after || l.text.empty()) continue;
      if (l.box.x0 > left + 1.0) continue;  // centred or indented: not flush with the column's text
      if (l.box.x1 + space_em * ls[k].size > edge + 0.05) continue;
      if (std::string_view(".;:!?").find(l.text.back()) != std::string_view::npos && !l.text.ends_with("..")) {
        continue;  // a sentence ends there (an ellipsis of dots does not)
      }
      l.joins_next = k + 1 == ls.size() || ContinuesWord(l, ls[k + 1].line);
    }
  }
}

// Grid + the words inside it -> a table part (cells = merged grid regions).
// Returns false when the grid has fewer than two cells (a frame, not a table).
bool BuildPart(const Grid& g, std::vector<RawWord>* words, int page, double space_em, TablePart* part) {
  const size_t nx = g.xs.size() - 1, ny = g.ys.size() - 1;
  std::vector<std::vector<std::pair<double, double>>> vspans(g.xs.size()), hspans(g.ys.size());
  for (const Rule& r : g.v) {
    size_t i = Nearest(g.xs, r.x0);
    if (std::fabs(g.xs[i] - r.x0) <= kSnap) vspans[i].emplace_back(r.y0, r.y1);
  }
  for (const Rule& r : g.h) {
    size_t i = Nearest(g.ys, r.y0);
    if (std::fabs(g.ys[i] - r.y0) <= kSnap) hspans[i].emplace_back(r.x0, r.x1);
  }
  UnionFind uf(nx * ny);
  for (size_t r = 0; r < ny; ++r) {
    for (size_t c = 0; c < nx; ++c) {
      if (c + 1 < nx && !Covered(vspans[c + 1], g.ys[r], g.ys[r + 1])) uf.Union(r * nx + c, r * nx + c + 1);
      if (r + 1 < ny && !Covered(hspans[r + 1], g.xs[c], g.xs[c + 1])) uf.Union(r * nx + c, (r + 1) * nx + c);
    }
  }
  struct Region {
    size_t r0 = SIZE_MAX, r1 = 0, c0 = SIZE_MAX, c1 = 0;
    std::vector<RawWord> words;
  };
  std::map<size_t, Region> regions;
  for (size_t r = 0; r < ny; ++r) {
    for (size_t c = 0; c < nx; ++c) {
      Region& reg = regions[uf.Find(r * nx + c)];
      reg.r0 = std::min(reg.r0, r);
      reg.r1 = std::max(reg.r1, r);
      reg.c0 = std::min(reg.c0, c);
      reg.c1 = std::max(reg.c1, c);
    }
  }
  if (regions.size() < 2) return false;
  Box inside{g.box.x0 - 1, g.box.y0 - 1, g.box.x1 + 1, g.box.y1 + 1};
  std::vector<RawWord> rest;
  for (RawWord& w : *words) {
    double cx = (w.box.x0 + w.box.x1) / 2, cy = (w.box.y0 + w.box.y1) / 2;
    if (!Contains(inside, cx, cy)) {
      rest.push_back(std::move(w));
      continue;
    }
    auto cell_of = [](const std::vector<double>& v, double x) {
      size_t i = static_cast<size_t>(std::upper_bound(v.begin(), v.end(), x) - v.begin());
      return std::min(i == 0 ? 0 : i - 1, v.size() - 2);
    };
    size_t r = cell_of(g.ys, cy), c = cell_of(g.xs, cx);
    regions[uf.Find(r * nx + c)].words.push_back(std::move(w));
  }
  *words = std::move(rest);
  part->page = page;
  part->box = g.box;
  part->xs = g.xs;
  part->rows = static_cast<int>(ny);
  std::vector<std::vector<PLine>> cell_lines;
  for (auto& [root, reg] : regions) {
    PartCell cell;
    cell.row = static_cast<int>(reg.r0);
    cell.row_span = static_cast<int>(reg.r1 - reg.r0 + 1);
    cell.x0 = g.xs[reg.c0];
    cell.x1 = g.xs[reg.c1 + 1];
    part->cells.push_back(std::move(cell));
    cell_lines.push_back(BuildLines(std::move(reg.words), page, false));
  }
  MarkWordBreaks(part->cells, &cell_lines, space_em);
  for (size_t i = 0; i < part->cells.size(); ++i) {
    PartCell& cell = part->cells[i];
    for (PLine& l : cell_lines[i]) {
      double left = l.line.box.x0 - cell.x0, right = cell.x1 - l.line.box.x1;
      l.line.centered = left > 6 && std::fabs(left - right) < 3;
      cell.lines.push_back(std::move(l.line));
    }
  }
  std::sort(part->cells.begin(), part->cells.end(), [](const PartCell& a, const PartCell& b) {
    return a.row != b.row ? a.row < b.row : a.x0 < b.x0;
  });
  return true;
}

bool IsPageNumber(const std::string& t) {
  size_t digits = 0, other = 0;
  for (char c : t) {
    if (c >= '0' && c <= '9') {
      ++digits;
    } else if (c != ' ' && c != '-' && c != '/' && c != '.') {
      ++other;
    }
  }
  return digits > 0 && digits <= 6 && other == 0;
}

// Text with digits masked, so "Trang 3" and "Trang 4" compare equal.
std::string MaskDigits(const std::string& t) {
  std::string out = t;
  for (char& c : out) {
    if (c >= '0' && c <= '9') c = '#';
  }
  return out;
}

bool StartsLower(const Cell& c) {
  if (c.lines.empty()) return false;
  const Line& l = c.lines.front();
  std::string first = l.words.empty() ? l.text.substr(0, l.text.find(' ')) : l.words.front().text;
  return !StartsUpper(first) && ToUpper(first) != first;
}

bool HasAlnum(const std::vector<Line>& lines) {
  for (const Line& l : lines) {
    for (unsigned char ch : l.text) {
      if (ch >= 0x80 || (ch >= '0' && ch <= '9') || ((ch | 0x20) >= 'a' && (ch | 0x20) <= 'z')) return true;
    }
  }
  return false;
}

bool EndsOpen(const Cell& c) {
  if (c.lines.empty() || c.lines.back().text.empty()) return false;
  char last = c.lines.back().text.back();
  return last == ',' || last == '-';
}

// A table being assembled from its page parts, in global row/column terms.
class TableAssembler {
 public:
  explicit TableAssembler(std::vector<TablePart> parts) : parts_(std::move(parts)) {}

  Table Build() {
    std::vector<double> xs;
    for (const TablePart& p : parts_) xs.insert(xs.end(), p.xs.begin(), p.xs.end());
    xs_ = Cluster(std::move(xs));
    ncols_ = static_cast<int>(xs_.size()) - 1;
    header_rows_ = 0;
    CountFilled();
    for (int h = 1; h <= kMaxHeaderRows; ++h) first_sig_[h] = Signature(parts_.front(), h);
    for (size_t k = 0; k < parts_.size(); ++k) AddPart(k);
    if (header_rows_ == 0) header_rows_ = BoldHeaderRows();
    DropEmptyRowsAndColumns();
    Table t;
    t.first_page = parts_.front().page;
    t.last_page = parts_.back().page;
    t.rows.resize(row_page_.size());
    for (size_t r = 0; r < row_page_.size(); ++r) {
      t.rows[r].page = row_page_[r];
      t.rows[r].header = static_cast<int>(r) < header_rows_;
    }
    std::stable_sort(cells_.begin(), cells_.end(), [](const GCell& a, const GCell& b) {
      return a.row != b.row ? a.row < b.row : a.col < b.col;
    });
    for (GCell& c : cells_) {
      Row& row = t.rows[c.row];
      Cell cell;
      cell.lines = std::move(c.lines);
      if (!cell.lines.empty()) cell.lines.back().joins_next = false;  // nothing followed on the next page
      cell.row_span = c.rs;
      cell.col_span = c.cs;
      cell.header = row.header;
      row.cells.push_back(std::move(cell));
    }
    return t;
  }

 private:
  struct GCell {
    int row = 0, col = 0, rs = 1, cs = 1;
    std::vector<Line> lines;
  };

  void Span(const PartCell& pc, int* col, int* cs) const {
    int c0 = static_cast<int>(Nearest(xs_, pc.x0)), c1 = static_cast<int>(Nearest(xs_, pc.x1));
    *col = std::min(c0, ncols_ - 1);
    *cs = std::max(1, c1 - *col);
  }

  // Text of the cells wholly inside part rows [0, h), with their positions.
  std::string Signature(const TablePart& p, int h) const {
    std::string s;
    for (const PartCell& pc : p.cells) {
      if (pc.row >= h) continue;
      if (pc.row + pc.row_span > h) return "";
      int col, cs;
      Span(pc, &col, &cs);
      s += std::to_string(pc.row) + ":" + std::to_string(col) + ":" + std::to_string(pc.row_span) + ":" +
           std::to_string(cs) + ":";
      for (const Line& l : pc.lines) s += l.text + "\n";
      s += '\x1f';
    }
    return s;
  }

  int Covering(int row, int col) const {
    if (row < 0 || row >= static_cast<int>(occ_.size()) || col < 0 || col >= ncols_) return -1;
    return occ_[row][col];
  }

  void Occupy(int idx) {
    const GCell& c = cells_[idx];
    while (static_cast<int>(occ_.size()) < c.row + c.rs) occ_.emplace_back(ncols_, -1);
    for (int r = c.row; r < c.row + c.rs; ++r) {
      for (int k = c.col; k < c.col + c.cs && k < ncols_; ++k) occ_[r][k] = idx;
    }
  }

  void AddRows(int upto, int page) {
    while (static_cast<int>(row_page_.size()) < upto) row_page_.push_back(page);
    while (static_cast<int>(occ_.size()) < upto) occ_.emplace_back(ncols_, -1);
  }

  // Moves part k's cells into the table (the part is left without lines).
  void AddPart(size_t k) {
    TablePart& p = parts_[k];
    int skip = 0;
    if (k > 0) {
      const int first_rows = parts_.front().rows;
      for (int h = std::min({kMaxHeaderRows, p.rows - 1, first_rows - 1}); h >= 1; --h) {
        std::string sig = Signature(p, h);
        if (!sig.empty() && sig == first_sig_[h]) {
          skip = h;
          break;
        }
      }
      if (skip > 0) header_rows_ = std::max(header_rows_, skip);
    }
    const int last = static_cast<int>(row_page_.size()) - 1;
    std::vector<GCell> top;  // the part's first body row, in global columns
    for (const PartCell& pc : p.cells) {
      if (pc.row != skip) continue;
      GCell g;
      Span(pc, &g.col, &g.cs);
      g.rs = pc.row_span;
      g.lines = pc.lines;
      top.push_back(std::move(g));
    }
    bool join = k > 0 && last >= header_rows_ && SplitRow(top, last);
    int offset = join ? last - skip : last + 1 - skip;
    AddRows(offset + p.rows, p.page);
    for (PartCell& pc : p.cells) {
      if (pc.row < skip) continue;
      GCell g;
      g.row = pc.row + offset;
      Span(pc, &g.col, &g.cs);
      g.rs = pc.row_span;
      g.lines = std::move(pc.lines);
      if (k > 0 && pc.row == skip) {
        int above = Covering(last, g.col);
        if (above >= 0 && Absorbs(cells_[above], g, join)) {
          GCell& a = cells_[above];
          if (!a.lines.empty() && !g.lines.empty()) {
            Line& open = a.lines.back();
            open.joins_next = open.joins_next && ContinuesWord(open, g.lines.front());
          }
          for (Line& l : g.lines) a.lines.push_back(std::move(l));
          a.rs = std::max(a.rs, g.row + g.rs - a.row);
          Occupy(above);
          continue;
        }
      }
      cells_.push_back(std::move(g));
      Occupy(static_cast<int>(cells_.size()) - 1);
    }
  }

  // Columns whose single-column cells are never empty (away from the first
  // row of each page), where an empty cell at a page top can only be the rest
  // of a merged cell.
  void CountFilled() {
    std::vector<int> filled(ncols_, 0), empty(ncols_, 0);
    for (const TablePart& p : parts_) {
      for (const PartCell& pc : p.cells) {
        int col, cs;
        Span(pc, &col, &cs);
        if (pc.row == 0 || cs != 1) continue;
        ++(pc.lines.empty() ? empty : filled)[col];
      }
    }
    always_filled_.assign(ncols_, false);
    for (int c = 0; c < ncols_; ++c) always_filled_[c] = empty[c] == 0 && filled[c] >= 3;
  }

  // Whether `c`, in the first body row of a continuation part, continues the
  // cell `a` above it: always for a split row (same columns); otherwise only
  // for a merged cell cut by the page break, told by an empty piece that is
  // itself merged, lies under a merged cell, or sits in a column never
  // otherwise empty.
  bool Absorbs(const GCell& a, const GCell& c, bool join) const {
    if (a.col != c.col || a.cs != c.cs) return join && a.col <= c.col && c.col < a.col + a.cs;
    if (join) return true;
    bool c_empty = c.lines.empty(), a_empty = a.lines.empty();
    if (c_empty && !a_empty) return a.rs > 1 || c.rs > 1 || (c.cs == 1 && always_filled_[c.col]);
    return a_empty && a.rs > 1 && c.rs > 1;
  }

  // A row split by a page break continues on the next page with no text in
  // its first column (punctuation aside), and either picks up mid-sentence or fills far fewer
  // cells than the row it continues (a new row without a number fills most).
  bool SplitRow(const std::vector<GCell>& top, int last) const {
    bool lower = false, open = false;
    int filled = 0;
    for (const GCell& g : top) {
      if (g.lines.empty()) continue;
      ++filled;
      // A number wrapped inside a narrow first column can leave its final
      // "." for the next page; anything more is the start of a new row.
      if (g.col == 0 && HasAlnum(g.lines)) return false;
      Cell probe;
      probe.lines = g.lines;
      if (StartsLower(probe)) lower = true;
      int above = Covering(last, g.col);
      if (above >= 0) {
        Cell prev;
        prev.lines = cells_[above].lines;
        if (EndsOpen(prev)) open = true;
      }
    }
    if (filled == 0) return false;
    std::set<int> above_cells;
    for (int c = 0; c < ncols_; ++c) {
      int a = Covering(last, c);
      if (a >= 0 && !cells_[a].lines.empty()) above_cells.insert(a);
    }
    return lower || open || 2 * filled <= static_cast<int>(above_cells.size());
  }

  // Without a repeated header: the first row is a header when all its cells
  // are bold and some later row is not.
  int BoldHeaderRows() const {
    if (row_page_.size() < 2) return 0;
    int h = 1;
    bool any = false;
    for (const GCell& c : cells_) {
      if (c.row != 0 || c.lines.empty()) continue;
      any = true;
      for (const Line& l : c.lines) {
        if (!l.bold) return 0;
      }
      h = std::max(h, c.rs);
    }
    if (!any || h >= static_cast<int>(row_page_.size())) return 0;
    for (const GCell& c : cells_) {
      if (c.row < h) continue;
      for (const Line& l : c.lines) {
        if (!l.bold) return h;
      }
    }
    return 0;
  }

  // Grid rows/columns where no cell starts (a rule that exists in one column
  // only, or a header repeat removed) are removed, shrinking the spans over them.
  void DropEmptyRowsAndColumns() {
    int nrows = static_cast<int>(row_page_.size());
    std::vector<char> row_used(nrows, 0), col_used(std::max(ncols_, 0), 0);
    for (const GCell& c : cells_) {
      row_used[c.row] = 1;
      col_used[c.col] = 1;
    }
    std::vector<int> row_map(nrows + 1), col_map(ncols_ + 1);
    for (int r = 0, n = 0; r <= nrows; ++r) {
      row_map[r] = n;
      if (r < nrows && row_used[r]) ++n;
    }
    for (int c = 0, n = 0; c <= ncols_; ++c) {
      col_map[c] = n;
      if (c < ncols_ && col_used[c]) ++n;
    }
    for (GCell& c : cells_) {
      int r1 = std::min(c.row + c.rs, nrows), c1 = std::min(c.col + c.cs, ncols_);
      c.rs = std::max(1, row_map[r1] - row_map[c.row]);
      c.cs = std::max(1, col_map[c1] - col_map[c.col]);
      c.row = row_map[c.row];
      c.col = col_map[c.col];
    }
    int header = 0;
    std::vector<int> pages;
    for (int r = 0; r < nrows; ++r) {
      if (!row_used[r]) continue;
      if (r < header_rows_) ++header;
      pages.push_back(row_page_[r]);
    }
    header_rows_ = header;
    row_page_ = std::move(pages);
  }

  std::vector<TablePart> parts_;
  std::vector<double> xs_;
  int ncols_ = 0;
  int header_rows_ = 0;
  std::string first_sig_[kMaxHeaderRows + 1];  // Signature(first part, h)
  std::vector<bool> always_filled_;
  std::vector<GCell> cells_;
  std::vector<int> row_page_;          // page of each global row
  std::vector<std::vector<int>> occ_;  // [row][col] -> index in cells_, or -1
};

// Numbers the printed rows of a page top to bottom: lines whose baselines
// are within kSnap of the previous one share a number.
void NumberLines(std::vector<std::pair<double, Line*>> lines) {
  std::sort(lines.begin(), lines.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
  int n = 0;
  double prev = -1e18;
  for (auto& [base, line] : lines) {
    if (base - prev > kSnap) ++n;
    prev = base;
    line->line = n;
  }
}

int Mode(const std::map<int, int>& hist) {
  int best = 0, count = -1;
  for (const auto& [v, c] : hist) {
    if (c > count) {
      best = v;
      count = c;
    }
  }
  return best;
}

}  // namespace

struct LayoutBuilder::PageContent {
  Page page;
  std::vector<Line> lines;  // text outside tables, reading order
  std::vector<TablePart> tables;
  std::vector<char> dropped;  // per line: running header/footer or page number
};

LayoutBuilder::LayoutBuilder(std::string source) : source_(std::move(source)) {}
LayoutBuilder::~LayoutBuilder() = default;

void LayoutBuilder::AddPage(RawPage raw, Diagnostics* diag) {
  PageContent pc;
  pc.page.number = raw.number;
  pc.page.width = raw.width;
  pc.page.height = raw.height;
  pc.page.ocr = raw.ocr;
  if (raw.words.empty()) {
    if (raw.has_images) {
      pc.page.image_only = true;
      if (diag) {
        diag->Warn("pdf.image_only",
                   source_ + ": page " + std::to_string(raw.number) + " has no text layer: needs OCR", raw.number);
      }
    }
    pages_.push_back(std::move(pc));
    return;
  }
  ++text_pages_;
  std::vector<Grid> grids;
  if (raw.rules.size() > kMaxRules * 4) {
    if (diag) {
      diag->Warn("pdf.too_many_rules",
                 source_ + ": page " + std::to_string(raw.number) + " has too many lines to look for tables",
                 raw.number);
    }
  } else {
    grids = FindGrids(raw.rules);
  }
  for (const Grid& g : grids) {
    TablePart part;
    if (BuildPart(g, &raw.words, raw.number, raw.space_em, &part)) pc.tables.push_back(std::move(part));
  }
  std::vector<PLine> lines = BuildLines(std::move(raw.words), raw.number, true);
  std::vector<std::pair<double, Line*>> numbered;
  for (PLine& l : lines) numbered.emplace_back(l.base, &l.line);
  for (TablePart& t : pc.tables) {
    for (PartCell& c : t.cells) {
      for (Line& l : c.lines) {
        // Cell lines keep no baseline; the bottom of the box is close enough
        // for numbering rows.
        numbered.emplace_back(l.box.y1 - 0.2 * (l.box.y1 - l.box.y0), &l);
      }
    }
  }
  NumberLines(std::move(numbered));
  std::stable_sort(lines.begin(), lines.end(), [](const PLine& a, const PLine& b) {
    return a.line.line != b.line.line ? a.line.line < b.line.line : a.line.box.x0 < b.line.box.x0;
  });
  for (PLine& l : lines) pc.lines.push_back(std::move(l.line));
  pc.dropped.assign(pc.lines.size(), 0);
  pages_.push_back(std::move(pc));
}

namespace {

using PageContent = LayoutBuilder::PageContent;

// Calls fn(i, top) for each of the first or last two lines of the page that
// lie near its top or bottom edge (top: within 15% of the height).
template <typename Fn>
void ForEachEdgeLine(const PageContent& p, Fn&& fn) {
  const size_t n = p.lines.size();
  for (size_t i = 0; i < n; ++i) {
    const Line& l = p.lines[i];
    bool top = i < 2 && l.box.y1 < 0.15 * p.page.height;
    bool bottom = i + 2 >= n && l.box.y0 > 0.85 * p.page.height;
    if (top || bottom) fn(i, top);
  }
}

// An edge line as it repeats from page to page: edge, height, digits masked.
std::string EdgeKey(const Line& l, bool top) {
  return (top ? "T" : "B") + std::to_string(std::lround(l.box.y0 / 4)) + MaskDigits(l.text);
}

// Marks as dropped the running headers/footers: edge lines repeated (digits
// aside) at the same height on many pages (at least 3, and 40% of the
// `text_pages`); and lone page numbers at the very top or bottom.
void DropRunningLines(int text_pages, std::vector<PageContent>* pages) {
  std::map<std::string, std::set<int>> seen;
  for (const PageContent& p : *pages) {
    ForEachEdgeLine(p, [&](size_t i, bool top) { seen[EdgeKey(p.lines[i], top)].insert(p.page.number); });
  }
  const size_t min_repeat = std::max<size_t>(3, (static_cast<size_t>(text_pages) * 2 + 4) / 5);
  for (PageContent& p : *pages) {
    ForEachEdgeLine(p, [&](size_t i, bool top) {
      const Line& l = p.lines[i];
      bool outermost = top ? i == 0 : i + 1 == p.lines.size();
      if (seen[EdgeKey(l, top)].size() >= min_repeat || (outermost && IsPageNumber(l.text))) p.dropped[i] = 1;
    });
  }
}

// Centred lines: both margins clear of the document's usual text edges (the
// most frequent left and right edges) and about equal.
void MarkCentredLines(std::vector<PageContent>* pages) {
  std::map<int, int> left_hist, right_hist;
  for (const PageContent& p : *pages) {
    for (const Line& l : p.lines) {
      ++left_hist[static_cast<int>(std::lround(l.box.x0))];
      ++right_hist[static_cast<int>(std::lround(l.box.x1))];
    }
  }
  const double left = Mode(left_hist), right = Mode(right_hist);
  for (PageContent& p : *pages) {
    for (Line& l : p.lines) {
      double a = l.box.x0 - left, b = right - l.box.x1;
      l.centered = a > 3 && b > 3 && std::fabs(a - b) < std::max(6.0, 0.03 * (right - left));
    }
  }
}

// Appends pages to a Layout in reading order: per page, the kept lines and
// the table parts by their top edge. Lines run into one block until a
// vertical gap; a table part that opens a page right after a table part of
// the same width on the page before continues that table. Call Close after
// the last page.
class BlockSequencer {
 public:
  explicit BlockSequencer(Layout* layout) : layout_(layout) {}
  void AddPage(PageContent* p);
  // Ends the open table: its parts become one table block.
  void Close();

 private:
  void AddTablePart(TablePart t, int page, bool first_item);
  void AddLine(Line l);

  Layout* layout_;
  std::vector<TablePart> open_table_;
  int open_table_page_ = 0;
  bool table_is_last_ = false;      // nothing printed after the open table yet
  size_t lines_block_ = SIZE_MAX;   // index of the open kLines block
  const Line* prev_line_ = nullptr;
};

void BlockSequencer::AddPage(PageContent* p) {
  layout_->pages.push_back(p->page);
  size_t li = 0, ti = 0;
  bool first_item = true;
  while (li < p->lines.size() || ti < p->tables.size()) {
    if (li < p->lines.size() && p->dropped[li]) {
      ++li;
      continue;
    }
    bool take_table = ti < p->tables.size() && (li >= p->lines.size() || p->tables[ti].box.y0 <= p->lines[li].box.y0);
    if (take_table) {
      AddTablePart(std::move(p->tables[ti++]), p->page.number, first_item);
    } else {
      Close();
      AddLine(std::move(p->lines[li++]));
    }
    first_item = false;
  }
}

void BlockSequencer::Close() {
  if (open_table_.empty()) return;
  Block b;
  b.kind = Block::Kind::kTable;
  b.table = TableAssembler(std::move(open_table_)).Build();
  b.page = b.table.first_page;
  layout_->blocks.push_back(std::move(b));
  open_table_.clear();
  table_is_last_ = false;
}

void BlockSequencer::AddTablePart(TablePart t, int page, bool first_item) {
  bool continues = first_item && table_is_last_ && !open_table_.empty() && open_table_page_ + 1 == page &&
                   std::fabs(open_table_.back().box.x0 - t.box.x0) < 2 * kSnap &&
                   std::fabs(open_table_.back().box.x1 - t.box.x1) < 2 * kSnap;
  if (!continues) Close();
  open_table_.push_back(std::move(t));
  open_table_page_ = page;
  table_is_last_ = true;
  lines_block_ = SIZE_MAX;
  prev_line_ = nullptr;
}

// A gap taller than 0.9 of the taller line's height starts a new block.
void BlockSequencer::AddLine(Line l) {
  bool gap = prev_line_ && prev_line_->page == l.page &&
             l.box.y0 - prev_line_->box.y1 > 0.9 * std::max(l.box.y1 - l.box.y0, prev_line_->box.y1 - prev_line_->box.y0);
  if (lines_block_ == SIZE_MAX || gap) {
    Block b;
    b.kind = Block::Kind::kLines;
    b.page = l.page;
    layout_->blocks.push_back(std::move(b));
    lines_block_ = layout_->blocks.size() - 1;
  }
  // prev_line_ is read only before the next block is added (a table part
  // clears it), so growing layout_->blocks never leaves it dangling.
  std::vector<Line>& dest = layout_->blocks[lines_block_].lines;
  dest.push_back(std::move(l));
  prev_line_ = &dest.back();
}

}  // namespace

Layout LayoutBuilder::Finish() {
  Layout layout;
  layout.source = source_;
  layout.format = Format::kPdf;
  DropRunningLines(text_pages_, &pages_);
  MarkCentredLines(&pages_);
  BlockSequencer sequencer(&layout);
  for (PageContent& p : pages_) sequencer.AddPage(&p);
  sequencer.Close();
  pages_.clear();
  return layout;
}

}  // namespace plantrace::pdf
