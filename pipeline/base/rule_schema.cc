// The schema of every rule family: which keys the code reads, with their
// value types. The table is the contract between rules/*.rules and the code
// that reads them; a key the code reads must be listed here.
#include "pipeline/base/rule_schema.h"

#include <algorithm>
#include <charconv>
#include <initializer_list>
#include <string_view>
#include <vector>

#include "pipeline/base/text_util.h"

namespace plantrace {
namespace {

enum class Type {
  kText,     // any text
  kPattern,  // an RE2 pattern (compiled by the parser)
  kInt,      // a whole number
  kNumber,   // a decimal number
  kOneOf,    // one of the words in `values`
  kWords,    // words, each one of `values` ("groups: raw month year")
  kPairs,    // name=value words ("fixed: month=1 month2=6")
};

struct Key {
  std::string_view name;
  Type type;
  std::string_view values = {};  // for kOneOf / kWords: space-separated
  bool required = false;
};

struct Family {
  std::string_view family;  // the id's first part
  std::initializer_list<Key> keys;
};

constexpr std::string_view kRoles =
    "other number code title name lead coord output deadline funding indicator unit target monitor";
constexpr std::string_view kRelations = "supersedes amends repeals implements based_on cites";
constexpr std::string_view kDeadlineKinds =
    "date month quarter year range recurring ongoing open_from conditional";
constexpr std::string_view kDeadlineParts =
    "- raw day month year day2 month2 year2 quarter quarter2 after_days after_months before_year";

const Key kPatternKey{"pattern", Type::kPattern};

// Every family and its keys besides pattern, example and negative.
const Family kFamilies[] = {
    {"agency",
     {kPatternKey, {"head_pattern", Type::kPattern}, {"replaces", Type::kOneOf, "item"}, {"kind", Type::kText},
      {"weight", Type::kOneOf, "full head"}, {"only", Type::kOneOf, "first sentence"}}},
    {"appendix", {kPatternKey}},
    {"cell", {kPatternKey, {"fold", Type::kOneOf, "yes no"}}},
    {"column",
     {kPatternKey, {"role", Type::kOneOf, kRoles, true}, {"beside_content", Type::kOneOf, kRoles},
      {"content", Type::kOneOf, "yes no"}, {"in_indicator_table", Type::kOneOf, kRoles}}},
    {"count", {kPatternKey}},
    {"deadline",
     {kPatternKey, {"kind", Type::kOneOf, kDeadlineKinds, true}, {"groups", Type::kWords, kDeadlineParts},
      {"find", Type::kOneOf, "yes no"}, {"every", Type::kOneOf, "year quarter month week"},
      {"tail", Type::kOneOf, "yes no"}, {"fixed", Type::kPairs}}},
    {"decode",
     {{"map", Type::kText, {}, true}, {"min_count", Type::kInt}, {"min_share", Type::kNumber},
      {"max_unicode_share", Type::kNumber}}},
    {"docnumber", {kPatternKey, {"keep_spaces", Type::kOneOf, "yes no"}}},
    {"doctitle", {kPatternKey, {"type", Type::kText, {}, true}, {"not_after_pattern", Type::kPattern}}},
    {"doctype", {kPatternKey, {"type", Type::kText, {}, true}}},
    {"furniture", {kPatternKey}},
    {"group", {kPatternKey}},
    {"heading", {kPatternKey, {"style", Type::kText, {}, true}}},
    {"identity",
     {kPatternKey, {"relation", Type::kOneOf, "corrects reissues"}, {"short", Type::kText}, {"long", Type::kText}}},
    {"link", {kPatternKey, {"kinds", Type::kText}}},
    {"meta", {kPatternKey, {"field", Type::kText}, {"map", Type::kText}}},
    {"prose",
     {kPatternKey, {"strong", Type::kOneOf, "yes no"}, {"field", Type::kText}, {"not_after_pattern", Type::kPattern},
      {"not_pattern", Type::kPattern}, {"issuer_kind", Type::kText}}},
    {"refdate", {kPatternKey}},
    {"refscope",
     {kPatternKey, {"relation", Type::kOneOf, kRelations}, {"scope", Type::kText},
      {"blocker_pattern", Type::kPattern}}},
    {"reftype", {kPatternKey}},
    {"ocr", {kPatternKey, {"join", Type::kText}}},
    {"relation",
     {kPatternKey, {"relation", Type::kOneOf, kRelations, true}, {"strength", Type::kInt, {}, true},
      {"blocker_pattern", Type::kPattern}, {"not_after_pattern", Type::kPattern}, {"max_words", Type::kInt}}},
    {"reading",
     {{"score", Type::kInt, {}, true}, {"tables", Type::kOneOf, "yes no"},
      {"format", Type::kOneOf, "docx html markdown pdf text ocr"}}},
    {"relation_after",
     {kPatternKey, {"relation", Type::kOneOf, kRelations, true}, {"strength", Type::kInt, {}, true}}},
    {"signature", {kPatternKey}},
    {"syllable",
     {kPatternKey, {"kind", Type::kOneOf, "form exclude tone", true}, {"except_pattern", Type::kPattern},
      {"tones", Type::kWords, "ngang huyền sắc hỏi ngã nặng"}}},
    {"wrap", {kPatternKey}},
};

bool HasWord(std::string_view words, std::string_view w) {
  const std::vector<std::string> all = SplitWords(words);
  return std::find(all.begin(), all.end(), w) != all.end();
}

// True when `text` holds words and every one passes `ok`.
template <typename Fn>
bool AllWords(std::string_view text, Fn ok) {
  const std::vector<std::string> words = SplitWords(text);
  return !words.empty() && std::all_of(words.begin(), words.end(), ok);
}

// Why `value` is not of the key's type; "" when it is.
std::string TypeError(const Key& k, std::string_view value) {
  switch (k.type) {
    case Type::kText:
    case Type::kPattern:  // compiled (and reported) by the parser
      return value.empty() ? "empty value" : "";
    case Type::kInt: {
      long v = 0;
      auto [end, ec] = std::from_chars(value.data(), value.data() + value.size(), v);
      return ec == std::errc() && end == value.data() + value.size() ? "" : "'" + std::string(value) + "' is not a whole number";
    }
    case Type::kNumber: {
      double v = 0;
      auto [end, ec] = std::from_chars(value.data(), value.data() + value.size(), v);
      return ec == std::errc() && end == value.data() + value.size() ? "" : "'" + std::string(value) + "' is not a number";
    }
    case Type::kOneOf:
      return HasWord(k.values, value) ? "" : "'" + std::string(value) + "' is not one of: " + std::string(k.values);
    case Type::kWords:
      return AllWords(value, [&](std::string_view w) { return HasWord(k.values, w); })
                 ? ""
                 : "'" + std::string(value) + "' holds a word not among: " + std::string(k.values);
    case Type::kPairs:
      return AllWords(value, [](std::string_view w) { return w.find('=') != std::string_view::npos; })
                 ? ""
                 : "'" + std::string(value) + "' is not name=value words";
  }
  return "";
}

Status Fail(const Rule& r, int line, const std::string& why) {
  return Status::InvalidInput(r.file + ":" + std::to_string(line) + " " + r.id + ": " + why);
}

}  // namespace

Status CheckRuleSchema(const Rule& rule) {
  std::string_view family = std::string_view(rule.id).substr(0, rule.id.find('.'));
  const Family* spec = nullptr;
  for (const Family& f : kFamilies) {
    if (f.family == family) spec = &f;
  }
  if (!spec) return Fail(rule, rule.line, "unknown rule family '" + std::string(family) + "'");
  for (size_t i = 0; i < rule.fields.size(); ++i) {
    const auto& [name, value] = rule.fields[i];
    int line = i < rule.field_lines.size() ? rule.field_lines[i] : rule.line;
    const Key* key = nullptr;
    for (const Key& k : spec->keys) {
      if (k.name == name) key = &k;
    }
    if (!key) return Fail(rule, line, "unknown key '" + name + "' for a " + std::string(family) + ".* rule");
    if (std::string why = TypeError(*key, value); !why.empty()) return Fail(rule, line, name + ": " + why);
  }
  // A rule of negatives only (a family's shared counter-examples) reads no
  // keys; one that matches text needs its required keys.
  bool matches = !rule.patterns.empty() || !rule.Get("map").empty();
  for (const Key& k : spec->keys) {
    if (matches && k.required && rule.Get(k.name).empty()) {
      return Fail(rule, rule.line, "missing key '" + std::string(k.name) + "'");
    }
  }
  // A rule that names its groups must have that many.
  if (std::string groups = rule.Get("groups"); !groups.empty()) {
    const int named = static_cast<int>(SplitWords(groups).size());
    for (const Pattern& p : rule.patterns) {
      if (p.groups() < named) {
        return Fail(rule, rule.line,
                    "groups names " + std::to_string(named) + " groups; the pattern has " + std::to_string(p.groups()));
      }
    }
  }
  return Status::Ok();
}

}  // namespace plantrace
