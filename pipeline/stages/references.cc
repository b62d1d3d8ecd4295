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

// `title`: the unit is the document's title or a part's heading, where an
// attachment caption may follow the name ("KẾ HOẠCH ... (Ban hành kèm theo
// Quyết định số ...)").
std::vector<Mention> FindMentions(const std::string& text, bool title, const RuleSet& rules) {
  std::vector<Mention> out;
  std::vector<std::pair<size_t, size_t>> aliases;
  for (const Rule* r : rules.Category("refscope.alias")) {
    for (const Pattern& p : r->patterns) {
      for (const Match& m : p.FindAll(text)) aliases.emplace_back(m.begin, m.end);
    }
  }
  // Marks a mention inside an alias clause and reads the date printed after it.
  auto add = [&](Mention men) {
    for (auto [a, b] : aliases) men.alias |= men.begin >= a && men.end <= b;
    std::string_view after = std::string_view(text).substr(men.end, 48);
    for (const Rule* dr : rules.Category("refdate")) {
      for (const Pattern& p : dr->patterns) {
        Match dm;
        if (!men.date && p.Find(after, &dm) && dm.begin == 0) men.date = DateOfMatch(dm);
      }
    }
    std::string_view before = std::string_view(text).substr(0, men.begin);
    for (const Rule* r : rules.Category("refscope.own_caption")) {
      if (r->Get("scope") == "title" && !title) continue;
      if (!r->patterns.empty() && r->patterns[0].Find(before, nullptr)) men.caption = true;
    }
    out.push_back(std::move(men));
  };
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
        add(std::move(men));
      }
    }
  }
  // Documents cited by title without a number ("Luật Đầu tư công"). A title
  // printed in capitals ("TRIỂN KHAI THI HÀNH LUẬT VIỆC LÀM TRÊN ĐỊA BÀN") is
  // read in the case laws are written in: "Luật" and the word after it
  // capitalised, the rest lower case (same byte length, so spans hold).
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
        add(std::move(men));
      }
    }
  }
  std::sort(out.begin(), out.end(), [](const Mention& a, const Mention& b) {
    return a.begin != b.begin ? a.begin < b.begin : a.end > b.end;
  });
  // One mention per span: a number inside a longer one ("2022/BXD" in
  // "QCVN 06:2022/BXD") or a title inside a longer title of the same
  // family goes. A law named inside an amending law's title stays, with
  // the outer title's relation.
  std::vector<Mention> kept;
  for (Mention& men : out) {
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
  // A title followed by its number ("Luật Tổ chức Chính phủ số
  // 63/2025/QH15") is one document: the number carries the title.
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
  // Indices of outer titles shift with the merge; recompute by span.
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

}  // namespace

