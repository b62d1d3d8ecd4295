// The store's schema: numbered migrations applied once each (Migrate), the
// version a store is at, and the row count of every table.
#include <iterator>
#include <string>

#include "pipeline/store/store_internal.h"

namespace plantrace {
namespace store_internal {
namespace {

// The SQLite store's steps, each applied in its own transaction.
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
    {10, R"sql(
-- Work a batch left for its end (Store::DeferLinks): 'relink' while the
-- links of documents loaded since are not yet recomputed.
CREATE TABLE pending_work (what TEXT PRIMARY KEY);
)sql"},
    {11, R"sql(
-- The lowest OCR confidence (0..100) of the cells a task was read from;
-- NULL when its page had a text layer.
ALTER TABLE tasks ADD COLUMN ocr_confidence REAL;
)sql"},
    {12, R"sql(
-- PostgreSQL's step 12 makes its json_each stand-in visible to its planner;
-- SQLite's json_each needs nothing.
)sql"},
    {13, R"sql(
-- PostgreSQL's step 13 adds the task id to tasks_status_due; SQLite's
-- indexes hold the rowid already.
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

}  // namespace

int LatestSchemaVersion() { return kLatestVersion; }

Result<int> SqlStore::SchemaVersion() {
  Query q = Prepare("SELECT coalesce(max(version), 0) FROM schema_version");
  Result<bool> row = q.Step();
  if (!row.ok()) return row.status();
  return static_cast<int>(q.ColInt(0));
}

Status SqlStore::Migrate() {
  if (db_->backend() == Backend::kPostgres) return MigratePostgres();
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
    // Each migration not recorded as applied (tests take one back out).
    Query applied = Prepare("SELECT 1 FROM schema_version WHERE version = ?1");
    applied.Int(1, m.version);
    Result<bool> done = applied.Step();
    if (!done.ok()) return done.status();
    if (*done) continue;
    Status st = Exec(m.sql);
    if (!st.ok()) return st.Annotate("schema migration " + std::to_string(m.version));
    PLANTRACE_RETURN_IF_ERROR(Prepare("INSERT INTO schema_version (version) VALUES (?1)").Int(1, m.version).Run());
    PLANTRACE_RETURN_IF_ERROR(tx.Commit());
  }
  return Status::Ok();
}

// DDL is transactional in PostgreSQL: every pending step in one transaction,
// under the writer lock, so two processes opening a new store do not race
// (CREATE TABLE IF NOT EXISTS is not safe against a concurrent one).
Status SqlStore::MigratePostgres() {
  // A store already at this version (every open but the first) needs no
  // write transaction: no wait for the writer lock, no DataVersion bump
  // (which made `serve` redraw its pages after each command). Read in the
  // store's own schema: search_path may list another store's after it.
  {
    Query q = Prepare(
        "SELECT CASE WHEN to_regclass(quote_ident(current_schema()) || '.schema_version') IS NULL THEN 0 ELSE 1 END");
    Result<bool> row = q.Step();
    if (!row.ok()) return row.status();
    if (*row && q.ColInt(0) != 0) {
      Result<int> current = SchemaVersion();
      if (!current.ok()) return current.status();
      if (*current == kLatestVersion) return Status::Ok();
    }
  }
  Transaction tx(this);
  PLANTRACE_RETURN_IF_ERROR(tx.Begin());
  PLANTRACE_RETURN_IF_ERROR(Exec(
      "CREATE TABLE IF NOT EXISTS schema_version (version INTEGER PRIMARY KEY);"
      // DataVersion(): bumped by every write transaction (pg_engine.cc).
      "CREATE TABLE IF NOT EXISTS store_state (version BIGINT NOT NULL);"
      "INSERT INTO store_state (version) SELECT 0 WHERE NOT EXISTS (SELECT 1 FROM store_state)"));
  Result<int> current = SchemaVersion();
  if (!current.ok()) return current.status();
  if (*current > kLatestVersion) {
    return Status::Unsupported("store schema version " + std::to_string(*current) +
                               " is newer than this program's (" + std::to_string(kLatestVersion) + ")");
  }
  for (const Migration& m : PgMigrations()) {
    if (m.version <= *current) continue;
    Status st = Exec(m.sql);
    if (!st.ok()) return st.Annotate("schema migration " + std::to_string(m.version));
    PLANTRACE_RETURN_IF_ERROR(Prepare("INSERT INTO schema_version (version) VALUES (?1)").Int(1, m.version).Run());
  }
  return tx.Commit();
}

Result<TableCounts> SqlStore::Counts() {
  TableCounts counts;
  for (const char* table : kTables) {
    Query q = Prepare(std::string("SELECT count(*) FROM ") + table);
    Result<bool> row = q.Step();
    if (!row.ok()) return row.status();
    counts.rows[table] = q.ColInt(0);
  }
  return counts;
}

}  // namespace store_internal
}  // namespace plantrace
