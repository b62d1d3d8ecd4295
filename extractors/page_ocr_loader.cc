// OcrAvailable and RecognisePage for the program: they load the OCR module
// (libplantrace_ocr.so, built from page_ocr.cc) on first use and call into
// it. A text document never loads it; see page_ocr.h for why.
#include <dlfcn.h>
#include <unistd.h>

#include <cstdlib>
#include <mutex>
#include <string>
#include <vector>

#include "extractors/page_ocr.h"

namespace plantrace::ocr {
namespace {

constexpr const char* kModuleFile = "libplantrace_ocr.so";

struct Module {
  const ModuleApi* api = nullptr;
  std::string error;  // why it could not be loaded
};

// The folder of the running program: the module is built beside it.
std::string ProgramDir() {
  char buf[4096];
  const ssize_t n = readlink("/proc/self/exe", buf, sizeof buf - 1);
  if (n <= 0) return "";
  std::string path(buf, static_cast<size_t>(n));
  const size_t slash = path.rfind('/');
  return slash == std::string::npos ? "" : path.substr(0, slash);
}

// Tried in turn: $PLANTRACE_OCR_MODULE, the program's folder, and the
// build tree the program was built in (tests run from elsewhere).
const Module& LoadModule() {
  static Module module;
  static std::once_flag once;
  std::call_once(once, [] {
    std::vector<std::string> paths;
    if (const char* env = std::getenv("PLANTRACE_OCR_MODULE"); env != nullptr && *env != '\0') paths.push_back(env);
    if (std::string dir = ProgramDir(); !dir.empty()) paths.push_back(dir + "/" + kModuleFile);
#ifdef PLANTRACE_OCR_MODULE_PATH
    paths.push_back(PLANTRACE_OCR_MODULE_PATH);
#endif
    for (const std::string& path : paths) {
      if (access(path.c_str(), F_OK) != 0) continue;
      void* handle = dlopen(path.c_str(), RTLD_NOW | RTLD_LOCAL);
      if (handle == nullptr) {
        const char* e = dlerror();
        module.error = "cannot load " + path + ": " + (e ? e : "unknown error");
        return;
      }
      auto entry = reinterpret_cast<const ModuleApi* (*)()>(dlsym(handle, kModuleEntry));
      const ModuleApi* api = entry ? entry() : nullptr;
      if (api == nullptr || api->version != kModuleVersion) {
        module.error = path + " is not this build's OCR module (rebuild plantrace)";
        return;  // the handle stays open: unloading code of unknown state is worse
      }
      module.api = api;
      return;
    }
    module.error = std::string("the OCR module ") + kModuleFile + " is not installed beside the program";
  });
  return module;
}

}  // namespace

bool OcrAvailable(const std::string& language, std::string* why) {
  const Module& m = LoadModule();
  if (m.api == nullptr) {
    if (why) *why = m.error;
    return false;
  }
  return m.api->available(language, why);
}

Result<OcrPage> RecognisePage(const GreyImage& image, const OcrOptions& options) {
  const Module& m = LoadModule();
  if (m.api == nullptr) return Status::Unsupported(m.error);
  return m.api->recognise(image, options);
}

}  // namespace plantrace::ocr
