// Renderers for `plantrace report` (see report.h): one sorted Report, three
// presentations with the same rows in the same order.
#include "pipeline/store/report.h"

#include <algorithm>
#include <string_view>
#include <tuple>

#include "pipeline/base/terminal_table.h"
#include "pipeline/base/unicode.h"
#include "pipeline/store/due.h"

namespace plantrace {
namespace {

// Column caps for the terminal tables.
constexpr size_t kAgencyWidth = 40;
constexpr size_t kDocWidth = 24;
constexpr size_t kNumberWidth = 8;
constexpr size_t kNameWidth = 60;
constexpr size_t kLeadWidth = 30;
constexpr size_t kDeadlineWidth = 24;

std::string Fill(std::string text, const Report& r) {
  const std::pair<std::string_view, const std::string*> kSlots[] = {{"{as_of}", &r.as_of},
                                                                    {"{window}", &r.window}};
  for (const auto& [slot, value] : kSlots) {
    for (size_t p = 0; (p = text.find(slot, p)) != std::string::npos; p += value->size()) {
      text.replace(p, slot.size(), *value);
    }
  }
  return text;
}


void HtmlRow(std::string* out, const std::string& cell_tag,
             const std::vector<std::pair<std::string, std::string>>& cells) {
  *out += "<tr>";
  for (const auto& [cls, text] : cells) {
    *out += "<" + cell_tag + (cls.empty() ? "" : " class=\"" + cls + "\"") + ">" + HtmlEscape(text) + "</" +
            cell_tag + ">";
  }
  *out += "</tr>\n";
}

constexpr char kCss[] =
    "body{font-family:system-ui,\"Segoe UI\",Roboto,Arial,sans-serif;margin:2em;color:#222}\n"
    "table{border-collapse:collapse;margin:1em 0}\n"
    "th,td{border:1px solid #ccc;padding:4px 8px;text-align:left;vertical-align:top}\n"
    "th{background:#f0f0f0}\n"
    "td.n{text-align:right;font-variant-numeric:tabular-nums}\n"
    "td.late{color:#b00020;font-weight:bold}\n";

}  // namespace

Report SortedReport(Report report) {
  auto row_key = [](const ReportRow& r) { return std::make_tuple(SearchKey(r.agency), r.agency, r.kind); };
  std::vector<std::pair<decltype(row_key(ReportRow{})), size_t>> keys;
  for (size_t i = 0; i < report.rows.size(); ++i) keys.emplace_back(row_key(report.rows[i]), i);
  std::stable_sort(keys.begin(), keys.end(),
                   [](const auto& a, const auto& b) { return a.first < b.first; });
  std::vector<ReportRow> rows;
  rows.reserve(keys.size());
  for (const auto& k : keys) rows.push_back(std::move(report.rows[k.second]));
  report.rows = std::move(rows);
  std::stable_sort(report.overdue.begin(), report.overdue.end(),
                   [](const ReportTask& a, const ReportTask& b) {
                     return std::tie(a.due, a.doc, a.number, a.id) < std::tie(b.due, b.doc, b.number, b.id);
                   });
  return report;
}

std::string RenderReportText(const Report& unsorted, const ReportLabels& labels) {
  const Report r = SortedReport(unsorted);
  std::string out = CellText(Fill(labels.title, r)) + "\n" + CellText(Fill(labels.window_note, r)) + "\n\n";
  std::vector<std::vector<std::string>> rows;
  for (const ReportRow& row : r.rows) {
    rows.push_back({row.agency, row.kind, std::to_string(row.active), std::to_string(row.due_soon),
                    std::to_string(row.overdue)});
  }
  out += RenderTerminalTable({{labels.agency, false, kAgencyWidth},
                          {labels.kind, false, 0},
                          {labels.active, true, 0},
                          {Fill(labels.due_soon, r), true, 0},
                          {labels.overdue, true, 0}},
                         rows);
  out += "\n";
  if (r.overdue.empty()) {
    out += CellText(labels.overdue_tasks) + ": " + CellText(labels.none) + "\n";
    return out;
  }
  out += CellText(labels.overdue_tasks) + " (" + std::to_string(r.overdue.size()) + ")\n\n";
  rows.clear();
  for (const ReportTask& t : r.overdue) {
    rows.push_back({std::to_string(t.id), t.doc, t.number, t.name, t.lead, t.deadline_raw, t.due});
  }
  out += RenderTerminalTable({{labels.id, true, 0},
                          {labels.doc, false, kDocWidth},
                          {labels.number, false, kNumberWidth},
                          {labels.name, false, kNameWidth},
                          {labels.lead, false, kLeadWidth},
                          {labels.deadline, false, kDeadlineWidth},
                          {labels.due, false, 0}},
                         rows);
  return out;
}

std::string RenderReportHtml(const Report& unsorted, const ReportLabels& labels) {
  const Report r = SortedReport(unsorted);
  const std::string title = Fill(labels.title, r);
  std::string out = "<!DOCTYPE html>\n<html lang=\"" + HtmlEscape(labels.lang) +
                    "\">\n<head>\n<meta charset=\"utf-8\">\n<title>" + HtmlEscape(title) + "</title>\n<style>\n" +
                    kCss + "</style>\n</head>\n<body>\n<h1>" + HtmlEscape(title) + "</h1>\n<p>" +
                    HtmlEscape(Fill(labels.window_note, r)) + "</p>\n";
  out += "<table>\n<thead>\n";
  HtmlRow(&out, "th",
          {{"", labels.agency}, {"", labels.kind}, {"", labels.active}, {"", Fill(labels.due_soon, r)},
           {"", labels.overdue}});
  out += "</thead>\n<tbody>\n";
  for (const ReportRow& row : r.rows) {
    HtmlRow(&out, "td",
            {{"", row.agency},
             {"", row.kind},
             {"n", std::to_string(row.active)},
             {"n", std::to_string(row.due_soon)},
             {row.overdue > 0 ? "n late" : "n", std::to_string(row.overdue)}});
  }
  out += "</tbody>\n</table>\n";
  if (r.overdue.empty()) {
    out += "<h2>" + HtmlEscape(labels.overdue_tasks) + "</h2>\n<p>" + HtmlEscape(labels.none) + "</p>\n";
  } else {
    out += "<h2>" + HtmlEscape(labels.overdue_tasks) + " (" + std::to_string(r.overdue.size()) +
           ")</h2>\n<table>\n<thead>\n";
    HtmlRow(&out, "th",
            {{"", labels.id}, {"", labels.doc}, {"", labels.number}, {"", labels.name}, {"", labels.lead},
             {"", labels.deadline}, {"", labels.due}});
    out += "</thead>\n<tbody>\n";
    for (const ReportTask& t : r.overdue) {
      HtmlRow(&out, "td",
              {{"n", std::to_string(t.id)},
               {"", t.doc},
               {"", t.number},
               {"", t.name},
               {"", t.lead},
               {"", t.deadline_raw},
               {"late", t.due}});
    }
    out += "</tbody>\n</table>\n";
  }
  out += "</body>\n</html>\n";
  return out;
}

std::vector<XlsxSheet> ReportSheets(const Report& unsorted, const ReportLabels& labels) {
  const Report r = SortedReport(unsorted);
  // A date the writer accepts is written as a date; anything else as text.
  auto date_or_text = [](const std::string& s) {
    if (s.empty()) return XlsxCell::Empty();
    auto days = ParseIsoDate(s);
    return days && *days >= *ParseIsoDate(kXlsxMinDate) ? XlsxCell::Date(s) : XlsxCell::Text(s);
  };
  auto text = [](const std::string& s) { return s.empty() ? XlsxCell::Empty() : XlsxCell::Text(s); };

  XlsxSheet agencies;
  agencies.name = labels.agencies_sheet;
  agencies.header = {labels.agency, labels.kind, labels.active, Fill(labels.due_soon, r), labels.overdue};
  for (const ReportRow& row : r.rows) {
    agencies.rows.push_back({text(row.agency), text(row.kind), XlsxCell::Number(row.active),
                             XlsxCell::Number(row.due_soon), XlsxCell::Number(row.overdue)});
  }

  XlsxSheet overdue;
  overdue.name = labels.overdue_sheet;
  overdue.header = {labels.id, labels.doc, labels.number, labels.name, labels.lead, labels.deadline, labels.due};
  for (const ReportTask& t : r.overdue) {
    overdue.rows.push_back({XlsxCell::Number(static_cast<double>(t.id)), text(t.doc), text(t.number),
                            text(t.name), text(t.lead), text(t.deadline_raw), date_or_text(t.due)});
  }

  XlsxSheet info;
  info.name = labels.info_sheet;
  info.header = {labels.as_of, labels.window};
  info.rows.push_back({date_or_text(r.as_of), text(r.window)});
  return {std::move(agencies), std::move(overdue), std::move(info)};
}

Result<Report> ComputeReport(Store* store, const std::string& as_of, const DueWindow& window,
                             const std::optional<std::string>& agency, bool with_overdue_tasks) {
  std::optional<std::string> window_end = WindowEnd(as_of, window);
  if (!window_end) return Status::Usage("the as-of date '" + as_of + "' is not a date");
  Result<std::vector<AgencyCounts>> counts = store->AgencyReport(as_of, agency, *window_end, true);
  if (!counts.ok()) return counts.status();
  TaskQuery overdue;
  overdue.agency = agency;
  overdue.overdue = true;
  overdue.as_of = as_of;
  overdue.by_deadline = true;
  overdue.role = "lead";
  Result<std::vector<TaskRow>> late = with_overdue_tasks ? store->Tasks(overdue) : std::vector<TaskRow>();
  if (!late.ok()) return late.status();
  Report report;
  report.as_of = as_of;
  report.window = FormatDueWindow(window);
  for (const AgencyCounts& c : *counts) {
    ReportRow r;
    r.agency = c.scope.empty() ? c.name : c.name + " (" + c.scope + ")";
    r.name = c.name;
    r.kind = c.kind;
    r.active = static_cast<int>(c.active);
    r.due_soon = static_cast<int>(c.due_soon);
    r.overdue = static_cast<int>(c.overdue);
    report.rows.push_back(std::move(r));
  }
  auto value = [](const std::optional<std::string>& s) { return s ? *s : std::string(); };
  for (const TaskRow& t : *late) {
    ReportTask rt;
    rt.id = t.id;
    rt.doc = t.doc_number.value_or(t.doc_key);
    rt.number = value(t.group).empty() ? value(t.number) : value(t.group) + "." + value(t.number);
    rt.name = t.name;
    rt.lead = Join(t.lead, "; ");
    rt.deadline_raw = value(t.deadline_raw);
    rt.due = value(t.deadline_end);
    report.overdue.push_back(std::move(rt));
  }
  return SortedReport(std::move(report));
}

}  // namespace plantrace
