// plantrace command line entry point; the commands live in cli.cc.
#include <cstdio>
#include <new>

#include "pipeline/cli/cli.h"

int main(int argc, char** argv) {
  // A document that runs out of memory fails alone (process.cc); running out
  // outside any document (rules, the store) under --max-memory ends the
  // run with a message, not an abort. The store's open transaction rolls
  // back as the stack unwinds.
  try {
    return plantrace::RunCli(argc, argv);
  } catch (const std::bad_alloc&) {
    std::fputs("plantrace: out of memory (see --max-memory)\n", stderr);
    return 1;
  }
}
