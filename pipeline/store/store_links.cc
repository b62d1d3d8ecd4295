// Links between stored documents and their tasks: Relink recomputes, from
// stored data and link.h's pure functions, how references resolve, the
// documents' and tasks' status, the links identity implies and task
// lineage; and the queries that read them back (relations, identity links,
// a task's lineage).
#include <algorithm>
#include <map>
#include <set>
#include <string>
#include <tuple>
#include <utility>

#include "pipeline/store/store_internal.h"

namespace plantrace {
namespace store_internal {

Status SqlStore::Relink() {
  LinkInput in;
  std::map<int64_t, DocState> cur_docs;
  std::vector<Resolution> cur_refs;
  PLANTRACE_RETURN_IF_ERROR(ReadLinkInput(&in, &cur_docs, &cur_refs));
  LinkResult res = ResolveLinks(in);
  PLANTRACE_RETURN_IF_ERROR(AddIdentityLinks(in, &res));
  PLANTRACE_RETURN_IF_ERROR(WriteResolutions(in, res, cur_refs, &cur_docs));
  PLANTRACE_RETURN_IF_ERROR(RelinkLineage(res.edges));
  return RefreshTaskStatus(res.edges, in.docs);
}

Status SqlStore::ReadLinkInput(LinkInput* in, std::map<int64_t, DocState>* docs, std::vector<Resolution>* refs) {
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
      (*docs)[d.id] = DocState{q.ColText(8), q.ColOptInt(9), q.ColOptText(10)};
      in->docs.push_back(std::move(d));
    }));
  }
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
      in->refs.push_back(std::move(r));
      refs->push_back(Resolution{q.ColOptInt(7), q.ColText(8), q.ColDouble(9)});
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
      in->citations.emplace_back(q.ColInt(0), std::move(c));
    }));
  }
  {
    Query q = Prepare("SELECT doc_id, number_key FROM carryovers ORDER BY doc_id, position");
    PLANTRACE_RETURN_IF_ERROR(q.ForEach([&] {
      Carryover c;
      c.number_key = q.ColText(1);
      in->carryovers.emplace_back(q.ColInt(0), std::move(c));
    }));
  }
  return Status::Ok();
}

Status SqlStore::WriteResolutions(const LinkInput& in, const LinkResult& res, const std::vector<Resolution>& refs,
                                     std::map<int64_t, DocState>* docs) {
  for (size_t i = 0; i < in.refs.size(); ++i) {
    const Resolution& want = res.refs[i];
    const Resolution& have = refs[i];
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
    const DocState& have = (*docs)[id];
    if (want.status == have.status && want.by == have.by && want.date == have.date) continue;
    Query q = Prepare("UPDATE documents SET status = ?2, status_by = ?3, status_date = ?4 WHERE id = ?1");
    q.Int(1, id).Text(2, want.status).OptInt(3, want.by).OptText(4, want.date);
    PLANTRACE_RETURN_IF_ERROR(q.Run());
  }
  return Status::Ok();
}

Status SqlStore::RelinkLineage(const std::vector<Edge>& edges) {
  // Lineage between related plans: a pair's matches depend only on the two
  // documents, so they are computed once per pair and dropped with it.
  std::map<std::pair<int64_t, int64_t>, std::string> want_edges, have_edges;
  for (const Edge& e : edges) {
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
  return Status::Ok();
}

Status SqlStore::RefreshTaskStatus(const std::vector<Edge>& edges, const std::vector<LinkDoc>& docs) {
  // Task status: documents superseded or repealed (wholly or in part), and
  // those whose tasks are not active now.
  std::set<int64_t> affected;
  for (const Edge& e : edges) {
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
    // SQLite hands the rows in table order; PostgreSQL in no set order, so
    // it is given one (in SQLite an ORDER BY reads through the key index).
    Query q = Prepare(
        std::string("SELECT task_id, prev_task_id, from_doc FROM lineage WHERE to_doc = ?1 AND linked = 1") +
        (db_->backend() == Backend::kPostgres ? " ORDER BY task_id, prev_task_id" : ""));
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
  std::map<int64_t, TaskState> states = TaskStates(edges, docs, tasks_by_doc, pairs);
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

Status SqlStore::AddIdentityLinks(const LinkInput& in, LinkResult* res) {
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

Result<std::vector<LinkTask>> SqlStore::LinkTasks(int64_t doc_id) {
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

Result<std::vector<RelationRow>> SqlStore::Relations() { return RelationsWhere("", 0); }

Result<std::vector<RelationRow>> SqlStore::Relations(int64_t doc_id) {
  return RelationsWhere("WHERE r.doc_id = ?1 OR r.resolved_doc_id = ?1 ", doc_id);
}

Result<std::vector<RelationRow>> SqlStore::RelationsWhere(const std::string& where, int64_t id) {
  Query q = Prepare(
      "SELECT r.doc_id, d.doc_key, r.position, r.number, r.date, r.type, r.part, r.resolved_doc_id, t.doc_key, "
      "r.relation, coalesce(r.resolved_how, ''), coalesce(r.resolved_score, 0), r.sentence, "
      "CASE WHEN EXISTS (SELECT 1 FROM carryovers c WHERE c.doc_id = r.doc_id AND c.number_key = r.number_key) "
      "THEN 1 ELSE 0 END, r.title "
      "FROM doc_references r JOIN documents d ON d.id = r.doc_id "
      "LEFT JOIN documents t ON t.id = r.resolved_doc_id " + where + "ORDER BY d.doc_key, r.position");
  if (!where.empty()) q.Int(1, id);
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

Result<std::vector<IdentityLinkRow>> SqlStore::IdentityLinks() {
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

Result<std::vector<LineageRow>> SqlStore::Lineage(int64_t task_id) {
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

}  // namespace store_internal
}  // namespace plantrace
