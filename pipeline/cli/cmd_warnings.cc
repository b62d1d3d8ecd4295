// plantrace warnings: the stored warnings of one document or all, by page,
// line and clause.
#include <cstdint>
#include <cstdio>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "pipeline/base/diagnostics.h"
#include "pipeline/base/json_writer.h"
#include "pipeline/cli/cli_internal.h"
#include "pipeline/cli/commands.h"

namespace plantrace {
namespace {

constexpr const char kWarningsUsage[] =
    "usage: plantrace warnings [--db FILE] [--doc DOC] [--format table|json|csv]\n"
    "Lists what looked wrong when documents were extracted (unparsed deadlines,\n"
    "unknown agencies, declared task counts that differ, legacy encodings...),\n"
    "with page, line and clause, for one document or all.\n";

}  // namespace

int CmdWarnings(const std::vector<std::string>& argv) {
  Args args;
  if (std::optional<int> stop = ParseCommand("warnings", argv, {"db", "doc", "format"}, false, kWarningsUsage, &args)) {
    return *stop;
  }
  const std::string format = args.format.value_or("table");
  if (!CheckFormat("warnings", format, {"table", "json", "csv"}, kWarningsUsage)) return 2;
  std::unique_ptr<Store> store = OpenExisting("warnings", args.db);
  if (!store) return 1;
  std::optional<int64_t> doc_id;
  if (args.doc) {
    doc_id = FindOneDocument("warnings", store.get(), *args.doc);
    if (!doc_id) return 1;
  }
  Result<std::vector<WarningRow>> rows = store->Warnings(doc_id);
  if (!rows.ok()) {
    std::fprintf(stderr, "plantrace warnings: %s\n", rows.status().message().c_str());
    return 1;
  }
  if (format == "json") {
    JsonWriter w;
    w.BeginArray();
    for (const WarningRow& r : *rows) {
      const Diagnostic& d = r.diagnostic;
      w.BeginObject()
          .Field("doc_key", r.doc_key)
          .Field("file", r.file)
          .Field("severity", SeverityName(d.severity))
          .Field("code", d.code)
          .Field("message", d.message)
          .Field("page", static_cast<int64_t>(d.page))
          .Field("line", static_cast<int64_t>(d.line))
          .Field("clause", d.clause)
          .Field("rule", d.rule)
          .EndObject();
    }
    w.EndArray();
    Print(w.str() + "\n");
    return 0;
  }
  std::vector<std::vector<std::string>> table;
  for (const WarningRow& r : *rows) {
    const Diagnostic& d = r.diagnostic;
    table.push_back({r.file, SeverityName(d.severity), d.code, std::to_string(d.page), std::to_string(d.line),
                     d.clause, d.message});
  }
  const std::vector<std::string> header = {"FILE", "SEVERITY", "CODE", "PAGE", "LINE", "CLAUSE", "MESSAGE"};
  if (format == "csv") {
    std::string out = CsvRow(header);
    for (const auto& row : table) out += CsvRow(row);
    Print(out);
  } else {
    Print(RenderTable(header, {30, 8, 22, 4, 5, 30, 80}, table));
  }
  return 0;
}

}  // namespace plantrace
