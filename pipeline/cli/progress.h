// Internal to pipeline/cli/: the one progress line ingest and reprocess
// keep at the bottom of a terminal (done/total, rate, ETA, failures), with
// the per-file lines printed above it, and the slowest files at the end.
// Drawn on stderr only when stderr is a terminal and --quiet is not given,
// so piped output stays what it always was.
#ifndef PLANTRACE_PIPELINE_CLI_PROGRESS_H_
#define PLANTRACE_PIPELINE_CLI_PROGRESS_H_

#include <chrono>
#include <cstddef>
#include <cstdio>
#include <string>
#include <utility>
#include <vector>

namespace plantrace {

// "[12/240] 3.1 files/s, 45 pages/s, ETA 1m12s, 1 failed": what the line
// says after `done` of `total` items in `seconds`. `unit` names the items.
std::string ProgressText(size_t done, size_t total, int pages, int failed, double seconds, const char* unit);

// "1m12s", "45s", "2h03m".
std::string Duration(double seconds);

class ProgressLine {
 public:
  // `out` null: inactive, every call does nothing.
  ProgressLine(size_t total, const char* unit, std::FILE* out);

  // Erases the line, so that a per-item line can be printed in its place.
  void Clear();
  // One item done (`seconds` it took, `pages` it had, whether it failed);
  // redraws the line.
  void Done(const std::string& name, double seconds, int pages, bool failed);
  // Erases the line and prints the slowest items.
  void Finish(size_t slowest = 3);

  bool active() const { return out_ != nullptr; }

 private:
  std::FILE* out_;
  size_t total_;
  const char* unit_;
  size_t done_ = 0;
  int pages_ = 0, failed_ = 0;
  std::chrono::steady_clock::time_point start_;
  std::vector<std::pair<double, std::string>> times_;
};

// stderr when it is a terminal and not `quiet`, else null.
std::FILE* ProgressStream(bool quiet);

}  // namespace plantrace

#endif  // PLANTRACE_PIPELINE_CLI_PROGRESS_H_
