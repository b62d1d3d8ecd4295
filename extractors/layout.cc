// Small helpers over the Layout model.
#include "extractors/layout.h"

namespace plantrace {

const char* FormatName(Format f) {
  switch (f) {
    case Format::kText: return "text";
    case Format::kMarkdown: return "markdown";
    case Format::kPdf: return "pdf";
    case Format::kHtml: return "html";
    case Format::kDocx: return "docx";
    case Format::kUnknown: break;
  }
  return "unknown";
}

std::string Cell::Text(const char* sep) const {
  std::string out;
  for (size_t i = 0; i < lines.size(); ++i) {
    if (i) out += sep;
    out += lines[i].text;
    if (lines[i].joins_next) out += '~';
  }
  return out;
}

}  // namespace plantrace
