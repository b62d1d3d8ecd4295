// Walks every rule file in rules/: the set loads, every rule carries
// examples, every pattern compiled, and the examples of the families this
// test knows (deadline.*, agency.*, agencies.list) hold. Other families'
// examples are run by their owners' tests (syllable.*: syllables_test.cc;
// ocr.*: ocr_repair_test.cc).
#include <gtest/gtest.h>

#include <filesystem>
#include <set>

#include "pipeline/base/rules.h"
#include "pipeline/stages/agency.h"
#include "pipeline/stages/deadline.h"
#include "tests/test_util.h"

namespace plantrace {
namespace {

using ::plantrace::testing::Rules;
using ::plantrace::testing::SourceDir;

bool InFamily(const Rule& r, std::string_view family) {
  return r.id == family || (r.id.size() > family.size() && r.id.compare(0, family.size(), family) == 0 &&
                            r.id[family.size()] == '.');
}

TEST(Rules, EveryFileLoadsAndContributes) {
  namespace fs = std::filesystem;
  std::set<std::string> files;
  for (const Rule& r : Rules().rules()) files.insert(r.file);
  for (const auto& [name, entries] : Rules().lists()) {
    if (!entries.empty()) files.insert(name + ".list");
  }
  int seen = 0;
  for (const auto& entry : fs::directory_iterator(SourceDir() + "/rules")) {
    std::string name = entry.path().filename().string();
    if (!name.ends_with(".rules") && !name.ends_with(".list")) continue;
    ++seen;
    SCOPED_TRACE(name);
    EXPECT_TRUE(files.count(name)) << "file holds no rule or entry";
  }
  EXPECT_GT(seen, 0);
  EXPECT_EQ(Rules().hash().size(), 64u);
}

TEST(Rules, EveryRuleHasExamplesAndCompiledPatterns) {
  for (const Rule& r : Rules().rules()) {
    SCOPED_TRACE(r.file + ":" + std::to_string(r.line) + " " + r.id);
    EXPECT_FALSE(r.examples.empty() && r.negatives.empty()) << "no example";
    EXPECT_EQ(r.patterns.size(), r.GetAll("pattern").size());
    for (const Pattern& p : r.patterns) EXPECT_TRUE(p.valid()) << p.source();
    for (const RuleExample& ex : r.examples) {
      EXPECT_FALSE(ex.input.empty()) << "line " << ex.line << ": empty example input";
    }
  }
}

TEST(Rules, DeadlineFamily) {
  int checked = 0;
  for (const Rule& r : Rules().rules()) {
    if (!InFamily(r, "deadline")) continue;
    SCOPED_TRACE(r.file + ":" + std::to_string(r.line) + " " + r.id);
    if (!r.patterns.empty()) {
      static const std::set<std::string> kKinds = {"date", "month", "quarter", "year", "range",
                                                   "recurring", "ongoing", "open_from", "conditional"};
      EXPECT_TRUE(kKinds.count(r.Get("kind"))) << "kind '" << r.Get("kind") << "'";
      EXPECT_FALSE(r.examples.empty()) << "a pattern rule needs examples";
    }
    for (const RuleExample& ex : r.examples) {
      SCOPED_TRACE("line " + std::to_string(ex.line));
      EXPECT_EQ(CheckDeadlineExample(r, ex, Rules()), "") << ex.input;
      ++checked;
    }
    for (const RuleExample& neg : r.negatives) {
      SCOPED_TRACE("line " + std::to_string(neg.line));
      EXPECT_EQ(CheckDeadlineNegative(neg, Rules()), "") << neg.input;
      ++checked;
    }
  }
  EXPECT_GT(checked, 0);
}

TEST(Rules, AgencyFamily) {
  Gazetteer g(Rules());
  int checked = 0;
  for (const Rule& r : Rules().rules()) {
    if (!InFamily(r, "agency")) continue;
    SCOPED_TRACE(r.file + ":" + std::to_string(r.line) + " " + r.id);
    for (const RuleExample& ex : r.examples) {
      SCOPED_TRACE("line " + std::to_string(ex.line));
      EXPECT_EQ(CheckAgencyExample(r, ex, g, Rules()), "") << ex.input;
      ++checked;
    }
    for (const RuleExample& neg : r.negatives) {
      SCOPED_TRACE("line " + std::to_string(neg.line));
      EXPECT_EQ(CheckAgencyNegative(neg, g), "") << neg.input;
      ++checked;
    }
  }
  // Each alias of the gazetteer is an example of its row.
  for (const ListEntry& e : Rules().List("agencies")) {
    SCOPED_TRACE(e.file + ":" + std::to_string(e.line));
    EXPECT_FALSE(e.kind.empty());
    for (const std::string& alias : e.aliases) {
      const ListEntry* got = g.Lookup(alias);
      EXPECT_TRUE(got && got->canonical == e.canonical) << alias;
      ++checked;
    }
  }
  EXPECT_GT(checked, 0);
}

}  // namespace
}  // namespace plantrace

