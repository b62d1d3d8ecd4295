// Segment stage: normalised Layout -> DocTree. Tables flattened into text
// are rebuilt first (text_tables), wrapped lines are rejoined into
// paragraphs, the header block is read, and each part (main body, attached
// programme, appendices) gets its numbered hierarchy.
#include "pipeline/stages/segment.h"

#include <algorithm>
#include <map>

#include "pipeline/base/civil_date.h"
#include "pipeline/base/numbers.h"
#include "pipeline/base/percentile.h"
#include "pipeline/base/unicode.h"
#include "pipeline/stages/header.h"
#include "pipeline/stages/normalize.h"
#include "pipeline/stages/text_tables.h"

namespace plantrace {
namespace {

// A capture group of digits as a number; 0 when absent (groups of date
// patterns are digits by construction).
int GroupInt(const Match& m, int g) { return static_cast<int>(ParseInt(m.Group(g, "0")).value_or(0)); }

// A paragraph or a table, in reading order.
struct Para {
  std::string text;
  int page = 0;
  int line = 0;
  int last_line = 0;
  bool bold = false;
  int heading_level = 0;
  size_t last_line_len = 0;
  bool is_table = false;
  Grid grid;
  float confidence = -1;  // lowest OCR confidence of its words; -1: none OCR'd
};

// The lower of two OCR confidences, -1 standing for "not OCR'd".
float LowerConfidence(float a, float b) {
  if (a < 0) return b;
  if (b < 0) return a;
  return a < b ? a : b;
}

float LineConfidence(const Line& l) {
  float c = -1;
  for (const Word& w : l.words) c = LowerConfidence(c, w.confidence);
  return c;
}

std::string StripPipes(std::string s) {
  // Web-page scrapes print table cells as "text |"; outside a rebuilt table
  // the bars are layout only.
  while (!s.empty() && (s.back() == '|' || s.back() == ' ')) s.pop_back();
  size_t b = 0;
  while (b < s.size() && (s[b] == '|' || s[b] == ' ')) ++b;
  return s.substr(b);
}

bool EndsSentence(std::string_view s) {
  if (s.empty()) return true;
  char c = s.back();
  return c == '.' || c == ';' || c == ':' || c == '!' || c == '?';
}

// Lines that always start a paragraph of their own.
bool IsStructural(std::string_view text, const RuleSet& rules) {
  std::string style, label, rest, marker;
  if (MatchMarker(text, rules, &style, &label, &rest, &marker)) return true;
  return rules.FullMatchIn("appendix.heading", text) || rules.FindIn("appendix.caption", text) ||
         rules.FullMatchIn("doctype", text) || rules.FullMatchIn("signature.title", text) ||
         rules.FindIn("signature.recipients", text) || rules.FindIn("meta.number", text) ||
         rules.FindIn("meta.place_date", text) || rules.FullMatchIn("meta.authority_line", text) ||
         rules.FindIn("meta.body_start", text);
}

struct Assembler {
  const RuleSet& rules;
  bool wrapped = false;
  size_t wrap_width = 0;
  std::vector<Para> out;
  bool closed = true;  // the last paragraph may not be continued
  bool markdown = false;

  void AddTable(Grid grid, int page) {
    Para p;
    p.is_table = true;
    p.page = page;
    p.line = grid.line;
    p.last_line = grid.rows.empty() ? grid.line : grid.rows.back().line;
    p.grid = std::move(grid);
    out.push_back(std::move(p));
    closed = true;
  }

