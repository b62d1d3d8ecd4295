// JSON and CSV encoders for command output (see json_writer.h).
#include "pipeline/base/json_writer.h"

#include <cstdio>

namespace plantrace {
namespace {

// Length of the valid UTF-8 sequence starting at s[i], or 0 if invalid
// (overlong forms, surrogates and code points above U+10FFFF are invalid).
size_t Utf8SequenceLength(std::string_view s, size_t i) {
  unsigned char c = static_cast<unsigned char>(s[i]);
  if (c < 0x80) return 1;
  size_t n;
  uint32_t cp;
  if ((c & 0xE0) == 0xC0) {
    n = 2;
    cp = c & 0x1F;
  } else if ((c & 0xF0) == 0xE0) {
    n = 3;
    cp = c & 0x0F;
  } else if ((c & 0xF8) == 0xF0) {
    n = 4;
    cp = c & 0x07;
  } else {
    return 0;
  }
  if (i + n > s.size()) return 0;
  for (size_t k = 1; k < n; ++k) {
    unsigned char cc = static_cast<unsigned char>(s[i + k]);
    if ((cc & 0xC0) != 0x80) return 0;
    cp = (cp << 6) | (cc & 0x3F);
  }
  static constexpr uint32_t kMin[] = {0, 0, 0x80, 0x800, 0x10000};
  if (cp < kMin[n] || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return 0;
  return n;
}

}  // namespace

void AppendJsonQuoted(std::string* out, std::string_view s) {
  out->reserve(out->size() + s.size() + 2);
  *out += '"';
  size_t run = 0;  // start of the pending run of characters copied as they are
  for (size_t i = 0; i < s.size();) {
    unsigned char c = static_cast<unsigned char>(s[i]);
    if (c >= 0x20 && c < 0x80 && c != '"' && c != '\\') {
      ++i;
      continue;
    }
    size_t n = c >= 0x80 ? Utf8SequenceLength(s, i) : 0;
    if (n > 0) {
      i += n;
      continue;
    }
    out->append(s.substr(run, i - run));
    switch (c) {
      case '"': *out += "\\\""; break;
      case '\\': *out += "\\\\"; break;
      case '\b': *out += "\\b"; break;
      case '\f': *out += "\\f"; break;
      case '\n': *out += "\\n"; break;
      case '\r': *out += "\\r"; break;
      case '\t': *out += "\\t"; break;
      default:
        if (c < 0x20) {
          char buf[8];
          std::snprintf(buf, sizeof buf, "\\u%04x", c);
          *out += buf;
        } else {
          *out += "\xEF\xBF\xBD";  // U+FFFD for a byte that starts no valid sequence
        }
    }
    run = ++i;
  }
  out->append(s.substr(run));
  *out += '"';
}

std::string JsonQuote(std::string_view s) {
  std::string out;
  AppendJsonQuoted(&out, s);
  return out;
}

void JsonWriter::NewLine(size_t depth) {
  if (indent_ <= 0) return;
  out_ += '\n';
  out_.append(depth * static_cast<size_t>(indent_), ' ');
}

void JsonWriter::BeforeValue() {
  if (after_key_) {
    after_key_ = false;
    return;
  }
  if (stack_.empty()) return;
  Frame& f = stack_.back();
  if (f.count++ > 0) out_ += ',';
  NewLine(stack_.size());
}

void JsonWriter::Open(char c, bool object) {
  BeforeValue();
  out_ += c;
  stack_.push_back(Frame{object, 0});
}

void JsonWriter::Close(char c) {
  if (stack_.empty()) return;
  bool had_members = stack_.back().count > 0;
  stack_.pop_back();
  if (had_members) NewLine(stack_.size());
  out_ += c;
}

JsonWriter& JsonWriter::BeginObject() {
  Open('{', true);
  return *this;
}
JsonWriter& JsonWriter::EndObject() {
  Close('}');
  return *this;
}
JsonWriter& JsonWriter::BeginArray() {
  Open('[', false);
  return *this;
}
JsonWriter& JsonWriter::EndArray() {
  Close(']');
  return *this;
}

JsonWriter& JsonWriter::Key(std::string_view key) {
  BeforeValue();
  AppendJsonQuoted(&out_, key);
  out_ += indent_ > 0 ? ": " : ":";
  after_key_ = true;
  return *this;
}

JsonWriter& JsonWriter::String(std::string_view s) {
  BeforeValue();
  AppendJsonQuoted(&out_, s);
  return *this;
}

JsonWriter& JsonWriter::Int(int64_t v) {
  BeforeValue();
  out_ += std::to_string(v);
  return *this;
}

JsonWriter& JsonWriter::Bool(bool v) {
  BeforeValue();
  out_ += v ? "true" : "false";
  return *this;
}

JsonWriter& JsonWriter::Null() {
  BeforeValue();
  out_ += "null";
  return *this;
}

JsonWriter& JsonWriter::OptString(const std::optional<std::string>& s) {
  return s ? String(*s) : Null();
}

JsonWriter& JsonWriter::OptInt(const std::optional<int64_t>& v) { return v ? Int(*v) : Null(); }

JsonWriter& JsonWriter::Strings(const std::vector<std::string>& items) {
  BeginArray();
  for (const std::string& s : items) String(s);
  return EndArray();
}

void JsonWriter::Flush(std::FILE* out) {
  std::fwrite(out_.data(), 1, out_.size(), out);
  out_.clear();
}

JsonWriter& JsonWriter::Raw(std::string_view json) {
  BeforeValue();
  out_.append(json);
  return *this;
}

std::string CsvField(std::string_view s) {
  bool quote = !s.empty() && (s.front() == ' ' || s.back() == ' ');
  for (char c : s) {
    if (c == '"' || c == ',' || c == '\r' || c == '\n') {
      quote = true;
      break;
    }
  }
  if (!quote) return std::string(s);
  std::string out = "\"";
  for (char c : s) {
    if (c == '"') out += '"';
    out += c;
  }
  out += '"';
  return out;
}

std::string CsvRow(const std::vector<std::string>& fields) {
  std::string out;
  for (size_t i = 0; i < fields.size(); ++i) {
    if (i) out += ',';
    out += CsvField(fields[i]);
  }
  out += "\r\n";
  return out;
}

}  // namespace plantrace
