// Link stage (link.h): citations and carry-over sentences found in a
// document's text, resolution of references against stored documents,
// document and task status, and task lineage between related plans.
#include "pipeline/stages/link.h"

#include <algorithm>
#include <cmath>
#include <functional>
#include <map>
#include <set>
#include <tuple>
#include <unordered_map>
#include <utility>

#include "pipeline/base/civil_date.h"
#include "pipeline/base/doc_key.h"
#include "pipeline/base/text_util.h"
#include "pipeline/base/unicode.h"

namespace plantrace {
namespace {

// The words of `s`'s search key (folded: no case, no diacritics; the key
// separates words by single spaces).
std::vector<std::string> KeyWords(std::string_view s) { return SplitWords(SearchKey(s)); }

std::set<std::string> WordSet(std::string_view s) {
  std::vector<std::string> w = KeyWords(s);
  return std::set<std::string>(w.begin(), w.end());
}

// `s` cut to at most `max_words` words.
std::string_view FirstWords(std::string_view s, int max_words) {
  int words = 0;
  bool in_word = false;
  for (size_t i = 0; i < s.size(); ++i) {
    bool space = s[i] == ' ' || s[i] == '\n' || s[i] == '\t';
    if (!space && !in_word && ++words > max_words) return s.substr(0, i);
    in_word = !space;
  }
  return s;
}

std::string DateOfMatch(const Match& m) {
  auto num = [&](size_t i) { return std::atoi(m.Group(i, "0").c_str()); };
  int d = num(1), mo = num(2), y = num(3);
  if (d < 1 || d > 31 || mo < 1 || mo > 12 || y < 1900 || y > 2200) return "";
  return IsoDate(y, mo, d);
}

std::string StripNumberTail(std::string_view s) {
  std::string out(s);
  while (!out.empty() && (out.back() == '.' || out.back() == ',' || out.back() == ')' || out.back() == ':')) {
    out.pop_back();
  }
  return DocNumberKey(out);
}

// Character-trigram profile of folded text, as sorted hashes with counts.
using Profile = std::vector<std::pair<uint64_t, int>>;

// `folded` is SearchKey of the text.
Profile KeyTrigrams(const std::string& folded) {
  std::string key = " " + folded + " ";
  std::vector<uint64_t> grams;
  // Bytes: SearchKey output is ASCII letters, digits and spaces.
  for (size_t i = 0; i + 3 <= key.size(); ++i) {
    grams.push_back(std::hash<std::string_view>()(std::string_view(key).substr(i, 3)));
  }
  std::sort(grams.begin(), grams.end());
  Profile p;
  for (uint64_t g : grams) {
    if (!p.empty() && p.back().first == g) {
      ++p.back().second;
    } else {
      p.emplace_back(g, 1);
    }
  }
  return p;
}

Profile Trigrams(std::string_view text) { return KeyTrigrams(SearchKey(text)); }

// Sum of the squared counts: a profile's squared length.
double SquaredNorm(const Profile& p) {
  double n = 0;
  for (const auto& [g, c] : p) n += double(c) * c;
  return n;
}

// Cosine of two profiles whose squared lengths are `na` and `nb`.
double Cosine(const Profile& a, double na, const Profile& b, double nb) {
  double dot = 0;
  size_t i = 0, j = 0;
  while (i < a.size() && j < b.size()) {
    if (a[i].first < b[j].first) {
      ++i;
    } else if (b[j].first < a[i].first) {
      ++j;
    } else {
      dot += double(a[i].second) * b[j].second;
      ++i;
      ++j;
    }
  }
  return na > 0 && nb > 0 ? dot / std::sqrt(na * nb) : 0;
}

double Cosine(const Profile& a, const Profile& b) { return Cosine(a, SquaredNorm(a), b, SquaredNorm(b)); }

// A text's distinct words as sorted hashes: task matching compares every
// task of one plan with every task of the other, and merging two sorted
// arrays is several times faster than looking each word up in a set of
// strings (ingest of 80 renditions: most of its time was those lookups).
// `folded` is SearchKey of the text.
std::vector<uint64_t> KeyWordHashes(const std::string& folded) {
  std::vector<uint64_t> out;
  for (const std::string& w : SplitWords(folded)) out.push_back(std::hash<std::string>()(w));
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

double Dice(const std::vector<uint64_t>& a, const std::vector<uint64_t>& b) {
  if (a.empty() && b.empty()) return 0;
  size_t common = 0;
  for (size_t i = 0, j = 0; i < a.size() && j < b.size();) {
    if (a[i] < b[j]) {
      ++i;
    } else if (b[j] < a[i]) {
      ++j;
    } else {
      ++common;
      ++i;
      ++j;
    }
  }
  return 2.0 * common / (a.size() + b.size());
}

template <typename Set>
double Dice(const Set& a, const Set& b) {
  if (a.empty() && b.empty()) return 0;
  size_t common = 0;
  for (const auto& x : a) common += b.count(x);
  return 2.0 * common / (a.size() + b.size());
}

int StatusRank(const std::string& s) {
  if (s == "repealed") return 5;
  if (s == "superseded") return 4;
  if (s == "partly_superseded") return 3;
  if (s == "amended") return 2;
  return 1;
}

int RelationStrength(const std::string& r) {
  static const char* kOrder[] = {"cites", "based_on", "implements", "repeals", "amends", "supersedes"};
  for (int i = 0; i < 6; ++i) {
    if (r == kOrder[i]) return i;
  }
  return -1;
}

}  // namespace

// ------------------------------------------------------------ rules

Result<LinkRules> LinkRules::Load(const RuleSet& rules) {
  LinkRules lr;
  for (const Rule* r : rules.Category("docnumber")) {
    for (const Pattern& p : r->patterns) lr.numbers_.push_back(p);
  }
  for (const Rule* r : rules.Category("refdate")) {
    for (const Pattern& p : r->patterns) lr.dates_.push_back(p);
  }
  auto single = [&](const char* id, Pattern* out) -> Status {
    const Rule* r = rules.Find(id);
    if (!r || r->patterns.empty()) return Status::InvalidInput(std::string("links.rules: rule ") + id + " missing");
    *out = r->patterns[0];
    return Status::Ok();
  };
  PLANTRACE_RETURN_IF_ERROR(single("link.citation.tail", &lr.tail_));
  PLANTRACE_RETURN_IF_ERROR(single("link.citation.end", &lr.end_));
  for (const Rule* r : rules.Category("link.carryover")) {
    for (const Pattern& p : r->patterns) lr.carryovers_.emplace_back(r->id, p);
  }
  for (const Rule* r : rules.Category("link.covers")) {
    std::vector<std::string> kinds;
    for (const std::string& w : KeyWords(r->Get("kinds"))) kinds.push_back(w);
    if (kinds.empty()) {
      return Status::InvalidInput(r->file + ":" + std::to_string(r->line) + " " + r->id + ": no kinds");
    }
    for (const Pattern& p : r->patterns) lr.covers_.emplace_back(p, kinds);
  }
  if (lr.numbers_.empty()) return Status::InvalidInput("rules: no docnumber.* rule");
  return lr;
}

std::vector<std::string> LinkRules::CoveredKinds(std::string_view collective) const {
  std::set<std::string> kinds;
  Match m;
  for (const auto& [p, ks] : covers_) {
    if (p.Find(collective, &m)) kinds.insert(ks.begin(), ks.end());
  }
  return std::vector<std::string>(kinds.begin(), kinds.end());
}

size_t LinkRules::TailEnd(std::string_view text) const {
  Match m;
  return end_.Find(text, &m) ? m.begin : text.size();
}

LinkRules::Tail LinkRules::ParseTail(std::string_view text) const {
  Tail t;
  Match m;
  std::string trimmed = TrimWhitespace(text);
  if (!tail_.FullMatch(trimmed, &m)) return t;
  t.matched = true;
  t.issuer = TrimWhitespace(m.Group(1, ""));
  t.title = TrimWhitespace(m.Group(2, ""));
  // An "issuer" of many words is a run-on clause, not a name.
  if (KeyWords(t.issuer).size() > 14) t.issuer.clear();
  return t;
}

std::string LinkRules::CheckExample(const Rule& rule, const RuleExample& ex) const {
  const std::string& id = rule.id;
  if (id == "link.citation.tail") {
    Tail t = ParseTail(ex.input);
    if (!t.matched) return "no match";
    std::string got = (t.issuer.empty() ? "-" : t.issuer) + " | " + (t.title.empty() ? "-" : t.title);
    return got == ex.expected ? "" : "got '" + got + "'";
  }
  if (id == "link.citation.end") {
    std::string got = TrimWhitespace(std::string_view(ex.input).substr(0, TailEnd(ex.input)));
    return got == ex.expected ? "" : "got '" + got + "'";
  }
  if (id.rfind("link.carryover.", 0) == 0) {
    for (const Pattern& p : rule.patterns) {
      Match m;
      if (p.Find(ex.input, &m)) {
        std::string got = StripNumberTail(m.Group(1, ""));
        return got == ex.expected ? "" : "got '" + got + "'";
      }
    }
    return "no match";
  }
  if (id.rfind("link.covers.", 0) == 0) {
    std::vector<std::string> kinds = CoveredKinds(ex.input);
    if (std::find(kinds.begin(), kinds.end(), ex.expected) == kinds.end()) {
      return "kinds '" + Join(kinds, " ") + "' lack " + ex.expected;
    }
    for (const Pattern& p : rule.patterns) {
      Match m;
      if (p.Find(ex.input, &m)) return "";
    }
    return "this rule does not match";
  }
  return "unknown link rule family";
}

std::string LinkRules::CheckNegative(const Rule& rule, const RuleExample& neg) const {
  if (rule.id == "link.citation.tail") return ParseTail(neg.input).matched ? "matched" : "";
  for (const Pattern& p : rule.patterns) {
    Match m;
    if (p.Find(neg.input, &m)) return "matched '" + neg.input.substr(m.begin, m.end - m.begin) + "'";
  }
  return "";
}

// ------------------------------------------------------------ facts

LinkFacts FindLinkFacts(const std::vector<SourceLine>& lines, const LinkRules& rules) {
  // The whole text on one line, with where each source line starts.
  std::string text;
  std::vector<size_t> starts;
  std::vector<const SourceLine*> owners;
  for (const SourceLine& l : lines) {
    if (l.text.empty()) continue;
    starts.push_back(text.size());
    owners.push_back(&l);
    text += l.text;
    text += ' ';
  }
  auto where = [&](size_t offset) -> const SourceLine* {
    auto it = std::upper_bound(starts.begin(), starts.end(), offset);
    return it == starts.begin() ? nullptr : owners[it - starts.begin() - 1];
  };

  LinkFacts facts;
  std::set<size_t> seen;
  std::vector<std::pair<size_t, Citation>> found;
  for (const Pattern& p : rules.numbers_) {
    for (const Match& m : p.FindAll(text)) {
      if (m.group_spans.size() < 3 || m.group_spans[0].first == std::string::npos ||
          m.group_spans[2].first == std::string::npos) {
        continue;
      }
      size_t begin = m.group_spans[0].first, end = m.group_spans[2].second;
      if (!seen.insert(begin).second) continue;
      Citation c;
      c.number_key = DocNumberKey(std::string_view(text).substr(begin, end - begin));
      std::string_view rest = std::string_view(text).substr(end);
      rest = rest.substr(0, std::min<size_t>(rest.size(), 2000));
      Match dm;
      for (const Pattern& dp : rules.dates_) {
        if (dp.Find(rest, &dm) && dm.begin == 0) {
          std::string iso = DateOfMatch(dm);
          if (!iso.empty()) c.date = iso;
          rest = rest.substr(dm.end);
          break;
        }
      }
      rest = FirstWords(rest.substr(0, rules.TailEnd(rest)), 80);
      LinkRules::Tail t = rules.ParseTail(rest);
      if (t.issuer.empty() && t.title.empty()) continue;
      c.issuer = t.issuer;
      c.title = t.title;
      if (const SourceLine* l = where(begin)) {
        c.page = l->page;
        c.line = l->line;
      }
      found.emplace_back(begin, std::move(c));
    }
  }
  std::sort(found.begin(), found.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
  for (auto& [offset, c] : found) facts.citations.push_back(std::move(c));

  for (const auto& [id, p] : rules.carryovers_) {
    for (const Match& m : p.FindAll(text)) {
      Carryover co;
      co.number_key = StripNumberTail(m.Group(1, ""));
      co.sentence = TrimWhitespace(std::string_view(text).substr(m.begin, m.end - m.begin));
      co.rule = id;
      if (const SourceLine* l = where(m.begin)) {
        co.page = l->page;
        co.line = l->line;
      }
      facts.carryovers.push_back(std::move(co));
    }
  }
  return facts;
}

// ------------------------------------------------------------ resolution

namespace {

double Containment(const std::set<std::string>& t, const std::set<std::string>& c) {
  if (t.size() < 5) return 0;
  size_t common = 0;
  for (const std::string& w : t) common += c.count(w);
  return double(common) / t.size();
}

}  // namespace

double TitleContainment(std::string_view title, std::string_view cited) {
  return Containment(WordSet(title), WordSet(cited));
}

namespace {

// The year of an ISO date; empty when there is none.
std::string YearOf(const std::optional<std::string>& date) {
  return date && date->size() >= 4 ? date->substr(0, 4) : std::string();
}

// ResolveLinks' phases over the indexes of one LinkInput, in the order Run
// calls them: each reference resolved by number, else its title candidates
// collected; title candidates accepted where unambiguous; edges; status.
// Holds pointers into the input, so it lives for one call.
class LinkResolver {
 public:
  explicit LinkResolver(const LinkInput& in);
  LinkResult Run();

 private:
  struct TitleHit {
    size_t ref;
    const LinkDoc* target;
    double score;
  };
  // Phase 1: a document with the same number key, compatible date and year.
  bool ResolveByNumber(size_t i);
  // Phase 2: a document whose own number is not printed, cited with its title.
  void CollectTitleHits(size_t i);
  bool IssuerAgrees(const Citation* c, const std::set<std::string>& own);
  const std::set<std::string>& TitleWords(const LinkDoc* d);
  const std::set<std::string>& CitedWords(const Citation* c);
  // Phase 3: title hits accepted.
  std::map<const LinkDoc*, std::string> NumberOfUnnumbered() const;
  void AcceptTitleHits();
  // Phase 4: edges; phase 5: document status.
  void BuildEdges();
  void SetDocStatus();

  const LinkInput& in_;
  LinkResult out_;
  std::map<int64_t, const LinkDoc*> by_id_;
  std::multimap<std::string, const LinkDoc*> by_number_;
  std::vector<const LinkDoc*> unnumbered_;  // sorted by key
  std::map<int64_t, std::vector<const Citation*>> citations_of_;
  std::set<std::pair<int64_t, std::string>> carried_;
  std::vector<TitleHit> title_hits_;
  // Folded word sets, computed once per call.
  std::map<const LinkDoc*, std::set<std::string>> doc_words_;
  std::map<const Citation*, std::set<std::string>> citation_words_;
  std::map<const Citation*, std::set<std::string>> citation_issuer_;
  // Folded type and issuer of each unnumbered document.
  std::map<const LinkDoc*, std::pair<std::string, std::set<std::string>>> doc_facts_;
};

LinkResolver::LinkResolver(const LinkInput& in) : in_(in) {
  for (const LinkDoc& d : in.docs) {
    by_id_[d.id] = &d;
    out_.docs[d.id] = DocState();
    if (d.number_key && !d.number_key->empty()) {
      by_number_.emplace(*d.number_key, &d);
    } else if (d.title) {
      unnumbered_.push_back(&d);
    }
  }
  std::sort(unnumbered_.begin(), unnumbered_.end(),
            [](const LinkDoc* a, const LinkDoc* b) { return a->key < b->key; });
  for (const auto& [doc, c] : in.citations) citations_of_[doc].push_back(&c);
  for (const auto& [doc, co] : in.carryovers) carried_.emplace(doc, co.number_key);
  out_.refs.resize(in.refs.size());
  for (const LinkDoc* d : unnumbered_) {
    doc_facts_[d] = {d->type ? MatchKey(*d->type) : std::string(), d->issuer ? WordSet(*d->issuer)
                                                                             : std::set<std::string>()};
  }
}

LinkResult LinkResolver::Run() {
  for (size_t i = 0; i < in_.refs.size(); ++i) {
    if (!ResolveByNumber(i)) CollectTitleHits(i);
  }
  AcceptTitleHits();
  BuildEdges();
  SetDocStatus();
  return std::move(out_);
}

// Of several documents with the number, one of the citing document's place,
// then one of the cited date, then the smallest key.
bool LinkResolver::ResolveByNumber(size_t i) {
  const LinkRef& r = in_.refs[i];
  auto self = by_id_.find(r.doc_id);
  const LinkDoc* citing = self == by_id_.end() ? nullptr : self->second;
  std::optional<DocNumberParts> parts = ParseDocNumber(r.number_key);
  std::vector<const LinkDoc*> cands;
  auto range = by_number_.equal_range(r.number_key);
  for (auto it = range.first; it != range.second; ++it) {
    const LinkDoc* d = it->second;
    if (d->id == r.doc_id) continue;
    if (r.date && d->date && *r.date != *d->date) continue;
    if (parts && !parts->year.empty() && d->date && YearOf(d->date) != parts->year) continue;
    cands.push_back(d);
  }
  if (cands.empty()) return false;
  auto rank = [&](const LinkDoc* d) {
    bool same_place = citing && citing->place && d->place && MatchKey(*citing->place) == MatchKey(*d->place);
    bool same_date = r.date && d->date && *r.date == *d->date;
    return std::make_tuple(!same_place, !same_date, d->key);
  };
  std::sort(cands.begin(), cands.end(), [&](const LinkDoc* a, const LinkDoc* b) { return rank(a) < rank(b); });
  out_.refs[i] = Resolution{cands[0]->id, "number", 1.0};
  return true;
}

const std::set<std::string>& LinkResolver::TitleWords(const LinkDoc* d) {
  auto it = doc_words_.find(d);
  if (it == doc_words_.end()) it = doc_words_.emplace(d, WordSet(*d->title)).first;
  return it->second;
}

const std::set<std::string>& LinkResolver::CitedWords(const Citation* c) {
  auto it = citation_words_.find(c);
  if (it == citation_words_.end()) it = citation_words_.emplace(c, WordSet(c->title)).first;
  return it->second;
}

// The citation's issuer agrees with a document's (`own`, folded words) when
// at least 0.6 of its words are the document's.
bool LinkResolver::IssuerAgrees(const Citation* c, const std::set<std::string>& own) {
  auto ci = citation_issuer_.find(c);
  if (ci == citation_issuer_.end()) ci = citation_issuer_.emplace(c, WordSet(c->issuer)).first;
  const std::set<std::string>& cited = ci->second;
  size_t common = 0;
  for (const std::string& w : cited) common += own.count(w);
  return !cited.empty() && double(common) / cited.size() >= 0.6;
}

// Type, issuer and date of the citation must not contradict the document's;
// a title containment of kTitleMatchThreshold or more is a candidate.
void LinkResolver::CollectTitleHits(size_t i) {
  const LinkRef& r = in_.refs[i];
  std::string ref_type;
  bool typed = false;
  for (const Citation* c : citations_of_[r.doc_id]) {
    if (c->number_key != r.number_key || c->title.empty()) continue;
    if (!typed && r.type) ref_type = MatchKey(*r.type);
    typed = true;
    for (const LinkDoc* d : unnumbered_) {
      if (d->id == r.doc_id) continue;
      const auto& [doc_type, own] = doc_facts_[d];
      if (!ref_type.empty() && !doc_type.empty() && ref_type != doc_type) continue;
      std::optional<std::string> date = c->date ? c->date : r.date;
      if (date && d->date && *date != *d->date) continue;
      if (!c->issuer.empty() && d->issuer && !IssuerAgrees(c, own)) continue;
      double score = Containment(TitleWords(d), CitedWords(c));
      if (score >= kTitleMatchThreshold) title_hits_.push_back({i, d, score});
    }
  }
}

// A document without a printed number takes one number only: the best
// scoring; a tie between two numbers leaves it with none.
std::map<const LinkDoc*, std::string> LinkResolver::NumberOfUnnumbered() const {
  std::map<const LinkDoc*, std::map<std::string, double>> best_by_number;
  for (const TitleHit& h : title_hits_) {
    double& s = best_by_number[h.target][in_.refs[h.ref].number_key];
    s = std::max(s, h.score);
  }
  std::map<const LinkDoc*, std::string> number_of;
  for (const auto& [doc, numbers] : best_by_number) {
    double best = -1;
    std::string key;
    bool tie = false;
    for (const auto& [num, s] : numbers) {
      if (s > best + 1e-9) {
        best = s;
        key = num;
        tie = false;
      } else if (std::fabs(s - best) <= 1e-9) {
        tie = true;
      }
    }
    if (!tie) number_of[doc] = key;
  }
  return number_of;
}

// A reference whose title fits two documents equally well stays pending:
// never guess silently.
void LinkResolver::AcceptTitleHits() {
  const std::map<const LinkDoc*, std::string> number_of = NumberOfUnnumbered();
  std::map<size_t, std::pair<TitleHit, bool>> best_hit;  // ref -> (best, tied)
  for (const TitleHit& h : title_hits_) {
    auto n = number_of.find(h.target);
    if (n == number_of.end() || n->second != in_.refs[h.ref].number_key) continue;
    auto it = best_hit.find(h.ref);
    if (it == best_hit.end() || h.score > it->second.first.score + 1e-9) {
      best_hit[h.ref] = {h, false};
    } else if (std::fabs(h.score - it->second.first.score) <= 1e-9 && h.target != it->second.first.target) {
      it->second.second = true;
    }
  }
  for (const auto& [ref, hit] : best_hit) {
    if (!hit.second) out_.refs[ref] = Resolution{hit.first.target->id, "title", hit.first.score};
  }
}

// Edges: one per (from, to), the strongest relation (on a tie, the one for
// the whole document); carried over when any of them is.
void LinkResolver::BuildEdges() {
  std::map<std::pair<int64_t, int64_t>, Edge> edges;
  for (size_t i = 0; i < in_.refs.size(); ++i) {
    if (!out_.refs[i].target) continue;
    const LinkRef& r = in_.refs[i];
    Edge e;
    e.from = r.doc_id;
    e.to = *out_.refs[i].target;
    e.relation = r.relation;
    e.part = r.part;
    e.carried_over = carried_.count({r.doc_id, r.number_key}) > 0;
    auto key = std::make_pair(e.from, e.to);
    auto it = edges.find(key);
    if (it == edges.end()) {
      edges.emplace(key, e);
      continue;
    }
    Edge& old = it->second;
    int a = RelationStrength(e.relation), b = RelationStrength(old.relation);
    if (a > b || (a == b && old.part && !e.part)) {
      e.carried_over = e.carried_over || old.carried_over;
      old = e;
    } else {
      old.carried_over = old.carried_over || e.carried_over;
    }
  }
  for (auto& [k, e] : edges) out_.edges.push_back(e);
}

// Document status from the edges pointing at it: the gravest, and of equal
// ones the latest document's (by date, then key).
void LinkResolver::SetDocStatus() {
  for (const Edge& e : out_.edges) {
    std::string status;
    if (e.relation == "supersedes") {
      status = e.part ? "partly_superseded" : "superseded";
    } else if (e.relation == "repeals") {
      status = e.part ? "amended" : "repealed";
    } else if (e.relation == "amends") {
      status = "amended";
    } else {
      continue;
    }
    const LinkDoc* from = by_id_[e.from];
    DocState& st = out_.docs[e.to];
    auto later = [&](const LinkDoc* a, int64_t b_id) {
      const LinkDoc* b = by_id_[b_id];
      return std::make_pair(a->date.value_or(""), a->key) > std::make_pair(b->date.value_or(""), b->key);
    };
    int rank = StatusRank(status), cur = StatusRank(st.status);
    if (rank > cur || (rank == cur && st.by && later(from, *st.by))) {
      st.status = status;
      st.by = e.from;
      st.date = from->date;
    }
  }
}

}  // namespace

LinkResult ResolveLinks(const LinkInput& in) { return LinkResolver(in).Run(); }

// ------------------------------------------------------------ lineage

double TaskTextSimilarity(std::string_view a, std::string_view b) {
  std::set<std::string> wa = WordSet(a), wb = WordSet(b);
  return 0.5 * Cosine(Trigrams(a), Trigrams(b)) + 0.5 * Dice(wa, wb);
}

std::vector<LineagePair> MatchTasks(const std::vector<LinkTask>& newer, const std::vector<LinkTask>& older) {
  struct Prepared {
    std::string key;  // SearchKey(name)
    Profile grams;
    double norm = 0;  // SquaredNorm(grams), once per task rather than per pair
    std::vector<uint64_t> words;
    std::set<std::string> agencies;
  };
  auto prepare = [](const LinkTask& t) {
    Prepared p;
    p.key = SearchKey(t.name);
    p.grams = KeyTrigrams(p.key);
    p.norm = SquaredNorm(p.grams);
    p.words = KeyWordHashes(p.key);
    p.agencies.insert(t.lead.begin(), t.lead.end());
    p.agencies.insert(t.coord.begin(), t.coord.end());
    return p;
  };
  std::vector<Prepared> pn, po;
  for (const LinkTask& t : newer) pn.push_back(prepare(t));
  for (const LinkTask& t : older) po.push_back(prepare(t));

  struct Scored {
    double score;
    size_t i, j;
  };
  std::vector<Scored> all;
  // Tasks whose names fold alike and whose agencies agree score the top
  // score, 1, together; when each name is unique on both sides the greedy
  // pass below would take that pair before any other involving either task,
  // so the pair is settled without scoring the rest of its row and column.
  // Renditions of one plan and a plan's next version are mostly such pairs,
  // and scoring every pair was most of the store writer's time in a batch.
  std::vector<bool> settled_n(newer.size()), settled_o(older.size());
  {
    using Seen = std::map<std::string_view, std::pair<int, size_t>>;  // key -> (count, last index)
    auto index = [](const std::vector<Prepared>& tasks) {
      Seen seen;
      for (size_t i = 0; i < tasks.size(); ++i) {
        auto& e = seen[tasks[i].key];
        ++e.first;
        e.second = i;
      }
      return seen;
    };
    const Seen seen_n = index(pn), seen_o = index(po);
    for (const auto& [key, n] : seen_n) {
      auto o = seen_o.find(key);
      if (key.empty() || n.first != 1 || o == seen_o.end() || o->second.first != 1) continue;
      const size_t i = n.second, j = o->second.second;
      if (pn[i].words.empty() || pn[i].agencies != po[j].agencies) continue;
      all.push_back({1.0, i, j});
      settled_n[i] = settled_o[j] = true;
    }
  }
  for (size_t i = 0; i < newer.size(); ++i) {
    if (settled_n[i]) continue;
    for (size_t j = 0; j < older.size(); ++j) {
      if (settled_o[j]) continue;
      // Cheap bound first: word overlap alone caps the text score.
      double dice = Dice(pn[i].words, po[j].words);
      if (dice < 0.15) continue;
      double text = 0.5 * Cosine(pn[i].grams, pn[i].norm, po[j].grams, po[j].norm) + 0.5 * dice;
      double score = text;
      if (!pn[i].agencies.empty() || !po[j].agencies.empty()) {
        size_t common = 0;
        for (const std::string& a : pn[i].agencies) common += po[j].agencies.count(a);
        size_t uni = pn[i].agencies.size() + po[j].agencies.size() - common;
        double agency = uni ? double(common) / uni : 0;
        score = 0.85 * text + 0.15 * agency;
      }
      if (score >= kLineageCandidateThreshold) all.push_back({score, i, j});
    }
  }
  std::sort(all.begin(), all.end(), [&](const Scored& a, const Scored& b) {
    if (a.score != b.score) return a.score > b.score;
    if (newer[a.i].position != newer[b.i].position) return newer[a.i].position < newer[b.i].position;
    return older[a.j].position < older[b.j].position;
  });
  std::vector<bool> used_n(newer.size()), used_o(older.size());
  std::vector<LineagePair> out;
  for (const Scored& s : all) {
    if (used_n[s.i] || used_o[s.j]) continue;
    used_n[s.i] = used_o[s.j] = true;
    const LinkTask& a = newer[s.i];
    const LinkTask& b = older[s.j];
    LineagePair p;
    p.task = a.id;
    p.prev = b.id;
    p.score = std::round(s.score * 1000) / 1000;
    p.linked = s.score >= kLineageLinkThreshold;
    std::string da = a.deadline_raw.value_or(""), db = b.deadline_raw.value_or("");
    if (MatchKey(da) != MatchKey(db) || a.deadline_end != b.deadline_end) p.changes.push_back({"deadline", db, da});
    std::vector<std::string> la = a.lead, lb = b.lead;
    std::sort(la.begin(), la.end());
    std::sort(lb.begin(), lb.end());
    if (la != lb) p.changes.push_back({"lead", Join(b.lead_printed, "; "), Join(a.lead_printed, "; ")});
    std::string oa = a.output.value_or(""), ob = b.output.value_or("");
    if (SearchKey(oa) != SearchKey(ob)) p.changes.push_back({"output", ob, oa});
    out.push_back(std::move(p));
  }
  std::map<int64_t, int> pos;
  for (const LinkTask& t : newer) pos[t.id] = t.position;
  for (const LinkTask& t : older) pos[t.id] = t.position;
  std::sort(out.begin(), out.end(), [&](const LineagePair& x, const LineagePair& y) {
    return std::make_pair(pos[x.task], pos[x.prev]) < std::make_pair(pos[y.task], pos[y.prev]);
  });
  return out;
}

bool PartCovers(std::string_view part, std::string_view source, std::string_view clause) {
  std::string p = SearchKey(part);
  if (p.empty()) return true;
  std::string s = SearchKey(source), c = SearchKey(clause);
  return s == p || c == p || c.rfind(p + " ", 0) == 0;
}

std::map<int64_t, TaskState> TaskStates(const std::vector<Edge>& edges, const std::vector<LinkDoc>& docs,
                                        const std::map<int64_t, std::vector<LinkTask>>& tasks_by_doc,
                                        const std::vector<LineagePair>& pairs) {
  std::map<int64_t, const LinkDoc*> by_id;
  for (const LinkDoc& d : docs) by_id[d.id] = &d;
  std::map<int64_t, int64_t> task_doc;
  for (const auto& [doc, tasks] : tasks_by_doc) {
    for (const LinkTask& t : tasks) task_doc[t.id] = doc;
  }
  // Linked continuations of each task, by the continuing task's document.
  std::map<std::pair<int64_t, int64_t>, int64_t> continues;  // (prev, doc of task) -> task
  for (const LineagePair& p : pairs) {
    if (!p.linked) continue;
    auto d = task_doc.find(p.task);
    if (d != task_doc.end()) continues[{p.prev, d->second}] = p.task;
  }
  auto order = [&](int64_t doc) {
    auto it = by_id.find(doc);
    return it == by_id.end() ? std::make_pair(std::string(), std::string())
                             : std::make_pair(it->second->date.value_or(""), it->second->key);
  };
  std::map<int64_t, TaskState> out;
  std::map<int64_t, int64_t> governed_by;  // task -> doc whose edge decided it
  for (const Edge& e : edges) {
    if (e.relation != "supersedes" && e.relation != "repeals") continue;
    auto it = tasks_by_doc.find(e.to);
    if (it == tasks_by_doc.end()) continue;
    for (const LinkTask& t : it->second) {
      if (e.part && !PartCovers(*e.part, t.source, t.clause)) continue;
      auto g = governed_by.find(t.id);
      if (g != governed_by.end() && order(g->second) >= order(e.from)) continue;
      governed_by[t.id] = e.from;
      TaskState st;
      st.status = e.relation == "supersedes" && e.carried_over ? "carried_over" : "superseded";
      if (e.relation == "supersedes") {
        auto c = continues.find({t.id, e.from});
        if (c != continues.end()) st.continues = c->second;
      }
      out[t.id] = st;
    }
  }
  return out;
}

}  // namespace plantrace
