// Page images and word boxes for the task page (page_view.h).
#include "pipeline/web/page_view.h"

#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <sstream>

#include "extractors/readers.h"
#include "pipeline/base/diagnostics.h"
#include "pipeline/base/unicode.h"

namespace plantrace::web {
namespace {

std::vector<std::string> Tokens(const std::string& key) {
  std::vector<std::string> out;
  std::istringstream in(key);
  for (std::string w; in >> w;) out.push_back(w);
  return out;
}

void AddLine(const Line& l, std::map<int, PageWords>* pages) {
  PageWords& p = (*pages)[l.page];
  for (const Word& w : l.words) {
    PageWord pw;
    pw.text = w.text;
    pw.key = SearchKey(w.text);
    pw.x0 = w.box.x0;
    pw.y0 = w.box.y0;
    pw.x1 = w.box.x1;
    pw.y1 = w.box.y1;
    pw.line = l.line;
    p.words.push_back(std::move(pw));
  }
}

bool ReadFile(const std::string& path, std::string* out) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return false;
  out->assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
  return !in.bad();
}

}  // namespace

const PageWords* DocWords::Page(int page) const {
  for (const PageWords& p : pages) {
    if (p.page == page) return &p;
  }
  return nullptr;
}

Result<DocWords> ReadDocWords(std::string_view pdf_bytes, const std::string& name) {
  ReadLimits limits;
  limits.ocr = ReadLimits::Ocr::kNever;
  Diagnostics diag;
  Result<Layout> layout = ReadPdf(pdf_bytes, name, limits, &diag);
  if (!layout.ok()) return layout.status();
  std::map<int, PageWords> pages;
  for (const plantrace::Page& p : layout->pages) {
    PageWords& pw = pages[p.number];
    pw.width = p.width;
    pw.height = p.height;
  }
  for (const Block& b : layout->blocks) {
    if (b.kind == Block::Kind::kLines) {
      for (const Line& l : b.lines) AddLine(l, &pages);
      continue;
    }
    for (const Row& r : b.table.rows) {
      for (const Cell& c : r.cells) {
        for (const Line& l : c.lines) AddLine(l, &pages);
      }
    }
  }
  DocWords out;
  for (auto& [number, words] : pages) {
    words.page = number;
    out.pages.push_back(std::move(words));
  }
  return out;
}

std::vector<size_t> FindPrinted(const PageWords& page, std::string_view text, int line) {
  // How far the walk looks ahead on the page for the next word of the text
  // (a column cell's words interleave with nothing in reading order, but a
  // stray footnote mark or a page number may sit between), and how many
  // words of the text in a row may be missing before the match ends.
  constexpr size_t kLookAhead = 3;
  constexpr int kMaxMisses = 4;
  constexpr size_t kMaxWords = 120;
  std::vector<std::string> want = Tokens(SearchKey(text));
  if (want.size() > kMaxWords) want.resize(kMaxWords);
  if (want.empty()) return {};
  std::vector<std::string> have;
  std::vector<size_t> owner;  // page word of each token
  for (size_t i = 0; i < page.words.size(); ++i) {
    for (std::string& t : Tokens(page.words[i].key)) {
      have.push_back(std::move(t));
      owner.push_back(i);
    }
  }
  std::vector<size_t> best;
  size_t best_matched = 0;
  int best_distance = 0;
  for (size_t start = 0; start < have.size(); ++start) {
    // The match starts at one of the text's first words (a number or a
    // bullet may open the printed clause and be left out of the name).
    size_t i = 0;
    while (i < 3 && i < want.size() && want[i] != have[start]) ++i;
    if (i == 3 || i == want.size()) continue;
    std::vector<size_t> hit;
    size_t j = start;
    int misses = 0;
    while (i < want.size() && j < have.size() && misses <= kMaxMisses) {
      size_t k = 0;
      while (k <= kLookAhead && j + k < have.size() && have[j + k] != want[i]) ++k;
      if (k <= kLookAhead && j + k < have.size()) {
        hit.push_back(j + k);
        j += k + 1;
        misses = 0;
      } else {
        ++misses;
      }
      ++i;
    }
    const int distance = std::abs(page.words[owner[start]].line - line);
    if (hit.size() > best_matched || (hit.size() == best_matched && distance < best_distance)) {
      best = std::move(hit);
      best_matched = best.size();
      best_distance = distance;
    }
  }
  if (best.empty()) return {};
  // A clause that goes on over the page break is matched up to the page's end.
  const size_t possible = std::min(want.size(), have.size() - best.front());
  if (best_matched * 2 < possible) return {};
  std::vector<size_t> words;
  for (size_t t : best) {
    if (words.empty() || words.back() != owner[t]) words.push_back(owner[t]);
  }
  return words;
}

