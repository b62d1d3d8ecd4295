// OCR repair (pipeline/stages/ocr_repair.h): the ocr.* rule examples, and
// the mechanisms on words as Tesseract gives them.
#include "pipeline/stages/ocr_repair.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "tests/test_util.h"

namespace plantrace {
namespace {

TEST(OcrRules, ExamplesAndNegatives) {
  const std::vector<const Rule*>& rules = testing::Rules().Category("ocr");
  ASSERT_FALSE(rules.empty());
  for (const Rule* r : rules) {
    for (const RuleExample& e : r->examples) {
      std::string id;
      EXPECT_EQ(ApplyOcrRules(testing::Rules(), e.input, &id), e.expected) << r->id << " line " << e.line;
      // The example's own rule applies first (others may follow on its result).
      EXPECT_EQ(id.substr(0, id.find(',')), r->id) << e.input << ": applied by another rule first";
    }
    for (const RuleExample& n : r->negatives) {
      EXPECT_EQ(ApplyOcrRules(testing::Rules(), n.input), n.input) << r->id << " line " << n.line;
    }
  }
}

// One OCR'd page whose single line holds `words` (confidence 90 each).
Layout OcrLine(const std::vector<std::string>& words, float confidence = 90) {
  Layout l;
  l.format = Format::kPdf;
  Page p;
  p.ocr = true;
  l.pages.push_back(p);
  Block b;
  Line line;
  line.page = 1;
  line.line = 3;
  double x = 0;
  for (const std::string& w : words) {
    line.words.push_back(Word{w, Box{x, 0, x + 10, 10}, false, 12, confidence, {}});
    line.text += (line.text.empty() ? "" : " ") + w;
    x += 12;
  }
  b.lines.push_back(line);
  l.blocks.push_back(b);
  return l;
}

const Line& OnlyLine(const Layout& l) { return l.blocks.at(0).lines.at(0); }

bool Has(const Diagnostics& d, const std::string& code) {
  for (const Diagnostic& x : d.items()) {
    if (x.code == code) return true;
  }
  return false;
}

TEST(RepairOcrText, SplitsSyllablesRunTogether) {
  Layout l = OcrLine({"Sở", "SởYtế", "chủ", "trì"});
  Diagnostics diag;
  RepairOcrText(&l, testing::Rules(), &diag);
  EXPECT_EQ(OnlyLine(l).text, "Sở Sở Y tế chủ trì");
  ASSERT_EQ(OnlyLine(l).words.size(), 6u);
  // The pieces share the word's box.
  EXPECT_DOUBLE_EQ(OnlyLine(l).words[1].box.x0, 12);
  EXPECT_DOUBLE_EQ(OnlyLine(l).words[3].box.x1, 22);
  EXPECT_TRUE(Has(diag, "ocr.repaired"));
}

TEST(RepairOcrText, LowersACapitalSyllableAmongLowerCaseWords) {
  Layout l = OcrLine({"chuyển", "đổi", "SỐ"});
  RepairOcrText(&l, testing::Rules(), nullptr);
  EXPECT_EQ(OnlyLine(l).text, "chuyển đổi số");
  // Headings in capitals and abbreviations stay.
  Layout h = OcrLine({"KẾ", "HOẠCH", "SỐ"});
  RepairOcrText(&h, testing::Rules(), nullptr);
  EXPECT_EQ(OnlyLine(h).text, "KẾ HOẠCH SỐ");
  Layout a = OcrLine({"của", "UBND", "tỉnh"});
  RepairOcrText(&a, testing::Rules(), nullptr);
  EXPECT_EQ(OnlyLine(a).text, "của UBND tỉnh");
}

TEST(RepairOcrText, FlagsWordsThatAreNoSyllable) {
  Layout l = OcrLine({"Sở", "đẵ", "marketing", "Nghệ", "An"});
  Diagnostics diag;
  RepairOcrText(&l, testing::Rules(), &diag);
  EXPECT_EQ(OnlyLine(l).text, "Sở đẵ marketing Nghệ An");
  EXPECT_FLOAT_EQ(OnlyLine(l).words[1].confidence, kInventedConfidence);
  EXPECT_FLOAT_EQ(OnlyLine(l).words[0].confidence, 90);
  // A loanword read with confidence is taken as printed.
  EXPECT_FLOAT_EQ(OnlyLine(l).words[2].confidence, 90);
  ASSERT_TRUE(Has(diag, "ocr.not_vietnamese"));
  // Read unsure, it is flagged like any other.
  Layout unsure = OcrLine({"tiinh", "marketing"}, 50);
  RepairOcrText(&unsure, testing::Rules(), nullptr);
  EXPECT_FLOAT_EQ(OnlyLine(unsure).words[0].confidence, kInventedConfidence);
  EXPECT_FLOAT_EQ(OnlyLine(unsure).words[1].confidence, kInventedConfidence);
}

TEST(RepairOcrText, LeavesTextLayersAlone) {
  Layout l = OcrLine({"'Văn", "SởYtế", "đổi", "SỐ"}, -1);
  l.pages[0].ocr = false;
  RepairOcrText(&l, testing::Rules(), nullptr);
  EXPECT_EQ(OnlyLine(l).text, "'Văn SởYtế đổi SỐ");
  Layout o = OcrLine({"'Văn", "phòng"});
  RepairOcrText(&o, testing::Rules(), nullptr);
  EXPECT_EQ(OnlyLine(o).text, "Văn phòng");
}


// One OCR'd page with one block per phrase, each read at `confidence`.
Layout OcrPhrases(const std::vector<std::vector<std::string>>& phrases, float confidence) {
  Layout l;
  for (const std::vector<std::string>& words : phrases) {
    Layout one = OcrLine(words, confidence);
    if (l.pages.empty()) l = one;
    else l.blocks.push_back(one.blocks.at(0));
  }
  return l;
}

TEST(RepairOcrText, TakesTheTonePhrasesHaveElsewhereWhenUnsure) {
  const std::vector<std::string> right = {"và", "đổi", "mới", "sáng", "tạo"};
  // "đối mới" read unsure, "đổi mới" twice elsewhere in the plan.
  Layout l = OcrPhrases({right, right, {"và", "đối", "mới", "sáng", "tạo"}}, 80);
  Diagnostics diag;
  RepairOcrText(&l, testing::Rules(), &diag);
  EXPECT_EQ(l.blocks.at(2).lines.at(0).text, "và đổi mới sáng tạo");
  EXPECT_TRUE(Has(diag, "ocr.repaired"));
  // Read surely, the word is the page's own spelling (plans have typos).
  Layout sure = OcrPhrases({right, right, {"và", "đối", "mới", "sáng", "tạo"}}, 96);
  RepairOcrText(&sure, testing::Rules(), nullptr);
  EXPECT_EQ(sure.blocks.at(2).lines.at(0).text, "và đối mới sáng tạo");
  // ... unless the recogniser weighed the other tone beside its choice.
  Layout weighed = OcrPhrases({right, right, {"và", "đối", "mới", "sáng", "tạo"}}, 96);
  weighed.blocks.at(2).lines.at(0).words.at(1).alternatives = {"đổi"};
  RepairOcrText(&weighed, testing::Rules(), nullptr);
  EXPECT_EQ(weighed.blocks.at(2).lines.at(0).text, "và đổi mới sáng tạo");
  // A weighed spelling the plan does not vouch for changes nothing.
  Layout unvouched = OcrPhrases({right, right, {"và", "đối", "mới", "sáng", "tạo"}}, 96);
  unvouched.blocks.at(2).lines.at(0).words.at(1).alternatives = {"đồi"};
  RepairOcrText(&unvouched, testing::Rules(), nullptr);
  EXPECT_EQ(unvouched.blocks.at(2).lines.at(0).text, "và đối mới sáng tạo");
  // One pair elsewhere is not enough; nor a phrase across a comma; nor a
  // spelling with other letters than a tone ("có" is no "cơ").
  Layout once = OcrPhrases({{"sửa", "đổi", "và"}, {"sửa", "đối"}}, 80);
  RepairOcrText(&once, testing::Rules(), nullptr);
  EXPECT_EQ(once.blocks.at(1).lines.at(0).text, "sửa đối");
  Layout comma = OcrPhrases({{"các", "Sở,", "ngành"}, {"các", "Sở,", "ngành"}, {"một", "số", "ngành"}}, 80);
  RepairOcrText(&comma, testing::Rules(), nullptr);
  EXPECT_EQ(comma.blocks.at(2).lines.at(0).text, "một số ngành");
  Layout hat = OcrPhrases({{"cơ", "sở"}, {"cơ", "sở"}, {"có", "sở"}}, 80);
  RepairOcrText(&hat, testing::Rules(), nullptr);
  EXPECT_EQ(hat.blocks.at(2).lines.at(0).text, "có sở");
  // With a neighbour on each side, both must vouch for it.
  Layout one_side = OcrPhrases({{"xã", "phường"}, {"xã", "phường"}, {"địa", "phương", "xã"}}, 80);
  RepairOcrText(&one_side, testing::Rules(), nullptr);
  EXPECT_EQ(one_side.blocks.at(2).lines.at(0).text, "địa phương xã");
}

TEST(RepairOcrText, TakesTheToneTheGenreWritesWhenTheRecogniserWeighedIt) {
  // rules/phrases.list holds "bổ sung" and "chi tiết", not "bố sung" or
  // "chỉ tiết"; the plan itself says nothing either way.
  Layout l = OcrPhrases({{"sửa", "đổi", "và", "bố", "sung"}, {"quy", "hoạch", "chỉ", "tiết"}}, 96);
  l.blocks.at(0).lines.at(0).words.at(3).alternatives = {"bổ"};
  l.blocks.at(1).lines.at(0).words.at(2).alternatives = {"chi"};
  Diagnostics diag;
  RepairOcrText(&l, testing::Rules(), &diag);
  EXPECT_EQ(l.blocks.at(0).lines.at(0).text, "sửa đổi và bổ sung");
  EXPECT_EQ(l.blocks.at(1).lines.at(0).text, "quy hoạch chi tiết");
  EXPECT_TRUE(Has(diag, "ocr.repaired"));
  // Not weighed by the recogniser: the page's spelling (a typo of the plan).
  Layout typo = OcrPhrases({{"và", "bố", "sung"}}, 96);
  RepairOcrText(&typo, testing::Rules(), nullptr);
  EXPECT_EQ(OnlyLine(typo).text, "và bố sung");
  // The word as read makes a pair of the genre already: kept.
  Layout kept = OcrPhrases({{"sự", "chỉ", "đạo"}}, 96);
  kept.blocks.at(0).lines.at(0).words.at(1).alternatives = {"chi"};
  RepairOcrText(&kept, testing::Rules(), nullptr);
  EXPECT_EQ(OnlyLine(kept).text, "sự chỉ đạo");
  // A comma breaks the phrase.
  Layout comma = OcrPhrases({{"bố,", "sung"}}, 96);
  comma.blocks.at(0).lines.at(0).words.at(0).alternatives = {"bổ,"};
  RepairOcrText(&comma, testing::Rules(), nullptr);
  EXPECT_EQ(OnlyLine(comma).text, "bố, sung");
}

}  // namespace
}  // namespace plantrace
