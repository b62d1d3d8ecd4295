// The renditions of stored documents (one document, several files): their
// rows and the summaries they are compared by, the warnings of how each
// differs from the document's reading, the reading's original bytes, and
// MergeDuplicates, which makes renditions of documents stored apart.
#include <map>
#include <set>
#include <string>
#include <utility>

#include "pipeline/base/unicode.h"
#include "pipeline/store/store_internal.h"

namespace plantrace {
namespace store_internal {
namespace {

// Groups of documents that are one document: each document joins the first
// earlier one it is the same as (kept id -> merged ids).
std::map<int64_t, std::vector<int64_t>> SameDocumentGroups(const std::vector<IdentifiedDoc>& docs) {
  std::map<int64_t, std::vector<int64_t>> groups;
  std::set<int64_t> merged;
  for (size_t i = 0; i < docs.size(); ++i) {
    if (merged.count(docs[i].id)) continue;
    for (size_t j = i + 1; j < docs.size(); ++j) {
      if (merged.count(docs[j].id) || !SameDocument(docs[i].identity, docs[j].identity)) continue;
      groups[docs[i].id].push_back(docs[j].id);
      merged.insert(docs[j].id);
    }
  }
  return groups;
}

}  // namespace

Result<int64_t> SqlStore::InsertRendition(int64_t doc_id, const Record& rec, std::string_view bytes,
                                            const std::string& sha, const std::string& source_path,
                                            const LoadExtras& extras) {
  Query q = Prepare(
      "INSERT INTO renditions (doc_id, sha256, format, source_path, file_name, bytes, run_id, rank, rank_rules) "
      "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9) RETURNING id");
  q.Int(1, doc_id)
      .Text(2, sha)
      .Text(3, FormatName(rec.format))
      .Text(4, source_path)
      .Text(5, rec.doc.empty() ? BaseName(source_path) : rec.doc)
      .Blob(6, bytes)
      .OptInt(7, extras.run_id ? std::optional<int64_t>(extras.run_id) : std::nullopt)
      .Int(8, extras.rank ? extras.rank->score : 0)
      .Text(9, extras.rank ? Join(extras.rank->rules, " ") : std::string());
  int64_t id = 0;
  PLANTRACE_RETURN_IF_ERROR(q.ForEach([&] { id = q.ColInt(0); }));
  PLANTRACE_RETURN_IF_ERROR(WriteRenditionSummary(id, rec));
  return id;
}

Status SqlStore::WriteRenditionSummary(int64_t rendition_id, const Record& rec) {
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

Result<RenditionSummary> SqlStore::ReadRenditionSummary(int64_t rendition_id) {
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

Status SqlStore::RefreshRenditionWarnings(int64_t doc_id, int64_t only) {
  // Comparing every rendition again on each added one made a plan's k
  // renditions cost k^2 comparisons of all their tasks.
  if (only > 0) {
    PLANTRACE_RETURN_IF_ERROR(Prepare("DELETE FROM rendition_warnings WHERE rendition_id = ?1").Int(1, only).Run());
  } else {
    PLANTRACE_RETURN_IF_ERROR(Prepare("DELETE FROM rendition_warnings WHERE doc_id = ?1").Int(1, doc_id).Run());
  }
  Result<std::vector<RenditionRow>> rends = Renditions(doc_id);
  if (!rends.ok()) return rends.status();
  if (rends->size() < 2 || !(*rends)[0].reading) return Status::Ok();
  Result<RenditionSummary> reading = ReadRenditionSummary((*rends)[0].id);
  if (!reading.ok()) return reading.status();
  for (size_t i = 1; i < rends->size(); ++i) {
    if (only > 0 && (*rends)[i].id != only) continue;
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
          .Int(3, static_cast<int64_t>(k));
      PLANTRACE_RETURN_IF_ERROR(BindDiagnostic(q, 4, d).Run());
    }
  }
  return Status::Ok();
}

Result<std::vector<RenditionRow>> SqlStore::Renditions(int64_t doc_id) {
  Query q = Prepare(
      "SELECT r.id, r.doc_id, r.sha256, r.format, r.file_name, r.source_path, r.run_id, r.rank, r.rank_rules, "
      "CASE WHEN r.sha256 = d.sha256 THEN 1 ELSE 0 END, (SELECT count(*) FROM rendition_tasks t WHERE t.rendition_id = r.id) "
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

Result<std::string> SqlStore::Original(int64_t doc_id) {
  Query q = Prepare("SELECT bytes FROM originals WHERE doc_id = ?1");
  q.Int(1, doc_id);
  Result<bool> row = q.Step();
  if (!row.ok()) return row.status();
  if (!*row) return Status::NotFound("no stored original for document " + std::to_string(doc_id));
  return q.ColBlob(0);
}

Result<ReadingRankRow> SqlStore::ReadingOf(int64_t doc_id) {
  Query q = Prepare(
      "SELECT r.rank, r.sha256 FROM renditions r JOIN documents d ON d.id = r.doc_id AND d.sha256 = r.sha256 "
      "WHERE d.id = ?1");
  q.Int(1, doc_id);
  Result<bool> row = q.Step();
  if (!row.ok()) return row.status();
  ReadingRankRow reading;
  if (*row) {
    reading.rank = static_cast<int>(q.ColInt(0));
    reading.sha256 = q.ColText(1);
  }
  return reading;
}

Result<int> SqlStore::MergeDuplicates(const IdentityRules& rules) {
  Transaction tx(this);
  PLANTRACE_RETURN_IF_ERROR(tx.Begin());
  std::vector<IdentifiedDoc> docs;
  bool changed = false;
  PLANTRACE_RETURN_IF_ERROR(Reidentify(rules, &docs, &changed));
  PLANTRACE_RETURN_IF_ERROR(RankUnranked(rules));
  int count = 0;
  for (const auto& [keep, others] : SameDocumentGroups(docs)) {
    Result<int> merged = MergeGroup(keep, others);
    if (!merged.ok()) return merged.status();
    count += *merged;
  }
  if (count > 0) PLANTRACE_RETURN_IF_ERROR(DropUnusedAgencies());
  if (count > 0 || changed) PLANTRACE_RETURN_IF_ERROR(Relink());
  PLANTRACE_RETURN_IF_ERROR(tx.Commit());
  return count;
}

Status SqlStore::Reidentify(const IdentityRules& rules, std::vector<IdentifiedDoc>* docs, bool* changed) {
  {
    Query q = Prepare("SELECT id, doc_key, number, type, issuer, date, title FROM documents ORDER BY doc_key, id");
    PLANTRACE_RETURN_IF_ERROR(q.ForEach([&] {
      Meta m;
      m.number = q.ColOptText(2);
      m.type = q.ColOptText(3);
      m.issuer = q.ColOptText(4);
      m.date = q.ColOptText(5);
      m.title = q.ColOptText(6);
      IdentifiedDoc d{q.ColInt(0), q.ColText(1), IdentityOf(m, {}, &rules)};
      docs->push_back(std::move(d));
    }));
  }
  for (IdentifiedDoc& d : *docs) {
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
    *changed = true;
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
  return Status::Ok();
}

Status SqlStore::RankUnranked(const IdentityRules& rules) {
  // From what each rendition said: its format, and whether its tasks were
  // read from tables (as their column rules show).
  std::vector<std::pair<int64_t, RenditionFacts>> facts;
  Query q = Prepare(
      "SELECT r.id, r.format, CASE WHEN EXISTS (SELECT 1 FROM tasks t WHERE t.doc_id = r.doc_id AND "
      "instr(' ' || t.rules, ' column.') > 0) THEN 1 ELSE 0 END FROM renditions r WHERE r.rank_rules = ''");
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
  return Status::Ok();
}

Result<int> SqlStore::MergeGroup(int64_t keep, const std::vector<int64_t>& others) {
  // The best reading among the group's renditions; its document row (with
  // its extraction) stays, the others' renditions move to it.
  int64_t best_doc = keep;
  ReadingRankRow best;
  std::vector<int64_t> all = others;
  all.push_back(keep);
  for (int64_t id : all) {
    Result<ReadingRankRow> reading = ReadingOf(id);
    if (!reading.ok()) return reading.status();
    if (reading->sha256.empty()) continue;
    if (best.sha256.empty() || BetterReading(reading->rank, reading->sha256, best.rank, best.sha256)) {
      best_doc = id;
      best = *reading;
    }
  }
  int count = 0;
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
  return count;
}

}  // namespace store_internal
}  // namespace plantrace
