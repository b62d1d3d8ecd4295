// The rule set: plain-text rule files under rules/ (format in
// rules/README.md), loaded and validated at run time, versioned by the
// SHA-256 of their content. The only file that includes RE2 is rules.cc;
// stages use Pattern.
#ifndef PLANTRACE_PIPELINE_BASE_RULES_H_
#define PLANTRACE_PIPELINE_BASE_RULES_H_

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "pipeline/base/status.h"

namespace plantrace {

// One regex match: byte offsets into the searched text and capture groups
// (std::nullopt for a group that did not take part).
struct Match {
  size_t begin = 0, end = 0;
  std::vector<std::optional<std::string>> groups;  // groups[0] is group 1
  std::vector<std::pair<size_t, size_t>> group_spans;  // (npos,npos) when absent
  const std::string& Group(size_t i, const std::string& fallback) const;
};

// A compiled RE2 pattern (UTF-8, linear time). Copyable handle.
// `re` with \p{L}, \p{Lu} and \p{Ll} (also \pL, \P{..}, \p{^..}) written as
// the ranges of those letters in the Latin, Greek and Cyrillic blocks: what
// rule patterns mean by a letter (rules/README.md), and far cheaper for RE2
// to compile than the whole Unicode category. Other classes stay as written.
std::string ExpandLetterClasses(std::string_view re);

class Pattern {
 public:
  static Result<Pattern> Compile(const std::string& re);
  bool FullMatch(std::string_view text, Match* m = nullptr) const;
  // First match at or after `from`.
  bool Find(std::string_view text, Match* m, size_t from = 0) const;
  std::vector<Match> FindAll(std::string_view text) const;
  const std::string& source() const { return source_; }
  // Number of capturing groups.
  int groups() const;
  bool valid() const { return impl_ != nullptr; }

 private:
  friend class RuleSet;
  struct Impl;
  std::shared_ptr<const Impl> impl_;
  std::string source_;
};

struct RuleExample {
  std::string input;
  std::string expected;  // text after "=>", trimmed; empty for negatives
  int line = 0;
};

// A block "[id]" with "key: value" lines. Keys may repeat.
struct Rule {
  std::string id;
  std::string file;  // file name inside rules/
  int line = 0;      // line of the "[id]" header
  std::vector<std::pair<std::string, std::string>> fields;
  std::vector<int> field_lines;  // the line of each field
  std::vector<RuleExample> examples;   // "example: input => expected"
  std::vector<RuleExample> negatives;  // "negative: input"
  std::vector<Pattern> patterns;       // every "pattern:" field, compiled
  // Fields named "<something>_pattern", compiled once at load.
  std::vector<std::pair<std::string, Pattern>> named_patterns;
  const Pattern* NamedPattern(std::string_view key) const;

  // First value of `key`, or `fallback`.
  std::string Get(std::string_view key, std::string fallback = "") const;
  std::vector<std::string> GetAll(std::string_view key) const;
  // "deadline.month@<hash prefix>": how provenance names a rule.
  std::string Ref(const std::string& hash) const;
};

// One row of a list file (*.list): "kind | canonical | alias | alias ...".
struct ListEntry {
  std::string file;
  int line = 0;
  std::string kind;
  std::string canonical;
  std::vector<std::string> aliases;
};

class RuleSet {
 public:
  RuleSet();
  // Move-only: the category index points into rules_, whose buffer a move
  // keeps and a copy would not.
  RuleSet(const RuleSet&) = delete;
  RuleSet& operator=(const RuleSet&) = delete;
  RuleSet(RuleSet&&) noexcept;
  RuleSet& operator=(RuleSet&&) noexcept;
  ~RuleSet();

  // Loads every *.rules and *.list file in `dir`. Errors name
  // "file:line id: reason".
  static Result<RuleSet> Load(const std::string& dir);
  // Builds a rule set from in-memory files (name -> content), for tests.
  static Result<RuleSet> FromFiles(const std::map<std::string, std::string>& files);

  const std::string& hash() const { return hash_; }  // hex SHA-256, 64 chars
  std::string short_hash() const { return hash_.substr(0, 12); }
  const std::vector<Rule>& rules() const { return rules_; }
  // Rules whose id is `prefix` or starts with `prefix` + ".", in file order.
  const std::vector<const Rule*>& Category(std::string_view prefix) const;
  const Rule* Find(std::string_view id) const;
  // The first rule of `family` (as Category) with a pattern found in `text`
  // / matching all of `text`; `m` gets the match. nullptr when none.
  const Rule* FindIn(std::string_view family, std::string_view text, Match* m = nullptr) const;
  const Rule* FullMatchIn(std::string_view family, std::string_view text, Match* m = nullptr) const;
  // Entries of the list file `name` (e.g. "agencies" for agencies.list).
  const std::vector<ListEntry>& List(std::string_view name) const;
  const std::map<std::string, std::vector<ListEntry>>& lists() const { return lists_; }

 private:
  // Looked up by string_view without making a string: the stages ask for a
  // family or a rule by name per line, hundreds of thousands of times on a
  // long plan (a std::map here was 1.3% of extracting the bench PDF).
  struct NameHash {
    using is_transparent = void;
    size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
  };
  template <typename V>
  using NameMap = std::unordered_map<std::string, V, NameHash, std::equal_to<>>;

  // A family's patterns as one RE2::Set each for FindIn and FullMatchIn,
  // built on first use (rules.cc says why).
  struct FamilySets;
  // Index in the family's patterns (rules in file order, then patterns in
  // order) of the first that may match `text`; -1 when none does; -2 when
  // the set cannot tell (then the patterns are run one by one).
  int FirstInFamily(std::string_view family, std::string_view text, bool whole) const;

  std::vector<Rule> rules_;
  // Every dotted prefix of every rule id -> its rules, in file order.
  NameMap<std::vector<const Rule*>> categories_;
  NameMap<std::unique_ptr<FamilySets>> family_sets_;
  NameMap<const Rule*> by_id_;
  std::map<std::string, std::vector<ListEntry>> lists_;
  std::string hash_;
};

// Where rules live: $PLANTRACE_RULES, else ./rules if present, else the
// source tree's rules/ (compiled in).
std::string DefaultRulesDir();

}  // namespace plantrace

#endif  // PLANTRACE_PIPELINE_BASE_RULES_H_
