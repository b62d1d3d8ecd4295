// Link stage tests: document number keys, the link.* rule examples,
// citations and carry-overs found in text, reference resolution (by number,
// by title), document and task status, task lineage, and a store that ends
// the same whatever order its documents arrive in.
#include "pipeline/stages/link.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <vector>

#include "pipeline/base/doc_key.h"
#include "pipeline/store/store.h"
#include "tests/test_util.h"

namespace plantrace {
namespace {

using ::plantrace::testing::Rules;

const LinkRules& Links() {
  static const LinkRules* links = [] {
    Result<LinkRules> r = LinkRules::Load(Rules());
    if (!r.ok()) {
      ADD_FAILURE() << r.status().ToString();
      std::abort();
    }
    return new LinkRules(std::move(r).value());
  }();
  return *links;
}

TEST(DocKeyTest, NumberKeys) {
  struct Case {
    const char* id;
    const char* printed;
    const char* key;
  } cases[] = {
      {"plain", "102/KH-UBND", "102/KH-UBND"},
      {"space before slash", "125 /KH-BCĐ", "125/KH-BCĐ"},
      {"spaced dash", "57- NQ/TW", "57-NQ/TW"},
      {"lower case", "102/kh - ubnd", "102/KH-UBND"},
      {"en dash", "433\u2013KH/TU", "433-KH/TU"},
      {"leading so", "Số: 102/KH-UBND", "102/KH-UBND"},
      {"year", "107/2021/NĐ-CP", "107/2021/NĐ-CP"},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.id);
    EXPECT_EQ(DocNumberKey(c.printed), c.key);
  }
}

TEST(DocKeyTest, ParsesParts) {
  std::optional<DocNumberParts> p = ParseDocNumber("107/2021/NĐ-CP");
  ASSERT_TRUE(p);
  EXPECT_EQ(p->serial, "107");
  EXPECT_EQ(p->year, "2021");
  EXPECT_EQ(p->code, "NĐ-CP");
  EXPECT_EQ(p->issuer_code, "CP");
  p = ParseDocNumber("57-NQ/TW");
  ASSERT_TRUE(p);
  EXPECT_EQ(p->year, "");
  EXPECT_EQ(p->issuer_code, "TW");
  EXPECT_FALSE(ParseDocNumber("KH-UBND"));
  EXPECT_EQ(DocumentKey(std::string("102/KH - UBND"), std::string("2025-05-19"), "5765c50382b6d008"),
            "102/KH-UBND@2025-05-19#5765c503");
  EXPECT_EQ(DocumentKey(std::nullopt, std::nullopt, "6b90af762a2f7b89"), "unnumbered@-#6b90af76");
}

TEST(LinkRulesTest, EveryExampleHolds) {
  int checked = 0;
  for (const Rule& r : Rules().rules()) {
    if (r.id.rfind("link.", 0) != 0) continue;
    SCOPED_TRACE(r.file + ":" + std::to_string(r.line) + " " + r.id);
    for (const RuleExample& ex : r.examples) {
      SCOPED_TRACE("line " + std::to_string(ex.line));
      EXPECT_EQ(Links().CheckExample(r, ex), "") << ex.input;
      ++checked;
    }
    for (const RuleExample& neg : r.negatives) {
      SCOPED_TRACE("line " + std::to_string(neg.line));
      EXPECT_EQ(Links().CheckNegative(r, neg), "") << neg.input;
      ++checked;
    }
  }
  EXPECT_GT(checked, 10);
}

std::vector<SourceLine> Lines(const std::vector<std::string>& texts) {
  std::vector<SourceLine> out;
  for (size_t i = 0; i < texts.size(); ++i) out.push_back(SourceLine{texts[i], 1, static_cast<int>(i + 1), 0});
  return out;
}

TEST(LinkFactsTest, CitationTitleAndCarryover) {
  LinkFacts f = FindLinkFacts(
      Lines({"Căn cứ Kế hoạch số 386-KH/TU ngày 13/02/2025 của Ban Thường vụ Tỉnh ủy Hưng Yên thực hiện",
             "Nghị quyết số 57-NQ/TW ngày 22/12/2024 của Bộ Chính trị về đột phá phát triển khoa học (sau đây);",
             "6. Kế hoạch này thay thế Kế hoạch số 44/KH-UBND ngày 03/3/2025 của Ủy ban nhân dân tỉnh. Các nhiệm vụ "
             "đã thực hiện theo Kế hoạch số 44/KH-UBND tiếp tục được triển khai thực hiện theo Kế hoạch này."}),
      Links());
  const Citation* c386 = nullptr;
  for (const Citation& c : f.citations) {
    if (c.number_key == "386-KH/TU") c386 = &c;
  }
  ASSERT_TRUE(c386);
  EXPECT_EQ(c386->date, "2025-02-13");
  EXPECT_EQ(c386->issuer, "Ban Thường vụ Tỉnh ủy Hưng Yên");
  EXPECT_EQ(c386->title,
            "thực hiện Nghị quyết số 57-NQ/TW ngày 22/12/2024 của Bộ Chính trị về đột phá phát triển khoa học");
  EXPECT_EQ(c386->line, 1);
  ASSERT_EQ(f.carryovers.size(), 1u);
  EXPECT_EQ(f.carryovers[0].number_key, "44/KH-UBND");
  EXPECT_EQ(f.carryovers[0].line, 3);
}

LinkDoc Doc(int64_t id, std::optional<std::string> number, std::string type, std::optional<std::string> date,
            std::optional<std::string> title, std::optional<std::string> issuer = std::nullopt) {
  LinkDoc d;
  d.id = id;
  d.number_key = number ? std::optional<std::string>(DocNumberKey(*number)) : std::nullopt;
  d.type = std::move(type);
  d.date = std::move(date);
  d.title = std::move(title);
  d.issuer = std::move(issuer);
  d.place = "Hưng Yên";
  d.key = DocumentKey(number, d.date, std::string(8, char('0' + id)));
  return d;
}

LinkRef Ref(int64_t doc, int pos, std::string number, std::string relation, std::optional<std::string> type,
            std::optional<std::string> date = std::nullopt, std::optional<std::string> part = std::nullopt) {
  LinkRef r;
  r.doc_id = doc;
  r.position = pos;
  r.number_key = DocNumberKey(number);
  r.relation = std::move(relation);
  r.type = std::move(type);
  r.date = std::move(date);
  r.part = std::move(part);
  return r;
}

const char kTitle57[] =
    "Thực hiện Nghị quyết số 57-NQ/TW ngày 22/12/2024 của Bộ Chính trị về đột phá phát triển khoa học, công nghệ, "
    "đổi mới sáng tạo và chuyển đổi số quốc gia";

TEST(ResolveLinksTest, ByNumberTitleAndPending) {
  LinkInput in;
  in.docs.push_back(Doc(1, "102/KH-UBND", "Kế hoạch", "2025-05-19", "Kế hoạch chuyển đổi số"));
  in.docs.push_back(Doc(2, std::nullopt, "Kế hoạch", std::nullopt, kTitle57, "Ban Thường vụ Tỉnh ủy"));
  in.docs.push_back(Doc(3, std::nullopt, "Quyết định", std::nullopt, "Ban hành Chương trình phát triển"));
  in.refs.push_back(Ref(1, 0, "386-KH/TU", "implements", "Kế hoạch", "2025-02-13"));
  in.refs.push_back(Ref(1, 1, "44/KH-UBND", "supersedes", "Kế hoạch", "2025-03-03"));
  in.refs.push_back(Ref(3, 0, "102/KH - UBND", "implements", "Kế hoạch", "2025-05-19"));
  in.refs.push_back(Ref(3, 1, "433-KH/TU", "implements", "Kế hoạch hành động", "2025-06-11"));
  in.refs.push_back(Ref(3, 2, "102/KH-UBND", "cites", "Kế hoạch", "2024-01-01"));  // another year: not it
  Citation c;
  c.number_key = "386-KH/TU";
  c.date = "2025-02-13";
  c.issuer = "Ban Thường vụ Tỉnh ủy Hưng Yên";
  c.title = std::string(kTitle57).substr(0, std::string(kTitle57).size()) + " trên địa bàn";
  in.citations.emplace_back(1, c);
  c.number_key = "433-KH/TU";
  c.date = "2025-06-11";
  in.citations.emplace_back(3, c);
  Carryover co;
  co.number_key = "44/KH-UBND";
  in.carryovers.emplace_back(1, co);

  LinkResult r = ResolveLinks(in);
  ASSERT_EQ(r.refs.size(), 5u);
  struct Case {
    const char* id;
    size_t ref;
    std::optional<int64_t> target;
    const char* how;
  } cases[] = {
      {"386 by title", 0, 2, "title"},
      {"44 pending", 1, std::nullopt, ""},
      {"102 by number", 2, 1, "number"},
      {"433 other type stays pending", 3, std::nullopt, ""},
      {"102 with another date stays pending", 4, std::nullopt, ""},
  };
  for (const Case& k : cases) {
    SCOPED_TRACE(k.id);
    EXPECT_EQ(r.refs[k.ref].target, k.target);
    EXPECT_EQ(r.refs[k.ref].how, k.how);
  }
  EXPECT_GE(r.refs[0].score, kTitleMatchThreshold);
  for (const auto& [id, st] : r.docs) {
    SCOPED_TRACE(id);
    EXPECT_EQ(st.status, "effective");
  }
}

TEST(ResolveLinksTest, DocumentStatus) {
  struct Case {
    const char* id;
    const char* relation;
    std::optional<std::string> part;
    const char* status;
  } cases[] = {
      {"whole supersession", "supersedes", std::nullopt, "superseded"},
      {"partial supersession", "supersedes", "Phụ lục II", "partly_superseded"},
      {"amendment", "amends", std::nullopt, "amended"},
      {"repeal", "repeals", std::nullopt, "repealed"},
      {"partial repeal", "repeals", "mục 3", "amended"},
      {"implementation", "implements", std::nullopt, "effective"},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.id);
    LinkInput in;
    in.docs.push_back(Doc(1, "44/KH-UBND", "Kế hoạch", "2025-03-03", "Kế hoạch cũ"));
    in.docs.push_back(Doc(2, "102/KH-UBND", "Kế hoạch", "2025-05-19", "Kế hoạch mới"));
    in.refs.push_back(Ref(2, 0, "44/KH-UBND", c.relation, "Kế hoạch", std::nullopt, c.part));
    LinkResult r = ResolveLinks(in);
    EXPECT_EQ(r.docs[1].status, c.status);
    EXPECT_EQ(r.docs[2].status, "effective");
    if (std::string(c.status) != "effective") {
      EXPECT_EQ(r.docs[1].by, 2);
      EXPECT_EQ(r.docs[1].date, "2025-05-19");
    }
  }
}

