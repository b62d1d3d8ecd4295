// Segment helper: rebuilds a table printed as PDF text, its cells wrapped
// over lines and each row's cells run one after another. Phases, in order:
// the body (repeated headers and page numbers dropped), rows of fragments,
// fragments the flattening glued split, placement into columns (cell_placer),
// then the grid with merged cells copied and page-break continuations joined.
#include <algorithm>
#include <limits>
#include <set>

#include "pipeline/base/percentile.h"
#include "pipeline/base/text_util.h"
#include "pipeline/base/unicode.h"
#include "pipeline/stages/cell_placer.h"
#include "pipeline/stages/normalize.h"
#include "pipeline/stages/text_tables_internal.h"

namespace plantrace {
namespace text_tables_internal {
namespace {

constexpr size_t npos = std::numeric_limits<size_t>::max();
using Cells = std::vector<std::pair<size_t, size_t>>;  // per column [b, e) of the row's fragments

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

class FragmentTableParser {
 public:
  FragmentTableParser(const std::vector<TextLine>& lines, const Header& h, const RuleSet& rules, const Cues& cues,
                      Diagnostics* diag);
  bool Parse(TextTable* out);

 private:
  // Phase 1: the body's lines, without repeated headers and page numbers.
  void FindBody(TextTable* out);
  bool GappedPart(const std::vector<std::string>& run) const;
  size_t HeaderRunEnd(size_t k) const;
  bool IsPageNumber(size_t k) const;
  // Phase 2: rows of fragments, cut at row numbers and group rows.
  void CutRows();
  void CutPiece(size_t bi, const std::string& piece);
  void OpenGroupRow(const TextLine& l, std::string label, std::string code, std::string title, bool open);
  void OpenNumberedRow(Frag number, const std::vector<int>& num, bool own_content);
  void AddFrag(Frag f);
  bool TryNumber(const std::string& word, std::vector<int>* num) const;
  // Phase 3: fragments the flattening glued together, split.
  void SplitAgencyTails();
  void SplitTitleBullets();
  void SplitBulletRows();
  void DropTrailingPlaceholders();
  // Phase 4: placement into columns.
  void PlaceAll(bool report);
  void SplitContinuations();
  void SplitContinuation(size_t r, const std::vector<std::string>& eff);
  bool PrintsCode(const FragRow& fr) const;
  void Enter(const FragRow& fr, const std::vector<std::string>* eff, bool join_only,
             const std::vector<std::string>& cur);
  void Leave();
  void Merge(const FragRow& fr, const Cells& cells, std::vector<std::string>* eff, std::vector<bool>* joined);
  // Phase 5: the grid.
  void EmitGrid(TextTable* out);

