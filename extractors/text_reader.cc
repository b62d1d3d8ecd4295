// Text and Markdown reader: bytes -> Layout. Validates UTF-8, drops a BOM
// and CR, removes Markdown marks (headings, emphasis, <sup> footnote marks,
// autolinks) from the text while remembering heading level and boldness.
// A blank line ends a block; joining wrapped lines is normalize's job.
#include <string>
#include <vector>

#include "extractors/readers.h"
#include "pipeline/base/unicode.h"

namespace plantrace {
namespace {

bool LooksLikeMarkdown(const std::vector<std::string>& lines) {
  int marks = 0;
  for (const std::string& l : lines) {
    if (l.starts_with("#") || l.starts_with("**") || l.find("**") != std::string::npos ||
        l.find("<sup>") != std::string::npos || l.starts_with("-----")) {
      ++marks;
    }
  }
  return marks >= 3;
}

void EraseAll(std::string* s, std::string_view what) {
  for (size_t p; (p = s->find(what)) != std::string::npos;) s->erase(p, what.size());
}

// Removes "<tag>...</tag>" including the content (footnote marks).
void EraseElement(std::string* s, std::string_view open, std::string_view close) {
  for (size_t p; (p = s->find(open)) != std::string::npos;) {
    size_t q = s->find(close, p);
    if (q == std::string::npos) break;
    s->erase(p, q + close.size() - p);
  }
}

std::string StripMarkdown(std::string s, int* heading, bool* bold) {
  size_t h = 0;
  while (h < s.size() && s[h] == '#') ++h;
  if (h > 0 && h <= 6 && (h == s.size() || s[h] == ' ')) {
    *heading = static_cast<int>(h);
    s.erase(0, h);
  }
  // trailing hard break "  " and a trailing backslash break
  while (!s.empty() && (s.back() == ' ' || s.back() == '\\')) s.pop_back();
  size_t b = s.find_first_not_of(' ');
  std::string core = b == std::string::npos ? "" : s.substr(b);
  if (core.starts_with("**") && core.size() > 4 && core.ends_with("**")) *bold = true;
  EraseElement(&s, "<sup>", "</sup>");
  EraseElement(&s, "^{", "}");
  EraseAll(&s, "**");
  EraseAll(&s, "__");
  // Single '*' emphasis; a lone '*' between spaces is kept (it is rare and may be meant).
  std::string out;
  out.reserve(s.size());
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '*') {
      bool prev_space = i == 0 || s[i - 1] == ' ';
      bool next_space = i + 1 >= s.size() || s[i + 1] == ' ';
      if (!(prev_space && next_space)) continue;
    }
    if (s[i] == '\\' && i + 1 < s.size() && std::string_view("-*_#.()[]").find(s[i + 1]) != std::string_view::npos) {
      continue;  // Markdown escape
    }
    out.push_back(s[i]);
  }
  // Autolinks "<https://...>" keep their address.
  for (size_t p; (p = out.find("<http")) != std::string::npos;) {
    size_t q = out.find('>', p);
    if (q == std::string::npos) break;
    out.erase(q, 1);
    out.erase(p, 1);
  }
  return out;
}

}  // namespace

Result<Layout> ReadText(std::string_view bytes, const std::string& source, Diagnostics*) {
  if (bytes.empty()) return Status::InvalidInput(source + ": empty file");
  if (bytes.starts_with("\xEF\xBB\xBF")) bytes.remove_prefix(3);
  if (size_t bad = FindInvalidUtf8(bytes); bad != std::string_view::npos) {
    return Status::InvalidInput(source + ": invalid UTF-8 at byte offset " + std::to_string(bad));
  }
  std::vector<std::string> raw;
  size_t start = 0;
  while (start <= bytes.size()) {
    size_t nl = bytes.find('\n', start);
    std::string_view l = bytes.substr(start, nl == std::string_view::npos ? std::string_view::npos : nl - start);
    std::string line(l);
    if (!line.empty() && line.back() == '\r') line.pop_back();
    raw.push_back(std::move(line));
    if (nl == std::string_view::npos) break;
    start = nl + 1;
  }
  Layout layout;
  layout.source = source;
  layout.format = LooksLikeMarkdown(raw) ? Format::kMarkdown : Format::kText;
  bool markdown = layout.format == Format::kMarkdown;
  Block block;
  auto flush = [&] {
    if (!block.lines.empty()) layout.blocks.push_back(std::move(block));
    block = Block{};
  };
  bool any_text = false;
  for (size_t i = 0; i < raw.size(); ++i) {
    std::string text = raw[i];
    for (char& c : text) {
      if (c == '\t' || c == '\f' || c == '\v') c = ' ';
    }
    Line line;
    line.page = 1;
    line.line = static_cast<int>(i + 1);
    if (markdown) text = StripMarkdown(text, &line.heading_level, &line.bold);
    size_t b = text.find_first_not_of(' ');
    if (b == std::string::npos) {
      flush();
      continue;
    }
    size_t e = text.find_last_not_of(' ');
    line.text = text.substr(b, e - b + 1);
    any_text = true;
    block.lines.push_back(std::move(line));
  }
  flush();
  if (!any_text) return Status::InvalidInput(source + ": no text (file is blank)");
  return layout;
}

}  // namespace plantrace
