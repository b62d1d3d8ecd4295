// Table column roles: which task or indicator field a column holds, from its
// header text (rules/columns.rules, family `column`). Used by segment when it
// rebuilds flattened tables and by extract to map grid columns to fields.
#ifndef PLANTRACE_PIPELINE_BASE_COLUMNS_H_
#define PLANTRACE_PIPELINE_BASE_COLUMNS_H_

#include <string>
#include <string_view>
#include <vector>

#include "pipeline/base/rules.h"

namespace plantrace {

enum class ColumnRole {
  kOther,
  kNumber,     // TT, STT
  kCode,       // Mã nhiệm vụ
  kTitle,      // Tên nhiệm vụ when a separate content column exists
  kName,       // Tên nhiệm vụ, Nội dung, Các chương trình, đề án, nhiệm vụ
  kLead,       // Cơ quan / Đơn vị chủ trì
  kCoord,      // phối hợp
  kOutput,     // Kết quả, Sản phẩm
  kDeadline,   // Thời gian hoàn thành, Lộ trình (đề xuất), Tiến độ
  kFunding,    // Nguồn vốn, Kinh phí
  kIndicator,  // Chỉ tiêu
  kUnit,       // Đơn vị tính
  kTarget,     // Kết quả in an indicator table, Năm 2030, Mục tiêu
  kMonitor,    // Cơ quan chủ trì theo dõi, đánh giá
};

// "number", "lead", ... as written in rules/columns.rules; "other" for kOther.
const char* ColumnRoleName(ColumnRole r);
// Inverse of ColumnRoleName; false for an unknown name.
bool ParseColumnRole(std::string_view name, ColumnRole* out);

// The text a header rule sees: NFC, tones unified, lower case, line breaks
// and space runs collapsed, trailing ":" "." "|" and spaces removed.
std::string HeaderKey(std::string_view header_text);

// Classifies one header cell's text (may contain line breaks or odd spacing)
// with the first `column.*` rule whose pattern matches the whole text.
// kOther when none does. `rule_id` gets the id of the rule used ("" if none).
ColumnRole ClassifyHeader(std::string_view header_text, const RuleSet& rules, std::string* rule_id = nullptr);

// Roles for a whole header row, with context resolved from the rules'
// context keys: a "Kết quả" column in a table that has "Chỉ tiêu" is kTarget,
// "Tên nhiệm vụ" next to "Nội dung nhiệm vụ" is kTitle, "Đơn vị" next to
// "Chỉ tiêu" is kUnit. `rule_ids` gets one id per column.
std::vector<ColumnRole> ClassifyHeaderRow(const std::vector<std::string>& headers, const RuleSet& rules,
                                          std::vector<std::string>* rule_ids = nullptr);

// True when `text` matches any pattern of the rule `cell.<cue>` (e.g. "number",
// "deadline_hint"), honouring its `fold` key. `m` gets the match (groups) of
// the first matching pattern. False when the rule does not exist.
bool MatchCellCue(const RuleSet& rules, std::string_view cue, std::string_view text, Match* m = nullptr);
// The same for one `cell.*` rule already looked up.
bool MatchCellRule(const Rule& rule, std::string_view text, Match* m = nullptr);
// The same with the folded text (CellKey(text)) computed once by the caller.
bool MatchCellRule(const Rule& rule, std::string_view text, std::string_view key, Match* m);
// The folded form `fold: yes` cues match: whitespace collapsed, MatchKey.
std::string CellKey(std::string_view text);

}  // namespace plantrace

#endif  // PLANTRACE_PIPELINE_BASE_COLUMNS_H_
