// The plantrace binary on the corpus: ingest is idempotent, bad files fail
// alone with a message naming the file and the reason, and leave the store
// exactly as it was. Slow (label "corpus").
#include <gtest/gtest.h>

#include <cstdio>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <unistd.h>
#include <cctype>

#include "pipeline/store/store.h"
#include "tests/test_util.h"

namespace plantrace {
namespace {

namespace fs = std::filesystem;

class CorpusCliTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("plantrace_cli_" + std::to_string(::getpid()));
    fs::remove_all(dir_);
    fs::create_directories(dir_);
    db_ = (dir_ / "t.db").string();
  }
  void TearDown() override { fs::remove_all(dir_); }

  int Run(const std::string& args, std::string* out = nullptr) {
    std::string cmd = testing::PlantraceBin() + " " + args + " 2>&1";
    return testing::RunCommand(cmd, out);
  }
  // Row counts of the content tables (run bookkeeping excluded).
  std::map<std::string, int64_t> Counts() {
    auto store = Store::Open(db_);
    EXPECT_TRUE(store.ok());
    auto counts = (*store)->Counts();
    EXPECT_TRUE(counts.ok());
    std::map<std::string, int64_t> rows = counts->rows;
    rows.erase("ingest_runs");
    rows.erase("run_files");
    return rows;
  }
  std::string Write(const std::string& name, const std::string& bytes) {
    fs::path p = dir_ / name;
    std::ofstream(p, std::ios::binary) << bytes;
    return p.string();
  }

  fs::path dir_;
  std::string db_;
};

// A file that spends its CPU allowance fails naming the stage, leaves the
// store as it was, and the batch goes on to the next file.
TEST_F(CorpusCliTest, OverBudgetFileFailsAloneStoreUnchanged) {
  const std::string seeds = testing::CorpusDir() + "/seeds";
  const std::string pdf = testing::CorpusDir() + "/rendered/002_aceac1bad310a983.pdf";
  std::string out;
  ASSERT_EQ(Run("ingest --db " + db_ + " " + seeds, &out), 0) << out;
  const auto before = Counts();
  ASSERT_EQ(Run("ingest --db " + db_ + " --max-seconds 0.000001 " + pdf + " " + seeds, &out), 1) << out;
  EXPECT_NE(out.find("FAIL  " + pdf + ": took over 1e-06 s of CPU at stage "), std::string::npos) << out;
  EXPECT_NE(out.find("total: 6 files, 0 loaded, 5 skipped, 1 failed"), std::string::npos) << out;
  EXPECT_EQ(Counts(), before);
  ASSERT_EQ(Run("ingest --db " + db_ + " --max-seconds soon " + pdf, &out), 2) << out;
  ASSERT_EQ(Run("ingest --db " + db_ + " --max-memory 12 " + pdf, &out), 2) << out;
  EXPECT_NE(out.find("--max-memory needs megabytes (256 or more), not '12'"), std::string::npos) << out;
}

// On a terminal (a pty made by script(1)) ingest keeps one progress line
// (files done, rate, then the slowest files); piped, or with --quiet on a
// terminal, the output is the per-file lines and the total alone.
TEST_F(CorpusCliTest, ProgressLineOnTerminalOnly) {
  if (std::system("command -v script >/dev/null 2>&1") != 0) GTEST_SKIP() << "no script(1)";
  const std::string seeds = testing::CorpusDir() + "/seeds";
  std::string tty, quiet, piped;
  ASSERT_EQ(testing::RunCommand("script -qec '" + testing::PlantraceBin() + " ingest --db " + db_ + "1 " + seeds +
                                    "' /dev/null",
                                &tty),
            0)
      << tty;
  EXPECT_NE(tty.find("[5/5]"), std::string::npos) << tty;
  EXPECT_NE(tty.find("files/s"), std::string::npos) << tty;
  EXPECT_NE(tty.find("slowest: "), std::string::npos) << tty;
  ASSERT_EQ(testing::RunCommand("script -qec '" + testing::PlantraceBin() + " ingest --quiet --db " + db_ + "2 " +
                                    seeds + "' /dev/null",
                                &quiet),
            0);
  EXPECT_EQ(quiet.find("files/s"), std::string::npos) << quiet;
  ASSERT_EQ(Run("ingest --db " + db_ + "3 " + seeds, &piped), 0);
  EXPECT_EQ(piped.find("files/s"), std::string::npos) << piped;
  EXPECT_EQ(piped.find('\r'), std::string::npos);
  EXPECT_NE(piped.find("total: 5 files, 5 loaded"), std::string::npos) << piped;
}

