// plantrace worker / plantrace queue: the work queue of a PostgreSQL store
// (pipeline/store/work_queue.h, worker.h). `ingest --queue` fills it
// (cmd_ingest.cc).
#include <signal.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <optional>
#include <string>
#include <vector>

#include "pipeline/cli/cli_internal.h"
#include "pipeline/cli/commands.h"
#include "pipeline/store/worker.h"

namespace plantrace {
namespace {

constexpr const char kWorkerUsage[] =
    "usage: plantrace worker --db postgresql://USER@HOST/DB [--rules DIR] [-j N]\n"
    "                        [--lease S] [--max-attempts N] [--until-empty] [--force]\n"
    "                        [--max-seconds S] [--max-memory MB] [--ocr MODE]\n"
    "Claims files from the store's work queue (filled by `plantrace ingest --queue`)\n"
    "and loads each in one transaction, as ingest does, and stored documents queued\n"
    "by `plantrace reprocess`, re-extracted as reprocess does; any number of workers on\n"
    "any machines share the queue. A claim is a lease, renewed while the file is\n"
    "read: a worker that dies loses it within one lease and another worker takes\n"
    "the file; one whose workers die on it N times (--max-attempts, default 3) is\n"
    "failed. Links between documents are resolved whenever the queue runs dry and\n"
    "at the end.\n"
    "  -j N           N files at a time (threads, each with its own connection)\n"
    "  --lease S      seconds a claim lasts unless renewed (default 30)\n"
    "  --max-attempts N  claims of one file whose workers all died before it is\n"
    "                 failed as the cause (default 3)\n"
    "  --until-empty  stop when nothing is pending or running (else wait for work;\n"
    "                 SIGINT or SIGTERM stops after the files in hand)\n"
    "  --db, --rules, --force, --max-seconds, --max-memory, --ocr: as for ingest\n"
    "Prints one line per item (OK, SAME, SKIP, FAIL, LOST when the lease had passed\n"
    "to another worker; REDO a document reprocessed, GONE one merged away since it\n"
    "was queued). Exit status: 0, 1 store or queue error, 2 usage or rules error.\n";

constexpr const char kQueueUsage[] =
    "usage: plantrace queue --db postgresql://USER@HOST/DB\n"
    "What the store's work queue holds: files pending, running (claimed), done and\n"
    "failed, with each failure's reason.\n";

std::atomic<bool> g_stop{false};

void OnSignal(int) { g_stop.store(true); }

bool NeedsDatabase(const char* cmd, const Args& args, const char* usage) {
  if (Store::IsDatabaseUrl(args.db)) return true;
  UsageError(cmd, "the work queue is a PostgreSQL store's: give --db postgresql://USER@HOST/DB", usage);
  return false;
}

}  // namespace

int CmdWorker(const std::vector<std::string>& argv) {
  Args args;
  if (std::optional<int> stop = ParseCommand("worker", argv,
                                             {"db", "rules", "jobs", "lease", "max-attempts", "until-empty", "force", "max-seconds",
                                              "max-memory", "ocr"},
                                             false, kWorkerUsage, &args))
    return *stop;
  if (!NeedsDatabase("worker", args, kWorkerUsage)) return 2;
  StoreRules rules;
  if (int code = OpenWithRules("worker", args, true, &rules)) return code;
  rules.limits.max_cpu_seconds = args.max_seconds;
  rules.limits.ocr = args.ocr;
  WorkerOptions options;
  options.url = args.db;
  options.name = WorkerName();
  options.threads = args.jobs;
  options.lease = std::chrono::milliseconds(static_cast<int64_t>(args.lease_seconds * 1000));
  options.until_empty = args.until_empty;
  options.max_attempts = args.max_attempts;
  options.force = args.force;
  // The first thread uses the store OpenWithRules opened (and set up).
  std::atomic<bool> first_taken{false};
  auto open_store = [&]() -> Result<std::unique_ptr<Store>> {
    if (!first_taken.exchange(true)) return std::move(rules.store);
    return Store::Open(args.db);
  };
  signal(SIGINT, OnSignal);
  signal(SIGTERM, OnSignal);
  auto report = [](const QueueItem& item, const FileOutcome& o) {
    switch (o.kind) {
      case FileOutcome::Kind::kOk:
        std::printf("%s  %s  document %lld\n", o.load.same_document ? "SAME" : "OK  ", item.name.c_str(),
                    static_cast<long long>(o.load.doc_id));
        break;
      case FileOutcome::Kind::kSkipped:
        std::printf("SKIP  %s: %s\n", item.name.c_str(),
                    o.skip_reason.empty() ? "already stored" : o.skip_reason.c_str());
        break;
      case FileOutcome::Kind::kFailed:
        std::printf("FAIL  %s: %s\n", item.name.c_str(), o.message.c_str());
        break;
    }
    std::fflush(stdout);
  };
  WorkerCounts counts;
  WorkerReports reports;
  reports.loaded = report;
  reports.reprocessed = [](const QueueItem& item, const DocDiff* d) {
    if (!d) {
      std::printf("GONE  %s: no longer stored (merged into another document)\n", item.name.c_str());
    } else if (d->failed) {
      std::printf("FAIL  %s: %s\n", item.name.c_str(), d->message.c_str());
    } else {
      std::printf("REDO  %s  document %lld: tasks %d -> %d, %zu task changes\n", item.name.c_str(),
                  static_cast<long long>(d->doc_id), d->tasks_before, d->tasks_after, d->tasks.size());
    }
    std::fflush(stdout);
  };
  Status st = RunWorker(options, open_store, rules.Process(), rules.rules->hash(), g_stop, reports, &counts);
  std::printf("worker %s: %d loaded, %d reprocessed, %d skipped, %d failed, %d lost to another worker\n",
              options.name.c_str(), counts.loaded, counts.reprocessed, counts.skipped, counts.failed, counts.lost);
  if (!st.ok()) {
    std::fprintf(stderr, "plantrace worker: %s\n", st.message().c_str());
    return 1;
  }
  return 0;
}

int CmdQueue(const std::vector<std::string>& argv) {
  Args args;
  if (std::optional<int> stop = ParseCommand("queue", argv, {"db"}, false, kQueueUsage, &args)) return *stop;
  if (!NeedsDatabase("queue", args, kQueueUsage)) return 2;
  Result<std::unique_ptr<WorkQueue>> queue = WorkQueue::Open(args.db);
  if (!queue.ok()) {
    std::fprintf(stderr, "plantrace queue: %s\n", queue.status().message().c_str());
    return 1;
  }
  Result<QueueCounts> c = (*queue)->Counts();
  if (!c.ok()) {
    std::fprintf(stderr, "plantrace queue: %s\n", c.status().message().c_str());
    return 1;
  }
  std::printf("pending %lld  running %lld  done %lld  failed %lld\n", static_cast<long long>(c->pending),
              static_cast<long long>(c->running), static_cast<long long>(c->done),
              static_cast<long long>(c->failed));
  for (const QueueFailure& f : c->failures) std::printf("failed: %s: %s\n", f.name.c_str(), f.reason.c_str());
  return 0;
}

}  // namespace plantrace