namespace plantrace {
namespace {

// The rules' schema (pipeline/base/rule_schema.cc): a rule file with a mistake
// does not load, and the reason names the file, the line and the rule.
std::string LoadError(const std::string& rule_text) {
  auto rs = RuleSet::FromFiles({{"t.rules", rule_text}});
  return rs.ok() ? "" : rs.status().message();
}

TEST(RuleSchema, MisspeltKey) {
  EXPECT_EQ(LoadError("[deadline.x]\npattern: (\\d{4})\nkind: year\ngrups: year\nexample: 2025 => year 2025-01-01 2025-12-31\n"),
            "t.rules:4 deadline.x: unknown key 'grups' for a deadline.* rule");
}

TEST(RuleSchema, WordWhereANumberBelongs) {
  EXPECT_EQ(LoadError("[relation.x]\npattern: thay thế\nrelation: supersedes\nstrength: high\nexample: thay thế => supersedes\n"),
            "t.rules:4 relation.x: strength: 'high' is not a whole number");
}

TEST(RuleSchema, MissingRequiredKey) {
  EXPECT_EQ(LoadError("[column.x]\npattern: (?i)ghi chú\nexample: Ghi chú => other\n"),
            "t.rules:1 column.x: missing key 'role'");
}

TEST(RuleSchema, ValueOutsideItsSet) {
  EXPECT_EQ(LoadError("[deadline.x]\npattern: (\\d{4})\nkind: yearly\nexample: 2025 => year\n"),
            "t.rules:3 deadline.x: kind: 'yearly' is not one of: date month quarter year range recurring ongoing "
            "open_from conditional");
}

TEST(RuleSchema, UnknownFamilyAndTooManyGroupNames) {
  EXPECT_EQ(LoadError("[deadlne.x]\npattern: x\nexample: x => x\n"), "t.rules:1 deadlne.x: unknown rule family 'deadlne'");
  EXPECT_EQ(LoadError("[deadline.x]\npattern: (\\d{4})\nkind: year\ngroups: year year2\nexample: 2025 => year\n"),
            "t.rules:1 deadline.x: groups names 2 groups; the pattern has 1");
}

}  // namespace
}  // namespace plantrace

namespace plantrace {
namespace {

// Rule letter classes are the Latin, Greek and Cyrillic letters, written
// out as ranges (cheap for RE2); everything else about the pattern is kept.
TEST(RuleLetters, ExpandedClassesMatchLikeTheCategory) {
  auto letter = Pattern::Compile("^\\p{L}+$");
  auto upper = Pattern::Compile("^\\p{Lu}\\p{Ll}+$");
  auto not_letter = Pattern::Compile("^[^\\p{L}\\d]+$");
  auto negated = Pattern::Compile("^\\P{L}+$");
  auto short_form = Pattern::Compile("^\\pL+$");
  ASSERT_TRUE(letter.ok() && upper.ok() && not_letter.ok() && negated.ok() && short_form.ok());
  for (const char* word : {"Nghị", "quyết", "ĐẢNG", "Ủy", "ban", "ưu", "ỹ", "Ωmega", "Москва"}) {
    EXPECT_TRUE(letter->FullMatch(word)) << word;
    EXPECT_TRUE(short_form->FullMatch(word)) << word;
    EXPECT_FALSE(negated->FullMatch(word)) << word;
  }
  EXPECT_TRUE(upper->FullMatch("Đường"));
  EXPECT_TRUE(upper->FullMatch("Ủy"));
  EXPECT_FALSE(upper->FullMatch("đường"));
  EXPECT_FALSE(upper->FullMatch("ĐƯỜNG"));
  EXPECT_TRUE(not_letter->FullMatch(" -/.,;()–"));
  EXPECT_FALSE(not_letter->FullMatch("a"));
  EXPECT_FALSE(not_letter->FullMatch("7"));
  EXPECT_TRUE(negated->FullMatch("12/2025 - "));
  EXPECT_EQ(letter->source(), "^\\p{L}+$");  // shown as written
}

TEST(RuleLetters, OnlyLetterClassesAreRewritten) {
  EXPECT_EQ(ExpandLetterClasses("a\\d\\s\\.\\\\p{L}"), "a\\d\\s\\.\\\\p{L}");  // an escaped backslash, then text
  EXPECT_EQ(ExpandLetterClasses("\\p{Greek}\\pN\\Q\\p{L}\\E"), "\\p{Greek}\\pN\\Q\\p{L}\\E");
  EXPECT_EQ(ExpandLetterClasses("[^\\P{L}]"), "[^\\P{L}]");  // a negated class inside a class: as written
  const std::string outside = ExpandLetterClasses("x\\p{L}y");
  EXPECT_EQ(outside.substr(0, 2), "x[");
  EXPECT_EQ(outside.back(), 'y');
  const std::string inside = ExpandLetterClasses("[.\\p{Lu}]");
  EXPECT_EQ(inside.substr(0, 2), "[.");
  EXPECT_EQ(inside.find('[', 1), std::string::npos);  // the ranges join the class
  EXPECT_EQ(ExpandLetterClasses("[]\\p{L}]").find("[]\\x{41}-\\x{5A}"), 0u);  // ']' first is literal
  EXPECT_EQ(ExpandLetterClasses("[[:alpha:]\\p{Ll}]").find("[[:alpha:]\\x{61}"), 0u);
}

}  // namespace
}  // namespace plantrace
