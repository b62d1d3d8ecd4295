// Scoring extraction against gold files, with the matching rules of
// ../shared/tools/score.py, so the project can check itself where
// ../shared is not available (`plantrace eval`, corpus tests).
#include "pipeline/stages/eval.h"

#include <algorithm>
#include <set>

#include "pipeline/base/text_util.h"
#include "pipeline/base/unicode.h"
#include "pipeline/stages/normalize.h"

namespace plantrace {
namespace {

using Opt = std::optional<std::string>;

Opt Norm(const Opt& s) {
  if (!s) return std::nullopt;
  std::string n = CollapseSpaces(ToNfc(*s));
  if (n.empty()) return std::nullopt;
  return n;
}

Opt JsonStr(const JsonValue& v) {
  if (v.is_null()) return std::nullopt;
  return v.text;
}

std::set<std::string> NormList(const std::vector<std::string>& v) {
  std::set<std::string> out;
  for (const std::string& s : v) {
    if (Opt n = Norm(s)) out.insert(*n);
  }
  return out;
}

std::vector<std::string> JsonList(const JsonValue& v) {
  std::vector<std::string> out;
  if (v.is_string()) out.push_back(v.text);
  for (const JsonValue& i : v.items) {
    if (i.is_string()) out.push_back(i.text);
  }
  return out;
}

std::u32string Utf32(std::string_view s) {
  std::u32string out;
  for (size_t i = 0; i < s.size();) {
    unsigned char c = s[i];
    char32_t cp;
    int len;
    if (c < 0x80) { cp = c; len = 1; }
    else if ((c >> 5) == 6) { cp = c & 0x1F; len = 2; }
    else if ((c >> 4) == 14) { cp = c & 0x0F; len = 3; }
    else { cp = c & 0x07; len = 4; }
    for (int k = 1; k < len && i + k < s.size(); ++k) cp = (cp << 6) | (s[i + k] & 0x3F);
    out.push_back(cp);
    i += len;
  }
  return out;
}

// Python's difflib.SequenceMatcher(None, a, b, autojunk=False): the
// longest common block (earliest on ties), then the same on both sides.
size_t MatchingChars(const std::u32string& a, size_t alo, size_t ahi, const std::u32string& b, size_t blo,
                     size_t bhi) {
  if (alo >= ahi || blo >= bhi) return 0;
  size_t besti = alo, bestj = blo, bestsize = 0;
  size_t w = bhi - blo;
  std::vector<size_t> prev(w + 1, 0), cur(w + 1, 0);
  for (size_t i = alo; i < ahi; ++i) {
    for (size_t j = 0; j < w; ++j) {
      cur[j + 1] = a[i] == b[blo + j] ? prev[j] + 1 : 0;
      if (cur[j + 1] > bestsize) {
        bestsize = cur[j + 1];
        besti = i + 1 - bestsize;
        bestj = blo + j + 1 - bestsize;
      }
    }
    std::swap(prev, cur);
  }
  if (bestsize == 0) return 0;
  return bestsize + MatchingChars(a, alo, besti, b, blo, bestj) +
         MatchingChars(a, besti + bestsize, ahi, b, bestj + bestsize, bhi);
}

}  // namespace

double SimilarityRatio(std::string_view a, std::string_view b) {
  std::u32string x = Utf32(a), y = Utf32(b);
  if (x.empty() && y.empty()) return 1.0;
  size_t m = MatchingChars(x, 0, x.size(), y, 0, y.size());
  return 2.0 * static_cast<double>(m) / static_cast<double>(x.size() + y.size());
}

namespace {

std::string LooseText(const Opt& s) {
  Opt n = Norm(s);
  std::string t = n ? *n : "";
  std::string out;
  for (char c : t) {
    if (c != '*' && c != '_' && c != '`') out.push_back(c);
  }
  size_t b = 0, e = out.size();
  auto strip = [](char c) { return c == ' ' || c == '.' || c == ';' || c == ':' || c == ','; };
  while (b < e && strip(out[b])) ++b;
  while (e > b && strip(out[e - 1])) --e;
  return out.substr(b, e - b);
}

std::string LooseSource(const Opt& s) {
  std::string k = SearchKey(s ? *s : "");
  std::string out;
  for (char c : k) {
    if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')) out.push_back(static_cast<char>(std::toupper(c)));
  }
  return out;
}

// One task's scored fields as comparable values.
struct Fields {
  Opt source, group, number, name, output, deadline_raw, code, funding;
  Opt title, content;  // gold: a prose item's heading and content line, either of which may name it
  std::set<std::string> lead, coord;
  std::optional<std::tuple<Opt, Opt, Opt>> deadline;
  bool has_group = false;
};

Fields FromGold(const JsonValue& t) {
  Fields f;
  f.source = JsonStr(t["source"]);
  f.group = JsonStr(t["group"]);
  f.has_group = !t["group"].is_null();
  f.number = JsonStr(t["number"]);
  f.name = JsonStr(t["name"]);
  f.title = JsonStr(t["title"]);
  f.content = JsonStr(t["content"]);
  f.output = JsonStr(t["output"]);
  f.deadline_raw = JsonStr(t["deadline_raw"]);
  f.code = JsonStr(t["code"]);
  f.funding = JsonStr(t["funding"]);
  f.lead = NormList(JsonList(t["lead"]));
  f.coord = NormList(JsonList(t["coord"]));
  const JsonValue& d = t["deadline"];
  if (d.is_object()) f.deadline = std::make_tuple(JsonStr(d["kind"]), JsonStr(d["start"]), JsonStr(d["end"]));
  return f;
}

Fields FromTask(const Task& t) {
  Fields f;
  f.source = t.source;
  f.group = t.group;
  f.number = t.number;
  f.name = t.name;
  f.output = t.output;
  f.deadline_raw = t.deadline_raw;
  f.code = t.code;
  f.funding = t.funding;
  std::vector<std::string> lead, coord;
  for (const Agency& a : t.lead) lead.push_back(a.printed);
  for (const Agency& a : t.coord) coord.push_back(a.printed);
  f.lead = NormList(lead);
  f.coord = NormList(coord);
  if (t.deadline) f.deadline = std::make_tuple(Opt(t.deadline->kind), t.deadline->start, t.deadline->end);
  return f;
}

bool FieldRightOne(const Fields& g, const Fields& t, const std::string& f) {
  if (f == "lead") return g.lead == t.lead;
  if (f == "coord") return g.coord == t.coord;
  if (f == "deadline") return g.deadline == t.deadline;
  auto pick = [&](const Fields& x) -> Opt {
    if (f == "name") return x.name;
    if (f == "output") return x.output;
    if (f == "deadline_raw") return x.deadline_raw;
    if (f == "code") return x.code;
    return x.funding;
  };
  Opt gv = Norm(pick(g)), tv = Norm(pick(t));
  if (gv == tv) return true;
  if (f == "name" || f == "deadline_raw" || f == "output") {
    std::string a = LooseText(pick(g)), b = LooseText(pick(t));
    if (a == b) return true;
    if (!g.has_group && !a.empty() && !b.empty()) {
      if (f == "deadline_raw") return a.find(b) != std::string::npos || b.find(a) != std::string::npos;
      return SimilarityRatio(a, b) >= 0.9;
    }
  }
  return false;
}

// A prose item (no group in gold) may be named by its heading or its
// content line as well as by its name.
bool FieldRight(const Fields& g, const Fields& t, const std::string& f) {
  if (FieldRightOne(g, t, f)) return true;
  if (f != "name" || g.has_group) return false;
  for (const Opt& alt : {g.title, g.content}) {
    if (!alt) continue;
    Fields named = g;
    named.name = alt;
    if (FieldRightOne(named, t, f)) return true;
  }
  return false;
}

// A cited title compared loosely: no accents, case, punctuation or
// trailing date.
std::string FoldTitle(const Opt& s) {
  // SearchKey: no accents, lower case, non-alphanumerics as single spaces.
  std::string k = SearchKey(Norm(s).value_or(""));
  if (size_t p = k.find(" ngay "); p != std::string::npos && p + 6 < k.size() && k[p + 6] >= '0' && k[p + 6] <= '9') {
    k.resize(p);
  }
  return TrimWhitespace(k);
}

// The task fields the gold annotates (any of its tasks has the key), in
// score.py's order.
std::vector<std::string> ScoredFields(const std::vector<JsonValue>& gold_tasks) {
  static const char* kFields[] = {"name", "lead", "coord", "output", "deadline_raw", "deadline", "code", "funding"};
  std::vector<std::string> fields;
  for (const char* f : kFields) {
    for (const JsonValue& t : gold_tasks) {
      if (t.Has(f)) {
        fields.push_back(f);
        break;
      }
    }
  }
  return fields;
}

// The extracted task paired with each gold task (-1: none): first the first
// unused one with the same (source, group, number), then, for the rest, the
// unused one whose name is most similar (ratio >= 0.85; a prose item is also
// paired by its heading or content line).
std::vector<int> PairTasks(const std::vector<Fields>& gf, const std::vector<Fields>& xf) {
  std::vector<int> pair(gf.size(), -1);
  std::vector<bool> used(xf.size(), false);
  auto key = [](const Fields& f) {
    return LooseSource(f.source) + "\x1f" + Norm(f.group).value_or("") + "\x1f" + Norm(f.number).value_or("");
  };
  for (size_t i = 0; i < gf.size(); ++i) {
    for (size_t j = 0; j < xf.size(); ++j) {
      if (!used[j] && key(gf[i]) == key(xf[j])) {
        pair[i] = static_cast<int>(j);
        used[j] = true;
        break;
      }
    }
  }
  for (size_t i = 0; i < gf.size(); ++i) {
    if (pair[i] >= 0) continue;
    std::vector<std::string> gnames{Norm(gf[i].name).value_or("")};
    if (!gf[i].has_group) {
      for (const Opt& alt : {gf[i].title, gf[i].content}) {
        if (alt) gnames.push_back(Norm(alt).value_or(""));
      }
    }
    int best = -1;
    double best_r = 0;
    for (size_t j = 0; j < xf.size(); ++j) {
      if (used[j]) continue;
      double r = 0;
      for (const std::string& gname : gnames) r = std::max(r, SimilarityRatio(gname, Norm(xf[j].name).value_or("")));
      if (r > best_r) {
        best = static_cast<int>(j);
        best_r = r;
      }
    }
    if (best >= 0 && best_r >= 0.85) {
      pair[i] = best;
      used[best] = true;
    }
  }
  return pair;
}

// Task counts and field scores of the paired tasks into `s`, with a miss
// line per unpaired gold task and per wrong field.
void ScoreTasks(const std::vector<Fields>& gf, const std::vector<Fields>& xf, const std::vector<int>& pair,
                const std::vector<std::string>& fields, DocScore* s) {
  s->gold = static_cast<int>(gf.size());
  s->got = static_cast<int>(xf.size());
  for (size_t i = 0; i < gf.size(); ++i) {
    if (pair[i] < 0) {
      s->misses.push_back("missing " + Norm(gf[i].number).value_or("-") + " " +
                          Norm(gf[i].name).value_or("").substr(0, 60));
      continue;
    }
    ++s->matched;
    bool all = true;
    bool lead_deadline = true;
    for (const std::string& f : fields) {
      bool ok = FieldRight(gf[i], xf[pair[i]], f);
      s->field_right[f] += ok;
      all &= ok;
      if (!ok && (f == "lead" || f == "deadline")) lead_deadline = false;
      if (!ok) s->misses.push_back(f + " " + Norm(gf[i].number).value_or("-"));
    }
    s->fully += all;
    s->lead_and_deadline += lead_deadline;
    s->fields_total += static_cast<int>(fields.size());
  }
  for (const auto& [f, n] : s->field_right) s->fields_right += n;
}

// (folded title, relation) pairs, each kept once in the order first seen.
using TitledRefs = std::vector<std::pair<std::string, std::string>>;

void AddTitledRef(TitledRefs* v, std::pair<std::string, std::string> t) {
  if (std::find(v->begin(), v->end(), t) == v->end()) v->push_back(std::move(t));
}

// References: numbered ones match by (number, relation); ones cited by
// title only by a similar title (ratio >= 0.8) with the same relation, each
// extracted one used once.
void ScoreReferences(const JsonValue& gold, const Record& rec, DocScore* s) {
  std::set<std::pair<Opt, std::string>> gref, xref;
  TitledRefs gtitle, xtitle;
  for (const JsonValue& r : gold["references"].items) {
    Opt number = Norm(JsonStr(r["number"]));
    if (number) {
      gref.emplace(number, r["relation"].text);
    } else {
      AddTitledRef(&gtitle, {FoldTitle(JsonStr(r["title"])), r["relation"].text});
    }
  }
  for (const Reference& r : rec.references) {
    Opt number = Norm(r.number);
    if (number) {
      xref.emplace(number, r.relation);
    } else {
      AddTitledRef(&xtitle, {FoldTitle(r.title), r.relation});
    }
  }
  for (const auto& r : gref) s->ref_tp += xref.count(r);
  std::vector<bool> title_used(xtitle.size(), false);
  for (const auto& [gt_title, grel] : gtitle) {
    for (size_t j = 0; j < xtitle.size(); ++j) {
      const auto& [xt_title, xrel] = xtitle[j];
      if (title_used[j] || xrel != grel || gt_title.empty() || xt_title.empty()) continue;
      if (SimilarityRatio(gt_title, xt_title) >= 0.8) {
        ++s->ref_tp;
        title_used[j] = true;
        break;
      }
    }
  }
  s->ref_gold = static_cast<int>(gref.size() + gtitle.size());
  s->ref_got = static_cast<int>(xref.size() + xtitle.size());
}

}  // namespace

DocScore ScoreRecord(const JsonValue& gold, const Record& rec) {
  DocScore s;
  s.doc = gold["doc"].text;
  // A gold file marked "tasks_annotated": false scores metadata and
  // references only.
  static const std::vector<JsonValue> kNone;
  const JsonValue& marked = gold["tasks_annotated"];
  const bool annotated = !(marked.type == JsonValue::Type::kBool && !marked.boolean);
  const std::vector<JsonValue>& gt = annotated ? gold["tasks"].items : kNone;
  std::vector<Fields> gf, xf;
  for (const JsonValue& t : gt) gf.push_back(FromGold(t));
  if (annotated) {
    for (const Task& t : rec.tasks) xf.push_back(FromTask(t));
  }
  ScoreTasks(gf, xf, PairTasks(gf, xf), ScoredFields(gt), &s);
  const JsonValue& gm = gold["meta"];
  auto meta_eq = [&](const char* f, const Opt& got) { return Norm(JsonStr(gm[f])) == Norm(got); };
  s.meta_right = meta_eq("number", rec.meta.number) + meta_eq("type", rec.meta.type) + meta_eq("date", rec.meta.date) +
                 meta_eq("place", rec.meta.place) + meta_eq("signer", rec.meta.signer);
  ScoreReferences(gold, rec, &s);
  return s;
}

double F1(int tp, int gold, int got) {
  if (gold == 0 && got == 0) return 1.0;
  double p = got ? static_cast<double>(tp) / got : 0, r = gold ? static_cast<double>(tp) / gold : 0;
  return p + r > 0 ? 2 * p * r / (p + r) : 0;
}

}  // namespace plantrace