TEST_F(CorpusCliTest, IngestTwiceKeepsFiveDocuments) {
  std::string seeds = testing::CorpusDir() + "/seeds";
  std::string out;
  ASSERT_EQ(Run("ingest --db " + db_ + " " + seeds, &out), 0) << out;
  auto first = Counts();
  EXPECT_EQ(first["documents"], 5);
  EXPECT_GT(first["tasks"], 300);
  ASSERT_EQ(Run("ingest --db " + db_ + " " + seeds, &out), 0) << out;
  EXPECT_EQ(Counts(), first);
}

// --timing: one line at the end saying where the time went, and the parts
// fit in the whole (the writer's share is what tells an operator whether
// more workers would help).
TEST_F(CorpusCliTest, IngestTimingLine) {
  std::string out;
  ASSERT_EQ(Run("ingest --db " + db_ + " -j 2 --timing " + testing::CorpusDir() + "/seeds", &out), 0) << out;
  double wall = -1, extract = -1, store = -1, link = -1, wait = -1;
  size_t at = out.find("timing: ");
  ASSERT_NE(at, std::string::npos) << out;
  ASSERT_EQ(std::sscanf(out.c_str() + at,
                        "timing: %lf s wall; extraction %lf s (2 workers); store writer %lf s, of which linking "
                        "%lf s; writer waiting for extraction %lf s",
                        &wall, &extract, &store, &link, &wait),
            5)
      << out.substr(at);
  EXPECT_GT(wall, 0);
  EXPECT_GT(extract, 0);
  EXPECT_GT(store, 0);
  EXPECT_LE(link, store);
  EXPECT_LE(store + wait, wall + 0.01);
  ASSERT_EQ(Run("ingest --db " + db_ + " " + testing::CorpusDir() + "/seeds", &out), 0) << out;
  EXPECT_EQ(out.find("timing:"), std::string::npos) << "only when asked";
}

// An operator edits the rules and reprocesses the archive: the report names
// what changed, and going back to the original rules restores the store
// byte for byte (as `export` prints it).
TEST_F(CorpusCliTest, ReprocessWithEditedRulesAndBack) {
  std::string seeds = testing::CorpusDir() + "/seeds";
  std::string out, original, edited, restored;
  ASSERT_EQ(Run("ingest --db " + db_ + " " + seeds, &out), 0) << out;
  ASSERT_EQ(Run("export --db " + db_, &original), 0);
  ASSERT_EQ(Run("reprocess --db " + db_, &out), 0) << out;
  EXPECT_NE(out.find("total: 0 documents"), std::string::npos) << out;  // nothing stale

  // The same rules without the plain "Thường xuyên" deadline rule.
  fs::path rules = dir_ / "rules";
  fs::copy(testing::SourceDir() + "/rules", rules);
  std::string deadlines = testing::ReadFileOrDie((rules / "deadlines.rules").string());
  size_t from = deadlines.find("[deadline.ongoing]\n");
  size_t to = deadlines.find("[deadline.ongoing.prose]");
  ASSERT_TRUE(from != std::string::npos && to != std::string::npos && from < to);
  std::ofstream((rules / "deadlines.rules").string(), std::ios::binary)
      << deadlines.substr(0, from) + deadlines.substr(to);

  ASSERT_EQ(Run("reprocess --db " + db_ + " --rules " + rules.string() + " --dry-run", &out), 0) << out;
  EXPECT_NE(out.find("deadline: \"ongoing ..\" -> \"\""), std::string::npos) << out;
  EXPECT_NE(out.find("(dry run: nothing written)"), std::string::npos) << out;
  ASSERT_EQ(Run("export --db " + db_, &edited), 0);
  EXPECT_EQ(edited, original);  // a dry run writes nothing

  ASSERT_EQ(Run("reprocess --db " + db_ + " --rules " + rules.string(), &out), 0) << out;
  EXPECT_NE(out.find("CHANGED"), std::string::npos) << out;
  ASSERT_EQ(Run("export --db " + db_, &edited), 0);
  EXPECT_NE(edited, original);
  ASSERT_EQ(Run("tasks --db " + db_ + " --format csv --search \"kho du lieu dung chung\"", &out), 0);
  EXPECT_NE(out.find("Kho dữ liệu dùng chung"), std::string::npos) << out;

  ASSERT_EQ(Run("reprocess --db " + db_ + " -j 2", &out), 0) << out;  // back to the shipped rules, in parallel
  ASSERT_EQ(Run("export --db " + db_, &restored), 0);
  EXPECT_EQ(restored, original);
}

