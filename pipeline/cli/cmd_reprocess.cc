// plantrace reprocess: re-extracts stored originals with the current rules
// (reprocess.h) and prints what changed, as text or JSON.
#include <atomic>
#include <cstdint>
#include <cstdio>
#include <optional>
#include <string>
#include <vector>

#include "pipeline/base/json_writer.h"
#include "pipeline/cli/cli_internal.h"
#include "pipeline/cli/commands.h"
#include "pipeline/cli/progress.h"
#include "pipeline/store/reprocess.h"
#include "pipeline/store/worker.h"

namespace plantrace {
namespace {

constexpr const char kReprocessUsage[] =
    "usage: plantrace reprocess [--db FILE] [--rules DIR] [--all] [--doc DOC] [--dry-run] [--queue]\n"
    "                           [-j N] [--format table|json] [--quiet]\n"
    "                           [--max-seconds S] [--max-memory MB] [--ocr MODE]\n"
    "Re-extracts stored originals with the current rules and replaces each\n"
    "document's extraction (one transaction per document), printing what\n"
    "changed: document fields, tasks added, removed and changed field by field.\n"
    "By default only documents extracted with other rules (another rules hash).\n"
    "  --all       every document\n"
    "  --doc DOC   only this document (id, key or number)\n"
    "  --dry-run   report what would change; write nothing\n"
    "  --queue     (PostgreSQL store) only put the documents in the store's work\n"
    "              queue, for `plantrace worker` processes to reprocess\n"
    "  -j N        extract N documents in parallel (the store is updated in order)\n"
    "  --max-seconds S  CPU seconds one document may take before it fails (default\n"
    "              60, plus 10 per MB beyond the first; 0: none)\n"
    "  --max-memory MB  fail a document that needs more memory (the limit is the\n"
    "              process's, shared by the -j workers; default none)\n"
    "  --ocr MODE  auto (default): OCR PDF pages without a text layer; always:\n"
    "              every page; never: refuse scans\n"
    "  --quiet     no progress line (shown on a terminal: documents done, rate,\n"
    "              ETA, failures; then the slowest documents)\n"
    "On a PostgreSQL store the documents go through the store's work queue:\n"
    "this command reprocesses them itself (-j N threads) while any `plantrace\n"
    "worker` on other machines takes its share, and it ends when none is left\n"
    "(so with -j N or several workers, documents are reported as they finish).\n"
    "Task ids of a reprocessed document change; DOC:N references do not.\n"
    "Exit status: 0 done, 1 some document failed (left as it was), 2 usage or rules error.\n";

// One line of a reprocess report: a field's change, cut to stay readable.
std::string ChangeText(const FieldChange& c) {
  return c.field + ": \"" + Cut(OneLine(c.before), 60) + "\" -> \"" + Cut(OneLine(c.after), 60) + "\"";
}

void PrintDiff(const DocDiff& d) {
  if (d.failed) {
    std::printf("FAIL     %s  %s: %s\n", d.file.c_str(), d.doc_key.c_str(), d.message.c_str());
    std::fflush(stdout);
    std::fprintf(stderr, "plantrace reprocess: %s: %s\n", d.file.c_str(), d.message.c_str());
    return;
  }
  size_t added = 0, removed = 0, changed = 0;
  for (const TaskDiff& t : d.tasks) {
    (t.kind == TaskDiff::Kind::kAdded ? added : t.kind == TaskDiff::Kind::kRemoved ? removed : changed)++;
  }
  std::printf("%s  %s  %s  tasks %d -> %d: +%zu -%zu ~%zu\n", d.changed() ? "CHANGED" : "SAME   ", d.file.c_str(),
              d.doc_key.c_str(), d.tasks_before, d.tasks_after, added, removed, changed);
  for (const FieldChange& c : d.meta) std::printf("  document %s\n", ChangeText(c).c_str());
  for (const FieldChange& c : d.references) std::printf("  reference %s\n", ChangeText(c).c_str());
  for (const TaskDiff& t : d.tasks) {
    std::printf("  %s %s:%d %s %s\n", TaskDiffMark(t.kind), t.kind == TaskDiff::Kind::kRemoved ? "old" : d.doc_key.c_str(),
                t.position + 1, t.number.c_str(), Cut(OneLine(t.name), 70).c_str());
    for (const FieldChange& c : t.fields) std::printf("      %s\n", ChangeText(c).c_str());
  }
}

void WriteChanges(JsonWriter& w, const std::vector<FieldChange>& changes) {
  w.BeginArray();
  for (const FieldChange& c : changes) {
    w.BeginObject().Field("field", c.field).Field("before", c.before).Field("after", c.after).EndObject();
  }
  w.EndArray();
}

void WriteDiff(JsonWriter& w, const DocDiff& d) {
  w.BeginObject()
      .Field("doc_id", d.doc_id)
      .Field("doc_key", d.doc_key)
      .Field("file", d.file)
      .Field("rules_before", d.rules_before)
      .Field("rules_after", d.rules_after)
      .Field("failed", d.failed)
      .Field("message", d.message)
      .Field("tasks_before", static_cast<int64_t>(d.tasks_before))
      .Field("tasks_after", static_cast<int64_t>(d.tasks_after))
      .Key("meta");
  WriteChanges(w, d.meta);
  w.Key("references");
  WriteChanges(w, d.references);
  w.Key("tasks").BeginArray();
  for (const TaskDiff& t : d.tasks) {
    const char* kind = TaskDiffKindName(t.kind);
    w.BeginObject()
        .Field("kind", kind)
        .Field("position", static_cast<int64_t>(t.position + 1))
        .Field("number", t.number)
        .Field("name", t.name)
        .Key("fields");
    WriteChanges(w, t.fields);
    w.EndObject();
  }
  w.EndArray().EndObject();
}

// Counts and output of one reprocess command, whichever way it runs.
struct ReprocessReport {
  ReprocessReport(const Args& args, const std::string& format) : args(args), format(format) { w.BeginArray(); }
  void Doc(const DocDiff& d, size_t total) {
    if (!progress) progress.emplace(total, "documents", ProgressStream(args.quiet));
    progress->Clear();
    if (d.failed) {
      ++failed;
    } else {
      ++(d.changed() ? changed : same);
    }
    if (format == "json") {
      WriteDiff(w, d);
    } else {
      PrintDiff(d);
      std::fflush(stdout);
    }
    progress->Done(d.file, d.seconds, d.pages, d.failed);
  }
  // The closing line (table) or the array (json); `more` ends the line.
  void Finish(const std::string& rules_hash, const std::string& more) {
    if (progress) progress->Finish();
    if (format == "json") {
      w.EndArray();
      Print(w.str() + "\n");
    } else {
      std::printf("total: %d documents reprocessed with rules %s: %d changed, %d unchanged, %d failed%s\n",
                  changed + same + failed, rules_hash.substr(0, 12).c_str(), changed, same, failed, more.c_str());
    }
  }