  void AddLine(const Line& l, bool after_blank) {
    std::string text = CollapseSpaces(StripPipes(l.text));
    if (text.empty()) {
      closed = true;
      return;
    }
    // Decorative rules ("-----") separate the header from the body. In
    // Markdown a lone "-" or "+" is a bullet whose text is on the next line.
    bool lone_bullet = markdown && (text == "-" || text == "+");
    if (text.find_first_not_of("-_=*") == std::string::npos && !lone_bullet) {
      closed = true;
      return;
    }
    size_t len = Utf8Length(text);
    bool join = false;
    // Markdown: a " - " wrapped to the start of a line inside a paragraph
    // whose sentence is not finished is not a bullet ("... về trật tự xã
    // hội" / "- Cơ quan thường trực ...").
    bool wrapped_dash = markdown && !after_blank && !closed && !out.empty() && !out.back().is_table &&
                        text.starts_with("- ") && !EndsSentence(out.back().text) && l.heading_level == 0;
    // A heading word wrapped before its number ("**Điều" / "8. Tổ chức thực
    // hiện**"; rule wrap.heading_word) is one line with it.
    bool wrapped_number = !closed && !out.empty() && !out.back().is_table && !text.empty() &&
                          text[0] >= '0' && text[0] <= '9' && rules.FullMatchIn("wrap.heading_word", out.back().text);
    if (wrapped_dash || wrapped_number) {
      Para& p = out.back();
      AppendWrapped(&p.text, text);
      p.confidence = LowerConfidence(p.confidence, LineConfidence(l));
      p.last_line = l.line;
      p.last_line_len = len;
      return;
    }
    // The type line ("QUYẾT ĐỊNH") and the authority line stand alone even
    // when the title follows them with no blank line.
    bool stands_alone = !out.empty() && !out.back().is_table &&
                        (rules.FullMatchIn("doctype", out.back().text) ||
                         rules.FullMatchIn("meta.authority_line", out.back().text));
    if (!closed && !out.empty() && !out.back().is_table && !stands_alone && !IsStructural(text, rules)) {
      const Para& p = out.back();
      bool lower = StartsLowerCase(text);
      bool style_change = l.heading_level != p.heading_level || (l.bold != p.bold && !lower) ||
                          (!lower && IsAllUpper(p.text) != IsAllUpper(text));
      if (markdown && after_blank) {
        join = false;  // a blank line ends a Markdown paragraph
      } else if (markdown && !after_blank && l.heading_level == 0 && p.heading_level == 0 &&
                 IsAllUpper(p.text) == IsAllUpper(text) && !rules.FullMatchIn("appendix.heading", p.text) &&
                 !rules.FullMatchIn("doctype", p.text)) {
        // Markdown: the lines up to a blank line are one paragraph, whatever
        // their case ("*Đơn vị chủ trì: *Các" / "Sở, ngành, ...", "**1.****" /
        // "**Trên ..."); a change to or from capitals still starts a new one
        // (signature block: "PHÓ CHỦ TỊCH" / "Phạm Văn Thịnh"), and a line
        // that is whole as printed ("PHỤ LỤC", "KẾ HOẠCH") takes nothing
        // after it (its title follows on the next line).
        join = true;
      } else if (lower) {
        // A sentence continued on the next line.
        join = !p.text.ends_with(".");
      } else if (!style_change && wrapped && !EndsSentence(p.text) && p.last_line_len * 10 >= wrap_width * 6) {
        join = true;
      }
    }
    if (join) {
      Para& p = out.back();
      AppendWrapped(&p.text, text);
      p.confidence = LowerConfidence(p.confidence, LineConfidence(l));
      p.last_line = l.line;
      p.last_line_len = len;
      return;
    }
    Para p;
    p.text = text;
    p.page = l.page;
    p.line = l.line;
    p.last_line = l.line;
    p.bold = l.bold;
    p.heading_level = l.heading_level;
    p.last_line_len = len;
    p.confidence = LineConfidence(l);
    out.push_back(std::move(p));
    closed = false;
  }
};

// The issuer as the subject of the issuing sentence ("..., Ủy ban nhân dân
// tỉnh ban hành Kế hoạch ..."), completed with the place of issue when it
// names none; an all-capitals issuer line is the fallback.
void ReadIssuer(const std::vector<Para>& paras, const RuleSet& rules, DocHeader* h) {
  for (size_t i = 0; i < paras.size() && i < 60; ++i) {
    if (paras[i].is_table) continue;
    Match m;
    if (!rules.FindIn("meta.issuing_sentence", paras[i].text, &m)) continue;
    std::string subject = m.Group(1, "");
    // Drop "(sau đây gọi tắt là ...)" clauses.
    for (const Rule* r : rules.Category("meta.alias_clause")) {
      for (const Pattern& p : r->patterns) {
        Match a;
        while (p.Find(subject, &a)) subject.erase(a.begin, a.end - a.begin);
      }
    }
    if (rules.FindIn("meta.body_start", subject)) {
      int depth = 0;
      size_t cut = std::string::npos;
      for (size_t k = 0; k < subject.size(); ++k) {
        if (subject[k] == '(') ++depth;
        if (subject[k] == ')' && depth > 0) --depth;
        if ((subject[k] == ',' || subject[k] == ';') && depth == 0) cut = k;
      }
      if (cut == std::string::npos) continue;
      subject = subject.substr(cut + 1);
    }
    subject = CollapseSpaces(subject);
    if (subject.empty() || Utf8Length(subject) > 250) continue;
    if (h->place && rules.FindIn("meta.issuer_needs_place", subject)) subject += " " + *h->place;
    h->issuer = subject;
    h->rules.push_back("meta.issuing_sentence");
    return;
  }
}

bool OnPages(const std::vector<int>& pages, int page) {
  return std::find(pages.begin(), pages.end(), page) != pages.end();
}

// The fields printed in the paragraphs before the body (number, place and
// date, issuer line, type line), each kept from its first source: `h` holds
// those of the header block's cells already. Paragraphs on pages in
// `skip_pages` are not read. Returns the type line's index, npos when none.
size_t ReadHeaderParagraphs(const std::vector<Para>& paras, size_t body_begin, bool number_blank,
                            const std::vector<int>& skip_pages, const RuleSet& rules, DocHeader* h) {
  size_t type_at = std::string::npos;
  for (size_t i = 0; i < body_begin && i < paras.size(); ++i) {
    const Para& p = paras[i];
    if (p.is_table || OnPages(skip_pages, p.page)) continue;
    Match m;
    const Rule* r = nullptr;
    if (!h->number && !number_blank) {
      std::optional<std::string> n = ReadNumberLine(p.text, rules, &r);
      if (n) {
        h->number = n;
        h->number_printed = p.text;
        h->number_line = p.line;
        h->rules.push_back(r->id);
      }
      if (r) continue;  // a number line is nothing else, even without a number
    }
    if (!h->date && (r = rules.FindIn("meta.place_date", p.text, &m))) {
      h->place = CollapseSpaces(StripPipes(m.Group(1, "")));
      h->date = IsoDate(GroupInt(m, 4), GroupInt(m, 3), GroupInt(m, 2));
      h->date_line = p.line;
      h->rules.push_back(r->id);
      continue;
    }
    if (!h->issuer && (r = rules.FullMatchIn("meta.issuer_line", p.text, &m))) {
      h->issuer = m.Group(1, "");
      continue;
    }
    if (type_at == std::string::npos && (r = rules.FullMatchIn("doctype", p.text, &m))) {
      h->type = r->Get("type");
      h->rules.push_back(r->id);
      type_at = i;
      continue;
    }
  }
  return type_at;
}

// The title: the paragraph after the type line at `type_at`, and following
// ones in the same typographic style that do not start the body. Returns the
// index of the paragraph after it.
size_t ReadTitle(const std::vector<Para>& paras, size_t type_at, const RuleSet& rules, DocHeader* h) {
  std::string title;
  size_t i = type_at + 1;
  for (; i < paras.size(); ++i) {
    const Para& p = paras[i];
    if (p.is_table) break;
    if (!title.empty()) {
      std::string style, label, rest, marker;
      bool same_style = (p.bold && paras[i - 1].bold) || (IsAllUpper(p.text) && IsAllUpper(title));
      if (!same_style || rules.FindIn("meta.body_start", p.text) ||
          rules.FullMatchIn("meta.issuer_line", p.text) || rules.FullMatchIn("meta.authority_line", p.text) ||
          MatchMarker(p.text, rules, &style, &label, &rest, &marker)) {
        break;
      }
    } else if (rules.FindIn("meta.number", p.text) || rules.FindIn("meta.place_date", p.text)) {
      continue;
    } else if (rules.FullMatchIn("meta.authority_line", p.text)) {
      break;
    }
    AppendWrapped(&title, p.text);
    if (h->title_line == 0) h->title_line = p.line;
  }
  if (!title.empty()) h->title = title;
  return i;
}

// Reads the header fields: those of the header block's cells first (a
// number or date broken over lines or cells), then the paragraphs before
// the body starts. Paragraphs on pages in `skip_pages` are not read.
void ReadHeader(const std::vector<Para>& paras, size_t body_begin, const HeaderFields& cells,
                const std::vector<int>& skip_pages, const RuleSet& rules, DocHeader* h, size_t* title_end) {
  *title_end = 0;
  h->number = cells.number;
  h->number_printed = cells.number_printed;
  h->number_line = cells.number_line;
  h->place = cells.place;
  h->date = cells.date;
  h->date_line = cells.date_line;
  h->rules = cells.rules;
  size_t type_at = ReadHeaderParagraphs(paras, body_begin, cells.number_blank, skip_pages, rules, h);
  if (!cells.issuer || rules.FullMatchIn("meta.issuer_incomplete", *cells.issuer)) ReadIssuer(paras, rules, h);
  if (type_at == std::string::npos) {
    if (cells.issuer) h->issuer = IssuerCase(*cells.issuer, rules);
    return;
  }
  const size_t i = ReadTitle(paras, type_at, rules, h);
  *title_end = i;
  // Who decides: the authority line under the title ("CHỦ TỊCH ỦY BAN NHÂN
  // DÂN TỈNH ...", "CHÍNH PHỦ") outranks the header's issuer cell, which
  // outranks the subject of the issuing sentence.
  for (size_t k = i; k < paras.size() && k < i + 3 && k <= body_begin; ++k) {
    if (!paras[k].is_table && rules.FullMatchIn("meta.authority_line", paras[k].text)) {
      h->issuer = IssuerCase(paras[k].text, rules);
      h->rules.push_back("meta.authority_line");
      return;
    }
  }
  if (cells.issuer && !(h->issuer && rules.FullMatchIn("meta.issuer_incomplete", *cells.issuer))) {
    h->issuer = IssuerCase(*cells.issuer, rules);
    h->rules.push_back("meta.issuer_cell");
  }
}

// A document whose export lost its header still prints its own number and
// date where an attachment's caption names it ("(Kèm theo Nghị quyết số
// 394/NQ-CP ngày 03 tháng 12 năm 2025 của Chính phủ)"). Only a caption of
// the document's own type is used; a caption with blank figures gives
// nothing. Nothing else (a cited number, a portal's box) is a source.
void ReadCaptionFallback(const std::vector<Para>& paras, const RuleSet& rules, DocHeader* h, Diagnostics* diag) {
  if (h->number) return;
  for (size_t i = 0; i < paras.size(); ++i) {
    if (paras[i].is_table || !rules.FindIn("appendix.caption", paras[i].text)) continue;
    std::string text = paras[i].text;
    // The caption may be broken into two paragraphs before its ')'.
    if (text.find(')') == std::string::npos && i + 1 < paras.size() && !paras[i + 1].is_table) {
      AppendWrapped(&text, paras[i + 1].text);
    }
    std::optional<CaptionFields> c = ReadCaption(text, rules);
    if (!c) continue;
    if (h->type && MatchKey(*h->type) != MatchKey(c->type)) continue;
    h->number = c->number;
    h->number_printed = text;
    h->number_line = paras[i].line;
    if (!h->date) {
      h->date = c->date;
      h->date_line = paras[i].line;
    }
    if (!h->type) h->type = c->type;
    if (!h->issuer) h->issuer = c->issuer;
    h->rules.push_back("meta.caption");
    diag->Warn("meta.number_from_caption",
               "the header prints no number; number and date taken from the attachment caption '" + text + "'",
               paras[i].page, paras[i].line, "", "meta.caption");
    return;
  }
  if (h->number_printed) {
    diag->Warn("meta.number_missing", "number left blank in the header ('" + *h->number_printed + "')", 0,
               h->number_line, "", "meta.number_blank");
  } else {
    diag->Warn("meta.number_missing", "no document number found in the header", 0, 0, "", "meta.number");
  }
}

// A resolution or law whose header prints no date is dated by the day it was
// adopted, which its closing formula states ("... thông qua ngày 16 tháng 4
// năm 2025"; rule signature.closing).
void ReadAdoptionDate(const std::vector<Para>& paras, const RuleSet& rules, DocHeader* h) {
  if (h->date) return;
  for (const Para& p : paras) {
    Match m;
    const Rule* r = p.is_table ? nullptr : rules.FindIn("signature.closing", p.text, &m);
    if (!r) continue;
    h->date = IsoDate(GroupInt(m, 3), GroupInt(m, 2), GroupInt(m, 1));
    h->date_line = p.line;
    h->rules.push_back(r->id);
    return;
  }
}

}  // namespace

bool MatchMarker(std::string_view text, const RuleSet& rules, std::string* style, std::string* label,
                 std::string* rest, std::string* marker) {
  for (const Rule* r : rules.Category("heading")) {
    for (const Pattern& p : r->patterns) {
      Match m;
      if (p.FullMatch(text, &m)) {
        *style = r->Get("style");
        *label = m.Group(1, "");
        *rest = m.Group(2, "");
        size_t rest_begin = m.group_spans.size() > 1 ? m.group_spans[1].first : text.size();
        *marker = CollapseSpaces(text.substr(0, std::min(rest_begin, text.size())));
        return true;
      }
    }
  }
  return false;
}

namespace {

// Builds the numbered hierarchy of one part from its paragraphs.
std::vector<Node> BuildHierarchy(const std::vector<Para>& paras, size_t begin, size_t end, const RuleSet& rules) {
  std::vector<Node> roots;
  // Stack of (style, node path) for open numbered nodes.
  std::vector<std::pair<std::string, Node*>> stack;
  auto attach = [&](Node n) -> Node* {
    if (stack.empty()) {
      roots.push_back(std::move(n));
      return &roots.back();
    }
    Node* parent = stack.back().second;
    parent->children.push_back(std::move(n));
    return &parent->children.back();
  };
  for (size_t i = begin; i < end; ++i) {
    const Para& p = paras[i];
    Node n;
    n.page = p.page;
    n.line = p.line;
    n.last_line = p.last_line;
    n.bold = p.bold;
    n.confidence = p.confidence;
    if (p.is_table) {
      n.kind = Node::Kind::kTable;
      n.grid = p.grid;
      attach(std::move(n));
      continue;
    }
    std::string style, label, rest, marker;
    if (MatchMarker(p.text, rules, &style, &label, &rest, &marker)) {
      n.kind = (style == "roman" || p.heading_level > 0) ? Node::Kind::kHeading : Node::Kind::kItem;
      n.style = style;
      n.label = label;
      n.marker = marker;
      n.text = rest;
      // Close back to the open node of the same marker family; a Roman
      // heading always starts at the top.
      auto same = std::find_if(stack.begin(), stack.end(), [&](const auto& e) { return e.first == style; });
      if (same != stack.end()) {
        stack.erase(same, stack.end());
      } else if (style == "roman") {
        stack.clear();
      }
      // Only ancestors are on the stack, and adding a child never moves them.
      Node* added = attach(std::move(n));
      stack.emplace_back(style, added);
      continue;
    }
    n.kind = Node::Kind::kParagraph;
    n.text = p.text;
    attach(std::move(n));
  }
  return roots;
}

// Warns once about pages whose text layer is not Vietnamese and returns them:
// no header field is read from those pages.
std::vector<int> WarnForeignPages(const Layout& input, Diagnostics* diag) {
  std::vector<int> foreign = ForeignTextPages(input);
  if (!foreign.empty()) {
    std::string list;
    for (int pg : foreign) list += (list.empty() ? "" : ", ") + std::to_string(pg);
    diag->Warn("text.not_vietnamese",
               "text layer of page(s) " + list + " is not Vietnamese (glyph codes of a broken font); no header field "
               "is read from it", foreign.front(), 0);
  }
  return foreign;
}

// Feeds the run of line blocks starting at *bi to the assembler, the tables
// flattened into its lines rebuilt (text_tables) and added as tables; *bi
// ends past the run.
void AddLineRun(const Layout& layout, const RuleSet& rules, Diagnostics* diag, size_t* bi, Assembler* as) {
  std::vector<TextLine> run;
  std::vector<const Line*> src;
  for (; *bi < layout.blocks.size() && layout.blocks[*bi].kind == Block::Kind::kLines; ++*bi) {
    bool first = true;
    for (const Line& l : layout.blocks[*bi].lines) {
      run.push_back(TextLine{l.text, l.page, l.line, first});
      src.push_back(&l);
      first = false;
    }
  }
  std::vector<TextTable> tables = FindTextTables(run, rules, diag);
  size_t ti = 0;
  for (size_t i = 0; i < run.size();) {
    if (ti < tables.size() && tables[ti].begin == i) {
      Grid g = std::move(tables[ti].grid);
      if (g.column_roles.empty()) {
        for (ColumnRole r : tables[ti].roles) g.column_roles.push_back(ColumnRoleName(r));
      }
      as->AddTable(std::move(g), run[i].page);
      i = std::max(tables[ti].end, i + 1);
      ++ti;
      continue;
    }
    as->AddLine(*src[i], run[i].after_blank);
    ++i;
  }
}

// Lines and tables in reading order: flattened tables rebuilt, wrapped lines
// rejoined into paragraphs. `has_pages`: the layout is printed pages.
std::vector<Para> AssembleParagraphs(const Layout& layout, bool has_pages, const RuleSet& rules, Diagnostics* diag) {
  std::vector<size_t> line_lengths;
  for (const Block& b : layout.blocks) {
    for (const Line& l : b.lines) line_lengths.push_back(Utf8Length(l.text));
  }
  // Markdown separates paragraphs by blank lines, but some web exports print
  // none, so most of the page is one block: those are read as wrapped text.
  // (Where blank lines part paragraphs no block holds a fifth of the lines.)
  size_t largest_block = 0;
  for (const Block& b : layout.blocks) largest_block = std::max(largest_block, b.lines.size());
  bool blank_paragraphs = layout.format == Format::kMarkdown && largest_block * 5 <= line_lengths.size();
  Assembler as{rules, false, 0, {}, true, blank_paragraphs};
  size_t p90 = Percentile(line_lengths, 0.9);
  // Printed pages are wrapped whatever their line length; a text file is
  // taken as wrapped when its lines are short (otherwise it holds one
  // paragraph per line).
  as.wrapped = p90 > 0 && (has_pages || p90 <= 120);
  as.wrap_width = p90;
  size_t bi = 0;
  while (bi < layout.blocks.size()) {
    const Block& b = layout.blocks[bi];
    if (b.kind == Block::Kind::kTable) {
      as.AddTable(ExpandTable(b.table), b.table.first_page);
      ++bi;
      continue;
    }
    AddLineRun(layout, rules, diag, &bi, &as);
  }
  return std::move(as.out);
}

// Where the body starts: the first numbered Roman heading or "Căn cứ" line;
// paras.size() when there is none.
size_t FindBodyBegin(const std::vector<Para>& paras, const RuleSet& rules) {
  for (size_t i = 0; i < paras.size(); ++i) {
    std::string style, label, rest, marker;
    if (paras[i].is_table) continue;
    if (rules.FindIn("meta.body_start", paras[i].text) ||
        (MatchMarker(paras[i].text, rules, &style, &label, &rest, &marker) && style == "roman")) {
      return i;
    }
  }
  return paras.size();
}

// Where a part after the main body begins, and its heading.
struct Cut {
  size_t at;
  std::string label;
};

// The parts after the main body, from paragraph `from` on: appendices, an
// attached programme (its type goes to h->attachment_type) and a titled
// list right after the signer's name.
std::vector<Cut> FindPartCuts(const std::vector<Para>& paras, size_t from, const RuleSet& rules, DocHeader* h) {
  std::vector<Cut> cuts;
  bool signed_off = false;
  for (size_t i = from; i < paras.size(); ++i) {
    const Para& p = paras[i];
    if (p.is_table) continue;
    Match m;
    const Rule* r = nullptr;
    if ((r = rules.FullMatchIn("appendix.heading", p.text, &m))) {
      cuts.push_back({i, p.text});
      continue;
    }
    if (rules.FindIn("signature.recipients", p.text) || rules.FullMatchIn("signature.title", p.text)) {
      signed_off = true;
      continue;
    }
    if (signed_off && cuts.empty() && (r = rules.FullMatchIn("doctype", p.text, &m))) {
      // A decision that issues a programme: the programme is attached.
      h->attachment_type = r->Get("type");
      cuts.push_back({i, p.text});
      signed_off = false;
      continue;
    }
    if (signed_off && cuts.empty() && p.bold && i > 0 && !paras[i - 1].is_table &&
        rules.FullMatchIn("signature.person", paras[i - 1].text) && !rules.FullMatchIn("signature.person", p.text)) {
      // A titled list attached right after the signer's name ("Danh mục các
      // văn bản đã ban hành" / "I. QUYẾT ĐỊNH" / "1. Quyết định số ..."):
      // document text of its own part, not the tail of the body.
      cuts.push_back({i, p.text});
      signed_off = false;
    }
  }
  return cuts;
}

// Signer: a person's name shortly after a signature title or the recipients
// list, before `main_end` (the first appendix).
void ReadSignerParagraph(const std::vector<Para>& paras, size_t main_end, const RuleSet& rules, DocHeader* h) {
  for (size_t i = 0; i < main_end; ++i) {
    if (paras[i].is_table) continue;
    if (!(rules.FullMatchIn("signature.title", paras[i].text) ||
          rules.FindIn("signature.recipients", paras[i].text))) {
      continue;
    }
    for (size_t j = i + 1; j < main_end && j < i + 30; ++j) {
      if (!paras[j].is_table && rules.FullMatchIn("signature.person", paras[j].text)) {
        h->signer = paras[j].text;
        h->signer_line = paras[j].line;
        break;
      }
    }
    if (h->signer) break;
  }
}

// A signature block laid out as a table row (web pages): the name is the
// last person's line of the cell that holds the signing title, in the first
// table that has one.
void ReadSignerCell(const Layout& layout, const RuleSet& rules, DocHeader* h) {
  for (const Block& b : layout.blocks) {
    if (b.kind != Block::Kind::kTable || h->signer) continue;
    for (const Row& row : b.table.rows) {
      for (const Cell& cell : row.cells) {
        bool titled = false;
        for (const Line& l : cell.lines) {
          std::string t = CollapseSpaces(l.text);
          if (rules.FullMatchIn("signature.title", t)) titled = true;
          if (titled && rules.FullMatchIn("signature.person", t)) {
            h->signer = t;
            h->signer_line = l.line;
          }
        }
      }
    }
  }
}

// The signer, from the first source that names one: the signature block's
// paragraphs, its table cell, the portal's property box of the undropped
// `input` (with a warning).
void ReadSigner(const std::vector<Para>& paras, size_t main_end, const Layout& layout, const Layout& input,
                const RuleSet& rules, DocHeader* h, Diagnostics* diag) {
  if (!h->signer) ReadSignerParagraph(paras, main_end, rules, h);
  if (!h->signer) ReadSignerCell(layout, rules, h);
  if (h->signer) return;
  if (auto portal = PortalSigner(input, rules)) {
    h->signer = portal->first;
    h->signer_line = portal->second;
    diag->Warn("meta.signer_from_portal",
               "the signature block prints no name; signer taken from the page's property box ('" + portal->first +
                   "')",
               0, portal->second, "", "furniture.signer");
  }
}

// The body of a part ends at its recipients list / signature block.
size_t PartBodyEnd(const std::vector<Para>& paras, size_t from, size_t to, const RuleSet& rules) {
  for (size_t i = from; i < to; ++i) {
    if (paras[i].is_table) continue;
    if (rules.FindIn("signature.recipients", paras[i].text)) return i;
    if (rules.FindIn("signature.closing", paras[i].text)) return i + 1;  // the formula is the last body line
  }
  return to;
}

// Reads the title lines and the "(Kèm theo ...)" caption under a part's
// heading at `from` (at most five paragraphs, before `to`) into `part`;
// returns where the part's body begins.
size_t ReadPartHeading(const std::vector<Para>& paras, size_t from, size_t to, bool attachment, const RuleSet& rules,
                       DocPart* part) {
  size_t i = from + 1;
  for (int n = 0; i < to && n < 5; ++n, ++i) {
    const Para& p = paras[i];
    if (p.is_table) break;
    std::string style, label, rest, marker;
    if (MatchMarker(p.text, rules, &style, &label, &rest, &marker)) break;
    if (rules.FindIn("appendix.caption", p.text)) {
      part->caption = p.text;
      ++i;
      break;
    }
    if (attachment && n > 0 && !p.bold && !IsAllUpper(p.text) && Utf8Length(p.text) > 200) break;
    AppendWrapped(&part->title, p.text);
  }
  return i;
}

// The parts of the tree: the main body [main_begin, main_end) without its
// signature block, then one part per cut, each with its heading, title and
// hierarchy; an attached programme's title goes to the header too.
void BuildParts(const std::vector<Para>& paras, const std::vector<Cut>& cuts, size_t main_begin, size_t main_end,
                const RuleSet& rules, DocTree* tree) {
  DocPart main;
  main.page = paras.empty() ? 0 : paras.front().page;
  main.nodes = BuildHierarchy(paras, main_begin, PartBodyEnd(paras, main_begin, main_end, rules), rules);
  tree->parts.push_back(std::move(main));
  for (size_t c = 0; c < cuts.size(); ++c) {
    size_t from = cuts[c].at;
    size_t to = c + 1 < cuts.size() ? cuts[c + 1].at : paras.size();
    DocPart part;
    part.label = cuts[c].label;
    part.page = paras[from].page;
    part.line = paras[from].line;
    bool attachment = rules.FullMatchIn("doctype", paras[from].text);
    size_t i = ReadPartHeading(paras, from, to, attachment, rules, &part);
    if (attachment) tree->header.attachment_title = part.title;
    size_t body_to = attachment ? PartBodyEnd(paras, i, to, rules) : to;
    part.nodes = BuildHierarchy(paras, i, body_to, rules);
    tree->parts.push_back(std::move(part));
  }
}

}  // namespace

Result<DocTree> Segment(const Layout& input, const RuleSet& rules, Diagnostics* diag) {
  const std::vector<int> foreign = WarnForeignPages(input, diag);
  const std::optional<Layout> trimmed = DropFurniture(input, rules, diag);
  const Layout& layout = trimmed ? *trimmed : input;
  DocTree tree;
  tree.source = layout.source;
  tree.format = layout.format;
  tree.has_pages = layout.format == Format::kPdf;

  // 1. Lines and tables in reading order; flattened tables rebuilt.
  const std::vector<Para> paras = AssembleParagraphs(layout, tree.has_pages, rules, diag);
  for (const Para& p : paras) {
    if (!p.is_table) tree.lines.push_back(SourceLine{p.text, p.page, p.line, 0});
  }

  // 2. The header: the header block's cells, then the paragraphs before the
  // body starts.
  const size_t body_begin = FindBodyBegin(paras, rules);
  size_t title_end = 0;
  HeaderFields cells = ReadHeaderBlock(layout, rules, foreign);
  ReadHeader(paras, body_begin, cells, foreign, rules, &tree.header, &title_end);

  // 3. Parts: main body, an attached programme/plan, appendices. A page
  // without header or title (a letter opening "Kính gửi:") is body from its
  // first line.
  bool headless = title_end == 0 && !cells.number && !cells.date && !cells.issuer;
  size_t parts_from = headless ? 0 : std::max(title_end, body_begin == paras.size() ? title_end : body_begin);
  const std::vector<Cut> cuts = FindPartCuts(paras, parts_from, rules, &tree.header);
  const size_t main_end = cuts.empty() ? paras.size() : cuts.front().at;
  ReadSigner(paras, main_end, layout, input, rules, &tree.header, diag);
  ReadCaptionFallback(paras, rules, &tree.header, diag);
  ReadAdoptionDate(paras, rules, &tree.header);
  // The body runs from the end of the title (or the first body line when
  // no title was found) to the first appendix or attachment.
  size_t main_begin = std::min(title_end > 0 ? title_end : (headless ? 0 : body_begin), main_end);
  BuildParts(paras, cuts, main_begin, main_end, rules, &tree);
  for (SourceLine& l : tree.lines) {
    for (size_t c = 0; c < cuts.size(); ++c) {
      if (l.line >= paras[cuts[c].at].line && l.page >= paras[cuts[c].at].page) l.part = static_cast<int>(c + 1);
    }
  }
  return tree;
}

}  // namespace plantrace
