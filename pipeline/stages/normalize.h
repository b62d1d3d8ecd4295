// Normalize: Layout -> Layout with every text NFC, space variants unified
// and invisible characters removed; plus the line-joining rules shared by
// the stages that rebuild paragraphs and table cells.
#ifndef PLANTRACE_PIPELINE_STAGES_NORMALIZE_H_
#define PLANTRACE_PIPELINE_STAGES_NORMALIZE_H_

#include <string>
#include <string_view>
#include <vector>

#include "extractors/layout.h"
#include "pipeline/base/diagnostics.h"
#include "pipeline/base/unicode.h"  // CollapseSpaces

namespace plantrace {

Layout Normalize(Layout in, Diagnostics* diag);

// One line's text: NFC, NBSP/thin/ideographic spaces and tabs -> space,
// zero-width characters and soft hyphens dropped, trimmed. Runs of spaces
// inside the line are kept (they separate cells of flattened tables).
std::string NormalizeText(std::string_view s);

// Joins wrapped lines with single spaces, except that a line ending in a
// hyphen glued to a word or digit joins without a space ("2025-" + "2030"
// -> "2025-2030"; "2025 -" + "2030" -> "2025 - 2030").
std::string JoinWrapped(const std::vector<std::string>& lines);
void AppendWrapped(std::string* acc, std::string_view next);
// A cell's printed lines joined as JoinWrapped does, except that a line
// marked joins_next runs into the next with no space.
std::string JoinLines(const std::vector<Line>& lines);

// Removes every space ("125 /KH-BCĐ" -> "125/KH-BCĐ").
std::string RemoveSpaces(std::string_view s);
// Number of space-separated words.
int CountWords(std::string_view s);

}  // namespace plantrace

#endif  // PLANTRACE_PIPELINE_STAGES_NORMALIZE_H_
