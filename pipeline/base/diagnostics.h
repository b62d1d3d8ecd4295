// Diagnostics: everything non-fatal a stage has to say about a document
// (row skipped, unknown agency, deadline matching no rule). Collected,
// printed as `warnings`, and stored so that misses can be counted.
#ifndef PLANTRACE_PIPELINE_BASE_DIAGNOSTICS_H_
#define PLANTRACE_PIPELINE_BASE_DIAGNOSTICS_H_

#include <string>
#include <vector>

#include "pipeline/base/budget.h"

namespace plantrace {

enum class Severity { kInfo, kWarning, kError };
const char* SeverityName(Severity s);

struct Diagnostic {
  Severity severity = Severity::kWarning;
  std::string code;     // stable machine id, e.g. "deadline.unparsed", "pdf.image_only"
  std::string message;  // for people
  int page = 0;         // 0 = unknown
  int line = 0;
  std::string clause;   // clause path where known
  std::string rule;     // rule id where one is involved
};

class Diagnostics {
 public:
  void Add(Diagnostic d) { items_.push_back(std::move(d)); }
  void Warn(std::string code, std::string message, int page = 0, int line = 0, std::string clause = "",
            std::string rule = "");
  void Info(std::string code, std::string message, int page = 0, int line = 0);
  const std::vector<Diagnostic>& items() const { return items_; }
  size_t size() const { return items_.size(); }

  // The document's CPU allowance, when its caller set one. Diagnostics is
  // what every stage already carries for the document, so the allowance
  // rides with it: a stage asks OverBudget() where its work repeats and
  // stops early, and the pipeline fails the document (process.cc).
  void set_budget(CpuBudget* budget) { budget_ = budget; }
  bool OverBudget() { return budget_ != nullptr && budget_->Spent(); }
  void ExtendBudget(double seconds) {
    if (budget_ != nullptr) budget_->Extend(seconds);
  }
  void EnterStage(const char* stage) {
    if (budget_ != nullptr) budget_->Enter(stage);
  }
  // OverBudget naming the stage once the allowance is spent, else OK.
  Status CheckBudget() { return budget_ != nullptr ? budget_->Check() : Status::Ok(); }
  const char* stage() const { return budget_ != nullptr ? budget_->stage() : "?"; }

 private:
  std::vector<Diagnostic> items_;
  CpuBudget* budget_ = nullptr;
};

}  // namespace plantrace

#endif  // PLANTRACE_PIPELINE_BASE_DIAGNOSTICS_H_
