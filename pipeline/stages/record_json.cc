// Record -> JSON for `plantrace extract --json`: gold/SCHEMA.md fields in
// their order, then provenance on every task and reference, and warnings.
#include "pipeline/stages/record_json.h"

namespace plantrace {
namespace {

void WriteProvenance(JsonWriter& w, const Provenance& p) {
  w.Key("provenance").BeginObject();
  if (p.page > 0) {
    w.Field("page", p.page);
  } else {
    w.Key("page").Null();
  }
  w.Field("line", p.line).Field("clause", p.clause);
  w.Key("rules").Strings(p.rules);
  if (p.ocr_confidence >= 0) w.Field("ocr_confidence", static_cast<int>(p.ocr_confidence + 0.5f));
  w.EndObject();
}

void WriteAgencies(JsonWriter& w, const char* key, const std::vector<Agency>& list) {
  w.Key(key).BeginArray();
  for (const Agency& a : list) w.String(a.printed);
  w.EndArray();
}

}  // namespace

void WriteDeadline(JsonWriter& w, const std::optional<Deadline>& d) {
  if (!d) {
    w.Null();
    return;
  }
  w.BeginObject().Field("kind", d->kind).Field("start", d->start).Field("end", d->end);
  if (d->every) w.Field("every", d->every);
  w.EndObject();
}

void WriteTask(JsonWriter& w, const Task& t) {
  w.BeginObject();
  w.Field("source", t.source).Field("group", t.group).Field("group_title", t.group_title);
  w.Field("number", t.number).Field("code", t.code);
  if (t.title) w.Field("title", t.title);
  w.Field("name", t.name).Field("lead_raw", t.lead_raw);
  WriteAgencies(w, "lead", t.lead);
  w.Field("coord_raw", t.coord_raw);
  WriteAgencies(w, "coord", t.coord);
  w.Field("output", t.output).Field("deadline_raw", t.deadline_raw);
  w.Key("deadline");
  WriteDeadline(w, t.deadline);
  w.Field("funding", t.funding);
  w.Key("agencies").BeginArray();
  for (const auto* list : {&t.lead, &t.coord}) {
    for (const Agency& a : *list) {
      w.BeginObject().Field("printed", a.printed).Field("role", list == &t.lead ? "lead" : "coord");
      w.Field("canonical", a.known ? std::optional<std::string>(a.canonical) : std::nullopt);
      w.Field("kind", a.kind.empty() ? std::optional<std::string>() : std::optional<std::string>(a.kind));
      w.EndObject();
    }
  }
  w.EndArray();
  WriteProvenance(w, t.provenance);
  w.EndObject();
}

std::string RecordToJson(const Record& rec, int indent) {
  JsonWriter w(indent);
  w.BeginObject();
  w.Field("doc", rec.doc).Field("sha256", rec.sha256).Field("format", FormatName(rec.format));
  w.Field("rules_hash", rec.rules_hash);
  const Meta& m = rec.meta;
  w.Key("meta").BeginObject();
  w.Field("number", m.number).Field("type", m.type).Field("issuer", m.issuer).Field("place", m.place);
  w.Field("date", m.date).Field("title", m.title).Field("signer", m.signer);
  if (m.attachment_type) w.Field("attachment_type", m.attachment_type);
  if (m.attachment_title) w.Field("attachment_title", m.attachment_title);
  if (m.declared_task_count) w.Field("declared_task_count", *m.declared_task_count);
  w.EndObject();
  w.Key("references").BeginArray();
  for (const Reference& r : rec.references) {
    // A document cited by title has no number: null, and its title.
    w.BeginObject().Field("number", r.number.empty() ? std::nullopt : std::optional<std::string>(r.number));
    w.Field("date", r.date).Field("relation", r.relation);
    w.Field("type", r.type).Field("part", r.part);
    if (r.title) w.Field("title", *r.title);
    w.Field("sentence", r.sentence);
    WriteProvenance(w, r.provenance);
    w.EndObject();
  }
  w.EndArray();
  w.Key("tasks").BeginArray();
  for (const Task& t : rec.tasks) WriteTask(w, t);
  w.EndArray();
  w.Key("indicators").BeginArray();
  for (const Indicator& i : rec.indicators) {
    w.BeginObject().Field("source", i.source).Field("group", i.group).Field("group_title", i.group_title);
    w.Field("number", i.number).Field("name", i.name).Field("unit", i.unit);
    w.Key("targets").BeginObject();
    for (const auto& [year, value] : i.targets) w.Field(year, value);
    w.EndObject();
    w.Key("monitor").Strings(i.monitor);
    WriteProvenance(w, i.provenance);
    w.EndObject();
  }
  w.EndArray();
  w.Key("warnings").BeginArray();
  for (const Diagnostic& d : rec.warnings) {
    w.BeginObject().Field("severity", SeverityName(d.severity)).Field("code", d.code).Field("message", d.message);
    if (d.page > 0) w.Field("page", d.page);
    if (d.line > 0) w.Field("line", d.line);
    if (!d.clause.empty()) w.Field("clause", d.clause);
    if (!d.rule.empty()) w.Field("rule", d.rule);
    w.EndObject();
  }
  w.EndArray();
  w.EndObject();
  return w.str() + "\n";
}

}  // namespace plantrace
