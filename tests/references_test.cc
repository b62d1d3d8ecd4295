// References: numbers, dates and relations read from their clause.
#include "pipeline/stages/references.h"

#include <gtest/gtest.h>

#include <map>

#include "tests/test_util.h"

namespace plantrace {
namespace {

struct RefCase {
  const char* id;
  std::vector<std::string> units;
  const char* number;
  const char* relation;
  const char* date;         // nullptr: none
  const char* clause = "";  // of every unit: "" is the preamble, "title" the title
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
       "57-NQ/TW", "cites", "2024-12-22", "title"},
      {"preamble-implements-every-number",
       {"Thực hiện Kế hoạch số 14-KH/TU ngày 29/7/2025 của Ban Thường vụ Tỉnh ủy và Kế hoạch số 24/KH-UBND ngày "
        "14/8/2025 của UBND tỉnh thực hiện Nghị quyết số 66-NQ/TW ngày 30-4-2025 của Bộ Chính trị,"},
       "66-NQ/TW", "implements", "2025-04-30"},
      {"preamble-triển-khai-thực-hiện",
       {"Triển khai thực hiện Công văn số 1781-CV/TU ngày 27/8/2024 của Tỉnh ủy về việc triển khai các nội dung "
        "theo Kết luận số 17/KL-BCA-A03 của Bộ Công an"},
       "17/KL-BCA-A03", "implements", nullptr},
      {"body-thực-hiện-is-the-work",
       {"Thực hiện việc thống kê, lưu trữ theo quy định tại Thông tư số 24/2020/TT-BCA ngày 10/3/2020 của Bộ Công an."},
       "24/2020/TT-BCA", "cites", "2020-03-10", "II > 1 > -"},
      {"preamble-first-sentence-only",
       {"Thực hiện Công văn số 1781-CV/TU của Tỉnh ủy. Các phòng báo cáo theo mẫu tại Thông tư số 24/2020/TT-BCA."},
       "24/2020/TT-BCA", "cites", nullptr},
      {"basis-without-semicolon-not-joined",
       {"Căn cứ Kế hoạch số 12/KH-UBND ngày 05/01/2025 của UBND tỉnh",
        "Ủy ban nhân dân huyện ban hành Kế hoạch thực hiện Nghị quyết số 57-NQ/TW với các nội dung sau:"},
       "57-NQ/TW", "implements", nullptr},
      {"request-is-cited-not-basis",
       {"Theo đề nghị của Sở Khoa học và Công nghệ tại Tờ trình số 133/TTr-SKHCN ngày 15/11/2025, UBND tỉnh ban hành"},
       "133/TTr-SKHCN", "cites", "2025-11-15"},
      {"doubled-basis-word", {"Căn cứ Căn cứ Nghị định số 35/2025/NĐ-CP ngày 25 tháng 02 năm 2025 của Chính phủ;"},
       "35/2025/NĐ-CP", "based_on", "2025-02-25"},
      {"broken-after-số", {"Căn cứ Nghị quyết số", "71/NQ-CP ngày 01/4/2025 sửa đổi, bổ sung Chương trình hành động;"},
       "71/NQ-CP", "based_on", "2025-04-01"},
      {"broken-inside-number", {"Căn cứ Nghị định số 39/2010/NĐ-", "CP ngày 07/4/2010 của Chính phủ;"},
       "39/2010/NĐ-CP", "based_on", "2010-04-07"},
      {"broken-implements", {"Thực hiện Quyết định số", "1850/QĐ-TTg ngày 27 tháng 8 năm 2025 của Thủ tướng Chính phủ;"},
       "1850/QĐ-TTg", "implements", "2025-08-27"},
      {"passive-amendment-shares-basis",
       {"Căn cứ Nghị định số 40/2025/NĐ-CP của Chính phủ quy định chức năng của Bộ Công Thương, được sửa đổi, bổ sung "
        "bởi Nghị định số 109/2025/NĐ-CP và Nghị định số 193/2025/NĐ-CP;"},
       "193/2025/NĐ-CP", "based_on", nullptr},
      {"passive-amendment-shares-amendment",
       {"SỬA ĐỔI, BỔ SUNG MỘT SỐ ĐIỀU CỦA NGHỊ ĐỊNH SỐ 69/2010/NĐ-CP NGÀY 21 THÁNG 6 NĂM 2010 CỦA CHÍNH PHỦ VỀ AN TOÀN "
        "SINH HỌC, ĐƯỢC SỬA ĐỔI, BỔ SUNG TẠI NGHỊ ĐỊNH SỐ 123/2018/NĐ-CP NGÀY 17 THÁNG 9 NĂM 2018 CỦA CHÍNH PHỦ"},
       "123/2018/NĐ-CP", "amends", "2018-09-17", "2"},
      {"replaced-wording-amends", {"Điều 31. Thay thế cụm từ của Nghị định số 59/2017/NĐ-CP"}, "59/2017/NĐ-CP",
       "amends", nullptr, "2"},
      {"struck-wording-amends", {"Điều 22. Bãi bỏ một số cụm từ tại các điều của Nghị định số 69/2010/NĐ-CP"},
       "69/2010/NĐ-CP", "amends", nullptr, "2"},
      {"future-replacement-is-a-task",
       {"Bộ Công an chủ trì xây dựng Nghị định thay thế Nghị định số 13/2023/NĐ-CP theo quy định của Luật."},
       "13/2023/NĐ-CP", "cites", nullptr, "II > 5 > -"},
      {"this-plan-replaces",
       {"Ủy ban nhân dân tỉnh ban hành Kế hoạch này thay thế Kế hoạch số 44/KH-UBND ngày 03/3/2025."},
       "44/KH-UBND", "supersedes", "2025-03-03", "IV"},
      {"verb-with-its-own-object",
       {"gửi kết quả rà soát kèm theo đề xuất sửa đổi, bổ sung, thay thế, bãi bỏ cụ thể từng văn bản và đánh giá sơ "
        "bộ tính tương thích với Kế hoạch số 12/KH-UBND của UBND tỉnh."},
       "12/KH-UBND", "cites", nullptr, "II > -"},
      {"name-with-và-is-not-a-boundary",
       {"Công văn số 4312/BVHTTDL-VP ngày 22/8/2025 của Bộ Văn hóa, Thể thao và Du lịch về việc giao nhiệm vụ thực "
        "hiện Nghị quyết số 226/NQ-CP ngày 05/8/2025."},
       "226/NQ-CP", "cites", "2025-08-05", "III"},
      {"và-then-next-document",
       {"Triển khai Kế hoạch số 14-KH/TU của Ban Thường vụ Tỉnh ủy và Kế hoạch số 24/KH-UBND của UBND tỉnh"},
       "24/KH-UBND", "implements", nullptr, "I > 1"},
      {"rule-of-conduct-is-cited",
       {"giao Văn thư thực hiện đúng nguyên tắc, đúng quy định của Luật Bảo vệ BMNN, Nghị định số 26/2020/NĐ-CP ngày "
        "28/02/2020 của Chính phủ"},
       "26/2020/NĐ-CP", "cites", "2020-02-28", "II > 2 > -"},
      {"texts-implementing-it", {"Ban hành các văn bản triển khai thi hành Nghị quyết số 05/2025/NQ-HĐND."},
       "05/2025/NQ-HĐND", "cites", nullptr, "III > 2"},
      {"dotted-serial", {"Căn cứ Nghị quyết số 66.13/2026/NQ-CP của Chính phủ;"}, "66.13/2026/NQ-CP", "based_on",
       nullptr},
      {"spaced-party-number", {"quán triệt Nghị quyết số 27/NQ- TW ngày 09/11/2022 của Ban Chấp hành"}, "27/NQ-TW",
       "cites", "2022-11-09", "III > 1"},
      {"technical-standard", {"tuân thủ Quy chuẩn kỹ thuật Quốc gia về an toàn cháy QCVN06:2022/BXD và"},
       "QCVN 06:2022/BXD", "cites", nullptr, "4 > -"},
      {"amended-standard", {"Sửa đổi 1:2023 QCVN 06:2022/BXD và các quy định hiện hành khác."},
       "Sửa đổi 1:2023 QCVN 06:2022/BXD", "cites", nullptr, "4 > -"},
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
    int line = 1;
    for (const std::string& u : c.units) units.push_back(TextUnit{u, 0, line++, c.clause});
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

// Text that looks like a number but names no other document; the own
// number is unknown here (a header the export lost), so the caption alone
// must say so.
TEST(ReferencesTest, NotReferences) {
  const char* cases[] = {
      "* (Kèm theo Công văn số 6225/BVHTTDL-VP ngày 18/11/2025 của Bộ Văn hóa, Thể thao và Du lịch)",
      "(Ban hành kèm theo Kế hoạch số 144/KH-UBND ngày 24 tháng 11 năm 2025 của UBND tỉnh)",
      "tại các ô đất quy hoạch ký hiệu K4/CQ2 và K7/CQ3",
      "Thực hiện Thông tư số …/2026/TT-BCT ngày tháng năm 2026 của Bộ trưởng Bộ Công Thương",
      "tỷ lệ 1/500, tốc độ 01 Gb/s",
  };
  for (const char* c : cases) {
    SCOPED_TRACE(c);
    std::vector<Reference> refs = FindReferences({TextUnit{c, 0, 1, ""}}, std::nullopt, testing::Rules());
    for (const Reference& r : refs) ADD_FAILURE() << r.number << r.title.value_or("");
  }
  // The title's own caption, after the name.
  const char* title =
      "Kế hoạch thực hiện Nghị quyết số 57-NQ/TW năm 2025 (Ban hành kèm theo Quyết định số 12/QĐ-UBND ngày 05/01/2025)";
  std::vector<Reference> in_title = FindReferences({TextUnit{title, 0, 1, "title"}}, std::nullopt, testing::Rules());
  ASSERT_EQ(in_title.size(), 1u);
  EXPECT_EQ(in_title[0].number, "57-NQ/TW");
  EXPECT_EQ(in_title[0].relation, "implements");
  // An appendix heading in capitals with its caption, the own number unknown.
  EXPECT_TRUE(FindReferences({TextUnit{"PHÂN CÔNG THỰC HIỆN CÁC CHỈ TIÊU ĐẾN NĂM 2030 (Ban hành kèm theo Kế hoạch số "
                                       "144/KH-UBND ngày 24 tháng 11 năm 2025 của UBND tỉnh)",
                                       0, 1, "PHỤ LỤC"}},
                             std::nullopt, testing::Rules())
                  .empty());
  // In a sentence, an attachment of another document is cited.
  std::vector<Reference> refs = FindReferences(
      {TextUnit{"thực hiện theo Quy chế ban hành kèm theo Quyết định số 45/2020/QĐ-UBND", 0, 1, "II > 1"}},
      std::nullopt, testing::Rules());
  ASSERT_EQ(refs.size(), 1u);
  EXPECT_EQ(refs[0].number, "45/2020/QĐ-UBND");
}

// Items under a list heading that says they cease to have effect are
// repealed; a number in an item's description is not, and the heading's
// reach ends with its list.
TEST(ReferencesTest, ListUnderRepealHeading) {
  std::vector<TextUnit> units = {
      {"Các văn bản sau đây hết hiệu lực kể từ ngày Nghị định này có hiệu lực thi hành:", 0, 1, "2"},
      {"Nghị định số 108/2011/NĐ-CP ngày 30 tháng 11 năm 2011 của Chính phủ sửa đổi một số điều của Nghị định số "
       "69/2010/NĐ-CP ngày 21 tháng 6 năm 2010 của Chính phủ;",
       0, 2, "2 > a"},
      {"Điều 41, Điều 42 và Phụ lục VIII Nghị định số 136/2025/NĐ-CP ngày 12 tháng 6 năm 2025 của Chính phủ.", 0, 3,
       "2 > b"},
      {"Bộ trưởng hướng dẫn thi hành Nghị định số 12/2024/NĐ-CP.", 0, 4, "3"},
      {"Bãi bỏ cụm từ “cấp huyện” tại Điều 18:", 0, 5, "4"},
      {"Nghị định số 66/2019/NĐ-CP ngày 29 tháng 7 năm 2019.", 0, 6, "4 > a"},
  };
  std::map<std::string, std::string> got;
  for (const Reference& r : FindReferences(units, std::nullopt, testing::Rules())) {
    got[r.number] = r.relation;
    EXPECT_FALSE(r.provenance.rules.empty());
  }
  std::map<std::string, std::string> want = {{"108/2011/NĐ-CP", "repeals"}, {"69/2010/NĐ-CP", "cites"},
                                             {"136/2025/NĐ-CP", "repeals"}, {"12/2024/NĐ-CP", "cites"},
                                             {"66/2019/NĐ-CP", "cites"}};
  EXPECT_EQ(got, want);
}

// A number found in a paragraph joined from broken pieces keeps the line
// of the piece it stands on.
TEST(ReferencesTest, BrokenParagraphKeepsLines) {
  std::vector<TextUnit> units = {{"Thực hiện Quyết định số", 1, 26, ""},
                                 {"2138/QĐ-TTg ngày 27 tháng 9 năm 2025 của Thủ tướng Chính phủ;", 1, 27, ""},
                                 {"12 nhiệm vụ", 1, 28, "", true},
                                 {"5/KH-UBND", 1, 28, "", true}};
  std::vector<Reference> refs = FindReferences(units, std::nullopt, testing::Rules());
  ASSERT_EQ(refs.size(), 2u);
  EXPECT_EQ(refs[0].number, "2138/QĐ-TTg");
  EXPECT_EQ(refs[0].relation, "implements");
  EXPECT_EQ(refs[0].provenance.line, 27);
  // Table cells are never joined: "5/KH-UBND" stands alone, not under "Thực hiện".
  EXPECT_EQ(refs[1].number, "5/KH-UBND");
  EXPECT_EQ(refs[1].relation, "cites");
}

// Laws cited by title (no number printed): one reference per title, number
// empty, the title and its date; "pháp luật" in general is none.
TEST(ReferencesTest, TitleOnlyReferences) {
  struct Case {
    const char* id;
    std::vector<std::string> units;
    std::vector<std::string> want;  // "title|relation|date"
  };
  const Case cases[] = {
      {"based-on-with-date", {"Căn cứ Luật Tổ chức chính quyền địa phương ngày 16/6/2025;"},
       {"Luật Tổ chức chính quyền địa phương|based_on|2025-06-16"}},
      {"list", {"bố trí kinh phí theo quy định Luật Ngân sách nhà nước, Luật Đầu tư công và các quy định pháp luật."},
       {"Luật Ngân sách nhà nước|cites|-", "Luật Đầu tư công|cites|-"}},
      {"comma-inside-title", {"Căn cứ Luật Khoa học, công nghệ và đổi mới sáng tạo ngày 27 tháng 6 năm 2025;"},
       {"Luật Khoa học, công nghệ và đổi mới sáng tạo|based_on|2025-06-27"}},
      {"law-in-general", {"Duy trì công khai thông tin theo quy định của Pháp Luật Việt Nam"}, {}},
      {"lawyer", {"Luật sư tư vấn cho doanh nghiệp"}, {}},
      {"legal-community", {"và kết nối cộng đồng Dân Luật Việt Nam, nhằm:"}, {}},
      {"basis-verb-governs-other-words",
       {"Hằng năm, căn cứ khả năng cân đối ngân sách, Sở Tài chính bố trí kinh phí theo quy định Luật Đầu tư công."},
       {"Luật Đầu tư công|cites|-"}},
      {"repeated-once", {"Thực hiện Luật Đầu tư công; báo cáo theo Luật Đầu tư công."}, {"Luật Đầu tư công|implements|-"}},
      {"date-without-ngày", {"Căn cứ Luật Tổ chức chính quyền địa phương 19/02/2025;"},
       {"Luật Tổ chức chính quyền địa phương|based_on|2025-02-19"}},
      {"year-names-the-version", {"khác theo quy định tại Điều 40 Luật Kế toán năm 2015."},
       {"Luật Kế toán năm 2015|cites|-"}},
      {"broken-basis-line", {"Căn cứ Luật Tổ chức", "Chính phủ ngày 18 tháng 02 năm 2025;"},
       {"Luật Tổ chức Chính phủ|based_on|2025-02-18"}},
      {"list-with-và", {"theo quy định của Luật Ngân sách nhà nước và Luật Việc làm, Luật Đầu tư công và pháp luật."},
       {"Luật Ngân sách nhà nước|cites|-", "Luật Việc làm|cites|-", "Luật Đầu tư công|cites|-"}},
      {"ends-before-a-phrase",
       {"tổ chức thi hành Luật Việc làm bảo đảm kịp thời; rà soát của Luật Bảo vệ BMNN chưa thực hiện; theo Luật "
        "Ngân sách nhà nước và quy định về phân cấp."},
       {"Luật Việc làm|cites|-", "Luật Bảo vệ BMNN|cites|-", "Luật Ngân sách nhà nước|cites|-"}},
      {"run-on-folds-into-the-printed-title",
       {"tuyên truyền, phổ biến Luật Việc làm.", "các nội dung được giao trong Luật Việc làm Sở Tư pháp có trách nhiệm rà soát."},
       {"Luật Việc làm|cites|-"}},
      {"amending-law-and-the-law-it-amends",
       {"Ban hành Kế hoạch triển khai thi hành Luật sửa đổi, bổ sung một số điều của Luật Tiêu chuẩn và quy chuẩn "
        "kỹ thuật."},
       {"Luật sửa đổi, bổ sung một số điều của Luật Tiêu chuẩn và quy chuẩn kỹ thuật|implements|-",
        "Luật Tiêu chuẩn và quy chuẩn kỹ thuật|implements|-"}},
      {"title-in-capitals", {"TRIỂN KHAI THI HÀNH LUẬT VIỆC LÀM TRÊN ĐỊA BÀN THÀNH PHỐ"}, {"Luật Việc làm|implements|-"}},
      {"amending-title-in-capitals",
       {"TRIỂN KHAI THI HÀNH LUẬT SỬA ĐỔI, BỔ SUNG MỘT SỐ ĐIỀU CỦA LUẬT TIÊU CHUẨN VÀ QUY CHUẨN KỸ THUẬT TRÊN ĐỊA "
        "BÀN TỈNH"},
       {"Luật Sửa đổi, bổ sung một số điều của Luật Tiêu chuẩn và quy chuẩn kỹ thuật|implements|-",
        "Luật Tiêu chuẩn và quy chuẩn kỹ thuật|implements|-"}},
      {"amending-many-laws",
       {"Căn cứ Luật Quy hoạch đô thị ngày 17/6/2009; Luật sửa đổi, bổ sung một số điều của 37 Luật có liên quan đến "
        "quy hoạch ngày 20/11/2018;"},
       {"Luật Quy hoạch đô thị|based_on|2009-06-17",
        "Luật sửa đổi, bổ sung một số điều của 37 Luật có liên quan đến quy hoạch|based_on|2018-11-20"}},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.id);
    std::vector<TextUnit> units;
    for (const std::string& u : c.units) units.push_back(TextUnit{u, 0, 1, ""});
    std::vector<Reference> refs = FindReferences(units, std::nullopt, testing::Rules());
    std::vector<std::string> got;
    for (const Reference& r : refs) {
      EXPECT_TRUE(r.number.empty());
      EXPECT_EQ(r.type.value_or(""), "Luật");
      got.push_back(r.title.value_or("?") + "|" + r.relation + "|" + r.date.value_or("-"));
    }
    EXPECT_EQ(got, c.want);
  }
}

// A law printed with its number is one reference, by number, with the
// title; the same title printed elsewhere without it is that reference.
TEST(ReferencesTest, TitleWithItsNumber) {
  std::vector<TextUnit> units = {
      {"Căn cứ Luật An toàn thực phẩm số 55/2010/QH12 được sửa đổi, bổ sung một số điều bởi Luật sửa đổi, bổ sung một "
       "số điều của 11 Luật có liên quan đến quy hoạch số 28/2018/QH14;",
       0, 1, ""},
      {"Nghị định quy định chi tiết thi hành một số điều của Luật An toàn thực phẩm.", 0, 2, "1"}};
  std::vector<Reference> refs = FindReferences(units, std::nullopt, testing::Rules());
  std::vector<std::string> got;
  for (const Reference& r : refs) got.push_back(r.number + "|" + r.title.value_or("-") + "|" + r.relation);
  std::vector<std::string> want = {
      "55/2010/QH12|Luật An toàn thực phẩm|based_on",
      "28/2018/QH14|Luật sửa đổi, bổ sung một số điều của 11 Luật có liên quan đến quy hoạch|based_on"};
  EXPECT_EQ(got, want);
}

}  // namespace
}  // namespace plantrace
