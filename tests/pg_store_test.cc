// The PostgreSQL store beside the SQLite one: the SQL translation, the same
// schema on both, the task search through its trigram index, writers
// serialized across connections, and messages without the URL. Tests that
// need a server skip unless PLANTRACE_PG_URL is set (ctest -L pg runs them
// through tests/pg/with_scratch_pg.sh); the store tests themselves run on
// PostgreSQL there too (PLANTRACE_TEST_STORE, test_util.h).
#include <gtest/gtest.h>
#include <sqlite3.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <filesystem>
#include <functional>
#include <map>
#include <string>
#include <thread>
#include <vector>

#include "pipeline/store/pg_connection.h"
#include "pipeline/store/store.h"
#include "pipeline/store/store_db.h"
#include "tests/test_util.h"

namespace plantrace {
namespace {

#define REQUIRE_PG()                                                                     \
  if (testing::PgUrl().empty()) {                                                        \
    GTEST_SKIP() << "PLANTRACE_PG_URL is not set (ctest -L pg starts a scratch server)"; \
  }

TEST(PgStoreTest, TranslatesTheCommonDialect) {
  using store_internal::TranslateSql;
  EXPECT_EQ(TranslateSql("SELECT a FROM t WHERE b = ?1 AND c = ?12"), "SELECT a FROM t WHERE b = $1 AND c = $12");
  // Not inside string literals ('' is a quote inside one).
  EXPECT_EQ(TranslateSql("SELECT '?1', 'it''s ?2', ?3"), "SELECT '?1', 'it''s ?2', $3");
  EXPECT_EQ(TranslateSql("SELECT value FROM json_each(?1) j"), "SELECT value FROM plantrace_ids($1) j");
  EXPECT_EQ(TranslateSql("WHERE CAST(?1 AS INTEGER) IS NULL"), "WHERE CAST($1 AS BIGINT) IS NULL");
  EXPECT_EQ(TranslateSql("SET x = strftime('%Y-%m-%dT%H:%M:%SZ', 'now')"),
            "SET x = to_char(statement_timestamp() AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"')");
}

TEST(PgStoreTest, UrlsSelectPostgres) {
  EXPECT_TRUE(Store::IsDatabaseUrl("postgresql://u@h/db"));
  EXPECT_TRUE(Store::IsDatabaseUrl("postgres://h/db"));
  EXPECT_FALSE(Store::IsDatabaseUrl("plantrace.db"));
  EXPECT_FALSE(Store::IsDatabaseUrl("./postgresql://x"));
  EXPECT_FALSE(Store::IsDatabaseUrl(":memory:"));
}

TEST(PgStoreTest, OpenErrorsNeverQuoteTheUrlOrPassword) {
  // Nothing listens on port 1: the connection fails before any login.
  const std::string url = "postgresql://someone:s3cretPw@127.0.0.1:1/plantrace?connect_timeout=2";
  Result<std::unique_ptr<Store>> s = Store::Open(url);
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.status().message().find("s3cretPw"), std::string::npos) << s.status().message();
  EXPECT_EQ(s.status().message().find("postgresql://"), std::string::npos) << s.status().message();
  if (testing::PgUrl().empty()) return;
  // A wrong password on a live server.
  std::string bad = testing::PgUrl();
  bad.replace(bad.find("://") + 3, 0, "plantrace_writer:Wr0ngPassw0rd@");
  if (bad.find('@', bad.find("@") + 1) != std::string::npos) return;  // the URL already names a user
  Result<std::unique_ptr<Store>> w = Store::Open(bad);
  if (w.ok()) return;  // trust authentication: nothing to leak
  EXPECT_EQ(w.status().message().find("Wr0ngPassw0rd"), std::string::npos) << w.status().message();
}

// Column name -> (type class, NOT NULL), per table.
using Columns = std::vector<std::tuple<std::string, std::string, bool>>;

std::string TypeClass(std::string t) {
  for (char& c : t) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  if (t.find("int") != std::string::npos) return "integer";
  if (t.find("real") != std::string::npos || t.find("double") != std::string::npos) return "float";
  if (t.find("blob") != std::string::npos || t.find("bytea") != std::string::npos) return "bytes";
  if (t.find("text") != std::string::npos) return "text";
  return t;
}

TEST(PgStoreTest, SchemaMatchesSqlite) {
  REQUIRE_PG();
  // SQLite: a store file read with sqlite3 itself.
  const std::string path =
      (std::filesystem::temp_directory_path() / ("plantrace_parity_" + std::to_string(getpid()) + ".db")).string();
  std::filesystem::remove(path);
  ASSERT_TRUE(Store::Open(path).ok());
  std::map<std::string, Columns> lite;
  {
    sqlite3* db = nullptr;
    ASSERT_EQ(sqlite3_open(path.c_str(), &db), SQLITE_OK);
    std::vector<std::string> tables;
    sqlite3_stmt* st = nullptr;
    sqlite3_prepare_v2(db, "SELECT name FROM sqlite_master WHERE type IN ('table', 'view') ORDER BY name", -1, &st,
                       nullptr);
    while (sqlite3_step(st) == SQLITE_ROW) tables.emplace_back(reinterpret_cast<const char*>(sqlite3_column_text(st, 0)));
    sqlite3_finalize(st);
    for (const std::string& t : tables) {
      // FTS5 and its shadow tables: PostgreSQL has a plain table instead.
      if (t.starts_with("tasks_fts") || t.starts_with("sqlite_")) continue;
      sqlite3_prepare_v2(db, ("SELECT name, type, \"notnull\", pk FROM pragma_table_xinfo('" + t + "')").c_str(), -1,
                         &st, nullptr);
      Columns cols;
      while (sqlite3_step(st) == SQLITE_ROW) {
        // A primary key column holds no NULL in practice (rowid, or keys the store always sets).
        cols.emplace_back(reinterpret_cast<const char*>(sqlite3_column_text(st, 0)),
                          TypeClass(reinterpret_cast<const char*>(sqlite3_column_text(st, 1))),
                          sqlite3_column_int(st, 2) != 0 || sqlite3_column_int(st, 3) > 0);
      }
      sqlite3_finalize(st);
      lite[t] = cols;
    }
    sqlite3_close(db);
  }
  std::filesystem::remove(path);
  std::filesystem::remove(path + "-wal");
  std::filesystem::remove(path + "-shm");

  const std::string url = testing::FreshPgSchemaUrl();
  ASSERT_FALSE(url.empty());
  ASSERT_TRUE(Store::Open(url).ok());
  Result<std::unique_ptr<PgConnection>> conn = PgConnection::Connect(url);
  ASSERT_TRUE(conn.ok()) << conn.status().ToString();
  Result<PgResult> r = (*conn)->Exec(
      "SELECT c.table_name, c.column_name, c.data_type, c.is_nullable = 'NO' FROM information_schema.columns c "
      "WHERE c.table_schema = current_schema() ORDER BY c.table_name, c.ordinal_position");
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  std::map<std::string, Columns> pg;
  for (int i = 0; i < r->rows(); ++i) {
    const std::string t = r->Text(i, 0);
    // store_state: DataVersion's counter, SQLite's PRAGMA data_version.
    if (t == "tasks_fts" || t == "store_state") continue;
    pg[t].emplace_back(r->Text(i, 1), TypeClass(r->Text(i, 2)), r->View(i, 3) == "t");
  }
  // A view's columns are nullable in PostgreSQL's catalog: compare names and types.
  for (auto* m : {&lite, &pg}) {
    for (auto& [name, type, notnull] : (*m)["originals"]) notnull = false;
  }
  EXPECT_EQ(pg.size(), lite.size());
  for (const auto& [table, cols] : lite) {
    SCOPED_TRACE(table);
    ASSERT_TRUE(pg.count(table)) << "missing in PostgreSQL";
    EXPECT_EQ(pg[table], cols);
  }
  // Both number their steps alike.
  Result<std::unique_ptr<Store>> s = Store::Open(url);
  ASSERT_TRUE(s.ok());
  Result<int> version = (*s)->SchemaVersion();
  ASSERT_TRUE(version.ok());
  Result<std::unique_ptr<Store>> lite_store = Store::Open(":memory:");
  EXPECT_EQ(*version, *(*lite_store)->SchemaVersion());
}

Record SearchRecord(int n) {
  Record r;
  r.doc = "plan" + std::to_string(n) + ".txt";
  r.format = Format::kText;
  r.rules_hash = std::string(64, 'a');
  r.meta.number = std::to_string(n) + "/KH-UBND";
  r.meta.date = "2025-05-19";
  r.meta.place = "Hưng Yên";
  const char* words[] = {"Xây dựng", "Đào tạo", "Rà soát", "Nâng cấp", "Triển khai"};
  const char* what[] = {"cơ sở dữ liệu", "nhân lực y tế", "thủ tục hành chính", "hạ tầng số", "kho dữ liệu dùng chung"};
  for (int i = 0; i < 20; ++i) {
    Task t;
    t.source = "PHỤ LỤC I";
    t.number = std::to_string(i + 1);
    t.name = std::string(words[(n + i) % 5]) + " " + what[(n * 7 + i) % 5] + " đợt " + std::to_string(n * 100 + i);
    t.provenance.page = 1;
    t.provenance.line = i + 1;
    t.provenance.clause = "I";
    t.source_text = t.name;
    r.tasks.push_back(t);
  }
  return r;
}

TEST(PgStoreTest, SearchIsAPhraseThroughTheTrigramIndex) {
  REQUIRE_PG();
  const std::string url = testing::FreshPgSchemaUrl();
  ASSERT_FALSE(url.empty());
  Result<std::unique_ptr<Store>> pg = Store::Open(url);
  ASSERT_TRUE(pg.ok()) << pg.status().ToString();
  Result<std::unique_ptr<Store>> lite = Store::Open(":memory:");
  ASSERT_TRUE(lite.ok());
  // 150 documents, 3000 tasks.
  for (Store* s : {pg->get(), lite->get()}) {
    s->DeferLinks();
    for (int n = 0; n < 150; ++n) {
      LoadOutcome out;
      Status st = s->LoadDocument(SearchRecord(n), "bytes " + std::to_string(n), "in/" + std::to_string(n), "h", &out);
      ASSERT_TRUE(st.ok()) << st.ToString();
    }
    ASSERT_TRUE(s->FinishLinks().ok());
  }
  // The same matches as FTS5's phrase query: words in order, within a column.
  for (const char* q : {"kho du lieu", "du lieu dung chung", "lieu kho", "nang cap ha tang", "dot 14903", "y te",
                        "Nâng cấp", "xay dung co so du lieu dot 4"}) {
    SCOPED_TRACE(q);
    TaskQuery tq;
    tq.search = q;
    Result<std::vector<TaskRow>> a = (*pg)->Tasks(tq), b = (*lite)->Tasks(tq);
    ASSERT_TRUE(a.ok()) << a.status().ToString();
    ASSERT_TRUE(b.ok());
    std::vector<int64_t> ia, ib;
    for (const TaskRow& t : *a) ia.push_back(t.id);
    for (const TaskRow& t : *b) ib.push_back(t.id);
    EXPECT_EQ(ia, ib);
  }
  // The index exists and the search's statement uses it.
  Result<std::unique_ptr<PgConnection>> conn = PgConnection::Connect(url);
  ASSERT_TRUE(conn.ok());
  Result<PgResult> idx = (*conn)->Exec(
      "SELECT indexdef FROM pg_indexes WHERE schemaname = current_schema() AND tablename = 'tasks_fts' "
      "AND indexdef LIKE '%gin_trgm_ops%'");
  ASSERT_TRUE(idx.ok());
  EXPECT_EQ(idx->rows(), 1);
  ASSERT_TRUE((*conn)->ExecScript("ANALYZE tasks; ANALYZE tasks_fts").ok());
  auto plan_of = [&](const std::string& sql, const std::string& pattern) {
    Result<PgResult> plan = (*conn)->Exec("EXPLAIN " + sql, PgParams().Text(pattern));
    EXPECT_TRUE(plan.ok()) << plan.status().ToString();
    std::string text;
    for (int i = 0; plan.ok() && i < plan->rows(); ++i) text += plan->Text(i, 0) + "\n";
    return text;
  };
  // The listing's statement answers the phrase from the trigram index. A
  // table this small is cheaper to read whole (or along its key), so the
  // planner is told to avoid those scans.
  ASSERT_TRUE((*conn)->ExecScript("SET enable_seqscan = off; SET enable_indexscan = off").ok());
  const std::string listing =
      "SELECT t.id, t.doc_id, t.position, t.due FROM tasks t "
      "WHERE t.id IN (SELECT task_id FROM tasks_fts WHERE doc LIKE $1)";
  std::string text = plan_of(listing, "% dot 14903 %");
  EXPECT_NE(text.find("tasks_fts_doc"), std::string::npos) << text;
  // So does a phrase a fifth of the tasks have.
  text = plan_of("SELECT task_id FROM tasks_fts WHERE doc LIKE $1", "% kho du lieu %");
  EXPECT_NE(text.find("Bitmap Index Scan on tasks_fts_doc"), std::string::npos) << text;
}

// Runs `write` while another process's writer holds the store's lock (the
// same advisory lock in an open transaction), and checks that it waited.
void ExpectWaitsForAnotherWriter(const std::string& url, const std::function<void()>& write) {
  Result<std::unique_ptr<PgConnection>> other = PgConnection::Connect(url);
  ASSERT_TRUE(other.ok());
  ASSERT_TRUE((*other)->Begin().ok());
  ASSERT_TRUE((*other)->ExecScript("SELECT pg_advisory_xact_lock(7418, hashtext(current_schema()))").ok());
  std::atomic<bool> done{false};
  std::thread writer([&] {
    write();
    done = true;
  });
  std::this_thread::sleep_for(std::chrono::milliseconds(500));
  EXPECT_FALSE(done) << "the write did not wait for the other writer";
  ASSERT_TRUE((*other)->Commit().ok());
  writer.join();
}

TEST(PgStoreTest, WritersWaitForEachOther) {
  REQUIRE_PG();
  const std::string url = testing::FreshPgSchemaUrl();
  ASSERT_FALSE(url.empty());
  Result<std::unique_ptr<Store>> s = Store::Open(url);
  ASSERT_TRUE(s.ok()) << s.status().ToString();
  Status load;
  ExpectWaitsForAnotherWriter(url, [&] {
    LoadOutcome out;
    load = (*s)->LoadDocument(SearchRecord(1), "bytes", "in/1", "h", &out);
  });
  EXPECT_TRUE(load.ok()) << load.ToString();
  Result<TableCounts> counts = (*s)->Counts();
  ASSERT_TRUE(counts.ok());
  EXPECT_EQ(counts->rows["tasks"], 20);
}

// Workers started together each begin a run: the run's id (max + 1) is
// taken under the writer lock, so none collide (the CI race of issue 18).
TEST(PgStoreTest, RunsBeginUnderTheWriterLock) {
  REQUIRE_PG();
  const std::string url = testing::FreshPgSchemaUrl();
  ASSERT_FALSE(url.empty());
  Result<std::unique_ptr<Store>> s = Store::Open(url);
  ASSERT_TRUE(s.ok()) << s.status().ToString();
  Result<int64_t> first = 0;
  ExpectWaitsForAnotherWriter(url, [&] { first = (*s)->BeginRun("h"); });
  ASSERT_TRUE(first.ok()) << first.status().ToString();

  constexpr int kWorkers = 4;
  std::vector<std::unique_ptr<Store>> stores;
  for (int i = 0; i < kWorkers; ++i) {
    Result<std::unique_ptr<Store>> w = Store::Open(url);
    ASSERT_TRUE(w.ok()) << w.status().ToString();
    stores.push_back(std::move(w).value());
  }
  std::vector<Result<int64_t>> ids(kWorkers, Result<int64_t>(0));
  std::vector<std::thread> threads;
  for (int round = 0; round < 10; ++round) {
    for (int i = 0; i < kWorkers; ++i) threads.emplace_back([&, i] { ids[i] = stores[i]->BeginRun("h"); });
    for (std::thread& t : threads) t.join();
    threads.clear();
    for (const Result<int64_t>& id : ids) ASSERT_TRUE(id.ok()) << id.status().ToString();
  }
  Result<TableCounts> counts = (*s)->Counts();
  ASSERT_TRUE(counts.ok());
  EXPECT_EQ(counts->rows["ingest_runs"], 1 + 10 * kWorkers);
}

TEST(PgStoreTest, ReadOnlyStoreSeesWritesAndWritesNothing) {
  REQUIRE_PG();
  const std::string url = testing::FreshPgSchemaUrl();
  ASSERT_FALSE(url.empty());
  Result<std::unique_ptr<Store>> w = Store::Open(url);
  ASSERT_TRUE(w.ok());
  Result<std::unique_ptr<Store>> r = Store::OpenReadOnly(url);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  Result<int64_t> v0 = (*r)->DataVersion();
  ASSERT_TRUE(v0.ok());
  LoadOutcome out;
  ASSERT_TRUE((*w)->LoadDocument(SearchRecord(2), "bytes", "in/2", "h", &out).ok());
  Result<int64_t> v1 = (*r)->DataVersion();
  ASSERT_TRUE(v1.ok());
  EXPECT_NE(*v0, *v1);
  Result<std::vector<TaskRow>> rows = (*r)->Tasks(TaskQuery());
  ASSERT_TRUE(rows.ok()) << rows.status().ToString();
  EXPECT_EQ(rows->size(), 20u);
  LoadOutcome again;
  EXPECT_FALSE((*r)->LoadDocument(SearchRecord(3), "other", "in/3", "h", &again).ok());
}

// The auditors' role: the reading commands' open (OpenForReading) works
// with it, pending links included (read as they stand, left for a writer),
// and nothing it holds can write.
TEST(PgStoreTest, ReadOnlyRoleOpensForReading) {
  REQUIRE_PG();
  const std::string url = testing::FreshPgSchemaUrl();
  ASSERT_FALSE(url.empty());
  const std::string ro = testing::PgReadOnlyUrl(url);
  if (ro.empty()) GTEST_SKIP() << "PLANTRACE_PG_RO_URL is not set";
  Result<std::unique_ptr<PgConnection>> conn = PgConnection::Connect(url);
  ASSERT_TRUE(conn.ok());
  auto pending = [&] {
    Result<PgResult> r = (*conn)->Exec("SELECT count(*) FROM pending_work");
    EXPECT_TRUE(r.ok());
    return r.ok() ? r->Text(0, 0) : "";
  };
  {
    Result<std::unique_ptr<Store>> w = Store::Open(url);
    ASSERT_TRUE(w.ok()) << w.status().ToString();
    (*w)->DeferLinks();
    LoadOutcome out;
    ASSERT_TRUE((*w)->LoadDocument(SearchRecord(4), "bytes", "in/4", "h", &out).ok());
  }
  ASSERT_EQ(pending(), "1");
  Result<std::unique_ptr<Store>> r = Store::OpenForReading(ro);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  Result<std::vector<TaskRow>> rows = (*r)->Tasks(TaskQuery());
  ASSERT_TRUE(rows.ok()) << rows.status().ToString();
  EXPECT_EQ(rows->size(), 20u);
  LoadOutcome out;
  EXPECT_FALSE((*r)->LoadDocument(SearchRecord(5), "other", "in/5", "h", &out).ok());
  EXPECT_EQ(pending(), "1") << "the read-only role finished links";
  // The writer's reading open finishes them.
  Result<std::unique_ptr<Store>> w = Store::OpenForReading(url);
  ASSERT_TRUE(w.ok()) << w.status().ToString();
  EXPECT_EQ(pending(), "0");
}

}  // namespace
}  // namespace plantrace
