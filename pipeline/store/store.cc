// The SQLite store: schema and migrations, one transaction per loaded
// document, and the queries behind `docs` and `tasks`. The only file that
// includes sqlite3.h; its errors become Status here.
#include "pipeline/store/store.h"

#include <sqlite3.h>

#include <cctype>
#include <charconv>
#include <functional>
#include <iterator>
#include <tuple>
#include <algorithm>
#include <map>
#include <set>
#include <unordered_map>
#include <unordered_set>
#include <utility>
#include <variant>

#include "pipeline/base/doc_key.h"
#include "pipeline/base/json_writer.h"
#include "pipeline/base/numbers.h"
#include "pipeline/base/sha256.h"
#include "pipeline/base/unicode.h"
#include "pipeline/store/renditions.h"

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
    {2, R"sql(
ALTER TABLE documents ADD COLUMN doc_key TEXT NOT NULL DEFAULT '';
ALTER TABLE documents ADD COLUMN status TEXT NOT NULL DEFAULT 'effective'
  CHECK (status IN ('effective', 'amended', 'partly_superseded', 'superseded', 'repealed'));
ALTER TABLE documents ADD COLUMN status_by INTEGER REFERENCES documents (id) ON DELETE SET NULL;
ALTER TABLE documents ADD COLUMN status_date TEXT;
UPDATE documents SET doc_key = coalesce(number_key, 'unnumbered') || '@' || coalesce(date, '-') || '#' || substr(sha256, 1, 8);
CREATE INDEX documents_doc_key ON documents (doc_key);

ALTER TABLE doc_references ADD COLUMN resolved_how TEXT;
ALTER TABLE doc_references ADD COLUMN resolved_score REAL;

ALTER TABLE tasks ADD COLUMN continues_task_id INTEGER REFERENCES tasks (id) ON DELETE SET NULL;
-- The last day a task is due (due.h DueDate): none for recurring, ongoing,
-- conditional and open deadlines, which are never overdue.
ALTER TABLE tasks ADD COLUMN due TEXT GENERATED ALWAYS AS (
  CASE WHEN deadline_kind IN ('month', 'quarter', 'year', 'range') THEN deadline_end
       WHEN deadline_kind = 'date' THEN coalesce(deadline_end, deadline_start) END) VIRTUAL;
CREATE INDEX tasks_status_due ON tasks (status, due);

-- Normalised lines of each document, for trace.
CREATE TABLE source_lines (
  doc_id INTEGER NOT NULL REFERENCES documents (id) ON DELETE CASCADE,
  seq INTEGER NOT NULL,
  page INTEGER NOT NULL,
  line INTEGER NOT NULL,
  text TEXT NOT NULL,
  PRIMARY KEY (doc_id, seq)
);
CREATE INDEX source_lines_at ON source_lines (doc_id, page, line);

-- Cited numbers with the issuer and title printed after them (link.h).
CREATE TABLE citations (
  doc_id INTEGER NOT NULL REFERENCES documents (id) ON DELETE CASCADE,
  position INTEGER NOT NULL,
  number_key TEXT NOT NULL,
  date TEXT,
  issuer TEXT NOT NULL,
  title TEXT NOT NULL,
  page INTEGER NOT NULL,
  line INTEGER NOT NULL,
  PRIMARY KEY (doc_id, position)
);

CREATE TABLE carryovers (
  doc_id INTEGER NOT NULL REFERENCES documents (id) ON DELETE CASCADE,
  position INTEGER NOT NULL,
  number_key TEXT NOT NULL,
  sentence TEXT NOT NULL,
  page INTEGER NOT NULL,
  line INTEGER NOT NULL,
  rule TEXT NOT NULL,
  PRIMARY KEY (doc_id, position)
);

-- Derived: pairs of documents whose tasks were matched, and the matches.
CREATE TABLE lineage_edges (
  from_doc INTEGER NOT NULL REFERENCES documents (id) ON DELETE CASCADE,
  to_doc INTEGER NOT NULL REFERENCES documents (id) ON DELETE CASCADE,
  relation TEXT NOT NULL,
  PRIMARY KEY (from_doc, to_doc)
);

CREATE TABLE lineage (
  task_id INTEGER NOT NULL REFERENCES tasks (id) ON DELETE CASCADE,
  prev_task_id INTEGER NOT NULL REFERENCES tasks (id) ON DELETE CASCADE,
  from_doc INTEGER NOT NULL,
  to_doc INTEGER NOT NULL,
  score REAL NOT NULL,
  linked INTEGER NOT NULL,
  PRIMARY KEY (task_id, prev_task_id)
);
CREATE INDEX lineage_prev ON lineage (prev_task_id);
CREATE INDEX lineage_docs ON lineage (from_doc, to_doc);

CREATE TABLE lineage_changes (
  task_id INTEGER NOT NULL,
  prev_task_id INTEGER NOT NULL,
  position INTEGER NOT NULL,
  field TEXT NOT NULL,
  old_value TEXT NOT NULL,
  new_value TEXT NOT NULL,
  PRIMARY KEY (task_id, prev_task_id, position),
  FOREIGN KEY (task_id, prev_task_id) REFERENCES lineage (task_id, prev_task_id) ON DELETE CASCADE
);

-- Gazetteer aliases (rules/agencies.list), folded: alias key -> canonical.
CREATE TABLE gazetteer (
  alias_key TEXT NOT NULL,
  canonical TEXT NOT NULL,
  canonical_key TEXT NOT NULL,
  kind TEXT NOT NULL,
  PRIMARY KEY (alias_key, canonical)
);

-- Kinds of agency a collective agency binds ("Các sở, ban, ngành").
CREATE TABLE agency_covers (
  agency_id INTEGER NOT NULL REFERENCES agencies (id) ON DELETE CASCADE,
  kind TEXT NOT NULL,
  PRIMARY KEY (agency_id, kind)
);
CREATE INDEX agencies_kind ON agencies (kind);
CREATE INDEX task_agencies_task ON task_agencies (task_id, role);
)sql"},
    {3, R"sql(
-- Original bytes apart from the document row, so that reading a document's
-- columns never walks the blob's overflow pages.
CREATE TABLE originals (
  doc_id INTEGER PRIMARY KEY REFERENCES documents (id) ON DELETE CASCADE,
  bytes BLOB NOT NULL
);
INSERT INTO originals (doc_id, bytes) SELECT id, original FROM documents;
ALTER TABLE documents DROP COLUMN original;
)sql"},
    {4, R"sql(
-- Listings by deadline find, filter and order tasks from this index alone,
-- without reading the (wide) task rows they then drop.
DROP INDEX tasks_status_due;
CREATE INDEX tasks_status_due ON tasks (status, due, doc_id, position);
ANALYZE;
)sql"},
    {5, R"sql(
-- Runs that re-extracted stored originals (plantrace reprocess) are logged
-- beside ingest runs.
ALTER TABLE ingest_runs ADD COLUMN kind TEXT NOT NULL DEFAULT 'ingest'
  CHECK (kind IN ('ingest', 'reprocess'));
)sql"},
    {6, R"sql(
-- An agency's tasks (and their role) from the index alone.
DROP INDEX task_agencies_agency;
CREATE INDEX task_agencies_agency ON task_agencies (agency_id, task_id, role);
ANALYZE task_agencies;
)sql"},
    {7, R"sql(
-- Deleting a document (plantrace reprocess) sets these references to NULL;
-- without an index each deleted row would scan the whole table.
CREATE INDEX tasks_continues ON tasks (continues_task_id) WHERE continues_task_id IS NOT NULL;
CREATE INDEX doc_references_resolved ON doc_references (resolved_doc_id) WHERE resolved_doc_id IS NOT NULL;
CREATE INDEX documents_status_by ON documents (status_by) WHERE status_by IS NOT NULL;
CREATE INDEX run_files_doc ON run_files (doc_id) WHERE doc_id IS NOT NULL;
)sql"},
    {8, R"sql(
-- Every listing reads its tasks' agencies by task: kept in (task, role,
-- position) order in the table itself, a task's agencies are one range
-- read instead of an index probe plus one row read per agency.
CREATE TABLE task_agencies_by_task (
  task_id INTEGER NOT NULL REFERENCES tasks (id) ON DELETE CASCADE,
  agency_id INTEGER NOT NULL REFERENCES agencies (id),
  role TEXT NOT NULL CHECK (role IN ('lead', 'coord')),
  position INTEGER NOT NULL,
  printed TEXT NOT NULL,
  PRIMARY KEY (task_id, role, position)
) WITHOUT ROWID;
INSERT INTO task_agencies_by_task (task_id, agency_id, role, position, printed)
  SELECT task_id, agency_id, role, position, printed FROM task_agencies;
DROP TABLE task_agencies;
ALTER TABLE task_agencies_by_task RENAME TO task_agencies;
CREATE INDEX task_agencies_agency ON task_agencies (agency_id, task_id, role);
ANALYZE task_agencies;
)sql"},
    {9, R"sql(
-- One document, many files (issue 13). A document is identified by what it
-- says (identity columns, identity.h); each file of it is a rendition with
-- its own bytes, format, hash and ingest run, and a summary of what it said
-- (metadata columns, rendition_tasks) so renditions can be compared with
-- the reading at any time. The document row keeps the reading's hash,
-- format and path; `originals` is now the reading's bytes, read through a
-- view.
CREATE TABLE renditions (
  id INTEGER PRIMARY KEY,
  doc_id INTEGER NOT NULL REFERENCES documents (id) ON DELETE CASCADE,
  sha256 TEXT NOT NULL UNIQUE CHECK (length(sha256) = 64),
  format TEXT NOT NULL,
  source_path TEXT NOT NULL,
  file_name TEXT NOT NULL,
  bytes BLOB NOT NULL,
  run_id INTEGER REFERENCES ingest_runs (id) ON DELETE SET NULL,
  rank INTEGER NOT NULL DEFAULT 0,
  rank_rules TEXT NOT NULL DEFAULT '',
  number TEXT, type TEXT, issuer TEXT, date TEXT, title TEXT, place TEXT, signer TEXT,
  ingested_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))
);
CREATE INDEX renditions_doc ON renditions (doc_id);

CREATE TABLE rendition_tasks (
  rendition_id INTEGER NOT NULL REFERENCES renditions (id) ON DELETE CASCADE,
  position INTEGER NOT NULL,
  number TEXT NOT NULL,
  name TEXT NOT NULL,
  lead TEXT NOT NULL,  -- printed lead agencies, one per line
  deadline TEXT NOT NULL,
  output TEXT NOT NULL,
  page INTEGER NOT NULL,
  line INTEGER NOT NULL,
  clause TEXT NOT NULL,
  PRIMARY KEY (rendition_id, position)
);

-- Derived: how each rendition differs from its document's reading.
CREATE TABLE rendition_warnings (
  doc_id INTEGER NOT NULL REFERENCES documents (id) ON DELETE CASCADE,
  rendition_id INTEGER NOT NULL REFERENCES renditions (id) ON DELETE CASCADE,
  position INTEGER NOT NULL,
  code TEXT NOT NULL,
  message TEXT NOT NULL,
  page INTEGER NOT NULL,
  line INTEGER NOT NULL,
  clause TEXT NOT NULL,
  rule TEXT NOT NULL,
  PRIMARY KEY (rendition_id, position)
);
CREATE INDEX rendition_warnings_doc ON rendition_warnings (doc_id);

-- Derived: links identity implies (an issued plan supersedes its draft, a
-- correction or re-issue links to the document it corrects).
CREATE TABLE identity_links (
  from_doc INTEGER NOT NULL REFERENCES documents (id) ON DELETE CASCADE,
  to_doc INTEGER NOT NULL REFERENCES documents (id) ON DELETE CASCADE,
  relation TEXT NOT NULL,
  reason TEXT NOT NULL,
  evidence TEXT NOT NULL,
  rules TEXT NOT NULL,  -- identity.* rule refs behind the link
  PRIMARY KEY (from_doc, to_doc)
);

ALTER TABLE documents ADD COLUMN identity TEXT NOT NULL DEFAULT '';
ALTER TABLE documents ADD COLUMN id_number TEXT NOT NULL DEFAULT '';
ALTER TABLE documents ADD COLUMN id_date TEXT NOT NULL DEFAULT '';
ALTER TABLE documents ADD COLUMN id_issuer TEXT NOT NULL DEFAULT '';
ALTER TABLE documents ADD COLUMN id_type TEXT NOT NULL DEFAULT '';
ALTER TABLE documents ADD COLUMN id_title TEXT NOT NULL DEFAULT '';
ALTER TABLE documents ADD COLUMN draft INTEGER NOT NULL DEFAULT 0;
ALTER TABLE documents ADD COLUMN correction TEXT NOT NULL DEFAULT '';
ALTER TABLE documents ADD COLUMN id_rules TEXT NOT NULL DEFAULT '';

INSERT INTO renditions (doc_id, sha256, format, source_path, file_name, bytes, run_id, number, type, issuer, date,
                        title, place, signer, ingested_at)
  SELECT d.id, d.sha256, d.format, d.source_path, d.file_name, o.bytes,
         (SELECT min(f.run_id) FROM run_files f WHERE f.sha256 = d.sha256), d.number, d.type, d.issuer, d.date,
         d.title, d.place, d.signer, d.ingested_at
  FROM documents d JOIN originals o ON o.doc_id = d.id;
INSERT INTO rendition_tasks (rendition_id, position, number, name, lead, deadline, output, page, line, clause)
  SELECT r.id, t.position, coalesce(t.number, ''), t.name,
         coalesce((SELECT group_concat(printed, char(10)) FROM
                    (SELECT ta.printed FROM task_agencies ta WHERE ta.task_id = t.id AND ta.role = 'lead'
                     ORDER BY ta.position)), ''),
         coalesce(t.deadline_raw, ''), coalesce(t.output, ''), t.page, t.line, t.clause
  FROM tasks t JOIN renditions r ON r.doc_id = t.doc_id;
