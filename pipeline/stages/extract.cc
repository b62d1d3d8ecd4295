// Extract stage: DocTree -> Record. Reads metadata from the header, rows of
// task and indicator tables through their column roles, falls back to prose
// assignments, and collects cited documents and warnings.
#include "pipeline/stages/extract.h"

#include <algorithm>
#include <cstdio>
#include <initializer_list>
#include <map>
#include <tuple>

#include "pipeline/base/columns.h"
#include "pipeline/base/numbers.h"
#include "pipeline/base/unicode.h"
#include "pipeline/stages/normalize.h"
#include "pipeline/stages/references.h"
#include "pipeline/stages/segment.h"

namespace plantrace {

std::string ExtractContext::Ref(const std::string& rule_id) const {
  const Rule* r = rules.Find(rule_id);
  return r ? r->Ref(rules.hash()) : rule_id + "@" + rules.short_hash();
}

namespace {
// Cache key of a cell read in a sentence: a control byte no text holds.
std::string CacheKey(const std::string& cell, AgencyText where) {
  return where == AgencyText::kSentence ? "\x01" + cell : cell;
}
}  // namespace

const std::vector<Agency>& ExtractContext::Agencies(const std::string& cell, AgencyText where) const {
  std::string key = CacheKey(cell, where);
  auto it = agency_cache.find(key);
  if (it == agency_cache.end()) it = agency_cache.emplace(key, SplitAgencies(cell, gazetteer, rules, where)).first;
  return it->second;
}

bool ExtractContext::SpelledBefore(const std::string& printed, const std::string& cell) const {
  for (const auto& [raw, agencies] : agency_cache) {
    if (raw == cell) continue;
    for (const Agency& a : agencies) {
      if (a.near && a.printed == printed) return true;
    }
  }
  return false;
}

void ExtractContext::Complete(Task* t, AgencyText lead_where, AgencyText coord_where) const {
  // A misspelling is reported once per document, where it is first read.
  std::map<const std::vector<Agency>*, std::string> fresh;  // list -> its cache key
  for (auto [raw, list, where] : {std::tuple{&t->lead_raw, &t->lead, lead_where},
                                  std::tuple{&t->coord_raw, &t->coord, coord_where}}) {
    if (!*raw) continue;
    if (std::string key = CacheKey(**raw, where); !agency_cache.count(key)) fresh[list] = key;
    *list = Agencies(**raw, where);
  }
  for (const auto* list : {&t->lead, &t->coord}) {
    for (const Agency& a : *list) {
      if (!a.known) {
        diag->Add(Diagnostic{Severity::kInfo, "agency.unknown", "agency not in the gazetteer: " + a.printed,
                             t->provenance.page, t->provenance.line, t->provenance.clause, ""});
      } else if (a.near && fresh.count(list) && !SpelledBefore(a.printed, fresh[list])) {
        diag->Add(Diagnostic{Severity::kWarning, "agency.spelling",
                             "agency \"" + a.printed + "\" read as \"" + a.canonical + "\" (spelling differs)",
                             t->provenance.page, t->provenance.line, t->provenance.clause, "agencies.list"});
      }
    }
  }
  if (t->deadline_raw && !t->deadline) {
    t->deadline = ParseDeadline(*t->deadline_raw, rules, deadline);
    if (t->deadline) {
      t->provenance.rules.push_back(Ref(t->deadline->rule));
    } else {
      diag->Add(Diagnostic{Severity::kWarning, "deadline.unparsed",
                           "deadline matches no rule: \"" + *t->deadline_raw + "\"", t->provenance.page,
                           t->provenance.line, t->provenance.clause, ""});
    }
  }
}

namespace {

// A row read by OCR: the task takes its least sure cell's confidence, and
// each cell below kLowOcrConfidence is named in a warning.
void NoteOcrConfidence(const GridRow& row, std::initializer_list<std::pair<const char*, int>> columns,
                       const ExtractContext& ctx, Provenance* prov) {
  for (const auto& [role, c] : columns) {
    if (c < 0 || c >= static_cast<int>(row.cells.size())) continue;
    const GridCell& x = row.cells[c];
    if (x.blank || x.from_span || x.confidence < 0) continue;
    if (prov->ocr_confidence < 0 || x.confidence < prov->ocr_confidence) prov->ocr_confidence = x.confidence;
    if (x.confidence < kLowOcrConfidence && ctx.diag != nullptr) {
      char conf[16];
      std::snprintf(conf, sizeof conf, "%.0f", x.confidence);
      ctx.diag->Warn("ocr.low_confidence",
                     std::string("the ") + role + " cell of " + prov->clause + " was read by OCR with confidence " +
                         conf + ": \"" + x.text + "\"",
                     x.page, x.line, prov->clause);
    }
  }
}

std::optional<std::string> NonBlank(const GridCell& c) {
  if (c.blank || c.text.empty()) return std::nullopt;
  return c.text;
}

std::string StripNumber(std::string s) {
  while (!s.empty() && (s.back() == '.' || s.back() == ' ' || s.back() == ')')) s.pop_back();
  return s;
}

// Column roles of a grid: given by the builder, else from its header rows.
std::vector<ColumnRole> RolesOf(const Grid& g, const RuleSet& rules, std::vector<std::string>* rule_ids,
                                size_t* first_body) {
  std::vector<ColumnRole> roles;
  *first_body = 0;
  while (*first_body < g.rows.size() && g.rows[*first_body].header) ++*first_body;
  if (!g.column_roles.empty()) {
    for (const std::string& n : g.column_roles) {
      ColumnRole r = ColumnRole::kOther;
      ParseColumnRole(n, &r);
      roles.push_back(r);
      rule_ids->push_back("");
    }
    return roles;
  }
  size_t header_rows = *first_body;
  if (header_rows == 0 && !g.rows.empty()) {
    // No marked header: take the first row if it classifies as one.
    std::vector<std::string> texts;
    for (const GridCell& c : g.rows[0].cells) texts.push_back(c.text);
    std::vector<std::string> ids;
    std::vector<ColumnRole> r = ClassifyHeaderRow(texts, rules, &ids);
    int known = 0;
    for (ColumnRole x : r) known += x != ColumnRole::kOther;
    if (known >= 2) header_rows = 1;
    *first_body = header_rows;
  }
  std::vector<std::string> texts(g.columns);
  for (size_t i = 0; i < header_rows; ++i) {
    for (int c = 0; c < g.columns && c < static_cast<int>(g.rows[i].cells.size()); ++c) {
      const GridCell& cell = g.rows[i].cells[c];
      if (cell.from_span && i > 0) continue;
      if (!texts[c].empty() && texts[c] == cell.text) continue;
      AppendWrapped(&texts[c], cell.text);
    }
  }
  roles = ClassifyHeaderRow(texts, rules, rule_ids);
  if (header_rows > 1) {
    // "Cơ quan thực hiện" over "Chủ trì | Phối hợp": a column the joined
    // titles do not name is named by its own cell in the lowest header row.
    std::vector<std::string> own(g.columns), own_ids;
    const GridRow& low = g.rows[header_rows - 1];
    for (int c = 0; c < g.columns && c < static_cast<int>(low.cells.size()); ++c) {
      own[c] = low.cells[c].from_span ? texts[c] : low.cells[c].text;
    }
    std::vector<ColumnRole> by_own = ClassifyHeaderRow(own, rules, &own_ids);
    for (size_t c = 0; c < roles.size() && c < by_own.size(); ++c) {
      if (roles[c] != ColumnRole::kOther || by_own[c] == ColumnRole::kOther) continue;
      roles[c] = by_own[c];
      if (c < rule_ids->size()) (*rule_ids)[c] = own_ids[c];
    }
  }
  return roles;
}

int Find(const std::vector<ColumnRole>& roles, ColumnRole r) {
  for (size_t i = 0; i < roles.size(); ++i) {
    if (roles[i] == r) return static_cast<int>(i);
  }
  return -1;
}

struct TableContext {
  std::string source;  // part label
  std::optional<std::string> letter_group, letter_title;
  std::optional<std::string> group, group_title;
};

// True when the one-letter group label `next` comes a little after `prev` in
// alphabet order ("I" after "H", "K" after "I"; letters may be skipped).
bool FollowsLetter(const std::string& prev, const std::string& next) {
  static const std::vector<std::string> kOrder = {"A", "B", "C", "D", "Đ", "E", "F", "G", "H", "I", "J", "K", "L",
                                                  "M", "N", "O", "P", "Q", "R", "S", "T", "U", "V", "W", "X", "Y"};
  auto p = std::find(kOrder.begin(), kOrder.end(), prev), n = std::find(kOrder.begin(), kOrder.end(), next);
  return p != kOrder.end() && n != kOrder.end() && n > p && n - p <= 3;
}

// Cells of `row` printed with text of their own, the number column aside:
// one on a group row (its title), more on a task row.
int TextsBeside(const GridRow& row, int c_num) {
  int texts = 0;
  for (size_t c = 0; c < row.cells.size(); ++c) {
    if (static_cast<int>(c) != c_num && !row.cells[c].blank && !row.cells[c].from_span) ++texts;
  }
  return texts;
}

// The Roman numeral after `roman` (I..XXXIX), or "" when it is none.
std::string NextRoman(const std::string& roman) {
  static const char* kTens[] = {"", "X", "XX", "XXX"};
  static const char* kOnes[] = {"", "I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX"};
  for (int n = 1; n < 39; ++n) {
    if (roman == std::string(kTens[n / 10]) + kOnes[n % 10]) {
      return std::string(kTens[(n + 1) / 10]) + kOnes[(n + 1) % 10];
    }
  }
  return "";
}

// A group row read by OCR whose Roman numeral came out as another letter:
// Tesseract reads a lone bold "V" as "M", "II" as "H", "VII" as "VI".
// Group rows are numbered in sequence, so a row shaped like one (its number
// and one text, nothing else) under Roman group R, whose OCR'd label is no
// Roman numeral (or R again) and does not go on the letter groups, is group
// R+1.
std::string RomanReadAsLetter(const GridRow& row, int c_num, const std::string& label, const TableContext& tc,
                              const RuleSet& rules) {
  if (label.empty() || !tc.group || c_num < 0 || c_num >= static_cast<int>(row.cells.size())) return "";
  if (row.cells[c_num].confidence < 0) return "";  // a text layer says what it says
  const std::string current = tc.group->substr(tc.group->rfind('.') == std::string::npos ? 0 : tc.group->rfind('.') + 1);
  // A Roman numeral is taken as read, unless it repeats the group it would
  // follow ("VI" after VI: "VII" with an I lost).
  if (rules.FullMatchIn("group.roman", label) && label != current) return "";
  if (tc.letter_group && FollowsLetter(*tc.letter_group, label)) return "";
  const std::string next = NextRoman(current);
  if (next.empty() || label.size() > 3) return "";
  for (char ch : label) {
    if (ch < 'A' || ch > 'Z') return "";
  }
  return TextsBeside(row, c_num) == 1 ? next : "";
}

// Reads the rows of one table; returns true when it is a task table (a
// content column beside a lead or deadline column), whether or not a row
// gave a task.
bool TableTasks(const Grid& g, TableContext* tc, const ExtractContext& ctx, std::vector<Task>* tasks,
                std::vector<Indicator>* indicators) {
  std::vector<std::string> role_rules;
  size_t body = 0;
  std::vector<ColumnRole> roles = RolesOf(g, ctx.rules, &role_rules, &body);
  int c_num = Find(roles, ColumnRole::kNumber), c_code = Find(roles, ColumnRole::kCode),
      c_title = Find(roles, ColumnRole::kTitle), c_name = Find(roles, ColumnRole::kName),
      c_lead = Find(roles, ColumnRole::kLead), c_coord = Find(roles, ColumnRole::kCoord),
      c_out = Find(roles, ColumnRole::kOutput), c_dl = Find(roles, ColumnRole::kDeadline),
      c_fund = Find(roles, ColumnRole::kFunding), c_ind = Find(roles, ColumnRole::kIndicator),
      c_unit = Find(roles, ColumnRole::kUnit), c_mon = Find(roles, ColumnRole::kMonitor);
  if (c_name < 0 && c_title >= 0) std::swap(c_name, c_title);
  if (c_name >= 0 && c_title >= 0) {
    // A title column printed on every row (never merged over several rows)
    // names each task; the content column beside it describes the work. A
    // numbered row with the title cell empty, or the same title printed again
    // in the next row, shares the title above (text saved from a word
    // processor leaves a merged cell empty or repeats it in every row).
    bool merged = false;
    const GridCell* last_title = nullptr;
    for (size_t ri = body; ri < g.rows.size(); ++ri) {
      const GridRow& row = g.rows[ri];
      if (c_title >= static_cast<int>(row.cells.size())) continue;
      const GridCell& title = row.cells[c_title];
      bool numbered = c_num >= 0 && c_num < static_cast<int>(row.cells.size()) && !row.cells[c_num].blank &&
                      !row.cells[c_num].from_span;
      if (title.from_span || (numbered && title.blank)) merged = true;
      if (!title.blank && last_title && last_title->text == title.text) merged = true;
      last_title = title.blank ? nullptr : &title;
    }
    if (!merged) {
      c_name = c_title;
      c_title = -1;
    }
  }
  bool task_table = c_name >= 0 && (c_lead >= 0 || c_dl >= 0);
  bool indicator_table = !task_table && (c_ind >= 0 || (c_name >= 0 && (c_unit >= 0 || c_mon >= 0)));
  if (!task_table && !indicator_table) return false;
  if (indicator_table && c_ind < 0) c_ind = c_name;
  std::vector<int> target_cols;
  for (size_t i = 0; i < roles.size(); ++i) {
    if (roles[i] == ColumnRole::kTarget) target_cols.push_back(static_cast<int>(i));
  }
  std::vector<std::string> target_years;
  for (int c : target_cols) {
    std::string header;
    for (size_t i = 0; i < body; ++i) AppendWrapped(&header, g.rows[i].cells[c].text);
    Match m;
    std::string year;
    if (ctx.rules.FullMatchIn("group.year", header, &m)) year = m.Group(1, "");
    target_years.push_back(year);
  }
  std::string rule_note;
  for (const std::string& id : role_rules) {
    if (!id.empty()) rule_note = id;
  }

  auto cell = [&](const GridRow& r, int c) -> const GridCell* {
    return c >= 0 && c < static_cast<int>(r.cells.size()) ? &r.cells[c] : nullptr;
  };
  for (size_t ri = body; ri < g.rows.size(); ++ri) {
    const GridRow& row = g.rows[ri];
    if (row.header) continue;
    const GridCell* num = cell(row, c_num);
    std::string label = num && !num->from_span ? StripNumber(num->text) : "";
    // Group rows: a group label in the number column, or one text spread
    // over the whole row.
    Match gm;
    std::string inline_title;
    if (label.empty()) {
      // "I. Kinh tế số" alone in the content column, the number cell empty.
      int c_text = indicator_table ? c_ind : c_name;
      const GridCell* text = cell(row, c_text);
      bool alone = text && !text->blank && !text->from_span;
      for (size_t c = 0; alone && c < row.cells.size(); ++c) {
        if (static_cast<int>(c) != c_text && !row.cells[c].blank && !row.cells[c].from_span) alone = false;
      }
      Match im;
      if (alone && MatchCellCue(ctx.rules, "group_inline", text->text, &im) && im.Group(2, "").empty()) {
        label = im.Group(1, "");
        inline_title = im.Group(3, "");
      }
    }
    if (std::string roman = RomanReadAsLetter(row, c_num, label, *tc, ctx.rules); !roman.empty()) {
      if (ctx.diag != nullptr) ctx.diag->Info("ocr.group_numeral", "group \"" + label + "\" read by OCR taken for " + roman +
                                              ", the next of the table's Roman numerals",
                     row.cells[c_num].page, row.cells[c_num].line);
      label = roman;
    }
    bool letter = !label.empty() && ctx.rules.FullMatchIn("group.letter", label, &gm);
    bool roman = !label.empty() && !letter && ctx.rules.FullMatchIn("group.roman", label, &gm);
    // A later letter of an agency-by-agency table ("K.", "I." after "H.")
    // continues the letter sequence rather than opening a Roman group.
    if (!letter && !label.empty() && tc->letter_group && !tc->group &&
        MatchCellCue(ctx.rules, "group_letter", label) && FollowsLetter(*tc->letter_group, label)) {
      letter = true;
      roman = false;
    }
    if ((letter || roman) && inline_title.empty() && num->confidence >= 0 && TextsBeside(row, c_num) > 1) {
      // A task row (a lead, a deadline beside the name) whose number OCR
      // read as a letter ("4." as "A"): the number after the task above.
      letter = roman = false;
      const std::string read = label;
      label.clear();
      if (!tasks->empty() && tasks->back().group == tc->group && tasks->back().number &&
          !tasks->back().number->empty() &&
          std::all_of(tasks->back().number->begin(), tasks->back().number->end(), ::isdigit) &&
          tasks->back().number->size() < 6) {
        label = std::to_string(std::stoi(*tasks->back().number) + 1);
      }
      if (ctx.diag != nullptr) {
        ctx.diag->Info("ocr.task_number", "task number \"" + read + "\" read by OCR on a task row taken for " +
                                              (label.empty() ? std::string("none") : label),
                       num->page, num->line);
      }
    }
    if (!inline_title.empty() && !letter && !roman) label.clear();  // not a group after all
    if (letter || roman) {
      std::string title = inline_title;
      for (size_t c = 0; c < row.cells.size(); ++c) {
        if (static_cast<int>(c) == c_num || static_cast<int>(c) == c_code) continue;
        if (title.empty() && !row.cells[c].blank && !row.cells[c].text.empty()) {
          title = row.cells[c].text;
          break;
        }
      }
      if (letter) {
        tc->letter_group = label;
        tc->letter_title = title;
        tc->group.reset();
        tc->group_title.reset();
      } else {
        tc->group = tc->letter_group ? *tc->letter_group + "." + label : label;
        tc->group_title = title;
      }
      continue;
    }
    if (indicator_table) {
      const GridCell* name = cell(row, c_ind);
      if (!name || name->blank || name->from_span) continue;
      Indicator ind;
      ind.source = tc->source;
      ind.group = tc->group ? tc->group : tc->letter_group;
      ind.group_title = tc->group ? tc->group_title : tc->letter_title;
      if (!label.empty()) ind.number = label;
      ind.name = name->text;
      if (const GridCell* u = cell(row, c_unit)) ind.unit = NonBlank(*u);
      for (size_t k = 0; k < target_cols.size(); ++k) {
        const GridCell* t = cell(row, target_cols[k]);
        if (!t || t->blank) continue;
        std::string year = target_years[k];
        Match m;
        if (year.empty() && ind.group_title && ctx.rules.FullMatchIn("group.year", *ind.group_title, &m)) {
          year = m.Group(1, "");
        }
        ind.targets.emplace_back(year, t->text);
      }
      if (const GridCell* mo = cell(row, c_mon); mo && !mo->blank) {
        for (const Agency& a : ctx.Agencies(mo->text)) ind.monitor.push_back(a.printed);
      }
      ind.provenance.page = row.page;
      ind.provenance.line = row.line;
      ind.provenance.clause = tc->source + (ind.group ? " > " + *ind.group : "") +
                              (ind.number ? " > " + *ind.number : "");
      indicators->push_back(std::move(ind));
      continue;
    }
    const GridCell* name = cell(row, c_name);
    if (!name || name->blank) continue;
    // A row under a merged task cell is another task of it (a second lead,
    // another deadline) when it prints an assignment of its own; otherwise it
    // only continues the row above.
    bool own = !name->from_span;
    for (int c : {c_lead, c_coord, c_out, c_dl}) {
      if (const GridCell* x = cell(row, c); x && !x->blank && !x->from_span) own = true;
    }
    if (!own) continue;
    Task t;
    t.source = tc->source;
    t.group = tc->group ? tc->group : tc->letter_group;
    t.group_title = tc->group ? tc->group_title : tc->letter_title;
    if (!label.empty()) {
      t.number = label;
    } else if (num && num->from_span && !num->blank) {
      t.number = StripNumber(num->text);  // the merged number of the row above
    }
    t.name = name->text;
    {
      // A content cell opening with a bullet: the bullet is layout.
      std::string style, label, rest, marker;
      if (MatchMarker(t.name, ctx.rules, &style, &label, &rest, &marker) && (style == "dash" || style == "plus")) {
        t.name = rest;
      }
    }
    if (const GridCell* c = cell(row, c_code)) t.code = NonBlank(*c);
    if (const GridCell* c = cell(row, c_title)) t.title = NonBlank(*c);
    if (const GridCell* c = cell(row, c_lead)) t.lead_raw = NonBlank(*c);
    if (const GridCell* c = cell(row, c_coord)) t.coord_raw = NonBlank(*c);
    if (const GridCell* c = cell(row, c_out)) t.output = NonBlank(*c);
    if (const GridCell* c = cell(row, c_dl)) t.deadline_raw = NonBlank(*c);
    if (const GridCell* c = cell(row, c_fund)) t.funding = NonBlank(*c);
    // A bullet opening an output or deadline cell is layout, as in the content cell.
    for (std::optional<std::string>* f : {&t.output, &t.deadline_raw}) {
      std::string style, olabel, rest, marker;
      if (*f && MatchMarker(**f, ctx.rules, &style, &olabel, &rest, &marker) && (style == "dash" || style == "plus")) {
        *f = rest;
      }
    }
    t.provenance.page = name->page ? name->page : row.page;
    t.provenance.line = row.line ? row.line : name->line;
    t.provenance.clause = tc->source + (t.group ? " > " + *t.group : "") + (t.number ? " > " + *t.number : "");
    if (!rule_note.empty()) t.provenance.rules.push_back(ctx.Ref(rule_note));
    NoteOcrConfidence(row, {{"number", c_num}, {"name", c_name}, {"lead", c_lead}, {"coord", c_coord},
                            {"output", c_out}, {"deadline", c_dl}},
                      ctx, &t.provenance);
    std::string src;
    for (const GridCell& c : row.cells) {
      if (!src.empty()) src += " | ";
      src += c.text;
    }
    t.source_text = src;
    ctx.Complete(&t);
    tasks->push_back(std::move(t));
  }
  return task_table;
}

// Returns true when a task table was found.
bool CollectTables(const std::vector<Node>& nodes, TableContext* tc, const ExtractContext& ctx,
                   std::vector<Task>* tasks, std::vector<Indicator>* indicators) {
  bool found = false;
  for (const Node& n : nodes) {
    if (n.kind == Node::Kind::kTable) found |= TableTasks(n.grid, tc, ctx, tasks, indicators);
    found |= CollectTables(n.children, tc, ctx, tasks, indicators);
  }
  return found;
}

void CollectUnits(const std::vector<Node>& nodes, const std::string& path, std::vector<TextUnit>* out) {
  for (const Node& n : nodes) {
    std::string here = path;
    if (!n.label.empty() && n.kind != Node::Kind::kParagraph) here += (here.empty() ? "" : " > ") + n.label;
    if (n.kind == Node::Kind::kTable) {
      for (const GridRow& r : n.grid.rows) {
        for (const GridCell& c : r.cells) {
          if (!c.from_span && !c.blank) out->push_back(TextUnit{c.text, c.page, c.line, here, true, c.confidence});
        }
      }
    } else if (!n.text.empty()) {
      out->push_back(TextUnit{n.text, n.page, n.line, here, false, n.confidence});
    }
    CollectUnits(n.children, here, out);
  }
}

// "Tổng số: 61 nhiệm vụ": the number of tasks the document says it has.
std::optional<int> DeclaredTaskCount(const DocTree& tree, const RuleSet& rules, int* line) {
  for (const SourceLine& l : tree.lines) {
    Match m;
    for (const Rule* r : rules.Category("count.tasks")) {
      for (const Pattern& p : r->patterns) {
        if (p.Find(l.text, &m)) {
          *line = l.line;
          return static_cast<int>(ParseInt(m.Group(1, "0")).value_or(0));
        }
      }
    }
  }
  return std::nullopt;
}

}  // namespace

Result<Record> Extract(const DocTree& tree, const RuleSet& rules, Diagnostics* diag) {
  Record rec;
  rec.format = tree.format;
  rec.rules_hash = rules.hash();
  const DocHeader& h = tree.header;
  rec.meta.number = h.number;
  rec.meta.type = h.type;
  rec.meta.issuer = h.issuer;
  rec.meta.place = h.place;
  rec.meta.date = h.date;
  rec.meta.title = h.title;
  rec.meta.signer = h.signer;
  rec.meta.signer_title = h.signer_title;
  rec.meta.attachment_type = h.attachment_type;
  rec.meta.attachment_title = h.attachment_title;

  const std::shared_ptr<const Gazetteer> shared_gazetteer = Gazetteer::For(rules);
  const Gazetteer& gazetteer = *shared_gazetteer;
  rec.agency_scope = gazetteer.IssuingProvince(h.place, h.issuer);
  ExtractContext ctx{rules, gazetteer, {}, diag, {}};
  if (h.date && h.date->size() >= 4) {
    if (std::optional<int64_t> y = ParseInt(std::string_view(*h.date).substr(0, 4))) ctx.deadline.year = static_cast<int>(*y);
  }
  ctx.deadline.issued = h.date;

  // Which part holds the tasks: a document with a task table lists its tasks
  // there (the prose around it describes or points to them); prose
  // assignments are the tasks only where no task table exists. An indicator
  // (chỉ tiêu) table is not a task table.
  bool task_table = false;
  for (const DocPart& part : tree.parts) {
    TableContext tc;
    tc.source = part.label;
    task_table |= CollectTables(part.nodes, &tc, ctx, &rec.tasks, &rec.indicators);
  }
  if (rec.tasks.empty()) {
    if (task_table) diag->Warn("tasks.table_empty", "a task table gave no rows; tasks read from the prose instead");
    rec.tasks = ExtractProseTasks(tree, ctx);
  }

  // References from the title and every paragraph, heading and cell.
  std::vector<TextUnit> units;
  if (h.title) units.push_back(TextUnit{*h.title, 0, h.title_line, "title"});
  for (const DocPart& part : tree.parts) {
    if (!part.title.empty()) units.push_back(TextUnit{part.title, part.page, part.line, part.label});
    CollectUnits(part.nodes, part.label, &units);
  }
  rec.references = FindReferences(units, h.number, rules);
  for (const Reference& r : rec.references) {
    if (r.provenance.ocr_confidence < 0 || r.provenance.ocr_confidence >= kLowOcrConfidence) continue;
    char conf[16];
    std::snprintf(conf, sizeof conf, "%.0f", r.provenance.ocr_confidence);
    diag->Warn("ocr.low_confidence",
               "the reference " + (!r.number.empty() ? r.number : r.title.value_or("?")) + " in " + r.provenance.clause +
                   " was read by OCR with confidence " + conf,
               r.provenance.page, r.provenance.line, r.provenance.clause);
  }

  // What the secretariat should look at.
  int count_line = 0;
  if (auto declared = DeclaredTaskCount(tree, rules, &count_line)) {
    rec.meta.declared_task_count = declared;
    if (*declared != static_cast<int>(rec.tasks.size())) {
      diag->Add(Diagnostic{Severity::kWarning, "tasks.count_mismatch",
                           "document declares " + std::to_string(*declared) + " tasks, " +
                               std::to_string(rec.tasks.size()) + " found",
                           0, count_line, "", "count.tasks"});
    }
  }
  for (const SourceLine& l : tree.lines) {
    for (const Rule* r : rules.Category("count.appendix_ref")) {
      for (const Pattern& p : r->patterns) {
        Match m;
        if (!p.Find(l.text, &m)) continue;
        std::string wanted = SearchKey(m.Group(1, ""));
        bool present = false;
        for (const DocPart& part : tree.parts) {
          Match pm;
          std::string label = SearchKey(part.label);
          if (!part.label.empty() && (label.ends_with(" " + wanted) || label == wanted)) present = true;
          // "Phụ lục số 02" and "Phụ lục 2" are the same appendix.
          std::string a = wanted, b = label.substr(label.rfind(' ') + 1);
          while (a.size() > 1 && a[0] == '0') a.erase(0, 1);
          while (b.size() > 1 && b[0] == '0') b.erase(0, 1);
          if (!part.label.empty() && a == b) present = true;
        }
        if (!present) {
          diag->Add(Diagnostic{Severity::kWarning, "appendix.missing",
                               "text refers to appendix " + m.Group(1, "") + ", which is not in the file", l.page,
                               l.line, "", r->id});
        }
      }
    }
  }
  if (rec.tasks.empty()) diag->Warn("tasks.none", "no tasks found");
  if (!tree.has_pages) {
    // Text, HTML and DOCX have no pages: provenance is the line alone.
    for (Task& t : rec.tasks) t.provenance.page = 0;
    for (Reference& r : rec.references) r.provenance.page = 0;
    for (Indicator& i : rec.indicators) i.provenance.page = 0;
  }
  return rec;
}

}  // namespace plantrace
