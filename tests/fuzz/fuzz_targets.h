// The fuzz targets: one function per harness (a reader, the stage path, the
// rules loader). The libFuzzer binaries (fuzz_main.cc, clang build with
// PLANTRACE_FUZZ=ON) and the replay test (tests/fuzz_replay_test.cc, the
// normal build) both call these, so a finding replays through exactly the
// code the fuzzer ran.
#ifndef PLANTRACE_TESTS_FUZZ_FUZZ_TARGETS_H_
#define PLANTRACE_TESTS_FUZZ_FUZZ_TARGETS_H_

#include <string>
#include <string_view>
#include <vector>

namespace plantrace::fuzz {

struct Target {
  const char* name;  // the harness: fuzz_<name>, tests/data/fuzz/<name>/
  // Runs one input. An error Status is a fine outcome; the result is "" or
  // what the output got wrong (an invariant a later stage or the user relies
  // on), which the fuzzer treats as a crash.
  std::string (*run)(std::string_view bytes);
};

// Every harness, in a fixed order.
const std::vector<Target>& Targets();
// nullptr when no harness has that name.
const Target* FindTarget(std::string_view name);

// The DOCX harness's input form: parts of a package, each introduced by a
// line "=== <name in the zip>", written into a stored (uncompressed) zip.
// Input that is already a zip goes to the reader as it is.
std::string PartsToZip(std::string_view bytes);

}  // namespace plantrace::fuzz

#endif  // PLANTRACE_TESTS_FUZZ_FUZZ_TARGETS_H_
