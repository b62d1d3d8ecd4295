// Identity tests: the reading.* and identity.* rules run their examples and
// negatives; SameDocument, the reading order and the links identity implies
// (draft -> issued plan, re-issue, correction) on hand-built identities.
#include "pipeline/store/identity.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "tests/test_util.h"

namespace plantrace {
namespace {

const IdentityRules& Rules() {
  static const IdentityRules* rules = [] {
    Result<IdentityRules> r = IdentityRules::Load(testing::Rules());
    if (!r.ok()) std::abort();
    return new IdentityRules(std::move(r).value());
  }();
  return *rules;
}

TEST(IdentityTest, RuleExamplesAndNegatives) {
  int checked = 0;
  for (const char* family : {"reading", "identity"}) {
    for (const Rule* r : testing::Rules().Category(family)) {
      for (const RuleExample& ex : r->examples) {
        SCOPED_TRACE(r->file + ":" + std::to_string(ex.line) + " " + r->id);
        EXPECT_EQ(Rules().CheckExample(*r, ex), "");
        ++checked;
      }
      for (const RuleExample& neg : r->negatives) {
        SCOPED_TRACE(r->file + ":" + std::to_string(neg.line) + " " + r->id + " (negative)");
        EXPECT_EQ(Rules().CheckNegative(*r, neg), "");
        ++checked;
      }
    }
  }
  EXPECT_GT(checked, 20);
}

TEST(IdentityTest, ReadingPreference) {
  struct Case {
    const char* id;
    RenditionFacts better, worse;
  } cases[] = {
      {"1 docx text over pdf text layer", {"docx", true}, {"pdf", true}},
      {"2 html over pdf", {"html", true}, {"pdf", true}},
      {"3 a rendition with tables over one without", {"pdf", true}, {"docx", false}},
      {"4 pdf text layer over plain text", {"pdf", false}, {"text", false}},
      {"5 tables in plain text over a pdf without", {"text", true}, {"pdf", false}},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.id);
    const ReadingRank a = Rules().Rank(c.better), b = Rules().Rank(c.worse);
    EXPECT_GT(a.score, b.score);
    EXPECT_TRUE(BetterReading(a.score, "ff", b.score, "00"));
    EXPECT_FALSE(BetterReading(b.score, "00", a.score, "ff"));
  }
  // Equal ranks: the smaller hash, whatever the order of arrival.
  EXPECT_TRUE(BetterReading(10, "0a", 10, "0b"));
  EXPECT_FALSE(BetterReading(10, "0b", 10, "0a"));
  EXPECT_FALSE(Rules().Rank({"docx", true}).rules.empty());
}

DocIdentity Id(std::string number, std::string date, std::string issuer, std::string title = "ke hoach chuyen doi so",
               bool draft = false) {
  DocIdentity d;
  d.number_key = std::move(number);
  d.date = std::move(date);
  d.issuer = std::move(issuer);
  d.type = "ke hoach";
  d.title = std::move(title);
  d.draft = draft;
  return d;
}

TEST(IdentityTest, SameDocument) {
  const std::string hy = "uy ban nhan dan tinh hung yen", na = "uy ban nhan dan tinh nghe an";
  struct Case {
    const char* id;
    DocIdentity a, b;
    bool same;
  } cases[] = {
      {"1 same number, date and issuer", Id("102/KH-UBND", "2025-05-19", hy), Id("102/KH-UBND", "2025-05-19", hy), true},
      {"2 same number and date in another province", Id("102/KH-UBND", "2025-05-19", hy),
       Id("102/KH-UBND", "2025-05-19", na), false},
      {"3 same number, later date (a re-issue)", Id("102/KH-UBND", "2025-05-19", hy),
       Id("102/KH-UBND", "2025-06-02", hy), false},
      {"4 header without the province", Id("102/KH-UBND", "2025-05-19", hy),
       Id("102/KH-UBND", "2025-05-19", "uy ban nhan dan tinh"), true},
      {"5 one file lost the date", Id("102/KH-UBND", "", hy), Id("102/KH-UBND", "2025-05-19", hy), true},
      {"6 unnumbered: same type and title", Id("", "", "ban thuong vu tinh uy"), Id("", "", "ban thuong vu tinh uy"),
       true},
      {"7 unnumbered: another title", Id("", "", hy), Id("", "", hy, "ke hoach khac"), false},
      {"8 numbered and unnumbered", Id("102/KH-UBND", "2025-05-19", hy), Id("", "", hy), false},
      {"9 a draft is not its issued plan", Id("", "", hy, "ke hoach chuyen doi so", true), Id("", "", hy), false},
      {"10 no number, no title: nothing to go by", Id("", "", hy, ""), Id("", "", hy, ""), false},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.id);
    EXPECT_EQ(SameDocument(c.a, c.b), c.same);
    EXPECT_EQ(SameDocument(c.b, c.a), c.same);
  }
}