Result<std::string> PageCache::PagePng(const std::string& sha, int page, const Bytes& bytes) {
  namespace fs = std::filesystem;
  const bool disk = !dir_.empty();
  std::string path;
  if (disk) {
    path = dir_ + "/" + sha + "-p" + std::to_string(page) + "-" + std::to_string(kDpi) + ".png";
    std::string png;
    if (ReadFile(path, &png) && !png.empty()) return png;
    std::error_code ec;
    fs::create_directories(dir_, ec);
    if (ec) return Status::Io(dir_ + ": cannot create the page cache (" + ec.message() + ")");
  }
  Result<std::string> pdf = bytes();
  if (!pdf.ok()) return pdf.status();
  // Drawn under a private name and renamed, so that a concurrent request
  // never reads a half-written image.
  static std::atomic<uint64_t> drawn{0};
  const std::string tmp = (disk ? dir_ : fs::temp_directory_path().string()) + "/.page-" +
                          std::to_string(::getpid()) + "-" + std::to_string(drawn++) + ".png";
  Status st = RenderPdfPage(*pdf, page, kDpi, tmp);
  if (!st.ok()) return st;
  std::string png;
  const bool read = ReadFile(tmp, &png);
  std::error_code ec;
  if (disk) {
    fs::rename(tmp, path, ec);
  }
  if (!disk || ec) fs::remove(tmp, ec);
  if (!read) return Status::Io(tmp + ": cannot read the page image back");
  return png;
}

Result<std::shared_ptr<const DocWords>> PageCache::Words(const std::string& sha, const Bytes& bytes) {
  {
    std::lock_guard<std::mutex> lock(mu_);
    auto it = words_.find(sha);
    if (it != words_.end()) {
      order_.remove(sha);
      order_.push_front(sha);
      return it->second;
    }
  }
  // Read outside the lock: a large plan takes a while, and other requests
  // go on meanwhile (two readers of one plan merely do the work twice).
  Result<std::string> pdf = bytes();
  if (!pdf.ok()) return pdf.status();
  Result<DocWords> words = ReadDocWords(*pdf, sha);
  if (!words.ok()) return words.status();
  auto shared = std::make_shared<const DocWords>(std::move(*words));
  std::lock_guard<std::mutex> lock(mu_);
  if (!words_.count(sha)) order_.push_front(sha);
  words_[sha] = shared;
  while (order_.size() > kDocsKept) {
    words_.erase(order_.back());
    order_.pop_back();
  }
  return shared;
}

std::string DefaultPageCacheDir() {
  if (const char* xdg = std::getenv("XDG_CACHE_HOME"); xdg != nullptr && *xdg == '/') {
    return std::string(xdg) + "/plantrace/pages";
  }
  if (const char* home = std::getenv("HOME"); home != nullptr && *home == '/') {
    return std::string(home) + "/.cache/plantrace/pages";
  }
  return "/tmp/plantrace-pages-" + std::to_string(::getuid());
}

}  // namespace plantrace::web
