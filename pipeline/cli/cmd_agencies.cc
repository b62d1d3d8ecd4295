// plantrace agencies: agencies per province with their task counts.
#include <cstdio>
#include <memory>
#include <string>
#include <vector>

#include "pipeline/base/json_writer.h"
#include "pipeline/base/unicode.h"
#include "pipeline/cli/cli_internal.h"
#include "pipeline/cli/commands.h"

namespace plantrace {
namespace {

constexpr const char kAgenciesUsage[] =
    "usage: plantrace agencies [--db FILE] [--format table|json|csv]\n"
    "Lists agencies per issuing province with their task counts.\n";

}  // namespace

int CmdAgencies(const std::vector<std::string>& argv) {
  Args args;
  if (std::optional<int> stop = ParseCommand("agencies", argv, {"db", "format"}, false, kAgenciesUsage, &args))
    return *stop;
  std::string format = args.format.value_or("table");
  if (!CheckFormat("agencies", format, {"table", "json", "csv"}, kAgenciesUsage)) return 2;
  std::unique_ptr<Store> store = OpenExisting("agencies", args.db);
  if (!store) return 1;
  Result<std::vector<AgencyRow>> rows = store->Agencies();
  if (!rows.ok()) {
    std::fprintf(stderr, "plantrace agencies: %s\n", rows.status().message().c_str());
    return 1;
  }
  if (format == "json") {
    JsonWriter w;
    w.BeginArray();
    for (const AgencyRow& a : *rows) {
      w.BeginObject()
          .Field("id", a.id)
          .Field("scope", a.scope)
          .Field("name", a.name)
          .Field("kind", a.kind)
          .Field("known", a.known)
          .Key("aliases")
          .Strings(a.aliases)
          .Key("covers")
          .Strings(a.covers)
          .Field("lead_tasks", a.lead_tasks)
          .Field("coord_tasks", a.coord_tasks)
          .Field("active_tasks", a.active_tasks)
          .EndObject();
    }
    w.EndArray();
    Print(w.str() + "\n");
    return 0;
  }
  std::vector<std::vector<std::string>> table;
  for (const AgencyRow& a : *rows) {
    table.push_back({a.scope, a.name, a.kind, a.known ? "yes" : "", std::to_string(a.lead_tasks),
                     std::to_string(a.coord_tasks), std::to_string(a.active_tasks), Join(a.covers, " "),
                     Join(a.aliases, "; ")});
  }
  if (format == "csv") {
    std::string out = CsvRow({"scope", "name", "kind", "known", "lead", "coord", "active", "covers", "aliases"});
    for (const auto& r : table) out += CsvRow(r);
    Print(out);
    return 0;
  }
  Print(RenderTable({"SCOPE", "AGENCY", "KIND", "KNOWN", "LEAD", "COORD", "ACTIVE", "COVERS", "PRINTED AS"},
                    {16, 50, 12, 5, 5, 5, 6, 30, 60}, table));
  return 0;
}

}  // namespace plantrace
