// Unicode keys: NFC, tone placement, folding for matching and search.
#include "pipeline/base/unicode.h"

#include <gtest/gtest.h>

namespace plantrace {
namespace {

struct KeyCase {
  const char* id;
  const char* a;
  const char* b;
};

TEST(UnicodeTest, MatchKeyUnifiesToneCaseAndSpaces) {
  const KeyCase cases[] = {
      {"uy-old-new", "Uỷ ban nhân dân", "Ủy ban nhân dân"},
      {"hoa", "Sở Văn hoá", "sở văn hóa"},
      {"thuy", "Thuỷ lợi", "thủy lợi"},
      {"khoe", "sức khoẻ", "sức khỏe"},
      {"spaces", "Sở  Khoa học\tvà Công nghệ", "sở khoa học và công nghệ"},
      {"decomposed", "Ho\xCC\x80" "a", "Hòa"},  // "Hòa" written with a combining grave
  };
  for (const KeyCase& c : cases) {
    SCOPED_TRACE(c.id);
    EXPECT_EQ(MatchKey(c.a), MatchKey(c.b));
  }
}

TEST(UnicodeTest, NewStyleTonesKeepsQuAndGi) {
  EXPECT_EQ(NewStyleTones("Quý II"), "Quý II");
  EXPECT_EQ(NewStyleTones("hoà bình"), "hòa bình");
  EXPECT_EQ(NewStyleTones("toàn"), "toàn");  // closed syllable: nothing to move
}

TEST(UnicodeTest, SearchKeyFoldsEverything) {
  const KeyCase cases[] = {
      {"so-khcn", "Sở Khoa học", "so khoa hoc"},
      {"d-stroke", "Đảng ủy", "dang uy"},
      {"stacked", "Nội vụ", "noi vu"},
      {"punct", "Sở KH&CN", "so kh cn"},
      {"kho", "Kho dữ liệu dùng chung", "kho du lieu dung chung"},
  };
  for (const KeyCase& c : cases) {
    SCOPED_TRACE(c.id);
    EXPECT_EQ(SearchKey(c.a), c.b);
  }
}

TEST(UnicodeTest, InvalidUtf8Offset) {
  EXPECT_EQ(FindInvalidUtf8("abc"), std::string_view::npos);
  EXPECT_EQ(FindInvalidUtf8("Sở"), std::string_view::npos);
  EXPECT_EQ(FindInvalidUtf8("ab\xFF" "c"), 2u);
  EXPECT_EQ(FindInvalidUtf8("a\xE1\xBB"), 1u);  // truncated sequence
}

TEST(UnicodeTest, CaseOfFirstLetter) {
  EXPECT_TRUE(StartsLowerCase("đổi mới"));
  EXPECT_FALSE(StartsLowerCase("Đổi mới"));
  EXPECT_FALSE(StartsLowerCase("2025 và"));
  EXPECT_TRUE(StartsUpper("“Học tập số”"));
  EXPECT_TRUE(IsAllUpper("KẾ HOẠCH"));
  EXPECT_FALSE(IsAllUpper("Kế hoạch"));
}

}  // namespace
}  // namespace plantrace
