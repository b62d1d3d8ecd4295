// The keys each family of rules may carry, their types and which are
// required: checked when rules load, so a misspelt key ("grups:"), a word
// where a number belongs ("strength: high") or a rule without its pattern
// stops the program with "file:line id: reason" instead of being ignored or
// failing later on every document.
#ifndef PLANTRACE_PIPELINE_BASE_RULE_SCHEMA_H_
#define PLANTRACE_PIPELINE_BASE_RULE_SCHEMA_H_

#include "pipeline/base/rules.h"
#include "pipeline/base/status.h"

namespace plantrace {

// InvalidInput naming the rule's file, the offending line and the rule id.
[[nodiscard]] Status CheckRuleSchema(const Rule& rule);

}  // namespace plantrace

#endif  // PLANTRACE_PIPELINE_BASE_RULE_SCHEMA_H_
