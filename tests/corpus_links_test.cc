// Corpus tests of the link stage and the task queries over the five seed
// plans: the export does not depend on ingest order, the seeds' cross
// references resolve (or stay pending) as they should, lineage finds the
// shared tasks, every task traces to its line, and agency / search /
// overdue queries agree with gold.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <map>
#include <random>
#include <set>
#include <string>
#include <vector>

#include "pipeline/base/unicode.h"
#include "pipeline/stages/agency.h"
#include "pipeline/stages/link.h"
#include "pipeline/store/ingest.h"
#include "pipeline/store/store.h"
#include "tests/gold_files.h"
#include "tests/test_util.h"

namespace plantrace {
namespace {

using ::plantrace::testing::CorpusDir;
using ::plantrace::testing::GoldFiles;
using ::plantrace::testing::ReadFileOrDie;
using ::plantrace::testing::Rules;

const char* kSeeds[] = {"000_5765c50382b6d008.txt", "001_6b90af762a2f7b89.txt", "002_aceac1bad310a983.txt",
                        "003_47b38050f79059a8.txt", "004_e3670e579c2a1ce4.txt"};

struct Seed {
  std::string name, bytes;
  Processed processed;
};

// Each seed processed once for the whole binary.
const std::vector<Seed>& Seeds() {
  static const std::vector<Seed>* seeds = [] {
    auto* out = new std::vector<Seed>;
    Result<LinkRules> links = LinkRules::Load(Rules());
    if (!links.ok()) std::abort();
    for (const char* name : kSeeds) {
      Seed s;
      s.name = name;
      s.bytes = ReadFileOrDie(CorpusDir() + "/seeds/" + name);
      Result<Processed> p = ProcessForStore(s.bytes, s.name, Rules(), *links);
      if (!p.ok()) {
        std::fprintf(stderr, "%s: %s\n", name, p.status().ToString().c_str());
        std::abort();
      }
      s.processed = std::move(p).value();
      out->push_back(std::move(s));
    }
    return out;
  }();
  return *seeds;
}

std::unique_ptr<Store> Load(const std::vector<int>& order) {
  Result<std::unique_ptr<Store>> s = Store::Open(testing::TestStoreDb());
  EXPECT_TRUE(s.ok());
  Result<LinkRules> links = LinkRules::Load(Rules());
  const LinkRules& l = *links;
  EXPECT_TRUE((*s)->SetGazetteer(Rules().List("agencies"), [&l](std::string_view c) { return l.CoveredKinds(c); })
                  .ok());
  for (int i : order) {
    const Seed& seed = Seeds()[i];
    LoadOutcome out;
    Status st = (*s)->LoadDocument(seed.processed.record, seed.bytes, seed.name, "h", seed.processed.extras, &out);
    EXPECT_TRUE(st.ok()) << seed.name << ": " << st.ToString();
  }
  return std::move(s).value();
}

std::string Export(Store* s) {
  Result<std::string> j = s->ExportJson();
  EXPECT_TRUE(j.ok());
  return j.ok() ? *j : "";
}

TEST(CorpusLinksTest, ExportIndependentOfIngestOrder) {
  // Every order of four seeds (the three that link to each other and one
  // that does not), then all five in a few orders.
  std::vector<int> order = {0, 1, 2, 4};
  const std::string first = Export(Load(order).get());
  int orders = 1;
  while (std::next_permutation(order.begin(), order.end())) {
    std::string id;
    for (int i : order) id += std::to_string(i);
    SCOPED_TRACE("order " + id);
    EXPECT_EQ(Export(Load(order).get()), first);
    ++orders;
  }
  EXPECT_EQ(orders, 24);
  const std::string all = Export(Load({0, 1, 2, 3, 4}).get());
  for (const std::vector<int>& o : {std::vector<int>{4, 3, 2, 1, 0}, {2, 0, 4, 1, 3}, {3, 1, 4, 0, 2}}) {
    SCOPED_TRACE("five seeds, order " + std::to_string(o[0]) + std::to_string(o[1]) + std::to_string(o[2]));
    EXPECT_EQ(Export(Load(o).get()), all);
  }
}

// The five plans as PDF, HTML and DOCX (corpus/rendered) and as the text
// seeds: twenty files of five documents, processed once.
struct File {
  std::string name, bytes;
  Processed processed;
};

const std::vector<File>& Renditions() {
  static const std::vector<File>* files = [] {
    auto* out = new std::vector<File>;
    Result<LinkRules> links = LinkRules::Load(Rules());
    if (!links.ok()) std::abort();
    std::vector<std::string> paths;
    for (const char* seed : kSeeds) {
      const std::string stem = std::string(seed).substr(0, std::string(seed).size() - 4);
      for (const char* ext : {".pdf", ".html", ".docx"}) paths.push_back(CorpusDir() + "/rendered/" + stem + ext);
      paths.push_back(CorpusDir() + "/seeds/" + seed);
    }
    for (const std::string& path : paths) {
      File f;
      f.name = path.substr(path.find_last_of('/') + 1);
      f.bytes = ReadFileOrDie(path);
      Result<Processed> p = ProcessForStore(f.bytes, f.name, Rules(), *links);
      if (!p.ok()) {
        std::fprintf(stderr, "%s: %s\n", path.c_str(), p.status().ToString().c_str());
        std::abort();
      }
      f.processed = std::move(p).value();
      out->push_back(std::move(f));
    }
    return out;
  }();
  return *files;
}

std::unique_ptr<Store> LoadFiles(const std::vector<int>& order) {
  Result<std::unique_ptr<Store>> s = Store::Open(testing::TestStoreDb());
  EXPECT_TRUE(s.ok());
  Result<LinkRules> links = LinkRules::Load(Rules());
  const LinkRules& l = *links;
  EXPECT_TRUE((*s)->SetGazetteer(Rules().List("agencies"), [&l](std::string_view c) { return l.CoveredKinds(c); })
                  .ok());
  for (int i : order) {
    const File& f = Renditions()[i];
    LoadOutcome out;
    Status st = (*s)->LoadDocument(f.processed.record, f.bytes, f.name, "h", f.processed.extras, &out);
    EXPECT_TRUE(st.ok()) << f.name << ": " << st.ToString();
  }
  return std::move(s).value();
}

// Twenty files of five documents store five documents whatever the order
// they arrive in: the reading rule, not the order, picks what is exported.
TEST(CorpusLinksTest, ExportIndependentOfIngestOrderOfRenditions) {
  const int n = static_cast<int>(Renditions().size());
  ASSERT_EQ(n, 20);
  std::vector<int> order(n);
  for (int i = 0; i < n; ++i) order[i] = i;
  std::unique_ptr<Store> base = LoadFiles(order);
  ASSERT_EQ(base->Documents()->size(), 5u);
  const std::string first = Export(base.get());

  std::vector<std::pair<std::string, std::vector<int>>> orders;
  orders.emplace_back("reversed", std::vector<int>(order.rbegin(), order.rend()));
  std::vector<int> seeds_first, seeds_last;
  for (int i = 0; i < n; ++i) (i % 4 == 3 ? seeds_first : seeds_last).push_back(i);
  for (int i = 0; i < n; ++i) (i % 4 == 3 ? seeds_last : seeds_first).push_back(i);
  orders.emplace_back("text seeds first", seeds_first);
  orders.emplace_back("text seeds last", seeds_last);
  std::mt19937 rng(13);
  for (int k = 0; k < 5; ++k) {
    std::vector<int> o = order;
    std::shuffle(o.begin(), o.end(), rng);
    orders.emplace_back("shuffle " + std::to_string(k), o);
  }
  for (const auto& [id, o] : orders) {
    SCOPED_TRACE(id);
    EXPECT_EQ(Export(LoadFiles(o).get()), first);
  }
  // Adding renditions whose reading is not better leaves the export as the
  // best rendition alone gives it.
  std::vector<int> docx_only;
  for (int i = 0; i < n; ++i) {
    if (Renditions()[i].name.ends_with(".docx")) docx_only.push_back(i);
  }
  EXPECT_EQ(Export(LoadFiles(docx_only).get()), first);
}

// A batch defers linking to its end (Store::DeferLinks): the same store as
// linking after every file, whether the batch ends (FinishLinks) or stops
// before its end and the store is opened again.
TEST(CorpusLinksTest, DeferredLinksEqualLinksAfterEveryFile) {
  const int n = static_cast<int>(Renditions().size());
  std::vector<int> order(n);
  for (int i = 0; i < n; ++i) order[i] = (i * 7) % n;  // renditions of one plan apart
  const std::string want = Export(LoadFiles(order).get());
  const std::string path = ::testing::TempDir() + "/deferred_links.db";
  for (bool finish : {true, false}) {
    SCOPED_TRACE(finish ? "FinishLinks" : "stopped before FinishLinks, opened again");
    std::filesystem::remove(path);
    {
      Result<std::unique_ptr<Store>> s = Store::Open(path);
      ASSERT_TRUE(s.ok()) << s.status().ToString();
      Result<LinkRules> links = LinkRules::Load(Rules());
      const LinkRules& l = *links;
      ASSERT_TRUE(
          (*s)->SetGazetteer(Rules().List("agencies"), [&l](std::string_view c) { return l.CoveredKinds(c); }).ok());
      (*s)->DeferLinks();
      for (int i : order) {
        const File& f = Renditions()[i];
        LoadOutcome out;
        ASSERT_TRUE((*s)->LoadDocument(f.processed.record, f.bytes, f.name, "h", f.processed.extras, &out).ok());
      }
      // Pending: no reference resolved yet, so the export differs.
      EXPECT_NE(Export(s->get()), want);
      if (finish) {
        ASSERT_TRUE((*s)->FinishLinks().ok());
        EXPECT_EQ(Export(s->get()), want);
      }
    }
    Result<std::unique_ptr<Store>> again = Store::Open(path);
    ASSERT_TRUE(again.ok()) << again.status().ToString();
    EXPECT_EQ(Export(again->get()), want);
  }
  std::filesystem::remove(path);
}

const RelationRow* FindRelation(const std::vector<RelationRow>& rels, const std::string& from_prefix,
                                const std::string& number) {
  for (const RelationRow& r : rels) {
    if (r.from_key.rfind(from_prefix, 0) == 0 && r.to_number == number) return &r;
  }
  return nullptr;
}

TEST(CorpusLinksTest, SeedCrossReferences) {
  std::unique_ptr<Store> s = Load({4, 3, 2, 1, 0});
  Result<std::vector<RelationRow>> rels = s->Relations();
  ASSERT_TRUE(rels.ok());
  Result<std::vector<DocRow>> docs = s->Documents();
  ASSERT_TRUE(docs.ok());
  std::map<std::string, std::string> key_of;  // seed file -> key
  for (const DocRow& d : *docs) key_of[d.file_name] = d.key;
  const std::string k000 = key_of[kSeeds[0]], k001 = key_of[kSeeds[1]], k002 = key_of[kSeeds[2]];
  struct Case {
    const char* id;
    std::string from, number, relation;
    std::optional<std::string> to;
    const char* how;
  } cases[] = {
      {"000 supersedes 44/KH-UBND, pending", k000, "44/KH-UBND", "supersedes", std::nullopt, ""},
      {"000 implements 386-KH/TU = seed 001 by title", k000, "386-KH/TU", "implements", k001, "title"},
      {"002 implements 102/KH-UBND = seed 000", k002, "102/KH-UBND", "implements", k000, "number"},
      {"002 implements 433-KH/TU, pending", k002, "433-KH/TU", "implements", std::nullopt, ""},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.id);
    const RelationRow* r = FindRelation(*rels, c.from, c.number);
    ASSERT_TRUE(r);
    EXPECT_EQ(r->relation, c.relation);
    EXPECT_EQ(r->to_key, c.to);
    EXPECT_EQ(r->how, c.how);
  }
  EXPECT_TRUE(FindRelation(*rels, k000, "44/KH-UBND")->carried_over);
  for (const DocRow& d : *docs) {
    SCOPED_TRACE(d.file_name);
    EXPECT_EQ(d.status, "effective");  // nothing stored is superseded by a stored plan
  }
}

TEST(CorpusLinksTest, LineageBetweenAppendices) {
  std::unique_ptr<Store> s = Load({0, 1, 2, 3, 4});
  TaskQuery q;
  q.status = "all";
  Result<std::vector<TaskRow>> tasks = s->Tasks(q);
  ASSERT_TRUE(tasks.ok());
  std::map<int64_t, const TaskRow*> by_id;
  for (const TaskRow& t : *tasks) by_id[t.id] = &t;
  int pairs = 0, with_deadline_change = 0;
  bool found_7_2 = false;
  for (const TaskRow& t : *tasks) {
    if (t.doc_file != kSeeds[2] || MatchKey(t.source) != MatchKey("PHỤ LỤC I")) continue;
    Result<std::vector<LineageRow>> rows = s->Lineage(t.id);
    ASSERT_TRUE(rows.ok());
    for (const LineageRow& l : *rows) {
      if (l.task != t.id || !l.linked) continue;
      const TaskRow* prev = by_id[l.prev];
      if (prev->doc_file != kSeeds[0] || MatchKey(prev->source) != MatchKey("PHỤ LỤC II")) continue;
      ++pairs;
      for (const Change& c : l.changes) with_deadline_change += c.field == "deadline";
      if (prev->number == "7" && t.number == "2") {
        found_7_2 = true;
        ASSERT_FALSE(l.changes.empty());
        EXPECT_EQ(l.changes[0].field, "deadline");
        EXPECT_EQ(l.changes[0].from, "30/6/2025");
        EXPECT_EQ(l.changes[0].to, "Tháng 12/2025");
      }
    }
  }
  std::printf("lineage 000 PHỤ LỤC II <-> 002 PHỤ LỤC I: %d linked pairs, %d with a deadline change\n", pairs,
              with_deadline_change);
  EXPECT_TRUE(found_7_2) << "seed 000 task 7 ~ seed 002 PHỤ LỤC I task 2";
  EXPECT_GE(pairs, 2);
}

// Folded words of `s`, first `n`.
std::vector<std::string> FirstWords(const std::string& s, size_t n) {
  std::vector<std::string> out;
  std::string key = SearchKey(s);
  size_t i = 0;
  while (i < key.size() && out.size() < n) {
    size_t sp = key.find(' ', i);
    if (sp == std::string::npos) sp = key.size();
    if (sp > i) out.push_back(key.substr(i, sp - i));
    i = sp + 1;
  }
  return out;
}

TEST(CorpusLinksTest, EveryTaskTracesToItsLine) {
  std::unique_ptr<Store> s = Load({0, 1, 2, 3, 4});
  TaskQuery q;
  q.status = "all";
  Result<std::vector<TaskRow>> tasks = s->Tasks(q);
  ASSERT_TRUE(tasks.ok());
  std::map<std::string, std::vector<std::string>> file_lines;
  for (const Seed& seed : Seeds()) {
    std::vector<std::string>& lines = file_lines[seed.name];
    size_t start = 0;
    while (start <= seed.bytes.size()) {
      size_t nl = seed.bytes.find('\n', start);
      if (nl == std::string::npos) nl = seed.bytes.size();
      lines.push_back(seed.bytes.substr(start, nl - start));
      start = nl + 1;
    }
  }
  int checked = 0;
  for (const TaskRow& t : *tasks) {
    SCOPED_TRACE(t.ref + " line " + std::to_string(t.line) + ": " + t.name.substr(0, 60));
    // The stored line at the printed page/line is the row or clause.
    Result<std::vector<SourceLine>> at = s->Lines(t.doc_id, t.page, t.line, t.line);
    ASSERT_TRUE(at.ok());
    EXPECT_FALSE(at->empty()) << "no stored line at the printed position";
    // The stored row or clause at that position, and the original text from
    // that line on (a flattened table row runs over many short lines), hold
    // the task's first words.
    const std::vector<std::string>& lines = file_lines[t.doc_file];
    ASSERT_GE(t.line, 1);
    ASSERT_LE(static_cast<size_t>(t.line), lines.size());
    std::string window;
    for (int i = t.line - 1; i < std::min<int>(t.line + 40, lines.size()); ++i) window += " " + lines[i];
    std::string folded = " " + SearchKey(window) + " ";
    std::vector<std::string> words = FirstWords(t.name, 4);
    std::string phrase;
    for (const std::string& w : words) phrase += " " + w;
    EXPECT_NE(folded.find(phrase + " "), std::string::npos) << "'" << phrase << "' not near line " << t.line;
    std::string stored;
    for (const SourceLine& l : *at) stored += " " + l.text;
    // Prose clauses are split out of their sentence, so only their first
    // two words need open right at the stored line.
    std::string head = " " + FirstWords(t.name, 1)[0] + " ";
    EXPECT_NE((" " + SearchKey(stored) + " ").find(head), std::string::npos)
        << "stored line at " << t.line << ": " << stored.substr(0, 120);
    ++checked;
  }
  EXPECT_GT(checked, 300);
}

// Stored tasks by (file, folded name) for matching gold rows.
std::map<std::pair<std::string, std::string>, std::vector<const TaskRow*>> IndexByName(
    const std::vector<TaskRow>& tasks) {
  std::map<std::pair<std::string, std::string>, std::vector<const TaskRow*>> out;
  for (const TaskRow& t : tasks) out[{t.doc_file, SearchKey(t.name)}].push_back(&t);
  return out;
}

std::string SeedOf(const std::string& gold_name) { return gold_name.substr(0, gold_name.size() - 5) + ".txt"; }

TEST(CorpusQueryTest, AgencyAliasFindsEveryGoldLeadTask) {
  if (GoldFiles().empty()) GTEST_SKIP() << "no gold files";
  std::unique_ptr<Store> s = Load({0, 1, 2, 3, 4});
  TaskQuery all;
  all.status = "all";
  Result<std::vector<TaskRow>> tasks = s->Tasks(all);
  ASSERT_TRUE(tasks.ok());
  auto index = IndexByName(*tasks);
  TaskQuery q;
  q.agency = "Sở KH&CN";
  q.status = "all";
  q.include_collectives = false;
  Result<std::vector<TaskRow>> hits = s->Tasks(q);
  ASSERT_TRUE(hits.ok());
  std::set<int64_t> hit_ids;
  for (const TaskRow& t : *hits) hit_ids.insert(t.id);
  Gazetteer g(Rules());
  int gold = 0, matched = 0, found = 0, misread = 0;
  for (const auto& file : GoldFiles()) {
    for (const auto& task : file.root["tasks"].items) {
      bool kh = false;
      for (const auto& lead : task["lead"].items) {
        const ListEntry* e = g.Lookup(lead.text);
        kh |= e && e->canonical == "Sở Khoa học và Công nghệ";
      }
      if (!kh) continue;
      ++gold;
      auto it = index.find({SeedOf(file.name), SearchKey(task["name"].text)});
      if (it == index.end()) continue;  // not extracted: extraction's miss, counted below
      ++matched;
      // Only tasks whose lead was extracted as this agency test the query;
      // the others are extraction misses, counted.
      bool extracted = false, any = false;
      for (const TaskRow* t : it->second) {
        for (const std::string& lead : t->lead) {
          const ListEntry* e = g.Lookup(lead);
          extracted |= e && e->canonical == "Sở Khoa học và Công nghệ";
        }
        any |= hit_ids.count(t->id) > 0;
      }
      found += any;
      if (!extracted) {
        ++misread;
        continue;
      }
      EXPECT_TRUE(any) << file.name << ": " << task["name"].text.substr(0, 80);
    }
  }
  std::printf(
      "--agency \"Sở KH&CN\": gold lead tasks %d, extracted with the same name %d, returned %d (of %zu hits); "
      "lead misread by extraction %d\n",
      gold, matched, found, hits->size(), misread);
  EXPECT_GT(matched, gold / 2);
}

TEST(CorpusQueryTest, FoldedSearch) {
  std::unique_ptr<Store> s = Load({0, 1, 2, 3, 4});
  auto ids = [&](const std::string& query) {
    TaskQuery q;
    q.search = query;
    q.status = "all";
    Result<std::vector<TaskRow>> r = s->Tasks(q);
    EXPECT_TRUE(r.ok());
    std::vector<int64_t> out;
    for (const TaskRow& t : *r) out.push_back(t.id);
    return out;
  };
  struct Case {
    const char* id;
    const char* plain;
    const char* marked;
  } cases[] = {
      {"agency", "so khoa hoc", "Sở Khoa học"},
      {"shared data store", "kho du lieu dung chung", "kho dữ liệu dùng chung"},
      {"old tone placement", "chuyen doi so", "chuyển đổi số"},
      {"tone placement variants", "hoa", "hoà"},
      {"d with stroke", "dao tao", "Đào tạo"},
      {"stacked marks", "so noi vu", "Sở Nội vụ"},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.id);
    std::vector<int64_t> plain = ids(c.plain);
    EXPECT_FALSE(plain.empty());
    EXPECT_EQ(plain, ids(c.marked));
  }
  EXPECT_EQ(ids("hoà"), ids("hòa"));
}

