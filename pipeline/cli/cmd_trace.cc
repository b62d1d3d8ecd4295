// plantrace trace TASK: where a task comes from (document, clause, page,
// line, text, rules) and its chain of plans.
#include <cstdint>
#include <cstdio>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "pipeline/base/unicode.h"
#include "pipeline/cli/cli_internal.h"
#include "pipeline/cli/commands.h"

namespace plantrace {
namespace {

constexpr const char kTraceUsage[] =
    "usage: plantrace trace [--db FILE] TASK\n"
    "Shows where a task comes from: document, clause, page and line, the text\n"
    "as printed, the rules behind each field, and the chain of plans before and\n"
    "after it with what changed at each step.\n"
    "  TASK   task id (as 'plantrace tasks' prints), DOC:N (N-th task of a\n"
    "         document given by key, number or id) or DOC:CLAUSE\n";

std::string ChangesText(const std::vector<Change>& changes) {
  if (changes.empty()) return "no change";
  std::string out;
  for (const Change& c : changes) {
    if (!out.empty()) out += "; ";
    out += c.field + ": " + (c.from.empty() ? "(none)" : c.from) + " -> " + (c.to.empty() ? "(none)" : c.to);
  }
  return out;
}

// The field a provenance rule ref ("deadline.month@abc") produced.
std::string RuleField(const std::string& ref) {
  std::string id = ref.substr(0, ref.find('@'));
  std::string family = id.substr(0, id.find('.'));
  if (family == "deadline") return "deadline";
  if (family == "agency" || family == "agencies") return "lead/coord";
  if (family == "column" || family == "table") return "row/columns";
  if (family == "prose" || family == "heading" || family == "structure") return "clause";
  return family;
}

// One step of a chain, walking from `id` backwards (to older plans) or
// forwards; `seen` stops cycles.
Status WalkChain(Store* store, int64_t id, bool backwards, int depth, std::set<int64_t>* seen, std::string* out) {
  if (depth > 20) return Status::Ok();
  Result<std::vector<LineageRow>> rows = store->Lineage(id);
  if (!rows.ok()) return rows.status();
  for (const LineageRow& l : *rows) {
    if (backwards ? l.task != id : l.prev != id) continue;
    int64_t next = backwards ? l.prev : l.task;
    if (!seen->insert(next).second) continue;
    TaskQuery q;
    q.task_id = next;
    q.status = "all";
    Result<std::vector<TaskRow>> t = store->Tasks(q);
    if (!t.ok()) return t.status();
    if (t->empty()) continue;
    const TaskRow& r = (*t)[0];
    std::string indent(2 * depth + 2, ' ');
    *out += indent + (backwards ? "<- " : "-> ") + "[" + std::to_string(r.id) + "] " + r.ref + "  " +
            Or(r.doc_number, "(no number)") + " " + r.clause + "\n";
    *out += indent + "   " + Cut(OneLine(r.name), 100) + "\n";
    *out += indent + "   " + (l.linked ? "linked" : "candidate only") + ", score " + ScoreText(l.score) + ", " +
            l.relation + "; " + ChangesText(l.changes) + "\n";
    if (l.linked) PLANTRACE_RETURN_IF_ERROR(WalkChain(store, next, backwards, depth + 1, seen, out));
  }
  return Status::Ok();
}

}  // namespace

int CmdTrace(const std::vector<std::string>& argv) {
  Args args;
  if (std::optional<int> stop = ParseCommand("trace", argv, {"db"}, true, kTraceUsage, &args)) return *stop;
  if (args.positional.size() != 1) {
    UsageError("trace", "give exactly one TASK", kTraceUsage);
    return 2;
  }
  std::unique_ptr<Store> store = OpenExisting("trace", args.db);
  if (!store) return 1;
  Result<std::optional<int64_t>> id = store->FindTask(args.positional[0]);
  if (!id.ok()) {
    std::fprintf(stderr, "plantrace trace: %s\n", id.status().message().c_str());
    return id.status().code() == Status::Code::kInvalidInput ? 2 : 1;
  }
  if (!*id) {
    std::fprintf(stderr, "plantrace trace: no task '%s'\n", args.positional[0].c_str());
    return 1;
  }
  TaskQuery q;
  q.task_id = **id;
  q.status = "all";
  q.with_source = true;
  Result<std::vector<TaskRow>> tasks = store->Tasks(q);
  Result<std::vector<DocRow>> docs = store->Documents();
  if (!tasks.ok() || !docs.ok() || tasks->empty()) {
    std::fprintf(stderr, "plantrace trace: %s\n",
                 (!tasks.ok() ? tasks.status() : docs.status()).message().c_str());
    return 1;
  }
  const TaskRow& t = (*tasks)[0];
  const DocRow* d = nullptr;
  for (const DocRow& x : *docs) {
    if (x.id == t.doc_id) d = &x;
  }
  std::string out;
  out += "task      [" + std::to_string(t.id) + "] " + t.ref + "\n";
  if (d) {
    out += "document  " + Or(d->type, "?") + " " + Or(d->number, "(no number)") + ", " + Or(d->date, "no date") +
           ", " + Or(d->issuer, "issuer not printed") + "\n";
    out += "          " + Or(d->title) + "\n";
    out += "          file " + d->source_path + " (" + d->format + "), status " + d->status +
           (d->status_by ? " by " + *d->status_by : "") + "\n";
  }
  out += "clause    " + (t.clause.empty() ? t.source : t.clause) + "\n";
  out += "at        " + (t.page > 0 ? "page " + std::to_string(t.page) + ", " : std::string()) + "line " +
         std::to_string(t.line) + "\n";
  if (t.ocr_confidence) {
    out += "read by   OCR of the page image, lowest word confidence " +
           std::to_string(static_cast<int>(*t.ocr_confidence + 0.5)) + "/100 (check against the page)\n";
  }
  out += "source text (as printed):\n  " + t.source_text + "\n";
  Result<std::vector<SourceLine>> lines = store->Lines(t.doc_id, t.page, t.line, t.line);
  if (lines.ok() && !lines->empty()) {
    out += "document line " + std::to_string(t.line) + ":\n";
    for (const SourceLine& l : *lines) out += "  " + l.text + "\n";
  }
  out += "fields:\n";
  out += "  name      " + t.name + "\n";
  out += "  lead      " + Join(t.lead, "; ") + (t.lead_raw ? "   (cell: " + *t.lead_raw + ")" : "") + "\n";
  out += "  coord     " + Join(t.coord, "; ") + (t.coord_raw ? "   (cell: " + *t.coord_raw + ")" : "") + "\n";
  if (t.output) out += "  output    " + *t.output + "\n";
  out += "  deadline  " + Or(t.deadline_raw, "(none)");
  if (t.deadline_kind) {
    out += " -> " + *t.deadline_kind + " " + Or(t.deadline_start, "?") + ".." + Or(t.deadline_end, "?");
  }
  if (t.deadline_rule) out += "   rule " + *t.deadline_rule;
  out += "\n";
  out += "rules:\n";
  size_t start = 0;
  while (start < t.rules.size()) {
    size_t sp = t.rules.find(' ', start);
    if (sp == std::string::npos) sp = t.rules.size();
    std::string ref = t.rules.substr(start, sp - start);
    if (!ref.empty()) out += "  " + RuleField(ref) + ": " + ref + "\n";
    start = sp + 1;
  }
  out += "status    " + t.status;
  if (t.continues) out += ", continued by task [" + std::to_string(*t.continues) + "]";
  out += "\n";
  std::set<int64_t> seen = {t.id};
  std::string back, fwd;
  Status st = WalkChain(store.get(), t.id, true, 0, &seen, &back);
  if (st.ok()) st = WalkChain(store.get(), t.id, false, 0, &seen, &fwd);
  if (!st.ok()) {
    std::fprintf(stderr, "plantrace trace: %s\n", st.message().c_str());
    return 1;
  }
  out += "chain backwards (older plans):\n" + (back.empty() ? "  (none)\n" : back);
  out += "chain forwards (newer plans):\n" + (fwd.empty() ? "  (none)\n" : fwd);
  Print(out);
  return 0;
}

}  // namespace plantrace
