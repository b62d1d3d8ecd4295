// Document identity for the link stage: a normalised key for printed
// document numbers ("125 /KH-BCĐ" = "125/KH-BCĐ", "57- NQ/TW" = "57-NQ/TW")
// and a stable key for a stored document that does not depend on row ids.
#ifndef PLANTRACE_PIPELINE_BASE_DOC_KEY_H_
#define PLANTRACE_PIPELINE_BASE_DOC_KEY_H_

#include <optional>
#include <string>
#include <string_view>

namespace plantrace {

// NFC, upper case, whitespace removed, dash variants (‐ – — −) as "-", a
// leading "SỐ"/"SỐ:" dropped. "Số 102/kh - UBND" -> "102/KH-UBND".
std::string DocNumberKey(std::string_view number);

// The parts of a number key: "107/2021/NĐ-CP" -> {107, 2021, NĐ-CP};
// "57-NQ/TW" -> {57, "", NQ/TW}. `issuer_code` is the code after the type
// abbreviation ("CP", "TW", "UBND"), empty when the code has one part.
struct DocNumberParts {
  std::string serial;
  std::string year;
  std::string code;
  std::string issuer_code;
};
std::optional<DocNumberParts> ParseDocNumber(std::string_view key);

// Stable identity of a stored document, free of row ids and load order:
// "<number key>@<date>#<first 8 hex of SHA-256>", "-" for an unknown date
// and "unnumbered" for a missing number, so that no key starts with "-"
// ("102/KH-UBND@2025-05-19#5765c503", "unnumbered@-#6b90af76").
std::string DocumentKey(const std::optional<std::string>& number, const std::optional<std::string>& date,
                        std::string_view sha256);

}  // namespace plantrace

#endif  // PLANTRACE_PIPELINE_BASE_DOC_KEY_H_
