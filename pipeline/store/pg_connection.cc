// The PostgreSQL store's connection over libpq (pg_connection.h): the only
// file that includes libpq-fe.h. Every message it returns has the
// connection's passwords replaced and never quotes the connection URL.
#include "pipeline/store/pg_connection.h"

#include <libpq-fe.h>

#include <charconv>
#include <cstdlib>
#include <cstring>
#include <utility>

namespace plantrace {
namespace {

// libpq's messages end in a newline and may span lines (one per host tried).
std::string OneLine(std::string_view msg) {
  std::string out;
  bool line_start = false;
  for (char c : msg) {
    if (c == '\n') {
      if (!out.empty()) out += "; ";
      line_start = true;
    } else if (!(line_start && (c == ' ' || c == '\t'))) {
      out += c;
      line_start = false;
    }
  }
  while (!out.empty() && (out.back() == ' ' || out.back() == ';')) out.pop_back();
  return out;
}

// A parse error of a connection string quotes the piece it stopped at,
// which may be the password: every quoted piece becomes "...".
std::string WithoutQuotedPieces(std::string_view msg) {
  std::string out;
  bool quoted = false;
  for (char c : msg) {
    if (c == '"') {
      out += quoted ? "...\"" : "\"";
      quoted = !quoted;
    } else if (!quoted) {
      out += c;
    }
  }
  return out;
}

// The start of a statement, on one line, for messages.
std::string Abbrev(std::string_view sql) {
  std::string s(sql.substr(0, 60));
  for (char& c : s) {
    if (c == '\n' || c == '\t') c = ' ';
  }
  return sql.size() > 60 ? s + "..." : s;
}

int HexDigit(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

void IgnoreNotice(void*, const char*) {}

// PgParams as libpq takes them.
struct Args {
  explicit Args(const PgParams& p) : values(p.size()), lengths(p.size()), formats(p.size()) {
    for (int i = 0; i < p.size(); ++i) {
      values[i] = p.value(i);
      lengths[i] = p.length(i);
      formats[i] = p.format(i);
    }
  }
  std::vector<const char*> values;
  std::vector<int> lengths, formats;
};

// Statements Send() queues before it waits for them: their results (a few
// dozen bytes each) must fit the socket's buffer while the client is still
// writing, or client and server would both block on a full buffer.
constexpr size_t kMaxPending = 500;

}  // namespace

// ---- PgParams

PgParams& PgParams::Text(std::string_view v) {
  values_.emplace_back(v);
  null_.push_back(false);
  binary_.push_back(false);
  return *this;
}

PgParams& PgParams::Int(int64_t v) { return Text(std::to_string(v)); }

PgParams& PgParams::Double(double v) {
  char buf[32];
  auto [end, ec] = std::to_chars(buf, buf + sizeof buf, v);
  return Text(std::string_view(buf, end - buf));
}

PgParams& PgParams::Bytes(std::string_view v) {
  values_.emplace_back(v);
  null_.push_back(false);
  binary_.push_back(true);
  return *this;
}

PgParams& PgParams::Null() {
  values_.emplace_back();
  null_.push_back(true);
  binary_.push_back(false);
  return *this;
}

// ---- PgResult

PgResult::PgResult(PgResult&& o) noexcept : res_(std::exchange(o.res_, nullptr)) {}

PgResult& PgResult::operator=(PgResult&& o) noexcept {
  if (this != &o) {
    PQclear(res_);
    res_ = std::exchange(o.res_, nullptr);
  }
  return *this;
}

PgResult::~PgResult() { PQclear(res_); }

int PgResult::rows() const { return res_ ? PQntuples(res_) : 0; }
int PgResult::columns() const { return res_ ? PQnfields(res_) : 0; }

int64_t PgResult::affected() const {
  const char* n = res_ ? PQcmdTuples(res_) : "";
  int64_t v = 0;
  std::from_chars(n, n + std::strlen(n), v);
  return v;
}

bool PgResult::IsNull(int row, int col) const { return PQgetisnull(res_, row, col) != 0; }

std::string_view PgResult::View(int row, int col) const {
  return std::string_view(PQgetvalue(res_, row, col), PQgetlength(res_, row, col));
}

std::optional<std::string> PgResult::OptText(int row, int col) const {
  if (IsNull(row, col)) return std::nullopt;
  return Text(row, col);
}

int64_t PgResult::Int(int row, int col) const {
  std::string_view s = View(row, col);
  int64_t v = 0;
  auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  return ec == std::errc() ? v : 0;
}

std::optional<int64_t> PgResult::OptInt(int row, int col) const {
  if (IsNull(row, col)) return std::nullopt;
  return Int(row, col);
}

double PgResult::Double(int row, int col) const {
  std::string_view s = View(row, col);
  double v = 0;
  auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  return ec == std::errc() ? v : 0;
}

std::string PgResult::Bytes(int row, int col) const {
  std::string_view s = View(row, col);
  std::string out;
  if (s.size() < 2 || s[0] != '\\' || s[1] != 'x') return out;
  out.reserve((s.size() - 2) / 2);
  for (size_t i = 2; i + 1 < s.size(); i += 2) {
    int hi = HexDigit(s[i]), lo = HexDigit(s[i + 1]);
    if (hi < 0 || lo < 0) break;
    out += static_cast<char>(hi << 4 | lo);
  }
  return out;
}

// ---- PgConnection

PgConnection::PgConnection(pg_conn* conn, std::string target, std::vector<std::string> secrets)
    : conn_(conn), target_(std::move(target)), secrets_(std::move(secrets)) {}

PgConnection::~PgConnection() { PQfinish(conn_); }

Result<std::unique_ptr<PgConnection>> PgConnection::Connect(const std::string& url) {
  // Parsed first, for the password to keep out of messages and for a parse
  // error that says nothing of the URL's pieces.
  char* parse_error = nullptr;
  PQconninfoOption* options = PQconninfoParse(url.c_str(), &parse_error);
  if (options == nullptr) {
    std::string msg = parse_error ? OneLine(parse_error) : "out of memory";
    PQfreemem(parse_error);
    return Status::Usage("postgresql: not a valid connection URL: " + WithoutQuotedPieces(msg));
  }
  std::vector<std::string> secrets;
  for (PQconninfoOption* o = options; o->keyword != nullptr; ++o) {
    if (std::strcmp(o->keyword, "password") == 0 && o->val != nullptr && *o->val != '\0') secrets.push_back(o->val);
  }
  PQconninfoFree(options);
  if (const char* env = std::getenv("PGPASSWORD"); env != nullptr && *env != '\0') secrets.push_back(env);

  // Defaults before the URL (which may set them), the encoding after it
  // (the store reads and writes UTF-8 only).
  const char* const keys[] = {"connect_timeout", "fallback_application_name", "dbname", "client_encoding", nullptr};
  const char* const values[] = {"10", "plantrace", url.c_str(), "UTF8", nullptr};
  PGconn* conn = PQconnectdbParams(keys, values, /*expand_dbname=*/1);
  if (conn == nullptr) return Status::Internal("postgresql: out of memory");
  auto str = [](const char* s) { return std::string(s ? s : ""); };
  std::string target = str(PQuser(conn)) + "@" + str(PQhost(conn)) + ":" + str(PQport(conn)) + "/" + str(PQdb(conn));
  // The password libpq used, wherever it found it (a pgpass file too).
  if (const char* pass = PQpass(conn); pass != nullptr && *pass != '\0') secrets.push_back(pass);
  std::unique_ptr<PgConnection> c(new PgConnection(conn, std::move(target), std::move(secrets)));
  if (PQstatus(conn) != CONNECTION_OK) {
    return Status::Io(c->Redact("postgresql: cannot connect to " + c->target_ + ": " + OneLine(PQerrorMessage(conn))));
  }
  // Notices ("table ... does not exist, skipping") would go to stderr.
  PQsetNoticeProcessor(conn, IgnoreNotice, nullptr);
  return c;
}

std::string PgConnection::Redact(std::string msg) const {
  for (const std::string& s : secrets_) {
    for (size_t at = msg.find(s); at != std::string::npos; at = msg.find(s, at + 3)) msg.replace(at, s.size(), "***");
  }
  return msg;
}

Status PgConnection::Check(pg_result* res, std::string_view sql) {
  last_sqlstate_.clear();
  if (res == nullptr) {
    return Status::Internal(Redact("postgresql: " + Abbrev(sql) + ": " + OneLine(PQerrorMessage(conn_))));
  }
  ExecStatusType st = PQresultStatus(res);
  if (st == PGRES_COMMAND_OK || st == PGRES_TUPLES_OK || st == PGRES_EMPTY_QUERY) return Status::Ok();
  const char* primary = PQresultErrorField(res, PG_DIAG_MESSAGE_PRIMARY);
  const char* sqlstate = PQresultErrorField(res, PG_DIAG_SQLSTATE);
  std::string msg = primary ? primary : OneLine(PQresultErrorMessage(res));
  if (msg.empty()) msg = std::string("unexpected result ") + PQresStatus(st);
  if (sqlstate) {
    last_sqlstate_ = sqlstate;
    msg += " [SQLSTATE " + last_sqlstate_ + "]";
  }
  return Status::Internal(Redact("postgresql: " + Abbrev(sql) + ": " + msg));
}

Result<PgResult> PgConnection::Exec(std::string_view sql, const PgParams& params) {
  PLANTRACE_RETURN_IF_ERROR(Sync());
  std::string text(sql);
  Args a(params);
  PgResult res(PQexecParams(conn_, text.c_str(), params.size(), nullptr, a.values.data(), a.lengths.data(),
                            a.formats.data(), 0));
  Status st = Check(res.res_, sql);
  if (!st.ok()) return st;
  return res;
}

Result<const std::string*> PgConnection::Prepared(const std::string& sql) {
  auto it = prepared_.find(sql);
  if (it == prepared_.end()) {
    PLANTRACE_RETURN_IF_ERROR(Sync());
    std::string name = "plantrace_" + std::to_string(prepared_.size() + 1);
    PgResult prep(PQprepare(conn_, name.c_str(), sql.c_str(), 0, nullptr));
    PLANTRACE_RETURN_IF_ERROR(Check(prep.res_, sql));
    it = prepared_.emplace(sql, std::move(name)).first;
  }
  return &it->second;
}

Result<PgResult> PgConnection::ExecPrepared(const std::string& sql, const PgParams& params) {
  PLANTRACE_RETURN_IF_ERROR(Sync());
  Result<const std::string*> name = Prepared(sql);
  if (!name.ok()) return name.status();
  Args a(params);
  PgResult res(PQexecPrepared(conn_, (*name)->c_str(), params.size(), a.values.data(), a.lengths.data(),
                              a.formats.data(), 0));
  Status st = Check(res.res_, sql);
  if (!st.ok()) return st;
  return res;
}

Status PgConnection::Send(const std::string& sql, const PgParams& params) {
  if (pending_.size() >= kMaxPending) PLANTRACE_RETURN_IF_ERROR(Sync());
  Result<const std::string*> name = Prepared(sql);
  if (!name.ok()) return name.status();
  if (PQpipelineStatus(conn_) == PQ_PIPELINE_OFF && PQenterPipelineMode(conn_) != 1) {
    return Status::Internal(Redact("postgresql: pipeline mode: " + OneLine(PQerrorMessage(conn_))));
  }
  Args a(params);
  if (PQsendQueryPrepared(conn_, (*name)->c_str(), params.size(), a.values.data(), a.lengths.data(),
                          a.formats.data(), 0) != 1) {
    Status st = Status::Internal(Redact("postgresql: " + Abbrev(sql) + ": " + OneLine(PQerrorMessage(conn_))));
    (void)Sync();
    return st;
  }
  pending_.push_back(&prepared_.find(sql)->first);
  return Status::Ok();
}

Status PgConnection::Sync() {
  if (PQpipelineStatus(conn_) == PQ_PIPELINE_OFF) return Status::Ok();
  std::vector<const std::string*> pending;
  pending.swap(pending_);
  Status first;
  std::string sqlstate;
  auto keep = [&](Status st) {
    if (st.ok() || !first.ok()) return;
    first = std::move(st);
    sqlstate = last_sqlstate_;
  };
  if (PQpipelineSync(conn_) != 1) {
    keep(Status::Internal(Redact("postgresql: pipeline sync: " + OneLine(PQerrorMessage(conn_)))));
  } else {
    // Each statement's results end with a null one; after a failure the
    // rest of the pipeline reports only that it was aborted.
    for (const std::string* sql : pending) {
      while (pg_result* r = PQgetResult(conn_)) {
        PgResult res(r);
        if (PQresultStatus(r) != PGRES_PIPELINE_ABORTED) keep(Check(r, *sql));
      }
    }
    PgResult sync(PQgetResult(conn_));
    if (PQresultStatus(sync.res_) != PGRES_PIPELINE_SYNC) {
      keep(Status::Internal(Redact("postgresql: pipeline sync: " + OneLine(PQerrorMessage(conn_)))));
    }
  }
  if (PQexitPipelineMode(conn_) != 1) {
    keep(Status::Internal(Redact("postgresql: pipeline mode: " + OneLine(PQerrorMessage(conn_)))));
  }
  last_sqlstate_ = sqlstate;
  return first;
}

Status PgConnection::ExecScript(std::string_view sql) {
  PLANTRACE_RETURN_IF_ERROR(Sync());
  std::string text(sql);
  PgResult res(PQexec(conn_, text.c_str()));
  return Check(res.res_, sql);
}

Status PgConnection::Begin(std::string_view mode) {
  return ExecScript(mode.empty() ? std::string("BEGIN") : "BEGIN " + std::string(mode));
}

Status PgConnection::Commit() {
  PLANTRACE_RETURN_IF_ERROR(Sync());
  PgResult res(PQexec(conn_, "COMMIT"));
  PLANTRACE_RETURN_IF_ERROR(Check(res.res_, "COMMIT"));
  // COMMIT of a transaction a statement failed in rolls it back, and says
  // so only in its command tag.
  if (std::strcmp(PQcmdStatus(res.res_), "COMMIT") != 0) {
    return Status::Internal("postgresql: COMMIT: the transaction had failed and was rolled back");
  }
  return Status::Ok();
}

Status PgConnection::Rollback() {
  (void)Sync();  // the transaction is rolled back whatever failed in it
  return ExecScript("ROLLBACK");
}

bool PgConnection::InTransaction() const {
  PGTransactionStatusType t = PQtransactionStatus(conn_);
  return t == PQTRANS_INTRANS || t == PQTRANS_INERROR || t == PQTRANS_ACTIVE;
}

}  // namespace plantrace
