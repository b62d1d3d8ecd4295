// Scoring extraction against gold (the rules of shared/tools/score.py):
// tasks paired by (source, group, number) then by name similarity, fields
// compared leniently where the scorer is lenient, references as
// (number, relation) pairs.
#ifndef PLANTRACE_PIPELINE_STAGES_EVAL_H_
#define PLANTRACE_PIPELINE_STAGES_EVAL_H_

#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "pipeline/base/json_reader.h"
#include "pipeline/stages/record.h"

namespace plantrace {

struct DocScore {
  std::string doc;
  int gold = 0, got = 0, matched = 0, fully = 0;
  int lead_and_deadline = 0;  // matched tasks whose lead and deadline are both right
  std::map<std::string, int> field_right;
  int fields_right = 0, fields_total = 0;
  int meta_right = 0;  // of number, type, date, place, signer
  int ref_tp = 0, ref_gold = 0, ref_got = 0;
  std::vector<std::string> misses;
};

DocScore ScoreRecord(const JsonValue& gold, const Record& rec);

// difflib.SequenceMatcher(None, a, b, autojunk=False).ratio() on code points.
double SimilarityRatio(std::string_view a, std::string_view b);
double F1(int tp, int gold, int got);

}  // namespace plantrace

#endif  // PLANTRACE_PIPELINE_STAGES_EVAL_H_
