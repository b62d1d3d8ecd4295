// Extract: DocTree -> Record. Document metadata, cited documents, tasks
// (from task tables, else from prose clauses that assign work), indicators
// and the warnings a secretariat should see.
#ifndef PLANTRACE_PIPELINE_STAGES_EXTRACT_H_
#define PLANTRACE_PIPELINE_STAGES_EXTRACT_H_

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "pipeline/base/diagnostics.h"
#include "pipeline/base/rules.h"
#include "pipeline/base/status.h"
#include "pipeline/stages/agency.h"
#include "pipeline/stages/deadline.h"
#include "pipeline/stages/doctree.h"
#include "pipeline/stages/record.h"

namespace plantrace {

Result<Record> Extract(const DocTree& tree, const RuleSet& rules, Diagnostics* diag);

// Shared by the table and prose task extractors.
// A task read by OCR (a scanned page) carries the confidence of its least
// sure cell or line; below this it is named in an ocr.low_confidence
// warning, for a person to check against the page. Tesseract's word
// confidences on clean 200 dpi scans sit above 85; the misreadings seen on
// the corpus scans (tuân for tuần, IøT) came with 40-70.
inline constexpr float kLowOcrConfidence = 70;

struct ExtractContext {
  const RuleSet& rules;
  const Gazetteer& gazetteer;
  DeadlineContext deadline;
  Diagnostics* diag;
  std::string Ref(const std::string& rule_id) const;  // "id@hash12"
  // Fills lead/coord from their raw text and the deadline from deadline_raw,
  // recording rule ids and diagnostics.
  // `lead_where`, `coord_where`: each list printed as a cell (table cell,
  // heading, field value) or inside a sentence.
  void Complete(Task* task, AgencyText lead_where = AgencyText::kCell,
                AgencyText coord_where = AgencyText::kCell) const;
  // SplitAgencies memoised: a plan repeats the same agency cells many times.
  const std::vector<Agency>& Agencies(const std::string& cell, AgencyText where = AgencyText::kCell) const;
  // True when a cell other than `cell` already read holds `printed` as a
  // misspelling (so it was reported).
  bool SpelledBefore(const std::string& printed, const std::string& cell) const;

  mutable std::map<std::string, std::vector<Agency>> agency_cache;  // per document
};

// Tasks written as prose in the sections that assign work (used when the
// document has no task table).
std::vector<Task> ExtractProseTasks(const DocTree& tree, const ExtractContext& ctx);

}  // namespace plantrace

#endif  // PLANTRACE_PIPELINE_STAGES_EXTRACT_H_
