// Agency splitting and canonicalisation for the extract stage: a lead or
// coordinating-agency cell becomes a list of Agency items, each resolved
// against the gazetteer (rules/agencies.list) and the patterns of rules/agency.rules.
#ifndef PLANTRACE_PIPELINE_STAGES_AGENCY_H_
#define PLANTRACE_PIPELINE_STAGES_AGENCY_H_

#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "pipeline/base/rules.h"
#include "pipeline/stages/record.h"

namespace plantrace {

// How strongly a piece of text is known to name an agency.
enum class AgencyTier {
  kNone,  // not an agency
  kHead,  // starts with an agency head word ("Sở ...", "Trung tâm ...")
  kFull,  // a gazetteer name or a collective ("Các sở, ban, ngành")
};

// Where a list of agencies is printed. A sentence's subject may name one set
// across a comma that a table cell uses between two addressees (rules with
// `only: sentence`).
enum class AgencyText { kCell, kSentence };

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
  // The gazetteer of `rules`, built once per rule set content (by hash) and
  // shared: building it folds every name and alias, which cost as much as
  // extracting a short plan. It holds copies, so it outlives `rules`.
  static std::shared_ptr<const Gazetteer> For(const RuleSet& rules);

  // The list entry whose canonical name or alias matches `printed` folded
  // (case, spacing, punctuation, tone placement), also after dropping a
  // trailing place name ("Công an tỉnh Nghệ An"). nullptr when none.
  const ListEntry* Lookup(std::string_view printed) const;
  // Agency with `printed` kept; canonical/kind/known from the gazetteer, or
  // kind from a collective (known) or head pattern (not known).
  Agency Resolve(std::string_view printed, AgencyText where = AgencyText::kCell) const;
  // How `printed` (one item, already without role phrases) is recognised.
  // Rules with `only: first` apply only when the item opens its cell part,
  // rules with `only: sentence` only in running text.
  AgencyMatch Classify(std::string_view printed, bool opens_part = true,
                       AgencyText where = AgencyText::kCell) const;

  // The entry whose name or alias is within a small edit distance of
  // `printed` once both are folded without diacritics ("Báo và Phát thành.
  // truyền hình tỉnh"): at most 0, 1 or 2 edits for names under 8, under 20
  // and from 20 letters, the first word equal. nullptr when none, or when
  // two entries are equally near.
  const ListEntry* LookupNear(std::string_view printed) const;

  // The province or city (rules/places.list) `text` ends with, canonical
  // ("Ủy ban nhân dân tỉnh Bắc Ninh" -> "Bắc Ninh"); "" when none. `*begin`
  // gets the byte offset where the name starts in the trimmed text.
  std::string TrailingPlace(std::string_view text, size_t* begin = nullptr) const;

  // The province a plan is issued in: "" when its issuer is a national body;
  // else the province its issuer ends with, the place when that is a
  // province, the place as printed, or "".
  std::string IssuingProvince(const std::optional<std::string>& place,
                              const std::optional<std::string>& issuer) const;

  // True for kinds of national bodies (ministry, government, central).
  static bool IsNationalKind(std::string_view kind);

  // The folded key lookups compare.
  static std::string Key(std::string_view s);

 private:
  struct NearKey {
    std::string folded;  // SearchKey of a name or alias
    size_t entry;
  };
  const ListEntry* LookupIn(std::string_view clean) const;

  std::vector<ListEntry> entries_;
  std::unordered_map<std::string, size_t> index_;  // Key(name or alias) -> entries_
  std::vector<NearKey> near_;
  std::vector<ListEntry> places_;
  std::vector<std::pair<std::string, size_t>> place_keys_;  // SearchKey of a place name -> places_
  std::vector<Rule> qualifiers_;
  std::vector<Rule> collectives_;
  std::vector<Rule> heads_;
};

// Splits a lead/coord cell into agencies. A separator (rules: agency.separator,
// agency.separator.hard, agency.boundary) splits only where each piece is an
// agency, so collectives with commas and names with "và" stay one item; role
// phrases (agency.role) are dropped from the items. Items keep their printed
// spelling; empty cells give no items.
std::vector<Agency> SplitAgencies(std::string_view cell, const Gazetteer& g, const RuleSet& rules,
                                  AgencyText where = AgencyText::kCell);

// Removes the role phrases of agency.role from one item.
std::string StripAgencyRoles(std::string_view item, const RuleSet& rules);

// Runs one example of an agency.* rule (meaning per family in
// rules/agency.rules). Returns "" when it holds, else why not.
std::string CheckAgencyExample(const Rule& rule, const RuleExample& ex, const Gazetteer& g,
                               const RuleSet& rules);
// A negative of an agency.* rule: "" when the text is not an agency at all.
std::string CheckAgencyNegative(const RuleExample& neg, const Gazetteer& g);

}  // namespace plantrace

#endif  // PLANTRACE_PIPELINE_STAGES_AGENCY_H_
