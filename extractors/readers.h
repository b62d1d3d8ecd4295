// The readers: bytes of one file -> Layout. Each reader lives in its own .cc
// and is the only file that includes its third-party library.
#ifndef PLANTRACE_EXTRACTORS_READERS_H_
#define PLANTRACE_EXTRACTORS_READERS_H_

#include <string>
#include <string_view>

#include "extractors/layout.h"
#include "pipeline/base/diagnostics.h"
#include "pipeline/base/status.h"

namespace plantrace {

class RuleSet;

// Limits a reader enforces so that hostile input gives an error, not a hang
// or unbounded memory.
struct ReadLimits {
  size_t max_bytes = 64u << 20;          // whole input
  size_t max_unzipped_entry = 64u << 20;  // one DOCX part
  size_t max_zip_entries = 2000;
  int max_pages = 5000;
  // CPU seconds one document may take (budget.h): < 0 for the default by
  // its size (DefaultCpuSeconds), 0 for no limit.
  double max_cpu_seconds = -1;
  // Pages read by OCR (page_ocr.h): kAuto only those without a usable
  // text layer, kAlways every page, kNever none (an image-only PDF is then
  // refused).
  enum class Ocr { kAuto, kNever, kAlways };
  Ocr ocr = Ocr::kAuto;
};

// "auto" | "never" | "always"; false for anything else.
bool ParseOcrMode(std::string_view text, ReadLimits::Ocr* mode);

// Sniffs the format from the bytes (never from the file name).
Format SniffFormat(std::string_view bytes);

// `source` is the file name used in messages and Layout::source.
Result<Layout> ReadText(std::string_view bytes, const std::string& source, Diagnostics* diag);
// `rules` (may be null) supplies the syllable rules that tell a garbage
// text layer (a scanner's bad OCR over the page image) from Vietnamese:
// such a page is OCR'd again under --ocr auto.
Result<Layout> ReadPdf(std::string_view bytes, const std::string& source, const ReadLimits& limits,
                       Diagnostics* diag, const RuleSet* rules = nullptr);
Result<Layout> ReadHtml(std::string_view bytes, const std::string& source, const ReadLimits& limits,
                        Diagnostics* diag);
Result<Layout> ReadDocx(std::string_view bytes, const std::string& source, const ReadLimits& limits,
                        Diagnostics* diag);

// Markdown through a CommonMark/GFM parser: pipe tables and the flattened
// tables of web exports become Tables; emphasis sets Line::bold and is removed
// from the text. `rules` (may be null) supplies the column and cell cues that
// place a flattened table's cells (rules/columns.rules).
Result<Layout> ReadMarkdown(std::string_view bytes, const std::string& source, const RuleSet* rules,
                            Diagnostics* diag);
// Three or more lines with Markdown marks ('#' headings, '**', <sup>, rules).
bool LooksLikeMarkdown(std::string_view bytes);

// Why no reader takes `bytes`, for the message that refuses them ("UTF-32
// text; ...", "an OLE2 compound file ...", "not a document ..."); "" when a
// reader takes them. UTF-16 text is judged by what it decodes to.
std::string WhyUnreadable(std::string_view bytes);

// Draws page `page` (1-based) of a PDF at `dpi` as a greyscale PNG file
// at `png_path` (the web view's page images). A page that takes over a few
// seconds to draw is cut where drawing stopped.
Status RenderPdfPage(std::string_view bytes, int page, int dpi, const std::string& png_path);

// Sniffs and dispatches. UTF-16 text is decoded to UTF-8 first (with an
// info diagnostic). Empty input and unknown binary formats are errors naming
// the file and the reason.
// Text that looks like Markdown goes to ReadMarkdown with `rules`.
Result<Layout> ReadDocument(std::string_view bytes, const std::string& source, const ReadLimits& limits,
                            Diagnostics* diag, const RuleSet* rules = nullptr);

}  // namespace plantrace

#endif  // PLANTRACE_EXTRACTORS_READERS_H_
