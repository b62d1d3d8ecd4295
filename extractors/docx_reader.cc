// DOCX reader: bytes -> Layout. Unzips word/document.xml (with styles,
// numbering, footnotes and endnotes when present) under ReadLimits, parses the
// XML without DTDs or entity expansion, and turns w:p into lines (list numbers
// rebuilt) and w:tbl into Tables (gridSpan -> col_span, vMerge -> row_span;
// layout tables -> text). Text boxes are read after their paragraph, and a
// footnote or endnote as one line after the paragraph (or table) citing it:
// cited documents often appear only there.
#include <algorithm>
#include <array>
#include <cctype>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "extractors/markup_util.h"
#include "extractors/readers.h"
#include "extractors/xml_dom.h"
#include "extractors/zip.h"

namespace plantrace {
namespace {

using NodeId = Dom::NodeId;

// w:b, w:tblHeader and friends: present means on unless w:val says off.
bool OnOff(const Dom& dom, NodeId n) {
  if (n == Dom::kNone) return false;
  std::string_view v = dom.Attr(n, "w:val");
  return !(v == "0" || v == "false" || v == "off" || v == "none");
}

int IntVal(const Dom& dom, NodeId n, int fallback, int lo, int hi) {
  if (n == Dom::kNone) return fallback;
  std::string_view v = dom.Attr(n, "w:val");
  if (v.empty()) return fallback;
  int x = 0;
  bool neg = false;
  size_t i = 0;
  if (v[0] == '-') {
    neg = true;
    i = 1;
  }
  for (; i < v.size() && v[i] >= '0' && v[i] <= '9'; ++i) x = std::min(x * 10 + (v[i] - '0'), hi);
  return std::clamp(neg ? -x : x, lo, hi);
}

struct StyleInfo {
  int bold = -1;  // -1 unset, 0/1
  int heading = 0;
  std::string based_on;
};

struct LevelFormat {
  std::string fmt = "decimal";
  std::string text;
  int start = 1;
};

std::string FormatNumber(int v, const std::string& fmt) {
  if (fmt == "lowerLetter" || fmt == "upperLetter") {
    char base = fmt == "lowerLetter" ? 'a' : 'A';
    std::string s(1, static_cast<char>(base + (v - 1 + 26 * 1000) % 26));
    return s;
  }
  if (fmt == "lowerRoman" || fmt == "upperRoman") return RomanNumeral(v, fmt == "upperRoman");
  return std::to_string(v);
}

// The notes of one part (footnotes.xml or endnotes.xml) by w:id.
struct NoteMap {
  const Dom* dom = nullptr;
  std::map<std::string, Dom::NodeId> by_id;
  std::set<std::string> written;  // a note cited twice is written once
};

class DocxWalker : public MarkupSink {
 public:
  DocxWalker(const Dom& doc, const Dom* styles, const Dom* numbering, const Dom* footnotes, const Dom* endnotes)
      : MarkupSink(false), doc_(&doc) {
    if (styles != nullptr) LoadStyles(*styles);
    if (numbering != nullptr) LoadNumbering(*numbering);
    LoadNotes(footnotes, "w:footnotes", "w:footnote", &notes_[0]);
    LoadNotes(endnotes, "w:endnotes", "w:endnote", &notes_[1]);
  }

  // Notes cited but not yet written (none unless the body ends inside a cell).
  void FlushNotes() { EmitNotes(); }

  // Reads a container of block content (w:body, w:tc, w:sdtContent, w:txbxContent).
  void WalkBlocks(NodeId container) {
    for (NodeId c = doc_->FirstChild(container); c != Dom::kNone; c = doc_->NextSibling(c)) {
      std::string_view name = doc_->Name(c);
      if (name == "w:p") {
        Paragraph(c);
      } else if (name == "w:tbl") {
        WalkTable(c);
      } else if (name == "w:sdt") {
        if (NodeId content = doc_->Child(c, "w:sdtContent"); content != Dom::kNone) WalkBlocks(content);
      } else if (name == "w:customXml" || name == "w:ins" || name == "w:moveTo") {
        WalkBlocks(c);
      }
    }
  }


