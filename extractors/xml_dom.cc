// libxml2 behind a small DOM: the HTML and XML parsers are driven through SAX
// callbacks that append to Dom's flat arrays, so no libxml2 tree is built and
// no libxml2 type leaves this file. Errors become Status.
#include "extractors/xml_dom.h"

#include <libxml/HTMLparser.h>
#include <libxml/parser.h>
#include <libxml/parserInternals.h>
#include <libxml/xmlerror.h>

#include <cstring>
#include <mutex>
#include <unordered_map>

namespace plantrace {

std::string_view Dom::Text(NodeId n) const {
  const Node& node = nodes_[n];
  return std::string_view(arena_).substr(node.text_off, node.text_len);
}

bool Dom::HasAttr(NodeId n, std::string_view name) const {
  const Node& node = nodes_[n];
  for (uint32_t i = 0; i < node.attr_count; ++i) {
    if (names_[attrs_[node.attr_begin + i].name] == name) return true;
  }
  return false;
}

std::string_view Dom::Attr(NodeId n, std::string_view name) const {
  const Node& node = nodes_[n];
  for (uint32_t i = 0; i < node.attr_count; ++i) {
    const Attribute& a = attrs_[node.attr_begin + i];
    if (names_[a.name] == name) return std::string_view(arena_).substr(a.off, a.len);
  }
  return {};
}

Dom::NodeId Dom::Child(NodeId n, std::string_view name) const {
  for (NodeId c = FirstChild(n); c != kNone; c = NextSibling(c)) {
    if (Name(c) == name) return c;
  }
  return kNone;
}

Dom::NodeId Dom::Find(NodeId n, std::string_view name) const {
  // Iterative pre-order walk bounded to n's subtree.
  NodeId c = FirstChild(n);
  while (c != kNone) {
    if (Name(c) == name) return c;
    if (FirstChild(c) != kNone) {
      c = FirstChild(c);
      continue;
    }
    while (c != kNone && c != n && NextSibling(c) == kNone) c = Parent(c);
    if (c == kNone || c == n) return kNone;
    c = NextSibling(c);
  }
  return kNone;
}

// Receives SAX events and appends to a Dom. Holds the parser context only to
// stop it on a limit or a refused construct.
class DomBuilder {
 public:
  explicit DomBuilder(const DomLimits& limits) : limits_(limits) {
    dom_.names_.push_back("");  // id 0: text nodes
    dom_.nodes_.push_back(Dom::Node{});
    dom_.nodes_[0].name = Intern("#document");
    stack_.push_back(0);
  }

  void set_ctxt(xmlParserCtxtPtr ctxt) { ctxt_ = ctxt; }
  bool failed() const { return !error_.empty(); }
  const std::string& error() const { return error_; }
  Dom Take() { return std::move(dom_); }

  void Fail(std::string message) {
    if (error_.empty()) error_ = std::move(message);
    if (ctxt_ != nullptr) xmlStopParser(ctxt_);
  }

  // Starts an element; attrs are (name, value) pairs already decoded.
  template <typename AttrFn>
  void Start(std::string_view name, AttrFn&& add_attrs) {
    if (failed()) return;
    if (static_cast<int>(stack_.size()) > Dom::kMaxDepth) {
      ++skipped_;
      return;
    }
    Dom::NodeId id = NewNode();
    if (id == Dom::kNone) return;
    Dom::Node& node = dom_.nodes_[id];
    node.name = Intern(name);
    node.attr_begin = static_cast<uint32_t>(dom_.attrs_.size());
    add_attrs([this](std::string_view n, std::string_view v) {
      Dom::Attribute a;
      a.name = Intern(n);
      a.off = static_cast<uint32_t>(dom_.arena_.size());
      a.len = static_cast<uint32_t>(v.size());
      dom_.arena_.append(v);
      dom_.attrs_.push_back(a);
    });
    dom_.nodes_[id].attr_count = static_cast<uint32_t>(dom_.attrs_.size()) - dom_.nodes_[id].attr_begin;
    stack_.push_back(id);
  }

  void End() {
    if (skipped_ > 0) {
      --skipped_;
      return;
    }
    if (stack_.size() > 1) stack_.pop_back();
  }

