// Column roles from header text, and the cell cues (rules/columns.rules)
// that the flattened-table rebuilder uses to place cells by meaning.
#include "pipeline/base/columns.h"

#include <array>
#include <utility>

#include "pipeline/base/unicode.h"

namespace plantrace {
namespace {

constexpr std::array<std::pair<ColumnRole, const char*>, 14> kRoleNames = {{
    {ColumnRole::kOther, "other"},
    {ColumnRole::kNumber, "number"},
    {ColumnRole::kCode, "code"},
    {ColumnRole::kTitle, "title"},
    {ColumnRole::kName, "name"},
    {ColumnRole::kLead, "lead"},
    {ColumnRole::kCoord, "coord"},
    {ColumnRole::kOutput, "output"},
    {ColumnRole::kDeadline, "deadline"},
    {ColumnRole::kFunding, "funding"},
    {ColumnRole::kIndicator, "indicator"},
    {ColumnRole::kUnit, "unit"},
    {ColumnRole::kTarget, "target"},
    {ColumnRole::kMonitor, "monitor"},
}};

const Rule* FindRule(const RuleSet& rules, std::string_view id) { return rules.Find(id); }

}  // namespace

const char* ColumnRoleName(ColumnRole r) {
  for (const auto& [role, name] : kRoleNames) {
    if (role == r) return name;
  }
  return "other";
}

bool ParseColumnRole(std::string_view name, ColumnRole* out) {
  for (const auto& [role, n] : kRoleNames) {
    if (name == n) {
      *out = role;
      return true;
    }
  }
  return false;
}

std::string HeaderKey(std::string_view header_text) {
  std::string key = MatchKey(CollapseSpaces(header_text));
  while (!key.empty() && (key.back() == ':' || key.back() == '.' || key.back() == '|' || key.back() == ' ')) {
    key.pop_back();
  }
  while (!key.empty() && (key.front() == '|' || key.front() == ' ')) key.erase(0, 1);
  return key;
}

ColumnRole ClassifyHeader(std::string_view header_text, const RuleSet& rules, std::string* rule_id) {
  if (rule_id) rule_id->clear();
  std::string key = HeaderKey(header_text);
  if (key.empty()) return ColumnRole::kOther;
  for (const Rule* r : rules.Category("column")) {
    for (const Pattern& p : r->patterns) {
      if (!p.FullMatch(key)) continue;
      ColumnRole role = ColumnRole::kOther;
      ParseColumnRole(r->Get("role", "other"), &role);
      if (rule_id) *rule_id = r->id;
      return role;
    }
  }
  return ColumnRole::kOther;
}

std::vector<ColumnRole> ClassifyHeaderRow(const std::vector<std::string>& headers, const RuleSet& rules,
                                          std::vector<std::string>* rule_ids) {
  std::vector<ColumnRole> roles(headers.size(), ColumnRole::kOther);
  std::vector<std::string> ids(headers.size());
  std::vector<const Rule*> used(headers.size(), nullptr);
  for (size_t i = 0; i < headers.size(); ++i) {
    roles[i] = ClassifyHeader(headers[i], rules, &ids[i]);
    if (!ids[i].empty()) used[i] = FindRule(rules, ids[i]);
  }
  bool indicator = false, content = false;
  for (size_t i = 0; i < roles.size(); ++i) {
    if (roles[i] == ColumnRole::kIndicator) indicator = true;
    if (used[i] && used[i]->Get("content") == "yes") content = true;
  }
  for (size_t i = 0; i < roles.size(); ++i) {
    if (!used[i]) continue;
    std::string alt;
    if (indicator) alt = used[i]->Get("in_indicator_table");
    if (alt.empty() && content && used[i]->Get("content") != "yes") alt = used[i]->Get("beside_content");
    ColumnRole r;
    if (!alt.empty() && ParseColumnRole(alt, &r)) roles[i] = r;
  }
  if (rule_ids) *rule_ids = std::move(ids);
  return roles;
}

bool MatchCellCue(const RuleSet& rules, std::string_view cue, std::string_view text, Match* m) {
  const Rule* r = FindRule(rules, "cell." + std::string(cue));
  return r != nullptr && MatchCellRule(*r, text, m);
}

bool MatchCellRule(const Rule& rule, std::string_view text, Match* m) {
  bool fold = rule.Get("fold") == "yes";
  return MatchCellRule(rule, text, fold ? CellKey(text) : std::string(), m);
}

bool MatchCellRule(const Rule& rule, std::string_view text, std::string_view key, Match* m) {
  const bool fold = rule.Get("fold") == "yes";
  std::string collapsed = fold ? std::string() : CollapseSpaces(text);
  const std::string_view t = fold ? key : std::string_view(collapsed);
  for (const Pattern& p : rule.patterns) {
    if (p.Find(t, m)) return true;
  }
  return false;
}

std::string CellKey(std::string_view text) { return MatchKey(CollapseSpaces(text)); }

}  // namespace plantrace
