// Recursive-descent JSON parser with a depth limit.
#include "pipeline/json_reader.h"

#include <cstdint>

#include "pipeline/unicode.h"

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

class Parser {
 public:
  explicit Parser(std::string_view s) : s_(s) {}

  Status Parse(JsonValue* out) {
    PLANTRACE_RETURN_IF_ERROR(Value(out, 0));
    Space();
    if (i_ != s_.size()) return Error("trailing characters");
    return Status::Ok();
  }

 private:
  Status Error(const std::string& what) {
    return Status::InvalidInput("JSON: " + what + " at byte " + std::to_string(i_));
  }
  void Space() {
    while (i_ < s_.size() && (s_[i_] == ' ' || s_[i_] == '\n' || s_[i_] == '\r' || s_[i_] == '\t')) ++i_;
  }
  bool Literal(std::string_view w) {
    if (s_.substr(i_, w.size()) != w) return false;
    i_ += w.size();
    return true;
  }
  bool Hex4(uint32_t* v) {
    if (i_ + 4 > s_.size()) return false;
    *v = 0;
    for (int k = 0; k < 4; ++k) {
      char c = s_[i_++];
      *v <<= 4;
      if (c >= '0' && c <= '9') *v |= c - '0';
      else if (c >= 'a' && c <= 'f') *v |= c - 'a' + 10;
      else if (c >= 'A' && c <= 'F') *v |= c - 'A' + 10;
      else return false;
    }
    return true;
  }
  Status String(std::string* out) {
    ++i_;  // opening quote
    while (i_ < s_.size()) {
      char c = s_[i_++];
      if (c == '"') return Status::Ok();
      if (c != '\\') {
        out->push_back(c);
        continue;
      }
      if (i_ >= s_.size()) break;
      char e = s_[i_++];
      switch (e) {
        case '"': out->push_back('"'); break;
        case '\\': out->push_back('\\'); break;
        case '/': out->push_back('/'); break;
        case 'b': out->push_back('\b'); break;
        case 'f': out->push_back('\f'); break;
        case 'n': out->push_back('\n'); break;
        case 'r': out->push_back('\r'); break;
        case 't': out->push_back('\t'); break;
        case 'u': {
          uint32_t c1;
          if (!Hex4(&c1)) return Error("bad \\u escape");
          if (c1 >= 0xD800 && c1 < 0xDC00 && s_.substr(i_, 2) == "\\u") {
            i_ += 2;
            uint32_t c2;
            if (!Hex4(&c2)) return Error("bad \\u escape");
            c1 = 0x10000 + ((c1 - 0xD800) << 10) + (c2 - 0xDC00);
          }
          AppendUtf8(out, c1);
          break;
        }
        default: return Error("bad escape");
      }
    }
    return Error("unterminated string");
  }
  Status Value(JsonValue* v, int depth) {
    if (depth > 200) return Error("nesting too deep");
    Space();
    if (i_ >= s_.size()) return Error("unexpected end");
    char c = s_[i_];
    if (c == '{') {
      v->type = JsonValue::Type::kObject;
      ++i_;
      Space();
      if (i_ < s_.size() && s_[i_] == '}') {
        ++i_;
        return Status::Ok();
      }
      while (true) {
        Space();
        if (i_ >= s_.size() || s_[i_] != '"') return Error("expected key");
        std::string key;
        PLANTRACE_RETURN_IF_ERROR(String(&key));
        Space();
        if (i_ >= s_.size() || s_[i_] != ':') return Error("expected ':'");
        ++i_;
        JsonValue member;
        PLANTRACE_RETURN_IF_ERROR(Value(&member, depth + 1));
        v->members.emplace_back(std::move(key), std::move(member));
        Space();
        if (i_ < s_.size() && s_[i_] == ',') {
          ++i_;
          continue;
        }
        if (i_ < s_.size() && s_[i_] == '}') {
          ++i_;
          return Status::Ok();
        }
        return Error("expected ',' or '}'");
      }
    }
    if (c == '[') {
      v->type = JsonValue::Type::kArray;
      ++i_;
      Space();
      if (i_ < s_.size() && s_[i_] == ']') {
        ++i_;
        return Status::Ok();
      }
      while (true) {
        JsonValue item;
        PLANTRACE_RETURN_IF_ERROR(Value(&item, depth + 1));
        v->items.push_back(std::move(item));
        Space();
        if (i_ < s_.size() && s_[i_] == ',') {
          ++i_;
          continue;
        }
        if (i_ < s_.size() && s_[i_] == ']') {
          ++i_;
          return Status::Ok();
        }
        return Error("expected ',' or ']'");
      }
    }
    if (c == '"') {
      v->type = JsonValue::Type::kString;
      return String(&v->text);
    }
    if (Literal("null")) return Status::Ok();
    if (Literal("true")) {
      v->type = JsonValue::Type::kBool;
      v->boolean = true;
      return Status::Ok();
    }
    if (Literal("false")) {
      v->type = JsonValue::Type::kBool;
      return Status::Ok();
    }
    size_t b = i_;
    while (i_ < s_.size() && (std::string_view("+-.eE0123456789").find(s_[i_]) != std::string_view::npos)) ++i_;
    if (i_ == b) return Error("unexpected character");
    v->type = JsonValue::Type::kNumber;
    v->text = std::string(s_.substr(b, i_ - b));
    return Status::Ok();
  }

  std::string_view s_;
  size_t i_ = 0;
};

}  // namespace

Result<JsonValue> ParseJson(std::string_view text) {
  JsonValue v;
  Parser p(text);
  Status st = p.Parse(&v);
  if (!st.ok()) return st;
  return v;
}

}  // namespace plantrace
