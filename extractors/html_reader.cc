// HTML reader: bytes -> Layout. Decides the charset, parses with libxml2
// (through xml_dom), drops site chrome, finds the main content, and turns
// paragraphs into lines and <table> grids into Tables (layout tables become
// text). A second copy of the document on the same page is dropped.
#include <algorithm>
#include <cctype>
#include <optional>
#include <string>
#include <vector>

#include "extractors/markup_util.h"
#include "extractors/readers.h"
#include "extractors/xml_dom.h"
#include "pipeline/base/unicode.h"

namespace plantrace {
namespace {

using NodeId = Dom::NodeId;

std::string AsciiLower(std::string_view s) {
  std::string out(s);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

std::string WithoutSpaces(std::string_view s) {
  std::string out;
  for (char c : AsciiLower(s)) {
    if (c != ' ' && c != '\t' && c != '\n' && c != '\r') out.push_back(c);
  }
  return out;
}

// The charset named by <meta charset=...> or http-equiv content="...; charset=...".
std::string DeclaredCharset(std::string_view bytes) {
  std::string head = AsciiLower(bytes.substr(0, 4096));
  for (size_t p = head.find("charset"); p != std::string::npos; p = head.find("charset", p + 1)) {
    size_t q = p + 7;
    while (q < head.size() && head[q] == ' ') ++q;
    if (q >= head.size() || head[q] != '=') continue;  // the word, not the attribute
    ++q;
    while (q < head.size() && (head[q] == ' ' || head[q] == '"' || head[q] == '\'')) ++q;
    size_t e = q;
    while (e < head.size() && (std::isalnum(static_cast<unsigned char>(head[e])) || head[e] == '-' ||
                               head[e] == '_' || head[e] == ':' || head[e] == '.')) {
      ++e;
    }
    if (e > q) return head.substr(q, e - q);
  }
  return "";
}

// The charset a browser reads under a declared label where it is not the
// label's own (the WHATWG Encoding Standard): Latin-1 pages are
// windows-1252, and a <meta> readable as ASCII cannot be UTF-16.
std::string WebCharset(const std::string& declared) {
  if (declared == "iso-8859-1" || declared == "iso8859-1" || declared == "iso_8859-1" || declared == "latin1" ||
      declared == "l1") {
    return "windows-1252";
  }
  if (declared.starts_with("utf-16")) return "utf-8";
  return declared;
}

// Returns the charset of `bytes` ("UTF-8" or a name ICU knows) and strips a
// BOM.
std::string DecideCharset(std::string_view* bytes, const std::string& source, Diagnostics* diag) {
  if (bytes->starts_with("\xEF\xBB\xBF")) {
    bytes->remove_prefix(3);
    // The mark is no promise: bytes that are not UTF-8 after it went through
    // libxml2 as they were, into text (a fuzz finding).
    if (FindInvalidUtf8(*bytes) == std::string_view::npos) return "UTF-8";
    if (diag != nullptr) {
      diag->Warn("html.charset_mismatch",
                 source + ": begins with a UTF-8 byte-order mark but is not valid UTF-8; read as windows-1258");
    }
    return "windows-1258";
  }
  if (bytes->starts_with("\xFF\xFE")) {
    bytes->remove_prefix(2);
    return "UTF-16LE";
  }
  if (bytes->starts_with("\xFE\xFF")) {
    bytes->remove_prefix(2);
    return "UTF-16BE";
  }
  std::string declared = WebCharset(DeclaredCharset(*bytes));
  bool valid_utf8 = FindInvalidUtf8(*bytes) == std::string_view::npos;
  if (declared == "utf8" || declared == "utf-8" || declared == "unicode") {
    if (valid_utf8) return "UTF-8";
    if (diag != nullptr) {
      diag->Warn("html.charset_mismatch", source + ": declares UTF-8 but is not valid UTF-8; read as windows-1258");
    }
    return "windows-1258";
  }
  if (!declared.empty() && declared != "us-ascii" && declared != "ascii") {
    if (IsKnownCharset(declared)) return declared;
    if (diag != nullptr) diag->Warn("html.charset_unknown", source + ": unknown charset '" + declared + "'; sniffed");
  }
  if (valid_utf8) return "UTF-8";
  if (diag != nullptr)
    diag->Info("html.charset_sniffed", source + ": no charset declared and not UTF-8; read as windows-1258");
  return "windows-1258";
}

bool IsOneOf(std::string_view name, std::initializer_list<std::string_view> names) {
  return std::find(names.begin(), names.end(), name) != names.end();
}

bool IsBlockElement(std::string_view n) {
  return IsOneOf(n, {"p", "div", "li", "ul", "ol", "dl", "dt", "dd", "h1", "h2", "h3", "h4", "h5", "h6",
                     "blockquote", "pre", "section", "article", "main", "address", "center", "tr", "td", "th",
                     "caption", "tbody", "thead", "tfoot", "figure", "figcaption", "fieldset", "body", "html",
                     "details", "summary", "hr"});
}

// Elements that never carry document text.
bool IsChromeElement(std::string_view n) {
  return IsOneOf(n, {"head", "title", "meta", "link", "script", "style", "noscript", "template", "nav", "aside",
                     "form", "menu", "iframe", "frame", "frameset", "object", "embed", "svg", "canvas", "button",
                     "select", "input", "textarea", "label", "video", "audio", "map"});
}

// class/id words that mark navigation, advertising, accounts and other site chrome.
bool IsChromeToken(std::string_view t) {
  if (t.starts_with("advert") || t.starts_with("adsby") || t.starts_with("banner")) return true;
  return IsOneOf(t, {"nav", "navbar", "navigation", "menu", "menubar", "mainmenu", "topmenu", "submenu", "megamenu",
                     "footer", "sidebar", "breadcrumb", "breadcrumbs", "ad", "ads", "login", "logout", "signin",
                     "signup", "register", "account", "social", "share", "sharing", "cookie", "cookies", "popup",
                     "modal", "toolbar", "topbar", "search", "searchbox", "related", "comment", "comments",
                     "widget", "copyright", "sponsor", "promo", "hotline", "weather"});
}

bool HasChromeClass(const Dom& dom, NodeId n) {
  for (std::string_view attr : {dom.Attr(n, "class"), dom.Attr(n, "id")}) {
    std::string a = AsciiLower(attr);
    size_t i = 0;
    while (i < a.size()) {
      while (i < a.size() && !std::isalnum(static_cast<unsigned char>(a[i]))) ++i;
      size_t j = i;
      while (j < a.size() && std::isalnum(static_cast<unsigned char>(a[j]))) ++j;
      if (j > i && IsChromeToken(std::string_view(a).substr(i, j - i))) return true;
      i = j;
    }
  }
  std::string role = AsciiLower(dom.Attr(n, "role"));
  return IsOneOf(role, {"navigation", "banner", "contentinfo", "search", "complementary", "menu", "menubar"});
}

bool IsHidden(const Dom& dom, NodeId n) {
  if (dom.HasAttr(n, "hidden") || dom.Attr(n, "aria-hidden") == "true") return true;
  std::string style = WithoutSpaces(dom.Attr(n, "style"));
  return style.find("display:none") != std::string::npos || style.find("visibility:hidden") != std::string::npos;
}

bool HasAncestor(const Dom& dom, NodeId n, std::initializer_list<std::string_view> names) {
  for (NodeId p = dom.Parent(n); p != Dom::kNone; p = dom.Parent(p)) {
    if (IsOneOf(dom.Name(p), names)) return true;
  }
  return false;
}

int IntAttr(const Dom& dom, NodeId n, std::string_view name, int lo, int hi) {
  std::string_view v = dom.Attr(n, name);
  int x = 0;
  bool any = false;
  for (char c : v) {
    if (c < '0' || c > '9') break;
    x = std::min(x * 10 + (c - '0'), hi);
    any = true;
  }
  return any ? std::clamp(x, lo, hi) : lo;
}

bool StyleBold(std::string_view style) {
  std::string s = WithoutSpaces(style);
  return s.find("font-weight:bold") != std::string::npos || s.find("font-weight:600") != std::string::npos ||
         s.find("font-weight:700") != std::string::npos || s.find("font-weight:800") != std::string::npos ||
         s.find("font-weight:900") != std::string::npos;
}

bool Centered(const Dom& dom, NodeId n) {
  if (dom.Is(n, "center") || AsciiLower(dom.Attr(n, "align")) == "center") return true;
  return WithoutSpaces(dom.Attr(n, "style")).find("text-align:center") != std::string::npos;
}

struct Ctx {
  bool bold = false;
  bool link = false;
  bool pre = false;
  bool centered = false;
  int heading = 0;
};

class HtmlWalker : public MarkupSink {
 public:
  // Outside data tables a line made only of links (a menu entry, "log in")
  // is site chrome.
  explicit HtmlWalker(const Dom& dom)
      : MarkupSink(/*drop_link_lines=*/true), dom_(dom), text_(dom.size(), 0), link_(dom.size(), 0),
        chrome_(dom.size(), 0) {}

  // Marks chrome and counts visible text (and link text) per subtree.
  void Measure(NodeId n) {
    if (dom_.IsText(n)) {
      for (char c : dom_.Text(n)) {
        if (c != ' ' && c != '\n' && c != '\t' && c != '\r') ++text_[n];
      }
      return;
    }
    std::string_view name = dom_.Name(n);
    if (n != dom_.root() && IsChrome(n)) {
      chrome_[n] = 1;
      return;
    }
    uint32_t text = 0, link = 0;
    for (NodeId c = dom_.FirstChild(n); c != Dom::kNone; c = dom_.NextSibling(c)) {
      Measure(c);
      if (chrome_[c]) continue;
      text += text_[c];
      link += dom_.IsText(c) ? 0 : link_[c];
    }
    if (name == "a" && dom_.HasAttr(n, "href")) link = text;
    text_[n] = text;
    link_[n] = link;
    // A list made of links is a menu.
    if (IsOneOf(name, {"ul", "ol", "dl"}) && text > 0 && link * 10 >= text * 6) {
      chrome_[n] = 1;
    }
  }

  // The element holding the document: from <body>, step into a child that
  // holds most of the text while what is left beside it is mostly links.
  NodeId MainContent() const {
    NodeId cur = dom_.Find(dom_.root(), "body");
    if (cur == Dom::kNone) cur = dom_.root();
    for (int guard = 0; guard < Dom::kMaxDepth; ++guard) {
      NodeId best = Dom::kNone;
      for (NodeId c = dom_.FirstChild(cur); c != Dom::kNone; c = dom_.NextSibling(c)) {
        if (dom_.IsText(c) || chrome_[c]) continue;
        if (best == Dom::kNone || text_[c] > text_[best]) best = c;
      }
      if (best == Dom::kNone || text_[best] == 0 || !CanDescend(best)) break;
      uint32_t rest = text_[cur] - text_[best];
      uint32_t rest_link = link_[cur] >= link_[best] ? link_[cur] - link_[best] : 0;
      if (rest != 0 && !(rest_link * 2 >= rest && text_[best] * 2 >= text_[cur])) break;
      cur = best;
    }
    return cur;
  }

  void Walk(NodeId n, Ctx ctx) {
    if (dom_.IsText(n)) {
      AppendText(dom_.Text(n), ctx);
      return;
    }
    if (chrome_[n]) return;
    std::string_view name = dom_.Name(n);
    if (name == "br") {
      EndLine();
      return;
    }
    if (name == "img") return;
    if (name == "table") {
      EndLine();
      WalkTable(n, ctx);
      return;
    }
    if (name == "b" || name == "strong" || StyleBold(dom_.Attr(n, "style"))) ctx.bold = true;
    if (name == "a" && dom_.HasAttr(n, "href")) ctx.link = true;
    if (name == "pre") ctx.pre = true;
    if (name.size() == 2 && name[0] == 'h' && name[1] >= '1' && name[1] <= '6') ctx.heading = name[1] - '0';
    bool block = IsBlockElement(name);
    if (block) {
      EndLine();
      ctx.centered = ctx.centered || Centered(dom_, n);
    }
    // The marker counts as bold so that it neither makes nor breaks a bold line.
    if (name == "li") AppendText(ListMarker(n), Ctx{true, false, false, ctx.centered, ctx.heading});
    for (NodeId c = dom_.FirstChild(n); c != Dom::kNone; c = dom_.NextSibling(c)) Walk(c, ctx);
    if (block) EndLine();
  }

  void Finish() { EndLine(); }

 private:
  bool IsChrome(NodeId n) const {
    std::string_view name = dom_.Name(n);
    if (IsChromeElement(name)) return true;
    if ((name == "header" || name == "footer") && !HasAncestor(dom_, n, {"article", "main"})) return true;
    return IsHidden(dom_, n) || HasChromeClass(dom_, n);
  }

  bool CanDescend(NodeId n) const {
    std::string_view name = dom_.Name(n);
    if (IsOneOf(name, {"div", "section", "article", "main", "center", "font", "span", "body", "html"})) return true;
    if (!IsOneOf(name, {"table", "tbody", "thead", "tfoot", "tr", "td", "th"})) return false;
    NodeId table = n;
    while (table != Dom::kNone && !dom_.Is(table, "table")) table = dom_.Parent(table);
    return table != Dom::kNone && IsLayoutTable(Shape(table));
  }

  std::string ListMarker(NodeId li) const {
    NodeId list = dom_.Parent(li);
    if (list == Dom::kNone || !dom_.Is(list, "ol")) return "- ";
    int index = IntAttr(dom_, list, "start", 1, 1 << 20);
    for (NodeId c = dom_.FirstChild(list); c != Dom::kNone && c != li; c = dom_.NextSibling(c)) {
      if (dom_.Is(c, "li")) ++index;
    }
    std::string_view type = dom_.Attr(list, "type");
    if (type == "a" || type == "A") {
      char base = type == "a" ? 'a' : 'A';
      return std::string(1, static_cast<char>(base + (index - 1) % 26)) + ". ";
    }
    if (type == "i" || type == "I") return RomanNumeral(index, type == "I") + ". ";
    return std::to_string(index) + ". ";
  }

  void AppendText(std::string_view text, const Ctx& ctx) {
    if (ctx.pre) {
      size_t start = 0;
      for (size_t nl; (nl = text.find('\n', start)) != std::string_view::npos; start = nl + 1) {
        AppendRun(text.substr(start, nl - start), ctx);
        EndLine();
      }
      text = text.substr(start);
    }
    AppendRun(text, ctx);
  }

  void AppendRun(std::string_view text, const Ctx& ctx) {
    if (line_.blank()) {
      heading_ = ctx.heading;
      centered_ = ctx.centered;
    }
    line_.Append(text, ctx.bold, ctx.link);
  }

  struct RowRef {
    NodeId tr;
    bool head;
  };

  std::vector<RowRef> Rows(NodeId table) const {
    std::vector<RowRef> rows;
    for (NodeId c = dom_.FirstChild(table); c != Dom::kNone; c = dom_.NextSibling(c)) {
      std::string_view name = dom_.Name(c);
      if (name == "tr") rows.push_back({c, false});
      if (name == "thead" || name == "tbody" || name == "tfoot") {
        for (NodeId r = dom_.FirstChild(c); r != Dom::kNone; r = dom_.NextSibling(r)) {
          if (dom_.Is(r, "tr")) rows.push_back({r, name == "thead"});
        }
      }
    }
    return rows;
  }

  std::vector<NodeId> Cells(NodeId tr) const {
    std::vector<NodeId> cells;
    for (NodeId c = dom_.FirstChild(tr); c != Dom::kNone; c = dom_.NextSibling(c)) {
      if ((dom_.Is(c, "td") || dom_.Is(c, "th")) && !chrome_[c]) cells.push_back(c);
    }
    return cells;
  }

  // Visible text of a subtree, spaces collapsed (used for row-number checks only).
  std::string PlainText(NodeId n) const {
    LineBuilder b;
    CollectText(n, &b);
    return b.Take(0, false).text;
  }
  void CollectText(NodeId n, LineBuilder* b) const {
    if (dom_.IsText(n)) {
      b->Append(dom_.Text(n), false);
      return;
    }
    if (chrome_[n]) return;
    for (NodeId c = dom_.FirstChild(n); c != Dom::kNone; c = dom_.NextSibling(c)) CollectText(c, b);
  }

  bool Bordered(NodeId n) const {
    std::string_view border = dom_.Attr(n, "border");
    if (!border.empty() && border != "0") return true;
    std::string style = WithoutSpaces(dom_.Attr(n, "style"));
    if (style.find("border") == std::string::npos) return false;
    for (std::string_view kind : {"solid", "double", "dotted", "dashed", "groove", "ridge", "inset", "outset"}) {
      if (style.find(kind) != std::string::npos) return true;
    }
    return false;
  }

  TableShape Shape(NodeId table) const {
    TableShape s;
    s.bordered = Bordered(table);
    int numbered = 0;
    for (const RowRef& r : Rows(table)) {
      std::vector<NodeId> cells = Cells(r.tr);
      if (cells.empty()) continue;
      ++s.rows;
      int cols = 0;
      for (NodeId c : cells) {
        cols += IntAttr(dom_, c, "colspan", 1, 1000);
        if (dom_.Is(c, "th") || r.head) s.header_row = true;
        if (!s.nested_table && dom_.Find(c, "table") != Dom::kNone) s.nested_table = true;
        if (s.rows == 1 && Bordered(c)) s.bordered = true;
      }
      s.max_cols = std::max(s.max_cols, cols);
      if (s.rows <= 4 && cells.size() > 1 && IsRowNumber(PlainText(cells[0]))) ++numbered;
    }
    s.numbered_rows = numbered >= 2;
    return s;
  }

  void WalkTable(NodeId table, Ctx ctx) {
    ctx.heading = 0;
    if (NodeId cap = dom_.Child(table, "caption"); cap != Dom::kNone) {
      Walk(cap, ctx);
      EndLine();
    }
    // Text misplaced inside the table but outside any cell goes before the
    // table, as browsers show it.
    auto stray_in_row = [&](NodeId tr) {
      for (NodeId k = dom_.FirstChild(tr); k != Dom::kNone; k = dom_.NextSibling(k)) {
        if (!dom_.Is(k, "td") && !dom_.Is(k, "th")) Walk(k, ctx);
      }
    };
    for (NodeId c = dom_.FirstChild(table); c != Dom::kNone; c = dom_.NextSibling(c)) {
      std::string_view name = dom_.Name(c);
      if (IsOneOf(name, {"tbody", "thead", "tfoot"})) {
        for (NodeId k = dom_.FirstChild(c); k != Dom::kNone; k = dom_.NextSibling(k)) {
          if (dom_.Is(k, "tr")) {
            stray_in_row(k);
          } else {
            Walk(k, ctx);
          }
        }
      } else if (name == "tr") {
        stray_in_row(c);
      } else if (!IsOneOf(name, {"caption", "colgroup", "col"})) {
        Walk(c, ctx);
      }
    }
    EndLine();
    std::vector<RowRef> rows = Rows(table);
    if (cell_lines_ != nullptr) {  // a table inside a data cell: its cells become the cell's lines
      for (const RowRef& r : rows) {
        for (NodeId c : Cells(r.tr)) {
          Walk(c, ctx);
          EndLine();
        }
      }
      return;
    }
    if (IsLayoutTable(Shape(table))) {
      for (const RowRef& r : rows) {
        for (NodeId c : Cells(r.tr)) {
          Break();
          Walk(c, ctx);
          EndLine();
          Break();
        }
      }
      return;
    }
    MarkupItem item;
    item.kind = MarkupItem::Kind::kTable;
    Table& t = item.table;
    for (const RowRef& r : rows) {
      std::vector<NodeId> cells = Cells(r.tr);
      if (cells.empty()) continue;
      Row row;
      bool all_th = true;
      for (NodeId c : cells) {
        Cell cell;
        cell.header = r.head || dom_.Is(c, "th");
        all_th = all_th && dom_.Is(c, "th");
        cell.row_span = IntAttr(dom_, c, "rowspan", 1, 10000);
        cell.col_span = IntAttr(dom_, c, "colspan", 1, 1000);
        cell_lines_ = &cell.lines;
        Ctx cell_ctx;
        cell_ctx.bold = ctx.bold || dom_.Is(c, "th");
        cell_ctx.centered = Centered(dom_, c);
        for (NodeId k = dom_.FirstChild(c); k != Dom::kNone; k = dom_.NextSibling(k)) Walk(k, cell_ctx);
        EndLine();
        cell_lines_ = nullptr;
        row.cells.push_back(std::move(cell));
      }
      row.header = r.head || all_th;
      t.rows.push_back(std::move(row));
    }
    // rowspan past the last row (or rowspan="0") ends at the last row.
    for (size_t i = 0; i < t.rows.size(); ++i) {
      for (Cell& c : t.rows[i].cells) c.row_span = std::min<int>(c.row_span, static_cast<int>(t.rows.size() - i));
    }
    MarkBoldHeaderRow(&t);
    if (!t.rows.empty()) items_.push_back(std::move(item));
  }

  const Dom& dom_;
  std::vector<uint32_t> text_, link_;
  std::vector<uint8_t> chrome_;
};

}  // namespace

Result<Layout> ReadHtml(std::string_view bytes, const std::string& source, const ReadLimits& limits,
                        Diagnostics* diag) {
  if (bytes.empty()) return Status::InvalidInput(source + ": empty file");
  if (bytes.size() > limits.max_bytes) {
    return Status::InvalidInput(source + ": " + std::to_string(bytes.size()) + " bytes exceeds the limit of " +
                                std::to_string(limits.max_bytes));
  }
  const std::string charset = DecideCharset(&bytes, source, diag);
  std::string utf8;
  if (charset != "UTF-8") {
    // Decoded here, not by libxml2, whose conversion stops at the first byte
    // the charset leaves undefined (0x81 in windows-1252 or -1258) and drops
    // the rest of the page without a word. windows-1258 writes most tones as
    // combining marks: NFC puts them on their letters.
    size_t substituted = 0;
    std::optional<std::string> decoded = DecodeToUtf8(bytes, charset, &substituted);
    if (!decoded) return Status::Unsupported(source + ": unknown character set '" + charset + "'");
    utf8 = ToNfc(*decoded);
    bytes = utf8;
    if (substituted > 0 && diag != nullptr) {
      diag->Warn("html.charset_substituted", source + ": " + std::to_string(substituted) +
                                                 " byte sequence(s) undefined in " + charset + ", read as U+FFFD");
    }
  }
  std::vector<MarkupItem> items;
  {  // the DOM is released before the copy check
    Result<Dom> dom = ParseHtmlDom(bytes, source);
    if (!dom.ok()) return dom.status();
    HtmlWalker walker(*dom);
    walker.Measure(dom->root());
    walker.Walk(walker.MainContent(), Ctx{});
    walker.Finish();
    items = std::move(walker.items());
  }
  DropRepeatedRuns(&items, diag);
  Layout layout = AssembleLayout(std::move(items), source, Format::kHtml);
  if (layout.blocks.empty()) return Status::InvalidInput(source + ": no text in the HTML body");
  return layout;
}

}  // namespace plantrace
