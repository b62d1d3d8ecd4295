// The libFuzzer entry point of one harness of fuzz_targets.h. The fuzz build
// (tests/fuzz/CMakeLists.txt) compiles it once per harness, with
// PLANTRACE_FUZZ_TARGET naming the target; scripts/fuzz.sh runs them.
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>

#include "tests/fuzz/fuzz_targets.h"
#include "tests/test_util.h"

namespace {

const plantrace::fuzz::Target* target = nullptr;

}  // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  target = plantrace::fuzz::FindTarget(PLANTRACE_FUZZ_TARGET);
  if (target == nullptr) {
    std::fprintf(stderr, "no fuzz target named %s\n", PLANTRACE_FUZZ_TARGET);
    std::abort();
  }
  // Load the rules before the first input so their cost is not charged to it.
  plantrace::testing::Rules();
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view bytes(reinterpret_cast<const char*>(data), size);
  const std::string broken = target->run(bytes);
  if (!broken.empty()) {
    std::fprintf(stderr, "fuzz_%s: %s\n", target->name, broken.c_str());
    std::abort();
  }
  return 0;
}