 private:
  void LoadStyles(const Dom& dom) {
    NodeId root = dom.Child(dom.root(), "w:styles");
    if (root == Dom::kNone) return;
    for (NodeId s = dom.FirstChild(root); s != Dom::kNone; s = dom.NextSibling(s)) {
      if (!dom.Is(s, "w:style")) continue;
      StyleInfo info;
      if (NodeId rpr = dom.Child(s, "w:rPr"); rpr != Dom::kNone) {
        if (NodeId b = dom.Child(rpr, "w:b"); b != Dom::kNone) info.bold = OnOff(dom, b) ? 1 : 0;
      }
      if (NodeId ppr = dom.Child(s, "w:pPr"); ppr != Dom::kNone) {
        if (NodeId o = dom.Child(ppr, "w:outlineLvl"); o != Dom::kNone) {
          int lvl = IntVal(dom, o, 9, 0, 9);
          if (lvl < 6) info.heading = lvl + 1;
        }
      }
      if (NodeId nm = dom.Child(s, "w:name"); nm != Dom::kNone && info.heading == 0) {
        std::string name(dom.Attr(nm, "w:val"));
        for (char& ch : name) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
        if (name.size() == 9 && name.starts_with("heading ") && name[8] >= '1' && name[8] <= '6') {
          info.heading = name[8] - '0';
        }
      }
      if (NodeId b = dom.Child(s, "w:basedOn"); b != Dom::kNone) info.based_on = std::string(dom.Attr(b, "w:val"));
      styles_[std::string(dom.Attr(s, "w:styleId"))] = std::move(info);
    }
  }

  void LoadNumbering(const Dom& dom) {
    NodeId root = dom.Child(dom.root(), "w:numbering");
    if (root == Dom::kNone) return;
    for (NodeId a = dom.FirstChild(root); a != Dom::kNone; a = dom.NextSibling(a)) {
      if (dom.Is(a, "w:abstractNum")) {
        std::array<LevelFormat, 9>& levels = abstract_[std::string(dom.Attr(a, "w:abstractNumId"))];
        for (NodeId l = dom.FirstChild(a); l != Dom::kNone; l = dom.NextSibling(l)) {
          if (!dom.Is(l, "w:lvl")) continue;
          int ilvl = std::clamp(0, IntAttrText(dom.Attr(l, "w:ilvl")), 8);
          LevelFormat& f = levels[static_cast<size_t>(ilvl)];
          if (NodeId x = dom.Child(l, "w:numFmt"); x != Dom::kNone) f.fmt = std::string(dom.Attr(x, "w:val"));
          if (NodeId x = dom.Child(l, "w:lvlText"); x != Dom::kNone) f.text = std::string(dom.Attr(x, "w:val"));
          f.start = IntVal(dom, dom.Child(l, "w:start"), 1, 0, 1 << 20);
        }
      } else if (dom.Is(a, "w:num")) {
        NodeId abs = dom.Child(a, "w:abstractNumId");
        if (abs != Dom::kNone)
          num_to_abstract_[std::string(dom.Attr(a, "w:numId"))] = std::string(dom.Attr(abs, "w:val"));
      }
    }
  }

  // Notes by w:id; separators (w:type set) print no text.
  static void LoadNotes(const Dom* dom, std::string_view root_name, std::string_view note_name, NoteMap* out) {
    out->dom = dom;
    if (dom == nullptr) return;
    NodeId root = dom->Child(dom->root(), root_name);
    if (root == Dom::kNone) return;
    for (NodeId n = dom->FirstChild(root); n != Dom::kNone; n = dom->NextSibling(n)) {
      if (!dom->Is(n, note_name)) continue;
      std::string_view type = dom->Attr(n, "w:type");
      if (!type.empty() && type != "normal") continue;
      out->by_id.emplace(std::string(dom->Attr(n, "w:id")), n);
    }
  }

