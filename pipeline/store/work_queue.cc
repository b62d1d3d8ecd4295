// The PostgreSQL work queue (work_queue.h).
#include "pipeline/store/work_queue.h"

#include <functional>
#include <string>
#include <utility>

#include "pipeline/base/sha256.h"

namespace plantrace {

namespace {

// Created on open under a transaction-level advisory lock, so that workers
// starting together do not race on CREATE TABLE. `state` is pending,
// running (leased), done or failed. An ingest item carries a file's bytes;
// a reprocess item names a stored document (target_doc) and no bytes.
constexpr char kSchema[] = R"sql(
CREATE TABLE IF NOT EXISTS work_queue (
  id bigserial PRIMARY KEY,
  kind text NOT NULL DEFAULT 'ingest' CHECK (kind IN ('ingest', 'reprocess')),
  name text NOT NULL,
  sha256 text NOT NULL,
  target_doc bigint,
  bytes bytea NOT NULL,
  state text NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'running', 'done', 'failed')),
  attempts integer NOT NULL DEFAULT 0,
  worker text,
  lease_until timestamptz,
  reason text,
  doc_id bigint,
  enqueued_at timestamptz NOT NULL DEFAULT now(),
  finished_at timestamptz
);
CREATE INDEX IF NOT EXISTS work_queue_open ON work_queue (id) WHERE state IN ('pending', 'running');
CREATE INDEX IF NOT EXISTS work_queue_sha256 ON work_queue (sha256);
)sql";

constexpr int64_t kSchemaLock = 0x706c616e71756575;  // "planqueu"

double Seconds(std::chrono::milliseconds d) { return static_cast<double>(d.count()) / 1000.0; }

}  // namespace

Result<std::unique_ptr<WorkQueue>> WorkQueue::Open(const std::string& url) {
  auto db_or = PgConnection::Connect(url);
  if (!db_or.ok()) return db_or.status();
  std::unique_ptr<PgConnection> db = std::move(*db_or);
  // The auditors' read-only role may look at the queue (Counts) but not
  // create it or change it.
  Result<PgResult> state =
      db->Exec("SELECT to_regclass('work_queue') IS NOT NULL, current_setting('transaction_read_only') = 'on'");
  if (!state.ok()) return state.status();
  const bool exists = state->Text(0, 0) == "t", read_only = state->Text(0, 1) == "t";
  if (!exists) {
    if (read_only) return ReadOnlyRole();
    PgTransaction tx(db.get());
    PLANTRACE_RETURN_IF_ERROR(tx.Begin());
    PLANTRACE_RETURN_IF_ERROR(db->Exec("SELECT pg_advisory_xact_lock($1)", PgParams().Int(kSchemaLock)).status());
    PLANTRACE_RETURN_IF_ERROR(db->ExecScript(kSchema));
    PLANTRACE_RETURN_IF_ERROR(tx.Commit());
  }
  return std::unique_ptr<WorkQueue>(new WorkQueue(std::move(db), read_only));
}

Status WorkQueue::ReadOnlyRole() {
  return Status::InvalidInput("postgresql: this role can only read (transaction_read_only is on); the work queue "
                              "needs the writer role");
}

Result<EnqueueOutcome> WorkQueue::InsertEach(const std::string& insert, size_t n,
                                             const std::function<PgParams(size_t)>& row) {
  if (read_only_) return ReadOnlyRole();
  EnqueueOutcome out;
  PgTransaction tx(db_.get());
  PLANTRACE_RETURN_IF_ERROR(tx.Begin());
  // Two enqueuers of the same item would both see it absent.
  PLANTRACE_RETURN_IF_ERROR(db_->Exec("LOCK TABLE work_queue IN SHARE ROW EXCLUSIVE MODE").status());
  for (size_t i = 0; i < n; ++i) {
    Result<PgResult> r = db_->ExecPrepared(insert, row(i));
    if (!r.ok()) return r.status();
    ++(r->affected() > 0 ? out.queued : out.already);
  }
  PLANTRACE_RETURN_IF_ERROR(tx.Commit());
  return out;
}

Result<EnqueueOutcome> WorkQueue::Enqueue(const std::vector<QueueFile>& files) {
  return InsertEach(
      "INSERT INTO work_queue (name, sha256, bytes) SELECT $1, $2, $3::bytea "
      "WHERE NOT EXISTS (SELECT 1 FROM work_queue WHERE kind = 'ingest' AND sha256 = $2 AND state <> 'failed')",
      files.size(), [&](size_t i) {
        return PgParams().Text(files[i].name).Text(Sha256Hex(files[i].bytes)).Bytes(files[i].bytes);
      });
}

Result<EnqueueOutcome> WorkQueue::EnqueueReprocess(const std::vector<ReprocessTarget>& docs) {
  // A document already waiting to be reprocessed is not queued twice; one
  // reprocessed before is (the rules may have changed since).
  return InsertEach(
      "INSERT INTO work_queue (kind, name, sha256, bytes, target_doc) SELECT 'reprocess', $1, $2, ''::bytea, $3 "
      "WHERE NOT EXISTS (SELECT 1 FROM work_queue WHERE kind = 'reprocess' AND target_doc = $3 "
      "                  AND state IN ('pending', 'running'))",
      docs.size(), [&](size_t i) { return PgParams().Text(docs[i].name).Text(docs[i].sha256).Int(docs[i].doc_id); });
}

