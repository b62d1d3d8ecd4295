// `plantrace worker`: claims files from a PostgreSQL store's work queue
// (work_queue.h), reads each and loads it into the store in one transaction,
// and marks it done or failed. Any number of workers on any machines share
// one queue; a killed worker leaves nothing half-written (the document's
// transaction rolls back) and its claim passes to another worker when its
// lease runs out.
#ifndef PLANTRACE_PIPELINE_STORE_WORKER_H_
#define PLANTRACE_PIPELINE_STORE_WORKER_H_

#include <atomic>
#include <chrono>
#include <functional>
#include <optional>
#include <string>

#include "pipeline/base/status.h"
#include "pipeline/store/ingest.h"
#include "pipeline/store/reprocess.h"
#include "pipeline/store/store.h"
#include "pipeline/store/work_queue.h"

namespace plantrace {

struct WorkerOptions {
  std::string url;   // the store's URL: each thread and the lease keeper connect to it
  std::string name;  // this worker in the queue ("host:pid"); threads add "/N"
  int threads = 1;
  // A claim lasts this long unless renewed; the lease keeper renews every
  // third of it, so a worker that dies loses its item within one lease.
  std::chrono::milliseconds lease{30000};
  // Stop when nothing is pending or running (a batch); else wait for work.
  bool until_empty = false;
  std::chrono::milliseconds poll{1000};
  bool force = false;  // as ingest --force
  int max_attempts = 3;
  // Claim only items of this kind (and, until_empty, wait only for them).
  std::optional<QueueItem::Kind> only;
};

struct WorkerCounts {
  int loaded = 0;
  int reprocessed = 0;
  int skipped = 0;  // already stored, no plan document, or (reprocess) no longer stored
  int failed = 0;
  int lost = 0;  // the lease ran out before the item was finished
};

// What the worker tells its caller of each finished item, from the thread
// that did it, one call at a time. Either may be empty.
struct WorkerReports {
  std::function<void(const QueueItem&, const FileOutcome&)> loaded;  // an ingest item
  // A reprocess item; nullptr when its document is no longer stored.
  std::function<void(const QueueItem&, const DocDiff*)> reprocessed;
};

// Runs the worker until the queue is empty (options.until_empty) or `stop`
// becomes true. `open_store` opens one store per thread. Ingest items load
// a file as ingest does; reprocess items re-extract a stored document as
// reprocess does (a second time if its worker died after the commit: the
// same extraction, new task ids). Not OK when the store or the queue failed.
Status RunWorker(const WorkerOptions& options, const std::function<Result<std::unique_ptr<Store>>()>& open_store,
                 const ProcessFn& process, const std::string& rules_hash, const std::atomic<bool>& stop,
                 const WorkerReports& reports, WorkerCounts* counts);

}  // namespace plantrace

#endif  // PLANTRACE_PIPELINE_STORE_WORKER_H_
