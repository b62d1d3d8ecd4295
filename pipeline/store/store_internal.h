// Internal to pipeline/store/: the implementation of the Store interface
// (store.h) over an Engine (store_db.h: SQLite or PostgreSQL), shared by the
// store*.cc files that implement it, one concern each (README.md lists
// them). Not an interface: nothing outside pipeline/store/ includes it, and
// within it only those files do.
#ifndef PLANTRACE_PIPELINE_STORE_STORE_INTERNAL_H_
#define PLANTRACE_PIPELINE_STORE_STORE_INTERNAL_H_

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
#include <utility>
#include <vector>

#include "pipeline/base/status.h"
#include "pipeline/stages/link.h"
#include "pipeline/store/renditions.h"
#include "pipeline/store/store.h"
#include "pipeline/store/store_db.h"

namespace plantrace {

class JsonWriter;

namespace store_internal {

// `s`, or nullopt when it is empty.
std::optional<std::string> NonEmpty(const std::string& s);
// The file name of a path.
std::string BaseName(const std::string& path);
bool AllDigits(const std::string& s);
// Appends `id` to a JSON array being written ("[" so far, or "[1,2").
void AppendId(std::string* ids, int64_t id);
// Binds a diagnostic's code, message, page, line, clause and rule to
// ?first ... ?first+5 (the columns diagnostics and rendition_warnings share).
Query& BindDiagnostic(Query& q, int first, const Diagnostic& d);

// A document's identity under the identity rules, as MergeDuplicates
// recomputes it.
struct IdentifiedDoc {
  int64_t id;
  std::string key;
  DocIdentity identity;
};

// The rank and hash of a document's reading; sha256 is empty when the
// document has none.
struct ReadingRankRow {
  int rank = 0;
  std::string sha256;
};

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

// What a task listing shows of a kept task's document.
struct TaskDocInfo {
  std::optional<std::string> number;
  std::string file_name, doc_key;
};

// The agencies a task query names (by name) and the collectives that bind
// them; `on` when the query filters by agency at all.
struct AgencyFilter {
  bool on = false;
  std::unordered_set<int64_t> named, collective;
};

// The members are grouped by the file that defines them.
// A task's row of tasks_fts (folded text of its name, agencies, output).
struct FtsRow {
  int64_t task_id = 0;
  std::string name, lead, coord, output;
};
// The agencies one document's load has upserted so far, as the rows stand
// after it (the load holds the write lock), so that the upserts of an
// agency named again, which would change nothing, are skipped: a plan names
// the same few agencies task after task.
struct AgencyMemo {
  struct Entry {
    int64_t id = 0;
    int64_t known = 0;
    std::string kind;
    std::unordered_set<std::string> aliases;  // printed names whose alias row is written
    std::unordered_set<std::string> covered;  // names whose agency_covers rows are written
  };
  std::map<std::pair<std::string, std::string>, Entry> agencies;  // by (scope, key)
};
// The words of folded text (SearchKey), one space apart, no space around:
// the tokens FTS5 reads from it.
std::string FtsWords(std::string_view folded);
// A task's searchable text in PostgreSQL's tasks_fts.doc (FTS5's four
// columns): " name | lead | coord | output ", each column's FtsWords, so
// that an FTS5 phrase (consecutive words within one column) is exactly a
// substring " words " that cannot span a "|".
std::string FtsDoc(const FtsRow& r);

// The schema version Migrate() brings a store to.
int LatestSchemaVersion();

// A numbered schema step. A step is applied once and recorded in
// schema_version; never edit a released step, add one.
struct Migration {
  int version;
  const char* sql;
};
// store_schema_pg.cc: the steps of a PostgreSQL store, numbered as SQLite's.
std::span<const Migration> PgMigrations();

class SqlStore final : public Store {
 public:
  explicit SqlStore(std::unique_ptr<Engine> engine) : db_(std::move(engine)) {}

  // store.cc: the connection.
  Status Init();
  // For OpenReadOnly: no migration, no link pass; the schema must be current.
  Status InitReadOnly();
  // Runs SQL text without parameters (schema steps).
  Status Exec(const char* sql) { return db_->Exec(sql); }
  Engine& engine() { return *db_; }

