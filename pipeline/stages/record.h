// Record: what extract produces for one document and `plantrace extract
// --json` prints (the shape of gold/SCHEMA.md plus provenance and warnings).
#ifndef PLANTRACE_PIPELINE_STAGES_RECORD_H_
#define PLANTRACE_PIPELINE_STAGES_RECORD_H_

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "extractors/layout.h"
#include "pipeline/base/diagnostics.h"

namespace plantrace {

struct Provenance {
  int page = 0;   // 0 = the format has no pages
  int line = 0;
  std::string clause;              // "PHỤ LỤC II > III > 14"
  std::vector<std::string> rules;  // "deadline.month@<hash12>", ...
  // Lowest OCR confidence (0..100) of the text the value was read from;
  // -1 when it came from a text layer.
  float ocr_confidence = -1;
};

struct Deadline {
  std::string kind;                  // date|month|quarter|year|range|recurring|ongoing|open_from|conditional
  std::optional<std::string> start;  // ISO
  std::optional<std::string> end;
  std::optional<std::string> every;  // recurring: year|quarter|month
  std::string rule;                  // rule id that produced it
};

struct Agency {
  std::string printed;    // as printed (what gold compares)
  std::string canonical;  // gazetteer canonical name; empty when unknown
  std::string kind;       // department, committee, party, press, bank, school, locality, collective, ...
  bool known = false;
  bool near = false;  // canonical found by a bounded edit distance: the printed spelling differs
  // The province the agency belongs to when the name says so: "" for a
  // national body (ministry, Government), the province named in it
  // ("Công an tỉnh Nghệ An"); unset means the plan's own (Record::agency_scope).
  std::optional<std::string> scope;
};

struct Task {
  std::string source;  // appendix or section heading
  std::optional<std::string> group;
  std::optional<std::string> group_title;
  std::optional<std::string> number;
  std::optional<std::string> code;
  std::optional<std::string> title;  // merged title column where the table has both title and content
  std::string name;
  std::optional<std::string> lead_raw;
  std::vector<Agency> lead;
  std::optional<std::string> coord_raw;
  std::vector<Agency> coord;
  std::optional<std::string> output;
  std::optional<std::string> deadline_raw;
  std::optional<Deadline> deadline;
  std::optional<std::string> funding;
  Provenance provenance;
  std::string source_text;  // the row's cells or the clause, as printed (NFC)
};

struct Reference {
  std::string number;  // as printed, spaces removed
  std::optional<std::string> date;
  std::string relation;  // supersedes|amends|repeals|implements|based_on|cites
  std::optional<std::string> type;   // "Nghị quyết"
  std::optional<std::string> part;   // "Phụ lục II", "mục 3" for partial relations
  std::optional<std::string> title;  // for references by title
  std::string sentence;  // the sentence it stands in
  Provenance provenance;
};

struct Indicator {
  std::string source;
  std::optional<std::string> group;
  std::optional<std::string> group_title;
  std::optional<std::string> number;
  std::string name;
  std::optional<std::string> unit;
  std::vector<std::pair<std::string, std::string>> targets;  // year -> value
  std::vector<std::string> monitor;
  Provenance provenance;
};

struct Meta {
  std::optional<std::string> number;
  std::optional<std::string> type;
  std::optional<std::string> issuer;
  std::optional<std::string> place;
  std::optional<std::string> date;
  std::optional<std::string> title;
  std::optional<std::string> signer;
  std::optional<std::string> signer_title;
  std::optional<std::string> attachment_type;
  std::optional<std::string> attachment_title;
  std::optional<int> declared_task_count;
};

struct Record {
  std::string doc;      // file base name
  std::string sha256;   // of the input bytes
  Format format = Format::kUnknown;
  std::string rules_hash;
  Meta meta;
  std::vector<Reference> references;
  std::vector<Task> tasks;
  std::vector<Indicator> indicators;
  std::vector<Diagnostic> warnings;
  // The province the plan is issued in (from its issuer or place, see
  // IssuingProvince in agency.h): the scope of agencies that name none.
  // "" for a national issuer or when unknown.
  std::optional<std::string> agency_scope;
};

}  // namespace plantrace

#endif  // PLANTRACE_PIPELINE_STAGES_RECORD_H_