TEST(CorpusQueryTest, OverdueMatchesGold) {
  if (GoldFiles().empty()) GTEST_SKIP() << "no gold files";
  std::unique_ptr<Store> s = Load({0, 1, 2, 3, 4});
  const std::string as_of = "2026-01-01";
  TaskQuery all;
  Result<std::vector<TaskRow>> tasks = s->Tasks(all);
  ASSERT_TRUE(tasks.ok());
  TaskQuery q;
  q.overdue = true;
  q.as_of = as_of;
  Result<std::vector<TaskRow>> over = s->Tasks(q);
  ASSERT_TRUE(over.ok());
  std::set<int64_t> got;
  for (const TaskRow& t : *over) got.insert(t.id);
  const std::set<std::string> kDue = {"date", "month", "quarter", "year", "range"};
  // Exactly the active tasks whose normalised deadline ends before as_of.
  std::set<int64_t> want;
  for (const TaskRow& t : *tasks) {
    if (t.deadline_kind && kDue.count(*t.deadline_kind) && t.deadline_end && *t.deadline_end < as_of) {
      want.insert(t.id);
    }
  }
  EXPECT_EQ(got, want);
  // Against gold: a gold task extracted with the same name and deadline is
  // overdue exactly when gold says so.
  auto index = IndexByName(*tasks);
  int gold_overdue = 0, agree = 0, compared = 0;
  for (const auto& file : GoldFiles()) {
    for (const auto& task : file.root["tasks"].items) {
      const auto& dl = task["deadline"];
      bool gold_is = dl.is_object() && kDue.count(dl["kind"].text) && !dl["end"].is_null() && dl["end"].text < as_of;
      gold_overdue += gold_is;
      auto it = index.find({SeedOf(file.name), SearchKey(task["name"].text)});
      if (it == index.end()) continue;
      for (const TaskRow* t : it->second) {
        if (!dl.is_object() || t->deadline_kind != dl["kind"].text || dl["end"].is_null() ||
            t->deadline_end != dl["end"].text) {
          continue;
        }
        ++compared;
        bool is = got.count(t->id) > 0;
        agree += is == gold_is;
        EXPECT_EQ(is, gold_is) << file.name << ": " << task["name"].text.substr(0, 80);
      }
    }
  }
  std::printf("--overdue --as-of %s: %zu tasks; gold overdue %d; %d/%d gold tasks with the same deadline agree\n",
              as_of.c_str(), got.size(), gold_overdue, agree, compared);
  EXPECT_GT(compared, 100);
}