  void Chars(const char* ch, int len) {
    if (failed() || len <= 0) return;
    if (dom_.arena_.size() + static_cast<size_t>(len) > (1u << 31)) {
      Fail("document text exceeds 2 GB");
      return;
    }
    Dom::NodeId parent = stack_.back();
    Dom::NodeId last = dom_.nodes_[parent].last_child;
    if (last != Dom::kNone && dom_.nodes_[last].name == 0 &&
        dom_.nodes_[last].text_off + dom_.nodes_[last].text_len == dom_.arena_.size()) {
      dom_.arena_.append(ch, static_cast<size_t>(len));
      dom_.nodes_[last].text_len += static_cast<uint32_t>(len);
      return;
    }
    Dom::NodeId id = NewNode();
    if (id == Dom::kNone) return;
    dom_.nodes_[id].text_off = static_cast<uint32_t>(dom_.arena_.size());
    dom_.nodes_[id].text_len = static_cast<uint32_t>(len);
    dom_.arena_.append(ch, static_cast<size_t>(len));
  }

 private:
  uint32_t Intern(std::string_view name) {
    auto [it, inserted] = name_ids_.try_emplace(std::string(name), static_cast<uint32_t>(dom_.names_.size()));
    if (inserted) dom_.names_.emplace_back(name);
    return it->second;
  }

  // Appends a node as the last child of the open element.
  Dom::NodeId NewNode() {
    if (dom_.nodes_.size() >= limits_.max_nodes) {
      Fail("more than " + std::to_string(limits_.max_nodes) + " nodes");
      return Dom::kNone;
    }
    Dom::NodeId id = static_cast<Dom::NodeId>(dom_.nodes_.size());
    Dom::NodeId parent = stack_.back();
    dom_.nodes_.push_back(Dom::Node{});
    dom_.nodes_[id].parent = parent;
    Dom::Node& p = dom_.nodes_[parent];
    if (p.last_child == Dom::kNone) {
      p.first_child = id;
    } else {
      dom_.nodes_[p.last_child].next = id;
    }
    p.last_child = id;
    return id;
  }

