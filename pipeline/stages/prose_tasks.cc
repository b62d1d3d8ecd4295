// Extract (prose tasks): in plans without a task table, the clauses of the
// sections that assign work (rules/prose.rules, family prose.section) that
// name an owner: the clause's own subject ("Sở Tài chính chủ trì, phối hợp
// với ..."), its item heading ("4. Công an tỉnh", "Trách nhiệm của ...") or
// lead-in ("Đảng ủy UBND tỉnh chỉ đạo:"), or labelled field lines under the
// item ("Cơ quan chủ trì: X", "Thời gian thực hiện: ...").
#include <algorithm>
#include <set>

#include "pipeline/stages/extract.h"
#include "pipeline/stages/normalize.h"
#include "pipeline/base/unicode.h"

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

// Joins pieces of one task's text as sentences ("A. B").
void AppendSentence(std::string* acc, const std::string& piece) {
  std::string p = TrimPunct(piece);
  if (p.empty()) return;
  if (!acc->empty()) {
    char last = acc->back();
    if (last != '.' && last != ':' && last != ';') *acc += ".";
    *acc += " ";
  }
  *acc += p;
}

// A clause's owner: the agency named as its subject, where the subject ends
// (the predicate begins) and the opening words kept before it ("Căn cứ ...,").
struct Subject {
  std::string owner;
  size_t opening_end = 0;  // end of an adverbial opening ("Căn cứ ..., ")
  size_t end = 0;          // where the predicate begins
  bool assigned = false;   // named after "Giao" / "Đề nghị" / "Yêu cầu"
  bool aside = false;      // an aside follows the owner (", trên cơ sở ...")
};

// True when `text` opens with an agency's head word (prose.agency_head) and
// not with a verb that shares it ("Ban hành ..." is not "Ban ...";
// not_pattern of the same rules).
bool OpensWithAgency(std::string_view text, const RuleSet& rules) {
  for (const Rule* r : rules.Category("prose.agency_head")) {
    const Pattern* not_head = r->NamedPattern("not_pattern");
    if (not_head && not_head->Find(text, nullptr)) return false;
  }
  return rules.FindIn("prose.agency_head", text) != nullptr;
}

bool SubjectAt(const std::string& text, size_t from, const RuleSet& rules, Subject* out) {
  std::string rest = text.substr(from);
  Match pm;
  size_t skip = 0;
  if (rules.FindIn("prose.assign_prefix", rest, &pm)) skip = pm.end;
  std::string body = rest.substr(skip);
  if (!OpensWithAgency(body, rules)) return false;
  // The earliest predicate ends the subject.
  size_t best = std::string::npos;
  for (const Rule* r : rules.Category("prose.predicate")) {
    bool strong = r->Get("strong") == "yes";
    for (const Pattern& p : r->patterns) {
      for (const Match& m : p.FindAll(body)) {
        if (m.begin >= best) break;
        if (!strong && rules.FindIn("prose.noun_before_predicate", body.substr(0, m.begin))) continue;
        best = m.begin;
        break;
      }
    }
  }
  if (best == std::string::npos) return false;
  std::string subject = body.substr(0, best);
  // "Sở Tài chính, trên cơ sở đề xuất của ..., chủ trì ...": the aside
  // belongs to the work.
  Match aside;
  bool has_aside = rules.FindIn("prose.subject_aside", subject, &aside);
  if (has_aside) best = aside.begin;
  subject = TrimPunct(body.substr(0, best));
  // An owner is one phrase: no sentence ends inside it.
  if (subject.empty() || CountWords(subject) > 45 || subject.find(". ") != std::string::npos) return false;
  out->owner = subject;
  out->opening_end = from;
  out->end = from + skip + best;
  out->assigned = skip > 0;
  out->aside = has_aside;
  return true;
}

// The owner named as the clause's subject, or none when the clause does not
// open with an agency (after "Giao", or after an adverbial opening such as
// "Căn cứ nội dung Kế hoạch, ") followed by its verb.
bool SubjectOf(const std::string& text, const RuleSet& rules, Subject* out) {
  if (SubjectAt(text, 0, rules, out)) return true;
  Match m;
  if (!rules.FindIn("prose.adverbial_opening", text, &m)) return false;
  // A condition may run into the subject without a comma.
  if (Match c; rules.FindIn("prose.opening_condition", text, &c) && SubjectAt(text, c.end, rules, out)) return true;
  // The subject follows one of the opening's commas; once a clause opens
  // with its verb ("Căn cứ ..., phối hợp với các cơ quan, đơn vị ...") the
  // owner is not named here and the commas after it are inside the work.
  // A topic opening ("Về ...: ") ends at its colon.
  auto next_stop = [&](size_t from) {
    size_t comma = text.find(", ", from), colon = text.find(": ", from);
    return std::min(comma, colon);
  };
  for (size_t p = next_stop(0); p != std::string::npos && p < 400; p = next_stop(p + 2)) {
    if (SubjectAt(text, p + 2, rules, out)) return true;
    Match verb;
    if (rules.FindIn("prose.predicate", text.substr(p + 1, 40), &verb) && verb.begin == 0) return false;
  }
  return false;
}

