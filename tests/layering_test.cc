// The include rules of pipeline/'s folders (each folder's README.md), checked
// on the #include lines of every source file: base includes only base;
// extractors only base; stages never the store or the CLI; the store only
// the stages' record types, link and process; nothing includes the CLI; a
// folder's *_internal.h headers are included only inside that folder.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <set>
#include <string>
#include <vector>

#include "tests/test_util.h"

namespace plantrace {
namespace {

namespace fs = std::filesystem;

struct Folder {
  const char* path;                         // from the repository root
  std::vector<std::string> may_include;     // path prefixes
};

const Folder kFolders[] = {
    {"pipeline/base", {"pipeline/base/"}},
    {"extractors", {"pipeline/base/", "extractors/"}},
    {"pipeline/stages", {"pipeline/base/", "extractors/", "pipeline/stages/"}},
    // The store's exceptions, each a file not a folder: the record types,
    // link (resolved after each load) and process (ingest's way in).
    {"pipeline/store",
     {"pipeline/base/", "extractors/", "pipeline/store/", "pipeline/stages/record.h", "pipeline/stages/doctree.h",
      "pipeline/stages/link.h", "pipeline/stages/process.h"}},
    // The web view reads the store; the CLI's serve command runs it.
    // It reads the store, and a stored PDF's page words and image through
    // the PDF reader.
    {"pipeline/web", {"pipeline/base/", "pipeline/store/", "pipeline/web/", "extractors/readers.h", "extractors/layout.h"}},
    {"pipeline/cli", {"pipeline/", "extractors/"}},
};

// The "..." includes of a file.
std::vector<std::string> ProjectIncludes(const fs::path& file) {
  std::vector<std::string> out;
  std::ifstream in(file);
  std::string line;
  const std::string kOpen = "#include \"";
  while (std::getline(in, line)) {
    if (line.rfind(kOpen, 0) != 0) continue;
    size_t end = line.find('"', kOpen.size());
    if (end != std::string::npos) out.push_back(line.substr(kOpen.size(), end - kOpen.size()));
  }
  return out;
}

bool IsSource(const fs::path& p) { return p.extension() == ".h" || p.extension() == ".cc"; }

TEST(LayeringTest, IncludesStayWithinEachFoldersRules) {
  const fs::path root = testing::SourceDir();
  int checked = 0;
  for (const Folder& f : kFolders) {
    for (const auto& entry : fs::directory_iterator(root / f.path)) {
      if (!IsSource(entry.path())) continue;
      for (const std::string& inc : ProjectIncludes(entry.path())) {
        bool allowed = false;
        for (const std::string& prefix : f.may_include) allowed |= inc.rfind(prefix, 0) == 0;
        EXPECT_TRUE(allowed) << f.path << "/" << entry.path().filename().string() << " includes " << inc
                             << ", across its folder's line (see " << f.path << "/README.md)";
        ++checked;
      }
    }
  }
  EXPECT_GT(checked, 100);
}

// Every source file of pipeline/ sits in one of the folders above, so none
// escapes the check (a file added directly under pipeline/, e.g. by a merge
// from before the folders, fails here).
TEST(LayeringTest, EveryPipelineFileIsInAKnownFolder) {
  const fs::path root = fs::path(testing::SourceDir()) / "pipeline";
  std::set<std::string> known;
  for (const Folder& f : kFolders) known.insert(fs::path(f.path).filename().string());
  for (const auto& entry : fs::directory_iterator(root)) {
    if (entry.is_directory()) {
      EXPECT_TRUE(known.count(entry.path().filename().string())) << "pipeline/" << entry.path().filename().string()
                                                                 << " has no include rules in layering_test.cc";
    } else {
      EXPECT_FALSE(IsSource(entry.path())) << "pipeline/" << entry.path().filename().string()
                                           << " belongs in base/, stages/, store/ or cli/";
    }
  }
}

// A header named *_internal.h (store_internal.h, cli_internal.h) is part of
// its folder's implementation: only the files beside it include it.
TEST(LayeringTest, InternalHeadersStayInTheirFolder) {
  const fs::path root = testing::SourceDir();
  const std::string kSuffix = "_internal.h";
  int checked = 0;
  for (const char* dir : {"extractors", "pipeline", "tests"}) {
    for (const auto& entry : fs::recursive_directory_iterator(root / dir)) {
      if (!entry.is_regular_file() || !IsSource(entry.path())) continue;
      const std::string folder = fs::relative(entry.path().parent_path(), root).generic_string() + "/";
      for (const std::string& inc : ProjectIncludes(entry.path())) {
        if (inc.size() < kSuffix.size() || inc.compare(inc.size() - kSuffix.size(), kSuffix.size(), kSuffix) != 0) {
          continue;
        }
        EXPECT_EQ(inc.rfind(folder, 0), 0u) << fs::relative(entry.path(), root).generic_string() << " includes "
                                            << inc << ", internal to another folder";
        ++checked;
      }
    }
  }
  EXPECT_GT(checked, 0);
}

}  // namespace
}  // namespace plantrace
