// Store tests of document identity: a second file of a stored document is a
// rendition, not a document; a worse reading changes no output, a better one
// re-reads the document keeping task ids; differences become warnings; a
// store written before renditions (one document per file) is merged.
#include <gtest/gtest.h>
#include <sqlite3.h>
#include <stdlib.h>

#include <filesystem>
#include <string>
#include <vector>

#include "pipeline/store/identity.h"
#include "pipeline/store/store.h"
#include "tests/test_util.h"

namespace plantrace {
namespace {

Task MakeTask(std::string number, std::string name, std::string lead, std::string deadline) {
  Task t;
  t.source = "PHỤ LỤC I";
  t.number = std::move(number);
  t.name = std::move(name);
  Agency a;
  a.printed = lead;
  a.canonical = lead;
  a.kind = "department";
  a.known = true;
  t.lead = {a};
  t.lead_raw = lead;
  t.deadline_raw = std::move(deadline);
  t.provenance.page = 1;
  t.provenance.line = 10;
  t.provenance.clause = "PHỤ LỤC I > " + *t.number;
  t.source_text = t.name;
  return t;
}

// One plan as a file of `format` read it.
Record Plan(Format format, const std::string& file) {
  Record r;
  r.doc = file;
  r.format = format;
  r.rules_hash = std::string(64, 'a');
  r.meta.number = "102/KH-UBND";
  r.meta.type = "Kế hoạch";
  r.meta.issuer = "Ủy ban nhân dân tỉnh Hưng Yên";
  r.meta.place = "Hưng Yên";
  r.meta.date = "2025-05-19";
  r.meta.title = "Kế hoạch chuyển đổi số";
  r.tasks.push_back(MakeTask("1", "Xây dựng cơ sở dữ liệu khoa học và công nghệ của tỉnh", "Sở Khoa học và Công nghệ",
                             "Tháng 9/2026"));
  r.tasks.push_back(MakeTask("2", "Đào tạo nhân lực y tế về chuyển đổi số cho bệnh viện tuyến tỉnh", "Sở Y tế",
                             "Năm 2026"));
  return r;
}

LoadExtras Ranked(int score) {
  LoadExtras x;
  x.rank = ReadingRank{score, {"reading.test@000000000000"}};
  return x;
}

std::unique_ptr<Store> Open(const std::string& path = testing::TestStoreDb()) {
  Result<std::unique_ptr<Store>> s = Store::Open(path);
  EXPECT_TRUE(s.ok()) << s.status().ToString();
  return s.ok() ? std::move(s).value() : nullptr;
}

LoadOutcome Load(Store* s, const Record& r, const std::string& bytes, int score) {
  LoadOutcome out;
  Status st = s->LoadDocument(r, bytes, "in/" + r.doc, "h", Ranked(score), &out);
  EXPECT_TRUE(st.ok()) << st.ToString();
  return out;
}

TEST(StoreRenditionsTest, SecondFileIsARenditionAndAWorseReadingChangesNothing) {
  auto s = Open();
  Load(s.get(), Plan(Format::kDocx, "plan.docx"), "docx bytes", 40);
  const std::string before = *s->ExportJson();
  const std::vector<TaskRow> tasks_before = *s->Tasks(TaskQuery());

  LoadOutcome pdf = Load(s.get(), Plan(Format::kPdf, "plan.pdf"), "pdf bytes", 20);
  EXPECT_TRUE(pdf.same_document);
  EXPECT_FALSE(pdf.reread);
  EXPECT_EQ(pdf.formats, (std::vector<std::string>{"docx", "pdf"}));
  EXPECT_EQ(pdf.reading_file, "plan.docx");
  EXPECT_EQ(pdf.differences, 0);

  Result<std::vector<DocRow>> docs = s->Documents();
  ASSERT_EQ(docs->size(), 1u);
  EXPECT_EQ((*docs)[0].renditions, 2);
  EXPECT_EQ(*s->ExportJson(), before);
  EXPECT_EQ(s->Tasks(TaskQuery())->size(), tasks_before.size());
  Result<std::vector<RenditionRow>> rends = s->Renditions((*docs)[0].id);
  ASSERT_EQ(rends->size(), 2u);
  EXPECT_TRUE((*rends)[0].reading);
  EXPECT_EQ((*rends)[0].format, "docx");
  EXPECT_EQ(*s->Original((*docs)[0].id), "docx bytes");
  // The same file again is skipped as before.
  LoadOutcome again = Load(s.get(), Plan(Format::kPdf, "plan.pdf"), "pdf bytes", 20);
  EXPECT_TRUE(again.unchanged);
}

TEST(StoreRenditionsTest, BetterReadingRereadsKeepingTaskIdsAndDifferencesAreWarnings) {
  auto s = Open();
  Record pdf = Plan(Format::kPdf, "plan.pdf");
  pdf.tasks[1].deadline_raw = "Năm 2027";  // the PDF's text layer misread a cell
  pdf.tasks.pop_back();                     // ...and lost a row
  pdf.tasks.push_back(MakeTask("2", "Đào tạo nhân lực y tế về chuyển đổi số cho bệnh viện tuyến tỉnh", "Sở Tài chính",
                               "Năm 2026"));
  Load(s.get(), pdf, "pdf bytes", 20);
  const std::vector<TaskRow> old_tasks = *s->Tasks(TaskQuery());

  LoadOutcome docx = Load(s.get(), Plan(Format::kDocx, "plan.docx"), "docx bytes", 40);
  EXPECT_TRUE(docx.same_document);
  EXPECT_TRUE(docx.reread);
  EXPECT_EQ(docx.reading_file, "plan.docx");
  const std::vector<TaskRow> new_tasks = *s->Tasks(TaskQuery());
  ASSERT_EQ(new_tasks.size(), old_tasks.size());
  for (size_t i = 0; i < new_tasks.size(); ++i) EXPECT_EQ(new_tasks[i].id, old_tasks[i].id) << i;
  EXPECT_EQ(new_tasks[1].lead, std::vector<std::string>{"Sở Y tế"});

  // The PDF's lead agency differs from the reading's: a warning of the
  // document, naming the file, with the task's clause and the reading rule.
  Result<std::vector<WarningRow>> warnings = s->Warnings(std::nullopt);
  ASSERT_TRUE(warnings.ok());
  int found = 0;
  for (const WarningRow& w : *warnings) {
    if (w.diagnostic.code != "rendition.task_differs") continue;
    ++found;
    EXPECT_EQ(w.file, "plan.pdf");
    EXPECT_NE(w.diagnostic.message.find("lead"), std::string::npos) << w.diagnostic.message;
    EXPECT_EQ(w.diagnostic.clause, "PHỤ LỤC I > 2");
    EXPECT_EQ(w.diagnostic.rule, "reading.test@000000000000");
  }
  EXPECT_EQ(found, 1);

  // The key the document had while the PDF was its reading still finds it.
  const std::string old_key = old_tasks[0].doc_key;
  EXPECT_NE(old_key, new_tasks[0].doc_key);
  Result<std::vector<int64_t>> by_key = s->FindDocuments(old_key);
  ASSERT_TRUE(by_key.ok());
  EXPECT_EQ(*by_key, std::vector<int64_t>{new_tasks[0].doc_id});
  Result<std::optional<int64_t>> task = s->FindTask(old_key + ":2");
  ASSERT_TRUE(task.ok() && task->has_value());
  EXPECT_EQ(**task, new_tasks[1].id);

  // Either order of arrival gives the same export.
  auto t = Open();
  Load(t.get(), Plan(Format::kDocx, "plan.docx"), "docx bytes", 40);
  Load(t.get(), pdf, "pdf bytes", 20);
  EXPECT_EQ(*t->ExportJson(), *s->ExportJson());
}

TEST(StoreRenditionsTest, AnotherProvincesPlanWithTheSameNumberIsAnotherDocument) {
  auto s = Open();
  Load(s.get(), Plan(Format::kDocx, "plan.docx"), "a", 40);
  Record other = Plan(Format::kDocx, "other.docx");
  other.meta.issuer = "Ủy ban nhân dân tỉnh Nghệ An";
  LoadOutcome out = Load(s.get(), other, "b", 40);
  EXPECT_FALSE(out.same_document);
  EXPECT_EQ(s->Documents()->size(), 2u);
}

class TempDir {
 public:
  TempDir() {
    std::string tmpl = (std::filesystem::temp_directory_path() / "plantrace_rend_XXXXXX").string();
    path_ = mkdtemp(tmpl.data());
  }
  ~TempDir() { std::filesystem::remove_all(path_); }
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

// A store at schema 8 (one document per file, originals in their own
// table) holding the same plan twice is migrated and merged: one document
// with two renditions, the better one its reading.
TEST(StoreRenditionsTest, MigrationMergesDuplicateDocumentsOfAnOldStore) {
  TempDir dir;
  const std::string path = dir.path() + "/old.db";
  {
    auto s = Open(path);
    Load(s.get(), Plan(Format::kPdf, "plan.pdf"), "pdf bytes", 0);
    Record b = Plan(Format::kDocx, "plan.docx");
    b.meta.number = "999/KH-UBND";  // told apart for now; made a duplicate below
    Load(s.get(), b, "docx bytes", 0);
    ASSERT_EQ(s->Documents()->size(), 2u);
  }
  {
    // Back to schema 8 as the old program wrote it: no renditions, the
    // original bytes in `originals`, and the two rows the same plan.
    sqlite3* db = nullptr;
    ASSERT_EQ(sqlite3_open(path.c_str(), &db), SQLITE_OK);
    const char* to_v8 = R"sql(
      CREATE TABLE originals_v8 (doc_id INTEGER PRIMARY KEY REFERENCES documents (id) ON DELETE CASCADE,
                                 bytes BLOB NOT NULL);
      INSERT INTO originals_v8 SELECT doc_id, bytes FROM originals;
      DROP VIEW originals;
      ALTER TABLE originals_v8 RENAME TO originals;
      DROP TABLE rendition_warnings;
      DROP TABLE rendition_tasks;
      DROP TABLE renditions;
      DROP TABLE identity_links;
      ALTER TABLE documents DROP COLUMN identity;
      ALTER TABLE documents DROP COLUMN id_number;
      ALTER TABLE documents DROP COLUMN id_date;
      ALTER TABLE documents DROP COLUMN id_issuer;
      ALTER TABLE documents DROP COLUMN id_type;
      ALTER TABLE documents DROP COLUMN id_title;
      ALTER TABLE documents DROP COLUMN draft;
      ALTER TABLE documents DROP COLUMN correction;
      ALTER TABLE documents DROP COLUMN id_rules;
      UPDATE documents SET number = '102/KH-UBND', number_key = '102/KH-UBND',
        doc_key = '102/KH-UBND@2025-05-19#' || substr(sha256, 1, 8);
      DELETE FROM schema_version WHERE version = 9;)sql";
    char* err = nullptr;
    EXPECT_EQ(sqlite3_exec(db, to_v8, nullptr, nullptr, &err), SQLITE_OK) << (err ? err : "");
    sqlite3_free(err);
    sqlite3_close(db);
  }
  auto s = Open(path);
  ASSERT_TRUE(s);
  EXPECT_EQ(*s->SchemaVersion(), 13);
  EXPECT_EQ(s->Documents()->size(), 2u);  // migrated, not yet merged: identity needs the rules
  Result<IdentityRules> rules = IdentityRules::Load(testing::Rules());
  ASSERT_TRUE(rules.ok());
  Result<int> merged = s->MergeDuplicates(*rules);
  ASSERT_TRUE(merged.ok()) << merged.status().ToString();
  EXPECT_EQ(*merged, 1);
  Result<std::vector<DocRow>> docs = s->Documents();
  ASSERT_EQ(docs->size(), 1u);
  EXPECT_EQ((*docs)[0].renditions, 2);
  EXPECT_EQ((*docs)[0].format, "docx");  // the reading rule prefers DOCX text over a PDF text layer
  EXPECT_EQ(*s->Original((*docs)[0].id), "docx bytes");
  EXPECT_EQ(s->Tasks(TaskQuery())->size(), 2u);
  // Idempotent.
  EXPECT_EQ(*s->MergeDuplicates(*rules), 0);
  EXPECT_EQ(s->Documents()->size(), 1u);
}

}  // namespace
}  // namespace plantrace
