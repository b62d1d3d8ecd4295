// Format sniffing and dispatch to the reader for each format.
#include <algorithm>
#include <string>

#include "extractors/readers.h"
#include "pipeline/base/json_reader.h"

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
// where binary data has them too.
bool LooksLikeUtf16(std::string_view b) {
  size_t nuls[2] = {0, 0};
  const size_t n = std::min<size_t>(b.size(), 512) & ~size_t{1};
  if (n < 16) return false;
  for (size_t i = 0; i < n; ++i) nuls[i % 2] += b[i] == '\0';
  const size_t half = n / 2;
  return (nuls[0] * 2 >= half && nuls[1] * 20 <= half) || (nuls[1] * 2 >= half && nuls[0] * 20 <= half);
}

// What bytes no reader takes are, when their first bytes tell: the user
// can then convert the file instead of wondering why text is "binary".
std::string WhatTheyAre(std::string_view b) {
  if (b.starts_with(std::string_view("\xFF\xFE\0\0", 4)) || b.starts_with(std::string_view("\0\0\xFE\xFF", 4))) {
    return "UTF-32 text; plantrace reads UTF-8 (save the file as UTF-8)";
  }
  if (b.starts_with("\xFF\xFE") || b.starts_with("\xFE\xFF") || LooksLikeUtf16(b)) {
    return "UTF-16 text; plantrace reads UTF-8 (save the file as UTF-8)";
  }
  if (b.starts_with("\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1")) {
    return "an OLE2 compound file (a Word 97-2003 .doc, or a password-protected DOCX); save it as DOCX without "
           "a password";
  }
  return "not a document plantrace can read (binary or structured data such as JSON, not a plan)";
}

}  // namespace

std::string WhyUnreadable(std::string_view b) { return SniffFormat(b) == Format::kUnknown ? WhatTheyAre(b) : ""; }

Result<Layout> ReadDocument(std::string_view bytes, const std::string& source, const ReadLimits& limits,
                            Diagnostics* diag, const RuleSet* rules) {
  if (bytes.empty()) return Status::InvalidInput(source + ": empty file");
  if (bytes.size() > limits.max_bytes) {
    return Status::InvalidInput(source + ": file of " + std::to_string(bytes.size()) +
                                " bytes is over the limit of " + std::to_string(limits.max_bytes));
  }
  switch (SniffFormat(bytes)) {
    case Format::kPdf: return ReadPdf(bytes, source, limits, diag);
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
