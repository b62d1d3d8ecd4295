// Shared test helpers.
#include "tests/test_util.h"

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <sstream>
#include <sys/wait.h>

namespace plantrace::testing {

std::string SourceDir() { return PLANTRACE_SOURCE_DIR; }
std::string CorpusDir() { return SourceDir() + "/corpus"; }
std::string SharedDir() { return SourceDir() + "/../shared"; }

std::string ReadFileOrDie(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    std::cerr << "cannot read " << path << "\n";
    std::abort();
  }
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

const RuleSet& Rules() {
  static const RuleSet* rules = [] {
    auto r = RuleSet::Load(SourceDir() + "/rules");
    if (!r.ok()) {
      std::cerr << "rules do not load: " << r.status().ToString() << "\n";
      std::abort();
    }
    return new RuleSet(std::move(r).value());
  }();
  return *rules;
}

std::string PlantraceBin() {
  if (const char* b = std::getenv("PLANTRACE_BIN"); b && *b) return b;
  return SourceDir() + "/build/plantrace";
}

int RunCommand(const std::string& cmd, std::string* out) {
  FILE* p = popen(cmd.c_str(), "r");
  if (!p) return -1;
  char buf[65536];
  size_t n;
  if (out) out->clear();
  while ((n = fread(buf, 1, sizeof buf, p)) > 0) {
    if (out) out->append(buf, n);
  }
  int st = pclose(p);
  return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

}  // namespace plantrace::testing
