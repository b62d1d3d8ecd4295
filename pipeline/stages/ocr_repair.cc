// OCR repair (ocr_repair.h): rule rewrites, run-together syllables split,
// stray capitals lowered, invented words flagged.
#include "pipeline/stages/ocr_repair.h"

#include <algorithm>
#include <cctype>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "pipeline/base/syllables.h"
#include "pipeline/base/unicode.h"

namespace plantrace {
namespace {

// Longest word tried as syllables run together, in letters: three
// syllables of at most seven letters ("nghiêng").
constexpr size_t kMaxSplitLetters = 21;

// Tesseract's confidence above which a word of ASCII letters that is no
// syllable is taken as printed (a loanword); OCR'd English terms of the
// corpus scans came at 85-96, misreadings such as "nhifng" lower.
constexpr float kSureAsciiConfidence = 80;

// Code points with their byte offsets, for splitting at letter boundaries.
std::vector<size_t> Boundaries(std::string_view s) {
  std::vector<size_t> at;
  size_t i = 0;
  while (i < s.size()) {
    at.push_back(i);
    NextCodePoint(s, &i);
  }
  at.push_back(s.size());
  return at;
}

bool LettersOnly(std::string_view s) {
  size_t i = 0;
  while (i < s.size()) {
    const char32_t c = NextCodePoint(s, &i);
    if (!IsLetter(c) && !IsCombiningMark(c)) return false;
  }
  return !s.empty();
}

// Written as a syllable is within a sentence: all lower-case, or only its
// first letter a capital.
bool LowerOrCapitalised(std::string_view s) {
  size_t i = 0;
  NextCodePoint(s, &i);
  while (i < s.size()) {
    const char32_t c = NextCodePoint(s, &i);
    if (IsLetter(c) && !IsLowerCaseLetter(c)) return false;
  }
  return true;
}

// The fewest pieces (two or more) `word` splits into, each a syllable
// written lower-case or capitalised; nullopt when there is no such split
// or the word has no capital after its first letter.
std::optional<std::vector<std::string>> SplitSyllables(const SyllableChecker& checker, std::string_view word) {
  const std::vector<size_t> at = Boundaries(word);
  const size_t n = at.size() - 1;
  if (n < 2 || n > kMaxSplitLetters) return std::nullopt;
  // Only where a capital follows a letter inside the word is a lost space
  // plain ("SởYtế"); "tiinh" would split into syllables too ("ti inh"),
  // but is a misreading of one.
  bool inner_capital = false;
  for (size_t k = 1; k < n && !inner_capital; ++k) {
    size_t i = at[k];
    const char32_t c = NextCodePoint(word, &i);
    inner_capital = IsLetter(c) && !IsLowerCaseLetter(c);
  }
  if (!inner_capital) return std::nullopt;
  // best[i]: fewest pieces covering the first i letters; from[i] the start
  // of the last of them.
  std::vector<int> best(n + 1, -1), from(n + 1, -1);
  best[0] = 0;
  for (size_t end = 1; end <= n; ++end) {
    for (size_t start = 0; start < end; ++start) {
      if (best[start] < 0) continue;
      std::string_view piece = word.substr(at[start], at[end] - at[start]);
      if (!LowerOrCapitalised(piece) || !checker.IsSyllable(piece)) continue;
      if (best[end] < 0 || best[start] + 1 < best[end]) {
        best[end] = best[start] + 1;
        from[end] = static_cast<int>(start);
      }
    }
  }
  if (best[n] < 2) return std::nullopt;
  std::vector<std::string> pieces;
  for (size_t end = n; end > 0; end = static_cast<size_t>(from[end])) {
    pieces.emplace_back(word.substr(at[from[end]], at[end] - at[from[end]]));
  }
  std::reverse(pieces.begin(), pieces.end());
  return pieces;
}

// Trims ASCII punctuation at both ends, to look at a word's letters.
std::string_view Core(std::string_view w) {
  auto punct = [](char c) { return c > 0 && !std::isalnum(static_cast<unsigned char>(c)); };
  while (!w.empty() && punct(w.front())) w.remove_prefix(1);
  while (!w.empty() && punct(w.back())) w.remove_suffix(1);
  return w;
}

bool IsLowerWord(std::string_view w) {
  std::string_view c = Core(w);
  return !c.empty() && LettersOnly(c) && ToLower(c) == c;
}

// A capital syllable carrying a vowel mark ("SỐ", "SỞ"): an abbreviation
// carries none, so this is a word set in capitals, or misread.
bool IsMarkedCapitalSyllable(const SyllableChecker& checker, std::string_view w) {
  std::string_view c = Core(w);
  if (c.empty() || !LettersOnly(c) || !IsAllUpper(c) || Utf8Length(c) < 2) return false;
  if (ToNfd(c).size() == c.size()) return false;  // no mark: may be an abbreviation
  return checker.Checkable(c) && checker.IsSyllable(c);
}

struct PageNotes {
  std::vector<std::string> repaired;  // "a → b"
  std::vector<std::string> invented;
  int line = 0;
};

void RepairLine(Line* line, const RuleSet& rules, const SyllableChecker& checker, PageNotes* notes) {
  bool ocr = false;
  for (const Word& w : line->words) ocr |= w.confidence >= 0;
  if (!ocr) return;
  std::vector<Word> out;
  out.reserve(line->words.size());
  for (Word& w : line->words) {
    if (w.confidence < 0) {
      out.push_back(std::move(w));
      continue;
    }
    const std::string before = w.text;
    w.text = ApplyOcrRules(rules, w.text);
    std::string_view core = Core(w.text);
    if (checker.Checkable(core) && !checker.IsSyllable(core) && core.size() == w.text.size()) {
      if (std::optional<std::vector<std::string>> pieces = SplitSyllables(checker, w.text)) {
        // The pieces share the word's box, split by their share of letters.
        const double width = w.box.x1 - w.box.x0;
        const double letters = static_cast<double>(Utf8Length(w.text));
        double x = w.box.x0;
        for (std::string& p : *pieces) {
          Word piece = w;
          piece.text = std::move(p);
          piece.box.x0 = x;
          x += width * static_cast<double>(Utf8Length(piece.text)) / letters;
          piece.box.x1 = x;
          out.push_back(std::move(piece));
        }
        notes->repaired.push_back(before + " → " + Join(*pieces, " "));
        continue;
      }
    }
    if (w.text != before) notes->repaired.push_back(before + " → " + w.text);
    out.push_back(std::move(w));
  }
  // Capitals among lower-case words: lowered when the word before is
  // lower-case and the word after (if any) is too.
  for (size_t i = 1; i < out.size(); ++i) {
    if (out[i].confidence < 0 || !IsLowerWord(out[i - 1].text)) continue;
    if (i + 1 < out.size() && !IsLowerWord(out[i + 1].text)) continue;
    if (!IsMarkedCapitalSyllable(checker, out[i].text)) continue;
    const std::string lowered = ToLower(out[i].text);
    notes->repaired.push_back(out[i].text + " → " + lowered);
    out[i].text = lowered;
  }
  for (Word& w : out) {
    if (w.confidence < 0) continue;
    std::string_view core = Core(w.text);
    // A word of ASCII letters read with confidence is a loanword or a
    // name the plan prints ("marketing", "logistics", "IoT"); one with a
    // Vietnamese letter that is no syllable, or read unsure, OCR made up.
    const bool ascii = std::none_of(core.begin(), core.end(), [](char c) { return c & 0x80; });
    if (ascii && w.confidence >= kSureAsciiConfidence) continue;
    if (checker.Checkable(core) && !checker.IsSyllable(core)) {
      w.confidence = std::min(w.confidence, kInventedConfidence);
      notes->invented.push_back(w.text);
      if (notes->line == 0) notes->line = line->line;
    }
  }
  line->words = std::move(out);
  std::vector<std::string> texts;
  texts.reserve(line->words.size());
  for (const Word& w : line->words) texts.push_back(w.text);
  line->text = Join(texts, " ");
}

std::string Listed(const std::vector<std::string>& items, size_t max) {
  std::string s;
  for (size_t i = 0; i < items.size() && i < max; ++i) s += (i ? ", " : "") + items[i];
  if (items.size() > max) s += ", …";
  return s;
}

}  // namespace

std::string ApplyOcrRules(const RuleSet& rules, const std::string& word, std::string* rule_id) {
  for (const Rule* r : rules.Category("ocr")) {
    for (const Pattern& p : r->patterns) {
      Match m;
      if (!p.FullMatch(word, &m)) continue;
      std::vector<std::string> parts;
      for (const std::optional<std::string>& g : m.groups) parts.push_back(g.value_or(""));
      if (rule_id) *rule_id = r->id;
      return Join(parts, r->Get("join"));
    }
  }
  return word;
}

void RepairOcrText(Layout* layout, const RuleSet& rules, Diagnostics* diag) {
  bool any = false;
  for (const Page& p : layout->pages) any |= p.ocr;
  if (!any) return;
  Result<SyllableChecker> checker = SyllableChecker::FromRules(rules);
  if (!checker.ok()) return;  // a rule set without syllable rules: nothing to judge by
  std::map<int, PageNotes> notes;
  for (Block& b : layout->blocks) {
    if (b.kind == Block::Kind::kLines) {
      for (Line& l : b.lines) RepairLine(&l, rules, *checker, &notes[l.page]);
    } else {
      for (Row& r : b.table.rows) {
        for (Cell& c : r.cells) {
          for (Line& l : c.lines) RepairLine(&l, rules, *checker, &notes[l.page]);
        }
      }
    }
  }
  if (diag == nullptr) return;
  for (const auto& [page, n] : notes) {
    if (!n.repaired.empty()) {
      diag->Info("ocr.repaired",
                 "page " + std::to_string(page) + ": " + std::to_string(n.repaired.size()) +
                     " OCR word(s) put right: " + Listed(n.repaired, 12),
                 page);
    }
    if (!n.invented.empty()) {
      diag->Warn("ocr.not_vietnamese",
                 "page " + std::to_string(page) + ": " + std::to_string(n.invented.size()) +
                     " OCR word(s) are no Vietnamese syllable (check against the page): " + Listed(n.invented, 12),
                 page, n.line);
    }
  }
}

}  // namespace plantrace