  // store_schema.cc
  void DeferLinks() override { defer_links_ = true; }
  Status FinishLinks() override;
  // A batch deferred links and has not finished them (pending_work).
  Result<bool> LinksPending();
  Result<int> SchemaVersion() override;
  Result<TableCounts> Counts() override;

  // store_load.cc
  using Store::LoadDocument;
  Status LoadDocument(const Record& rec, std::string_view original_bytes, const std::string& source_path,
                      const std::string& rules_hash, const LoadExtras& extras, LoadOutcome* out) override;
  Status ReplaceDocument(int64_t doc_id, const Record& rec, const std::string& rules_hash,
                         const LoadExtras& extras, LoadOutcome* out) override;
  Result<int64_t> BeginRun(const std::string& rules_hash, const std::string& kind) override;
  Status RecordRunFile(int64_t run_id, int position, const RunFile& f) override;
  Status FinishRun(int64_t run_id, const RunCounters& counters) override;

  // store_renditions.cc
  Result<std::string> Original(int64_t doc_id) override;
  Result<std::vector<RenditionRow>> Renditions(int64_t doc_id) override;
  Result<int> MergeDuplicates(const IdentityRules& rules) override;

  // store_agencies.cc
  Status SetGazetteer(const std::vector<ListEntry>& entries,
                      const std::function<std::vector<std::string>(std::string_view)>& covers) override;
  Result<std::vector<std::string>> BindingCollectives(const TaskQuery& q) override;
  Result<std::vector<AgencyRow>> Agencies() override;
  Result<std::vector<AgencyCounts>> AgencyReport(const std::string& as_of, const std::optional<std::string>& agency,
                                                 const std::string& window_end, bool lead_only) override;

  // store_tasks.cc
  Status ForEachTask(const TaskQuery& q, const std::function<void(const TaskRow&)>& fn) override;
  Result<std::vector<TaskRow>> TasksCounted(const TaskQuery& q, int64_t* matched) override;
  Result<std::optional<int64_t>> FindTask(const std::string& ref) override;

  // store_links.cc
  Result<std::vector<RelationRow>> Relations() override;
  Result<std::vector<RelationRow>> Relations(int64_t doc_id) override;
  Result<std::vector<LineageRow>> Lineage(int64_t task_id) override;
  Result<std::vector<IdentityLinkRow>> IdentityLinks() override;

  // store_queries.cc
  Result<std::vector<DocRow>> Documents() override;
  Result<std::optional<DocRow>> Document(int64_t id) override;
  Result<int64_t> DataVersion() override;
  Result<std::vector<std::pair<std::string, int64_t>>> IngestedPerWeek() override;
  Result<std::vector<int64_t>> FindDocuments(const std::string& ref) override;
  Result<std::vector<WarningRow>> Warnings(std::optional<int64_t> doc_id) override;
  Result<std::vector<SourceLine>> Lines(int64_t doc_id, int page, int first_line, int last_line) override;
  Result<std::string> ExportJson() override;

 private:
  // The cached statement for `sql` (prepared on first use).
  Query Prepare(const std::string& sql) { return db_->Prepare(sql); }

  // store_schema.cc
  Status Migrate();
  Status MigratePostgres();