  DomLimits limits_;
  Dom dom_;
  std::vector<Dom::NodeId> stack_;
  int skipped_ = 0;
  std::unordered_map<std::string, uint32_t> name_ids_;
  xmlParserCtxtPtr ctxt_ = nullptr;
  std::string error_;
};

namespace {

std::string_view Sv(const xmlChar* s) {
  return s == nullptr ? std::string_view() : std::string_view(reinterpret_cast<const char*>(s));
}

DomBuilder* B(void* ctx) { return static_cast<DomBuilder*>(ctx); }

void InitLibxml() {
  static std::once_flag once;
  std::call_once(once, [] { xmlInitParser(); });
}

void OnHtmlStart(void* ctx, const xmlChar* name, const xmlChar** atts) {
  B(ctx)->Start(Sv(name), [atts](auto add) {
    for (int i = 0; atts != nullptr && atts[i] != nullptr; i += 2) add(Sv(atts[i]), Sv(atts[i + 1]));
  });
}

void OnHtmlEnd(void* ctx, const xmlChar*) { B(ctx)->End(); }

void OnXmlStart(void* ctx, const xmlChar* localname, const xmlChar* prefix, const xmlChar*, int, const xmlChar**,
                int nb_attributes, int, const xmlChar** attributes) {
  std::string name = prefix == nullptr ? std::string(Sv(localname)) : std::string(Sv(prefix)) + ":" +
                                                                          std::string(Sv(localname));
  B(ctx)->Start(name, [nb_attributes, attributes](auto add) {
    for (int i = 0; i < nb_attributes; ++i) {
      const xmlChar** a = attributes + 5 * i;  // localname, prefix, URI, value, end
      std::string an = a[1] == nullptr ? std::string(Sv(a[0])) : std::string(Sv(a[1])) + ":" + std::string(Sv(a[0]));
      add(an, std::string_view(reinterpret_cast<const char*>(a[3]), static_cast<size_t>(a[4] - a[3])));
    }
  });
}

void OnXmlEnd(void* ctx, const xmlChar*, const xmlChar*, const xmlChar*) { B(ctx)->End(); }

void OnChars(void* ctx, const xmlChar* ch, int len) { B(ctx)->Chars(reinterpret_cast<const char*>(ch), len); }

// Empties the parser's SAX handler table but for the text handlers and
// points it at `builder`; the caller adds the element and error handlers of
// its dialect.
void BindSax(xmlParserCtxtPtr ctxt, DomBuilder* builder) {
  builder->set_ctxt(ctxt);
  std::memset(ctxt->sax, 0, sizeof(*ctxt->sax));
  ctxt->sax->initialized = XML_SAX2_MAGIC;
  ctxt->sax->characters = OnChars;
  ctxt->sax->cdataBlock = OnChars;
  ctxt->userData = builder;
}

void OnXmlError(void* ctx, xmlErrorPtr err) {
  if (err == nullptr || err->level < XML_ERR_ERROR) return;
  std::string msg = err->message != nullptr ? err->message : "malformed XML";
  while (!msg.empty() && (msg.back() == '\n' || msg.back() == ' ')) msg.pop_back();
  B(ctx)->Fail("line " + std::to_string(err->line) + ": " + msg);
}

void OnHtmlError(void*, xmlErrorPtr) {}  // the HTML parser recovers; its complaints are noise

void OnDoctype(void* ctx, const xmlChar*, const xmlChar*, const xmlChar*) {
  B(ctx)->Fail("DOCTYPE declarations are not allowed (entities are never expanded)");
}

}  // namespace

Result<Dom> ParseHtmlDom(std::string_view bytes, const std::string& source, const DomLimits& limits) {
  InitLibxml();
  if (bytes.size() > static_cast<size_t>(INT32_MAX)) return Status::InvalidInput(source + ": input too large");
  // Errors raised outside the parser context (a byte the character set
  // cannot convert, from the first conversion on) would go to stderr: they
  // are the same noise. The handler is per thread; the default is restored
  // after the parse.
  xmlSetStructuredErrorFunc(nullptr, OnHtmlError);
  htmlParserCtxtPtr ctxt = htmlCreateMemoryParserCtxt(bytes.data(), static_cast<int>(bytes.size()));
  if (ctxt == nullptr) {
    xmlSetStructuredErrorFunc(nullptr, nullptr);
    return Status::Internal(source + ": cannot create HTML parser");
  }
  int options = HTML_PARSE_RECOVER | HTML_PARSE_NOERROR | HTML_PARSE_NOWARNING | HTML_PARSE_NONET |
                HTML_PARSE_NODEFDTD;
  options |= HTML_PARSE_IGNORE_ENC;
  xmlSwitchEncoding(ctxt, XML_CHAR_ENCODING_UTF8);
  htmlCtxtUseOptions(ctxt, options);
  DomBuilder builder(limits);
  BindSax(ctxt, &builder);
  ctxt->sax->startElement = OnHtmlStart;
  ctxt->sax->endElement = OnHtmlEnd;
  ctxt->sax->ignorableWhitespace = OnChars;
  ctxt->sax->serror = OnHtmlError;
  htmlParseDocument(ctxt);
  htmlFreeParserCtxt(ctxt);
  xmlSetStructuredErrorFunc(nullptr, nullptr);
  if (builder.failed()) return Status::InvalidInput(source + ": " + builder.error());
  return builder.Take();
}

Result<Dom> ParseXmlDom(std::string_view bytes, const std::string& source, const DomLimits& limits) {
  InitLibxml();
  if (bytes.size() > static_cast<size_t>(INT32_MAX)) return Status::InvalidInput(source + ": input too large");
  xmlParserCtxtPtr ctxt = xmlCreateMemoryParserCtxt(bytes.data(), static_cast<int>(bytes.size()));
  if (ctxt == nullptr) return Status::InvalidInput(source + ": cannot read XML (empty or unreadable)");
  // Deliberately without XML_PARSE_NOENT, XML_PARSE_DTDLOAD, XML_PARSE_DTDATTR, XML_PARSE_HUGE.
  xmlCtxtUseOptions(ctxt, XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING);
  DomBuilder builder(limits);
  BindSax(ctxt, &builder);
  ctxt->sax->startElementNs = OnXmlStart;
  ctxt->sax->endElementNs = OnXmlEnd;
  ctxt->sax->internalSubset = OnDoctype;
  ctxt->sax->serror = OnXmlError;
  int rc = xmlParseDocument(ctxt);
  bool well_formed = ctxt->wellFormed != 0;
  xmlFreeParserCtxt(ctxt);
  if (builder.failed()) return Status::InvalidInput(source + ": " + builder.error());
  if (rc != 0 || !well_formed) return Status::InvalidInput(source + ": malformed XML");
  return builder.Take();
}

}  // namespace plantrace
