// Reads behind the CLI that are not task listings: documents, a document
// reference resolved to ids, stored warnings and source lines, and the
// canonical JSON export of the whole store.
#include <charconv>
#include <cstdio>
#include <map>
#include <string>
#include <utility>

#include "pipeline/base/json_writer.h"
#include "pipeline/base/unicode.h"
#include "pipeline/store/store_internal.h"

namespace plantrace {
namespace store_internal {
namespace {

// A ref of digits only as a document id (as SQLite compares '007' with an
// INTEGER column), else nullopt.
std::optional<int64_t> IdOf(const std::string& ref) {
  if (!AllDigits(ref)) return std::nullopt;
  int64_t id = 0;
  auto [end, ec] = std::from_chars(ref.data(), ref.data() + ref.size(), id);
  if (ec != std::errc() || end != ref.data() + ref.size()) return std::nullopt;
  return id;
}

std::string Score(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.3f", v);
  return buf;
}

}  // namespace

Result<std::vector<DocRow>> SqlStore::Documents() { return DocumentsWhere("", 0); }

Result<std::optional<DocRow>> SqlStore::Document(int64_t id) {
  Result<std::vector<DocRow>> rows = DocumentsWhere("WHERE d.id = ?1", id);
  if (!rows.ok()) return rows.status();
  if (rows->empty()) return std::optional<DocRow>();
  return std::optional<DocRow>(std::move(rows->front()));
}

Result<int64_t> SqlStore::DataVersion() { return db_->DataVersion(); }

Result<std::vector<std::pair<std::string, int64_t>>> SqlStore::IngestedPerWeek() {
  // The Monday on or before t: SQLite date(t, '-6 days', 'weekday 1'),
  // PostgreSQL date_trunc('week', t).
  const std::string week = db_->backend() == Backend::kPostgres
                               ? "to_char(date_trunc('week', CAST(first AS TIMESTAMP)), 'YYYY-MM-DD')"
                               : "date(first, '-6 days', 'weekday 1')";
  Query q = Prepare(
      "SELECT " + week + " AS week, count(*) FROM "
      "(SELECT f.doc_id, min(r.started_at) AS first FROM run_files f JOIN ingest_runs r ON r.id = f.run_id "
      "WHERE f.status = 'ok' AND f.doc_id IS NOT NULL GROUP BY f.doc_id) AS f GROUP BY week ORDER BY week");
  std::vector<std::pair<std::string, int64_t>> weeks;
  PLANTRACE_RETURN_IF_ERROR(q.ForEach([&] { weeks.emplace_back(q.ColText(0), q.ColInt(1)); }));
  return weeks;
}

Result<std::vector<DocRow>> SqlStore::DocumentsWhere(const std::string& where, int64_t id) {
  Query q = Prepare(
      "SELECT d.id, d.sha256, d.source_path, d.file_name, d.format, d.number, d.type, d.issuer, d.place, "
      "d.date, d.title, d.signer, d.declared_task_count, d.rules_hash, "
      "(SELECT count(*) FROM tasks t WHERE t.doc_id = d.id), "
      "(SELECT count(*) FROM diagnostics g WHERE g.doc_id = d.id), "
      "d.doc_key, d.status, (SELECT s.doc_key FROM documents s WHERE s.id = d.status_by), d.status_date, "
      "(SELECT count(*) FROM renditions r WHERE r.doc_id = d.id), d.identity "
      "FROM documents d " + where + " ORDER BY d.id");
  if (!where.empty()) q.Int(1, id);
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

Result<std::vector<int64_t>> SqlStore::FindDocuments(const std::string& ref) {
  Query q = Prepare(
      "SELECT id FROM documents WHERE (CAST(?1 AS INTEGER) IS NOT NULL AND id = ?1) OR doc_key = ?2 OR number_key = ?3 "
      "OR (length(?2) >= 4 AND substr(doc_key, 1, length(?2)) = ?2) "
      "OR (length(?4) >= 8 AND substr(sha256, 1, length(?4)) = ?4) "
      // The hash of any rendition names its document, and so does the key a
      // document had while another rendition was its reading.
      "OR (length(?4) >= 8 AND id IN (SELECT doc_id FROM renditions WHERE substr(sha256, 1, length(?4)) = ?4)) "
      "OR (instr(?2, '#') > 0 AND length(?2) - instr(?2, '#') >= 8 "
      "AND substr(doc_key, 1, instr(doc_key, '#')) = substr(?2, 1, instr(?2, '#')) "
      "AND id IN (SELECT doc_id FROM renditions WHERE substr(sha256, 1, length(?2) - instr(?2, '#')) = "
      "substr(?4, instr(?4, '#') + 1))) ORDER BY doc_key, id");
  // The id as an integer or NULL and the ref lowered in C++ (ASCII, as
  // SQLite's lower()): the same statement means the same on PostgreSQL.
  const std::optional<int64_t> as_id = IdOf(ref);
  q.OptInt(1, as_id).Text(2, ref).Text(3, NumberKey(ref)).Text(4, ToLower(ref));
  std::vector<int64_t> ids;
  PLANTRACE_RETURN_IF_ERROR(q.ForEach([&] {
    ids.push_back(q.ColInt(0));
  }));
  // An exact key wins over the prefixes it is itself a prefix of.
  if (ids.size() > 1) {
    Query exact = Prepare(
        "SELECT id FROM documents WHERE doc_key = ?1 OR (CAST(?2 AS INTEGER) IS NOT NULL AND id = ?2) ORDER BY id");
    exact.Text(1, ref).OptInt(2, as_id);
    Result<bool> row = exact.Step();
    if (!row.ok()) return row.status();
    if (*row) return std::vector<int64_t>{exact.ColInt(0)};
  }
  return ids;
}

Result<std::vector<WarningRow>> SqlStore::Warnings(std::optional<int64_t> doc_id) {
  Query q = Prepare(
      "SELECT doc_id, doc_key, file_name, severity, code, message, page, line, clause, rule FROM ("
      "SELECT g.doc_id, d.doc_key, d.file_name, g.severity, g.code, g.message, g.page, g.line, g.clause, g.rule, "
      "0 AS kind, '' AS sha, g.position FROM diagnostics g JOIN documents d ON d.id = g.doc_id "
      "WHERE g.severity <> 'info' AND (CAST(?1 AS INTEGER) IS NULL OR g.doc_id = ?1) "
      // How other renditions differ from the reading, after the reading's own.
      "UNION ALL SELECT w.doc_id, d.doc_key, r.file_name, 'warning', w.code, w.message, w.page, w.line, w.clause, "
      "w.rule, 1, r.sha256, w.position FROM rendition_warnings w JOIN documents d ON d.id = w.doc_id "
      "JOIN renditions r ON r.id = w.rendition_id WHERE CAST(?1 AS INTEGER) IS NULL OR w.doc_id = ?1) AS w "
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

Result<std::vector<SourceLine>> SqlStore::Lines(int64_t doc_id, int page, int first_line, int last_line) {
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

// One object of sorted arrays, free of row ids and timestamps.
Result<std::string> SqlStore::ExportJson() {
  JsonWriter w;
  w.BeginObject();
  PLANTRACE_RETURN_IF_ERROR(ExportDocuments(w));
  PLANTRACE_RETURN_IF_ERROR(ExportRelations(w));
  PLANTRACE_RETURN_IF_ERROR(ExportTasks(w));
  PLANTRACE_RETURN_IF_ERROR(ExportLineage(w));
  PLANTRACE_RETURN_IF_ERROR(ExportIdentityLinks(w));
  w.EndObject();
  return w.str() + "\n";
}

Status SqlStore::ExportDocuments(JsonWriter& w) {
  w.Key("documents").BeginArray();
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
  w.EndArray();
  return Status::Ok();
}

Status SqlStore::ExportRelations(JsonWriter& w) {
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
  return Status::Ok();
}

Status SqlStore::ExportTasks(JsonWriter& w) {
  std::map<int64_t, std::pair<std::vector<std::string>, std::vector<std::string>>> agencies;
  {
    Query q = Prepare("SELECT task_id, role, printed FROM task_agencies ORDER BY task_id, role DESC, position");
    PLANTRACE_RETURN_IF_ERROR(q.ForEach([&] {
      auto& a = agencies[q.ColInt(0)];
      (q.ColText(1) == "lead" ? a.first : a.second).push_back(q.ColText(2));
    }));
  }
  w.Key("tasks").BeginArray();
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
  w.EndArray();
  return Status::Ok();
}

Status SqlStore::ExportLineage(JsonWriter& w) {
  w.Key("lineage").BeginArray();
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
  w.EndArray();
  return Status::Ok();
}

Status SqlStore::ExportIdentityLinks(JsonWriter& w) {
  // Links identity implies (draft -> issued plan, corrections); the key is
  // left out when there are none, so stores without them export as before.
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
  return Status::Ok();
}

}  // namespace store_internal
}  // namespace plantrace
