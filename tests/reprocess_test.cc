// Tests of pipeline/store/reprocess: how stored tasks are paired with a new
// extraction and what is reported as added, removed or changed.
#include "pipeline/store/reprocess.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace plantrace {
namespace {

TaskRow Stored(const char* number, const char* name, const char* deadline_raw = "2025") {
  TaskRow t;
  t.source = "Phụ lục I";
  if (*number) t.number = number;
  t.name = name;
  t.deadline_raw = deadline_raw;
  t.lead = {"Sở Y tế"};
  t.lead_raw = "Sở Y tế";
  return t;
}

Task Fresh(const char* number, const char* name, const char* deadline_raw = "2025") {
  Task t;
  t.source = "Phụ lục I";
  if (*number) t.number = number;
  t.name = name;
  t.deadline_raw = deadline_raw;
  Agency a;
  a.printed = "Sở Y tế";
  t.lead = {a};
  t.lead_raw = "Sở Y tế";
  return t;
}

// "+3", "-2", "~1:name,deadline_raw": kind, 1-based position, fields.
std::vector<std::string> Summary(const std::vector<TaskDiff>& diffs) {
  std::vector<std::string> out;
  for (const TaskDiff& d : diffs) {
    std::string s = TaskDiffMark(d.kind);
    s += std::to_string(d.position + 1);
    for (size_t i = 0; i < d.fields.size(); ++i) s += (i ? "," : ":") + d.fields[i].field;
    out.push_back(s);
  }
  return out;
}

TEST(ReprocessTest, DiffTasks) {
  struct Case {
    const char* id;
    std::vector<TaskRow> before;
    std::vector<Task> after;
    std::vector<std::string> want;
  };
  const std::vector<Case> cases = {
      {"identical", {Stored("1", "A"), Stored("2", "B")}, {Fresh("1", "A"), Fresh("2", "B")}, {}},
      {"numbered task renamed and redated: paired by number",
       {Stored("1", "A"), Stored("2", "B")},
       {Fresh("1", "A"), Fresh("2", "B đầy đủ", "Quý II/2026")},
       {"~2:name,deadline_raw"}},
      {"row found by a better rule, one lost",
       {Stored("1", "A"), Stored("2", "B")},
       {Fresh("1", "A"), Fresh("3", "C")},
       {"+2", "-2"}},
      {"unnumbered clauses paired by name, whatever their order",
       {Stored("", "X"), Stored("", "Y")},
       {Fresh("", "Y"), Fresh("", "X"), Fresh("", "Z")},
       {"+3"}},
      {"renumbered but same name: paired by name",
       {Stored("5", "A")},
       {Fresh("6", "A")},
       {"~1:number"}},
      {"duplicate numbers pair in order", {Stored("1", "A"), Stored("1", "B")}, {Fresh("1", "A"), Fresh("1", "B")}, {}},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.id);
    EXPECT_EQ(Summary(DiffTasks(c.before, c.after)), c.want);
  }
}

TEST(ReprocessTest, DiffMeta) {
  DocRow before;
  before.number = "102/KH-UBND";
  before.date = "2025-05-19";
  Meta after;
  after.number = "102/KH-UBND";
  after.date = "2025-05-20";
  after.signer = "Trần Quốc Văn";
  std::vector<FieldChange> got = DiffMeta(before, after);
  ASSERT_EQ(got.size(), 2u);
  EXPECT_EQ(got[0].field, "date");
  EXPECT_EQ(got[0].before, "2025-05-19");
  EXPECT_EQ(got[0].after, "2025-05-20");
  EXPECT_EQ(got[1].field, "signer");
  EXPECT_EQ(got[1].before, "");
}

TEST(ReprocessTest, DiffReferences) {
  RelationRow kept, dropped;
  kept.to_number = "71/NQ-CP";
  kept.relation = "implements";
  kept.to_date = "2025-04-01";
  dropped.to_title = "Luật Đầu tư công";
  dropped.relation = "cites";
  Reference same, fresh;
  same.number = "71/NQ-CP";
  same.relation = "implements";
  same.date = "2025-04-01";
  fresh.number = "44/KH-UBND";
  fresh.relation = "supersedes";
  std::vector<FieldChange> got = DiffReferences({kept, dropped}, {same, fresh});
  ASSERT_EQ(got.size(), 2u);
  EXPECT_EQ(got[0].field, "Luật Đầu tư công");
  EXPECT_EQ(got[0].before, "cites");
  EXPECT_EQ(got[0].after, "");
  EXPECT_EQ(got[1].field, "44/KH-UBND");
  EXPECT_EQ(got[1].before, "");
  EXPECT_EQ(got[1].after, "supersedes");
}

}  // namespace
}  // namespace plantrace