DROP TABLE originals;
CREATE VIEW originals (doc_id, bytes) AS
  SELECT r.doc_id, r.bytes FROM renditions r JOIN documents d ON d.id = r.doc_id AND d.sha256 = r.sha256;
)sql"},
};

constexpr int kLatestVersion = kMigrations[std::size(kMigrations) - 1].version;

// Migrate() applies them in array order and skips versions already reached.
constexpr bool MigrationsAscend() {
  for (size_t i = 1; i < std::size(kMigrations); ++i) {
    if (kMigrations[i].version != kMigrations[i - 1].version + 1) return false;
  }
  return true;
}
static_assert(MigrationsAscend(), "kMigrations must be numbered 1, 2, 3... in order");

// Every table Counts() reports.
constexpr const char* kTables[] = {
    "documents", "doc_references", "tasks",       "agencies",    "agency_aliases", "task_agencies",
    "indicators", "diagnostics",   "ingest_runs", "run_files",   "tasks_fts",
    "originals", "source_lines", "citations", "carryovers", "lineage_edges", "lineage", "lineage_changes",
    "gazetteer", "agency_covers", "renditions", "rendition_tasks", "rendition_warnings", "identity_links",
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
  Query& Double(int i, double v) {
    Check(sqlite3_bind_double(stmt_, i, v), i);
    return *this;
  }
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
  std::string_view ColView(int c) const {
    const unsigned char* p = sqlite3_column_text(stmt_, c);
    return p ? std::string_view(reinterpret_cast<const char*>(p), sqlite3_column_bytes(stmt_, c)) : "";
  }
  std::string ColText(int c) const { return std::string(ColView(c)); }
  std::optional<std::string> ColOptText(int c) const {
    if (sqlite3_column_type(stmt_, c) == SQLITE_NULL) return std::nullopt;
    return ColText(c);
  }
  // Into an existing string, reusing its buffer (rows read in a loop).
  void ColTextTo(int c, std::string* out) const { out->assign(ColView(c)); }
  void ColOptTextTo(int c, std::optional<std::string>* out) const {
    if (sqlite3_column_type(stmt_, c) == SQLITE_NULL) {
      out->reset();
    } else {
      if (!*out) out->emplace();  // an engaged one keeps its buffer
      ColTextTo(c, &**out);
    }
  }
  int64_t ColInt(int c) const { return sqlite3_column_int64(stmt_, c); }
  double ColDouble(int c) const { return sqlite3_column_double(stmt_, c); }
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
  using Store::LoadDocument;
  Status LoadDocument(const Record& rec, std::string_view original_bytes, const std::string& source_path,
                      const std::string& rules_hash, const LoadExtras& extras, LoadOutcome* out) override;
  Result<std::string> Original(int64_t doc_id) override;
  Result<std::vector<RenditionRow>> Renditions(int64_t doc_id) override;
  Result<int> MergeDuplicates(const IdentityRules& rules) override;
  Result<std::vector<WarningRow>> Warnings(std::optional<int64_t> doc_id) override;
  Status ReplaceDocument(int64_t doc_id, const Record& rec, const std::string& rules_hash,
                         const LoadExtras& extras, LoadOutcome* out) override;
  Status SetGazetteer(const std::vector<ListEntry>& entries,
                      const std::function<std::vector<std::string>(std::string_view)>& covers) override;
  Result<std::vector<DocRow>> Documents() override;
  Result<std::vector<RelationRow>> Relations() override;
  Result<std::vector<LineageRow>> Lineage(int64_t task_id) override;
  Result<std::vector<IdentityLinkRow>> IdentityLinks() override;
  Result<std::vector<SourceLine>> Lines(int64_t doc_id, int page, int first_line, int last_line) override;
  Result<std::optional<int64_t>> FindTask(const std::string& ref) override;
  Result<std::vector<int64_t>> FindDocuments(const std::string& ref) override;
  Result<std::vector<AgencyRow>> Agencies() override;
  Result<std::string> ExportJson() override;
  Result<std::vector<AgencyCounts>> AgencyReport(const std::string& as_of, const std::optional<std::string>& agency,
                                                 const std::string& window_end, bool lead_only) override;
  Status ForEachTask(const TaskQuery& q, const std::function<void(const TaskRow&)>& fn) override;
  Result<TableCounts> Counts() override;
  Result<int64_t> BeginRun(const std::string& rules_hash, const std::string& kind) override;
  Status RecordRunFile(int64_t run_id, int position, const RunFile& f) override;
  Status FinishRun(int64_t run_id, const RunCounters& counters) override;

 private:
  // The cached statement for `sql` (prepared on first use).
  Query Prepare(const std::string& sql);
  Status Migrate();
  // Writes the document row (a new one when `id` is 0, else updates row
  // `id` in place) and its tasks, indicators, references and diagnostics.
  // `task_ids` gives the id to keep for a task position (a re-read).
  Status InsertDocument(const Record& rec, const std::string& sha, const std::string& source_path,
                        const std::string& rules_hash, const DocIdentity& identity, LoadOutcome* out,
                        int64_t id = 0, const std::map<int, int64_t>& task_ids = {});
  // Deletes what extraction wrote for a document (tasks, indicators,
  // references, diagnostics, lines, link facts, lineage through it), keeping
  // its row, renditions and ingest history.
  Status ClearExtraction(int64_t doc_id);
  // Ids of the stored tasks of `doc_id` that `rec`'s tasks continue, by
  // position in `rec` (the lineage matching).
  Result<std::map<int, int64_t>> KeptTaskIds(int64_t doc_id, const Record& rec);
  // Re-reads document `doc_id` from `rec` (same transaction as the caller).
  Status Reread(int64_t doc_id, const Record& rec, const std::string& sha, const std::string& source_path,
                const std::string& rules_hash, const DocIdentity& identity, const LoadExtras& extras,
                LoadOutcome* out);
  Result<int64_t> InsertRendition(int64_t doc_id, const Record& rec, std::string_view bytes, const std::string& sha,
                                  const std::string& source_path, const LoadExtras& extras);
  Status WriteRenditionSummary(int64_t rendition_id, const Record& rec);
  Result<RenditionSummary> ReadRenditionSummary(int64_t rendition_id);
  // Recomputes the rendition warnings of a document against its reading.
  Status RefreshRenditionWarnings(int64_t doc_id);
  // The stored document that `identity` names, if any.
  Result<std::optional<int64_t>> FindSameDocument(const DocIdentity& identity, int64_t except = 0);
  Status InsertTask(int64_t doc_id, int position, const Task& t, const std::string& scope, int64_t id = 0);
  Result<int64_t> UpsertAgency(const Agency& a, const std::string& scope);
  Status InsertExtras(int64_t doc_id, const LoadExtras& extras);
  // Recomputes every derived link table from stored data (link.h).
  Status Relink();
  // Adds the links identity implies (IdentityRelations) to `res` as edges,
  // with the document status they give, and stores them in identity_links.
  Status AddIdentityLinks(const LinkInput& in, LinkResult* res);
  Result<std::vector<LinkTask>> LinkTasks(int64_t doc_id);
  Result<std::vector<std::string>> BindingCollectives(const TaskQuery& q) override;
  Status AgencySets(const TaskQuery& tq, bool with_collectives, std::unordered_set<int64_t>* named,
                    std::unordered_set<int64_t>* collective);
  Status SelectTasks(const TaskQuery& q, const std::optional<std::string>& search_key,
                     const std::function<void(const TaskRow&)>& fn);
  std::function<std::vector<std::string>(std::string_view)> covers_;

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
    // A failed rollback leaves nothing to do: SQLite rolls back on close.
    if (open_) (void)s_->Exec("ROLLBACK");
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
  // Queries read pages through a memory map instead of a read() call each.
  PLANTRACE_RETURN_IF_ERROR(Exec("PRAGMA mmap_size = 1073741824"));
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
                                 const LoadExtras& extras, LoadOutcome* out) {
  LoadOutcome outcome;
  outcome.sha256 = Sha256Hex(original_bytes);
  Transaction tx(this);
  PLANTRACE_RETURN_IF_ERROR(tx.Begin());
  {
    Query q = Prepare("SELECT doc_id FROM renditions WHERE sha256 = ?1");
    q.Text(1, outcome.sha256);
    Result<bool> row = q.Step();
    if (!row.ok()) return row.status();
    if (*row) {
      outcome.doc_id = q.ColInt(0);
      outcome.unchanged = true;
    }
  }
  if (!outcome.unchanged) {
    const DocIdentity identity = extras.identity ? *extras.identity : IdentityOf(rec.meta, extras.lines, nullptr);
    Status st;
    Result<std::optional<int64_t>> same = FindSameDocument(identity);
    if (!same.ok()) st = same.status();
    if (st.ok() && !*same) {
      st = InsertDocument(rec, outcome.sha256, source_path, rules_hash, identity, &outcome);
      if (st.ok()) st = InsertExtras(outcome.doc_id, extras);
      if (st.ok()) st = InsertRendition(outcome.doc_id, rec, original_bytes, outcome.sha256, source_path, extras).status();
    } else if (st.ok()) {
      const int64_t doc_id = **same;
      outcome.same_document = true;
      outcome.doc_id = doc_id;
      int reading_rank = 0;
      std::string reading_sha;
      {
        Query q = Prepare(
            "SELECT r.rank, r.sha256 FROM renditions r JOIN documents d ON d.id = r.doc_id AND d.sha256 = r.sha256 "
            "WHERE d.id = ?1");
        q.Int(1, doc_id);
        Result<bool> row = q.Step();
        if (!row.ok()) return row.status();
        if (*row) {
          reading_rank = static_cast<int>(q.ColInt(0));
          reading_sha = q.ColText(1);
        }
      }
      const int rank = extras.rank ? extras.rank->score : 0;
      Result<int64_t> rid = InsertRendition(doc_id, rec, original_bytes, outcome.sha256, source_path, extras);
      if (!rid.ok()) st = rid.status();
      if (st.ok() && (reading_sha.empty() || BetterReading(rank, outcome.sha256, reading_rank, reading_sha))) {
        outcome.reread = true;
        st = Reread(doc_id, rec, outcome.sha256, source_path, rules_hash, identity, extras, &outcome);
      }
    }
    if (st.ok()) st = RefreshRenditionWarnings(outcome.doc_id);
    if (st.ok()) st = Relink();
    if (!st.ok()) return st.Annotate(source_path);
    // What the report says about the document's renditions.
    Result<std::vector<RenditionRow>> rends = Renditions(outcome.doc_id);
    if (!rends.ok()) return rends.status();
    for (const RenditionRow& r : *rends) {
      outcome.formats.push_back(r.format);
      if (r.reading) {
        outcome.reading_file = r.file_name;
        outcome.reading_rules = r.rank_rules;
      }
    }
    Query q = Prepare(
        "SELECT count(*) FROM rendition_warnings w JOIN renditions r ON r.id = w.rendition_id WHERE r.sha256 = ?1");
    q.Text(1, outcome.sha256);
    Result<bool> row = q.Step();
    if (!row.ok()) return row.status();
    outcome.differences = static_cast<int>(q.ColInt(0));
  }
  PLANTRACE_RETURN_IF_ERROR(tx.Commit());
  if (out) *out = std::move(outcome);
  return Status::Ok();
}

Result<std::optional<int64_t>> SqliteStore::FindSameDocument(const DocIdentity& identity, int64_t except) {
  // Every document's identity is read: a store holds thousands of documents
  // at most, and SameDocument's issuer test is not an equality SQL can index.
  Query q = Prepare(
      "SELECT id, id_number, id_date, id_issuer, id_type, id_title, draft FROM documents "
      "WHERE id <> ?1 AND (id_number = ?2 OR (id_number = '' AND id_title = ?3)) ORDER BY doc_key, id");
  q.Int(1, except).Text(2, identity.number_key).Text(3, identity.title);
  std::optional<int64_t> found;
  PLANTRACE_RETURN_IF_ERROR(q.ForEach([&] {
    if (found) return;
    DocIdentity d;
    d.number_key = q.ColText(1);
    d.date = q.ColText(2);
    d.issuer = q.ColText(3);
    d.type = q.ColText(4);
    d.title = q.ColText(5);
    d.draft = q.ColInt(6) != 0;
    if (SameDocument(identity, d)) found = q.ColInt(0);
  }));
  return found;
}

Result<int64_t> SqliteStore::InsertRendition(int64_t doc_id, const Record& rec, std::string_view bytes,
                                            const std::string& sha, const std::string& source_path,
                                            const LoadExtras& extras) {
  Query q = Prepare(
      "INSERT INTO renditions (doc_id, sha256, format, source_path, file_name, bytes, run_id, rank, rank_rules) "
      "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)");
  q.Int(1, doc_id)
      .Text(2, sha)
      .Text(3, FormatName(rec.format))
      .Text(4, source_path)
      .Text(5, rec.doc.empty() ? BaseName(source_path) : rec.doc)
      .Blob(6, bytes)
      .OptInt(7, extras.run_id ? std::optional<int64_t>(extras.run_id) : std::nullopt)
      .Int(8, extras.rank ? extras.rank->score : 0)
      .Text(9, extras.rank ? Join(extras.rank->rules, " ") : std::string());
  PLANTRACE_RETURN_IF_ERROR(q.Run());
  const int64_t id = sqlite3_last_insert_rowid(db_);
  PLANTRACE_RETURN_IF_ERROR(WriteRenditionSummary(id, rec));
  return id;
}

