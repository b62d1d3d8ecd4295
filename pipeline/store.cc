// The SQLite store: schema and migrations, one transaction per loaded
// document, and the queries behind `docs` and `tasks`. The only file that
// includes sqlite3.h; its errors become Status here.
#include "pipeline/store.h"

#include <sqlite3.h>

#include <cctype>
#include <iterator>
#include <unordered_map>
#include <utility>

#include "pipeline/json_writer.h"
#include "pipeline/sha256.h"
#include "pipeline/unicode.h"

namespace plantrace {
namespace {

// Numbered schema steps. A step is applied once, in its own transaction,
// and recorded in schema_version; never edit a released step, add one.
struct Migration {
  int version;
  const char* sql;
};

constexpr Migration kMigrations[] = {
    {1, R"sql(
CREATE TABLE documents (
  id INTEGER PRIMARY KEY,
  sha256 TEXT NOT NULL UNIQUE CHECK (length(sha256) = 64),
  source_path TEXT NOT NULL,
  file_name TEXT NOT NULL,
  format TEXT NOT NULL,
  number TEXT,
  number_key TEXT,
  type TEXT,
  issuer TEXT,
  place TEXT,
  date TEXT,
  title TEXT,
  signer TEXT,
  signer_title TEXT,
  attachment_type TEXT,
  attachment_title TEXT,
  declared_task_count INTEGER,
  original BLOB NOT NULL,
  rules_hash TEXT NOT NULL,
  ingested_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))
);
CREATE INDEX documents_number_key ON documents (number_key);

CREATE TABLE doc_references (
  id INTEGER PRIMARY KEY,
  doc_id INTEGER NOT NULL REFERENCES documents (id) ON DELETE CASCADE,
  position INTEGER NOT NULL,
  number TEXT NOT NULL,
  number_key TEXT NOT NULL,
  type TEXT,
  date TEXT,
  relation TEXT NOT NULL
    CHECK (relation IN ('supersedes', 'amends', 'repeals', 'implements', 'based_on', 'cites')),
  part TEXT,
  title TEXT,
  sentence TEXT NOT NULL,
  page INTEGER NOT NULL,
  line INTEGER NOT NULL,
  clause TEXT NOT NULL,
  rule TEXT NOT NULL,
  resolved_doc_id INTEGER REFERENCES documents (id) ON DELETE SET NULL,
  UNIQUE (doc_id, position)
);
CREATE INDEX doc_references_number_key ON doc_references (number_key);

CREATE TABLE tasks (
  id INTEGER PRIMARY KEY,
  doc_id INTEGER NOT NULL REFERENCES documents (id) ON DELETE CASCADE,
  position INTEGER NOT NULL,
  source TEXT NOT NULL,
  grp TEXT,
  group_title TEXT,
  number TEXT,
  code TEXT,
  title TEXT,
  name TEXT NOT NULL,
  lead_raw TEXT,
  coord_raw TEXT,
  output TEXT,
  deadline_raw TEXT,
  deadline_kind TEXT,
  deadline_start TEXT,
  deadline_end TEXT,
  deadline_every TEXT,
  deadline_rule TEXT,
  funding TEXT,
  page INTEGER NOT NULL,
  line INTEGER NOT NULL,
  clause TEXT NOT NULL,
  rules TEXT NOT NULL,
  source_text TEXT NOT NULL,
  status TEXT NOT NULL DEFAULT 'active',
  UNIQUE (doc_id, position)
);

CREATE TABLE agencies (
  id INTEGER PRIMARY KEY,
  scope TEXT NOT NULL DEFAULT '',
  name TEXT NOT NULL CHECK (name <> ''),
  key TEXT NOT NULL,
  search_key TEXT NOT NULL,
  kind TEXT NOT NULL DEFAULT '',
  known INTEGER NOT NULL DEFAULT 0,
  UNIQUE (scope, key)
);

CREATE TABLE agency_aliases (
  agency_id INTEGER NOT NULL REFERENCES agencies (id) ON DELETE CASCADE,
  printed TEXT NOT NULL,
  key TEXT NOT NULL,
  PRIMARY KEY (agency_id, printed)
);
CREATE INDEX agency_aliases_key ON agency_aliases (key);

CREATE TABLE task_agencies (
  task_id INTEGER NOT NULL REFERENCES tasks (id) ON DELETE CASCADE,
  agency_id INTEGER NOT NULL REFERENCES agencies (id),
  role TEXT NOT NULL CHECK (role IN ('lead', 'coord')),
  position INTEGER NOT NULL,
  printed TEXT NOT NULL,
  PRIMARY KEY (task_id, role, position)
);
CREATE INDEX task_agencies_agency ON task_agencies (agency_id);

CREATE TABLE indicators (
  id INTEGER PRIMARY KEY,
  doc_id INTEGER NOT NULL REFERENCES documents (id) ON DELETE CASCADE,
  position INTEGER NOT NULL,
  source TEXT NOT NULL,
  grp TEXT,
  group_title TEXT,
  number TEXT,
  name TEXT NOT NULL,
  unit TEXT,
  targets_json TEXT NOT NULL,
  monitor TEXT NOT NULL,
  page INTEGER NOT NULL,
  line INTEGER NOT NULL,
  clause TEXT NOT NULL,
  UNIQUE (doc_id, position)
);

CREATE TABLE diagnostics (
  id INTEGER PRIMARY KEY,
  doc_id INTEGER NOT NULL REFERENCES documents (id) ON DELETE CASCADE,
  position INTEGER NOT NULL,
  severity TEXT NOT NULL CHECK (severity IN ('info', 'warning', 'error')),
  code TEXT NOT NULL,
  message TEXT NOT NULL,
  page INTEGER NOT NULL,
  line INTEGER NOT NULL,
  clause TEXT NOT NULL,
  rule TEXT NOT NULL,
  UNIQUE (doc_id, position)
);

CREATE TABLE ingest_runs (
  id INTEGER PRIMARY KEY,
  rules_hash TEXT NOT NULL,
  started_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')),
  finished_at TEXT,
  files INTEGER NOT NULL DEFAULT 0,
  ok INTEGER NOT NULL DEFAULT 0,
  skipped INTEGER NOT NULL DEFAULT 0,
  failed INTEGER NOT NULL DEFAULT 0
);

CREATE TABLE run_files (
  run_id INTEGER NOT NULL REFERENCES ingest_runs (id) ON DELETE CASCADE,
  position INTEGER NOT NULL,
  path TEXT NOT NULL,
  sha256 TEXT,
  status TEXT NOT NULL CHECK (status IN ('ok', 'skipped', 'failed')),
  message TEXT NOT NULL DEFAULT '',
  doc_id INTEGER REFERENCES documents (id) ON DELETE SET NULL,
  PRIMARY KEY (run_id, position)
);

-- Diacritic-folded text (SearchKey) of each task; rowid = tasks.id.
CREATE VIRTUAL TABLE tasks_fts USING fts5 (
  name, lead, coord, output,
  tokenize = 'unicode61 remove_diacritics 2'
);
)sql"},
};

