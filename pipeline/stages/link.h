// Link: what ties stored plans together. Before a load, FindLinkFacts reads
// a document's normalised lines for citations (number, date, issuer, title)
// and for sentences that carry an older plan's tasks over. After each load
// the store hands everything stored to ResolveLinks (document identity,
// relations, status) and each related pair of plans to MatchTasks (task
// lineage). Pure functions of their inputs: the result never depends on the
// order documents arrived in, nor on row ids beyond naming them.
#ifndef PLANTRACE_PIPELINE_STAGES_LINK_H_
#define PLANTRACE_PIPELINE_STAGES_LINK_H_

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "pipeline/base/rules.h"
#include "pipeline/base/status.h"
#include "pipeline/stages/doctree.h"

namespace plantrace {

// ------------------------------------------------------------ facts

// A document number printed in the text with what follows it:
// "Kế hoạch số 386-KH/TU ngày 13/02/2025 của Ban Thường vụ Tỉnh ủy Hưng Yên
// thực hiện Nghị quyết số 57-NQ/TW ..." gives issuer "Ban Thường vụ Tỉnh ủy
// Hưng Yên" and title "thực hiện Nghị quyết số 57-NQ/TW ...".
struct Citation {
  std::string number_key;  // DocNumberKey
  std::optional<std::string> date;
  std::string issuer;  // "" when not printed
  std::string title;   // "" when not printed
  int page = 0;
  int line = 0;
};

// "Các nhiệm vụ đã thực hiện theo Kế hoạch số 44/KH-UBND tiếp tục được
// triển khai ...": the tasks of 44/KH-UBND go on under this document.
struct Carryover {
  std::string number_key;
  std::string sentence;
  int page = 0;
  int line = 0;
  std::string rule;  // rule id
};

struct LinkFacts {
  std::vector<Citation> citations;  // with a title or an issuer, in text order
  std::vector<Carryover> carryovers;
};

// The link.* rules of rules/links.rules plus the docnumber.* and refdate.*
// rules the reference extractor uses.
class LinkRules {
 public:
  static Result<LinkRules> Load(const RuleSet& rules);

  // Gazetteer kinds a collective agency's printed text binds, sorted.
  std::vector<std::string> CoveredKinds(std::string_view collective) const;

  // Runs one example / negative of a link.* rule (meaning per family in
  // rules/links.rules). "" when it holds, else why not.
  std::string CheckExample(const Rule& rule, const RuleExample& ex) const;
  std::string CheckNegative(const Rule& rule, const RuleExample& neg) const;

 private:
  friend LinkFacts FindLinkFacts(const std::vector<SourceLine>& lines, const LinkRules& rules);
  struct Tail {
    std::string issuer, title;
    bool matched = false;
  };
  // Issuer and title of the text after a cited number (date already removed).
  Tail ParseTail(std::string_view text) const;
  // Length of `text` before the first citation end marker.
  size_t TailEnd(std::string_view text) const;

  std::vector<Pattern> numbers_;
  std::vector<Pattern> dates_;
  Pattern tail_;
  Pattern end_;
  std::vector<std::pair<std::string, Pattern>> carryovers_;  // rule id, pattern
  std::vector<std::pair<Pattern, std::vector<std::string>>> covers_;
};

// Citations and carry-over sentences of one document, from its normalised
// lines (DocTree::lines).
LinkFacts FindLinkFacts(const std::vector<SourceLine>& lines, const LinkRules& rules);

// ------------------------------------------------------------ resolution

struct LinkDoc {
  int64_t id = 0;
  std::string key;  // DocumentKey: every tie is broken on it, never on id
  std::optional<std::string> number_key, type, issuer, place, date, title;
};

struct LinkRef {
  int64_t doc_id = 0;
  int position = 0;
  std::string number_key;
  std::optional<std::string> date, type, part;
  std::string relation;
};

struct LinkInput {
  std::vector<LinkDoc> docs;
  std::vector<LinkRef> refs;
  std::vector<std::pair<int64_t, Citation>> citations;    // citing doc id
  std::vector<std::pair<int64_t, Carryover>> carryovers;  // doc id
};

struct Resolution {
  std::optional<int64_t> target;  // nullopt: pending
  std::string how;                // "number" | "title" | "" (pending)
  double score = 0;               // 1 for a number match; title similarity
};

// Document status: effective | amended | partly_superseded | superseded |
// repealed, with the document that made it so.
struct DocState {
  std::string status = "effective";
  std::optional<int64_t> by;
  std::optional<std::string> date;
};

// A resolved relation from `from` to `to`, one per pair (the strongest).
struct Edge {
  int64_t from = 0, to = 0;
  std::string relation;
  std::optional<std::string> part;
  bool carried_over = false;
};

struct LinkResult {
  std::vector<Resolution> refs;     // parallel to LinkInput::refs
  std::map<int64_t, DocState> docs;  // every input document
  std::vector<Edge> edges;          // sorted by (from, to)
};

// Minimum title similarity for a reference to resolve to a document whose
// own number is not printed.
inline constexpr double kTitleMatchThreshold = 0.8;

LinkResult ResolveLinks(const LinkInput& in);

// Share of the words of `title` (folded) found in `cited`; 0 when `title`
// has fewer than 5 words.
double TitleContainment(std::string_view title, std::string_view cited);

// ------------------------------------------------------------ lineage

struct LinkTask {
  int64_t id = 0;
  int64_t doc_id = 0;
  int position = 0;
  std::string source;
  std::string clause;
  std::string name;
  std::optional<std::string> output, deadline_raw, deadline_end;
  std::vector<std::string> lead, coord;  // agency keys (canonical where known)
  std::vector<std::string> lead_printed;
};

struct Change {
  std::string field;  // deadline | lead | output
  std::string from, to;
};

// `task` (in the newer plan) continues `prev` (in the plan it supersedes,
// amends or implements). Below kLineageLinkThreshold the pair is only a
// candidate: shown, never used for status.
struct LineagePair {
  int64_t task = 0, prev = 0;
  double score = 0;
  bool linked = false;
  std::vector<Change> changes;
};

inline constexpr double kLineageLinkThreshold = 0.7;
inline constexpr double kLineageCandidateThreshold = 0.5;

// Similarity of two task names, 0..1 (character trigrams and words of the
// folded text).
double TaskTextSimilarity(std::string_view a, std::string_view b);

// One-to-one matching of `newer` against `older` tasks, best pairs first;
// pairs below kLineageCandidateThreshold are dropped. Sorted by (task, prev)
// position.
std::vector<LineagePair> MatchTasks(const std::vector<LinkTask>& newer, const std::vector<LinkTask>& older);

// Task status: active | superseded | carried_over, with the task that
// continues it.
struct TaskState {
  std::string status = "active";
  std::optional<int64_t> continues;
};

// States of the tasks of documents that edges supersede or repeal (whole or
// the part named), given the lineage pairs of those edges. Tasks absent
// from the result are active.
std::map<int64_t, TaskState> TaskStates(const std::vector<Edge>& edges, const std::vector<LinkDoc>& docs,
                                        const std::map<int64_t, std::vector<LinkTask>>& tasks_by_doc,
                                        const std::vector<LineagePair>& pairs);

// True when a partial relation's part ("Phụ lục II", "mục 3") covers a task
// with this source and clause path.
bool PartCovers(std::string_view part, std::string_view source, std::string_view clause);

}  // namespace plantrace

#endif  // PLANTRACE_PIPELINE_STAGES_LINK_H_