Status SqliteStore::WriteRenditionSummary(int64_t rendition_id, const Record& rec) {
  const Meta& m = rec.meta;
  PLANTRACE_RETURN_IF_ERROR(
      Prepare("UPDATE renditions SET number = ?2, type = ?3, issuer = ?4, date = ?5, title = ?6, place = ?7, "
              "signer = ?8 WHERE id = ?1")
          .Int(1, rendition_id)
          .OptText(2, m.number)
          .OptText(3, m.type)
          .OptText(4, m.issuer)
          .OptText(5, m.date)
          .OptText(6, m.title)
          .OptText(7, m.place)
          .OptText(8, m.signer)
          .Run());
  PLANTRACE_RETURN_IF_ERROR(Prepare("DELETE FROM rendition_tasks WHERE rendition_id = ?1").Int(1, rendition_id).Run());
  const RenditionSummary s = SummaryOf(rec, rec.doc);
  for (size_t i = 0; i < s.tasks.size(); ++i) {
    const RenditionTask& t = s.tasks[i];
    Query q = Prepare(
        "INSERT INTO rendition_tasks (rendition_id, position, number, name, lead, deadline, output, page, line, "
        "clause) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)");
    q.Int(1, rendition_id)
        .Int(2, static_cast<int64_t>(i))
        .Text(3, t.number)
        .Text(4, t.name)
        .Text(5, Join(t.lead, "\n"))
        .Text(6, t.deadline)
        .Text(7, t.output)
        .Int(8, t.page)
        .Int(9, t.line)
        .Text(10, t.clause);
    PLANTRACE_RETURN_IF_ERROR(q.Run());
  }
  return Status::Ok();
}

Result<RenditionSummary> SqliteStore::ReadRenditionSummary(int64_t rendition_id) {
  RenditionSummary s;
  {
    Query q = Prepare(
        "SELECT file_name, format, number, type, issuer, date, title, place, signer FROM renditions WHERE id = ?1");
    q.Int(1, rendition_id);
    Result<bool> row = q.Step();
    if (!row.ok()) return row.status();
    if (!*row) return Status::NotFound("no rendition " + std::to_string(rendition_id));
    s.file = q.ColText(0);
    s.format = q.ColText(1);
    for (int i = 0; i < 7; ++i) {
      if (std::optional<std::string> v = q.ColOptText(2 + i)) s.meta.emplace_back(kRenditionMetaFields[i], *v);
    }
  }
  Query q = Prepare(
      "SELECT number, name, lead, deadline, output, page, line, clause FROM rendition_tasks WHERE rendition_id = ?1 "
      "ORDER BY position");
  q.Int(1, rendition_id);
  PLANTRACE_RETURN_IF_ERROR(q.ForEach([&] {
    RenditionTask t;
    t.number = q.ColText(0);
    t.name = q.ColText(1);
    const std::string lead = q.ColText(2);
    for (size_t at = 0; !lead.empty() && at <= lead.size();) {
      size_t end = lead.find('\n', at);
      if (end == std::string::npos) end = lead.size();
      t.lead.push_back(lead.substr(at, end - at));
      at = end + 1;
    }
    t.deadline = q.ColText(3);
    t.output = q.ColText(4);
    t.page = static_cast<int>(q.ColInt(5));
    t.line = static_cast<int>(q.ColInt(6));
    t.clause = q.ColText(7);
    s.tasks.push_back(std::move(t));
  }));
  return s;
}

Status SqliteStore::RefreshRenditionWarnings(int64_t doc_id) {
  PLANTRACE_RETURN_IF_ERROR(Prepare("DELETE FROM rendition_warnings WHERE doc_id = ?1").Int(1, doc_id).Run());
  Result<std::vector<RenditionRow>> rends = Renditions(doc_id);
  if (!rends.ok()) return rends.status();
  if (rends->size() < 2 || !(*rends)[0].reading) return Status::Ok();
  Result<RenditionSummary> reading = ReadRenditionSummary((*rends)[0].id);
  if (!reading.ok()) return reading.status();
  for (size_t i = 1; i < rends->size(); ++i) {
    Result<RenditionSummary> other = ReadRenditionSummary((*rends)[i].id);
    if (!other.ok()) return other.status();
    const std::vector<Diagnostic> found = CompareRenditions(*reading, *other, (*rends)[0].rank_rules);
    for (size_t k = 0; k < found.size(); ++k) {
      const Diagnostic& d = found[k];
      Query q = Prepare(
          "INSERT INTO rendition_warnings (doc_id, rendition_id, position, code, message, page, line, clause, rule) "
          "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)");
      q.Int(1, doc_id)
          .Int(2, (*rends)[i].id)
          .Int(3, static_cast<int64_t>(k))
          .Text(4, d.code)
          .Text(5, d.message)
          .Int(6, d.page)
          .Int(7, d.line)
          .Text(8, d.clause)
          .Text(9, d.rule);
      PLANTRACE_RETURN_IF_ERROR(q.Run());
    }
  }
  return Status::Ok();
}

Result<std::vector<RenditionRow>> SqliteStore::Renditions(int64_t doc_id) {
  Query q = Prepare(
      "SELECT r.id, r.doc_id, r.sha256, r.format, r.file_name, r.source_path, r.run_id, r.rank, r.rank_rules, "
      "r.sha256 = d.sha256, (SELECT count(*) FROM rendition_tasks t WHERE t.rendition_id = r.id) "
      "FROM renditions r JOIN documents d ON d.id = r.doc_id WHERE r.doc_id = ?1 "
      "ORDER BY r.sha256 = d.sha256 DESC, r.sha256");
  q.Int(1, doc_id);
  std::vector<RenditionRow> rows;
  PLANTRACE_RETURN_IF_ERROR(q.ForEach([&] {
    RenditionRow r;
    r.id = q.ColInt(0);
    r.doc_id = q.ColInt(1);
    r.sha256 = q.ColText(2);
    r.format = q.ColText(3);
    r.file_name = q.ColText(4);
    r.source_path = q.ColText(5);
    r.run_id = q.ColOptInt(6);
    r.rank = static_cast<int>(q.ColInt(7));
    r.rank_rules = q.ColText(8);
    r.reading = q.ColInt(9) != 0;
    r.tasks = q.ColInt(10);
    rows.push_back(std::move(r));
  }));
  return rows;
}

Status SqliteStore::ClearExtraction(int64_t doc_id) {
  // The full-text index is not a foreign-key child of tasks.
  PLANTRACE_RETURN_IF_ERROR(
      Prepare("DELETE FROM tasks_fts WHERE rowid IN (SELECT id FROM tasks WHERE doc_id = ?1)").Int(1, doc_id).Run());
  // Lineage through the document goes with its tasks; its edges must go too,
  // so that Relink matches the pair again.
  PLANTRACE_RETURN_IF_ERROR(
      Prepare("DELETE FROM lineage_edges WHERE from_doc = ?1 OR to_doc = ?1").Int(1, doc_id).Run());
  for (const char* table : {"tasks", "indicators", "doc_references", "diagnostics", "source_lines", "citations",
                            "carryovers"}) {
    PLANTRACE_RETURN_IF_ERROR(
        Prepare(std::string("DELETE FROM ") + table + " WHERE doc_id = ?1").Int(1, doc_id).Run());
  }
  return Status::Ok();
}

Result<std::map<int, int64_t>> SqliteStore::KeptTaskIds(int64_t doc_id, const Record& rec) {
  Result<std::vector<LinkTask>> old = LinkTasks(doc_id);
  if (!old.ok()) return old.status();
  std::vector<LinkTask> now;
  for (size_t i = 0; i < rec.tasks.size(); ++i) {
    const Task& t = rec.tasks[i];
    LinkTask l;
    l.id = -static_cast<int64_t>(i) - 1;  // not a row id: the position, kept apart from real ids
    l.position = static_cast<int>(i);
    l.source = t.source;
    l.clause = t.provenance.clause;
    l.name = t.name;
    l.output = t.output;
    l.deadline_raw = t.deadline_raw;
    if (t.deadline) l.deadline_end = t.deadline->end;
    for (const Agency& a : t.lead) {
      l.lead.push_back(MatchKey(a.known && !a.canonical.empty() ? a.canonical : a.printed));
      l.lead_printed.push_back(a.printed);
    }
    for (const Agency& a : t.coord) l.coord.push_back(MatchKey(a.known && !a.canonical.empty() ? a.canonical : a.printed));
    now.push_back(std::move(l));
  }
  std::map<int, int64_t> keep;
  for (const LineagePair& p : MatchTasks(now, *old)) {
    if (p.linked) keep[static_cast<int>(-p.task - 1)] = p.prev;
  }
  return keep;
}

Status SqliteStore::Reread(int64_t doc_id, const Record& rec, const std::string& sha, const std::string& source_path,
                           const std::string& rules_hash, const DocIdentity& identity, const LoadExtras& extras,
                           LoadOutcome* out) {
  Result<std::map<int, int64_t>> keep = KeptTaskIds(doc_id, rec);
  if (!keep.ok()) return keep.status();
  PLANTRACE_RETURN_IF_ERROR(ClearExtraction(doc_id));
  LoadOutcome o;
  PLANTRACE_RETURN_IF_ERROR(InsertDocument(rec, sha, source_path, rules_hash, identity, &o, doc_id, *keep));
  PLANTRACE_RETURN_IF_ERROR(InsertExtras(doc_id, extras));
  // Agencies only the old reading named go.
  PLANTRACE_RETURN_IF_ERROR(Exec("DELETE FROM agencies WHERE id NOT IN (SELECT agency_id FROM task_agencies)"));
  out->tasks = o.tasks;
  out->references = o.references;
  out->indicators = o.indicators;
  out->warnings = o.warnings;
  return Status::Ok();
}

Result<int> SqliteStore::MergeDuplicates(const IdentityRules& rules) {
  Transaction tx(this);
  PLANTRACE_RETURN_IF_ERROR(tx.Begin());
  // Identities under the rules, and reading ranks from what each rendition
  // said (format; tasks read from tables, as their column rules show).
  struct Doc {
    int64_t id;
    std::string key;
    DocIdentity identity;
  };
  std::vector<Doc> docs;
  {
    Query q = Prepare("SELECT id, doc_key, number, type, issuer, date, title FROM documents ORDER BY doc_key, id");
    PLANTRACE_RETURN_IF_ERROR(q.ForEach([&] {
      Meta m;
      m.number = q.ColOptText(2);
      m.type = q.ColOptText(3);
      m.issuer = q.ColOptText(4);
      m.date = q.ColOptText(5);
      m.title = q.ColOptText(6);
      Doc d{q.ColInt(0), q.ColText(1), IdentityOf(m, {}, &rules)};
      docs.push_back(std::move(d));
    }));
  }
  bool changed = false;
  for (Doc& d : docs) {
    // Draft marks stand in the stored lines of the document's header.
    std::vector<SourceLine> head;
    {
      Query q = Prepare("SELECT page, line, text FROM source_lines WHERE doc_id = ?1 ORDER BY seq LIMIT 20");
      q.Int(1, d.id);
      PLANTRACE_RETURN_IF_ERROR(q.ForEach([&] {
        head.push_back(SourceLine{q.ColText(2), static_cast<int>(q.ColInt(0)), static_cast<int>(q.ColInt(1)), 0});
      }));
    }
    std::vector<std::string> refs;
    if (rules.DraftMarked(head, &refs)) {
      d.identity.draft = true;
      if (!d.identity.rules.empty()) refs.push_back(d.identity.rules);
      d.identity.rules = Join(refs, " ");
      d.identity.number_key.clear();
      d.identity.date.clear();
    }
    Query was = Prepare("SELECT identity, correction, id_rules FROM documents WHERE id = ?1");
    was.Int(1, d.id);
    Result<bool> row = was.Step();
    if (!row.ok()) return row.status();
    if (*row && was.ColText(0) == d.identity.Text() && was.ColText(1) == d.identity.correction &&
        was.ColText(2) == d.identity.rules) {
      continue;
    }
    changed = true;
    PLANTRACE_RETURN_IF_ERROR(
        Prepare("UPDATE documents SET identity = ?2, id_number = ?3, id_date = ?4, id_issuer = ?5, id_type = ?6, "
                "id_title = ?7, draft = ?8, correction = ?9, id_rules = ?10 WHERE id = ?1")
            .Int(1, d.id)
            .Text(2, d.identity.Text())
            .Text(3, d.identity.number_key)
            .Text(4, d.identity.date)
            .Text(5, d.identity.issuer)
            .Text(6, d.identity.type)
            .Text(7, d.identity.title)
            .Int(8, d.identity.draft)
            .Text(9, d.identity.correction)
            .Text(10, d.identity.rules)
            .Run());
  }
  {
    std::vector<std::pair<int64_t, RenditionFacts>> facts;
    Query q = Prepare(
        "SELECT r.id, r.format, EXISTS (SELECT 1 FROM tasks t WHERE t.doc_id = r.doc_id AND "
        "(' ' || t.rules) LIKE '% column.%') FROM renditions r WHERE r.rank_rules = ''");
    PLANTRACE_RETURN_IF_ERROR(q.ForEach([&] {
      RenditionFacts f;
      f.format = q.ColText(1);
      f.tables = q.ColInt(2) != 0;
      facts.emplace_back(q.ColInt(0), f);
    }));
    for (const auto& [id, f] : facts) {
      const ReadingRank r = rules.Rank(f);
      PLANTRACE_RETURN_IF_ERROR(Prepare("UPDATE renditions SET rank = ?2, rank_rules = ?3 WHERE id = ?1")
                                    .Int(1, id)
                                    .Int(2, r.score)
                                    .Text(3, Join(r.rules, " "))
                                    .Run());
    }
  }
  // Groups: each document joins the first earlier one it is the same as.
  std::map<int64_t, std::vector<int64_t>> groups;  // kept id -> merged ids
  std::set<int64_t> merged;
  for (size_t i = 0; i < docs.size(); ++i) {
    if (merged.count(docs[i].id)) continue;
    for (size_t j = i + 1; j < docs.size(); ++j) {
      if (merged.count(docs[j].id) || !SameDocument(docs[i].identity, docs[j].identity)) continue;
      groups[docs[i].id].push_back(docs[j].id);
      merged.insert(docs[j].id);
    }
  }
  int count = 0;
  for (const auto& [keep, others] : groups) {
    // The best reading among the group's renditions; its document row (with
    // its extraction) stays, the others' renditions move to it.
    int64_t best_doc = keep;
    int best_rank = 0;
    std::string best_sha;
    std::vector<int64_t> all = others;
    all.push_back(keep);
    for (int64_t id : all) {
      Query q = Prepare(
          "SELECT r.rank, r.sha256 FROM renditions r JOIN documents d ON d.id = r.doc_id AND d.sha256 = r.sha256 "
          "WHERE d.id = ?1");
      q.Int(1, id);
      Result<bool> row = q.Step();
      if (!row.ok()) return row.status();
      if (!*row) continue;
      const int rank = static_cast<int>(q.ColInt(0));
      const std::string sha = q.ColText(1);
      if (best_sha.empty() || BetterReading(rank, sha, best_rank, best_sha)) {
        best_doc = id;
        best_rank = rank;
        best_sha = sha;
      }
    }
    for (int64_t id : all) {
      if (id == best_doc) continue;
      PLANTRACE_RETURN_IF_ERROR(
          Prepare("UPDATE renditions SET doc_id = ?2 WHERE doc_id = ?1").Int(1, id).Int(2, best_doc).Run());
      PLANTRACE_RETURN_IF_ERROR(
          Prepare("UPDATE run_files SET doc_id = ?2 WHERE doc_id = ?1").Int(1, id).Int(2, best_doc).Run());
      PLANTRACE_RETURN_IF_ERROR(ClearExtraction(id));
      PLANTRACE_RETURN_IF_ERROR(Prepare("DELETE FROM documents WHERE id = ?1").Int(1, id).Run());
      ++count;
    }
    PLANTRACE_RETURN_IF_ERROR(RefreshRenditionWarnings(best_doc));
  }
  if (count > 0) {
    PLANTRACE_RETURN_IF_ERROR(Exec("DELETE FROM agencies WHERE id NOT IN (SELECT agency_id FROM task_agencies)"));
  }
  if (count > 0 || changed) PLANTRACE_RETURN_IF_ERROR(Relink());
  PLANTRACE_RETURN_IF_ERROR(tx.Commit());
  return count;
}

