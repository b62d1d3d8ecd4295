// Store tests: schema and migrations, one-transaction loads, agency and
// full-text queries, and the JSON/CSV encoders the commands print with.
#include "pipeline/store/store.h"

#include <gtest/gtest.h>
#include <sqlite3.h>
#include <stdlib.h>
#include <unistd.h>

#include <filesystem>
#include <functional>
#include <string>
#include <vector>

#include "pipeline/store/reprocess.h"
#include "tests/test_util.h"

namespace plantrace {
namespace {

Agency Ag(std::string printed, std::string canonical = "", std::string kind = "department") {
  Agency a;
  a.printed = std::move(printed);
  a.canonical = std::move(canonical);
  a.kind = std::move(kind);
  a.known = !a.canonical.empty();
  return a;
}

Task MakeTask(std::string number, std::string name, std::vector<Agency> lead, std::vector<Agency> coord = {}) {
  Task t;
  t.source = "PHỤ LỤC I";
  t.group = "I";
  t.number = std::move(number);
  t.name = std::move(name);
  t.lead = std::move(lead);
  t.coord = std::move(coord);
  if (!t.lead.empty()) t.lead_raw = t.lead[0].printed;
  t.deadline_raw = "Tháng 9/2026";
  t.deadline = Deadline{"month", "2026-09-01", "2026-09-30", std::nullopt, "deadline.month"};
  t.provenance.page = 2;
  t.provenance.line = 17;
  t.provenance.clause = "PHỤ LỤC I > I > " + *t.number;
  t.provenance.rules = {"deadline.month@abc", "table.row@abc"};
  t.source_text = t.name;
  return t;
}

// A plan of Hưng Yên with three tasks, one reference, one indicator, one warning.
Record SampleRecord(std::string number = "102/KH-UBND", std::string place = "Hưng Yên") {
  Record r;
  r.doc = "plan.txt";
  r.format = Format::kText;
  r.rules_hash = std::string(64, 'a');
  r.meta.number = std::move(number);
  r.meta.type = "Kế hoạch";
  r.meta.issuer = "Ủy ban nhân dân tỉnh " + place;
  r.meta.place = std::move(place);
  r.meta.date = "2025-05-19";
  r.meta.title = "Kế hoạch chuyển đổi số";
  r.tasks.push_back(MakeTask("1", "Xây dựng cơ sở dữ liệu khoa học",
                             {Ag("Sở KH&CN", "Sở Khoa học và Công nghệ")}, {Ag("Công an tỉnh", "Công an tỉnh")}));
  r.tasks.push_back(MakeTask("2", "Đào tạo nhân lực y tế", {Ag("Sở Y tế", "Sở Y tế")},
                             {Ag("Sở Khoa học và Công nghệ", "Sở Khoa học và Công nghệ")}));
  r.tasks.push_back(MakeTask("3", "Rà soát thủ tục", {Ag("Các sở, ban, ngành", "", "collective")}));
  Reference ref;
  ref.number = "71/NQ-CP";
  ref.date = "2025-04-01";
  ref.relation = "implements";
  ref.sentence = "Thực hiện Nghị quyết số 71/NQ-CP";
  r.references.push_back(ref);
  Indicator ind;
  ind.source = "PHỤ LỤC II";
  ind.name = "Tỷ lệ hồ sơ trực tuyến";
  ind.unit = "%";
  ind.targets = {{"2025", "80"}, {"2026", "90"}};
  ind.monitor = {"Sở Nội vụ"};
  r.indicators.push_back(ind);
  Diagnostic d;
  d.code = "deadline.unparsed";
  d.message = "no rule for \"sớm\"";
  r.warnings.push_back(d);
  return r;
}

std::unique_ptr<Store> OpenOrDie(const std::string& path = testing::TestStoreDb()) {
  Result<std::unique_ptr<Store>> s = Store::Open(path);
  EXPECT_TRUE(s.ok()) << s.status().ToString();
  return s.ok() ? std::move(s).value() : nullptr;
}

class TempDir {
 public:
  TempDir() {
    std::string tmpl = (std::filesystem::temp_directory_path() / "plantrace_store_XXXXXX").string();
    path_ = mkdtemp(tmpl.data());
  }
  ~TempDir() { std::filesystem::remove_all(path_); }
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

LoadOutcome LoadOrDie(Store* s, const Record& r, std::string_view bytes) {
  LoadOutcome out;
  Status st = s->LoadDocument(r, bytes, "in/" + r.doc, std::string(64, 'b'), &out);
  EXPECT_TRUE(st.ok()) << st.ToString();
  return out;
}

TEST(StoreTest, SchemaCreatedAndMigrationIdempotent) {
  TempDir dir;
  const std::string path = dir.path() + "/t.db";
  TableCounts before;
  {
    auto s = OpenOrDie(path);
    ASSERT_TRUE(s);
    Result<int> v = s->SchemaVersion();
    ASSERT_TRUE(v.ok());
    EXPECT_EQ(*v, 13);
    LoadOrDie(s.get(), SampleRecord(), "bytes-1");
    before = *s->Counts();
  }
  for (int reopen = 1; reopen <= 2; ++reopen) {
    SCOPED_TRACE("reopen " + std::to_string(reopen));
    auto s = OpenOrDie(path);
    ASSERT_TRUE(s);
    EXPECT_EQ(*s->SchemaVersion(), 13);
    EXPECT_EQ(*s->Counts(), before);
  }
  EXPECT_TRUE(std::filesystem::exists(path + "-wal") || std::filesystem::exists(path))
      << "store file missing";
}

// The reading commands' open: read-only while the store is settled; a
// writer when a stopped batch left links pending, which it then finishes.
TEST(StoreTest, ReadingOpensReadOnlyUnlessLinksArePending) {
  TempDir dir;
  const std::string path = dir.path() + "/t.db";
  {
    auto s = OpenOrDie(path);
    ASSERT_TRUE(s);
    LoadOrDie(s.get(), SampleRecord(), "bytes-1");
  }
  {
    Result<std::unique_ptr<Store>> r = Store::OpenForReading(path);
    ASSERT_TRUE(r.ok()) << r.status().ToString();
    LoadOutcome out;
    EXPECT_FALSE((*r)->LoadDocument(SampleRecord("103/KH-UBND"), "bytes-2", "in/2", "h", &out).ok())
        << "a settled store opened for reading took a write";
  }
  auto pending = [&] {
    sqlite3* db = nullptr;
    EXPECT_EQ(sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READONLY, nullptr), SQLITE_OK);
    sqlite3_stmt* st = nullptr;
    EXPECT_EQ(sqlite3_prepare_v2(db, "SELECT count(*) FROM pending_work", -1, &st, nullptr), SQLITE_OK);
    EXPECT_EQ(sqlite3_step(st), SQLITE_ROW);
    const int n = sqlite3_column_int(st, 0);
    sqlite3_finalize(st);
    sqlite3_close(db);
    return n;
  };
  {
    // A batch that stops before resolving its links.
    auto s = OpenOrDie(path);
    ASSERT_TRUE(s);
    s->DeferLinks();
    LoadOrDie(s.get(), SampleRecord("104/KH-UBND"), "bytes-3");
  }
  ASSERT_EQ(pending(), 1);
  Result<std::unique_ptr<Store>> r = Store::OpenForReading(path);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(pending(), 0);
}

// A store written before migration 8 (task_agencies with a rowid) keeps
// every assignment, in order, when it is migrated.
TEST(StoreTest, MigrationKeepsTaskAgencies) {
  TempDir dir;
  const std::string path = dir.path() + "/t.db";
  std::vector<TaskRow> before;
  {
    auto s = OpenOrDie(path);
    ASSERT_TRUE(s);
    LoadOrDie(s.get(), SampleRecord(), "bytes-1");
    before = *s->Tasks(TaskQuery());
  }
  {
    sqlite3* db = nullptr;
    ASSERT_EQ(sqlite3_open(path.c_str(), &db), SQLITE_OK);
    const char* to_v7 = R"sql(
      CREATE TABLE ta_v7 (
        task_id INTEGER NOT NULL REFERENCES tasks (id) ON DELETE CASCADE,
        agency_id INTEGER NOT NULL REFERENCES agencies (id),
        role TEXT NOT NULL CHECK (role IN ('lead', 'coord')),
        position INTEGER NOT NULL,
        printed TEXT NOT NULL,
        PRIMARY KEY (task_id, role, position));
      INSERT INTO ta_v7 SELECT task_id, agency_id, role, position, printed FROM task_agencies;
      DROP TABLE task_agencies;
      ALTER TABLE ta_v7 RENAME TO task_agencies;
      CREATE INDEX task_agencies_task ON task_agencies (task_id, role);
      CREATE INDEX task_agencies_agency ON task_agencies (agency_id, task_id, role);
      DELETE FROM schema_version WHERE version = 8;)sql";
    EXPECT_EQ(sqlite3_exec(db, to_v7, nullptr, nullptr, nullptr), SQLITE_OK) << sqlite3_errmsg(db);
    sqlite3_close(db);
  }
  auto s = OpenOrDie(path);
  ASSERT_TRUE(s);
  EXPECT_EQ(*s->SchemaVersion(), 13);
  Result<std::vector<TaskRow>> after = s->Tasks(TaskQuery());
  ASSERT_TRUE(after.ok());
  ASSERT_EQ(after->size(), before.size());
  for (size_t i = 0; i < before.size(); ++i) {
    EXPECT_EQ((*after)[i].lead, before[i].lead);
    EXPECT_EQ((*after)[i].coord, before[i].coord);
  }
  TaskQuery q;
  q.agency = "Sở KH&CN";
  EXPECT_EQ(s->Tasks(q)->size(), 2u);
}

// ForEachTask hands over the rows Tasks() returns, in the same order.
TEST(StoreTest, ForEachTaskStreamsTheListing) {
  auto s = OpenOrDie();
  ASSERT_TRUE(s);
  LoadOrDie(s.get(), SampleRecord(), "bytes-1");
  LoadOrDie(s.get(), SampleRecord("7/KH-UBND", "Nghệ An"), "bytes-2");
  TaskQuery q;
  q.by_deadline = true;
  Result<std::vector<TaskRow>> all = s->Tasks(q);
  ASSERT_TRUE(all.ok());
  ASSERT_EQ(all->size(), 6u);
  std::vector<std::string> seen;
  ASSERT_TRUE(s->ForEachTask(q, [&](const TaskRow& t) { seen.push_back(t.ref); }).ok());
  std::vector<std::string> want;
  for (const TaskRow& t : *all) want.push_back(t.ref);
  EXPECT_EQ(seen, want);
  // Same deadline everywhere: document key, then position.
  EXPECT_LT((*all)[0].doc_key, (*all)[3].doc_key);
  EXPECT_EQ((*all)[0].position, 0);
  EXPECT_EQ((*all)[2].position, 2);
}

std::vector<std::string> TaskNames(Store* s, const TaskQuery& q = TaskQuery()) {
  std::vector<std::string> names;
  Result<std::vector<TaskRow>> rows = s->Tasks(q);
  EXPECT_TRUE(rows.ok()) << rows.status().ToString();
  if (rows.ok()) {
    for (const TaskRow& t : *rows) names.push_back(t.name);
  }
  return names;
}

// A document re-extracted: same id and original, new tasks (and their
// index entries and agencies), nothing of the old extraction left.
TEST(StoreTest, ReplaceDocumentKeepsIdAndOriginal) {
  auto s = OpenOrDie();
  LoadOutcome first = LoadOrDie(s.get(), SampleRecord(), "bytes-1");
  Record r = SampleRecord();
  r.tasks.pop_back();  // the collective's only task goes
  r.tasks[0].deadline_raw = "Quý IV/2026";
  r.tasks.push_back(MakeTask("4", "Số hóa hồ sơ lưu trữ", {Ag("Sở Nội vụ", "Sở Nội vụ")}));
  LoadOutcome out;
  Status st = s->ReplaceDocument(first.doc_id, r, std::string(64, 'c'), LoadExtras(), &out);
  ASSERT_TRUE(st.ok()) << st.ToString();
  EXPECT_EQ(out.doc_id, first.doc_id);
  Result<std::vector<DocRow>> docs = s->Documents();
  ASSERT_TRUE(docs.ok());
  ASSERT_EQ(docs->size(), 1u);
  EXPECT_EQ((*docs)[0].id, first.doc_id);
  EXPECT_EQ((*docs)[0].rules_hash, std::string(64, 'c'));
  EXPECT_EQ((*docs)[0].sha256, first.sha256);
  EXPECT_EQ(*s->Original(first.doc_id), "bytes-1");
  EXPECT_EQ(TaskNames(s.get()), (std::vector<std::string>{"Xây dựng cơ sở dữ liệu khoa học",
                                                          "Đào tạo nhân lực y tế", "Số hóa hồ sơ lưu trữ"}));
  TaskQuery found;
  found.search = "so hoa ho so";
  EXPECT_EQ(TaskNames(s.get(), found), std::vector<std::string>{"Số hóa hồ sơ lưu trữ"});
  TaskQuery gone;
  gone.search = "ra soat thu tuc";
  EXPECT_TRUE(TaskNames(s.get(), gone).empty());
  Result<std::vector<AgencyRow>> agencies = s->Agencies();
  ASSERT_TRUE(agencies.ok());
  for (const AgencyRow& a : *agencies) EXPECT_NE(a.name, "Các sở, ban, ngành") << "orphan agency kept";
  TableCounts counts = *s->Counts();
  EXPECT_EQ(counts.rows["tasks"], 3);
  EXPECT_EQ(counts.rows["tasks_fts"], 3);
  EXPECT_FALSE(s->ReplaceDocument(first.doc_id + 1, r, "", LoadExtras(), nullptr).ok());
}

// Agencies are entities of the plan's province (Record::agency_scope, else
// its place); a national body or one naming its province keeps its own.
TEST(StoreTest, AgencyScopes) {
  struct Case {
    const char* id;
    std::optional<std::string> agency_scope;  // the record's
    std::optional<std::string> own;           // the agency's
    const char* want;
  } const kCases[] = {
      {"a1", std::nullopt, std::nullopt, "hưng yên"},  // record without one: the place
      {"a2", "Bắc Ninh", std::nullopt, "bắc ninh"},
      {"a3", "", std::nullopt, ""},                     // national issuer
      {"a4", "Bắc Ninh", "", ""},                       // national body
      {"a5", "Bắc Ninh", "Nghệ An", "nghệ an"},         // names its province
  };
  for (const Case& c : kCases) {
    SCOPED_TRACE(c.id);
    auto s = OpenOrDie();
    Record r = SampleRecord();
    r.agency_scope = c.agency_scope;
    Agency a = Ag("Sở Tài chính", "Sở Tài chính");
    a.scope = c.own;
    r.tasks = {MakeTask("1", "Kiểm kê tài sản công", {a})};
    LoadOrDie(s.get(), r, "bytes");
    Result<std::vector<AgencyRow>> rows = s->Agencies();
    ASSERT_TRUE(rows.ok());
    ASSERT_EQ(rows->size(), 1u);
    EXPECT_EQ((*rows)[0].scope, c.want);
    EXPECT_EQ((*rows)[0].name, "Sở Tài chính");
  }
}

// Reprocess: each selected document re-extracted and diffed; one that no
// longer extracts is reported and left as it was; the run is logged.
TEST(StoreTest, ReprocessDiffsAndSkipsFailures) {
  auto s = OpenOrDie();
  LoadOrDie(s.get(), SampleRecord("102/KH-UBND"), "plan-a");
  LoadOrDie(s.get(), SampleRecord("7/KH-UBND", "Nghệ An"), "plan-b");
  TableCounts before = *s->Counts();
  ProcessFn process = [](std::string_view bytes, const std::string&) -> Result<Processed> {
    if (bytes == "plan-b") return Status::InvalidInput("reader now refuses it");
    Processed p;
    p.record = SampleRecord("102/KH-UBND");
    p.record.tasks[1].name = "Đào tạo nhân lực y tế số";
    return p;
  };
  std::vector<DocDiff> diffs;
  ReprocessOptions all;
  all.all = true;
  RunCounters c;
  Status st = Reprocess(s.get(), process, std::string(64, 'd'), all, [&](const DocDiff& d) { diffs.push_back(d); },
                        &c);
  ASSERT_TRUE(st.ok()) << st.ToString();
  ASSERT_EQ(diffs.size(), 2u);
  EXPECT_FALSE(diffs[0].failed);
  ASSERT_EQ(diffs[0].tasks.size(), 1u);
  EXPECT_EQ(diffs[0].tasks[0].kind, TaskDiff::Kind::kChanged);
  ASSERT_EQ(diffs[0].tasks[0].fields.size(), 1u);
  EXPECT_EQ(diffs[0].tasks[0].fields[0].field, "name");
  EXPECT_EQ(diffs[0].tasks[0].fields[0].after, "Đào tạo nhân lực y tế số");
  EXPECT_TRUE(diffs[1].failed);
  EXPECT_EQ(diffs[1].message, "reader now refuses it");
  EXPECT_EQ(c.files, 2);
  EXPECT_EQ(c.ok, 1);
  EXPECT_EQ(c.failed, 1);
  TaskQuery b;
  b.doc = "7/KH-UBND";
  EXPECT_EQ(TaskNames(s.get(), b).size(), 3u);
  EXPECT_EQ(TaskNames(s.get(), b)[1], "Đào tạo nhân lực y tế");  // left as it was
  TableCounts after = *s->Counts();
  EXPECT_EQ(after.rows["tasks"], before.rows["tasks"]);
  EXPECT_EQ(after.rows["ingest_runs"], before.rows["ingest_runs"] + 1);
  EXPECT_EQ(after.rows["run_files"], before.rows["run_files"] + 2);

  // Only documents extracted with other rules are picked by default; a dry
  // run writes nothing.
  diffs.clear();
  ReprocessOptions stale;
  stale.dry_run = true;
  ASSERT_TRUE(Reprocess(s.get(), process, std::string(64, 'd'), stale, [&](const DocDiff& d) { diffs.push_back(d); },
                        &c)
                  .ok());
  ASSERT_EQ(diffs.size(), 1u);  // plan-b still carries the old rules hash
  EXPECT_TRUE(diffs[0].failed);
  EXPECT_EQ(*s->Counts(), after);
}

TEST(StoreTest, OpenFailsOnUnwritablePath) {
  Result<std::unique_ptr<Store>> s = Store::Open("/nonexistent-dir/x/plantrace.db");
  EXPECT_FALSE(s.ok());
}

TEST(StoreTest, LoadTwiceKeepsOneDocument) {
  auto s = OpenOrDie();
  ASSERT_TRUE(s);
  Record r = SampleRecord();
  LoadOutcome first = LoadOrDie(s.get(), r, "same bytes");
  EXPECT_FALSE(first.unchanged);
  EXPECT_EQ(first.tasks, 3);
  EXPECT_EQ(first.references, 1);
  EXPECT_EQ(first.indicators, 1);
  EXPECT_EQ(first.warnings, 1);
  TableCounts after_first = *s->Counts();
  LoadOutcome second = LoadOrDie(s.get(), r, "same bytes");
  EXPECT_TRUE(second.unchanged);
  EXPECT_EQ(second.doc_id, first.doc_id);
  EXPECT_EQ(*s->Counts(), after_first);

  TableCounts c = after_first;
  EXPECT_EQ(c.rows["documents"], 1);
  EXPECT_EQ(c.rows["tasks"], 3);
  EXPECT_EQ(c.rows["tasks_fts"], 3);
  EXPECT_EQ(c.rows["task_agencies"], 5);
  // Sở KH&CN and Sở Khoa học và Công nghệ are one agency (same canonical).
  EXPECT_EQ(c.rows["agencies"], 4);
  EXPECT_EQ(c.rows["agency_aliases"], 5);
  EXPECT_EQ(c.rows["doc_references"], 1);
  EXPECT_EQ(c.rows["indicators"], 1);
  EXPECT_EQ(c.rows["diagnostics"], 1);

  Result<std::vector<DocRow>> docs = s->Documents();
  ASSERT_TRUE(docs.ok());
  ASSERT_EQ(docs->size(), 1u);
  const DocRow& d = (*docs)[0];
  EXPECT_EQ(d.number.value_or(""), "102/KH-UBND");
  EXPECT_EQ(d.file_name, "plan.txt");
  EXPECT_EQ(d.source_path, "in/plan.txt");
  EXPECT_EQ(d.format, "text");
  EXPECT_EQ(d.task_count, 3);
  EXPECT_EQ(d.warning_count, 1);
  EXPECT_EQ(d.sha256.size(), 64u);
}

TEST(StoreTest, FailedLoadRollsBackCompletely) {
  struct Case {
    const char* id;
    void (*spoil)(Record*);
  };
  const Case cases[] = {
      {"bad-relation-after-tasks", [](Record* r) { r->references[0].relation = "bogus"; }},
      {"bad-relation-last-of-many",
       [](Record* r) {
         Reference ok = r->references[0];
         for (int i = 0; i < 5; ++i) r->references.push_back(ok);
         r->references.back().relation = "";
       }},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.id);
    auto s = OpenOrDie();
    ASSERT_TRUE(s);
    LoadOrDie(s.get(), SampleRecord("1/KH-UBND"), "earlier document");
    TableCounts before = *s->Counts();
    Record bad = SampleRecord("2/KH-UBND");
    bad.tasks.push_back(MakeTask("4", "Nhiệm vụ mới", {Ag("Sở Tài chính", "Sở Tài chính")}));
    c.spoil(&bad);
    LoadOutcome out;
    Status st = s->LoadDocument(bad, "bad document", "in/bad.txt", "h", &out);
    EXPECT_FALSE(st.ok());
    EXPECT_NE(st.message().find("in/bad.txt"), std::string::npos) << st.message();
    EXPECT_EQ(*s->Counts(), before);
    // The store is still usable after the rollback.
    LoadOutcome good = LoadOrDie(s.get(), SampleRecord("3/KH-UBND"), "later document");
    EXPECT_FALSE(good.unchanged);
  }
}

