// CpuBudget: per-thread CPU time read from CLOCK_THREAD_CPUTIME_ID.
#include "pipeline/base/budget.h"

#include <sys/resource.h>
#include <time.h>

#include <cstdio>

namespace plantrace {
namespace {

int64_t ThreadCpuNs() {
  timespec ts{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return static_cast<int64_t>(ts.tv_sec) * 1000000000 + ts.tv_nsec;
}

// The clock is a system call: read it on every 64th question only. The
// stages ask at most once per small unit of work (a row, a line), so the
// overrun past the allowance stays far below a millisecond.
constexpr uint32_t kCallsPerClockRead = 64;

}  // namespace

CpuBudget::CpuBudget(double seconds) : seconds_(seconds), start_ns_(seconds > 0 ? ThreadCpuNs() : 0) {}

double CpuBudget::Used() const { return static_cast<double>(ThreadCpuNs() - start_ns_) / 1e9; }

bool CpuBudget::Spent() {
  if (spent_) return true;
  if (seconds_ <= 0 || ++calls_ % kCallsPerClockRead != 0) return false;
  spent_ = Used() > seconds_;
  return spent_;
}

Status CpuBudget::Check() {
  if (seconds_ > 0 && !spent_) spent_ = Used() > seconds_;
  if (!spent_) return Status::Ok();
  char secs[32];
  std::snprintf(secs, sizeof secs, "%g", seconds_);
  return Status::OverBudget(std::string("took over ") + secs + " s of CPU at stage " + stage_);
}

Status LimitMemory(size_t mb) {
#if defined(__SANITIZE_ADDRESS__)
  (void)mb;
  return Status::Unsupported("a memory limit cannot be set under AddressSanitizer");
#else
  rlimit lim{};
  lim.rlim_cur = lim.rlim_max = static_cast<rlim_t>(mb) << 20;
  if (setrlimit(RLIMIT_AS, &lim) != 0) return Status::Io("cannot limit memory to " + std::to_string(mb) + " MB");
  return Status::Ok();
#endif
}

double DefaultCpuSeconds(size_t bytes) {
  // 60 s, plus 10 s per MB beyond the first: pdftotext reads ~10 MB/s of
  // PDF, and the stages after the reader take a few times its time.
  const double mb = static_cast<double>(bytes) / (1 << 20);
  return 60 + (mb > 1 ? 10 * (mb - 1) : 0);
}

}  // namespace plantrace
