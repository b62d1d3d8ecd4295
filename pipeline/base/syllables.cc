// Vietnamese syllable check: a word is taken to the form the syllable.*
// rules read (lower case, NFC, tone mark off) and matched against them.
#include "pipeline/base/syllables.h"

#include <algorithm>

#include "pipeline/base/text_util.h"
#include "pipeline/base/unicode.h"

namespace plantrace {
namespace {

// The tone each NFD tone mark writes; a syllable without one is "ngang".
// These are the names `tones:` uses (rule_schema.cc).
const char* ToneName(char32_t mark) {
  switch (mark) {
    case 0x0300: return "huyền";
    case 0x0301: return "sắc";
    case 0x0309: return "hỏi";
    case 0x0303: return "ngã";
    case 0x0323: return "nặng";
  }
  return "ngang";
}

// A vowel letter in NFD: every Vietnamese vowel (ă â ê ô ơ ư and their
// tones) is one of these with marks after it.
bool IsVowelBase(char32_t c) {
  switch (c) {
    case 'a': case 'e': case 'i': case 'o': case 'u': case 'y':
    case 'A': case 'E': case 'I': case 'O': case 'U': case 'Y':
      return true;
  }
  return false;
}

bool IsStrippable(char32_t c) {
  if (c < 0x80) return c > ' ' && c < 0x7F && !(c >= '0' && c <= '9') && !(c >= 'a' && c <= 'z') &&
                       !(c >= 'A' && c <= 'Z');  // ASCII punctuation and symbols
  return IsPunctuation(c);
}

// The code points of `word` in NFD without punctuation at either end.
std::u32string StrippedNfd(std::string_view word) {
  const std::string nfd = ToNfd(word);
  std::u32string cps;
  for (size_t i = 0; i < nfd.size();) cps.push_back(NextCodePoint(nfd, &i));
  size_t b = 0, e = cps.size();
  while (b < e && IsStrippable(cps[b])) ++b;
  while (e > b && IsStrippable(cps[e - 1])) --e;
  return cps.substr(b, e - b);
}

std::string Utf8(const std::u32string& cps) {
  std::string out;
  for (char32_t c : cps) AppendUtf8(&out, c);
  return out;
}

bool IsSpace(char32_t c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v' || c == 0x00A0 || c == 0x202F;
}

Status Fail(const Rule& r, const std::string& why) {
  return Status::InvalidInput(r.file + ":" + std::to_string(r.line) + " " + r.id + ": " + why);
}

}  // namespace

Result<SyllableChecker> SyllableChecker::FromRules(const RuleSet& rules) {
  SyllableChecker c;
  for (const Rule* r : rules.Category("syllable")) {
    if (r->patterns.empty()) continue;  // a rule of negatives only
    Check check{r->id, r->patterns, {}, {}};
    if (const Pattern* except = r->NamedPattern("except_pattern")) check.except = *except;
    const std::string kind = r->Get("kind");
    if (kind == "form") {
      for (const Pattern& p : r->patterns) {
        if (p.groups() < 2) return Fail(*r, "a form pattern needs two groups (onset, rhyme): /" + p.source() + "/");
      }
      c.forms_.push_back(std::move(check));
    } else if (kind == "exclude") {
      c.excludes_.push_back(std::move(check));
    } else if (kind == "tone") {
      check.tones = SplitWords(r->Get("tones"));
      if (check.tones.empty()) return Fail(*r, "a tone rule needs 'tones:'");
      c.tone_rules_.push_back(std::move(check));
    } else {
      return Fail(*r, "unknown kind '" + kind + "'");  // the schema allows no other
    }
  }
  if (c.forms_.empty()) return Status::NotFound("no syllable.* rule of kind form in the rule set");
  return c;
}

SyllableVerdict SyllableChecker::Judge(std::string_view word) const {
  SyllableVerdict v;
  const std::u32string cps = StrippedNfd(ToLower(word));
  if (cps.empty()) {
    v.why = "no letter";
    return v;
  }
  // The toneless form and the tone marks taken off it.
  std::u32string base;
  std::vector<char32_t> tones;
  char32_t letter = 0;  // the letter the marks that follow belong to
  for (char32_t c : cps) {
    if (IsToneMark(c)) {
      if (!IsVowelBase(letter)) {
        v.why = "tone mark not on a vowel";
        return v;
      }
      tones.push_back(c);
      continue;
    }
    if (!IsCombiningMark(c)) {
      if (!IsLetter(c)) {
        v.why = "not a letter";
        return v;
      }
      letter = c;
    }
    base.push_back(c);
  }
  if (tones.size() > 1) {
    v.why = std::to_string(tones.size()) + " tone marks";
    return v;
  }
  const std::string form = ToNfc(Utf8(base));
  v.tone = ToneName(tones.empty() ? 0 : tones[0]);
  Match m;
  const Check* matched = nullptr;
  for (const Check& f : forms_) {
    for (const Pattern& p : f.patterns) {
      if (p.FullMatch(form, &m)) {
        matched = &f;
        break;
      }
    }
    if (matched) break;
  }
  if (!matched) {
    v.why = forms_.front().id;
    v.tone.clear();
    return v;
  }
  for (const Check& x : excludes_) {
    if (x.except.valid() && x.except.Find(form, nullptr)) continue;
    for (const Pattern& p : x.patterns) {
      if (p.Find(form, nullptr)) {
        v.why = x.id;
        v.tone.clear();
        return v;
      }
    }
  }
  for (const Check& t : tone_rules_) {
    if (std::find(t.tones.begin(), t.tones.end(), v.tone) != t.tones.end()) continue;
    for (const Pattern& p : t.patterns) {
      if (p.Find(form, nullptr)) {
        v.why = t.id;
        v.tone.clear();
        return v;
      }
    }
  }
  v.valid = true;
  v.onset = m.Group(1, "");
  v.rhyme = m.Group(2, "");
  return v;
}

bool SyllableChecker::Checkable(std::string_view word) const {
  const std::u32string cps = StrippedNfd(word);
  int letters = 0;
  bool lower = false, vowel_mark = false;
  char32_t letter = 0;
  for (char32_t c : cps) {
    if (IsCombiningMark(c)) {
      vowel_mark |= IsVowelBase(letter);
      continue;
    }
    if (!IsLetter(c)) return false;
    ++letters;
    lower |= IsLowerCaseLetter(c);
    letter = c;
  }
  if (letters == 0) return false;
  if (letters == 1) return IsVowelBase(letter);
  return lower || vowel_mark;
}

double SyllableChecker::Share::ratio() const { return checked > 0 ? static_cast<double>(valid) / checked : 0.0; }

SyllableChecker::Share SyllableChecker::Measure(std::string_view text) const {
  Share s;
  auto judge = [&](std::string_view w) {
    if (w.empty() || !Checkable(w)) return;
    ++s.checked;
    if (IsSyllable(w)) ++s.valid;
  };
  size_t start = 0;
  for (size_t i = 0; i < text.size();) {
    size_t at = i;
    if (IsSpace(NextCodePoint(text, &i))) {
      judge(text.substr(start, at - start));
      start = i;
    }
  }
  judge(text.substr(start));
  return s;
}

}  // namespace plantrace
