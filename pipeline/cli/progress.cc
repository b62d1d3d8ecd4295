// The progress line of progress.h.
#include "pipeline/cli/progress.h"

#include <unistd.h>

#include <algorithm>

namespace plantrace {

std::string Duration(double seconds) {
  const long s = static_cast<long>(seconds + 0.5);
  char buf[32];
  if (s >= 3600) {
    std::snprintf(buf, sizeof buf, "%ldh%02ldm", s / 3600, s % 3600 / 60);
  } else if (s >= 60) {
    std::snprintf(buf, sizeof buf, "%ldm%02lds", s / 60, s % 60);
  } else {
    std::snprintf(buf, sizeof buf, "%lds", s);
  }
  return buf;
}

std::string ProgressText(size_t done, size_t total, int pages, int failed, double seconds, const char* unit) {
  char buf[160];
  std::string text;
  std::snprintf(buf, sizeof buf, "[%zu/%zu]", done, total);
  text = buf;
  if (seconds > 0 && done > 0) {
    std::snprintf(buf, sizeof buf, " %.1f %s/s", static_cast<double>(done) / seconds, unit);
    text += buf;
    if (pages > 0) {
      std::snprintf(buf, sizeof buf, ", %.0f pages/s", pages / seconds);
      text += buf;
    }
    // The rate so far stands for the rest: the items of one batch are alike
    // enough for an estimate.
    if (done < total) text += ", ETA " + Duration(seconds / static_cast<double>(done) * (total - done));
  }
  if (failed > 0) text += ", " + std::to_string(failed) + " failed";
  return text;
}

ProgressLine::ProgressLine(size_t total, const char* unit, std::FILE* out)
    : out_(out), total_(total), unit_(unit), start_(std::chrono::steady_clock::now()) {}

void ProgressLine::Clear() {
  if (!out_) return;
  std::fputs("\r\033[K", out_);
  std::fflush(out_);
}

void ProgressLine::Done(const std::string& name, double seconds, int pages, bool failed) {
  if (!out_) return;
  ++done_;
  pages_ += pages;
  failed_ += failed ? 1 : 0;
  times_.emplace_back(seconds, name);
  const double elapsed = std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
  std::fprintf(out_, "\r\033[K%s", ProgressText(done_, total_, pages_, failed_, elapsed, unit_).c_str());
  std::fflush(out_);
}

void ProgressLine::Finish(size_t slowest) {
  if (!out_) return;
  Clear();
  std::sort(times_.begin(), times_.end(), [](const auto& a, const auto& b) { return a.first > b.first; });
  if (times_.size() > slowest) times_.resize(slowest);
  if (times_.empty()) return;
  std::string list;
  for (const auto& [secs, name] : times_) {
    char buf[32];
    std::snprintf(buf, sizeof buf, " (%.2f s)", secs);
    list += (list.empty() ? "" : ", ") + name + buf;
  }
  const double elapsed = std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
  std::fprintf(out_, "%s in %s; slowest: %s\n", ProgressText(done_, total_, pages_, failed_, elapsed, unit_).c_str(),
               Duration(elapsed).c_str(), list.c_str());
  std::fflush(out_);
}

std::FILE* ProgressStream(bool quiet) { return !quiet && isatty(STDERR_FILENO) ? stderr : nullptr; }

}  // namespace plantrace
