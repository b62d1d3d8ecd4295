// Aligned plain-text tables for command output (see terminal_table.h). The width
// table is a small subset of Unicode's East Asian Width and combining-mark
// data, enough for Vietnamese text and the occasional CJK name or emoji.
#include "pipeline/base/terminal_table.h"

#include <algorithm>
#include <cstdint>
#include <iterator>

namespace plantrace {
namespace {

constexpr uint32_t kInvalid = 0xFFFFFFFF;

// Decodes the code point at s[i]; sets *len to its byte length. An invalid
// or truncated sequence gives kInvalid with *len = 1.
uint32_t Decode(std::string_view s, size_t i, size_t* len) {
  const auto b = [&](size_t k) { return static_cast<unsigned char>(s[k]); };
  const unsigned char c = b(i);
  *len = 1;
  if (c < 0x80) return c;
  size_t n;
  uint32_t cp, min;
  if (c >= 0xC2 && c <= 0xDF) {
    n = 2, cp = c & 0x1F, min = 0x80;
  } else if (c >= 0xE0 && c <= 0xEF) {
    n = 3, cp = c & 0x0F, min = 0x800;
  } else if (c >= 0xF0 && c <= 0xF4) {
    n = 4, cp = c & 0x07, min = 0x10000;
  } else {
    return kInvalid;
  }
  if (i + n > s.size()) return kInvalid;
  for (size_t k = 1; k < n; ++k) {
    if ((b(i + k) & 0xC0) != 0x80) return kInvalid;
    cp = (cp << 6) | (b(i + k) & 0x3F);
  }
  if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return kInvalid;
  *len = n;
  return cp;
}

struct Range {
  uint32_t lo, hi;
};

bool InRanges(uint32_t cp, const Range* ranges, size_t n) {
  for (size_t i = 0; i < n; ++i) {
    if (cp >= ranges[i].lo && cp <= ranges[i].hi) return true;
  }
  return false;
}

// Combining marks and zero-width format characters.
constexpr Range kZeroWidth[] = {
    {0x0300, 0x036F}, {0x0483, 0x0489}, {0x0591, 0x05BD}, {0x0610, 0x061A},
    {0x064B, 0x065F}, {0x0E31, 0x0E31}, {0x0E34, 0x0E3A}, {0x0E47, 0x0E4E},
    {0x1AB0, 0x1AFF}, {0x1DC0, 0x1DFF}, {0x200B, 0x200F}, {0x202A, 0x202E},
    {0x2060, 0x2064}, {0x20D0, 0x20FF}, {0xFE00, 0xFE0F}, {0xFE20, 0xFE2F},
    {0xFEFF, 0xFEFF}, {0xE0100, 0xE01EF},
};

constexpr Range kWide[] = {
    {0x1100, 0x115F},   {0x2E80, 0x303E},   {0x3041, 0x33FF},   {0x3400, 0x4DBF},
    {0x4E00, 0x9FFF},   {0xA000, 0xA4CF},   {0xAC00, 0xD7A3},   {0xF900, 0xFAFF},
    {0xFE30, 0xFE4F},   {0xFF00, 0xFF60},   {0xFFE0, 0xFFE6},   {0x1F300, 0x1F64F},
    {0x1F900, 0x1F9FF}, {0x20000, 0x2FFFD}, {0x30000, 0x3FFFD},
};

size_t CodePointWidth(uint32_t cp) {
  if (cp == kInvalid) return 1;
  if (cp < 0x20 || (cp >= 0x7F && cp < 0xA0)) return 0;
  if (InRanges(cp, kZeroWidth, std::size(kZeroWidth))) return 0;
  if (InRanges(cp, kWide, std::size(kWide))) return 2;
  return 1;
}

bool IsSpaceOrControl(uint32_t cp) {
  return cp <= 0x20 || (cp >= 0x7F && cp < 0xA0) || cp == 0x2028 || cp == 0x2029;
}

constexpr std::string_view kEllipsis = "…";

void Pad(std::string* out, size_t n) { out->append(n, ' '); }

}  // namespace

size_t DisplayWidth(std::string_view s) {
  size_t width = 0;
  for (size_t i = 0, len = 0; i < s.size(); i += len) width += CodePointWidth(Decode(s, i, &len));
  return width;
}

std::string TruncateToWidth(std::string_view s, size_t max_width) {
  if (DisplayWidth(s) <= max_width) return std::string(s);
  if (max_width == 0) return "";
  // Keep whole characters (with their marks) that fit in max_width - 1, then
  // the ellipsis.
  const size_t budget = max_width - 1;
  size_t width = 0, keep = 0;
  for (size_t i = 0, len = 0; i < s.size(); i += len) {
    const size_t w = CodePointWidth(Decode(s, i, &len));
    if (w > 0 && width + w > budget) break;
    width += w;
    keep = i + len;
  }
  std::string out(s.substr(0, keep));
  while (!out.empty() && out.back() == ' ') out.pop_back();
  out += kEllipsis;
  return out;
}

std::string CellText(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  bool space = false;
  for (size_t i = 0, len = 0; i < s.size(); i += len) {
    const uint32_t cp = Decode(s, i, &len);
    if (cp != kInvalid && IsSpaceOrControl(cp)) {
      space = !out.empty();
      continue;
    }
    if (space) out += ' ';
    space = false;
    out.append(s.substr(i, len));
  }
  return out;
}

std::string RenderTerminalTable(const std::vector<TerminalColumn>& columns,
                            const std::vector<std::vector<std::string>>& rows) {
  const size_t n = columns.size();
  if (n == 0) return "";
  auto fit = [&](std::string_view text, size_t col) {
    std::string t = CellText(text);
    return columns[col].max_width > 0 ? TruncateToWidth(t, columns[col].max_width) : t;
  };
  std::vector<std::vector<std::string>> cells;
  cells.reserve(rows.size() + 1);
  cells.emplace_back();
  for (size_t c = 0; c < n; ++c) cells.back().push_back(fit(columns[c].header, c));
  for (const auto& row : rows) {
    cells.emplace_back();
    for (size_t c = 0; c < n; ++c) cells.back().push_back(c < row.size() ? fit(row[c], c) : "");
  }
  std::vector<size_t> widths(n, 0);
  for (const auto& row : cells) {
    for (size_t c = 0; c < n; ++c) widths[c] = std::max(widths[c], DisplayWidth(row[c]));
  }
  std::vector<std::string> rule(n);
  for (size_t c = 0; c < n; ++c) rule[c].assign(std::max<size_t>(widths[c], 1), '-');
  cells.insert(cells.begin() + 1, rule);
  for (size_t c = 0; c < n; ++c) widths[c] = std::max<size_t>(widths[c], 1);

  std::string out;
  for (const auto& row : cells) {
    std::string line;
    for (size_t c = 0; c < n; ++c) {
      if (c > 0) line += "  ";
      const size_t gap = widths[c] - DisplayWidth(row[c]);
      if (columns[c].align_right) Pad(&line, gap);
      line += row[c];
      if (!columns[c].align_right) Pad(&line, gap);
    }
    while (!line.empty() && line.back() == ' ') line.pop_back();
    out += line;
    out += '\n';
  }
  return out;
}

}  // namespace plantrace