std::vector<Reference> FindReferences(const std::vector<TextUnit>& units, const std::optional<std::string>& own,
                                      const RuleSet& rules) {
  std::map<std::string, Reference> by_number;
  std::vector<std::string> order;
  const std::string own_key = own ? RemoveSpaces(*own) : "";
  std::optional<LeadIn> lead_in;
  for (const Paragraph& para : JoinBroken(units, rules)) {
    const TextUnit& u = para.unit;
    if (lead_in && u.clause.rfind(lead_in->clause + " > ", 0) != 0) lead_in.reset();
    // The document's title, or a part's heading in capitals ("PHÂN CÔNG
    // THỰC HIỆN ... (Ban hành kèm theo Kế hoạch số ...)").
    const std::string lead = u.text.substr(0, u.text.find('('));
    const bool heading = u.clause == "title" || (u.clause.find(" > ") == std::string::npos && IsAllUpper(lead));
    std::vector<Mention> mentions = FindMentions(u.text, heading, rules);
    if (mentions.empty()) {
      for (const Rule* r : rules.Category("refscope.leadin")) {
        const Pattern* blocker = r->NamedPattern("blocker_pattern");
        for (const Pattern& p : r->patterns) {
          if (p.Find(u.text, nullptr) && !(blocker && blocker->Find(u.text, nullptr))) {
            lead_in = LeadIn{u.clause, r->Get("relation"), r->id};
          }
        }
      }
      continue;
    }
    // A paragraph opening with "Căn cứ" (anywhere) or "Thực hiện" (in the
    // preamble) relates this document to every number in it.
    const Rule* paragraph_rule = nullptr;
    // ... within its first sentence: what follows the full stop is another
    // statement ("... Kết luận số 17/KL-BCA-A03. UBND thị xã xây dựng ...").
    size_t first_sentence_end = u.text.size();
    for (auto [cb, ce] : Clauses(u.text)) {
      if (ce < u.text.size() && u.text[ce] == '.') {
        first_sentence_end = ce;
        break;
      }
    }
    for (const Rule* r : rules.Category("refscope.paragraph")) {
      if (r->Get("scope") == "preamble" && !InPreamble(u)) continue;
      if (!r->patterns.empty() && r->patterns[0].Find(u.text, nullptr)) {
        paragraph_rule = r;
        break;
      }
    }
    std::vector<std::string> relation_of(mentions.size());
    std::vector<std::string> rule_of(mentions.size());
    for (const auto& clause : Clauses(u.text)) {
      // Plain variables, not a structured binding: the lambda below captures
      // them, which clang before 16 (the fuzz build) does not allow.
      const size_t cb = clause.first, ce = clause.second;
      std::string prev_relation;
      std::string prev_rule;
      size_t prev_end = cb;
      bool first = true;
      for (size_t mi = 0; mi < mentions.size(); ++mi) {
        const Mention& men = mentions[mi];
        if (men.begin < cb || men.end > ce) continue;
        if (men.alias) {
          // The short name repeats a number just cited; the alias clause
          // ends the previous number's description.
          size_t close = u.text.find(')', men.end);
          prev_end = close == std::string::npos ? men.end : close;
          continue;
        }
        std::string relation;
        std::string rule;
        bool nested = false;
        if (men.outer >= 0) {
          // A law named in the title of the law that amends it.
          relation = relation_of[men.outer];
          rule = rule_of[men.outer];
          nested = true;
        } else {
          std::string_view window(u.text.data() + prev_end, men.begin - prev_end);
          if (first) {
            if (auto v = StrongestVerb(window, true, rules)) {
              relation = v->relation;
              rule = v->rule;
            }
          } else {
            // After a number, its description ("ngày ... của ... về ...")
            // runs until a clause boundary; verbs inside it are not this plan's.
            size_t cut = std::string_view::npos;
            for (const Rule* r : rules.Category("refscope.boundary")) {
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
              if (auto v = StrongestVerb(rest, false, rules)) {
                relation = v->relation;
                rule = v->rule;
              } else if (!prev_relation.empty() && rules.FullMatchIn("refscope.coordinated_item", rest)) {
                // "... của Ban Thường vụ Tỉnh ủy và Kế hoạch số ...": the next
                // item of the list the previous number opened.
                relation = prev_relation;
                rule = prev_rule;
              }
            }
            if (relation.empty() && !prev_relation.empty()) {
              Match m;
              // Coordination only when the window opens with it.
              for (const Rule* r : rules.Category("refscope.coordination")) {
                if (!r->patterns.empty() && r->patterns[0].Find(window, &m) && m.begin == 0) {
                  relation = prev_relation;
                  rule = prev_rule;
                }
              }
            }
          }
          // "Nghị định số X ..., được sửa đổi, bổ sung bởi Nghị định số Y":
          // Y is part of what this document does to X (amends it, rests on it).
          if (relation.empty() && !first && !prev_relation.empty() &&
              rules.FindIn("refscope.amended_by", window)) {
            relation = prev_relation;
            rule = prev_rule;
          }
          // A number inside the previous number's description (no verb, no
          // coordination) is nested: later coordinated numbers share the verb
          // of the top-level one, not its "cites".
          nested = relation.empty() && !first;
          if (relation.empty() && !nested && lead_in) {
            relation = lead_in->relation;
            rule = lead_in->rule;
          }
        }
        if (relation.empty() && paragraph_rule && men.begin < first_sentence_end) {
          relation = paragraph_rule->Get("relation");
          rule = paragraph_rule->id;
        }
        if (relation.empty()) {
          relation = "cites";
          rule = men.number.empty() ? men.rule : "docnumber.standard";
        }
        // A purpose clause after the number ("... để triển khai thực hiện").
        for (const Rule* r : rules.Category("relation_after")) {
          std::string_view after(u.text.data() + men.end, ce - men.end);
          if (!r->patterns.empty() && r->patterns[0].Find(after, nullptr) &&
              RuleInt(*r, "strength", 1) > Strength(rules, relation)) {
            relation = r->Get("relation");
            rule = r->id;
          }
        }
        relation_of[mi] = relation;
        rule_of[mi] = rule;
        first = false;
        if (!nested) {
          prev_relation = relation;
          prev_rule = rule;
        }
        if (men.outer < 0) prev_end = men.end;
        if (men.caption || (!own_key.empty() && men.number == own_key)) continue;
        auto provenance = [&](Reference* ref) {
          ref->sentence = u.text.substr(cb, ce - cb);
          ref->provenance.page = u.page;
          ref->provenance.line = para.LineAt(men.begin);
          ref->provenance.clause = u.clause;
          ref->provenance.rules = {rules.Find(rule) ? rules.Find(rule)->Ref(rules.hash()) : rule};
          if (!men.rule.empty() && men.rule != rule && rules.Find(men.rule))
            ref->provenance.rules.push_back(rules.Find(men.rule)->Ref(rules.hash()));
        };
        // One reference per number, or per title for title-only mentions.
        const std::string key = men.number.empty() ? "title " + MatchKey(men.title) : men.number;
        auto it = by_number.find(key);
        if (it == by_number.end()) {
          Reference ref;
          ref.number = men.number;
          if (!men.title.empty()) {
            ref.title = men.title;
            ref.type = men.type;
          }
          ref.date = men.date;
          ref.relation = relation;
          provenance(&ref);
          // Type word and partial scope just before the number.
          std::string_view before(u.text.data() + cb, men.begin - cb);
          for (const Rule* r : rules.Category("reftype")) {
            Match m;
            if (men.title.empty() && !r->patterns.empty() && r->patterns[0].Find(before, &m)) {
              ref.type = m.Group(1, "");
            }
          }
          for (const Rule* r : rules.Category("refscope.part")) {
            Match m;
            if (!r->patterns.empty() && r->patterns[0].Find(before, &m)) ref.part = m.Group(1, "");
          }
          order.push_back(key);
          by_number.emplace(key, std::move(ref));
          continue;
        }
        Reference& ref = it->second;
        if (!ref.date && men.date) ref.date = men.date;
        if (!ref.title && !men.title.empty()) ref.title = men.title;
        if (Strength(rules, relation) > Strength(rules, ref.relation)) {
          ref.relation = relation;
          provenance(&ref);
        }
      }
    }
  }
  // A title that runs on past its end ("Luật Việc làm Sở Tư pháp có trách
  // nhiệm ...") is the shorter title printed elsewhere in the document plus
  // a phrase of three or more words: one reference. So is a title printed
  // elsewhere with its number.
  for (auto it = order.begin(); it != order.end();) {
    Reference& ref = by_number[*it];
    bool folded = false;
    if (ref.number.empty() && ref.title) {
      const std::string key = MatchKey(*ref.title);
      for (const std::string& other_key : order) {
        Reference& other = by_number[other_key];
        if (&other == &ref || !other.title) continue;
        const std::string short_key = MatchKey(*other.title);
        // The same title printed once with its number ("Luật An toàn thực
        // phẩm số 55/2010/QH12") is that number.
        bool same = !other.number.empty() && key == short_key;
        bool run_on = key.size() > short_key.size() && key.compare(0, short_key.size(), short_key) == 0 &&
                      key[short_key.size()] == ' ' && CountWords(std::string_view(key).substr(short_key.size())) >= 3;
        if (!same && !run_on) continue;
        if (!other.date && ref.date) other.date = ref.date;
        if (Strength(rules, ref.relation) > Strength(rules, other.relation)) {
          other.relation = ref.relation;
          other.sentence = ref.sentence;
          other.provenance = ref.provenance;
        }
        folded = true;
        break;
      }
    }
    if (folded) {
      by_number.erase(*it);
      it = order.erase(it);
    } else {
      ++it;
    }
  }
  std::vector<Reference> out;
  for (const std::string& n : order) out.push_back(std::move(by_number[n]));
  return out;
}

}  // namespace plantrace
