// Byte-level helpers for ASCII-delimited text: rule files, rule values and
// normalised lines (whose spaces normalize has already made ASCII). For
// Unicode-aware text operations see unicode.h.
#ifndef PLANTRACE_PIPELINE_BASE_TEXT_UTIL_H_
#define PLANTRACE_PIPELINE_BASE_TEXT_UTIL_H_

#include <string>
#include <string_view>
#include <vector>

namespace plantrace {

// True for the ASCII whitespace bytes: space, \t, \n, \v, \f, \r.
bool IsAsciiSpace(char c);

// `s` without ASCII whitespace at either end.
std::string TrimWhitespace(std::string_view s);

// The runs of `s` between ASCII whitespace, in order; none for blank `s`.
std::vector<std::string> SplitWords(std::string_view s);

}  // namespace plantrace

#endif  // PLANTRACE_PIPELINE_BASE_TEXT_UTIL_H_