  const std::vector<TextLine>& lines_;
  const Header& h_;
  const RuleSet& rules_;
  const Cues& cues_;
  Diagnostics* diag_;
  const size_t nc_;
  const int code_col_;
  // The header's words: a header repeated at a page break may print only
  // some of them.
  std::set<std::string> vocab_, heads_;
  std::vector<std::vector<std::string>> cell_words_;
  std::vector<size_t> body_;        // line indices
  std::vector<bool> after_header_;  // per body line: a repeated header came just before it
  std::vector<FragRow> rows_;
  // CutRows' state.
  std::vector<int> prev_;
  bool after_group_ = true;
  bool page_break_ = false;  // a repeated header came since the last row or fragment
  CueMemo memo_;
  Placer placer_;
  std::vector<Cells> placed_;
};

FragmentTableParser::FragmentTableParser(const std::vector<TextLine>& lines, const Header& h, const RuleSet& rules,
                                         const Cues& cues, Diagnostics* diag)
    : lines_(lines),
      h_(h),
      rules_(rules),
      cues_(cues),
      diag_(diag),
      nc_(h.roles.size()),
      code_col_(FirstColumn(h.roles, {ColumnRole::kCode})),
      placer_{cues, h.roles, true, std::vector<double>(h.roles.size(), 0)} {
  placer_.memo = &memo_;
  for (const HeaderCell& c : h_.cells) {
    std::vector<std::string> ws = SplitWords(ToLower(c.text));
    vocab_.insert(ws.begin(), ws.end());
    if (!ws.empty()) heads_.insert(ws[0]);
    cell_words_.push_back(std::move(ws));
  }
}

bool FragmentTableParser::Parse(TextTable* out) {
  out->grid.rows.push_back(HeaderRow(h_));
  FindBody(out);
  CutRows();
  SplitAgencyTails();
  SplitTitleBullets();
  SplitBulletRows();
  DropTrailingPlaceholders();
  // The first pass has no column widths, the second uses the widths of the
  // lines the first pass found wrapped (a wrapped line is nearly as long as
  // its column is wide; the median resists the first pass's misplaced
  // lines). Between the passes, the unnumbered text after a page break is
  // split into continuations of the cells above and a new row.
  PlaceAll(false);
  SplitContinuations();
  PlaceAll(true);
  EmitGrid(out);
  return out->grid.rows.size() > 1;
}

// ---------------------------------------------------------------- phase 1: the body

// Two words are enough for a repeated header when they are a gapped part of
// one longer cell ("Mã" "vụ" of "Mã nhiệm vụ"): body text does not skip a
// word so.
bool FragmentTableParser::GappedPart(const std::vector<std::string>& run) const {
  for (const std::vector<std::string>& cw : cell_words_) {
    if (cw.size() <= run.size() || run.empty() || cw[0] != run[0]) continue;
    size_t at = 0;
    for (const std::string& w : cw) at += at < run.size() && run[at] == w;
    if (at == run.size()) return true;
  }
  return false;
}

// A header repeated at a page break may print only some of its words ("Mã",
// "nhiệm", "vụ", "Lộ", "trình"): a run of two or more lines made only of the
// header's own words, starting with a cell's first word. Returns the run's
// end, or `k` when none starts there.
size_t FragmentTableParser::HeaderRunEnd(size_t k) const {
  std::vector<std::string> first = SplitWords(ToLower(lines_[k].text));
  if (first.empty() || !heads_.count(first[0])) return k;
  size_t e = k;
  std::vector<std::string> run;
  for (; e < lines_.size(); ++e) {
    std::vector<std::string> ws = SplitWords(ToLower(lines_[e].text));
    bool all = !ws.empty();
    for (const std::string& w : ws) all = all && vocab_.count(w) > 0;
    if (!all) break;
    run.insert(run.end(), ws.begin(), ws.end());
  }
  return (e - k >= 2 && (run.size() >= 3 || GappedPart(run))) ? e : k;
}

// A page number: up to three digits (not a year) alone on the line just
// before a repeated header.
bool FragmentTableParser::IsPageNumber(size_t k) const {
  const std::string& t = lines_[k].text;
  if (k + 1 >= lines_.size() || t.empty() || t.size() > 3 || t.find_first_not_of("0123456789") != std::string::npos) {
    return false;
  }
  auto again = DetectHeader(lines_, k + 1, rules_, cues_);
  return (again && SameHeader(*again, h_)) || HeaderRunEnd(k + 1) > k + 1;
}

void FragmentTableParser::FindBody(TextTable* out) {
  size_t end = h_.end;
  bool skipped = false;
  while (end < lines_.size()) {
    if (Cues::Is(cues_.end, lines_[end].text)) break;
    if (auto again = DetectHeader(lines_, end, rules_, cues_); again && SameHeader(*again, h_)) {
      end = again->end;
      skipped = true;
      continue;
    }
    if (size_t e = HeaderRunEnd(end); e > end) {
      end = e;
      skipped = true;
      continue;
    }
    if (IsPageNumber(end)) {
      ++end;
      continue;
    }
    body_.push_back(end++);
    after_header_.push_back(skipped);
    skipped = false;
  }
  out->end = end;
}

// ---------------------------------------------------------------- phase 2: rows of fragments

void FragmentTableParser::AddFrag(Frag f) {
  if (!rows_.empty() && rows_.back().group && !f.placeholder &&
      (rows_.back().open || (StartsLower(f.text) && rows_.back().frags.empty()))) {
    AppendWrapped(&rows_.back().title, f.text);  // a group title wrapped over lines
    return;
  }
  if (!rows_.empty() && rows_.back().group && f.placeholder) return;
  if (rows_.empty() || rows_.back().group || (page_break_ && !f.placeholder)) {
    FragRow r;  // text before any numbered row, or after a page break: an unnumbered row
    r.page = f.page;
    r.line = f.line;
    r.continues = page_break_ && !rows_.empty() && !rows_.back().group;
    r.after_break = r.continues;
    rows_.push_back(std::move(r));
  }
  if (!f.placeholder) page_break_ = false;
  rows_.back().frags.push_back(std::move(f));
}

bool FragmentTableParser::TryNumber(const std::string& word, std::vector<int>* num) const {
  if (!Cues::Is(cues_.number, word)) return false;
  *num = ParseNumber(word);
  return PlausibleNext(prev_, *num, after_group_);
}

void FragmentTableParser::CutRows() {
  // Double spaced lines: a second blank line stands for a whitespace-only
  // placeholder cell.
  size_t spaced = 0;
  for (size_t k = 1; k < body_.size(); ++k) spaced += lines_[body_[k]].line - lines_[body_[k - 1]].line == 2;
  const bool double_spaced = body_.size() > 4 && spaced * 2 > body_.size();
  for (size_t bi = 0; bi < body_.size(); ++bi) {
    const TextLine& l = lines_[body_[bi]];
    if (after_header_[bi]) page_break_ = true;
    if (double_spaced && bi > 0 && !after_header_[bi]) {
      int gap = l.line - lines_[body_[bi - 1]].line - 1;
      for (int k = 0; k < gap / 2 && !rows_.empty() && !rows_.back().group; ++k) {
        AddFrag(Frag{"", body_[bi], l.page, l.line, true});
      }
    }
    Match m;
    if (Cues::Is(cues_.group, l.text, &m)) {  // a group label alone: its title follows
      OpenGroupRow(l, m.Group(1, ""), "", "", true);
      continue;
    }
    if (Cues::Is(cues_.group_inline, l.text, &m) && !Cues::Is(cues_.number, SplitWords(l.text)[0])) {
      OpenGroupRow(l, m.Group(1, ""), m.Group(2, ""), CollapseSpaces(m.Group(3, "")), false);
      continue;
    }
    for (const std::string& piece : SplitColumns(l.text)) CutPiece(bi, piece);
  }
}

void FragmentTableParser::OpenGroupRow(const TextLine& l, std::string label, std::string code, std::string title,
                                       bool open) {
  FragRow r;
  r.group = true;
  r.open = open;
  r.label = std::move(label);
  r.code = std::move(code);
  r.title = std::move(title);
  r.page = l.page;
  r.line = l.line;
  rows_.push_back(std::move(r));
  after_group_ = true;
  page_break_ = false;
}

// Starts the row that `number` (parsed: `num`) opens. `own_content`: the
// row's content column is its own even right after a page break.
void FragmentTableParser::OpenNumberedRow(Frag number, const std::vector<int>& num, bool own_content) {
  FragRow r;
  r.page = number.page;
  r.line = number.line;
  r.number = std::move(number);
  r.continues = page_break_ && !rows_.empty() && !rows_.back().group;
  r.numbered_after_break = own_content && r.continues;
  r.after_break = r.continues;
  page_break_ = false;
  rows_.push_back(std::move(r));
  prev_ = num;
  after_group_ = false;
}

// One column piece of body line `bi`: a row number (opening a row), or a
// task code, or cell text.
void FragmentTableParser::CutPiece(size_t bi, const std::string& piece) {
  const TextLine& l = lines_[body_[bi]];
  std::vector<std::string> ws = SplitWords(piece);
  std::vector<int> num;
  if (TryNumber(ws[0], &num)) {
    // A numbered row is a task of its own: after a page break only its
    // merged cells (title, agencies) may continue the row above, never its
    // content, which the number opens.
    OpenNumberedRow(Frag{ws[0], body_[bi], l.page, l.line, false}, num, true);
    std::string rest = TrimWhitespace(piece.substr(ws[0].size()));
    if (ws.size() > 2 && Cues::Is(cues_.code, ws[1])) {  // "115. XHS1.1 - Xây dựng ..."
      AddFrag(Frag{ws[1], body_[bi], l.page, l.line, false});
      rest = TrimWhitespace(rest.substr(ws[1].size()));
    }
    if (!rest.empty()) AddFrag(Frag{rest, body_[bi], l.page, l.line, false});
    return;
  }
  if (ws.size() > 1 && ws.back().back() == '.' && TryNumber(ws.back(), &num)) {
    AddFrag(Frag{TrimWhitespace(piece.substr(0, piece.size() - ws.back().size())), body_[bi], l.page, l.line, false});
    OpenNumberedRow(Frag{ws.back(), body_[bi], l.page, l.line, false}, num, false);
    return;
  }
  if (ws.size() > 1 && Cues::Is(cues_.code, ws[0])) {  // "XHS1.1 - Xây dựng ..."
    AddFrag(Frag{ws[0], body_[bi], l.page, l.line, false});
    AddFrag(Frag{TrimWhitespace(piece.substr(ws[0].size())), body_[bi], l.page, l.line, false});
    return;
  }
  AddFrag(Frag{piece, body_[bi], l.page, l.line, false});
}

// ---------------------------------------------------------------- phase 3: glued fragments split

// "... cấp xã. Văn" + "phòng": the first word of an agency cell printed on
// the content column's last line.
void FragmentTableParser::SplitAgencyTails() {
  for (FragRow& r : rows_) {
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
        const bool wraps_before =
            k > 0 && !r.frags[k - 1].placeholder && StartsLower(f.text) && Utf8Length(r.frags[k - 1].text) >= 30;
        // A whole agency name (up to four words) after a sentence's end is
        // such a cell printed whole ("... bệnh viện. Sở Y tế").
        size_t sp = f.text.size();
        for (int words = 1; words <= 4 && !done; ++words) {
          sp = f.text.rfind(' ', sp - 1);
          if (sp == std::string::npos || sp == 0) break;
          std::string tail = f.text.substr(sp + 1);
          if (!StartsUpper(tail) || (Utf8Length(f.text) < 30 && !wraps_before)) continue;
          const bool starts_agency = words <= 2 && Cues::Is(cues_.agency, tail + " " + r.frags[k + 1].text);
          const bool whole_after_stop =
              (f.text[sp - 1] == '.' || f.text[sp - 1] == ';') && Cues::Is(cues_.agency_whole, tail);
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
}

// "tử - Xây dựng ...": a wrapped title's last word glued to the content's
// first bullet. Split before the bullet when the head is one or two
// lower-case words.
void FragmentTableParser::SplitTitleBullets() {
  for (FragRow& r : rows_) {
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
}

// A bullet printed after the row's agency or deadline cells starts a row of
// its own that has no number (its other cells are merged from above). Not
// in the text after a page break that has no number: its bullets are judged
// by the split into continuations and a new row below.
void FragmentTableParser::SplitBulletRows() {
  for (size_t r = 0; r < rows_.size(); ++r) {
    if (rows_[r].group || (rows_[r].continues && rows_[r].number.text.empty())) continue;
    bool seen_other = false;
    for (size_t k = 0; k < rows_[r].frags.size(); ++k) {
      const Frag& f = rows_[r].frags[k];
      if (f.placeholder) continue;
      if (seen_other && f.text.starts_with("- ")) {
        FragRow next;
        next.page = f.page;
        next.line = f.line;
        next.frags.assign(rows_[r].frags.begin() + static_cast<std::ptrdiff_t>(k), rows_[r].frags.end());
        rows_[r].frags.resize(k);
        rows_.insert(rows_.begin() + static_cast<std::ptrdiff_t>(r) + 1, std::move(next));
        break;
      }
      if (Utf8Length(f.text) <= 15 && (Cues::Is(cues_.agency, f.text) || Cues::Is(cues_.deadline, f.text))) {
        seen_other = true;
      }
    }
  }
}

// Placeholders after a row's last cell stand for nothing.
void FragmentTableParser::DropTrailingPlaceholders() {
  for (FragRow& r : rows_) {
    while (!r.frags.empty() && r.frags.back().placeholder) r.frags.pop_back();
  }
}

// ---------------------------------------------------------------- phase 4: placement

bool FragmentTableParser::PrintsCode(const FragRow& fr) const {
  for (const Frag& f : fr.frags) {
    if (Cues::Is(cues_.code, f.text)) return true;
  }
  return false;
}

// Placement context of a row that may continue the cells `eff` above. `cur`
// holds the cells above as merged, for the title test.
void FragmentTableParser::Enter(const FragRow& fr, const std::vector<std::string>* eff, bool join_only,
                                const std::vector<std::string>& cur) {
  placer_.above = eff;
  placer_.join_only = join_only;
  const int title_col = FirstColumn(h_.roles, {ColumnRole::kTitle});
  placer_.title_open = fr.after_break && code_col_ >= 0 && title_col >= 0 && !PrintsCode(fr) &&
                       !cur[static_cast<size_t>(title_col)].empty();
}

void FragmentTableParser::Leave() {
  placer_.above = nullptr;
  placer_.join_only = false;
  placer_.title_open = false;
}

// The cells of a row as merged: printed text, continuations joined, the
// rest copied from `eff` (the row above) unless the row opens a new code.
void FragmentTableParser::Merge(const FragRow& fr, const Cells& cells, std::vector<std::string>* eff,
                                std::vector<bool>* joined) {
  std::vector<std::string> prev_eff = *eff;
  joined->assign(nc_, false);
  Enter(fr, &prev_eff, false, prev_eff);
  bool new_code = code_col_ >= 0 && cells[code_col_].first != npos;
  for (size_t c = 1; c < nc_; ++c) {
    auto [b, e] = cells[c];
    if (b == npos) {
      if (new_code && static_cast<int>(c) != code_col_) (*eff)[c].clear();
      continue;
    }
    std::string text;
    for (size_t k = b; k < e; ++k) AppendWrapped(&text, fr.frags[k].text);
    bool own_content = fr.numbered_after_break && placer_.roles[c] == ColumnRole::kName;
    if (fr.continues && !own_content && placer_.Continues(c, prev_eff[c], fr.frags[b].text)) {
      (*joined)[c] = true;
      AppendWrapped(&(*eff)[c], text);
    } else {
      (*eff)[c] = text;
    }
  }
  Leave();
}

// Places every row; then sets the column widths from the lines placed as
// wrapped.
void FragmentTableParser::PlaceAll(bool report) {
  placed_.assign(rows_.size(), {});
  std::vector<std::vector<double>> wrapped(nc_);
  std::vector<std::string> eff(nc_);
  std::vector<bool> joined;
  for (size_t r = 0; r < rows_.size(); ++r) {
    if (diag_ != nullptr && diag_->OverBudget()) return;  // the pipeline fails the document
    if (rows_[r].group) {
      eff.assign(nc_, "");
      continue;
    }
    double score = 0;
    Enter(rows_[r], rows_[r].continues ? &eff : nullptr, rows_[r].join_only, eff);
    placed_[r] = placer_.Place(rows_[r].frags, 1, &score);
    Leave();
    if (report && diag_ && score < 0) {
      diag_->Warn("table.row_uncertain", "cells of row " + rows_[r].number.text + " placed with low confidence",
                  rows_[r].page, rows_[r].line);
    }
    Merge(rows_[r], placed_[r], &eff, &joined);
    for (size_t c = 1; c < nc_; ++c) {
      auto [b, e] = placed_[r][c];
      for (size_t k = b; b != npos && k + 1 < e; ++k) {
        wrapped[c].push_back(static_cast<double>(Utf8Length(rows_[r].frags[k].text)));
      }
    }
  }
  for (size_t c = 1; c < nc_; ++c) placer_.widths[c] = wrapped[c].size() >= 3 ? Percentile(wrapped[c], 0.5) * 1.1 : 0;
}

void FragmentTableParser::SplitContinuations() {
  std::vector<std::string> eff(nc_);
  std::vector<bool> joined;
  for (size_t r = 0; r < rows_.size(); ++r) {
    if (rows_[r].group) {
      eff.assign(nc_, "");
      continue;
    }
    if (diag_ != nullptr && diag_->OverBudget()) return;
    if (rows_[r].continues && rows_[r].number.text.empty()) SplitContinuation(r, eff);
    if (placed_[r].empty()) placed_[r] = placer_.Place(rows_[r].frags, 1, nullptr);
    Merge(rows_[r], placed_[r], &eff, &joined);
  }
}

// Row `r`, unnumbered after a page break: fragments [0, s) continue the
// cells above (`eff`), [s, m) start a new unnumbered row; the s with the
// best total score.
void FragmentTableParser::SplitContinuation(size_t r, const std::vector<std::string>& eff) {
  const std::vector<Frag>& f = rows_[r].frags;
  const size_t m = f.size();
  double best = kNegInf;
  size_t best_s = 0;
  // Every head's score (continuations of `eff`) and every tail's (a new row)
  // from one table each, not one placement per split. A tail's title cell is
  // open unless the tail prints a code: tails starting before `code_end` do,
  // those from it on do not.
  Enter(rows_[r], &eff, true, eff);
  const std::vector<double> heads = placer_.PrefixScores(f, 1);
  Leave();
  size_t code_end = 0;
  for (size_t k = 0; k < m; ++k) {
    if (Cues::Is(cues_.code, f[k].text)) code_end = k + 1;
  }
  auto tail_scores = [&](size_t from) {
    FragRow tail_row;
    tail_row.after_break = true;
    tail_row.frags.assign(f.begin() + static_cast<std::ptrdiff_t>(from), f.end());
    Enter(tail_row, nullptr, false, eff);
    std::vector<double> out = placer_.SuffixScores(f, 1);
    Leave();
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
    rows_[r].continues = false;
    placed_[r] = placer_.Place(rows_[r].frags, 1, nullptr);
    return;
  }
  rows_[r].join_only = true;
  if (best_s < m) {
    FragRow next;
    next.after_break = true;
    next.frags.assign(f.begin() + static_cast<std::ptrdiff_t>(best_s), f.end());
    next.page = next.frags[0].page;
    next.line = next.frags[0].line;
    rows_[r].frags.resize(best_s);
    rows_.insert(rows_.begin() + static_cast<std::ptrdiff_t>(r) + 1, std::move(next));
    placed_.insert(placed_.begin() + static_cast<std::ptrdiff_t>(r) + 1, Cells());
  }
  Enter(rows_[r], &eff, true, eff);
  placed_[r] = placer_.Place(rows_[r].frags, 1, nullptr);
  Leave();
}

// ---------------------------------------------------------------- phase 5: the grid

// A column a row does not print is a cell merged with the one above, unless
// the row opens a new code (merged cells stay inside one code) or follows a
// group row. After a page break, a cell that continues the one above is
// joined to it (and to the rows it is merged over); a cell the row before
// the break left blank takes the text the merged cell printed on the new
// page.
void FragmentTableParser::EmitGrid(TextTable* out) {
  std::vector<std::string> eff(nc_);
  std::vector<bool> joined;
  int above = -1;  // index in out->grid.rows of the row above, -1 after a group
  std::vector<bool> before_printed(nc_, false);  // columns the row above printed (text or whitespace)
  for (size_t r = 0; r < rows_.size(); ++r) {
    const FragRow& fr = rows_[r];
    if (fr.group) {
      out->grid.rows.push_back(GroupRow(h_.roles, fr.label, fr.code, fr.title, fr.page, fr.line));
      above = -1;
      eff.assign(nc_, "");
      continue;
    }
    Merge(fr, placed_[r], &eff, &joined);
    GridRow row;
    row.page = fr.page;
    row.line = fr.line;
    row.cells.assign(nc_, BlankCell());
    if (!fr.number.text.empty()) row.cells[0] = TextCell(fr.number.text, fr.number.page, fr.number.line);
    std::vector<bool> printed(nc_, false);
    printed[0] = true;
    for (size_t c = 1; c < nc_; ++c) {
      auto [b, e] = placed_[r][c];
      if (b == npos) continue;
      printed[c] = true;
      if (fr.frags[b].placeholder) continue;
      std::string text;
      for (size_t k = b; k < e; ++k) AppendWrapped(&text, fr.frags[k].text);
      row.cells[c] = TextCell(text, fr.frags[b].page, fr.frags[b].line);
    }
    for (size_t c = 1; c < nc_ && above >= 0; ++c) {
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
    const bool new_code = code_col_ >= 0 && printed[code_col_];
    if (fr.continues && code_col_ >= 0 && !new_code && above >= 0) {
      GridRow& before = out->grid.rows[above];
      for (size_t c = 1; c < nc_; ++c) {
        if (!printed[c] || joined[c] || static_cast<int>(c) == code_col_ || !before.cells[c].blank ||
            before_printed[c]) {
          continue;
        }
        before.cells[c] = row.cells[c];
        before.cells[c].from_span = true;
      }
    }
    if (fr.join_only) continue;
    for (size_t c = 1; c < nc_ && above >= 0; ++c) {
      if (printed[c] || (new_code && static_cast<int>(c) != code_col_)) continue;
      row.cells[c] = out->grid.rows[above].cells[c];
      row.cells[c].from_span = true;
    }
    out->grid.rows.push_back(std::move(row));
    above = static_cast<int>(out->grid.rows.size()) - 1;
    before_printed = printed;
  }
}

}  // namespace

bool ParseFragmentTable(const std::vector<TextLine>& lines, const Header& h, const RuleSet& rules, const Cues& cues,
                        Diagnostics* diag, TextTable* out) {
  return FragmentTableParser(lines, h, rules, cues, diag).Parse(out);
}

}  // namespace text_tables_internal
}  // namespace plantrace
