// plantrace lineage DOC: the relations around a document, as a tree or DOT.
#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "pipeline/cli/cli_internal.h"
#include "pipeline/cli/commands.h"

namespace plantrace {
namespace {

constexpr const char kLineageUsage[] =
    "usage: plantrace lineage [--db FILE] [--format tree|dot] DOC\n"
    "Prints the relations around a document (what it supersedes, amends,\n"
    "implements, cites, and what refers to it), as an indented tree or as\n"
    "Graphviz DOT. DOC is a document id, key or number.\n";

std::string DocLabel(const DocRow& d) {
  return Or(d.type, "?") + " " + Or(d.number, "(no number)") + (d.date ? ", " + *d.date : "") + " [" + d.status +
         "]";
}

std::string DotQuote(const std::string& s) {
  std::string out = "\"";
  for (char c : s) {
    if (c == '"' || c == '\\') out += '\\';
    out += c;
  }
  return out + "\"";
}

// What lineage prints from: the documents asked for, every stored
// document by id, every relation and every link identity implies.
struct Around {
  std::vector<int64_t> ids;
  std::map<int64_t, const DocRow*> by_id;
  std::vector<RelationRow> rels;
  std::vector<IdentityLinkRow> links;
};

// Graphviz DOT of the connected component around the documents asked for.
std::string DotText(Around& g) {
  std::string out;
  std::set<int64_t> nodes(g.ids.begin(), g.ids.end());
  for (bool grew = true; grew;) {
    grew = false;
    for (const RelationRow& r : g.rels) {
      if (!r.to) continue;
      if (nodes.count(r.from) && nodes.insert(*r.to).second) grew = true;
      if (nodes.count(*r.to) && nodes.insert(r.from).second) grew = true;
    }
    for (const IdentityLinkRow& l : g.links) {
      if (nodes.count(l.from) && nodes.insert(l.to).second) grew = true;
      if (nodes.count(l.to) && nodes.insert(l.from).second) grew = true;
    }
  }
  out += "digraph lineage {\n  rankdir=LR;\n  node [shape=box];\n";
  for (int64_t id : nodes) {
    const DocRow& d = *g.by_id[id];
    out += "  " + DotQuote(d.key) + " [label=" + DotQuote(DocLabel(d)) +
           (std::count(g.ids.begin(), g.ids.end(), id) ? ", style=bold" : "") + "];\n";
  }
  std::set<std::string> pending;
  for (const RelationRow& r : g.rels) {
    if (!nodes.count(r.from)) continue;
    std::string label = r.relation + (r.part ? " " + *r.part : "") + (r.how == "title" ? " (by title)" : "");
    if (r.to) {
      out += "  " + DotQuote(r.from_key) + " -> " + DotQuote(*r.to_key) + " [label=" + DotQuote(label) + "];\n";
    } else if (r.relation != "cites" && r.relation != "based_on") {
      if (pending.insert(r.cited()).second) {
        out += "  " + DotQuote("pending:" + r.cited()) + " [label=" + DotQuote(r.cited() + " (not stored)") +
               ", style=dashed];\n";
      }
      out += "  " + DotQuote(r.from_key) + " -> " + DotQuote("pending:" + r.cited()) +
             " [label=" + DotQuote(label) + ", style=dashed];\n";
    }
  }
  for (const IdentityLinkRow& l : g.links) {
    if (!nodes.count(l.from)) continue;
    out += "  " + DotQuote(l.from_key) + " -> " + DotQuote(l.to_key) +
           " [label=" + DotQuote(l.relation + " (" + l.reason + ")") + "];\n";
  }
  out += "}\n";
  return out;
}

// What `from` refers to, and what those refer to, while depth < 3.
void AppendRefersTo(Around& g, int64_t from, int depth, std::set<int64_t>* seen, std::string* out) {
  for (const RelationRow& r : g.rels) {
    if (r.from != from) continue;
    std::string indent(2 * depth, ' ');
    std::string line = indent + r.relation + (r.part ? " (" + *r.part + ")" : "") + " -> " + r.cited();
    if (r.to) {
      line += " = " + DocLabel(*g.by_id[*r.to]);
      if (r.how == "title") line += " (matched by title, score " + ScoreText(r.score) + ")";
    } else {
      line += " (pending: not stored)";
    }
    if (r.carried_over) line += " [tasks carried over]";
    *out += line + "\n";
    if (r.to && depth < 3 && seen->insert(*r.to).second) AppendRefersTo(g, *r.to, depth + 1, seen, out);
  }
}

// Each document asked for, what it refers to, what refers to it and the
// other issues of it, as an indented tree.
std::string TreeText(Around& g) {
  std::string out;
  for (int64_t id : g.ids) {
    const DocRow& d = *g.by_id[id];
    out += DocLabel(d) + "  " + d.key + "\n";
    if (d.title) out += "  " + Cut(OneLine(*d.title), 110) + "\n";
    if (d.status_by)
      out += "  " + d.status + " by " + *d.status_by + (d.status_date ? " on " + *d.status_date : "") + "\n";
    // Outgoing, then incoming, two levels deep.
    std::set<int64_t> seen = {id};
    out += "  refers to:\n";
    AppendRefersTo(g, id, 2, &seen, &out);
    out += "  referred to by:\n";
    bool any = false;
    for (const RelationRow& r : g.rels) {
      if (r.to != id) continue;
      any = true;
      out += "    " + DocLabel(*g.by_id[r.from]) + " " + r.relation + (r.part ? " (" + *r.part + ")" : "") + " it" +
             (r.how == "title" ? " (matched by title)" : "") + "  " + r.from_key + "\n";
    }
    if (!any) out += "    (none)\n";
    // Drafts, re-issues and corrections: links the documents' identity implies.
    bool shown = false;
    for (const IdentityLinkRow& l : g.links) {
      if (l.from != id && l.to != id) continue;
      if (!shown) out += "  other issues of it:\n";
      shown = true;
      if (l.from == id) {
        out += "    " + l.relation + " (" + l.reason + ") -> " + DocLabel(*g.by_id[l.to]) + "  " + l.to_key + "\n";
      } else {
        out += "    " + DocLabel(*g.by_id[l.from]) + " " + l.relation + " (" + l.reason + ") it  " + l.from_key + "\n";
      }
      out += "      " + l.evidence + (l.rules.empty() ? "" : "  [" + l.rules + "]") + "\n";
    }
  }
  return out;
}

}  // namespace

int CmdLineage(const std::vector<std::string>& argv) {
  Args args;
  if (std::optional<int> stop = ParseCommand("lineage", argv, {"db", "format"}, true, kLineageUsage, &args))
    return *stop;
  std::string format = args.format.value_or("tree");
  if (args.positional.size() != 1) {
    UsageError("lineage", "give exactly one DOC", kLineageUsage);
    return 2;
  }
  if (!CheckFormat("lineage", format, {"tree", "dot"}, kLineageUsage)) return 2;
  std::unique_ptr<Store> store = OpenExisting("lineage", args.db);
  if (!store) return 1;
  Result<std::vector<int64_t>> ids = store->FindDocuments(args.positional[0]);
  Result<std::vector<DocRow>> docs = store->Documents();
  Result<std::vector<RelationRow>> rels = store->Relations();
  Result<std::vector<IdentityLinkRow>> links = store->IdentityLinks();
  if (!ids.ok() || !docs.ok() || !rels.ok() || !links.ok()) {
    Status st = !ids.ok() ? ids.status() : !docs.ok() ? docs.status() : !rels.ok() ? rels.status() : links.status();
    std::fprintf(stderr, "plantrace lineage: %s\n", st.message().c_str());
    return 1;
  }
  if (ids->empty()) {
    std::fprintf(stderr, "plantrace lineage: no document '%s'\n", args.positional[0].c_str());
    return 1;
  }
  Around g;
  g.ids = std::move(ids).value();
  for (const DocRow& d : *docs) g.by_id[d.id] = &d;
  g.rels = std::move(rels).value();
  g.links = std::move(links).value();
  Print(format == "dot" ? DotText(g) : TreeText(g));
  return 0;
}

}  // namespace plantrace
