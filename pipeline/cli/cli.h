// The plantrace command line: parses arguments and runs one command.
#ifndef PLANTRACE_PIPELINE_CLI_CLI_H_
#define PLANTRACE_PIPELINE_CLI_CLI_H_

namespace plantrace {

// Exit status: 0 ok, 1 some input failed, 2 usage error.
int RunCli(int argc, char** argv);

}  // namespace plantrace

#endif  // PLANTRACE_PIPELINE_CLI_CLI_H_
