// Markdown reader: bytes -> Layout through cmark-gfm (CommonMark with the GFM
// table extension). The only file that includes cmark. Emphasis becomes the
// line's bold flag and never reaches the text; pipe tables become Tables; the
// flattened form a web-to-text export gives HTML tables (each cell on its own
// lines, lines holding only "|" between cells, a row ended by two of them,
// cells merged across rows left out of the rows below) is rebuilt into a
// Table with row spans. Lines keep their line number in the file.
#include <cmark-gfm-core-extensions.h>
#include <cmark-gfm-extension_api.h>
#include <cmark-gfm.h>

#include <algorithm>
#include <memory>
#include <string>
#include <vector>

#include "extractors/flat_tables.h"
#include "extractors/markup_util.h"
#include "extractors/readers.h"
#include "pipeline/base/unicode.h"

namespace plantrace {
namespace {

bool IsBlank(std::string_view s) { return s.find_first_not_of(" \t\r\f\v") == std::string_view::npos; }

std::string_view Trim(std::string_view s) {
  size_t b = s.find_first_not_of(" \t\r");
  if (b == std::string_view::npos) return {};
  size_t e = s.find_last_not_of(" \t\r");
  return s.substr(b, e - b + 1);
}

bool AllOf(std::string_view s, char c) { return !s.empty() && s.find_first_not_of(c) == std::string_view::npos; }

bool IsAlnumByte(unsigned char c) {
  return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c >= 0x80;
}

// Walks cmark's tree and emits MarkupItems: one kLine per printed source line
// (soft breaks end a line, as the file shows it), kTable for pipe tables. A line holding only emphasis marks ("** **") is
// kept with empty text so a flattened table's empty cell is not lost.
class Walker {
 public:
  Walker(const std::vector<std::string_view>& raw, std::vector<MarkupItem>* out) : raw_(raw), out_(out) {}

  void Block(cmark_node* n) {
    std::string_view type = cmark_node_get_type_string(n);
    switch (cmark_node_get_type(n)) {
      case CMARK_NODE_PARAGRAPH:
        line_no_ = cmark_node_get_start_line(n);
        Inlines(n, false);
        EndLine();
        return;
      case CMARK_NODE_HEADING: {
        line_no_ = cmark_node_get_start_line(n);
        bool atx = Trim(Raw(line_no_)).starts_with("#");
        heading_ = atx ? cmark_node_get_heading_level(n) : 0;
        Inlines(n, false);
        EndLine();
        heading_ = 0;
        if (!atx) {
          // Setext underline (the line after the text): kept as printed, as
          // the text reader keeps rules; a lone "-" is often a bullet.
          int under = line_no_ + 1;
          std::string_view u = Trim(Raw(under));
          if (AllOf(u, '-') || AllOf(u, '=')) EmitRaw(u, under);
        }
        return;
      }
      case CMARK_NODE_THEMATIC_BREAK: {
        // "-----" under a header is kept as printed (the text reader keeps
        // it); "** **" is an empty bold run, an empty cell in a flat table.
        int l = cmark_node_get_start_line(n);
        std::string_view r = Trim(Raw(l));
        if (r.find('*') == std::string_view::npos) {
          EmitRaw(r, l);
        } else {
          Line empty;
          empty.line = l;
          Push(std::move(empty));
        }
        return;
      }
      case CMARK_NODE_CODE_BLOCK:
      case CMARK_NODE_HTML_BLOCK: {
        // Indented text the export did not mean as code: its lines as text.
        const char* lit = cmark_node_get_literal(n);
        std::string_view text = lit ? lit : "";
        int l = cmark_node_get_start_line(n);
        // cmark_node_get_fenced writes through all three pointers (null ones
        // crashed on every code block: a fuzz finding).
        int fence_length = 0, fence_offset = 0;
        char fence_char = 0;
        if (cmark_node_get_type(n) == CMARK_NODE_CODE_BLOCK &&
            cmark_node_get_fenced(n, &fence_length, &fence_offset, &fence_char)) {
          ++l;
        }
        size_t start = 0;
        while (start < text.size()) {
          size_t nl = text.find('\n', start);
          if (nl == std::string_view::npos) nl = text.size();
          EmitRaw(StripMarks(text.substr(start, nl - start)), l++);
          start = nl + 1;
        }
        return;
      }
      case CMARK_NODE_ITEM: {
        int l = cmark_node_get_start_line(n);
        std::string_view raw = Raw(l);
        size_t col = static_cast<size_t>(std::max(1, cmark_node_get_start_column(n)) - 1);
        cmark_node* first = cmark_node_first_child(n);
        size_t end = raw.size();
        if (first && cmark_node_get_start_line(first) == l) {
          end = std::min(end, static_cast<size_t>(std::max(1, cmark_node_get_start_column(first)) - 1));
        }
        prefix_ = col < end ? std::string(Trim(raw.substr(col, end - col))) : "";
        for (cmark_node* c = first; c; c = cmark_node_next(c)) Block(c);
        if (!prefix_.empty()) EmitRaw(prefix_, l);  // an item with no text: the marker alone
        prefix_.clear();
        return;
      }
      default:
        break;
    }
    if (type == "table") {
      Table(n);
      return;
    }
    for (cmark_node* c = cmark_node_first_child(n); c; c = cmark_node_next(c)) Block(c);
  }

