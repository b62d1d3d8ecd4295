// The whole extraction pipeline for one document: read -> normalize ->
// segment -> extract. No store involved; `plantrace extract` prints its
// Record and `plantrace ingest` loads it.
#ifndef PLANTRACE_PIPELINE_STAGES_PROCESS_H_
#define PLANTRACE_PIPELINE_STAGES_PROCESS_H_

#include <string>
#include <string_view>

#include "extractors/readers.h"
#include "pipeline/base/diagnostics.h"
#include "pipeline/base/rules.h"
#include "pipeline/base/status.h"
#include "pipeline/stages/doctree.h"
#include "pipeline/stages/record.h"

namespace plantrace {

// `source` is the path for messages; Record::doc is its base name.
Result<Record> ProcessDocument(std::string_view bytes, const std::string& source, const RuleSet& rules,
                               const ReadLimits& limits = ReadLimits());

// The same, also handing back the DocTree it extracted from (the store keeps
// its lines for tracing). `tree` may not be null.
Result<Record> ProcessDocument(std::string_view bytes, const std::string& source, const RuleSet& rules,
                               const ReadLimits& limits, DocTree* tree);

// The readers, legacy-encoding repair and normalize: the Layout segment
// works on (`plantrace dump --stage=layout` prints it).
Result<Layout> ReadNormalized(std::string_view bytes, const std::string& source, const RuleSet& rules,
                              const ReadLimits& limits, Diagnostics* diag);

// The stages up to DocTree, for `plantrace dump` and tests.
Result<DocTree> BuildDocTree(std::string_view bytes, const std::string& source, const RuleSet& rules,
                             const ReadLimits& limits, Diagnostics* diag);

// Reads a whole file. Errors name the file. Only a regular file or a pipe
// is read (not a directory, device or socket), and no more than
// ReadLimits().max_bytes of it: a larger file is refused.
Result<std::string> ReadFileBytes(const std::string& path);

}  // namespace plantrace

#endif  // PLANTRACE_PIPELINE_STAGES_PROCESS_H_
