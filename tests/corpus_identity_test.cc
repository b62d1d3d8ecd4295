// Corpus tests of document identity: the five plans in four renditions
// each store five documents with every task once; a draft made from a seed
// (number and day blanked) is superseded by the issued seed; a folder with
// the seeds and files that are no plans loads the seeds and says why it
// skipped the rest; the command line reports renditions and skips.
#include <gtest/gtest.h>
#include <stdlib.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "pipeline/stages/link.h"
#include "pipeline/store/ingest.h"
#include "pipeline/store/store.h"
#include "tests/test_util.h"

namespace plantrace {
namespace {

using ::plantrace::testing::CorpusDir;
using ::plantrace::testing::ReadFileOrDie;
using ::plantrace::testing::Rules;

namespace fs = std::filesystem;

const LinkRules& Links() {
  static const LinkRules* links = [] {
    Result<LinkRules> l = LinkRules::Load(Rules());
    if (!l.ok()) std::abort();
    return new LinkRules(std::move(l).value());
  }();
  return *links;
}

std::unique_ptr<Store> OpenStore() {
  Result<std::unique_ptr<Store>> s = Store::Open(testing::TestStoreDb());
  EXPECT_TRUE(s.ok());
  const LinkRules& l = Links();
  EXPECT_TRUE((*s)->SetGazetteer(Rules().List("agencies"), [&l](std::string_view c) { return l.CoveredKinds(c); })
                  .ok());
  return std::move(s).value();
}

ProcessFn Process() {
  return [](std::string_view bytes, const std::string& path) { return ProcessForStore(bytes, path, Rules(), Links()); };
}

IngestSummary IngestOrDie(const std::vector<std::string>& args, Store* store, std::vector<FileOutcome>* outcomes) {
  IngestOptions options;
  std::vector<std::string> files = CollectInputs(args, &options.walked);
  IngestSummary summary;
  Status st = Ingest(files, Process(), Rules().hash(), options, store,
                     [&](size_t, const FileOutcome& o) { outcomes->push_back(o); }, &summary);
  EXPECT_TRUE(st.ok()) << st.ToString();
  return summary;
}

class TempDir {
 public:
  TempDir() {
    std::string tmpl = (fs::temp_directory_path() / "plantrace_ident_XXXXXX").string();
    path_ = mkdtemp(tmpl.data());
  }
  ~TempDir() { fs::remove_all(path_); }
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

void Write(const std::string& path, const std::string& text) {
  std::ofstream(path, std::ios::binary) << text;
}

TEST(CorpusIdentityTest, TwentyFilesAreFiveDocumentsWithEachTaskOnce) {
  auto all = OpenStore();
  std::vector<FileOutcome> outcomes;
  IngestSummary sum = IngestOrDie({CorpusDir() + "/rendered", CorpusDir() + "/seeds"}, all.get(), &outcomes);
  EXPECT_EQ(sum.counters.files, 20);
  EXPECT_EQ(sum.counters.failed, 0);
  EXPECT_EQ(sum.renditions, 15);
  Result<std::vector<DocRow>> docs = all->Documents();
  ASSERT_TRUE(docs.ok());
  ASSERT_EQ(docs->size(), 5u);
  int renditions = 0;
  for (const DocRow& d : *docs) {
    SCOPED_TRACE(d.key);
    EXPECT_EQ(d.renditions, 4);
    EXPECT_EQ(d.format, "docx");  // DOCX text over PDF text layer and text (rules/identity.rules)
    renditions += static_cast<int>(d.renditions);
  }
  EXPECT_EQ(renditions, 20);

  // Per agency: as many tasks as the seeds alone give, none twice.
  auto seeds = OpenStore();
  std::vector<FileOutcome> seed_outcomes;
  IngestOrDie({CorpusDir() + "/seeds"}, seeds.get(), &seed_outcomes);
  TaskQuery q;
  q.agency = "Sở Khoa học và Công nghệ";
  Result<std::vector<TaskRow>> tasks = all->Tasks(q);
  ASSERT_TRUE(tasks.ok());
  std::set<std::string> refs;
  for (const TaskRow& t : *tasks) EXPECT_TRUE(refs.insert(t.ref).second) << t.ref;
  EXPECT_EQ(tasks->size(), seeds->Tasks(q)->size());
  EXPECT_GT(tasks->size(), 50u);
  // No copy of a plan is linked to another copy.
  Result<std::vector<RelationRow>> rels = all->Relations();
  ASSERT_TRUE(rels.ok());
  for (const RelationRow& r : *rels) {
    if (r.to) {
      EXPECT_NE(*r.to, r.from) << r.from_key;
    }
  }
}

// "Dự thảo": the seed 102/KH-UBND with its number and day left blank.
std::string DraftOf(std::string text) {
  auto replace_all = [&](const std::string& from, const std::string& to) {
    for (size_t at = text.find(from); at != std::string::npos; at = text.find(from, at + to.size())) {
      text.replace(at, from.size(), to);
    }
  };
  replace_all("102/KH-UBND", "     /KH-UBND");
  replace_all("ngày 19 tháng 5 năm 2025", "ngày      tháng      năm 2025");
  replace_all("ngày 19/5/2025", "ngày    /    /2025");
  return text;
}

TEST(CorpusIdentityTest, IssuedPlanSupersedesItsDraft) {
  TempDir dir;
  const std::string seed = ReadFileOrDie(CorpusDir() + "/seeds/000_5765c50382b6d008.txt");
  Write(dir.path() + "/draft.txt", DraftOf(seed));
  Write(dir.path() + "/issued.txt", seed);
  for (bool draft_first : {true, false}) {
    SCOPED_TRACE(draft_first ? "draft first" : "issued first");
    auto s = OpenStore();
    std::vector<FileOutcome> outcomes;
    std::vector<std::string> files = {dir.path() + "/draft.txt", dir.path() + "/issued.txt"};
    if (!draft_first) std::swap(files[0], files[1]);
    IngestOrDie(files, s.get(), &outcomes);
    Result<std::vector<DocRow>> docs = s->Documents();
    ASSERT_EQ(docs->size(), 2u);
    const DocRow* draft = nullptr;
    const DocRow* issued = nullptr;
    for (const DocRow& d : *docs) (d.number ? issued : draft) = &d;
    ASSERT_TRUE(draft && issued);
    EXPECT_EQ(draft->status, "superseded");
    EXPECT_EQ(draft->status_by, issued->key);
    EXPECT_EQ(issued->status, "effective");
    const std::string json = *s->ExportJson();
    EXPECT_NE(json.find("\"identity_links\""), std::string::npos);
    EXPECT_NE(json.find("\"reason\": \"issued\""), std::string::npos) << json.substr(json.size() - 400);
    Result<std::vector<IdentityLinkRow>> links = s->IdentityLinks();
    ASSERT_TRUE(links.ok());
    ASSERT_EQ(links->size(), 1u);
    EXPECT_EQ((*links)[0].from, issued->id);
    EXPECT_EQ((*links)[0].to, draft->id);
    EXPECT_NE((*links)[0].rules.find("identity.blank_number.line@"), std::string::npos) << (*links)[0].rules;
    // The draft's tasks carry over to the issued plan as lineage.
    TaskQuery q;
    q.doc = std::to_string(draft->id);
    q.status = "all";
    Result<std::vector<TaskRow>> tasks = s->Tasks(q);
    ASSERT_FALSE(tasks->empty());
    for (const TaskRow& t : *tasks) {
      EXPECT_EQ(t.status, "superseded") << t.ref;
      EXPECT_TRUE(t.continues.has_value()) << t.ref;
    }
  }
}

TEST(CorpusIdentityTest, FolderWithFilesThatAreNoPlans) {
  TempDir dir;
  for (const auto& e : fs::directory_iterator(CorpusDir() + "/seeds")) {
    fs::copy_file(e.path(), dir.path() + "/" + e.path().filename().string());
  }
  Write(dir.path() + "/rebuild.sh", "#!/bin/sh\n# rebuild the index\nset -e\nfor f in *.txt; do\n  echo \"$f\"\ndone\n");
  Write(dir.path() + "/meta.json", "{\"name\": \"plantrace\", \"files\": [1, 2, 3], \"note\": \"Kế hoạch tuần sau\"}\n");
  Write(dir.path() + "/notes.md",
        "# Ghi chú họp\n\n- Gọi lại cho anh Nam về lịch họp\n- Chuẩn bị **tài liệu** cho buổi sau\n\n## Việc khác\n\n"
        "Không có.\n");
  Write(dir.path() + "/scan.png", std::string("\x89PNG\r\n\x1a\n\0\0\0\rIHDR", 16));
  auto s = OpenStore();
  std::vector<FileOutcome> outcomes;
  IngestSummary sum = IngestOrDie({dir.path()}, s.get(), &outcomes);
  EXPECT_EQ(s->Documents()->size(), 5u);
  EXPECT_EQ(sum.counters.ok, 5);
  EXPECT_EQ(sum.counters.failed, 0);
  std::map<std::string, std::string> skipped;
  for (const auto& [path, reason] : sum.skipped) skipped[fs::path(path).filename().string()] = reason;
  const std::string not_plan = "not a plan document (no header, title or tasks)";
  EXPECT_EQ(skipped["rebuild.sh"], not_plan);
  // JSON is structured data whatever its strings say (a gold file cites
  // documents and names agencies): skipped by the sniffer, with what it is.
  const std::string unreadable =
      "not a document plantrace can read (binary or structured data such as JSON, not a plan)";
  EXPECT_EQ(skipped["meta.json"], unreadable);
  EXPECT_EQ(skipped["notes.md"], not_plan);
  EXPECT_EQ(skipped["scan.png"], unreadable);
  EXPECT_EQ(skipped.size(), 4u);

  // --force loads what is no plan, and a file named on its own that cannot
  // be read still fails rather than being skipped.
  auto forced = OpenStore();
  IngestOptions options;
  options.force = true;
  IngestSummary fsum;
  ASSERT_TRUE(Ingest({dir.path() + "/notes.md", dir.path() + "/scan.png"}, Process(), Rules().hash(), options,
                     forced.get(), nullptr, &fsum)
                  .ok());
  EXPECT_EQ(fsum.counters.ok, 1);
  EXPECT_EQ(fsum.counters.failed, 1);
}

// What the command line says: a second file of a stored plan is SAME with
// its renditions, a notes file is skipped with the reason, and `docs --doc`
// lists the renditions with the reading first.
TEST(CorpusIdentityTest, CliReportsRenditionsAndSkips) {
  TempDir dir;
  Write(dir.path() + "/notes.md", "# Ghi chú\n\n- Gọi lại cho anh Nam\n- Chuẩn bị **tài liệu**\n");
  const std::string db = dir.path() + "/p.db";
  const std::string bin = testing::PlantraceBin() + " ";
  const std::string docx = CorpusDir() + "/rendered/000_5765c50382b6d008.docx";
  const std::string text = CorpusDir() + "/seeds/000_5765c50382b6d008.txt";
  std::string out;
  ASSERT_EQ(testing::RunCommand(bin + "ingest --db " + db + " " + text + " " + docx + " " + dir.path() +
                                    "/notes.md 2>/dev/null",
                                &out),
            0)
      << out;
  EXPECT_NE(out.find("SAME  " + docx + "  102/KH-UBND (document 1; now 2 renditions: docx, text)"), std::string::npos)
      << out;
  EXPECT_NE(out.find("reading: 000_5765c50382b6d008.docx, re-read from this file"), std::string::npos) << out;
  EXPECT_NE(out.find("SKIP  " + dir.path() + "/notes.md: not a plan document (no header, title or tasks)"),
            std::string::npos)
      << out;
  ASSERT_EQ(testing::RunCommand(bin + "docs --db " + db + " --doc 102/KH-UBND", &out), 0);
  EXPECT_EQ(out.find("reading  docx"), out.find("reading")) << out;
  EXPECT_NE(out.find("text"), std::string::npos) << out;
  ASSERT_EQ(testing::RunCommand(bin + "docs --db " + db + " --format json", &out), 0);
  EXPECT_NE(out.find("\"renditions\": 2"), std::string::npos) << out;
}

}  // namespace
}  // namespace plantrace
