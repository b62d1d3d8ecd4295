// Deterministic text encoders for command output: JSON (keys in insertion
// order, UTF-8 kept as is, like Python's json.dumps(ensure_ascii=False)) and
// CSV (RFC 4180). Used by `extract --json`, `docs` and `tasks`.
// Kept hand-written while reading moved to nlohmann::json: it streams
// (listings print rows as they are read, never a whole store in memory) and
// fixes the key order and number layout the golden files compare byte for byte.
#ifndef PLANTRACE_PIPELINE_BASE_JSON_WRITER_H_
#define PLANTRACE_PIPELINE_BASE_JSON_WRITER_H_

#include <cstdint>
#include <cstdio>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace plantrace {

// `s` as a JSON string literal with its quotes. Control characters, '"' and
// '\' are escaped; other UTF-8 is copied; invalid UTF-8 bytes become U+FFFD
// so the output is always valid JSON.
std::string JsonQuote(std::string_view s);
// Appends JsonQuote(s) to *out.
void AppendJsonQuoted(std::string* out, std::string_view s);

// Streaming writer. With indent > 0 the layout matches Python's
// json.dumps(indent=N, ensure_ascii=False): one member per line, ", " never
// trailing, ": " after keys, empty containers as {} and []. With indent 0
// the output is compact ({"a":1,"b":[]}).
//
// Contract: calls must form one well-nested value; inside an object every
// value is preceded by Key(). Misuse is a programming error and is not
// diagnosed.
class JsonWriter {
 public:
  explicit JsonWriter(int indent = 2) : indent_(indent) {}

  JsonWriter& BeginObject();
  JsonWriter& EndObject();
  JsonWriter& BeginArray();
  JsonWriter& EndArray();
  JsonWriter& Key(std::string_view key);

  JsonWriter& String(std::string_view s);
  JsonWriter& Int(int64_t v);
  JsonWriter& Bool(bool v);
  JsonWriter& Null();
  // null when absent.
  JsonWriter& OptString(const std::optional<std::string>& s);
  JsonWriter& OptInt(const std::optional<int64_t>& v);
  // An array of strings.
  JsonWriter& Strings(const std::vector<std::string>& items);
  // A value already encoded as JSON (e.g. a stored column); copied verbatim.
  JsonWriter& Raw(std::string_view json);

  // Key + value shorthands.
  JsonWriter& Field(std::string_view key, std::string_view s) { return Key(key).String(s); }
  JsonWriter& Field(std::string_view key, const char* s) { return Key(key).String(s); }
  JsonWriter& Field(std::string_view key, const std::string& s) { return Key(key).String(s); }
  JsonWriter& Field(std::string_view key, const std::optional<std::string>& s) { return Key(key).OptString(s); }
  JsonWriter& Field(std::string_view key, int64_t v) { return Key(key).Int(v); }
  JsonWriter& Field(std::string_view key, int v) { return Key(key).Int(v); }
  JsonWriter& Field(std::string_view key, bool v) { return Key(key).Bool(v); }

  // The text so far; complete once the outermost value is closed. No
  // trailing newline.
  const std::string& str() const { return out_; }
  // Writes the text so far to `out` and forgets it, keeping the nesting
  // state: a long array is printed piecewise instead of held whole.
  void Flush(std::FILE* out);
  size_t size() const { return out_.size(); }

 private:
  struct Frame {
    bool object = false;
    int count = 0;
  };
  void BeforeValue();
  void Open(char c, bool object);
  void Close(char c);
  void NewLine(size_t depth);

  int indent_;
  std::string out_;
  std::vector<Frame> stack_;
  bool after_key_ = false;
};

// One CSV field, quoted when it holds '"', ',', CR or LF (or begins or ends
// with a space), with quotes doubled.
std::string CsvField(std::string_view s);
// Fields joined by ',' and terminated by CRLF (RFC 4180).
std::string CsvRow(const std::vector<std::string>& fields);

}  // namespace plantrace

#endif  // PLANTRACE_PIPELINE_BASE_JSON_WRITER_H_
