// PDF reader: bytes -> Layout. The only file that includes Poppler: it reads
// each page's words (with boxes, sizes, bold fonts) and ruling lines through
// a TextOutputDev and hands them to pdf::LayoutBuilder (pdf_geometry.h).
#include <poppler/Error.h>
#include <poppler/ErrorCodes.h>
#include <poppler/GfxState.h>
#include <poppler/GlobalParams.h>
#include <poppler/PDFDoc.h>
#include <poppler/Stream.h>
#include <poppler/TextOutputDev.h>
#include <poppler/goo/GooString.h>

#include <algorithm>
#include <cmath>
#include <memory>
#include <string>
#include <vector>

#include "extractors/pdf_geometry.h"
#include "extractors/readers.h"

namespace plantrace {
namespace {

// Poppler reports recoverable damage on stderr; the reader reports through
// Status and Diagnostics instead.
void IgnorePopplerError(ErrorCategory, Goffset, const char*) {}

// Poppler's process-wide parameters, created on first use (thread-safe
// static) and kept until exit: the library needs them while any document
// is open.
void InitPoppler() {
  static GlobalParamsIniter initer(IgnorePopplerError);
  setErrorCallback(IgnorePopplerError);
}

// Widest a filled rectangle may be and still count as a ruling line.
constexpr double kRuleThickness = 2.5;

// Deepest nesting of saved graphics states ("q") a page may use. Poppler
// copies the whole state at each "q" and sets no bound, so a few KB of
// compressed "q q q ..." take seconds and gigabytes (2 million: 6 s, 1.9 GB
// in pdftotext too); real pages nest a handful.
constexpr int kMaxStateDepth = 1000;

// A printed glyph on an upright baseline, in device space.
struct Glyph {
  double x0 = 0, x1 = 0, base = 0, size = 0;
};

// TextOutputDev that also records straight path segments (table borders),
// space glyphs and, when asked, whether the page draws any image.
class PageDev : public TextOutputDev {
 public:
  PageDev() : TextOutputDev(nullptr, false, 0, /*rawOrderA=*/true, false) {}

  void set_detect_images(bool on) { detect_images_ = on; }
  bool saw_image() const { return saw_image_; }
  std::vector<pdf::Rule>& rules() { return rules_; }
  std::vector<Glyph>& spaces() { return spaces_; }
  void Reset() {
    rules_.clear();
    spaces_.clear();
    saw_image_ = false;
    depth_ = 0;
    too_deep_ = false;
  }
  // The page's graphics states nested past kMaxStateDepth: Poppler stopped
  // reading it there (through the abort check of ReadPageWords).
  bool too_deep() const { return too_deep_; }
  static bool Abort(void* self) { return static_cast<PageDev*>(self)->too_deep_; }

  void saveState(GfxState* state) override {
    if (++depth_ > kMaxStateDepth) too_deep_ = true;
    TextOutputDev::saveState(state);
  }
  void restoreState(GfxState* state) override {
    if (depth_ > 0) --depth_;
    TextOutputDev::restoreState(state);
  }

  // The word list drops space glyphs; they are kept here because a line
  // that ends without one was broken inside a word (pdf_geometry.h).
  void drawChar(GfxState* state, double x, double y, double dx, double dy, double origin_x, double origin_y,
                CharCode code, int n_bytes, const Unicode* u, int u_len) override {
    if (u_len == 1 && (u[0] == 0x20 || u[0] == 0xA0)) {
      Glyph g;
      state->transform(x, y, &g.x0, &g.base);
      double ex, ey;
      state->transform(x + dx, y + dy, &ex, &ey);
      g.x1 = ex;
      g.size = state->getTransformedFontSize();
      if (g.x1 > g.x0 && std::fabs(ey - g.base) < 0.01) spaces_.push_back(g);
    }
    TextOutputDev::drawChar(state, x, y, dx, dy, origin_x, origin_y, code, n_bytes, u, u_len);
  }

  bool needNonText() override { return detect_images_; }
  void stroke(GfxState* state) override { AddPath(state, false); }
  void fill(GfxState* state) override { AddPath(state, true); }
  void eoFill(GfxState* state) override { AddPath(state, true); }

  void drawImageMask(GfxState* state, Object* ref, Stream* str, int width, int height, bool invert,
                     bool interpolate, bool inline_img) override {
    saw_image_ = true;
    OutputDev::drawImageMask(state, ref, str, width, height, invert, interpolate, inline_img);
  }
  void drawImage(GfxState* state, Object* ref, Stream* str, int width, int height, GfxImageColorMap* color_map,
                 bool interpolate, const int* mask_colors, bool inline_img) override {
    saw_image_ = true;
    OutputDev::drawImage(state, ref, str, width, height, color_map, interpolate, mask_colors, inline_img);
  }
  void drawMaskedImage(GfxState*, Object*, Stream*, int, int, GfxImageColorMap*, bool, Stream*, int, int, bool,
                       bool) override {
    saw_image_ = true;
  }
  void drawSoftMaskedImage(GfxState*, Object*, Stream*, int, int, GfxImageColorMap*, bool, Stream*, int, int,
                           GfxImageColorMap*, bool) override {
    saw_image_ = true;
  }

