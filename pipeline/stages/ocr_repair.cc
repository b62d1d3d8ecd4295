// OCR repair (ocr_repair.h): rule rewrites, run-together syllables split,
// stray capitals lowered, invented words flagged.
#include "pipeline/stages/ocr_repair.h"

#include <algorithm>
#include <cctype>
#include <map>
#include <optional>
#include <set>
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
// Above this Tesseract was sure of a word (its scale is 0-100).
constexpr float kSureConfidence = 90;

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

// A line's text from its words, after they were repaired.
void RejoinText(Line* line) {
  std::vector<std::string> texts;
  texts.reserve(line->words.size());
  for (const Word& w : line->words) texts.push_back(w.text);
  line->text = Join(texts, " ");
}

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
  RejoinText(line);
}

std::string Listed(const std::vector<std::string>& items, size_t max) {
  std::string s;
  for (size_t i = 0; i < items.size() && i < max; ++i) s += (i ? ", " : "") + items[i];
  if (items.size() > max) s += ", …";
  return s;
}

}  // namespace

std::string ApplyOcrRules(const RuleSet& rules, const std::string& word, std::string* rule_id) {
  // A word can hold more than one OCR fault (NÑÐ85): rules are tried again
  // on the result; a few rounds bound rules that would feed each other.
  constexpr int kRounds = 8;
  std::string text = word;
  for (int round = 0; round < kRounds; ++round) {
    bool changed = false;
    for (const Rule* r : rules.Category("ocr")) {
      for (const Pattern& p : r->patterns) {
        Match m;
        if (!p.FullMatch(text, &m)) continue;
        std::vector<std::string> parts;
        for (const std::optional<std::string>& g : m.groups) parts.push_back(g.value_or(""));
        std::string repaired = Join(parts, r->Get("join"));
        if (repaired == text) continue;
        if (rule_id) *rule_id += (rule_id->empty() ? "" : ",") + r->id;
        text = std::move(repaired);
        changed = true;
        break;
      }
      if (changed) break;
    }
    if (!changed) break;
  }
  return text;
}

