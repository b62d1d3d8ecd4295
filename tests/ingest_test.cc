// Ingest tests with a stand-in for ProcessDocument: input expansion, the
// per-file outcomes of a mixed batch, skipping stored documents, and that
// -j N loads exactly what -j 1 loads.
#include "pipeline/store/ingest.h"

#include <gtest/gtest.h>
#include <stdlib.h>
#include <sys/stat.h>

#include <atomic>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <string>
#include <thread>
#include <unordered_map>
#include <vector>

#include "pipeline/base/unicode.h"
#include "tests/test_util.h"

namespace plantrace {
namespace {

namespace fs = std::filesystem;

class TempDir {
 public:
  TempDir() {
    std::string tmpl = (fs::temp_directory_path() / "plantrace_ingest_XXXXXX").string();
    path_ = mkdtemp(tmpl.data());
  }
  ~TempDir() { fs::remove_all(path_); }
  std::string Write(const std::string& rel, const std::string& content) const {
    fs::path p = fs::path(path_) / rel;
    fs::create_directories(p.parent_path());
    std::ofstream(p, std::ios::binary) << content;
    return p.string();
  }
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

// Stand-in for ProcessDocument. Input: first line the document number, then
// one task per line "name|lead". "BADREF" as number yields a Record the store
// rejects; empty or invalid UTF-8 input is an error, as in the real reader.
// "delay=N" on the number line sleeps N ms to shuffle thread timing.
struct FakeProcess {
  std::atomic<int>* calls;
  Result<Processed> operator()(std::string_view bytes, const std::string& path) const {
    ++*calls;
    if (bytes.empty()) return Status::InvalidInput(path + ": empty file");
    if (FindInvalidUtf8(bytes) != std::string_view::npos) return Status::InvalidInput(path + ": not UTF-8 text");
    Record r;
    r.doc = fs::path(path).filename().string();
    r.format = Format::kText;
    std::vector<std::string> lines;
    size_t start = 0;
    while (start <= bytes.size()) {
      size_t nl = bytes.find('\n', start);
      if (nl == std::string_view::npos) nl = bytes.size();
      if (nl > start) lines.emplace_back(bytes.substr(start, nl - start));
      start = nl + 1;
    }
    std::string number = lines.empty() ? "" : lines[0];
    if (size_t d = number.find(" delay="); d != std::string::npos) {
      std::this_thread::sleep_for(std::chrono::milliseconds(std::stoi(number.substr(d + 7))));
      number = number.substr(0, d);
    }
    r.meta.number = number;
    r.meta.place = "Hưng Yên";
    for (size_t i = 1; i < lines.size(); ++i) {
      Task t;
      size_t bar = lines[i].find('|');
      t.source = "PHỤ LỤC";
      t.number = std::to_string(i);
      t.name = lines[i].substr(0, bar);
      if (bar != std::string::npos) {
        Agency a;
        a.printed = lines[i].substr(bar + 1);
        t.lead_raw = a.printed;
        t.lead.push_back(a);
      }
      r.tasks.push_back(t);
    }
    if (number == "BADREF") {
      Reference ref;
      ref.number = "1/NQ-CP";
      ref.relation = "not-a-relation";
      r.references.push_back(ref);
    }
    return Processed{std::move(r), LoadExtras()};
  }
};

std::unique_ptr<Store> OpenMemory() {
  Result<std::unique_ptr<Store>> s = Store::Open(testing::TestStoreDb());
  EXPECT_TRUE(s.ok()) << s.status().ToString();
  return std::move(s).value();
}

std::string KindName(FileOutcome::Kind k) {
  switch (k) {
    case FileOutcome::Kind::kOk: return "ok";
    case FileOutcome::Kind::kSkipped: return "skipped";
    case FileOutcome::Kind::kFailed: return "failed";
  }
  return "?";
}

TEST(IngestTest, CollectInputsWalksSortedAndSkipsHidden) {
  TempDir dir;
  dir.Write("b.txt", "x");
  dir.Write("a/z.pdf", "x");
  dir.Write("a/b/c.html", "x");
  dir.Write(".hidden.txt", "x");
  dir.Write(".git/config", "x");
  dir.Write("a/.DS_Store", "x");
  const std::string root = dir.path();
  struct Case {
    const char* id;
    std::vector<std::string> args;
    std::vector<std::string> want;
  };
  const Case cases[] = {
      {"dir", {root}, {root + "/a/b/c.html", root + "/a/z.pdf", root + "/b.txt"}},
      {"file-kept-as-given", {root + "/.hidden.txt"}, {root + "/.hidden.txt"}},
      {"missing-kept", {root + "/nope.txt", root + "/a/b"}, {root + "/nope.txt", root + "/a/b/c.html"}},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.id);
    EXPECT_EQ(CollectInputs(c.args), c.want);
  }
}

// What a walk finds that is no file is reported, skipped unread with what
// it is, never followed into a loop nor read forever; a link to a file is
// read as the file.
TEST(IngestTest, WalkSkipsWhatIsNoFileWithTheReason) {
  TempDir dir;
  const fs::path root = dir.path();
  dir.Write("a/plan.txt", "102/KH-UBND\nXây dựng|Sở Y tế\n");
  fs::create_symlink("loop.txt", root / "loop.txt");
  fs::create_directory_symlink(".", root / "a/here");
  fs::create_symlink("no-such.pdf", root / "dangling.pdf");
  fs::create_symlink("/dev/zero", root / "zero.txt");
  dir.Write(".elsewhere/other.txt", "7/QĐ-UBND\nRà soát|Sở Y tế\n");
  fs::create_symlink(".elsewhere/other.txt", root / "link.txt");
  ASSERT_EQ(mkfifo((root / "fifo.txt").c_str(), 0600), 0);
  dir.Write("utf32.txt", std::string("\xFF\xFE\0\0K\0\0\0", 8));
  std::unordered_map<std::string, std::string> walked;
  const std::vector<std::string> files = CollectInputs({dir.path()}, &walked);
  const std::vector<std::pair<std::string, std::string>> want = {
      {"a/here", "a link to a folder (a folder walk does not follow them)"},
      {"a/plan.txt", ""},
      {"dangling.pdf", "a broken symbolic link (what it points to does not exist)"},
      {"fifo.txt", "not a regular file (a named pipe)"},
      {"link.txt", ""},
      {"loop.txt", "a symbolic link loop"},
      {"utf32.txt", ""},
      {"zero.txt", "not a regular file (a device or socket)"},
  };
  ASSERT_EQ(files.size(), want.size());
  for (size_t i = 0; i < want.size(); ++i) {
    EXPECT_EQ(files[i], dir.path() + "/" + want[i].first);
    EXPECT_EQ(walked[files[i]], want[i].second) << files[i];
  }

  auto store = OpenMemory();
  std::atomic<int> calls{0};
  IngestOptions options;
  options.walked = walked;
  std::vector<std::string> got;
  IngestSummary sum;
  Status st = Ingest(files, FakeProcess{&calls}, "h", options, store.get(),
                     [&](size_t, const FileOutcome& o) {
                       got.push_back(KindName(o.kind) + " " + fs::path(o.path).filename().string() + " " +
                                     o.skip_reason);
                     },
                     &sum);
  ASSERT_TRUE(st.ok()) << st.ToString();
  EXPECT_EQ(sum.counters.ok, 2);
  EXPECT_EQ(sum.counters.skipped, 6);
  EXPECT_EQ(calls.load(), 2);
  EXPECT_EQ(got[2], "skipped dangling.pdf a broken symbolic link (what it points to does not exist)");
  // Bytes no reader takes are skipped with what they are.
  EXPECT_EQ(got[6], "skipped utf32.txt UTF-32 text; plantrace reads UTF-8 (save the file as UTF-8)");
}

TEST(IngestTest, MixedBatchReportsEachFileAndLoadsOnlyGoodOnes) {
  TempDir dir;
  std::vector<std::string> files = {
      dir.Write("1-good.txt", "102/KH-UBND\nXây dựng|Sở Y tế\nĐào tạo|Sở Nội vụ\n"),
      dir.path() + "/2-missing.txt",
      dir.Write("3-empty.txt", ""),
      dir.Write("4-binary.txt", std::string("\xff\xfe\x00\x01", 4)),
      dir.Write("5-badref.txt", "BADREF\nNhiệm vụ|Sở Tài chính\n"),
      dir.Write("6-good.txt", "7/QĐ-UBND\nRà soát|Sở Y tế\n"),
      dir.Write("7-same-bytes.txt", "7/QĐ-UBND\nRà soát|Sở Y tế\n"),
  };
  auto store = OpenMemory();
  std::atomic<int> calls{0};
  ProcessFn process = FakeProcess{&calls};
  std::vector<std::string> got;
  auto on_file = [&](size_t i, const FileOutcome& o) {
    EXPECT_EQ(i, got.size());
    got.push_back(KindName(o.kind) + " " + fs::path(o.path).filename().string() + " " + o.message);
  };
  IngestSummary sum;
  Status st = Ingest(files, process, "rules-hash", IngestOptions(), store.get(), on_file, &sum);
  ASSERT_TRUE(st.ok()) << st.ToString();
  const std::vector<std::string> want = {
      "ok 1-good.txt ",
      "failed 2-missing.txt cannot open file: No such file or directory",
      "failed 3-empty.txt empty file",
      "failed 4-binary.txt not UTF-8 text",
      "failed 5-badref.txt ",  // message checked below
      "ok 6-good.txt ",
      "skipped 7-same-bytes.txt ",
  };
  ASSERT_EQ(got.size(), want.size());
  for (size_t i = 0; i < want.size(); ++i) {
    SCOPED_TRACE("file " + std::to_string(i + 1));
    if (i == 4) {
      EXPECT_EQ(got[i].rfind(want[i], 0), 0u) << got[i];
      // SQLite's words, or PostgreSQL's (PLANTRACE_TEST_STORE).
      EXPECT_TRUE(got[i].find("CHECK constraint failed") != std::string::npos ||
                  got[i].find("violates check constraint") != std::string::npos)
          << got[i];
    } else {
      EXPECT_EQ(got[i], want[i]);
    }
  }
  EXPECT_EQ(sum.counters.files, 7);
  EXPECT_EQ(sum.counters.ok, 2);
  EXPECT_EQ(sum.counters.skipped, 1);
  EXPECT_EQ(sum.counters.failed, 4);
  EXPECT_EQ(calls.load(), 6);  // the missing file is never processed

  TableCounts c = *store->Counts();
  EXPECT_EQ(c.rows["documents"], 2);
  EXPECT_EQ(c.rows["tasks"], 3);
  EXPECT_EQ(c.rows["doc_references"], 0);
  EXPECT_EQ(c.rows["ingest_runs"], 1);
  EXPECT_EQ(c.rows["run_files"], 7);

  // Second run: stored documents are skipped without being processed, and
  // failures change nothing but the run log.
  calls = 0;
  got.clear();
  ASSERT_TRUE(Ingest(files, process, "rules-hash", IngestOptions(), store.get(), on_file, &sum).ok());
  EXPECT_EQ(calls.load(), 3);  // empty, binary, badref
  EXPECT_EQ(sum.counters.skipped, 3);
  EXPECT_EQ(sum.counters.failed, 4);
  TableCounts again = *store->Counts();
  for (const char* t : {"documents", "tasks", "agencies", "agency_aliases", "task_agencies", "tasks_fts"}) {
    SCOPED_TRACE(t);
    EXPECT_EQ(again.rows[t], c.rows[t]);
  }
  EXPECT_EQ(again.rows["ingest_runs"], 2);
  EXPECT_EQ(again.rows["run_files"], 14);
}

// A device and a file over the size limit fail with their reason before a
// byte is read: neither reaches the extraction.
TEST(IngestTest, RefusesDevicesAndOversizeFilesUnread) {
  TempDir dir;
  const std::string big = dir.Write("big.txt", "");
  fs::resize_file(big, ReadLimits().max_bytes + 1);  // sparse: no disk used
  const std::vector<std::string> files = {"/dev/null", big};
  auto store = OpenMemory();
  std::atomic<int> calls{0};
  std::vector<std::string> got;
  IngestSummary sum;
  Status st = Ingest(files, FakeProcess{&calls}, "h", IngestOptions(), store.get(),
                     [&](size_t, const FileOutcome& o) { got.push_back(KindName(o.kind) + " " + o.message); }, &sum);
  ASSERT_TRUE(st.ok()) << st.ToString();
  const std::vector<std::string> want = {
      "failed not a regular file (a device or socket)",
      "failed file of " + std::to_string(ReadLimits().max_bytes + 1) + " bytes is over the limit of " +
          std::to_string(ReadLimits().max_bytes),
  };
  EXPECT_EQ(got, want);
  EXPECT_EQ(calls.load(), 0);
}

// What a store holds, as text, without ids that depend on nothing but order.
std::string Snapshot(Store* s) {
  std::string out;
  Result<std::vector<DocRow>> docs = s->Documents();
  Result<std::vector<TaskRow>> tasks = s->Tasks(TaskQuery());
  if (!docs.ok() || !tasks.ok()) return "query failed";
  for (const DocRow& d : *docs) {
    out += std::to_string(d.id) + " " + d.number.value_or("-") + " " + d.file_name + " " + d.sha256 + "\n";
  }
  for (const TaskRow& t : *tasks) {
    out += std::to_string(t.id) + " " + t.doc_number.value_or("-") + " " + t.number.value_or("-") + " " + t.name;
    for (const std::string& l : t.lead) out += " [" + l + "]";
    out += "\n";
  }
  return out;
}

TEST(IngestTest, ParallelLoadsExactlyWhatSerialLoads) {
  TempDir dir;
  std::vector<std::string> files;
  const int n = 12;
  for (int i = 0; i < n; ++i) {
    // Early files take longest, so with threads they finish last.
    std::string body = std::to_string(i + 1) + "/KH-UBND delay=" + std::to_string((n - i) * 2) + "\n";
    for (int k = 0; k <= i % 3; ++k) body += "Nhiệm vụ " + std::to_string(k) + "|Sở Ngành " + std::to_string(k) + "\n";
    if (i == 5) body = "";  // one failure in the middle
    files.push_back(dir.Write("f" + std::to_string(100 + i) + ".txt", body));
  }
  std::string want;
  for (int jobs : {1, 2, 4}) {
    SCOPED_TRACE("jobs=" + std::to_string(jobs));
    auto store = OpenMemory();
    std::atomic<int> calls{0};
    ProcessFn process = FakeProcess{&calls};
    IngestOptions options;
    options.jobs = jobs;
    std::vector<size_t> order;
    IngestSummary sum;
    Status st = Ingest(files, process, "h", options, store.get(),
                       [&](size_t i, const FileOutcome&) { order.push_back(i); }, &sum);
    ASSERT_TRUE(st.ok()) << st.ToString();
    EXPECT_EQ(sum.counters.ok, n - 1);
    EXPECT_EQ(sum.counters.failed, 1);
    for (size_t i = 0; i < order.size(); ++i) EXPECT_EQ(order[i], i);
    std::string snap = Snapshot(store.get());
    if (jobs == 1) {
      want = snap;
    } else {
      EXPECT_EQ(snap, want);
    }
  }
}

}  // namespace
}  // namespace plantrace
