// PDF reader: bytes -> Layout. The only file that includes Poppler: it reads
// each page's words (with boxes, sizes, bold fonts) and ruling lines through
// a TextOutputDev and hands them to pdf::LayoutBuilder (pdf_geometry.h).
#include <poppler/Error.h>
#include <poppler/ErrorCodes.h>
#include <poppler/GfxState.h>
#include <poppler/GlobalParams.h>
#include <poppler/Object.h>
#include <poppler/PDFDoc.h>
#include <poppler/Page.h>
#include <poppler/SplashOutputDev.h>
#include <poppler/Stream.h>
#include <poppler/TextOutputDev.h>
#include <poppler/goo/GooString.h>
#include <poppler/goo/PNGWriter.h>
#include <poppler/splash/SplashBitmap.h>
#include <poppler/splash/SplashErrorCodes.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "extractors/page_ocr.h"
#include "extractors/pdf_geometry.h"
#include "extractors/readers.h"
#include "pipeline/base/syllables.h"

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
    image_dpi_ = 0;
    image_area_ = 0;
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
    NoteImage(state, width, height);
    OutputDev::drawImage(state, ref, str, width, height, color_map, interpolate, mask_colors, inline_img);
  }
  void drawMaskedImage(GfxState* state, Object*, Stream*, int width, int height, GfxImageColorMap*, bool, Stream*,
                       int, int, bool, bool) override {
    saw_image_ = true;
    NoteImage(state, width, height);
  }
  void drawSoftMaskedImage(GfxState* state, Object*, Stream*, int width, int height, GfxImageColorMap*, bool,
                           Stream*, int, int, GfxImageColorMap*, bool) override {
    saw_image_ = true;
    NoteImage(state, width, height);
  }
  // Resolution of the largest image drawn on the page (a scan's own), in
  // pixels per inch; 0 when none.
  double image_dpi() const { return image_dpi_; }
  // Its printed area in square points.
  double image_area() const { return image_area_; }

 private:
  // An image is drawn into the unit square mapped by the CTM: its printed
  // size in points is the length of the CTM's columns.
  void NoteImage(GfxState* state, int width, int height) {
    const double* m = state->getCTM();
    const double w_pt = std::hypot(m[0], m[1]), h_pt = std::hypot(m[2], m[3]);
    if (w_pt < 1 || h_pt < 1 || width <= 0 || height <= 0) return;
    const double area = w_pt * h_pt;
    if (area <= image_area_) return;
    image_area_ = area;
    image_dpi_ = std::min(width / (w_pt / 72), height / (h_pt / 72));
  }

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
  double image_dpi_ = 0, image_area_ = 0;
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

// OCR renders at 300 dpi, where Tesseract reads 10 pt text best; a page
// larger than A3 is rendered coarser so that its image stays under
// kMaxOcrPixels (a 1 m poster at 300 dpi would take 140 MB), and one that
// would need less than kMinOcrDpi is not read.
constexpr int kOcrDpi = 300;
constexpr double kMaxOcrPixels = 40e6;
constexpr int kMinOcrDpi = 100;
// A scan's own resolution is used within these bounds: below, letters are
// too small for Tesseract; above, the time grows with no gain.
constexpr int kMinScanDpi = 150;
constexpr int kMaxScanDpi = 400;
// CPU seconds each OCR'd page adds to the document's allowance: a page
// takes 2-6 s, the default allowance is sized for text layers.
constexpr double kOcrPageSeconds = 30;
// Tesseract's line box spans stacked accents and descenders, about 1.3 em
// of Vietnamese text; the font size is taken as this share of it. The
// layout code uses the size only as a scale for gaps and line spacing.
constexpr double kLineHeightToSize = 0.78;

// Renders pages as 8-bit grey for OCR; the Splash device is made on the
// first scanned page only.
class PageRenderer {
 public:
  explicit PageRenderer(PDFDoc* doc) : doc_(doc) {}
  SplashBitmap* Render(int page, int dpi) {
    if (!dev_) {
      SplashColor paper;
      paper[0] = 0xff;
      dev_ = std::make_unique<SplashOutputDev>(splashModeMono8, 1, false, paper);
      dev_->startDoc(doc_);
    }
    doc_->displayPage(dev_.get(), page, dpi, dpi, 0, /*useMediaBox=*/true, /*crop=*/false, /*printing=*/false);
    return dev_->getBitmap();
  }

