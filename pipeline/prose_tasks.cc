// Extract (prose tasks): in plans without a task table, the clauses of the
// sections that assign work (rules/prose.rules, family prose.section) that
// name an owner: the clause's own subject ("Ban Tổ chức Tỉnh ủy chủ trì,
// phối hợp với ..."), its item heading ("4. Công an tỉnh") or lead-in
// ("Đảng ủy UBND tỉnh chỉ đạo:"), or a labelled field ("Đơn vị tham mưu: X").
#include <algorithm>

#include "pipeline/extract.h"
#include "pipeline/normalize.h"
#include "pipeline/unicode.h"

namespace plantrace {
namespace {

std::string TrimPunct(std::string s) {
  while (!s.empty() && (s.back() == ' ' || s.back() == '.' || s.back() == ';' || s.back() == ':' ||
                        s.back() == ',')) {
    s.pop_back();
  }
  size_t b = 0;
  while (b < s.size() && (s[b] == ' ' || s[b] == ',' || s[b] == ';')) ++b;
  return s.substr(b);
}

// The owner named as the clause's subject, or "" when the clause does not
// open with an agency followed by its verb.
std::string SubjectOf(const std::string& text, const RuleSet& rules) {
  if (!rules.FindIn("prose.agency_head", text)) return "";
  for (const Rule* r : rules.Category("prose.predicate")) {
    for (const Pattern& p : r->patterns) {
      for (const Match& m : p.FindAll(text)) {
        std::string before = text.substr(0, m.begin);
        if (rules.FindIn("prose.noun_before_predicate", before)) continue;
        std::string subject = TrimPunct(before);
        if (subject.empty() || CountWords(subject) > 45) return "";
        return subject;
      }
    }
  }
  return "";
}

// A heading that is only an agency's name ("4. Công an tỉnh", "3. Sở Khoa
// học và Công nghệ - Cơ quan Thường trực ...").
std::string OwnerHeading(const std::string& text, const RuleSet& rules) {
  if (!rules.FindIn("prose.agency_head", text) || CountWords(text) > 25) return "";
  if (!SubjectOf(text, rules).empty() || text.ends_with(".")) return "";
  std::string owner = text;
  for (const char* cut : {" - ", " – ", " ("}) {
    size_t p = owner.find(cut);
    if (p != std::string::npos) owner = owner.substr(0, p);
  }
  return TrimPunct(owner);
}

std::string CoordOf(const std::string& text, const RuleSet& rules) {
  Match m;
  if (rules.FindIn("prose.coord_field", text, &m)) return TrimPunct(m.Group(1, ""));
  if (!rules.FindIn("prose.coord_intro", text, &m)) return "";
  for (const Rule* r : rules.Category("prose.coord_intro")) {
    const Pattern* not_after = r->NamedPattern("not_after_pattern");
    if (not_after && not_after->Find(std::string_view(text).substr(0, m.begin), nullptr)) return "";
  }
  std::string rest = text.substr(m.end);
  size_t end = rest.size();
  for (char stop : {':', ';', '(', '.'})
    end = std::min(end, rest.find(stop) == std::string::npos ? end : rest.find(stop));
  for (const Rule* r : rules.Category("prose.coord_end")) {
    for (const Pattern& p : r->patterns) {
      for (const Match& e : p.FindAll(rest)) {
        if (e.begin >= end) break;
        if (e.begin > 0 && rest[e.begin - 1] == ',') continue;
        end = e.begin;
        break;
      }
    }
  }
  return TrimPunct(rest.substr(0, end));
}

// Top-level ';' positions (outside parentheses).
std::vector<std::pair<size_t, size_t>> SplitTop(const std::string& text, char sep) {
  std::vector<std::pair<size_t, size_t>> out;
  int depth = 0;
  size_t start = 0;
  for (size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '(') ++depth;
    if (text[i] == ')' && depth > 0) --depth;
    if (text[i] == sep && depth == 0) {
      out.emplace_back(start, i);
      start = i + 1;
    }
  }
  out.emplace_back(start, text.size());
  return out;
}

// Sentences: ". " followed by an upper-case letter, outside parentheses.
std::vector<std::string> Sentences(const std::string& text) {
  std::vector<std::string> out;
  int depth = 0;
  size_t start = 0;
  for (size_t i = 0; i + 1 < text.size(); ++i) {
    if (text[i] == '(') ++depth;
    if (text[i] == ')' && depth > 0) --depth;
    if (text[i] == '.' && text[i + 1] == ' ' && depth == 0 && StartsUpper(std::string_view(text).substr(i + 2))) {
      out.push_back(TrimPunct(text.substr(start, i - start)));
      start = i + 2;
    }
  }
  out.push_back(TrimPunct(text.substr(start)));
  std::erase_if(out, [](const std::string& s) { return s.empty(); });
  return out;
}

struct Walker {
  const DocTree& tree;
  const ExtractContext& ctx;
  std::string source;
  std::vector<Task> out;

