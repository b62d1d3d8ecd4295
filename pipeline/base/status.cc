// Status text for users and logs.
#include "pipeline/base/status.h"

namespace plantrace {

std::string Status::ToString() const {
  const char* name = "ok";
  switch (code_) {
    case Code::kOk: return "ok";
    case Code::kInvalidInput: name = "invalid input"; break;
    case Code::kUnsupported: name = "unsupported"; break;
    case Code::kNotFound: name = "not found"; break;
    case Code::kIo: name = "i/o error"; break;
    case Code::kInternal: name = "internal error"; break;
    case Code::kUsage: name = "usage"; break;
    case Code::kOverBudget: name = "over budget"; break;
  }
  return std::string(name) + ": " + message_;
}

}  // namespace plantrace
