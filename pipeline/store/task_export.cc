// Task listings as JSON, CSV and XLSX (task_export.h).
#include "pipeline/store/task_export.h"

#include <utility>

#include "pipeline/base/numbers.h"
#include "pipeline/base/unicode.h"

namespace plantrace {
namespace {

std::string Or(const std::optional<std::string>& s, const char* fallback = "") { return s ? *s : fallback; }

}  // namespace

void WriteTaskJson(const TaskRow& t, JsonWriter* w) {
  w->BeginObject()
      .Field("id", t.id)
      .Field("ref", t.ref)
      .Field("doc", t.doc_number)
      .Field("doc_key", t.doc_key)
      .Field("doc_id", t.doc_id)
      .Field("source", t.source)
      .Field("group", t.group)
      .Field("group_title", t.group_title)
      .Field("number", t.number)
      .Field("code", t.code)
      .Field("title", t.title)
      .Field("name", t.name)
      .Field("lead_raw", t.lead_raw)
      .Key("lead")
      .Strings(t.lead)
      .Field("coord_raw", t.coord_raw)
      .Key("coord")
      .Strings(t.coord)
      .Field("output", t.output)
      .Field("deadline_raw", t.deadline_raw)
      .Key("deadline");
  if (t.deadline_kind) {
    w->BeginObject().Field("kind", *t.deadline_kind).Field("start", t.deadline_start).Field("end", t.deadline_end);
    if (t.deadline_every) w->Field("every", *t.deadline_every);
    w->EndObject();
  } else {
    w->Null();
  }
  w->Field("funding", t.funding)
      .Key("provenance")
      .BeginObject()
      .Field("file", t.doc_file)
      .Field("page", t.page)
      .Field("line", t.line)
      .Field("clause", t.clause)
      .EndObject()
      .Field("status", t.status)
      .Key("continues")
      .OptInt(t.continues)
      .Field("via_collective", t.via_collective)
      .EndObject();
}

std::vector<std::string> TaskCsvHeader() {
  return {"id",           "doc",           "source",         "group",          "number",       "name",   "lead",
          "coord",        "deadline_raw",  "deadline_kind",  "deadline_start", "deadline_end", "status", "via"};
}

std::vector<std::string> TaskCsvCells(const TaskRow& t) {
  return {std::to_string(t.id), Or(t.doc_number, "-"), t.source, Or(t.group), Or(t.number), t.name,
          Join(t.lead, "; "), Join(t.coord, "; "), Or(t.deadline_raw), Or(t.deadline_kind),
          Or(t.deadline_start), Or(t.deadline_end), t.status, t.via_collective ? "collective" : ""};
}

XlsxSheet TaskSheet(const std::vector<std::vector<std::string>>& rows) {
  XlsxSheet sheet;
  sheet.name = "Tasks";
  sheet.header = TaskCsvHeader();
  for (const auto& r : rows) {
    std::vector<XlsxCell> cells;
    for (size_t c = 0; c < r.size(); ++c) {
      bool date = (c == 10 || c == 11) && r[c] != "-" && !r[c].empty();
      if (c == 0) {
        cells.push_back(XlsxCell::Number(ParseNumber(r[c]).value_or(0)));  // the task id
      } else if (date) {
        cells.push_back(XlsxCell::Date(r[c]));
      } else {
        cells.push_back(r[c] == "-" && c != 1 ? XlsxCell::Empty() : XlsxCell::Text(r[c]));
      }
    }
    sheet.rows.push_back(std::move(cells));
  }
  return sheet;
}

}  // namespace plantrace