TEST(IdentityTest, IdentityFromMetaAndHeaderLines) {
  Meta m;
  m.number = "Số: 348/kh - UBND";
  m.date = "2025-05-14";
  m.issuer = "UBND tỉnh Nghệ An";
  m.type = "Kế hoạch";
  m.title = "TRIỂN KHAI THỰC HIỆN Nghị quyết";
  DocIdentity id = IdentityOf(m, {}, &Rules());
  EXPECT_EQ(id.number_key, "348/KH-UBND");
  EXPECT_EQ(id.issuer, "uy ban nhan dan tinh nghe an");
  EXPECT_EQ(id.title, "trien khai thuc hien nghi quyet");
  EXPECT_FALSE(id.draft);

  // Number and day left blank: a draft, whatever the caption says.
  std::vector<SourceLine> blank = {{"ỦY BAN NHÂN DÂN TỈNH HƯNG YÊN", 1, 1, 0},
                                   {"Số:      /KH-UBND", 1, 2, 0},
                                   {"Hưng Yên, ngày      tháng      năm 2025", 1, 3, 0}};
  id = IdentityOf(m, blank, &Rules());
  EXPECT_TRUE(id.draft);
  EXPECT_EQ(id.number_key, "");
  EXPECT_EQ(id.date, "");
  // Provenance: the rules that made it a draft.
  EXPECT_EQ(id.rules.rfind("identity.blank_number.line@", 0), 0u) << id.rules;
  EXPECT_NE(id.rules.find(" identity.blank_date.line@"), std::string::npos) << id.rules;
  // Marked as a draft.
  id = IdentityOf(m, {{"DỰ THẢO", 1, 1, 0}}, &Rules());
  EXPECT_TRUE(id.draft);
  // The number line alone is not enough (a serial lost to a scan).
  id = IdentityOf(m, {{"Số:      /KH-UBND", 1, 2, 0}}, &Rules());
  EXPECT_FALSE(id.draft);

  m.title = "Về việc đính chính Kế hoạch số 102/KH-UBND";
  EXPECT_EQ(IdentityOf(m, {}, &Rules()).correction, "corrects");
  EXPECT_EQ(IdentityOf(m, {}, &Rules()).rules.rfind("identity.correction.corrects@", 0), 0u);
}

TEST(IdentityTest, IsPlanDocument) {
  Record empty;
  EXPECT_FALSE(IsPlanDocument(empty));
  Record titled;
  titled.meta.title = "Kế hoạch";
  EXPECT_TRUE(IsPlanDocument(titled));
  Record with_task;
  with_task.tasks.emplace_back();
  EXPECT_TRUE(IsPlanDocument(with_task));
}

TEST(IdentityTest, IdentityRelations) {
  const std::string hy = "uy ban nhan dan tinh hung yen";
  std::vector<IdentityDoc> docs = {
      {1, "unnumbered@-#aa", Id("", "", "uy ban nhan dan tinh", "ke hoach chuyen doi so", true)},
      {2, "102/KH-UBND@2025-05-19#bb", Id("102/KH-UBND", "2025-05-19", hy)},
      {3, "102/KH-UBND@2025-06-02#cc", Id("102/KH-UBND", "2025-06-02", hy)},
      {4, "7/QD-UBND@2025-07-01#dd", Id("7/QD-UBND", "2025-07-01", hy, "dinh chinh ke hoach so 102")},
      {5, "unnumbered@-#ee", Id("", "", hy, "ke hoach khac", true)},  // a draft never issued
  };
  docs[3].identity.correction = "corrects";
  const std::vector<IdentityEdge> edges = IdentityRelations(docs, {{4, 3}, {4, 2}});
  ASSERT_EQ(edges.size(), 3u);
  // The earliest issued plan supersedes the draft.
  EXPECT_EQ(edges[0].from, 2);
  EXPECT_EQ(edges[0].to, 1);
  EXPECT_EQ(edges[0].relation, "supersedes");
  EXPECT_EQ(edges[0].reason, "issued");
  // The same number with a later date re-issues the plan.
  EXPECT_EQ(edges[1].from, 3);
  EXPECT_EQ(edges[1].to, 2);
  EXPECT_EQ(edges[1].reason, "reissues");
  // A correction amends the first document it cites.
  EXPECT_EQ(edges[2].from, 4);
  EXPECT_EQ(edges[2].to, 3);
  EXPECT_EQ(edges[2].relation, "amends");
  EXPECT_EQ(edges[2].reason, "corrects");
  // Input order changes nothing.
  std::vector<IdentityDoc> reversed(docs.rbegin(), docs.rend());
  const std::vector<IdentityEdge> again = IdentityRelations(reversed, {{4, 3}, {4, 2}});
  ASSERT_EQ(again.size(), edges.size());
  for (size_t i = 0; i < edges.size(); ++i) {
    EXPECT_EQ(again[i].from, edges[i].from);
    EXPECT_EQ(again[i].to, edges[i].to);
  }
}

}  // namespace
}  // namespace plantrace
