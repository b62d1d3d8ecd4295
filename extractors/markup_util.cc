// Shared by the HTML and DOCX readers: line building, layout-table test,
// repeated-copy removal and Layout assembly. No third-party library here.
#include "extractors/markup_util.h"

#include <functional>
#include <unordered_map>
#include <utility>

namespace plantrace {
namespace {

bool IsAsciiSpace(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v'; }

// Letters and digits: ASCII alphanumerics and every non-ASCII lead byte
// (Vietnamese letters are all outside ASCII or plain Latin).
bool IsWordByte(unsigned char c) {
  return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= 0xC0);
}

std::string FoldKey(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (char c : s) out.push_back(c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c);
  return out;
}

std::string ItemKey(const MarkupItem& item) {
  if (item.kind == MarkupItem::Kind::kLine) return FoldKey(item.line.text);
  std::string key = "\x1eT";
  for (const Row& r : item.table.rows) {
    key += "\x1e";
    for (const Cell& c : r.cells) {
      key += FoldKey(c.Text(" "));
      key += "\x1f";
    }
  }
  return key;
}

}  // namespace

void LineBuilder::Append(std::string_view text, bool bold, bool link) {
  for (size_t i = 0; i < text.size(); ++i) {
    unsigned char c = static_cast<unsigned char>(text[i]);
    bool space = IsAsciiSpace(static_cast<char>(c));
    size_t len = 1;
    if (c == 0xC2 && i + 1 < text.size() && static_cast<unsigned char>(text[i + 1]) == 0xA0) {
      space = true;  // U+00A0 no-break space
      len = 2;
    }
    if (space) {
      if (chars_ > 0) pending_space_ = true;
      i += len - 1;
      continue;
    }
    if (pending_space_) {
      text_.push_back(' ');
      pending_space_ = false;
    }
    text_.push_back(static_cast<char>(c));
    if ((c & 0xC0) == 0x80) continue;  // continuation byte: counted with its lead
    ++chars_;
    if (IsWordByte(c)) {
      ++alnum_;
      if (bold) ++bold_alnum_;
      if (link) ++link_alnum_;
    }
  }
}

Line LineBuilder::Take(int heading_level, bool centered) {
  Line line;
  line.text = std::move(text_);
  line.bold = alnum_ > 0 && bold_alnum_ == alnum_;
  line.heading_level = heading_level;
  line.centered = centered;
  Clear();
  return line;
}

bool IsRowNumber(std::string_view t) {
  if (t.empty() || t.size() > 8) return false;
  if (t.back() == '.' || t.back() == ')') t.remove_suffix(1);
  if (t.empty()) return false;
  bool digits = true, roman = true;
  for (char c : t) {
    if (!((c >= '0' && c <= '9') || c == '.')) digits = false;
    if (std::string_view("IVXLC").find(c) == std::string_view::npos) roman = false;
  }
  if (digits && t.front() != '.') return true;
  if (roman) return true;
  return t.size() == 1 && t[0] >= 'a' && t[0] <= 'z';
}

std::string RomanNumeral(int v, bool upper) {
  static const std::pair<int, const char*> kParts[] = {{1000, "m"}, {900, "cm"}, {500, "d"}, {400, "cd"},
                                                       {100, "c"},  {90, "xc"},  {50, "l"},  {40, "xl"},
                                                       {10, "x"},   {9, "ix"},   {5, "v"},   {4, "iv"},
                                                       {1, "i"}};
  std::string out;
  for (const auto& [n, s] : kParts) {
    while (v >= n && out.size() < 20) {
      out += s;
      v -= n;
    }
  }
  if (upper) {
    for (char& c : out) c = static_cast<char>(c - 'a' + 'A');
  }
  return out;
}

bool IsLayoutTable(const TableShape& s) {
  if (s.nested_table) return true;        // data grids do not hold tables; frames do
  if (s.rows <= 1 && s.max_cols <= 1) return true;  // a boxed paragraph
  if (s.header_row || s.bordered || s.numbered_rows) return false;
  return s.rows <= 3 && s.max_cols <= 3;
}

void MarkBoldHeaderRow(Table* table) {
  if (table->rows.size() < 2 || table->rows[0].header) return;
  auto all_bold = [](const Row& r) {
    bool any = false;
    for (const Cell& c : r.cells) {
      for (const Line& l : c.lines) {
        if (!l.bold) return false;
        any = true;
      }
    }
    return any;
  };
  if (!all_bold(table->rows[0])) return;
  bool plain_below = false;  // group rows under the titles may be bold too
  for (size_t i = 1; i < table->rows.size() && i < 4; ++i) plain_below = plain_below || !all_bold(table->rows[i]);
  if (!plain_below) return;
  table->rows[0].header = true;
  for (Cell& c : table->rows[0].cells) c.header = true;
}

void DropRepeatedRuns(std::vector<MarkupItem>* items, Diagnostics* diag) {
  std::vector<size_t> pos;  // indices of lines and tables in *items
  for (size_t i = 0; i < items->size(); ++i) {
    if ((*items)[i].kind != MarkupItem::Kind::kBreak) pos.push_back(i);
  }
  const size_t n = pos.size();
  std::vector<std::string> keys(n);
  std::vector<size_t> hashes(n);
  for (size_t k = 0; k < n; ++k) {
    keys[k] = ItemKey((*items)[pos[k]]);
    hashes[k] = std::hash<std::string>()(keys[k]);
  }
  auto same = [&](size_t a, size_t b) { return hashes[a] == hashes[b] && keys[a] == keys[b]; };
  // Earlier occurrences per key; a few suffice, and the cap keeps this linear.
  constexpr size_t kMaxCandidates = 8;
  std::unordered_map<size_t, std::vector<size_t>> seen;
  std::vector<bool> dropped(n, false);
  auto qualifies = [&](size_t start, size_t len) {
    size_t lines = 0, chars = 0;
    for (size_t k = start; k < start + len; ++k) {
      const MarkupItem& it = (*items)[pos[k]];
      if (it.kind == MarkupItem::Kind::kTable && it.table.rows.size() >= 3) return true;
      if (it.kind == MarkupItem::Kind::kLine) {
        ++lines;
        chars += it.line.text.size();
      }
    }
    return lines >= 4 && chars >= 120;
  };
  size_t i = 0;
  while (i < n) {
    size_t best_len = 0, best_j = 0;
    auto it = seen.find(hashes[i]);
    if (it != seen.end()) {
      for (size_t j : it->second) {
        size_t len = 0;
        while (i + len < n && j + len < i && !dropped[j + len] && same(j + len, i + len)) ++len;
        if (len > best_len) {
          best_len = len;
          best_j = j;
        }
      }
    }
    if (best_len > 0 && qualifies(i, best_len)) {
      for (size_t k = i; k < i + best_len; ++k) dropped[k] = true;
      if (diag != nullptr) {
        diag->Info("markup.repeat_dropped", "dropped " + std::to_string(best_len) +
                                                " lines/tables repeating the run at item " +
                                                std::to_string(best_j + 1));
      }
      i += best_len;
      continue;
    }
    std::vector<size_t>& c = seen[hashes[i]];
    if (c.size() < kMaxCandidates) c.push_back(i);
    ++i;
  }
  std::vector<MarkupItem> kept;
  kept.reserve(items->size());
  size_t k = 0;
  for (size_t idx = 0; idx < items->size(); ++idx) {
    if (k < n && pos[k] == idx) {
      if (!dropped[k]) kept.push_back(std::move((*items)[idx]));
      ++k;
    } else {
      kept.push_back(std::move((*items)[idx]));
    }
  }
  *items = std::move(kept);
}

Layout AssembleLayout(std::vector<MarkupItem> items, const std::string& source, Format format) {
  Layout layout;
  layout.source = source;
  layout.format = format;
  int next_line = 0;
  Block block;
  auto flush = [&] {
    if (!block.lines.empty()) layout.blocks.push_back(std::move(block));
    block = Block{};
  };
  for (MarkupItem& item : items) {
    switch (item.kind) {
      case MarkupItem::Kind::kBreak:
        flush();
        break;
      case MarkupItem::Kind::kLine:
        item.line.page = 1;
        item.line.line = ++next_line;
        block.lines.push_back(std::move(item.line));
        break;
      case MarkupItem::Kind::kTable: {
        flush();
        Block t;
        t.kind = Block::Kind::kTable;
        t.table = std::move(item.table);
        for (Row& r : t.table.rows) {
          r.page = 1;
          for (Cell& c : r.cells) {
            for (Line& l : c.lines) {
              l.page = 1;
              l.line = ++next_line;
            }
          }
        }
        if (!t.table.rows.empty()) layout.blocks.push_back(std::move(t));
        break;
      }
    }
  }
  flush();
  return layout;
}

void MarkupSink::EndLine() {
  if (line_.blank() || (drop_link_lines_ && cell_lines_ == nullptr && line_.all_link())) {
    line_.Clear();
    return;
  }
  Line l = line_.Take(heading_, centered_);
  if (cell_lines_ != nullptr) {
    cell_lines_->push_back(std::move(l));
    return;
  }
  MarkupItem item;
  item.kind = MarkupItem::Kind::kLine;
  item.line = std::move(l);
  items_.push_back(std::move(item));
}

void MarkupSink::Break() {
  if (cell_lines_ == nullptr) items_.push_back(MarkupItem{});
}

}  // namespace plantrace