 private:
  std::string_view Raw(int line) const {
    return line >= 1 && static_cast<size_t>(line) <= raw_.size() ? raw_[line - 1] : std::string_view();
  }

  // Emphasis marks and escapes left in literal text (code and HTML blocks).
  static std::string StripMarks(std::string_view s) {
    std::string out(s);
    for (size_t p; (p = out.find("**")) != std::string::npos;) out.erase(p, 2);
    return out;
  }

  void Table(cmark_node* n) {
    MarkupItem item;
    item.kind = MarkupItem::Kind::kTable;
    for (cmark_node* r = cmark_node_first_child(n); r; r = cmark_node_next(r)) {
      Row row;
      row.header = cmark_gfm_extensions_get_table_row_is_header(r) != 0;
      for (cmark_node* c = cmark_node_first_child(r); c; c = cmark_node_next(c)) {
        Cell cell;
        cell.header = row.header;
        cell_ = &cell.lines;
        line_no_ = cmark_node_get_start_line(c);
        Inlines(c, false);
        EndLine();
        cell_ = nullptr;
        std::erase_if(cell.lines, [](const Line& l) { return l.text.empty(); });
        row.cells.push_back(std::move(cell));
      }
      item.table.rows.push_back(std::move(row));
    }
    out_->push_back(std::move(item));
  }

  void Inlines(cmark_node* n, bool bold) {
    for (cmark_node* c = cmark_node_first_child(n); c; c = cmark_node_next(c)) {
      switch (cmark_node_get_type(c)) {
        case CMARK_NODE_TEXT:
        case CMARK_NODE_CODE: {
          const char* lit = cmark_node_get_literal(c);
          std::string_view t = lit ? lit : "";
          if (cmark_node_get_type(c) == CMARK_NODE_TEXT) {
            Append(StripStrayMarks(t), bold);
          } else {
            Append(t, bold);
          }
          break;
        }
        case CMARK_NODE_SOFTBREAK:
          EndLine();
          ++line_no_;
          break;
        case CMARK_NODE_LINEBREAK:
          EndLine();
          ++line_no_;
          break;
        case CMARK_NODE_HTML_INLINE: {
          const char* lit = cmark_node_get_literal(c);
          std::string tag;
          for (const char* p = lit; p && *p && tag.size() < 8; ++p) {
            tag.push_back(*p >= 'A' && *p <= 'Z' ? static_cast<char>(*p - 'A' + 'a') : *p);
          }
          if (tag.starts_with("<br")) EndLine();
          if (tag.starts_with("<sup")) in_sup_ = true;  // footnote marks are not text
          if (tag.starts_with("</sup")) in_sup_ = false;
          break;
        }
        case CMARK_NODE_STRONG:
          Inlines(c, true);
          break;
        default:  // emphasis, links, images, strikethrough: their text
          Inlines(c, bold);
          break;
      }
    }
  }

  // Emphasis marks cmark left as text because the export misplaced them
  // ("**03/7 cơ sở **theo", "** **"): runs of two or more '*' or '_', and a
  // lone '*' against a letter or at the edge of the text. A lone '*' between
  // spaces or punctuation ("(*)") is kept.
  static std::string StripStrayMarks(std::string_view t) {
    std::string out;
    out.reserve(t.size());
    for (size_t i = 0; i < t.size();) {
      char c = t[i];
      if (c != '*' && c != '_') {
        out.push_back(c);
        ++i;
        continue;
      }
      size_t j = i;
      while (j < t.size() && t[j] == c) ++j;
      // A lone '*' stays only inside the text with no letter beside it.
      bool inside = i > 0 && j < t.size() && !IsAlnumByte(static_cast<unsigned char>(t[i - 1])) &&
                    !IsAlnumByte(static_cast<unsigned char>(t[j]));
      bool keep = (j - i == 1) && (c == '_' || inside);
      if (keep) out.append(t.substr(i, j - i));
      i = j;
    }
    return out;
  }

  void Append(std::string_view t, bool bold) {
    if (in_sup_) return;
    if (!prefix_.empty()) {
      builder_.Append(prefix_, false);
      builder_.Append(" ", false);
      prefix_.clear();
    }
    builder_.Append(t, bold);
  }

  void EndLine() {
    if (builder_.blank()) {
      builder_.Clear();
      // "** **": an empty table cell printed with marks only.
      if (!IsBlank(Raw(line_no_)) && Trim(Raw(line_no_)).find_first_not_of("*_ ") == std::string_view::npos) {
        Line l;
        l.line = line_no_;
        Push(std::move(l));
      }
      return;
    }
    Line l = builder_.Take(heading_, false);
    l.line = line_no_;
    Push(std::move(l));
  }

  void EmitRaw(std::string_view text, int line) {
    LineBuilder b;
    b.Append(text, false);
    if (b.blank()) return;
    Line l = b.Take(0, false);
    l.line = line;
    Push(std::move(l));
  }

