// plantrace command line: dispatch to one command per file (cmd_*.cc).
#include "pipeline/cli/cli.h"

#include <cstdio>
#include <cstring>
#include <string>
#include <vector>

#include "pipeline/cli/commands.h"

namespace plantrace {
namespace {

struct Command {
  const char* name;
  int (*run)(const std::vector<std::string>& args);
  const char* summary;
};

const Command kCommands[] = {
    {"extract", CmdExtract, "print what would be extracted from FILE (no store)"},
    {"dump", CmdDump, "print a stage's canonical dump of FILE (--stage=layout|segment)"},
    {"eval", CmdEval, "score extraction against gold JSON files"},
    {"ingest", CmdIngest, "load files or folders into the store (--queue: into a PostgreSQL store's work queue)"},
    {"worker", CmdWorker, "load files from a PostgreSQL store's work queue, on any number of machines"},
    {"queue", CmdQueue, "what a PostgreSQL store's work queue holds: pending, running, done, failed"},
    {"reprocess", CmdReprocess, "re-extract stored originals with the current rules; report what changed"},
    {"warnings", CmdWarnings, "what looked wrong when documents were extracted, by page, line and clause"},
    {"docs", CmdDocs, "list stored documents"},
    {"tasks", CmdTasks, "list stored tasks (filters: agency, deadline, overdue, search)"},
    {"export", CmdExport, "print the whole store as canonical JSON"},
    {"trace", CmdTrace, "show a task's source, rules and chain of plans"},
    {"lineage", CmdLineage, "show how a document relates to others (tree or DOT)"},
    {"agencies", CmdAgencies, "list agencies with task counts"},
    {"report", CmdReport, "per-agency counts of active, due-soon and overdue tasks"},
    {"serve", CmdServe, "serve the store read-only as web pages (search, documents, tasks, agencies)"},
};

void Usage(FILE* out) {
  std::fprintf(out, "usage: plantrace COMMAND [options] ...\n\ncommands:\n");
  for (const Command& c : kCommands) std::fprintf(out, "  %-9s %s\n", c.name, c.summary);
  std::fprintf(out, "\n'plantrace COMMAND --help' describes one command.\n"
                    "Exit status: 0 ok, 1 some input failed, 2 usage error.\n");
}

}  // namespace

int RunCli(int argc, char** argv) {
  if (argc < 2) {
    Usage(stderr);
    return 2;
  }
  std::string name = argv[1];
  if (name == "--help" || name == "-h" || name == "help") {
    Usage(stdout);
    return 0;
  }
  std::vector<std::string> args(argv + 2, argv + argc);
  for (const Command& c : kCommands) {
    if (name == c.name) return c.run(args);
  }
  std::fprintf(stderr, "plantrace: unknown command '%s'\n", name.c_str());
  Usage(stderr);
  return 2;
}

}  // namespace plantrace
