// plantrace command line entry point; the commands live in cli.cc.
#include <cstdio>
#include <cstdlib>
#include <new>

#include "pipeline/cli/cli.h"

#ifdef PLANTRACE_JEMALLOC
// jemalloc's settings, read before main (MALLOC_CONF overrides them): its
// memory in transparent huge pages where the kernel offers them on request
// (madvise). A plan's layout is tens of MB touched once: in 4 KB pages that
// was 12,000 page faults and TLB misses, a fifth of extracting the 417-page
// bench PDF (0.64 -> 0.54 s CPU), for 7 MB more peak RSS.
extern "C" {
const char* malloc_conf = "thp:always,metadata_thp:always";
}
#endif

int main(int argc, char** argv) {
  // Tesseract (OCR) parallelises with OpenMP, whose idle threads spin: a
  // page took 13.7 s of CPU instead of 2.3 s, and -j N already runs one
  // document per core. libgomp reads the limit when it is loaded, which is
  // with the OCR module (page_ocr_loader.cc), after this; before any thread.
  if (std::getenv("OMP_THREAD_LIMIT") == nullptr) setenv("OMP_THREAD_LIMIT", "1", 1);
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
