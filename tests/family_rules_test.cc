// Runs the examples and negatives of the structure, document-type,
// reference and prose rule families (rules/structure.rules,
// doctypes.rules, references.rules, prose.rules) against their patterns.
#include <gtest/gtest.h>

#include <algorithm>
#include <cctype>

#include "pipeline/base/unicode.h"
#include "pipeline/stages/agency.h"
#include "pipeline/stages/header.h"
#include "pipeline/stages/normalize.h"
#include "pipeline/stages/segment.h"
#include "tests/test_util.h"

namespace plantrace {
namespace {

bool StartsWith(const std::string& s, const char* p) { return s.rfind(p, 0) == 0; }

bool FindAny(const Rule& r, const std::string& text, Match* m) {
  // A rule's not_pattern vetoes its patterns (prose.agency_head: "Ban hành").
  if (const Pattern* veto = r.NamedPattern("not_pattern"); veto && veto->Find(text, nullptr)) return false;
  for (const Pattern& p : r.patterns) {
    if (p.Find(text, m)) return true;
  }
  return false;
}

std::string Strip(std::string s) {
  while (!s.empty() && std::string(" ,;:.").find(s.back()) != std::string::npos) s.pop_back();
  return s;
}

// What one example of rule `r` yields, in the notation of its EXPECTED side.
std::string Apply(const Rule& r, const std::string& in) {
  Match m;
  const std::string& id = r.id;
  if (StartsWith(id, "heading.")) {
    std::string style, label, rest, marker;
    if (!MatchMarker(in, testing::Rules(), &style, &label, &rest, &marker)) return "no match";
    return style + "|" + label + "|" + rest;
  }
  if (id == "meta.issuer_case") return IssuerCase(in, testing::Rules());
  // An issuer and the kind of agency it is read as.
  if (id == "prose.name_as_printed") return Gazetteer(testing::Rules()).Classify(in).kind;
  if (!FindAny(r, in, &m)) return "no match";
  auto g = [&](size_t i) { return m.Group(i, ""); };
  if (id == "appendix.heading") return g(1).empty() ? g(2) : g(1);
  if (StartsWith(id, "doctype.")) return r.Get("type");
  if (id == "meta.number") return "number=" + NormalizeDocNumber(g(1));
  if (id == "meta.caption") {
    std::optional<CaptionFields> c = ReadCaption(in, testing::Rules());
    if (!c) return "unreadable";
    return "type=" + c->type + ";number=" + c->number + ";date=" + c->date + ";issuer=" + c->issuer;
  }
  if (id == "meta.place_date") {
    char date[16];
    std::snprintf(date, sizeof date, "%04d-%02d-%02d", std::stoi(g(4)), std::stoi(g(3)), std::stoi(g(2)));
    return "place=" + CollapseSpaces(g(1)) + ";date=" + date;
  }
  if (id == "meta.issuing_sentence" || id == "meta.issuer_line") return "issuer=" + g(1);
  if (StartsWith(id, "docnumber.")) {
    if (r.Get("keep_spaces") == "yes") return CollapseSpaces(Strip(g(1)));
    std::string n = in.substr(m.begin, m.end - m.begin);
    while (!n.empty() && !std::isalnum(static_cast<unsigned char>(n.back())) &&
           static_cast<unsigned char>(n.back()) < 0x80) {
      n.pop_back();
    }
    std::erase(n, ' ');
    return n;
  }
  if (StartsWith(id, "refdate.")) {
    char date[16];
    std::snprintf(date, sizeof date, "%04d-%02d-%02d", std::stoi(g(3)), std::stoi(g(2)), std::stoi(g(1)));
    return date;
  }
  if (StartsWith(id, "relation") || StartsWith(id, "refscope.paragraph.") || id == "refscope.leadin") return r.Get("relation");
  if (id == "refscope.part" || StartsWith(id, "reftype.") || StartsWith(id, "doctitle.") || id == "group.year" || StartsWith(id, "count.") ||
      id == "prose.lead_field" || id == "prose.coord_field" || id == "furniture.signer") {
    return Strip(g(1));
  }
  if (StartsWith(id, "prose.field.")) return r.Get("field") + "=" + Strip(g(1));
  if (StartsWith(id, "prose.predicate") || id == "prose.coord_end") {
    // The first match the rule's not_after_pattern does not rule out.
    if (const Pattern* not_after = r.NamedPattern("not_after_pattern")) {
      for (const Pattern& p : r.patterns) {
        Match e;
        for (size_t from = 0; p.Find(std::string_view(in).substr(from), &e); from += e.begin + 1) {
          if (!not_after->Find(std::string_view(in).substr(0, from + e.begin), nullptr)) {
            m.begin = from + e.begin;
            break;
          }
        }
      }
    }
    std::string before = in.substr(0, m.begin);
    const std::string intro = "phối hợp với ";
    if (size_t p = before.find(intro); p != std::string::npos) before = before.substr(p + intro.size());
    return Strip(before);
  }
  return "yes";
}

TEST(FamilyRulesTest, ExamplesAndNegatives) {
  const char* families[] = {"heading", "appendix", "meta", "signature", "doctype", "docnumber", "doctitle", "refdate",
                            "relation", "relation_after", "refscope", "reftype", "prose", "group", "count", "furniture",
                            "wrap"};
  int checked = 0;
  for (const char* f : families) {
    for (const Rule* r : testing::Rules().Category(f)) {
      for (const RuleExample& ex : r->examples) {
        SCOPED_TRACE(r->file + ":" + std::to_string(ex.line) + " " + r->id);
        EXPECT_EQ(Apply(*r, ex.input), ex.expected);
        ++checked;
      }
      for (const RuleExample& neg : r->negatives) {
        SCOPED_TRACE(r->file + ":" + std::to_string(neg.line) + " " + r->id + " (negative)");
        Match m;
        if (r->id == "prose.name_as_printed") {
          EXPECT_NE(Apply(*r, neg.input), r->Get("issuer_kind"));
        } else if (StartsWith(r->id, "heading.") || StartsWith(r->id, "wrap.")) {  // whole lines
          bool any = false;
          for (const Pattern& p : r->patterns) any |= p.FullMatch(neg.input);
          EXPECT_FALSE(any);
        } else {
          EXPECT_FALSE(FindAny(*r, neg.input, &m));
        }
      }
    }
  }
  EXPECT_GT(checked, 50);
}

}  // namespace
}  // namespace plantrace
