// Prose tasks: who is assigned what, from the sections that assign work.
#include <gtest/gtest.h>

#include "extractors/readers.h"
#include "pipeline/stages/extract.h"
#include "pipeline/stages/normalize.h"
#include "pipeline/stages/segment.h"
#include "tests/test_util.h"

namespace plantrace {
namespace {

std::vector<Task> ProseTasks(const std::string& body, const std::string& preamble = "") {
  std::string text = "KẾ HOẠCH\nThử nghiệm\n" + preamble + "IV. TỔ CHỨC THỰC HIỆN\n" + body;
  Diagnostics d;
  auto layout = ReadText(text, "t.md", &d);
  EXPECT_TRUE(layout.ok());
  auto tree = Segment(Normalize(*layout, &d), testing::Rules(), &d);
  EXPECT_TRUE(tree.ok());
  Gazetteer g(testing::Rules());
  ExtractContext ctx{testing::Rules(), g, {2025, std::nullopt}, &d, {}};
  return ExtractProseTasks(*tree, ctx);
}

struct ProseCase {
  const char* id;
  std::string body;
  size_t index;  // which task to check
  const char* name;  // nullptr: the body gives no task at all
  const char* lead;
  const char* coord;
  const char* deadline_raw;  // nullptr: none
  const char* title = nullptr;  // nullptr: none
};

TEST(ProseTasksTest, OwnersNamesDeadlines) {
  const ProseCase cases[] = {
      // "X chủ trì, phối hợp với Y <work>": the work alone is the name.
      {"subject-chu-tri",
       "7. Ban Tổ chức Tỉnh ủy chủ trì, phối hợp với các cơ quan liên quan tham mưu thành lập Ban Chỉ đạo; báo cáo "
       "trước ngày 28/02/2025.\n",
       0, "tham mưu thành lập Ban Chỉ đạo; báo cáo trước ngày 28/02/2025", "Ban Tổ chức Tỉnh ủy",
       "các cơ quan liên quan", "trước ngày 28/02/2025"},
      // A verb right after the owner: the owner is the lead, the work starts
      // at the verb (a Party committee's plan names it as printed: below).
      {"subject-verb", "4. Các sở, ban, ngành kiện toàn đội ngũ công chức làm công tác pháp chế.\n", 0,
       "kiện toàn đội ngũ công chức làm công tác pháp chế", "Các sở, ban, ngành", "", nullptr},
      {"giao", "6. Giao Sở Tư pháp theo dõi, đôn đốc việc thực hiện Kế hoạch này.\n", 0,
       "theo dõi, đôn đốc việc thực hiện Kế hoạch này", "Sở Tư pháp", "", nullptr},
      {"co-trach-nhiem-after-duoc-giao",
       "3. Sở Tài chính có trách nhiệm lập dự toán kinh phí thực hiện Kế hoạch theo quy định.\n", 0,
       "lập dự toán kinh phí thực hiện Kế hoạch theo quy định", "Sở Tài chính", "", nullptr},
      {"adverbial-opening",
       "2. Căn cứ nội dung Kế hoạch này, Sở Y tế xây dựng kế hoạch triển khai tại đơn vị (hoàn thành trong quý "
       "I/2026).\n",
       0, "Căn cứ nội dung Kế hoạch này, xây dựng kế hoạch triển khai tại đơn vị (hoàn thành trong quý I/2026)",
       "Sở Y tế", "", "trong quý I/2026"},
      {"aside-after-owner",
       "3. Sở Tài chính, trên cơ sở đề xuất của các cơ quan, chủ trì tổng hợp, trình cấp có thẩm quyền bố trí kinh "
       "phí.\n",
       0, "trên cơ sở đề xuất của các cơ quan, chủ trì tổng hợp, trình cấp có thẩm quyền bố trí kinh phí",
       "Sở Tài chính", "", nullptr},
      {"owner-heading", "4. Công an tỉnh\na) Chủ trì, phối hợp với Sở Khoa học và Công nghệ triển khai Đề án. "
                        "Nhiệm vụ thường xuyên.\n",
       0, "Chủ trì, phối hợp với Sở Khoa học và Công nghệ triển khai Đề án", "Công an tỉnh",
       "Sở Khoa học và Công nghệ", "Nhiệm vụ thường xuyên"},
      {"owner-heading-colon", "5. Trách nhiệm của đối tượng thực hiện kiểm kê:\n- Thành lập Tổ kiểm kê.\n"
                              "Thời hạn hoàn thành: Trước ngày 30/11/2026.\n",
       0, "Thành lập Tổ kiểm kê", "đối tượng thực hiện kiểm kê", "", "Trước ngày 30/11/2026"},
      {"lead-in", "4. Sở Tài chính chỉ đạo:\n- Xây dựng kế hoạch (hoàn thành trước 30/6/2025).\n- Bố trí kinh phí.\n",
       0, "Xây dựng kế hoạch (hoàn thành trước 30/6/2025)", "Sở Tài chính", "", "trước 30/6/2025"},
      {"enumerators",
       "6. Sở Nội vụ chủ trì, phối hợp với các cơ quan liên quan: (1) Tổ chức hướng dẫn; (2) Xây dựng kế hoạch "
       "(hoàn thành tháng 2/2025).\n",
       1, "Xây dựng kế hoạch (hoàn thành tháng 2/2025)", "Sở Nội vụ", "các cơ quan liên quan", "tháng 2/2025"},
      {"labelled-fields-inline",
       "2. Thực hiện kiểm tra tại 20 xã; thời gian Quý II/2026; Đơn vị tham mưu: Sở Khoa học và Công nghệ; Công an "
       "tỉnh phối hợp thực hiện.\n",
       0, "Thực hiện kiểm tra tại 20 xã", "Sở Khoa học và Công nghệ", "Công an tỉnh", "Quý II/2026"},
      {"clauses-with-deadlines",
       "1. Sở Y tế lãnh đạo triển khai Kế hoạch này; xây dựng chương trình (hoàn thành trong quý I/2025); định kỳ "
       "báo cáo trước ngày 15/6 hằng năm.\n",
       1, "xây dựng chương trình (hoàn thành trong quý I/2025)", "Sở Y tế", "", "trong quý I/2025"},
      // Field lines below the item: the heading names the task.
      {"field-lines-dash",
       "1. Tuyên truyền, phổ biến Luật Đất đai\n- Nội dung thực hiện: Tổ chức hội nghị phổ biến Luật.\n- Cơ quan "
       "chủ trì: Sở Nông nghiệp và Môi trường.\n- Cơ quan phối hợp: Sở Tư pháp.\n- Thời gian thực hiện: Quý "
       "III/2026.\n",
       0, "Tuyên truyền, phổ biến Luật Đất đai", "Sở Nông nghiệp và Môi trường", "Sở Tư pháp", "Quý III/2026"},
      {"field-lines-letters-nested",
       "2. Về dữ liệu số\na) Nhiệm vụ: Xây dựng kho dữ liệu dùng chung của tỉnh.\nb) Cơ quan thực hiện:\n- Đơn vị "
       "chủ trì: Sở Khoa học và Công nghệ.\n- Đơn vị phối hợp: Sở Tài chính.\nc) Thời gian thực hiện: Năm 2026.\n",
       0, "Về dữ liệu số", "Sở Khoa học và Công nghệ", "Sở Tài chính", "Năm 2026"},
      // Several runs of work lines, each closed by its own fields.
      {"field-groups",
       "3. Nâng cao năng lực cán bộ\n- Mở lớp tập huấn nghiệp vụ.\nĐơn vị chủ trì: Sở Nội vụ.\nThời gian thực "
       "hiện: Năm 2026.\n- Biên soạn tài liệu bồi dưỡng.\nĐơn vị chủ trì: Sở Tư pháp.\nThời gian thực hiện: Tháng "
       "6/2026.\n",
       1, "Biên soạn tài liệu bồi dưỡng", "Sở Tư pháp", "", "Tháng 6/2026", "Nâng cao năng lực cán bộ"},
      // Lines that each name their owner, with one time after the last.
      {"lines-name-owners",
       "4. Các sở quản lý chuyên ngành\n- Hướng dẫn kiểm kê tài sản kết cấu hạ tầng, trong đó:\n+ Sở Xây dựng: "
       "hướng dẫn kiểm kê tài sản giao thông.\n+ Sở Công Thương: hướng dẫn kiểm kê chợ.\nThời gian thực hiện: "
       "Tháng 12/2026.\n",
       1, "hướng dẫn kiểm kê chợ", "Sở Công Thương", "", "Tháng 12/2026"},
      {"time-split-by-owners",
       "5. Rà soát văn bản quy phạm pháp luật\n- Cơ quan thực hiện: Sở Tư pháp.\n- Thời gian thực hiện:\n+ Các "
       "sở, ngành gửi kết quả rà soát về Sở Tư pháp trước ngày 15/12/2026.\n+ Sở Tư pháp tổng hợp, báo cáo Ủy "
       "ban nhân dân tỉnh trước ngày 31/12/2026.\n",
       1, "tổng hợp, báo cáo Ủy ban nhân dân tỉnh trước ngày 31/12/2026", "Sở Tư pháp", "",
       "trước ngày 31/12/2026", "Rà soát văn bản quy phạm pháp luật"},
      // A lead-in asking bodies to do what the lines below say.
      {"asked-lead-in",
       "1. Các nội dung cần thực hiện:\nChủ tịch Ủy ban nhân dân huyện yêu cầu các phòng, ban, đơn vị thực hiện "
       "nghiêm túc các nội dung sau:\n- Rà soát, lưu trữ hồ sơ tài liệu mật theo quy định.\n",
       0, "Rà soát, lưu trữ hồ sơ tài liệu mật theo quy định", "các phòng, ban, đơn vị", "", nullptr},
      // A content label whose lines each hand a part to a named owner.
      {"content-lines-name-owners",
       "2. Việc xác định thời hạn bảo vệ tài liệu mật chưa đầy đủ.\n- Giải pháp thực hiện:\n+ Giao Trưởng các phòng "
       "chủ trì, rà soát lại các văn bản tham mưu.\n+ Giao Văn phòng Ủy ban nhân dân huyện chủ trì, tham mưu thủ "
       "tục tiêu hủy tài liệu.\n- Thời gian thực hiện: Tháng 8/2026.\n",
       1, "tham mưu thủ tục tiêu hủy tài liệu", "Văn phòng Ủy ban nhân dân huyện", "", "Tháng 8/2026",
       "Việc xác định thời hạn bảo vệ tài liệu mật chưa đầy đủ"},
      // Another assignment written after the time.
      {"assignment-after-time",
       "3. Việc sao chụp tài liệu mật chưa đúng quy trình.\n- Giải pháp thực hiện: Phòng Nội vụ chủ trì, thu hồi "
       "bản sao chưa đúng quy định.\n- Thời gian thực hiện: Tháng 6/2026; giao Văn phòng Ủy ban nhân dân huyện "
       "chủ trì theo dõi việc thực hiện.\n",
       1, "chủ trì theo dõi việc thực hiện", "Văn phòng Ủy ban nhân dân huyện", "", "Tháng 6/2026",
       "Việc sao chụp tài liệu mật chưa đúng quy trình"},
      // Coordinators listed with ';' before the clause's verb.
      {"coord-list-with-semicolon",
       "- Giao Sở Nông nghiệp và Môi trường chủ trì, phối hợp với Ủy ban nhân dân xã A; Ủy ban nhân dân xã B kiểm "
       "tra ranh giới lô đất trên thực địa.\n",
       0, "kiểm tra ranh giới lô đất trên thực địa", "Sở Nông nghiệp và Môi trường",
       "Ủy ban nhân dân xã A; Ủy ban nhân dân xã B", nullptr},
      // Reporting problems is a standing duty of the bodies named, with or
      // without a comma before them.
      {"contingency",
       "3. Trong quá trình thực hiện, nếu có khó khăn, vướng mắc, các sở, ngành kịp thời phản ánh về Sở Tư pháp để "
       "tổng hợp.\n",
       0, "Trong quá trình thực hiện, nếu có khó khăn, vướng mắc, kịp thời phản ánh về Sở Tư pháp để tổng hợp",
       "các sở, ngành", "", nullptr},
      {"contingency-no-comma",
       "3. Trong quá trình thực hiện, nếu có khó khăn, vướng mắc các cơ quan, đơn vị, địa phương kịp thời phản ánh "
       "về Sở Tư pháp.\n",
       0, "Trong quá trình thực hiện, nếu có khó khăn, vướng mắc, kịp thời phản ánh về Sở Tư pháp",
       "các cơ quan, đơn vị, địa phương", "", nullptr},
      // An owner heading whose name holds a hyphen between lower-case words.
      {"owner-heading-hyphenated-name",
       "16. Mặt trận Tổ quốc tỉnh và các tổ chức chính trị - xã hội\na) Phát huy vai trò trong tuyên truyền, "
       "vận động Nhân dân.\n",
       0, "Phát huy vai trò trong tuyên truyền, vận động Nhân dân", "Mặt trận Tổ quốc tỉnh và các tổ chức chính trị - xã hội",
       "", nullptr},
      // An owner heading that asks the body ("Đề nghị ...") names the body.
      {"owner-heading-asked",
       "9. Đề nghị Ủy ban Mặt trận Tổ quốc Việt Nam tỉnh\na) Chỉ đạo các tổ chức thành viên tăng cường truyền thông.\n",
       0, "Chỉ đạo các tổ chức thành viên tăng cường truyền thông", "Ủy ban Mặt trận Tổ quốc Việt Nam tỉnh", "",
       nullptr},
      // "trong lĩnh vực xây dựng" is a domain, not the verb of the heading.
      {"owner-heading-domain",
       "7. Các doanh nghiệp hoạt động trong lĩnh vực xây dựng, giao thông trên địa bàn tỉnh\na) Chủ động phối hợp "
       "triển khai các giải pháp.\n",
       0, "Chủ động phối hợp triển khai các giải pháp",
       "Các doanh nghiệp hoạt động trong lĩnh vực xây dựng, giao thông trên địa bàn tỉnh", "", nullptr},
      // "Giao X:" over lettered lines: each line is a task of X.
      {"giao-lead-in", "1. Giao Ủy ban nhân dân Thành phố:\na) Tổ chức triển khai thực hiện Nghị quyết;\nb) Hằng năm, "
       "tổ chức đánh giá kết quả thực hiện Nghị quyết.\n",
       1, "Hằng năm, tổ chức đánh giá kết quả thực hiện Nghị quyết", "Ủy ban nhân dân Thành phố", "", "Hằng năm"},
      // A clause that opens with its verb after "Căn cứ ...," names no owner
      // of its own: the heading's owner holds, and the list after "phối hợp
      // với" is the coordination.
      {"opening-then-verb",
       "2. Sở Tài chính\nCăn cứ chức năng, nhiệm vụ, phối hợp với các cơ quan, đơn vị liên quan triển khai thực hiện "
       "Kế hoạch theo quy định.\n",
       0, "Căn cứ chức năng, nhiệm vụ, phối hợp với các cơ quan, đơn vị liên quan triển khai thực hiện Kế hoạch theo quy định",
       "Sở Tài chính", "các cơ quan, đơn vị liên quan", nullptr},
      // Two sentences of one item, each with its own time: two tasks of the
      // item's owner.
      {"sentences-with-own-deadlines",
       "1. Các cơ quan, đơn vị, địa phương xây dựng Kế hoạch triển khai xong trong tháng 12/2025. Định kỳ báo cáo UBND "
       "tỉnh kết quả thực hiện hằng năm (trước ngày 15 tháng 11) để tổng hợp.\n",
       1, "Định kỳ báo cáo UBND tỉnh kết quả thực hiện hằng năm (trước ngày 15 tháng 11) để tổng hợp",
       "Các cơ quan, đơn vị, địa phương", "", "hằng năm (trước ngày 15 tháng 11)"},
      // A conclusion notice's item: a topic ended by a colon, then who does
      // what by when.
      {"topic-then-assignment",
       "3. Về mở rộng dự án giai đoạn 2 của Nhà máy lọc hóa dầu Nghi Sơn: giao Tập đoàn Công nghiệp - Năng lượng Quốc "
       "gia Việt Nam làm việc cụ thể với các nhà đầu tư, báo cáo Thủ tướng Chính phủ trong tháng 12 năm 2025.\n",
       0,
       "Về mở rộng dự án giai đoạn 2 của Nhà máy lọc hóa dầu Nghi Sơn, làm việc cụ thể với các nhà đầu tư, báo cáo Thủ "
       "tướng Chính phủ trong tháng 12 năm 2025",
       "Tập đoàn Công nghiệp - Năng lượng Quốc gia Việt Nam", "", "trong tháng 12 năm 2025"},
      // "Ban hành ..." is a verb, not a board: no owner, no task.
      {"ban-hanh-is-a-verb", "3. Ban hành quy chế quản lý, chia sẻ dữ liệu số trong hoạt động.\n", 99, nullptr,
       nullptr, nullptr, nullptr},
      // Negatives: no owner, a closing exhortation, what a body is.
      {"no-owner-no-task", "3. Tăng cường tuyên truyền về chuyển đổi số.\n", 99, nullptr, nullptr, nullptr, nullptr},
      {"exhortation", "Ủy ban nhân dân tỉnh yêu cầu các sở, ngành, địa phương nghiêm túc triển khai thực hiện.\n", 99,
       nullptr, nullptr, nullptr, nullptr},
      {"statement", "9. Các doanh nghiệp công nghệ số\nDoanh nghiệp công nghệ số là lực lượng tiên phong trong "
                    "chuyển đổi số của tỉnh.\n",
       99, nullptr, nullptr, nullptr, nullptr},
  };
  for (const ProseCase& c : cases) {
    SCOPED_TRACE(c.id);
    std::vector<Task> tasks = ProseTasks(c.body);
    if (!c.name) {
      EXPECT_TRUE(tasks.empty()) << tasks.size() << " tasks, first: " << (tasks.empty() ? "" : tasks[0].name);
      continue;
    }
    ASSERT_GT(tasks.size(), c.index);
    const Task& t = tasks[c.index];
    EXPECT_EQ(t.name, c.name);
    EXPECT_EQ(t.lead_raw.value_or(""), c.lead);
    EXPECT_EQ(t.coord_raw.value_or(""), c.coord);
    if (c.deadline_raw) {
      EXPECT_EQ(t.deadline_raw.value_or("-"), c.deadline_raw);
      EXPECT_TRUE(t.deadline.has_value());
    } else {
      EXPECT_FALSE(t.deadline_raw.has_value());
    }
    EXPECT_EQ(t.title.value_or(""), c.title ? c.title : "");
    EXPECT_EQ(t.source, "IV. TỔ CHỨC THỰC HIỆN");
    EXPECT_GT(t.provenance.line, 0);
  }
}

// Sections that state aims or targets assign nothing, even where a clause
// names a body.
// rules/prose.rules prose.name_as_printed: a Party committee's plan names
// a duty with its subject.
TEST(ProseTasksTest, PartyPlansNameDutiesAsPrinted) {
  const std::string body = "4. Đảng ủy các cơ quan Đảng tỉnh chỉ đạo các cơ quan, đơn vị triển khai thực hiện.\n";
  std::vector<Task> party = ProseTasks(body, "Ban Thường vụ Tỉnh ủy ban hành kế hoạch thực hiện như sau:\n");
  ASSERT_EQ(party.size(), 1u);
  EXPECT_EQ(party[0].name, "Đảng ủy các cơ quan Đảng tỉnh chỉ đạo các cơ quan, đơn vị triển khai thực hiện");
  EXPECT_EQ(party[0].lead_raw.value_or(""), "Đảng ủy các cơ quan Đảng tỉnh");
  std::vector<Task> state = ProseTasks(body, "Ủy ban nhân dân tỉnh ban hành kế hoạch thực hiện như sau:\n");
  ASSERT_EQ(state.size(), 1u);
  EXPECT_EQ(state[0].name, "chỉ đạo các cơ quan, đơn vị triển khai thực hiện");
}

TEST(ProseTasksTest, AimsAreNotAssignments) {
  const char* sections[] = {"I. MỤC ĐÍCH, YÊU CẦU", "II. MỤC TIÊU CHỦ YẾU", "I. QUAN ĐIỂM"};
  for (const char* heading : sections) {
    SCOPED_TRACE(heading);
    std::string text = std::string("KẾ HOẠCH\nThử nghiệm\n") + heading +
                       "\n1. Sở Y tế chủ trì, phối hợp với các cơ quan liên quan xây dựng kế hoạch.\n";
    Diagnostics d;
    auto layout = ReadText(text, "t.md", &d);
    ASSERT_TRUE(layout.ok());
    auto tree = Segment(Normalize(*layout, &d), testing::Rules(), &d);
    ASSERT_TRUE(tree.ok());
    Gazetteer g(testing::Rules());
    ExtractContext ctx{testing::Rules(), g, {2025, std::nullopt}, &d, {}};
    EXPECT_TRUE(ExtractProseTasks(*tree, ctx).empty());
  }
}

// "Điều 2. Tổ chức thực hiện" of a decision assigns work like a plan's section.
TEST(ProseTasksTest, DecisionArticleAssigns) {
  std::string text =
      "QUYẾT ĐỊNH\nThử nghiệm\nĐiều 1. Phê duyệt đồ án quy hoạch.\nĐiều 2. Tổ chức thực hiện:\n- Sở Quy hoạch - "
      "Kiến trúc kiểm tra, xác nhận hồ sơ, bản vẽ đồ án phù hợp với Quyết định này.\nĐiều 3. Quyết định này có "
      "hiệu lực kể từ ngày ký.\n";
  Diagnostics d;
  auto layout = ReadText(text, "t.txt", &d);
  ASSERT_TRUE(layout.ok());
  auto tree = Segment(Normalize(*layout, &d), testing::Rules(), &d);
  ASSERT_TRUE(tree.ok());
  Gazetteer g(testing::Rules());
  ExtractContext ctx{testing::Rules(), g, {2025, std::nullopt}, &d, {}};
  std::vector<Task> tasks = ExtractProseTasks(*tree, ctx);
  ASSERT_EQ(tasks.size(), 1u);
  EXPECT_EQ(tasks[0].source, "Điều 2. Tổ chức thực hiện:");
  EXPECT_EQ(tasks[0].lead_raw.value_or(""), "Sở Quy hoạch - Kiến trúc");
}

}  // namespace
}  // namespace plantrace
