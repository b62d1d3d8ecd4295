// Corpus tests on real plans from legal-portal web exports (Markdown with
// flattened tables), read from ../shared/realdev when that folder exists
// (the files are not part of the repository); skipped otherwise.
#include <gtest/gtest.h>

#include <filesystem>

#include "pipeline/stages/eval.h"
#include "pipeline/stages/process.h"
#include "pipeline/stages/record_json.h"
#include "tests/test_util.h"

namespace plantrace {
namespace {

namespace fs = std::filesystem;

std::string RealdevDir() {
  if (const char* env = std::getenv("PLANTRACE_REALDEV")) return env;
  return testing::SharedDir() + "/realdev";
}

struct TableDoc {
  const char* doc;   // file name in realdev
  double fully_min;  // share of gold tasks fully correct (agency splitting and
                     // deadline parsing count too; floors at today's level)
};

// The documents whose tasks are rows of appendix tables. What the table
// reading decides (which rows are tasks, and each row's name, output and raw
// deadline cells) must be right on every row.
const TableDoc kTableDocs[] = {
    {"tnt305-tai_lieu_noi_bo__7cfc6fdf6d7a5f5d.md", 0.75},  // one table, a đề án printed as two rows
    {"tnt305-tai_lieu_noi_bo__987cadc82373c854.md", 1.0},  // a 'Người đứng đầu' column beside the lead
    // Two tables, groups A-P and I-VII; no blank line in the whole file.
    {"tnt305-tai_lieu_noi_bo__646f0a00d4174382.md", 0.98},
};

TEST(CorpusRealdevTest, TableDocumentsScore) {
  std::string dir = RealdevDir();
  if (!fs::exists(dir + "/gold")) GTEST_SKIP() << dir << " is absent";
  for (const TableDoc& d : kTableDocs) {
    SCOPED_TRACE(d.doc);
    std::string path = dir + "/" + d.doc;
    if (!fs::exists(path)) continue;
    std::string stem = fs::path(d.doc).stem().string();
    auto gold = ParseJson(testing::ReadFileOrDie(dir + "/gold/" + stem + ".json"));
    ASSERT_TRUE(gold.ok());
    auto rec = ProcessDocument(testing::ReadFileOrDie(path), path, testing::Rules());
    ASSERT_TRUE(rec.ok()) << rec.status().ToString();
    DocScore s = ScoreRecord(*gold, *rec);
    std::printf("%s: gold=%d got=%d matched=%d fully=%d meta=%d\n", d.doc, s.gold, s.got, s.matched, s.fully,
                s.meta_right);
    EXPECT_EQ(s.matched, s.gold);
    EXPECT_EQ(s.got, s.gold);
    for (const char* f : {"name", "output", "deadline_raw"}) {
      EXPECT_EQ(s.field_right[f], s.matched) << f;
    }
    EXPECT_GE(s.fully, d.fully_min * s.gold);
  }
}

// The whole development set, scored by eval.cc (the C++ port of
// ../shared/tools/score.py; both read 0.909 fully correct). The floors are
// the targets of the real-plans issue: fully correct >= 0.90, task F1 >=
// 0.95, references F1 >= 0.90, metadata >= 95% of fields.
TEST(CorpusRealdevTest, WholeSetScore) {
  std::string dir = RealdevDir();
  if (!fs::exists(dir + "/gold")) GTEST_SKIP() << dir << " is absent";
  int gold = 0, got = 0, matched = 0, fully = 0, meta = 0, docs = 0;
  int ref_tp = 0, ref_gold = 0, ref_got = 0;
  for (const auto& entry : fs::directory_iterator(dir + "/gold")) {
    if (entry.path().extension() != ".json") continue;
    auto g = ParseJson(testing::ReadFileOrDie(entry.path().string()));
    ASSERT_TRUE(g.ok());
    std::string path = dir + "/" + (*g)["doc"].text;
    SCOPED_TRACE(path);
    if (!fs::exists(path)) continue;
    auto rec = ProcessDocument(testing::ReadFileOrDie(path), path, testing::Rules());
    ASSERT_TRUE(rec.ok()) << rec.status().ToString();
    DocScore s = ScoreRecord(*g, *rec);  // no tasks where gold says "tasks_annotated": false
    gold += s.gold;
    got += s.got;
    matched += s.matched;
    fully += s.fully;
    meta += s.meta_right;
    ref_tp += s.ref_tp;
    ref_gold += s.ref_gold;
    ref_got += s.ref_got;
    ++docs;
  }
  if (docs == 0) GTEST_SKIP() << "no realdev documents";
  std::printf("realdev: %d docs, gold=%d got=%d matched=%d fully=%d meta=%d/%d refs=%d/%d/%d\n", docs, gold, got,
              matched, fully, meta, 5 * docs, ref_tp, ref_gold, ref_got);
  EXPECT_GE(static_cast<double>(fully) / gold, 0.90);
  EXPECT_GE(F1(matched, gold, got), 0.95);
  EXPECT_GE(F1(ref_tp, ref_gold, ref_got), 0.90);
  EXPECT_GE(meta, 0.95 * 5 * docs);
}

}  // namespace
}  // namespace plantrace
