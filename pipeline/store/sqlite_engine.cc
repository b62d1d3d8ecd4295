// The SQLite engine of the store (store_db.h): the only file that includes
// sqlite3.h; SQLite's errors become Status here.
#include <sqlite3.h>

#include <memory>
#include <string>
#include <unordered_map>

#include "pipeline/store/store_db.h"

namespace plantrace {
namespace store_internal {
namespace {

Status SqlError(sqlite3* db, const std::string& what) {
  return Status::Internal("sqlite: " + what + ": " + sqlite3_errmsg(db));
}

class SqliteCursor final : public Cursor {
 public:
  SqliteCursor(sqlite3* db, sqlite3_stmt* stmt) : db_(db), stmt_(stmt) {}
  ~SqliteCursor() override { sqlite3_finalize(stmt_); }

  Status BindText(int i, std::string_view v) override {
    return Check(sqlite3_bind_text64(stmt_, i, v.data(), v.size(), SQLITE_TRANSIENT, SQLITE_UTF8), i);
  }
  Status BindInt(int i, int64_t v) override { return Check(sqlite3_bind_int64(stmt_, i, v), i); }
  Status BindDouble(int i, double v) override { return Check(sqlite3_bind_double(stmt_, i, v), i); }
  Status BindNull(int i) override { return Check(sqlite3_bind_null(stmt_, i), i); }
  Status BindBlob(int i, std::string_view v) override {
    return Check(sqlite3_bind_blob64(stmt_, i, v.data(), v.size(), SQLITE_STATIC), i);
  }
  Result<bool> Step() override {
    int rc = sqlite3_step(stmt_);
    if (rc == SQLITE_ROW) return true;
    if (rc == SQLITE_DONE) return false;
    return SqlError(db_, Sql());
  }
  void Reset() override {
    sqlite3_reset(stmt_);
    sqlite3_clear_bindings(stmt_);
  }
  bool IsNull(int c) const override { return sqlite3_column_type(stmt_, c) == SQLITE_NULL; }
  std::string_view View(int c) const override {
    const unsigned char* p = sqlite3_column_text(stmt_, c);
    return p ? std::string_view(reinterpret_cast<const char*>(p), sqlite3_column_bytes(stmt_, c)) : "";
  }
  int64_t Int(int c) const override { return sqlite3_column_int64(stmt_, c); }
  double Double(int c) const override { return sqlite3_column_double(stmt_, c); }
  std::string Blob(int c) const override { return std::string(View(c)); }

 private:
  std::string Sql() const {
    std::string s = sqlite3_sql(stmt_);
    for (char& c : s) {
      if (c == '\n') c = ' ';
    }
    return s.size() > 60 ? s.substr(0, 60) + "..." : s;
  }
  Status Check(int rc, int i) {
    if (rc == SQLITE_OK) return Status::Ok();
    return SqlError(db_, "bind " + std::to_string(i) + " of " + Sql());
  }

  sqlite3* db_;
  sqlite3_stmt* stmt_;
};

class SqliteEngine final : public Engine {
 public:
  explicit SqliteEngine(sqlite3* db) : db_(db) {}
  ~SqliteEngine() override {
    cache_.clear();  // statements are finalized before the connection closes
    sqlite3_close_v2(db_);
  }

  Status Init(bool read_only) {
    sqlite3_extended_result_codes(db_, 1);
    if (sqlite3_busy_timeout(db_, 10000) != SQLITE_OK) return SqlError(db_, "busy_timeout");
    if (read_only) {
      PLANTRACE_RETURN_IF_ERROR(Exec("PRAGMA query_only = ON"));
    } else {
      PLANTRACE_RETURN_IF_ERROR(Exec("PRAGMA foreign_keys = ON"));
      // In-memory stores answer "memory"; that is fine.
      PLANTRACE_RETURN_IF_ERROR(Exec("PRAGMA journal_mode = WAL"));
      PLANTRACE_RETURN_IF_ERROR(Exec("PRAGMA synchronous = NORMAL"));
    }
    // Queries read pages through a memory map instead of a read() call each.
    return Exec("PRAGMA mmap_size = 1073741824");
  }

  Backend backend() const override { return Backend::kSqlite; }

  Query Prepare(const std::string& sql) override {
    auto it = cache_.find(sql);
    if (it != cache_.end()) return Query(it->second.get(), Status::Ok());
    sqlite3_stmt* stmt = nullptr;
    int rc = sqlite3_prepare_v3(db_, sql.c_str(), static_cast<int>(sql.size() + 1), SQLITE_PREPARE_PERSISTENT,
                                &stmt, nullptr);
    if (rc != SQLITE_OK) {
      Status st = SqlError(db_, "prepare " + sql.substr(0, 60));
      sqlite3_finalize(stmt);
      return Query(nullptr, st);
    }
    Cursor* c = cache_.emplace(sql, std::make_unique<SqliteCursor>(db_, stmt)).first->second.get();
    return Query(c, Status::Ok());
  }

  Status Exec(const char* sql) override {
    char* err = nullptr;
    int rc = sqlite3_exec(db_, sql, nullptr, nullptr, &err);
    if (rc == SQLITE_OK) return Status::Ok();
    std::string msg = err ? err : sqlite3_errstr(rc);
    sqlite3_free(err);
    std::string what(sql);
    if (what.size() > 40) what = what.substr(0, 40) + "...";
    for (char& c : what) {
      if (c == '\n') c = ' ';
    }
    return Status::Internal("sqlite: " + what + ": " + msg);
  }

  // IMMEDIATE takes the write lock up front: one writer at a time.
  Status BeginWrite() override { return Exec("BEGIN IMMEDIATE"); }
  Status BeginSnapshot() override { return Exec("BEGIN"); }
  Status Commit() override { return Exec("COMMIT"); }
  Status Rollback() override { return Exec("ROLLBACK"); }
  bool InTransaction() override { return !sqlite3_get_autocommit(db_); }

  Result<int64_t> DataVersion() override {
    Query q = Prepare("PRAGMA data_version");
    int64_t version = 0;
    PLANTRACE_RETURN_IF_ERROR(q.ForEach([&] { version = q.ColInt(0); }));
    return version;
  }

 private:
  sqlite3* db_;
  std::unordered_map<std::string, std::unique_ptr<SqliteCursor>> cache_;
};

}  // namespace

// No per-call mutex: a Store is used by one thread at a time (store.h), and
// SQLite's serialized mode locks on every column read of a long listing.
Result<std::unique_ptr<Engine>> OpenSqlite(const std::string& path, bool read_only) {
  const int flags = (read_only ? SQLITE_OPEN_READONLY : SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE) |
                    SQLITE_OPEN_NOMUTEX;
  sqlite3* db = nullptr;
  int rc = sqlite3_open_v2(path.c_str(), &db, flags, nullptr);
  if (rc != SQLITE_OK) {
    std::string msg = db ? sqlite3_errmsg(db) : sqlite3_errstr(rc);
    sqlite3_close_v2(db);
    return Status::Io(path + ": cannot open store: " + msg);
  }
  auto engine = std::make_unique<SqliteEngine>(db);
  Status st = engine->Init(read_only);
  if (!st.ok()) return st.Annotate(path);
  return std::unique_ptr<Engine>(std::move(engine));
}

}  // namespace store_internal
}  // namespace plantrace