std::string SubjectOwner(const std::string& text, const RuleSet& rules) {
  Subject s;
  return SubjectOf(text, rules, &s) ? s.owner : "";
}

// A heading that is only an agency's name ("4. Công an tỉnh", "3. Sở Khoa
// học và Công nghệ - Cơ quan Thường trực ...") or names whose duties follow
// ("1.5. Trách nhiệm của đối tượng thực hiện kiểm kê:").
std::string OwnerHeading(const std::string& text, const RuleSet& rules) {
  Match m;
  if (rules.FindIn("prose.duties_of", text, &m)) {
    std::string owner = TrimPunct(m.Group(1, ""));
    if (size_t p = owner.find(" ("); p != std::string::npos) owner = owner.substr(0, p);
    return owner;
  }
  // "9. Đề nghị Ủy ban Mặt trận Tổ quốc Việt Nam tỉnh", "1. Giao Ủy ban
  // nhân dân Thành phố:": the body asked.
  Match ask;
  std::string owner = rules.FindIn("prose.assign_prefix", text, &ask) ? text.substr(ask.end) : text;
  if (!OpensWithAgency(owner, rules) || CountWords(owner) > 25) return "";
  if (!SubjectOwner(text, rules).empty() || text.ends_with(".")) return "";
  // A dash before a capital opens the owner's role ("- Cơ quan Thường trực");
  // a dash inside a name joins its words ("các tổ chức chính trị - xã hội").
  for (std::string_view cut : {" - ", " – ", " ("}) {
    for (size_t p = owner.find(cut); p != std::string::npos; p = owner.find(cut, p + cut.size())) {
      if (cut == " (" || !StartsLowerCase(std::string_view(owner).substr(p + cut.size()))) {
        owner = owner.substr(0, p);
        break;
      }
    }
  }
  return TrimPunct(owner);
}

