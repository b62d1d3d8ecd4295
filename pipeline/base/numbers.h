// Numbers read from text with std::from_chars: nothing throws, nothing
// depends on the locale, and text that is not a whole number is nullopt
// (std::stoi would abort the program on "abc" or on an overflow).
#ifndef PLANTRACE_PIPELINE_BASE_NUMBERS_H_
#define PLANTRACE_PIPELINE_BASE_NUMBERS_H_

#include <charconv>
#include <cstdint>
#include <optional>
#include <string_view>

namespace plantrace {

// The whole of `s` as a number; nullopt when it is empty, holds anything
// else or does not fit.
inline std::optional<int64_t> ParseInt(std::string_view s) {
  int64_t v = 0;
  auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (s.empty() || ec != std::errc() || end != s.data() + s.size()) return std::nullopt;
  return v;
}

inline std::optional<double> ParseNumber(std::string_view s) {
  double v = 0;
  auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (s.empty() || ec != std::errc() || end != s.data() + s.size()) return std::nullopt;
  return v;
}

}  // namespace plantrace

#endif  // PLANTRACE_PIPELINE_BASE_NUMBERS_H_
