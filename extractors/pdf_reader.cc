// Pdf reader: bytes -> Layout. (Placeholder until the reader lands.)
#include "extractors/readers.h"

namespace plantrace {

Result<Layout> ReadPdf(std::string_view, const std::string& source, const ReadLimits&, Diagnostics*) {
  return Status::Unsupported(source + ": pdf input is not supported yet");
}

}  // namespace plantrace