  // Writes the cited notes, each as one line of its own: a line break or a
  // paragraph end inside a note is a space, so that a citation wrapped over
  // two lines stays one reference.
  void EmitNotes() {
    if (pending_notes_.empty()) return;
    std::vector<std::pair<int, std::string>> notes;
    notes.swap(pending_notes_);
    const Dom* body = doc_;
    const int heading = heading_;
    const bool centered = centered_;
    for (const auto& [kind, id] : notes) {
      NoteMap& m = notes_[static_cast<size_t>(kind)];
      auto it = m.by_id.find(id);
      if (it == m.by_id.end() || !m.written.insert(id).second) continue;
      doc_ = m.dom;
      in_note_ = true;
      Break();
      WalkBlocks(it->second);
      heading_ = 0;
      centered_ = false;
      EndLine();
      Break();
      in_note_ = false;
    }
    doc_ = body;
    heading_ = heading;
    centered_ = centered;
  }

  static int IntAttrText(std::string_view v) {
    int x = 0;
    for (char c : v) {
      if (c < '0' || c > '9') break;
      x = std::min(x * 10 + (c - '0'), 1 << 20);
    }
    return x;
  }

  const StyleInfo* Style(std::string_view id) const {
    auto it = styles_.find(std::string(id));
    return it == styles_.end() ? nullptr : &it->second;
  }

  // Style property through the basedOn chain (bounded against cycles).
  bool StyleBold(std::string_view id) const {
    for (int i = 0; i < 16 && !id.empty(); ++i) {
      const StyleInfo* s = Style(id);
      if (s == nullptr) return false;
      if (s->bold >= 0) return s->bold == 1;
      id = s->based_on;
    }
    return false;
  }
  int StyleHeading(std::string_view id) const {
    for (int i = 0; i < 16 && !id.empty(); ++i) {
      const StyleInfo* s = Style(id);
      if (s == nullptr) return 0;
      if (s->heading > 0) return s->heading;
      id = s->based_on;
    }
    return 0;
  }

  // "1.", "a)", "- ": the list label Word would print, from numbering.xml.
  std::string ListLabel(NodeId num_pr) {
    NodeId id_node = doc_->Child(num_pr, "w:numId");
    if (id_node == Dom::kNone) return "";
    std::string num_id(doc_->Attr(id_node, "w:val"));
    if (num_id.empty() || num_id == "0") return "";
    int ilvl = IntVal(*doc_, doc_->Child(num_pr, "w:ilvl"), 0, 0, 8);
    auto an = num_to_abstract_.find(num_id);
    if (an == num_to_abstract_.end()) return "- ";
    auto levels = abstract_.find(an->second);
    if (levels == abstract_.end()) return "- ";
    const LevelFormat& f = levels->second[static_cast<size_t>(ilvl)];
    if (f.fmt == "bullet") return "- ";
    if (f.fmt == "none") return f.text.empty() ? "" : f.text + " ";
    Counters& ctr = counters_[an->second];
    if (ctr.value[static_cast<size_t>(ilvl)] == 0) {
      ctr.value[static_cast<size_t>(ilvl)] = f.start;
    } else {
      ++ctr.value[static_cast<size_t>(ilvl)];
    }
    for (size_t k = static_cast<size_t>(ilvl) + 1; k < 9; ++k) ctr.value[k] = 0;
    std::string label;
    const std::string& pattern = f.text.empty() ? std::string("%") + std::to_string(ilvl + 1) + "." : f.text;
    for (size_t i = 0; i < pattern.size(); ++i) {
      if (pattern[i] == '%' && i + 1 < pattern.size() && pattern[i + 1] >= '1' && pattern[i + 1] <= '9') {
        size_t lvl = static_cast<size_t>(pattern[i + 1] - '1');
        int v = ctr.value[lvl] == 0 ? levels->second[lvl].start : ctr.value[lvl];
        label += FormatNumber(v, levels->second[lvl].fmt);
        ++i;
      } else {
        label.push_back(pattern[i]);
      }
    }
    return label.empty() ? "" : label + " ";
  }

