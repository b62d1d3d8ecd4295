// Format sniffing and dispatch to the reader for each format.
#include <algorithm>
#include <string>

#include "extractors/readers.h"
#include "pipeline/base/json_reader.h"
#include "pipeline/base/unicode.h"

namespace plantrace {

Format SniffFormat(std::string_view b) {
  auto starts = [&](std::string_view p) { return b.substr(0, p.size()) == p; };
  std::string_view head = b.substr(0, 1024);
  if (starts("%PDF-") || head.find("%PDF-") != std::string_view::npos) return Format::kPdf;
  if (starts("PK\x03\x04")) return Format::kDocx;  // checked further by the DOCX reader
  size_t i = 0;
  if (starts("\xEF\xBB\xBF")) i = 3;
  while (i < head.size() && (head[i] == ' ' || head[i] == '\n' || head[i] == '\r' || head[i] == '\t')) ++i;
  std::string lower;
  for (size_t k = i; k < head.size() && lower.size() < 512; ++k) {
    char c = head[k];
    lower.push_back(c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c);
  }
  if (lower.starts_with("<!doctype html") || lower.starts_with("<html") ||
      (lower.starts_with("<") && (lower.find("<html") != std::string::npos ||
                                  lower.find("<body") != std::string::npos ||
                                  lower.find("<meta") != std::string::npos ||
                                  lower.find("<div") != std::string::npos ||
                                  lower.find("<table") != std::string::npos ||
                                  lower.find("<p") != std::string::npos))) {
    return Format::kHtml;
  }
  // Structured data (a JSON object or array, such as a gold file or an
  // export) is not a document, whatever text its strings hold.
  if ((lower.starts_with("{") || lower.starts_with("[")) && ParseJson(b.substr(i)).ok()) return Format::kUnknown;
  // Binary data: NUL bytes or many control characters mean no text format.
  size_t ctrl = 0;
  std::string_view probe = b.substr(0, 8192);
  for (unsigned char c : probe) {
    if (c == 0) return Format::kUnknown;
    if (c < 0x20 && c != '\n' && c != '\r' && c != '\t' && c != '\f') ++ctrl;
  }
  if (!probe.empty() && ctrl * 20 > probe.size()) return Format::kUnknown;
  return Format::kText;  // Markdown is told apart by LooksLikeMarkdown
}

namespace {

// UTF-16 text without a byte-order mark: in the first few hundred bytes,
// many NULs at the positions of the high bytes (every Latin letter, space
// and digit has one; Vietnamese letters do not) and hardly any at the others,
// where binary data has them too. Gives the byte order, or nullptr.
const char* BomlessUtf16(std::string_view b) {
  size_t nuls[2] = {0, 0};
  const size_t n = std::min<size_t>(b.size(), 512) & ~size_t{1};
  if (n < 16) return nullptr;
  for (size_t i = 0; i < n; ++i) nuls[i % 2] += b[i] == '\0';
  const size_t half = n / 2;
  if (nuls[1] * 2 >= half && nuls[0] * 20 <= half) return "UTF-16LE";
  if (nuls[0] * 2 >= half && nuls[1] * 20 <= half) return "UTF-16BE";
  return nullptr;
}

bool IsUtf32(std::string_view b) {
  return b.starts_with(std::string_view("\xFF\xFE\0\0", 4)) || b.starts_with(std::string_view("\0\0\xFE\xFF", 4));
}

// The charset of UTF-16 text ("UTF-16LE" or "UTF-16BE"), or nullptr. Without
// a byte-order mark, only bytes no reader takes are taken for UTF-16.
const char* Utf16Charset(std::string_view b) {
  if (IsUtf32(b)) return nullptr;
  if (b.starts_with("\xFF\xFE")) return "UTF-16LE";
  if (b.starts_with("\xFE\xFF")) return "UTF-16BE";
  const char* charset = BomlessUtf16(b);
  return charset != nullptr && SniffFormat(b) == Format::kUnknown ? charset : nullptr;
}

// UTF-16 text as UTF-8, its byte-order mark kept as UTF-8's (the readers
// skip it as they do in a UTF-8 file): "" for other bytes.
std::string Utf16ToUtf8(std::string_view b, size_t* substituted) {
  *substituted = 0;
  const char* charset = Utf16Charset(b);
  if (charset == nullptr) return "";
  return DecodeToUtf8(b, charset, substituted).value_or("");
}

// What bytes no reader takes are, when their first bytes tell: the user
// can then convert the file instead of wondering why text is "binary".
std::string WhatTheyAre(std::string_view b) {
  if (IsUtf32(b)) return "UTF-32 text; plantrace reads UTF-8 (save the file as UTF-8)";
  if (b.starts_with("\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1")) {
    return "an OLE2 compound file (a Word 97-2003 .doc, or a password-protected DOCX); save it as DOCX without "
           "a password";
  }
  return "not a document plantrace can read (binary or structured data such as JSON, not a plan)";
}

}  // namespace

std::string WhyUnreadable(std::string_view b) {
  size_t substituted = 0;
  const std::string utf8 = Utf16ToUtf8(b, &substituted);
  if (!utf8.empty()) b = utf8;
  return SniffFormat(b) == Format::kUnknown ? WhatTheyAre(b) : "";
}

Result<Layout> ReadDocument(std::string_view bytes, const std::string& source, const ReadLimits& limits,
                            Diagnostics* diag, const RuleSet* rules) {
  if (bytes.empty()) return Status::InvalidInput(source + ": empty file");
  if (bytes.size() > limits.max_bytes) {
    return Status::InvalidInput(source + ": file of " + std::to_string(bytes.size()) +
                                " bytes is over the limit of " + std::to_string(limits.max_bytes));
  }
  // UTF-16 text (Notepad's "Unicode") is read as the UTF-8 it decodes to;
  // decoded once, so that text which looks like UTF-16 again is not.
  size_t substituted = 0;
  const std::string utf8 = Utf16ToUtf8(bytes, &substituted);
  if (!utf8.empty()) {
    bytes = utf8;
    if (diag != nullptr) {
      diag->Info("read.utf16", source + ": UTF-16 text, read as UTF-8");
      if (substituted > 0) {
        diag->Warn("read.utf16_invalid", source + ": " + std::to_string(substituted) +
                                             " invalid UTF-16 code unit(s) (unpaired surrogates) read as U+FFFD");
      }
    }
  }
  switch (SniffFormat(bytes)) {
    case Format::kPdf: return ReadPdf(bytes, source, limits, diag, rules);
    case Format::kDocx: return ReadDocx(bytes, source, limits, diag);
    case Format::kHtml: return ReadHtml(bytes, source, limits, diag);
    case Format::kText:
    case Format::kMarkdown:
      if (LooksLikeMarkdown(bytes)) return ReadMarkdown(bytes, source, rules, diag);
      return ReadText(bytes, source, diag);
    case Format::kUnknown: break;
  }
  return Status::InvalidInput(source + ": " + WhatTheyAre(bytes));
}

}  // namespace plantrace