 private:
  PDFDoc* doc_;
  std::unique_ptr<SplashOutputDev> dev_;
};

// Replaces `page`'s words and rules with what OCR reads from its image.
// False (with a warning) when the page cannot be read that way.
bool OcrPage(PageRenderer* renderer, double scan_dpi, const std::string& source, Diagnostics* diag,
             pdf::RawPage* page) {
  const std::string where = source + ": page " + std::to_string(page->number);
  const double inches = (page->width / 72.0) * (page->height / 72.0);
  // A scan is read at its own resolution: resampling it (200 dpi to 300)
  // blurs the small marks Vietnamese stacks on a vowel, and Tesseract then
  // takes "dân" for "dần" (measured on the corpus scans: 3 words wrong on
  // a page at 300 dpi, none at the scan's 200).
  int dpi = kOcrDpi;
  if (scan_dpi > 0) dpi = std::clamp(static_cast<int>(std::lround(scan_dpi)), kMinScanDpi, kMaxScanDpi);
  if (inches > 0) dpi = std::min(dpi, static_cast<int>(std::sqrt(kMaxOcrPixels / inches)));
  if (dpi < kMinOcrDpi) {
    if (diag) diag->Warn("pdf.ocr_page_too_large", where + " is too large to OCR", page->number);
    return false;
  }
  if (diag) diag->ExtendBudget(kOcrPageSeconds);
  SplashBitmap* bitmap = renderer->Render(page->number, dpi);
  if (bitmap == nullptr || bitmap->getDataPtr() == nullptr) {
    if (diag) diag->Warn("pdf.ocr_failed", where + ": cannot render the page image", page->number);
    return false;
  }
  ocr::GreyImage image;
  image.width = bitmap->getWidth();
  image.height = bitmap->getHeight();
  image.stride = bitmap->getRowSize();
  image.pixels = bitmap->getDataPtr();
  image.dpi = dpi;
  ocr::OcrOptions options;
  options.stop = [diag] { return diag != nullptr && diag->OverBudget(); };
  Result<ocr::OcrPage> read = ocr::RecognisePage(image, options);
  if (!read.ok()) {
    // A spent budget fails the whole document (the pipeline checks it).
    if (diag && !diag->OverBudget()) {
      diag->Warn("pdf.ocr_failed", where + ": OCR failed: " + read.status().message(), page->number);
    }
    return false;
  }
  const ocr::OcrPage& ocr = read.value();
  const double scale = 72.0 / dpi;
  page->width = ocr.width * scale;
  page->height = ocr.height * scale;
  page->words.clear();
  page->rules.clear();
  page->ocr = true;
  double confidence_sum = 0;
  for (const ocr::OcrWord& w : ocr.words) {
    pdf::RawWord rw;
    rw.text = w.text;
    rw.box = Box{w.box.x0 * scale, w.box.y0 * scale, w.box.x1 * scale, w.box.y1 * scale};
    rw.base = w.baseline * scale;
    rw.size = std::max(4.0, w.line_height * scale * kLineHeightToSize);
    // OCR separates words by spaces it saw: no line ends inside a word.
    rw.space_after = true;
    rw.confidence = w.confidence;
    rw.alternatives = w.alternatives;
    confidence_sum += w.confidence;
    page->words.push_back(std::move(rw));
  }
  for (const ocr::PixRule& r : ocr.rules) {
    page->rules.push_back(pdf::Rule{r.x0 * scale, r.y0 * scale, r.x1 * scale, r.y1 * scale});
  }
  if (diag) {
    char note[160];
    std::snprintf(note, sizeof note, " read by OCR at %d dpi: %zu words, mean confidence %.0f, %zu table cells", dpi,
                  ocr.words.size(), ocr.words.empty() ? 0.0 : confidence_sum / ocr.words.size(), ocr.cells.size());
    std::string text = where + note;
    if (std::fabs(ocr.skew_degrees) >= 0.1) {
      std::snprintf(note, sizeof note, ", deskewed by %.1f°", ocr.skew_degrees);
      text += note;
    }
    if (ocr.rotated_quadrants != 0) text += ", turned " + std::to_string(90 * ocr.rotated_quadrants) + "°";
    diag->Info("pdf.ocr", text, page->number);
  }
  return true;
}

