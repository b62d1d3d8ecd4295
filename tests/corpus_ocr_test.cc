// Scanned plans (issue 16): the corpus PDFs rasterised in grey and wrapped
// as image-only PDFs (scripts/make_scanned.py, as a scanner makes them),
// read through OCR and scored against the same gold as their text layers.
// Fixtures are made here, in a temporary folder, not committed. Slow
// (label "corpus"): about a minute of OCR.
#include <gtest/gtest.h>

#include <unistd.h>

#include <filesystem>
#include <set>
#include <string>

#include "pipeline/stages/eval.h"
#include "pipeline/stages/process.h"
#include "tests/test_util.h"

namespace plantrace {
namespace {

namespace fs = std::filesystem;

class CorpusOcrTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new fs::path(fs::temp_directory_path() / ("plantrace-ocr-" + std::to_string(::getpid())));
    fs::create_directories(*dir_);
  }
  static void TearDownTestSuite() {
    fs::remove_all(*dir_);
    delete dir_;
  }
  void SetUp() override {
    std::string out;
    if (testing::RunCommand("command -v pdftoppm img2pdf pdfunite >/dev/null", &out) != 0) {
      GTEST_SKIP() << "poppler-utils and img2pdf are needed (scripts/setup.sh installs them)";
    }
  }

  // corpus/rendered/<stem>.pdf made a scan with make_scanned.py `flags`.
  static std::string Scan(const std::string& stem, const std::string& flags, const std::string& name) {
    const std::string out_path = (*dir_ / name).string();
    const std::string cmd = "python3 " + testing::SourceDir() + "/scripts/make_scanned.py " + flags + " " +
                            testing::CorpusDir() + "/rendered/" + stem + ".pdf " + out_path + " 2>&1";
    std::string out;
    EXPECT_EQ(testing::RunCommand(cmd, &out), 0) << cmd << "\n" << out;
    return out_path;
  }

  static Record Extract(const std::string& path) {
    Result<Record> rec = ProcessDocument(testing::ReadFileOrDie(path), path, testing::Rules());
    EXPECT_TRUE(rec.ok()) << path << ": " << rec.status().ToString();
    return rec.ok() ? *rec : Record{};
  }

  static JsonValue Gold(const std::string& stem) {
    Result<JsonValue> g = ParseJson(testing::ReadFileOrDie(testing::CorpusDir() + "/gold/" + stem + ".json"));
    EXPECT_TRUE(g.ok());
    return g.ok() ? *g : JsonValue();
  }

  // One scanned seed against its gold; each seed is a test of its own so that
  // ctest runs them side by side (together they took 894 s of a 900 s limit).
  static void CheckScan(const std::string& stem, double fully_min) {
    const Record rec = Extract(Scan(stem, "--dpi 200", stem + ".pdf"));
    const JsonValue gold = Gold(stem);
    DocScore s = ScoreRecord(gold, rec);
    EXPECT_GE(s.matched, s.gold * 0.95);
    EXPECT_GE(s.fully, s.gold * fully_min) << s.fully << " of " << s.gold;
    EXPECT_EQ(s.meta_right, 5);
    EXPECT_GE(F1(s.ref_tp, s.ref_gold, s.ref_got), 0.90);
    // Group rows are numbered as printed: OCR's "H" for II, "M" for V, "VI"
    // for VII are put back in the table's Roman sequence.
    std::set<std::string> gold_groups, groups;
    for (const JsonValue& t : gold["tasks"].items) {
      if (t["group"].is_string()) gold_groups.insert(t["group"].text);
    }
    for (const Task& t : rec.tasks) {
      if (t.group) groups.insert(*t.group);
    }
    // (002's letter groups A/B/C are not found on the scan yet.)
    if (stem.rfind("002", 0) != 0) {
      EXPECT_EQ(groups, gold_groups);
    }
    // Every page went through OCR, and every task carries its confidence.
    EXPECT_GT(Count(rec, "pdf.ocr"), 0);
    for (const Task& t : rec.tasks) {
      EXPECT_GE(t.provenance.ocr_confidence, 0) << t.provenance.clause;
    }
    // So does every reference read from the body (the title is the
    // header's, which keeps none yet).
    for (const Reference& r : rec.references) {
      if (r.provenance.clause != "title") {
        EXPECT_GE(r.provenance.ocr_confidence, 0) << r.sentence;
      }
    }
  }

  static int Count(const Record& r, const std::string& code) {
    int n = 0;
    for (const Diagnostic& d : r.warnings) n += d.code == code;
    return n;
  }

  static fs::path* dir_;
};

fs::path* CorpusOcrTest::dir_ = nullptr;

// Floors a little under what was measured: fully correct 0.96, 0.96 and
// 0.86 once tones the recogniser weighed were chosen by the genre's and
// the plan's phrases (0.93, 0.89 and 0.85 before; 0.85, 0.72 and 0.42 when
// the OCR path landed). Issue 16 asks 0.90/0.90/0.80.
TEST_F(CorpusOcrTest, ScannedTablePlans000ScoresAgainstGold) { CheckScan("000_5765c50382b6d008", 0.92); }
TEST_F(CorpusOcrTest, ScannedTablePlans003ScoresAgainstGold) { CheckScan("003_47b38050f79059a8", 0.92); }
TEST_F(CorpusOcrTest, ScannedTablePlans002ScoresAgainstGold) { CheckScan("002_aceac1bad310a983", 0.84); }

