// plantrace eval (placeholder until the command lands).
#include <cstdio>

#include "pipeline/commands.h"

namespace plantrace {

int CmdEval(const std::vector<std::string>&) {
  std::fprintf(stderr, "plantrace eval: not implemented yet\n");
  return 2;
}

}  // namespace plantrace
