// Agency splitting and canonicalisation: interprets agencies.list and the
// agency.* rules. Splitting is a small dynamic programme over the atoms
// between separators that prefers items the rules recognise.
#include "pipeline/stages/agency.h"

#include <algorithm>
#include <mutex>
#include <utility>

#include "pipeline/base/unicode.h"

namespace plantrace {
namespace {

bool IsSpaceByte(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v'; }

// NFC, Markdown emphasis removed, whitespace (and NBSP) collapsed.
std::string CleanCell(std::string_view s) {
  std::string nfc = ToNfc(s);
  std::string out;
  out.reserve(nfc.size());
  bool space = false;
  for (size_t i = 0; i < nfc.size(); ++i) {
    char c = nfc[i];
    bool nbsp = static_cast<unsigned char>(c) == 0xC2 && i + 1 < nfc.size() &&
                static_cast<unsigned char>(nfc[i + 1]) == 0xA0;
    if (IsSpaceByte(c) || nbsp) {
      if (nbsp) ++i;
      space = true;
      continue;
    }
    if (c == '*' || c == '`') continue;
    if (space && !out.empty()) out.push_back(' ');
    space = false;
    out.push_back(c);
  }
  return out;
}

bool IsEdgeJunk(char c) {
  return c == ' ' || c == ',' || c == ';' || c == ':' || c == '.' || c == '/' || c == '-' || c == '+';
}

std::string_view TrimItem(std::string_view s) {
  while (!s.empty() && IsEdgeJunk(s.front())) s.remove_prefix(1);
  while (!s.empty() && IsEdgeJunk(s.back())) s.remove_suffix(1);
  return s;
}

std::vector<std::string_view> SplitOn(std::string_view text, const std::vector<const Rule*>& seps) {
  std::vector<std::pair<size_t, size_t>> cuts;
  for (const Rule* r : seps) {
    for (const Pattern& p : r->patterns) {
      for (const Match& m : p.FindAll(text)) cuts.emplace_back(m.begin, m.end);
    }
  }
  std::sort(cuts.begin(), cuts.end());
  std::vector<std::string_view> out;
  size_t from = 0;
  for (auto [b, e] : cuts) {
    if (b < from) continue;
    out.push_back(text.substr(from, b - from));
    from = e;
  }
  out.push_back(text.substr(from));
  return out;
}

int Score(AgencyTier tier, int atoms) {
  switch (tier) {
    case AgencyTier::kFull: return 10 * atoms;
    case AgencyTier::kHead: return std::max(1, 7 - atoms);
    case AgencyTier::kNone: break;
  }
  return -20;
}

struct Atom {
  size_t begin, end;
};

// Atoms of one part: the text between soft separators and at boundaries.
std::vector<Atom> Atomise(std::string_view part, const RuleSet& rules) {
  std::vector<std::pair<size_t, size_t>> cuts;
  for (const Rule* r : rules.Category("agency.separator")) {
    if (r->id.starts_with("agency.separator.hard")) continue;
    for (const Pattern& p : r->patterns) {
      for (const Match& m : p.FindAll(part)) {
        if (m.end > m.begin) cuts.emplace_back(m.begin, m.end);
      }
    }
  }
  for (const Rule* r : rules.Category("agency.boundary")) {
    for (const Pattern& p : r->patterns) {
      for (const Match& m : p.FindAll(part)) {
        if (!m.group_spans.empty() && m.group_spans[0].first != std::string::npos) {
          cuts.emplace_back(m.group_spans[0].first, m.group_spans[0].first);
        }
      }
    }
  }
  std::sort(cuts.begin(), cuts.end());
  std::vector<Atom> atoms;
  size_t from = 0;
  auto add = [&](size_t b, size_t e) {
    std::string_view t = part.substr(b, e - b);
    std::string_view trimmed = TrimItem(t);
    if (trimmed.empty()) return;
    size_t tb = b + (trimmed.data() - t.data());
    atoms.push_back({tb, tb + trimmed.size()});
  };
  for (auto [b, e] : cuts) {
    if (b < from) continue;
    add(from, b);
    from = e;
  }
  add(from, part.size());
  return atoms;
}

// True when `s` opens with "các " (any case): such an item names its own
// set and takes no shared head noun.
bool OpensWithCac(std::string_view s) {
  std::string k = Gazetteer::Key(s.substr(0, std::min<size_t>(s.size(), 8)));
  return k.starts_with("các ");
}

// `piece` under a shared head noun ("Cục" + "Di sản văn hóa"); unchanged
// without a head or when the piece names its own set.
std::string WithHead(std::string_view head, std::string_view piece) {
  if (head.empty() || OpensWithCac(piece)) return std::string(piece);
  return std::string(head) + " " + std::string(piece);
}

// Splits one part (no hard separator inside, roles removed) into items. With
// a `head`, each piece is read and printed under that head noun.
std::vector<std::string> SplitPart(std::string_view part, const Gazetteer& g, const RuleSet& rules,
                                   AgencyText where, std::string_view head = {}) {
  std::vector<Atom> atoms = Atomise(part, rules);
  size_t n = atoms.size();
  if (n == 0) return {};
  // A locality printed without the head before it ("UBND phường A, phường
  // B") shares the head of the atom before it (rules agency.ellipsis).
  std::vector<std::string> shared(n);
  for (const Rule* r : rules.Category("agency.ellipsis")) {
    const Pattern* head_of = r->NamedPattern("head_pattern");
    if (!head_of) continue;
    for (size_t j = 1; j < n; ++j) {
      std::string_view atom = part.substr(atoms[j].begin, atoms[j].end - atoms[j].begin);
      if (!shared[j].empty() || !std::any_of(r->patterns.begin(), r->patterns.end(),
                                             [&](const Pattern& p) { return p.FullMatch(atom); })) {
        continue;
      }
      std::string before = shared[j - 1] + std::string(part.substr(atoms[j - 1].begin, atoms[j - 1].end - atoms[j - 1].begin));
      Match m;
      if (head_of->Find(before, &m) && !m.groups.empty() && m.groups[0]) shared[j] = *m.groups[0];
    }
  }
  auto text_of = [&](size_t first, size_t last) {  // atoms [first, last)
    std::string piece(part.substr(atoms[first].begin, atoms[last - 1].end - atoms[first].begin));
    return last == first + 1 ? shared[first] + piece : piece;
  };
  constexpr size_t kMaxAtomsPerItem = 16;
  struct Cell {
    bool set = false;
    int score = 0, pieces = 0;
    size_t prev = 0;
    AgencyTier tier = AgencyTier::kNone;
  };
  std::vector<Cell> best(n + 1);
  best[0].set = true;
  for (size_t j = 1; j <= n; ++j) {
    for (size_t i = (j > kMaxAtomsPerItem ? j - kMaxAtomsPerItem : 0); i < j; ++i) {
      if (!best[i].set) continue;
      std::string piece = text_of(i, j);
      AgencyTier tier = g.Classify(WithHead(head, piece), i == 0 || !head.empty(), where).tier;
      int score = best[i].score + Score(tier, static_cast<int>(j - i));
      int pieces = best[i].pieces + 1;
      Cell& c = best[j];
      if (!c.set || score > c.score || (score == c.score && pieces < c.pieces)) {
        c = {true, score, pieces, i, tier};
      }
    }
  }
  struct Span {
    size_t first, last;  // atom range [first, last)
    bool known;
  };
  std::vector<Span> spans;
  for (size_t j = n; j > 0; j = best[j].prev) {
    spans.push_back({best[j].prev, j, best[j].tier != AgencyTier::kNone});
  }
  std::reverse(spans.begin(), spans.end());
  // A piece that is not an agency was never a place to split: join it to
  // its neighbour.
  std::vector<Span> merged;
  for (const Span& s : spans) {
    if (!merged.empty() && (!s.known || !merged.back().known)) {
      merged.back().last = s.last;
      merged.back().known = merged.back().known && s.known;
      continue;
    }
    merged.push_back(s);
  }
  std::vector<std::string> items;
  for (const Span& s : merged) items.push_back(WithHead(head, text_of(s.first, s.last)));
  return items;
}

}  // namespace

std::string Gazetteer::Key(std::string_view s) {
  std::string k = MatchKey(s);
  std::string out;
  out.reserve(k.size());
  auto space = [&]() {
    if (!out.empty() && out.back() != ' ') out.push_back(' ');
  };
  for (size_t i = 0; i < k.size(); ++i) {
    unsigned char c = k[i];
    if (c == ',' || c == '.' || c == ';' || c == ':' || c == '(' || c == ')' || c == '-' || c == '/' ||
        c == '"' || c == ' ') {
      space();
      continue;
    }
    if (c == 0xE2 && i + 2 < k.size() && static_cast<unsigned char>(k[i + 1]) == 0x80 &&
        (static_cast<unsigned char>(k[i + 2]) == 0x93 || static_cast<unsigned char>(k[i + 2]) == 0x94)) {
      space();  // en and em dashes
      i += 2;
      continue;
    }
    if (c == '&') {
      if (!out.empty() && out.back() == ' ') out.pop_back();
      out.push_back('&');
      while (i + 1 < k.size() && k[i + 1] == ' ') ++i;
      continue;
    }
    out.push_back(static_cast<char>(c));
  }
  while (!out.empty() && out.back() == ' ') out.pop_back();
  return out;
}

namespace {

// Levenshtein distance of two folded keys, or bound + 1 when it exceeds
// `bound` (only a band around the diagonal is computed).
size_t BoundedDistance(std::string_view a, std::string_view b, size_t bound) {
  size_t n = a.size(), m = b.size();
  if ((n > m ? n - m : m - n) > bound) return bound + 1;
  const size_t kFar = bound + 1;
  std::vector<size_t> prev(m + 1), cur(m + 1);
  for (size_t j = 0; j <= m; ++j) prev[j] = j;
  for (size_t i = 1; i <= n; ++i) {
    size_t lo = i > bound ? i - bound : 1, hi = std::min(m, i + bound);
    std::fill(cur.begin(), cur.end(), kFar);
    if (lo == 1) cur[0] = i;
    size_t row_min = cur[0];
    for (size_t j = lo; j <= hi; ++j) {
      size_t sub = prev[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1);
      cur[j] = std::min({sub, prev[j] + 1, cur[j - 1] + 1, kFar});
      row_min = std::min(row_min, cur[j]);
    }
    if (row_min > bound) return kFar;
    std::swap(prev, cur);
  }
  return std::min(prev[m], kFar);
}

std::string FirstWord(std::string_view folded) { return std::string(folded.substr(0, folded.find(' '))); }

}  // namespace

Gazetteer::Gazetteer(const RuleSet& rules) : entries_(rules.List("agencies")), places_(rules.List("places")) {
  for (size_t i = 0; i < entries_.size(); ++i) {
    index_.emplace(Key(entries_[i].canonical), i);
    for (const std::string& a : entries_[i].aliases) index_.emplace(Key(a), i);
    near_.push_back({SearchKey(entries_[i].canonical), i});
    for (const std::string& a : entries_[i].aliases) near_.push_back({SearchKey(a), i});
  }
  for (size_t i = 0; i < places_.size(); ++i) {
    place_keys_.emplace_back(SearchKey(places_[i].canonical), i);
    for (const std::string& a : places_[i].aliases) place_keys_.emplace_back(SearchKey(a), i);
  }
  for (const Rule* r : rules.Category("agency.qualifier")) qualifiers_.push_back(*r);
  for (const Rule* r : rules.Category("agency.collective")) collectives_.push_back(*r);
  for (const Rule* r : rules.Category("agency.head")) heads_.push_back(*r);
}

std::shared_ptr<const Gazetteer> Gazetteer::For(const RuleSet& rules) {
  static std::mutex mu;
  static std::string hash;
  static std::shared_ptr<const Gazetteer> last;
  std::lock_guard<std::mutex> lock(mu);
  if (!last || hash != rules.hash()) {
    last = std::make_shared<const Gazetteer>(rules);
    hash = rules.hash();
  }
  return last;
}

const ListEntry* Gazetteer::Lookup(std::string_view printed) const {
  return LookupIn(TrimItem(CleanCell(printed)));
}

const ListEntry* Gazetteer::LookupNear(std::string_view printed) const {
  std::string k = SearchKey(TrimItem(CleanCell(printed)));
  while (!k.empty() && k.back() == ' ') k.pop_back();
  while (!k.empty() && k.front() == ' ') k.erase(0, 1);
  if (k.size() < 4) return nullptr;
  const size_t bound = k.size() < 8 ? 0 : k.size() < 20 ? 1 : 2;
  const std::string first = FirstWord(k);
  size_t best = bound + 1;
  const ListEntry* found = nullptr;
  bool tie = false;
  for (const NearKey& nk : near_) {
    if (FirstWord(nk.folded) != first) continue;
    size_t d = BoundedDistance(k, nk.folded, bound);
    if (d > bound) continue;
    const ListEntry* e = &entries_[nk.entry];
    if (d < best) {
      best = d;
      found = e;
      tie = false;
    } else if (d == best && e != found) {
      tie = true;
    }
  }
  return tie ? nullptr : found;
}

std::string Gazetteer::TrailingPlace(std::string_view text, size_t* begin) const {
  std::string_view clean = TrimItem(text);
  for (size_t s = 0; s < clean.size(); ++s) {
    if (s > 0 && clean[s - 1] != ' ') continue;
    std::string k = SearchKey(clean.substr(s));
    while (!k.empty() && k.back() == ' ') k.pop_back();
    for (const auto& [key, i] : place_keys_) {
      if (key != k) continue;
      if (begin) *begin = s;
      return places_[i].canonical;
    }
  }
  return "";
}

bool Gazetteer::IsNationalKind(std::string_view kind) {
  return kind == "ministry" || kind == "government" || kind == "central";
}

std::string Gazetteer::IssuingProvince(const std::optional<std::string>& place,
                                       const std::optional<std::string>& issuer) const {
  if (issuer) {
    if (IsNationalKind(Classify(*issuer).kind)) return "";
    std::string p = TrailingPlace(CleanCell(*issuer));
    if (!p.empty()) return p;
  }
  if (!place) return "";
  std::string clean(TrimItem(CleanCell(*place)));
  size_t at = 0;
  std::string p = TrailingPlace(clean, &at);
  return !p.empty() && at == 0 ? p : clean;
}

const ListEntry* Gazetteer::LookupIn(std::string_view printed) const {
  std::string clean(printed);
  if (auto it = index_.find(Key(clean)); it != index_.end()) return &entries_[it->second];
  for (const Rule& q : qualifiers_) {
    for (const Pattern& p : q.patterns) {
      Match m;
      if (!p.FullMatch(clean, &m) || m.groups.empty() || !m.groups[0]) continue;
      if (auto it = index_.find(Key(*m.groups[0])); it != index_.end()) return &entries_[it->second];
    }
  }
  return nullptr;
}

AgencyMatch Gazetteer::Classify(std::string_view printed, bool opens_part, AgencyText where) const {
  AgencyMatch out;
  std::string clean(TrimItem(CleanCell(printed)));
  if (clean.empty()) return out;
  if (const ListEntry* e = Lookup(clean)) {
    out.tier = AgencyTier::kFull;
    out.kind = e->kind;
    out.canonical = e->canonical;
    out.rule = e->file + ":" + std::to_string(e->line);
    return out;
  }
  for (const std::vector<Rule>* family : {&collectives_, &heads_}) {
    for (const Rule& r : *family) {
      const std::string& only = r.Get("only");
      if (!opens_part && only == "first") continue;
      if (where != AgencyText::kSentence && only == "sentence") continue;
      for (const Pattern& p : r.patterns) {
        if (!p.FullMatch(clean)) continue;
        out.tier = r.Get("weight") == "full" ? AgencyTier::kFull : AgencyTier::kHead;
        out.kind = r.Get("kind");
        out.rule = r.id;
        return out;
      }
    }
  }
  return out;
}

Agency Gazetteer::Resolve(std::string_view printed, AgencyText where) const {
  Agency a;
  a.printed = std::string(TrimItem(CleanCell(printed)));
  AgencyMatch m = Classify(a.printed, true, where);
  a.kind = m.kind;
  size_t at = 0;
  const std::string place = TrailingPlace(a.printed, &at);
  auto take = [&](const ListEntry* e, bool near) {
    a.canonical = e->canonical;
    a.kind = e->kind;
    a.known = true;
    a.near = near;
  };
  if (!m.canonical.empty()) {
    a.canonical = m.canonical;
    a.known = true;
  } else if (m.tier == AgencyTier::kFull) {
    a.canonical = a.printed;  // a collective names itself
    a.known = true;
  } else {
    // A province named without its level word ("... truyền hình Hưng Yên")
    // is the level the list names; then a near spelling.
    std::vector<std::string> tries;
    if (!place.empty() && at > 0) {
      std::string stem(TrimItem(std::string_view(a.printed).substr(0, at)));
      bool city = false;
      for (const ListEntry& p : places_) city |= p.canonical == place && p.kind == "city";
      for (const char* level : {city ? " thành phố" : " tỉnh", city ? " tỉnh" : " thành phố", ""}) {
        tries.push_back(stem + level);
      }
      // "Sở Tư pháp tỉnh Bắc Ninh": the department without its level word.
      std::string key = Key(stem);
      for (std::string_view level : {std::string_view(" tỉnh"), std::string_view(" thành phố")}) {
        if (key.ends_with(level)) tries.push_back(stem.substr(0, stem.size() - level.size()));
      }
    }
    tries.push_back(a.printed);
    const ListEntry* e = nullptr;
    for (const std::string& t : tries) {
      if ((e = LookupIn(t))) break;
    }
    if (e) {
      take(e, false);
    } else {
      for (const std::string& t : tries) {
        if ((e = LookupNear(t))) break;
      }
      if (e) take(e, true);
    }
  }
  if (IsNationalKind(a.kind)) {
    a.scope = "";
  } else if (!place.empty()) {
    a.scope = place;
  }
  return a;
}

std::string StripAgencyRoles(std::string_view item, const RuleSet& rules) {
  std::string s(item);
  // A bare unit word is named by its clause ("Các cơ quan được phân công chủ
  // trì thực hiện nhiệm vụ"): nothing to strip.
  for (const Rule* r : rules.Category("agency.keep")) {
    for (const Pattern& p : r->patterns) {
      if (p.FullMatch(s)) return std::string(TrimItem(s));
    }
  }
  for (int round = 0; round < 4; ++round) {
    bool changed = false;
    for (const Rule* r : rules.Category("agency.role")) {
      for (const Pattern& p : r->patterns) {
        Match m;
        if (!p.Find(s, &m) || m.end <= m.begin) continue;
        s.erase(m.begin, m.end - m.begin);
        changed = true;
      }
    }
    if (!changed) break;
  }
  return std::string(TrimItem(s));
}

namespace {

// Items of a cleaned cell, without enumerations.
std::vector<std::string> SplitPlain(std::string_view text, const Gazetteer& g, const RuleSet& rules,
                                    AgencyText where, std::string_view head = {}) {
  std::vector<std::string> out;
  std::vector<const Rule*> hard;
  for (const Rule* r : rules.Category("agency.separator.hard")) hard.push_back(r);
  for (std::string_view part : SplitOn(text, hard)) {
    std::string stripped = StripAgencyRoles(TrimItem(part), rules);
    for (std::string& item : SplitPart(stripped, g, rules, where, head)) out.push_back(std::move(item));
  }
  return out;
}

// The head noun of an enumeration match ("Sở" from "các Sở:"), first letter
// in capitals; "" when the rule has no head group or it did not take part.
std::string EnumerationHead(const Match& m) {
  if (m.groups.empty() || !m.groups[0] || m.groups[0]->empty()) return "";
  std::string head = *m.groups[0];
  if (head[0] >= 'a' && head[0] <= 'z') head[0] = static_cast<char>(head[0] - 'a' + 'A');
  return head;
}

// Items of a cleaned cell. Enumerations (rules agency.enumeration.*) list the
// agencies meant: "Các Cục: A, B" gives "Cục A", "Cục B" (the list ends at a
// full stop); "X (gồm các Sở: A, B)" gives "Sở A", "Sở B" in place of X.
std::vector<std::string> SplitItems(std::string_view text, const Gazetteer& g, const RuleSet& rules,
                                    AgencyText where, int depth) {
  if (depth < 4) {
    for (const Rule* r : rules.Category("agency.enumeration")) {
      bool bracket = r->Get("replaces") == "item";
      for (const Pattern& p : r->patterns) {
        Match m;
        if (!p.Find(text, &m)) continue;
        std::string head = EnumerationHead(m);
        size_t end = bracket ? text.find(')', m.end) : text.find(". ", m.end);
        if (end == std::string_view::npos) end = text.size();
        std::vector<std::string> out;
        // "Các Bộ, cơ quan liên quan và các Tập đoàn: ...": the conjunction
        // before the enumeration joins it to the list, it is not a name.
        std::string_view lead = TrimItem(text.substr(0, m.begin));
        for (std::string_view conj : {std::string_view(" và"), std::string_view(" hoặc")}) {
          if (lead.ends_with(conj)) lead = TrimItem(lead.substr(0, lead.size() - conj.size()));
        }
        std::vector<std::string> before = SplitItems(lead, g, rules, where, depth + 1);
        if (bracket && !before.empty()) before.pop_back();
        for (std::string& s : before) out.push_back(std::move(s));
        for (std::string& s : SplitPlain(TrimItem(text.substr(m.end, end - m.end)), g, rules, where, head)) {
          out.push_back(std::move(s));
        }
        size_t rest = std::min(text.size(), end + 1);
        for (std::string& s : SplitItems(TrimItem(text.substr(rest)), g, rules, where, depth + 1)) {
          out.push_back(std::move(s));
        }
        return out;
      }
    }
  }
  if (text.empty()) return {};
  return SplitPlain(text, g, rules, where);
}

}  // namespace

std::vector<Agency> SplitAgencies(std::string_view cell, const Gazetteer& g, const RuleSet& rules,
                                  AgencyText where) {
  std::string text(TrimItem(CleanCell(cell)));
  std::vector<Agency> out;
  if (text.empty()) return out;
  for (const std::string& item : SplitItems(text, g, rules, where, 0)) out.push_back(g.Resolve(item, where));
  return out;
}

std::string CheckAgencyExample(const Rule& rule, const RuleExample& ex, const Gazetteer& g,
                               const RuleSet& rules) {
  const std::string& id = rule.id;
  auto starts = [&](std::string_view prefix) {
    return id == prefix || (id.size() > prefix.size() && id.compare(0, prefix.size(), prefix) == 0 &&
                            id[prefix.size()] == '.');
  };
  std::string got;
  if (starts("agency.role") || starts("agency.keep")) {
    got = StripAgencyRoles(CleanCell(ex.input), rules);
  } else if (starts("agency.qualifier")) {
    for (const Pattern& p : rule.patterns) {
      Match m;
      if (p.FullMatch(CleanCell(ex.input), &m) && !m.groups.empty() && m.groups[0]) {
        got = *m.groups[0];
        break;
      }
    }
  } else if (starts("agency.collective") || starts("agency.head")) {
    std::string clean = CleanCell(ex.input);
    bool matched = std::any_of(rule.patterns.begin(), rule.patterns.end(),
                               [&](const Pattern& p) { return p.FullMatch(clean); });
    if (!matched) return "pattern does not match the whole text";
    AgencyText where = rule.Get("only") == "sentence" ? AgencyText::kSentence : AgencyText::kCell;
    if (g.Classify(clean, true, where).tier == AgencyTier::kNone) return "not classified as an agency";
    got = rule.Get("kind");
  } else {
    std::vector<std::string> items;
    // agency.split.sentence: the cell is a sentence's subject.
    AgencyText where = starts("agency.split.sentence") ? AgencyText::kSentence : AgencyText::kCell;
    for (const Agency& a : SplitAgencies(ex.input, g, rules, where)) items.push_back(a.printed);
    got = Join(items, " | ");
  }
  if (got != ex.expected) return "got '" + got + "', want '" + ex.expected + "'";
  return "";
}

std::string CheckAgencyNegative(const RuleExample& neg, const Gazetteer& g) {
  AgencyMatch m = g.Classify(neg.input);
  if (m.tier != AgencyTier::kNone) return "recognised as " + m.kind + " by " + m.rule;
  return "";
}

}  // namespace plantrace
