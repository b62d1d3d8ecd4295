// Extract (references): the documents a plan cites, each once, with the
// date printed beside it and this plan's relation to it, read from the
// clause each mention stands in (rules/references.rules).
#include "pipeline/references.h"

#include <algorithm>
#include <cctype>
#include <map>

#include "pipeline/normalize.h"
#include "pipeline/unicode.h"

namespace plantrace {
namespace {

struct Mention {
  size_t begin = 0, end = 0;  // span of the number (or title) in the unit text
  std::string number;         // empty for a document cited by title only
  std::string title;
  std::string type;           // of a title mention (doctitle rule `type`)
  std::string rule;           // the doctitle rule
  std::optional<std::string> date;
  bool alias = false;  // inside "(sau đây gọi tắt là ...)"
};

std::string Iso(const Match& m) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02d", std::stoi(m.Group(3, "0")), std::stoi(m.Group(2, "0")),
                std::stoi(m.Group(1, "0")));
  return buf;
}

std::vector<Mention> FindMentions(const std::string& text, const RuleSet& rules) {
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
      Match dm;
      if (!dr->patterns.empty() && dr->patterns[0].Find(after, &dm) && dm.begin == 0) {
        men.date = Iso(dm);
        break;
      }
    }
    out.push_back(std::move(men));
  };
  for (const Rule* r : rules.Category("docnumber")) {
    for (const Pattern& p : r->patterns) {
      for (const Match& m : p.FindAll(text)) {
        // A digit just before the serial means we matched inside a longer number.
        if (m.begin > 0 && text[m.begin - 1] >= '0' && text[m.begin - 1] <= '9') continue;
        Mention men;
        men.begin = m.begin;
        men.end = m.end;
        // The pattern ends on the character after the code; the number is
        // what precedes it.
        size_t end = m.end;
        while (end > m.begin && !std::isalnum(static_cast<unsigned char>(text[end - 1])) &&
               static_cast<unsigned char>(text[end - 1]) < 0x80) {
          --end;
        }
        men.end = end;
        men.number = RemoveSpaces(text.substr(m.begin, end - m.begin));
        add(std::move(men));
      }
    }
  }
  // Documents cited by title without a number ("Luật Đầu tư công").
  for (const Rule* r : rules.Category("doctitle")) {
    const Pattern* not_after = r->NamedPattern("not_after_pattern");
    for (const Pattern& p : r->patterns) {
      // The pattern reads past the title to see where it ends (", Luật ..."),
      // so the next search starts at the title's end, not the match's.
      Match m;
      for (size_t from = 0; from < text.size() && p.Find(text, &m, from);) {
        auto [b, e] = m.group_spans.empty() ? std::pair<size_t, size_t>{m.begin, m.end} : m.group_spans[0];
        if (b == std::string::npos || e <= from) break;
        from = e;
        if (not_after && not_after->Find(std::string_view(text).substr(0, b), nullptr)) continue;
        Mention men;
        men.begin = b;
        men.end = e;
        men.title = CollapseSpaces(text.substr(b, e - b));
        men.type = r->Get("type");
        men.rule = r->id;
        add(std::move(men));
      }
    }
  }
  std::sort(out.begin(), out.end(), [](const Mention& a, const Mention& b) { return a.begin < b.begin; });
  return out;
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
    int strength = std::stoi(r->Get("strength", "1"));
    int max_words = std::stoi(r->Get("max_words", "0"));
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
    if (r->Get("relation") == relation) return std::stoi(r->Get("strength", "1"));
  }
  return 1;  // cites
}

}  // namespace