  // store_load.cc
  // The one way a document's extraction is written, for a first load and
  // for a re-read alike: `rec` becomes the extraction of document `doc_id`,
  // a new document when `doc_id` is 0, else re-read in place (its row, its
  // renditions and ingest history stay; the ids of tasks that match the old
  // ones are kept; agencies only the old reading named go).
  Status ReadInto(int64_t doc_id, const Record& rec, const std::string& sha, const std::string& source_path,
                  const std::string& rules_hash, const DocIdentity& identity, const LoadExtras& extras,
                  LoadOutcome* out);
  // A file of stored document `doc_id`: one more rendition of it, and its
  // reading when it is the better one (the document is re-read from it).
  Status AddRendition(int64_t doc_id, const Record& rec, std::string_view bytes, const std::string& source_path,
                      const std::string& rules_hash, const DocIdentity& identity, const LoadExtras& extras,
                      LoadOutcome* out, int64_t* rendition_id);
  // What follows every write of a document: its rendition warnings against
  // its reading, then every derived link (or, after DeferLinks, a mark that
  // links are pending). `added` (> 0): the only change is
  // that rendition, added beside an unchanged reading.
  Status Settle(int64_t doc_id, int64_t added = 0);
  // What the ingest report says about the renditions of out->doc_id.
  Status DescribeRenditions(LoadOutcome* out);
  // The stored document that `identity` names, if any.
  Result<std::optional<int64_t>> FindSameDocument(const DocIdentity& identity, int64_t except = 0);
  // Writes the document row (a new one when `id` is 0, else updates row
  // `id` in place) and its tasks, indicators, references and diagnostics.
  // `task_ids` gives the id to keep for a task position (a re-read).
  Status InsertDocument(const Record& rec, const std::string& sha, const std::string& source_path,
                        const std::string& rules_hash, const DocIdentity& identity, LoadOutcome* out,
                        int64_t id = 0, const std::map<int, int64_t>& task_ids = {});
  // The row's id.
  Result<int64_t> WriteDocumentRow(const Record& rec, const std::string& sha, const std::string& source_path,
                          const std::string& rules_hash, const DocIdentity& identity, int64_t id);
  // PostgreSQL: ANALYZE when the tasks have doubled since last analyzed.
  Status AnalyzeIfGrown();
  Status InsertTasks(int64_t doc_id, const std::vector<Task>& tasks, const std::string& scope,
                     const std::map<int, int64_t>& task_ids);
  // One task row, numbered `id`, and its agencies (upserted through `memo`);
  // its full-text row is added to `fts`.
  Status InsertTask(int64_t doc_id, int position, const Task& t, const std::string& scope, int64_t id,
                    std::vector<FtsRow>* fts, AgencyMemo* memo);
  Status InsertIndicators(int64_t doc_id, const std::vector<Indicator>& indicators);
  Status InsertReferences(int64_t doc_id, const std::vector<Reference>& references);
  Status InsertDiagnostics(int64_t doc_id, const std::vector<Diagnostic>& diagnostics);
  Status InsertExtras(int64_t doc_id, const LoadExtras& extras);
  // Deletes what extraction wrote for a document (tasks, indicators,
  // references, diagnostics, lines, link facts, lineage through it), keeping
  // its row, renditions and ingest history.
  Status ClearExtraction(int64_t doc_id);
  // Ids of the stored tasks of `doc_id` that `rec`'s tasks continue, by
  // position in `rec` (the lineage matching).
  Result<std::map<int, int64_t>> KeptTaskIds(int64_t doc_id, const Record& rec);

  // store_renditions.cc
  Result<int64_t> InsertRendition(int64_t doc_id, const Record& rec, std::string_view bytes, const std::string& sha,
                                  const std::string& source_path, const LoadExtras& extras);
  Status WriteRenditionSummary(int64_t rendition_id, const Record& rec);
  Result<RenditionSummary> ReadRenditionSummary(int64_t rendition_id);
  // Recomputes the rendition warnings of a document against its reading;
  // with `only` (> 0) those of that rendition alone, the others standing
  // (each is compared with the reading, not with one another).
  Status RefreshRenditionWarnings(int64_t doc_id, int64_t only = 0);
  Result<ReadingRankRow> ReadingOf(int64_t doc_id);
  // MergeDuplicates' phases: identities (and draft marks) under the rules,
  // reading ranks of renditions ranked before there were rules, and the
  // merge of one group of documents into the one with the best reading.
  Status Reidentify(const IdentityRules& rules, std::vector<IdentifiedDoc>* docs, bool* changed);
  Status RankUnranked(const IdentityRules& rules);
  Result<int> MergeGroup(int64_t keep, const std::vector<int64_t>& others);

  // store_agencies.cc
  Result<int64_t> UpsertAgency(const Agency& a, const std::string& scope, AgencyMemo* memo);
  // Deletes agencies no task names any more.
  Status DropUnusedAgencies();
  // Documents() / Relations() with a WHERE clause binding ?1 to `id`.
  Result<std::vector<DocRow>> DocumentsWhere(const std::string& where, int64_t id);
  Result<std::vector<RelationRow>> RelationsWhere(const std::string& where, int64_t id);
  // The ids of the agencies `tq` names and, with `with_collectives`, of the
  // collective agencies of the same scope that cover their kind.
  Status AgencySets(const TaskQuery& tq, bool with_collectives, std::unordered_set<int64_t>* named,
                    std::unordered_set<int64_t>* collective);

