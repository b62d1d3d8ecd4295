// Extract (references): cited document numbers with their date and the
// relation this document has to them.
#ifndef PLANTRACE_PIPELINE_STAGES_REFERENCES_H_
#define PLANTRACE_PIPELINE_STAGES_REFERENCES_H_

#include <optional>
#include <string>
#include <vector>

#include "pipeline/base/rules.h"
#include "pipeline/stages/record.h"

namespace plantrace {

// A paragraph, heading, title or table cell to scan, with provenance.
struct TextUnit {
  std::string text;
  int page = 0;
  int line = 0;
  std::string clause;
  bool cell = false;  // a table cell: never joined to the next unit
  float confidence = -1;  // lowest OCR confidence of its words; -1: not OCR'd
};

// Each cited number once, in order of first mention. `own` (this
// document's number) is never a reference, nor a number an appendix
// caption names ("(Kèm theo Công văn số ...)"). A number mentioned several
// times keeps the strongest relation (supersedes > amends > repeals >
// implements > based_on > cites) and the first date printed beside it.
// A paragraph broken mid-sentence into several units (the next one opens
// with a figure or a lower-case word) is read as one, so a number and the
// verb before it meet; the reference keeps the line the number stands on.
std::vector<Reference> FindReferences(const std::vector<TextUnit>& units, const std::optional<std::string>& own,
                                      const RuleSet& rules);

}  // namespace plantrace

#endif  // PLANTRACE_PIPELINE_STAGES_REFERENCES_H_
