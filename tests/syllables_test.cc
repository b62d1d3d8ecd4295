// The Vietnamese syllable check: every example and negative of the
// syllable.* rules (rules/syllables.rules), and the mechanism around them
// (NFD and capitals, punctuation, abbreviations, the share of a text).
#include "pipeline/base/syllables.h"

#include <gtest/gtest.h>

#include <string>

#include "pipeline/base/unicode.h"
#include "tests/test_util.h"

namespace plantrace {
namespace {

const SyllableChecker& Checker() {
  static const SyllableChecker* checker = [] {
    auto c = SyllableChecker::FromRules(testing::Rules());
    EXPECT_TRUE(c.ok()) << c.status().message();
    return new SyllableChecker(std::move(c).value());
  }();
  return *checker;
}

// A verdict in the notation of the rules' examples: "ONSET RHYME TONE",
// ONSET "-" when none; "not: WHY" when it is no syllable.
std::string Parts(const SyllableVerdict& v) {
  if (!v.valid) return "not: " + v.why;
  return (v.onset.empty() ? "-" : v.onset) + " " + v.rhyme + " " + v.tone;
}

TEST(SyllableRules, ExamplesAndNegatives) {
  int examples = 0, negatives = 0;
  for (const Rule* r : testing::Rules().Category("syllable")) {
    for (const RuleExample& ex : r->examples) {
      SCOPED_TRACE(r->file + ":" + std::to_string(ex.line) + " " + r->id);
      EXPECT_EQ(Parts(Checker().Judge(ex.input)), ex.expected) << ex.input;
      ++examples;
    }
    for (const RuleExample& neg : r->negatives) {
      SCOPED_TRACE(r->file + ":" + std::to_string(neg.line) + " " + r->id + " (negative)");
      SyllableVerdict v = Checker().Judge(neg.input);
      EXPECT_FALSE(v.valid) << neg.input << " => " << Parts(v);
      // Under a rule with a pattern, the negative shows that rule at work.
      if (!r->patterns.empty()) {
        EXPECT_EQ(v.why, r->id) << neg.input;
      }
      ++negatives;
    }
  }
  EXPECT_GT(examples, 100);
  EXPECT_GT(negatives, 50);
}

TEST(SyllableChecker, NeedsTheFamilyAndWellFormedRules) {
  {
    auto rs = RuleSet::FromFiles({{"t.rules", "[signature.x]\npattern: x\nexample: x => yes\n"}});
    ASSERT_TRUE(rs.ok()) << rs.status().message();
    auto c = SyllableChecker::FromRules(*rs);
    ASSERT_FALSE(c.ok());
    EXPECT_EQ(c.status().code(), Status::Code::kNotFound);
  }
  {
    auto rs = RuleSet::FromFiles({{"t.rules", "[syllable.form]\nkind: form\npattern: ^[a-z]+$\nexample: ba => - ba ngang\n"}});
    ASSERT_TRUE(rs.ok()) << rs.status().message();
    auto c = SyllableChecker::FromRules(*rs);
    ASSERT_FALSE(c.ok());
    EXPECT_EQ(c.status().message(), "t.rules:1 syllable.form: a form pattern needs two groups (onset, rhyme): /^[a-z]+$/");
  }
  {
    auto rs = RuleSet::FromFiles(
        {{"t.rules", "[syllable.form]\nkind: form\npattern: ^(b)?(a)$\nexample: ba => b a ngang\n\n"
                     "[syllable.tone.x]\nkind: tone\npattern: a$\nexample: bá => b a sắc\n"}});
    ASSERT_TRUE(rs.ok()) << rs.status().message();
    auto c = SyllableChecker::FromRules(*rs);
    ASSERT_FALSE(c.ok());
    EXPECT_EQ(c.status().message(), "t.rules:6 syllable.tone.x: a tone rule needs 'tones:'");
  }
  // The schema: the kinds and tone names it knows.
  auto bad = RuleSet::FromFiles({{"t.rules", "[syllable.form]\nkind: shape\npattern: ^(b)?(a)$\nexample: ba => b a ngang\n"}});
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.status().message(), "t.rules:2 syllable.form: kind: 'shape' is not one of: form exclude tone");
  bad = RuleSet::FromFiles({{"t.rules", "[syllable.t]\nkind: tone\npattern: p$\ntones: sac\nnegative: càp\n"}});
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.status().message(),
            "t.rules:4 syllable.t: tones: 'sac' holds a word not among: ngang huyền sắc hỏi ngã nặng");
}

TEST(SyllableChecker, NfdAndCapitalsAreTheSameWord) {
  for (const char* w : {"Kế", "hoạch", "nhiệm", "Ủy", "quốc", "giữa", "khuyến", "nghiêng", "thường", "đồng"}) {
    SCOPED_TRACE(w);
    const std::string want = Parts(Checker().Judge(w));
    EXPECT_TRUE(Checker().IsSyllable(w));
    EXPECT_NE(ToNfd(w), std::string(w));
    EXPECT_EQ(Parts(Checker().Judge(ToNfd(w))), want);
    EXPECT_EQ(Parts(Checker().Judge(ToUpper(w))), want);
    EXPECT_EQ(Parts(Checker().Judge(ToNfd(ToUpper(w)))), want);
  }
}

