// Renditions of one document compared with its reading (renditions.h).
#include "pipeline/store/renditions.h"

#include <algorithm>
#include <map>
#include <set>

#include "pipeline/base/unicode.h"
#include "pipeline/stages/link.h"

namespace plantrace {
namespace {

std::string Shown(const std::string& s) {
  std::string one = CollapseSpaces(s);
  if (one.size() > 80) {
    size_t cut = 77;
    while (cut > 0 && (static_cast<unsigned char>(one[cut]) & 0xC0) == 0x80) --cut;
    one = one.substr(0, cut) + "...";
  }
  return "'" + one + "'";
}

std::vector<std::string> Keys(const std::vector<std::string>& printed) {
  std::vector<std::string> out;
  for (const std::string& p : printed) out.push_back(MatchKey(p));
  std::sort(out.begin(), out.end());
  return out;
}

LinkTask ToLinkTask(const RenditionTask& t, int64_t id, int64_t doc) {
  LinkTask l;
  l.id = id;
  l.doc_id = doc;
  l.position = static_cast<int>(id);
  l.clause = t.clause;
  l.name = t.name;
  if (!t.output.empty()) l.output = t.output;
  if (!t.deadline.empty()) l.deadline_raw = t.deadline;
  l.lead = Keys(t.lead);
  l.lead_printed = t.lead;
  return l;
}

std::string TaskLabel(const RenditionTask& t, size_t i) {
  std::string s = "task " + std::to_string(i + 1);
  if (!t.number.empty()) s += " (" + t.number + ")";
  return s + " " + Shown(t.name);
}

}  // namespace

const char* const kRenditionMetaFields[7] = {"number", "type", "issuer", "date", "title", "place", "signer"};

RenditionSummary SummaryOf(const Record& rec, const std::string& file) {
  RenditionSummary s;
  s.file = file;
  s.format = FormatName(rec.format);
  const Meta& m = rec.meta;
  const std::optional<std::string>* values[] = {&m.number, &m.type, &m.issuer, &m.date, &m.title, &m.place, &m.signer};
  for (size_t i = 0; i < std::size(values); ++i) {
    if (*values[i]) s.meta.emplace_back(kRenditionMetaFields[i], **values[i]);
  }
  for (const Task& t : rec.tasks) {
    RenditionTask r;
    r.number = t.number.value_or("");
    r.name = t.name;
    r.deadline = t.deadline_raw.value_or("");
    r.output = t.output.value_or("");
    for (const Agency& a : t.lead) r.lead.push_back(a.printed);
    r.page = t.provenance.page;
    r.line = t.provenance.line;
    r.clause = t.provenance.clause;
    s.tasks.push_back(std::move(r));
  }
  return s;
}

std::vector<Diagnostic> CompareRenditions(const RenditionSummary& reading, const RenditionSummary& other,
                                          const std::string& rule) {
  std::vector<Diagnostic> out;
  const std::string who = other.format + " " + other.file;
  const std::string ref = "the reading (" + reading.format + ")";
  auto add = [&](const char* code, std::string message, const RenditionTask* at) {
    Diagnostic d;
    d.severity = Severity::kWarning;
    d.code = code;
    d.message = std::move(message);
    if (at) {
      d.page = at->page;
      d.line = at->line;
      d.clause = at->clause;
    }
    d.rule = rule;
    out.push_back(std::move(d));
  };

  std::map<std::string, std::string> mine(reading.meta.begin(), reading.meta.end());
  std::map<std::string, std::string> theirs(other.meta.begin(), other.meta.end());
  for (const char* field : kRenditionMetaFields) {
    auto a = mine.find(field), b = theirs.find(field);
    const bool has_a = a != mine.end(), has_b = b != theirs.end();
    if (!has_a && !has_b) continue;
    if (has_a && has_b && (a->second == b->second || MatchKey(a->second) == MatchKey(b->second))) continue;
    add("rendition.meta_differs",
        who + ": " + field + " " + (has_b ? Shown(b->second) : std::string("absent")) + " where " + ref + " has " +
            (has_a ? Shown(a->second) : std::string("none")),
        nullptr);
  }

  std::vector<LinkTask> older, newer;
  for (size_t i = 0; i < reading.tasks.size(); ++i) older.push_back(ToLinkTask(reading.tasks[i], static_cast<int64_t>(i), 1));
  for (size_t i = 0; i < other.tasks.size(); ++i) newer.push_back(ToLinkTask(other.tasks[i], static_cast<int64_t>(i), 2));
  std::map<int64_t, int64_t> match;  // reading index -> other index
  std::set<int64_t> matched_other;
  for (const LineagePair& p : MatchTasks(newer, older)) {
    if (!p.linked) continue;
    match[p.prev] = p.task;
    matched_other.insert(p.task);
  }
  for (size_t i = 0; i < reading.tasks.size(); ++i) {
    const RenditionTask& r = reading.tasks[i];
    auto it = match.find(static_cast<int64_t>(i));
    if (it == match.end()) {
      add("rendition.task_missing", who + " lacks " + TaskLabel(r, i) + " of " + ref, &r);
      continue;
    }
    const RenditionTask& o = other.tasks[static_cast<size_t>(it->second)];
    auto differs = [&](const char* field, const std::string& a, const std::string& b) {
      if (a == b || MatchKey(a) == MatchKey(b)) return;  // renditions mostly agree to the byte
      add("rendition.task_differs",
          who + ": " + TaskLabel(r, i) + " " + field + " " + (b.empty() ? "absent" : Shown(b)) + " where " + ref +
              " has " + (a.empty() ? "none" : Shown(a)),
          &r);
    };
    differs("number", r.number, o.number);
    differs("deadline", r.deadline, o.deadline);
    if (r.lead != o.lead && Keys(r.lead) != Keys(o.lead)) differs("lead", Join(r.lead, "; "), Join(o.lead, "; "));
  }
  for (size_t i = 0; i < other.tasks.size(); ++i) {
    if (matched_other.count(static_cast<int64_t>(i))) continue;
    const RenditionTask& o = other.tasks[i];
    add("rendition.task_added", who + " adds " + TaskLabel(o, i) + " (page " + std::to_string(o.page) + ", line " +
                                    std::to_string(o.line) + " of that file), not in " + ref,
        nullptr);
    out.back().clause = o.clause;
  }
  return out;
}

}  // namespace plantrace
