// Reprocess: re-extracts stored originals with the current rules and
// replaces each document's extraction in the store (one transaction per
// document), reporting what changed, so that an operator who improved the
// rules can see exactly what the improvement did to the archive.
#ifndef PLANTRACE_PIPELINE_STORE_REPROCESS_H_
#define PLANTRACE_PIPELINE_STORE_REPROCESS_H_

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "pipeline/base/status.h"
#include "pipeline/stages/record.h"
#include "pipeline/store/ingest.h"
#include "pipeline/store/store.h"

namespace plantrace {

struct FieldChange {
  std::string field;
  std::string before, after;  // "" for absent
};

struct TaskDiff {
  enum class Kind { kAdded, kRemoved, kChanged };
  Kind kind = Kind::kChanged;
  int position = 0;  // 0-based, in the new extraction (kRemoved: in the old one)
  std::string number;
  std::string name;
  std::vector<FieldChange> fields;  // kChanged only
};

// "added" | "removed" | "changed", and the report's mark "+" | "-" | "~".
const char* TaskDiffKindName(TaskDiff::Kind kind);
const char* TaskDiffMark(TaskDiff::Kind kind);

struct DocDiff {
  int64_t doc_id = 0;
  std::string doc_key;  // after reprocessing (before, when it failed)
  std::string file;
  std::string rules_before, rules_after;
  std::vector<FieldChange> meta;
  // field: what is cited (number, else title); before/after: "relation
  // date" ("" when absent on that side).
  std::vector<FieldChange> references;
  int tasks_before = 0, tasks_after = 0;
  std::vector<TaskDiff> tasks;
  bool failed = false;
  std::string message;  // failed: the reason
  size_t index = 0, total = 0;  // its place among the documents reprocessed
  double seconds = 0;           // extraction, for progress reports
  int pages = 0;
  bool changed() const { return !meta.empty() || !references.empty() || !tasks.empty(); }
};

// Pairs the stored tasks of one document with a new extraction of it: by
// (source, number, code) where the plan numbers its tasks, then by name;
// unpaired tasks are removed or added. Paired tasks report the fields that
// differ (provenance lines are not compared: they move with any edit).
std::vector<TaskDiff> DiffTasks(const std::vector<TaskRow>& before, const std::vector<Task>& after);

// Document fields that differ between the stored row and the new Meta.
std::vector<FieldChange> DiffMeta(const DocRow& before, const Meta& after);

// References added, dropped or read differently (relation, date), by what
// they cite.
std::vector<FieldChange> DiffReferences(const std::vector<RelationRow>& before, const std::vector<Reference>& after);

struct ReprocessOptions {
  // Every document; otherwise only those extracted with other rules than
  // `rules_hash` (and those in `only`, when given, restrict the set).
  bool all = false;
  std::vector<int64_t> only;
  bool dry_run = false;  // compute and report, write nothing
  int jobs = 1;           // extraction threads (the ProcessFn must allow it)
};

// The documents `options` selects, in load order.
Result<std::vector<DocRow>> SelectForReprocess(Store* store, const std::string& rules_hash,
                                               const ReprocessOptions& options);

// Reprocesses one stored document (a queue worker's reprocess item): reads
// its original, re-extracts it, replaces the stored extraction and records
// it as file `position` of run `run_id`. nullopt when the document is no
// longer in the store (merged into another since it was queued). A failed
// extraction is a DocDiff with `failed`; a non-OK Status, a store failure.
Result<std::optional<DocDiff>> ReprocessStored(Store* store, const ProcessFn& process, const std::string& rules_hash,
                                               int64_t doc_id, int64_t run_id, int position);

// Reprocesses the selected documents in load order. `on_doc` is called once
// per document. A document whose original no longer extracts (a rule
// change, a reader change) is reported failed and left as it was; the run
// goes on. Records the run (kind "reprocess") unless dry_run. A non-OK
// Status means the store itself failed.
Status Reprocess(Store* store, const ProcessFn& process, const std::string& rules_hash,
                 const ReprocessOptions& options, const std::function<void(const DocDiff&)>& on_doc,
                 RunCounters* counters);

}  // namespace plantrace

#endif  // PLANTRACE_PIPELINE_STORE_REPROCESS_H_