constexpr int kLatestVersion = kMigrations[std::size(kMigrations) - 1].version;

// Every table Counts() reports.
constexpr const char* kTables[] = {
    "documents", "doc_references", "tasks",       "agencies",    "agency_aliases", "task_agencies",
    "indicators", "diagnostics",   "ingest_runs", "run_files",   "tasks_fts",
};

Status SqlError(sqlite3* db, const std::string& what) {
  return Status::Internal("sqlite: " + what + ": " + sqlite3_errmsg(db));
}

// A cached prepared statement in use: binds, steps, reads columns, and
// resets itself when it goes out of scope.
class Query {
 public:
  Query(sqlite3* db, sqlite3_stmt* stmt, Status status) : db_(db), stmt_(stmt), status_(std::move(status)) {}
  Query(const Query&) = delete;
  Query& operator=(const Query&) = delete;
  ~Query() {
    if (stmt_) {
      sqlite3_reset(stmt_);
      sqlite3_clear_bindings(stmt_);
    }
  }

  Query& Text(int i, std::string_view v) {
    Check(sqlite3_bind_text64(stmt_, i, v.data(), v.size(), SQLITE_TRANSIENT, SQLITE_UTF8), i);
    return *this;
  }
  Query& OptText(int i, const std::optional<std::string>& v) {
    return v ? Text(i, *v) : Null(i);
  }
  Query& Int(int i, int64_t v) {
    Check(sqlite3_bind_int64(stmt_, i, v), i);
    return *this;
  }
  Query& OptInt(int i, const std::optional<int64_t>& v) { return v ? Int(i, *v) : Null(i); }
  Query& Null(int i) {
    Check(sqlite3_bind_null(stmt_, i), i);
    return *this;
  }
  Query& Blob(int i, std::string_view v) {
    Check(sqlite3_bind_blob64(stmt_, i, v.data(), v.size(), SQLITE_STATIC), i);
    return *this;
  }

