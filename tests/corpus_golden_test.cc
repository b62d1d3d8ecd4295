// Golden tests: the canonical segment dump (DocTree) of each corpus seed
// must match tests/golden/<stem>.segment.txt. Regenerate with
// scripts/update_goldens.sh, which shows the diff. Slow (label "corpus").
#include <gtest/gtest.h>

#include <filesystem>
#include <sstream>

#include "pipeline/stages/dump.h"
#include "pipeline/stages/process.h"
#include "tests/test_util.h"

namespace plantrace {
namespace {

namespace fs = std::filesystem;

TEST(CorpusGoldenTest, SegmentDumpsMatch) {
  int compared = 0;
  for (const auto& e : fs::directory_iterator(testing::CorpusDir() + "/seeds")) {
    std::string stem = e.path().stem().string();
    SCOPED_TRACE(stem);
    fs::path golden = fs::path(testing::SourceDir()) / "tests" / "golden" / (stem + ".segment.txt");
    ASSERT_TRUE(fs::exists(golden)) << "missing " << golden << ": run scripts/update_goldens.sh";
    Diagnostics diag;
    std::string source = e.path().string();
    auto tree = BuildDocTree(testing::ReadFileOrDie(source), source, testing::Rules(), ReadLimits(), &diag);
    ASSERT_TRUE(tree.ok()) << tree.status().ToString();
    std::string got = DumpDocTree(*tree);
    std::string want = testing::ReadFileOrDie(golden.string());
    if (got != want) {
      std::istringstream g(got), w(want);
      std::string gl, wl;
      int n = 0;
      while (true) {
        bool more_g = static_cast<bool>(std::getline(g, gl));
        bool more_w = static_cast<bool>(std::getline(w, wl));
        ++n;
        if (!more_g && !more_w) break;
        if (gl != wl || more_g != more_w) {
          ADD_FAILURE() << "first difference at line " << n << "\n  golden: " << wl << "\n  now:    " << gl
                        << "\n(scripts/update_goldens.sh shows the whole diff)";
          break;
        }
      }
    }
    ++compared;
  }
  EXPECT_EQ(compared, 5);
}

}  // namespace
}  // namespace plantrace
