// Canonical text dumps of Layout and DocTree.
#include "pipeline/stages/dump.h"

#include <cstdio>
#include <sstream>

namespace plantrace {
namespace {

std::string Pos(int page, int line) { return "p" + std::to_string(page) + ":l" + std::to_string(line); }

void DumpNode(const Node& n, int depth, std::ostringstream& o) {
  std::string ind(depth * 2, ' ');
  const char* kind = n.kind == Node::Kind::kHeading ? "H" : n.kind == Node::Kind::kItem ? "I"
                     : n.kind == Node::Kind::kTable ? "T" : "P";
  o << ind << kind << " [" << n.marker << "|" << n.style << "] " << Pos(n.page, n.line) << " " << n.text << "\n";
  if (n.kind == Node::Kind::kTable) {
    for (const GridRow& r : n.grid.rows) {
      o << ind << "  " << (r.header ? "H" : "R") << " " << Pos(r.page, r.line);
      for (const GridCell& c : r.cells) o << " | " << (c.from_span ? "^" : "") << c.text;
      o << "\n";
    }
  }
  for (const Node& c : n.children) DumpNode(c, depth + 1, o);
}

}  // namespace

std::string DumpLayout(const Layout& layout) {
  std::ostringstream o;
  o << "layout " << FormatName(layout.format) << " pages=" << layout.pages.size()
    << " blocks=" << layout.blocks.size() << "\n";
  for (const Page& p : layout.pages) {
    if (p.image_only) o << "page " << p.number << " image-only\n";
  }
  for (const Block& b : layout.blocks) {
    if (b.kind == Block::Kind::kLines) {
      o << "block lines p" << b.page << "\n";
      for (const Line& l : b.lines) {
        o << "  " << Pos(l.page, l.line) << (l.bold ? " B" : "") << (l.heading_level ? " #" : "") << " " << l.text
          << "\n";
      }
    } else {
      o << "block table p" << b.table.first_page << "-" << b.table.last_page << " rows=" << b.table.rows.size()
        << "\n";
      for (const Row& r : b.table.rows) {
        o << "  " << (r.header ? "H" : "R") << " p" << r.page;
        for (const Cell& c : r.cells) {
          o << " | ";
          if (c.row_span > 1 || c.col_span > 1) o << "{" << c.row_span << "x" << c.col_span << "}";
          o << c.Text(" / ");
        }
        o << "\n";
      }
    }
  }
  return o.str();
}

std::string DumpDocTree(const DocTree& t) {
  std::ostringstream o;
  auto opt = [](const std::optional<std::string>& s) { return s ? *s : std::string("-"); };
  o << "doctree " << FormatName(t.format) << "\n";
  o << "number: " << opt(t.header.number) << "\ntype: " << opt(t.header.type) << "\nissuer: "
    << opt(t.header.issuer) << "\nplace: " << opt(t.header.place) << "\ndate: " << opt(t.header.date)
    << "\ntitle: " << opt(t.header.title) << "\nsigner: " << opt(t.header.signer) << "\n";
  for (const DocPart& p : t.parts) {
    o << "part [" << p.label << "] " << p.title << " " << p.caption << "\n";
    for (const Node& n : p.nodes) DumpNode(n, 1, o);
  }
  return o.str();
}

}  // namespace plantrace
