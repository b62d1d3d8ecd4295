// plantrace command line (filled in below as commands land).
#include "pipeline/cli.h"

#include <cstdio>

namespace plantrace {

int RunCli(int, char**) {
  std::fprintf(stderr, "plantrace: no commands yet\n");
  return 2;
}

}  // namespace plantrace