 private:
  // Straight axis-parallel pieces of stroked paths, and thin filled
  // rectangles, in device space (points, origin top-left).
  void AddPath(GfxState* state, bool filled) {
    const GfxPath* path = state->getPath();
    if (!path) return;
    for (int i = 0; i < path->getNumSubpaths(); ++i) {
      const GfxSubpath* sp = path->getSubpath(i);
      const int n = sp->getNumPoints();
      if (n < 2 || n > 4096) continue;
      bool curved = false;
      double xmin = 1e18, ymin = 1e18, xmax = -1e18, ymax = -1e18;
      double px = 0, py = 0;
      for (int j = 0; j < n; ++j) {
        if (sp->getCurve(j)) curved = true;
        double x, y;
        state->transform(sp->getX(j), sp->getY(j), &x, &y);
        xmin = std::min(xmin, x);
        ymin = std::min(ymin, y);
        xmax = std::max(xmax, x);
        ymax = std::max(ymax, y);
        if (!filled && j > 0) AddSegment(px, py, x, y);
        px = x;
        py = y;
      }
      if (curved) continue;
      if (filled) {
        double w = xmax - xmin, h = ymax - ymin;
        if (h <= kRuleThickness && w > kRuleThickness) {
          rules_.push_back(pdf::Rule{xmin, (ymin + ymax) / 2, xmax, (ymin + ymax) / 2});
        } else if (w <= kRuleThickness && h > kRuleThickness) {
          rules_.push_back(pdf::Rule{(xmin + xmax) / 2, ymin, (xmin + xmax) / 2, ymax});
        }
      } else if (sp->isClosed() && n > 2) {
        double x, y;
        state->transform(sp->getX(0), sp->getY(0), &x, &y);
        AddSegment(px, py, x, y);
      }
    }
  }

  void AddSegment(double x0, double y0, double x1, double y1) {
    if (std::fabs(y1 - y0) < 0.5 && std::fabs(x1 - x0) > 1) {
      rules_.push_back(pdf::Rule{std::min(x0, x1), (y0 + y1) / 2, std::max(x0, x1), (y0 + y1) / 2});
    } else if (std::fabs(x1 - x0) < 0.5 && std::fabs(y1 - y0) > 1) {
      rules_.push_back(pdf::Rule{(x0 + x1) / 2, std::min(y0, y1), (x0 + x1) / 2, std::max(y0, y1)});
    }
  }