  void Emit(const std::string& text, const std::string& owner, const std::string& number, const Node& node) {
    Task t;
    t.source = source;
    t.number = number;
    const RuleSet& rules = ctx.rules;
    std::string name = text;
    Match m;
    if (rules.FindIn("prose.field_clause", name, &m)) name = name.substr(0, m.begin);
    t.name = TrimPunct(name);
    if (t.name.empty()) return;
    std::string lead;
    if (rules.FindIn("prose.lead_field", text, &m)) lead = TrimPunct(m.Group(1, ""));
    if (lead.empty()) lead = SubjectOf(text, rules);
    if (lead.empty()) lead = owner;
    if (lead.empty()) return;  // no named owner: not an assignment
    t.lead_raw = lead;
    std::string coord = CoordOf(text, rules);
    if (!coord.empty()) t.coord_raw = coord;
    std::vector<DeadlineMention> dl = FindDeadlines(text, rules, ctx.deadline);
    if (!dl.empty()) {
      t.deadline_raw = dl.front().raw;
      t.deadline = dl.front().deadline;
      t.provenance.rules.push_back(ctx.Ref(dl.front().deadline.rule));
    }
    t.provenance.page = node.page;
    t.provenance.line = node.line;
    t.provenance.clause = source + " > " + number;
    t.source_text = text;
    ctx.Complete(&t);
    out.push_back(std::move(t));
  }

  // One unit of text with an inherited owner: split at inline enumerators
  // "(1) ... (2) ...", or at ';' when its clauses carry different deadlines.
  void Unit(const std::string& text, std::string owner, const std::string& number, const Node& node) {
    const RuleSet& rules = ctx.rules;
    std::vector<Match> enums;
    for (const Rule* r : rules.Category("prose.enumerator")) {
      for (const Pattern& p : r->patterns) {
        for (const Match& m : p.FindAll(text)) enums.push_back(m);
      }
    }
    if (enums.size() >= 2) {
      std::string head = text.substr(0, enums.front().begin);
      std::string subject = SubjectOf(head, rules);
      if (!subject.empty()) owner = subject;
      std::string coord = CoordOf(head, rules);
      for (size_t i = 0; i < enums.size(); ++i) {
        size_t b = enums[i].end;
        size_t e = i + 1 < enums.size() ? enums[i + 1].begin : text.size();
        std::string piece = TrimPunct(text.substr(b, e - b));
        std::string label = enums[i].Group(1, "");
        size_t before = out.size();
        Emit(piece, owner, number + ".(" + label + ")", node);
        if (out.size() > before && !coord.empty() && !out.back().coord_raw) {
          out.back().coord_raw = coord;
          out.back().coord = SplitAgencies(coord, ctx.gazetteer, rules);
        }
      }
      return;
    }
    // Clauses after the subject (which may itself hold ';' between agencies).
    std::string subject = SubjectOf(text, rules);
    size_t body = subject.empty() ? 0 : subject.size();
    auto clauses = SplitTop(text.substr(body), ';');
    int with_deadline = 0;
    for (auto [b, e] : clauses) {
      with_deadline += !FindDeadlines(text.substr(body + b, e - b), rules, ctx.deadline).empty();
    }
    if (clauses.size() >= 2 && with_deadline >= 2) {
      if (!subject.empty()) owner = subject;
      int k = 0;
      for (size_t i = 0; i < clauses.size(); ++i) {
        size_t b = i == 0 ? 0 : body + clauses[i].first;
        std::string piece = TrimPunct(text.substr(b, body + clauses[i].second - b));
        if (piece.empty()) continue;
        Emit(piece, owner, number + ".c" + std::to_string(++k), node);
      }
      return;
    }
    Emit(text, owner, number, node);
  }