namespace {

// A run of text read in order: the lines of a block or of a table cell.
using Flow = std::vector<Line*>;

// A word of a flow, with the key of its letters.
struct At {
  Line* line;
  size_t word;
  std::string key;  // MatchKey of the word's letters; empty for numbers and signs
  bool open_before = true, open_after = true;  // no punctuation on that side
};

std::vector<std::vector<At>> Sequences(const std::vector<Flow>& flows) {
  std::vector<std::vector<At>> seqs;
  for (const Flow& flow : flows) {
    std::vector<At> seq;
    for (Line* l : flow) {
      for (size_t i = 0; i < l->words.size(); ++i) {
        const std::string& text = l->words[i].text;
        std::string_view core = Core(text);
        if (core.empty() || !LettersOnly(core)) {
          seq.push_back({l, i, "", true, true});
          continue;
        }
        seq.push_back({l, i, MatchKey(core), core.data() == text.data(),
                       core.data() + core.size() == text.data() + text.size()});
      }
    }
    seqs.push_back(std::move(seq));
  }
  return seqs;
}

// Two words of letters with no punctuation between them: a phrase.
bool Joined(const At& a, const At& b) { return !a.key.empty() && !b.key.empty() && a.open_after && b.open_before; }

// The word at `at` spelled as `key` (its marks), keeping its own case and
// the punctuation around it.
void Respell(const At& at, const std::string& key, const char* why, std::map<int, PageNotes>* notes,
             std::set<Line*>* changed) {
  Word& w = at.line->words[at.word];
  std::string_view core = Core(w.text);
  const size_t from = static_cast<size_t>(core.data() - w.text.data());
  std::string spelled = key;
  if (IsAllUpper(core) && Utf8Length(core) > 1) {
    spelled = ToUpper(spelled);
  } else if (StartsUpper(core)) {
    size_t cut = 0;
    NextCodePoint(spelled, &cut);
    spelled = ToUpper(spelled.substr(0, cut)) + spelled.substr(cut);
  }
  const std::string old = w.text;
  w.text = old.substr(0, from) + spelled + old.substr(from + core.size());
  if (w.text == old) return;
  (*notes)[at.line->page].repaired.push_back(old + " → " + w.text + why);
  changed->insert(at.line);
}

// Tone marks that OCR confuses often give another real syllable
// (đổi/đối, nền/nên, chi/chỉ), which no syllable rule can catch; the plan
// itself can, because its phrases recur ("đổi mới" fifty times). A word the
// recogniser was unsure of (confidence under kSureConfidence) takes another
// tone of the same letters when that spelling has the word's neighbours
// beside it elsewhere in the document: at least two such pairs (one on
// each side counts two), on both sides when the word has two neighbours,
// and more than twice as many as the word's own spelling has. Words read
// surely may take only a spelling the recogniser weighed beside its choice
// (Word::alternatives): plans have their own typos ("đối mới", "cà nhân"),
// which OCR reads surely and with no second thought, and the text must be
// the page's.
// Measured on the 002 scan (share of tasks fully correct): 0.745 without
// this step, 0.642 applying it to every word, 0.770 to unsure words only.
void AgreeWithDocument(const std::vector<std::vector<At>>& seqs, std::map<int, PageNotes>* notes,
                       std::set<Line*>* changed) {
  std::map<std::pair<std::string, std::string>, int> pairs;
  std::map<std::string, std::vector<std::string>> spellings;  // WithoutTone -> MatchKeys seen
  for (const std::vector<At>& seq : seqs) {
    for (const At& at : seq) {
      if (at.key.empty()) continue;
      std::vector<std::string>& seen = spellings[WithoutTone(at.key)];
      if (std::find(seen.begin(), seen.end(), at.key) == seen.end()) seen.push_back(at.key);
    }
    // A comma or a full stop between two words breaks the phrase: "các
    // Sở, ngành" is no evidence for "sở ngành".
    for (size_t i = 0; i + 1 < seq.size(); ++i) {
      if (Joined(seq[i], seq[i + 1])) ++pairs[{seq[i].key, seq[i + 1].key}];
    }
  }
  auto count = [&](const std::string& a, const std::string& b) {
    if (a.empty() || b.empty()) return 0;
    auto it = pairs.find({a, b});
    return it == pairs.end() ? 0 : it->second;
  };
  for (const std::vector<At>& seq : seqs) {
    for (size_t i = 0; i < seq.size(); ++i) {
      const At& at = seq[i];
      const Word& word = at.line->words[at.word];
      if (word.confidence < 0 || at.key.empty()) continue;
      const std::vector<std::string>& seen = spellings[WithoutTone(at.key)];
      if (seen.size() < 2) continue;
      // A sure word may take only a spelling the recogniser itself weighed.
      std::vector<std::string> weighed;
      if (word.confidence >= kSureConfidence) {
        for (const std::string& alternative : word.alternatives) weighed.push_back(MatchKey(alternative));
        if (weighed.empty()) continue;
      }
      static const std::string kNone;
      const std::string& before = i > 0 && Joined(seq[i - 1], at) ? seq[i - 1].key : kNone;
      const std::string& after = i + 1 < seq.size() && Joined(at, seq[i + 1]) ? seq[i + 1].key : kNone;
      // The word's own pairs count it once each: not evidence for itself.
      const int own = std::max(0, count(before, at.key) - 1) + std::max(0, count(at.key, after) - 1);
      const std::string* best = nullptr;
      int best_score = 0;
      for (const std::string& other : seen) {
        if (other == at.key) continue;
        if (word.confidence >= kSureConfidence && std::find(weighed.begin(), weighed.end(), other) == weighed.end()) {
          continue;
        }
        const int left = count(before, other), right = count(other, after);
        // With a neighbour on each side, both must vouch for the spelling.
        if (!before.empty() && !after.empty() && (left == 0 || right == 0)) continue;
        const int score = left + right;
        if (score > best_score) best = &other, best_score = score;
      }
      if (best == nullptr || best_score < 2 || best_score <= 2 * own) continue;
      Respell(at, *best, " (as elsewhere in the plan)", notes, changed);
    }
  }
}

// Pairs of syllables the genre writes side by side (rules/phrases.list),
// by MatchKey.
std::set<std::string> GenrePairs(const RuleSet& rules) {
  std::set<std::string> pairs;
  for (const ListEntry& e : rules.List("phrases")) {
    if (e.kind == "pair") pairs.insert(MatchKey(e.canonical));
  }
  return pairs;
}

// A word whose recogniser weighed another tone (Word::alternatives) takes
// it when the word as read makes no pair of the genre's (phrases.list) with
// either neighbour and the other spelling does: "bố sung" becomes "bổ
// sung", "quy hoạch chỉ tiết" "chi tiết". The plan's own evidence
// (AgreeWithDocument) cannot tell these where the OCR misread the phrase
// everywhere it occurs, or where it occurs once. A typo printed in the
// plan stays: OCR reads it surely and weighs nothing beside it.
void AgreeWithGenre(const std::vector<std::vector<At>>& seqs, const std::set<std::string>& genre,
                    std::map<int, PageNotes>* notes, std::set<Line*>* changed) {
  if (genre.empty()) return;
  auto support = [&](const std::string* before, const std::string& key, const std::string* after) {
    return (before != nullptr && genre.count(*before + " " + key) ? 1 : 0) +
           (after != nullptr && genre.count(key + " " + *after) ? 1 : 0);
  };
  for (const std::vector<At>& seq : seqs) {
    for (size_t i = 0; i < seq.size(); ++i) {
      const At& at = seq[i];
      const Word& word = at.line->words[at.word];
      if (word.alternatives.empty() || at.key.empty()) continue;
      const std::string* before = i > 0 && Joined(seq[i - 1], at) ? &seq[i - 1].key : nullptr;
      const std::string* after = i + 1 < seq.size() && Joined(at, seq[i + 1]) ? &seq[i + 1].key : nullptr;
      if (support(before, at.key, after) > 0) continue;
      const std::string toneless = WithoutTone(at.key);
      std::string best;
      int best_support = 0;
      for (const std::string& alternative : word.alternatives) {
        const std::string key = MatchKey(alternative);
        if (WithoutTone(key) != toneless) continue;  // the word was repaired since
        const int s = support(before, key, after);
        if (s > best_support) best = key, best_support = s;
      }
      if (best_support > 0) Respell(at, best, " (as plans write it)", notes, changed);
    }
  }
}

}  // namespace

