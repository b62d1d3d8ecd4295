// Writes of one document, in one transaction each: the first load of a
// file (LoadDocument) and the re-read of a stored document, from a better
// rendition or from its re-extracted original (ReplaceDocument), both
// through one path (ReadInto); the document row, its tasks, indicators,
// references, diagnostics and link facts; and the ingest run log.
#include <algorithm>
#include <array>
#include <iterator>
#include <map>
#include <string>

#include "pipeline/base/doc_key.h"
#include "pipeline/base/json_writer.h"
#include "pipeline/base/sha256.h"
#include "pipeline/base/unicode.h"
#include "pipeline/store/store_internal.h"

namespace plantrace {
namespace store_internal {
namespace {

// The identity ingest found for the file, else the Record's alone.
DocIdentity IdentityFor(const Record& rec, const LoadExtras& extras) {
  return extras.identity ? *extras.identity : IdentityOf(rec.meta, extras.lines, nullptr);
}

// The columns of a document row, bound as ?1, ?2, ... in this order. ?19 is
// the row id: NULL on insert (a new id), the WHERE of an update in place.
constexpr const char* kDocumentColumns[] = {
    "sha256",      "source_path",     "file_name",        "format",              "number",     "number_key",
    "type",        "issuer",          "place",            "date",                "title",      "signer",
    "signer_title", "attachment_type", "attachment_title", "declared_task_count", "rules_hash", "doc_key",
    "id",          "identity",        "id_number",        "id_date",             "id_issuer",  "id_type",
    "id_title",    "draft",           "correction",       "id_rules"};
constexpr size_t kDocumentIdParam = 19;

// The statements that write a document row ([0] insert, [1] update), both
// made from the one column list above.
const std::array<std::string, 2>& DocumentRowSql() {
  static const std::array<std::string, 2> sql = [] {
    std::string columns, values, set;
    for (size_t i = 0; i < std::size(kDocumentColumns); ++i) {
      const std::string sep = i ? ", " : "", param = "?" + std::to_string(i + 1);
      columns += sep + kDocumentColumns[i];
      values += sep + param;
      if (i + 1 != kDocumentIdParam) set += (set.empty() ? "" : ", ") + std::string(kDocumentColumns[i]) + " = " + param;
    }
    return std::array<std::string, 2>{
        "INSERT INTO documents (" + columns + ") VALUES (" + values + ") RETURNING id",
        "UPDATE documents SET " + set + " WHERE id = ?" + std::to_string(kDocumentIdParam)};
  }();
  return sql;
}

}  // namespace

Status SqlStore::LoadDocument(const Record& rec, std::string_view original_bytes,
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
    const DocIdentity identity = IdentityFor(rec, extras);
    int64_t added = 0;
    Status st;
    Result<std::optional<int64_t>> same = FindSameDocument(identity);
    if (!same.ok()) st = same.status();
    if (st.ok() && !*same) {
      st = ReadInto(0, rec, outcome.sha256, source_path, rules_hash, identity, extras, &outcome);
      if (st.ok()) st = InsertRendition(outcome.doc_id, rec, original_bytes, outcome.sha256, source_path, extras).status();
    } else if (st.ok()) {
      st = AddRendition(**same, rec, original_bytes, source_path, rules_hash, identity, extras, &outcome, &added);
    }
    if (st.ok()) st = Settle(outcome.doc_id, outcome.reread ? 0 : added);
    if (!st.ok()) return st.Annotate(source_path);
    PLANTRACE_RETURN_IF_ERROR(DescribeRenditions(&outcome));
    // Under the write lock, so that workers do not all find the store grown
    // at once and analyze it in turn (11 runs instead of 7, 4 s of waiting).
    PLANTRACE_RETURN_IF_ERROR(AnalyzeIfGrown());
  }
  PLANTRACE_RETURN_IF_ERROR(tx.Commit());
  if (out) *out = std::move(outcome);
  return Status::Ok();
}

Status SqlStore::AnalyzeIfGrown() {
  // PostgreSQL plans the foreign-key check of each insert once per
  // connection, from the table sizes of then: planned while the store was
  // almost empty (its schema analyzes empty tables), the check of a task's
  // agencies scanned all tasks ever after (half the server's time loading
  // 200 plans into a new store). Fresh statistics whenever the tasks have
  // doubled since the last ones get the checks replanned (of the tables they
  // read: FinishRun's whole list took 0.13 s); autovacuum would wait a
  // minute. SQLite plans no such checks.
  if (db_->backend() != Backend::kPostgres) return Status::Ok();
  Query q = Prepare(
      "SELECT relpages, pg_relation_size(oid) / current_setting('block_size')::bigint FROM pg_class "
      "WHERE oid = 'tasks'::regclass");
  bool grown = false;
  PLANTRACE_RETURN_IF_ERROR(q.ForEach([&] { grown = q.ColInt(1) > 2 * std::max<int64_t>(q.ColInt(0), 1); }));
  return grown ? Exec("ANALYZE documents, tasks, agencies, renditions") : Status::Ok();
}

Status SqlStore::AddRendition(int64_t doc_id, const Record& rec, std::string_view bytes,
                                 const std::string& source_path, const std::string& rules_hash,
                                 const DocIdentity& identity, const LoadExtras& extras, LoadOutcome* out,
                                 int64_t* rendition_id) {
  out->same_document = true;
  out->doc_id = doc_id;
  Result<ReadingRankRow> reading = ReadingOf(doc_id);
  if (!reading.ok()) return reading.status();
  const int rank = extras.rank ? extras.rank->score : 0;
  Result<int64_t> rid = InsertRendition(doc_id, rec, bytes, out->sha256, source_path, extras);
  if (!rid.ok()) return rid.status();
  *rendition_id = *rid;
  if (!reading->sha256.empty() && !BetterReading(rank, out->sha256, reading->rank, reading->sha256)) {
    return Status::Ok();
  }
  out->reread = true;
  return ReadInto(doc_id, rec, out->sha256, source_path, rules_hash, identity, extras, out);
}

Status SqlStore::Settle(int64_t doc_id, int64_t added) {
  PLANTRACE_RETURN_IF_ERROR(RefreshRenditionWarnings(doc_id, added));
  if (defer_links_) return Exec("INSERT INTO pending_work (what) VALUES ('relink') ON CONFLICT DO NOTHING");
  return Relink();
}

Result<bool> SqlStore::LinksPending() {
  Query q = Prepare("SELECT 1 FROM pending_work WHERE what = 'relink'");
  return q.Step();
}

Status SqlStore::FinishLinks() {
  defer_links_ = false;
  // Looked at before taking the write lock, which most opens need not wait for.
  Result<bool> before = LinksPending();
  if (!before.ok()) return before.status();
  if (!*before) return Status::Ok();
  Transaction tx(this);
  PLANTRACE_RETURN_IF_ERROR(tx.Begin());
  Result<bool> still = LinksPending();
  if (!still.ok()) return still.status();
  if (!*still) return Status::Ok();
  PLANTRACE_RETURN_IF_ERROR(Relink());
  PLANTRACE_RETURN_IF_ERROR(Exec("DELETE FROM pending_work WHERE what = 'relink'"));
  return tx.Commit();
}

Status SqlStore::DescribeRenditions(LoadOutcome* out) {
  Result<std::vector<RenditionRow>> rends = Renditions(out->doc_id);
  if (!rends.ok()) return rends.status();
  for (const RenditionRow& r : *rends) {
    out->formats.push_back(r.format);
    if (r.reading) {
      out->reading_file = r.file_name;
      out->reading_rules = r.rank_rules;
    }
  }
  Query q = Prepare(
      "SELECT count(*) FROM rendition_warnings w JOIN renditions r ON r.id = w.rendition_id WHERE r.sha256 = ?1");
  q.Text(1, out->sha256);
  Result<bool> row = q.Step();
  if (!row.ok()) return row.status();
  out->differences = static_cast<int>(q.ColInt(0));
  return Status::Ok();
}

Status SqlStore::ReplaceDocument(int64_t doc_id, const Record& rec, const std::string& rules_hash,
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
  LoadOutcome outcome;
  outcome.sha256 = sha;
  outcome.doc_id = doc_id;
  // Re-read in place: the row, its renditions and ingest history stay.
  Status st = ReadInto(doc_id, rec, sha, source_path, rules_hash, IdentityFor(rec, extras), extras, &outcome);
  if (st.ok()) {
    Query q = Prepare("SELECT id FROM renditions WHERE sha256 = ?1");
    q.Text(1, sha);
    Result<bool> row = q.Step();
    if (!row.ok()) st = row.status();
    else if (*row) st = WriteRenditionSummary(q.ColInt(0), rec);
  }
  if (st.ok()) st = Settle(doc_id);
  if (!st.ok()) return st.Annotate(source_path);
  PLANTRACE_RETURN_IF_ERROR(tx.Commit());
  if (out) *out = std::move(outcome);
  return Status::Ok();
}

Status SqlStore::ReadInto(int64_t doc_id, const Record& rec, const std::string& sha,
                             const std::string& source_path, const std::string& rules_hash,
                             const DocIdentity& identity, const LoadExtras& extras, LoadOutcome* out) {
  std::map<int, int64_t> keep;
  if (doc_id) {
    Result<std::map<int, int64_t>> kept = KeptTaskIds(doc_id, rec);
    if (!kept.ok()) return kept.status();
    keep = std::move(kept).value();
    PLANTRACE_RETURN_IF_ERROR(ClearExtraction(doc_id));
  }
  PLANTRACE_RETURN_IF_ERROR(InsertDocument(rec, sha, source_path, rules_hash, identity, out, doc_id, keep));
  PLANTRACE_RETURN_IF_ERROR(InsertExtras(out->doc_id, extras));
  // Agencies only the old reading named go.
  return doc_id ? DropUnusedAgencies() : Status::Ok();
}

Result<std::optional<int64_t>> SqlStore::FindSameDocument(const DocIdentity& identity, int64_t except) {
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

Status SqlStore::InsertDocument(const Record& rec, const std::string& sha, const std::string& source_path,
                                   const std::string& rules_hash, const DocIdentity& identity, LoadOutcome* out,
                                   int64_t id, const std::map<int, int64_t>& task_ids) {
  Result<int64_t> written = WriteDocumentRow(rec, sha, source_path, rules_hash, identity, id);
  if (!written.ok()) return written.status();
  const int64_t doc_id = *written;
  out->doc_id = doc_id;

  // Agencies are scoped by the province of issue: "Sở Y tế" of one province
  // is not that of another (records from before agency_scope: the place).
  const std::string scope = rec.agency_scope ? MatchKey(*rec.agency_scope)
                            : rec.meta.place ? MatchKey(*rec.meta.place)
                                             : std::string();
  PLANTRACE_RETURN_IF_ERROR(InsertTasks(doc_id, rec.tasks, scope, task_ids));
  out->tasks = static_cast<int>(rec.tasks.size());
  PLANTRACE_RETURN_IF_ERROR(InsertIndicators(doc_id, rec.indicators));
  out->indicators = static_cast<int>(rec.indicators.size());
  PLANTRACE_RETURN_IF_ERROR(InsertReferences(doc_id, rec.references));
  out->references = static_cast<int>(rec.references.size());
  PLANTRACE_RETURN_IF_ERROR(InsertDiagnostics(doc_id, rec.warnings));
  out->warnings = static_cast<int>(rec.warnings.size());
  return Status::Ok();
}

Result<int64_t> SqlStore::WriteDocumentRow(const Record& rec, const std::string& sha, const std::string& source_path,
                                     const std::string& rules_hash, const DocIdentity& identity, int64_t id) {
  const Meta& m = rec.meta;
  // Updating in place keeps the row that renditions, status_by and resolved
  // references point at.
  Query q = Prepare(DocumentRowSql()[id ? 1 : 0]);
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
  int64_t row_id = id;
  PLANTRACE_RETURN_IF_ERROR(q.ForEach([&] { row_id = q.ColInt(0); }));
  return row_id;
}

Status SqlStore::InsertTasks(int64_t doc_id, const std::vector<Task>& tasks, const std::string& scope,
                                const std::map<int, int64_t>& task_ids) {
  // New tasks are numbered here as either engine would number them (max(id)
  // + 1, in turn), so that no insert returns an id to wait for (PostgreSQL
  // queues inserts that return nothing). Tasks that keep an id are inserted
  // in position order with the others, so new tasks take ids above every id
  // still to be reused.
  int64_t next_id = 0;
  {
    Query q = Prepare("SELECT coalesce(max(id), 0) FROM tasks");
    Result<bool> row = q.Step();
    if (!row.ok()) return row.status();
    next_id = q.ColInt(0);
    for (const auto& [pos, kept] : task_ids) next_id = std::max(next_id, kept);
    ++next_id;
  }
  std::vector<FtsRow> fts;
  AgencyMemo memo;
  for (size_t i = 0; i < tasks.size(); ++i) {
    auto kept = task_ids.find(static_cast<int>(i));
    const int64_t task_id = kept != task_ids.end() ? kept->second : next_id++;
    Status st = InsertTask(doc_id, static_cast<int>(i), tasks[i], scope, task_id, &fts, &memo);
    if (!st.ok()) return st.Annotate("task " + std::to_string(i + 1));
  }
  // The full-text rows go in last: FTS5 writes out what it holds pending at
  // every statement savepoint, and each agency upsert opens one, so rows
  // added task by task were flushed as one tiny index segment per task (a
  // third of the store writer's time in a batch).
  const bool pg = db_->backend() == Backend::kPostgres;
  for (const FtsRow& r : fts) {
    if (pg) {
      PLANTRACE_RETURN_IF_ERROR(
          Prepare("INSERT INTO tasks_fts (task_id, doc) VALUES (?1, ?2)").Int(1, r.task_id).Text(2, FtsDoc(r)).Run());
      continue;
    }
    Query q = Prepare("INSERT INTO tasks_fts (rowid, name, lead, coord, output) VALUES (?1, ?2, ?3, ?4, ?5)");
    q.Int(1, r.task_id).Text(2, r.name).Text(3, r.lead).Text(4, r.coord).Text(5, r.output);
    PLANTRACE_RETURN_IF_ERROR(q.Run());
  }
  return Status::Ok();
}

Status SqlStore::InsertIndicators(int64_t doc_id, const std::vector<Indicator>& indicators) {
  for (size_t i = 0; i < indicators.size(); ++i) {
    const Indicator& ind = indicators[i];
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
  return Status::Ok();
}

Status SqlStore::InsertReferences(int64_t doc_id, const std::vector<Reference>& references) {
  for (size_t i = 0; i < references.size(); ++i) {
    const Reference& r = references[i];
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
  return Status::Ok();
}

Status SqlStore::InsertDiagnostics(int64_t doc_id, const std::vector<Diagnostic>& diagnostics) {
  for (size_t i = 0; i < diagnostics.size(); ++i) {
    const Diagnostic& d = diagnostics[i];
    Query q = Prepare(
        "INSERT INTO diagnostics (doc_id, position, severity, code, message, page, line, clause, rule) "
        "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)");
    q.Int(1, doc_id)
        .Int(2, static_cast<int64_t>(i))
        .Text(3, SeverityName(d.severity));
    Status st = BindDiagnostic(q, 4, d).Run();
    if (!st.ok()) return st.Annotate("diagnostic " + std::to_string(i + 1));
  }
  return Status::Ok();
}

Status SqlStore::InsertTask(int64_t doc_id, int position, const Task& t, const std::string& scope, int64_t id,
                               std::vector<FtsRow>* fts, AgencyMemo* memo) {
  const Deadline* dl = t.deadline ? &*t.deadline : nullptr;
  const int64_t task_id = id;
  {
    Query q = Prepare(
        "INSERT INTO tasks (doc_id, position, source, grp, group_title, number, code, title, name, lead_raw, "
        "coord_raw, output, deadline_raw, deadline_kind, deadline_start, deadline_end, deadline_every, "
        "deadline_rule, funding, page, line, clause, rules, source_text, id, ocr_confidence) VALUES (?1, ?2, ?3, ?4, "
        "?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19, ?20, ?21, ?22, ?23, ?24, ?25, ?26)");
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
        .Int(25, id);
    if (t.provenance.ocr_confidence >= 0) q.Double(26, t.provenance.ocr_confidence);
    PLANTRACE_RETURN_IF_ERROR(q.Run());
  }

  std::string fts_lead, fts_coord;
  auto link = [&](const std::vector<Agency>& agencies, const char* role, std::string* text) -> Status {
    for (size_t i = 0; i < agencies.size(); ++i) {
      const Agency& a = agencies[i];
      if (a.printed.empty() && a.canonical.empty()) continue;
      // A national body, or one that names its province, is scoped by itself.
      Result<int64_t> agency_id = UpsertAgency(a, a.scope ? MatchKey(*a.scope) : scope, memo);
      if (!agency_id.ok()) return agency_id.status();
      Query q = Prepare(
          "INSERT INTO task_agencies (task_id, agency_id, role, position, printed) VALUES (?1, ?2, ?3, ?4, ?5)");
      q.Int(1, task_id).Int(2, *agency_id).Text(3, role).Int(4, static_cast<int64_t>(i)).Text(5, a.printed);
      PLANTRACE_RETURN_IF_ERROR(q.Run());
      *text += ' ';
      *text += SearchKey(a.printed);
      if (!a.canonical.empty() && a.canonical != a.printed) {
        *text += ' ';
        *text += SearchKey(a.canonical);
      }
    }
    return Status::Ok();
  };
  PLANTRACE_RETURN_IF_ERROR(link(t.lead, "lead", &fts_lead));
  PLANTRACE_RETURN_IF_ERROR(link(t.coord, "coord", &fts_coord));
  // Raw cells cover agencies the splitter may have missed.
  if (t.lead_raw) fts_lead += " " + SearchKey(*t.lead_raw);
  if (t.coord_raw) fts_coord += " " + SearchKey(*t.coord_raw);

  fts->push_back({task_id, SearchKey(t.name), std::move(fts_lead), std::move(fts_coord),
                  t.output ? SearchKey(*t.output) : std::string()});
  return Status::Ok();
}

Status SqlStore::InsertExtras(int64_t doc_id, const LoadExtras& x) {
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

Status SqlStore::ClearExtraction(int64_t doc_id) {
  // The full-text index is not a foreign-key child of tasks.
  const char* clear_fts = db_->backend() == Backend::kPostgres
                              ? "DELETE FROM tasks_fts WHERE task_id IN (SELECT id FROM tasks WHERE doc_id = ?1)"
                              : "DELETE FROM tasks_fts WHERE rowid IN (SELECT id FROM tasks WHERE doc_id = ?1)";
  PLANTRACE_RETURN_IF_ERROR(Prepare(clear_fts).Int(1, doc_id).Run());
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

Result<std::map<int, int64_t>> SqlStore::KeptTaskIds(int64_t doc_id, const Record& rec) {
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

Result<int64_t> SqlStore::BeginRun(const std::string& rules_hash, const std::string& kind) {
  // A writer's transaction: on PostgreSQL the new id is max(id) + 1, which
  // two workers starting together would otherwise both take.
  Transaction tx(this);
  PLANTRACE_RETURN_IF_ERROR(tx.Begin());
  Query q = Prepare("INSERT INTO ingest_runs (rules_hash, kind) VALUES (?1, ?2) RETURNING id");
  q.Text(1, rules_hash).Text(2, kind);
  int64_t run_id = 0;
  PLANTRACE_RETURN_IF_ERROR(q.ForEach([&] { run_id = q.ColInt(0); }));
  PLANTRACE_RETURN_IF_ERROR(tx.Commit());
  return run_id;
}

Status SqlStore::RecordRunFile(int64_t run_id, int position, const RunFile& f) {
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

Status SqlStore::FinishRun(int64_t run_id, const RunCounters& c) {
  Query q = Prepare(
      "UPDATE ingest_runs SET finished_at = strftime('%Y-%m-%dT%H:%M:%SZ', 'now'), files = ?2, ok = ?3, "
      "skipped = ?4, failed = ?5 WHERE id = ?1");
  q.Int(1, run_id).Int(2, c.files).Int(3, c.ok).Int(4, c.skipped).Int(5, c.failed);
  PLANTRACE_RETURN_IF_ERROR(q.Run());
  // Fresh statistics after a batch, so the query planner weighs filters by
  // how many rows they keep (without them it may scan every active task to
  // find one document's). A whole ANALYZE of 1,000 plans takes 0.25 s; a
  // sampled one (analysis_limit) gave the planner counts off by 30%.
  // PostgreSQL: a bare ANALYZE would analyze the whole database (other
  // stores' schemas too), so the store's own tables.
  if (db_->backend() == Backend::kPostgres) {
    PLANTRACE_RETURN_IF_ERROR(Exec(
        "ANALYZE documents, doc_references, tasks, agencies, agency_aliases, task_agencies, tasks_fts, "
        "diagnostics, source_lines, lineage, lineage_edges, renditions, rendition_warnings, gazetteer, agency_covers"));
    // The trigram index takes new rows into a pending list that every search
    // reads whole, until autovacuum gets to it; the planner counts its pages,
    // and after a load of 1,000 plans chose to scan all of tasks_fts for a
    // common phrase. Merged now, as only the index's owner may.
    return Exec(
        "SELECT gin_clean_pending_list(c.oid) FROM pg_class c "
        "WHERE c.oid = to_regclass('tasks_fts_doc') AND pg_has_role(c.relowner, 'USAGE')");
  }
  return Exec("ANALYZE");
}

}  // namespace store_internal
}  // namespace plantrace
