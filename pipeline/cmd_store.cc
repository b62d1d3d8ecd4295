// plantrace ingest / docs / tasks (placeholders until the store lands).
#include <cstdio>

#include "pipeline/commands.h"

namespace plantrace {

int CmdIngest(const std::vector<std::string>&) { std::fprintf(stderr, "not implemented yet\n"); return 2; }
int CmdDocs(const std::vector<std::string>&) { std::fprintf(stderr, "not implemented yet\n"); return 2; }
int CmdTasks(const std::vector<std::string>&) { std::fprintf(stderr, "not implemented yet\n"); return 2; }

}  // namespace plantrace
