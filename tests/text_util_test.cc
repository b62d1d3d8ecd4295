// Tests for pipeline/base/text_util (ASCII whitespace trimming and word
// splitting) and pipeline/percentile. Table-driven.
#include "pipeline/base/text_util.h"

#include <gtest/gtest.h>

#include <cstddef>
#include <string>
#include <vector>

#include "pipeline/base/percentile.h"

namespace plantrace {
namespace {

TEST(TextUtilTest, TrimWhitespace) {
  struct Case {
    const char* id;
    std::string in, want;
  };
  const std::vector<Case> cases = {
      {"empty", "", ""},
      {"blank", " \t\r\n\v\f", ""},
      {"both-ends", "  Sở Tài chính \t", "Sở Tài chính"},
      {"crlf-line", "id: deadline.month\r", "id: deadline.month"},
      {"inner-kept", "a  \t b", "a  \t b"},
      // Only ASCII whitespace: a no-break space (U+00A0) is text to this layer.
      {"nbsp-kept", "\xC2\xA0x\xC2\xA0", "\xC2\xA0x\xC2\xA0"},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.id);
    EXPECT_EQ(TrimWhitespace(c.in), c.want);
  }
}

TEST(TextUtilTest, SplitWords) {
  struct Case {
    const char* id;
    std::string in;
    std::vector<std::string> want;
  };
  const std::vector<Case> cases = {
      {"empty", "", {}},
      {"blank", "  \t ", {}},
      {"groups", "day month - year", {"day", "month", "-", "year"}},
      {"mixed-space", "\ta=1  b=2\r\n", {"a=1", "b=2"}},
      {"vietnamese", "Quý II năm 2026", {"Quý", "II", "năm", "2026"}},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.id);
    EXPECT_EQ(SplitWords(c.in), c.want);
  }
}

TEST(PercentileTest, NearestRankFromBelow) {
  struct Case {
    const char* id;
    std::vector<size_t> sample;
    double q;
    size_t want;
  };
  const std::vector<Case> cases = {
      {"empty", {}, 0.5, 0},
      {"one", {7}, 0.9, 7},
      {"median-odd", {5, 1, 3}, 0.5, 3},
      {"median-even-upper", {4, 1, 3, 2}, 0.5, 3},
      {"p90-of-ten", {10, 9, 8, 7, 6, 5, 4, 3, 2, 1}, 0.9, 10},
      {"p90-of-five", {1, 2, 3, 4, 5}, 0.9, 5},
      {"q0", {3, 1, 2}, 0.0, 1},
      {"q1-clamped", {3, 1, 2}, 1.0, 3},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.id);
    EXPECT_EQ(Percentile(c.sample, c.q), c.want);
  }
}

// text_tables.cc took its median at round(0.5 * (n - 1)); the shared rule,
// floor(0.5 * n), picks the same element for every n, so column widths did
// not move when it switched.
TEST(PercentileTest, MedianMatchesTheRoundedRuleItReplaced) {
  for (size_t n = 1; n <= 50; ++n) {
    std::vector<double> v;
    for (size_t i = 0; i < n; ++i) v.push_back(static_cast<double>(i));
    const size_t old_k = static_cast<size_t>(0.5 * static_cast<double>(n - 1) + 0.5);
    EXPECT_EQ(Percentile(v, 0.5), v[old_k]) << "n=" << n;
  }
}

}  // namespace
}  // namespace plantrace