TEST(ResolveLinksTest, EqualTitlesStayPending) {
  LinkInput in;
  in.docs.push_back(Doc(1, "1/KH-UBND", "Kế hoạch", "2025-01-01", "A"));
  in.docs.push_back(Doc(2, std::nullopt, "Kế hoạch", std::nullopt, kTitle57));
  in.docs.push_back(Doc(3, std::nullopt, "Kế hoạch", std::nullopt, kTitle57));
  in.refs.push_back(Ref(1, 0, "386-KH/TU", "implements", "Kế hoạch"));
  Citation c;
  c.number_key = "386-KH/TU";
  c.title = kTitle57;
  in.citations.emplace_back(1, c);
  EXPECT_FALSE(ResolveLinks(in).refs[0].target);
  in.docs.pop_back();
  EXPECT_EQ(ResolveLinks(in).refs[0].target, 2);
}

TEST(ResolveLinksTest, OneNumberPerUnnumberedDocument) {
  // Two plans cite two different numbers with the same title and nothing
  // else to tell them apart: neither may claim the document.
  LinkInput in;
  in.docs.push_back(Doc(1, "1/KH-UBND", "Kế hoạch", "2025-01-01", "A"));
  in.docs.push_back(Doc(2, "2/KH-UBND", "Kế hoạch", "2025-01-02", "B"));
  in.docs.push_back(Doc(3, std::nullopt, "Kế hoạch", std::nullopt, kTitle57));
  in.refs.push_back(Ref(1, 0, "386-KH/TU", "implements", "Kế hoạch"));
  in.refs.push_back(Ref(2, 0, "433-KH/TU", "implements", "Kế hoạch"));
  for (const char* n : {"386-KH/TU", "433-KH/TU"}) {
    Citation c;
    c.number_key = n;
    c.title = kTitle57;
    in.citations.emplace_back(std::string(n) == "386-KH/TU" ? 1 : 2, c);
  }
  LinkResult r = ResolveLinks(in);
  EXPECT_FALSE(r.refs[0].target);
  EXPECT_FALSE(r.refs[1].target);
}