  const Args& args;
  const std::string format;
  JsonWriter w;
  int changed = 0, same = 0, failed = 0;
  std::optional<ProgressLine> progress;
};

// reprocess on a PostgreSQL store: the selected documents go into the work
// queue; unless --queue, this process then works that queue's reprocess
// items until none is pending or running (other workers may share them).
int ReprocessThroughQueue(const Args& args, StoreRules& rules, const ReprocessOptions& options,
                          ReprocessReport& report) {
  Result<std::vector<DocRow>> selected = SelectForReprocess(rules.store.get(), rules.rules->hash(), options);
  if (!selected.ok()) {
    std::fprintf(stderr, "plantrace reprocess: store: %s\n", selected.status().message().c_str());
    return 1;
  }
  std::vector<ReprocessTarget> targets;
  for (const DocRow& d : *selected) targets.push_back({d.id, d.file_name.empty() ? d.key : d.file_name, d.sha256});
  Result<std::unique_ptr<WorkQueue>> queue = WorkQueue::Open(args.db);
  Result<EnqueueOutcome> queued = queue.ok() ? (*queue)->EnqueueReprocess(targets) : queue.status();
  if (!queued.ok()) {
    std::fprintf(stderr, "plantrace reprocess: queue: %s\n", queued.status().message().c_str());
    return 1;
  }
  if (args.queue) {
    std::printf("queued: %d documents for reprocessing (%d already queued)\n", queued->queued, queued->already);
    return 0;
  }
  WorkerOptions w;
  w.url = args.db;
  w.name = WorkerName();
  w.threads = args.jobs;
  w.until_empty = true;
  w.only = QueueItem::Kind::kReprocess;
  std::atomic<bool> first_taken{false};
  auto open_store = [&]() -> Result<std::unique_ptr<Store>> {
    if (!first_taken.exchange(true)) return std::move(rules.store);
    return Store::Open(args.db);
  };
  WorkerReports reports;
  int gone = 0;
  reports.reprocessed = [&](const QueueItem&, const DocDiff* d) {
    if (d) {
      report.Doc(*d, targets.size());
    } else {
      ++gone;
    }
  };
  std::atomic<bool> stop{false};
  WorkerCounts counts;
  Status st = RunWorker(w, open_store, rules.Process(), rules.rules->hash(), stop, reports, &counts);
  std::string more = "; through the work queue";
  if (gone > 0) more += ", " + std::to_string(gone) + " merged into another document since queued";
  const int elsewhere = static_cast<int>(targets.size()) - (report.changed + report.same + report.failed + gone);
  if (elsewhere > 0) more += ", " + std::to_string(elsewhere) + " by other workers";
  report.Finish(rules.rules->hash(), more);
  if (!st.ok()) {
    std::fprintf(stderr, "plantrace reprocess: %s\n", st.message().c_str());
    return 1;
  }
  return report.failed > 0 ? 1 : 0;
}

}  // namespace

int CmdReprocess(const std::vector<std::string>& argv) {
  Args args;
  if (std::optional<int> stop = ParseCommand("reprocess", argv, {"db", "rules", "all", "doc", "dry-run", "queue", "format", "jobs", "quiet", "max-seconds", "max-memory", "ocr"},
                                                             false, kReprocessUsage, &args))
    return *stop;
  const std::string format = args.format.value_or("table");
  if (!CheckFormat("reprocess", format, {"table", "json"}, kReprocessUsage)) return 2;
  StoreRules rules;
  if (int code = OpenWithRules("reprocess", args, false, &rules)) return code;
  rules.limits.max_cpu_seconds = args.max_seconds;
  rules.limits.ocr = args.ocr;
  ReprocessOptions options;
  options.all = args.all;
  options.dry_run = args.dry_run;
  options.jobs = args.jobs;
  if (args.doc) {
    Result<std::vector<int64_t>> ids = rules.store->FindDocuments(*args.doc);
    if (!ids.ok() || ids->empty()) {
      std::fprintf(stderr, "plantrace reprocess: no document '%s'\n", args.doc->c_str());
      return 1;
    }
    options.only = *ids;
  }
  ReprocessReport report(args, format);
  if (Store::IsDatabaseUrl(args.db) && !args.dry_run) return ReprocessThroughQueue(args, rules, options, report);
  if (args.queue) {
    UsageError("reprocess", "--queue needs a PostgreSQL store (and no --dry-run)", kReprocessUsage);
    return 2;
  }
  RunCounters c;
  Status st = Reprocess(rules.store.get(), rules.Process(), rules.rules->hash(), options,
                        [&](const DocDiff& d) { report.Doc(d, d.total); }, &c);
  if (!st.ok()) {
    if (report.progress) report.progress->Finish();
    std::fprintf(stderr, "plantrace reprocess: store: %s\n", st.message().c_str());
    return 1;
  }
  report.Finish(rules.rules->hash(), options.dry_run ? " (dry run: nothing written)" : "");
  return c.failed > 0 ? 1 : 0;
}

}  // namespace plantrace
