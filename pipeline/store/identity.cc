// Document identity: renditions of one document, the reading preference
// (rules/identity.rules) and the links identity implies.
#include "pipeline/store/identity.h"

#include <algorithm>
#include <map>
#include <set>

#include "pipeline/base/doc_key.h"
#include "pipeline/base/numbers.h"
#include "pipeline/base/text_util.h"
#include "pipeline/base/unicode.h"

namespace plantrace {
namespace {

// Lines of a document's first page read for draft marks: a mark stands in
// the header, never in the body.
constexpr size_t kHeaderLines = 15;

// `a` equals `b` or is `b` cut at a word boundary.
bool WordPrefix(std::string_view a, std::string_view b) {
  return b.size() >= a.size() && b.compare(0, a.size(), a) == 0 && (b.size() == a.size() || b[a.size()] == ' ');
}

bool IssuersCompatible(const std::string& a, const std::string& b) {
  return a.empty() || b.empty() || WordPrefix(a, b) || WordPrefix(b, a);
}

bool DatesCompatible(const std::string& a, const std::string& b) { return a.empty() || b.empty() || a == b; }

}  // namespace

bool BetterReading(int a_score, std::string_view a_sha, int b_score, std::string_view b_sha) {
  if (a_score != b_score) return a_score > b_score;
  return a_sha < b_sha;
}

Result<IdentityRules> IdentityRules::Load(const RuleSet& rules) {
  IdentityRules out;
  out.hash_ = rules.hash();
  for (const Rule* r : rules.Category("reading")) {
    Reading rd;
    rd.ref = r->Ref(rules.hash());
    for (const std::string& f : r->GetAll("format")) rd.formats.push_back(TrimWhitespace(f));
    // The rules' schema checked these values at load: tables is yes or no,
    // score a whole number.
    std::string tables = r->Get("tables");
    if (!tables.empty()) rd.tables = tables == "yes";
    rd.score = static_cast<int>(std::clamp<int64_t>(ParseInt(r->Get("score")).value_or(0), -100000, 100000));
    out.reading_.push_back(std::move(rd));
  }
  out.draft_ = rules.Category("identity.draft");
  out.blank_number_ = rules.Category("identity.blank_number");
  out.blank_date_ = rules.Category("identity.blank_date");
  out.correction_ = rules.Category("identity.correction");
  for (const Rule* r : rules.Category("identity.issuer")) {
    const std::string s = SearchKey(r->Get("short")), l = SearchKey(r->Get("long"));
    if (TrimWhitespace(s).empty() || TrimWhitespace(l).empty()) {
      return Status::InvalidInput(r->file + ":" + std::to_string(r->line) + " " + r->id + ": needs short and long");
    }
    out.abbreviations_.emplace_back(TrimWhitespace(s), TrimWhitespace(l));
  }
  for (const Rule* r : out.correction_) {
    if (r->Get("relation") != "corrects" && r->Get("relation") != "reissues") {
      return Status::InvalidInput(r->file + ":" + std::to_string(r->line) + " " + r->id +
                                  ": relation must be corrects or reissues");
    }
  }
  return out;
}

bool IdentityRules::Satisfies(const Reading& r, const RenditionFacts& f) {
  if (!r.formats.empty() && std::find(r.formats.begin(), r.formats.end(), f.format) == r.formats.end()) return false;
  if (r.tables && *r.tables != f.tables) return false;
  return true;
}

ReadingRank IdentityRules::Rank(const RenditionFacts& facts) const {
  ReadingRank rank;
  for (const Reading& r : reading_) {
    if (!Satisfies(r, facts)) continue;
    rank.score += r.score;
    rank.rules.push_back(r.ref);
  }
  return rank;
}

bool IdentityRules::DraftMarked(const std::vector<SourceLine>& lines, std::vector<std::string>* rules) const {
  const Rule* mark = nullptr;
  const Rule* blank_number = nullptr;
  const Rule* blank_date = nullptr;
  auto find = [](const std::vector<const Rule*>& family, const std::string& text, bool full) -> const Rule* {
    for (const Rule* r : family) {
      for (const Pattern& p : r->patterns) {
        Match m;
        if (full ? p.FullMatch(text) : p.Find(text, &m)) return r;
      }
    }
    return nullptr;
  };
  for (size_t i = 0; i < lines.size() && i < kHeaderLines && !mark; ++i) {
    mark = find(draft_, ToNfc(CollapseSpaces(lines[i].text)), true);
    if (!blank_number) blank_number = find(blank_number_, lines[i].text, false);
    if (!blank_date) blank_date = find(blank_date_, lines[i].text, false);
  }
  const bool draft = mark || (blank_number && blank_date);
  if (draft && rules) {
    if (mark) {
      rules->push_back(mark->Ref(hash_));
    } else {
      rules->push_back(blank_number->Ref(hash_));
      rules->push_back(blank_date->Ref(hash_));
    }
  }
  return draft;
}

std::string IdentityRules::Correction(std::string_view title, std::string* rule) const {
  for (const Rule* r : correction_) {
    for (const Pattern& p : r->patterns) {
      Match m;
      if (!p.Find(title, &m)) continue;
      if (rule) *rule = r->Ref(hash_);
      return r->Get("relation");
    }
  }
  return "";
}

std::string IdentityRules::FoldIssuer(std::string_view issuer) const {
  std::string folded = " " + TrimWhitespace(SearchKey(issuer)) + " ";
  for (const auto& [s, l] : abbreviations_) {
    const std::string from = " " + s + " ", to = " " + l + " ";
    for (size_t at = folded.find(from); at != std::string::npos; at = folded.find(from, at + to.size() - 1)) {
      folded.replace(at, from.size(), to);
    }
  }
  return TrimWhitespace(folded);
}

RenditionFacts IdentityRules::ParseFacts(std::string_view text) {
  RenditionFacts f;
  std::string s(text);
  size_t at = 0;
  while (at < s.size()) {
    size_t end = s.find(' ', at);
    if (end == std::string::npos) end = s.size();
    std::string item = s.substr(at, end - at);
    if (item.rfind("format=", 0) == 0) f.format = item.substr(7);
    if (item == "tables=yes") f.tables = true;
    at = end + 1;
  }
  return f;
}

std::string IdentityRules::CheckExample(const Rule& rule, const RuleExample& ex) const {
  const std::string& id = rule.id;
  if (id.rfind("reading.", 0) == 0) {
    for (const Reading& r : reading_) {
      if (r.ref.rfind(id + "@", 0) != 0) continue;
      const RenditionFacts f = ParseFacts(ex.input);
      if (!Satisfies(r, f)) return "rule does not apply to '" + ex.input + "'";
      if (std::to_string(r.score) != ex.expected) return "scores " + std::to_string(r.score) + ", not " + ex.expected;
      return "";
    }
    return "rule not loaded";
  }
  if (id.rfind("identity.issuer.", 0) == 0) {
    const std::string got = FoldIssuer(ex.input);
    return got == ex.expected ? "" : "gives '" + got + "'";
  }
  if (id.rfind("identity.correction.", 0) == 0) {
    const std::string got = Correction(ex.input);
    return got == ex.expected ? "" : "gives '" + got + "'";
  }
  // identity.draft / blank_number / blank_date: the rule's own pattern.
  for (const Pattern& p : rule.patterns) {
    Match m;
    const bool hit = id.rfind("identity.draft.", 0) == 0 ? p.FullMatch(ToNfc(CollapseSpaces(ex.input)))
                                                          : p.Find(ex.input, &m);
    if (hit) return ex.expected == "draft" ? "" : "expected must be 'draft'";
  }
  return "no pattern matches '" + ex.input + "'";
}

std::string IdentityRules::CheckNegative(const Rule& rule, const RuleExample& neg) const {
  const std::string& id = rule.id;
  if (id.rfind("reading.", 0) == 0) {
    for (const Reading& r : reading_) {
      if (r.ref.rfind(id + "@", 0) == 0 && Satisfies(r, ParseFacts(neg.input))) return "rule applies";
    }
    return "";
  }
  if (id.rfind("identity.issuer.", 0) == 0) {
    return FoldIssuer(neg.input) == TrimWhitespace(SearchKey(neg.input)) ? "" : "an abbreviation was written out";
  }
  for (const Pattern& p : rule.patterns) {
    Match m;
    const bool hit = id.rfind("identity.draft.", 0) == 0 ? p.FullMatch(ToNfc(CollapseSpaces(neg.input)))
                                                          : p.Find(neg.input, &m);
    if (hit) return "pattern matches";
  }
  return "";
}

std::string DocIdentity::Text() const {
  std::string s = draft ? "draft " : "";
  if (!number_key.empty()) {
    s += number_key;
  } else {
    s += type + "|" + title;
  }
  s += "@" + (date.empty() ? std::string("-") : date);
  if (!issuer.empty()) s += " " + issuer;
  return s;
}

DocIdentity IdentityOf(const Meta& meta, const std::vector<SourceLine>& lines, const IdentityRules* rules) {
  DocIdentity id;
  if (meta.number) {
    id.number_key = DocNumberKey(*meta.number);
    // "/KH-UBND": the serial was left blank.
    if (id.number_key.empty() || id.number_key[0] == '/') {
      id.number_key.clear();
      id.draft = true;
    }
  }
  if (meta.date) id.date = *meta.date;
  if (meta.issuer) id.issuer = rules ? rules->FoldIssuer(*meta.issuer) : TrimWhitespace(SearchKey(*meta.issuer));
  if (meta.type) id.type = TrimWhitespace(SearchKey(*meta.type));
  if (meta.title) id.title = TrimWhitespace(SearchKey(*meta.title));
  if (rules) {
    std::vector<std::string> refs;
    if (rules->DraftMarked(lines, &refs)) id.draft = true;
    std::string correction_rule;
    if (meta.title) id.correction = rules->Correction(*meta.title, &correction_rule);
    if (!correction_rule.empty()) refs.push_back(correction_rule);
    id.rules = Join(refs, " ");
  }
  // A plan keeps its number on every rendition; one without it and without
  // a date, but with a blank number line, was never issued.
  if (id.draft) {
    id.number_key.clear();
    id.date.clear();
  }
  return id;
}

bool SameDocument(const DocIdentity& a, const DocIdentity& b) {
  if (a.draft != b.draft || !IssuersCompatible(a.issuer, b.issuer)) return false;
  if (!a.number_key.empty() || !b.number_key.empty()) {
    return a.number_key == b.number_key && DatesCompatible(a.date, b.date);
  }
  if (a.title.empty() || a.title != b.title) return false;
  if (!a.type.empty() && !b.type.empty() && a.type != b.type) return false;
  return DatesCompatible(a.date, b.date);
}

RenditionFacts FactsOf(const Record& rec) {
  RenditionFacts f;
  f.format = FormatName(rec.format);
  for (const Task& t : rec.tasks) {
    for (const std::string& r : t.provenance.rules) {
      if (r.rfind("column.", 0) == 0) f.tables = true;
    }
  }
  return f;
}

bool IsPlanDocument(const Record& rec) {
  const Meta& m = rec.meta;
  return m.type || m.number || m.issuer || m.title || !rec.tasks.empty() || !rec.references.empty();
}

std::vector<IdentityEdge> IdentityRelations(const std::vector<IdentityDoc>& docs,
                                            const std::vector<std::pair<int64_t, int64_t>>& cited) {
  std::map<std::pair<int64_t, int64_t>, IdentityEdge> edges;
  auto add = [&](IdentityEdge e) { edges.emplace(std::make_pair(e.from, e.to), std::move(e)); };
  // Ties between candidates go to the earlier date, then the key: never the id.
  auto earlier = [](const IdentityDoc* a, const IdentityDoc* b) {
    if (a->identity.date != b->identity.date) return a->identity.date < b->identity.date;
    return a->key < b->key;
  };
  for (const IdentityDoc& d : docs) {
    const DocIdentity& di = d.identity;
    if (di.draft && !di.title.empty()) {
      const IdentityDoc* best = nullptr;
      for (const IdentityDoc& i : docs) {
        const DocIdentity& ii = i.identity;
        if (i.id == d.id || ii.draft || ii.title != di.title || ii.type != di.type) continue;
        if (!IssuersCompatible(ii.issuer, di.issuer)) continue;
        if (!di.date.empty() && !ii.date.empty() && ii.date < di.date) continue;
        if (!best || earlier(&i, best)) best = &i;
      }
      if (best) add({best->id, d.id, "supersedes", "issued", "issued as " + best->key, di.rules});
    }
    if (!di.number_key.empty() && !di.date.empty()) {
      // The latest earlier document with the same number and issuer.
      const IdentityDoc* prev = nullptr;
      for (const IdentityDoc& o : docs) {
        const DocIdentity& oi = o.identity;
        if (o.id == d.id || oi.number_key != di.number_key || oi.date.empty() || oi.date >= di.date) continue;
        if (oi.draft || !IssuersCompatible(oi.issuer, di.issuer)) continue;
        if (!prev || earlier(prev, &o)) prev = &o;
      }
      if (prev) {
        const std::string reason = di.correction.empty() ? "reissues" : di.correction;
        add({d.id, prev->id, reason == "corrects" ? "amends" : "supersedes", reason,
             "same number " + di.number_key + ", dated " + di.date + " after " + prev->identity.date, di.rules});
      }
    }
  }
  // A correction amends the first document it cites.
  std::set<int64_t> done;
  std::map<int64_t, const IdentityDoc*> by_id;
  for (const IdentityDoc& d : docs) by_id[d.id] = &d;
  for (const auto& [from, to] : cited) {
    auto it = by_id.find(from);
    if (it == by_id.end() || it->second->identity.correction != "corrects" || from == to) continue;
    if (!done.insert(from).second || !by_id.count(to)) continue;
    add({from, to, "amends", "corrects", "title corrects the document it cites first, " + by_id[to]->key,
         it->second->identity.rules});
  }
  std::vector<IdentityEdge> out;
  for (auto& [k, e] : edges) out.push_back(std::move(e));
  return out;
}

}  // namespace plantrace
