// Segment helper: the cell placer of cell_placer.h.
#include "pipeline/stages/cell_placer.h"

#include <algorithm>
#include <limits>

#include "pipeline/base/text_util.h"
#include "pipeline/base/unicode.h"
#include "pipeline/stages/normalize.h"

namespace plantrace {
namespace text_tables_internal {

bool Placer::Incomplete(const std::string& text) const {
  auto it = memo->incomplete.find(text);
  if (it == memo->incomplete.end()) {
    it = memo->incomplete.emplace(text, Cues::Is(cues.agency_incomplete, text)).first;
  }
  return it->second;
}

bool Placer::Continues(size_t col, const std::string& before, std::string_view text) const {
  if (before.empty() || text.empty() || text.starts_with("- ")) return false;
  // Each join is judged on the whole joined text, so a cell that kept
  // growing over page after page would make the table quadratic in its
  // pages (a damaged PDF repeating one page 45 times took seconds). No cell
  // of the corpora is above 1.5 KB when a break cuts it.
  if (before.size() > kMaxContinuedCellBytes) return false;
  if (Incomplete(before)) return true;
  if (roles[col] == ColumnRole::kTitle && title_open) return true;
  switch (roles[col]) {
    case ColumnRole::kLead:
    case ColumnRole::kCoord:
    case ColumnRole::kMonitor:
    case ColumnRole::kDeadline:
    case ColumnRole::kCode:
    case ColumnRole::kUnit: return false;
    default: return StartsLower(text);
  }
}

Placer::SpanCache Placer::NewCache(size_t m) const {
  SpanCache cache;
  cache.spans.resize(SpanCacheSize(m));
  cache.chains.resize(m + 1);
  if (above) {
    cache.joined.resize(SpanCacheSize(m) * roles.size());
    cache.joined_chains.resize((m + 1) * roles.size());
  }
  return cache;
}

void Placer::Extend(const std::vector<Frag>& f, const std::vector<FragInfo>& info, size_t k, Chain* chain,
                    Span* sp) const {
  const size_t before = chain->text.size();
  AppendWrappedKeyed(&chain->text, &chain->key, f[k].text, info[k].key);
  if (cues.work) cues.work->text_built += chain->text.size() - before;
  sp->done = true;
  sp->text_of = &chain->text;
  sp->key_of = &chain->key;
  sp->text_len = chain->text.size();
  sp->key_len = chain->key.size();
  Judge(sp);
}

// Built in order of length: span [b, e) is made right after [b, e - 1), so
// the chain of b then ends at e - 1.
const Placer::Span& Placer::Cached(const std::vector<Frag>& f, const std::vector<FragInfo>& info, size_t b, size_t e,
                                   SpanCache* cache) const {
  Span& sp = cache->spans[b * (kMaxCellLines + 1) + (e - b)];
  if (sp.done) return sp;
  if (e - b > 1) Cached(f, info, b, e - 1, cache);
  Extend(f, info, e - 1, &cache->chains[b], &sp);
  return sp;
}

const Placer::Span& Placer::CachedJoined(const std::vector<Frag>& f, const std::vector<FragInfo>& info, size_t b,
                                         size_t e, size_t col, SpanCache* cache) const {
  const size_t at = col * (f.size() + 1) + b;
  Span& sp = cache->joined[at * (kMaxCellLines + 1) + (e - b)];
  if (sp.done) return sp;
  Chain& chain = cache->joined_chains[at];
  if (e - b > 1) {
    CachedJoined(f, info, b, e - 1, col, cache);
  } else {
    chain.text = (*above)[col];
    chain.key = KeyOf(chain.text);
    if (cues.work) cues.work->text_built += chain.text.size();
  }
  Extend(f, info, e - 1, &chain, &sp);
  return sp;
}

bool Placer::Is(const Span& sp, CueMemo::Cue cue) const {
  CueMemo::Facts& f = *sp.facts;
  if (!(f.known & cue)) {
    if (cues.work) ++cues.work->cues_matched;
    bool yes = false;
    switch (cue) {
      case CueMemo::kDeadline: yes = Cues::Is(cues.deadline, sp.text(), sp.key()); break;
      case CueMemo::kAgency: yes = Cues::Is(cues.agency, sp.text(), sp.key()); break;
      case CueMemo::kWhole: yes = Is(sp, CueMemo::kAgency) && Cues::Is(cues.agency_whole, sp.text(), sp.key()); break;
      case CueMemo::kIncomplete:
        yes = Is(sp, CueMemo::kAgency) && Cues::Is(cues.agency_incomplete, sp.text(), sp.key());
        break;
      case CueMemo::kCode: yes = Cues::Is(cues.code, sp.text(), sp.key()); break;
      case CueMemo::kFunding: yes = Cues::Is(cues.funding, sp.text(), sp.key()); break;
      case CueMemo::kUnit: yes = Cues::Is(cues.unit, sp.text(), sp.key()); break;
      case CueMemo::kTarget: yes = Cues::Is(cues.target, sp.text(), sp.key()); break;
    }
    f.known |= cue;
    if (yes) f.yes |= cue;
  }
  return f.yes & cue;
}

double Placer::Meaning(const Span& sp, ColumnRole role) const {
  switch (role) {
    case ColumnRole::kDeadline: return Is(sp, CueMemo::kDeadline) ? 4 : -4;
    case ColumnRole::kLead:
    case ColumnRole::kCoord:
    case ColumnRole::kMonitor:
      if (!Is(sp, CueMemo::kAgency)) return Is(sp, CueMemo::kDeadline) ? -4 : -2;
      if (Is(sp, CueMemo::kIncomplete)) return -1;
      return Is(sp, CueMemo::kWhole) ? 4.5 : 3;
    case ColumnRole::kOutput: return (Is(sp, CueMemo::kAgency) || Is(sp, CueMemo::kDeadline)) ? -2 : 0.5;
    case ColumnRole::kCode: return Is(sp, CueMemo::kCode) ? 4 : -6;
    case ColumnRole::kFunding: return Is(sp, CueMemo::kFunding) ? 3 : -3;
    case ColumnRole::kUnit: return Is(sp, CueMemo::kUnit) ? 2 : (Nwords(sp) > 4 ? -3 : -1);
    case ColumnRole::kTarget: return Is(sp, CueMemo::kTarget) ? 2 : -1;
    case ColumnRole::kName:
    case ColumnRole::kTitle:
    case ColumnRole::kIndicator: {
      if (Is(sp, CueMemo::kDeadline)) return -3;
      double s = (Is(sp, CueMemo::kAgency) && Nwords(sp) < 8) ? -1.5 : 0.5;
      if (sp.text().starts_with("-")) s += role == ColumnRole::kTitle ? -2 : 0.5;
      return s;
    }
    default: return 0;
  }
}

std::vector<Placer::FragInfo> Placer::Infos(const std::vector<Frag>& f) const {
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

double Placer::CellScore(const std::vector<Frag>& f, const std::vector<FragInfo>& info, size_t b, size_t e, size_t col,
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
        if (Is(before, CueMemo::kWhole) && !Is(before, CueMemo::kIncomplete))
          s -= 2;  // a whole agency name, then a capitalised line
      }
      if (agency_col && Is(Cached(f, info, k, k + 1, cache), CueMemo::kDeadline))
        s -= 2;  // a line that reads as a deadline
    }
  }
  if (continues) {
    // The cell continues the one above: judge the joined text.
    const std::string alone_key = KeyOf((*above)[col]);
    Span alone;
    alone.text_of = &(*above)[col];
    alone.key_of = &alone_key;
    alone.text_len = alone.text_of->size();
    alone.key_len = alone_key.size();
    Judge(&alone);
    const Span& joined = CachedJoined(f, info, b, e, col, cache);
    // Rewarded by what the join adds to the cell's meaning, and when the
    // cell above reads unfinished.
    const double unfinished = Incomplete((*above)[col]) ? 1.5 : 0;
    return s + unfinished + Meaning(joined, roles[col]) - Meaning(alone, roles[col]);
  }
  if (info[b].lower) s -= above ? 4.5 : 2.5;  // after a page break a lower-case line continues a cell
  s += Meaning(Cached(f, info, b, e, cache), roles[col]);
  return s;
}