// Under four in five of the words that can be judged are Vietnamese
// syllables, or under two in five carry a mark, over enough words to tell
// (a title page of English or of abbreviations has too few to judge).
// Measured: a page of a plan, 100% syllables and 92% marked; the same page
// as a scanner's OCR with an English model gives ("Bao dam tinh ké thiva
// va phat huy"), 62% and 26%.
bool GarbageLayer(const SyllableChecker& syllables, const pdf::RawPage& page) {
  constexpr int kMinJudged = 30;
  constexpr double kMinSyllableShare = 0.8;
  constexpr double kMinMarkedShare = 0.4;
  int checked = 0, valid = 0, marked = 0;
  for (const pdf::RawWord& w : page.words) {
    SyllableChecker::Share one = syllables.Measure(w.text);
    checked += one.checked;
    valid += one.valid;
    if (one.checked > 0 && std::any_of(w.text.begin(), w.text.end(), [](char c) { return c & 0x80; })) ++marked;
  }
  return checked >= kMinJudged && (valid < kMinSyllableShare * checked || marked < kMinMarkedShare * checked);
}

// Whether the page's resources name an image XObject, directly or in a
// form XObject (a scanner wraps the page image in one), without decoding
// anything. Only such a page can be a scan under a garbage text layer:
// judging every word of every page instead took a third of `extract`'s
// CPU on a 417-page text PDF.
bool HasImageXObject(Dict* resources, int depth = 0) {
  if (resources == nullptr || depth > 2) return false;
  Object xobjects = resources->lookup("XObject");
  if (!xobjects.isDict()) return false;
  Dict* dict = xobjects.getDict();
  for (int i = 0; i < dict->getLength() && i < 64; ++i) {
    Object x = dict->getVal(i);
    if (!x.isStream()) continue;
    Dict* stream = x.streamGetDict();
    Object subtype = stream->lookup("Subtype");
    if (subtype.isName("Image")) return true;
    if (subtype.isName("Form")) {
      Object inner = stream->lookup("Resources");
      if (inner.isDict() && inner.getDict() != resources && HasImageXObject(inner.getDict(), depth + 1)) return true;
    }
  }
  return false;
}

}  // namespace

bool ParseOcrMode(std::string_view text, ReadLimits::Ocr* mode) {
  if (text == "auto") {
    *mode = ReadLimits::Ocr::kAuto;
  } else if (text == "never") {
    *mode = ReadLimits::Ocr::kNever;
  } else if (text == "always") {
    *mode = ReadLimits::Ocr::kAlways;
  } else {
    return false;
  }
  return true;
}