  // Collects the text under a paragraph-level node.
  void Inline(NodeId n, bool para_bold, std::vector<NodeId>* textboxes) {
    for (NodeId c = doc_->FirstChild(n); c != Dom::kNone; c = doc_->NextSibling(c)) {
      std::string_view name = doc_->Name(c);
      if (name == "w:r") {
        bool bold = para_bold;
        if (NodeId rpr = doc_->Child(c, "w:rPr"); rpr != Dom::kNone) {
          if (NodeId rs = doc_->Child(rpr, "w:rStyle"); rs != Dom::kNone && StyleBold(doc_->Attr(rs, "w:val"))) {
            bold = true;
          }
          if (NodeId b = doc_->Child(rpr, "w:b"); b != Dom::kNone) bold = OnOff(*doc_, b);
        }
        Run(c, bold, textboxes);
      } else if (name == "w:hyperlink" || name == "w:ins" || name == "w:smartTag" || name == "w:fldSimple" ||
                 name == "w:customXml" || name == "w:moveTo" || name == "w:sdtContent" || name == "w:dir" ||
                 name == "w:bdo") {
        Inline(c, para_bold, textboxes);
      } else if (name == "w:sdt") {
        if (NodeId content = doc_->Child(c, "w:sdtContent"); content != Dom::kNone)
          Inline(content, para_bold, textboxes);
      } else if (name == "mc:AlternateContent") {
        // Runs offered twice (Choice, Fallback): read one copy.
        NodeId alt = doc_->Child(c, "mc:Choice");
        if (alt == Dom::kNone) alt = doc_->Child(c, "mc:Fallback");
        if (alt != Dom::kNone) Inline(alt, para_bold, textboxes);
      }
    }
  }

  // The outermost text boxes in n or under it (a box inside a box is read
  // with its box). Choice and Fallback of mc:AlternateContent hold the same
  // boxes (DrawingML, then VML): one copy is taken.
  void FindTextBoxes(NodeId n, std::vector<NodeId>* out) const {
    if (n == Dom::kNone || doc_->IsText(n)) return;
    if (doc_->Is(n, "w:txbxContent")) {
      out->push_back(n);
      return;
    }
    if (doc_->Is(n, "mc:AlternateContent")) {
      const size_t before = out->size();
      FindTextBoxes(doc_->Child(n, "mc:Choice"), out);
      if (out->size() == before) FindTextBoxes(doc_->Child(n, "mc:Fallback"), out);
      return;
    }
    for (NodeId c = doc_->FirstChild(n); c != Dom::kNone; c = doc_->NextSibling(c)) FindTextBoxes(c, out);
  }

  void Run(NodeId r, bool bold, std::vector<NodeId>* textboxes) {
    for (NodeId c = doc_->FirstChild(r); c != Dom::kNone; c = doc_->NextSibling(c)) {
      std::string_view name = doc_->Name(c);
      if (name == "w:t") {
        for (NodeId t = doc_->FirstChild(c); t != Dom::kNone; t = doc_->NextSibling(t)) {
          if (doc_->IsText(t)) line_.Append(doc_->Text(t), bold);
        }
      } else if (name == "w:tab" || name == "w:ptab") {
        line_.Append(" ", bold);
      } else if (name == "w:br" || name == "w:cr") {
        if (in_note_) {
          line_.Append(" ", bold);
        } else if (doc_->Attr(c, "w:type") != "page" && doc_->Attr(c, "w:type") != "column") {
          EndLine();
        }
      } else if (name == "w:noBreakHyphen") {
        line_.Append("-", bold);
      } else if (name == "w:footnoteReference" || name == "w:endnoteReference") {
        // The mark itself (a superscript number) is not text: it would glue
        // onto the word before it ("năm 2025¹" -> "20251").
        if (!in_note_) pending_notes_.emplace_back(name == "w:footnoteReference" ? 0 : 1, doc_->Attr(c, "w:id"));
      } else if (name == "w:drawing" || name == "w:pict" || name == "mc:AlternateContent" || name == "w:object") {
        // Text boxes: read after the paragraph. Drawing positions
        // (wp:posOffset, wp:align) are element text, never w:t, so never read.
        FindTextBoxes(c, textboxes);
      }
    }
  }

