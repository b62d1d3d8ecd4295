// Legacy encodings: evidence counting and the character map of a decode.*
// rule (see legacy_encoding.h).
#include "pipeline/stages/legacy_encoding.h"

#include <array>
#include <cstdlib>
#include <functional>
#include <map>
#include <vector>

#include "pipeline/base/unicode.h"

namespace plantrace {
namespace {

// A rule's "map: X=Y X=Y ..." lines as code point -> replacement.
std::map<char32_t, std::string> CharMap(const Rule& rule) {
  std::map<char32_t, std::string> out;
  for (const std::string& line : rule.GetAll("map")) {
    size_t i = 0;
    while (i < line.size()) {
      while (i < line.size() && line[i] == ' ') ++i;
      if (i >= line.size()) break;
      size_t end = line.find(' ', i);
      if (end == std::string::npos) end = line.size();
      std::string_view pair(line.data() + i, end - i);
      size_t j = 0;
      char32_t from = NextCodePoint(pair, &j);
      if (j < pair.size() && pair[j] == '=') out[from] = std::string(pair.substr(j + 1));
      i = end;
    }
  }
  return out;
}

// Letters only Unicode Vietnamese has (Latin-1 cannot show them): ă â đ ơ ư
// with their capitals, ĩ ũ, and the Latin Extended Additional block.
bool UnicodeOnlyVietnamese(char32_t cp) {
  switch (cp) {
    case 0x102: case 0x103: case 0x110: case 0x111: case 0x128: case 0x129:
    case 0x168: case 0x169: case 0x1A0: case 0x1A1: case 0x1AF: case 0x1B0:
      return true;
    default:
      return cp >= 0x1EA0 && cp <= 0x1EF9;
  }
}

struct Evidence {
  size_t mapped = 0;   // code points in the rule's map
  size_t latin = 0;    // code points in U+00A0..U+024F
  size_t unicode = 0;  // letters only Unicode Vietnamese has

  explicit Evidence(const std::map<char32_t, std::string>& map) {
    for (const auto& [cp, to] : map) {
      if (cp < in_map.size()) in_map[cp] = true;
    }
  }
  void Count(std::string_view s) {
    for (size_t i = 0; i < s.size();) {
      if (static_cast<unsigned char>(s[i]) < 0x80) {
        ++i;
        continue;
      }
      char32_t cp = NextCodePoint(s, &i);
      if (cp < 0xA0) continue;
      if (UnicodeOnlyVietnamese(cp)) ++unicode;
      if (cp <= 0x24F) ++latin;
      if (cp < in_map.size() && in_map[cp]) ++mapped;
    }
  }
  bool Meets(const Rule& rule) const {
    const size_t min_count = std::strtoul(rule.Get("min_count", "20").c_str(), nullptr, 10);
    const double min_share = std::strtod(rule.Get("min_share", "0.9").c_str(), nullptr);
    const double max_unicode = std::strtod(rule.Get("max_unicode_share", "0.02").c_str(), nullptr);
    return mapped >= min_count && mapped >= min_share * latin && unicode <= max_unicode * mapped;
  }

  // Legacy codes are single bytes: code points below U+0100.
  std::array<bool, 0x100> in_map{};
};

std::string MapLine(std::string_view text, const std::map<char32_t, std::string>& map) {
  std::string out;
  out.reserve(text.size() + text.size() / 4);
  size_t ascii_letters = 0, ascii_capitals = 0;
  for (size_t i = 0; i < text.size();) {
    size_t at = i;
    char32_t cp = NextCodePoint(text, &i);
    if (cp < 0x80 && ((cp | 0x20) >= 'a' && (cp | 0x20) <= 'z')) {
      ++ascii_letters;
      if (cp <= 'Z') ++ascii_capitals;
    }
    auto it = map.find(cp);
    if (it != map.end()) {
      out += it->second;
    } else {
      out.append(text.substr(at, i - at));
    }
  }
  if (ascii_letters >= 3 && ascii_capitals == ascii_letters) return ToUpper(out);
  return out;
}

// Calls fn(text, is_word) on every text of the layout: lines, cell lines and
// their words.
template <typename Fn>
void ForEachText(Layout* layout, Fn fn) {
  auto line = [&](Line& l) {
    fn(&l.text, false);
    for (Word& w : l.words) fn(&w.text, true);
  };
  for (Block& b : layout->blocks) {
    for (Line& l : b.lines) line(l);
    for (Row& r : b.table.rows) {
      for (Cell& c : r.cells) {
        for (Line& l : c.lines) line(l);
      }
    }
  }
}

// The first decode rule whose evidence the texts `feed` counts meet.
const Rule* Detect(const RuleSet& rules, const std::function<void(Evidence&)>& feed) {
  for (const Rule* r : rules.Category("decode")) {
    Evidence e(CharMap(*r));
    feed(e);
    if (e.Meets(*r)) return r;
  }
  return nullptr;
}

}  // namespace

const Rule* DetectLegacyEncoding(std::string_view text, const RuleSet& rules) {
  return Detect(rules, [&](Evidence& e) { e.Count(text); });
}

std::string DecodeLegacyText(std::string_view text, const Rule& rule) {
  std::map<char32_t, std::string> map = CharMap(rule);
  std::string out;
  size_t start = 0;
  while (start <= text.size()) {
    size_t nl = text.find('\n', start);
    if (nl == std::string_view::npos) nl = text.size();
    out += MapLine(text.substr(start, nl - start), map);
    if (nl < text.size()) out += '\n';
    start = nl + 1;
  }
  return out;
}

bool DecodeLegacyEncoding(Layout* layout, const RuleSet& rules, Diagnostics* diag) {
  const Rule* r = Detect(rules, [&](Evidence& e) {
    ForEachText(layout, [&](std::string* s, bool is_word) {
      if (!is_word) e.Count(*s);  // a line's words repeat its text
    });
  });
  if (!r) return false;
  const std::map<char32_t, std::string> map = CharMap(*r);
  ForEachText(layout, [&](std::string* s, bool) { *s = MapLine(*s, map); });
  if (diag) {
    diag->Warn("legacy.decoded", layout->source + ": text in a legacy 8-bit encoding, mapped to Unicode by rule " +
                                     r->Ref(rules.hash()) + "; check letters typed in capitals");
  }
  return true;
}

std::string Windows1252ToUtf8(std::string_view bytes) {
  // 0x80..0x9F: typographic marks in Windows-1252 (controls in ISO-8859-1);
  // the five unassigned codes are kept as those controls.
  static constexpr char16_t kHigh[32] = {
      0x20AC, 0x0081, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021, 0x02C6, 0x2030, 0x0160,
      0x2039, 0x0152, 0x008D, 0x017D, 0x008F, 0x0090, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022,
      0x2013, 0x2014, 0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0x009D, 0x017E, 0x0178};
  std::string out;
  out.reserve(bytes.size() * 2);
  for (char ch : bytes) {
    unsigned char c = static_cast<unsigned char>(ch);
    AppendUtf8(&out, c >= 0x80 && c < 0xA0 ? kHigh[c - 0x80] : c);
  }
  return out;
}

}  // namespace plantrace
