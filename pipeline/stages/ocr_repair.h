// OCR repair: the words of pages read by OCR (Word::confidence >= 0) put
// right where the mistake is one of the kind OCR makes and the language
// says what was meant, and the words that still are no Vietnamese flagged.
//  - `ocr.*` rules (rules/ocr.rules): a word fully matching a pattern
//    becomes its groups joined by the rule's `join` ("'Văn" -> "Văn",
//    "IøT" -> "IoT");
//  - syllables run together ("SởYtế"): a word that is no syllable but
//    splits, at letter boundaries, into syllables each written lower-case or
//    capitalised, is split ("Sở Y tế") when a capital inside it shows the
//    lost space;
//  - a capital syllable with a vowel mark among lower-case words ("đổi SỐ")
//    is lower-cased: Tesseract tells o/O, ô/Ô, s/S by size alone;
//  - a word the syllable rules reject (a word of ASCII letters only when
//    read unsure: a loanword is no syllable either) is kept, its confidence lowered to
//    kInventedConfidence so that the cell's task is flagged, and the page's
//    such words listed in one warning.
#ifndef PLANTRACE_PIPELINE_STAGES_OCR_REPAIR_H_
#define PLANTRACE_PIPELINE_STAGES_OCR_REPAIR_H_

#include "extractors/layout.h"
#include "pipeline/base/diagnostics.h"
#include "pipeline/base/rules.h"

namespace plantrace {

// The confidence a word no Vietnamese writer would write is given.
inline constexpr float kInventedConfidence = 30;

// No-op for a layout without OCR'd words.
void RepairOcrText(Layout* layout, const RuleSet& rules, Diagnostics* diag);

// One word through the `ocr.*` rules (the first that matches, then again on
// the result, a few rounds); the word itself when none does. `rule_id` gets
// the ids applied, comma-separated. For tests and the rule examples.
std::string ApplyOcrRules(const RuleSet& rules, const std::string& word, std::string* rule_id = nullptr);

}  // namespace plantrace

#endif  // PLANTRACE_PIPELINE_STAGES_OCR_REPAIR_H_
