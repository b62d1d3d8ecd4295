// Unit tests of eval.cc, the C++ port of ../shared/tools/score.py: the
// pairing rules the two must share.
#include "pipeline/stages/eval.h"

#include <gtest/gtest.h>

#include "pipeline/base/json_reader.h"

namespace plantrace {
namespace {

JsonValue Gold(const std::string& json) {
  auto v = ParseJson(json);
  EXPECT_TRUE(v.ok()) << v.status().ToString();
  return v.ok() ? *v : JsonValue{};
}

Task ProseTask(const std::string& number, const std::string& name) {
  Task t;
  t.source = "IV. TỔ CHỨC THỰC HIỆN";
  t.number = number;
  t.name = name;
  return t;
}

TEST(EvalTest, ProseItemNamedByItsHeadingOrContent) {
  JsonValue gold = Gold(R"({"doc": "d.md", "meta": {}, "references": [], "tasks": [
    {"source": "IV. TỔ CHỨC THỰC HIỆN", "group": null, "number": "1", "name": "Rà soát văn bản quy phạm pháp luật",
     "title": "Rà soát văn bản", "content": "Sở Tư pháp chủ trì rà soát các văn bản"}]})");
  Record by_title;
  by_title.tasks.push_back(ProseTask("1", "Rà soát văn bản"));
  EXPECT_EQ(ScoreRecord(gold, by_title).fully, 1);
  Record other;
  other.tasks.push_back(ProseTask("1", "Tổ chức hội nghị tập huấn"));
  DocScore s = ScoreRecord(gold, other);
  EXPECT_EQ(s.matched, 1);  // paired by number
  EXPECT_EQ(s.fully, 0);
}

TEST(EvalTest, TitleOnlyReferencesPairByTitle) {
  JsonValue gold = Gold(R"({"doc": "d.md", "meta": {}, "tasks": [], "references": [
    {"number": null, "title": "Luật Đầu tư công ngày 29/11/2024", "relation": "cites"},
    {"number": "57-NQ/TW", "relation": "implements"}]})");
  Record rec;
  Reference law;
  law.title = "Luật Đầu tư công";
  law.relation = "cites";
  rec.references.push_back(law);
  Reference nq;
  nq.number = "57-NQ/TW";
  nq.relation = "implements";
  rec.references.push_back(nq);
  DocScore s = ScoreRecord(gold, rec);
  EXPECT_EQ(s.ref_tp, 2);
  EXPECT_EQ(s.ref_gold, 2);
  EXPECT_EQ(s.ref_got, 2);
  rec.references[0].relation = "based_on";  // same title, other relation
  EXPECT_EQ(ScoreRecord(gold, rec).ref_tp, 1);
}

TEST(EvalTest, TasksNotAnnotatedAreNotScored) {
  JsonValue gold = Gold(R"({"doc": "d.html", "tasks_annotated": false, "meta": {}, "references": [], "tasks": []})");
  Record rec;
  rec.tasks.push_back(ProseTask("1", "Tổ chức thực hiện"));
  DocScore s = ScoreRecord(gold, rec);
  EXPECT_EQ(s.gold, 0);
  EXPECT_EQ(s.got, 0);
}

}  // namespace
}  // namespace plantrace