TEST(CorpusQueryTest, CliTraceAndExport) {
  // The command line end to end on a store file.
  std::string dir = ::testing::TempDir() + "/plantrace_links_cli";
  std::string db = dir + "/t.db";
  std::string out;
  ASSERT_EQ(testing::RunCommand("rm -rf " + dir + " && mkdir -p " + dir, &out), 0);
  const std::string bin = testing::PlantraceBin();
  ASSERT_EQ(testing::RunCommand(bin + " ingest --db " + db + " " + CorpusDir() + "/seeds", &out), 0) << out;
  ASSERT_EQ(testing::RunCommand(bin + " trace --db " + db + " '102/KH-UBND:7'", &out), 0) << out;
  EXPECT_NE(out.find("line 348\n"), std::string::npos) << out;
  EXPECT_NE(out.find("deadline: 30/6/2025 -> Tháng 12/2025"), std::string::npos) << out;
  ASSERT_EQ(testing::RunCommand(bin + " lineage --db " + db + " --format dot 102/KH-UBND", &out), 0) << out;
  EXPECT_NE(out.find("digraph"), std::string::npos);
  EXPECT_NE(out.find("pending:44/KH-UBND"), std::string::npos) << out;
  std::string exported;
  ASSERT_EQ(testing::RunCommand(bin + " export --db " + db + " --format json", &exported), 0);
  std::unique_ptr<Store> s = Load({0, 1, 2, 3, 4});
  // Same content, other paths and load: the same bytes.
  EXPECT_EQ(exported, Export(s.get()));
  testing::RunCommand("rm -rf " + dir, &out);
}

}  // namespace
}  // namespace plantrace