std::string CoordOf(const std::string& text, const RuleSet& rules, size_t* end_out = nullptr) {
  Match m;
  if (!rules.FindIn("prose.coord_intro", text, &m)) return "";
  for (const Rule* r : rules.Category("prose.coord_intro")) {
    const Pattern* not_after = r->NamedPattern("not_after_pattern");
    if (not_after && not_after->Find(std::string_view(text).substr(0, m.begin), nullptr)) return "";
  }
  std::string rest = text.substr(m.end);
  // Without "với" the agencies must follow at once, named with a capital
  // ("Sở Tài chính phối hợp Ban Quản lý ...").
  if (!m.groups.empty() && !m.groups[0] && !StartsUpper(rest) && !rest.starts_with("các ")) return "";
  // The list ends at the clause's verb; a ';' may separate its members
  // ("phối hợp với UBND quận; UBND các phường và ... kiểm tra ...").
  size_t end = rest.size();
  for (char stop : {':', '(', '.'})
    end = std::min(end, rest.find(stop) == std::string::npos ? end : rest.find(stop));
  size_t verb = std::string::npos;
  for (const Rule* r : rules.Category("prose.coord_end")) {
    const Pattern* not_after = r->NamedPattern("not_after_pattern");
    for (const Pattern& p : r->patterns) {
      // Matches may overlap (a skipped verb shares its space with the next).
      Match e;
      for (size_t from = 0; from < end && p.Find(std::string_view(rest).substr(from), &e); ++from) {
        size_t at = from + e.begin;
        from = at;
        if (at >= end) break;
        if (at > 0 && rest[at - 1] == ',') continue;
        if (not_after && not_after->Find(std::string_view(rest).substr(0, at), nullptr)) continue;
        verb = std::min(verb, at);
        break;
      }
    }
  }
  if (verb != std::string::npos) {
    end = verb;
  } else if (rest.find(';') != std::string::npos) {
    end = std::min(end, rest.find(';'));
  }
  if (end_out) *end_out = m.end + end;
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

// Sentence spans: ". " followed by an upper-case letter, outside parentheses.
std::vector<std::pair<size_t, size_t>> SentenceSpans(const std::string& text) {
  std::vector<std::pair<size_t, size_t>> out;
  int depth = 0;
  size_t start = 0;
  for (size_t i = 0; i + 1 < text.size(); ++i) {
    if (text[i] == '(') ++depth;
    if (text[i] == ')' && depth > 0) --depth;
    if (text[i] == '.' && text[i + 1] == ' ' && depth == 0 && StartsUpper(std::string_view(text).substr(i + 2))) {
      out.emplace_back(start, i);
      start = i + 2;
    }
  }
  out.emplace_back(start, text.size());
  return out;
}

std::vector<std::string> Sentences(const std::string& text) {
  std::vector<std::string> out;
  for (auto [b, e] : SentenceSpans(text)) out.push_back(TrimPunct(text.substr(b, e - b)));
  std::erase_if(out, [](const std::string& s) { return s.empty(); });
  return out;
}

// The whole text of a node: its own line and everything under it.
std::string FullText(const Node& n) {
  std::string text = n.text;
  for (const Node& c : n.children) {
    if (c.kind == Node::Kind::kTable) continue;
    std::string sub = FullText(c);
    if (c.style == "plus" || c.style == "dash") sub = c.marker + " " + sub;
    AppendWrapped(&text, sub);
  }
  return text;
}

// A labelled field line ("Cơ quan chủ trì: Bộ Công an.", "c) Thời gian thực
// hiện:"): its kind (rules prose.field.*, key `field`) and value, with the
// value's continuation paragraphs under it.
struct Field {
  std::string kind;  // lead | coord | deadline | content | output | skip
  std::string value;
};

bool FieldOf(const Node& n, const RuleSet& rules, Field* f) {
  if (n.kind == Node::Kind::kTable) return false;
  Match m;
  const Rule* r = rules.FindIn("prose.field", n.text, &m);
  if (!r) return false;
  f->kind = r->Get("field");
  f->value = m.Group(1, "");
  for (const Node& c : n.children) {
    if (c.kind == Node::Kind::kParagraph) AppendWrapped(&f->value, c.text);
  }
  f->value = TrimPunct(f->value);
  return true;
}

bool HasFieldChild(const Node& n, const RuleSet& rules) {
  Field f;
  return std::any_of(n.children.begin(), n.children.end(),
                     [&](const Node& c) { return FieldOf(c, rules, &f) && f.kind != "skip"; });
}

// Fields under the item, or under the work lines just below it (not under
// sub-headings that name an owner of their own).
bool HasFields(const Node& n, const RuleSet& rules) {
  return HasFieldChild(n, rules) || std::any_of(n.children.begin(), n.children.end(), [&](const Node& c) {
           return c.kind != Node::Kind::kParagraph && HasFieldChild(c, rules) && OwnerHeading(c.text, rules).empty();
         });
}

struct Walker {
  const DocTree& tree;
  const ExtractContext& ctx;
  std::string source;
  std::vector<Task> out;
  // Owner lists printed on their own, as a heading or a field value: read
  // as cells. Any other owner stands in a sentence.
  std::set<std::string> listed;
  // Whether a clause whose verb follows its owner directly is named as
  // printed, owner included (rule prose.name_as_printed).
  bool names_as_printed = false;

  AgencyText Where(const std::optional<std::string>& raw) const {
    return raw && listed.count(*raw) ? AgencyText::kCell : AgencyText::kSentence;
  }

  bool NotATask(const std::string& text) const { return ctx.rules.FindIn("prose.not_task", text) != nullptr; }

  // The work a clause states, without its owner and the "chủ trì, phối hợp
  // với ..." that names who else takes part.
  std::string WorkOf(const std::string& text, const Subject* s, bool keep_direct = true) const {
    if (!s) return text;
    std::string rest = text.substr(s->end);
    rest = rest.substr(std::min(rest.size(), rest.find_first_not_of(" ,")));
    const RuleSet& rules = ctx.rules;
    size_t before = rest.size();
    for (int guard = 0; guard < 4; ++guard) {
      Match m;
      size_t coord_end = 0;
      if (rules.FindIn("prose.name_lead_in", rest, &m) && m.begin == 0 && m.end < rest.size()) {
        rest = rest.substr(m.end);
      } else if (rest.starts_with("phối hợp ") && !CoordOf(rest, rules, &coord_end).empty() &&
                 (rest.size() < before || (coord_end < rest.size() && rest[coord_end] == ':'))) {
        // "chủ trì, phối hợp với X" names X; a clause whose verb is
        // "phối hợp với X" keeps it (co-operating is the work).
        rest = rest.substr(coord_end);
      } else {
        break;
      }
      size_t b = rest.find_first_not_of(" ,");
      rest = b == std::string::npos ? "" : rest.substr(b);
    }
    // A clause whose verb follows its owner directly ("Các sở, ngành kiện
    // toàn ...") is named as printed; the owner's "chủ trì, phối hợp với
    // ..." or "có trách nhiệm" is not the work and goes with the owner.
    if (keep_direct && names_as_printed && rest.size() == before && s->opening_end == 0 && !s->assigned && !s->aside) return text;
    std::string opening = s->opening_end > 0 ? TrimPunct(text.substr(0, s->opening_end)) + ", " : "";
    return opening + rest;
  }

  void Emit(const std::string& text, const std::string& owner, const std::string& number, const Node& node,
            const std::optional<std::string>& title = std::nullopt) {
    const RuleSet& rules = ctx.rules;
    if (NotATask(text)) return;
    Task t;
    t.source = source;
    t.number = number;
    t.title = title;
    Subject subject;
    bool has_subject = SubjectOf(text, rules, &subject);
    std::string name = WorkOf(text, has_subject ? &subject : nullptr);
    Match m;
    if (rules.FindIn("prose.field_clause", name, &m)) name = name.substr(0, m.begin);
    t.name = TrimPunct(name);
    if (t.name.empty()) return;
    std::string lead;
    if (rules.FindIn("prose.lead_field", text, &m)) listed.insert(lead = TrimPunct(m.Group(1, "")));
    if (lead.empty() && has_subject) lead = subject.owner;
    if (lead.empty()) lead = owner;
    if (lead.empty()) return;  // no named owner: not an assignment
    t.lead_raw = lead;
    std::string coord;
    if (rules.FindIn("prose.coord_field", text, &m)) listed.insert(coord = TrimPunct(m.Group(1, "")));
    if (coord.empty()) coord = CoordOf(text, rules);
    if (!coord.empty()) t.coord_raw = coord;
    std::vector<DeadlineMention> dl = FindDeadlines(text, rules, ctx.deadline);
    if (!dl.empty()) {
      t.deadline_raw = dl.front().raw;
      t.deadline = dl.front().deadline;
      t.provenance.rules.push_back(ctx.Ref(dl.front().deadline.rule));
    }
    Finish(&t, node, text);
  }

  void Finish(Task* t, const Node& node, const std::string& text) {
    t->provenance.page = node.page;
    t->provenance.line = node.line;
    t->provenance.ocr_confidence = node.confidence;
    // A task named by the paragraph under an owner heading ("2. Các thành
    // viên Ban Chỉ đạo" / "Thực hiện đầy đủ ...") points at that paragraph.
    std::string head = t->name.substr(0, std::min<size_t>(t->name.size(), 40));
    if (!head.empty() && node.text.find(head) == std::string::npos) {
      for (const Node& c : node.children) {
        if (c.text.find(head) == std::string::npos) continue;
        t->provenance.page = c.page;
        t->provenance.line = c.line;
        t->provenance.ocr_confidence = c.confidence;
        break;
      }
    }
    t->provenance.clause = source + " > " + *t->number;
    if (t->provenance.ocr_confidence >= 0 && t->provenance.ocr_confidence < kLowOcrConfidence && ctx.diag) {
      ctx.diag->Warn("ocr.low_confidence",
                     "the clause " + t->provenance.clause + " was read by OCR with confidence " +
                         std::to_string(static_cast<int>(t->provenance.ocr_confidence + 0.5f)),
                     t->provenance.page, t->provenance.line, t->provenance.clause);
    }
    t->source_text = text;
    ctx.Complete(t, Where(t->lead_raw), Where(t->coord_raw));
    out.push_back(std::move(*t));
  }

  // One unit of text with an inherited owner: split at inline enumerators
  // "(1) ... (2) ...", or at ';' when its clauses carry different deadlines.
  void Unit(const std::string& text, std::string owner, const std::string& number, const Node& node,
            const std::optional<std::string>& title = std::nullopt) {
    const RuleSet& rules = ctx.rules;
    std::vector<Match> enums;
    for (const Rule* r : rules.Category("prose.enumerator")) {
      for (const Pattern& p : r->patterns) {
        for (const Match& m : p.FindAll(text)) enums.push_back(m);
      }
    }
    if (enums.size() >= 2) {
      std::string head = text.substr(0, enums.front().begin);
      std::string subject = SubjectOwner(head, rules);
      if (!subject.empty()) owner = subject;
      std::string coord = CoordOf(head, rules);
      for (size_t i = 0; i < enums.size(); ++i) {
        size_t b = enums[i].end;
        size_t e = i + 1 < enums.size() ? enums[i + 1].begin : text.size();
        std::string piece = TrimPunct(text.substr(b, e - b));
        std::string label = enums[i].Group(1, "");
        size_t before = out.size();
        Emit(piece, owner, number + ".(" + label + ")", node, title);
        if (out.size() > before && !coord.empty() && !out.back().coord_raw) {
          out.back().coord_raw = coord;
          out.back().coord = SplitAgencies(coord, ctx.gazetteer, rules, Where(coord));
        }
      }
      return;
    }
    // Clauses after the subject (which may itself hold ';' between agencies).
    Subject s;
    bool has_subject = SubjectOf(text, rules, &s);
    size_t body = has_subject ? s.end : 0;
    auto with_deadline = [&](const std::vector<std::pair<size_t, size_t>>& parts) {
      int n = 0;
      for (auto [b, e] : parts) n += !FindDeadlines(text.substr(body + b, e - b), rules, ctx.deadline).empty();
      return n;
    };
    auto clauses = SplitTop(text.substr(body), ';');
    if (clauses.size() < 2 || with_deadline(clauses) < 2) {
      // Sentences that each carry their own time are tasks of their own
      // ("... xong trong tháng 12/2025. Định kỳ báo cáo ... hằng năm ...").
      auto sentences = SentenceSpans(text.substr(body));
      if (sentences.size() >= 2 && with_deadline(sentences) == static_cast<int>(sentences.size())) clauses = sentences;
    }
    if (clauses.size() >= 2 && with_deadline(clauses) >= 2) {
      if (has_subject) owner = s.owner;
      int k = 0;
      for (size_t i = 0; i < clauses.size(); ++i) {
        size_t b = i == 0 ? 0 : body + clauses[i].first;
        std::string piece = TrimPunct(text.substr(b, body + clauses[i].second - b));
        if (piece.empty()) continue;
        Emit(piece, owner, number + ".c" + std::to_string(++k), node, title);
      }
      return;
    }
    Emit(text, owner, number, node, title);
  }

  // An item whose lines below are labelled fields: each run of work lines
  // closed by its fields is one task (one run: the item itself, named by
  // its heading; several: "N.k" or "N.a", titled by the heading). A work
  // line may carry its fields as its own lines below it.
  struct Group {
    std::string work, lead, coord, deadline, content, output;
    std::string label;  // the printed label of the group's only work line, if any
    int work_lines = 0;
    const Node* first = nullptr;
    const Node* split = nullptr;  // "Thời gian thực hiện:" whose lines assign parts to other owners
    const Node* shares = nullptr;  // "Giải pháp thực hiện:" whose lines each name their owner
    std::string also;              // "...; giao X chủ trì ..." after the time: one more task
    std::string owner_hint;        // the first owner named on a line under the work
    bool has_fields = false;
  };

  void AddField(const Node& c, Field f, Group* g) {
    const RuleSet& rules = ctx.rules;
    if (!g->first) g->first = &c;
    g->has_fields = true;
    if (f.value.empty() || f.kind == "content") {
      // The value is written below the label: nested fields
      // ("Cơ quan thực hiện:" / "- Đơn vị chủ trì: ..."), or lines.
      std::string lines;
      for (const Node& cc : c.children) {
        Field sub;
        if (FieldOf(cc, rules, &sub)) {
          if (sub.kind == "lead") listed.insert(g->lead = sub.value);
          if (sub.kind == "coord") listed.insert(g->coord = sub.value);
          continue;
        }
        if (cc.kind != Node::Kind::kParagraph) AppendSentence(&lines, FullText(cc));
      }
      if (f.kind == "content" && !f.value.empty()) {
        std::string v = f.value;
        AppendSentence(&v, lines);
        lines = v;
      }
      if (f.value.empty() && f.kind == "deadline" && !c.children.empty()) g->split = &c;
      if (f.value.empty() && f.kind == "content" && Distributes(c)) g->shares = &c;
      if (f.value.empty()) f.value = lines;
    }
    if (f.kind == "lead" && !f.value.empty()) listed.insert(g->lead = f.value);
    if (f.kind == "coord") listed.insert(g->coord = f.value);
    if (f.kind == "deadline") {
      Match m;
      std::string v = f.value;
      if (ctx.rules.FindIn("prose.deadline_end", v, &m)) {
        // "Đã khắc phục xong từ tháng 6/2024; giao Văn phòng chủ trì ...".
        std::string rest = TrimPunct(v.substr(m.begin));
        Subject sub;
        if (SubjectOf(rest, ctx.rules, &sub) && sub.assigned) g->also = rest;
        v = v.substr(0, m.begin);
      }
      g->deadline = TrimPunct(v);
    }
    if (f.kind == "content") g->content = f.value;
    if (f.kind == "output") g->output = f.value;
  }

  // A line whose own lines below each open with the owner they assign
  // ("+ Sở Xây dựng: hướng dẫn ...").
  bool Distributes(const Node& c) const {
    int lines = 0, owned = 0;
    Field f;
    for (const Node& cc : c.children) {
      if (cc.kind == Node::Kind::kParagraph || cc.kind == Node::Kind::kTable || FieldOf(cc, ctx.rules, &f)) continue;
      // Lines whose fields name the owner are one task, whoever they mention.
      for (const Node& f3 : cc.children) {
        if (FieldOf(f3, ctx.rules, &f) && f.kind == "lead") return false;
      }
      ++lines;
      Subject sub;
      owned += SubjectOf(cc.text, ctx.rules, &sub);
    }
    return owned >= 2 && owned * 2 > lines;
  }

  static int LineIndex(const Node& c, int* dash, int* plus) {
    return c.style == "dash" ? ++*dash : c.style == "plus" ? ++*plus : 0;
  }

  void FieldItem(const Node& n, const std::string& inherited, const std::string& path, bool alone = false) {
    const RuleSet& rules = ctx.rules;
    std::vector<Group> groups(1);
    int dash = 0, plus = 0;
    for (const Node& c : n.children) {
      if (c.kind == Node::Kind::kTable) continue;
      Field f;
      if (FieldOf(c, rules, &f)) {
        AddField(c, f, &groups.back());
        continue;
      }
      int index = LineIndex(c, &dash, &plus);
      if (Distributes(c)) {
        // "Phối hợp hướng dẫn ... Trong đó:" / "+ Sở Xây dựng: hướng dẫn ...":
        // each line below is a task of the owner it names; a time printed
        // after the last line holds for all of them.
        size_t first = groups.size();
        int k = 0;
        for (const Node& cc : c.children) {
          if (cc.kind == Node::Kind::kParagraph || cc.kind == Node::Kind::kTable || FieldOf(cc, rules, &f)) continue;
          Subject sub;
          std::string text = cc.text;
          if (!SubjectOf(text, rules, &sub)) continue;
          Group g;
          g.first = &cc;
          g.lead = sub.owner;
          g.coord = CoordOf(text.substr(sub.end), rules);
          g.work = WorkOf(text, &sub, false);
          ++k;
          g.label = alone ? std::to_string(k) : std::to_string(index) + "." + std::to_string(k);
          g.work_lines = 1;
          g.has_fields = true;
          for (const Node& f3 : cc.children) {
            if (f3.kind != Node::Kind::kTable && FieldOf(f3, rules, &f)) AddField(f3, f, &g);
          }
          groups.push_back(std::move(g));
        }
        for (size_t i = first; i < groups.size(); ++i) {
          if (groups[i].deadline.empty()) groups[i].deadline = groups.back().deadline;
        }
        continue;
      }
      if (groups.back().has_fields) groups.emplace_back();
      Group* g = &groups.back();
      if (!g->first) g->first = &c;
      (void)index;
      g->label = c.style == "dash" || c.style == "plus" ? "" : c.label;
      ++g->work_lines;
      // The work line's own text and its lines that are not fields; its
      // field lines close the group.
      std::string text = c.text;
      for (const Node& cc : c.children) {
        if (cc.kind == Node::Kind::kTable || FieldOf(cc, rules, &f)) continue;
        if (g->owner_hint.empty()) g->owner_hint = SubjectOwner(cc.text, rules);
        std::string sub = FullText(cc);
        if (cc.style == "plus" || cc.style == "dash") sub = cc.marker + " " + sub;
        AppendWrapped(&text, sub);
      }
      AppendSentence(&g->work, text);
      for (const Node& cc : c.children) {
        if (cc.kind != Node::Kind::kTable && FieldOf(cc, rules, &f)) AddField(cc, f, g);
      }
    }
    // A last run without fields is a closing remark, unless its time is
    // written inline ("... gửi Bộ Tài chính. Thời gian hoàn thành: ...").
    if (!groups.back().has_fields && groups.size() > 1 && !rules.FindIn("prose.field_clause", groups.back().work)) {
      groups.pop_back();
    }
    std::string heading_owner = OwnerHeading(n.text, rules);
    if (!heading_owner.empty()) listed.insert(heading_owner);
    std::string heading = heading_owner.empty() ? TrimPunct(n.text) : "";
    std::string owner = !heading_owner.empty() ? heading_owner : inherited;
    for (size_t k = 0; k < groups.size(); ++k) {
      const Group& g = groups[k];
      std::string number = path;
      if (groups.size() > 1) {
        std::string label = g.work_lines == 1 && !g.label.empty() ? g.label : std::to_string(k + 1);
        // A dotted label ("2.1") already holds its parent's number.
        number = label.starts_with(path + ".") ? label : number + "." + label;
      }
      std::string work = !g.work.empty() ? g.work : g.content;
      if (g.split) {
        SplitByOwners(*g.split, owner, number, heading.empty() ? work : heading);
        continue;
      }
      if (g.shares || !g.also.empty()) {
        // Parts of the work handed to the owners each line names, sharing
        // the group's time.
        std::string title = TrimPunct(groups.size() == 1 && !heading.empty() ? heading : work);
        std::vector<std::pair<std::string, const Node*>> parts;
        if (g.shares) {
          for (const Node& cc : g.shares->children) {
            if (cc.kind != Node::Kind::kParagraph && cc.kind != Node::Kind::kTable) parts.emplace_back(FullText(cc), &cc);
          }
        } else {
          parts.emplace_back(TrimPunct(g.content.empty() ? work : g.content), g.first ? g.first : &n);
        }
        if (!g.also.empty()) parts.emplace_back(g.also, g.first ? g.first : &n);
        int part = 0;
        for (const auto& [text, node] : parts) {
          Subject sub;
          if (!SubjectOf(text, rules, &sub)) continue;
          Task t;
          t.source = source;
          t.number = number + "." + std::to_string(++part);
          t.title = title;
          t.name = TrimPunct(WorkOf(text, &sub, false));
          t.lead_raw = sub.owner;
          std::string coord = CoordOf(text.substr(sub.end), rules);
          if (!coord.empty()) t.coord_raw = coord;
          if (!g.deadline.empty()) t.deadline_raw = g.deadline;
          if (!t.name.empty() && !NotATask(text)) Finish(&t, *node, text);
        }
        continue;
      }
      Task t;
      t.source = source;
      t.number = number;
      // A deadline written inline after the work ("... gửi Bộ Tài chính.
      // Thời gian hoàn thành: Trước ngày 31/5/2026.").
      Match m;
      std::string deadline = g.deadline;
      if (rules.FindIn("prose.field_clause", work, &m)) {
        if (deadline.empty()) {
          std::vector<DeadlineMention> dl = FindDeadlines(work.substr(m.begin), rules, ctx.deadline);
          if (!dl.empty()) deadline = dl.front().raw;
        }
        work = work.substr(0, m.begin);
      }
      Subject subject;
      bool has_subject = SubjectOf(work, rules, &subject);
      std::string lead = g.lead;
      if (lead.empty() && has_subject && owner.empty()) lead = subject.owner;
      if (lead.empty()) lead = owner;
      // "Giải pháp thực hiện: Giao X chủ trì ...": the owner named in the
      // content, or on the first line under the work that names one.
      if (lead.empty() && !g.content.empty()) lead = SubjectOwner(g.content, rules);
      if (lead.empty()) lead = g.owner_hint;
      if (lead.empty()) continue;
      if (groups.size() == 1 && !heading.empty()) {
        t.name = heading;
      } else {
        t.name = TrimPunct(has_subject && g.lead.empty() ? WorkOf(work, &subject) : work);
        if (t.name.empty()) t.name = heading;
        if (!heading.empty()) t.title = heading;
      }
      if (t.name.empty() || NotATask(work)) continue;
      t.lead_raw = lead;
      std::string coord = !g.coord.empty() ? g.coord : CoordOf(work, rules);
      if (!coord.empty()) t.coord_raw = coord;
      if (!g.deadline.empty() || !deadline.empty()) t.deadline_raw = deadline;
      if (!g.output.empty()) t.output = g.output;
      Finish(&t, g.first ? *g.first : n, FullText(n));
    }
  }

  // "Thời gian thực hiện:" followed by '+' lines that each name who does
  // which part by when: one task per line.
  void SplitByOwners(const Node& label, const std::string& owner, const std::string& number,
                     const std::string& title) {
    int k = 0;
    for (const Node& c : label.children) {
      if (c.kind == Node::Kind::kTable) continue;
      std::string text = FullText(c);
      Subject sub;
      std::string num = number + "." + std::to_string(++k);
      if (!SubjectOf(text, ctx.rules, &sub)) {
        Unit(text, owner, num, c, title);
        continue;
      }
      // Each line names the owner of its part of the heading's work.
      Task t;
      t.source = source;
      t.number = num;
      t.title = title;
      t.name = TrimPunct(WorkOf(text, &sub, false));
      t.lead_raw = sub.owner;
      std::string coord = CoordOf(text.substr(sub.end), ctx.rules);
      if (!coord.empty()) t.coord_raw = coord;
      std::vector<DeadlineMention> dl = FindDeadlines(text, ctx.rules, ctx.deadline);
      if (!dl.empty()) t.deadline_raw = dl.front().raw;
      if (!t.name.empty()) Finish(&t, c, text);
    }
  }

  static std::string Segment(const Node& n, int dash_index) {
    if (n.style == "dash") return "b" + std::to_string(dash_index);
    if (n.style == "plus") return std::to_string(dash_index);
    if (n.style == "paren") return "(" + n.label + ")";
    return n.label;
  }

  static std::string ChildPath(const std::string& path, const Node& c, int index) {
    // A dotted label ("1.2") already holds its parent's number.
    if (c.style == "dotted" && (path.empty() || c.label.starts_with(path + "."))) return c.label;
    return (path.empty() ? "" : path + ".") + Segment(c, index);
  }

  // "Chủ tịch UBND thị xã yêu cầu các phòng, ban ... thực hiện nghiêm túc
  // các nội dung sau:": the bodies asked to do what the lines below say.
  std::string AskedOwner(const std::string& text) const {
    Match m;
    std::vector<std::string> sentences = Sentences(text);
    if (sentences.empty() || !text.ends_with(":")) return "";
    if (!ctx.rules.FindIn("prose.asked_lead_in", sentences.back() + ":", &m)) return "";
    return TrimPunct(m.Group(1, ""));
  }

  void Children(const Node& parent, std::string owner, const std::string& path) {
    int dash = 0, plus = 0, para = 0;
    for (const Node& c : parent.children) {
      if (c.kind == Node::Kind::kTable) continue;
      if (c.kind == Node::Kind::kParagraph && !AskedOwner(c.text).empty()) {
        owner = AskedOwner(c.text);
        continue;
      }
      if (c.kind == Node::Kind::kParagraph) {
        // A paragraph among items: its sentences are units when they name
        // their own owner; otherwise they belong to the owner above.
        for (const std::string& s : OwnerUnits(c.text)) {
          if (SubjectOwner(s, ctx.rules).empty() && owner.empty()) continue;
          ++para;
          Unit(s, owner, (path.empty() ? "" : path + ".") + "end." + std::to_string(para), c);
        }
        continue;
      }
      int index = c.style == "dash" ? ++dash : c.style == "plus" ? ++plus : 0;
      Item(c, owner, ChildPath(path, c, index));
    }
  }

  void Item(const Node& n, const std::string& inherited, const std::string& path) {
    const RuleSet& rules = ctx.rules;
    if (Distributes(n)) {
      // The item's own lines each name their owner.
      Node holder;
      holder.children.push_back(n);
      FieldItem(holder, inherited, path, true);
      return;
    }
    if (HasFields(n, rules)) {
      FieldItem(n, inherited, path);
      return;
    }
    bool has_items = std::any_of(n.children.begin(), n.children.end(), [](const Node& c) {
      return c.kind == Node::Kind::kItem || c.kind == Node::Kind::kHeading;
    });
    std::string heading_owner = OwnerHeading(n.text, rules);
    if (!heading_owner.empty()) listed.insert(heading_owner);
    std::string subject = SubjectOwner(n.text, rules);
    std::string owner = !subject.empty() ? subject : !heading_owner.empty() ? heading_owner : inherited;
    if (!AskedOwner(n.text).empty()) owner = AskedOwner(n.text);
    // '+' sub-bullets without deadlines of their own are part of the item.
    bool plus_only = has_items && std::all_of(n.children.begin(), n.children.end(), [](const Node& c) {
      return c.kind == Node::Kind::kParagraph || c.style == "plus";
    });
    bool plus_deadlines = false, plus_owners = false;
    for (const Node& c : n.children) {
      if (c.style != "plus") continue;
      if (!FindDeadlines(c.text, rules, ctx.deadline).empty()) plus_deadlines = true;
      if (!SubjectOwner(c.text, rules).empty()) plus_owners = true;
    }
    if (plus_only && !plus_deadlines && !plus_owners) {
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
    // The item's text and the paragraphs below it that have no owner of
    // their own are one task; a paragraph naming its own owner is another.
    std::string text = heading_owner.empty() ? n.text : "";
    std::vector<const Node*> own;
    for (const Node& c : n.children) {
      if (c.kind != Node::Kind::kParagraph || NotATask(c.text)) continue;
      if (owner.empty() && own.empty() && !text.empty() && !SubjectOwner(c.text, rules).empty()) {
        // A title, then the paragraph that says who does it: one task
        // named by the title.
        Subject sub;
        SubjectOf(c.text, rules, &sub);
        Task t;
        t.source = source;
        t.number = path;
        t.name = TrimPunct(text);
        t.lead_raw = sub.owner;
        std::string coord = CoordOf(c.text.substr(sub.end), rules);
        if (!coord.empty()) t.coord_raw = coord;
        std::vector<DeadlineMention> dl = FindDeadlines(c.text, rules, ctx.deadline);
        if (!dl.empty()) t.deadline_raw = dl.front().raw;
        Finish(&t, n, n.text + " " + c.text);
        text.clear();
        owner = sub.owner;
        continue;
      }
      if (SubjectOwner(c.text, rules).empty() || (text.empty() && own.empty())) {
        AppendSentence(&text, c.text);
      } else {
        own.push_back(&c);
      }
    }
    if (!text.empty()) Unit(text, owner, path, n);
    if (own.empty()) return;
    Node rest;
    for (const Node* c : own) rest.children.push_back(*c);
    size_t dot = path.rfind('.');
    Children(rest, owner, dot == std::string::npos ? "" : path.substr(0, dot));
  }

  // A paragraph's sentences grouped by owner: a sentence that names its own
  // owner starts a unit, one that does not continues the unit before it.
  std::vector<std::string> OwnerUnits(const std::string& text) const {
    std::vector<std::string> units;
    for (const std::string& s : Sentences(text)) {
      if (units.empty() || !SubjectOwner(s, ctx.rules).empty()) {
        units.push_back(s);
      } else {
        AppendSentence(&units.back(), s);
      }
    }
    return units;
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
  Walker w{tree, ctx, "", {}, {}, false};
  if (tree.header.issuer) {
    std::string kind = ctx.gazetteer.Classify(*tree.header.issuer).kind;
    for (const Rule* r : ctx.rules.Category("prose.name_as_printed")) w.names_as_printed |= r->Get("issuer_kind") == kind;
  }
  for (const DocPart& part : tree.parts) FindSections(part.nodes, &w);
  return std::move(w.out);
}

}  // namespace plantrace