LinkTask T(int64_t id, int64_t doc, int pos, std::string name, std::string deadline, std::vector<std::string> lead,
           std::string source = "PHỤ LỤC II") {
  LinkTask t;
  t.id = id;
  t.doc_id = doc;
  t.position = pos;
  t.source = source;
  t.clause = source + " > " + std::to_string(pos + 1);
  t.name = std::move(name);
  t.deadline_raw = deadline;
  t.lead = lead;
  t.lead_printed = lead;
  return t;
}

TEST(LineageTest, MatchesSameTaskAndReportsChanges) {
  std::vector<LinkTask> older = {
      T(1, 1, 0,
        "Hoàn thành số hóa quy trình nghiệp vụ nội bộ, hồ sơ tài liệu, kết quả giải quyết thủ tục hành chính "
        "trong các lĩnh vực liên quan tới người dân",
        "30/6/2025", {"các sở, ngành, địa phương"}),
      T(2, 1, 1, "Tổ chức học tập kinh nghiệm trong và ngoài nước", "Thường xuyên", {"sở ngoại vụ"}),
  };
  std::vector<LinkTask> newer = {
      T(10, 2, 0, "Xây dựng kế hoạch phát triển khu công nghiệp", "Tháng 12/2025", {"sở công thương"}, "PHỤ LỤC I"),
      T(11, 2, 1,
        "Hoàn thành số hóa quy trình nghiệp vụ nội bộ, hồ sơ tài liệu, kết quả giải quyết thủ tục hành chính "
        "trong các lĩnh vực liên quan tới người dân, doanh nghiệp",
        "Tháng 12/2025", {"các sở, ngành, địa phương"}, "PHỤ LỤC I"),
  };
  std::vector<LineagePair> pairs = MatchTasks(newer, older);
  ASSERT_FALSE(pairs.empty());
  const LineagePair* p = nullptr;
  for (const LineagePair& x : pairs) {
    if (x.task == 11) p = &x;
    EXPECT_NE(x.task, 10) << "unrelated task matched, score " << x.score;
  }
  ASSERT_TRUE(p);
  EXPECT_EQ(p->prev, 1);
  EXPECT_TRUE(p->linked);
  ASSERT_EQ(p->changes.size(), 1u);
  EXPECT_EQ(p->changes[0].field, "deadline");
  EXPECT_EQ(p->changes[0].from, "30/6/2025");
  EXPECT_EQ(p->changes[0].to, "Tháng 12/2025");
  EXPECT_GT(TaskTextSimilarity("Sở Khoa học và Công nghệ", "So khoa hoc va cong nghe"), 0.99);
}

