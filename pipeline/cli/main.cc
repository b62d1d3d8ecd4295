// plantrace command line entry point; the commands live in cli.cc.
#include "pipeline/cli/cli.h"

int main(int argc, char** argv) { return plantrace::RunCli(argc, argv); }
