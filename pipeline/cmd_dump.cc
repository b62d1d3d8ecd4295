// plantrace dump (placeholder until the command lands).
#include <cstdio>

#include "pipeline/commands.h"

namespace plantrace {

int CmdDump(const std::vector<std::string>&) {
  std::fprintf(stderr, "plantrace dump: not implemented yet\n");
  return 2;
}

}  // namespace plantrace
