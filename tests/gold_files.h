// Gold annotations for unit tests that use them as an oracle: the five
// gold/*.json files, read from ../shared/gold beside the repository, else from
// corpus/gold. Empty when neither exists (tests then skip).
#ifndef PLANTRACE_TESTS_GOLD_FILES_H_
#define PLANTRACE_TESTS_GOLD_FILES_H_

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <string>
#include <utility>
#include <vector>

#include "tests/mini_json.h"
#include "tests/test_util.h"

namespace plantrace::testing {

struct GoldFile {
  std::string name;  // file name, e.g. "000_5765c50382b6d008.json"
  JsonValue root;
};

inline std::string GoldDir() {
  namespace fs = std::filesystem;
  std::error_code ec;
  for (const std::string& dir : {SourceDir() + "/../shared/gold", CorpusDir() + "/gold"}) {
    if (fs::is_directory(dir, ec)) return dir;
  }
  return "";
}

// Every gold file of `dir`, sorted by name; a file that does not parse aborts.
inline std::vector<GoldFile> ReadGoldDir(const std::string& dir) {
  namespace fs = std::filesystem;
  std::vector<GoldFile> out;
  if (dir.empty()) return out;
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator(dir, ec)) {
    if (entry.path().extension() != ".json") continue;
    GoldFile g;
    g.name = entry.path().filename().string();
    std::string error;
    if (!JsonParser::Parse(ReadFileOrDie(entry.path().string()), &g.root, &error)) {
      std::fprintf(stderr, "%s: %s\n", g.name.c_str(), error.c_str());
      std::abort();
    }
    out.push_back(std::move(g));
  }
  std::sort(out.begin(), out.end(), [](const GoldFile& a, const GoldFile& b) { return a.name < b.name; });
  return out;
}

// Every gold file of the seeds (GoldDir()).
inline const std::vector<GoldFile>& GoldFiles() {
  static const std::vector<GoldFile>* files = new std::vector<GoldFile>(ReadGoldDir(GoldDir()));
  return *files;
}

// Gold of the real development documents, ../shared/realdev/gold beside the
// repository; empty when it is absent (tests then skip).
inline const std::vector<GoldFile>& RealdevGoldFiles() {
  static const std::vector<GoldFile>* files = [] {
    std::error_code ec;
    std::string dir = SourceDir() + "/../shared/realdev/gold";
    return new std::vector<GoldFile>(std::filesystem::is_directory(dir, ec) ? ReadGoldDir(dir)
                                                                            : std::vector<GoldFile>());
  }();
  return *files;
}

}  // namespace plantrace::testing

#endif  // PLANTRACE_TESTS_GOLD_FILES_H_
