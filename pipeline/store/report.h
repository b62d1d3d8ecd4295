// Command output for `plantrace report`: per-agency counts (active, due soon,
// overdue) and the overdue tasks, rendered as a terminal table, a standalone
// HTML page or XLSX sheets. The store computes the numbers; this file only
// orders and renders them.
#ifndef PLANTRACE_PIPELINE_STORE_REPORT_H_
#define PLANTRACE_PIPELINE_STORE_REPORT_H_

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "pipeline/base/xlsx_writer.h"
#include "pipeline/store/due.h"
#include "pipeline/store/store.h"

namespace plantrace {

struct ReportRow {
  std::string agency;  // canonical name, or as printed when unknown, with its scope
  std::string kind;    // department, committee, collective, ... ("" unknown)
  int active = 0;      // active tasks the agency leads
  int due_soon = 0;    // of those, due within the window (not overdue)
  int overdue = 0;     // of those, overdue as of the report date
  std::string name;    // the agency's name without its scope (what --agency takes)
};

struct ReportTask {
  int64_t id = 0;            // task id, as `plantrace trace` takes it
  std::string doc;           // document number ("102/KH-UBND")
  std::string number;        // the task's number in its plan ("3", "II.4")
  std::string name;
  std::string lead;          // lead agencies, joined
  std::string deadline_raw;  // as printed
  std::string due;           // ISO due date (due.h DueDate)
};

struct Report {
  std::string as_of;   // ISO
  std::string window;  // "30d" (due.h FormatDueWindow)
  std::vector<ReportRow> rows;
  std::vector<ReportTask> overdue;
};

// Every word the renderers print, so a caller can supply another language
// (e.g. loaded from rules/). "{as_of}" and "{window}" are replaced.
struct ReportLabels {
  std::string lang = "en";  // HTML lang attribute
  std::string title = "Task report as of {as_of}";
  std::string window_note = "Tasks each agency leads. Due soon: due within {window} of {as_of}, not yet overdue.";
  std::string agency = "Agency";
  std::string kind = "Kind";
  std::string active = "Active";
  std::string due_soon = "Due within {window}";
  std::string overdue = "Overdue";
  std::string overdue_tasks = "Overdue tasks";
  std::string none = "none";
  std::string id = "ID";
  std::string doc = "Document";
  std::string number = "No.";
  std::string name = "Task";
  std::string lead = "Lead";
  std::string deadline = "Deadline";
  std::string due = "Due";
  std::string as_of = "As of";
  std::string window = "Window";
  // XLSX sheet names (see XlsxSheet for the rules they must follow).
  std::string agencies_sheet = "Agencies";
  std::string overdue_sheet = "Overdue";
  std::string info_sheet = "Info";
};

// The canonical order every renderer uses: rows by agency name (diacritics
// folded, then as printed), then kind; overdue tasks by due date, document,
// number, id. Rows are not merged or totalled: a task with two leads counts
// for both.
Report SortedReport(Report report);

// The report at `as_of` from the store: AgencyReport's counts (as lead)
// and the overdue tasks (as lead), for agencies matching `agency` (all when
// absent), sorted. `plantrace report` and the web view's dashboard both
// print this, so their numbers agree. Without `with_overdue_tasks` only the
// counts are read (the dashboard draws no task list).
Result<Report> ComputeReport(Store* store, const std::string& as_of, const DueWindow& window,
                             const std::optional<std::string>& agency, bool with_overdue_tasks = true);

// Terminal text: title line, window note, the agency table, then the overdue
// tasks table (long names and leads truncated with "…"). Ends with '\n'.
std::string RenderReportText(const Report& report, const ReportLabels& labels = {});

// One UTF-8 HTML page with inline CSS and no external assets; all text
// escaped, invalid UTF-8 replaced by U+FFFD.
std::string RenderReportHtml(const Report& report, const ReportLabels& labels = {});

// Sheets for WriteXlsx: agencies (counts as numbers), overdue tasks (due as
// a real date when it is one), and an info sheet with the as-of date (a date)
// and window.
std::vector<XlsxSheet> ReportSheets(const Report& report, const ReportLabels& labels = {});

}  // namespace plantrace

#endif  // PLANTRACE_PIPELINE_STORE_REPORT_H_