Result<std::vector<WarningRow>> SqliteStore::Warnings(std::optional<int64_t> doc_id) {
  Query q = Prepare(
      "SELECT doc_id, doc_key, file_name, severity, code, message, page, line, clause, rule FROM ("
      "SELECT g.doc_id, d.doc_key, d.file_name, g.severity, g.code, g.message, g.page, g.line, g.clause, g.rule, "
      "0 AS kind, '' AS sha, g.position FROM diagnostics g JOIN documents d ON d.id = g.doc_id "
      "WHERE g.severity <> 'info' AND (?1 IS NULL OR g.doc_id = ?1) "
      // How other renditions differ from the reading, after the reading's own.
      "UNION ALL SELECT w.doc_id, d.doc_key, r.file_name, 'warning', w.code, w.message, w.page, w.line, w.clause, "
      "w.rule, 1, r.sha256, w.position FROM rendition_warnings w JOIN documents d ON d.id = w.doc_id "
      "JOIN renditions r ON r.id = w.rendition_id WHERE ?1 IS NULL OR w.doc_id = ?1) "
      "ORDER BY doc_id, kind, sha, position");
  q.OptInt(1, doc_id);
  std::vector<WarningRow> rows;
  PLANTRACE_RETURN_IF_ERROR(q.ForEach([&] {
    WarningRow w;
    w.doc_id = q.ColInt(0);
    w.doc_key = q.ColText(1);
    w.file = q.ColText(2);
    const std::string severity = q.ColText(3);
    w.diagnostic.severity = severity == "error" ? Severity::kError : Severity::kWarning;
    w.diagnostic.code = q.ColText(4);
    w.diagnostic.message = q.ColText(5);
    w.diagnostic.page = static_cast<int>(q.ColInt(6));
    w.diagnostic.line = static_cast<int>(q.ColInt(7));
    w.diagnostic.clause = q.ColText(8);
    w.diagnostic.rule = q.ColText(9);
    rows.push_back(std::move(w));
  }));
  return rows;
}

Result<std::string> SqliteStore::Original(int64_t doc_id) {
  Query q = Prepare("SELECT bytes FROM originals WHERE doc_id = ?1");
  q.Int(1, doc_id);
  Result<bool> row = q.Step();
  if (!row.ok()) return row.status();
  if (!*row) return Status::NotFound("no stored original for document " + std::to_string(doc_id));
  return q.ColText(0);
}

Status SqliteStore::ReplaceDocument(int64_t doc_id, const Record& rec, const std::string& rules_hash,
                                    const LoadExtras& extras, LoadOutcome* out) {
  Transaction tx(this);
  PLANTRACE_RETURN_IF_ERROR(tx.Begin());
  std::string sha, source_path;
  {
    Query q = Prepare("SELECT sha256, source_path FROM documents WHERE id = ?1");
    q.Int(1, doc_id);
    Result<bool> row = q.Step();
    if (!row.ok()) return row.status();
    if (!*row) return Status::NotFound("no document " + std::to_string(doc_id));
    sha = q.ColText(0);
    source_path = q.ColText(1);
  }
  const DocIdentity identity = extras.identity ? *extras.identity : IdentityOf(rec.meta, extras.lines, nullptr);
  LoadOutcome outcome;
  outcome.sha256 = sha;
  outcome.doc_id = doc_id;
  // Re-read in place: the row, its renditions and ingest history stay.
  Status st = Reread(doc_id, rec, sha, source_path, rules_hash, identity, extras, &outcome);
  if (st.ok()) {
    Query q = Prepare("SELECT id FROM renditions WHERE sha256 = ?1");
    q.Text(1, sha);
    Result<bool> row = q.Step();
    if (!row.ok()) st = row.status();
    else if (*row) st = WriteRenditionSummary(q.ColInt(0), rec);
  }
  if (st.ok()) st = RefreshRenditionWarnings(doc_id);
  if (st.ok()) st = Relink();
  if (!st.ok()) return st.Annotate(source_path);
  PLANTRACE_RETURN_IF_ERROR(tx.Commit());
  if (out) *out = std::move(outcome);
  return Status::Ok();
}