TEST_F(CorpusOcrTest, MixedPdfReadsTextPagesAndScannedPages) {
  // 004 with its pages 1 and 3 scanned (the header among them), the others
  // text.
  const std::string stem = "004_e3670e579c2a1ce4";
  const Record scanned = Extract(Scan(stem, "--scan 1,3", "mixed.pdf"));
  const Record text = Extract(testing::CorpusDir() + "/rendered/" + stem + ".pdf");
  std::set<int> ocr_pages;
  for (const Diagnostic& d : scanned.warnings) {
    if (d.code == "pdf.ocr") ocr_pages.insert(d.page);
  }
  EXPECT_EQ(ocr_pages, (std::set<int>{1, 3}));
  EXPECT_EQ(scanned.meta.number, text.meta.number);
  EXPECT_EQ(scanned.meta.date, text.meta.date);
  EXPECT_EQ(ScoreRecord(Gold(stem), scanned).meta_right, 5);
  DocScore s = ScoreRecord(Gold(stem), scanned);
  DocScore t = ScoreRecord(Gold(stem), text);
  EXPECT_GE(s.matched, t.matched - 1);
  EXPECT_GE(s.ref_tp, t.ref_tp - 1);
  // Tasks read from a scanned page carry its OCR confidence, the others none.
  int from_ocr = 0;
  for (const Task& task : scanned.tasks) {
    const bool on_scan = ocr_pages.count(task.provenance.page) > 0;
    EXPECT_EQ(task.provenance.ocr_confidence >= 0, on_scan) << task.provenance.clause;
    from_ocr += on_scan;
  }
  EXPECT_GT(from_ocr, 0);
}

TEST_F(CorpusOcrTest, GarbageTextLayerOverAScanIsReadAgain) {
  // A scanner's searchable PDF made with the wrong (English) model: a text
  // layer "Bao dam tinh ké thiva" over the page image. Page 2 of 004 so
  // made, page 1 kept as text.
  std::string out;
  if (testing::RunCommand("command -v tesseract >/dev/null", &out) != 0) GTEST_SKIP() << "tesseract not installed";
  const std::string stem = "004_e3670e579c2a1ce4";
  const std::string src = testing::CorpusDir() + "/rendered/" + stem + ".pdf";
  const std::string d = dir_->string();
  const std::string cmd = "cd " + d + " && pdftoppm -r 200 -gray -png -f 2 -l 2 -singlefile " + src +
                          " g2 && OMP_THREAD_LIMIT=1 tesseract g2.png g2eng -l eng pdf >/dev/null 2>&1 && "
                          "pdfseparate -f 1 -l 1 " + src + " g1.pdf && pdfunite g1.pdf g2eng.pdf garbage.pdf";
  ASSERT_EQ(testing::RunCommand(cmd, &out), 0) << cmd << "\n" << out;
  const Record rec = Extract(d + "/garbage.pdf");
  std::set<int> garbage, ocr;
  for (const Diagnostic& x : rec.warnings) {
    if (x.code == "pdf.garbage_text_layer") garbage.insert(x.page);
    if (x.code == "pdf.ocr") ocr.insert(x.page);
  }
  EXPECT_EQ(garbage, (std::set<int>{2}));
  EXPECT_EQ(ocr, (std::set<int>{2}));
  // Under --ocr never the layer is taken as it is.
  ReadLimits never;
  never.ocr = ReadLimits::Ocr::kNever;
  Result<Record> as_is = ProcessDocument(testing::ReadFileOrDie(d + "/garbage.pdf"), "garbage.pdf",
                                         testing::Rules(), never);
  ASSERT_TRUE(as_is.ok());
  for (const Diagnostic& x : as_is->warnings) EXPECT_NE(x.code, "pdf.ocr");
}

TEST_F(CorpusOcrTest, SkewedAndSidewaysPagesAreStraightenedFirst) {
  const std::string stem = "004_e3670e579c2a1ce4";
  const JsonValue gold = Gold(stem);
  for (const char* flags : {"--scan 1-2 --skew 2", "--scan 1-2 --turn 1"}) {
    SCOPED_TRACE(flags);
    const Record rec = Extract(Scan(stem, flags, "turned.pdf"));
    bool straightened = false;
    for (const Diagnostic& d : rec.warnings) {
      if (d.code == "pdf.ocr" && d.page == 1) {
        straightened = d.message.find("deskewed") != std::string::npos ||
                       d.message.find("turned") != std::string::npos;
      }
    }
    EXPECT_TRUE(straightened);
    DocScore s = ScoreRecord(gold, rec);
    EXPECT_EQ(s.meta_right, 5);
  }
}

TEST_F(CorpusOcrTest, OcrNeverRefusesAScanNamingTheReason) {
  const std::string path = Scan("004_e3670e579c2a1ce4", "--scan 1-7", "never.pdf");
  ReadLimits limits;
  limits.ocr = ReadLimits::Ocr::kNever;
  Result<Record> rec = ProcessDocument(testing::ReadFileOrDie(path), path, testing::Rules(), limits);
  ASSERT_FALSE(rec.ok());
  EXPECT_NE(rec.status().message().find("--ocr never"), std::string::npos) << rec.status().message();
}

}  // namespace
}  // namespace plantrace
