// The store: where ingest loads Records (one transaction per document) and
// the queries behind `docs` and `tasks`. SQLite by default, PostgreSQL for a
// postgresql:// URL: store.cc and the store_*.cc files beside it implement
// it once, through store_internal.h, over an engine per database
// (store_db.h).
#ifndef PLANTRACE_PIPELINE_STORE_STORE_H_
#define PLANTRACE_PIPELINE_STORE_STORE_H_

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "pipeline/base/status.h"
#include "pipeline/stages/doctree.h"
#include "pipeline/stages/link.h"
#include "pipeline/stages/record.h"
#include "pipeline/store/identity.h"

namespace plantrace {

// What LoadDocument did.
struct LoadOutcome {
  int64_t doc_id = 0;
  bool unchanged = false;  // a rendition with the same SHA-256 was already stored
  // The file is another rendition of a document already stored (same
  // identity): stored as a rendition, not as a new document.
  bool same_document = false;
  bool reread = false;  // ...and it is the better reading: the document was re-read from it
  std::vector<std::string> formats;  // the document's renditions' formats, reading first
  std::string reading_file;          // file name of the document's reading
  std::string reading_rules;         // reading.* rule refs that chose it
  int differences = 0;               // findings of this rendition against the reading
  std::string sha256;
  int tasks = 0;
  int references = 0;
  int indicators = 0;
  int warnings = 0;
};

// What the link stage needs of a document beyond its Record, found before
// loading: its normalised lines (kept for `trace`) and link facts.
struct LoadExtras {
  std::vector<SourceLine> lines;
  LinkFacts facts;
  // Identity and reading rank under the identity rules; when absent the
  // store derives the identity from the Record alone and ranks it 0.
  std::optional<DocIdentity> identity;
  std::optional<ReadingRank> rank;
  int64_t run_id = 0;  // ingest run that read the file (0: none)
};

// One file of a stored document.
struct RenditionRow {
  int64_t id = 0;
  int64_t doc_id = 0;
  std::string sha256, format, file_name, source_path;
  std::optional<int64_t> run_id;
  int rank = 0;
  std::string rank_rules;
  bool reading = false;
  int64_t tasks = 0;
};

struct DocRow {
  int64_t id = 0;
  std::string key;  // DocumentKey: stable across stores and load orders
  std::string sha256;
  std::string source_path;
  std::string file_name;
  std::string format;
  std::optional<std::string> number;
  std::optional<std::string> type;
  std::optional<std::string> issuer;
  std::optional<std::string> place;
  std::optional<std::string> date;
  std::optional<std::string> title;
  std::optional<std::string> signer;
  std::optional<int64_t> declared_task_count;
  std::string rules_hash;
  int64_t task_count = 0;
  int64_t warning_count = 0;
  int64_t renditions = 1;
  std::string identity;  // DocIdentity::Text
  std::string status;  // effective | amended | partly_superseded | superseded | repealed
  std::optional<std::string> status_by;    // key of the document that made it so
  std::optional<std::string> status_date;  // that document's date
};

struct TaskQuery {
  // One task: its id, or "DOCKEY:N" (N = 1-based position in the document).
  std::optional<int64_t> task_id;
  // Document id (all digits) or document number ("102/KH-UBND"; matched on
  // the number key, so case and spaces do not matter).
  std::optional<std::string> doc;
  // Agency: diacritic-folded whole-word match on any printed form, canonical
  // name or alias of a lead or coordinating agency ("so khoa hoc" finds
  // "Sở Khoa học và Công nghệ").
  std::optional<std::string> agency;
  // Canonical agencies (gazetteer names) the agency query also matches,
  // found by the caller ("Sở KH&CN" -> "Sở Khoa học và Công nghệ"), and the
  // gazetteer kinds of those agencies: a collective assignment covering one
  // of these kinds ("Các sở, ban, ngành") matches too, flagged.
  std::vector<std::string> agency_canonical;
  std::vector<std::string> agency_kinds;
  bool include_collectives = false;
  // lead | coord | either
  std::string role = "either";
  // Search over folded (SearchKey) name, agencies and output: the words
  // must occur together, in this order, within one of the task's name,
  // lead agencies, coordinating agencies or output (a phrase; SQLite FTS5,
  // PostgreSQL a trigram-indexed LIKE).
  std::optional<std::string> search;
  // active (default) | superseded | carried_over | all
  std::string status = "active";
  // Window on the due date (ISO, inclusive; due.h DueDate: a month is due at
  // its end; recurring, ongoing, conditional and open deadlines have none).
  std::optional<std::string> due_before, due_after;
  // Overdue at `as_of`: due before it.
  bool overdue = false;
  std::optional<std::string> as_of;
  // Due in [as_of, due_until].
  std::optional<std::string> due_until;
  // Order by deadline end (undated last), then document key and position;
  // otherwise by load order and position.
  bool by_deadline = false;
  // Also read each task's source text and rule ids (trace); listings leave
  // them empty, as they are the bulk of a task's stored bytes.
  bool with_source = false;
  // At most this many rows, the first in order (0: all). TasksCounted also
  // says how many match in all.
  size_t limit = 0;
};

struct TaskRow {
  int64_t id = 0;
  int64_t doc_id = 0;
  int position = 0;
  std::optional<std::string> doc_number;
  std::string doc_file;
  std::string source;
  std::optional<std::string> group;
  std::optional<std::string> group_title;
  std::optional<std::string> number;
  std::optional<std::string> code;
  std::optional<std::string> title;
  std::string name;
  std::optional<std::string> lead_raw;
  std::vector<std::string> lead;  // printed forms, in order
  std::optional<std::string> coord_raw;
  std::vector<std::string> coord;
  std::optional<std::string> output;
  std::optional<std::string> deadline_raw;
  std::optional<std::string> deadline_kind;
  std::optional<std::string> deadline_start;
  std::optional<std::string> deadline_end;
  std::optional<std::string> deadline_every;
  std::optional<std::string> funding;
  int page = 0;
  int line = 0;
  std::string clause;
  std::string status;
  std::string doc_key;
  std::string ref;  // "DOCKEY:N", usable by `trace`
  std::string rules;        // provenance rule refs, space separated
  std::optional<std::string> deadline_rule;
  std::string source_text;  // the row or clause as printed
  std::optional<double> ocr_confidence;  // lowest OCR confidence of its cells; unset: text layer
  std::optional<int64_t> continues;  // id of the task that continues this one
  bool via_collective = false;  // matched --agency through a collective only
};

// A reference of a stored document, resolved or pending.
struct RelationRow {
  int64_t from = 0;
  std::string from_key;
  int position = 0;
  std::string to_number;                 // empty for a document cited by title only
  std::optional<std::string> to_title;   // that title
  std::optional<std::string> to_date, to_type, part;
  // What the reference names: its number, else its title.
  const std::string& cited() const { return to_number.empty() && to_title ? *to_title : to_number; }
  std::optional<int64_t> to;
  std::optional<std::string> to_key;
  std::string relation;
  std::string how;  // number | title | "" (pending)
  double score = 0;
  bool carried_over = false;
  std::string sentence;
};

// One lineage pair: task `task` (newer plan) continues `prev`.
struct LineageRow {
  int64_t task = 0, prev = 0;
  int64_t from_doc = 0, to_doc = 0;
  std::string relation;  // of from_doc to to_doc
  double score = 0;
  bool linked = false;
  std::vector<Change> changes;
};

// An agency entity (per scope) with its task counts.
struct AgencyRow {
  int64_t id = 0;
  std::string scope;
  std::string name;
  std::string kind;
  bool known = false;
  std::vector<std::string> aliases;   // printed forms seen
  std::vector<std::string> covers;    // kinds a collective binds
  int64_t lead_tasks = 0, coord_tasks = 0, active_tasks = 0;
};

// Per-agency workload at a date (`plantrace report`).
struct AgencyCounts {
  int64_t agency_id = 0;
  std::string scope, name, kind;
  int64_t active = 0;    // active tasks the agency leads or coordinates
  int64_t due_soon = 0;  // of which due in [as_of, window end]
  int64_t overdue = 0;   // of which the deadline ended before as_of
};

// Row count of every table (FTS included), by table name.
struct TableCounts {
  std::map<std::string, int64_t> rows;
  bool operator==(const TableCounts&) const = default;
};

// A link identity implies: `from` supersedes (or amends) `to` because it is
// its issued version, a re-issue or a correction (identity.h).
struct IdentityLinkRow {
  int64_t from = 0, to = 0;
  std::string from_key, to_key;
  std::string relation, reason, evidence;
  std::string rules;  // identity.* rule refs behind it
};

// Per-run bookkeeping for `ingest` (the only rows that carry timestamps).
struct RunFile {
  std::string path;
  std::string sha256;   // empty when the file could not be read
  std::string status;   // ok | skipped | failed
  std::string message;  // failure reason
  std::optional<int64_t> doc_id;
};

// A stored extraction warning ("what looks wrong") of one document.
struct WarningRow {
  int64_t doc_id = 0;
  std::string doc_key;
  std::string file;
  Diagnostic diagnostic;
};

struct RunCounters {
  int files = 0;
  int ok = 0;
  int skipped = 0;
  int failed = 0;
};

// How document numbers are matched: DocNumberKey of doc_key.h
// ("102/kh - UBND " -> "102/KH-UBND").
std::string NumberKey(std::string_view number);

// Not thread-safe: one thread uses a Store at a time.
class Store {
 public:
  virtual ~Store() = default;

