// Task listings: the passes of ForEachTask (agencies, filters and
// full-text search, the tasks' agencies, their documents, the rows in
// order), and FindTask, which resolves a task reference.
#include <algorithm>
#include <map>
#include <string>
#include <tuple>
#include <unordered_map>
#include <unordered_set>
#include <variant>

#include "pipeline/base/numbers.h"
#include "pipeline/base/unicode.h"
#include "pipeline/store/store_internal.h"

namespace plantrace {
namespace store_internal {
namespace {

std::vector<std::string> PrintedInOrder(std::vector<std::pair<int, std::string>>* items) {
  std::sort(items->begin(), items->end());
  std::vector<std::string> out;
  out.reserve(items->size());
  for (auto& [pos, printed] : *items) out.push_back(std::move(printed));
  return out;
}

// A JSON array of the candidates' task ids, in their order.
std::string CandidateIds(const std::vector<TaskCandidate>& cands) {
  std::string ids = "[";
  for (const TaskCandidate& c : cands) AppendId(&ids, c.id);
  ids += "]";
  return ids;
}

// A JSON array of the filter's agency ids, named and collective.
std::string AgencyIds(const AgencyFilter& agencies) {
  std::string ids = "[";
  for (int64_t id : agencies.named) AppendId(&ids, id);
  for (int64_t id : agencies.collective) AppendId(&ids, id);
  ids += "]";
  return ids;
}

// By deadline (undated last), then document key and position; otherwise by
// load order and position.
void OrderCandidates(bool by_deadline, std::unordered_map<int64_t, TaskDocInfo>* docs,
                     std::vector<TaskCandidate>* cands) {
  if (by_deadline) {
    for (TaskCandidate& c : *cands) c.doc_key = &(*docs)[c.doc_id].doc_key;
    std::sort(cands->begin(), cands->end(), [](const TaskCandidate& a, const TaskCandidate& b) {
      if (a.due.has_value() != b.due.has_value()) return a.due.has_value();
      if (a.due != b.due) return *a.due < *b.due;
      if (a.doc_id != b.doc_id) return *a.doc_key < *b.doc_key;
      return a.position < b.position;
    });
  } else {
    std::sort(cands->begin(), cands->end(), [](const TaskCandidate& a, const TaskCandidate& b) {
      return std::tie(a.doc_id, a.position) < std::tie(b.doc_id, b.position);
    });
  }
}

}  // namespace

// Four short passes instead of one wide query: (1) the queried agencies'
// ids, (2) the ids of the tasks the other filters keep, (3) those tasks'
// agencies, which test the agency filter and give lead/coord, (4) the kept
// rows by id, in order, handed on as read. Only ids are ever sorted, and
// memory does not grow with the listing.
Status SqlStore::ForEachTask(const TaskQuery& tq, const std::function<void(const TaskRow&)>& fn) {
  return RunTaskQuery(tq, fn, nullptr);
}

Result<std::vector<TaskRow>> SqlStore::TasksCounted(const TaskQuery& tq, int64_t* matched) {
  std::vector<TaskRow> rows;
  *matched = 0;
  Status st = RunTaskQuery(tq, [&](const TaskRow& t) { rows.push_back(t); }, matched);
  if (!st.ok()) return st;
  return rows;
}

Status SqlStore::RunTaskQuery(const TaskQuery& tq, const std::function<void(const TaskRow&)>& fn,
                                 int64_t* count) {
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
  if (db_->InTransaction()) return SelectTasks(tq, search_key, fn, count);
  PLANTRACE_RETURN_IF_ERROR(db_->BeginSnapshot());
  Status st = SelectTasks(tq, search_key, fn, count);
  Status end = st.ok() ? db_->Commit() : db_->Rollback();
  return st.ok() ? end : st;
}

Status SqlStore::SelectTasks(const TaskQuery& tq, const std::optional<std::string>& search_key,
                                const std::function<void(const TaskRow&)>& fn, int64_t* count) {
  // (1) The agencies asked for, by name, and the collectives that bind them.
  AgencyFilter agencies;
  agencies.on = tq.agency || !tq.agency_canonical.empty();
  if (agencies.on) {
    PLANTRACE_RETURN_IF_ERROR(AgencySets(tq, tq.include_collectives, &agencies.named, &agencies.collective));
    if (agencies.named.empty() && agencies.collective.empty()) return Status::Ok();
  }
  // (2) Tasks kept by the other filters.
  std::vector<TaskCandidate> cands;
  PLANTRACE_RETURN_IF_ERROR(CandidateTasks(tq, search_key, agencies, &cands));
  if (cands.empty()) return Status::Ok();
  // (3) Their agencies' ids test the agency filter; the printed lead and
  // coord are read for the rows handed on only (with a deadline window,
  // most candidates are other agencies' tasks).
  if (agencies.on) {
    PLANTRACE_RETURN_IF_ERROR(MatchCandidateAgencies(tq, agencies, &cands));
    std::erase_if(cands, [](const TaskCandidate& c) { return !c.named && !c.collective; });
    if (cands.empty()) return Status::Ok();
  }
  if (count != nullptr) *count = static_cast<int64_t>(cands.size());
  std::unordered_map<int64_t, TaskDocInfo> docs;
  PLANTRACE_RETURN_IF_ERROR(CandidateDocuments(cands, &docs));
  OrderCandidates(tq.by_deadline, &docs, &cands);
  if (tq.limit > 0 && cands.size() > tq.limit) cands.resize(tq.limit);
  PLANTRACE_RETURN_IF_ERROR(CandidateAgencies(&cands));
  // (4) The rows, in that order.
  return EmitTasks(tq, agencies, &cands, &docs, fn);
}

Status SqlStore::CandidateTasks(const TaskQuery& tq, const std::optional<std::string>& search_key,
                                   const AgencyFilter& agencies, std::vector<TaskCandidate>* cands) {
  // With a deadline window the window drives (one range of the (status,
  // due) index) and the agency test waits for pass 3; without one the
  // agencies' index does.
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
  if (agencies.on && !window) {
    where.push_back("t.id IN (SELECT ta.task_id FROM task_agencies ta WHERE ta.agency_id IN "
                    "(SELECT value FROM json_each(" + bind_text(AgencyIds(agencies)) + ")))");
  }
  // SearchKey leaves only letters, digits and spaces: safe inside a phrase,
  // and no LIKE wildcard. PostgreSQL: the same phrase in FtsDoc's text,
  // found through its trigram index.
  if (search_key && db_->backend() == Backend::kPostgres) {
    where.push_back("t.id IN (SELECT task_id FROM tasks_fts WHERE doc LIKE " +
                    bind_text("% " + FtsWords(*search_key) + " %") + ")");
  } else if (search_key) {
    where.push_back("t.id IN (SELECT rowid FROM tasks_fts WHERE tasks_fts MATCH " +
                    bind_text("\"" + *search_key + "\"") + ")");
  }
  if (tq.status != "all") where.push_back("t.status = " + bind_text(tq.status));
  if (tq.due_before) where.push_back("t.due <= " + bind_text(*tq.due_before));
  if (tq.due_after) where.push_back("t.due >= " + bind_text(*tq.due_after));
  if (tq.overdue) where.push_back("t.due < " + bind_text(*tq.as_of));
  if (tq.due_until) where.push_back("t.due >= " + bind_text(*tq.as_of) + " AND t.due <= " + bind_text(*tq.due_until));
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
  return q.ForEach([&] {
    TaskCandidate c;
    c.id = q.ColInt(0);
    c.doc_id = q.ColInt(1);
    c.position = static_cast<int>(q.ColInt(2));
    c.due = q.ColOptText(3);
    cands->push_back(std::move(c));
  });
}

Status SqlStore::MatchCandidateAgencies(const TaskQuery& tq, const AgencyFilter& agencies,
                                           std::vector<TaskCandidate>* cands) {
  // Read by task from the table's own key. PostgreSQL is also told the
  // agencies (rows of others are ignored below anyway): thousands of
  // overdue candidates would otherwise be hash-joined against all of
  // task_agencies, where the agencies' index gives the few rows that count.
  const bool pg = db_->backend() == Backend::kPostgres;
  Query q = Prepare(std::string(
      "SELECT j.key, ta.role, ta.agency_id FROM json_each(?1) j JOIN task_agencies ta ON ta.task_id = j.value") +
      (pg ? " WHERE ta.agency_id IN (SELECT value FROM json_each(?2))" : ""));
  q.Text(1, CandidateIds(*cands));
  if (pg) q.Text(2, AgencyIds(agencies));
  return q.ForEach([&] {
    TaskCandidate& c = (*cands)[static_cast<size_t>(q.ColInt(0))];
    if (tq.role != "either" && tq.role != q.ColView(1)) return;
    const int64_t agency = q.ColInt(2);
    if (agencies.named.count(agency)) c.named = true;
    if (agencies.collective.count(agency)) c.collective = true;
  });
}

Status SqlStore::CandidateAgencies(std::vector<TaskCandidate>* cands) {
  Query q = Prepare(
      "SELECT j.key, ta.role, ta.position, ta.printed FROM json_each(?1) j "
      "JOIN task_agencies ta ON ta.task_id = j.value");
  q.Text(1, CandidateIds(*cands));
  return q.ForEach([&] {
    TaskCandidate& c = (*cands)[static_cast<size_t>(q.ColInt(0))];
    (q.ColView(1) == "lead" ? c.lead : c.coord).emplace_back(static_cast<int>(q.ColInt(2)), q.ColText(3));
  });
}

Status SqlStore::CandidateDocuments(const std::vector<TaskCandidate>& cands,
                                       std::unordered_map<int64_t, TaskDocInfo>* docs) {
  // Read once rather than joined per row.
  std::string doc_ids = "[";
  for (const TaskCandidate& c : cands) {
    if (docs->try_emplace(c.doc_id).second) AppendId(&doc_ids, c.doc_id);
  }
  doc_ids += "]";
  Query q = Prepare(
      "SELECT id, number, file_name, doc_key FROM documents WHERE id IN (SELECT value FROM json_each(?1))");
  q.Text(1, doc_ids);
  return q.ForEach([&] {
    TaskDocInfo& d = (*docs)[q.ColInt(0)];
    d.number = q.ColOptText(1);
    d.file_name = q.ColText(2);
    d.doc_key = q.ColText(3);
  });
}

Status SqlStore::EmitTasks(const TaskQuery& tq, const AgencyFilter& agencies, std::vector<TaskCandidate>* cands,
                              std::unordered_map<int64_t, TaskDocInfo>* docs,
                              const std::function<void(const TaskRow&)>& fn) {
  // By id in the candidates' order. SQLite reads them in that order
  // (json_each drives the join); should a plan ever differ, early rows wait.
  // PostgreSQL may hash-join, so it is told the order (in SQLite an ORDER BY
  // would sort the whole listing before its first row).
  Query q = Prepare(std::string(
      "SELECT j.key, t.doc_id, t.position, t.source, t.grp, t.group_title, t.number, t.code, t.title, t.name, "
      "t.lead_raw, t.coord_raw, t.output, t.deadline_raw, t.deadline_kind, t.deadline_start, t.deadline_end, "
      "t.deadline_every, t.funding, t.page, t.line, t.clause, t.status, CASE WHEN ?2 <> 0 THEN t.rules ELSE '' END, "
      "t.deadline_rule, CASE WHEN ?2 <> 0 THEN t.source_text ELSE '' END, t.continues_task_id, t.ocr_confidence "
      "FROM json_each(?1) j JOIN tasks t ON t.id = j.value") +
      (db_->backend() == Backend::kPostgres ? " ORDER BY j.key" : ""));
  q.Text(1, CandidateIds(*cands)).Int(2, tq.with_source ? 1 : 0);
  TaskRow row;
  std::map<size_t, TaskRow> early;
  size_t next = 0;
  auto fill = [&](TaskRow& t, TaskCandidate& c) {
    t.id = c.id;
    t.doc_id = q.ColInt(1);
    t.position = static_cast<int>(q.ColInt(2));
    const TaskDocInfo& d = (*docs)[t.doc_id];
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
    if (q.ColOptInt(27)) t.ocr_confidence = q.ColDouble(27);
    t.lead = PrintedInOrder(&c.lead);
    t.coord = PrintedInOrder(&c.coord);
    t.via_collective = agencies.on && !c.named;
  };
  PLANTRACE_RETURN_IF_ERROR(q.ForEach([&] {
    size_t at = static_cast<size_t>(q.ColInt(0));
    if (at != next) {
      fill(early[at], (*cands)[at]);
      return;
    }
    fill(row, (*cands)[at]);
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

Result<std::optional<int64_t>> SqlStore::FindTask(const std::string& ref) {
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

}  // namespace store_internal
}  // namespace plantrace
