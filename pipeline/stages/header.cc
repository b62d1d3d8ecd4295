// Header block and page furniture (see header.h): which lines of a Layout
// are document text, and the fields of the header block's cells.
#include "pipeline/stages/header.h"

#include <algorithm>
#include <charconv>
#include <map>

#include "pipeline/base/civil_date.h"
#include "pipeline/base/unicode.h"
#include "pipeline/stages/normalize.h"

namespace plantrace {
namespace {

// One line or table of the layout, in reading order.
struct Item {
  size_t block = 0;
  size_t line = 0;  // index in the block; unused for tables
  bool table = false;
  bool block_start = false;
  const Line* src = nullptr;
  std::string text;  // collapsed, '|' kept
};

std::vector<Item> Flatten(const Layout& layout) {
  std::vector<Item> items;
  for (size_t b = 0; b < layout.blocks.size(); ++b) {
    const Block& block = layout.blocks[b];
    if (block.kind == Block::Kind::kTable) {
      items.push_back(Item{b, 0, true, true, nullptr, ""});
      continue;
    }
    for (size_t i = 0; i < block.lines.size(); ++i) {
      items.push_back(Item{b, i, false, i == 0, &block.lines[i], CollapseSpaces(block.lines[i].text)});
    }
  }
  return items;
}

std::string StripBars(std::string_view s) {
  size_t b = 0, e = s.size();
  while (b < e && (s[b] == '|' || s[b] == ' ')) ++b;
  while (e > b && (s[e - 1] == '|' || s[e - 1] == ' ')) --e;
  return std::string(s.substr(b, e - b));
}

bool PipeOnly(const Item& it) { return !it.table && !it.text.empty() && StripBars(it.text).empty(); }
bool EndsCell(const Item& it) { return !it.table && !it.text.empty() && it.text.back() == '|'; }
bool Decorative(std::string_view s) {
  std::string t = StripBars(s);
  return !t.empty() && t.find_first_not_of("-_=*. ") == std::string::npos;
}

// True when items[i] and items[i + 1] belong to different cells of a
// flattened header: '|' lines end cells (a cell may also end with its own
// '|'); without such bars, blank lines (block starts) and rules do.
bool Boundary(const std::vector<Item>& items, size_t i, bool pipe_mode) {
  const Item& a = items[i];
  const Item& b = items[i + 1];
  if (a.table || b.table || PipeOnly(a) || PipeOnly(b) || EndsCell(a)) return true;
  if (pipe_mode) return false;
  return b.block_start || Decorative(a.text);
}

bool PipeMode(const std::vector<Item>& items, size_t limit) {
  for (size_t i = 0; i < items.size() && i < limit; ++i) {
    if (PipeOnly(items[i]) || EndsCell(items[i])) return true;
  }
  return false;
}

// Index of the first item of the cell just before the motto's cell (the
// issuer), or of the motto's cell when none precedes it.
size_t IssuerCellStart(const std::vector<Item>& items, size_t motto, bool pipe_mode) {
  size_t j = motto;
  while (j > 0 && !Boundary(items, j - 1, pipe_mode)) --j;
  size_t k = j;
  // Separators, and the "Số:" line some layouts print under the issuer.
  while (k > 0 && (PipeOnly(items[k - 1]) || items[k - 1].table || Decorative(items[k - 1].text) ||
                   StripBars(items[k - 1].text).starts_with("Số"))) {
    --k;
  }
  // The issuer block is printed in capitals; a cell that is not is no issuer.
  auto upper = [&](size_t i) { return !items[i].table && IsAllUpper(StripBars(items[i].text)); };
  if (k == 0 || !upper(k - 1)) return j;
  size_t s = k - 1;
  while (s > 0 && !Boundary(items, s - 1, pipe_mode) && upper(s - 1)) --s;
  return s;
}

bool AnyMatch(const RuleSet& rules, std::string_view family, std::string_view text) {
  return rules.FindIn(family, text) != nullptr;
}

// The motto line of a header, not the country's name inside a sentence.
bool IsMotto(const RuleSet& rules, const std::string& text) {
  return AnyMatch(rules, "meta.motto", text) && !AnyMatch(rules, "meta.motto_in_sentence", text);
}

int ToInt(const std::string& s) {
  int v = 0;
  std::from_chars(s.data(), s.data() + s.size(), v);
  return v;
}

bool ValidDate(int y, int m, int d) { return y >= 1945 && y <= 2100 && m >= 1 && m <= 12 && d >= 1 && d <= 31; }

// Portal evidence: the last banner or property-box line of the leading run
// near the top; npos when there is none. The run ends 40 lines after its
// last furniture line (a related-documents list at the end repeats the box)
// and where the document opens.
size_t FindPortalEvidence(const std::vector<Item>& items, const RuleSet& rules) {
  size_t evidence = std::string::npos;
  for (size_t i = 0; i < items.size() && i < 300; ++i) {
    if (evidence != std::string::npos && i > evidence + 40) break;
    if (items[i].table) continue;
    std::string t = StripBars(items[i].text);
    // The box above the document, not the related-document lists below
    // it (they repeat "Tình trạng:" lines): stop where the document opens.
    if (evidence != std::string::npos &&
        (AnyMatch(rules, "furniture.opening", t) || IsMotto(rules, items[i].text))) {
      break;
    }
    if (AnyMatch(rules, "furniture.banner", t) || rules.FullMatchIn("furniture.box", items[i].text)) evidence = i;
  }
  return evidence;
}

// The first item of the document on a web page: its header block (the
// issuer cell beside the motto), else, on a portal page (`evidence` not
// npos) that prints no header, its opening ("Kính gửi:"); 0 when neither.
size_t FindDocumentBegin(const std::vector<Item>& items, size_t evidence, const RuleSet& rules) {
  bool portal = evidence != std::string::npos;
  size_t motto = std::string::npos;
  for (size_t i = portal ? evidence + 1 : 0; i < items.size() && i < (portal ? evidence + 200 : 80); ++i) {
    if (!items[i].table && IsMotto(rules, items[i].text)) {
      motto = i;
      break;
    }
  }
  bool pipe_mode = PipeMode(items, motto == std::string::npos ? 60 : motto + 20);
  size_t begin = 0;
  if (motto != std::string::npos) {
    begin = IssuerCellStart(items, motto, pipe_mode);
    while (begin > 0 && PipeOnly(items[begin - 1])) --begin;
  } else if (portal) {
    begin = evidence + 1;
    for (size_t i = evidence + 1; i < items.size() && i < evidence + 40; ++i) {
      if (!items[i].table && AnyMatch(rules, "furniture.opening", StripBars(items[i].text))) {
        begin = i;
        break;
      }
    }
  }
  return begin;
}

// Where the page's tail begins: the first furniture.tail line after the
// signature (a signature title, in a line or a table row, or the recipients
// list) from `begin` on; items.size() when there is none.
size_t FindTailFurniture(const Layout& layout, const std::vector<Item>& items, size_t begin, const RuleSet& rules) {
  bool signed_seen = false;
  for (size_t i = begin; i < items.size(); ++i) {
    if (items[i].table) {
      // A signature block laid out as a table row (web pages).
      for (const Row& row : layout.blocks[items[i].block].table.rows) {
        for (const Cell& cell : row.cells) {
          for (const Line& l : cell.lines) {
            if (rules.FullMatchIn("signature.title", CollapseSpaces(l.text))) signed_seen = true;
          }
        }
      }
      continue;
    }
    std::string t = StripBars(items[i].text);
    if (rules.FullMatchIn("signature.title", t) || AnyMatch(rules, "signature.recipients", t)) signed_seen = true;
    if (signed_seen && rules.FullMatchIn("furniture.tail", t)) return i;
  }
  return items.size();
}

// `layout` with only the items `keep` marks (parallel to Flatten's items);
// a line block left empty is dropped.
Layout KeepItems(const Layout& layout, const std::vector<bool>& keep) {
  Layout out;
  out.source = layout.source;
  out.format = layout.format;
  out.pages = layout.pages;
  size_t idx = 0;
  for (const Block& b : layout.blocks) {
    if (b.kind == Block::Kind::kTable) {
      if (keep[idx++]) out.blocks.push_back(b);
      continue;
    }
    Block nb = b;
    nb.lines.clear();
    for (const Line& l : b.lines) {
      if (keep[idx++]) nb.lines.push_back(l);
    }
    if (!nb.lines.empty()) out.blocks.push_back(std::move(nb));
  }
  return out;
}

}  // namespace

std::optional<Layout> DropFurniture(const Layout& layout, const RuleSet& rules, Diagnostics* diag) {
  std::vector<Item> items = Flatten(layout);
  std::vector<bool> keep(items.size(), true);
  size_t begin = 0, end = items.size();
  if (layout.format != Format::kPdf) {
    size_t evidence = FindPortalEvidence(items, rules);
    // What precedes the document's header block is the page's.
    begin = FindDocumentBegin(items, evidence, rules);
    if (evidence != std::string::npos || begin > 0) end = FindTailFurniture(layout, items, begin, rules);
  }
  for (size_t i = 0; i < items.size(); ++i) {
    if (i < begin || i >= end) keep[i] = false;
    if (keep[i] && !items[i].table && rules.FullMatchIn("signature.not_text", StripBars(items[i].text))) {
      keep[i] = false;
    }
  }
  size_t dropped = static_cast<size_t>(std::count(keep.begin(), keep.end(), false));
  if (dropped == 0) return std::nullopt;
  if (begin > 0) {
    diag->Info("furniture.lead", "dropped " + std::to_string(begin) + " lines before the document's header (page furniture)");
  }
  if (end < items.size()) {
    const Item& t = items[end];
    diag->Info("furniture.tail", "dropped " + std::to_string(items.size() - end) +
                                     " lines after the signature (page furniture)",
               t.src ? t.src->page : 0, t.src ? t.src->line : 0);
  }
  return KeepItems(layout, keep);
}

std::optional<std::pair<std::string, int>> PortalSigner(const Layout& layout, const RuleSet& rules) {
  std::vector<Item> items = Flatten(layout);
  for (size_t i = 0; i < items.size() && i < 300; ++i) {
    Match m;
    if (items[i].table || !rules.FullMatchIn("furniture.signer", items[i].text, &m)) continue;
    std::string name = CollapseSpaces(StripBars(m.Group(1, "")));
    size_t at = i;
    // The value may stand on a later line, after '|' separators.
    for (size_t k = i + 1; name.empty() && k < items.size() && k < i + 4; ++k) {
      if (items[k].table) break;
      std::string t = StripBars(items[k].text);
      if (t.empty()) continue;
      name = t;
      at = k;
    }
    if (!name.empty() && rules.FullMatchIn("signature.person", name)) {
      return std::make_pair(name, items[at].src->line);
    }
  }
  return std::nullopt;
}

std::string NormalizeDocNumber(std::string_view printed) {
  std::string n = RemoveSpaces(printed);
  std::string out;
  for (size_t i = 0; i < n.size(); ++i) {
    // A registry stamps the figures, sometimes with a period, before the
    // printed "/KH-UBND".
    if (n[i] == '.' && (i + 1 == n.size() || n[i + 1] == '/')) continue;
    out += n[i];
  }
  return out;
}

std::optional<std::string> ReadNumberLine(std::string_view text, const RuleSet& rules, const Rule** rule) {
  Match m;
  *rule = rules.FullMatchIn("meta.number", text, &m);
  if (*rule == nullptr) return std::nullopt;
  std::string n = NormalizeDocNumber(m.Group(1, ""));
  if (n.find('/') == std::string::npos && n.find('-') == std::string::npos) return std::nullopt;
  return n;
}

std::string IssuerCase(std::string_view issuer, const RuleSet& rules) {
  std::string text = CollapseSpaces(issuer);
  if (!IsAllUpper(text)) return text;
  std::vector<std::pair<std::string, std::string>> map;
  if (const Rule* r = rules.Find("meta.issuer_case")) {
    for (const std::string& m : r->GetAll("map")) {
      size_t eq = m.find('=');
      if (eq != std::string::npos) map.emplace_back(m.substr(0, eq), m.substr(eq + 1));
    }
  }
  std::sort(map.begin(), map.end(), [](const auto& a, const auto& b) { return a.first.size() > b.first.size(); });
  std::string out;
  size_t i = 0;
  while (i < text.size()) {
    if (text[i] == ' ') {
      out += ' ';
      ++i;
      continue;
    }
    bool done = false;
    for (const auto& [from, to] : map) {
      size_t after = i + from.size();
      if (text.compare(i, from.size(), from) == 0 &&
          (after == text.size() || text[after] == ' ' || text[after] == ',')) {
        out += to;
        i = after;
        done = true;
        break;
      }
    }
    if (done) continue;
    // A proper name: first letter kept, the rest lower case.
    size_t e = text.find(' ', i);
    if (e == std::string::npos) e = text.size();
    std::string word = text.substr(i, e - i);
    size_t k = 0;
    NextCodePoint(word, &k);
    out += word.substr(0, k) + ToLower(word.substr(k));
    i = e;
  }
  // A sentence starts upper case whatever the map says.
  if (!out.empty()) {
    size_t k = 0;
    NextCodePoint(out, &k);
    out = ToUpper(out.substr(0, k)) + out.substr(k);
  }
  return out;
}

std::optional<CaptionFields> ReadCaption(std::string_view text, const RuleSet& rules) {
  Match m;
  std::string t = CollapseSpaces(text);
  if (!rules.FullMatchIn("meta.caption", t, &m)) return std::nullopt;
  int d = ToInt(m.Group(3, "0")), mo = ToInt(m.Group(4, "0")), y = ToInt(m.Group(5, "0"));
  if (!ValidDate(y, mo, d)) return std::nullopt;
  std::string type = m.Group(1, "");
  if (!type.empty()) {
    size_t k = 0;
    NextCodePoint(type, &k);
    type = ToUpper(type.substr(0, k)) + ToLower(type.substr(k));
  }
  return CaptionFields{type, NormalizeDocNumber(m.Group(2, "")), IsoDate(y, mo, d), CollapseSpaces(m.Group(6, ""))};
}

std::vector<int> ForeignTextPages(const Layout& layout) {
  std::vector<int> pages;
  if (layout.format != Format::kPdf) return pages;
  std::map<int, std::pair<size_t, size_t>> counts;  // page -> (letters, foreign letters)
  for (const Block& b : layout.blocks) {
    for (const Line& l : b.lines) {
      auto& c = counts[l.page];
      for (size_t i = 0; i < l.text.size();) {
        char32_t cp = NextCodePoint(l.text, &i);
        bool latin = (cp >= 'A' && cp <= 'Z') || (cp >= 'a' && cp <= 'z') || (cp >= 0xC0 && cp <= 0x24F) ||
                     (cp >= 0x1E00 && cp <= 0x1EFF);
        // Greek, Cyrillic, Armenian, Hebrew, Arabic: no Vietnamese text uses them.
        bool foreign = cp >= 0x370 && cp <= 0x6FF;
        if (latin || foreign) ++c.first;
        if (foreign) ++c.second;
      }
    }
  }
  for (const auto& [page, c] : counts) {
    if (c.second >= 5 && c.second * 50 >= c.first) pages.push_back(page);
  }
  return pages;
}

namespace {

// The header zone: at most 60 lines from the first, up to the type line, the
// body, the recipients or the opening (or a table after some lines); lines
// on `skip_pages` are left out.
std::vector<Item> HeaderZone(const Layout& layout, const RuleSet& rules, const std::vector<int>& skip_pages) {
  std::vector<Item> zone;
  for (const Item& it : Flatten(layout)) {
    if (zone.size() >= 60) break;
    if (it.table) {
      if (zone.empty()) continue;
      break;
    }
    if (std::find(skip_pages.begin(), skip_pages.end(), it.src->page) != skip_pages.end()) continue;
    std::string t = StripBars(it.text);
    if (rules.FullMatchIn("doctype", t) || AnyMatch(rules, "meta.body_start", t) ||
        AnyMatch(rules, "signature.recipients", t) || AnyMatch(rules, "furniture.opening", t)) {
      break;
    }
    zone.push_back(it);
  }
  return zone;
}

// A cell of the header block: its text and first line.
struct ZoneCell {
  std::string text;
  int line = 0;
};

// Appends the line's text to the cell (separators and rules skipped).
void AddToCell(ZoneCell* c, const Item& it) {
  std::string t = StripBars(it.text);
  if (t.empty() || Decorative(t)) return;
  if (c->text.empty()) c->line = it.src->line;
  AppendWrapped(&c->text, t);
}

// A PDF header in two columns: issuer and number on the left of the motto's
// column (at zone[motto]), place and date under the motto. The left column's
// lines before the number are one cell, the issuer; every other line is a
// cell of its own.
std::vector<ZoneCell> PdfHeaderCells(const std::vector<Item>& zone, size_t motto, const RuleSet& rules,
                                     std::optional<ZoneCell>* issuer) {
  std::vector<ZoneCell> cells;
  double split = motto == std::string::npos ? 0 : zone[motto].src->box.x0;
  ZoneCell left;
  bool number_seen = false;
  for (const Item& it : zone) {
    const Box& b = it.src->box;
    bool is_left = split > 0 && !b.empty() && (b.x0 + b.x1) / 2 < split;
    std::string t = StripBars(it.text);
    bool numberish = t.starts_with("Số") || t.starts_with("V/v") || AnyMatch(rules, "meta.number_blank", t);
    if (is_left && !number_seen && !numberish) {
      AddToCell(&left, it);
      continue;
    }
    if (is_left && numberish) number_seen = true;
    ZoneCell c;
    AddToCell(&c, it);
    if (!c.text.empty()) cells.push_back(c);
  }
  if (!left.text.empty()) *issuer = left;
  return cells;
}

// A header flattened into lines (web pages, DOCX, text): cells end at '|'
// bars, blank lines and rules (Boundary), and after the number; the motto
// and "Số:" open cells of their own. The issuer is the nearest upper-case
// cell before the motto's (a "Số:" cell may stand between them).
std::vector<ZoneCell> FlatHeaderCells(const std::vector<Item>& zone, size_t motto, const RuleSet& rules,
                                      std::optional<ZoneCell>* issuer) {
  std::vector<ZoneCell> cells;
  bool pipe_mode = PipeMode(zone, zone.size());
  ZoneCell cur;
  size_t motto_cell = std::string::npos;
  for (size_t i = 0; i < zone.size(); ++i) {
    // The motto and "Số:" open cells of their own even when the issuer
    // lines above them are in the same block.
    std::string t = StripBars(zone[i].text);
    if (!cur.text.empty() && ((i == motto && !pipe_mode) || t.starts_with("Số:") || t.starts_with("Số ") || t == "Số")) {
      cells.push_back(cur);
      cur = ZoneCell{};
    }
    AddToCell(&cur, zone[i]);
    if (i == motto) motto_cell = cells.size();
    // ... and ends with the number.
    bool number_done = cur.text.starts_with("Số") && (rules.FullMatchIn("meta.number", cur.text) ||
                                                       rules.FullMatchIn("meta.number_blank", cur.text));
    if (i + 1 == zone.size() || number_done || Boundary(zone, i, pipe_mode)) {
      if (!cur.text.empty()) cells.push_back(cur);
      cur = ZoneCell{};
    }
  }
  for (size_t k = motto_cell == std::string::npos ? 0 : std::min(motto_cell, cells.size()); k > 0; --k) {
    const ZoneCell& c = cells[k - 1];
    if (c.text.starts_with("Số")) continue;
    if (IsAllUpper(c.text) && !IsMotto(rules, c.text)) *issuer = c;
    break;
  }
  return cells;
}

// Number (or a blank number) and place and date from the first candidates
// that hold them: the cells, then single lines, then pairs of lines (a "Số:"
// or a date broken over two lines outside any cell structure).
void ReadCellFields(const std::vector<ZoneCell>& cells, const std::vector<Item>& zone, const RuleSet& rules,
                    HeaderFields* h) {
  std::vector<ZoneCell> cands = cells;
  for (size_t i = 0; i < zone.size(); ++i) {
    ZoneCell c;
    AddToCell(&c, zone[i]);
    if (!c.text.empty()) cands.push_back(c);
  }
  for (size_t i = 0; i + 1 < zone.size(); ++i) {
    ZoneCell c;
    AddToCell(&c, zone[i]);
    AddToCell(&c, zone[i + 1]);
    if (!c.text.empty()) cands.push_back(c);
  }
  for (const ZoneCell& c : cands) {
    Match m;
    const Rule* r = nullptr;
    if (!h->number && !h->number_blank) {
      if (std::optional<std::string> n = ReadNumberLine(c.text, rules, &r)) {
        h->number = n;
        h->number_printed = c.text;
        h->number_line = c.line;
        h->rules.push_back(r->id);
      }
    }
    if (!h->number && !h->number_blank && (r = rules.FullMatchIn("meta.number_blank", c.text))) {
      h->number_blank = true;
      h->number_printed = c.text;
      h->number_line = c.line;
      h->rules.push_back(r->id);
    }
    if (!h->date && (r = rules.FindIn("meta.place_date", c.text, &m))) {
      int y = ToInt(m.Group(4, "0")), mo = ToInt(m.Group(3, "0")), d = ToInt(m.Group(2, "0"));
      if (ValidDate(y, mo, d)) {
        h->place = CollapseSpaces(StripBars(m.Group(1, "")));
        h->date = IsoDate(y, mo, d);
        h->date_line = c.line;
        h->rules.push_back(r->id);
      }
    }
  }
}

}  // namespace

HeaderFields ReadHeaderBlock(const Layout& layout, const RuleSet& rules, const std::vector<int>& skip_pages) {
  HeaderFields h;
  const std::vector<Item> zone = HeaderZone(layout, rules, skip_pages);
  if (zone.empty()) return h;
  size_t motto = std::string::npos;
  for (size_t i = 0; i < zone.size(); ++i) {
    if (IsMotto(rules, zone[i].text)) {
      motto = i;
      break;
    }
  }
  std::optional<ZoneCell> issuer_cell;
  const std::vector<ZoneCell> cells = layout.format == Format::kPdf
                                          ? PdfHeaderCells(zone, motto, rules, &issuer_cell)
                                          : FlatHeaderCells(zone, motto, rules, &issuer_cell);
  if (issuer_cell) {
    h.issuer = issuer_cell->text;
    h.issuer_line = issuer_cell->line;
  }
  ReadCellFields(cells, zone, rules, &h);
  return h;
}

}  // namespace plantrace
