// Deadline normalisation for the extract stage: a deadline cell or a time
// phrase inside prose becomes a Deadline (kind, ISO start/end, recurrence).
// Every form is a rule in rules/deadlines.rules; this file only interprets them.
#ifndef PLANTRACE_PIPELINE_STAGES_DEADLINE_H_
#define PLANTRACE_PIPELINE_STAGES_DEADLINE_H_

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "pipeline/base/rules.h"
#include "pipeline/stages/record.h"

namespace plantrace {

// The document's issue year, used by year-less forms ("tháng 6 và tháng 12"),
// and its issue date (ISO), the anchor of forms counted from it ("15 ngày kể
// từ ngày ký").
struct DeadlineContext {
  std::optional<int> year;
  std::optional<std::string> issued;
};

// Parses a whole deadline cell or phrase ("Tháng 9/2026", "Quý II/2026",
// "2025 - 2030", "Hằng năm", "Khi có hướng dẫn ..."). Markdown marks and
// spacing are ignored. When no rule matches the whole text, the cell's
// leading clause decides ("Ban hành trong quý I năm 2026. Thực hiện rà soát
// ..."): the shortest prefix ending at a clause boundary that a rule reads
// as a whole, or whose last words a `find`/`tail` rule reads. std::nullopt
// when nothing reads, or when the form needs a year that neither the text
// nor ctx gives.
std::optional<Deadline> ParseDeadline(std::string_view text, const RuleSet& rules,
                                      const DeadlineContext& ctx);

// One deadline phrase found in prose. begin/end are byte offsets into the
// searched text; raw is the phrase as printed (with its preposition, without
// the completion verb and without Markdown marks).
struct DeadlineMention {
  size_t begin = 0, end = 0;
  std::string raw;
  Deadline deadline;
};

// Finds deadline phrases in prose (NFC, as the normalize stage gives it) with
// the rules marked `find: yes`. Dates of
// cited documents and period words that qualify an object are not reported.
// Overlapping mentions keep the longest; the result is ordered by position.
std::vector<DeadlineMention> FindDeadlines(std::string_view text, const RuleSet& rules,
                                           const DeadlineContext& ctx);

// Runs one example of a deadline rule ("INPUT => KIND START END [EVERY]
// [| RAW]", see rules/deadlines.rules). Returns "" when it holds, else why not.
std::string CheckDeadlineExample(const Rule& rule, const RuleExample& ex, const RuleSet& rules);

// Checks one negative line of the deadline family: "" when neither
// ParseDeadline nor FindDeadlines reports anything for it.
std::string CheckDeadlineNegative(const RuleExample& neg, const RuleSet& rules);

// The document year and issue date examples are evaluated with.
inline constexpr int kDeadlineExampleYear = 2026;
inline constexpr const char* kDeadlineExampleIssued = "2026-04-10";

}  // namespace plantrace

#endif  // PLANTRACE_PIPELINE_STAGES_DEADLINE_H_