  // Opens the store `db` and migrates it to the current schema: a
  // PostgreSQL database when `db` is a postgresql:// or postgres:// URL (the
  // database must exist; messages never quote the URL), else the SQLite
  // file at that path, created if needed (":memory:" for a private
  // in-memory store). A store written by a newer program is refused.
  static Result<std::unique_ptr<Store>> Open(const std::string& db);
  // Opens an existing store for reading only (the web view): nothing is
  // migrated or written; SQLite refuses writes (query_only), PostgreSQL
  // runs read-only transactions (give it a read-only role too). The store
  // must be at the current schema.
  static Result<std::unique_ptr<Store>> OpenReadOnly(const std::string& db);
  // Opens an existing store for the reading commands: read-only (so an
  // auditor's read-only role suffices) unless the store needs a writer
  // first — an older schema to migrate, or links a stopped batch left
  // pending — and one can open it (the writer role). Without write rights
  // pending links are read as they stand; an older schema is an error.
  static Result<std::unique_ptr<Store>> OpenForReading(const std::string& db);
  // `db` names a PostgreSQL database (postgresql:// or postgres://), not a
  // SQLite file. Such a value may carry a password: never print it.
  static bool IsDatabaseUrl(std::string_view db);

  // Schema version the store is at after Open.
  virtual Result<int> SchemaVersion() = 0;

