// The PostgreSQL work queue (pipeline/store/work_queue.h): files queued once
// by content, claims that never overlap, leases that run out and pass the
// item on, a file that kills its workers failed after three tries, and
// finishing by a worker whose lease was taken. Each test works in its own
// schema of the scratch server (ctest label pg, tests/pg/with_scratch_pg.sh);
// without PLANTRACE_PG_URL they skip.
#include "pipeline/store/work_queue.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <random>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "tests/test_util.h"

namespace plantrace {
namespace {

using std::chrono::milliseconds;

constexpr char kNoServer[] =
    "PLANTRACE_PG_URL is not set: run `ctest -L pg` (tests/pg/with_scratch_pg.sh starts a scratch "
    "PostgreSQL server)";

// A fresh schema on the scratch server and URLs whose connections use it.
class WorkQueueTest : public ::testing::Test {
 protected:
  void SetUp() override {
    const char* url = std::getenv("PLANTRACE_PG_URL");
    if (!url || !*url) GTEST_SKIP() << kNoServer;
    std::random_device rd;
    schema_ = "queue_test_" + std::to_string(rd() % 1000000000);
    auto admin = PgConnection::Connect(url);
    ASSERT_TRUE(admin.ok()) << admin.status().message();
    ASSERT_TRUE((*admin)->ExecScript("CREATE SCHEMA " + schema_).ok());
    const std::string base = url;
    url_ = base + (base.find('?') == std::string::npos ? "?" : "&") + "options=-csearch_path%3D" + schema_ + "%2Cpublic";
  }
  void TearDown() override {
    if (schema_.empty()) return;
    if (auto admin = PgConnection::Connect(std::getenv("PLANTRACE_PG_URL")); admin.ok()) {
      (void)(*admin)->ExecScript("DROP SCHEMA " + schema_ + " CASCADE");
    }
  }
  std::unique_ptr<WorkQueue> Open() {
    auto q = WorkQueue::Open(url_);
    EXPECT_TRUE(q.ok()) << q.status().message();
    return q.ok() ? std::move(*q) : nullptr;
  }

