// Agency splitting and canonicalisation for the extract stage: a lead or
// coordinating-agency cell becomes a list of Agency items, each resolved
// against the gazetteer (rules/agencies.list) and the patterns of rules/agency.rules.
#ifndef PLANTRACE_PIPELINE_AGENCY_H_
#define PLANTRACE_PIPELINE_AGENCY_H_

#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "pipeline/record.h"
#include "pipeline/rules.h"

namespace plantrace {

// How strongly a piece of text is known to name an agency.
enum class AgencyTier {
  kNone,  // not an agency
  kHead,  // starts with an agency head word ("Sở ...", "Trung tâm ...")
  kFull,  // a gazetteer name or a collective ("Các sở, ban, ngành")
};

struct AgencyMatch {
  AgencyTier tier = AgencyTier::kNone;
  std::string kind;
  std::string canonical;  // gazetteer canonical name; empty otherwise
  std::string rule;       // rule id or "agencies.list:<line>"
};

class Gazetteer {
 public:
  // Built from rules/agencies.list plus the agency.qualifier,
  // agency.collective.* and agency.head.* rules.
  explicit Gazetteer(const RuleSet& rules);

  // The list entry whose canonical name or alias matches `printed` folded
  // (case, spacing, punctuation, tone placement), also after dropping a
  // trailing place name ("Công an tỉnh Nghệ An"). nullptr when none.
  const ListEntry* Lookup(std::string_view printed) const;
  // Agency with `printed` kept; canonical/kind/known from the gazetteer, or
  // kind from a collective (known) or head pattern (not known).
  Agency Resolve(std::string_view printed) const;
  // How `printed` (one item, already without role phrases) is recognised.
  // Rules with `only: first` apply only when the item opens its cell part.
  AgencyMatch Classify(std::string_view printed, bool opens_part = true) const;

  // The folded key lookups compare.
  static std::string Key(std::string_view s);

 private:
  std::vector<ListEntry> entries_;
  std::unordered_map<std::string, size_t> index_;  // Key(name or alias) -> entries_
  std::vector<Rule> qualifiers_;
  std::vector<Rule> collectives_;
  std::vector<Rule> heads_;
};

// Splits a lead/coord cell into agencies. A separator (rules: agency.separator,
// agency.separator.hard, agency.boundary) splits only where each piece is an
// agency, so collectives with commas and names with "và" stay one item; role
// phrases (agency.role) are dropped from the items. Items keep their printed
// spelling; empty cells give no items.
std::vector<Agency> SplitAgencies(std::string_view cell, const Gazetteer& g, const RuleSet& rules);

// Removes the role phrases of agency.role from one item.
std::string StripAgencyRoles(std::string_view item, const RuleSet& rules);

// Runs one example of an agency.* rule (meaning per family in
// rules/agency.rules). Returns "" when it holds, else why not.
std::string CheckAgencyExample(const Rule& rule, const RuleExample& ex, const Gazetteer& g,
                               const RuleSet& rules);
// A negative of an agency.* rule: "" when the text is not an agency at all.
std::string CheckAgencyNegative(const RuleExample& neg, const Gazetteer& g);

}  // namespace plantrace

#endif  // PLANTRACE_PIPELINE_AGENCY_H_