  void Paragraph(NodeId p) {
    int heading = 0;
    bool centered = false, para_bold = false;
    std::string label;
    if (NodeId ppr = doc_->Child(p, "w:pPr"); ppr != Dom::kNone) {
      if (NodeId ps = doc_->Child(ppr, "w:pStyle"); ps != Dom::kNone) {
        std::string_view id = doc_->Attr(ps, "w:val");
        heading = StyleHeading(id);
        para_bold = StyleBold(id);
      }
      if (NodeId o = doc_->Child(ppr, "w:outlineLvl"); o != Dom::kNone) {
        int lvl = IntVal(*doc_, o, 9, 0, 9);
        if (lvl < 6) heading = lvl + 1;
      }
      if (NodeId jc = doc_->Child(ppr, "w:jc"); jc != Dom::kNone) centered = doc_->Attr(jc, "w:val") == "center";
      if (NodeId np = doc_->Child(ppr, "w:numPr"); np != Dom::kNone) label = ListLabel(np);
    }
    heading_ = heading;
    centered_ = centered;
    std::vector<NodeId> textboxes;
    bool has_text = HasText(p);
    // The label counts as bold so that it neither makes nor breaks a bold line.
    if (!label.empty() && has_text && !in_note_) line_.Append(label, true);
    Inline(p, para_bold, &textboxes);
    if (in_note_) {
      line_.Append(" ", false);  // a note is one line (see EmitNotes)
    } else {
      EndLine();
    }
    for (NodeId box : textboxes) {
      Break();
      WalkBlocks(box);
      Break();
    }
    // In a data cell a note would join the task's text: it waits for the table's end.
    if (cell_lines_ == nullptr && !in_note_) EmitNotes();
  }

  // True when the paragraph has text of its own (not only in a text box).
  bool HasText(NodeId p) const {
    for (NodeId c = doc_->FirstChild(p); c != Dom::kNone; c = doc_->NextSibling(c)) {
      if (doc_->IsText(c) || doc_->Is(c, "w:txbxContent") || doc_->Is(c, "mc:Fallback")) continue;
      if (doc_->Is(c, "w:t") || HasText(c)) return true;
    }
    return false;
  }

  // All w:t text under n (used for row-number checks only).
  void CollectText(NodeId n, LineBuilder* b) const {
    for (NodeId c = doc_->FirstChild(n); c != Dom::kNone; c = doc_->NextSibling(c)) {
      if (doc_->IsText(c)) {
        if (doc_->Is(n, "w:t")) b->Append(doc_->Text(c), false);
      } else {
        CollectText(c, b);
      }
    }
  }

  static bool BordersDrawn(const Dom& dom, NodeId borders) {
    if (borders == Dom::kNone) return false;
    for (NodeId b = dom.FirstChild(borders); b != Dom::kNone; b = dom.NextSibling(b)) {
      if (dom.IsText(b)) continue;
      std::string_view v = dom.Attr(b, "w:val");
      if (!v.empty() && v != "none" && v != "nil") return true;
    }
    return false;
  }

  std::vector<NodeId> RowsOf(NodeId tbl) const {
    std::vector<NodeId> rows;
    for (NodeId r = doc_->FirstChild(tbl); r != Dom::kNone; r = doc_->NextSibling(r)) {
      if (doc_->Is(r, "w:tr")) {
        rows.push_back(r);
      } else if (doc_->Is(r, "w:sdt") || doc_->Is(r, "w:customXml")) {
        // Rows wrapped in a content control or custom XML are rows all the same.
        NodeId content = doc_->Is(r, "w:sdt") ? doc_->Child(r, "w:sdtContent") : r;
        if (content == Dom::kNone) continue;
        std::vector<NodeId> inner = RowsOf(content);
        rows.insert(rows.end(), inner.begin(), inner.end());
      }
    }
    return rows;
  }

