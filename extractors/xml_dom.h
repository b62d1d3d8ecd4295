// A compact read-only DOM (elements, attributes, text) built by libxml2's
// HTML and XML parsers; the HTML and DOCX readers walk it. This header and
// xml_dom.cc are the only place libxml2 is seen.
#ifndef PLANTRACE_EXTRACTORS_XML_DOM_H_
#define PLANTRACE_EXTRACTORS_XML_DOM_H_

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "pipeline/base/status.h"

namespace plantrace {

// Nodes live in one array and point at each other by index, and all text and
// attribute values live in one arena, so a 50 MB page costs a small multiple
// of its size. Node 0 is the document node; its children are the top-level
// elements. Element nesting is capped at kMaxDepth: deeper elements are
// dropped and their text joins the deepest kept element, so walkers may recurse.
class Dom {
 public:
  using NodeId = uint32_t;
  static constexpr NodeId kNone = UINT32_MAX;
  static constexpr int kMaxDepth = 256;

  NodeId root() const { return 0; }
  size_t size() const { return nodes_.size(); }
  bool IsText(NodeId n) const { return nodes_[n].name == 0; }
  // Element name: lower case for HTML ("td"); "prefix:local" for XML ("w:p").
  // Empty for text nodes.
  std::string_view Name(NodeId n) const { return names_[nodes_[n].name]; }
  bool Is(NodeId n, std::string_view name) const { return Name(n) == name; }
  // Text of a text node (entities decoded, UTF-8).
  std::string_view Text(NodeId n) const;
  // Attribute value; empty when absent (use HasAttr to tell apart).
  std::string_view Attr(NodeId n, std::string_view name) const;
  bool HasAttr(NodeId n, std::string_view name) const;
  NodeId Parent(NodeId n) const { return nodes_[n].parent; }
  NodeId FirstChild(NodeId n) const { return nodes_[n].first_child; }
  NodeId NextSibling(NodeId n) const { return nodes_[n].next; }
  // First child element with this name, or kNone.
  NodeId Child(NodeId n, std::string_view name) const;
  // First element with this name in the subtree below n (depth first), or kNone.
  NodeId Find(NodeId n, std::string_view name) const;

 private:
  friend class DomBuilder;
  struct Node {
    uint32_t name = 0;  // index into names_; 0 = text node
    NodeId parent = kNone, first_child = kNone, last_child = kNone, next = kNone;
    uint32_t text_off = 0, text_len = 0;  // text nodes
    uint32_t attr_begin = 0, attr_count = 0;
  };
  struct Attribute {
    uint32_t name = 0;
    uint32_t off = 0, len = 0;
  };
  std::vector<Node> nodes_;
  std::vector<Attribute> attrs_;
  std::vector<std::string> names_;
  std::string arena_;
};

struct DomLimits {
  size_t max_nodes = 8u << 20;  // elements + text nodes; more is an error
};

// Parses HTML tolerantly (recovering from broken markup, silent, no network).
// `bytes` are UTF-8 whatever <meta charset> says: the caller decodes other
// charsets first (libxml2's own conversion stops at the first byte it
// cannot convert, losing the rest of the page). `source` prefixes error
// messages.
Result<Dom> ParseHtmlDom(std::string_view bytes, const std::string& source, const DomLimits& limits = {});

// Parses well-formed XML: no network, no DTD loading, no entity expansion.
// A document with a DOCTYPE is refused (it is the only way to declare
// entities, and no OOXML part needs one). Errors name `source` and the line.
Result<Dom> ParseXmlDom(std::string_view bytes, const std::string& source, const DomLimits& limits = {});

}  // namespace plantrace

#endif  // PLANTRACE_EXTRACTORS_XML_DOM_H_
