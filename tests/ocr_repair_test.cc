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
      EXPECT_EQ(id, r->id) << e.input << ": applied by another rule first";
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
    line.words.push_back(Word{w, Box{x, 0, x + 10, 10}, false, 12, confidence});
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

}  // namespace
}  // namespace plantrace
