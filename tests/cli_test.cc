// Tests for the command line's option parsing (cli.cc and the cmd_*.cc
// parsers), run in process through RunCli: --help prints the command's usage
// on stdout with exit 0; an unknown option, a missing value or a bad value
// is a usage error, exit 2, reported on stderr with the command's name.
// None of these cases reaches a store or a file.
#include "pipeline/cli/cli.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace plantrace {
namespace {

struct Outcome {
  int status;
  std::string out, err;
};

Outcome RunPlantrace(std::vector<std::string> args) {
  args.insert(args.begin(), "plantrace");
  std::vector<char*> argv;
  for (std::string& a : args) argv.push_back(a.data());
  argv.push_back(nullptr);
  ::testing::internal::CaptureStdout();
  ::testing::internal::CaptureStderr();
  Outcome o;
  o.status = RunCli(static_cast<int>(args.size()), argv.data());
  o.out = ::testing::internal::GetCapturedStdout();
  o.err = ::testing::internal::GetCapturedStderr();
  return o;
}

const char* const kCommands[] = {"extract", "dump",     "eval",  "ingest", "reprocess", "warnings", "docs",
                                 "tasks",   "export",   "trace", "lineage", "agencies", "report"};

TEST(CliTest, HelpPrintsTheCommandsUsage) {
  for (const char* cmd : kCommands) {
    SCOPED_TRACE(cmd);
    for (const char* flag : {"--help", "-h"}) {
      Outcome o = RunPlantrace({cmd, flag});
      EXPECT_EQ(o.status, 0);
      EXPECT_EQ(o.out.rfind(std::string("usage: plantrace ") + cmd, 0), 0u) << o.out;
      EXPECT_EQ(o.err, "");
    }
  }
  Outcome top = RunPlantrace({"--help"});
  EXPECT_EQ(top.status, 0);
  EXPECT_NE(top.out.find("commands:"), std::string::npos) << top.out;
}

TEST(CliTest, UnknownOptionIsAUsageError) {
  for (const char* cmd : kCommands) {
    SCOPED_TRACE(cmd);
    Outcome o = RunPlantrace({cmd, "--no-such-option"});
    EXPECT_EQ(o.status, 2);
    EXPECT_EQ(o.out, "");
    EXPECT_EQ(o.err.rfind(std::string("plantrace ") + cmd + ": ", 0), 0u) << o.err;
    EXPECT_NE(o.err.find("--no-such-option"), std::string::npos) << o.err;
  }
}

TEST(CliTest, MissingOrBadValuesAreUsageErrors) {
  struct Case {
    const char* id;
    std::vector<std::string> args;
    const char* says;  // part of the message on stderr
  };
  const Case cases[] = {
      {"db-without-value", {"docs", "--db"}, "option '--db' needs a value"},
      {"j-without-value", {"ingest", "-j"}, "option '-j' needs a value"},
      {"j-out-of-range", {"ingest", "-j0", "x"}, "-j needs a number from 1 to 256, not '0'"},
      {"j-not-a-number", {"reprocess", "--jobs=many"}, "not 'many'"},
      {"flag-with-value", {"ingest", "--force=yes", "x"}, "option '--force' takes no value"},
      {"option-of-another-command", {"docs", "--agency", "X"}, "unknown option '--agency'"},
      {"stray-argument", {"docs", "extra"}, "unexpected argument 'extra'"},
      {"rules-without-value", {"extract", "--rules"}, "unknown option '--rules'"},
      {"gold-without-value", {"eval", "--gold"}, "unexpected '--gold'"},
      {"min-not-a-number", {"eval", "--gold", "g", "--min", "abc"}, "--min: 'abc' is not a number from 0 to 1"},
      {"no-file", {"ingest"}, "no FILE or DIR given"},
      {"bad-window", {"report", "--as-of", "2026-01-01", "--due-within", "soon"}, "soon"},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.id);
    Outcome o = RunPlantrace(c.args);
    EXPECT_EQ(o.status, 2);
    EXPECT_NE(o.err.find(c.says), std::string::npos) << o.err;
  }
}

TEST(CliTest, CommandLineWithoutACommand) {
  Outcome none = RunPlantrace({});
  EXPECT_EQ(none.status, 2);
  EXPECT_NE(none.err.find("usage: plantrace COMMAND"), std::string::npos) << none.err;
  Outcome unknown = RunPlantrace({"no-such-command"});
  EXPECT_EQ(unknown.status, 2);
  EXPECT_NE(unknown.err.find("unknown command 'no-such-command'"), std::string::npos) << unknown.err;
}

}  // namespace
}  // namespace plantrace