TEST(SyllableChecker, ToneMarks) {
  // e, dot below, circumflex, then a second tone (tilde) on the same vowel.
  EXPECT_EQ(Checker().Judge("nhie\u0323\u0302\u0303m").why, "2 tone marks");
  // A tone mark on the m after the vowel.
  EXPECT_EQ(Checker().Judge("nhi\u00eam\u0303").why, "tone mark not on a vowel");
  EXPECT_EQ(Checker().Judge("\u0301a").why, "tone mark not on a vowel");
  // Old and new placement.
  EXPECT_EQ(Parts(Checker().Judge("ho\u00e0")), "h oa huyền");
  EXPECT_EQ(Parts(Checker().Judge("h\u00f2a")), "h oa huyền");
  EXPECT_EQ(Parts(Checker().Judge("hoa")), "h oa ngang");
}

TEST(SyllableChecker, PunctuationAtTheEnds) {
  for (const char* w : {"(Kế", "hoạch,", "“nhiệm”", "vụ.", "\"chủ", "trì;", "quốc:", "giờ!", "tỉnh)...", "«huyện»", "–năm–"}) {
    SCOPED_TRACE(w);
    EXPECT_TRUE(Checker().Checkable(w));
    EXPECT_TRUE(Checker().IsSyllable(w));
  }
  EXPECT_FALSE(Checker().IsSyllable("..."));
  EXPECT_EQ(Checker().Judge("...").why, "no letter");
  EXPECT_EQ(Checker().Judge("hoạ.ch").why, "not a letter");
  EXPECT_FALSE(Checker().IsSyllable(""));
}

TEST(SyllableChecker, WhatIsJudged) {
  // Abbreviations: capitals without a vowel mark.
  for (const char* w : {"UBND", "HĐND", "CNTT", "KHOA", "(UBND)", "TW", "QĐ-UBND", "KH-UBND", "57-NQ/TW", "2025",
                        "102/KH", "b)", "đ)", "V.", "", "...", "–", "a1", "Sở1", "x²", "ho¹ch", "®ét"}) {
    SCOPED_TRACE(w);
    EXPECT_FALSE(Checker().Checkable(w));
  }
  // Capital words with a vowel mark are judged; so are lone vowels and
  // anything with a lower-case letter.
  for (const char* w : {"KẾ", "HOẠCH", "NHIỆM", "ĐẢNG", "Ủy", "ở", "ý", "a)", "A.", "Ubnd", "tiinh", "IøT", "Ðxq",
                        "KÕ", "NghÞ"}) {
    SCOPED_TRACE(w);
    EXPECT_TRUE(Checker().Checkable(w));
  }
  EXPECT_TRUE(Checker().IsSyllable("KẾ"));
  EXPECT_FALSE(Checker().IsSyllable("Ubnd"));
}

TEST(SyllableChecker, ShareOfARealSentence) {
  // From a real plan (102/KH-UBND of Hưng Yên), numbers, abbreviations and
  // punctuation included.
  const std::string text =
      "Căn cứ Nghị quyết số 71/NQ-CP ngày 01/4/2025 của Chính phủ sửa đổi, bổ sung cập nhật Chương trình hành "
      "động của Chính phủ thực hiện Nghị quyết số 57-NQ/TW ngày 22/12/2024 của Bộ Chính trị về đột phá phát "
      "triển khoa học, công nghệ, đổi mới sáng tạo và chuyển đổi số quốc gia (sau đây gọi tắt là Nghị quyết "
      "số 71/NQ-CP); Kế hoạch số 386-KH/TU ngày 13/02/2025 của Ban Thường vụ Tỉnh ủy Hưng Yên, Ủy ban nhân "
      "dân tỉnh ban hành Kế hoạch thực hiện như sau: I. MỤC ĐÍCH, YÊU CẦU. Sở Khoa học và Công nghệ chủ trì, "
      "phối hợp với các sở, ban, ngành; thời gian hoàn thành: Quý II/2026; thường xuyên.";
  SyllableChecker::Share s = Checker().Measure(text);
  EXPECT_GT(s.checked, 80);
  EXPECT_GE(s.ratio(), 0.95) << s.valid << "/" << s.checked;
  EXPECT_EQ(s.valid, s.checked);  // every word of it is a syllable

  SyllableChecker::Share three = Checker().Measure("Kế hoạch\u00a0số 102/KH-UBND");
  EXPECT_EQ(three.checked, 3);
  EXPECT_EQ(three.valid, 3);
}

TEST(SyllableChecker, ShareOfGarbage) {
  // OCR of a poor scan, and TCVN3 (.VnTime) text read without mapping.
  const char* lines[] = {
      "Ké hoach thuc hiên nhiêm vu IøT tiinh ngk Ðxq hoạcb vụu càp tràng̀ cǜng",
      "KÕ ho¹ch thùc hiÖn NghÞ quyÕt sè 57-NQ/TW vÒ ®ét ph¸ ph¸t triÓn khoa häc, c«ng nghÖ",
  };
  for (const char* line : lines) {
    SCOPED_TRACE(line);
    SyllableChecker::Share s = Checker().Measure(line);
    EXPECT_GE(s.checked, 8);
    EXPECT_LT(s.ratio(), 0.4) << s.valid << "/" << s.checked;
  }
  SyllableChecker::Share none = Checker().Measure("57-NQ/TW UBND 2025 ...");
  EXPECT_EQ(none.checked, 0);
  EXPECT_EQ(none.ratio(), 0.0);
}

}  // namespace
}  // namespace plantrace
