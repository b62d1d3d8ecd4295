// The PostgreSQL store's connection (issue 18; not used by the store yet): a
// small RAII wrapper over libpq, whose and the server's errors become Status
// without the password or the URL. Only pg_connection.cc includes libpq-fe.h.
#ifndef PLANTRACE_PIPELINE_STORE_PG_CONNECTION_H_
#define PLANTRACE_PIPELINE_STORE_PG_CONNECTION_H_

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "pipeline/base/status.h"

struct pg_conn;
struct pg_result;

namespace plantrace {

// Parameters of one statement ($1, $2, ... in order), sent in text format
// but for bytes; the server infers their types from the statement (cast a
// parameter, `$1::text`, where it cannot).
class PgParams {
 public:
  PgParams& Text(std::string_view v);
  PgParams& OptText(const std::optional<std::string>& v) { return v ? Text(*v) : Null(); }
  PgParams& Int(int64_t v);
  PgParams& OptInt(const std::optional<int64_t>& v) { return v ? Int(*v) : Null(); }
  // Shortest text that reads back as the same double.
  PgParams& Double(double v);
  // For a bytea parameter: any bytes (NUL too), sent in binary format
  // (half the size of hex text, and nothing for the server to decode).
  PgParams& Bytes(std::string_view v);
  PgParams& Null();

  int size() const { return static_cast<int>(values_.size()); }
  // nullptr for a NULL; valid while this object is unchanged.
  const char* value(int i) const { return null_[i] ? nullptr : values_[i].c_str(); }
  int length(int i) const { return static_cast<int>(values_[i].size()); }
  // 1 for binary (bytes), 0 for text.
  int format(int i) const { return binary_[i] ? 1 : 0; }

 private:
  std::vector<std::string> values_;
  std::vector<bool> null_;
  std::vector<bool> binary_;
};

// The rows of one statement, every column read from its text form.
// Move-only; frees the libpq result.
class PgResult {
 public:
  PgResult(PgResult&&) noexcept;
  PgResult& operator=(PgResult&&) noexcept;
  ~PgResult();

  int rows() const;
  int columns() const;
  // Rows an INSERT, UPDATE, DELETE (or SELECT) touched (sqlite3_changes).
  int64_t affected() const;

  bool IsNull(int row, int col) const;
  // The column's text, valid while this result lives; NULL reads as "".
  std::string_view View(int row, int col) const;
  std::string Text(int row, int col) const { return std::string(View(row, col)); }
  std::optional<std::string> OptText(int row, int col) const;
  // REQUIRES: an integer column (or NULL). As sqlite3_column_int64 does,
  // NULL and text that is not an integer read as 0.
  int64_t Int(int row, int col) const;
  std::optional<int64_t> OptInt(int row, int col) const;
  // NULL and text that is not a number read as 0.
  double Double(int row, int col) const;
  // REQUIRES: a bytea column (hex output, PostgreSQL's default). The bytes.
  std::string Bytes(int row, int col) const;

 private:
  friend class PgConnection;
  explicit PgResult(pg_result* res) : res_(res) {}
  pg_result* res_;
};

// One connection to a PostgreSQL server. Not thread-safe: one thread uses
// a connection at a time (like Store).
class PgConnection {
 public:
  // Connects to `url`: postgresql://[user[:password]@]host[:port]/dbname
  // [?param=value...] (or libpq's "key=value" form). The password comes
  // from the URL, PGPASSFILE (else ~/.pgpass) or PGPASSWORD, as libpq reads
  // them; PG* variables fill what the URL leaves out. Client encoding is
  // UTF8; connect_timeout is 10 s unless the URL sets it. Returns Usage for
  // a URL libpq cannot parse and Io when the server cannot be reached or
  // refuses the login. No message carries the password or the URL itself.
  static Result<std::unique_ptr<PgConnection>> Connect(const std::string& url);

  PgConnection(const PgConnection&) = delete;
  PgConnection& operator=(const PgConnection&) = delete;
  ~PgConnection();

  // Runs one statement with parameters (PQexecParams): its rows, or
  // Internal with the server's message and SQLSTATE.
  Result<PgResult> Exec(std::string_view sql, const PgParams& params = PgParams());
  // The same through a prepared statement, prepared on the first call with
  // this SQL text and reused for the connection's life.
  Result<PgResult> ExecPrepared(const std::string& sql, const PgParams& params = PgParams());
  // Queues a prepared statement whose rows are not wanted (libpq pipeline
  // mode) instead of waiting for it: a round trip per statement was most of
  // a document's load. Its error, if any, is returned by the next Sync()
  // or by the next statement that waits (every other method syncs first),
  // and the transaction is then aborted as after any failed statement.
  Status Send(const std::string& sql, const PgParams& params = PgParams());
  // Waits for every queued statement: the first one's error, if any.
  Status Sync();
  // Runs SQL text without parameters, several statements allowed (schema
  // steps); outside a transaction they run in one implicit transaction.
  Status ExecScript(std::string_view sql);

  // Transaction control. Begin's `mode` follows BEGIN, e.g. "ISOLATION
  // LEVEL SERIALIZABLE".
  Status Begin(std::string_view mode = "");
  Status Commit();
  Status Rollback();
  // Inside a transaction block (also a failed one awaiting ROLLBACK).
  bool InTransaction() const;

  // SQLSTATE of the last failed statement ("42501": insufficient
  // privilege), "" after a success or when the server sent none.
  const std::string& last_sqlstate() const { return last_sqlstate_; }
  // "user@host:port/dbname", for messages.
  const std::string& target() const { return target_; }

 private:
  PgConnection(pg_conn* conn, std::string target, std::vector<std::string> secrets);
  // A statement's result as Status, OK for a command or rows.
  Status Check(pg_result* res, std::string_view sql);
  // `msg` with every secret (password) replaced.
  std::string Redact(std::string msg) const;
  // The statement's name, prepared on first use.
  Result<const std::string*> Prepared(const std::string& sql);

  pg_conn* conn_;
  std::string target_;
  std::vector<std::string> secrets_;
  std::unordered_map<std::string, std::string> prepared_;  // SQL text -> statement name
  // SQL of each statement Send() queued, in order (keys of prepared_,
  // which stay put); nonempty only in pipeline mode.
  std::vector<const std::string*> pending_;
  std::string last_sqlstate_;
};

// Rolls back unless Commit() succeeded.
class PgTransaction {
 public:
  explicit PgTransaction(PgConnection* c) : c_(c) {}
  PgTransaction(const PgTransaction&) = delete;
  PgTransaction& operator=(const PgTransaction&) = delete;
  // A failed rollback leaves nothing to do: the server rolls back when the
  // connection closes.
  ~PgTransaction() {
    if (open_) (void)c_->Rollback();
  }
  Status Begin(std::string_view mode = "") {
    Status st = c_->Begin(mode);
    open_ = st.ok();
    return st;
  }
  Status Commit() {
    Status st = c_->Commit();
    if (st.ok()) open_ = false;
    return st;
  }

 private:
  PgConnection* c_;
  bool open_ = false;
};

}  // namespace plantrace

#endif  // PLANTRACE_PIPELINE_STORE_PG_CONNECTION_H_
