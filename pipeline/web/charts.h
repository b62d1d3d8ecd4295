// Charts as SVG drawn on the server (no script, no external library): the
// dashboard's bars and columns and the documents' lineage graph. Every
// label is escaped; each bar or node may link to the page that lists what
// it counts. Marks carry data-* attributes with their values so a test (or
// an assistive tool) reads the numbers without reading pixels.
#ifndef PLANTRACE_PIPELINE_WEB_CHARTS_H_
#define PLANTRACE_PIPELINE_WEB_CHARTS_H_

#include <cstdint>
#include <string>
#include <vector>

namespace plantrace::web {

struct Series {
  std::string name;
  std::string colour;  // CSS colour
};

// One category with one value per series, and a link per value.
struct BarGroup {
  std::string label;
  std::vector<int64_t> values;
  std::vector<std::string> hrefs;  // "" for no link
};

// Horizontal bars, one group per row, the series side by side, with a
// legend. `title` is the chart's accessible name.
std::string HorizontalBarsSvg(const std::string& title, const std::vector<Series>& series,
                              const std::vector<BarGroup>& groups);

// Vertical columns over an ordered axis (months, weeks): one value each.
struct ColumnBar {
  std::string label;
  int64_t value = 0;
  std::string href;
};
std::string ColumnsSvg(const std::string& title, const Series& series, const std::vector<ColumnBar>& columns);

// Documents linked by relations, oldest on the left.
struct GraphNode {
  int64_t id = 0;
  std::string label;  // number
  std::string sub;    // date or type
  std::string href;
  bool current = false;  // the page's own document, drawn stronger
};
struct GraphEdge {
  int64_t from = 0, to = 0;  // citing (newer) -> cited
  std::string label;         // relation
};
std::string LineageSvg(const std::vector<GraphNode>& nodes, const std::vector<GraphEdge>& edges);

}  // namespace plantrace::web

#endif  // PLANTRACE_PIPELINE_WEB_CHARTS_H_
