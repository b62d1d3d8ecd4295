// Extract (references): the documents a plan cites, each once, with the
// date printed beside it and this plan's relation to it, read from the
// clause each mention stands in (rules/references.rules).
#include "pipeline/stages/references.h"

#include <algorithm>
#include <cctype>
#include <map>

#include "pipeline/base/civil_date.h"
#include "pipeline/base/numbers.h"
#include "pipeline/base/unicode.h"
#include "pipeline/stages/normalize.h"

namespace plantrace {
namespace {

// Date groups are digits by construction; anything else reads as 0.
int ToInt(std::string_view s) { return static_cast<int>(ParseInt(s).value_or(0) % 100000); }

// Rule values are whole numbers: the rules' schema checked them at load.
int RuleInt(const Rule& r, std::string_view key, int fallback) {
  std::string v = r.Get(key);
  return v.empty() ? fallback : ToInt(v);
}

struct Mention {
  size_t begin = 0, end = 0;  // span of the number (or title) in the unit text
  std::string number;         // empty for a document cited by title only
  std::string title;
  std::string type;  // of a title mention (doctitle rule `type`)
  std::string rule;  // the doctitle rule
  std::optional<std::string> date;
  bool alias = false;     // inside "(sau đây gọi tắt là ...)"
  bool caption = false;   // "(Kèm theo Quyết định số ...)": the document itself
  int outer = -1;         // a title inside another title ("Luật sửa đổi ... của Luật X"): that one
};

// The date a match's groups give (day, month, year), cut to the digits the
// ISO form has room for.
std::string DateOfMatch(const Match& m) {
  return IsoDate(ToInt(m.Group(3, "0")) % 10000, ToInt(m.Group(2, "0")) % 100, ToInt(m.Group(1, "0")) % 100);
}

bool IsAsciiAlnum(char c) { return std::isalnum(static_cast<unsigned char>(c)) != 0; }

// Is the byte before `pos` part of a letter (ASCII or a multi-byte one)?
bool LetterBefore(const std::string& text, size_t pos) {
  if (pos == 0) return false;
  unsigned char c = static_cast<unsigned char>(text[pos - 1]);
  return std::isalpha(c) || c >= 0x80;
}

// A standard's code as printed with one space between its letters and
// figures ("QCVN06:2022/BXD" and "QCVN 06:2022/BXD" are one standard).
std::string SpacedCode(const std::string& printed) {
  std::string s = CollapseSpaces(printed);
  std::string out;
  for (size_t i = 0; i < s.size(); ++i) {
    if (i > 0 && std::isdigit(static_cast<unsigned char>(s[i])) && std::isupper(static_cast<unsigned char>(s[i - 1]))) {
      out += ' ';
    }
    out += s[i];
  }
  return out;
}

// `text` unchanged unless all its letters are capitals; then lower case
// with "Luật" and the first letter of the word after it in capitals.
// Unchanged too where case mapping would change byte lengths.
std::string TitleCase(const std::string& text) {
  if (!IsAllUpper(text)) return text;
  std::string out = ToLower(text);
  if (out.size() != text.size()) return text;
  const std::string law = ToLower("LUẬT");
  for (size_t at = out.find(law); at != std::string::npos; at = out.find(law, at + law.size())) {
    if (LetterBefore(out, at)) continue;
    auto upper = [&](size_t pos) {
      size_t len = 1;
      while (pos + len < out.size() && (static_cast<unsigned char>(out[pos + len]) & 0xC0) == 0x80) ++len;
      std::string up = ToUpper(out.substr(pos, len));
      if (up.size() == len) out.replace(pos, len, up);
    };
    upper(at);
    size_t next = at + law.size();
    while (next < out.size() && out[next] == ' ') ++next;
    if (next > at + law.size() && next < out.size() && !std::isdigit(static_cast<unsigned char>(out[next]))) upper(next);
  }
  return out;
}

// Spans of the alias clauses ("(sau đây gọi tắt là ...)") in `text`.
std::vector<std::pair<size_t, size_t>> AliasSpans(const std::string& text, const RuleSet& rules) {
  std::vector<std::pair<size_t, size_t>> aliases;
  for (const Rule* r : rules.Category("refscope.alias")) {
    for (const Pattern& p : r->patterns) {
      for (const Match& m : p.FindAll(text)) aliases.emplace_back(m.begin, m.end);
    }
  }
  return aliases;
}

// Marks a mention inside an alias clause, reads the date printed after it
// and whether a caption of the document itself ("(Kèm theo Quyết định số
// ...)") precedes it; `title` as for FindMentions.
void CompleteMention(const std::string& text, const std::vector<std::pair<size_t, size_t>>& aliases, bool title,
                     const RuleSet& rules, Mention* men) {
  for (auto [a, b] : aliases) men->alias |= men->begin >= a && men->end <= b;
  std::string_view after = std::string_view(text).substr(men->end, 48);
  for (const Rule* dr : rules.Category("refdate")) {
    for (const Pattern& p : dr->patterns) {
      Match dm;
      if (!men->date && p.Find(after, &dm) && dm.begin == 0) men->date = DateOfMatch(dm);
    }
  }
  std::string_view before = std::string_view(text).substr(0, men->begin);
  for (const Rule* r : rules.Category("refscope.own_caption")) {
    if (r->Get("scope") == "title" && !title) continue;
    if (!r->patterns.empty() && r->patterns[0].Find(before, nullptr)) men->caption = true;
  }
}

// Documents cited by number (docnumber rules), appended to `out` in rule
// order.
void FindNumberMentions(const std::string& text, const RuleSet& rules, std::vector<Mention>* out) {
  for (const Rule* r : rules.Category("docnumber")) {
    const bool keep_spaces = r->Get("keep_spaces") == "yes";
    for (const Pattern& p : r->patterns) {
      for (const Match& m : p.FindAll(text)) {
        char prev = m.begin > 0 ? text[m.begin - 1] : ' ';
        // A digit or slash just before the serial means we matched inside a
        // longer number ("…/2026/TT-BCT" is a blank serial, not 2026).
        if ((prev >= '0' && prev <= '9') || prev == '/') continue;
        // Glued to a word ("NĐ85/2016/NĐ-CP" but not the lot code "K4/CQ2"):
        // only a number with its year.
        if (!keep_spaces && LetterBefore(text, m.begin) &&
            (m.group_spans.size() < 2 || m.group_spans[1].first == std::string::npos)) {
          continue;
        }
        Mention men;
        men.begin = m.begin;
        // The pattern ends on the character after the code; the number is
        // what precedes it.
        size_t end = m.end;
        while (end > m.begin && !IsAsciiAlnum(text[end - 1]) && static_cast<unsigned char>(text[end - 1]) < 0x80) {
          --end;
        }
        men.end = end;
        std::string printed = text.substr(m.begin, end - m.begin);
        men.number = keep_spaces ? SpacedCode(printed) : RemoveSpaces(printed);
        out->push_back(std::move(men));
      }
    }
  }
}

// Documents cited by title without a number ("Luật Đầu tư công"), appended
// to `out` in rule order. A title printed in capitals ("TRIỂN KHAI THI HÀNH
// LUẬT VIỆC LÀM TRÊN ĐỊA BÀN") is read in the case laws are written in:
// "Luật" and the word after it capitalised, the rest lower case (same byte
// length, so spans hold).
void FindTitleMentions(const std::string& text, const RuleSet& rules, std::vector<Mention>* out) {
  const std::string cased = TitleCase(text);
  for (const Rule* r : rules.Category("doctitle")) {
    const Pattern* not_after = r->NamedPattern("not_after_pattern");
    for (const Pattern& p : r->patterns) {
      // The pattern reads past the title to see where it ends (", Luật ..."),
      // so the next search starts at the title's end, not the match's.
      Match m;
      for (size_t from = 0; from < cased.size() && p.Find(cased, &m, from);) {
        auto [b, e] = m.group_spans.empty() ? std::pair<size_t, size_t>{m.begin, m.end} : m.group_spans[0];
        if (b == std::string::npos || e <= from) break;
        from = e;
        if (not_after && not_after->Find(std::string_view(cased).substr(0, b), nullptr)) continue;
        Mention men;
        men.begin = b;
        // A title does not end on a conjunction ("Luật Ngân sách nhà nước và"
        // before "quy định về phân cấp").
        Match tail;
        while (rules.FindIn("refscope.title_tail", std::string_view(cased).substr(b, e - b), &tail) && tail.begin > 0) {
          e = b + tail.begin;
        }
        men.end = e;
        men.title = CollapseSpaces(cased.substr(b, e - b));
        men.type = r->Get("type");
        men.rule = r->id;
        out->push_back(std::move(men));
      }
    }
  }
}

// One mention per span, of mentions sorted by begin (longest first): a
// number inside a longer one ("2022/BXD" in "QCVN 06:2022/BXD") or a title
// inside a longer title of the same family goes. A law named inside an
// amending law's title stays, its `outer` the index of that title.
std::vector<Mention> DropNestedMentions(std::vector<Mention> sorted) {
  std::vector<Mention> kept;
  for (Mention& men : sorted) {
    int outer = -1;
    for (size_t i = 0; i < kept.size(); ++i) {
      if (men.begin >= kept[i].begin && men.end <= kept[i].end) outer = static_cast<int>(i);
    }
    if (outer >= 0) {
      const Mention& o = kept[outer];
      if (men.title.empty() || o.title.empty() || o.rule == men.rule || men.begin == o.begin) continue;
      men.outer = outer;
    }
    kept.push_back(std::move(men));
  }
  return kept;
}

// A title followed by its number ("Luật Tổ chức Chính phủ số 63/2025/QH15")
// is one document: the number carries the title. `outer` indices are
// recomputed by span, since the merge shifts them.
std::vector<Mention> MergeTitleNumbers(std::vector<Mention> kept, const std::string& text, const RuleSet& rules) {
  std::vector<Mention> merged;
  for (size_t i = 0; i < kept.size(); ++i) {
    Mention& men = kept[i];
    if (!men.title.empty() && men.outer < 0 && i + 1 < kept.size() && !kept[i + 1].number.empty()) {
      std::string_view between(text.data() + men.end, kept[i + 1].begin - men.end);
      if (rules.FullMatchIn("refscope.title_number", between)) {
        kept[i + 1].title = men.title;
        kept[i + 1].type = men.type;
        kept[i + 1].rule = men.rule;
        continue;
      }
    }
    merged.push_back(std::move(men));
  }
  for (Mention& men : merged) {
    if (men.outer < 0) continue;
    men.outer = -1;
    for (size_t i = 0; i < merged.size(); ++i) {
      if (&merged[i] != &men && merged[i].begin <= men.begin && merged[i].end >= men.end && merged[i].outer < 0) {
        men.outer = static_cast<int>(i);
      }
    }
  }
  return merged;
}

// The documents `text` cites, by number or title, in text order. `title`:
// the unit is the document's title or a part's heading, where an attachment
// caption may follow the name ("KẾ HOẠCH ... (Ban hành kèm theo Quyết định
// số ...)").
std::vector<Mention> FindMentions(const std::string& text, bool title, const RuleSet& rules) {
  std::vector<Mention> out;
  FindNumberMentions(text, rules, &out);
  FindTitleMentions(text, rules, &out);
  const std::vector<std::pair<size_t, size_t>> aliases = AliasSpans(text, rules);
  for (Mention& men : out) CompleteMention(text, aliases, title, rules, &men);
  std::sort(out.begin(), out.end(), [](const Mention& a, const Mention& b) {
    return a.begin != b.begin ? a.begin < b.begin : a.end > b.end;
  });
  return MergeTitleNumbers(DropNestedMentions(std::move(out)), text, rules);
}

struct Verb {
  std::string relation;
  int strength = 0;
  std::string rule;
};

// The strongest relation verb in `window` that may govern a number at its
// end. `clause_head` tells whether the window starts at the clause start.
std::optional<Verb> StrongestVerb(std::string_view window, bool clause_head, const RuleSet& rules) {
  std::optional<Verb> best;
  for (const Rule* r : rules.Category("relation")) {
    int strength = RuleInt(*r, "strength", 1);
    int max_words = RuleInt(*r, "max_words", 0);
    const Pattern* not_after = r->NamedPattern("not_after_pattern");
    const Pattern* blocker = r->NamedPattern("blocker_pattern");
    for (const Pattern& p : r->patterns) {
      for (const Match& m : p.FindAll(window)) {
        if (not_after && not_after->Find(window.substr(0, m.begin), nullptr)) continue;
        if (blocker && blocker->Find(window.substr(m.end), nullptr)) continue;
        if (max_words > 0) {
          int after = CountWords(window.substr(m.end));
          int before = CountWords(window.substr(0, m.begin));
          if (after > max_words && !(clause_head && before <= 3)) continue;
        }
        if (!best || strength > best->strength) best = Verb{r->Get("relation"), strength, r->id};
      }
    }
  }
  return best;
}

// Splits a unit into clauses at ';' outside parentheses.
std::vector<std::pair<size_t, size_t>> Clauses(const std::string& text) {
  std::vector<std::pair<size_t, size_t>> out;
  int depth = 0;
  size_t start = 0;
  for (size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (c == '(') ++depth;
    if (c == ')' && depth > 0) --depth;
    bool end_sentence = c == '.' && i + 1 < text.size() && text[i + 1] == ' ' && i > 0 &&
                        !(text[i - 1] >= '0' && text[i - 1] <= '9');
    if ((c == ';' || end_sentence) && depth == 0) {
      out.emplace_back(start, i);
      start = i + 1;
    }
  }
  out.emplace_back(start, text.size());
  return out;
}

int Strength(const RuleSet& rules, const std::string& relation) {
  for (const Rule* r : rules.Category("relation")) {
    if (r->Get("relation") == relation) return RuleInt(*r, "strength", 1);
  }
  return 1;  // cites
}

// A unit read as one paragraph: the pieces a layout broke it into, with
// the line each piece starts on.
struct Paragraph {
  TextUnit unit;
  std::vector<std::pair<size_t, int>> lines;  // (offset in unit.text, line)
  int LineAt(size_t offset) const {
    int line = unit.line;
    for (auto [off, l] : lines) {
      if (off <= offset) line = l;
    }
    return line;
  }
};

// Does the text end a sentence or clause (". ; : ! ? )"), ignoring
// emphasis marks and spaces?
bool Terminated(std::string_view t) {
  while (!t.empty() && std::string_view(" \t*_").find(t.back()) != std::string_view::npos) t.remove_suffix(1);
  return t.empty() || std::string_view(".;:!?)").find(t.back()) != std::string_view::npos;
}

const Rule* Opener(const RuleSet& rules, std::string_view text) {
  return rules.FindIn("refscope.paragraph", text);
}

// Rejoins paragraphs a layout split mid-sentence: the next piece of the same
// clause opens with a figure or a lower-case word, the previous one ends on
// a hyphen or slash ("39/2010/NĐ-" + "CP"), or an opening "Căn cứ ..." /
// "Thực hiện ..." line has not reached its ';' yet.
std::vector<Paragraph> JoinBroken(const std::vector<TextUnit>& units, const RuleSet& rules) {
  constexpr int kMaxPieces = 6;
  std::vector<Paragraph> out;
  int pieces = 0;
  for (const TextUnit& u : units) {
    if (!out.empty()) {
      Paragraph& cur = out.back();
      const std::string& t = cur.unit.text;
      bool glued = !t.empty() && (t.back() == '-' || t.back() == '/');
      bool open = !cur.unit.cell && !u.cell && u.clause == cur.unit.clause && pieces < kMaxPieces &&
                  !Terminated(t) && !Opener(rules, u.text);
      // An opening line goes on only into a piece that completes its item
      // ("Căn cứ Luật Tổ chức" + "Chính phủ ngày 18 tháng 02 năm 2025;"),
      // not into the enacting sentence after a basis left without its ';'.
      bool completes = Opener(rules, t) && rules.FindIn("refscope.item_end", u.text);
      if (open && (glued || rules.FindIn("refscope.continuation", u.text) || completes)) {
        if (!glued) cur.unit.text += ' ';
        cur.lines.emplace_back(cur.unit.text.size(), u.line);
        cur.unit.text += u.text;
        if (u.confidence >= 0 && (cur.unit.confidence < 0 || u.confidence < cur.unit.confidence)) {
          cur.unit.confidence = u.confidence;
        }
        ++pieces;
        continue;
      }
    }
    out.push_back(Paragraph{u, {{0, u.line}}});
    pieces = 1;
  }
  return out;
}

// The preamble: text before the first heading of the document (no clause
// path; the title has its own).
bool InPreamble(const TextUnit& u) { return u.clause.empty(); }

// "Các văn bản sau đây hết hiệu lực ...:" heading a list whose items name
// documents without a verb of their own.
struct LeadIn {
  std::string clause;
  std::string relation;
  std::string rule;
};

// A relation a mention gets, and the rule that gave it; empty: none yet.
struct Relation {
  std::string relation;
  std::string rule;
};

// The mentions of one paragraph and what holds for all its clauses.
struct ParagraphMentions {
  const Paragraph* para = nullptr;
  std::vector<Mention> mentions;
  const Rule* opening = nullptr;  // refscope.paragraph: relates every number of the first sentence
  size_t first_sentence_end = 0;
  std::vector<Relation> relation_of;  // per mention, once decided
};

// The end of the first sentence of `text`: what follows its full stop is
// another statement ("... Kết luận số 17/KL-BCA-A03. UBND thị xã xây dựng
// ..."); text.size() when there is none.
size_t FirstSentenceEnd(const std::string& text) {
  for (auto [cb, ce] : Clauses(text)) {
    if (ce < text.size() && text[ce] == '.') return ce;
  }
  return text.size();
}

// FindReferences' phases over one document's paragraphs, in order. Each
// clause's mentions are read left to right: a mention's relation comes from
// the verb before it, else from the number it continues, a lead-in list or
// the paragraph's opening; it is then added to its reference (one per
// number, or per title) or strengthens it. Finish folds titles that run on
// past their end into the shorter ones.
class ReferenceCollector {
 public:
  ReferenceCollector(const std::optional<std::string>& own, const RuleSet& rules)
      : rules_(rules), own_key_(own ? RemoveSpaces(*own) : "") {}
  void AddParagraph(const Paragraph& para);
  std::vector<Reference> Finish();

