// plantrace docs: the stored documents, or one document's renditions.
#include <cstdint>
#include <cstdio>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "pipeline/base/json_writer.h"
#include "pipeline/cli/cli_internal.h"
#include "pipeline/cli/commands.h"

namespace plantrace {
namespace {

constexpr const char kDocsUsage[] =
    "usage: plantrace docs [--db FILE] [--doc DOC] [--format table|json]\n"
    "Lists stored documents in load order, with how many files (renditions) each\n"
    "was read from. --doc DOC lists one document's renditions, the reading first.\n";

// --doc DOC: the document's renditions, the reading first.
int PrintRenditions(Store* store, int64_t doc_id, const std::string& format) {
  Result<std::vector<RenditionRow>> rends = store->Renditions(doc_id);
  if (!rends.ok()) {
    std::fprintf(stderr, "plantrace docs: %s\n", rends.status().message().c_str());
    return 1;
  }
  if (format == "json") {
    JsonWriter w;
    w.BeginArray();
    for (const RenditionRow& r : *rends) {
      w.BeginObject()
          .Field("reading", r.reading)
          .Field("format", r.format)
          .Field("file", r.file_name)
          .Field("path", r.source_path)
          .Field("sha256", r.sha256)
          .Key("run")
          .OptInt(r.run_id)
          .Field("rank", static_cast<int64_t>(r.rank))
          .Field("rank_rules", r.rank_rules)
          .Field("tasks", r.tasks)
          .EndObject();
    }
    w.EndArray();
    Print(w.str() + "\n");
    return 0;
  }
  std::vector<std::vector<std::string>> rows;
  for (const RenditionRow& r : *rends) {
    rows.push_back({r.reading ? "reading" : "", r.format, r.file_name, r.sha256.substr(0, 12),
                    r.run_id ? std::to_string(*r.run_id) : "-", std::to_string(r.rank), std::to_string(r.tasks),
                    r.rank_rules});
  }
  Print(RenderTable({"", "FORMAT", "FILE", "SHA256", "RUN", "RANK", "TASKS", "RULES"}, {7, 8, 40, 12, 5, 5, 6, 80},
                    rows));
  return 0;
}

int PrintDocuments(Store* store, const std::string& format) {
  Result<std::vector<DocRow>> docs = store->Documents();
  if (!docs.ok()) {
    std::fprintf(stderr, "plantrace docs: %s\n", docs.status().message().c_str());
    return 1;
  }
  if (format == "json") {
    JsonWriter w;
    w.BeginArray();
    for (const DocRow& d : *docs) {
      w.BeginObject()
          .Field("id", d.id)
          .Field("number", d.number)
          .Field("type", d.type)
          .Field("date", d.date)
          .Field("issuer", d.issuer)
          .Field("place", d.place)
          .Field("title", d.title)
          .Field("signer", d.signer)
          .Key("declared_task_count")
          .OptInt(d.declared_task_count)
          .Field("tasks", d.task_count)
          .Field("warnings", d.warning_count)
          .Field("renditions", d.renditions)
          .Field("format", d.format)
          .Field("file", d.file_name)
          .Field("path", d.source_path)
          .Field("sha256", d.sha256)
          .Field("rules_hash", d.rules_hash)
          .Field("key", d.key)
          .Field("status", d.status)
          .Field("superseded_by", d.status_by)
          .Field("status_date", d.status_date)
          .EndObject();
    }
    w.EndArray();
    Print(w.str() + "\n");
    return 0;
  }
  std::vector<std::vector<std::string>> rows;
  for (const DocRow& d : *docs) {
    std::string status = d.status;
    if (d.status_by) status += " by " + *d.status_by;
    rows.push_back({std::to_string(d.id), Or(d.number, "-"), Or(d.type), Or(d.date), Or(d.issuer), Or(d.title),
                    std::to_string(d.task_count), std::to_string(d.renditions), status, d.key});
  }
  Print(RenderTable({"ID", "NUMBER", "TYPE", "DATE", "ISSUER", "TITLE", "TASKS", "FILES", "STATUS", "KEY"},
                    {8, 24, 14, 10, 32, 50, 6, 5, 60, 40}, rows));
  return 0;
}

}  // namespace

int CmdDocs(const std::vector<std::string>& argv) {
  Args args;
  if (std::optional<int> stop = ParseCommand("docs", argv, {"db", "format", "doc"}, false, kDocsUsage, &args)) return *stop;
  std::string format = args.format.value_or("table");
  if (!CheckFormat("docs", format, {"table", "json"}, kDocsUsage)) return 2;
  std::unique_ptr<Store> store = OpenExisting("docs", args.db);
  if (!store) return 1;
  if (!args.doc) return PrintDocuments(store.get(), format);
  std::optional<int64_t> doc_id = FindOneDocument("docs", store.get(), *args.doc);
  if (!doc_id) return 1;
  return PrintRenditions(store.get(), *doc_id, format);
}

}  // namespace plantrace
