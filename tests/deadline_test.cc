// Tests for pipeline/stages/deadline: the rule examples of rules/deadlines.rules,
// hand-written cases for cells and prose, and every gold deadline.
#include "pipeline/stages/deadline.h"

#include <gtest/gtest.h>

#include <cstdio>

#include "tests/gold_files.h"
#include "tests/test_util.h"

namespace plantrace {
namespace {

using ::plantrace::testing::GoldFiles;
using ::plantrace::testing::RealdevGoldFiles;
using ::plantrace::testing::JsonValue;
using ::plantrace::testing::Rules;

// Share (percent) of realdev gold deadlines that must parse as annotated.
constexpr int kRealdevDeadlineShare = 95;

std::string Show(const std::optional<std::string>& s) { return s ? *s : "-"; }

std::string Describe(const std::optional<Deadline>& d) {
  if (!d) return "none";
  std::string out = d->kind + " " + Show(d->start) + " " + Show(d->end);
  if (d->every) out += " " + *d->every;
  return out;
}

DeadlineContext Year(int y) {
  DeadlineContext ctx;
  ctx.year = y;
  return ctx;
}

TEST(DeadlineRules, EveryExampleHolds) {
  for (const Rule* rule : Rules().Category("deadline")) {
    for (const RuleExample& ex : rule->examples) {
      SCOPED_TRACE(rule->file + ":" + std::to_string(ex.line) + " " + rule->id);
      EXPECT_EQ(CheckDeadlineExample(*rule, ex, Rules()), "") << ex.input;
    }
  }
}

TEST(DeadlineRules, EveryNegativeGivesNothing) {
  for (const Rule* rule : Rules().Category("deadline")) {
    for (const RuleExample& neg : rule->negatives) {
      SCOPED_TRACE(rule->file + ":" + std::to_string(neg.line) + " " + rule->id);
      EXPECT_EQ(CheckDeadlineNegative(neg, Rules()), "") << neg.input;
    }
  }
}

struct CellCase {
  const char* id;
  const char* text;
  int year;  // 0 = no document year
  const char* want;
};

TEST(ParseDeadline, Cells) {
  const CellCase kCases[] = {
      {"c01", "Tháng 9/2026", 2025, "month 2026-09-01 2026-09-30"},
      {"c02", "Quý II/2026", 2025, "quarter 2026-04-01 2026-06-30"},
      {"c03", "2025 - 2030", 2025, "range 2025-01-01 2030-12-31"},
      {"c04", "Hằng năm", 2025, "recurring - - year"},
      {"c05", "Thường xuyên", 2025, "ongoing - -"},
      {"c06", "Khi có hướng dẫn của các bộ, ngành", 2025, "conditional - -"},
      {"c07", "trước ngày 28/02/2025", 0, "date 2025-02-28 2025-02-28"},
      {"c08", "Năm 2025 và giai đoạn tiếp theo", 2025, "open_from 2025-01-01 -"},
      {"c09", "Quý II, III năm 2026", 2026, "range 2026-04-01 2026-09-30"},
      {"c10", "tháng 6 và tháng 12", 2026, "range 2026-06-01 2026-12-31"},
      {"c11", "tháng 6 và tháng 12", 0, "none"},
      {"c12", "trước ngày 10 tháng cuối Quý", 2025, "recurring - - quarter"},
      {"c13", "Trước 16h00 ngày 25 hằng tháng", 2026, "recurring - - month"},
      {"c14", "định kỳ 6 tháng (trước ngày 15/6 và 05/12 hằng năm)", 0, "recurring - -"},
      {"c15", "  Tháng   **12/2025**. ", 2025, "month 2025-12-01 2025-12-31"},
      {"c16", "Tháng 2/2024", 2024, "month 2024-02-01 2024-02-29"},
      {"c17", "31/02/2025", 2025, "none"},
      {"c18", "Quý V/2025", 2025, "none"},
      {"c19", "2030-2025", 2025, "none"},
      {"c20", "QUÝ IV/2025", 2025, "quarter 2025-10-01 2025-12-31"},
      {"c21", "(Tháng 5/2025)", 2025, "month 2025-05-01 2025-05-31"},
      {"c22", "", 2025, "none"},
      {"c23", "Nghị quyết số 57-NQ/TW ngày 22/12/2024", 2025, "none"},
      {"c24", "Quý I - II/2026", 2025, "range 2026-01-01 2026-06-30"},
      // The leading clause of a longer cell decides; its follow-up does not.
      {"c25", "Giai đoạn 2026 - 2027. Thực hiện rà soát, cập nhật (nếu có)", 2026, "range 2026-01-01 2027-12-31"},
      {"c26", "Hoàn thành trong năm 2026 và rà soát trong các năm tiếp theo (nếu có)", 2026,
       "year 2026-01-01 2026-12-31"},
      {"c27", "Thực hiện rà soát trong các năm tiếp theo (nếu có)", 2026, "none"},
      {"c28", "Xây dựng kế hoạch giai đoạn tiếp theo", 2026, "none"},
      {"c29", "Tầm nhìn đến năm 2045", 2026, "none"},
      {"c30", "Trước năm 2030", 2026, "date 2029-12-31 2029-12-31"},
      {"c31", "Thường xuyên, theo yêu cầu nhiệm vụ", 2026, "ongoing - -"},
      {"c32", "Từ tháng 11/2025 đến khi kết thúc kiểm kê", 2025, "open_from 2025-11-01 -"},
      {"c33", "13/2025", 2025, "none"},
  };
  for (const CellCase& c : kCases) {
    SCOPED_TRACE(c.id);
    DeadlineContext ctx;
    if (c.year) ctx.year = c.year;
    EXPECT_EQ(Describe(ParseDeadline(c.text, Rules(), ctx)), c.want) << c.text;
  }
}

// Counts from the issue date: a date when the document's date is known,
// nothing otherwise; a month past the end of the next one ends on its last day.
TEST(ParseDeadline, CountedFromIssueDate) {
  struct Case {
    const char* id;
    const char* text;
    const char* issued;  // nullptr: the document's date is unknown
    const char* want;
  };
  const Case kCases[] = {
      {"r1", "Trong vòng 15 ngày kể từ ngày ký", "2025-12-20", "date 2026-01-04 2026-01-04"},
      {"r2", "Trong vòng 15 ngày kể từ ngày ký", nullptr, "none"},
      {"r3", "Trong 01 tháng kể từ ngày ký", "2026-01-31", "date 2026-02-28 2026-02-28"},
      {"r4", "Trong 12 tháng kể từ ngày ban hành", "2024-02-29", "date 2025-02-28 2025-02-28"},
      {"r5", "15 ngày làm việc kể từ ngày ký", "2026-01-01", "none"},
  };
  for (const Case& c : kCases) {
    SCOPED_TRACE(c.id);
    DeadlineContext ctx;
    ctx.year = 2026;
    if (c.issued) ctx.issued = c.issued;
    EXPECT_EQ(Describe(ParseDeadline(c.text, Rules(), ctx)), c.want) << c.text;
  }
}

struct ProseCase {
  const char* id;
  const char* text;
  const char* want;  // "raw => value; raw => value" in order, "" for none
};

TEST(FindDeadlines, Prose) {
  const ProseCase kCases[] = {
      {"p01", "xây dựng chương trình ở địa phương (hoàn thành trong quý I/2025); xây dựng",
       "trong quý I/2025 => quarter 2025-01-01 2025-03-31"},
      {"p02", "theo Nghị quyết số 57-NQ/TW (hoàn hành tháng **5/2025**).",
       "tháng 5/2025 => month 2025-05-01 2025-05-31"},
      {"p03", "báo cáo Ban Thường vụ Tỉnh ủy trước ngày 28/02/2025",
       "trước ngày 28/02/2025 => date 2025-02-28 2025-02-28"},
      {"p04", "của các sở, ngành, địa phương; nhiệm vụ thường xuyên.",
       "nhiệm vụ thường xuyên => ongoing - -"},
      {"p05", "20 UBND xã, phường; thời gian Quý II, III năm 2026; Đơn vị tham mưu",
       "Quý II, III năm 2026 => range 2026-04-01 2026-09-30"},
      {"p06", "Thực hiện Nghị quyết số 57-NQ/TW ngày 22/12/2024 của Bộ Chính trị", ""},
      {"p07", "Xây dựng chương trình phát triển giai đoạn 2025-2030, tầm nhìn đến năm 2045", ""},
      {"p08", "xây dựng chương trình, kế hoạch phát triển chuyển đổi số hàng năm của cơ quan", ""},
      {"p09",
       "hàng tháng trước ngày 20 hàng tháng, báo cáo Quý trước ngày 10 tháng cuối Quý, báo cáo 6 tháng "
       "trước ngày 10/6 báo cáo năm trước ngày 30/11 hoặc đột xuất",
       "trước ngày 20 hàng tháng => recurring - - month; trước ngày 10 tháng cuối Quý => recurring - - "
       "quarter; trước ngày 10/6 => date 2025-06-10 2025-06-10; trước ngày 30/11 => date 2025-11-30 "
       "2025-11-30"},
      {"p10", "căn cứ Quyết định số 766/QĐ-TTg ngày 23/6/2022 của Thủ tướng Chính phủ", ""},
  };
  for (const ProseCase& c : kCases) {
    SCOPED_TRACE(c.id);
    std::string got;
    for (const DeadlineMention& m : FindDeadlines(c.text, Rules(), Year(2025))) {
      if (!got.empty()) got += "; ";
      got += m.raw + " => " + Describe(m.deadline);
      std::string_view span = std::string_view(c.text).substr(m.begin, m.end - m.begin);
      EXPECT_NE(span.find(m.raw.substr(0, 5)), std::string_view::npos) << "span '" << span << "'";
    }
    EXPECT_EQ(got, c.want);
  }
}

TEST(FindDeadlines, OffsetsPointAtTheOriginalText) {
  std::string text = "(hoàn thành trước **30/6/2025**).";
  auto found = FindDeadlines(text, Rules(), Year(2025));
  ASSERT_EQ(found.size(), 1u);
  EXPECT_EQ(found[0].raw, "trước 30/6/2025");
  EXPECT_EQ(text.substr(found[0].begin, found[0].end - found[0].begin), "trước **30/6/2025");
}

std::optional<int> DocYear(const JsonValue& root) {
  const JsonValue& date = root["meta"]["date"];
  if (!date.is_string() || date.text.size() < 4) return std::nullopt;
  return std::stoi(date.text.substr(0, 4));
}


struct GoldScore {
  int total = 0, right = 0;
};

// Parses every deadline_raw of `files` with the document's year and issue
// date and compares with the gold deadline. With `expect_all`, each mismatch
// fails; otherwise mismatches are printed (a few gold values are readings the
// schema does not support; see the realdev test).
GoldScore ScoreGoldDeadlines(const std::vector<::plantrace::testing::GoldFile>& files, bool expect_all) {
  GoldScore score;
  for (const auto& gold : files) {
    DeadlineContext ctx;
    ctx.year = DocYear(gold.root);
    const JsonValue& date = gold.root["meta"]["date"];
    if (date.is_string()) ctx.issued = date.text;
    for (const JsonValue& task : gold.root["tasks"].items) {
      const JsonValue& raw = task["deadline_raw"];
      if (!raw.is_string()) continue;
      const JsonValue& want = task["deadline"];
      std::string want_text = "none";
      if (want.is_object()) {
        auto str = [](const JsonValue& v) { return v.is_string() ? v.text : std::string("-"); };
        want_text = str(want["kind"]) + " " + str(want["start"]) + " " + str(want["end"]);
        if (want["every"].is_string()) want_text += " " + want["every"].text;
      }
      auto got = ParseDeadline(raw.text, Rules(), ctx);
      std::string got_text = Describe(got);
      if (got && !want["every"].is_string() && got->every) {
        got_text = got_text.substr(0, got_text.rfind(' '));  // gold omits every here
      }
      ++score.total;
      if (got_text == want_text) {
        ++score.right;
        continue;
      }
      std::string where = gold.name + " task " + (task["number"].is_string() ? task["number"].text : "-");
      if (expect_all) {
        ADD_FAILURE() << where << ": " << raw.text << "\n got: " << got_text << "\nwant: " << want_text;
      } else {
        std::printf("  %s: %s\n   got: %s\n  want: %s\n", where.c_str(), raw.text.c_str(), got_text.c_str(),
                    want_text.c_str());
      }
    }
  }
  return score;
}

// Gold oracle: every printed deadline of every seed gold task.
TEST(ParseDeadline, GoldDeadlines) {
  if (GoldFiles().empty()) GTEST_SKIP() << "no gold directory";
  GoldScore s = ScoreGoldDeadlines(GoldFiles(), true);
  std::printf("gold deadlines: %d/%d parsed right\n", s.right, s.total);
}

// The real development documents: a share is required and the mismatches
// are printed for reading.
TEST(ParseDeadline, RealdevGoldDeadlines) {
  if (RealdevGoldFiles().empty()) GTEST_SKIP() << "no realdev gold";
  GoldScore s = ScoreGoldDeadlines(RealdevGoldFiles(), false);
  std::printf("realdev deadlines: %d/%d parsed right\n", s.right, s.total);
  EXPECT_GE(s.right * 100, s.total * kRealdevDeadlineShare) << s.right << "/" << s.total;
}

// Gold oracle for prose tasks: the printed deadline is found in the task text,
// and tasks without one get none.
TEST(FindDeadlines, GoldProseTasks) {
  if (GoldFiles().empty()) GTEST_SKIP() << "no gold directory";
  int total = 0, right = 0;
  for (const auto& gold : GoldFiles()) {
    DeadlineContext ctx;
    ctx.year = DocYear(gold.root);
    for (const JsonValue& task : gold.root["tasks"].items) {
      if (!task["group"].is_null() || !task["name"].is_string()) continue;
      const JsonValue& raw = task["deadline_raw"];
      const std::string& name = task["name"].text;
      bool in_name = raw.is_string() && name.find(raw.text) != std::string::npos;
      if (raw.is_string() && !in_name) continue;  // printed outside the unit's name
      SCOPED_TRACE(gold.name + " task " + (task["number"].is_string() ? task["number"].text : "-"));
      auto found = FindDeadlines(name, Rules(), ctx);
      ++total;
      if (!raw.is_string()) {
        EXPECT_TRUE(found.empty()) << name << "\nfound: " << found[0].raw;
        if (found.empty()) ++right;
        continue;
      }
      bool ok = std::any_of(found.begin(), found.end(),
                            [&](const DeadlineMention& m) { return m.raw == raw.text; });
      EXPECT_TRUE(ok) << "want '" << raw.text << "' in: " << name;
      if (ok) ++right;
    }
  }
  std::printf("gold prose tasks: %d/%d deadlines found right\n", right, total);
}

}  // namespace
}  // namespace plantrace
