// Gold-file JSON for tests: the library's reader (pipeline/base/json_reader.h)
// under the names the tests use.
#ifndef PLANTRACE_TESTS_MINI_JSON_H_
#define PLANTRACE_TESTS_MINI_JSON_H_

#include <string>
#include <string_view>

#include "pipeline/base/json_reader.h"

namespace plantrace::testing {

using JsonValue = ::plantrace::JsonValue;

class JsonParser {
 public:
  // Parses `s`; on error returns false and sets *error.
  static bool Parse(std::string_view s, JsonValue* out, std::string* error) {
    Result<JsonValue> v = ParseJson(s);
    if (!v.ok()) {
      *error = v.status().message();
      return false;
    }
    *out = std::move(v).value();
    return true;
  }
};

}  // namespace plantrace::testing

#endif  // PLANTRACE_TESTS_MINI_JSON_H_
