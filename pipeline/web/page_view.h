// Page images for the task page: a PDF page drawn by Poppler (cached on
// disk by the rendition's SHA-256, so a store can be re-read or replaced
// without stale images) and the words the PDF reader finds on it, with
// their boxes, to highlight a task's clause over the image.
#ifndef PLANTRACE_PIPELINE_WEB_PAGE_VIEW_H_
#define PLANTRACE_PIPELINE_WEB_PAGE_VIEW_H_

#include <cstddef>
#include <functional>
#include <list>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include "pipeline/base/status.h"

namespace plantrace::web {

// One word of a page, in page points (origin top-left).
struct PageWord {
  std::string text;  // as the reader gives it
  std::string key;   // SearchKey of the text ("" for punctuation)
  double x0 = 0, y0 = 0, x1 = 0, y1 = 0;
  int line = 0;  // provenance line on the page
};

struct PageWords {
  int page = 0;
  double width = 0, height = 0;
  std::vector<PageWord> words;  // reading order (blocks, table rows, cells)
};

// Every page's words of one PDF.
struct DocWords {
  std::vector<PageWords> pages;
  const PageWords* Page(int page) const;
};

// Reads the words of a PDF with the pipeline's PDF reader (text layer
// only: a scanned page has none, and OCR is far too slow for a request).
Result<DocWords> ReadDocWords(std::string_view pdf_bytes, const std::string& name);

// The words of `page` that print `text` (a task's name), found near `line`:
// the best in-order match of text's words over the page's words, each page
// word used once. Empty when fewer than half of text's words (or of the
// words on the page that follow the match start) are found.
std::vector<size_t> FindPrinted(const PageWords& page, std::string_view text, int line);

// Thread-safe caches of page images (on disk) and documents' words (in
// memory, the last few documents).
class PageCache {
 public:
  // `dir` is created if missing; "" means no disk cache (images are drawn
  // into a temporary file and returned).
  explicit PageCache(std::string dir) : dir_(std::move(dir)) {}

  using Bytes = std::function<Result<std::string>()>;
  // PNG of page `page` of the PDF with SHA-256 `sha`; `bytes` supplies the
  // PDF when the image is not cached.
  Result<std::string> PagePng(const std::string& sha, int page, const Bytes& bytes);
  Result<std::shared_ptr<const DocWords>> Words(const std::string& sha, const Bytes& bytes);

  static constexpr int kDpi = 110;

 private:
  static constexpr size_t kDocsKept = 16;
  std::string dir_;
  std::mutex mu_;
  std::list<std::string> order_;  // most recently used first
  std::map<std::string, std::shared_ptr<const DocWords>> words_;
};

// Where `serve` keeps page images: $XDG_CACHE_HOME/plantrace/pages, else
// $HOME/.cache/plantrace/pages, else /tmp/plantrace-pages-UID.
std::string DefaultPageCacheDir();

}  // namespace plantrace::web

#endif  // PLANTRACE_PIPELINE_WEB_PAGE_VIEW_H_
