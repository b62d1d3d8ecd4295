// plantrace dump --stage=layout|segment FILE: a stage's canonical dump.
#include <cstdio>

#include "pipeline/cli/commands.h"
#include "pipeline/stages/dump.h"
#include "pipeline/stages/process.h"

namespace plantrace {

int CmdDump(const std::vector<std::string>& args) {
  std::string stage = "segment", file;
  std::string rules_dir = DefaultRulesDir();
  for (size_t i = 0; i < args.size(); ++i) {
    const std::string& a = args[i];
    if (a == "--help" || a == "-h") {
      std::puts("usage: plantrace dump [--stage=layout|segment] [--rules DIR] FILE");
      return 0;
    } else if (a.starts_with("--stage=")) {
      stage = a.substr(8);
    } else if (a == "--rules" && i + 1 < args.size()) {
      rules_dir = args[++i];
    } else if (!a.starts_with("-")) {
      file = a;
    } else {
      std::fprintf(stderr, "plantrace dump: unknown option '%s'\n", a.c_str());
      return 2;
    }
  }
  if (file.empty() || (stage != "layout" && stage != "segment")) {
    std::fputs("usage: plantrace dump [--stage=layout|segment] FILE\n", stderr);
    return 2;
  }
  Result<std::string> bytes = ReadFileBytes(file);
  if (!bytes.ok()) {
    std::fprintf(stderr, "plantrace dump: %s\n", bytes.status().message().c_str());
    return 1;
  }
  Diagnostics diag;
  Result<RuleSet> rules = RuleSet::Load(rules_dir);
  if (!rules.ok()) {
    std::fprintf(stderr, "plantrace dump: rules: %s\n", rules.status().message().c_str());
    return 2;
  }
  if (stage == "layout") {
    Result<Layout> layout = ReadNormalized(*bytes, file, *rules, ReadLimits(), &diag);
    if (!layout.ok()) {
      std::fprintf(stderr, "plantrace dump: %s\n", layout.status().message().c_str());
      return 1;
    }
    std::fputs(DumpLayout(*layout).c_str(), stdout);
    return 0;
  }
  Result<DocTree> tree = BuildDocTree(*bytes, file, *rules, ReadLimits(), &diag);
  if (!tree.ok()) {
    std::fprintf(stderr, "plantrace dump: %s\n", tree.status().message().c_str());
    return 1;
  }
  std::fputs(DumpDocTree(*tree).c_str(), stdout);
  return 0;
}

}  // namespace plantrace
