// Canonical text dumps of the handoff structs (`plantrace dump --stage=...`),
// used by golden tests and for debugging. Deterministic.
#ifndef PLANTRACE_PIPELINE_STAGES_DUMP_H_
#define PLANTRACE_PIPELINE_STAGES_DUMP_H_

#include <string>

#include "extractors/layout.h"
#include "pipeline/stages/doctree.h"

namespace plantrace {

std::string DumpLayout(const Layout& layout);
std::string DumpDocTree(const DocTree& tree);

}  // namespace plantrace

#endif  // PLANTRACE_PIPELINE_STAGES_DUMP_H_
