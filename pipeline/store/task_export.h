// How a task listing is written as JSON, CSV and XLSX: one set of writers
// for `plantrace tasks` and the web view's export buttons, so a file
// downloaded from a page equals the command's output for the same filters.
#ifndef PLANTRACE_PIPELINE_STORE_TASK_EXPORT_H_
#define PLANTRACE_PIPELINE_STORE_TASK_EXPORT_H_

#include <string>
#include <vector>

#include "pipeline/base/json_writer.h"
#include "pipeline/base/xlsx_writer.h"
#include "pipeline/store/store.h"

namespace plantrace {

// One task as a JSON object (fields, deadline, provenance, status).
void WriteTaskJson(const TaskRow& t, JsonWriter* w);

// The CSV columns and one task's cells in them ("-" for a missing doc).
std::vector<std::string> TaskCsvHeader();
std::vector<std::string> TaskCsvCells(const TaskRow& t);

// The CSV columns as an XLSX sheet: the id a number, deadlines real dates.
XlsxSheet TaskSheet(const std::vector<std::vector<std::string>>& rows);

}  // namespace plantrace

#endif  // PLANTRACE_PIPELINE_STORE_TASK_EXPORT_H_
