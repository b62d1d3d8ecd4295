// The work queue of a shared PostgreSQL store (issue 18): `ingest --queue`
// puts files in it, `reprocess` stored documents to re-extract, `plantrace
// worker` processes on any number of machines claim them one at a time, and
// `plantrace queue` shows where they stand.
//
// A claim is a lease: the worker renews it while it reads the document and
// marks the item done after the store has committed the document. A worker
// that dies stops renewing; when the lease runs out another worker claims
// the item again. Loading is idempotent by content (the store keeps a file's
// SHA-256 and skips bytes it already holds), so a document whose worker died
// after the commit but before marking it done is stored once, not twice.
// Claims use SELECT ... FOR UPDATE SKIP LOCKED: workers never wait on each
// other's claims and never take the same item at once.
#ifndef PLANTRACE_PIPELINE_STORE_WORK_QUEUE_H_
#define PLANTRACE_PIPELINE_STORE_WORK_QUEUE_H_

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "pipeline/base/status.h"
#include "pipeline/store/pg_connection.h"

namespace plantrace {

// One file to read, as `ingest --queue` found it. The bytes travel in the
// queue: workers on other machines need not see the enqueuer's disk.
struct QueueFile {
  std::string name;  // the path as given, for messages and provenance
  std::string bytes;
};

// A stored document to re-extract (`reprocess` on a PostgreSQL store).
struct ReprocessTarget {
  int64_t doc_id = 0;
  std::string name;  // for messages: the document's file name
  std::string sha256;
};

struct QueueItem {
  enum class Kind { kIngest, kReprocess };
  int64_t id = 0;
  Kind kind = Kind::kIngest;
  std::string name;
  std::string bytes;       // kIngest: the file
  int64_t target_doc = 0;  // kReprocess: the stored document
  int attempts = 0;        // claims so far, this one included
};

struct QueueFailure {
  int64_t id = 0;
  std::string name;
  std::string reason;
};

struct QueueCounts {
  int64_t pending = 0;
  int64_t running = 0;
  int64_t done = 0;
  int64_t failed = 0;
  std::vector<QueueFailure> failures;  // oldest first
};

// What Enqueue did.
struct EnqueueOutcome {
  int queued = 0;
  int already = 0;  // same bytes already queued (pending, running or done)
};

class WorkQueue {
 public:
  // Connects to `url` and creates the queue table when missing. A
  // read-only role may only count (an error if there is no queue yet).
  static Result<std::unique_ptr<WorkQueue>> Open(const std::string& url);

  // Queues files, one transaction; a file whose bytes are already in the
  // queue and not failed is skipped (a failed one is queued again).
  Result<EnqueueOutcome> Enqueue(const std::vector<QueueFile>& files);
  // Queues stored documents to re-extract, one transaction; a document
  // already pending or running for reprocessing is skipped.
  Result<EnqueueOutcome> EnqueueReprocess(const std::vector<ReprocessTarget>& docs);

  // The oldest pending item (of `kind`, when given), or a running one
  // whose lease ran out, now leased to `worker` for `lease`; nullopt when
  // there is none. An item
  // claimed `max_attempts` times whose lease ran out each time (its worker
  // died on it) is marked failed instead of being claimed again.
  Result<std::optional<QueueItem>> Claim(const std::string& worker, std::chrono::milliseconds lease,
                                         int max_attempts = 3, std::optional<QueueItem::Kind> kind = std::nullopt);
  // Extends the lease of `worker`'s item. False when the item is no longer
  // this worker's (its lease ran out and another worker took it).
  Result<bool> Renew(int64_t id, const std::string& worker, std::chrono::milliseconds lease);
  // Marks `worker`'s item done (the store holds document `doc_id`) or
  // failed. False when the item was no longer this worker's.
  Result<bool> Finish(int64_t id, const std::string& worker, int64_t doc_id);
  Result<bool> Fail(int64_t id, const std::string& worker, const std::string& reason);

  // Items of `kind`, or all.
  Result<QueueCounts> Counts(std::optional<QueueItem::Kind> kind = std::nullopt);

 private:
  WorkQueue(std::unique_ptr<PgConnection> db, bool read_only) : db_(std::move(db)), read_only_(read_only) {}
  static Status ReadOnlyRole();
  // Runs `insert` (an INSERT ... WHERE NOT EXISTS) with row(0..n-1) in one
  // transaction that holds off other enqueuers: queued or already there.
  Result<EnqueueOutcome> InsertEach(const std::string& insert, size_t n, const std::function<PgParams(size_t)>& row);
  std::unique_ptr<PgConnection> db_;
  bool read_only_;
};

}  // namespace plantrace

#endif  // PLANTRACE_PIPELINE_STORE_WORK_QUEUE_H_