  std::vector<NodeId> CellsOf(NodeId tr) const {
    std::vector<NodeId> cells;
    for (NodeId c = doc_->FirstChild(tr); c != Dom::kNone; c = doc_->NextSibling(c)) {
      if (doc_->Is(c, "w:tc")) cells.push_back(c);
      if (doc_->Is(c, "w:sdt")) {
        NodeId content = doc_->Child(c, "w:sdtContent");
        if (content != Dom::kNone && doc_->Child(content, "w:tc") != Dom::kNone)
          cells.push_back(doc_->Child(content, "w:tc"));
      }
    }
    return cells;
  }

  int GridSpan(NodeId tc) const {
    NodeId pr = doc_->Child(tc, "w:tcPr");
    return pr == Dom::kNone ? 1 : IntVal(*doc_, doc_->Child(pr, "w:gridSpan"), 1, 1, 1000);
  }

  // 0: no merge; 1: restart; 2: continue.
  int VMerge(NodeId tc) const {
    NodeId pr = doc_->Child(tc, "w:tcPr");
    NodeId vm = pr == Dom::kNone ? Dom::kNone : doc_->Child(pr, "w:vMerge");
    if (vm == Dom::kNone) return 0;
    return doc_->Attr(vm, "w:val") == "restart" ? 1 : 2;
  }

  bool HeaderRow(NodeId tr) const {
    NodeId pr = doc_->Child(tr, "w:trPr");
    return pr != Dom::kNone && doc_->Child(pr, "w:tblHeader") != Dom::kNone &&
           OnOff(*doc_, doc_->Child(pr, "w:tblHeader"));
  }

  std::string CellPlainText(NodeId tc) const {
    LineBuilder b;
    CollectText(tc, &b);
    return b.Take(0, false).text;
  }

  TableShape Shape(NodeId tbl) const {
    TableShape s;
    if (NodeId pr = doc_->Child(tbl, "w:tblPr"); pr != Dom::kNone)
      s.bordered = BordersDrawn(*doc_, doc_->Child(pr, "w:tblBorders"));
    int numbered = 0, nested_rows = 0;
    for (NodeId tr : RowsOf(tbl)) {
      std::vector<NodeId> cells = CellsOf(tr);
      if (cells.empty()) continue;
      ++s.rows;
      if (HeaderRow(tr)) s.header_row = true;
      int cols = 0;
      bool nested = false;
      for (NodeId tc : cells) {
        cols += GridSpan(tc);
        if (!nested && doc_->Find(tc, "w:tbl") != Dom::kNone) nested = true;
        if (!s.bordered) {
          NodeId pr = doc_->Child(tc, "w:tcPr");
          if (pr != Dom::kNone && BordersDrawn(*doc_, doc_->Child(pr, "w:tcBorders"))) s.bordered = true;
        }
      }
      s.max_cols = std::max(s.max_cols, cols);
      nested_rows += nested ? 1 : 0;
      if (s.rows <= 4 && cells.size() > 1 && IsRowNumber(CellPlainText(cells[0]))) ++numbered;
    }
    s.numbered_rows = numbered >= 2;
    // A frame holds tables in most of its rows; a task grid with a small
    // table pasted into one or two cells is still a grid (read as text, its
    // rows would come out as prose clauses).
    s.nested_table = nested_rows > 0 && (s.rows <= 3 || nested_rows * 2 >= s.rows);
    return s;
  }