  // Loads one document in one transaction: all of it or, on any error,
  // nothing. A file whose SHA-256 (of `original_bytes`) is already stored
  // is left as it is and `out->unchanged` is set. A file of a document
  // already stored (SameDocument) becomes one more rendition of it: its
  // differences from the reading are stored as warnings, and when it is
  // the better reading (BetterReading) the document is re-read from it,
  // keeping the ids of tasks that match (MatchTasks).
  // In the same transaction (or, after DeferLinks, in FinishLinks'),
  // references are resolved against everything stored and document status,
  // task status and lineage recomputed, so the result does not depend on the
  // order documents are loaded in.
  virtual Status LoadDocument(const Record& rec, std::string_view original_bytes,
                              const std::string& source_path, const std::string& rules_hash,
                              const LoadExtras& extras, LoadOutcome* out) = 0;
  Status LoadDocument(const Record& rec, std::string_view original_bytes, const std::string& source_path,
                      const std::string& rules_hash, LoadOutcome* out) {
    return LoadDocument(rec, original_bytes, source_path, rules_hash, LoadExtras(), out);
  }

  // The stored original bytes of a document's reading.
  virtual Result<std::string> Original(int64_t doc_id) = 0;
  // The renditions of a document, reading first, then by SHA-256.
  virtual Result<std::vector<RenditionRow>> Renditions(int64_t doc_id) = 0;
  // Merges documents that are one document under `rules` (stores written
  // before renditions, or loaded without identity rules) into one each,
  // re-read from the best reading; one transaction. Returns the number of
  // documents merged away. Idempotent.
  virtual Result<int> MergeDuplicates(const IdentityRules& rules) = 0;
  // Replaces document `doc_id`'s extraction with `rec` (re-extracted from
  // its stored original) in one transaction, keeping its id, bytes, source
  // path and ingest history; links are recomputed as LoadDocument does.
  // Task ids of the document change; "DOCKEY:N" references stay valid.
  virtual Status ReplaceDocument(int64_t doc_id, const Record& rec, const std::string& rules_hash,
                                 const LoadExtras& extras, LoadOutcome* out) = 0;
  // Batches: after DeferLinks, LoadDocument and ReplaceDocument leave the
  // recomputation of links (references, status, lineage) to FinishLinks,
  // which does it once, in one transaction. Relinking reads the whole store,
  // so doing it after every file made a batch quadratic in the store's size.
  // Until FinishLinks the store records that links are pending, and a store
  // left so (a batch killed before its end) is relinked on Open.
  virtual void DeferLinks() = 0;
  virtual Status FinishLinks() = 0;