 private:
  void ReadLeadIn(const TextUnit& u);
  void AddClause(size_t cb, size_t ce, ParagraphMentions* pm);
  Relation WindowRelation(std::string_view window, bool first, const Relation& prev) const;
  Relation AfterDescription(std::string_view window, const Relation& prev) const;
  void ApplyPurposeClause(std::string_view after, Relation* rel) const;
  void AddMention(const Paragraph& para, size_t cb, size_t ce, const Mention& men, const Relation& rel);
  void SetProvenance(const Paragraph& para, size_t cb, size_t ce, const Mention& men, const std::string& rule,
                     Reference* ref) const;
  void FoldRunOnTitles();

  const RuleSet& rules_;
  const std::string own_key_;
  std::optional<LeadIn> lead_in_;
  std::map<std::string, Reference> by_number_;
  std::vector<std::string> order_;  // keys of by_number_ in order of first mention
};

void ReferenceCollector::AddParagraph(const Paragraph& para) {
  const TextUnit& u = para.unit;
  if (lead_in_ && u.clause.rfind(lead_in_->clause + " > ", 0) != 0) lead_in_.reset();
  // The document's title, or a part's heading in capitals ("PHÂN CÔNG
  // THỰC HIỆN ... (Ban hành kèm theo Kế hoạch số ...)").
  const std::string lead = u.text.substr(0, u.text.find('('));
  const bool heading = u.clause == "title" || (u.clause.find(" > ") == std::string::npos && IsAllUpper(lead));
  ParagraphMentions pm;
  pm.para = &para;
  pm.mentions = FindMentions(u.text, heading, rules_);
  if (pm.mentions.empty()) {
    ReadLeadIn(u);
    return;
  }
  // A paragraph opening with "Căn cứ" (anywhere) or "Thực hiện" (in the
  // preamble) relates this document to every number in its first sentence.
  pm.first_sentence_end = FirstSentenceEnd(u.text);
  for (const Rule* r : rules_.Category("refscope.paragraph")) {
    if (r->Get("scope") == "preamble" && !InPreamble(u)) continue;
    if (!r->patterns.empty() && r->patterns[0].Find(u.text, nullptr)) {
      pm.opening = r;
      break;
    }
  }
  pm.relation_of.resize(pm.mentions.size());
  for (auto [cb, ce] : Clauses(u.text)) AddClause(cb, ce, &pm);
}

// A paragraph without mentions may head a list ("Các văn bản sau đây hết
// hiệu lực ...:") whose items name documents without a verb of their own.
void ReferenceCollector::ReadLeadIn(const TextUnit& u) {
  for (const Rule* r : rules_.Category("refscope.leadin")) {
    const Pattern* blocker = r->NamedPattern("blocker_pattern");
    for (const Pattern& p : r->patterns) {
      if (p.Find(u.text, nullptr) && !(blocker && blocker->Find(u.text, nullptr))) {
        lead_in_ = LeadIn{u.clause, r->Get("relation"), r->id};
      }
    }
  }
}

// The mentions in clause [cb, ce), left to right. `prev` is the relation of
// the last top-level number (a nested one, inside its description, does not
// change it); the window of a mention runs from the end of the previous one.
void ReferenceCollector::AddClause(size_t cb, size_t ce, ParagraphMentions* pm) {
  const std::string& text = pm->para->unit.text;
  Relation prev;
  size_t prev_end = cb;
  bool first = true;
  for (size_t mi = 0; mi < pm->mentions.size(); ++mi) {
    const Mention& men = pm->mentions[mi];
    if (men.begin < cb || men.end > ce) continue;
    if (men.alias) {
      // The short name repeats a number just cited; the alias clause
      // ends the previous number's description.
      size_t close = text.find(')', men.end);
      prev_end = close == std::string::npos ? men.end : close;
      continue;
    }
    Relation rel;
    bool nested = false;
    if (men.outer >= 0) {
      // A law named in the title of the law that amends it.
      rel = pm->relation_of[men.outer];
      nested = true;
    } else {
      rel = WindowRelation(std::string_view(text.data() + prev_end, men.begin - prev_end), first, prev);
      // A number inside the previous number's description (no verb, no
      // coordination) is nested: later coordinated numbers share the verb
      // of the top-level one, not its "cites".
      nested = rel.relation.empty() && !first;
      if (rel.relation.empty() && !nested && lead_in_) rel = {lead_in_->relation, lead_in_->rule};
    }
    if (rel.relation.empty() && pm->opening && men.begin < pm->first_sentence_end) {
      rel = {pm->opening->Get("relation"), pm->opening->id};
    }
    if (rel.relation.empty()) rel = {"cites", men.number.empty() ? men.rule : "docnumber.standard"};
    ApplyPurposeClause(std::string_view(text.data() + men.end, ce - men.end), &rel);
    pm->relation_of[mi] = rel;
    first = false;
    if (!nested) prev = rel;
    if (men.outer < 0) prev_end = men.end;
    if (men.caption || (!own_key_.empty() && men.number == own_key_)) continue;
    AddMention(*pm->para, cb, ce, men, rel);
  }
}

// The relation the text before a top-level mention gives it: for the
// clause's first number the strongest verb; for a later one what follows
// the previous number's description, or the previous relation when the
// number is amending it ("Nghị định số X ..., được sửa đổi, bổ sung bởi
// Nghị định số Y": Y is part of what this document does to X).
Relation ReferenceCollector::WindowRelation(std::string_view window, bool first, const Relation& prev) const {
  Relation rel;
  if (first) {
    if (auto v = StrongestVerb(window, true, rules_)) rel = {v->relation, v->rule};
    return rel;
  }
  rel = AfterDescription(window, prev);
  if (rel.relation.empty() && !prev.relation.empty() && rules_.FindIn("refscope.amended_by", window)) rel = prev;
  return rel;
}

// After a number, its description ("ngày ... của ... về ...") runs until a
// clause boundary; verbs inside it are not this plan's. What follows the
// boundary may hold a verb, or be the next item of the list the previous
// number opened; a window opening with coordination shares its relation.
Relation ReferenceCollector::AfterDescription(std::string_view window, const Relation& prev) const {
  Relation rel;
  size_t cut = std::string_view::npos;
  for (const Rule* r : rules_.Category("refscope.boundary")) {
    for (const Pattern& p : r->patterns) {
      for (const Match& m : p.FindAll(window)) {
        // Group 1, when the pattern has one, is the boundary itself;
        // the rest of the match only says what must follow it.
        bool grouped = !m.group_spans.empty() && m.group_spans[0].first != std::string::npos;
        cut = grouped ? m.group_spans[0].second : m.end;
      }
    }
  }
  if (cut != std::string_view::npos) {
    std::string_view rest = window.substr(cut);
    if (auto v = StrongestVerb(rest, false, rules_)) {
      rel = {v->relation, v->rule};
    } else if (!prev.relation.empty() && rules_.FullMatchIn("refscope.coordinated_item", rest)) {
      // "... của Ban Thường vụ Tỉnh ủy và Kế hoạch số ...": the next
      // item of the list the previous number opened.
      rel = prev;
    }
  }
  if (rel.relation.empty() && !prev.relation.empty()) {
    Match m;
    // Coordination only when the window opens with it.
    for (const Rule* r : rules_.Category("refscope.coordination")) {
      if (!r->patterns.empty() && r->patterns[0].Find(window, &m) && m.begin == 0) rel = prev;
    }
  }
  return rel;
}

// A purpose clause after the number ("... để triển khai thực hiện") raises
// the relation to its own when stronger.
void ReferenceCollector::ApplyPurposeClause(std::string_view after, Relation* rel) const {
  for (const Rule* r : rules_.Category("relation_after")) {
    if (!r->patterns.empty() && r->patterns[0].Find(after, nullptr) &&
        RuleInt(*r, "strength", 1) > Strength(rules_, rel->relation)) {
      *rel = {r->Get("relation"), r->id};
    }
  }
}

void ReferenceCollector::SetProvenance(const Paragraph& para, size_t cb, size_t ce, const Mention& men,
                                       const std::string& rule, Reference* ref) const {
  const TextUnit& u = para.unit;
  ref->sentence = u.text.substr(cb, ce - cb);
  ref->provenance.page = u.page;
  ref->provenance.line = para.LineAt(men.begin);
  ref->provenance.clause = u.clause;
  // A number read by OCR is only as sure as the text it stands in.
  ref->provenance.ocr_confidence = u.confidence;
  ref->provenance.rules = {rules_.Find(rule) ? rules_.Find(rule)->Ref(rules_.hash()) : rule};
  if (!men.rule.empty() && men.rule != rule && rules_.Find(men.rule))
    ref->provenance.rules.push_back(rules_.Find(men.rule)->Ref(rules_.hash()));
}

// One reference per number, or per title for title-only mentions. A new one
// takes the type word and partial scope printed just before the number; a
// known one gains a date or title it lacked, and a stronger relation with
// its sentence.
void ReferenceCollector::AddMention(const Paragraph& para, size_t cb, size_t ce, const Mention& men,
                                    const Relation& rel) {
  const std::string key = men.number.empty() ? "title " + MatchKey(men.title) : men.number;
  auto it = by_number_.find(key);
  if (it == by_number_.end()) {
    Reference ref;
    ref.number = men.number;
    if (!men.title.empty()) {
      ref.title = men.title;
      ref.type = men.type;
    }
    ref.date = men.date;
    ref.relation = rel.relation;
    SetProvenance(para, cb, ce, men, rel.rule, &ref);
    std::string_view before(para.unit.text.data() + cb, men.begin - cb);
    for (const Rule* r : rules_.Category("reftype")) {
      Match m;
      if (men.title.empty() && !r->patterns.empty() && r->patterns[0].Find(before, &m)) {
        ref.type = m.Group(1, "");
      }
    }
    for (const Rule* r : rules_.Category("refscope.part")) {
      Match m;
      if (!r->patterns.empty() && r->patterns[0].Find(before, &m)) ref.part = m.Group(1, "");
    }
    order_.push_back(key);
    by_number_.emplace(key, std::move(ref));
    return;
  }
  Reference& ref = it->second;
  if (!ref.date && men.date) ref.date = men.date;
  if (!ref.title && !men.title.empty()) ref.title = men.title;
  if (Strength(rules_, rel.relation) > Strength(rules_, ref.relation)) {
    ref.relation = rel.relation;
    SetProvenance(para, cb, ce, men, rel.rule, &ref);
  }
}

// A title that runs on past its end ("Luật Việc làm Sở Tư pháp có trách
// nhiệm ...") is the shorter title printed elsewhere in the document plus
// a phrase of three or more words: one reference. So is a title printed
// elsewhere with its number.
void ReferenceCollector::FoldRunOnTitles() {
  for (auto it = order_.begin(); it != order_.end();) {
    Reference& ref = by_number_[*it];
    bool folded = false;
    if (ref.number.empty() && ref.title) {
      const std::string key = MatchKey(*ref.title);
      for (const std::string& other_key : order_) {
        Reference& other = by_number_[other_key];
        if (&other == &ref || !other.title) continue;
        const std::string short_key = MatchKey(*other.title);
        // The same title printed once with its number ("Luật An toàn thực
        // phẩm số 55/2010/QH12") is that number.
        bool same = !other.number.empty() && key == short_key;
        bool run_on = key.size() > short_key.size() && key.compare(0, short_key.size(), short_key) == 0 &&
                      key[short_key.size()] == ' ' && CountWords(std::string_view(key).substr(short_key.size())) >= 3;
        if (!same && !run_on) continue;
        if (!other.date && ref.date) other.date = ref.date;
        if (Strength(rules_, ref.relation) > Strength(rules_, other.relation)) {
          other.relation = ref.relation;
          other.sentence = ref.sentence;
          other.provenance = ref.provenance;
        }
        folded = true;
        break;
      }
    }
    if (folded) {
      by_number_.erase(*it);
      it = order_.erase(it);
    } else {
      ++it;
    }
  }
}

std::vector<Reference> ReferenceCollector::Finish() {
  FoldRunOnTitles();
  std::vector<Reference> out;
  for (const std::string& n : order_) out.push_back(std::move(by_number_[n]));
  return out;
}

}  // namespace

std::vector<Reference> FindReferences(const std::vector<TextUnit>& units, const std::optional<std::string>& own,
                                      const RuleSet& rules) {
  ReferenceCollector collector(own, rules);
  for (const Paragraph& para : JoinBroken(units, rules)) collector.AddParagraph(para);
  return collector.Finish();
}

}  // namespace plantrace