std::vector<std::string> TaskNumbers(Store* s, const TaskQuery& q) {
  Result<std::vector<TaskRow>> rows = s->Tasks(q);
  EXPECT_TRUE(rows.ok()) << rows.status().ToString();
  std::vector<std::string> out;
  if (!rows.ok()) return out;
  for (const TaskRow& t : *rows) out.push_back(t.doc_number.value_or("-") + "#" + t.number.value_or("-"));
  return out;
}

TEST(StoreTest, QueriesByAgencySearchAndDocument) {
  auto s = OpenOrDie();
  ASSERT_TRUE(s);
  LoadOrDie(s.get(), SampleRecord("102/KH-UBND"), "doc A");
  // Same province, the department printed by its abbreviation only.
  Record b = SampleRecord("7/QĐ-UBND");
  b.tasks = {MakeTask("1", "Ứng dụng công nghệ", {Ag("Sở KHCN", "Sở Khoa học và Công nghệ")})};
  LoadOrDie(s.get(), b, "doc B");
  // Another province: its Sở Y tế is another agency.
  Record c = SampleRecord("5/KH-UBND", "Hà Nội");
  c.tasks = {MakeTask("1", "Khám sức khỏe", {Ag("Sở Y tế", "Sở Y tế")})};
  LoadOrDie(s.get(), c, "doc C");

  auto agency = [](std::string a) {
    TaskQuery q;
    q.agency = std::move(a);
    return q;
  };
  auto search = [](std::string a) {
    TaskQuery q;
    q.search = std::move(a);
    return q;
  };
  auto doc = [](std::string a) {
    TaskQuery q;
    q.doc = std::move(a);
    return q;
  };
  struct Case {
    const char* id;
    TaskQuery query;
    std::vector<std::string> want;
  };
  const std::vector<std::string> all = {"102/KH-UBND#1", "102/KH-UBND#2", "102/KH-UBND#3", "7/QĐ-UBND#1",
                                        "5/KH-UBND#1"};
  const Case cases[] = {
      {"all", TaskQuery(), all},
      {"agency-canonical", agency("Sở Khoa học và Công nghệ"), {"102/KH-UBND#1", "102/KH-UBND#2", "7/QĐ-UBND#1"}},
      {"agency-folded", agency("so khoa hoc"), {"102/KH-UBND#1", "102/KH-UBND#2", "7/QĐ-UBND#1"}},
      {"agency-alias-other-doc", agency("Sở KH&CN"), {"102/KH-UBND#1", "102/KH-UBND#2", "7/QĐ-UBND#1"}},
      {"agency-alias-abbrev", agency("sở khcn"), {"102/KH-UBND#1", "102/KH-UBND#2", "7/QĐ-UBND#1"}},
      {"agency-two-provinces", agency("SỞ Y TẾ"), {"102/KH-UBND#2", "5/KH-UBND#1"}},
      {"agency-collective", agency("các sở, ban, ngành"), {"102/KH-UBND#3"}},
      {"agency-whole-words-only", agency("so kh"), {"102/KH-UBND#1", "102/KH-UBND#2", "7/QĐ-UBND#1"}},
      {"agency-no-partial-word", agency("khoa ho"), {}},
      {"agency-coord-role", agency("công an tỉnh"), {"102/KH-UBND#1"}},
      {"fts-folded", search("so khoa hoc"), {"102/KH-UBND#1", "102/KH-UBND#2", "7/QĐ-UBND#1"}},
      {"fts-accented", search("Sở Khoa học"), {"102/KH-UBND#1", "102/KH-UBND#2", "7/QĐ-UBND#1"}},
      {"fts-name", search("dao tao"), {"102/KH-UBND#2"}},
      {"fts-d-stroke", search("Đào tạo nhân lực"), {"102/KH-UBND#2"}},
      {"fts-none", search("giao thong"), {}},
      {"doc-number-key", doc(" 7/qđ-ubnd"), {"7/QĐ-UBND#1"}},
      {"doc-id", doc("3"), {"5/KH-UBND#1"}},
      {"doc-unknown", doc("999/KH-UBND"), {}},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.id);
    EXPECT_EQ(TaskNumbers(s.get(), c.query), c.want);
  }
  // Agencies: 4 of the first plan (Hưng Yên), none new from B, Sở Y tế of Hà Nội.
  EXPECT_EQ(s->Counts()->rows["agencies"], 5);

  TaskQuery empty;
  empty.agency = "&&";
  EXPECT_FALSE(s->Tasks(empty).ok());

  Result<std::vector<TaskRow>> rows = s->Tasks(doc("102/KH-UBND"));
  ASSERT_TRUE(rows.ok());
  ASSERT_EQ(rows->size(), 3u);
  const TaskRow& t = (*rows)[0];
  EXPECT_EQ(t.lead, std::vector<std::string>{"Sở KH&CN"});
  EXPECT_EQ(t.coord, std::vector<std::string>{"Công an tỉnh"});
  EXPECT_EQ(t.deadline_kind.value_or(""), "month");
  EXPECT_EQ(t.deadline_end.value_or(""), "2026-09-30");
  EXPECT_EQ(t.clause, "PHỤ LỤC I > I > 1");
  EXPECT_EQ(t.status, "active");
  EXPECT_EQ(t.page, 2);
}

