// References: numbers, dates and relations read from their clause.
#include "pipeline/references.h"

#include <gtest/gtest.h>

#include "tests/test_util.h"

namespace plantrace {
namespace {

struct RefCase {
  const char* id;
  std::vector<std::string> units;
  const char* number;
  const char* relation;
  const char* date;  // nullptr: none
};

TEST(ReferencesTest, RelationFromClause) {
  const RefCase cases[] = {
      {"supersedes", {"6. Kế hoạch này thay thế Kế hoạch số 44/KH-UBND ngày 03/3/2025 của Ủy ban nhân dân tỉnh."},
       "44/KH-UBND", "supersedes", "2025-03-03"},
      {"implements-title", {"THỰC HIỆN NGHỊ QUYẾT SỐ 71/NQ-CP NGÀY 01/4/2025 CỦA CHÍNH PHỦ"}, "71/NQ-CP",
       "implements", "2025-04-01"},
      {"nested-description-is-not-ours",
       {"THỰC HIỆN NGHỊ QUYẾT SỐ 71/NQ-CP NGÀY 01/4/2025 CỦA CHÍNH PHỦ SỬA ĐỔI, BỔ SUNG CHƯƠNG TRÌNH HÀNH ĐỘNG "
        "THỰC HIỆN NGHỊ QUYẾT SỐ 57-NQ/TW NGÀY 22/12/2024"},
       "57-NQ/TW", "cites", "2024-12-22"},
      {"based-on-paragraph",
       {"Căn cứ Nghị quyết số 71/NQ-CP ngày 01/4/2025 của Chính phủ sửa đổi Chương trình thực hiện Nghị quyết số "
        "57-NQ/TW ngày 22/12/2024 của Bộ Chính trị;"},
       "57-NQ/TW", "based_on", "2024-12-22"},
      {"coordination",
       {"Xác định các nội dung nhiệm vụ để hiện thực các mục tiêu tại Nghị quyết số 71/NQ-CP và Kế hoạch số "
        "386-KH/TU, nhằm góp phần."},
       "386-KH/TU", "implements", nullptr},
      {"noun-not-verb",
       {"theo dõi, tổng hợp kết quả thực hiện Bộ Chỉ số phục vụ người dân theo Quyết định số 766/QĐ-TTg ngày "
        "23/6/2022"},
       "766/QĐ-TTg", "cites", "2022-06-23"},
      {"topic-not-object",
       {"Ban hành và tổ chức triển khai chương trình tuyên truyền về nội dung Nghị quyết số 57-NQ/TW theo hướng"},
       "57-NQ/TW", "cites", nullptr},
      {"spaced-number", {"Kế hoạch hành động số 433 -KH/TU ngày 11/6/2025"}, "433-KH/TU", "cites", "2025-06-11"},
      {"strongest-wins",
       {"Căn cứ Kế hoạch số 44/KH-UBND;", "Kế hoạch này thay thế Kế hoạch số 44/KH-UBND."}, "44/KH-UBND",
       "supersedes", nullptr},
      {"coordination-skips-nested",
       {"triển khai kịp thời nhiệm vụ trong Kế hoạch số 433-KH/TU ngày 11/6/2025 của Ban Thường vụ thực hiện Nghị "
        "quyết số 57-NQ/TW (viết tắt là Kế hoạch số 433-KH/TU) và các mục tiêu trong Nghị quyết số 71/NQ-CP"},
       "71/NQ-CP", "implements", nullptr},
      {"according-to-not-object",
       {"Xây dựng và triển khai dự án đảm bảo an toàn, an ninh mạng theo NĐ85/2016/NĐ-CP và các quy định hiện hành"},
       "85/2016/NĐ-CP", "cites", nullptr},
      {"purpose-clause-after",
       {"Bám sát mục tiêu tại Nghị định số 88/2025/NĐ-CP ngày 13/4/2025 của Chính phủ và điều kiện thực tế để triển "
        "khai thực hiện các mục tiêu"},
       "88/2025/NĐ-CP", "implements", "2025-04-13"},
      {"comma-date", {"Quyết định số 489/QĐ-TTg, ngày 10/6/2024 của Thủ tướng"}, "489/QĐ-TTg", "cites",
       "2024-06-10"},
  };
  for (const RefCase& c : cases) {
    SCOPED_TRACE(c.id);
    std::vector<TextUnit> units;
    for (const std::string& u : c.units) units.push_back(TextUnit{u, 0, 1, ""});
    std::vector<Reference> refs = FindReferences(units, std::nullopt, testing::Rules());
    const Reference* found = nullptr;
    for (const Reference& r : refs) {
      if (r.number == c.number) found = &r;
    }
    ASSERT_NE(found, nullptr);
    EXPECT_EQ(found->relation, c.relation);
    if (c.date) {
      EXPECT_EQ(found->date.value_or("-"), c.date);
    } else {
      EXPECT_FALSE(found->date.has_value());
    }
    EXPECT_FALSE(found->provenance.rules.empty());
  }
}

TEST(ReferencesTest, OwnNumberAndNonNumbersIgnored) {
  std::vector<TextUnit> units = {
      {"(Kèm theo Kế hoạch số 102/KH-UBND ngày 19/5/2025) giai đoạn 2025-2030, ngày 22/12/2024, XHS1.1 - Xây dựng",
       0, 1, ""}};
  EXPECT_TRUE(FindReferences(units, std::string("102/KH-UBND"), testing::Rules()).empty());
}

// Laws cited by title (no number printed): one reference per title, number
// empty, the title and its date; "pháp luật" in general is none.
TEST(ReferencesTest, TitleOnlyReferences) {
  struct Case {
    const char* id;
    const char* unit;
    std::vector<std::string> want;  // "title|relation|date"
  };
  const Case cases[] = {
      {"based-on-with-date", "Căn cứ Luật Tổ chức chính quyền địa phương ngày 16/6/2025;",
       {"Luật Tổ chức chính quyền địa phương|based_on|2025-06-16"}},
      {"list", "bố trí kinh phí theo quy định Luật Ngân sách nhà nước, Luật Đầu tư công và các quy định pháp luật.",
       {"Luật Ngân sách nhà nước|cites|-", "Luật Đầu tư công|cites|-"}},
      {"comma-inside-title", "Căn cứ Luật Khoa học, công nghệ và đổi mới sáng tạo ngày 27 tháng 6 năm 2025;",
       {"Luật Khoa học, công nghệ và đổi mới sáng tạo|based_on|2025-06-27"}},
      {"law-in-general", "Duy trì công khai thông tin theo quy định của Pháp Luật Việt Nam", {}},
      {"lawyer", "Luật sư tư vấn cho doanh nghiệp", {}},
      {"basis-verb-governs-other-words",
       "Hằng năm, căn cứ khả năng cân đối ngân sách, Sở Tài chính bố trí kinh phí theo quy định Luật Đầu tư công.",
       {"Luật Đầu tư công|cites|-"}},
      {"repeated-once", "Thực hiện Luật Đầu tư công; báo cáo theo Luật Đầu tư công.", {"Luật Đầu tư công|implements|-"}},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.id);
    std::vector<Reference> refs = FindReferences({TextUnit{c.unit, 0, 1, ""}}, std::nullopt, testing::Rules());
    std::vector<std::string> got;
    for (const Reference& r : refs) {
      EXPECT_TRUE(r.number.empty());
      EXPECT_EQ(r.type.value_or(""), "Luật");
      got.push_back(r.title.value_or("?") + "|" + r.relation + "|" + r.date.value_or("-"));
    }
    EXPECT_EQ(got, c.want);
  }
}

}  // namespace
}  // namespace plantrace
