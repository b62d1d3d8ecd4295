// Renditions: what one file of a document said (its summary, kept in the
// store beside the file's bytes) and how it differs from the document's
// reading. The differences are findings, stored as the document's warnings.
#ifndef PLANTRACE_PIPELINE_STORE_RENDITIONS_H_
#define PLANTRACE_PIPELINE_STORE_RENDITIONS_H_

#include <string>
#include <utility>
#include <vector>

#include "pipeline/base/diagnostics.h"
#include "pipeline/stages/record.h"

namespace plantrace {

struct RenditionTask {
  std::string number, name, deadline, output;
  std::vector<std::string> lead;  // printed
  int page = 0, line = 0;
  std::string clause;
};

struct RenditionSummary {
  std::string file, format;
  // (field, value) of the metadata the file printed, in a fixed field order.
  std::vector<std::pair<std::string, std::string>> meta;
  std::vector<RenditionTask> tasks;
};

// The metadata fields compared between renditions, in order.
extern const char* const kRenditionMetaFields[7];

RenditionSummary SummaryOf(const Record& rec, const std::string& file);

// What `other` says differently from `reading`: metadata fields that
// differ, tasks of the reading it lacks, tasks it adds, and, for tasks that
// match (the lineage matching of link.h), number, deadline and lead that
// differ. Text is compared on MatchKey, so case and spacing never count.
// Each finding carries the reading task's page, line and clause, and `rule`
// (the reading rules that chose the reading).
std::vector<Diagnostic> CompareRenditions(const RenditionSummary& reading, const RenditionSummary& other,
                                          const std::string& rule);

}  // namespace plantrace

#endif  // PLANTRACE_PIPELINE_STORE_RENDITIONS_H_
