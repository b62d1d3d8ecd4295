// Legacy encodings: the decode.* examples of rules/encodings.rules, and a
// real plan re-encoded as TCVN3 (as UTF-8 mojibake and as 8-bit bytes)
// giving the same tasks as the Unicode original.
#include "pipeline/stages/legacy_encoding.h"

#include <gtest/gtest.h>

#include <map>
#include <string>
#include <vector>

#include "pipeline/base/unicode.h"
#include "pipeline/stages/process.h"
#include "tests/test_util.h"

namespace plantrace {
namespace {

const Rule& Tcvn3() {
  const Rule* r = testing::Rules().Find("decode.tcvn3");
  EXPECT_NE(r, nullptr);
  return *r;
}

TEST(LegacyEncodingTest, RuleExamples) {
  int checked = 0;
  for (const Rule* r : testing::Rules().Category("decode")) {
    for (const RuleExample& ex : r->examples) {
      SCOPED_TRACE(r->id + " line " + std::to_string(ex.line));
      EXPECT_EQ(DecodeLegacyText(ex.input, *r), ex.expected);
      ++checked;
    }
  }
  EXPECT_GE(checked, 3);
}

// Letter -> TCVN3 code (the rule's map reversed); a capital with a tone mark
// takes its small letter's code, as the capitals font does.
std::map<std::string, std::string> Encoder() {
  std::map<std::string, std::string> enc;
  for (const std::string& line : Tcvn3().GetAll("map")) {
    size_t i = 0;
    while (i < line.size()) {
      size_t end = line.find(' ', i);
      if (end == std::string::npos) end = line.size();
      std::string pair = line.substr(i, end - i);
      size_t eq = pair.find('=', 1);
      if (eq != std::string::npos) enc[pair.substr(eq + 1)] = pair.substr(0, eq);
      i = end + 1;
    }
  }
  return enc;
}

// `text` as a TCVN3 document reaches plantrace: every Vietnamese letter
// replaced by its code; `eight_bit` also writes one byte per character.
std::string EncodeTcvn3(const std::string& text, bool eight_bit) {
  std::map<std::string, std::string> enc = Encoder();
  std::string out;
  for (size_t i = 0; i < text.size();) {
    size_t n = 1;
    unsigned char c = static_cast<unsigned char>(text[i]);
    if (c >= 0xF0) n = 4; else if (c >= 0xE0) n = 3; else if (c >= 0xC0) n = 2;
    std::string ch = text.substr(i, n);
    i += n;
    auto it = enc.find(ch);
    if (it == enc.end()) it = enc.find(ToLower(ch));
    std::string code = it != enc.end() ? it->second : ch;
    if (eight_bit) {
      if (code.size() == 1) {
        out += code;
      } else if (code.size() == 2 && static_cast<unsigned char>(code[0]) < 0xC4) {
        out += static_cast<char>(((code[0] & 0x1F) << 6) | (code[1] & 0x3F));  // U+0080..U+00FF
      } else {
        // Typographic marks have Windows-1252 bytes.
        static const std::map<std::string, char> kMarks = {{"–", '\x96'}, {"—", '\x97'}, {"“", '\x93'},
                                                           {"”", '\x94'}, {"‘", '\x91'}, {"’", '\x92'},
                                                           {"…", '\x85'}};
        auto m = kMarks.find(ch);
        EXPECT_NE(m, kMarks.end()) << "no byte for " << ch;
        out += m == kMarks.end() ? '?' : m->second;
      }
    } else {
      out += code;
    }
  }
  return out;
}

TEST(LegacyEncodingTest, UnicodeTextIsNeverDecoded) {
  for (const char* stem : {"000_5765c50382b6d008", "002_aceac1bad310a983", "004_e3670e579c2a1ce4"}) {
    SCOPED_TRACE(stem);
    std::string text = testing::ReadFileOrDie(testing::CorpusDir() + "/seeds/" + stem + ".txt");
    EXPECT_EQ(DetectLegacyEncoding(text, testing::Rules()), nullptr);
  }
  EXPECT_EQ(DetectLegacyEncoding("Plain ASCII text with no Vietnamese letters at all, repeated.", testing::Rules()),
            nullptr);
}

TEST(LegacyEncodingTest, Tcvn3PlanGivesTheSameTasks) {
  const std::string path = testing::CorpusDir() + "/seeds/000_5765c50382b6d008.txt";
  // "≥" and "≤" have no byte in Windows-1252: such files print ">=" / "<=".
  std::string text = testing::ReadFileOrDie(path);
  for (auto [from, to] : {std::pair<std::string, std::string>{"≥", ">="}, {"≤", "<="}}) {
    for (size_t at = text.find(from); at != std::string::npos; at = text.find(from, at))
      text.replace(at, from.size(), to);
  }
  Result<Record> original = ProcessDocument(text, path, testing::Rules());
  ASSERT_TRUE(original.ok()) << original.status().ToString();
  for (bool eight_bit : {false, true}) {
    SCOPED_TRACE(eight_bit ? "8-bit bytes" : "UTF-8 mojibake");
    std::string encoded = EncodeTcvn3(text, eight_bit);
    ASSERT_NE(encoded, text);
    Result<Record> got = ProcessDocument(encoded, path, testing::Rules());
    ASSERT_TRUE(got.ok()) << got.status().ToString();
    bool noted = false;
    for (const Diagnostic& d : got->warnings) noted |= d.code == "legacy.decoded";
    EXPECT_TRUE(noted);
    ASSERT_EQ(got->tasks.size(), original->tasks.size());
    // Capitals with tone marks inside mixed-case lines come back small
    // (the capitals font cannot be told from the text): compare folded.
    for (size_t i = 0; i < got->tasks.size(); ++i) {
      SCOPED_TRACE("task " + std::to_string(i + 1));
      const Task& a = original->tasks[i];
      const Task& b = got->tasks[i];
      EXPECT_EQ(MatchKey(b.name), MatchKey(a.name));
      EXPECT_EQ(MatchKey(b.lead_raw.value_or("")), MatchKey(a.lead_raw.value_or("")));
      EXPECT_EQ(b.deadline_raw.has_value(), a.deadline_raw.has_value());
      EXPECT_EQ(b.deadline.has_value() ? b.deadline->end : std::nullopt,
                a.deadline.has_value() ? a.deadline->end : std::nullopt);
    }
    EXPECT_EQ(got->meta.number, original->meta.number);
    EXPECT_EQ(got->meta.date, original->meta.date);
  }
}

}  // namespace
}  // namespace plantrace