  void WalkTable(NodeId tbl) {
    std::vector<NodeId> rows = RowsOf(tbl);
    if (cell_lines_ != nullptr) {  // nested in a data cell: its cells become the cell's lines
      for (NodeId tr : rows) {
        for (NodeId tc : CellsOf(tr)) WalkBlocks(tc);
      }
      return;
    }
    if (IsLayoutTable(Shape(tbl))) {
      for (NodeId tr : rows) {
        for (NodeId tc : CellsOf(tr)) {
          if (VMerge(tc) == 2) continue;
          Break();
          WalkBlocks(tc);
          Break();
        }
      }
      return;
    }
    MarkupItem item;
    item.kind = MarkupItem::Kind::kTable;
    Table& t = item.table;
    // Per grid column, the (row, cell) index of the cell a vMerge continues.
    std::map<int, std::pair<size_t, size_t>> open;
    std::vector<std::string> keys;  // per row of t: its cell texts, to find repeats of the header
    for (NodeId tr : rows) {
      std::vector<NodeId> cells = CellsOf(tr);
      if (cells.empty()) continue;
      std::vector<std::string> texts;
      std::string key;
      for (NodeId tc : cells) {
        texts.push_back(VMerge(tc) == 2 ? "" : CellPlainText(tc));
        key += texts.back() + "\x1f";
      }
      // "(1) (2) (3)" under the column titles numbers the columns, not a task.
      if (!t.rows.empty() && (t.rows.size() <= 3 || keys.back() == keys.front()) && ColumnNumbers(texts)) {
        open.clear();
        continue;
      }
      keys.push_back(std::move(key));
      Row row;
      row.header = HeaderRow(tr);
      int col = 0;
      if (NodeId pr = doc_->Child(tr, "w:trPr"); pr != Dom::kNone) {
        col = IntVal(*doc_, doc_->Child(pr, "w:gridBefore"), 0, 0, 1000);
      }
      const size_t row_index = t.rows.size();
      for (NodeId tc : cells) {
        int span = GridSpan(tc);
        int merge = VMerge(tc);
        if (merge == 2) {
          auto it = open.find(col);
          if (it != open.end()) {
            ++t.rows[it->second.first].cells[it->second.second].row_span;
            col += span;
            continue;
          }
        }
        Cell cell;
        cell.header = row.header;
        cell.col_span = span;
        cell_lines_ = &cell.lines;
        WalkBlocks(tc);
        cell_lines_ = nullptr;
        for (int k = col; k < col + span; ++k) open.erase(k);
        if (merge != 0) open[col] = {row_index, row.cells.size()};
        row.cells.push_back(std::move(cell));
        col += span;
      }
      // Columns this row does not reach end any merge there.
      for (auto it = open.lower_bound(col); it != open.end();) it = open.erase(it);
      t.rows.push_back(std::move(row));
    }
    MarkBoldHeaderRow(&t);
    DropRepeatedHeader(&t, keys);
    if (!t.rows.empty()) items_.push_back(std::move(item));
    EmitNotes();  // notes cited in the cells
  }

  // True for cells that only number the columns: "(1)", "(2)", ... or "1",
  // "2", ... counting up from 1, three or more, at most one cell empty.
  static bool ColumnNumbers(const std::vector<std::string>& texts) {
    int next = 1, empty = 0;
    for (const std::string& raw : texts) {
      std::string_view t = raw;
      while (!t.empty() && t.front() == ' ') t.remove_prefix(1);
      while (!t.empty() && t.back() == ' ') t.remove_suffix(1);
      if (t.empty()) {
        ++empty;
        continue;
      }
      if (t.size() >= 3 && t.front() == '(' && t.back() == ')') t = t.substr(1, t.size() - 2);
      if (t.empty() || t.size() > 2 || !std::all_of(t.begin(), t.end(), [](char c) { return c >= '0' && c <= '9'; }))
        return false;
      int v = (t.size() == 2 ? (t[0] - '0') * 10 : 0) + (t.back() - '0');
      if (v != next) return false;
      ++next;
    }
    return next > 3 && empty <= 1;
  }

  // Header rows typed again further down (a table pasted page by page) are
  // not data: the layout keeps a header row once.
  static void DropRepeatedHeader(Table* t, const std::vector<std::string>& keys) {
    size_t head = 0;
    while (head < t->rows.size() && t->rows[head].header) ++head;
    if (head == 0 || keys.size() != t->rows.size()) return;
    size_t limit = t->rows.size();  // rows from here on may have moved: keys no longer line up
    for (size_t i = t->rows.size(); i-- > head;) {
      if (i + head > limit) continue;
      bool same = true;
      for (size_t k = 0; k < head && same; ++k) same = keys[i + k] == keys[k];
      if (!same) continue;
      t->rows.erase(t->rows.begin() + static_cast<long>(i), t->rows.begin() + static_cast<long>(i + head));
      limit = i;
    }
  }

