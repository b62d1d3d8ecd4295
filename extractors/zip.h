// Reading parts of a ZIP container (DOCX) from memory, with limits that hold
// even when the archive lies about its sizes. libzip is seen only in zip.cc.
#ifndef PLANTRACE_EXTRACTORS_ZIP_H_
#define PLANTRACE_EXTRACTORS_ZIP_H_

#include <memory>
#include <string>
#include <string_view>

#include "pipeline/base/status.h"

namespace plantrace {

struct ZipLimits {
  size_t max_entries = 2000;
  size_t max_entry_bytes = 64u << 20;      // one entry, declared and as inflated
  size_t max_declared_total = 1u << 30;    // sum of all declared sizes
  size_t max_read_total = 128u << 20;      // sum of what Read() inflates over the archive's life
};

class ZipReader {
 public:
  // `bytes` must outlive the reader. A truncated or damaged archive, or one
  // with too many entries or too large declared sizes, is an error naming
  // `source`.
  static Result<std::unique_ptr<ZipReader>> Open(std::string_view bytes, const std::string& source,
                                                 const ZipLimits& limits);
  ~ZipReader();
  ZipReader(const ZipReader&) = delete;
  ZipReader& operator=(const ZipReader&) = delete;

  bool Has(const std::string& name) const;
  // Inflates one entry, counting bytes as they come (a bomb is stopped at the
  // limit, whatever its header says). NotFound if there is no such entry.
  Result<std::string> Read(const std::string& name);

 private:
  struct Impl;
  explicit ZipReader(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace plantrace

#endif  // PLANTRACE_EXTRACTORS_ZIP_H_
