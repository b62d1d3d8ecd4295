// plantrace export: the whole store as canonical JSON.
#include <cstdio>
#include <memory>
#include <string>
#include <vector>

#include "pipeline/cli/cli_internal.h"
#include "pipeline/cli/commands.h"

namespace plantrace {
namespace {

constexpr const char kExportUsage[] =
    "usage: plantrace export [--db FILE] [--format json]\n"
    "Prints the whole store as one JSON object (documents, relations, tasks,\n"
    "lineage), sorted and free of row ids and timestamps: two stores with the\n"
    "same content print the same bytes.\n";

}  // namespace

int CmdExport(const std::vector<std::string>& argv) {
  Args args;
  if (std::optional<int> stop = ParseCommand("export", argv, {"db", "format"}, false, kExportUsage, &args))
    return *stop;
  if (!CheckFormat("export", args.format.value_or("json"), {"json"}, kExportUsage)) return 2;
  std::unique_ptr<Store> store = OpenExisting("export", args.db);
  if (!store) return 1;
  Result<std::string> json = store->ExportJson();
  if (!json.ok()) {
    std::fprintf(stderr, "plantrace export: %s\n", json.status().message().c_str());
    return 1;
  }
  Print(*json);
  return 0;
}

}  // namespace plantrace
