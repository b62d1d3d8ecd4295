// The store's schema as PostgreSQL DDL: the same numbered steps as
// store_schema.cc's SQLite ones, each written for PostgreSQL (BIGINT for
// INTEGER, DOUBLE PRECISION for REAL, BYTEA for BLOB, TEXT in the "C"
// collation so text compares and orders byte-wise as in SQLite, STORED for
// VIRTUAL, no WITHOUT ROWID) plus what SQLite has built in: the functions
// the common SQL calls (instr, plantrace_ids for json_each), SQLite's id
// allocation, and the task search as a trigram-indexed column instead of
// FTS5. A new step here goes with the SQLite step of the same number.
#include <iterator>

#include "pipeline/store/store_internal.h"

namespace plantrace {
namespace store_internal {
namespace {

constexpr Migration kPgMigrations[] = {
    {1, R"sql(
CREATE EXTENSION IF NOT EXISTS pg_trgm;
-- SQLite's instr(haystack, needle), which the common SQL uses.
CREATE FUNCTION instr(text, text) RETURNS integer IMMUTABLE STRICT LANGUAGE sql AS 'SELECT strpos($1, $2)';
-- SQLite's json_each over a JSON array of ids (key: 0-based index), which the
-- engine substitutes for it.
CREATE FUNCTION plantrace_ids(text) RETURNS TABLE (key bigint, value bigint) IMMUTABLE STRICT LANGUAGE sql AS
  'SELECT (e.ord - 1)::bigint, e.v::bigint FROM jsonb_array_elements_text($1::jsonb) WITH ORDINALITY AS e(v, ord)';
-- A new row's id as SQLite gives a NULL INTEGER PRIMARY KEY: max(id) + 1
-- (ids of deleted last rows are reused), so both stores number alike. Safe
-- because writers are serialized (pg_advisory_xact_lock); a trigger sees
-- the rows its statement inserted before.
CREATE FUNCTION plantrace_next_id() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF NEW.id IS NULL THEN
    EXECUTE format('SELECT coalesce(max(id), 0) + 1 FROM %I.%I', TG_TABLE_SCHEMA, TG_TABLE_NAME) INTO NEW.id;
  END IF;
  RETURN NEW;
END $$;

CREATE TABLE documents (
  id BIGINT PRIMARY KEY,
  sha256 TEXT COLLATE "C" NOT NULL UNIQUE CHECK (length(sha256) = 64),
  source_path TEXT COLLATE "C" NOT NULL,
  file_name TEXT COLLATE "C" NOT NULL,
  format TEXT COLLATE "C" NOT NULL,
  number TEXT COLLATE "C",
  number_key TEXT COLLATE "C",
  type TEXT COLLATE "C",
  issuer TEXT COLLATE "C",
  place TEXT COLLATE "C",
  date TEXT COLLATE "C",
  title TEXT COLLATE "C",
  signer TEXT COLLATE "C",
  signer_title TEXT COLLATE "C",
  attachment_type TEXT COLLATE "C",
  attachment_title TEXT COLLATE "C",
  declared_task_count BIGINT,
  original BYTEA NOT NULL,
  rules_hash TEXT COLLATE "C" NOT NULL,
  ingested_at TEXT COLLATE "C" NOT NULL DEFAULT (to_char(statement_timestamp() AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"'))
);
CREATE TRIGGER documents_id BEFORE INSERT ON documents FOR EACH ROW EXECUTE FUNCTION plantrace_next_id();
CREATE INDEX documents_number_key ON documents (number_key);

CREATE TABLE doc_references (
  id BIGINT PRIMARY KEY,
  doc_id BIGINT NOT NULL REFERENCES documents (id) ON DELETE CASCADE,
  position BIGINT NOT NULL,
  number TEXT COLLATE "C" NOT NULL,
  number_key TEXT COLLATE "C" NOT NULL,
  type TEXT COLLATE "C",
  date TEXT COLLATE "C",
  relation TEXT COLLATE "C" NOT NULL
    CHECK (relation IN ('supersedes', 'amends', 'repeals', 'implements', 'based_on', 'cites')),
  part TEXT COLLATE "C",
  title TEXT COLLATE "C",
  sentence TEXT COLLATE "C" NOT NULL,
  page BIGINT NOT NULL,
  line BIGINT NOT NULL,
  clause TEXT COLLATE "C" NOT NULL,
  rule TEXT COLLATE "C" NOT NULL,
  resolved_doc_id BIGINT REFERENCES documents (id) ON DELETE SET NULL,
  UNIQUE (doc_id, position)
);
CREATE TRIGGER doc_references_id BEFORE INSERT ON doc_references FOR EACH ROW EXECUTE FUNCTION plantrace_next_id();
CREATE INDEX doc_references_number_key ON doc_references (number_key);

CREATE TABLE tasks (
  id BIGINT PRIMARY KEY,
  doc_id BIGINT NOT NULL REFERENCES documents (id) ON DELETE CASCADE,
  position BIGINT NOT NULL,
  source TEXT COLLATE "C" NOT NULL,
  grp TEXT COLLATE "C",
  group_title TEXT COLLATE "C",
  number TEXT COLLATE "C",
  code TEXT COLLATE "C",
  title TEXT COLLATE "C",
  name TEXT COLLATE "C" NOT NULL,
  lead_raw TEXT COLLATE "C",
  coord_raw TEXT COLLATE "C",
  output TEXT COLLATE "C",
  deadline_raw TEXT COLLATE "C",
  deadline_kind TEXT COLLATE "C",
  deadline_start TEXT COLLATE "C",
  deadline_end TEXT COLLATE "C",
  deadline_every TEXT COLLATE "C",
  deadline_rule TEXT COLLATE "C",
  funding TEXT COLLATE "C",
  page BIGINT NOT NULL,
  line BIGINT NOT NULL,
  clause TEXT COLLATE "C" NOT NULL,
  rules TEXT COLLATE "C" NOT NULL,
  source_text TEXT COLLATE "C" NOT NULL,
  status TEXT COLLATE "C" NOT NULL DEFAULT 'active',
  UNIQUE (doc_id, position)
);
CREATE TRIGGER tasks_id BEFORE INSERT ON tasks FOR EACH ROW EXECUTE FUNCTION plantrace_next_id();

CREATE TABLE agencies (
  id BIGINT PRIMARY KEY,
  scope TEXT COLLATE "C" NOT NULL DEFAULT '',
  name TEXT COLLATE "C" NOT NULL CHECK (name <> ''),
  key TEXT COLLATE "C" NOT NULL,
  search_key TEXT COLLATE "C" NOT NULL,
  kind TEXT COLLATE "C" NOT NULL DEFAULT '',
  known BIGINT NOT NULL DEFAULT 0,
  UNIQUE (scope, key)
);
CREATE TRIGGER agencies_id BEFORE INSERT ON agencies FOR EACH ROW EXECUTE FUNCTION plantrace_next_id();

CREATE TABLE agency_aliases (
  agency_id BIGINT NOT NULL REFERENCES agencies (id) ON DELETE CASCADE,
  printed TEXT COLLATE "C" NOT NULL,
  key TEXT COLLATE "C" NOT NULL,
  PRIMARY KEY (agency_id, printed)
);
CREATE INDEX agency_aliases_key ON agency_aliases (key);

CREATE TABLE task_agencies (
  task_id BIGINT NOT NULL REFERENCES tasks (id) ON DELETE CASCADE,
  agency_id BIGINT NOT NULL REFERENCES agencies (id),
  role TEXT COLLATE "C" NOT NULL CHECK (role IN ('lead', 'coord')),
  position BIGINT NOT NULL,
  printed TEXT COLLATE "C" NOT NULL,
  PRIMARY KEY (task_id, role, position)
);
CREATE INDEX task_agencies_agency ON task_agencies (agency_id);

CREATE TABLE indicators (
  id BIGINT PRIMARY KEY,
  doc_id BIGINT NOT NULL REFERENCES documents (id) ON DELETE CASCADE,
  position BIGINT NOT NULL,
  source TEXT COLLATE "C" NOT NULL,
  grp TEXT COLLATE "C",
  group_title TEXT COLLATE "C",
  number TEXT COLLATE "C",
  name TEXT COLLATE "C" NOT NULL,
  unit TEXT COLLATE "C",
  targets_json TEXT COLLATE "C" NOT NULL,
  monitor TEXT COLLATE "C" NOT NULL,
  page BIGINT NOT NULL,
  line BIGINT NOT NULL,
  clause TEXT COLLATE "C" NOT NULL,
  UNIQUE (doc_id, position)
);
CREATE TRIGGER indicators_id BEFORE INSERT ON indicators FOR EACH ROW EXECUTE FUNCTION plantrace_next_id();

CREATE TABLE diagnostics (
  id BIGINT PRIMARY KEY,
  doc_id BIGINT NOT NULL REFERENCES documents (id) ON DELETE CASCADE,
  position BIGINT NOT NULL,
  severity TEXT COLLATE "C" NOT NULL CHECK (severity IN ('info', 'warning', 'error')),
  code TEXT COLLATE "C" NOT NULL,
  message TEXT COLLATE "C" NOT NULL,
  page BIGINT NOT NULL,
  line BIGINT NOT NULL,
  clause TEXT COLLATE "C" NOT NULL,
  rule TEXT COLLATE "C" NOT NULL,
  UNIQUE (doc_id, position)
);
CREATE TRIGGER diagnostics_id BEFORE INSERT ON diagnostics FOR EACH ROW EXECUTE FUNCTION plantrace_next_id();

CREATE TABLE ingest_runs (
  id BIGINT PRIMARY KEY,
  rules_hash TEXT COLLATE "C" NOT NULL,
  started_at TEXT COLLATE "C" NOT NULL DEFAULT (to_char(statement_timestamp() AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"')),
  finished_at TEXT COLLATE "C",
  files BIGINT NOT NULL DEFAULT 0,
  ok BIGINT NOT NULL DEFAULT 0,
  skipped BIGINT NOT NULL DEFAULT 0,
  failed BIGINT NOT NULL DEFAULT 0
);
CREATE TRIGGER ingest_runs_id BEFORE INSERT ON ingest_runs FOR EACH ROW EXECUTE FUNCTION plantrace_next_id();

CREATE TABLE run_files (
  run_id BIGINT NOT NULL REFERENCES ingest_runs (id) ON DELETE CASCADE,
  position BIGINT NOT NULL,
  path TEXT COLLATE "C" NOT NULL,
  sha256 TEXT COLLATE "C",
  status TEXT COLLATE "C" NOT NULL CHECK (status IN ('ok', 'skipped', 'failed')),
  message TEXT COLLATE "C" NOT NULL DEFAULT '',
  doc_id BIGINT REFERENCES documents (id) ON DELETE SET NULL,
  PRIMARY KEY (run_id, position)
);

-- SQLite's FTS5 table of folded task text, as one indexed column: the
-- SearchKey words of name, lead, coord and output, one space apart, the
-- columns ' | '-separated and the whole in spaces (store_load.cc FtsDoc).
-- A phrase search is a LIKE '% words %' the trigram index answers.
CREATE TABLE tasks_fts (
  task_id BIGINT PRIMARY KEY,
  doc TEXT COLLATE "C" NOT NULL
);
CREATE INDEX tasks_fts_doc ON tasks_fts USING gin (doc gin_trgm_ops);
)sql"},
    {2, R"sql(
ALTER TABLE documents ADD COLUMN doc_key TEXT COLLATE "C" NOT NULL DEFAULT '';
ALTER TABLE documents ADD COLUMN status TEXT COLLATE "C" NOT NULL DEFAULT 'effective'
  CHECK (status IN ('effective', 'amended', 'partly_superseded', 'superseded', 'repealed'));
ALTER TABLE documents ADD COLUMN status_by BIGINT REFERENCES documents (id) ON DELETE SET NULL;
ALTER TABLE documents ADD COLUMN status_date TEXT COLLATE "C";
UPDATE documents SET doc_key = coalesce(number_key, 'unnumbered') || '@' || coalesce(date, '-') || '#' || substr(sha256, 1, 8);
CREATE INDEX documents_doc_key ON documents (doc_key);

ALTER TABLE doc_references ADD COLUMN resolved_how TEXT COLLATE "C";
ALTER TABLE doc_references ADD COLUMN resolved_score DOUBLE PRECISION;

ALTER TABLE tasks ADD COLUMN continues_task_id BIGINT REFERENCES tasks (id) ON DELETE SET NULL;
-- The last day a task is due (due.h DueDate): none for recurring, ongoing,
-- conditional and open deadlines, which are never overdue.
ALTER TABLE tasks ADD COLUMN due TEXT COLLATE "C" GENERATED ALWAYS AS (
  CASE WHEN deadline_kind IN ('month', 'quarter', 'year', 'range') THEN deadline_end
       WHEN deadline_kind = 'date' THEN coalesce(deadline_end, deadline_start) END) STORED;
CREATE INDEX tasks_status_due ON tasks (status, due);

-- Normalised lines of each document, for trace.
CREATE TABLE source_lines (
  doc_id BIGINT NOT NULL REFERENCES documents (id) ON DELETE CASCADE,
  seq BIGINT NOT NULL,
  page BIGINT NOT NULL,
  line BIGINT NOT NULL,
  text TEXT COLLATE "C" NOT NULL,
  PRIMARY KEY (doc_id, seq)
);
CREATE INDEX source_lines_at ON source_lines (doc_id, page, line);

-- Cited numbers with the issuer and title printed after them (link.h).
CREATE TABLE citations (
  doc_id BIGINT NOT NULL REFERENCES documents (id) ON DELETE CASCADE,
  position BIGINT NOT NULL,
  number_key TEXT COLLATE "C" NOT NULL,
  date TEXT COLLATE "C",
  issuer TEXT COLLATE "C" NOT NULL,
  title TEXT COLLATE "C" NOT NULL,
  page BIGINT NOT NULL,
  line BIGINT NOT NULL,
  PRIMARY KEY (doc_id, position)
);

CREATE TABLE carryovers (
  doc_id BIGINT NOT NULL REFERENCES documents (id) ON DELETE CASCADE,
  position BIGINT NOT NULL,
  number_key TEXT COLLATE "C" NOT NULL,
  sentence TEXT COLLATE "C" NOT NULL,
  page BIGINT NOT NULL,
  line BIGINT NOT NULL,
  rule TEXT COLLATE "C" NOT NULL,
  PRIMARY KEY (doc_id, position)
);

-- Derived: pairs of documents whose tasks were matched, and the matches.
CREATE TABLE lineage_edges (
  from_doc BIGINT NOT NULL REFERENCES documents (id) ON DELETE CASCADE,
  to_doc BIGINT NOT NULL REFERENCES documents (id) ON DELETE CASCADE,
  relation TEXT COLLATE "C" NOT NULL,
  PRIMARY KEY (from_doc, to_doc)
);

CREATE TABLE lineage (
  task_id BIGINT NOT NULL REFERENCES tasks (id) ON DELETE CASCADE,
  prev_task_id BIGINT NOT NULL REFERENCES tasks (id) ON DELETE CASCADE,
  from_doc BIGINT NOT NULL,
  to_doc BIGINT NOT NULL,
  score DOUBLE PRECISION NOT NULL,
  linked BIGINT NOT NULL,
  PRIMARY KEY (task_id, prev_task_id)
);
CREATE INDEX lineage_prev ON lineage (prev_task_id);
CREATE INDEX lineage_docs ON lineage (from_doc, to_doc);

CREATE TABLE lineage_changes (
  task_id BIGINT NOT NULL,
  prev_task_id BIGINT NOT NULL,
  position BIGINT NOT NULL,
  field TEXT COLLATE "C" NOT NULL,
  old_value TEXT COLLATE "C" NOT NULL,
  new_value TEXT COLLATE "C" NOT NULL,
  PRIMARY KEY (task_id, prev_task_id, position),
  FOREIGN KEY (task_id, prev_task_id) REFERENCES lineage (task_id, prev_task_id) ON DELETE CASCADE
);

-- Gazetteer aliases (rules/agencies.list), folded: alias key -> canonical.
CREATE TABLE gazetteer (
  alias_key TEXT COLLATE "C" NOT NULL,
  canonical TEXT COLLATE "C" NOT NULL,
  canonical_key TEXT COLLATE "C" NOT NULL,
  kind TEXT COLLATE "C" NOT NULL,
  PRIMARY KEY (alias_key, canonical)
);

-- Kinds of agency a collective agency binds ("Các sở, ban, ngành").
CREATE TABLE agency_covers (
  agency_id BIGINT NOT NULL REFERENCES agencies (id) ON DELETE CASCADE,
  kind TEXT COLLATE "C" NOT NULL,
  PRIMARY KEY (agency_id, kind)
);
CREATE INDEX agencies_kind ON agencies (kind);
CREATE INDEX task_agencies_task ON task_agencies (task_id, role);
)sql"},
    {3, R"sql(
-- Original bytes apart from the document row, so that reading a document's
-- columns never walks the blob's overflow pages.
CREATE TABLE originals (
  doc_id BIGINT PRIMARY KEY REFERENCES documents (id) ON DELETE CASCADE,
  bytes BYTEA NOT NULL
);
INSERT INTO originals (doc_id, bytes) SELECT id, original FROM documents;
ALTER TABLE documents DROP COLUMN original;
)sql"},
    {4, R"sql(
-- Listings by deadline find, filter and order tasks from this index alone,
-- without reading the (wide) task rows they then drop.
DROP INDEX tasks_status_due;
CREATE INDEX tasks_status_due ON tasks (status, due, doc_id, position);
ANALYZE tasks;  -- not the whole database: other stores' schemas too
)sql"},
    {5, R"sql(
-- Runs that re-extracted stored originals (plantrace reprocess) are logged
-- beside ingest runs.
ALTER TABLE ingest_runs ADD COLUMN kind TEXT COLLATE "C" NOT NULL DEFAULT 'ingest'
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
  task_id BIGINT NOT NULL REFERENCES tasks (id) ON DELETE CASCADE,
  agency_id BIGINT NOT NULL REFERENCES agencies (id),
  role TEXT COLLATE "C" NOT NULL CHECK (role IN ('lead', 'coord')),
  position BIGINT NOT NULL,
  printed TEXT COLLATE "C" NOT NULL,
  PRIMARY KEY (task_id, role, position)
);
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
  id BIGINT PRIMARY KEY,
  doc_id BIGINT NOT NULL REFERENCES documents (id) ON DELETE CASCADE,
  sha256 TEXT COLLATE "C" NOT NULL UNIQUE CHECK (length(sha256) = 64),
  format TEXT COLLATE "C" NOT NULL,
  source_path TEXT COLLATE "C" NOT NULL,
  file_name TEXT COLLATE "C" NOT NULL,
  bytes BYTEA NOT NULL,
  run_id BIGINT REFERENCES ingest_runs (id) ON DELETE SET NULL,
  rank BIGINT NOT NULL DEFAULT 0,
  rank_rules TEXT COLLATE "C" NOT NULL DEFAULT '',
  number TEXT COLLATE "C", type TEXT COLLATE "C", issuer TEXT COLLATE "C", date TEXT COLLATE "C", title TEXT COLLATE "C", place TEXT COLLATE "C", signer TEXT COLLATE "C",
  ingested_at TEXT COLLATE "C" NOT NULL DEFAULT (to_char(statement_timestamp() AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"'))
);
CREATE TRIGGER renditions_id BEFORE INSERT ON renditions FOR EACH ROW EXECUTE FUNCTION plantrace_next_id();
CREATE INDEX renditions_doc ON renditions (doc_id);

CREATE TABLE rendition_tasks (
  rendition_id BIGINT NOT NULL REFERENCES renditions (id) ON DELETE CASCADE,
  position BIGINT NOT NULL,
  number TEXT COLLATE "C" NOT NULL,
  name TEXT COLLATE "C" NOT NULL,
  lead TEXT COLLATE "C" NOT NULL,  -- printed lead agencies, one per line
  deadline TEXT COLLATE "C" NOT NULL,
  output TEXT COLLATE "C" NOT NULL,
  page BIGINT NOT NULL,
  line BIGINT NOT NULL,
  clause TEXT COLLATE "C" NOT NULL,
  PRIMARY KEY (rendition_id, position)
);

-- Derived: how each rendition differs from its document's reading.
CREATE TABLE rendition_warnings (
  doc_id BIGINT NOT NULL REFERENCES documents (id) ON DELETE CASCADE,
  rendition_id BIGINT NOT NULL REFERENCES renditions (id) ON DELETE CASCADE,
  position BIGINT NOT NULL,
  code TEXT COLLATE "C" NOT NULL,
  message TEXT COLLATE "C" NOT NULL,
  page BIGINT NOT NULL,
  line BIGINT NOT NULL,
  clause TEXT COLLATE "C" NOT NULL,
  rule TEXT COLLATE "C" NOT NULL,
  PRIMARY KEY (rendition_id, position)
);
CREATE INDEX rendition_warnings_doc ON rendition_warnings (doc_id);

-- Derived: links identity implies (an issued plan supersedes its draft, a
-- correction or re-issue links to the document it corrects).
CREATE TABLE identity_links (
  from_doc BIGINT NOT NULL REFERENCES documents (id) ON DELETE CASCADE,
  to_doc BIGINT NOT NULL REFERENCES documents (id) ON DELETE CASCADE,
  relation TEXT COLLATE "C" NOT NULL,
  reason TEXT COLLATE "C" NOT NULL,
  evidence TEXT COLLATE "C" NOT NULL,
  rules TEXT COLLATE "C" NOT NULL,  -- identity.* rule refs behind the link
  PRIMARY KEY (from_doc, to_doc)
);

ALTER TABLE documents ADD COLUMN identity TEXT COLLATE "C" NOT NULL DEFAULT '';
ALTER TABLE documents ADD COLUMN id_number TEXT COLLATE "C" NOT NULL DEFAULT '';
ALTER TABLE documents ADD COLUMN id_date TEXT COLLATE "C" NOT NULL DEFAULT '';
ALTER TABLE documents ADD COLUMN id_issuer TEXT COLLATE "C" NOT NULL DEFAULT '';
ALTER TABLE documents ADD COLUMN id_type TEXT COLLATE "C" NOT NULL DEFAULT '';
ALTER TABLE documents ADD COLUMN id_title TEXT COLLATE "C" NOT NULL DEFAULT '';
ALTER TABLE documents ADD COLUMN draft BIGINT NOT NULL DEFAULT 0;
ALTER TABLE documents ADD COLUMN correction TEXT COLLATE "C" NOT NULL DEFAULT '';
ALTER TABLE documents ADD COLUMN id_rules TEXT COLLATE "C" NOT NULL DEFAULT '';

INSERT INTO renditions (doc_id, sha256, format, source_path, file_name, bytes, run_id, number, type, issuer, date,
                        title, place, signer, ingested_at)
  SELECT d.id, d.sha256, d.format, d.source_path, d.file_name, o.bytes,
         (SELECT min(f.run_id) FROM run_files f WHERE f.sha256 = d.sha256), d.number, d.type, d.issuer, d.date,
         d.title, d.place, d.signer, d.ingested_at
  FROM documents d JOIN originals o ON o.doc_id = d.id;
INSERT INTO rendition_tasks (rendition_id, position, number, name, lead, deadline, output, page, line, clause)
  SELECT r.id, t.position, coalesce(t.number, ''), t.name,
         coalesce((SELECT string_agg(ta.printed, chr(10) ORDER BY ta.position) FROM task_agencies ta
                   WHERE ta.task_id = t.id AND ta.role = 'lead'), ''),
         coalesce(t.deadline_raw, ''), coalesce(t.output, ''), t.page, t.line, t.clause
  FROM tasks t JOIN renditions r ON r.doc_id = t.doc_id;
DROP TABLE originals;
CREATE VIEW originals (doc_id, bytes) AS
  SELECT r.doc_id, r.bytes FROM renditions r JOIN documents d ON d.id = r.doc_id AND d.sha256 = r.sha256;
)sql"},
    {10, R"sql(
-- Work a batch left for its end (Store::DeferLinks): 'relink' while the
-- links of documents loaded since are not yet recomputed.
CREATE TABLE pending_work (what TEXT COLLATE "C" PRIMARY KEY);
)sql"},
    {11, R"sql(
-- The lowest OCR confidence (0..100) of the cells a task was read from;
-- NULL when its page had a text layer.
ALTER TABLE tasks ADD COLUMN ocr_confidence DOUBLE PRECISION;
)sql"},
    {12, R"sql(
-- plantrace_ids as the planner can see through: not STRICT, so it is
-- inlined, and over unnest, whose row estimate is the bound array's length.
-- The old one was estimated at 1,000 rows whatever it held, so a listing's
-- few ids were hash-joined against whole tables (task_agencies: 53,000 rows
-- scanned for 205 tasks). A NULL array yields no rows, as STRICT did.
CREATE OR REPLACE FUNCTION plantrace_ids(text) RETURNS TABLE (key bigint, value bigint) IMMUTABLE LANGUAGE sql AS
  'SELECT e.ord - 1, e.v FROM unnest(translate($1, ''[]'', ''{}'')::bigint[]) WITH ORDINALITY AS e(v, ord)';
)sql"},
    {13, R"sql(
-- Step 4's index with the task id, which listings by deadline select: as
-- SQLite's (whose indexes hold the rowid) it answers them alone, where
-- each of an overdue listing's thousands of rows was read from the table.
DROP INDEX tasks_status_due;
CREATE INDEX tasks_status_due ON tasks (status, due, doc_id, position) INCLUDE (id);
ANALYZE tasks;
)sql"},
};


}  // namespace

std::span<const Migration> PgMigrations() { return kPgMigrations; }

}  // namespace store_internal
}  // namespace plantrace
