// Diagnostics collection.
#include "pipeline/base/diagnostics.h"

namespace plantrace {

const char* SeverityName(Severity s) {
  switch (s) {
    case Severity::kInfo: return "info";
    case Severity::kWarning: return "warning";
    case Severity::kError: return "error";
  }
  return "warning";
}

void Diagnostics::Warn(std::string code, std::string message, int page, int line, std::string clause,
                       std::string rule) {
  items_.push_back(Diagnostic{Severity::kWarning, std::move(code), std::move(message), page, line,
                              std::move(clause), std::move(rule)});
}

void Diagnostics::Info(std::string code, std::string message, int page, int line) {
  items_.push_back(Diagnostic{Severity::kInfo, std::move(code), std::move(message), page, line, "", ""});
}

}  // namespace plantrace
