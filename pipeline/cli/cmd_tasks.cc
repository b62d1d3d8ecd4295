// plantrace tasks: stored tasks filtered by document, agency, status,
// deadline or search, as a table, JSON, CSV or XLSX.
#include <algorithm>
#include <cstdio>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "pipeline/base/json_writer.h"
#include "pipeline/base/numbers.h"
#include "pipeline/base/unicode.h"
#include "pipeline/base/xlsx_writer.h"
#include "pipeline/cli/cli_internal.h"
#include "pipeline/cli/commands.h"
#include "pipeline/store/due.h"
#include "pipeline/store/task_export.h"

namespace plantrace {
namespace {

constexpr const char kTasksUsage[] =
    "usage: plantrace tasks [--db FILE] [--doc N] [--agency A [--role R] [--collectives]]\n"
    "                       [--status S] [--due-before D] [--due-after D]\n"
    "                       [--overdue] [--due-within Nd] [--as-of D] [--search Q]\n"
    "                       [--format table|json|csv|xlsx] [--out FILE]\n"
    "Lists stored tasks by deadline (undated last), then document and position.\n"
    "  --doc N          document id, key or number (\"102/KH-UBND\")\n"
    "  --agency A       agency; accents and case ignored, any printed form,\n"
    "                   canonical name or alias (\"Sở KH&CN\", \"so khoa hoc\").\n"
    "  --collectives    also list the collective assignments that bind the\n"
    "                   agency (\"Các sở, ban, ngành\" for a Sở), flagged; without\n"
    "                   it a note on stderr names those collectives\n"
    "  --role R         lead, coord or either (default)\n"
    "  --status S       active (default), superseded, carried_over or all\n"
    "  --due-before D   deadline ends on or before D (YYYY-MM-DD)\n"
    "  --due-after D    deadline ends on or after D\n"
    "  --overdue        deadline ended before --as-of (recurring, ongoing and\n"
    "                   conditional tasks never are)\n"
    "  --due-within Nd  deadline ends within N days from --as-of\n"
    "  --as-of D        reference date for --overdue and --due-within\n"
    "  --search Q       phrase in task name, agencies or output; accents ignored\n"
    "  --format F       table (default; long cells cut), json or csv (full text),\n"
    "                   xlsx (needs --out FILE; deadlines as Excel dates)\n";

// The task filters of `tasks`; false on a usage error (reported).
bool BuildTaskQuery(const Args& args, TaskQuery* q) {
  q->doc = args.doc;
  q->agency = args.agency;
  q->search = args.search;
  if (args.collectives && args.no_collectives) {
    UsageError("tasks", "--collectives and --no-collectives contradict each other", kTasksUsage);
    return false;
  }
  q->include_collectives = args.agency && args.collectives;
  q->by_deadline = true;
  if (args.role) q->role = *args.role;
  if (args.status) q->status = *args.status;
  for (const auto& [name, value] :
       {std::pair<const char*, const std::optional<std::string>*>{"--due-before", &args.due_before},
        {"--due-after", &args.due_after},
        {"--as-of", &args.as_of}}) {
    if (*value && !IsIsoDate(**value)) {
      return UsageError("tasks", std::string(name) + " needs a date YYYY-MM-DD, not '" + **value + "'", kTasksUsage);
    }
  }
  q->due_before = args.due_before;
  q->due_after = args.due_after;
  q->as_of = args.as_of;
  q->overdue = args.overdue;
  if ((q->overdue || args.due_within) && !q->as_of) {
    return UsageError("tasks", "--overdue and --due-within need --as-of DATE", kTasksUsage);
  }
  if (args.due_within) {
    Result<DueWindow> w = ParseDueWindow(*args.due_within);
    if (!w.ok()) return UsageError("tasks", w.status().message(), kTasksUsage);
    q->due_until = WindowEnd(*q->as_of, *w);
  }
  if ((q->overdue || q->due_until) && !q->as_of) {
    return UsageError("tasks", "--overdue and --due-within need --as-of DATE", kTasksUsage);
  }
  return true;
}

// A failed listing: the message, and exit 2 for a bad query, else 1.
int Failed(const Status& st) {
  std::fprintf(stderr, "plantrace tasks: %s\n", st.message().c_str());
  return st.code() == Status::Code::kInvalidInput ? 2 : 1;
}

// Named assignments are listed by default (the collective ones can be most
// of a Sở's list); say which collectives were left out, so that nothing
// binding the agency is dropped silently.
int NoteLeftOutCollectives(Store* store, const TaskQuery& q) {
  Result<std::vector<std::string>> left_out = store->BindingCollectives(q);
  if (!left_out.ok()) return Failed(left_out.status());
  if (!left_out->empty()) {
    const size_t n = left_out->size();
    std::vector<std::string> shown(left_out->begin(), left_out->begin() + std::min<size_t>(n, 3));
    std::fprintf(stderr,
                 "plantrace tasks: not listed: tasks assigned to %zu collective%s that bind this agency (%s%s); "
                 "add --collectives to include them, flagged\n",
                 n, n == 1 ? "" : "s", Join(shown, "; ").c_str(), n > 3 ? "; ..." : "");
  }
  return 0;
}

// JSON and CSV are printed as the rows are read (a listing can be the whole
// store), in pieces of about this many bytes; the table and XLSX need every
// row first.
constexpr size_t kFlushBytes = 1 << 16;

int PrintJson(Store* store, const TaskQuery& q) {
  JsonWriter w;
  w.BeginArray();
  Status st = store->ForEachTask(q, [&](const TaskRow& t) {
    WriteTaskJson(t, &w);
    if (w.size() >= kFlushBytes) w.Flush(stdout);
  });
  if (!st.ok()) return Failed(st);
  w.EndArray();
  w.Flush(stdout);
  Print("\n");
  return 0;
}

int PrintCsv(Store* store, const TaskQuery& q) {
  std::string out = CsvRow(TaskCsvHeader());
  Status st = store->ForEachTask(q, [&](const TaskRow& t) {
    out += CsvRow(TaskCsvCells(t));
    if (out.size() >= kFlushBytes) {
      Print(out);
      out.clear();
    }
  });
  if (!st.ok()) return Failed(st);
  Print(out);
  return 0;
}

// The CSV columns, with the id as a number and deadlines as real dates.
int WriteXlsxFile(const std::vector<std::vector<std::string>>& rows, const std::string& path) {
  XlsxSheet sheet = TaskSheet(rows);
  Status st = WriteXlsx(path, {sheet});
  if (!st.ok()) {
    std::fprintf(stderr, "plantrace tasks: %s\n", st.message().c_str());
    return 1;
  }
  return 0;
}

}  // namespace

int CmdTasks(const std::vector<std::string>& argv) {
  Args args;
  if (std::optional<int> stop = ParseCommand("tasks", argv,
                                             {"db", "doc", "agency", "search", "format", "role", "status",
                                              "due-before", "due-after", "as-of", "due-within", "overdue",
                                              "collectives", "no-collectives", "out"},
                                             false, kTasksUsage, &args)) {
    return *stop;
  }
  std::string format = args.format.value_or("table");
  if (!CheckFormat("tasks", format, {"table", "json", "csv", "xlsx"}, kTasksUsage)) return 2;
  if (format == "xlsx" && !args.out) {
    UsageError("tasks", "--format xlsx needs --out FILE", kTasksUsage);
    return 2;
  }
  std::unique_ptr<Store> store = OpenExisting("tasks", args.db);
  if (!store) return 1;
  TaskQuery q;
  if (!BuildTaskQuery(args, &q)) return 2;
  if (q.agency && !q.include_collectives) {
    if (int code = NoteLeftOutCollectives(store.get(), q)) return code;
  }
  if (format == "json") return PrintJson(store.get(), q);
  if (format == "csv") return PrintCsv(store.get(), q);
  std::vector<std::vector<std::string>> rows;
  Status st = store->ForEachTask(q, [&](const TaskRow& t) { rows.push_back(TaskCsvCells(t)); });
  if (!st.ok()) return Failed(st);
  if (format == "xlsx") return WriteXlsxFile(rows, *args.out);
  Print(RenderTable({"ID", "DOC", "SOURCE", "GROUP", "NUMBER", "NAME", "LEAD", "COORD", "DEADLINE", "KIND", "START",
                     "END", "STATUS", "VIA"},
                    {8, 20, 14, 6, 6, 50, 30, 24, 18, 9, 10, 10, 12, 10}, rows));
  return 0;
}

}  // namespace plantrace
