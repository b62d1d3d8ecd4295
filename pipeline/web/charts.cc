// SVG charts for the web view (charts.h).
#include "pipeline/web/charts.h"

#include <algorithm>
#include <cstdio>
#include <map>

#include "pipeline/base/unicode.h"

namespace plantrace::web {
namespace {

std::string Num(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.1f", v);
  return buf;
}

// At most `n` characters (code points) of `s`, with "…" when cut: SVG text
// does not wrap, and an agency's full name stays in the bar's title.
std::string Cut(const std::string& s, size_t n) {
  size_t chars = 0;
  for (size_t i = 0; i < s.size(); ++i) {
    if ((static_cast<unsigned char>(s[i]) & 0xC0) != 0x80 && chars++ == n) return s.substr(0, i) + "…";
  }
  return s;
}

std::string Open(const std::string& title, double width, double height) {
  return "<svg xmlns=\"http://www.w3.org/2000/svg\" role=\"img\" viewBox=\"0 0 " + Num(width) + " " + Num(height) +
         "\" width=\"100%\" style=\"max-width:" + Num(width) + "px\" aria-label=\"" + HtmlEscape(title) +
         "\" font-family=\"system-ui,sans-serif\" font-size=\"12\"><title>" + HtmlEscape(title) + "</title>";
}

std::string Linked(const std::string& href, const std::string& inner) {
  return href.empty() ? inner : "<a href=\"" + HtmlEscape(href) + "\">" + inner + "</a>";
}

}  // namespace

std::string HorizontalBarsSvg(const std::string& title, const std::vector<Series>& series,
                              const std::vector<BarGroup>& groups) {
  constexpr double kLabelWidth = 260, kBarsWidth = 380, kBarHeight = 11, kGap = 8, kLegend = 24;
  int64_t max = 1;
  for (const BarGroup& g : groups) {
    for (int64_t v : g.values) max = std::max(max, v);
  }
  const double group_height = kBarHeight * static_cast<double>(series.size()) + kGap;
  const double height = kLegend + group_height * static_cast<double>(groups.size()) + 4;
  const double width = kLabelWidth + kBarsWidth + 40;
  std::string out = Open(title, width, height);
  double x = kLabelWidth;
  for (const Series& s : series) {
    out += "<rect x=\"" + Num(x) + "\" y=\"4\" width=\"10\" height=\"10\" fill=\"" + HtmlEscape(s.colour) +
           "\"/><text x=\"" + Num(x + 14) + "\" y=\"13\">" + HtmlEscape(s.name) + "</text>";
    x += 30 + 7.0 * static_cast<double>(s.name.size());
  }
  double y = kLegend;
  for (const BarGroup& g : groups) {
    out += "<text x=\"" + Num(kLabelWidth - 6) + "\" y=\"" + Num(y + group_height / 2) +
           "\" text-anchor=\"end\"><title>" + HtmlEscape(g.label) + "</title>" + HtmlEscape(Cut(g.label, 32)) +
           "</text>";
    for (size_t s = 0; s < series.size() && s < g.values.size(); ++s) {
      const int64_t v = g.values[s];
      const double w = std::max(v > 0 ? 2.0 : 0.0, kBarsWidth * static_cast<double>(v) / static_cast<double>(max));
      const double by = y + kBarHeight * static_cast<double>(s);
      std::string bar = "<rect class=\"bar\" data-label=\"" + HtmlEscape(g.label) + "\" data-series=\"" +
                        HtmlEscape(series[s].name) + "\" data-value=\"" + std::to_string(v) + "\" x=\"" +
                        Num(kLabelWidth) + "\" y=\"" + Num(by) + "\" width=\"" + Num(w) + "\" height=\"" +
                        Num(kBarHeight - 1) + "\" fill=\"" + HtmlEscape(series[s].colour) + "\"><title>" +
                        HtmlEscape(g.label + " · " + series[s].name + ": " + std::to_string(v)) + "</title></rect>" +
                        "<text x=\"" + Num(kLabelWidth + w + 4) + "\" y=\"" + Num(by + kBarHeight - 2) + "\">" +
                        std::to_string(v) + "</text>";
      out += Linked(s < g.hrefs.size() ? g.hrefs[s] : "", bar);
    }
    y += group_height;
  }
  return out + "</svg>";
}

std::string ColumnsSvg(const std::string& title, const Series& series, const std::vector<ColumnBar>& columns) {
  constexpr double kColumn = 44, kChartHeight = 160, kTop = 16, kAxis = 34;
  int64_t max = 1;
  for (const ColumnBar& c : columns) max = std::max(max, c.value);
  const double width = std::max(1.0, kColumn * static_cast<double>(columns.size())) + 8;
  std::string out = Open(title, width, kTop + kChartHeight + kAxis);
  out += "<line x1=\"4\" x2=\"" + Num(width - 4) + "\" y1=\"" + Num(kTop + kChartHeight) + "\" y2=\"" +
         Num(kTop + kChartHeight) + "\" stroke=\"#999\"/>";
  double x = 4;
  for (const ColumnBar& c : columns) {
    const double h = kChartHeight * static_cast<double>(c.value) / static_cast<double>(max);
    const double top = kTop + kChartHeight - h;
    std::string bar = "<rect class=\"bar\" data-label=\"" + HtmlEscape(c.label) + "\" data-series=\"" +
                      HtmlEscape(series.name) + "\" data-value=\"" + std::to_string(c.value) + "\" x=\"" +
                      Num(x + 6) + "\" y=\"" + Num(top) + "\" width=\"" + Num(kColumn - 12) + "\" height=\"" + Num(h) +
                      "\" fill=\"" + HtmlEscape(series.colour) + "\"><title>" +
                      HtmlEscape(c.label + ": " + std::to_string(c.value)) + "</title></rect>";
    out += Linked(c.href, bar);
    out += "<text x=\"" + Num(x + kColumn / 2) + "\" y=\"" + Num(top - 3) + "\" text-anchor=\"middle\">" +
           std::to_string(c.value) + "</text><text x=\"" + Num(x + kColumn / 2) + "\" y=\"" +
           Num(kTop + kChartHeight + 14) + "\" text-anchor=\"middle\" font-size=\"10\">" + HtmlEscape(c.label) +
           "</text>";
    x += kColumn;
  }
  return out + "</svg>";
}

std::string LineageSvg(const std::vector<GraphNode>& nodes, const std::vector<GraphEdge>& edges) {
  constexpr double kNodeWidth = 170, kNodeHeight = 42, kStep = 200, kRowGap = 70, kTop = 30;
  std::map<int64_t, size_t> index;
  for (size_t i = 0; i < nodes.size(); ++i) index[nodes[i].id] = i;
  // Nodes alternate between two rows so that an edge between neighbours
  // and one that skips a node do not draw over each other.
  auto cx = [&](size_t i) { return 10 + kStep * static_cast<double>(i) + kNodeWidth / 2; };
  auto cy = [&](size_t i) { return kTop + (i % 2 == 0 ? 0 : kRowGap) + kNodeHeight / 2; };
  const double width = 20 + kStep * static_cast<double>(std::max<size_t>(nodes.size(), 1));
  const double height = kTop + kRowGap + kNodeHeight + 40;
  std::string out = Open("Quan hệ giữa các văn bản", width, height);
  out += "<defs><marker id=\"arrow\" viewBox=\"0 0 10 10\" refX=\"10\" refY=\"5\" markerWidth=\"7\" "
         "markerHeight=\"7\" orient=\"auto-start-reverse\"><path d=\"M0,0L10,5L0,10z\" fill=\"#555\"/></marker></defs>";
  for (const GraphEdge& e : edges) {
    auto f = index.find(e.from);
    auto t = index.find(e.to);
    if (f == index.end() || t == index.end() || f->second == t->second) continue;
    const size_t a = f->second, b = t->second;
    const double x1 = cx(a) + (a < b ? kNodeWidth / 2 : -kNodeWidth / 2), y1 = cy(a);
    const double x2 = cx(b) + (a < b ? -kNodeWidth / 2 : kNodeWidth / 2), y2 = cy(b);
    // Edges bow away from the rows: above the top row, below the bottom one.
    const double bow = (a % 2 == 0 && b % 2 == 0) ? -28 : (a % 2 == 1 && b % 2 == 1) ? 28 : 0;
    const double mx = (x1 + x2) / 2, my = (y1 + y2) / 2 + bow;
    out += "<path class=\"edge\" data-from=\"" + std::to_string(e.from) + "\" data-to=\"" + std::to_string(e.to) +
           "\" data-relation=\"" + HtmlEscape(e.label) + "\" d=\"M" + Num(x1) + "," + Num(y1) + " Q" + Num(mx) + "," +
           Num(my + bow) + " " + Num(x2) + "," + Num(y2) + "\" fill=\"none\" stroke=\"#555\" marker-end=\"url(#arrow)\"/>" +
           "<text x=\"" + Num(mx) + "\" y=\"" + Num(my + (bow < 0 ? -2 : 10)) +
           "\" text-anchor=\"middle\" font-size=\"11\" fill=\"#333\">" + HtmlEscape(e.label) + "</text>";
  }
  for (size_t i = 0; i < nodes.size(); ++i) {
    const GraphNode& n = nodes[i];
    const double x = cx(i) - kNodeWidth / 2, y = cy(i) - kNodeHeight / 2;
    std::string box = "<g class=\"node\" data-doc=\"" + std::to_string(n.id) + "\"><rect x=\"" + Num(x) + "\" y=\"" +
                      Num(y) + "\" width=\"" + Num(kNodeWidth) + "\" height=\"" + Num(kNodeHeight) +
                      "\" rx=\"5\" fill=\"" + (n.current ? "#fff3b0" : "#f4f4f4") + "\" stroke=\"" +
                      (n.current ? "#b08800" : "#888") + "\"/><text x=\"" + Num(cx(i)) + "\" y=\"" + Num(y + 17) +
                      "\" text-anchor=\"middle\" font-weight=\"bold\">" + HtmlEscape(Cut(n.label, 24)) +
                      "</text><text x=\"" + Num(cx(i)) + "\" y=\"" + Num(y + 33) +
                      "\" text-anchor=\"middle\" font-size=\"11\">" + HtmlEscape(Cut(n.sub, 28)) + "</text><title>" +
                      HtmlEscape(n.label + " · " + n.sub) + "</title></g>";
    out += Linked(n.href, box);
  }
  return out + "</svg>";
}

}  // namespace plantrace::web