TEST(LineageTest, TaskStates) {
  std::vector<LinkDoc> docs = {Doc(1, "44/KH-UBND", "Kế hoạch", "2025-03-03", "cũ"),
                               Doc(2, "102/KH-UBND", "Kế hoạch", "2025-05-19", "mới")};
  std::map<int64_t, std::vector<LinkTask>> tasks = {
      {1, {T(1, 1, 0, "a", "", {}, "PHỤ LỤC I"), T(2, 1, 1, "b", "", {}, "PHỤ LỤC II")}},
      {2, {T(10, 2, 0, "a", "", {})}}};
  LineagePair p;
  p.task = 10;
  p.prev = 1;
  p.linked = true;
  struct Case {
    const char* id;
    const char* relation;
    std::optional<std::string> part;
    bool carried;
    const char* s1;
    std::optional<int64_t> c1;
    const char* s2;
  } cases[] = {
      {"superseded", "supersedes", std::nullopt, false, "superseded", 10, "superseded"},
      {"carried over", "supersedes", std::nullopt, true, "carried_over", 10, "carried_over"},
      {"part only", "supersedes", "Phụ lục II", false, "active", std::nullopt, "superseded"},
      {"repealed", "repeals", std::nullopt, false, "superseded", std::nullopt, "superseded"},
      {"implemented stays active", "implements", std::nullopt, false, "active", std::nullopt, "active"},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.id);
    Edge e{2, 1, c.relation, c.part, c.carried};
    std::map<int64_t, TaskState> st = TaskStates({e}, docs, tasks, {p});
    TaskState s1 = st.count(1) ? st[1] : TaskState();
    TaskState s2 = st.count(2) ? st[2] : TaskState();
    EXPECT_EQ(s1.status, c.s1);
    EXPECT_EQ(s1.continues, c.c1);
    EXPECT_EQ(s2.status, c.s2);
    EXPECT_FALSE(s2.continues);
  }
}

