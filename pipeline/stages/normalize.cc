// Normalize stage: NFC and whitespace for every line and cell of a Layout,
// line joining, and expansion of reader tables into dense grids.
#include "pipeline/stages/normalize.h"

#include <cctype>

#include "pipeline/base/unicode.h"
#include "pipeline/stages/doctree.h"

namespace plantrace {

std::string RemoveSpaces(std::string_view s) {
  std::string out(s);
  std::erase(out, ' ');
  return out;
}

int CountWords(std::string_view s) {
  int n = 0;
  bool in = false;
  for (char c : s) {
    bool sp = c == ' ';
    if (!sp && !in) ++n;
    in = !sp;
  }
  return n;
}

std::string NormalizeText(std::string_view s) {
  std::string nfc = ToNfc(s);
  std::string out;
  out.reserve(nfc.size());
  for (size_t i = 0; i < nfc.size();) {
    unsigned char c = nfc[i];
    // U+00A0 NBSP, U+00AD soft hyphen
    if (c == 0xC2 && i + 1 < nfc.size()) {
      unsigned char d = nfc[i + 1];
      if (d == 0xA0) { out.push_back(' '); i += 2; continue; }
      if (d == 0xAD) { i += 2; continue; }
    }
    if (c == 0xE2 && i + 2 < nfc.size() && static_cast<unsigned char>(nfc[i + 1]) == 0x80) {
      unsigned char d = nfc[i + 2];
      if (d >= 0x80 && d <= 0x8A) { out.push_back(' '); i += 3; continue; }  // U+2000..200A spaces
      if (d >= 0x8B && d <= 0x8D) { i += 3; continue; }                      // zero-width
      if (d == 0xAF) { out.push_back(' '); i += 3; continue; }               // U+202F
    }
    if (c == 0xEF && i + 2 < nfc.size() && static_cast<unsigned char>(nfc[i + 1]) == 0xBB &&
        static_cast<unsigned char>(nfc[i + 2]) == 0xBF) {
      i += 3;  // stray BOM
      continue;
    }
    if (c == 0xE3 && i + 2 < nfc.size() && static_cast<unsigned char>(nfc[i + 1]) == 0x80 &&
        static_cast<unsigned char>(nfc[i + 2]) == 0x80) {
      out.push_back(' ');  // U+3000
      i += 3;
      continue;
    }
    out.push_back(static_cast<char>(c));
    ++i;
  }
  // Runs of spaces inside a line are kept: in text flattened from a table
  // they separate cells. Stages collapse them where they build sentences.
  size_t b = out.find_first_not_of(" \t\r\f\v");
  if (b == std::string::npos) return "";
  size_t e = out.find_last_not_of(" \t\r\f\v");
  std::string trimmed = out.substr(b, e - b + 1);
  for (char& ch : trimmed) {
    if (ch == '\t' || ch == '\r' || ch == '\f' || ch == '\v') ch = ' ';
  }
  return trimmed;
}

void AppendWrapped(std::string* acc, std::string_view next) {
  std::string n = CollapseSpaces(next);
  if (n.empty()) return;
  if (acc->empty()) {
    *acc = n;
    return;
  }
  size_t len = acc->size();
  bool glued_hyphen = (*acc)[len - 1] == '-' && len >= 2 && (*acc)[len - 2] != ' ';
  // A date broken inside a narrow cell ("30/6/202" + "5"): a date never
  // holds a space.
  size_t token = acc->find_last_of(' ');
  std::string_view last(acc->data() + (token == std::string::npos ? 0 : token + 1));
  size_t slash = last.rfind('/');
  bool broken_date = slash != std::string_view::npos && last.size() - slash - 1 >= 1 &&
                     last.size() - slash - 1 < 4 && std::isdigit(static_cast<unsigned char>(last.back())) &&
                     std::isdigit(static_cast<unsigned char>(n[0])) && slash > 0 &&
                     last.find('/') != slash;  // day/month/year: two slashes
  if (!glued_hyphen && !broken_date) acc->push_back(' ');
  acc->append(n);
}

std::string JoinWrapped(const std::vector<std::string>& lines) {
  std::string out;
  for (const std::string& l : lines) AppendWrapped(&out, l);
  return out;
}

std::string JoinLines(const std::vector<Line>& lines) {
  std::string out;
  bool glue = false;
  for (const Line& l : lines) {
    if (glue && !out.empty()) {
      out += CollapseSpaces(l.text);
    } else {
      AppendWrapped(&out, l.text);
    }
    glue = l.joins_next;
  }
  return out;
}

namespace {

void NormalizeLine(Line* l) {
  l->text = NormalizeText(l->text);
  for (Word& w : l->words) w.text = NormalizeText(w.text);
}

}  // namespace

Layout Normalize(Layout in, Diagnostics*) {
  Layout out = std::move(in);
  for (Block& b : out.blocks) {
    for (Line& l : b.lines) NormalizeLine(&l);
    std::erase_if(b.lines, [](const Line& l) { return l.text.empty(); });
    for (Row& r : b.table.rows) {
      for (Cell& c : r.cells) {
        for (Line& l : c.lines) NormalizeLine(&l);
        std::erase_if(c.lines, [](const Line& l) { return l.text.empty(); });
      }
    }
  }
  std::erase_if(out.blocks, [](const Block& b) {
    return b.kind == Block::Kind::kLines ? b.lines.empty() : b.table.rows.empty();
  });
  return out;
}

Grid ExpandTable(const Table& table) {
  Grid g;
  g.first_page = table.first_page;
  // Occupancy grid: a spanning cell reserves the positions it covers.
  std::vector<std::vector<const Cell*>> owner;
  std::vector<std::vector<bool>> origin;
  int columns = 0;
  for (size_t r = 0; r < table.rows.size(); ++r) {
    if (owner.size() <= r) {
      owner.resize(r + 1);
      origin.resize(r + 1);
    }
    size_t col = 0;
    for (const Cell& c : table.rows[r].cells) {
      while (col < owner[r].size() && owner[r][col]) ++col;
      int rs = std::max(1, c.row_span), cs = std::max(1, c.col_span);
      for (int dr = 0; dr < rs; ++dr) {
        size_t rr = r + dr;
        if (rr >= table.rows.size()) break;
        if (owner.size() <= rr) {
          owner.resize(rr + 1);
          origin.resize(rr + 1);
        }
        for (int dc = 0; dc < cs; ++dc) {
          size_t cc = col + dc;
          if (owner[rr].size() <= cc) {
            owner[rr].resize(cc + 1, nullptr);
            origin[rr].resize(cc + 1, false);
          }
          owner[rr][cc] = &c;
          origin[rr][cc] = dr == 0 && dc == 0;
        }
      }
      col += cs;
      columns = std::max<int>(columns, static_cast<int>(col));
    }
  }
  g.columns = columns;
  for (size_t r = 0; r < table.rows.size(); ++r) {
    GridRow row;
    row.header = table.rows[r].header;
    row.page = table.rows[r].page;
    for (int c = 0; c < columns; ++c) {
      GridCell cell;
      const Cell* src = c < static_cast<int>(owner[r].size()) ? owner[r][c] : nullptr;
      if (src) {
        cell.text = JoinLines(src->lines);
        cell.blank = cell.text.empty();
        cell.from_span = !origin[r][c];
        for (const Line& l : src->lines) {
          for (const Word& w : l.words) {
            if (w.confidence >= 0 && (cell.confidence < 0 || w.confidence < cell.confidence)) {
              cell.confidence = w.confidence;
            }
          }
        }
        if (!src->lines.empty()) {
          cell.page = src->lines.front().page;
          cell.line = src->lines.front().line;
        } else {
          cell.page = row.page;
        }
      }
      if (row.line == 0 && cell.line != 0 && !cell.from_span) row.line = cell.line;
      row.cells.push_back(std::move(cell));
    }
    if (row.line == 0) {
      for (const GridCell& c : row.cells) {
        if (c.line) {
          row.line = c.line;
          break;
        }
      }
    }
    g.rows.push_back(std::move(row));
  }
  if (!g.rows.empty()) g.line = g.rows.front().line;
  return g;
}

}  // namespace plantrace
