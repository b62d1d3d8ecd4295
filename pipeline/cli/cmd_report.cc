// plantrace report --as-of DATE: per-agency counts of active, due-soon and
// overdue tasks, then the overdue tasks.
#include <cstdio>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "pipeline/base/json_writer.h"
#include "pipeline/base/unicode.h"
#include "pipeline/base/xlsx_writer.h"
#include "pipeline/cli/cli_internal.h"
#include "pipeline/cli/commands.h"
#include "pipeline/store/due.h"
#include "pipeline/store/report.h"

namespace plantrace {
namespace {

constexpr const char kReportUsage[] =
    "usage: plantrace report [--db FILE] --as-of DATE [--agency A] [--due-within W]\n"
    "                        [--format table|json|csv|html|xlsx] [--out FILE]\n"
    "Per agency (as lead): active tasks, of which due within the window (30d by\n"
    "default; 2w, 3m also) and overdue at DATE, then the overdue tasks.\n"
    "--format xlsx needs --out FILE; other formats print unless --out is given.\n";

std::string ReportJson(const Report& report) {
  JsonWriter w;
  w.BeginObject().Field("as_of", report.as_of).Field("window", report.window).Key("agencies").BeginArray();
  for (const ReportRow& r : report.rows) {
    w.BeginObject()
        .Field("agency", r.agency)
        .Field("kind", r.kind)
        .Field("active", r.active)
        .Field("due_soon", r.due_soon)
        .Field("overdue", r.overdue)
        .EndObject();
  }
  w.EndArray().Key("overdue_tasks").BeginArray();
  for (const ReportTask& t : report.overdue) {
    w.BeginObject().Field("id", t.id).Field("doc", t.doc).Field("number", t.number).Field("name", t.name);
    w.Field("lead", t.lead).Field("deadline_raw", t.deadline_raw).Field("due", t.due).EndObject();
  }
  w.EndArray().EndObject();
  return w.str() + "\n";
}

std::string ReportCsv(const Report& report) {
  std::string text = CsvRow({"agency", "kind", "active", "due_within_" + report.window, "overdue"});
  for (const ReportRow& r : report.rows) {
    text += CsvRow({r.agency, r.kind, std::to_string(r.active), std::to_string(r.due_soon),
                    std::to_string(r.overdue)});
  }
  return text;
}

// `text` to --out FILE, else to stdout.
int Emit(const std::string& text, const std::optional<std::string>& out) {
  if (!out) {
    Print(text);
    return 0;
  }
  FILE* f = std::fopen(out->c_str(), "wb");
  if (!f || std::fwrite(text.data(), 1, text.size(), f) != text.size() || std::fclose(f) != 0) {
    std::fprintf(stderr, "plantrace report: %s: cannot write\n", out->c_str());
    return 1;
  }
  return 0;
}

}  // namespace

int CmdReport(const std::vector<std::string>& argv) {
  Args args;
  if (std::optional<int> stop = ParseCommand("report", argv, {"db", "format", "as-of", "agency", "due-within", "out"},
                                             false, kReportUsage, &args))
    return *stop;
  std::string format = args.format.value_or("table");
  if (!CheckFormat("report", format, {"table", "json", "csv", "html", "xlsx"}, kReportUsage)) return 2;
  if (!args.as_of || !IsIsoDate(*args.as_of)) {
    UsageError("report", "--as-of DATE (YYYY-MM-DD) is required", kReportUsage);
    return 2;
  }
  if (format == "xlsx" && !args.out) {
    UsageError("report", "--format xlsx needs --out FILE", kReportUsage);
    return 2;
  }
  Result<DueWindow> window = ParseDueWindow(args.due_within.value_or("30d"));
  if (!window.ok()) {
    UsageError("report", window.status().message(), kReportUsage);
    return 2;
  }
  std::optional<std::string> window_end = WindowEnd(*args.as_of, *window);
  if (!window_end) {
    UsageError("report", "--as-of is not a date", kReportUsage);
    return 2;
  }
  std::unique_ptr<Store> store = OpenExisting("report", args.db);
  if (!store) return 1;
  Result<Report> computed = ComputeReport(store.get(), *args.as_of, *window, args.agency);
  if (!computed.ok()) {
    std::fprintf(stderr, "plantrace report: %s\n", computed.status().message().c_str());
    return computed.status().code() == Status::Code::kInvalidInput ? 2 : 1;
  }
  const Report& report = *computed;
  if (format == "xlsx") {
    XlsxOptions opt;
    opt.created = report.as_of;
    Status st = WriteXlsx(*args.out, ReportSheets(report), opt);
    if (!st.ok()) {
      std::fprintf(stderr, "plantrace report: %s\n", st.message().c_str());
      return 1;
    }
    return 0;
  }
  return Emit(format == "table"  ? RenderReportText(report)
              : format == "html" ? RenderReportHtml(report)
              : format == "json" ? ReportJson(report)
                                 : ReportCsv(report),
              args.out);
}

}  // namespace plantrace
