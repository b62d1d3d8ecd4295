// Agencies: the entity rows tasks name (scoped by province), the gazetteer
// of canonical names and aliases with the kinds a collective binds, the
// match of an agency query ("so khoa hoc") to agency ids, and the agency
// listing and report.
#include <string>
#include <unordered_set>
#include <utility>

#include "pipeline/base/unicode.h"
#include "pipeline/store/store_internal.h"

namespace plantrace {
namespace store_internal {

Result<int64_t> SqlStore::UpsertAgency(const Agency& a, const std::string& scope, AgencyMemo* memo) {
  const std::string& name = a.known && !a.canonical.empty() ? a.canonical : a.printed;
  std::string key = MatchKey(name);
  auto found = memo->agencies.find({scope, key});
  AgencyMemo::Entry* e = found == memo->agencies.end() ? nullptr : &found->second;
  // The upsert keeps the row's `known` unless this one is higher (and its
  // name with it) and its kind unless that is empty: then it writes nothing.
  if (e == nullptr || a.known > e->known || (e->kind.empty() && !a.kind.empty())) {
    Query q = Prepare(
        "INSERT INTO agencies (scope, name, key, search_key, kind, known) VALUES (?1, ?2, ?3, ?4, ?5, ?6) "
        // Target columns qualified, CASE for max(): the same text runs on PostgreSQL.
        "ON CONFLICT (scope, key) DO UPDATE SET "
        "known = CASE WHEN excluded.known > agencies.known THEN excluded.known ELSE agencies.known END, "
        "kind = CASE WHEN agencies.kind = '' THEN excluded.kind ELSE agencies.kind END, "
        "name = CASE WHEN excluded.known > agencies.known THEN excluded.name ELSE agencies.name END "
        "RETURNING id, known, kind");
    q.Text(1, scope).Text(2, name).Text(3, key).Text(4, SearchKey(name)).Text(5, a.kind).Int(6, a.known);
    Result<bool> row = q.Step();
    if (!row.ok()) return row.status();
    if (!*row) return Status::Internal("agency upsert returned no row");
    e = &memo->agencies[{scope, std::move(key)}];
    e->id = q.ColInt(0);
    e->known = q.ColInt(1);
    e->kind = q.ColText(2);
    // RETURNING rows must be stepped to completion before the change is final.
    PLANTRACE_RETURN_IF_ERROR(q.Run());
  }
  const int64_t id = e->id;
  if (!a.printed.empty() && e->aliases.insert(a.printed).second) {
    Query alias =
        Prepare("INSERT INTO agency_aliases (agency_id, printed, key) VALUES (?1, ?2, ?3) ON CONFLICT DO NOTHING");
    alias.Int(1, id).Text(2, a.printed).Text(3, SearchKey(a.printed));
    PLANTRACE_RETURN_IF_ERROR(alias.Run());
  }
  const std::string& covered = a.printed.empty() ? name : a.printed;
  if (covers_ && a.kind == "collective" && e->covered.insert(covered).second) {
    for (const std::string& kind : covers_(covered)) {
      Query c = Prepare("INSERT INTO agency_covers (agency_id, kind) VALUES (?1, ?2) ON CONFLICT DO NOTHING");
      PLANTRACE_RETURN_IF_ERROR(c.Int(1, id).Text(2, kind).Run());
    }
  }
  return id;
}

Status SqlStore::DropUnusedAgencies() {
  return Exec("DELETE FROM agencies WHERE id NOT IN (SELECT agency_id FROM task_agencies)");
}

Status SqlStore::SetGazetteer(const std::vector<ListEntry>& entries,
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
          "INSERT INTO gazetteer (alias_key, canonical, canonical_key, kind) VALUES (?1, ?2, ?3, ?4) "
          "ON CONFLICT DO NOTHING");
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
        Query c = Prepare("INSERT INTO agency_covers (agency_id, kind) VALUES (?1, ?2) ON CONFLICT DO NOTHING");
        PLANTRACE_RETURN_IF_ERROR(c.Int(1, id).Text(2, kind).Run());
      }
    }
  }
  return tx.Commit();
}

Status SqlStore::AgencySets(const TaskQuery& tq, bool with_collectives, std::unordered_set<int64_t>* named,
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
    for (const std::string& k : tq.agency_kinds) kinds += " UNION SELECT CAST(" + bind(k) + " AS TEXT)";
    sql += " UNION ALL SELECT ac.agency_id, 0 FROM agency_covers ac JOIN agencies ca ON ca.id = ac.agency_id "
           "WHERE ac.kind IN (" + kinds + ") AND ca.scope IN (SELECT scope FROM m)";
  }
  Query q = Prepare(sql);
  for (size_t i = 0; i < texts.size(); ++i) q.Text(static_cast<int>(i + 1), texts[i]);
  PLANTRACE_RETURN_IF_ERROR(q.ForEach([&] { (q.ColInt(1) ? named : collective)->insert(q.ColInt(0)); }));
  for (int64_t id : *named) collective->erase(id);
  return Status::Ok();
}

Result<std::vector<std::string>> SqlStore::BindingCollectives(const TaskQuery& tq) {
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

Result<std::vector<AgencyRow>> SqlStore::Agencies() {
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

Result<std::vector<AgencyCounts>> SqlStore::AgencyReport(const std::string& as_of,
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
      "FROM agencies a JOIN task_agencies ta ON ta.agency_id = a.id AND (CAST(?4 AS INTEGER) = 0 OR ta.role = 'lead') "
      "JOIN tasks t ON t.id = ta.task_id AND t.status = 'active' "
      "WHERE CAST(?3 AS TEXT) = '' OR instr(' ' || a.search_key || ' ', ' ' || ?3 || ' ') > 0 "
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

}  // namespace store_internal
}  // namespace plantrace
