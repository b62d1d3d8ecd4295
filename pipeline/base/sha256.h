// SHA-256 of a byte string, as 64 lower-case hex digits. Used for document
// identity (the store keys documents by it) and the rule-set hash.
#ifndef PLANTRACE_PIPELINE_BASE_SHA256_H_
#define PLANTRACE_PIPELINE_BASE_SHA256_H_

#include <string>
#include <string_view>

namespace plantrace {

std::string Sha256Hex(std::string_view data);

}  // namespace plantrace

#endif  // PLANTRACE_PIPELINE_BASE_SHA256_H_
