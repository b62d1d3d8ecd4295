// Segment helper, internal: places the lines of one flattened table row
// into the table's columns by what each run of lines reads as (an agency, a
// deadline, a code...), by dynamic programming over (line, column).
#ifndef PLANTRACE_PIPELINE_STAGES_CELL_PLACER_H_
#define PLANTRACE_PIPELINE_STAGES_CELL_PLACER_H_

#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include "pipeline/base/columns.h"
#include "pipeline/stages/normalize.h"
#include "pipeline/stages/text_tables_internal.h"

namespace plantrace {
namespace text_tables_internal {

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
  // By the hash of the text: the texts are the many spans of long rows,
  // and a copy of each as a key cost more than the judging. Two texts that
  // collide (odds about 1 in 10^10 for a table's 10^5 spans) would share
  // their facts.
  std::unordered_map<size_t, Facts> facts;
  std::unordered_map<std::string, bool> incomplete;   // cell.agency_incomplete on the whole text
  std::unordered_map<std::string, std::string> keys;  // CellKey of a line or a cell above
};

struct Placer {
  const Cues& cues;
  const std::vector<ColumnRole>& roles;
  bool multi_line;             // cells may span several fragments
  std::vector<double> widths;  // per column, characters; 0 = unknown
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

  bool Incomplete(const std::string& text) const;

  // Whether `text`, printed in column `col` after a page break, continues
  // the cell `before` that the break cut: `before` ends unfinished (a head
  // noun, a connector, a comma), or `text` starts in lower case in a column
  // of running text. An agency or deadline cell that reads complete is not
  // continued by a lower-case line: that line is the content's.
  bool Continues(size_t col, const std::string& before, std::string_view text) const;

  // Per fragment facts the scoring reads many times.
  struct FragInfo {
    double len = 0, first_word = 0;
    bool lower = false, upper = false, bullet = false;
    std::string key;  // CellKey of the text
  };

  // What the cues say about the text of fragments [b, e), computed once per
  // span: the placement tries each span against every column.
  // The text is a prefix of a string that may grow after (a chain, below):
  // held as the string and a length, as a view would dangle when it grows.
  struct Span {
    bool done = false;
    const std::string* text_of = nullptr;
    const std::string* key_of = nullptr;  // CellKey(text), built from the lines' keys
    size_t text_len = 0, key_len = 0;
    CueMemo::Facts* facts = nullptr;  // in the memo, set by Judge
    std::string_view text() const { return std::string_view(*text_of).substr(0, text_len); }
    std::string_view key() const { return std::string_view(*key_of).substr(0, key_len); }
  };
  // The spans [b, b+1), [b, b+2)... are prefixes of one another: one chain
  // per b holds the longest built so far and the spans view its prefixes,
  // so a span costs one append, not a copy of the ones before it.
  struct Chain {
    std::string text, key;
  };
  // Spans [b, e) with e - b <= kMaxCellLines, the longest a cell can be: by
  // b then length, so the cache grows with the row, not its square.
  // `joined` holds, per column, the cell above continued by the span (only
  // when there is a row above to continue). The chains are sized once, so
  // the views into them stay valid.
  struct SpanCache {
    std::vector<Span> spans, joined;
    std::vector<Chain> chains, joined_chains;
  };
  static size_t SpanCacheSize(size_t m) { return (m + 1) * (kMaxCellLines + 1); }
  SpanCache NewCache(size_t m) const;

  const Span& Cached(const std::vector<Frag>& f, const std::vector<FragInfo>& info, size_t b, size_t e,
                     SpanCache* cache) const;
  // The cell above in column `col` continued by fragments [b, e).
  const Span& CachedJoined(const std::vector<Frag>& f, const std::vector<FragInfo>& info, size_t b, size_t e,
                           size_t col, SpanCache* cache) const;
  // Appends fragment k to `chain` and sets `sp` to view the chain.
  void Extend(const std::vector<Frag>& f, const std::vector<FragInfo>& info, size_t k, Chain* chain, Span* sp) const;

  // Ties `sp` (text and key set) to its facts in the memo.
  void Judge(Span* sp) const { sp->facts = &memo->facts[std::hash<std::string_view>()(sp->text())]; }

  // Whether the cue holds for the span's text.
  bool Is(const Span& sp, CueMemo::Cue cue) const;

  int Nwords(const Span& sp) const {
    CueMemo::Facts& f = *sp.facts;
    if (f.nwords < 0) f.nwords = static_cast<int>(CountWords(sp.text()));
    return f.nwords;
  }

  double Meaning(const Span& sp, ColumnRole role) const;

  // Leaving a column without a cell: cheap, except the row's name, which a
  // task or indicator row always prints in line-per-cell dumps.
  double SkipCost(size_t col) const {
    bool name = roles[col] == ColumnRole::kName || roles[col] == ColumnRole::kIndicator;
    return name && !multi_line ? 3 : 0.25;
  }

  std::vector<FragInfo> Infos(const std::vector<Frag>& f) const;

  // Score of fragments [b, e) as one cell of column `col`.
  double CellScore(const std::vector<Frag>& f, const std::vector<FragInfo>& info, size_t b, size_t e, size_t col,
                   SpanCache* cache) const;

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
  Table Solve(const std::vector<Frag>& f, size_t first, const std::vector<FragInfo>& info, SpanCache* cache) const;

  // Places fragments into columns first..roles.size()-1 in order, skipping
  // columns where needed. Returns for each column the fragment range
  // [b, e) or (npos, npos) when the column got nothing; `score` the total.
  std::vector<std::pair<size_t, size_t>> Place(const std::vector<Frag>& f, size_t first, double* score) const;

  // The scores Place gives every suffix f[s..] (index s): one table serves
  // them all, as the table of a suffix is the tail of the whole one.
  std::vector<double> SuffixScores(const std::vector<Frag>& f, size_t first) const;

  // The scores Place gives every prefix f[..s) (index s), by the same steps
  // taken from the first fragment forward: the best path to (s, j) for any
  // j, as the columns left after the last fragment cost nothing. The scores
  // are sums of quarters, so the order of adding does not change them.
  std::vector<double> PrefixScores(const std::vector<Frag>& f, size_t first) const;
};

}  // namespace text_tables_internal
}  // namespace plantrace

#endif  // PLANTRACE_PIPELINE_STAGES_CELL_PLACER_H_