  struct Counters {
    std::array<int, 9> value{};
  };

  const Dom* doc_;  // the part being read: document.xml, or a notes part while a note is read
  std::map<std::string, StyleInfo> styles_;
  std::map<std::string, std::array<LevelFormat, 9>> abstract_;
  std::map<std::string, std::string> num_to_abstract_;
  std::map<std::string, Counters> counters_;
  // Footnotes [0] and endnotes [1].
  std::array<NoteMap, 2> notes_;
  std::vector<std::pair<int, std::string>> pending_notes_;  // (kind, w:id) cited, not yet written
  bool in_note_ = false;
};

}  // namespace

Result<Layout> ReadDocx(std::string_view bytes, const std::string& source, const ReadLimits& limits,
                        Diagnostics* diag) {
  if (bytes.empty()) return Status::InvalidInput(source + ": empty file");
  if (bytes.size() > limits.max_bytes) {
    return Status::InvalidInput(source + ": " + std::to_string(bytes.size()) + " bytes exceeds the limit of " +
                                std::to_string(limits.max_bytes));
  }
  ZipLimits zl;
  zl.max_entries = limits.max_zip_entries;
  zl.max_entry_bytes = limits.max_unzipped_entry;
  zl.max_declared_total = std::max<size_t>(limits.max_unzipped_entry, 1) * 16;
  zl.max_read_total = limits.max_unzipped_entry * 2;
  Result<std::unique_ptr<ZipReader>> zip = ZipReader::Open(bytes, source, zl);
  if (!zip.ok()) return zip.status();
  ZipReader& z = **zip;
  if (!z.Has("word/document.xml")) {
    return Status::InvalidInput(source + ": zip archive without word/document.xml (not a DOCX)");
  }
  Result<std::string> xml = z.Read("word/document.xml");
  if (!xml.ok()) return xml.status();
  Result<Dom> doc = ParseXmlDom(*xml, source + ": word/document.xml");
  if (!doc.ok()) return doc.status();
  // Styles and numbering only refine bold, headings and list labels: a
  // damaged one is reported and skipped.
  auto optional_part = [&](const std::string& name) -> std::optional<Dom> {
    if (!z.Has(name)) return std::nullopt;
    Result<std::string> part = z.Read(name);
    Result<Dom> dom = part.ok() ? ParseXmlDom(*part, source + ": " + name) : Result<Dom>(part.status());
    if (!dom.ok()) {
      if (diag != nullptr) diag->Warn("docx.part_skipped", dom.status().message());
      return std::nullopt;
    }
    return std::move(dom).value();
  };
  std::optional<Dom> styles = optional_part("word/styles.xml");
  std::optional<Dom> numbering = optional_part("word/numbering.xml");
  std::optional<Dom> footnotes = optional_part("word/footnotes.xml");
  std::optional<Dom> endnotes = optional_part("word/endnotes.xml");
  NodeId body = doc->Find(doc->root(), "w:body");
  if (body == Dom::kNone) return Status::InvalidInput(source + ": word/document.xml has no w:body");
  DocxWalker walker(*doc, styles ? &*styles : nullptr, numbering ? &*numbering : nullptr,
                    footnotes ? &*footnotes : nullptr, endnotes ? &*endnotes : nullptr);
  walker.WalkBlocks(body);
  walker.FlushNotes();
  // A DOCX saved from a portal page can carry the same repeated copy as the
  // HTML; dropping it here too keeps both formats' output the same.
  std::vector<MarkupItem> items = std::move(walker.items());
  DropRepeatedRuns(&items, diag);
  Layout layout = AssembleLayout(std::move(items), source, Format::kDocx);
  if (layout.blocks.empty()) return Status::InvalidInput(source + ": no text in the document");
  return layout;
}

}  // namespace plantrace