  std::string schema_, url_;
};

TEST_F(WorkQueueTest, SameBytesQueuedOnce) {
  auto q = Open();
  ASSERT_TRUE(q);
  auto first = q->Enqueue({{"a.txt", "Kế hoạch số 1"}, {"b.txt", "Kế hoạch số 2"}, {"a-copy.txt", "Kế hoạch số 1"}});
  ASSERT_TRUE(first.ok()) << first.status().message();
  EXPECT_EQ(first->queued, 2);
  EXPECT_EQ(first->already, 1);
  auto again = q->Enqueue({{"b.txt", "Kế hoạch số 2"}, {"c.txt", std::string("\0bytes\xff", 7)}});
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again->queued, 1);
  EXPECT_EQ(again->already, 1);
  auto c = q->Counts();
  ASSERT_TRUE(c.ok());
  EXPECT_EQ(c->pending, 3);
  // The bytes come back as they went in, NUL and invalid UTF-8 too.
  std::set<std::string> seen;
  for (int i = 0; i < 3; ++i) {
    auto item = q->Claim("w", milliseconds(60000));
    ASSERT_TRUE(item.ok() && item->has_value());
    seen.insert((*item)->bytes);
  }
  EXPECT_TRUE(seen.count(std::string("\0bytes\xff", 7)));
  EXPECT_TRUE(seen.count("Kế hoạch số 1"));
}

// Four connections claim from forty items at once: every item is claimed
// exactly once, nobody waits for another's claim.
TEST_F(WorkQueueTest, ConcurrentClaimsNeverOverlap) {
  auto q = Open();
  ASSERT_TRUE(q);
  std::vector<QueueFile> files;
  for (int i = 0; i < 40; ++i) files.push_back({"f" + std::to_string(i), "plan " + std::to_string(i)});
  ASSERT_TRUE(q->Enqueue(files).ok());
  std::vector<std::vector<int64_t>> claimed(4);
  std::vector<std::thread> threads;
  for (int w = 0; w < 4; ++w) {
    threads.emplace_back([&, w] {
      auto mine = WorkQueue::Open(url_);
      if (!mine.ok()) return;
      const std::string name = "worker-" + std::to_string(w);
      while (true) {
        auto item = (*mine)->Claim(name, milliseconds(60000));
        if (!item.ok() || !item->has_value()) break;
        claimed[w].push_back((*item)->id);
        auto done = (*mine)->Finish((*item)->id, name, 1000 + (*item)->id);
        if (!done.ok() || !*done) break;
      }
    });
  }
  for (std::thread& t : threads) t.join();
  std::vector<int64_t> all;
  for (const auto& c : claimed) all.insert(all.end(), c.begin(), c.end());
  std::sort(all.begin(), all.end());
  EXPECT_EQ(all.size(), 40u);
  EXPECT_EQ(std::adjacent_find(all.begin(), all.end()), all.end()) << "an item was claimed twice";
  auto c = q->Counts();
  ASSERT_TRUE(c.ok());
  EXPECT_EQ(c->done, 40);
  EXPECT_EQ(c->pending + c->running + c->failed, 0);
}

// A worker that stops renewing loses its item to the next claim once the
// lease runs out; its late Finish is refused, the new worker's accepted.
TEST_F(WorkQueueTest, ExpiredLeasePassesTheItemOn) {
  auto q = Open();
  ASSERT_TRUE(q);
  ASSERT_TRUE(q->Enqueue({{"slow.pdf", "bytes"}}).ok());
  auto first = q->Claim("dead", milliseconds(300));
  ASSERT_TRUE(first.ok() && first->has_value());
  EXPECT_EQ((*first)->attempts, 1);
  auto none = q->Claim("other", milliseconds(60000));
  ASSERT_TRUE(none.ok());
  EXPECT_FALSE(none->has_value()) << "claimed while leased";
  std::this_thread::sleep_for(milliseconds(400));
  auto second = q->Claim("other", milliseconds(60000));
  ASSERT_TRUE(second.ok() && second->has_value());
  EXPECT_EQ((*second)->id, (*first)->id);
  EXPECT_EQ((*second)->attempts, 2);
  auto late = q->Finish((*first)->id, "dead", 7);
  ASSERT_TRUE(late.ok());
  EXPECT_FALSE(*late);
  auto renewed = q->Renew((*first)->id, "dead", milliseconds(60000));
  ASSERT_TRUE(renewed.ok());
  EXPECT_FALSE(*renewed);
  auto done = q->Finish((*second)->id, "other", 7);
  ASSERT_TRUE(done.ok());
  EXPECT_TRUE(*done);
}

TEST_F(WorkQueueTest, RenewedLeaseKeepsTheItem) {
  auto q = Open();
  ASSERT_TRUE(q);
  ASSERT_TRUE(q->Enqueue({{"long.pdf", "bytes"}}).ok());
  auto mine = q->Claim("busy", milliseconds(300));
  ASSERT_TRUE(mine.ok() && mine->has_value());
  for (int i = 0; i < 3; ++i) {
    std::this_thread::sleep_for(milliseconds(200));
    auto renewed = q->Renew((*mine)->id, "busy", milliseconds(300));
    ASSERT_TRUE(renewed.ok());
    EXPECT_TRUE(*renewed);
  }
  auto other = q->Claim("other", milliseconds(60000));
  ASSERT_TRUE(other.ok());
  EXPECT_FALSE(other->has_value());
}

// A file whose worker dies on it three times is failed, with the reason,
// and not handed to a fourth worker.
TEST_F(WorkQueueTest, FileThatKillsItsWorkersFailsAfterThreeClaims) {
  auto q = Open();
  ASSERT_TRUE(q);
  ASSERT_TRUE(q->Enqueue({{"poison.pdf", "bytes"}, {"fine.pdf", "other bytes"}}).ok());
  for (int attempt = 1; attempt <= 3; ++attempt) {
    auto item = q->Claim("w" + std::to_string(attempt), milliseconds(100));
    ASSERT_TRUE(item.ok() && item->has_value());
    ASSERT_EQ((*item)->name, "poison.pdf");
    EXPECT_EQ((*item)->attempts, attempt);
    std::this_thread::sleep_for(milliseconds(150));
  }
  auto next = q->Claim("w4", milliseconds(60000));
  ASSERT_TRUE(next.ok() && next->has_value());
  EXPECT_EQ((*next)->name, "fine.pdf");
  auto c = q->Counts();
  ASSERT_TRUE(c.ok());
  EXPECT_EQ(c->failed, 1);
  ASSERT_EQ(c->failures.size(), 1u);
  EXPECT_EQ(c->failures[0].name, "poison.pdf");
  EXPECT_NE(c->failures[0].reason.find("3 times"), std::string::npos) << c->failures[0].reason;
  // Queued again by hand, a failed file is taken back.
  auto again = q->Enqueue({{"poison.pdf", "bytes"}});
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again->queued, 1);
}