  static std::string Segment(const Node& n, int dash_index) {
    if (n.style == "dash") return "b" + std::to_string(dash_index);
    if (n.style == "plus") return std::to_string(dash_index);
    if (n.style == "paren") return "(" + n.label + ")";
    return n.label;
  }

  void Children(const Node& parent, const std::string& owner, const std::string& path) {
    int dash = 0, plus = 0, para = 0;
    std::string last_owner = owner;
    for (const Node& c : parent.children) {
      if (c.kind == Node::Kind::kTable) continue;
      if (c.kind == Node::Kind::kParagraph) {
        // A paragraph among items: its sentences are units when they name
        // their own owner; otherwise they belong to the owner above.
        for (const std::string& s : Sentences(c.text)) {
          std::string subject = SubjectOf(s, ctx.rules);
          if (subject.empty() && owner.empty()) continue;
          ++para;
          Unit(s, owner, (path.empty() ? "" : path + ".") + "end." + std::to_string(para), c);
        }
        continue;
      }
      int index = c.style == "dash" ? ++dash : c.style == "plus" ? ++plus : 0;
      Item(c, owner, (path.empty() ? "" : path + ".") + Segment(c, index));
    }
  }

  void Item(const Node& n, const std::string& inherited, const std::string& path) {
    const RuleSet& rules = ctx.rules;
    bool has_items = std::any_of(n.children.begin(), n.children.end(), [](const Node& c) {
      return c.kind == Node::Kind::kItem || c.kind == Node::Kind::kHeading;
    });
    std::string heading_owner = OwnerHeading(n.text, rules);
    std::string subject = SubjectOf(n.text, rules);
    std::string owner = !subject.empty() ? subject : !heading_owner.empty() ? heading_owner : inherited;
    // '+' sub-bullets without deadlines of their own are part of the item.
    bool plus_only = has_items && std::all_of(n.children.begin(), n.children.end(), [](const Node& c) {
      return c.kind == Node::Kind::kParagraph || c.style == "plus";
    });
    bool plus_deadlines = false;
    for (const Node& c : n.children) {
      if (c.style == "plus" && !FindDeadlines(c.text, rules, ctx.deadline).empty()) plus_deadlines = true;
    }
    if (plus_only && !plus_deadlines) {
      std::string text = n.text;
      for (const Node& c : n.children) AppendWrapped(&text, c.marker + " " + c.text);
      Unit(text, owner, path, n);
      return;
    }
    if (has_items) {
      bool lead_in = n.text.ends_with(":") || !heading_owner.empty() || n.text.empty();
      if (!lead_in) Unit(n.text, owner, path, n);
      Children(n, owner, path);
      return;
    }
    if (!heading_owner.empty()) {
      // An owner heading whose body is prose.
      Children(n, heading_owner, path);
      return;
    }
    std::string text = n.text;
    std::vector<const Node*> own_paras;
    for (const Node& c : n.children) {
      if (c.kind == Node::Kind::kParagraph && SubjectOf(c.text, rules).empty()) AppendWrapped(&text, c.text);
    }
    Unit(text, owner, path, n);
    Node rest = n;
    std::erase_if(rest.children, [&](const Node& c) {
      return !(c.kind == Node::Kind::kParagraph && !SubjectOf(c.text, rules).empty());
    });
    if (!rest.children.empty())
      Children(rest, owner, path.substr(0, path.rfind('.') == std::string::npos ? 0 : path.rfind('.')));
  }
};

bool IsAssignmentSection(const Node& n, const RuleSet& rules) {
  if (n.kind != Node::Kind::kHeading && n.kind != Node::Kind::kItem) return false;
  std::string text = CollapseSpaces(n.text);
  for (const Rule* r : rules.Category("prose.section")) {
    for (const Pattern& p : r->patterns) {
      if (p.FullMatch(text)) return true;
    }
  }
  return false;
}

void FindSections(const std::vector<Node>& nodes, Walker* w) {
  for (const Node& n : nodes) {
    if (IsAssignmentSection(n, w->ctx.rules)) {
      w->source = CollapseSpaces(n.marker + " " + n.text);
      w->Children(n, "", "");
      continue;
    }
    FindSections(n.children, w);
  }
}

}  // namespace

std::vector<Task> ExtractProseTasks(const DocTree& tree, const ExtractContext& ctx) {
  Walker w{tree, ctx, "", {}};
  for (const DocPart& part : tree.parts) FindSections(part.nodes, &w);
  return std::move(w.out);
}

}  // namespace plantrace