// ------------------------------------------------------------ store order

Task StoreTask(std::string number, std::string name, std::string deadline_raw, std::string end,
               std::string source = "PHỤ LỤC II") {
  Task t;
  t.source = source;
  t.group = "I";
  t.number = number;
  t.name = std::move(name);
  Agency a;
  a.printed = "Sở Khoa học và Công nghệ";
  a.canonical = a.printed;
  a.kind = "department";
  a.known = true;
  t.lead = {a};
  t.lead_raw = a.printed;
  t.deadline_raw = deadline_raw;
  t.deadline = Deadline{"date", end, end, std::nullopt, "deadline.date"};
  t.provenance.page = 1;
  t.provenance.line = 10 + std::stoi(number);
  t.provenance.clause = source + " > I > " + number;
  t.source_text = t.name;
  return t;
}

Reference StoreRef(std::string number, std::string relation, std::string type, std::optional<std::string> date) {
  Reference r;
  r.number = std::move(number);
  r.relation = std::move(relation);
  r.type = std::move(type);
  r.date = std::move(date);
  r.sentence = "Kế hoạch này " + r.relation + " " + r.number;
  return r;
}

struct Input {
  Record rec;
  std::string bytes;
  LoadExtras extras;
};

// Four small plans: 102 supersedes 44 and carries its tasks over; an
// unnumbered plan is cited by title; a program implements 102.
std::vector<Input> SmallSet() {
  std::vector<Input> docs(4);
  Record& old = docs[0].rec;
  old.doc = "44.txt";
  old.meta.number = "44/KH-UBND";
  old.meta.type = "Kế hoạch";
  old.meta.place = "Hưng Yên";
  old.meta.date = "2025-03-03";
  old.meta.title = "Kế hoạch chuyển đổi số năm 2025";
  old.tasks = {StoreTask("1", "Hoàn thành số hóa hồ sơ tài liệu thủ tục hành chính của các sở ngành", "30/6/2025",
                         "2025-06-30"),
               StoreTask("2", "Tổ chức hội thảo về trí tuệ nhân tạo", "30/9/2025", "2025-09-30")};
  Record& plan = docs[1].rec;
  plan.doc = "102.txt";
  plan.meta.number = "102/KH-UBND";
  plan.meta.type = "Kế hoạch";
  plan.meta.place = "Hưng Yên";
  plan.meta.date = "2025-05-19";
  plan.meta.title = "Kế hoạch thực hiện Nghị quyết số 71/NQ-CP";
  plan.tasks = {StoreTask("1", "Hoàn thành số hóa hồ sơ tài liệu thủ tục hành chính của các sở, ngành", "Tháng 12/2025",
                          "2025-12-31"),
                StoreTask("2", "Xây dựng kho dữ liệu dùng chung của tỉnh", "Tháng 6/2026", "2026-06-30")};
  plan.references = {StoreRef("44/KH-UBND", "supersedes", "Kế hoạch", "2025-03-03"),
                     StoreRef("386-KH/TU", "implements", "Kế hoạch", "2025-02-13")};
  docs[1].extras.facts.carryovers.push_back(Carryover{"44/KH-UBND", "Các nhiệm vụ ... tiếp tục", 1, 60, "r"});
  Citation c;
  c.number_key = "386-KH/TU";
  c.date = "2025-02-13";
  c.title = kTitle57;
  docs[1].extras.facts.citations.push_back(c);
  Record& party = docs[2].rec;
  party.doc = "tu.txt";
  party.meta.type = "Kế hoạch";
  party.meta.title = kTitle57;
  party.tasks = {StoreTask("1", "Quán triệt Nghị quyết số 57-NQ/TW", "Thường xuyên", "2025-12-31", "III")};
  Record& program = docs[3].rec;
  program.doc = "qd.txt";
  program.meta.type = "Quyết định";
  program.meta.place = "Hưng Yên";
  program.meta.title = "Ban hành Chương trình phát triển khoa học";
  program.tasks = {StoreTask("2", "Xây dựng kho dữ liệu dùng chung của tỉnh Hưng Yên", "Tháng 9/2026", "2026-09-30",
                             "PHỤ LỤC I")};
  program.references = {StoreRef("102/KH-UBND", "implements", "Kế hoạch", "2025-05-19"),
                        StoreRef("433-KH/TU", "implements", "Kế hoạch hành động", "2025-06-11")};
  for (size_t i = 0; i < docs.size(); ++i) docs[i].bytes = "document " + std::to_string(i);
  return docs;
}

