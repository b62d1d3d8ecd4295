// Segment: normalised Layout -> DocTree. Finds the header fields, rebuilds
// flattened tables, rejoins wrapped lines into paragraphs, splits the
// document into its main body and appendices, and builds the numbered
// hierarchy of each part.
#ifndef PLANTRACE_PIPELINE_STAGES_SEGMENT_H_
#define PLANTRACE_PIPELINE_STAGES_SEGMENT_H_

#include "extractors/layout.h"
#include "pipeline/base/diagnostics.h"
#include "pipeline/base/rules.h"
#include "pipeline/base/status.h"
#include "pipeline/stages/doctree.h"

namespace plantrace {

Result<DocTree> Segment(const Layout& layout, const RuleSet& rules, Diagnostics* diag);

// Matches `text` against the heading.* rules. On a match fills style, label
// and the text after the marker, and returns true.
bool MatchMarker(std::string_view text, const RuleSet& rules, std::string* style, std::string* label,
                 std::string* rest, std::string* marker);

}  // namespace plantrace

#endif  // PLANTRACE_PIPELINE_STAGES_SEGMENT_H_