TEST(StoreTest, NumberKey) {
  const std::pair<const char*, const char*> cases[] = {
      {"102/KH-UBND", "102/KH-UBND"},
      {" 102 / kh-ubnd ", "102/KH-UBND"},
      {"12/qđ-ubnd", "12/QĐ-UBND"},
  };
  for (const auto& [in, want] : cases) {
    SCOPED_TRACE(in);
    EXPECT_EQ(NumberKey(in), want);
  }
}

}  // namespace
}  // namespace plantrace

namespace plantrace {
namespace {

Task DueTask(std::string number, std::string kind, std::optional<std::string> end, std::vector<Agency> lead,
             std::vector<Agency> coord = {}) {
  Task t = MakeTask(std::move(number), "Nhiệm vụ", std::move(lead), std::move(coord));
  t.deadline = Deadline{kind, end, end, std::nullopt, "deadline." + kind};
  return t;
}

TEST(StoreTest, DeadlineRoleAndCollectiveFilters) {
  auto s = OpenOrDie();
  ASSERT_TRUE(s);
  // Gazetteer aliases and the kinds a collective binds, as ingest sets them.
  ListEntry tc;
  tc.kind = "department";
  tc.canonical = "Sở Tài chính";
  tc.aliases = {"Sở TC"};
  ASSERT_TRUE(s->SetGazetteer({tc}, [](std::string_view c) {
                 return std::string(c).find("sở") != std::string::npos ? std::vector<std::string>{"department"}
                                                                        : std::vector<std::string>{};
               }).ok());
  Record r = SampleRecord("9/KH-UBND");
  Agency fin = Ag("Sở Tài chính", "Sở Tài chính");
  r.tasks = {
      DueTask("1", "date", "2025-12-31", {fin}),
      DueTask("2", "month", "2026-01-31", {Ag("Sở Y tế", "Sở Y tế")}, {fin}),
      DueTask("3", "recurring", "2025-12-31", {fin}),
      DueTask("4", "ongoing", std::nullopt, {fin}),
      DueTask("5", "conditional", "2025-01-01", {fin}),
      DueTask("6", "date", "2025-06-30", {Ag("Các sở, ban, ngành", "", "collective")}),
  };
  LoadOrDie(s.get(), r, "doc D");
  auto q = [](std::function<void(TaskQuery*)> f) {
    TaskQuery t;
    f(&t);
    return t;
  };
  struct Case {
    const char* id;
    TaskQuery query;
    std::vector<std::string> want;
  } cases[] = {
      {"overdue skips recurring, ongoing, conditional",
       q([](TaskQuery* t) {
         t->overdue = true;
         t->as_of = "2026-01-01";
       }),
       {"9/KH-UBND#1", "9/KH-UBND#6"}},
      {"due window ends at month end",
       q([](TaskQuery* t) {
         t->as_of = "2026-01-01";
         t->due_until = "2026-01-31";
       }),
       {"9/KH-UBND#2"}},
      {"due before",
       q([](TaskQuery* t) { t->due_before = "2025-12-31"; }),
       {"9/KH-UBND#1", "9/KH-UBND#6"}},
      {"alias through the gazetteer, lead only",
       q([](TaskQuery* t) {
         t->agency = "Sở TC";
         t->role = "lead";
       }),
       {"9/KH-UBND#1", "9/KH-UBND#3", "9/KH-UBND#4", "9/KH-UBND#5"}},
      {"coord only",
       q([](TaskQuery* t) {
         t->agency = "so tai chinh";
         t->role = "coord";
       }),
       {"9/KH-UBND#2"}},
      {"collectives binding the kind",
       q([](TaskQuery* t) {
         t->agency = "Sở Tài chính";
         t->include_collectives = true;
         t->overdue = true;
         t->as_of = "2026-01-01";
       }),
       {"9/KH-UBND#1", "9/KH-UBND#6"}},
      // With a deadline window the agency is tested on the window's tasks;
      // without one the agency's tasks are read from its index: both ways
      // must agree on roles and collectives.
      {"coord only within a window",
       q([](TaskQuery* t) {
         t->agency = "so tai chinh";
         t->role = "coord";
         t->due_before = "2026-12-31";
       }),
       {"9/KH-UBND#2"}},
      {"lead only, overdue",
       q([](TaskQuery* t) {
         t->agency = "Sở Tài chính";
         t->role = "lead";
         t->include_collectives = true;
         t->overdue = true;
         t->as_of = "2026-01-01";
       }),
       {"9/KH-UBND#1", "9/KH-UBND#6"}},
      {"collectives without a window, by deadline then position (undated last)",
       q([](TaskQuery* t) {
         t->agency = "Sở Tài chính";
         t->include_collectives = true;
         t->by_deadline = true;
       }),
       {"9/KH-UBND#6", "9/KH-UBND#1", "9/KH-UBND#2", "9/KH-UBND#3", "9/KH-UBND#4", "9/KH-UBND#5"}},
      {"an agency nobody is assigned",
       q([](TaskQuery* t) {
         t->agency = "Sở Ngoại vụ";
         t->overdue = true;
         t->as_of = "2026-01-01";
       }),
       {}},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.id);
    EXPECT_EQ(TaskNumbers(s.get(), c.query), c.want);
  }
  TaskQuery flagged;
  flagged.agency = "Sở Tài chính";
  flagged.include_collectives = true;
  flagged.doc = "9/KH-UBND";
  Result<std::vector<TaskRow>> rows = s->Tasks(flagged);
  ASSERT_TRUE(rows.ok());
  for (const TaskRow& t : *rows) EXPECT_EQ(t.via_collective, t.number == "6") << t.number.value_or("");
  Result<std::vector<AgencyCounts>> report = s->AgencyReport("2026-01-01", std::string("Sở TC"), "2026-01-31", false);
  ASSERT_TRUE(report.ok());
  ASSERT_EQ(report->size(), 1u);
  EXPECT_EQ((*report)[0].active, 5);
  EXPECT_EQ((*report)[0].due_soon, 1);
  EXPECT_EQ((*report)[0].overdue, 1);
}

}  // namespace
}  // namespace plantrace
