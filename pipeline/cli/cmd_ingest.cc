// plantrace ingest FILE|DIR ...: loads files into the store (ingest.h),
// one line per file: OK, SAME (another rendition), SKIP or FAIL.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "pipeline/base/diagnostics.h"
#include "pipeline/cli/cli_internal.h"
#include "pipeline/cli/commands.h"
#include "pipeline/cli/progress.h"
#include "pipeline/store/ingest.h"
#include "pipeline/stages/process.h"
#include "pipeline/store/work_queue.h"

namespace plantrace {
namespace {

constexpr const char kIngestUsage[] =
    "usage: plantrace ingest [--db FILE] [--rules DIR] [-j N] [--force] [--quiet] [--queue]\n"
    "                       [--timing] [--max-seconds S] [--max-memory MB] [--ocr MODE]\n"
    "                       FILE|DIR ...\n"
    "Loads documents into the store, one transaction per document. Folders are\n"
    "walked recursively (hidden entries skipped); the format is sniffed from the\n"
    "bytes. A file already stored (same SHA-256) is skipped. A file of a document\n"
    "already stored (same issuer, number and date; unnumbered: issuer, type and\n"
    "title) is stored as another rendition of it (SAME): how it differs from the\n"
    "document's reading is shown and kept as warnings, and when it is the better\n"
    "reading (rules/identity.rules) the document is re-read from it. A file with\n"
    "none of a plan's marks, or found in a folder and of a format plantrace cannot\n"
    "read, is skipped with the reason; so is what a folder holds that is no file\n"
    "(a device, a pipe, a symbolic link loop; links to folders are not followed).\n"
    "  --force      load files that do not look like plan documents too\n"
    "  --db FILE    store (default $PLANTRACE_DB, else ./plantrace.db); a\n"
    "               postgresql://user@host/dbname URL for a PostgreSQL store\n"
    "  --rules DIR  rule set (default $PLANTRACE_RULES, ./rules or the source tree's)\n"
    "  -j N         extract N documents in parallel (loading stays in input order)\n"
    "  --max-seconds S  CPU seconds one file may take before it fails and the batch\n"
    "               goes on (default 60, plus 10 per MB beyond the first; 0: none)\n"
    "  --max-memory MB  fail a document that needs more memory (the limit is the\n"
    "               process's, shared by the -j workers; default none)\n"
    "  --ocr MODE   auto (default): OCR the pages of a PDF that have no text layer\n"
    "               (in the -j workers); always: every page; never: refuse scans\n"
    "  --quiet      no progress line (shown on a terminal: files done, rate, ETA,\n"
    "               failures; then the slowest files)\n"
    "  --timing     at the end, on stderr, where the time went: extraction, the\n"
    "               store writer (and its linking) and the writer waiting for it\n"
    "  --queue      (PostgreSQL store) put the files in the store's work queue for\n"
    "               `plantrace worker` instead of loading them here; the same bytes\n"
    "               queued again are skipped. `plantrace queue` shows where they are\n"
    "Exit status: 0 all loaded or skipped, 1 some file failed, 2 usage or rules error.\n";

// Warnings printed under each loaded file by ingest.
constexpr size_t kWarningsShown = 5;

// "deadline.unparsed p3:l12 [PHỤ LỤC I > 4]: message".
std::string WarningText(const Diagnostic& d) {
  std::string where = d.page ? "p" + std::to_string(d.page) + ":l" + std::to_string(d.line)
                             : "l" + std::to_string(d.line);
  return d.code + " " + where + (d.clause.empty() ? "" : " [" + d.clause + "]") + ": " + OneLine(d.message);
}

// What looks wrong, at once, under the file's line: the first few, and how
// many more `plantrace warnings` lists.
void PrintWarnings(const std::vector<Diagnostic>& warnings, int64_t doc_id) {
  for (size_t k = 0; k < warnings.size() && k < kWarningsShown; ++k) {
    std::printf("      ! %s\n", WarningText(warnings[k]).c_str());
  }
  if (warnings.size() > kWarningsShown) {
    std::printf("      ! ... %zu more (plantrace warnings --doc %lld)\n", warnings.size() - kWarningsShown,
                static_cast<long long>(doc_id));
  }
}

// The report line(s) of one file.
void PrintOutcome(const FileOutcome& o) {
  switch (o.kind) {
    case FileOutcome::Kind::kOk:
      if (o.load.same_document) {
        std::string formats;
        for (const std::string& f : o.load.formats) formats += (formats.empty() ? "" : ", ") + f;
        std::printf("SAME  %s  %s (document %lld; now %zu renditions: %s)\n", o.path.c_str(),
                    Or(o.number, "-").c_str(), static_cast<long long>(o.load.doc_id), o.load.formats.size(),
                    formats.c_str());
        std::printf("      reading: %s%s (%s)\n", o.load.reading_file.c_str(),
                    o.load.reread ? ", re-read from this file" : "",
                    o.load.reading_rules.empty() ? "no reading rule" : o.load.reading_rules.c_str());
        std::vector<Diagnostic> differences;
        for (const WarningRow& w : o.differences) differences.push_back(w.diagnostic);
        PrintWarnings(differences, o.load.doc_id);
        break;
      }
      std::printf("OK    %s  %s  tasks=%d warnings=%zu\n", o.path.c_str(), Or(o.number, "-").c_str(), o.load.tasks,
                  o.warnings.size());
      PrintWarnings(o.warnings, o.load.doc_id);
      break;
    case FileOutcome::Kind::kSkipped:
      if (!o.skip_reason.empty()) {
        std::printf("SKIP  %s: %s\n", o.path.c_str(), o.skip_reason.c_str());
      } else {
        std::printf("SKIP  %s (already stored, sha %s)\n", o.path.c_str(), o.sha256.substr(0, 12).c_str());
      }
      break;
    case FileOutcome::Kind::kFailed:
      std::printf("FAIL  %s: %s\n", o.path.c_str(), o.message.c_str());
      std::fflush(stdout);
      std::fprintf(stderr, "plantrace ingest: %s: %s\n", o.path.c_str(), o.message.c_str());
      break;
  }
  std::fflush(stdout);
}

// ingest --queue: the files go into the work queue, bytes and all, for the
// workers; what a folder walk would skip unread is skipped here.
int EnqueueFiles(const Args& args) {
  if (!Store::IsDatabaseUrl(args.db)) {
    UsageError("ingest", "--queue needs a PostgreSQL store: --db postgresql://USER@HOST/DB", kIngestUsage);
    return 2;
  }
  Result<std::unique_ptr<WorkQueue>> queue = WorkQueue::Open(args.db);
  if (!queue.ok()) {
    std::fprintf(stderr, "plantrace ingest: %s\n", queue.status().message().c_str());
    return 1;
  }
  std::unordered_map<std::string, std::string> walked;
  const std::vector<std::string> files = CollectInputs(args.positional, &walked);
  std::vector<QueueFile> batch;
  int failed = 0, skipped = 0;
  EnqueueOutcome total;
  auto flush = [&]() -> bool {
    Result<EnqueueOutcome> r = (*queue)->Enqueue(batch);
    batch.clear();
    if (!r.ok()) {
      std::fprintf(stderr, "plantrace ingest: queue: %s\n", r.status().message().c_str());
      return false;
    }
    total.queued += r->queued;
    total.already += r->already;
    return true;
  };
  for (const std::string& path : files) {
    auto w = walked.find(path);
    if (w != walked.end() && !w->second.empty()) {
      std::printf("SKIP  %s: %s\n", path.c_str(), w->second.c_str());
      ++skipped;
      continue;
    }
    Result<std::string> bytes = ReadFileBytes(path);
    if (!bytes.ok()) {
      std::printf("FAIL  %s: %s\n", path.c_str(), bytes.status().message().c_str());
      ++failed;
      continue;
    }
    if (w != walked.end() && !args.force) {
      if (std::string why = WhyUnreadable(*bytes); !why.empty()) {
        std::printf("SKIP  %s: %s\n", path.c_str(), why.c_str());
        ++skipped;
        continue;
      }
    }
    batch.push_back({path, std::move(bytes).value()});
    // A batch a transaction, about 64 MB of files at most in memory.
    size_t held = 0;
    for (const QueueFile& f : batch) held += f.bytes.size();
    if ((batch.size() >= 100 || held > (64u << 20)) && !flush()) return 1;
  }
  if (!batch.empty() && !flush()) return 1;
  std::printf("queued: %d files (%d already queued, %d skipped, %d failed to read)\n", total.queued, total.already,
              skipped, failed);
  return failed > 0 ? 1 : 0;
}

}  // namespace

int CmdIngest(const std::vector<std::string>& argv) {
  Args args;
  if (std::optional<int> stop = ParseCommand("ingest", argv, {"db", "rules", "jobs", "force", "quiet", "timing", "max-seconds", "max-memory", "ocr", "queue"}, true, kIngestUsage, &args))
    return *stop;
  if (args.positional.empty()) {
    UsageError("ingest", "no FILE or DIR given", kIngestUsage);
    return 2;
  }
  if (args.queue) return EnqueueFiles(args);
  StoreRules rules;
  if (int code = OpenWithRules("ingest", args, true, &rules)) return code;
  rules.limits.max_cpu_seconds = args.max_seconds;
  rules.limits.ocr = args.ocr;
  ProcessFn process = rules.Process();
  IngestOptions options;
  options.jobs = args.jobs;
  options.force = args.force;
  std::vector<std::string> files = CollectInputs(args.positional, &options.walked);
  ProgressLine progress(files.size(), "files", ProgressStream(args.quiet));
  auto report = [&](size_t, const FileOutcome& o) {
    progress.Clear();
    PrintOutcome(o);
    progress.Done(o.path, o.seconds, o.pages, o.kind == FileOutcome::Kind::kFailed);
  };
  IngestSummary summary;
  Status st = Ingest(files, process, rules.rules->hash(), options, rules.store.get(), report, &summary);
  progress.Finish();
  if (!st.ok()) {
    std::fprintf(stderr, "plantrace ingest: store: %s\n", st.message().c_str());
    return 1;
  }
  const RunCounters& c = summary.counters;
  std::printf("total: %d files, %d loaded, %d skipped, %d failed", c.files, c.ok, c.skipped, c.failed);
  if (summary.renditions > 0) {
    std::printf(" (%d of the loaded are renditions of documents already stored)", summary.renditions);
  }
  std::printf("\n");
  for (const auto& [path, reason] : summary.skipped) std::printf("skipped: %s: %s\n", path.c_str(), reason.c_str());
  if (args.timing) {
    std::fflush(stdout);
    std::fprintf(stderr,
                 "timing: %.2f s wall; extraction %.2f s (%d worker%s); store writer %.2f s, of which linking "
                 "%.2f s; writer waiting for extraction %.2f s\n",
                 summary.wall_seconds, summary.extract_seconds, options.jobs, options.jobs == 1 ? "" : "s",
                 summary.store_seconds, summary.link_seconds, summary.wait_seconds);
  }
  return c.failed > 0 ? 1 : 0;
}

}  // namespace plantrace