  // store_tasks.cc: the passes of ForEachTask.
  // With `count` set, also counts the matching tasks (before q.limit) into it.
  Status SelectTasks(const TaskQuery& q, const std::optional<std::string>& search_key,
                     const std::function<void(const TaskRow&)>& fn, int64_t* count = nullptr);
  // ForEachTask's checks and snapshot around SelectTasks.
  Status RunTaskQuery(const TaskQuery& q, const std::function<void(const TaskRow&)>& fn, int64_t* count);
  Status CandidateTasks(const TaskQuery& tq, const std::optional<std::string>& search_key,
                        const AgencyFilter& agencies, std::vector<TaskCandidate>* cands);
  // Marks the candidates the agency filter keeps (named, collective).
  Status MatchCandidateAgencies(const TaskQuery& tq, const AgencyFilter& agencies, std::vector<TaskCandidate>* cands);
  // Reads the candidates' lead and coord agencies as printed.
  Status CandidateAgencies(std::vector<TaskCandidate>* cands);
  Status CandidateDocuments(const std::vector<TaskCandidate>& cands,
                            std::unordered_map<int64_t, TaskDocInfo>* docs);
  Status EmitTasks(const TaskQuery& tq, const AgencyFilter& agencies, std::vector<TaskCandidate>* cands,
                   std::unordered_map<int64_t, TaskDocInfo>* docs,
                   const std::function<void(const TaskRow&)>& fn);

  // store_links.cc
  // Recomputes every derived link table from stored data (link.h).
  Status Relink();
  bool defer_links_ = false;  // DeferLinks: Settle marks links pending instead of relinking
  // Relink's phases: what link.h reads, with the stored resolutions and
  // document states to compare against; the changed ones written back;
  // lineage of related pairs; task status.
  Status ReadLinkInput(LinkInput* in, std::map<int64_t, DocState>* docs, std::vector<Resolution>* refs);
  Status WriteResolutions(const LinkInput& in, const LinkResult& res, const std::vector<Resolution>& refs,
                          std::map<int64_t, DocState>* docs);
  Status RelinkLineage(const std::vector<Edge>& edges);
  Status RefreshTaskStatus(const std::vector<Edge>& edges, const std::vector<LinkDoc>& docs);
  // Adds the links identity implies (IdentityRelations) to `res` as edges,
  // with the document status they give, and stores them in identity_links.
  Status AddIdentityLinks(const LinkInput& in, LinkResult* res);
  Result<std::vector<LinkTask>> LinkTasks(int64_t doc_id);

  // store_queries.cc: ExportJson's parts, in output order.
  Status ExportDocuments(JsonWriter& w);
  Status ExportRelations(JsonWriter& w);
  Status ExportTasks(JsonWriter& w);
  Status ExportLineage(JsonWriter& w);
  Status ExportIdentityLinks(JsonWriter& w);

  std::function<std::vector<std::string>(std::string_view)> covers_;

  std::unique_ptr<Engine> db_;
};

// Rolls back unless Commit() succeeded.
class Transaction {
 public:
  explicit Transaction(SqlStore* s) : s_(s) {}
  Transaction(const Transaction&) = delete;
  Transaction& operator=(const Transaction&) = delete;
  ~Transaction() {
    // A failed rollback leaves nothing to do: both engines roll back on close.
    if (open_) (void)s_->engine().Rollback();
  }
  // A write transaction (Engine::BeginWrite).
  Status Begin() {
    Status st = s_->engine().BeginWrite();
    open_ = st.ok();
    return st;
  }
  Status Commit() {
    Status st = s_->engine().Commit();
    if (st.ok()) open_ = false;
    return st;
  }

 private:
  SqlStore* s_;
  bool open_ = false;
};

}  // namespace store_internal
}  // namespace plantrace

#endif  // PLANTRACE_PIPELINE_STORE_STORE_INTERNAL_H_