  // Next row: true when there is one, false when done.
  Result<bool> Step() {
    if (!status_.ok()) return status_;
    int rc = sqlite3_step(stmt_);
    if (rc == SQLITE_ROW) return true;
    if (rc == SQLITE_DONE) return false;
    status_ = SqlError(db_, Sql());
    return status_;
  }
  // Runs a statement that returns no rows (or ignores them).
  Status Run() {
    for (;;) {
      Result<bool> r = Step();
      if (!r.ok()) return r.status();
      if (!*r) return Status::Ok();
    }
  }

  std::string ColText(int c) const {
    const unsigned char* p = sqlite3_column_text(stmt_, c);
    return p ? std::string(reinterpret_cast<const char*>(p), sqlite3_column_bytes(stmt_, c)) : std::string();
  }
  std::optional<std::string> ColOptText(int c) const {
    if (sqlite3_column_type(stmt_, c) == SQLITE_NULL) return std::nullopt;
    return ColText(c);
  }
  int64_t ColInt(int c) const { return sqlite3_column_int64(stmt_, c); }
  std::optional<int64_t> ColOptInt(int c) const {
    if (sqlite3_column_type(stmt_, c) == SQLITE_NULL) return std::nullopt;
    return ColInt(c);
  }

 private:
  std::string Sql() const {
    std::string s = stmt_ ? sqlite3_sql(stmt_) : "";
    for (char& c : s) {
      if (c == '\n') c = ' ';
    }
    return s.size() > 60 ? s.substr(0, 60) + "..." : s;
  }
  void Check(int rc, int i) {
    if (rc != SQLITE_OK && status_.ok()) status_ = SqlError(db_, "bind " + std::to_string(i) + " of " + Sql());
  }

  sqlite3* db_;
  sqlite3_stmt* stmt_;
  Status status_;
};

std::optional<std::string> NonEmpty(const std::string& s) {
  if (s.empty()) return std::nullopt;
  return s;
}

std::string Join(const std::vector<std::string>& items, const char* sep) {
  std::string out;
  for (size_t i = 0; i < items.size(); ++i) {
    if (i) out += sep;
    out += items[i];
  }
  return out;
}

std::string BaseName(const std::string& path) {
  size_t slash = path.find_last_of('/');
  return slash == std::string::npos ? path : path.substr(slash + 1);
}

bool AllDigits(const std::string& s) {
  if (s.empty()) return false;
  for (char c : s) {
    if (!std::isdigit(static_cast<unsigned char>(c))) return false;
  }
  return true;
}

class SqliteStore final : public Store {
 public:
  explicit SqliteStore(sqlite3* db) : db_(db) {}
  ~SqliteStore() override {
    for (auto& [sql, stmt] : cache_) sqlite3_finalize(stmt);
    sqlite3_close_v2(db_);
  }

  Status Init();
  // Runs SQL text without parameters (schema steps, transaction control).
  Status Exec(const char* sql);

  Result<int> SchemaVersion() override;
  Status LoadDocument(const Record& rec, std::string_view original_bytes, const std::string& source_path,
                      const std::string& rules_hash, LoadOutcome* out) override;
  Result<std::vector<DocRow>> Documents() override;
  Result<std::vector<TaskRow>> Tasks(const TaskQuery& q) override;
  Result<TableCounts> Counts() override;
  Result<int64_t> BeginRun(const std::string& rules_hash) override;
  Status RecordRunFile(int64_t run_id, int position, const RunFile& f) override;
  Status FinishRun(int64_t run_id, const RunCounters& counters) override;

 private:
  // The cached statement for `sql` (prepared on first use).
  Query Prepare(const std::string& sql);
  Status Migrate();
  Status InsertDocument(const Record& rec, std::string_view bytes, const std::string& sha,
                        const std::string& source_path, const std::string& rules_hash, LoadOutcome* out);
  Status InsertTask(int64_t doc_id, int position, const Task& t, const std::string& scope);
  Result<int64_t> UpsertAgency(const Agency& a, const std::string& scope);

  sqlite3* db_;
  std::unordered_map<std::string, sqlite3_stmt*> cache_;
};

// Rolls back unless Commit() succeeded.
class Transaction {
 public:
  explicit Transaction(SqliteStore* s) : s_(s) {}
  Transaction(const Transaction&) = delete;
  Transaction& operator=(const Transaction&) = delete;
  ~Transaction() {
    if (open_) s_->Exec("ROLLBACK");
  }
  Status Begin() {
    Status st = s_->Exec("BEGIN IMMEDIATE");
    open_ = st.ok();
    return st;
  }
  Status Commit() {
    Status st = s_->Exec("COMMIT");
    if (st.ok()) open_ = false;
    return st;
  }

