// Reprocess: stored original -> ProcessFn -> diff against the stored
// extraction -> Store::ReplaceDocument.
#include "pipeline/store/reprocess.h"

#include <algorithm>
#include <deque>
#include <exception>
#include <future>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <utility>

#include "pipeline/base/doc_key.h"
#include "pipeline/base/unicode.h"

namespace plantrace {
namespace {

std::string Or(const std::optional<std::string>& s) { return s.value_or(""); }

std::string DeadlineText(const std::optional<std::string>& kind, const std::optional<std::string>& start,
                         const std::optional<std::string>& end, const std::optional<std::string>& every) {
  if (!kind) return "";
  std::string s = *kind + " " + Or(start) + ".." + Or(end);
  if (every) s += " every " + *every;
  return s;
}

// The compared fields of a task, in output order.
using Fields = std::vector<std::pair<const char*, std::string>>;

// A stored task in the shape of an extracted one, for comparison.
Task FromRow(const TaskRow& r) {
  Task t;
  t.source = r.source;
  t.group = r.group;
  t.group_title = r.group_title;
  t.number = r.number;
  t.code = r.code;
  t.title = r.title;
  t.name = r.name;
  t.lead_raw = r.lead_raw;
  t.coord_raw = r.coord_raw;
  for (auto [names, out] : {std::pair{&r.lead, &t.lead}, std::pair{&r.coord, &t.coord}}) {
    for (const std::string& name : *names) {
      Agency a;
      a.printed = name;
      out->push_back(std::move(a));
    }
  }
  t.output = r.output;
  t.deadline_raw = r.deadline_raw;
  if (r.deadline_kind) t.deadline = Deadline{*r.deadline_kind, r.deadline_start, r.deadline_end, r.deadline_every, ""};
  t.funding = r.funding;
  t.provenance.clause = r.clause;
  return t;
}

Fields FieldsOf(const Task& t) {
  std::vector<std::string> lead, coord;
  for (const Agency& a : t.lead) lead.push_back(a.printed);
  for (const Agency& a : t.coord) coord.push_back(a.printed);
  std::string deadline;
  if (t.deadline) {
    deadline = DeadlineText(t.deadline->kind, t.deadline->start, t.deadline->end, t.deadline->every);
  }
  return {{"source", t.source},
          {"group", Or(t.group)},
          {"group_title", Or(t.group_title)},
          {"number", Or(t.number)},
          {"code", Or(t.code)},
          {"title", Or(t.title)},
          {"name", t.name},
          {"lead_raw", Or(t.lead_raw)},
          {"lead", Join(lead, "; ")},
          {"coord_raw", Or(t.coord_raw)},
          {"coord", Join(coord, "; ")},
          {"output", Or(t.output)},
          {"deadline_raw", Or(t.deadline_raw)},
          {"deadline", deadline},
          {"funding", Or(t.funding)},
          {"clause", t.provenance.clause}};
}

// Pairing keys: the task's number within its source where it has one, and
// its name.
std::string NumberKey(const Fields& f) {
  if (f[3].second.empty()) return "";
  return f[0].second + "\x1f" + f[3].second + "\x1f" + f[4].second;
}
std::string NameKey(const Fields& f) { return f[0].second + "\x1f" + f[6].second; }

}  // namespace

const char* TaskDiffKindName(TaskDiff::Kind kind) {
  return kind == TaskDiff::Kind::kAdded ? "added" : kind == TaskDiff::Kind::kRemoved ? "removed" : "changed";
}

const char* TaskDiffMark(TaskDiff::Kind kind) {
  return kind == TaskDiff::Kind::kAdded ? "+" : kind == TaskDiff::Kind::kRemoved ? "-" : "~";
}

std::vector<TaskDiff> DiffTasks(const std::vector<TaskRow>& before, const std::vector<Task>& after) {
  std::vector<Fields> old_f, new_f;
  for (const TaskRow& t : before) old_f.push_back(FieldsOf(FromRow(t)));
  for (const Task& t : after) new_f.push_back(FieldsOf(t));
  std::vector<int> pair_of_new(new_f.size(), -1);
  std::vector<bool> old_used(old_f.size(), false);
  // Each pass pairs a new task with the first unused old task of equal key.
  for (auto key : {NumberKey, NameKey}) {
    std::map<std::string, std::vector<size_t>> by_key;
    for (size_t i = old_f.size(); i-- > 0;) {
      if (!old_used[i]) by_key[key(old_f[i])].push_back(i);
    }
    for (size_t j = 0; j < new_f.size(); ++j) {
      if (pair_of_new[j] >= 0) continue;
      std::string k = key(new_f[j]);
      auto it = by_key.find(k);
      if (k.empty() || it == by_key.end() || it->second.empty()) continue;
      size_t i = it->second.back();
      it->second.pop_back();
      old_used[i] = true;
      pair_of_new[j] = static_cast<int>(i);
    }
  }
  std::vector<TaskDiff> out;
  for (size_t j = 0; j < new_f.size(); ++j) {
    TaskDiff d;
    d.position = static_cast<int>(j);
    d.number = new_f[j][3].second;
    d.name = new_f[j][6].second;
    if (pair_of_new[j] < 0) {
      d.kind = TaskDiff::Kind::kAdded;
      out.push_back(std::move(d));
      continue;
    }
    const Fields& o = old_f[pair_of_new[j]];
    for (size_t k = 0; k < o.size(); ++k) {
      if (o[k].second != new_f[j][k].second) d.fields.push_back({o[k].first, o[k].second, new_f[j][k].second});
    }
    if (!d.fields.empty()) out.push_back(std::move(d));
  }
  for (size_t i = 0; i < old_f.size(); ++i) {
    if (old_used[i]) continue;
    TaskDiff d;
    d.kind = TaskDiff::Kind::kRemoved;
    d.position = static_cast<int>(i);
    d.number = old_f[i][3].second;
    d.name = old_f[i][6].second;
    out.push_back(std::move(d));
  }
  return out;
}

std::vector<FieldChange> DiffMeta(const DocRow& before, const Meta& after) {
  std::vector<FieldChange> out;
  auto cmp = [&](const char* field, const std::optional<std::string>& a, const std::optional<std::string>& b) {
    if (Or(a) != Or(b)) out.push_back({field, Or(a), Or(b)});
  };
  cmp("number", before.number, after.number);
  cmp("type", before.type, after.type);
  cmp("issuer", before.issuer, after.issuer);
  cmp("place", before.place, after.place);
  cmp("date", before.date, after.date);
  cmp("title", before.title, after.title);
  cmp("signer", before.signer, after.signer);
  auto count = [](const auto& v) { return v ? std::optional<std::string>(std::to_string(*v)) : std::nullopt; };
  cmp("declared_task_count", count(before.declared_task_count), count(after.declared_task_count));
  return out;
}

std::vector<FieldChange> DiffReferences(const std::vector<RelationRow>& before, const std::vector<Reference>& after) {
  auto text = [](const std::string& relation, const std::optional<std::string>& date) {
    return relation + (date ? " " + *date : "");
  };
  std::map<std::string, std::pair<std::string, std::string>> by_cited;  // cited -> (before, after)
  std::vector<std::string> order;
  auto slot = [&](const std::string& cited) -> std::pair<std::string, std::string>& {
    auto [it, added] = by_cited.try_emplace(cited);
    if (added) order.push_back(cited);
    return it->second;
  };
  for (const RelationRow& r : before) slot(r.cited()).first = text(r.relation, r.to_date);
  for (const Reference& r : after) {
    slot(r.number.empty() && r.title ? *r.title : r.number).second = text(r.relation, r.date);
  }
  std::vector<FieldChange> out;
  for (const std::string& cited : order) {
    const auto& [b, a] = by_cited[cited];
    if (b != a) out.push_back({cited, b, a});
  }
  return out;
}

Result<std::vector<DocRow>> SelectForReprocess(Store* store, const std::string& rules_hash,
                                               const ReprocessOptions& options) {
  Result<std::vector<DocRow>> docs = store->Documents();
  if (!docs.ok()) return docs.status();
  const std::set<int64_t> only(options.only.begin(), options.only.end());
  std::vector<DocRow> selected;
  for (DocRow& d : *docs) {
    if (!only.empty() && !only.count(d.id)) continue;
    if (!options.all && only.empty() && d.rules_hash == rules_hash) continue;
    selected.push_back(std::move(d));
  }
  return selected;
}

namespace {

// Diffs a new extraction `p` of stored document `doc` (references `refs`)
// and, unless dry_run, replaces the stored one. Fills `rf` for the run.
Status ApplyReprocessed(Store* store, const DocRow& doc, const std::vector<RelationRow>& refs,
                        Result<Processed>& p, const std::string& rules_hash, bool dry_run, DocDiff* diff,
                        RunFile* rf) {
  diff->doc_id = doc.id;
  diff->doc_key = doc.key;
  diff->file = doc.file_name;
  diff->rules_before = doc.rules_hash;
  diff->rules_after = rules_hash;
  diff->tasks_before = static_cast<int>(doc.task_count);
  rf->path = doc.source_path;
  rf->sha256 = doc.sha256;
  rf->doc_id = doc.id;
  if (!p.ok()) {
    diff->failed = true;
    diff->message = p.status().message();
  } else {
    diff->seconds = p->seconds;
    diff->pages = p->pages;
    TaskQuery q;
    q.doc = std::to_string(doc.id);
    q.status = "all";
    Result<std::vector<TaskRow>> old_tasks = store->Tasks(q);
    if (!old_tasks.ok()) return old_tasks.status();
    diff->tasks_after = static_cast<int>(p->record.tasks.size());
    diff->tasks = DiffTasks(*old_tasks, p->record.tasks);
    diff->meta = DiffMeta(doc, p->record.meta);
    diff->references = DiffReferences(refs, p->record.references);
    diff->doc_key = DocumentKey(p->record.meta.number, p->record.meta.date, doc.sha256);
    if (!dry_run) {
      LoadOutcome out;
      Status st = store->ReplaceDocument(doc.id, p->record, rules_hash, p->extras, &out);
      if (!st.ok()) {
        diff->failed = true;
        diff->message = st.message();
      }
    }
  }
  if (diff->failed) {
    rf->status = "failed";
    rf->message = diff->message;
  } else {
    rf->status = "ok";
    rf->message = std::to_string(diff->tasks_before) + " -> " + std::to_string(diff->tasks_after) + " tasks, " +
                  std::to_string(diff->tasks.size()) + " task changes, " + std::to_string(diff->meta.size()) +
                  " document field changes, " + std::to_string(diff->references.size()) + " reference changes";
  }
  return Status::Ok();
}

Result<Processed> ProcessGuarded(const ProcessFn& process, const std::string& bytes, const std::string& path) {
  try {
    return process(bytes, path);
  } catch (const std::exception& e) {
    return Result<Processed>(Status::Internal(std::string("exception: ") + e.what()));
  }
}

}  // namespace

Result<std::optional<DocDiff>> ReprocessStored(Store* store, const ProcessFn& process, const std::string& rules_hash,
                                               int64_t doc_id, int64_t run_id, int position) {
  Result<std::optional<DocRow>> doc = store->Document(doc_id);
  if (!doc.ok()) return doc.status();
  if (!doc->has_value()) return std::optional<DocDiff>();
  // Its own references only: Relations(doc_id) lists those citing it too.
  Result<std::vector<RelationRow>> relations = store->Relations(doc_id);
  if (!relations.ok()) return relations.status();
  std::vector<RelationRow> refs;
  for (RelationRow& r : *relations) {
    if (r.from == doc_id) refs.push_back(std::move(r));
  }
  Result<std::string> bytes = store->Original(doc_id);
  if (!bytes.ok()) return bytes.status();
  Result<Processed> p = ProcessGuarded(process, *bytes, (*doc)->source_path);
  DocDiff diff;
  RunFile rf;
  PLANTRACE_RETURN_IF_ERROR(ApplyReprocessed(store, **doc, refs, p, rules_hash, false, &diff, &rf));
  PLANTRACE_RETURN_IF_ERROR(store->RecordRunFile(run_id, position, rf));
  return std::optional<DocDiff>(std::move(diff));
}

Status Reprocess(Store* store, const ProcessFn& process, const std::string& rules_hash,
                 const ReprocessOptions& options, const std::function<void(const DocDiff&)>& on_doc,
                 RunCounters* counters) {
  Result<std::vector<DocRow>> selected = SelectForReprocess(store, rules_hash, options);
  if (!selected.ok()) return selected.status();
  // Stored references, read once: reprocessing one document leaves the
  // others' as they were.
  Result<std::vector<RelationRow>> relations = store->Relations();
  if (!relations.ok()) return relations.status();
  std::map<int64_t, std::vector<RelationRow>> refs_of;
  for (RelationRow& r : *relations) refs_of[r.from].push_back(std::move(r));
  RunCounters c;
  int64_t run_id = 0;
  if (!options.dry_run) {
    store->DeferLinks();
    Result<int64_t> run = store->BeginRun(rules_hash, "reprocess");
    if (!run.ok()) return run.status();
    run_id = *run;
  }
  // Extraction runs ahead on up to `jobs` threads; the store is read and
  // written from this thread only, in document order.
  const size_t jobs = static_cast<size_t>(std::max(1, options.jobs));
  std::deque<std::future<Result<Processed>>> ahead;
  size_t started = 0;
  auto start_next = [&]() -> Status {
    const DocRow& doc = (*selected)[started++];
    Result<std::string> bytes = store->Original(doc.id);
    if (!bytes.ok()) return bytes.status();
    ahead.push_back(std::async(jobs > 1 ? std::launch::async : std::launch::deferred,
                               [&process, path = doc.source_path, b = std::move(bytes).value()] {
                                 return ProcessGuarded(process, b, path);
                               }));
    return Status::Ok();
  };
  for (size_t i = 0; i < selected->size(); ++i) {
    while (started < selected->size() && started < i + jobs) PLANTRACE_RETURN_IF_ERROR(start_next());
    Result<Processed> p = ahead.front().get();
    ahead.pop_front();
    const DocRow& doc = (*selected)[i];
    ++c.files;
    DocDiff diff;
    diff.index = i;
    diff.total = selected->size();
    RunFile rf;
    PLANTRACE_RETURN_IF_ERROR(
        ApplyReprocessed(store, doc, refs_of[doc.id], p, rules_hash, options.dry_run, &diff, &rf));
    ++(diff.failed ? c.failed : c.ok);
    if (!options.dry_run) {
      PLANTRACE_RETURN_IF_ERROR(store->RecordRunFile(run_id, static_cast<int>(i), rf));
    }
    on_doc(diff);
  }
  if (!options.dry_run) {
    PLANTRACE_RETURN_IF_ERROR(store->FinishLinks());
    PLANTRACE_RETURN_IF_ERROR(store->FinishRun(run_id, c));
  }
  if (counters) *counters = c;
  return Status::Ok();
}

}  // namespace plantrace
