// The PostgreSQL engine of the store (store_db.h), over pg_connection.h.
// Statements arrive in the common dialect and are translated once per SQL
// text (TranslateSql); writers are serialized by a transaction-level
// advisory lock, as SQLite's BEGIN IMMEDIATE serializes them.
#include <algorithm>
#include <memory>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "pipeline/store/pg_connection.h"
#include "pipeline/store/store_db.h"

namespace plantrace {
namespace store_internal {

bool IsPostgresUrl(std::string_view db) { return db.starts_with("postgresql://") || db.starts_with("postgres://"); }

// The common dialect as PostgreSQL: ?N -> $N outside string literals,
// json_each( -> plantrace_ids( (the schema's shim; PostgreSQL's own
// json_each(json) would make an untyped parameter ambiguous), CAST(... AS
// INTEGER) -> BIGINT (INTEGER is 32-bit in PostgreSQL), and SQLite's UTC
// timestamp text.
std::string TranslateSql(std::string_view sql) {
  static constexpr std::string_view kNow = "strftime('%Y-%m-%dT%H:%M:%SZ', 'now')";
  static constexpr std::string_view kPgNow =
      "to_char(statement_timestamp() AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"')";
  std::string out;
  out.reserve(sql.size() + 16);
  bool quoted = false;
  for (size_t i = 0; i < sql.size(); ++i) {
    const char c = sql[i];
    if (c == '\'') {
      quoted = !quoted;  // '' inside a literal toggles twice
      out += c;
      continue;
    }
    if (!quoted) {
      if (c == '?' && i + 1 < sql.size() && sql[i + 1] >= '0' && sql[i + 1] <= '9') {
        out += '$';
        continue;
      }
      if (sql.substr(i).starts_with(kNow)) {
        out += kPgNow;
        i += kNow.size() - 1;
        continue;
      }
      if (sql.substr(i).starts_with("json_each(") && (i == 0 || sql[i - 1] == ' ' || sql[i - 1] == '(')) {
        out += "plantrace_ids(";
        i += std::string_view("json_each(").size() - 1;
        continue;
      }
      if (sql.substr(i).starts_with(" AS INTEGER)")) {
        out += " AS BIGINT)";
        i += std::string_view(" AS INTEGER)").size() - 1;
        continue;
      }
    }
    out += c;
  }
  return out;
}

namespace {

// An INSERT, UPDATE or DELETE without RETURNING: a statement whose result
// the store never reads.
bool ReturnsNothing(std::string_view sql) {
  const bool write = sql.starts_with("INSERT ") || sql.starts_with("UPDATE ") || sql.starts_with("DELETE ");
  return write && sql.find("RETURNING") == std::string_view::npos;
}

// Parameters collect by index; the first Step() runs the statement and
// holds its whole result, later steps walk its rows. In a write
// transaction a statement that returns nothing is only queued
// (PgConnection::Send): the store's loads are hundreds of single-row
// INSERTs, and waiting for each was most of their time. The transaction
// still fails if one of them fails, at its next waiting statement or COMMIT.
class PgCursor final : public Cursor {
 public:
  PgCursor(PgConnection* conn, std::string sql, const bool* writing)
      : conn_(conn), sql_(std::move(sql)), writing_(writing), deferrable_(ReturnsNothing(sql_)) {
    // The highest $N: parameters left unbound are sent as NULL, as SQLite
    // reads them.
    for (size_t i = 0; i < sql_.size(); ++i) {
      if (sql_[i] != '$' || i + 1 >= sql_.size() || sql_[i + 1] < '0' || sql_[i + 1] > '9') continue;
      int n = 0;
      while (i + 1 < sql_.size() && sql_[i + 1] >= '0' && sql_[i + 1] <= '9') n = n * 10 + (sql_[++i] - '0');
      params_ = std::max(params_, n);
    }
  }

  Status BindText(int i, std::string_view v) override { return Set(i, std::string(v), false); }
  Status BindInt(int i, int64_t v) override { return Set(i, std::to_string(v), false); }
  Status BindDouble(int i, double v) override {
    PgParams p;
    p.Double(v);
    return Set(i, p.value(0), false);
  }
  Status BindNull(int i) override { return Set(i, std::nullopt, false); }
  Status BindBlob(int i, std::string_view v) override { return Set(i, std::string(v), true); }

  Result<bool> Step() override {
    if (sent_) return false;
    if (!result_) {
      if (values_.size() < static_cast<size_t>(params_)) {
        values_.resize(params_);
        bytes_.resize(params_);
      }
      PgParams params;
      for (size_t i = 0; i < values_.size(); ++i) {
        if (!values_[i]) {
          params.Null();
        } else if (bytes_[i]) {
          params.Bytes(*values_[i]);
        } else {
          params.Text(*values_[i]);
        }
      }
      if (deferrable_ && *writing_) {
        PLANTRACE_RETURN_IF_ERROR(conn_->Send(sql_, params));
        sent_ = true;
        return false;
      }
      Result<PgResult> r = conn_->ExecPrepared(sql_, params);
      if (!r.ok()) return r.status();
      result_.emplace(std::move(r).value());
      row_ = -1;
    }
    return ++row_ < result_->rows();
  }
  void Reset() override {
    result_.reset();
    sent_ = false;
    values_.clear();
    bytes_.clear();
  }
  bool IsNull(int c) const override { return result_->IsNull(row_, c); }
  std::string_view View(int c) const override { return result_->View(row_, c); }
  int64_t Int(int c) const override { return result_->Int(row_, c); }
  double Double(int c) const override { return result_->Double(row_, c); }
  std::string Blob(int c) const override { return result_->Bytes(row_, c); }