// The secretariat sees at once what looks wrong: ingest prints each loaded
// plan's warnings under it, and `warnings` lists the stored ones.
TEST_F(CorpusCliTest, WarningsShownAtIngestAndListed) {
  std::string out;
  ASSERT_EQ(Run("ingest --db " + db_ + " " + testing::CorpusDir() + "/seeds", &out), 0) << out;
  size_t shown = 0;
  for (size_t at = out.find("      ! "); at != std::string::npos; at = out.find("      ! ", at + 1)) ++shown;
  EXPECT_GT(shown, 0u) << out;
  EXPECT_NE(out.find("! tasks.count_mismatch"), std::string::npos) << out;  // 004 declares 61 tasks
  std::string csv;
  ASSERT_EQ(Run("warnings --db " + db_ + " --format csv", &csv), 0) << csv;
  size_t rows = 0;
  for (char c : csv) rows += c == '\n';
  EXPECT_EQ(rows - 1, shown) << csv;  // all of them, as no plan has more than ingest shows
  EXPECT_NE(csv.find("tasks.count_mismatch"), std::string::npos);
  ASSERT_EQ(Run("warnings --db " + db_ + " --doc 125/KH-BCĐ --format json", &out), 0) << out;
  EXPECT_NE(out.find("\"code\": \"tasks.count_mismatch\""), std::string::npos) << out;
  EXPECT_EQ(out.find("003_"), std::string::npos) << out;
  EXPECT_EQ(Run("warnings --db " + db_ + " --doc 999/XX", &out), 1) << out;
}

// --agency lists named assignments and names the collectives left out;
// --collectives adds their tasks, flagged, and nothing else.
TEST_F(CorpusCliTest, AgencyListingNamesTheCollectivesLeftOut) {
  std::string out;
  ASSERT_EQ(Run("ingest --db " + db_ + " " + testing::CorpusDir() + "/seeds", &out), 0) << out;
  auto lines = [](const std::string& text, const std::string& with) {
    size_t n = 0, start = 0;
    for (size_t end = text.find('\n'); end != std::string::npos; start = end + 1, end = text.find('\n', start)) {
      n += text.compare(start, with.size(), with) != 0 && text.find(with, start) < end;
    }
    return n;
  };
  std::string named, all;
  ASSERT_EQ(Run("tasks --db " + db_ + " --agency \"Sở Tài chính\" --format csv", &named), 0) << named;
  EXPECT_NE(named.find("plantrace tasks: not listed: tasks assigned to "), std::string::npos) << named;
  EXPECT_NE(named.find("add --collectives"), std::string::npos);
  EXPECT_EQ(lines(named, ",collective\r"), 0u);
  ASSERT_EQ(Run("tasks --db " + db_ + " --agency \"Sở Tài chính\" --collectives --format csv", &all), 0) << all;
  EXPECT_EQ(all.find("not listed"), std::string::npos);
  const size_t flagged = lines(all, ",collective\r");
  EXPECT_GT(flagged, 0u);
  // Every named row is still there, and the rest are the flagged ones.
  EXPECT_EQ(lines(all, "\r"), lines(named, "\r") + flagged);
  EXPECT_EQ(Run("tasks --db " + db_ + " --agency x --collectives --no-collectives", &out), 2) << out;
}

struct BadFile {
  const char* id;
  const char* name;
  std::string bytes;
  const char* reason;
};

TEST_F(CorpusCliTest, BadFilesFailAloneAndChangeNothing) {
  std::string seed = testing::CorpusDir() + "/seeds/004_e3670e579c2a1ce4.txt";
  std::string out;
  ASSERT_EQ(Run("ingest --db " + db_ + " " + seed, &out), 0) << out;
  const auto before = Counts();
  const BadFile cases[] = {
      {"empty", "empty.txt", "", "empty"},
      {"binary", "blob.bin", std::string("\x7F" "ELF\x02\x01\x01\x00\x00\x00\x00", 11), "binary"},
      {"invalid-utf8", "bad.txt", std::string("Kế hoạch\n\xC3\x28 abc\n"), "invalid UTF-8"},
      {"truncated-pdf", "cut.pdf", std::string("%PDF-1.4\n1 0 obj\n<< /Type /Catalog"), "pdf"},
  };
  for (const BadFile& c : cases) {
    SCOPED_TRACE(c.id);
    std::string path = Write(c.name, c.bytes);
    EXPECT_EQ(Run("ingest --db " + db_ + " " + path, &out), 1) << out;
    EXPECT_NE(out.find(c.name), std::string::npos) << out;
    std::string lower = out;
    for (char& ch : lower) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
    std::string reason = c.reason;
    for (char& ch : reason) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
    EXPECT_NE(lower.find(reason), std::string::npos) << out;
    EXPECT_EQ(Counts(), before);
  }
  // In a batch the good file still loads and the run reports the failure.
  std::string good = testing::CorpusDir() + "/seeds/000_5765c50382b6d008.txt";
  EXPECT_EQ(Run("ingest --db " + db_ + " " + (dir_ / "empty.txt").string() + " " + good, &out), 1) << out;
  EXPECT_EQ(Counts()["documents"], before.at("documents") + 1);
}

