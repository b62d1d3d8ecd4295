// Legacy encodings, between the readers and normalize: Vietnamese typed with
// 8-bit TCVN3 (ABC) fonts reaches plantrace as Latin-1 letters ("KÕ ho¹ch"
// for "Kế hoạch"). A document whose letters look so is mapped back to
// Unicode with a character map from rules/encodings.rules (decode.*). The
// decision is per document and on evidence, so Unicode text is never touched.
#ifndef PLANTRACE_PIPELINE_STAGES_LEGACY_ENCODING_H_
#define PLANTRACE_PIPELINE_STAGES_LEGACY_ENCODING_H_

#include <string>
#include <string_view>

#include "extractors/layout.h"
#include "pipeline/base/diagnostics.h"
#include "pipeline/base/rules.h"

namespace plantrace {

// The decode rule whose evidence `text` meets (enough of its letters in the
// rule's map, and next to no letter only Unicode Vietnamese has), or null.
const Rule* DetectLegacyEncoding(std::string_view text, const RuleSet& rules);

// `text` through the rule's map. A line whose ASCII letters are all capitals
// was typed in the capitals font (.VnTimeH), which puts capitals at the
// codes of small letters: the whole line is put in capitals.
std::string DecodeLegacyText(std::string_view text, const Rule& rule);

// Detects over the whole layout and, when a rule fits, maps every line and
// word; adds a "legacy.decoded" diagnostic naming the rule. Returns whether
// it decoded.
bool DecodeLegacyEncoding(Layout* layout, const RuleSet& rules, Diagnostics* diag);

// Bytes read as Windows-1252 (the code page 8-bit Vietnamese files were
// typed under), for 8-bit text files.
std::string Windows1252ToUtf8(std::string_view bytes);

}  // namespace plantrace

#endif  // PLANTRACE_PIPELINE_STAGES_LEGACY_ENCODING_H_
