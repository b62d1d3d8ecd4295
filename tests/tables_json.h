// A tiny JSON reader for tests that compare against the gold files (no JSON
// library is installed). Parses the whole RFC 8259 grammar; numbers kept as
// double; \u escapes (with surrogate pairs) decoded to UTF-8.
#ifndef PLANTRACE_TESTS_TABLES_JSON_H_
#define PLANTRACE_TESTS_TABLES_JSON_H_

#include <cstdlib>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace plantrace::testing {

struct Json {
  enum class Kind { kNull, kBool, kNumber, kString, kArray, kObject };
  Kind kind = Kind::kNull;
  bool boolean = false;
  double number = 0;
  std::string str;
  std::vector<Json> items;                          // kArray
  std::vector<std::pair<std::string, Json>> members;  // kObject, in file order

  bool is_null() const { return kind == Kind::kNull; }
  // Member `key` of an object, or nullptr.
  const Json* Get(std::string_view key) const {
    for (const auto& [k, v] : members) {
      if (k == key) return &v;
    }
    return nullptr;
  }
  // String member, or std::nullopt when absent, null or not a string.
  std::optional<std::string> GetString(std::string_view key) const {
    const Json* v = Get(key);
    if (!v || v->kind != Kind::kString) return std::nullopt;
    return v->str;
  }
};

class JsonParser {
 public:
  explicit JsonParser(std::string_view s) : s_(s) {}

  std::optional<Json> Parse() {
    Json v;
    if (!Value(&v)) return std::nullopt;
    Space();
    if (p_ != s_.size()) return std::nullopt;
    return v;
  }

 private:
  void Space() {
    while (p_ < s_.size() && (s_[p_] == ' ' || s_[p_] == '\n' || s_[p_] == '\r' || s_[p_] == '\t')) ++p_;
  }
  bool Lit(std::string_view w) {
    if (s_.substr(p_, w.size()) != w) return false;
    p_ += w.size();
    return true;
  }
  static void PutUtf8(unsigned cp, std::string* out) {
    if (cp < 0x80) {
      out->push_back(static_cast<char>(cp));
    } else if (cp < 0x800) {
      out->push_back(static_cast<char>(0xC0 | (cp >> 6)));
      out->push_back(static_cast<char>(0x80 | (cp & 0x3F)));
    } else if (cp < 0x10000) {
      out->push_back(static_cast<char>(0xE0 | (cp >> 12)));
      out->push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
      out->push_back(static_cast<char>(0x80 | (cp & 0x3F)));
    } else {
      out->push_back(static_cast<char>(0xF0 | (cp >> 18)));
      out->push_back(static_cast<char>(0x80 | ((cp >> 12) & 0x3F)));
      out->push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
      out->push_back(static_cast<char>(0x80 | (cp & 0x3F)));
    }
  }
  bool Hex4(unsigned* out) {
    if (p_ + 4 > s_.size()) return false;
    unsigned v = 0;
    for (int i = 0; i < 4; ++i) {
      char c = s_[p_++];
      v <<= 4;
      if (c >= '0' && c <= '9') v |= c - '0';
      else if (c >= 'a' && c <= 'f') v |= c - 'a' + 10;
      else if (c >= 'A' && c <= 'F') v |= c - 'A' + 10;
      else return false;
    }
    *out = v;
    return true;
  }
  bool String(std::string* out) {
    if (p_ >= s_.size() || s_[p_] != '"') return false;
    ++p_;
    while (p_ < s_.size()) {
      char c = s_[p_++];
      if (c == '"') return true;
      if (c != '\\') {
        out->push_back(c);
        continue;
      }
      if (p_ >= s_.size()) return false;
      char e = s_[p_++];
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
          unsigned cp;
          if (!Hex4(&cp)) return false;
          if (cp >= 0xD800 && cp < 0xDC00 && Lit("\\u")) {
            unsigned lo;
            if (!Hex4(&lo)) return false;
            cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
          }
          PutUtf8(cp, out);
          break;
        }
        default:
          return false;
      }
    }
    return false;
  }
  bool Value(Json* v) {
    if (++depth_ > 200) return false;
    Space();
    if (p_ >= s_.size()) return false;
    char c = s_[p_];
    bool ok = false;
    if (c == '{') {
      v->kind = Json::Kind::kObject;
      ++p_;
      Space();
      if (p_ < s_.size() && s_[p_] == '}') {
        ++p_;
        ok = true;
      } else {
        while (true) {
          Space();
          std::string key;
          if (!String(&key)) break;
          Space();
          if (!Lit(":")) break;
          Json item;
          if (!Value(&item)) break;
          v->members.emplace_back(std::move(key), std::move(item));
          Space();
          if (Lit(",")) continue;
          ok = Lit("}");
          break;
        }
      }
    } else if (c == '[') {
      v->kind = Json::Kind::kArray;
      ++p_;
      Space();
      if (p_ < s_.size() && s_[p_] == ']') {
        ++p_;
        ok = true;
      } else {
        while (true) {
          Json item;
          if (!Value(&item)) break;
          v->items.push_back(std::move(item));
          Space();
          if (Lit(",")) continue;
          ok = Lit("]");
          break;
        }
      }
    } else if (c == '"') {
      v->kind = Json::Kind::kString;
      ok = String(&v->str);
    } else if (Lit("null")) {
      ok = true;
    } else if (Lit("true") || Lit("false")) {
      v->kind = Json::Kind::kBool;
      v->boolean = s_[p_ - 1] == 'e' && s_[p_ - 2] == 'u';
      ok = true;
    } else {
      size_t b = p_;
      while (p_ < s_.size() && std::string_view("+-0123456789.eE").find(s_[p_]) != std::string_view::npos) ++p_;
      if (p_ > b) {
        v->kind = Json::Kind::kNumber;
        v->number = std::strtod(std::string(s_.substr(b, p_ - b)).c_str(), nullptr);
        ok = true;
      }
    }
    --depth_;
    return ok;
  }

  std::string_view s_;
  size_t p_ = 0;
  int depth_ = 0;
};

inline std::optional<Json> ParseJson(std::string_view s) { return JsonParser(s).Parse(); }

}  // namespace plantrace::testing

#endif  // PLANTRACE_TESTS_TABLES_JSON_H_