  void Push(Line l) {
    l.page = 1;
    if (cell_) {
      cell_->push_back(std::move(l));
      return;
    }
    MarkupItem item;
    item.kind = MarkupItem::Kind::kLine;
    item.line = std::move(l);
    out_->push_back(std::move(item));
  }

  const std::vector<std::string_view>& raw_;
  std::vector<MarkupItem>* out_;
  LineBuilder builder_;
  int line_no_ = 1;
  int heading_ = 0;
  bool in_sup_ = false;
  std::string prefix_;                   // list marker waiting for the item's first text
  std::vector<Line>* cell_ = nullptr;  // set while reading a pipe-table cell
};

}  // namespace

bool LooksLikeMarkdown(std::string_view bytes) {
  if (bytes.starts_with("\xEF\xBB\xBF")) bytes.remove_prefix(3);  // or the first line's mark goes unseen
  int marks = 0;
  size_t start = 0;
  while (start < bytes.size() && marks < 3) {
    size_t nl = bytes.find('\n', start);
    std::string_view l = bytes.substr(start, nl == std::string_view::npos ? std::string_view::npos : nl - start);
    if (l.starts_with("#") || l.find("**") != std::string_view::npos || l.find("<sup>") != std::string_view::npos ||
        l.starts_with("-----")) {
      ++marks;
    }
    if (nl == std::string_view::npos) break;
    start = nl + 1;
  }
  return marks >= 3;
}

Result<Layout> ReadMarkdown(std::string_view bytes, const std::string& source, const RuleSet* rules,
                            Diagnostics* diag) {
  if (bytes.empty()) return Status::InvalidInput(source + ": empty file");
  if (bytes.starts_with("\xEF\xBB\xBF")) bytes.remove_prefix(3);
  if (size_t bad = FindInvalidUtf8(bytes); bad != std::string_view::npos) {
    return Status::InvalidInput(source + ": invalid UTF-8 at byte offset " + std::to_string(bad));
  }
  // The file's lines as cmark numbers them: a line ends at "\n", "\r\n" or a
  // lone "\r" (split at "\n" only, a lone CR shifted every later line number,
  // and the Walker then cut list markers out of the wrong line, inside a
  // UTF-8 sequence: a fuzz finding).
  std::vector<std::string_view> raw;
  for (size_t start = 0; start <= bytes.size();) {
    size_t end = bytes.find_first_of("\r\n", start);
    raw.push_back(bytes.substr(start, end == std::string_view::npos ? std::string_view::npos : end - start));
    if (end == std::string_view::npos) break;
    start = end + (bytes.substr(end, 2) == "\r\n" ? 2 : 1);
  }

  cmark_gfm_core_extensions_ensure_registered();
  std::unique_ptr<cmark_parser, void (*)(cmark_parser*)> parser(cmark_parser_new(CMARK_OPT_DEFAULT),
                                                                cmark_parser_free);
  if (!parser) return Status::Internal(source + ": cannot start the Markdown parser");
  if (cmark_syntax_extension* table = cmark_find_syntax_extension("table")) {
    cmark_parser_attach_syntax_extension(parser.get(), table);
  }
  cmark_parser_feed(parser.get(), bytes.data(), bytes.size());
  std::unique_ptr<cmark_node, void (*)(cmark_node*)> doc(cmark_parser_finish(parser.get()), cmark_node_free);
  if (!doc) return Status::Internal(source + ": the Markdown parser gave no document");

  std::vector<MarkupItem> items;
  Walker(raw, &items).Block(doc.get());
  std::vector<bool> blank_before(raw.size() + 2, false);
  for (size_t i = 1; i < raw.size(); ++i) blank_before[i + 1] = IsBlank(raw[i - 1]);
  RebuildFlatTables(&items, blank_before, rules, diag);

  Layout layout;
  layout.source = source;
  layout.format = Format::kMarkdown;
  Block block;
  auto flush = [&] {
    if (!block.lines.empty()) layout.blocks.push_back(std::move(block));
    block = Block{};
  };
  bool any_text = false;
  for (MarkupItem& it : items) {
    switch (it.kind) {
      case MarkupItem::Kind::kLine:
        if (it.line.text.empty()) break;
        // A block is what the file separates by blank lines (segment reads a
        // Markdown paragraph as one block), not cmark's block.
        if (it.line.line > 0 && static_cast<size_t>(it.line.line) < blank_before.size() &&
            blank_before[it.line.line]) {
          flush();
        }
        any_text = true;
        block.lines.push_back(std::move(it.line));
        break;
      case MarkupItem::Kind::kBreak:  // a cell edge of a layout table
        flush();
        break;
      case MarkupItem::Kind::kTable: {
        flush();
        Block t;
        t.kind = Block::Kind::kTable;
        t.table = std::move(it.table);
        any_text = any_text || !t.table.rows.empty();
        layout.blocks.push_back(std::move(t));
        break;
      }
    }
  }
  flush();
  if (!any_text) return Status::InvalidInput(source + ": no text (file is blank)");
  return layout;
}

}  // namespace plantrace
