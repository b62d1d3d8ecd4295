// Corpus tests: every document of corpus/ extracted and scored against
// gold with the rules of shared/tools/score.py; the same plan in different
// formats must give the same task records. Slow (label "corpus").
#include <gtest/gtest.h>

#include <filesystem>

#include "pipeline/stages/eval.h"
#include "pipeline/stages/process.h"
#include "pipeline/stages/record_json.h"
#include "tests/test_util.h"

namespace plantrace {
namespace {

namespace fs = std::filesystem;

const char* kStems[] = {"000_5765c50382b6d008", "001_6b90af762a2f7b89", "002_aceac1bad310a983",
                        "003_47b38050f79059a8", "004_e3670e579c2a1ce4"};

JsonValue Gold(const std::string& stem) {
  auto g = ParseJson(testing::ReadFileOrDie(testing::CorpusDir() + "/gold/" + stem + ".json"));
  EXPECT_TRUE(g.ok());
  return *g;
}

Record Extract(const std::string& path) {
  auto rec = ProcessDocument(testing::ReadFileOrDie(path), path, testing::Rules());
  EXPECT_TRUE(rec.ok()) << path << ": " << rec.status().ToString();
  return rec.ok() ? *rec : Record{};
}

std::string InputPath(const std::string& stem, const std::string& ext) {
  return ext == "txt" ? testing::CorpusDir() + "/seeds/" + stem + ".txt"
                      : testing::CorpusDir() + "/rendered/" + stem + "." + ext;
}

struct Totals {
  int gold = 0, got = 0, matched = 0, fully = 0;
  int ref_tp = 0, ref_gold = 0, ref_got = 0;
};

// Thresholds of the issues: table plans (fully correct share), prose plans
// (matched share and lead+deadline share of the matched).
struct DocBar {
  const char* stem;
  bool prose;
  double fully_min;
};

void CheckFormat(const std::string& ext, double overall_min, const std::vector<DocBar>& bars) {
  Totals t;
  for (const DocBar& bar : bars) {
    SCOPED_TRACE(std::string(bar.stem) + "." + ext);
    DocScore s = ScoreRecord(Gold(bar.stem), Extract(InputPath(bar.stem, ext)));
    t.gold += s.gold;
    t.got += s.got;
    t.matched += s.matched;
    t.fully += s.fully;
    t.ref_tp += s.ref_tp;
    t.ref_gold += s.ref_gold;
    t.ref_got += s.ref_got;
    EXPECT_EQ(s.meta_right, 5) << "metadata fields right";
    if (bar.prose) {
      EXPECT_GE(s.matched, 0.9 * s.gold);
      EXPECT_GE(s.lead_and_deadline, 0.9 * s.matched);
    } else {
      EXPECT_GE(s.fully, bar.fully_min * s.gold);
      EXPECT_GE(F1(s.matched, s.gold, s.got), 0.98);
    }
    std::printf("%s.%s: gold=%d got=%d matched=%d fully=%d lead+deadline=%d refs=%d/%d\n", bar.stem, ext.c_str(),
                s.gold, s.got, s.matched, s.fully, s.lead_and_deadline, s.ref_tp, s.ref_gold);
  }
  if (t.gold) {
    EXPECT_GE(static_cast<double>(t.fully) / t.gold, overall_min) << ext;
  }
  // References of all five plans (score.py's ref_f1, title-only ones paired
  // by title; 0.977 reached: seed 002's gold also lists "Đề án 06 (...)"
  // and a Nghị quyết of the provincial council yet to be issued, cited by
  // description only, which plantrace does not report).
  EXPECT_GE(F1(t.ref_tp, t.ref_gold, t.ref_got), 0.97) << ext;
}

TEST(CorpusEvalTest, Seeds) {
  CheckFormat("txt", 0.95,
              {{kStems[0], false, 0.95}, {kStems[1], true, 0}, {kStems[2], false, 0.9},
               {kStems[3], false, 0.95}, {kStems[4], true, 0}});
}

TEST(CorpusEvalTest, Html) {
  CheckFormat("html", 0.97,
              {{kStems[0], false, 0.95}, {kStems[1], true, 0}, {kStems[2], false, 0.95},
               {kStems[3], false, 0.95}, {kStems[4], true, 0}});
}

TEST(CorpusEvalTest, Docx) {
  CheckFormat("docx", 0.97,
              {{kStems[0], false, 0.95}, {kStems[1], true, 0}, {kStems[2], false, 0.95},
               {kStems[3], false, 0.95}, {kStems[4], true, 0}});
}

TEST(CorpusEvalTest, Pdf) {
  CheckFormat("pdf", 0.97,
              {{kStems[0], false, 0.95}, {kStems[1], true, 0}, {kStems[2], false, 0.95},
               {kStems[3], false, 0.95}, {kStems[4], true, 0}});
}

// The task records of a plan, without provenance (pages and lines differ
// between formats by nature).
std::vector<std::string> TaskRecords(const Record& r) {
  std::vector<std::string> out;
  for (Task t : r.tasks) {
    t.provenance = Provenance{};
    t.source_text.clear();
    JsonWriter w(0);
    WriteTask(w, t);
    out.push_back(w.str());
  }
  return out;
}

// The same plan as HTML, DOCX or PDF gives identical task records. PDF text
// is rebuilt from glyph positions, including words broken inside a narrow
// cell without a hyphen ("…ch" / "o", "GAP…" / "thông"); each difference is
// printed.
TEST(CorpusEvalTest, SamePlanSameTasksInEveryFormat) {
  for (const char* stem : kStems) {
    std::vector<std::string> html = TaskRecords(Extract(InputPath(stem, "html")));
    for (const char* ext : {"docx", "pdf"}) {
      SCOPED_TRACE(std::string(stem) + " html vs " + ext);
      std::vector<std::string> other = TaskRecords(Extract(InputPath(stem, ext)));
      ASSERT_EQ(html.size(), other.size());
      size_t differ = 0;
      for (size_t i = 0; i < html.size(); ++i) {
        if (html[i] == other[i]) continue;
        ++differ;
        std::printf("%s.%s task %zu differs:\n  html: %s\n  %s: %s\n", stem, ext, i, html[i].c_str(), ext,
                    other[i].c_str());
      }
      EXPECT_EQ(differ, 0u);
    }
  }
}

TEST(CorpusEvalTest, GoldCopiesMatchShared) {
  fs::path shared = fs::path(testing::SharedDir()) / "gold";
  if (!fs::exists(shared)) GTEST_SKIP() << "../shared/gold not present";
  int compared = 0;
  for (const auto& e : fs::directory_iterator(shared)) {
    SCOPED_TRACE(e.path().filename().string());
    fs::path ours = fs::path(testing::CorpusDir()) / "gold" / e.path().filename();
    ASSERT_TRUE(fs::exists(ours));
    EXPECT_EQ(testing::ReadFileOrDie(ours.string()), testing::ReadFileOrDie(e.path().string()));
    ++compared;
  }
  EXPECT_GE(compared, 6);
}

}  // namespace
}  // namespace plantrace
