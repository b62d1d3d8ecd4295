// JSON reading through nlohmann::json (the one file that includes it): its
// SAX parser builds our JsonValue tree directly. SAX rather than the DOM
// (json::parse) because the DOM sorts object keys and reprints numbers,
// while JsonValue keeps members in document order and numbers as written,
// and because SAX reports where a parse failed. sax_parse never throws: a
// syntax error arrives as a parse_error() call and becomes a Status.
#include "pipeline/base/json_reader.h"

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace plantrace {

const JsonValue& JsonValue::operator[](std::string_view key) const {
  static const JsonValue kNull;
  for (const auto& [k, v] : members) {
    if (k == key) return v;
  }
  return kNull;
}

bool JsonValue::Has(std::string_view key) const {
  for (const auto& [k, v] : members) {
    if (k == key) return true;
  }
  return false;
}

namespace {

// Deeper documents are refused: gold files and stored columns nest a few
// levels, and a bound keeps a hostile file from growing the stack of
// open containers without limit.
constexpr size_t kMaxDepth = 200;

// Builds a JsonValue from nlohmann's SAX events. Returning false stops
// the parse (after error_ is set).
class TreeBuilder {
 public:
  using json = nlohmann::json;

  explicit TreeBuilder(JsonValue* root) : root_(root) {}
  const std::string& error() const { return error_; }

  bool null() { return Put(JsonValue{}) != nullptr; }
  bool boolean(bool b) {
    JsonValue v;
    v.type = JsonValue::Type::kBool;
    v.boolean = b;
    return Put(std::move(v)) != nullptr;
  }
  // An integer's text is its value printed again, which is what was
  // written for every integer except "-0".
  bool number_integer(json::number_integer_t n) { return Number(std::to_string(n)); }
  bool number_unsigned(json::number_unsigned_t n) { return Number(std::to_string(n)); }
  bool number_float(json::number_float_t, const json::string_t& text) { return Number(text); }
  bool string(json::string_t& s) {
    JsonValue v;
    v.type = JsonValue::Type::kString;
    v.text = std::move(s);
    return Put(std::move(v)) != nullptr;
  }
  bool binary(json::binary_t&) { return false; }  // not produced by JSON text
  bool start_object(size_t) { return Open(JsonValue::Type::kObject); }
  bool key(json::string_t& k) {
    open_.back()->members.emplace_back(std::move(k), JsonValue{});
    return true;
  }
  bool end_object() { return Close(); }
  bool start_array(size_t) { return Open(JsonValue::Type::kArray); }
  bool end_array() { return Close(); }
  bool parse_error(size_t position, const std::string&, const nlohmann::detail::exception& e) {
    // e.what() is "[json.exception.parse_error.101] parse error at line L,
    // column C: reason"; the bracketed id means nothing to a reader.
    std::string what = e.what();
    size_t id_end = what.find("] ");
    if (id_end != std::string::npos) what.erase(0, id_end + 2);
    error_ = what + " (byte " + std::to_string(position) + ")";
    return false;
  }

 private:
  bool Number(std::string text) {
    JsonValue v;
    v.type = JsonValue::Type::kNumber;
    v.text = std::move(text);
    return Put(std::move(v)) != nullptr;
  }
  // Places `v` where the document has reached: the root, the next array
  // item or the value of the member whose key() came last.
  JsonValue* Put(JsonValue v) {
    if (open_.empty()) {
      *root_ = std::move(v);
      return root_;
    }
    JsonValue* parent = open_.back();
    if (parent->type == JsonValue::Type::kArray) {
      parent->items.push_back(std::move(v));
      return &parent->items.back();
    }
    parent->members.back().second = std::move(v);
    return &parent->members.back().second;
  }
  // Pointers on open_ stay valid: only the innermost container grows, and
  // its earlier children are complete, so none of them is on open_.
  bool Open(JsonValue::Type type) {
    if (open_.size() >= kMaxDepth) {
      error_ = "nesting deeper than " + std::to_string(kMaxDepth) + " levels";
      return false;
    }
    JsonValue v;
    v.type = type;
    open_.push_back(Put(std::move(v)));
    return true;
  }
  bool Close() {
    open_.pop_back();
    return true;
  }

  JsonValue* root_;
  std::vector<JsonValue*> open_;
  std::string error_;
};

}  // namespace

Result<JsonValue> ParseJson(std::string_view text) {
  JsonValue root;
  TreeBuilder builder(&root);
  if (!nlohmann::json::sax_parse(text.begin(), text.end(), &builder)) {
    return Status::InvalidInput("JSON: " + builder.error());
  }
  return root;
}

}  // namespace plantrace
