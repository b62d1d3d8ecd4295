// Golden tests: the canonical segment dump (DocTree) of each corpus seed
// must match tests/golden/<stem>.segment.txt, and of each seed typeset as
// PDF tests/golden/<stem>.pdf.segment.txt (the PDFs' tables are flattened
// into fragments and rebuilt by placement: this pins that rebuild through
// refactoring). Regenerate with scripts/update_goldens.sh, which shows the
// diff. Slow (label "corpus").
#include <gtest/gtest.h>

#include <filesystem>
#include <sstream>

#include "pipeline/stages/dump.h"
#include "pipeline/stages/process.h"
#include "tests/test_util.h"

namespace plantrace {
namespace {

namespace fs = std::filesystem;

// Compares the segment dump of `source` with the golden file; on a
// difference names the first differing line.
void ExpectDumpMatches(const fs::path& source, const fs::path& golden) {
  SCOPED_TRACE(source.filename().string());
  ASSERT_TRUE(fs::exists(golden)) << "missing " << golden << ": run scripts/update_goldens.sh";
  Diagnostics diag;
  auto tree = BuildDocTree(testing::ReadFileOrDie(source.string()), source.string(), testing::Rules(), ReadLimits(),
                           &diag);
  ASSERT_TRUE(tree.ok()) << tree.status().ToString();
  std::string got = DumpDocTree(*tree);
  std::string want = testing::ReadFileOrDie(golden.string());
  if (got == want) return;
  std::istringstream g(got), w(want);
  std::string gl, wl;
  for (int n = 1;; ++n) {
    bool more_g = static_cast<bool>(std::getline(g, gl));
    bool more_w = static_cast<bool>(std::getline(w, wl));
    if (!more_g && !more_w) break;
    if (gl != wl || more_g != more_w) {
      ADD_FAILURE() << "first difference at line " << n << "\n  golden: " << wl << "\n  now:    " << gl
                    << "\n(scripts/update_goldens.sh shows the whole diff)";
      return;
    }
  }
}

fs::path GoldenDir() { return fs::path(testing::SourceDir()) / "tests" / "golden"; }

TEST(CorpusGoldenTest, SegmentDumpsMatch) {
  int compared = 0;
  for (const auto& e : fs::directory_iterator(testing::CorpusDir() + "/seeds")) {
    ExpectDumpMatches(e.path(), GoldenDir() / (e.path().stem().string() + ".segment.txt"));
    ++compared;
  }
  EXPECT_EQ(compared, 5);
}

TEST(CorpusGoldenTest, PdfSegmentDumpsMatch) {
  int compared = 0;
  for (const auto& e : fs::directory_iterator(testing::CorpusDir() + "/rendered")) {
    if (e.path().extension() != ".pdf") continue;
    ExpectDumpMatches(e.path(), GoldenDir() / (e.path().stem().string() + ".pdf.segment.txt"));
    ++compared;
  }
  EXPECT_EQ(compared, 5);
}

}  // namespace
}  // namespace plantrace