std::string ExportInOrder(const std::vector<Input>& docs, const std::vector<int>& order) {
  Result<std::unique_ptr<Store>> s = Store::Open(testing::TestStoreDb());
  EXPECT_TRUE(s.ok()) << s.status().ToString();
  if (!s.ok()) return "";
  for (int i : order) {
    LoadOutcome out;
    Status st = (*s)->LoadDocument(docs[i].rec, docs[i].bytes, docs[i].rec.doc, "h", docs[i].extras, &out);
    EXPECT_TRUE(st.ok()) << st.ToString();
  }
  Result<std::string> json = (*s)->ExportJson();
  EXPECT_TRUE(json.ok());
  return json.ok() ? *json : "";
}

TEST(StoreLinkTest, ExportIsTheSameInEveryLoadOrder) {
  std::vector<Input> docs = SmallSet();
  std::vector<int> order = {0, 1, 2, 3};
  const std::string first = ExportInOrder(docs, order);
  EXPECT_NE(first.find("\"resolved_by\": \"title\""), std::string::npos) << first;
  EXPECT_NE(first.find("\"status\": \"carried_over\""), std::string::npos) << first;
  EXPECT_NE(first.find("\"status\": \"superseded\""), std::string::npos) << first;
  EXPECT_EQ(first.find("\"id\""), std::string::npos) << "row ids leaked into the export";
  int orders = 0;
  while (std::next_permutation(order.begin(), order.end())) {
    std::string name;
    for (int i : order) name += std::to_string(i);
    SCOPED_TRACE("order " + name);
    EXPECT_EQ(ExportInOrder(docs, order), first);
    ++orders;
  }
  EXPECT_EQ(orders, 23);
}

TEST(StoreLinkTest, StatusLineageAndTrace) {
  std::vector<Input> docs = SmallSet();
  Result<std::unique_ptr<Store>> s = Store::Open(testing::TestStoreDb());
  ASSERT_TRUE(s.ok());
  Store* store = s->get();
  for (int i : {3, 2, 1, 0}) {
    LoadOutcome out;
    ASSERT_TRUE(store->LoadDocument(docs[i].rec, docs[i].bytes, docs[i].rec.doc, "h", docs[i].extras, &out).ok());
  }
  Result<std::vector<DocRow>> rows = store->Documents();
  ASSERT_TRUE(rows.ok());
  for (const DocRow& d : *rows) {
    SCOPED_TRACE(d.key);
    EXPECT_EQ(d.status, d.number == "44/KH-UBND" ? "superseded" : "effective");
    if (d.number == "44/KH-UBND") {
      ASSERT_TRUE(d.status_by);
      EXPECT_EQ(d.status_by->rfind("102/KH-UBND@2025-05-19#", 0), 0u);
    }
  }
  Result<std::optional<int64_t>> old_task = store->FindTask("44/KH-UBND:1");
  ASSERT_TRUE(old_task.ok() && *old_task);
  TaskQuery q;
  q.task_id = **old_task;
  q.status = "all";
  Result<std::vector<TaskRow>> t = store->Tasks(q);
  ASSERT_TRUE(t.ok() && t->size() == 1);
  EXPECT_EQ((*t)[0].status, "carried_over");
  ASSERT_TRUE((*t)[0].continues);
  Result<std::vector<LineageRow>> chain = store->Lineage(**old_task);
  ASSERT_TRUE(chain.ok());
  ASSERT_EQ(chain->size(), 1u);
  EXPECT_TRUE((*chain)[0].linked);
  EXPECT_EQ((*chain)[0].relation, "supersedes");
  ASSERT_FALSE((*chain)[0].changes.empty());
  EXPECT_EQ((*chain)[0].changes[0].to, "Tháng 12/2025");
  // Active tasks exclude the carried-over ones unless asked.
  TaskQuery active;
  Result<std::vector<TaskRow>> act = store->Tasks(active);
  ASSERT_TRUE(act.ok());
  for (const TaskRow& r : *act) EXPECT_EQ(r.status, "active") << r.ref;
  EXPECT_EQ(act->size(), 4u);
  Result<std::optional<int64_t>> missing = store->FindTask("999/KH-UBND:1");
  ASSERT_TRUE(missing.ok());
  EXPECT_FALSE(*missing);
}

}  // namespace
}  // namespace plantrace
