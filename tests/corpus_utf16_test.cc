// The seed plans of ../shared/seeds saved as UTF-16 (little-endian with a
// byte-order mark, big-endian without one, as Windows "Unicode text" and
// other tools write it) give `plantrace extract --json` the same metadata,
// references and tasks as the UTF-8 originals. The UTF-16 files are made
// here; skipped when ../shared is absent.
#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "pipeline/base/unicode.h"
#include "tests/test_util.h"

namespace plantrace {
namespace {

namespace fs = std::filesystem;

std::string ToUtf16(std::string_view utf8, bool little) {
  std::string out;
  auto unit = [&](char16_t u) {
    const char hi = static_cast<char>(u >> 8), lo = static_cast<char>(u & 0xFF);
    out += little ? std::string{lo, hi} : std::string{hi, lo};
  };
  for (size_t i = 0; i < utf8.size();) {
    const char32_t cp = NextCodePoint(utf8, &i);
    if (cp < 0x10000) {
      unit(static_cast<char16_t>(cp));
    } else {
      unit(static_cast<char16_t>(0xD800 + ((cp - 0x10000) >> 10)));
      unit(static_cast<char16_t>(0xDC00 + ((cp - 0x10000) & 0x3FF)));
    }
  }
  return out;
}

// The member `key` of the top-level object extract --json prints (two
// spaces deep), as printed.
std::string Member(const std::string& json, const std::string& key) {
  const size_t at = json.find("\n  \"" + key + "\": ");
  if (at == std::string::npos) return "";
  const size_t end = json.find("\n  \"", at + 1);
  return json.substr(at, end == std::string::npos ? std::string::npos : end - at);
}

TEST(CorpusUtf16Test, Utf16SeedsGiveTheTasksOfTheUtf8Seeds) {
  const fs::path seeds = fs::path(testing::SharedDir()) / "seeds";
  if (!fs::exists(seeds)) GTEST_SKIP() << seeds << " not present";
  const fs::path dir = fs::temp_directory_path() / ("plantrace-utf16-" + std::to_string(getpid()));
  fs::create_directories(dir);
  std::vector<fs::path> files;
  for (const auto& e : fs::directory_iterator(seeds)) {
    if (e.path().extension() == ".txt") files.push_back(e.path());
  }
  std::sort(files.begin(), files.end());
  ASSERT_FALSE(files.empty());
  auto extract = [](const fs::path& f) {
    std::string out;
    EXPECT_EQ(testing::RunCommand("timeout 60 '" + testing::PlantraceBin() + "' extract --json '" + f.string() +
                                      "' 2>&1",
                                  &out),
              0)
        << f << ": " << out;
    return out;
  };
  for (const fs::path& seed : files) {
    SCOPED_TRACE(seed.filename().string());
    const std::string utf8 = testing::ReadFileOrDie(seed.string());
    const std::string want = extract(seed);
    ASSERT_NE(Member(want, "tasks"), "");
    const struct {
      const char* name;
      std::string bytes;
    } variants[] = {
        {"utf16le-bom.txt", "\xFF\xFE" + ToUtf16(utf8, true)},
        {"utf16be.txt", ToUtf16(utf8, false)},
    };
    for (const auto& v : variants) {
      SCOPED_TRACE(v.name);
      const fs::path path = dir / (seed.stem().string() + "." + v.name);
      std::ofstream(path, std::ios::binary) << v.bytes;
      const std::string got = extract(path);
      for (const char* key : {"meta", "references", "tasks"}) {
        SCOPED_TRACE(key);
        EXPECT_EQ(Member(got, key), Member(want, key));
      }
    }
  }
  fs::remove_all(dir);
}

}  // namespace
}  // namespace plantrace
