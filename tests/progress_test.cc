// The progress line's text (cli/progress.h): rate, pages, ETA, failures.
#include "pipeline/cli/progress.h"

#include <gtest/gtest.h>

namespace plantrace {
namespace {

TEST(ProgressTest, Text) {
  struct Case {
    const char* id;
    size_t done, total;
    int pages, failed;
    double seconds;
    const char* want;
  } cases[] = {
      {"start", 0, 240, 0, 0, 0, "[0/240]"},
      {"rate_eta", 12, 240, 0, 0, 4, "[12/240] 3.0 files/s, ETA 1m16s"},
      {"pages_failed", 10, 20, 300, 2, 10, "[10/20] 1.0 files/s, 30 pages/s, ETA 10s, 2 failed"},
      {"done", 20, 20, 0, 0, 5, "[20/20] 4.0 files/s"},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.id);
    EXPECT_EQ(ProgressText(c.done, c.total, c.pages, c.failed, c.seconds, "files"), c.want);
  }
}

TEST(ProgressTest, Duration) {
  EXPECT_EQ(Duration(4.4), "4s");
  EXPECT_EQ(Duration(76), "1m16s");
  EXPECT_EQ(Duration(7380), "2h03m");
}

// Without a stream the line is inactive and draws nothing.
TEST(ProgressTest, InactiveWithoutStream) {
  ProgressLine line(3, "files", nullptr);
  EXPECT_FALSE(line.active());
  line.Done("a.pdf", 1, 2, false);
  line.Finish();
}

}  // namespace
}  // namespace plantrace