// The XLSX export opens in LibreOffice with the same rows as the CSV export.
TEST_F(CorpusCliTest, TasksXlsxOpensWithTheCsvRows) {
  if (testing::RunCommand("command -v libreoffice >/dev/null 2>&1", nullptr) != 0) {
    GTEST_SKIP() << "LibreOffice not installed (scripts/setup.sh --with-libreoffice)";
  }
  std::string out;
  ASSERT_EQ(Run("ingest --db " + db_ + " " + testing::CorpusDir() + "/seeds", &out), 0) << out;
  std::string xlsx = (dir_ / "tasks.xlsx").string();
  ASSERT_EQ(Run("tasks --db " + db_ + " --format xlsx --out " + xlsx, &out), 0) << out;
  std::string csv;
  ASSERT_EQ(testing::RunCommand(testing::PlantraceBin() + " tasks --db " + db_ + " --format csv", &csv), 0);
  std::string cmd = "cd " + dir_.string() + " && HOME=" + dir_.string() +
                    " timeout 300 libreoffice --headless --convert-to 'csv:Text - txt - csv (StarCalc):44,34,76' "
                    "--outdir . tasks.xlsx >/dev/null 2>&1";
  ASSERT_EQ(testing::RunCommand(cmd, nullptr), 0);
  std::string converted = testing::ReadFileOrDie((dir_ / "tasks.csv").string());
  if (converted.starts_with("\xEF\xBB\xBF")) converted.erase(0, 3);
  // LibreOffice ends lines with LF and quotes only where needed, as CsvRow
  // does; compare line by line without the CR.
  std::string ours;
  for (char c : csv) {
    if (c != '\r') ours.push_back(c);
  }
  EXPECT_EQ(converted, ours);
}

TEST_F(CorpusCliTest, ExtractJsonAndUsageErrors) {
  std::string out;
  EXPECT_EQ(Run("extract --json " + testing::CorpusDir() + "/seeds/000_5765c50382b6d008.txt", &out), 0);
  EXPECT_NE(out.find("\"number\": \"102/KH-UBND\""), std::string::npos);
  EXPECT_NE(out.find("\"provenance\""), std::string::npos);
  EXPECT_EQ(Run("extract --no-such-option x", &out), 2);
  EXPECT_EQ(Run("no-such-command", &out), 2);
  EXPECT_EQ(Run("extract --help", &out), 0);
  EXPECT_EQ(Run("ingest --help", &out), 0);
  // A value that is not a number is a usage error with its reason, not an abort.
  EXPECT_EQ(Run("eval --gold " + testing::CorpusDir() + "/gold --min abc", &out), 2);
  EXPECT_NE(out.find("--min: 'abc' is not a number"), std::string::npos) << out;
  EXPECT_EQ(Run("eval --gold " + testing::CorpusDir() + "/gold --show x", &out), 2);
  EXPECT_NE(out.find("--show: 'x' is not a count"), std::string::npos) << out;
}

// A rules folder with a mistake stops extract and ingest with the rule's
// place and exit 2, before any document is read or stored.
TEST_F(CorpusCliTest, BadRuleStopsWithItsPlace) {
  namespace fs = std::filesystem;
  fs::path rules = fs::path(db_).parent_path() / "bad-rules";
  fs::create_directories(rules);
  for (const auto& e : fs::directory_iterator(testing::SourceDir() + "/rules")) {
    fs::copy_file(e.path(), rules / e.path().filename(), fs::copy_options::overwrite_existing);
  }
  std::string text = testing::ReadFileOrDie((rules / "references.rules").string());
  size_t at = text.find("\nstrength: ");
  ASSERT_NE(at, std::string::npos);
  size_t end = text.find('\n', at + 1);
  text.replace(at, end - at, "\nstrength: high");
  std::ofstream(rules / "references.rules", std::ios::binary) << text;
  std::string seed = testing::CorpusDir() + "/seeds/000_5765c50382b6d008.txt";
  std::string out;
  EXPECT_EQ(Run("extract --rules " + rules.string() + " " + seed, &out), 2);
  EXPECT_NE(out.find("references.rules:"), std::string::npos) << out;
  EXPECT_NE(out.find("strength: 'high' is not a whole number"), std::string::npos) << out;
  EXPECT_EQ(Run("ingest --db " + db_ + " --rules " + rules.string() + " " + seed, &out), 2);
  EXPECT_EQ(Counts()["documents"], 0);
}

}  // namespace
}  // namespace plantrace