Placer::Table Placer::Solve(const std::vector<Frag>& f, size_t first, const std::vector<FragInfo>& info,
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
      // Take fragments i..e-1 as column j (preferred on ties), or skip column
      // j.
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

std::vector<std::pair<size_t, size_t>> Placer::Place(const std::vector<Frag>& f, size_t first, double* score) const {
  const size_t m = f.size(), nc = roles.size();
  constexpr size_t npos = std::numeric_limits<size_t>::max();
  std::vector<std::pair<size_t, size_t>> out(nc, {npos, npos});
  size_t lines = 0;
  for (const Frag& x : f) lines += x.placeholder ? 0 : 1;
  if (lines > Capacity(nc - first)) {
    if (score) *score = kNegInf;
    return out;
  }
  SpanCache cache = NewCache(m);
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

std::vector<double> Placer::SuffixScores(const std::vector<Frag>& f, size_t first) const {
  SpanCache cache = NewCache(f.size());
  const Table t = Solve(f, first, Infos(f), &cache);
  std::vector<double> out(f.size() + 1);
  for (size_t s = 0; s <= f.size(); ++s) out[s] = t.best[s][first];
  return out;
}

std::vector<double> Placer::PrefixScores(const std::vector<Frag>& f, size_t first) const {
  const size_t m = f.size(), nc = roles.size();
  SpanCache cache = NewCache(m);
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

}  // namespace text_tables_internal
}  // namespace plantrace