Result<Layout> ReadPdf(std::string_view bytes, const std::string& source, const ReadLimits& limits,
                       Diagnostics* diag, const RuleSet* rules) {
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
  PageRenderer renderer(&doc);
  // Judges text layers under --ocr auto; made on the first page with words.
  std::optional<SyllableChecker> syllables;
  bool syllables_tried = false;
  // Why OCR cannot run here ("" when it can or was not needed yet).
  std::string no_ocr;
  bool ocr_checked = false;
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
    double scan_dpi = 0;
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
      scan_dpi = dev.image_dpi();
      any_image |= page.has_images;
    }
    // A text layer that is no Vietnamese over a page image: a scanner's own
    // OCR gone wrong. The image is read again.
    bool garbage = false;
    if (limits.ocr == ReadLimits::Ocr::kAuto && !page.words.empty() && rules != nullptr &&
        HasImageXObject(doc.getPage(p)->getResourceDict())) {
      if (!syllables_tried) {
        syllables_tried = true;
        if (Result<SyllableChecker> c = SyllableChecker::FromRules(*rules); c.ok()) syllables = std::move(*c);
      }
      if (syllables && GarbageLayer(*syllables, page)) {
        dev.Reset();
        dev.set_detect_images(true);
        pdf::RawPage again;
        ReadPageWords(&doc, p, &dev, &again);
        scan_dpi = dev.image_dpi();
        // The image must be the page (a scan), not a logo beside the text:
        // a TCVN3 page is no Unicode Vietnamese either, and normalize maps it.
        garbage = dev.saw_image() && scan_dpi > 0 && dev.image_area() >= 0.5 * page.width * page.height;
        if (garbage && diag) {
          diag->Warn("pdf.garbage_text_layer",
                     source + ": page " + std::to_string(p) +
                         " has a text layer that is no Vietnamese over a page image: the image is read by OCR",
                     p);
        }
      }
    }
    const bool scanned = (page.words.empty() && page.has_images) || garbage;
    if (limits.ocr == ReadLimits::Ocr::kAlways || (limits.ocr == ReadLimits::Ocr::kAuto && scanned)) {
      if (!ocr_checked) {
        ocr_checked = true;
        ocr::OcrAvailable("vie", &no_ocr);
      }
      if (no_ocr.empty()) OcrPage(&renderer, scan_dpi, source, diag, &page);
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
    std::string why = limits.ocr == ReadLimits::Ocr::kNever ? "OCR is off (--ocr never)" : no_ocr;
    return Status::InvalidInput(source + ": no page has a text layer (scanned pages need OCR" +
                                (why.empty() ? "" : ": " + why) + ")");
  }
  return builder.Finish();
}

namespace {

// Rendering has no state-depth guard of its own (the text reader's PageDev
// aborts a page that nests too deep); a page that takes longer than this is
// cut where Splash stops, which shows it as far as it was drawn.
constexpr std::chrono::seconds kRenderLimit{5};

bool RenderDeadlinePassed(void* data) {
  return std::chrono::steady_clock::now() > *static_cast<std::chrono::steady_clock::time_point*>(data);
}

}  // namespace

Status RenderPdfPage(std::string_view bytes, int page, int dpi, const std::string& png_path) {
  InitPoppler();
  auto* stream = new MemStream(bytes.data(), 0, static_cast<Goffset>(bytes.size()), Object(objNull));
  PDFDoc doc(stream);
  if (!doc.isOk()) return Status::InvalidInput("not a readable PDF (error " + std::to_string(doc.getErrorCode()) + ")");
  if (page < 1 || page > doc.getNumPages() || doc.getPage(page) == nullptr) {
    return Status::NotFound("the PDF has no page " + std::to_string(page));
  }
  SplashColor paper;
  paper[0] = 0xff;
  // Grey is enough for issued plans (black print, red seals read as grey)
  // and keeps the PNG about a third of an RGB one.
  SplashOutputDev dev(splashModeMono8, 1, false, paper);
  dev.startDoc(&doc);
  auto deadline = std::chrono::steady_clock::now() + kRenderLimit;
  doc.displayPage(&dev, page, dpi, dpi, 0, /*useMediaBox=*/true, /*crop=*/false, /*printing=*/false,
                  &RenderDeadlinePassed, &deadline);
  SplashBitmap* bitmap = dev.getBitmap();
  if (bitmap == nullptr) return Status::Internal("page " + std::to_string(page) + " could not be drawn");
  FILE* f = std::fopen(png_path.c_str(), "wb");
  if (f == nullptr) return Status::Io(png_path + ": cannot write");
  PNGWriter writer(PNGWriter::GRAY);
  const SplashError err = bitmap->writeImgFile(&writer, f, dpi, dpi, splashModeMono8);
  if (std::fclose(f) != 0 || err != splashOk) {
    std::remove(png_path.c_str());
    return Status::Io(png_path + ": cannot write the page image");
  }
  return Status::Ok();
}

}  // namespace plantrace
