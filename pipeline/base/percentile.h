// The q-th percentile of a sample, for the layout measures that adapt to a
// document (typical line length, column widths) instead of fixed sizes.
#ifndef PLANTRACE_PIPELINE_BASE_PERCENTILE_H_
#define PLANTRACE_PIPELINE_BASE_PERCENTILE_H_

#include <algorithm>
#include <cstddef>
#include <vector>

namespace plantrace {

// The element at index floor(q * n) of the sorted sample (the last for
// q >= 1); a value of the sample, never an interpolation, so lengths stay
// whole. T{} for an empty sample. For q = 0.5 this is the upper median.
// REQUIRES: 0 <= q.
template <typename T>
T Percentile(std::vector<T> sample, double q) {
  if (sample.empty()) return T{};
  std::sort(sample.begin(), sample.end());
  const size_t k = static_cast<size_t>(q * static_cast<double>(sample.size()));
  return sample[std::min(k, sample.size() - 1)];
}

}  // namespace plantrace

#endif  // PLANTRACE_PIPELINE_BASE_PERCENTILE_H_
