// JSON reader (RFC 8259) for gold files and stored JSON columns, built on
// nlohmann::json. Parses into a tree; numbers are kept as their text.
#ifndef PLANTRACE_PIPELINE_BASE_JSON_READER_H_
#define PLANTRACE_PIPELINE_BASE_JSON_READER_H_

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "pipeline/base/status.h"

namespace plantrace {

struct JsonMember;

struct JsonValue {
  enum class Type { kNull, kBool, kNumber, kString, kArray, kObject };
  Type type = Type::kNull;
  bool boolean = false;
  std::string text;  // string value, or a number as printed
  std::vector<JsonValue> items;
  std::vector<JsonMember> members;  // in document order

  bool is_null() const { return type == Type::kNull; }
  bool is_string() const { return type == Type::kString; }
  bool is_array() const { return type == Type::kArray; }
  bool is_object() const { return type == Type::kObject; }
  // Member `key`; a null value when absent or not an object.
  const JsonValue& operator[](std::string_view key) const;
  bool Has(std::string_view key) const;
};

// A member of an object, read as a pair (`first` the key). A struct of its
// own rather than std::pair<std::string, JsonValue>, which clang with
// libstdc++ cannot instantiate inside JsonValue while JsonValue is incomplete
// (the fuzz build, tests/fuzz/, is clang).
struct JsonMember {
  JsonMember(std::string key, JsonValue value) : first(std::move(key)), second(std::move(value)) {}
  std::string first;
  JsonValue second;
};

// Never throws: a syntax error, or nesting deeper than 200 levels, is an
// InvalidInput status giving the line, column and byte offset.
Result<JsonValue> ParseJson(std::string_view text);

}  // namespace plantrace

#endif  // PLANTRACE_PIPELINE_BASE_JSON_READER_H_
