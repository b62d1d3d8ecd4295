// Tests for extractors/markup_util: the Roman list markers the DOCX
// (w:numFmt lowerRoman/upperRoman) and HTML (<ol type="i|I">) readers print
// through one RomanNumeral. Table-driven.
#include "extractors/markup_util.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace plantrace {
namespace {

TEST(MarkupUtilTest, RomanNumeral) {
  struct Case {
    const char* id;
    int v;
    bool upper;
    std::string want;
  };
  const std::vector<Case> cases = {
      {"one", 1, true, "I"},
      {"four", 4, false, "iv"},
      {"nine", 9, true, "IX"},
      {"fourteen", 14, false, "xiv"},
      {"forty-nine", 49, true, "XLIX"},
      {"ninety", 90, false, "xc"},
      {"four-hundred", 400, true, "CD"},
      {"year", 1994, true, "MCMXCIV"},
      {"zero", 0, true, ""},
      {"negative", -3, false, ""},
      // A bound, not a numeral: a huge value stops after 20-odd letters.
      {"huge", 1000000, true, std::string(20, 'M')},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.id);
    EXPECT_EQ(RomanNumeral(c.v, c.upper), c.want);
  }
}

}  // namespace
}  // namespace plantrace
