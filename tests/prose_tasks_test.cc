// Prose tasks: who is assigned what, from the sections that assign work.
#include <gtest/gtest.h>

#include "extractors/readers.h"
#include "pipeline/extract.h"
#include "pipeline/normalize.h"
#include "pipeline/segment.h"
#include "tests/test_util.h"

namespace plantrace {
namespace {

std::vector<Task> ProseTasks(const std::string& body) {
  std::string text = "KẾ HOẠCH\nThử nghiệm\nIV. TỔ CHỨC THỰC HIỆN\n" + body;
  Diagnostics d;
  auto layout = ReadText(text, "t.md", &d);
  EXPECT_TRUE(layout.ok());
  auto tree = Segment(Normalize(*layout, &d), testing::Rules(), &d);
  EXPECT_TRUE(tree.ok());
  Gazetteer g(testing::Rules());
  ExtractContext ctx{testing::Rules(), g, {2025, std::nullopt}, &d, {}};
  return ExtractProseTasks(*tree, ctx);
}

std::string Leads(const Task& t) {
  std::string out;
  for (const Agency& a : t.lead) out += (out.empty() ? "" : "|") + a.printed;
  return out;
}

std::string Coords(const Task& t) {
  std::string out;
  for (const Agency& a : t.coord) out += (out.empty() ? "" : "|") + a.printed;
  return out;
}

struct ProseCase {
  const char* id;
  std::string body;
  size_t index;  // which task to check
  const char* name;
  const char* lead;
  const char* coord;
  const char* deadline_raw;  // nullptr: none
};

TEST(ProseTasksTest, OwnersNamesDeadlines) {
  const ProseCase cases[] = {
      {"subject-chu-tri",
       "7. Ban Tổ chức Tỉnh ủy chủ trì, phối hợp với các cơ quan liên quan tham mưu thành lập Ban Chỉ đạo; báo cáo "
       "trước ngày 28/02/2025.\n",
       0, "Ban Tổ chức Tỉnh ủy chủ trì, phối hợp với các cơ quan liên quan tham mưu thành lập Ban Chỉ đạo; báo cáo "
          "trước ngày 28/02/2025",
       "Ban Tổ chức Tỉnh ủy", "các cơ quan liên quan", "trước ngày 28/02/2025"},
      {"owner-heading", "4. Công an tỉnh\na) Chủ trì, phối hợp với Sở Khoa học và Công nghệ triển khai Đề án. "
                        "Nhiệm vụ thường xuyên.\n",
       0, "Chủ trì, phối hợp với Sở Khoa học và Công nghệ triển khai Đề án", "Công an tỉnh",
       "Sở Khoa học và Công nghệ", "Nhiệm vụ thường xuyên"},
      {"lead-in", "4. Sở Tài chính chỉ đạo:\n- Xây dựng kế hoạch (hoàn thành trước 30/6/2025).\n- Bố trí kinh phí.\n",
       0, "Xây dựng kế hoạch (hoàn thành trước 30/6/2025)", "Sở Tài chính", "", "trước 30/6/2025"},
      {"enumerators",
       "6. Sở Nội vụ chủ trì, phối hợp với các cơ quan liên quan: (1) Tổ chức hướng dẫn; (2) Xây dựng kế hoạch "
       "(hoàn thành tháng 2/2025).\n",
       1, "Xây dựng kế hoạch (hoàn thành tháng 2/2025)", "Sở Nội vụ", "các cơ quan liên quan", "tháng 2/2025"},
      {"labelled-fields",
       "2. Thực hiện kiểm tra tại 20 xã; thời gian Quý II/2026; Đơn vị tham mưu: Sở Khoa học và Công nghệ; Công an "
       "tỉnh phối hợp thực hiện.\n",
       0, "Thực hiện kiểm tra tại 20 xã", "Sở Khoa học và Công nghệ", "Công an tỉnh", "Quý II/2026"},
      {"clauses-with-deadlines",
       "1. Sở Y tế lãnh đạo triển khai Kế hoạch này; xây dựng chương trình (hoàn thành trong quý I/2025); định kỳ "
       "báo cáo trước ngày 15/6 hằng năm.\n",
       1, "xây dựng chương trình (hoàn thành trong quý I/2025)", "Sở Y tế", "", "trong quý I/2025"},
      {"no-owner-no-task", "3. Tăng cường tuyên truyền về chuyển đổi số.\n", 99, nullptr, nullptr, nullptr, nullptr},
  };
  for (const ProseCase& c : cases) {
    SCOPED_TRACE(c.id);
    std::vector<Task> tasks = ProseTasks(c.body);
    if (!c.name) {
      EXPECT_TRUE(tasks.empty());
      continue;
    }
    ASSERT_GT(tasks.size(), c.index);
    const Task& t = tasks[c.index];
    EXPECT_EQ(t.name, c.name);
    EXPECT_EQ(Leads(t), c.lead);
    EXPECT_EQ(Coords(t), c.coord);
    if (c.deadline_raw) {
      EXPECT_EQ(t.deadline_raw.value_or("-"), c.deadline_raw);
      EXPECT_TRUE(t.deadline.has_value());
    } else {
      EXPECT_FALSE(t.deadline_raw.has_value());
    }
    EXPECT_EQ(t.source, "IV. TỔ CHỨC THỰC HIỆN");
    EXPECT_GT(t.provenance.line, 0);
  }
}

}  // namespace
}  // namespace plantrace