  // Replaces the agency aliases of the gazetteer (rules/agencies.list) and
  // the kinds each stored collective agency binds; `covers` gives the kinds
  // for a collective's printed name. Idempotent.
  virtual Status SetGazetteer(const std::vector<ListEntry>& entries,
                              const std::function<std::vector<std::string>(std::string_view)>& covers) = 0;

  // Documents in load order.
  virtual Result<std::vector<DocRow>> Documents() = 0;
  // One document; nullopt when no document has that id.
  virtual Result<std::optional<DocRow>> Document(int64_t id) = 0;
  // A number that changes whenever another connection commits a change to
  // the store (SQLite's data_version): readers that cache what they read
  // (the web view) compare it before using the cache.
  virtual Result<int64_t> DataVersion() = 0;
  // Tasks matching `q`, ordered by document (load order) and position, or
  // as q.by_deadline says.
  Result<std::vector<TaskRow>> Tasks(const TaskQuery& q);
  // The same rows handed to `fn` one at a time as they are read, so that a
  // long listing is printed without being held. The row is reused: copy
  // what you keep.
  virtual Status ForEachTask(const TaskQuery& q, const std::function<void(const TaskRow&)>& fn) = 0;
  // Tasks() up to q.limit rows, and in `matched` how many match in all
  // (one pass: a listing page shows both).
  virtual Result<std::vector<TaskRow>> TasksCounted(const TaskQuery& q, int64_t* matched) = 0;
  // Names of the collective agencies ("Các sở, ban, ngành") whose
  // assignments bind the agency of q.agency (what include_collectives adds).
  virtual Result<std::vector<std::string>> BindingCollectives(const TaskQuery& q) = 0;
  virtual Result<TableCounts> Counts() = 0;

  // Every reference of every document, by citing document key and position.
  virtual Result<std::vector<RelationRow>> Relations() = 0;
  // The references document `doc_id` makes and those resolved to it.
  virtual Result<std::vector<RelationRow>> Relations(int64_t doc_id) = 0;
  // Links identity implies, by the keys of their documents.
  virtual Result<std::vector<IdentityLinkRow>> IdentityLinks() = 0;
  // Lineage pairs in which task `task_id` takes part (either side).
  virtual Result<std::vector<LineageRow>> Lineage(int64_t task_id) = 0;
  // Stored normalised lines of a document from `first_line` to `last_line`
  // on `page` (page 0: the format has no pages).
  virtual Result<std::vector<SourceLine>> Lines(int64_t doc_id, int page, int first_line, int last_line) = 0;
  // Resolves "ID", "DOCKEY:N", "NUMBER:N" or "DOC:CLAUSE" to a task id;
  // nullopt when nothing matches.
  virtual Result<std::optional<int64_t>> FindTask(const std::string& ref) = 0;
  // Resolves a document id, key (or key prefix) or number to document ids.
  virtual Result<std::vector<int64_t>> FindDocuments(const std::string& ref) = 0;
  // Warnings (severity warning or error) of one document, or of all in
  // load order, each in the order extraction found them.
  virtual Result<std::vector<WarningRow>> Warnings(std::optional<int64_t> doc_id) = 0;
  // Agencies with task counts, by scope and name.
  virtual Result<std::vector<AgencyRow>> Agencies() = 0;
  // Active-task counts per agency (directly named as lead, or as lead or
  // coord) at `as_of`, for agencies matching `agency` (all when absent);
  // agencies without active tasks are left out. Due dates as due.h DueDate.
  virtual Result<std::vector<AgencyCounts>> AgencyReport(const std::string& as_of,
                                                         const std::optional<std::string>& agency,
                                                         const std::string& window_end, bool lead_only) = 0;
  // Documents first stored in each week (Monday, ISO), oldest first: the
  // week of the ingest run that first stored them.
  virtual Result<std::vector<std::pair<std::string, int64_t>>> IngestedPerWeek() = 0;
  // The whole store as one JSON object, sorted and free of row ids and
  // timestamps: stores with the same content print the same bytes.
  virtual Result<std::string> ExportJson() = 0;

  // Ingest run log.
  // `kind`: "ingest" or "reprocess".
  virtual Result<int64_t> BeginRun(const std::string& rules_hash, const std::string& kind = "ingest") = 0;
  virtual Status RecordRunFile(int64_t run_id, int position, const RunFile& f) = 0;
  virtual Status FinishRun(int64_t run_id, const RunCounters& counters) = 0;
};

}  // namespace plantrace

#endif  // PLANTRACE_PIPELINE_STORE_STORE_H_
