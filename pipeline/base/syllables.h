// Whether a word is a well-formed Vietnamese syllable (onset, rhyme, tone),
// by the `syllable.*` rules of rules/syllables.rules: OCR (Tesseract) and
// broken PDF text layers give words no Vietnamese writer would ("IøT",
// "tiinh", "càp", "hoạcb"), and the share of words that are syllables tells
// text that reads as Vietnamese from text that does not. The rules hold the
// knowledge (onsets, rhymes, spelling, tones); this file the mechanism:
// strip the punctuation, lower-case, take the tone mark off, match.
//
// Text typed with legacy TCVN3 (.VnTime) fonts and read without mapping is
// not Unicode Vietnamese ("KÕ ho¹ch"): its words are judged as they are,
// mostly not syllables, and the caller decides what that means.
#ifndef PLANTRACE_PIPELINE_BASE_SYLLABLES_H_
#define PLANTRACE_PIPELINE_BASE_SYLLABLES_H_

#include <string>
#include <string_view>
#include <vector>

#include "pipeline/base/rules.h"
#include "pipeline/base/status.h"

namespace plantrace {

// How one word was judged.
struct SyllableVerdict {
  bool valid = false;
  // When valid: the onset as the form rule split it ("" when none), the
  // rhyme and the tone's name ("nhiệm": "nh", "iêm", "nặng"; "ủy": "",
  // "uy", "hỏi"; a syllable without a tone mark is "ngang").
  std::string onset, rhyme, tone;
  // When not valid: the id of the rule that rejected it ("syllable.form"
  // when no form matched, an exclude or tone rule's id), or what is wrong
  // before any rule is asked ("no letter", "not a letter", "2 tone marks",
  // "tone mark not on a vowel").
  std::string why;
};

class SyllableChecker {
 public:
  // From the `syllable.*` rules: NotFound when the family is missing or has
  // no form rule; InvalidInput (naming the rule) for a form pattern without
  // its two groups or a tone rule without `tones:`.
  static Result<SyllableChecker> FromRules(const RuleSet& rules);

  // `word` (UTF-8, NFC or NFD, any case; ASCII punctuation and symbols and
  // Unicode punctuation at either end ignored) is one well-formed
  // Vietnamese syllable.
  bool IsSyllable(std::string_view word) const { return Judge(word).valid; }
  // The same with its parts or the reason it is not one.
  SyllableVerdict Judge(std::string_view word) const;

  // Whether `word` should be judged at all, punctuation at either end
  // ignored: it is letters only (no digit, no symbol, no inner punctuation:
  // "KH-UBND", "57-NQ/TW" are not judged), and it is not
  //  - an abbreviation: two letters or more, none in lower case and no
  //    vowel carrying a mark ("UBND", "HĐND", "CNTT"; a capital word with a
  //    vowel mark, "KẾ", "HOẠCH", is judged, one without, "KHOA", is not);
  //  - one consonant letter: a list marker ("b)", "đ)") or an initial
  //    ("V."); a lone vowel ("ở", "ý", "a)") is judged.
  bool Checkable(std::string_view word) const;

  struct Share {
    int checked = 0;  // words Checkable
    int valid = 0;    // of those, syllables
    // valid / checked; 0 when nothing was checked (look at `checked`).
    double ratio() const;
  };
  // Over the words of `text`, split at ASCII whitespace and no-break spaces.
  Share Measure(std::string_view text) const;

 private:
  // One syllable.* rule, copied (patterns are shared handles), so the
  // checker does not hold on to the rule set.
  struct Check {
    std::string id;
    std::vector<Pattern> patterns;
    Pattern except;                  // kind exclude: what it lets through (may be invalid: none)
    std::vector<std::string> tones;  // kind tone: the tones allowed
  };
  std::vector<Check> forms_, excludes_, tone_rules_;
};

}  // namespace plantrace

#endif  // PLANTRACE_PIPELINE_BASE_SYLLABLES_H_