TEST_F(WorkQueueTest, FailKeepsTheReason) {
  auto q = Open();
  ASSERT_TRUE(q);
  ASSERT_TRUE(q->Enqueue({{"bad.pdf", "%PDF-broken"}}).ok());
  auto item = q->Claim("w", milliseconds(60000));
  ASSERT_TRUE(item.ok() && item->has_value());
  auto failed = q->Fail((*item)->id, "w", "bad.pdf: not a PDF (no xref)");
  ASSERT_TRUE(failed.ok() && *failed);
  auto c = q->Counts();
  ASSERT_TRUE(c.ok());
  ASSERT_EQ(c->failures.size(), 1u);
  EXPECT_EQ(c->failures[0].reason, "bad.pdf: not a PDF (no xref)");
}

// reprocess on PostgreSQL: stored documents queued by id, once while
// waiting; a worker may take only those, and counts are kept by kind.
TEST_F(WorkQueueTest, ReprocessItemsQueueOnceAndClaimByKind) {
  auto q = Open();
  ASSERT_TRUE(q);
  ASSERT_TRUE(q->Enqueue({{"a.txt", "plan a"}}).ok());
  auto first = q->EnqueueReprocess({{7, "seven.pdf", "s7"}, {8, "eight.pdf", "s8"}});
  ASSERT_TRUE(first.ok()) << first.status().message();
  EXPECT_EQ(first->queued, 2);
  auto again = q->EnqueueReprocess({{7, "seven.pdf", "s7"}});
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again->queued, 0);
  EXPECT_EQ(again->already, 1);
  auto item = q->Claim("r", milliseconds(60000), 3, QueueItem::Kind::kReprocess);
  ASSERT_TRUE(item.ok() && item->has_value());
  EXPECT_EQ((*item)->kind, QueueItem::Kind::kReprocess);
  EXPECT_EQ((*item)->target_doc, 7);
  EXPECT_EQ((*item)->name, "seven.pdf");
  EXPECT_TRUE((*item)->bytes.empty());
  ASSERT_TRUE(q->Finish((*item)->id, "r", 7).ok());
  // Done, it may be queued again (the rules may have changed since).
  again = q->EnqueueReprocess({{7, "seven.pdf", "s7"}});
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again->queued, 1);
  auto reprocess = q->Counts(QueueItem::Kind::kReprocess);
  ASSERT_TRUE(reprocess.ok());
  EXPECT_EQ(reprocess->pending, 2);
  EXPECT_EQ(reprocess->done, 1);
  auto ingest = q->Counts(QueueItem::Kind::kIngest);
  ASSERT_TRUE(ingest.ok());
  EXPECT_EQ(ingest->pending, 1);
  // Without a kind the oldest item comes first: the file.
  auto any = q->Claim("w", milliseconds(60000));
  ASSERT_TRUE(any.ok() && any->has_value());
  EXPECT_EQ((*any)->kind, QueueItem::Kind::kIngest);
  EXPECT_EQ((*any)->bytes, "plan a");
}

// An auditor's read-only role sees the queue's counts and can neither
// create the queue, add to it nor claim from it.
TEST_F(WorkQueueTest, ReadOnlyRoleOnlyCounts) {
  const std::string ro = testing::PgReadOnlyUrl(url_);
  if (ro.empty()) GTEST_SKIP() << "PLANTRACE_PG_RO_URL is not set";
  Result<std::unique_ptr<WorkQueue>> none = WorkQueue::Open(ro);
  ASSERT_FALSE(none.ok()) << "a read-only role opened a queue that does not exist";
  EXPECT_NE(none.status().message().find("writer role"), std::string::npos) << none.status().message();
  auto q = Open();
  ASSERT_TRUE(q);
  ASSERT_TRUE(q->Enqueue({{"a.txt", "plan a"}, {"b.txt", "plan b"}}).ok());
  Result<std::unique_ptr<WorkQueue>> reader = WorkQueue::Open(ro);
  ASSERT_TRUE(reader.ok()) << reader.status().message();
  Result<QueueCounts> c = (*reader)->Counts();
  ASSERT_TRUE(c.ok()) << c.status().message();
  EXPECT_EQ(c->pending, 2);
  EXPECT_FALSE((*reader)->Enqueue({{"c.txt", "plan c"}}).ok());
  EXPECT_FALSE((*reader)->Claim("auditor", milliseconds(60000)).ok());
  c = q->Counts();
  ASSERT_TRUE(c.ok());
  EXPECT_EQ(c->pending, 2);
  EXPECT_EQ(c->running, 0);
}

}  // namespace
}  // namespace plantrace