Status SqliteStore::InsertDocument(const Record& rec, const std::string& sha, const std::string& source_path,
                                   const std::string& rules_hash, const DocIdentity& identity, LoadOutcome* out,
                                   int64_t id, const std::map<int, int64_t>& task_ids) {
  const Meta& m = rec.meta;
  {
    // Updating in place keeps the row that renditions, status_by and
    // resolved references point at.
    Query q = Prepare(
        id ? "UPDATE documents SET sha256 = ?1, source_path = ?2, file_name = ?3, format = ?4, number = ?5, "
             "number_key = ?6, type = ?7, issuer = ?8, place = ?9, date = ?10, title = ?11, signer = ?12, "
             "signer_title = ?13, attachment_type = ?14, attachment_title = ?15, declared_task_count = ?16, "
             "rules_hash = ?17, doc_key = ?18, identity = ?20, id_number = ?21, id_date = ?22, id_issuer = ?23, "
             "id_type = ?24, id_title = ?25, draft = ?26, correction = ?27, id_rules = ?28 WHERE id = ?19"
           : "INSERT INTO documents (sha256, source_path, file_name, format, number, number_key, type, issuer, "
             "place, date, title, signer, signer_title, attachment_type, attachment_title, declared_task_count, "
             "rules_hash, doc_key, id, identity, id_number, id_date, id_issuer, id_type, id_title, draft, "
             "correction, id_rules) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, "
             "?17, ?18, ?19, ?20, ?21, ?22, ?23, ?24, ?25, ?26, ?27, ?28)");
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
        .Text(17, rules_hash.empty() ? rec.rules_hash : rules_hash)
        .Text(18, DocumentKey(m.number, m.date, sha))
        .OptInt(19, id ? std::optional<int64_t>(id) : std::nullopt)
        .Text(20, identity.Text())
        .Text(21, identity.number_key)
        .Text(22, identity.date)
        .Text(23, identity.issuer)
        .Text(24, identity.type)
        .Text(25, identity.title)
        .Int(26, identity.draft)
        .Text(27, identity.correction)
        .Text(28, identity.rules);
    PLANTRACE_RETURN_IF_ERROR(q.Run());
  }
  const int64_t doc_id = id ? id : sqlite3_last_insert_rowid(db_);
  out->doc_id = doc_id;

  // Agencies are scoped by the province of issue: "Sở Y tế" of one province
  // is not that of another (records from before agency_scope: the place).
  const std::string scope = rec.agency_scope ? MatchKey(*rec.agency_scope)
                            : m.place        ? MatchKey(*m.place)
                                             : std::string();
  // Tasks that keep an id are inserted in position order with the others,
  // so new tasks take ids above every id still to be reused.
  int64_t next_id = 0;
  if (!task_ids.empty()) {
    Query q = Prepare("SELECT coalesce(max(id), 0) FROM tasks");
    Result<bool> row = q.Step();
    if (!row.ok()) return row.status();
    next_id = q.ColInt(0);
    for (const auto& [pos, kept] : task_ids) next_id = std::max(next_id, kept);
    ++next_id;
  }
  for (size_t i = 0; i < rec.tasks.size(); ++i) {
    auto kept = task_ids.find(static_cast<int>(i));
    const int64_t task_id = kept != task_ids.end() ? kept->second : next_id ? next_id++ : 0;
    Status st = InsertTask(doc_id, static_cast<int>(i), rec.tasks[i], scope, task_id);
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
  if (covers_ && a.kind == "collective") {
    for (const std::string& kind : covers_(a.printed.empty() ? name : a.printed)) {
      Query c = Prepare("INSERT OR IGNORE INTO agency_covers (agency_id, kind) VALUES (?1, ?2)");
      PLANTRACE_RETURN_IF_ERROR(c.Int(1, id).Text(2, kind).Run());
    }
  }
  return id;
}

Status SqliteStore::InsertTask(int64_t doc_id, int position, const Task& t, const std::string& scope, int64_t id) {
  const Deadline* dl = t.deadline ? &*t.deadline : nullptr;
  {
    Query q = Prepare(
        "INSERT INTO tasks (doc_id, position, source, grp, group_title, number, code, title, name, lead_raw, "
        "coord_raw, output, deadline_raw, deadline_kind, deadline_start, deadline_end, deadline_every, "
        "deadline_rule, funding, page, line, clause, rules, source_text, id) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, "
        "?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19, ?20, ?21, ?22, ?23, ?24, ?25)");
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
        .Text(24, t.source_text)
        .OptInt(25, id ? std::optional<int64_t>(id) : std::nullopt);
    PLANTRACE_RETURN_IF_ERROR(q.Run());
  }
  const int64_t task_id = sqlite3_last_insert_rowid(db_);

  std::string fts_lead, fts_coord;
  auto link = [&](const std::vector<Agency>& agencies, const char* role, std::string* fts) -> Status {
    for (size_t i = 0; i < agencies.size(); ++i) {
      const Agency& a = agencies[i];
      if (a.printed.empty() && a.canonical.empty()) continue;
      // A national body, or one that names its province, is scoped by itself.
      Result<int64_t> agency_id = UpsertAgency(a, a.scope ? MatchKey(*a.scope) : scope);
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
      "(SELECT count(*) FROM diagnostics g WHERE g.doc_id = d.id), "
      "d.doc_key, d.status, (SELECT s.doc_key FROM documents s WHERE s.id = d.status_by), d.status_date, "
      "(SELECT count(*) FROM renditions r WHERE r.doc_id = d.id), d.identity "
      "FROM documents d ORDER BY d.id");
  std::vector<DocRow> rows;
  PLANTRACE_RETURN_IF_ERROR(q.ForEach([&] {
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
    d.key = q.ColText(16);
    d.status = q.ColText(17);
    d.status_by = q.ColOptText(18);
    d.status_date = q.ColOptText(19);
    d.renditions = q.ColInt(20);
    d.identity = q.ColText(21);
    rows.push_back(std::move(d));
  }));
  return rows;
}

// A task that passed the SQL filters, with its agencies, until its row is read.
struct TaskCandidate {
  int64_t id = 0;
  int64_t doc_id = 0;
  int position = 0;
  std::optional<std::string> due;
  bool named = false;       // assigned to a queried agency by name
  bool collective = false;  // bound through a collective that covers it
  std::vector<std::pair<int, std::string>> lead, coord;  // (position, printed)
  const std::string* doc_key = nullptr;  // set when ordering by deadline
};

// Appends `id` to a JSON array being written ("[" so far, or "[1,2").
void AppendId(std::string* ids, int64_t id) {
  if (ids->size() > 1) *ids += ',';
  char buf[24];
  auto [end, ec] = std::to_chars(buf, buf + sizeof buf, id);
  ids->append(buf, end);
}

std::vector<std::string> PrintedInOrder(std::vector<std::pair<int, std::string>>* items) {
  std::sort(items->begin(), items->end());
  std::vector<std::string> out;
  out.reserve(items->size());
  for (auto& [pos, printed] : *items) out.push_back(std::move(printed));
  return out;
}

// The ids of the agencies `tq` names and, with `with_collectives`, of the
// collective agencies of the same scope that cover their kind.
Status SqliteStore::AgencySets(const TaskQuery& tq, bool with_collectives, std::unordered_set<int64_t>* named,
                               std::unordered_set<int64_t>* collective) {
  std::vector<std::string> match, texts;
  auto bind = [&](std::string v) {
    texts.push_back(std::move(v));
    return "?" + std::to_string(texts.size());
  };
  if (tq.agency) {
    std::string key = SearchKey(*tq.agency);
    if (key.empty() || key == " ") return Status::InvalidInput("agency query has no letters or digits");
    std::string k = bind(" " + key + " ");
    std::string f = bind(key);
    match.push_back("instr(' ' || a.search_key || ' ', " + k + ") > 0");
    match.push_back("a.id IN (SELECT al.agency_id FROM agency_aliases al WHERE instr(' ' || al.key || ' ', " + k +
                    ") > 0)");
    match.push_back("a.key IN (SELECT g.canonical_key FROM gazetteer g WHERE g.alias_key = " + f + ")");
  }
  for (const std::string& c : tq.agency_canonical) match.push_back("a.key = " + bind(MatchKey(c)));
  if (match.empty()) return Status::Ok();
  std::string sql = "WITH m AS (SELECT a.id, a.scope, a.kind FROM agencies a WHERE " + Join(match, " OR ") +
                    ") SELECT id, 1 FROM m";
  if (with_collectives) {
    std::string kinds = "SELECT kind FROM m WHERE kind NOT IN ('', 'collective')";
    for (const std::string& k : tq.agency_kinds) kinds += " UNION SELECT " + bind(k);
    sql += " UNION ALL SELECT ac.agency_id, 0 FROM agency_covers ac JOIN agencies ca ON ca.id = ac.agency_id "
           "WHERE ac.kind IN (" + kinds + ") AND ca.scope IN (SELECT scope FROM m)";
  }
  Query q = Prepare(sql);
  for (size_t i = 0; i < texts.size(); ++i) q.Text(static_cast<int>(i + 1), texts[i]);
  PLANTRACE_RETURN_IF_ERROR(q.ForEach([&] { (q.ColInt(1) ? named : collective)->insert(q.ColInt(0)); }));
  for (int64_t id : *named) collective->erase(id);
  return Status::Ok();
}

Result<std::vector<std::string>> SqliteStore::BindingCollectives(const TaskQuery& tq) {
  std::unordered_set<int64_t> named, collective;
  PLANTRACE_RETURN_IF_ERROR(AgencySets(tq, true, &named, &collective));
  std::string ids = "[";
  for (int64_t id : collective) AppendId(&ids, id);
  ids += "]";
  std::vector<std::string> names;
  Query q = Prepare("SELECT DISTINCT name FROM agencies WHERE id IN (SELECT value FROM json_each(?1)) ORDER BY name");
  q.Text(1, ids);
  PLANTRACE_RETURN_IF_ERROR(q.ForEach([&] { names.push_back(q.ColText(0)); }));
  return names;
}

// Four short passes instead of one wide query: (1) the queried agencies'
// ids, (2) the ids of the tasks the other filters keep, (3) those tasks'
// agencies, which test the agency filter and give lead/coord, (4) the kept
// rows by id, in order, handed on as read. Only ids are ever sorted, and
// memory does not grow with the listing.
Status SqliteStore::ForEachTask(const TaskQuery& tq, const std::function<void(const TaskRow&)>& fn) {
  if (tq.role != "lead" && tq.role != "coord" && tq.role != "either") {
    return Status::InvalidInput("role must be lead, coord or either, not '" + tq.role + "'");
  }
  if (tq.status != "all" && tq.status != "active" && tq.status != "superseded" && tq.status != "carried_over") {
    return Status::InvalidInput("status must be active, superseded, carried_over or all, not '" + tq.status + "'");
  }
  if ((tq.overdue || tq.due_until) && !tq.as_of) {
    return Status::InvalidInput("--overdue and --due-within need --as-of DATE");
  }
  std::optional<std::string> search_key;
  if (tq.search) {
    search_key = SearchKey(*tq.search);
    if (search_key->empty() || *search_key == " ") return Status::InvalidInput("search query has no letters or digits");
  }
  // One snapshot for all passes, so a concurrent ingest cannot show half a
  // document (a caller's own transaction already is one).
  if (!sqlite3_get_autocommit(db_)) return SelectTasks(tq, search_key, fn);
  PLANTRACE_RETURN_IF_ERROR(Exec("BEGIN"));
  Status st = SelectTasks(tq, search_key, fn);
  Status end = Exec(st.ok() ? "COMMIT" : "ROLLBACK");
  return st.ok() ? end : st;
}

Status SqliteStore::SelectTasks(const TaskQuery& tq, const std::optional<std::string>& search_key,
                                const std::function<void(const TaskRow&)>& fn) {
  // (1) The agencies asked for, by name, and the collectives that bind them.
  const bool by_agency = tq.agency || !tq.agency_canonical.empty();
  std::unordered_set<int64_t> named, collective;
  if (by_agency) {
    PLANTRACE_RETURN_IF_ERROR(AgencySets(tq, tq.include_collectives, &named, &collective));
    if (named.empty() && collective.empty()) return Status::Ok();
  }

  // (2) Tasks kept by the other filters. With a deadline window the window
  // drives (one range of the (status, due) index) and the agency test waits
  // for pass 3; without one the agencies' index does.
  std::vector<std::string> where;
  std::vector<std::variant<int64_t, std::string>> binds;  // values are bound, never spliced in
  auto bind_text = [&](std::string v) {
    binds.emplace_back(std::move(v));
    return "?" + std::to_string(binds.size());
  };
  auto bind_int = [&](int64_t v) {
    binds.emplace_back(v);
    return "?" + std::to_string(binds.size());
  };
  if (tq.task_id) where.push_back("t.id = " + bind_int(*tq.task_id));
  if (tq.doc) {
    if (std::optional<int64_t> id = ParseInt(*tq.doc); id && AllDigits(*tq.doc)) {
      where.push_back("t.doc_id = " + bind_int(*id));
    } else {
      std::string p = bind_text(NumberKey(*tq.doc));
      where.push_back("t.doc_id IN (SELECT id FROM documents WHERE number_key = " + p + " OR doc_key = " + p + ")");
    }
  }
  const bool window = tq.due_before || tq.due_after || tq.overdue || tq.due_until;
  if (by_agency && !window) {
    std::string ids = "[";
    for (int64_t id : named) AppendId(&ids, id);
    for (int64_t id : collective) AppendId(&ids, id);
    ids += "]";
    where.push_back("t.id IN (SELECT ta.task_id FROM task_agencies ta WHERE ta.agency_id IN "
                    "(SELECT value FROM json_each(" + bind_text(ids) + ")))");
  }
  // SearchKey leaves only letters, digits and spaces: safe inside a phrase.
  if (search_key) {
    where.push_back("t.id IN (SELECT rowid FROM tasks_fts WHERE tasks_fts MATCH " +
                    bind_text("\"" + *search_key + "\"") + ")");
  }
  if (tq.status != "all") where.push_back("t.status = " + bind_text(tq.status));
  if (tq.due_before) where.push_back("t.due <= " + bind_text(*tq.due_before));
  if (tq.due_after) where.push_back("t.due >= " + bind_text(*tq.due_after));
  if (tq.overdue) where.push_back("t.due < " + bind_text(*tq.as_of));
  if (tq.due_until) where.push_back("t.due >= " + bind_text(*tq.as_of) + " AND t.due <= " + bind_text(*tq.due_until));
  std::vector<TaskCandidate> cands;
  {
    std::string sql = "SELECT t.id, t.doc_id, t.position, t.due FROM tasks t";
    if (!where.empty()) sql += " WHERE " + Join(where, " AND ");
    Query q = Prepare(sql);
    for (size_t i = 0; i < binds.size(); ++i) {
      if (const int64_t* v = std::get_if<int64_t>(&binds[i])) {
        q.Int(static_cast<int>(i + 1), *v);
      } else {
        q.Text(static_cast<int>(i + 1), std::get<std::string>(binds[i]));
      }
    }
    PLANTRACE_RETURN_IF_ERROR(q.ForEach([&] {
      TaskCandidate c;
      c.id = q.ColInt(0);
      c.doc_id = q.ColInt(1);
      c.position = static_cast<int>(q.ColInt(2));
      c.due = q.ColOptText(3);
      cands.push_back(std::move(c));
    }));
  }
  if (cands.empty()) return Status::Ok();
  // (3) Their agencies, read by task from the table's own key.
  {
    std::string ids = "[";
    for (const TaskCandidate& c : cands) AppendId(&ids, c.id);
    ids += "]";
    Query q = Prepare(
        "SELECT j.key, ta.role, ta.position, ta.printed, ta.agency_id FROM json_each(?1) j "
        "JOIN task_agencies ta ON ta.task_id = j.value");
    q.Text(1, ids);
    PLANTRACE_RETURN_IF_ERROR(q.ForEach([&] {
      TaskCandidate& c = cands[static_cast<size_t>(q.ColInt(0))];
      const std::string_view role = q.ColView(1);
      (role == "lead" ? c.lead : c.coord).emplace_back(static_cast<int>(q.ColInt(2)), q.ColText(3));
      if (by_agency && (tq.role == "either" || tq.role == role)) {
        int64_t agency = q.ColInt(4);
        if (named.count(agency)) c.named = true;
        if (collective.count(agency)) c.collective = true;
      }
    }));
  }
  if (by_agency) {
    std::erase_if(cands, [](const TaskCandidate& c) { return !c.named && !c.collective; });
    if (cands.empty()) return Status::Ok();
  }
  // The documents of the kept tasks, read once rather than joined per row.
  struct DocInfo {
    std::optional<std::string> number;
    std::string file_name, doc_key;
  };
  std::unordered_map<int64_t, DocInfo> docs;
  {
    std::string doc_ids = "[";
    for (const TaskCandidate& c : cands) {
      if (docs.try_emplace(c.doc_id).second) AppendId(&doc_ids, c.doc_id);
    }
    doc_ids += "]";
    Query q = Prepare(
        "SELECT id, number, file_name, doc_key FROM documents WHERE id IN (SELECT value FROM json_each(?1))");
    q.Text(1, doc_ids);
    PLANTRACE_RETURN_IF_ERROR(q.ForEach([&] {
      DocInfo& d = docs[q.ColInt(0)];
      d.number = q.ColOptText(1);
      d.file_name = q.ColText(2);
      d.doc_key = q.ColText(3);
    }));
  }
  if (tq.by_deadline) {
    // By deadline (undated last), then document key and position.
    for (TaskCandidate& c : cands) c.doc_key = &docs[c.doc_id].doc_key;
    std::sort(cands.begin(), cands.end(), [](const TaskCandidate& a, const TaskCandidate& b) {
      if (a.due.has_value() != b.due.has_value()) return a.due.has_value();
      if (a.due != b.due) return *a.due < *b.due;
      if (a.doc_id != b.doc_id) return *a.doc_key < *b.doc_key;
      return a.position < b.position;
    });
  } else {
    std::sort(cands.begin(), cands.end(), [](const TaskCandidate& a, const TaskCandidate& b) {
      return std::tie(a.doc_id, a.position) < std::tie(b.doc_id, b.position);
    });
  }
  // (4) The rows, by id in the order above. SQLite reads them in that order
  // (json_each drives the join); should a plan ever differ, early rows wait.
  std::string ids = "[";
  for (const TaskCandidate& c : cands) AppendId(&ids, c.id);
  ids += "]";
  Query q = Prepare(
      "SELECT j.key, t.doc_id, t.position, t.source, t.grp, t.group_title, t.number, t.code, t.title, t.name, "
      "t.lead_raw, t.coord_raw, t.output, t.deadline_raw, t.deadline_kind, t.deadline_start, t.deadline_end, "
      "t.deadline_every, t.funding, t.page, t.line, t.clause, t.status, iif(?2, t.rules, ''), t.deadline_rule, "
      "iif(?2, t.source_text, ''), t.continues_task_id FROM json_each(?1) j JOIN tasks t ON t.id = j.value");
  q.Text(1, ids).Int(2, tq.with_source ? 1 : 0);
  TaskRow row;
  std::map<size_t, TaskRow> early;
  size_t next = 0;
  auto fill = [&](TaskRow& t, TaskCandidate& c) {
    t.id = c.id;
    t.doc_id = q.ColInt(1);
    t.position = static_cast<int>(q.ColInt(2));
    const DocInfo& d = docs[t.doc_id];
    t.doc_number = d.number;
    t.doc_file = d.file_name;
    t.doc_key = d.doc_key;
    q.ColTextTo(3, &t.source);
    q.ColOptTextTo(4, &t.group);
    q.ColOptTextTo(5, &t.group_title);
    q.ColOptTextTo(6, &t.number);
    q.ColOptTextTo(7, &t.code);
    q.ColOptTextTo(8, &t.title);
    q.ColTextTo(9, &t.name);
    q.ColOptTextTo(10, &t.lead_raw);
    q.ColOptTextTo(11, &t.coord_raw);
    q.ColOptTextTo(12, &t.output);
    q.ColOptTextTo(13, &t.deadline_raw);
    q.ColOptTextTo(14, &t.deadline_kind);
    q.ColOptTextTo(15, &t.deadline_start);
    q.ColOptTextTo(16, &t.deadline_end);
    q.ColOptTextTo(17, &t.deadline_every);
    q.ColOptTextTo(18, &t.funding);
    t.page = static_cast<int>(q.ColInt(19));
    t.line = static_cast<int>(q.ColInt(20));
    q.ColTextTo(21, &t.clause);
    q.ColTextTo(22, &t.status);
    t.ref = t.doc_key;
    t.ref += ':';
    t.ref += std::to_string(t.position + 1);
    q.ColTextTo(23, &t.rules);
    q.ColOptTextTo(24, &t.deadline_rule);
    q.ColTextTo(25, &t.source_text);
    t.continues = q.ColOptInt(26);
    t.lead = PrintedInOrder(&c.lead);
    t.coord = PrintedInOrder(&c.coord);
    t.via_collective = by_agency && !c.named;
  };
  PLANTRACE_RETURN_IF_ERROR(q.ForEach([&] {
    size_t at = static_cast<size_t>(q.ColInt(0));
    if (at != next) {
      fill(early[at], cands[at]);
      return;
    }
    fill(row, cands[at]);
    fn(row);
    for (++next; !early.empty() && early.begin()->first == next; ++next) {
      fn(early.begin()->second);
      early.erase(early.begin());
    }
  }));
  // Rows whose predecessor vanished (not possible inside one snapshot, but cheap to honour).
  for (auto& [at, t] : early) fn(t);
  return Status::Ok();
}

Status SqliteStore::InsertExtras(int64_t doc_id, const LoadExtras& x) {
  for (size_t i = 0; i < x.lines.size(); ++i) {
    const SourceLine& l = x.lines[i];
    Query q = Prepare("INSERT INTO source_lines (doc_id, seq, page, line, text) VALUES (?1, ?2, ?3, ?4, ?5)");
    q.Int(1, doc_id).Int(2, static_cast<int64_t>(i)).Int(3, l.page).Int(4, l.line).Text(5, l.text);
    PLANTRACE_RETURN_IF_ERROR(q.Run());
  }
  for (size_t i = 0; i < x.facts.citations.size(); ++i) {
    const Citation& c = x.facts.citations[i];
    Query q = Prepare(
        "INSERT INTO citations (doc_id, position, number_key, date, issuer, title, page, line) "
        "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)");
    q.Int(1, doc_id)
        .Int(2, static_cast<int64_t>(i))
        .Text(3, c.number_key)
        .OptText(4, c.date)
        .Text(5, c.issuer)
        .Text(6, c.title)
        .Int(7, c.page)
        .Int(8, c.line);
    PLANTRACE_RETURN_IF_ERROR(q.Run());
  }
  for (size_t i = 0; i < x.facts.carryovers.size(); ++i) {
    const Carryover& c = x.facts.carryovers[i];
    Query q = Prepare(
        "INSERT INTO carryovers (doc_id, position, number_key, sentence, page, line, rule) "
        "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)");
    q.Int(1, doc_id)
        .Int(2, static_cast<int64_t>(i))
        .Text(3, c.number_key)
        .Text(4, c.sentence)
        .Int(5, c.page)
        .Int(6, c.line)
        .Text(7, c.rule);
    PLANTRACE_RETURN_IF_ERROR(q.Run());
  }
  return Status::Ok();
}

Result<std::vector<LinkTask>> SqliteStore::LinkTasks(int64_t doc_id) {
  std::vector<LinkTask> tasks;
  std::map<int64_t, size_t> index;
  {
    Query q = Prepare(
        "SELECT id, position, source, clause, name, output, deadline_raw, deadline_end FROM tasks "
        "WHERE doc_id = ?1 ORDER BY position");
    q.Int(1, doc_id);
    PLANTRACE_RETURN_IF_ERROR(q.ForEach([&] {
      LinkTask t;
      t.id = q.ColInt(0);
      t.doc_id = doc_id;
      t.position = static_cast<int>(q.ColInt(1));
      t.source = q.ColText(2);
      t.clause = q.ColText(3);
      t.name = q.ColText(4);
      t.output = q.ColOptText(5);
      t.deadline_raw = q.ColOptText(6);
      t.deadline_end = q.ColOptText(7);
      index[t.id] = tasks.size();
      tasks.push_back(std::move(t));
    }));
  }
  Query q = Prepare(
      "SELECT ta.task_id, ta.role, a.key, ta.printed FROM task_agencies ta JOIN tasks t ON t.id = ta.task_id "
      "JOIN agencies a ON a.id = ta.agency_id WHERE t.doc_id = ?1 ORDER BY ta.task_id, ta.role DESC, ta.position");
  q.Int(1, doc_id);
  PLANTRACE_RETURN_IF_ERROR(q.ForEach([&] {
    LinkTask& t = tasks[index[q.ColInt(0)]];
    if (q.ColText(1) == "lead") {
      t.lead.push_back(q.ColText(2));
      t.lead_printed.push_back(q.ColText(3));
    } else {
      t.coord.push_back(q.ColText(2));
    }
  }));
  return tasks;
}

Status SqliteStore::AddIdentityLinks(const LinkInput& in, LinkResult* res) {
  std::vector<IdentityDoc> docs;
  std::map<int64_t, std::string> dates;
  {
    Query q = Prepare(
        "SELECT id, doc_key, id_number, id_date, id_issuer, id_type, id_title, draft, correction, date, id_rules "
        "FROM documents ORDER BY id");
    PLANTRACE_RETURN_IF_ERROR(q.ForEach([&] {
      IdentityDoc d;
      d.id = q.ColInt(0);
      d.key = q.ColText(1);
      d.identity.number_key = q.ColText(2);
      d.identity.date = q.ColText(3);
      d.identity.issuer = q.ColText(4);
      d.identity.type = q.ColText(5);
      d.identity.title = q.ColText(6);
      d.identity.draft = q.ColInt(7) != 0;
      d.identity.correction = q.ColText(8);
      if (std::optional<std::string> date = q.ColOptText(9)) dates[d.id] = *date;
      d.identity.rules = q.ColText(10);
      docs.push_back(std::move(d));
    }));
  }
  std::vector<std::pair<int64_t, int64_t>> cited;
  for (size_t i = 0; i < in.refs.size(); ++i) {
    if (res->refs[i].target) cited.emplace_back(in.refs[i].doc_id, *res->refs[i].target);
  }
  const std::vector<IdentityEdge> links = IdentityRelations(docs, cited);
  PLANTRACE_RETURN_IF_ERROR(Exec("DELETE FROM identity_links"));
  std::set<std::pair<int64_t, int64_t>> have;
  for (const Edge& e : res->edges) have.insert({e.from, e.to});
  for (const IdentityEdge& l : links) {
    PLANTRACE_RETURN_IF_ERROR(
        Prepare("INSERT INTO identity_links (from_doc, to_doc, relation, reason, evidence, rules) "
                "VALUES (?1, ?2, ?3, ?4, ?5, ?6)")
            .Int(1, l.from)
            .Int(2, l.to)
            .Text(3, l.relation)
            .Text(4, l.reason)
            .Text(5, l.evidence)
            .Text(6, l.rules)
            .Run());
    // A relation the text states wins over one identity implies.
    if (have.count({l.from, l.to})) continue;
    Edge e;
    e.from = l.from;
    e.to = l.to;
    e.relation = l.relation;
    res->edges.push_back(e);
    DocState& st = res->docs[l.to];
    if (st.status == "effective") {
      st.status = l.relation == "amends" ? "amended" : "superseded";
      st.by = l.from;
      auto d = dates.find(l.from);
      st.date = d == dates.end() ? std::nullopt : std::optional<std::string>(d->second);
    }
  }
  std::sort(res->edges.begin(), res->edges.end(),
            [](const Edge& a, const Edge& b) { return std::tie(a.from, a.to) < std::tie(b.from, b.to); });
  return Status::Ok();
}

Status SqliteStore::Relink() {
  LinkInput in;
  std::map<int64_t, DocState> cur_docs;
  {
    Query q = Prepare(
        "SELECT id, doc_key, number_key, type, issuer, place, date, title, status, status_by, status_date "
        "FROM documents ORDER BY id");
    PLANTRACE_RETURN_IF_ERROR(q.ForEach([&] {
      LinkDoc d;
      d.id = q.ColInt(0);
      d.key = q.ColText(1);
      d.number_key = q.ColOptText(2);
      d.type = q.ColOptText(3);
      d.issuer = q.ColOptText(4);
      d.place = q.ColOptText(5);
      d.date = q.ColOptText(6);
      d.title = q.ColOptText(7);
      cur_docs[d.id] = DocState{q.ColText(8), q.ColOptInt(9), q.ColOptText(10)};
      in.docs.push_back(std::move(d));
    }));
  }
  std::vector<Resolution> cur_refs;
  {
    Query q = Prepare(
        "SELECT doc_id, position, number_key, date, type, part, relation, resolved_doc_id, resolved_how, "
        "resolved_score FROM doc_references ORDER BY doc_id, position");
    PLANTRACE_RETURN_IF_ERROR(q.ForEach([&] {
      LinkRef r;
      r.doc_id = q.ColInt(0);
      r.position = static_cast<int>(q.ColInt(1));
      r.number_key = q.ColText(2);
      r.date = q.ColOptText(3);
      r.type = q.ColOptText(4);
      r.part = q.ColOptText(5);
      r.relation = q.ColText(6);
      in.refs.push_back(std::move(r));
      cur_refs.push_back(Resolution{q.ColOptInt(7), q.ColText(8), q.ColDouble(9)});
    }));
  }
  {
    Query q = Prepare(
        "SELECT doc_id, number_key, date, issuer, title, page, line FROM citations ORDER BY doc_id, position");
    PLANTRACE_RETURN_IF_ERROR(q.ForEach([&] {
      Citation c;
      c.number_key = q.ColText(1);
      c.date = q.ColOptText(2);
      c.issuer = q.ColText(3);
      c.title = q.ColText(4);
      c.page = static_cast<int>(q.ColInt(5));
      c.line = static_cast<int>(q.ColInt(6));
      in.citations.emplace_back(q.ColInt(0), std::move(c));
    }));
  }
  {
    Query q = Prepare("SELECT doc_id, number_key FROM carryovers ORDER BY doc_id, position");
    PLANTRACE_RETURN_IF_ERROR(q.ForEach([&] {
      Carryover c;
      c.number_key = q.ColText(1);
      in.carryovers.emplace_back(q.ColInt(0), std::move(c));
    }));
  }
  LinkResult res = ResolveLinks(in);
  PLANTRACE_RETURN_IF_ERROR(AddIdentityLinks(in, &res));

  for (size_t i = 0; i < in.refs.size(); ++i) {
    const Resolution& want = res.refs[i];
    const Resolution& have = cur_refs[i];
    if (want.target == have.target && want.how == have.how && want.score == have.score) continue;
    Query q = Prepare(
        "UPDATE doc_references SET resolved_doc_id = ?3, resolved_how = ?4, resolved_score = ?5 "
        "WHERE doc_id = ?1 AND position = ?2");
    q.Int(1, in.refs[i].doc_id).Int(2, in.refs[i].position).OptInt(3, want.target);
    if (want.target) {
      q.Text(4, want.how).Double(5, want.score);
    } else {
      q.Null(4).Null(5);
    }
    PLANTRACE_RETURN_IF_ERROR(q.Run());
  }
  for (const auto& [id, want] : res.docs) {
    const DocState& have = cur_docs[id];
    if (want.status == have.status && want.by == have.by && want.date == have.date) continue;
    Query q = Prepare("UPDATE documents SET status = ?2, status_by = ?3, status_date = ?4 WHERE id = ?1");
    q.Int(1, id).Text(2, want.status).OptInt(3, want.by).OptText(4, want.date);
    PLANTRACE_RETURN_IF_ERROR(q.Run());
  }

  // Lineage between related plans: a pair's matches depend only on the two
  // documents, so they are computed once per pair and dropped with it.
  std::map<std::pair<int64_t, int64_t>, std::string> want_edges, have_edges;
  for (const Edge& e : res.edges) {
    if (e.relation == "supersedes" || e.relation == "amends" || e.relation == "implements") {
      want_edges[{e.from, e.to}] = e.relation;
    }
  }
  {
    Query q = Prepare("SELECT from_doc, to_doc, relation FROM lineage_edges");
    PLANTRACE_RETURN_IF_ERROR(q.ForEach([&] {
      have_edges[{q.ColInt(0), q.ColInt(1)}] = q.ColText(2);
    }));
  }
  for (const auto& [edge, relation] : have_edges) {
    auto it = want_edges.find(edge);
    if (it != want_edges.end() && it->second == relation) continue;
    PLANTRACE_RETURN_IF_ERROR(Prepare("DELETE FROM lineage WHERE from_doc = ?1 AND to_doc = ?2")
                                  .Int(1, edge.first)
                                  .Int(2, edge.second)
                                  .Run());
    PLANTRACE_RETURN_IF_ERROR(Prepare("DELETE FROM lineage_edges WHERE from_doc = ?1 AND to_doc = ?2")
                                  .Int(1, edge.first)
                                  .Int(2, edge.second)
                                  .Run());
  }
  for (const auto& [edge, relation] : want_edges) {
    auto it = have_edges.find(edge);
    if (it != have_edges.end() && it->second == relation) continue;
    Result<std::vector<LinkTask>> newer = LinkTasks(edge.first);
    if (!newer.ok()) return newer.status();
    Result<std::vector<LinkTask>> older = LinkTasks(edge.second);
    if (!older.ok()) return older.status();
    for (const LineagePair& p : MatchTasks(*newer, *older)) {
      Query q = Prepare(
          "INSERT INTO lineage (task_id, prev_task_id, from_doc, to_doc, score, linked) "
          "VALUES (?1, ?2, ?3, ?4, ?5, ?6)");
      q.Int(1, p.task).Int(2, p.prev).Int(3, edge.first).Int(4, edge.second).Double(5, p.score).Int(6, p.linked);
      PLANTRACE_RETURN_IF_ERROR(q.Run());
      for (size_t i = 0; i < p.changes.size(); ++i) {
        Query c = Prepare(
            "INSERT INTO lineage_changes (task_id, prev_task_id, position, field, old_value, new_value) "
            "VALUES (?1, ?2, ?3, ?4, ?5, ?6)");
        c.Int(1, p.task)
            .Int(2, p.prev)
            .Int(3, static_cast<int64_t>(i))
            .Text(4, p.changes[i].field)
            .Text(5, p.changes[i].from)
            .Text(6, p.changes[i].to);
        PLANTRACE_RETURN_IF_ERROR(c.Run());
      }
    }
    PLANTRACE_RETURN_IF_ERROR(
        Prepare("INSERT INTO lineage_edges (from_doc, to_doc, relation) VALUES (?1, ?2, ?3)")
            .Int(1, edge.first)
            .Int(2, edge.second)
            .Text(3, relation)
            .Run());
  }

  // Task status: documents superseded or repealed (wholly or in part), and
  // those whose tasks are not active now.
  std::set<int64_t> affected;
  for (const Edge& e : res.edges) {
    if (e.relation == "supersedes" || e.relation == "repeals") affected.insert(e.to);
  }
  {
    Query q = Prepare("SELECT DISTINCT doc_id FROM tasks WHERE status <> 'active' OR continues_task_id IS NOT NULL");
    PLANTRACE_RETURN_IF_ERROR(q.ForEach([&] {
      affected.insert(q.ColInt(0));
    }));
  }
  std::map<int64_t, std::vector<LinkTask>> tasks_by_doc;
  std::vector<LineagePair> pairs;
  for (int64_t doc : affected) {
    Result<std::vector<LinkTask>> tasks = LinkTasks(doc);
    if (!tasks.ok()) return tasks.status();
    tasks_by_doc[doc] = std::move(tasks).value();
    Query q = Prepare("SELECT task_id, prev_task_id, from_doc FROM lineage WHERE to_doc = ?1 AND linked = 1");
    q.Int(1, doc);
    for (;;) {
      Result<bool> row = q.Step();
      if (!row.ok()) return row.status();
      if (!*row) break;
      LineagePair p;
      p.task = q.ColInt(0);
      p.prev = q.ColInt(1);
      p.linked = true;
      pairs.push_back(p);
      // TaskStates finds the continuing task's document among the inputs.
      int64_t from = q.ColInt(2);
      if (!tasks_by_doc.count(from)) {
        Result<std::vector<LinkTask>> more = LinkTasks(from);
        if (!more.ok()) return more.status();
        tasks_by_doc[from] = std::move(more).value();
      }
    }
  }
  std::map<int64_t, TaskState> states = TaskStates(res.edges, in.docs, tasks_by_doc, pairs);
  for (int64_t doc : affected) {
    Query q = Prepare("SELECT id, status, continues_task_id FROM tasks WHERE doc_id = ?1");
    q.Int(1, doc);
    std::vector<std::pair<int64_t, TaskState>> updates;
    PLANTRACE_RETURN_IF_ERROR(q.ForEach([&] {
      int64_t id = q.ColInt(0);
      auto it = states.find(id);
      TaskState want = it == states.end() ? TaskState() : it->second;
      if (want.status != q.ColText(1) || want.continues != q.ColOptInt(2)) updates.emplace_back(id, want);
    }));
    for (const auto& [id, want] : updates) {
      PLANTRACE_RETURN_IF_ERROR(Prepare("UPDATE tasks SET status = ?2, continues_task_id = ?3 WHERE id = ?1")
                                    .Int(1, id)
                                    .Text(2, want.status)
                                    .OptInt(3, want.continues)
                                    .Run());
    }
  }
  return Status::Ok();
}

Status SqliteStore::SetGazetteer(const std::vector<ListEntry>& entries,
                                 const std::function<std::vector<std::string>(std::string_view)>& covers) {
  covers_ = covers;
  Transaction tx(this);
  PLANTRACE_RETURN_IF_ERROR(tx.Begin());
  PLANTRACE_RETURN_IF_ERROR(Exec("DELETE FROM gazetteer"));
  for (const ListEntry& e : entries) {
    std::vector<std::string> names = e.aliases;
    names.push_back(e.canonical);
    for (const std::string& n : names) {
      Query q = Prepare(
          "INSERT OR IGNORE INTO gazetteer (alias_key, canonical, canonical_key, kind) VALUES (?1, ?2, ?3, ?4)");
      q.Text(1, SearchKey(n)).Text(2, e.canonical).Text(3, MatchKey(e.canonical)).Text(4, e.kind);
      PLANTRACE_RETURN_IF_ERROR(q.Run());
    }
  }
  PLANTRACE_RETURN_IF_ERROR(Exec("DELETE FROM agency_covers"));
  if (covers_) {
    std::vector<std::pair<int64_t, std::string>> collectives;
    {
      Query q = Prepare(
          "SELECT a.id, al.printed FROM agencies a JOIN agency_aliases al ON al.agency_id = a.id "
          "WHERE a.kind = 'collective' UNION SELECT id, name FROM agencies WHERE kind = 'collective'");
      PLANTRACE_RETURN_IF_ERROR(q.ForEach([&] {
        collectives.emplace_back(q.ColInt(0), q.ColText(1));
      }));
    }
    for (const auto& [id, printed] : collectives) {
      for (const std::string& kind : covers_(printed)) {
        Query c = Prepare("INSERT OR IGNORE INTO agency_covers (agency_id, kind) VALUES (?1, ?2)");
        PLANTRACE_RETURN_IF_ERROR(c.Int(1, id).Text(2, kind).Run());
      }
    }
  }
  return tx.Commit();
}

Result<std::vector<RelationRow>> SqliteStore::Relations() {
  Query q = Prepare(
      "SELECT r.doc_id, d.doc_key, r.position, r.number, r.date, r.type, r.part, r.resolved_doc_id, t.doc_key, "
      "r.relation, coalesce(r.resolved_how, ''), coalesce(r.resolved_score, 0), r.sentence, "
      "EXISTS (SELECT 1 FROM carryovers c WHERE c.doc_id = r.doc_id AND c.number_key = r.number_key), r.title "
      "FROM doc_references r JOIN documents d ON d.id = r.doc_id "
      "LEFT JOIN documents t ON t.id = r.resolved_doc_id ORDER BY d.doc_key, r.position");
  std::vector<RelationRow> rows;
  PLANTRACE_RETURN_IF_ERROR(q.ForEach([&] {
    RelationRow r;
    r.from = q.ColInt(0);
    r.from_key = q.ColText(1);
    r.position = static_cast<int>(q.ColInt(2));
    r.to_number = q.ColText(3);
    r.to_date = q.ColOptText(4);
    r.to_type = q.ColOptText(5);
    r.part = q.ColOptText(6);
    r.to = q.ColOptInt(7);
    r.to_key = q.ColOptText(8);
    r.relation = q.ColText(9);
    r.how = q.ColText(10);
    r.score = q.ColDouble(11);
    r.sentence = q.ColText(12);
    r.carried_over = q.ColInt(13) != 0;
    r.to_title = q.ColOptText(14);
    rows.push_back(std::move(r));
  }));
  return rows;
}

Result<std::vector<IdentityLinkRow>> SqliteStore::IdentityLinks() {
  Query q = Prepare(
      "SELECT l.from_doc, l.to_doc, f.doc_key, t.doc_key, l.relation, l.reason, l.evidence, l.rules "
      "FROM identity_links l "
      "JOIN documents f ON f.id = l.from_doc JOIN documents t ON t.id = l.to_doc ORDER BY f.doc_key, t.doc_key");
  std::vector<IdentityLinkRow> rows;
  PLANTRACE_RETURN_IF_ERROR(q.ForEach([&] {
    IdentityLinkRow r;
    r.from = q.ColInt(0);
    r.to = q.ColInt(1);
    r.from_key = q.ColText(2);
    r.to_key = q.ColText(3);
    r.relation = q.ColText(4);
    r.reason = q.ColText(5);
    r.evidence = q.ColText(6);
    r.rules = q.ColText(7);
    rows.push_back(std::move(r));
  }));
  return rows;
}

Result<std::vector<LineageRow>> SqliteStore::Lineage(int64_t task_id) {
  Query q = Prepare(
      "SELECT l.task_id, l.prev_task_id, l.from_doc, l.to_doc, "
      // A link identity implies says why: "supersedes (issued)".
      "e.relation || coalesce(' (' || (SELECT i.reason FROM identity_links i WHERE i.from_doc = l.from_doc AND "
      "i.to_doc = l.to_doc AND i.relation = e.relation) || ')', ''), l.score, l.linked FROM lineage l "
      "JOIN lineage_edges e ON e.from_doc = l.from_doc AND e.to_doc = l.to_doc "
      "WHERE l.task_id = ?1 OR l.prev_task_id = ?1 ORDER BY l.task_id, l.prev_task_id");
  q.Int(1, task_id);
  std::vector<LineageRow> rows;
  PLANTRACE_RETURN_IF_ERROR(q.ForEach([&] {
    LineageRow l;
    l.task = q.ColInt(0);
    l.prev = q.ColInt(1);
    l.from_doc = q.ColInt(2);
    l.to_doc = q.ColInt(3);
    l.relation = q.ColText(4);
    l.score = q.ColDouble(5);
    l.linked = q.ColInt(6) != 0;
    rows.push_back(std::move(l));
  }));
  for (LineageRow& l : rows) {
    Query c = Prepare(
        "SELECT field, old_value, new_value FROM lineage_changes WHERE task_id = ?1 AND prev_task_id = ?2 "
        "ORDER BY position");
    c.Int(1, l.task).Int(2, l.prev);
    PLANTRACE_RETURN_IF_ERROR(c.ForEach([&] {
      l.changes.push_back(Change{c.ColText(0), c.ColText(1), c.ColText(2)});
    }));
  }
  return rows;
}

Result<std::vector<SourceLine>> SqliteStore::Lines(int64_t doc_id, int page, int first_line, int last_line) {
  Query q = Prepare(
      "SELECT page, line, text FROM source_lines WHERE doc_id = ?1 AND (?2 <= 0 OR page = ?2) "
      "AND line BETWEEN ?3 AND ?4 ORDER BY seq");
  q.Int(1, doc_id).Int(2, page).Int(3, first_line).Int(4, last_line);
  std::vector<SourceLine> lines;
  PLANTRACE_RETURN_IF_ERROR(q.ForEach([&] {
    SourceLine l;
    l.page = static_cast<int>(q.ColInt(0));
    l.line = static_cast<int>(q.ColInt(1));
    l.text = q.ColText(2);
    lines.push_back(std::move(l));
  }));
  return lines;
}

Result<std::vector<int64_t>> SqliteStore::FindDocuments(const std::string& ref) {
  Query q = Prepare(
      "SELECT id FROM documents WHERE (?1 <> '' AND id = ?1) OR doc_key = ?2 OR number_key = ?3 "
      "OR (length(?2) >= 4 AND substr(doc_key, 1, length(?2)) = ?2) "
      "OR (length(?4) >= 8 AND substr(sha256, 1, length(?4)) = ?4) "
      // The hash of any rendition names its document, and so does the key a
      // document had while another rendition was its reading.
      "OR (length(?4) >= 8 AND id IN (SELECT doc_id FROM renditions WHERE substr(sha256, 1, length(?4)) = ?4)) "
      "OR (instr(?2, '#') > 0 AND length(?2) - instr(?2, '#') >= 8 "
      "AND substr(doc_key, 1, instr(doc_key, '#')) = substr(?2, 1, instr(?2, '#')) "
      "AND id IN (SELECT doc_id FROM renditions WHERE substr(sha256, 1, length(?2) - instr(?2, '#')) = "
      "lower(substr(?2, instr(?2, '#') + 1)))) ORDER BY doc_key");
  q.Text(1, AllDigits(ref) ? ref : "").Text(2, ref).Text(3, NumberKey(ref)).Text(4, ToLower(ref));
  std::vector<int64_t> ids;
  PLANTRACE_RETURN_IF_ERROR(q.ForEach([&] {
    ids.push_back(q.ColInt(0));
  }));
  // An exact key wins over the prefixes it is itself a prefix of.
  if (ids.size() > 1) {
    Query exact = Prepare("SELECT id FROM documents WHERE doc_key = ?1 OR (?2 <> '' AND id = ?2)");
    exact.Text(1, ref).Text(2, AllDigits(ref) ? ref : "");
    Result<bool> row = exact.Step();
    if (!row.ok()) return row.status();
    if (*row) return std::vector<int64_t>{exact.ColInt(0)};
  }
  return ids;
}

Result<std::optional<int64_t>> SqliteStore::FindTask(const std::string& ref) {
  if (AllDigits(ref)) {
    std::optional<int64_t> id = ParseInt(ref);
    if (!id) return std::optional<int64_t>();  // more digits than any id has
    Query q = Prepare("SELECT id FROM tasks WHERE id = ?1");
    q.Int(1, *id);
    Result<bool> row = q.Step();
    if (!row.ok()) return row.status();
    if (*row) return std::optional<int64_t>(q.ColInt(0));
    return std::optional<int64_t>();
  }
  size_t colon = ref.rfind(':');
  if (colon == std::string::npos) return Status::InvalidInput("task '" + ref + "': expected ID, DOC:N or DOC:CLAUSE");
  std::string doc = ref.substr(0, colon), rest = ref.substr(colon + 1);
  Result<std::vector<int64_t>> docs = FindDocuments(doc);
  if (!docs.ok()) return docs.status();
  if (docs->empty()) return std::optional<int64_t>();
  if (docs->size() > 1) return Status::InvalidInput("document '" + doc + "' is ambiguous; use its key");
  Query q = Prepare(
      "SELECT id, position, clause, number FROM tasks WHERE doc_id = ?1 ORDER BY position");
  q.Int(1, (*docs)[0]);
  std::optional<int64_t> found;
  int hits = 0;
  const std::string want = MatchKey(rest);
  PLANTRACE_RETURN_IF_ERROR(q.ForEach([&] {
    bool hit = AllDigits(rest) ? ParseInt(rest) == q.ColInt(1) + 1 : MatchKey(q.ColText(2)) == want;
    if (hit) {
      found = q.ColInt(0);
      ++hits;
    }
  }));
  if (hits > 1) return Status::InvalidInput("task '" + ref + "' names " + std::to_string(hits) + " tasks");
  return found;
}

Result<std::vector<AgencyRow>> SqliteStore::Agencies() {
  Query q = Prepare(
      "SELECT a.id, a.scope, a.name, a.kind, a.known, "
      "(SELECT count(DISTINCT ta.task_id) FROM task_agencies ta WHERE ta.agency_id = a.id AND ta.role = 'lead'), "
      "(SELECT count(DISTINCT ta.task_id) FROM task_agencies ta WHERE ta.agency_id = a.id AND ta.role = 'coord'), "
      "(SELECT count(DISTINCT ta.task_id) FROM task_agencies ta JOIN tasks t ON t.id = ta.task_id "
      " WHERE ta.agency_id = a.id AND t.status = 'active') "
      "FROM agencies a ORDER BY a.scope, a.key");
  std::vector<AgencyRow> rows;
  PLANTRACE_RETURN_IF_ERROR(q.ForEach([&] {
    AgencyRow a;
    a.id = q.ColInt(0);
    a.scope = q.ColText(1);
    a.name = q.ColText(2);
    a.kind = q.ColText(3);
    a.known = q.ColInt(4) != 0;
    a.lead_tasks = q.ColInt(5);
    a.coord_tasks = q.ColInt(6);
    a.active_tasks = q.ColInt(7);
    rows.push_back(std::move(a));
  }));
  for (AgencyRow& a : rows) {
    Query al = Prepare("SELECT printed FROM agency_aliases WHERE agency_id = ?1 ORDER BY printed");
    al.Int(1, a.id);
    PLANTRACE_RETURN_IF_ERROR(al.ForEach([&] {
      a.aliases.push_back(al.ColText(0));
    }));
    Query cv = Prepare("SELECT kind FROM agency_covers WHERE agency_id = ?1 ORDER BY kind");
    cv.Int(1, a.id);
    PLANTRACE_RETURN_IF_ERROR(cv.ForEach([&] {
      a.covers.push_back(cv.ColText(0));
    }));
  }
  return rows;
}

std::string Score(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.3f", v);
  return buf;
}

Result<std::string> SqliteStore::ExportJson() {
  JsonWriter w;
  w.BeginObject();
  w.Key("documents").BeginArray();
  {
    Query q = Prepare(
        "SELECT d.doc_key, d.number, d.type, d.issuer, d.place, d.date, d.title, d.status, "
        "(SELECT s.doc_key FROM documents s WHERE s.id = d.status_by), d.status_date, d.sha256, d.format, "
        "(SELECT count(*) FROM tasks t WHERE t.doc_id = d.id) FROM documents d ORDER BY d.doc_key, d.sha256");
    PLANTRACE_RETURN_IF_ERROR(q.ForEach([&] {
      w.BeginObject()
          .Field("key", q.ColText(0))
          .Field("number", q.ColOptText(1))
          .Field("type", q.ColOptText(2))
          .Field("issuer", q.ColOptText(3))
          .Field("place", q.ColOptText(4))
          .Field("date", q.ColOptText(5))
          .Field("title", q.ColOptText(6))
          .Field("status", q.ColText(7))
          .Field("superseded_by", q.ColOptText(8))
          .Field("status_date", q.ColOptText(9))
          .Field("sha256", q.ColText(10))
          .Field("format", q.ColText(11))
          .Field("tasks", q.ColInt(12))
          .EndObject();
    }));
  }
  w.EndArray();
  Result<std::vector<RelationRow>> rels = Relations();
  if (!rels.ok()) return rels.status();
  w.Key("relations").BeginArray();
  for (const RelationRow& r : *rels) {
    w.BeginObject()
        .Field("from", r.from_key)
        .Field("position", r.position + 1)
        .Field("to_number", r.to_number.empty() ? std::nullopt : std::optional<std::string>(r.to_number))
        .Field("to_title", r.to_title)
        .Field("to_date", r.to_date)
        .Field("to", r.to_key)
        .Field("relation", r.relation)
        .Field("part", r.part)
        .Field("resolved_by", r.to ? std::optional<std::string>(r.how) : std::nullopt)
        .Key("score");
    if (r.to) {
      w.Raw(Score(r.score));
    } else {
      w.Null();
    }
    w.Field("carried_over", r.carried_over).EndObject();
  }
  w.EndArray();

  std::map<int64_t, std::pair<std::vector<std::string>, std::vector<std::string>>> agencies;
  {
    Query q = Prepare("SELECT task_id, role, printed FROM task_agencies ORDER BY task_id, role DESC, position");
    PLANTRACE_RETURN_IF_ERROR(q.ForEach([&] {
      auto& a = agencies[q.ColInt(0)];
      (q.ColText(1) == "lead" ? a.first : a.second).push_back(q.ColText(2));
    }));
  }
  w.Key("tasks").BeginArray();
  {
    Query q = Prepare(
        "SELECT t.id, d.doc_key, t.position, t.source, t.grp, t.number, t.name, t.output, t.deadline_raw, "
        "t.deadline_kind, t.deadline_start, t.deadline_end, t.status, c.position, cd.doc_key, t.clause "
        "FROM tasks t JOIN documents d ON d.id = t.doc_id LEFT JOIN tasks c ON c.id = t.continues_task_id "
        "LEFT JOIN documents cd ON cd.id = c.doc_id ORDER BY d.doc_key, d.sha256, t.position");
    PLANTRACE_RETURN_IF_ERROR(q.ForEach([&] {
      const auto& a = agencies[q.ColInt(0)];
      w.BeginObject()
          .Field("ref", q.ColText(1) + ":" + std::to_string(q.ColInt(2) + 1))
          .Field("doc", q.ColText(1))
          .Field("source", q.ColText(3))
          .Field("group", q.ColOptText(4))
          .Field("number", q.ColOptText(5))
          .Field("clause", q.ColText(15))
          .Field("name", q.ColText(6))
          .Key("lead")
          .Strings(a.first)
          .Key("coord")
          .Strings(a.second)
          .Field("output", q.ColOptText(7))
          .Field("deadline_raw", q.ColOptText(8))
          .Key("deadline");
      if (std::optional<std::string> kind = q.ColOptText(9)) {
        w.BeginObject()
            .Field("kind", *kind)
            .Field("start", q.ColOptText(10))
            .Field("end", q.ColOptText(11))
            .EndObject();
      } else {
        w.Null();
      }
      std::optional<std::string> cont;
      if (std::optional<int64_t> pos = q.ColOptInt(13)) cont = q.ColText(14) + ":" + std::to_string(*pos + 1);
      w.Field("status", q.ColText(12)).Field("continues", cont).EndObject();
    }));
  }
  w.EndArray();

  w.Key("lineage").BeginArray();
  {
    Query q = Prepare(
        "SELECT td.doc_key, t.position, pd.doc_key, p.position, l.score, l.linked, e.relation, l.task_id, "
        "l.prev_task_id FROM lineage l JOIN tasks t ON t.id = l.task_id JOIN documents td ON td.id = t.doc_id "
        "JOIN tasks p ON p.id = l.prev_task_id JOIN documents pd ON pd.id = p.doc_id "
        "JOIN lineage_edges e ON e.from_doc = l.from_doc AND e.to_doc = l.to_doc "
        "ORDER BY td.doc_key, td.sha256, t.position, pd.doc_key, pd.sha256, p.position");
    for (;;) {
      Result<bool> row = q.Step();
      if (!row.ok()) return row.status();
      if (!*row) break;
      w.BeginObject()
          .Field("task", q.ColText(0) + ":" + std::to_string(q.ColInt(1) + 1))
          .Field("prev", q.ColText(2) + ":" + std::to_string(q.ColInt(3) + 1))
          .Field("relation", q.ColText(6))
          .Key("score")
          .Raw(Score(q.ColDouble(4)))
          .Field("linked", q.ColInt(5) != 0)
          .Key("changes")
          .BeginArray();
      Query c = Prepare(
          "SELECT field, old_value, new_value FROM lineage_changes WHERE task_id = ?1 AND prev_task_id = ?2 "
          "ORDER BY position");
      c.Int(1, q.ColInt(7)).Int(2, q.ColInt(8));
      for (;;) {
        Result<bool> crow = c.Step();
        if (!crow.ok()) return crow.status();
        if (!*crow) break;
        w.BeginObject()
            .Field("field", c.ColText(0))
            .Field("from", c.ColText(1))
            .Field("to", c.ColText(2))
            .EndObject();
      }
      w.EndArray().EndObject();
    }
  }
  w.EndArray();
  // Links identity implies (draft -> issued plan, corrections); the key is
  // left out when there are none, so stores without them export as before.
  {
    Query q = Prepare(
        "SELECT f.doc_key, t.doc_key, l.relation, l.reason FROM identity_links l JOIN documents f ON f.id = "
        "l.from_doc JOIN documents t ON t.id = l.to_doc ORDER BY f.doc_key, t.doc_key");
    bool any = false;
    PLANTRACE_RETURN_IF_ERROR(q.ForEach([&] {
      if (!any) w.Key("identity_links").BeginArray();
      any = true;
      w.BeginObject()
          .Field("from", q.ColText(0))
          .Field("to", q.ColText(1))
          .Field("relation", q.ColText(2))
          .Field("reason", q.ColText(3))
          .EndObject();
    }));
    if (any) w.EndArray();
  }
  w.EndObject();
  return w.str() + "\n";
}

Result<std::vector<AgencyCounts>> SqliteStore::AgencyReport(const std::string& as_of,
                                                            const std::optional<std::string>& agency,
                                                            const std::string& window_end, bool lead_only) {
  std::string key;
  if (agency) {
    key = SearchKey(*agency);
    if (key.empty() || key == " ") return Status::InvalidInput("agency query has no letters or digits");
  }
  Query q = Prepare(
      "SELECT a.id, a.scope, a.name, a.kind, count(DISTINCT t.id), "
      "count(DISTINCT CASE WHEN t.due >= ?1 AND t.due <= ?2 THEN t.id END), "
      "count(DISTINCT CASE WHEN t.due < ?1 THEN t.id END) "
      "FROM agencies a JOIN task_agencies ta ON ta.agency_id = a.id AND (?4 = 0 OR ta.role = 'lead') "
      "JOIN tasks t ON t.id = ta.task_id AND t.status = 'active' "
      "WHERE ?3 = '' OR instr(' ' || a.search_key || ' ', ' ' || ?3 || ' ') > 0 "
      "OR a.id IN (SELECT al.agency_id FROM agency_aliases al WHERE instr(' ' || al.key || ' ', ' ' || ?3 || ' ') > 0) "
      "OR a.key IN (SELECT g.canonical_key FROM gazetteer g WHERE g.alias_key = ?3) "
      "GROUP BY a.id ORDER BY a.scope, a.key");
  q.Text(1, as_of).Text(2, window_end).Text(3, key).Int(4, lead_only);
  std::vector<AgencyCounts> rows;
  PLANTRACE_RETURN_IF_ERROR(q.ForEach([&] {
    AgencyCounts r;
    r.agency_id = q.ColInt(0);
    r.scope = q.ColText(1);
    r.name = q.ColText(2);
    r.kind = q.ColText(3);
    r.active = q.ColInt(4);
    r.due_soon = q.ColInt(5);
    r.overdue = q.ColInt(6);
    rows.push_back(std::move(r));
  }));
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

Result<int64_t> SqliteStore::BeginRun(const std::string& rules_hash, const std::string& kind) {
  PLANTRACE_RETURN_IF_ERROR(
      Prepare("INSERT INTO ingest_runs (rules_hash, kind) VALUES (?1, ?2)").Text(1, rules_hash).Text(2, kind).Run());
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
  PLANTRACE_RETURN_IF_ERROR(q.Run());
  // Fresh statistics after a batch, so the query planner weighs filters by
  // how many rows they keep (without them it may scan every active task to
  // find one document's). A whole ANALYZE of 1,000 plans takes 0.25 s; a
  // sampled one (analysis_limit) gave the planner counts off by 30%.
  return Exec("ANALYZE");
}

}  // namespace

std::string NumberKey(std::string_view number) { return DocNumberKey(number); }

Result<std::vector<TaskRow>> Store::Tasks(const TaskQuery& q) {
  std::vector<TaskRow> rows;
  Status st = ForEachTask(q, [&](const TaskRow& t) { rows.push_back(t); });
  if (!st.ok()) return st;
  return rows;
}

Result<std::unique_ptr<Store>> Store::Open(const std::string& path) {
  sqlite3* db = nullptr;
  // No per-call mutex: a Store is used by one thread at a time (store.h), and
  // SQLite's serialized mode locks on every column read of a long listing.
  int rc = sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX,
                           nullptr);
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
