// Record -> JSON, the shape of gold/SCHEMA.md plus provenance and warnings.
#ifndef PLANTRACE_PIPELINE_STAGES_RECORD_JSON_H_
#define PLANTRACE_PIPELINE_STAGES_RECORD_JSON_H_

#include <string>

#include "pipeline/base/json_writer.h"
#include "pipeline/stages/record.h"

namespace plantrace {

std::string RecordToJson(const Record& rec, int indent = 2);
void WriteDeadline(JsonWriter& w, const std::optional<Deadline>& d);
void WriteTask(JsonWriter& w, const Task& t);

}  // namespace plantrace

#endif  // PLANTRACE_PIPELINE_STAGES_RECORD_JSON_H_