 private:
  Status Set(int i, std::optional<std::string> v, bool bytes) {
    if (i < 1 || i > 999) return Status::Internal("postgresql: bind " + std::to_string(i) + ": no such parameter");
    if (values_.size() < static_cast<size_t>(i)) {
      values_.resize(i);
      bytes_.resize(i);
    }
    values_[i - 1] = std::move(v);
    bytes_[i - 1] = bytes;
    return Status::Ok();
  }

  PgConnection* conn_;
  std::string sql_;
  const bool* writing_;  // the engine's: in a write transaction
  const bool deferrable_;
  bool sent_ = false;  // queued, not run: no rows
  std::vector<std::optional<std::string>> values_;  // unbound ones are NULL, as in SQLite
  std::vector<bool> bytes_;
  std::optional<PgResult> result_;
  int row_ = -1;
  int params_ = 0;
};

class PgEngine final : public Engine {
 public:
  PgEngine(std::unique_ptr<PgConnection> conn, bool read_only) : conn_(std::move(conn)), read_only_(read_only) {}

  Status Init() {
    // lock_timeout: wait for another writer as SQLite's busy timeout does;
    // extra_float_digits: doubles read back exactly whatever the server's
    // setting.
    // random_page_cost: a store's tables are a few MB, read from cache, so
    // an index page costs about what a sequential one does. At the default
    // 4 (disk seeks) the task search scanned all of tasks_fts for a phrase
    // in a tenth of the tasks (on every page of it) rather than ask its
    // trigram index, at twice the time. A server set lower keeps its value.
    std::string set =
        "SET lock_timeout = '10s'; SET extra_float_digits = 1; SET client_min_messages = warning; "
        "SELECT set_config('random_page_cost', '1.1', false) WHERE current_setting('random_page_cost')::float8 > 1.1;";
    if (read_only_) set += " SET default_transaction_read_only = on;";
    PLANTRACE_RETURN_IF_ERROR(conn_->ExecScript(set));
    if (read_only_) return Status::Ok();
    // A read-only role (the auditors') would fail at the first CREATE of
    // the migration, with a message that does not say why.
    Result<PgResult> ro = conn_->Exec("SHOW transaction_read_only");
    if (!ro.ok()) return ro.status();
    if (ro->Text(0, 0) == "on") {
      return Status::InvalidInput(
          "postgresql: this role can only read (transaction_read_only is on); loading a store needs the writer role");
    }
    return Status::Ok();
  }

  Backend backend() const override { return Backend::kPostgres; }

  Query Prepare(const std::string& sql) override {
    auto it = cache_.find(sql);
    if (it == cache_.end()) {
      it = cache_.emplace(sql, std::make_unique<PgCursor>(conn_.get(), TranslateSql(sql), &writing_)).first;
    }
    return Query(it->second.get(), Status::Ok());
  }

  Status Exec(const char* sql) override { return conn_->ExecScript(TranslateSql(sql)); }

  Status BeginWrite() override {
    if (read_only_) return Status::Internal("postgresql: the store is open read-only");
    PLANTRACE_RETURN_IF_ERROR(conn_->Begin());
    writing_ = true;
    // One writer per store (schema) at a time, until COMMIT or ROLLBACK.
    return conn_->ExecScript("SELECT pg_advisory_xact_lock(7418, hashtext(current_schema()))");
  }
  // A snapshot for all of a listing's statements: READ COMMITTED would take
  // one per statement and could show half a document.
  Status BeginSnapshot() override {
    writing_ = false;
    return conn_->Begin("ISOLATION LEVEL REPEATABLE READ READ ONLY");
  }
  Status Commit() override {
    if (writing_) {
      writing_ = false;
      // DataVersion() readers see every write; a failed transaction's bump
      // fails and COMMIT reports the rollback.
      Status bump = conn_->ExecScript("UPDATE store_state SET version = version + 1");
      if (!bump.ok()) {
        (void)conn_->Rollback();
        return bump;
      }
    }
    return conn_->Commit();
  }
  Status Rollback() override {
    writing_ = false;
    return conn_->Rollback();
  }
  bool InTransaction() override { return conn_->InTransaction(); }

  Result<int64_t> DataVersion() override {
    Query q = Prepare("SELECT version FROM store_state");
    int64_t version = 0;
    PLANTRACE_RETURN_IF_ERROR(q.ForEach([&] { version = q.ColInt(0); }));
    return version;
  }

 private:
  std::unique_ptr<PgConnection> conn_;
  bool read_only_;
  bool writing_ = false;
  std::unordered_map<std::string, std::unique_ptr<PgCursor>> cache_;
};

}  // namespace

Result<std::unique_ptr<Engine>> OpenPostgres(const std::string& url, bool read_only) {
  Result<std::unique_ptr<PgConnection>> conn = PgConnection::Connect(url);
  if (!conn.ok()) return conn.status();
  const std::string target = (*conn)->target();
  auto engine = std::make_unique<PgEngine>(std::move(*conn), read_only);
  Status st = engine->Init();
  if (!st.ok()) return st.Annotate(target);
  return std::unique_ptr<Engine>(std::move(engine));
}

}  // namespace store_internal
}  // namespace plantrace