std::vector<Reference> FindReferences(const std::vector<TextUnit>& units, const std::optional<std::string>& own,
                                      const RuleSet& rules) {
  std::map<std::string, Reference> by_number;
  std::vector<std::string> order;
  const std::string own_key = own ? RemoveSpaces(*own) : "";
  for (const TextUnit& u : units) {
    std::vector<Mention> mentions = FindMentions(u.text, rules);
    if (mentions.empty()) continue;
    bool based_on_paragraph = rules.FindIn("refscope.paragraph_based_on", u.text);
    for (auto [cb, ce] : Clauses(u.text)) {
      std::string prev_relation;
      std::string prev_rule;
      size_t prev_end = cb;
      bool first = true;
      for (const Mention& men : mentions) {
        if (men.begin < cb || men.end > ce) continue;
        if (men.alias) {
          // The short name repeats a number just cited; the alias clause
          // ends the previous number's description.
          size_t close = u.text.find(')', men.end);
          prev_end = close == std::string::npos ? men.end : close;
          continue;
        }
        std::string_view window(u.text.data() + prev_end, men.begin - prev_end);
        std::string relation;
        std::string rule;
        if (first) {
          if (auto v = StrongestVerb(window, true, rules)) {
            relation = v->relation;
            rule = v->rule;
          }
        } else {
          // After a number, its description ("ngày ... của ... về ...") runs
          // until a clause boundary; verbs inside it are not this plan's.
          size_t cut = std::string_view::npos;
          for (const Rule* r : rules.Category("refscope.boundary")) {
            for (const Pattern& p : r->patterns) {
              for (const Match& m : p.FindAll(window)) cut = m.end;
            }
          }
          if (cut != std::string_view::npos) {
            if (auto v = StrongestVerb(window.substr(cut), false, rules)) {
              relation = v->relation;
              rule = v->rule;
            }
          }
          if (relation.empty() && !prev_relation.empty() && rules.FindIn("refscope.coordination", window)) {
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
        // A number inside the previous number's description (no verb, no
        // coordination) is nested: later coordinated numbers share the verb
        // of the top-level one, not its "cites".
        bool nested = relation.empty() && !first;
        if (relation.empty() && based_on_paragraph) {
          relation = "based_on";
          rule = "refscope.paragraph_based_on";
        }
        if (relation.empty()) {
          relation = "cites";
          rule = men.number.empty() ? men.rule : "docnumber.standard";
        }
        // A purpose clause after the number ("... để triển khai thực hiện").
        for (const Rule* r : rules.Category("relation_after")) {
          std::string_view after(u.text.data() + men.end, ce - men.end);
          if (!r->patterns.empty() && r->patterns[0].Find(after, nullptr) &&
              std::stoi(r->Get("strength", "1")) > Strength(rules, relation)) {
            relation = r->Get("relation");
            rule = r->id;
          }
        }
        first = false;
        if (!nested) {
          prev_relation = relation;
          prev_rule = rule;
        }
        prev_end = men.end;
        if (!own_key.empty() && men.number == own_key) continue;
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
          ref.sentence = u.text.substr(cb, ce - cb);
          ref.provenance.page = u.page;
          ref.provenance.line = u.line;
          ref.provenance.clause = u.clause;
          ref.provenance.rules.push_back(rules.Find(rule) ? rules.Find(rule)->Ref(rules.hash()) : rule);
          if (!men.rule.empty() && men.rule != rule)
            ref.provenance.rules.push_back(rules.Find(men.rule)->Ref(rules.hash()));
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
        if (Strength(rules, relation) > Strength(rules, ref.relation)) {
          ref.relation = relation;
          ref.sentence = u.text.substr(cb, ce - cb);
          ref.provenance.page = u.page;
          ref.provenance.line = u.line;
          ref.provenance.clause = u.clause;
          ref.provenance.rules = {rules.Find(rule) ? rules.Find(rule)->Ref(rules.hash()) : rule};
          if (!men.rule.empty() && men.rule != rule)
            ref.provenance.rules.push_back(rules.Find(men.rule)->Ref(rules.hash()));
        }
      }
    }
  }
  std::vector<Reference> out;
  for (const std::string& n : order) out.push_back(std::move(by_number[n]));
  return out;
}

}  // namespace plantrace