  std::vector<pdf::Rule> rules_;
  std::vector<Glyph> spaces_;
  bool detect_images_ = false;
  bool saw_image_ = false;
  int depth_ = 0;
  bool too_deep_ = false;
};

bool IsBoldFont(const GooString* name) {
  if (!name) return false;
  const std::string& s = name->toStr();
  return s.find("Bold") != std::string::npos || s.find("bold") != std::string::npos ||
         s.find("Black") != std::string::npos || s.find("Heavy") != std::string::npos;
}

// Sets RawWord::space_after for upright words followed by a space glyph on
// their baseline, and the page's space width.
void MarkSpaces(std::vector<Glyph>& spaces, pdf::RawPage* page) {
  if (spaces.empty()) return;
  std::vector<double> ems;
  ems.reserve(spaces.size());
  for (const Glyph& g : spaces) {
    if (g.size > 0) ems.push_back((g.x1 - g.x0) / g.size);
  }
  if (!ems.empty()) {
    std::nth_element(ems.begin(), ems.begin() + ems.size() / 2, ems.end());
    page->space_em = ems[ems.size() / 2];
  }
  std::sort(spaces.begin(), spaces.end(), [](const Glyph& a, const Glyph& b) {
    return a.base != b.base ? a.base < b.base : a.x0 < b.x0;
  });
  for (pdf::RawWord& w : page->words) {
    double tol = 0.3 * (w.size > 0 ? w.size : 10);
    auto it = std::lower_bound(spaces.begin(), spaces.end(), w.base - tol,
                               [](const Glyph& g, double y) { return g.base < y; });
    for (; it != spaces.end() && it->base <= w.base + tol; ++it) {
      if (std::fabs(it->x0 - w.box.x1) <= tol) {
        w.space_after = true;
        break;
      }
    }
  }
}

// Runs the page through `dev` and collects its words.
void ReadPageWords(PDFDoc* doc, int page, PageDev* dev, pdf::RawPage* out) {
  doc->displayPage(dev, page, 72, 72, 0, /*useMediaBox=*/true, /*crop=*/false, /*printing=*/false,
                   &PageDev::Abort, dev);
  // The word list reads the device's own TextPage, which lives until the
  // next page starts (takeText() leaves the device unable to read more pages).
  std::unique_ptr<TextWordList> words = dev->makeWordList();
  const int n = words ? words->getLength() : 0;
  out->words.reserve(n);
  for (int i = 0; i < n; ++i) {
    const TextWord* w = words->get(i);
    pdf::RawWord rw;
    std::unique_ptr<GooString> s(w->getText());
    if (!s || s->getLength() == 0) continue;
    rw.text = s->toStr();
    w->getBBox(&rw.box.x0, &rw.box.y0, &rw.box.x1, &rw.box.y1);
    rw.base = w->getRotation() == 0 ? w->getBaseline() : rw.box.y1;
    rw.size = w->getFontSize();
    const TextFontInfo* font = w->getLength() > 0 ? w->getFontInfo(0) : nullptr;
    rw.bold = font && (font->isBold() || IsBoldFont(font->getFontName()));
    out->words.push_back(std::move(rw));
  }
  MarkSpaces(dev->spaces(), out);
}

}  // namespace

Result<Layout> ReadPdf(std::string_view bytes, const std::string& source, const ReadLimits& limits,
                       Diagnostics* diag) {
  if (bytes.size() > limits.max_bytes) {
    return Status::InvalidInput(source + ": file of " + std::to_string(bytes.size()) +
                                " bytes is over the limit of " + std::to_string(limits.max_bytes));
  }
  InitPoppler();
  // MemStream reads `bytes` in place; they outlive the document.
  auto* stream = new MemStream(bytes.data(), 0, static_cast<Goffset>(bytes.size()), Object(objNull));
  PDFDoc doc(stream);
  if (!doc.isOk()) {
    switch (doc.getErrorCode()) {
      case errEncrypted:
        return Status::InvalidInput(source + ": PDF is encrypted and needs a password");
      case errDamaged:
      case errBadCatalog:
        return Status::InvalidInput(source + ": PDF is damaged or truncated (no readable page catalog)");
      default:
        return Status::InvalidInput(source + ": not a readable PDF (error " + std::to_string(doc.getErrorCode()) +
                                    ")");
    }
  }
  const int num_pages = doc.getNumPages();
  if (num_pages <= 0) return Status::InvalidInput(source + ": PDF has no pages");
  if (num_pages > limits.max_pages) {
    return Status::InvalidInput(source + ": PDF has " + std::to_string(num_pages) + " pages, over the limit of " +
                                std::to_string(limits.max_pages));
  }
  pdf::LayoutBuilder builder(source);
  PageDev dev;
  if (!dev.isOk()) return Status::Internal(source + ": cannot start the PDF text reader");
  int missing = 0;  // pages the page tree names but Poppler cannot find (a loop, a broken reference)
  int cut = 0;      // pages read only up to kMaxStateDepth
  bool any_image = false;
  for (int p = 1; p <= num_pages; ++p) {
    if (diag != nullptr && diag->OverBudget()) break;  // the pipeline fails the document
    if (doc.getPage(p) == nullptr) {
      ++missing;
      if (diag) diag->Warn("pdf.page_missing", source + ": page " + std::to_string(p) + " cannot be read", p);
      continue;
    }
    pdf::RawPage page;
    page.number = p;
    page.width = doc.getPageMediaWidth(p);
    page.height = doc.getPageMediaHeight(p);
    if (doc.getPageRotate(p) % 180 != 0) std::swap(page.width, page.height);
    dev.Reset();
    dev.set_detect_images(false);
    ReadPageWords(&doc, p, &dev, &page);
    cut += dev.too_deep();
    if (dev.too_deep() && diag) {
      diag->Warn("pdf.page_cut",
                 source + ": page " + std::to_string(p) + " nests graphics states deeper than " +
                     std::to_string(kMaxStateDepth) + "; the rest of the page is not read",
                 p);
    }
    page.rules = std::move(dev.rules());
    if (page.words.empty()) {
      // Only text-less pages are run again to look for images (scans), so
      // ordinary pages never decode image data.
      dev.Reset();
      dev.set_detect_images(true);
      pdf::RawPage again;
      ReadPageWords(&doc, p, &dev, &again);
      page.has_images = dev.saw_image();
      any_image |= page.has_images;
    }
    builder.AddPage(std::move(page), diag);
  }
  if (missing == num_pages) {
    return Status::InvalidInput(source + ": PDF page tree is damaged: none of its " + std::to_string(num_pages) +
                                " pages can be read");
  }
  // No text at all: say why, as far as the pages tell.
  if (builder.text_pages() == 0 && cut > 0) {
    return Status::InvalidInput(source + ": no text read: " + std::to_string(cut) +
                                " page(s) nest graphics states deeper than " + std::to_string(kMaxStateDepth) +
                                " (a damaged or hostile file)");
  }
  if (builder.text_pages() == 0 && !any_image) {
    return Status::InvalidInput(source + ": no page has text or images (blank pages, or content that cannot be read)");
  }
  if (builder.text_pages() == 0) {
    return Status::InvalidInput(source + ": no page has a text layer (scanned pages need OCR)");
  }
  return builder.Finish();
}

}  // namespace plantrace