namespace {

// `p` and then the item kind a statement is restricted to (NULL: any).
PgParams WithKind(PgParams p, std::optional<QueueItem::Kind> kind) {
  if (!kind) return p.Null();
  return p.Text(*kind == QueueItem::Kind::kReprocess ? "reprocess" : "ingest");
}

}  // namespace

Result<std::optional<QueueItem>> WorkQueue::Claim(const std::string& worker, std::chrono::milliseconds lease,
                                                  int max_attempts, std::optional<QueueItem::Kind> kind) {
  if (read_only_) return ReadOnlyRole();
  // Items whose worker died on them max_attempts times: a file that kills
  // its reader must not kill every worker in turn.
  PLANTRACE_RETURN_IF_ERROR(
      db_->ExecPrepared("UPDATE work_queue SET state = 'failed', finished_at = now(), lease_until = NULL, "
                        "reason = 'claimed ' || attempts || ' times; each time its worker stopped before finishing' "
                        "WHERE state = 'running' AND lease_until < now() AND attempts >= $1",
                        PgParams().Int(max_attempts))
          .status());
  auto r_or = db_->ExecPrepared("UPDATE work_queue SET state = 'running', worker = $1, attempts = attempts + 1, "
                        "lease_until = now() + make_interval(secs => $2::double precision) "
                        "WHERE id = (SELECT id FROM work_queue "
                        "            WHERE (state = 'pending' OR (state = 'running' AND lease_until < now())) "
                        "              AND ($3::text IS NULL OR kind = $3) "
                        "            ORDER BY id LIMIT 1 FOR UPDATE SKIP LOCKED) "
                        "RETURNING id, name, bytes, attempts, kind, target_doc",
                        WithKind(PgParams().Text(worker).Double(Seconds(lease)), kind));
  if (!r_or.ok()) return r_or.status();
  PgResult r = std::move(*r_or);
  if (r.rows() == 0) return std::optional<QueueItem>();
  QueueItem item;
  item.id = r.Int(0, 0);
  item.name = r.Text(0, 1);
  item.bytes = r.Bytes(0, 2);
  item.attempts = static_cast<int>(r.Int(0, 3));
  if (r.View(0, 4) == "reprocess") {
    item.kind = QueueItem::Kind::kReprocess;
    item.target_doc = r.Int(0, 5);
  }
  return std::optional<QueueItem>(std::move(item));
}

Result<bool> WorkQueue::Renew(int64_t id, const std::string& worker, std::chrono::milliseconds lease) {
  auto r_or = db_->ExecPrepared("UPDATE work_queue SET lease_until = now() + make_interval(secs => "
                                    "$3::double precision) WHERE id = $1 AND worker = $2 AND state = 'running'",
                                    PgParams().Int(id).Text(worker).Double(Seconds(lease)));
  if (!r_or.ok()) return r_or.status();
  PgResult r = std::move(*r_or);
  return r.affected() > 0;
}

Result<bool> WorkQueue::Finish(int64_t id, const std::string& worker, int64_t doc_id) {
  auto r_or = db_->ExecPrepared("UPDATE work_queue SET state = 'done', doc_id = $3, finished_at = now(), "
                                    "lease_until = NULL, reason = NULL WHERE id = $1 AND worker = $2 AND state = 'running'",
                                    PgParams().Int(id).Text(worker).Int(doc_id));
  if (!r_or.ok()) return r_or.status();
  PgResult r = std::move(*r_or);
  return r.affected() > 0;
}

Result<bool> WorkQueue::Fail(int64_t id, const std::string& worker, const std::string& reason) {
  auto r_or = db_->ExecPrepared("UPDATE work_queue SET state = 'failed', reason = $3, finished_at = now(), "
                                    "lease_until = NULL WHERE id = $1 AND worker = $2 AND state = 'running'",
                                    PgParams().Int(id).Text(worker).Text(reason));
  if (!r_or.ok()) return r_or.status();
  PgResult r = std::move(*r_or);
  return r.affected() > 0;
}


Result<QueueCounts> WorkQueue::Counts(std::optional<QueueItem::Kind> kind) {
  QueueCounts c;
  auto r_or = db_->Exec("SELECT state, count(*) FROM work_queue WHERE $1::text IS NULL OR kind = $1 GROUP BY state",
                        WithKind(PgParams(), kind));
  if (!r_or.ok()) return r_or.status();
  PgResult r = std::move(*r_or);
  for (int i = 0; i < r.rows(); ++i) {
    const std::string_view state = r.View(i, 0);
    const int64_t n = r.Int(i, 1);
    if (state == "pending") c.pending = n;
    if (state == "running") c.running = n;
    if (state == "done") c.done = n;
    if (state == "failed") c.failed = n;
  }
  auto f_or = db_->Exec(
      "SELECT id, name, coalesce(reason, '') FROM work_queue WHERE state = 'failed' AND ($1::text IS NULL OR kind = $1) "
      "ORDER BY id",
      WithKind(PgParams(), kind));
  if (!f_or.ok()) return f_or.status();
  PgResult f = std::move(*f_or);
  for (int i = 0; i < f.rows(); ++i) c.failures.push_back({f.Int(i, 0), f.Text(i, 1), f.Text(i, 2)});
  return c;
}

}  // namespace plantrace
