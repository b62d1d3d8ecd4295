// Header block and page furniture, for segment: what of a Layout is the
// document's own text (a portal's banner, property box, related-document
// list and table of contents are not; nor is a signing widget's text), and
// the header fields read from the header block's cells (issuer beside the
// national motto, "Số:", place and date), whether the block arrives as a
// two-column PDF header, a flattened table with '|' between cells, or lines.
#ifndef PLANTRACE_PIPELINE_STAGES_HEADER_H_
#define PLANTRACE_PIPELINE_STAGES_HEADER_H_

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "extractors/layout.h"
#include "pipeline/base/diagnostics.h"
#include "pipeline/base/rules.h"

namespace plantrace {

// `layout` without the lines that are not document text: a portal page's
// lines before the document's header block (or, when no header is printed,
// before its opening "Kính gửi:") and after its signature (related
// documents, table of contents), only when the page shows portal evidence
// (rules furniture.banner/box) or text precedes the motto's header block;
// and signing-widget lines (signature.not_text) anywhere. Table blocks are
// kept whole. Dropped spans are reported as info diagnostics.
// nullopt when nothing is dropped (the layout is not copied: a 400-page
// PDF's copy was 5% of its extraction).
std::optional<Layout> DropFurniture(const Layout& layout, const RuleSet& rules, Diagnostics* diag);

// The signer a portal's property box names ("Người ký: Bùi Đình Long"; the
// name on the label's line or the next line), with its line; for a
// document whose own signature block lost the name. Looks only where
// DropFurniture would drop the lead (call it on the undropped layout).
std::optional<std::pair<std::string, int>> PortalSigner(const Layout& layout, const RuleSet& rules);

// The fields the header block prints, each with the line it came from.
struct HeaderFields {
  std::optional<std::string> number;          // normalised (NormalizeDocNumber)
  std::optional<std::string> number_printed;  // the "Số: ..." cell as printed
  bool number_blank = false;                  // "Số:   /KH-UBND": figures left blank
  std::optional<std::string> place, date;     // date ISO
  std::optional<std::string> issuer;          // the issuer cell as printed (upper case)
  int number_line = 0, date_line = 0, issuer_line = 0;
  std::vector<std::string> rules;
};

// Reads the header block: the lines before the first document-type line or
// body start (at most the first 60 lines). Lines on pages whose text layer
// is not Vietnamese (see ForeignTextPages) are ignored.
HeaderFields ReadHeaderBlock(const Layout& layout, const RuleSet& rules, const std::vector<int>& skip_pages);

// "3070. /KH-UBND" -> "3070/KH-UBND": spaces removed, a registry's period
// before the slash or at the end dropped.
std::string NormalizeDocNumber(std::string_view printed);

// The number of a line that is a number line in full (meta.number),
// normalised; nullopt when the line is none or its figures carry neither '/'
// nor '-' (no document number). *rule: the rule that matched, else null.
std::optional<std::string> ReadNumberLine(std::string_view text, const RuleSet& rules, const Rule** rule);

// An upper-case issuer as written in running text ("ỦY BAN NHÂN DÂN THỊ XÃ
// BỈM SƠN" -> "Ủy ban nhân dân thị xã Bỉm Sơn"; meta.issuer_case); text
// that is not all upper case is returned as is.
std::string IssuerCase(std::string_view issuer, const RuleSet& rules);

// What an attachment caption "(Kèm theo Nghị quyết số 394/NQ-CP ngày 03
// tháng 12 năm 2025 của Chính phủ)" says of the document it belongs to.
struct CaptionFields {
  std::string type, number, date, issuer;
};
std::optional<CaptionFields> ReadCaption(std::string_view text, const RuleSet& rules);

// Pages (1-based) of a PDF whose text layer is not Vietnamese: glyph codes
// of a broken font read as Cyrillic, Armenian or other letters
// ("6Ӣ CÔNG 7+ѬѪ1*"). Empty for other formats.
std::vector<int> ForeignTextPages(const Layout& layout);

}  // namespace plantrace

#endif  // PLANTRACE_PIPELINE_STAGES_HEADER_H_