 private:
  SqliteStore* s_;
  bool open_ = false;
};

Query SqliteStore::Prepare(const std::string& sql) {
  auto it = cache_.find(sql);
  if (it != cache_.end()) return Query(db_, it->second, Status::Ok());
  sqlite3_stmt* stmt = nullptr;
  int rc = sqlite3_prepare_v3(db_, sql.c_str(), static_cast<int>(sql.size() + 1), SQLITE_PREPARE_PERSISTENT,
                              &stmt, nullptr);
  if (rc != SQLITE_OK) {
    Status st = SqlError(db_, "prepare " + sql.substr(0, 60));
    sqlite3_finalize(stmt);
    return Query(db_, nullptr, st);
  }
  cache_.emplace(sql, stmt);
  return Query(db_, stmt, Status::Ok());
}

Status SqliteStore::Exec(const char* sql) {
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

Status SqliteStore::Init() {
  sqlite3_extended_result_codes(db_, 1);
  if (sqlite3_busy_timeout(db_, 10000) != SQLITE_OK) return SqlError(db_, "busy_timeout");
  PLANTRACE_RETURN_IF_ERROR(Exec("PRAGMA foreign_keys = ON"));
  // In-memory stores answer "memory"; that is fine.
  PLANTRACE_RETURN_IF_ERROR(Exec("PRAGMA journal_mode = WAL"));
  PLANTRACE_RETURN_IF_ERROR(Exec("PRAGMA synchronous = NORMAL"));
  return Migrate();
}

Result<int> SqliteStore::SchemaVersion() {
  Query q = Prepare("SELECT coalesce(max(version), 0) FROM schema_version");
  Result<bool> row = q.Step();
  if (!row.ok()) return row.status();
  return static_cast<int>(q.ColInt(0));
}

Status SqliteStore::Migrate() {
  PLANTRACE_RETURN_IF_ERROR(Exec("CREATE TABLE IF NOT EXISTS schema_version (version INTEGER PRIMARY KEY)"));
  for (const Migration& m : kMigrations) {
    // Re-read inside the write transaction: another process may have migrated.
    Transaction tx(this);
    PLANTRACE_RETURN_IF_ERROR(tx.Begin());
    Result<int> current = SchemaVersion();
    if (!current.ok()) return current.status();
    if (*current > kLatestVersion) {
      return Status::Unsupported("store schema version " + std::to_string(*current) +
                                 " is newer than this program's (" + std::to_string(kLatestVersion) + ")");
    }
    if (*current >= m.version) continue;
    Status st = Exec(m.sql);
    if (!st.ok()) return st.Annotate("schema migration " + std::to_string(m.version));
    PLANTRACE_RETURN_IF_ERROR(Prepare("INSERT INTO schema_version (version) VALUES (?1)").Int(1, m.version).Run());
    PLANTRACE_RETURN_IF_ERROR(tx.Commit());
  }
  return Status::Ok();
}

Status SqliteStore::LoadDocument(const Record& rec, std::string_view original_bytes,
                                 const std::string& source_path, const std::string& rules_hash,
                                 LoadOutcome* out) {
  LoadOutcome outcome;
  outcome.sha256 = Sha256Hex(original_bytes);
  Transaction tx(this);
  PLANTRACE_RETURN_IF_ERROR(tx.Begin());
  {
    Query q = Prepare("SELECT id FROM documents WHERE sha256 = ?1");
    q.Text(1, outcome.sha256);
    Result<bool> row = q.Step();
    if (!row.ok()) return row.status();
    if (*row) {
      outcome.doc_id = q.ColInt(0);
      outcome.unchanged = true;
    }
  }
  if (!outcome.unchanged) {
    Status st = InsertDocument(rec, original_bytes, outcome.sha256, source_path, rules_hash, &outcome);
    if (!st.ok()) return st.Annotate(source_path);
  }
  PLANTRACE_RETURN_IF_ERROR(tx.Commit());
  if (out) *out = std::move(outcome);
  return Status::Ok();
}

Status SqliteStore::InsertDocument(const Record& rec, std::string_view bytes, const std::string& sha,
                                   const std::string& source_path, const std::string& rules_hash,
                                   LoadOutcome* out) {
  const Meta& m = rec.meta;
  {
    Query q = Prepare(
        "INSERT INTO documents (sha256, source_path, file_name, format, number, number_key, type, issuer, "
        "place, date, title, signer, signer_title, attachment_type, attachment_title, declared_task_count, "
        "original, rules_hash) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, "
        "?16, ?17, ?18)");
    q.Text(1, sha)
        .Text(2, source_path)
        .Text(3, rec.doc.empty() ? BaseName(source_path) : rec.doc)
        .Text(4, FormatName(rec.format))
        .OptText(5, m.number)
        .OptText(6, m.number ? std::optional<std::string>(NumberKey(*m.number)) : std::nullopt)
        .OptText(7, m.type)
        .OptText(8, m.issuer)
        .OptText(9, m.place)
        .OptText(10, m.date)
        .OptText(11, m.title)
        .OptText(12, m.signer)
        .OptText(13, m.signer_title)
        .OptText(14, m.attachment_type)
        .OptText(15, m.attachment_title)
        .OptInt(16, m.declared_task_count ? std::optional<int64_t>(*m.declared_task_count) : std::nullopt)
        .Blob(17, bytes)
        .Text(18, rules_hash.empty() ? rec.rules_hash : rules_hash);
    PLANTRACE_RETURN_IF_ERROR(q.Run());
  }
  const int64_t doc_id = sqlite3_last_insert_rowid(db_);
  out->doc_id = doc_id;

  // Agencies are scoped by the place of issue: "Sở Y tế" of one province is
  // not that of another.
  const std::string scope = m.place ? MatchKey(*m.place) : std::string();
  for (size_t i = 0; i < rec.tasks.size(); ++i) {
    Status st = InsertTask(doc_id, static_cast<int>(i), rec.tasks[i], scope);
    if (!st.ok()) return st.Annotate("task " + std::to_string(i + 1));
  }
  out->tasks = static_cast<int>(rec.tasks.size());

  for (size_t i = 0; i < rec.indicators.size(); ++i) {
    const Indicator& ind = rec.indicators[i];
    JsonWriter targets(0);
    targets.BeginObject();
    for (const auto& [year, value] : ind.targets) targets.Field(year, value);
    targets.EndObject();
    JsonWriter monitor(0);
    monitor.Strings(ind.monitor);
    Query q = Prepare(
        "INSERT INTO indicators (doc_id, position, source, grp, group_title, number, name, unit, targets_json, "
        "monitor, page, line, clause) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)");
    q.Int(1, doc_id)
        .Int(2, static_cast<int64_t>(i))
        .Text(3, ind.source)
        .OptText(4, ind.group)
        .OptText(5, ind.group_title)
        .OptText(6, ind.number)
        .Text(7, ind.name)
        .OptText(8, ind.unit)
        .Text(9, targets.str())
        .Text(10, monitor.str())
        .Int(11, ind.provenance.page)
        .Int(12, ind.provenance.line)
        .Text(13, ind.provenance.clause);
    Status st = q.Run();
    if (!st.ok()) return st.Annotate("indicator " + std::to_string(i + 1));
  }
  out->indicators = static_cast<int>(rec.indicators.size());

  for (size_t i = 0; i < rec.references.size(); ++i) {
    const Reference& r = rec.references[i];
    Query q = Prepare(
        "INSERT INTO doc_references (doc_id, position, number, number_key, type, date, relation, part, title, "
        "sentence, page, line, clause, rule) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, "
        "?14)");
    q.Int(1, doc_id)
        .Int(2, static_cast<int64_t>(i))
        .Text(3, r.number)
        .Text(4, NumberKey(r.number))
        .OptText(5, r.type)
        .OptText(6, r.date)
        .Text(7, r.relation)
        .OptText(8, r.part)
        .OptText(9, r.title)
        .Text(10, r.sentence)
        .Int(11, r.provenance.page)
        .Int(12, r.provenance.line)
        .Text(13, r.provenance.clause)
        .Text(14, Join(r.provenance.rules, " "));
    Status st = q.Run();
    if (!st.ok()) return st.Annotate("reference " + std::to_string(i + 1) + " (" + r.number + ")");
  }
  out->references = static_cast<int>(rec.references.size());

  for (size_t i = 0; i < rec.warnings.size(); ++i) {
    const Diagnostic& d = rec.warnings[i];
    Query q = Prepare(
        "INSERT INTO diagnostics (doc_id, position, severity, code, message, page, line, clause, rule) "
        "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)");
    q.Int(1, doc_id)
        .Int(2, static_cast<int64_t>(i))
        .Text(3, SeverityName(d.severity))
        .Text(4, d.code)
        .Text(5, d.message)
        .Int(6, d.page)
        .Int(7, d.line)
        .Text(8, d.clause)
        .Text(9, d.rule);
    Status st = q.Run();
    if (!st.ok()) return st.Annotate("diagnostic " + std::to_string(i + 1));
  }
  out->warnings = static_cast<int>(rec.warnings.size());
  return Status::Ok();
}

Result<int64_t> SqliteStore::UpsertAgency(const Agency& a, const std::string& scope) {
  const std::string& name = a.known && !a.canonical.empty() ? a.canonical : a.printed;
  Query q = Prepare(
      "INSERT INTO agencies (scope, name, key, search_key, kind, known) VALUES (?1, ?2, ?3, ?4, ?5, ?6) "
      "ON CONFLICT (scope, key) DO UPDATE SET known = max(known, excluded.known), "
      "kind = CASE WHEN kind = '' THEN excluded.kind ELSE kind END, "
      "name = CASE WHEN excluded.known > known THEN excluded.name ELSE name END "
      "RETURNING id");
  q.Text(1, scope).Text(2, name).Text(3, MatchKey(name)).Text(4, SearchKey(name)).Text(5, a.kind).Int(6, a.known);
  Result<bool> row = q.Step();
  if (!row.ok()) return row.status();
  if (!*row) return Status::Internal("agency upsert returned no row");
  int64_t id = q.ColInt(0);
  // RETURNING rows must be stepped to completion before the change is final.
  PLANTRACE_RETURN_IF_ERROR(q.Run());
  if (!a.printed.empty()) {
    Query alias = Prepare("INSERT OR IGNORE INTO agency_aliases (agency_id, printed, key) VALUES (?1, ?2, ?3)");
    alias.Int(1, id).Text(2, a.printed).Text(3, SearchKey(a.printed));
    PLANTRACE_RETURN_IF_ERROR(alias.Run());
  }
  return id;
}

Status SqliteStore::InsertTask(int64_t doc_id, int position, const Task& t, const std::string& scope) {
  const Deadline* dl = t.deadline ? &*t.deadline : nullptr;
  {
    Query q = Prepare(
        "INSERT INTO tasks (doc_id, position, source, grp, group_title, number, code, title, name, lead_raw, "
        "coord_raw, output, deadline_raw, deadline_kind, deadline_start, deadline_end, deadline_every, "
        "deadline_rule, funding, page, line, clause, rules, source_text) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, "
        "?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19, ?20, ?21, ?22, ?23, ?24)");
    q.Int(1, doc_id)
        .Int(2, position)
        .Text(3, t.source)
        .OptText(4, t.group)
        .OptText(5, t.group_title)
        .OptText(6, t.number)
        .OptText(7, t.code)
        .OptText(8, t.title)
        .Text(9, t.name)
        .OptText(10, t.lead_raw)
        .OptText(11, t.coord_raw)
        .OptText(12, t.output)
        .OptText(13, t.deadline_raw)
        .OptText(14, dl ? NonEmpty(dl->kind) : std::nullopt)
        .OptText(15, dl ? dl->start : std::nullopt)
        .OptText(16, dl ? dl->end : std::nullopt)
        .OptText(17, dl ? dl->every : std::nullopt)
        .OptText(18, dl ? NonEmpty(dl->rule) : std::nullopt)
        .OptText(19, t.funding)
        .Int(20, t.provenance.page)
        .Int(21, t.provenance.line)
        .Text(22, t.provenance.clause)
        .Text(23, Join(t.provenance.rules, " "))
        .Text(24, t.source_text);
    PLANTRACE_RETURN_IF_ERROR(q.Run());
  }
  const int64_t task_id = sqlite3_last_insert_rowid(db_);

  std::string fts_lead, fts_coord;
  auto link = [&](const std::vector<Agency>& agencies, const char* role, std::string* fts) -> Status {
    for (size_t i = 0; i < agencies.size(); ++i) {
      const Agency& a = agencies[i];
      if (a.printed.empty() && a.canonical.empty()) continue;
      Result<int64_t> agency_id = UpsertAgency(a, scope);
      if (!agency_id.ok()) return agency_id.status();
      Query q = Prepare(
          "INSERT INTO task_agencies (task_id, agency_id, role, position, printed) VALUES (?1, ?2, ?3, ?4, ?5)");
      q.Int(1, task_id).Int(2, *agency_id).Text(3, role).Int(4, static_cast<int64_t>(i)).Text(5, a.printed);
      PLANTRACE_RETURN_IF_ERROR(q.Run());
      *fts += ' ';
      *fts += SearchKey(a.printed);
      if (!a.canonical.empty() && a.canonical != a.printed) {
        *fts += ' ';
        *fts += SearchKey(a.canonical);
      }
    }
    return Status::Ok();
  };
  PLANTRACE_RETURN_IF_ERROR(link(t.lead, "lead", &fts_lead));
  PLANTRACE_RETURN_IF_ERROR(link(t.coord, "coord", &fts_coord));
  // Raw cells cover agencies the splitter may have missed.
  if (t.lead_raw) fts_lead += " " + SearchKey(*t.lead_raw);
  if (t.coord_raw) fts_coord += " " + SearchKey(*t.coord_raw);

  Query q = Prepare("INSERT INTO tasks_fts (rowid, name, lead, coord, output) VALUES (?1, ?2, ?3, ?4, ?5)");
  q.Int(1, task_id)
      .Text(2, SearchKey(t.name))
      .Text(3, fts_lead)
      .Text(4, fts_coord)
      .Text(5, t.output ? SearchKey(*t.output) : std::string());
  return q.Run();
}

Result<std::vector<DocRow>> SqliteStore::Documents() {
  Query q = Prepare(
      "SELECT d.id, d.sha256, d.source_path, d.file_name, d.format, d.number, d.type, d.issuer, d.place, "
      "d.date, d.title, d.signer, d.declared_task_count, d.rules_hash, "
      "(SELECT count(*) FROM tasks t WHERE t.doc_id = d.id), "
      "(SELECT count(*) FROM diagnostics g WHERE g.doc_id = d.id) "
      "FROM documents d ORDER BY d.id");
  std::vector<DocRow> rows;
  for (;;) {
    Result<bool> row = q.Step();
    if (!row.ok()) return row.status();
    if (!*row) break;
    DocRow d;
    d.id = q.ColInt(0);
    d.sha256 = q.ColText(1);
    d.source_path = q.ColText(2);
    d.file_name = q.ColText(3);
    d.format = q.ColText(4);
    d.number = q.ColOptText(5);
    d.type = q.ColOptText(6);
    d.issuer = q.ColOptText(7);
    d.place = q.ColOptText(8);
    d.date = q.ColOptText(9);
    d.title = q.ColOptText(10);
    d.signer = q.ColOptText(11);
    d.declared_task_count = q.ColOptInt(12);
    d.rules_hash = q.ColText(13);
    d.task_count = q.ColInt(14);
    d.warning_count = q.ColInt(15);
    rows.push_back(std::move(d));
  }
  return rows;
}

Result<std::vector<TaskRow>> SqliteStore::Tasks(const TaskQuery& tq) {
  std::optional<int64_t> doc_id;
  std::optional<std::string> number_key, agency_key, fts_query;
  if (tq.doc) {
    if (AllDigits(*tq.doc)) {
      doc_id = std::stoll(*tq.doc);
    } else {
      number_key = NumberKey(*tq.doc);
    }
  }
  if (tq.agency) {
    std::string key = SearchKey(*tq.agency);
    if (key.empty() || key == " ") return Status::InvalidInput("agency query has no letters or digits");
    agency_key = " " + key + " ";
  }
  if (tq.search) {
    std::string key = SearchKey(*tq.search);
    if (key.empty() || key == " ") return Status::InvalidInput("search query has no letters or digits");
    // SearchKey leaves only letters, digits and spaces: safe inside a phrase.
    fts_query = "\"" + key + "\"";
  }

  Query q = Prepare(
      "SELECT t.id, t.doc_id, t.position, d.number, d.file_name, t.source, t.grp, t.group_title, t.number, "
      "t.code, t.title, t.name, t.lead_raw, t.coord_raw, t.output, t.deadline_raw, t.deadline_kind, "
      "t.deadline_start, t.deadline_end, t.deadline_every, t.funding, t.page, t.line, t.clause, t.status "
      "FROM tasks t JOIN documents d ON d.id = t.doc_id "
      "WHERE (?1 IS NULL OR t.doc_id = ?1) "
      "AND (?2 IS NULL OR d.number_key = ?2) "
      "AND (?3 IS NULL OR t.id IN (SELECT ta.task_id FROM task_agencies ta WHERE ta.agency_id IN ("
      "  SELECT a.id FROM agencies a WHERE instr(' ' || a.search_key || ' ', ?3) > 0 "
      "  UNION SELECT al.agency_id FROM agency_aliases al WHERE instr(' ' || al.key || ' ', ?3) > 0))) "
      "AND (?4 IS NULL OR t.id IN (SELECT rowid FROM tasks_fts WHERE tasks_fts MATCH ?4)) "
      "ORDER BY t.doc_id, t.position");
  q.OptInt(1, doc_id).OptText(2, number_key).OptText(3, agency_key).OptText(4, fts_query);
  std::vector<TaskRow> rows;
  for (;;) {
    Result<bool> row = q.Step();
    if (!row.ok()) return row.status();
    if (!*row) break;
    TaskRow t;
    t.id = q.ColInt(0);
    t.doc_id = q.ColInt(1);
    t.position = static_cast<int>(q.ColInt(2));
    t.doc_number = q.ColOptText(3);
    t.doc_file = q.ColText(4);
    t.source = q.ColText(5);
    t.group = q.ColOptText(6);
    t.group_title = q.ColOptText(7);
    t.number = q.ColOptText(8);
    t.code = q.ColOptText(9);
    t.title = q.ColOptText(10);
    t.name = q.ColText(11);
    t.lead_raw = q.ColOptText(12);
    t.coord_raw = q.ColOptText(13);
    t.output = q.ColOptText(14);
    t.deadline_raw = q.ColOptText(15);
    t.deadline_kind = q.ColOptText(16);
    t.deadline_start = q.ColOptText(17);
    t.deadline_end = q.ColOptText(18);
    t.deadline_every = q.ColOptText(19);
    t.funding = q.ColOptText(20);
    t.page = static_cast<int>(q.ColInt(21));
    t.line = static_cast<int>(q.ColInt(22));
    t.clause = q.ColText(23);
    t.status = q.ColText(24);
    rows.push_back(std::move(t));
  }
  for (TaskRow& t : rows) {
    Query a = Prepare("SELECT role, printed FROM task_agencies WHERE task_id = ?1 ORDER BY role DESC, position");
    a.Int(1, t.id);
    for (;;) {
      Result<bool> row = a.Step();
      if (!row.ok()) return row.status();
      if (!*row) break;
      (a.ColText(0) == "lead" ? t.lead : t.coord).push_back(a.ColText(1));
    }
  }
  return rows;
}

Result<TableCounts> SqliteStore::Counts() {
  TableCounts counts;
  for (const char* table : kTables) {
    Query q = Prepare(std::string("SELECT count(*) FROM ") + table);
    Result<bool> row = q.Step();
    if (!row.ok()) return row.status();
    counts.rows[table] = q.ColInt(0);
  }
  return counts;
}

Result<int64_t> SqliteStore::BeginRun(const std::string& rules_hash) {
  PLANTRACE_RETURN_IF_ERROR(Prepare("INSERT INTO ingest_runs (rules_hash) VALUES (?1)").Text(1, rules_hash).Run());
  return static_cast<int64_t>(sqlite3_last_insert_rowid(db_));
}

Status SqliteStore::RecordRunFile(int64_t run_id, int position, const RunFile& f) {
  Query q = Prepare(
      "INSERT INTO run_files (run_id, position, path, sha256, status, message, doc_id) "
      "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)");
  q.Int(1, run_id)
      .Int(2, position)
      .Text(3, f.path)
      .OptText(4, NonEmpty(f.sha256))
      .Text(5, f.status)
      .Text(6, f.message)
      .OptInt(7, f.doc_id);
  return q.Run();
}

Status SqliteStore::FinishRun(int64_t run_id, const RunCounters& c) {
  Query q = Prepare(
      "UPDATE ingest_runs SET finished_at = strftime('%Y-%m-%dT%H:%M:%SZ', 'now'), files = ?2, ok = ?3, "
      "skipped = ?4, failed = ?5 WHERE id = ?1");
  q.Int(1, run_id).Int(2, c.files).Int(3, c.ok).Int(4, c.skipped).Int(5, c.failed);
  return q.Run();
}

}  // namespace

std::string NumberKey(std::string_view number) {
  std::string up = ToUpper(ToNfc(number));
  std::string out;
  out.reserve(up.size());
  for (char c : up) {
    if (!std::isspace(static_cast<unsigned char>(c))) out += c;
  }
  return out;
}

Result<std::unique_ptr<Store>> Store::Open(const std::string& path) {
  sqlite3* db = nullptr;
  int rc = sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, nullptr);
  if (rc != SQLITE_OK) {
    std::string msg = db ? sqlite3_errmsg(db) : sqlite3_errstr(rc);
    sqlite3_close_v2(db);
    return Status::Io(path + ": cannot open store: " + msg);
  }
  auto store = std::make_unique<SqliteStore>(db);
  Status st = store->Init();
  if (!st.ok()) return st.Annotate(path);
  return std::unique_ptr<Store>(std::move(store));
}

}  // namespace plantrace
