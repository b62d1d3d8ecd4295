// The queue worker (worker.h).
#include "pipeline/store/worker.h"

#include <condition_variable>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <thread>
#include <utility>
#include <vector>

namespace plantrace {

namespace {

// Renews the leases of the items this worker's threads hold, on its own
// connection, every third of the lease.
class LeaseKeeper {
 public:
  LeaseKeeper(std::unique_ptr<WorkQueue> queue, std::chrono::milliseconds lease)
      : queue_(std::move(queue)), lease_(lease), thread_([this] { Run(); }) {}
  ~LeaseKeeper() {
    {
      std::lock_guard<std::mutex> lock(mu_);
      done_ = true;
    }
    cv_.notify_all();
    thread_.join();
  }
  void Hold(int64_t id, const std::string& worker) {
    std::lock_guard<std::mutex> lock(mu_);
    held_[id] = worker;
  }
  void Release(int64_t id) {
    std::lock_guard<std::mutex> lock(mu_);
    held_.erase(id);
  }

 private:
  void Run() {
    std::unique_lock<std::mutex> lock(mu_);
    while (!done_) {
      cv_.wait_for(lock, lease_ / 3, [this] { return done_; });
      if (done_) break;
      const std::map<int64_t, std::string> held = held_;
      lock.unlock();
      // A failed renewal is not fatal here: the item's thread learns at
      // Finish that its lease was lost.
      for (const auto& [id, worker] : held) (void)queue_->Renew(id, worker, lease_);
      lock.lock();
    }
  }

  std::unique_ptr<WorkQueue> queue_;
  const std::chrono::milliseconds lease_;
  std::mutex mu_;
  std::condition_variable cv_;
  std::map<int64_t, std::string> held_;
  bool done_ = false;
  std::thread thread_;  // last: started once the rest is built
};

}  // namespace

Status RunWorker(const WorkerOptions& options, const std::function<Result<std::unique_ptr<Store>>()>& open_store,
                 const ProcessFn& process, const std::string& rules_hash, const std::atomic<bool>& stop,
                 const WorkerReports& reports, WorkerCounts* counts) {
  Result<std::unique_ptr<WorkQueue>> keeper_queue = WorkQueue::Open(options.url);
  if (!keeper_queue.ok()) return keeper_queue.status();
  LeaseKeeper keeper(std::move(keeper_queue).value(), options.lease);
  std::mutex mu;  // counts, on_item, first error
  Status first_error;
  WorkerCounts total;

  auto work = [&](int thread) -> Status {
    const std::string name = options.name + (options.threads > 1 ? "/" + std::to_string(thread) : "");
    Result<std::unique_ptr<WorkQueue>> queue = WorkQueue::Open(options.url);
    if (!queue.ok()) return queue.status();
    Result<std::unique_ptr<Store>> store = open_store();
    if (!store.ok()) return store.status();
    // Links are resolved when the queue runs dry and at the end, not after
    // every document (relinking is over the whole store); the pending mark
    // is in the store, so a worker that dies leaves it for the next one.
    (*store)->DeferLinks();
    // The store's run records, one per kind of item this thread takes,
    // begun at the first such item.
    struct Run {
      const char* kind;
      std::optional<int64_t> id;
      RunCounters counts;
      int index = 0;
    };
    Run runs[] = {{"ingest", {}, {}, 0}, {"reprocess", {}, {}, 0}};
    auto run_for = [&](const QueueItem& it) -> Result<Run*> {
      Run& r = runs[it.kind == QueueItem::Kind::kReprocess ? 1 : 0];
      if (!r.id) {
        Result<int64_t> id = (*store)->BeginRun(rules_hash, r.kind);
        if (!id.ok()) return id.status();
        r.id = *id;
      }
      return &r;
    };
    Status result;
    while (!stop.load()) {
      Result<std::optional<QueueItem>> item = (*queue)->Claim(name, options.lease, options.max_attempts, options.only);
      if (!item.ok()) {
        result = item.status();
        break;
      }
      if (!item->has_value()) {
        PLANTRACE_RETURN_IF_ERROR((*store)->FinishLinks());
        (*store)->DeferLinks();
        if (options.until_empty) {
          Result<QueueCounts> c = (*queue)->Counts(options.only);
          if (!c.ok()) {
            result = c.status();
            break;
          }
          if (c->pending == 0 && c->running == 0) break;
        }
        std::this_thread::sleep_for(options.poll);
        continue;
      }
      QueueItem& it = **item;
      Result<Run*> run = run_for(it);
      if (!run.ok()) {
        result = run.status();
        break;
      }
      keeper.Hold(it.id, name);
      // What became of the item, said alike for both kinds: kOk (loaded or
      // reprocessed), kSkipped (already stored, or no longer stored) or kFailed.
      FileOutcome::Kind kind = FileOutcome::Kind::kOk;
      int64_t doc_id = 0;
      std::string message;
      int WorkerCounts::*done = &WorkerCounts::loaded;
      std::function<void()> report;
      if (it.kind == QueueItem::Kind::kReprocess) {
        Result<std::optional<DocDiff>> diff =
            ReprocessStored(store->get(), process, rules_hash, it.target_doc, *(*run)->id, (*run)->index++);
        keeper.Release(it.id);
        if (!diff.ok()) {
          result = diff.status();
          break;
        }
        kind = !diff->has_value() ? FileOutcome::Kind::kSkipped
               : (*diff)->failed  ? FileOutcome::Kind::kFailed
                                  : FileOutcome::Kind::kOk;
        doc_id = it.target_doc;
        if (diff->has_value()) message = (*diff)->message;
        done = &WorkerCounts::reprocessed;
        report = [&, d = std::move(diff).value()] {
          if (reports.reprocessed) reports.reprocessed(it, d ? &*d : nullptr);
        };
      } else {
        Result<FileOutcome> out = IngestBytes(std::move(it.bytes), it.name, process, rules_hash, options.force,
                                              store->get(), *(*run)->id, (*run)->index++);
        keeper.Release(it.id);
        if (!out.ok()) {
          result = out.status();
          break;
        }
        kind = out->kind;
        doc_id = out->load.doc_id;
        message = out->message;
        report = [&, o = std::move(out).value()] {
          if (reports.loaded) reports.loaded(it, o);
        };
      }
      RunCounters& run_counts = (*run)->counts;
      ++run_counts.files;
      const bool failed = kind == FileOutcome::Kind::kFailed, skipped = kind == FileOutcome::Kind::kSkipped;
      ++(failed ? run_counts.failed : skipped ? run_counts.skipped : run_counts.ok);
      Result<bool> finished = failed ? (*queue)->Fail(it.id, name, message) : (*queue)->Finish(it.id, name, doc_id);
      if (!finished.ok()) {
        result = finished.status();
        break;
      }
      std::lock_guard<std::mutex> lock(mu);
      ++(!*finished ? total.lost : failed ? total.failed : skipped ? total.skipped : total.*done);
      report();
    }
    PLANTRACE_RETURN_IF_ERROR((*store)->FinishLinks());
    for (const Run& r : runs) {
      if (r.id) PLANTRACE_RETURN_IF_ERROR((*store)->FinishRun(*r.id, r.counts));
    }
    return result;
  };

  std::vector<std::thread> threads;
  for (int t = 0; t < std::max(1, options.threads); ++t) {
    threads.emplace_back([&, t] {
      Status st = work(t);
      std::lock_guard<std::mutex> lock(mu);
      if (!st.ok() && first_error.ok()) first_error = st;
    });
  }
  for (std::thread& t : threads) t.join();
  if (counts) *counts = total;
  return first_error;
}

}  // namespace plantrace
