// CpuBudget: the CPU time one document may take, so that no input can stall
// a batch. The stages ask it at the points where their work repeats (a
// page, a table row, a block) and stop early once it is spent; the pipeline
// then fails the document naming the stage it was in.
#ifndef PLANTRACE_PIPELINE_BASE_BUDGET_H_
#define PLANTRACE_PIPELINE_BASE_BUDGET_H_

#include <cstddef>
#include <cstdint>
#include <string>

#include "pipeline/base/status.h"

namespace plantrace {

class CpuBudget {
 public:
  // `seconds` <= 0: unlimited. Counts the calling thread's CPU time from
  // now, so parallel workers do not spend each other's allowance; the
  // budget must be asked on the thread that made it.
  explicit CpuBudget(double seconds = 0);

  // Names the stage now running, for the message.
  void Enter(const char* stage) { stage_ = stage; }
  const char* stage() const { return stage_; }

  // True once the allowance is spent. Cheap: reads the clock only every
  // few calls, as the stages ask it in their inner loops.
  bool Spent();
  // OverBudget "took over N s of CPU at stage S" once spent, else OK.
  Status Check();
  double seconds() const { return seconds_; }
  // Adds to a limited allowance (work found only while reading, such as
  // a page that must be OCR'd); an unlimited budget stays unlimited.
  void Extend(double seconds) {
    if (seconds_ > 0) seconds_ += seconds;
  }
  // CPU seconds this thread used since the budget was made.
  double Used() const;

 private:
  double seconds_;
  int64_t start_ns_;
  const char* stage_ = "read";
  uint32_t calls_ = 0;
  bool spent_ = false;
};

// Caps the process's address space at `mb` megabytes (setrlimit), so that
// a document whose reading runs away fails with std::bad_alloc, which the
// pipeline turns into that document's failure (process.cc), instead of the
// machine swapping. Process-wide: with -j N, N documents share it. Not
// available under AddressSanitizer, which reserves terabytes of address
// space: then an error.
Status LimitMemory(size_t mb);

// The default allowance for a document of `bytes` bytes: generous (a real
// 400-page plan takes a few seconds) and growing with the size.
double DefaultCpuSeconds(size_t bytes);

}  // namespace plantrace

#endif  // PLANTRACE_PIPELINE_BASE_BUDGET_H_
