// Slow: the corpus plans saved from a word processor as plain text (each
// table cell on a line of its own, an empty cell as an empty line) give the
// same task records as the DOCX they were saved from. The text files are
// made at run time by LibreOffice Writer; skipped when it is not installed.
#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <string>
#include <vector>

#include "pipeline/base/json_writer.h"
#include "pipeline/stages/process.h"
#include "pipeline/stages/record_json.h"
#include "tests/test_util.h"

namespace plantrace {
namespace {

namespace fs = std::filesystem;

const char* kStems[] = {"000_5765c50382b6d008", "001_6b90af762a2f7b89", "002_aceac1bad310a983",
                        "003_47b38050f79059a8", "004_e3670e579c2a1ce4"};

std::string FindSoffice() {
  for (const char* name : {"soffice", "libreoffice"}) {
    std::string out;
    if (testing::RunCommand(std::string("command -v ") + name + " 2>/dev/null", &out) == 0 && !out.empty()) {
      while (!out.empty() && (out.back() == '\n' || out.back() == '\r')) out.pop_back();
      return out;
    }
  }
  return "";
}

std::vector<std::string> TaskRecords(const std::string& path) {
  auto rec = ProcessDocument(testing::ReadFileOrDie(path), path, testing::Rules());
  EXPECT_TRUE(rec.ok()) << path << ": " << rec.status().ToString();
  std::vector<std::string> out;
  if (!rec.ok()) return out;
  for (Task t : rec->tasks) {
    t.provenance = Provenance{};
    t.source_text.clear();
    JsonWriter w(0);
    WriteTask(w, t);
    out.push_back(w.str());
  }
  return out;
}

TEST(CorpusWordTextTest, WordTextGivesTheTasksOfTheDocx) {
  const std::string soffice = FindSoffice();
  if (soffice.empty()) GTEST_SKIP() << "LibreOffice (soffice) not installed";
  const fs::path dir = fs::temp_directory_path() / ("plantrace-wordtext-" + std::to_string(getpid()));
  fs::create_directories(dir);
  std::string cmd = "cd '" + dir.string() + "' && HOME='" + dir.string() + "' '" + soffice +
                    "' --headless --convert-to 'txt:Text (encoded):UTF8' --outdir '" + dir.string() + "'";
  for (const char* stem : kStems) cmd += " '" + testing::CorpusDir() + "/rendered/" + stem + ".docx'";
  std::string out;
  ASSERT_EQ(testing::RunCommand(cmd + " >/dev/null 2>&1", &out), 0);
  for (const char* stem : kStems) {
    SCOPED_TRACE(stem);
    const fs::path txt = dir / (std::string(stem) + ".txt");
    ASSERT_TRUE(fs::exists(txt));
    std::vector<std::string> docx = TaskRecords(testing::CorpusDir() + "/rendered/" + stem + ".docx");
    std::vector<std::string> text = TaskRecords(txt.string());
    EXPECT_GT(docx.size(), 0u);
    ASSERT_EQ(docx.size(), text.size());
    size_t differ = 0;
    for (size_t i = 0; i < docx.size(); ++i) {
      if (docx[i] == text[i]) continue;
      ++differ;
      std::printf("%s task %zu differs:\n  docx: %s\n  text: %s\n", stem, i, docx[i].c_str(), text[i].c_str());
    }
    EXPECT_EQ(differ, 0u);
  }
  fs::remove_all(dir);
}

}  // namespace
}  // namespace plantrace
