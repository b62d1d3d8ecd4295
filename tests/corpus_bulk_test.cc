// Slow: every real export in ../shared/realbulk, and the corrupted PDF in
// ../shared/bad-inputs, must extract within a generous time limit (a
// flattened-table search that grew faster than the lines ran for minutes on
// one of them). Skipped when ../shared is absent.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <string>
#include <vector>

#include "tests/test_util.h"

namespace plantrace {
namespace {

namespace fs = std::filesystem;

TEST(CorpusBulkTest, EveryRealExportExtractsInTime) {
  const fs::path shared = fs::path(testing::SharedDir());
  std::vector<fs::path> files;
  if (fs::exists(shared / "realbulk")) {
    for (const auto& e : fs::directory_iterator(shared / "realbulk")) {
      if (e.path().extension() == ".md") files.push_back(e.path());
    }
  }
  if (fs::exists(shared / "bad-inputs" / "hang-pdf-74p.pdf")) files.push_back(shared / "bad-inputs" / "hang-pdf-74p.pdf");
  if (files.empty()) GTEST_SKIP() << "../shared/realbulk not present";
  std::sort(files.begin(), files.end());
  for (const fs::path& f : files) {
    SCOPED_TRACE(f.filename().string());
    std::string out;
    // 60 s: twenty times what the slowest takes on a loaded machine.
    int rc = testing::RunCommand("timeout 60 '" + testing::PlantraceBin() + "' extract --json '" + f.string() +
                                     "' 2>/dev/null",
                                 &out);
    EXPECT_EQ(rc, 0);
    EXPECT_NE(out.find("\"tasks\""), std::string::npos);
  }
}

}  // namespace
}  // namespace plantrace
