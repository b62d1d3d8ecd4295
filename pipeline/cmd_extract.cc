// plantrace extract (placeholder until the command lands).
#include <cstdio>

#include "pipeline/commands.h"

namespace plantrace {

int CmdExtract(const std::vector<std::string>&) {
  std::fprintf(stderr, "plantrace extract: not implemented yet\n");
  return 2;
}

}  // namespace plantrace
