// The readers: bytes of one file -> Layout. Each reader lives in its own .cc
// and is the only file that includes its third-party library.
#ifndef PLANTRACE_EXTRACTORS_READERS_H_
#define PLANTRACE_EXTRACTORS_READERS_H_

#include <string>
#include <string_view>

#include "extractors/layout.h"
#include "pipeline/diagnostics.h"
#include "pipeline/status.h"

namespace plantrace {

// Limits a reader enforces so that hostile input gives an error, not a hang
// or unbounded memory.
struct ReadLimits {
  size_t max_bytes = 64u << 20;          // whole input
  size_t max_unzipped_entry = 64u << 20;  // one DOCX part
  size_t max_zip_entries = 2000;
  int max_pages = 5000;
};

// Sniffs the format from the bytes (never from the file name).
Format SniffFormat(std::string_view bytes);

// `source` is the file name used in messages and Layout::source.
Result<Layout> ReadText(std::string_view bytes, const std::string& source, Diagnostics* diag);
Result<Layout> ReadPdf(std::string_view bytes, const std::string& source, const ReadLimits& limits,
                       Diagnostics* diag);
Result<Layout> ReadHtml(std::string_view bytes, const std::string& source, const ReadLimits& limits,
                        Diagnostics* diag);
Result<Layout> ReadDocx(std::string_view bytes, const std::string& source, const ReadLimits& limits,
                        Diagnostics* diag);

// Sniffs and dispatches. Empty input and unknown binary formats are errors
// naming the file and the reason.
Result<Layout> ReadDocument(std::string_view bytes, const std::string& source, const ReadLimits& limits,
                            Diagnostics* diag);

}  // namespace plantrace

#endif  // PLANTRACE_EXTRACTORS_READERS_H_
