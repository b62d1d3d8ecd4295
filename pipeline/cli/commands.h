// One function per CLI command, each in its own cmd_*.cc. `args` excludes
// the program and command names. Return the process exit status.
#ifndef PLANTRACE_PIPELINE_CLI_COMMANDS_H_
#define PLANTRACE_PIPELINE_CLI_COMMANDS_H_

#include <string>
#include <vector>

namespace plantrace {

int CmdExtract(const std::vector<std::string>& args);
int CmdDump(const std::vector<std::string>& args);
int CmdEval(const std::vector<std::string>& args);
int CmdIngest(const std::vector<std::string>& args);
int CmdDocs(const std::vector<std::string>& args);
int CmdTasks(const std::vector<std::string>& args);
int CmdExport(const std::vector<std::string>& args);
int CmdTrace(const std::vector<std::string>& args);
int CmdReprocess(const std::vector<std::string>& args);
int CmdWarnings(const std::vector<std::string>& args);
int CmdLineage(const std::vector<std::string>& args);
int CmdAgencies(const std::vector<std::string>& args);
int CmdReport(const std::vector<std::string>& args);
int CmdServe(const std::vector<std::string>& args);
int CmdWorker(const std::vector<std::string>& args);
int CmdQueue(const std::vector<std::string>& args);

}  // namespace plantrace

#endif  // PLANTRACE_PIPELINE_CLI_COMMANDS_H_
