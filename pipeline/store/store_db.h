// Internal to pipeline/store/: the database engine under the store logic
// (PG_PORTING.md section 5). SqlStore (store_internal.h) runs the same SQL
// through an Engine, SQLite's (sqlite_engine.cc) or PostgreSQL's
// (pg_engine.cc); only those two files include sqlite3.h / pg_connection.h.
#ifndef PLANTRACE_PIPELINE_STORE_STORE_DB_H_
#define PLANTRACE_PIPELINE_STORE_STORE_DB_H_

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "pipeline/base/status.h"

namespace plantrace {
namespace store_internal {

// One prepared statement of an engine, owned by the engine's cache: binds
// by 1-based index, steps through rows, reads columns by 0-based index.
class Cursor {
 public:
  virtual ~Cursor() = default;
  virtual Status BindText(int i, std::string_view v) = 0;
  virtual Status BindInt(int i, int64_t v) = 0;
  virtual Status BindDouble(int i, double v) = 0;
  virtual Status BindNull(int i) = 0;
  // Bytes that must outlive the statement's execution (not copied by SQLite).
  virtual Status BindBlob(int i, std::string_view v) = 0;
  virtual Result<bool> Step() = 0;
  // Ready for the next use: no row, no bindings.
  virtual void Reset() = 0;
  virtual bool IsNull(int c) const = 0;
  // NULL reads as "", valid until the next Step().
  virtual std::string_view View(int c) const = 0;
  virtual int64_t Int(int c) const = 0;
  virtual double Double(int c) const = 0;
  // A BLOB / bytea column's bytes.
  virtual std::string Blob(int c) const = 0;
};

// A cached prepared statement in use: binds, steps, reads columns, and
// resets itself when it goes out of scope.
class Query {
 public:
  Query(Cursor* cursor, Status status) : c_(cursor), status_(std::move(status)) {}
  Query(const Query&) = delete;
  Query& operator=(const Query&) = delete;
  ~Query() {
    if (c_) c_->Reset();
  }

  Query& Text(int i, std::string_view v) { return Check(c_ ? c_->BindText(i, v) : Status::Ok()); }
  Query& OptText(int i, const std::optional<std::string>& v) { return v ? Text(i, *v) : Null(i); }
  Query& Int(int i, int64_t v) { return Check(c_ ? c_->BindInt(i, v) : Status::Ok()); }
  Query& OptInt(int i, const std::optional<int64_t>& v) { return v ? Int(i, *v) : Null(i); }
  Query& Double(int i, double v) { return Check(c_ ? c_->BindDouble(i, v) : Status::Ok()); }
  Query& Null(int i) { return Check(c_ ? c_->BindNull(i) : Status::Ok()); }
  Query& Blob(int i, std::string_view v) { return Check(c_ ? c_->BindBlob(i, v) : Status::Ok()); }

  // Next row: true when there is one, false when done.
  Result<bool> Step() {
    if (!status_.ok()) return status_;
    Result<bool> r = c_->Step();
    if (!r.ok()) status_ = r.status();
    return r;
  }
  // Calls fn() on each row in turn (read it with the Col* accessors).
  template <typename Fn>
  Status ForEach(Fn&& fn) {
    for (;;) {
      Result<bool> r = Step();
      if (!r.ok()) return r.status();
      if (!*r) return Status::Ok();
      fn();
    }
  }
  // Runs a statement that returns no rows (or ignores them).
  Status Run() {
    for (;;) {
      Result<bool> r = Step();
      if (!r.ok()) return r.status();
      if (!*r) return Status::Ok();
    }
  }

  // The column's text, valid until the next Step(); NULL reads as "".
  std::string_view ColView(int c) const { return c_->View(c); }
  std::string ColText(int c) const { return std::string(ColView(c)); }
  std::optional<std::string> ColOptText(int c) const {
    if (c_->IsNull(c)) return std::nullopt;
    return ColText(c);
  }
  // Into an existing string, reusing its buffer (rows read in a loop).
  void ColTextTo(int c, std::string* out) const { out->assign(ColView(c)); }
  void ColOptTextTo(int c, std::optional<std::string>* out) const {
    if (c_->IsNull(c)) {
      out->reset();
    } else {
      if (!*out) out->emplace();  // an engaged one keeps its buffer
      ColTextTo(c, &**out);
    }
  }
  int64_t ColInt(int c) const { return c_->Int(c); }
  double ColDouble(int c) const { return c_->Double(c); }
  std::optional<int64_t> ColOptInt(int c) const {
    if (c_->IsNull(c)) return std::nullopt;
    return ColInt(c);
  }
  std::string ColBlob(int c) const { return c_->Blob(c); }

 private:
  Query& Check(Status st) {
    if (!st.ok() && status_.ok()) status_ = std::move(st);
    return *this;
  }

  Cursor* c_;
  Status status_;
};

enum class Backend { kSqlite, kPostgres };

// A connection to one store's database.
class Engine {
 public:
  virtual ~Engine() = default;
  virtual Backend backend() const = 0;
  // The cached statement for `sql` (prepared on first use), written in the
  // common dialect (?N parameters; the PostgreSQL engine translates).
  virtual Query Prepare(const std::string& sql) = 0;
  // SQL text without parameters, several statements allowed.
  virtual Status Exec(const char* sql) = 0;
  // A write transaction: one writer at a time across processes.
  virtual Status BeginWrite() = 0;
  // A read-only transaction seeing one snapshot for all its statements.
  virtual Status BeginSnapshot() = 0;
  virtual Status Commit() = 0;
  virtual Status Rollback() = 0;
  virtual bool InTransaction() = 0;
  // Changes when another connection commits a change to the store.
  virtual Result<int64_t> DataVersion() = 0;
};

// sqlite_engine.cc: opens the SQLite file `path` (":memory:" too).
Result<std::unique_ptr<Engine>> OpenSqlite(const std::string& path, bool read_only);
// pg_engine.cc: connects to a postgresql:// URL.
Result<std::unique_ptr<Engine>> OpenPostgres(const std::string& url, bool read_only);
// pg_engine.cc: a statement of the common dialect as PostgreSQL's.
std::string TranslateSql(std::string_view sql);
// A postgresql:// or postgres:// URL rather than a SQLite file path.
bool IsPostgresUrl(std::string_view db);

}  // namespace store_internal
}  // namespace plantrace

#endif  // PLANTRACE_PIPELINE_STORE_STORE_DB_H_