void RepairOcrText(Layout* layout, const RuleSet& rules, Diagnostics* diag) {
  bool any = false;
  for (const Page& p : layout->pages) any |= p.ocr;
  if (!any) return;
  Result<SyllableChecker> checker = SyllableChecker::FromRules(rules);
  if (!checker.ok()) return;  // a rule set without syllable rules: nothing to judge by
  std::map<int, PageNotes> notes;
  std::vector<Flow> flows;
  for (Block& b : layout->blocks) {
    if (b.kind == Block::Kind::kLines) {
      flows.emplace_back();
      for (Line& l : b.lines) {
        RepairLine(&l, rules, *checker, &notes[l.page]);
        flows.back().push_back(&l);
      }
    } else {
      for (Row& r : b.table.rows) {
        for (Cell& c : r.cells) {
          flows.emplace_back();
          for (Line& l : c.lines) {
            RepairLine(&l, rules, *checker, &notes[l.page]);
            flows.back().push_back(&l);
          }
        }
      }
    }
  }
  std::set<Line*> changed;
  // The genre first, so that the plan's own evidence is counted on words
  // already put right.
  AgreeWithGenre(Sequences(flows), GenrePairs(rules), &notes, &changed);
  AgreeWithDocument(Sequences(flows), &notes, &changed);
  for (Line* l : changed) RejoinText(l);
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
