// Page OCR with Leptonica (deskew, orientation, ruling lines, cells) and
// Tesseract (LSTM engine, word boxes and confidences). The only file that
// includes either library.
#include "extractors/page_ocr.h"

#include <leptonica/allheaders.h>
#include <tesseract/baseapi.h>
#include <tesseract/resultiterator.h>

#include <algorithm>
#include <cmath>
#include <memory>

namespace plantrace::ocr {
namespace {

struct PixFree {
  void operator()(Pix* p) const { pixDestroy(&p); }
};
using PixPtr = std::unique_ptr<Pix, PixFree>;
struct BoxaFree {
  void operator()(Boxa* b) const { boxaDestroy(&b); }
};
using BoxaPtr = std::unique_ptr<Boxa, BoxaFree>;

// One engine per thread: loading the Vietnamese model takes ~0.3 s, and a
// TessBaseAPI may not be shared between threads.
struct Engine {
  tesseract::TessBaseAPI api;
  std::string language;
  bool ok = false;
};

Engine* ThreadEngine(const std::string& language) {
  thread_local std::unique_ptr<Engine> engine;
  if (!engine || engine->language != language) {
    engine = std::make_unique<Engine>();
    engine->language = language;
    engine->ok = engine->api.Init(nullptr, language.c_str(), tesseract::OEM_LSTM_ONLY) == 0;
    if (engine->ok) {
      // Tesseract's progress chatter goes to stderr; plantrace reports
      // through its diagnostics.
      engine->api.SetVariable("debug_file", "/dev/null");
    }
  }
  return engine.get();
}

PixPtr ToPix(const GreyImage& image) {
  PixPtr pix(pixCreate(image.width, image.height, 8));
  if (!pix) return nullptr;
  pixSetResolution(pix.get(), image.dpi, image.dpi);
  l_uint32* data = pixGetData(pix.get());
  const int wpl = pixGetWpl(pix.get());
  for (int y = 0; y < image.height; ++y) {
    l_uint32* line = data + static_cast<size_t>(y) * wpl;
    const uint8_t* src = image.pixels + static_cast<size_t>(y) * image.stride;
    for (int x = 0; x < image.width; ++x) SET_DATA_BYTE(line, x, src[x]);
  }
  return pix;
}

// Black = 1: whatever is clearly darker than the paper. `depth` places
// the cut between the paper's own level (0) and the ink/paper split that
// Otsu's method finds (1). Text is cut halfway; ruling lines at a quarter,
// as a thin border, scanned, is a light grey line (180-200 on white at
// 200 dpi, spread over two pixel rows) on the paper side of the split.
PixPtr Binarize(Pix* grey, double depth) {
  l_int32 split = 0, ink = 0, paper = 0;
  int cut = 160;
  if (pixSplitDistributionFgBg(grey, 0.1f, 2, &split, &ink, &paper, nullptr) == 0 && paper > split) {
    cut = paper - static_cast<int>((paper - split) * depth);
  }
  return PixPtr(pixThresholdToBinary(grey, cut));
}

constexpr double kTextDepth = 0.5;
constexpr double kRuleDepth = 0.25;

// Quarter turns clockwise that put the text upright; 0 when Leptonica's
// ascender/descender statistics are not sure.
int UprightQuadrants(Pix* bin) {
  l_float32 up = 0, left = 0;
  if (pixOrientDetect(bin, &up, &left, 0, 0) != 0) return 0;
  l_int32 orient = L_TEXT_ORIENT_UNKNOWN;
  if (makeOrientDecision(up, left, 0, 0, &orient, 0) != 0) return 0;
  switch (orient) {
    case L_TEXT_ORIENT_LEFT: return 1;
    case L_TEXT_ORIENT_DOWN: return 2;
    case L_TEXT_ORIENT_RIGHT: return 3;
    default: return 0;
  }
}

std::vector<PixBox> Boxes(Boxa* boxa) {
  std::vector<PixBox> out;
  const int n = boxa ? boxaGetCount(boxa) : 0;
  out.reserve(n);
  for (int i = 0; i < n; ++i) {
    l_int32 x, y, w, h;
    if (boxaGetBoxGeometry(boxa, i, &x, &y, &w, &h) != 0) continue;
    out.push_back(PixBox{x, y, x + w, y + h});
  }
  return out;
}

// Ruling lines: runs of black at least `len` long in one direction, kept
// only where thin across (a filled block is not a border). Gaps a scan
// leaves in a border are bridged along it.
std::vector<PixRule> FindRules(Pix* bin, bool horizontal, int len, int max_thickness, Pix** mask_out) {
  // A border about one pixel wide is often split between two pixel rows
  // (columns) that each break off where the other goes on; thickening it
  // across first makes one unbroken run. Letters do not join along.
  PixPtr thick(horizontal ? pixDilateBrick(nullptr, bin, 1, 3) : pixDilateBrick(nullptr, bin, 3, 1));
  if (!thick) return {};
  PixPtr lines(horizontal ? pixOpenBrick(nullptr, thick.get(), len, 1) : pixOpenBrick(nullptr, thick.get(), 1, len));
  std::vector<PixRule> rules;
  if (!lines) return rules;
  const int bridge = std::max(3, len / 8);
  PixPtr closed(horizontal ? pixCloseBrick(nullptr, lines.get(), bridge, 1)
                           : pixCloseBrick(nullptr, lines.get(), 1, bridge));
  if (closed) lines = std::move(closed);
  BoxaPtr comps(pixConnCompBB(lines.get(), 8));
  for (const PixBox& b : Boxes(comps.get())) {
    const int across = horizontal ? b.y1 - b.y0 : b.x1 - b.x0;
    if (across > max_thickness) continue;
    if (horizontal) {
      const int y = (b.y0 + b.y1) / 2;
      rules.push_back(PixRule{b.x0, y, b.x1, y});
    } else {
      const int x = (b.x0 + b.x1) / 2;
      rules.push_back(PixRule{x, b.y0, x, b.y1});
    }
  }
  *mask_out = lines.release();
  return rules;
}

int CountInk(Pix* bin, const PixBox& b) {
  Box* box = boxCreate(b.x0, b.y0, b.x1 - b.x0, b.y1 - b.y0);
  Pix* clip = pixClipRectangle(bin, box, nullptr);
  boxDestroy(&box);
  l_int32 n = 0;
  if (clip) pixCountPixels(clip, &n, nullptr);
  pixDestroy(&clip);
  return n;
}

// Reads the words of the last Recognize into `out`, marking them with
// `cell`.
void CollectWords(tesseract::TessBaseAPI* api, int cell, std::vector<OcrWord>* out) {
  std::unique_ptr<tesseract::ResultIterator> it(api->GetIterator());
  if (!it) return;
  constexpr auto kWord = tesseract::RIL_WORD;
  do {
    if (it->Empty(kWord)) continue;
    std::unique_ptr<char[]> text(it->GetUTF8Text(kWord));
    if (!text || text[0] == '\0') continue;
    OcrWord w;
    w.text = text.get();
    it->BoundingBox(kWord, &w.box.x0, &w.box.y0, &w.box.x1, &w.box.y1);
    int lx0, ly0, lx1, ly1;
    if (it->BoundingBox(tesseract::RIL_TEXTLINE, &lx0, &ly0, &lx1, &ly1)) w.line_height = ly1 - ly0;
    int bx0, by0, bx1, by1;
    if (it->Baseline(tesseract::RIL_TEXTLINE, &bx0, &by0, &bx1, &by1) && bx1 != bx0) {
      const double mid = (w.box.x0 + w.box.x1) / 2.0;
      w.baseline = static_cast<int>(std::lround(by0 + (by1 - by0) * (mid - bx0) / (bx1 - bx0)));
    } else {
      w.baseline = w.box.y1;
    }
    w.confidence = it->Confidence(kWord);
    w.cell = cell;
    out->push_back(std::move(w));
  } while (it->Next(kWord));
}

}  // namespace

bool OcrAvailable(const std::string& language, std::string* why) {
  Engine* engine = ThreadEngine(language);
  if (engine->ok) return true;
  if (why) {
    *why = "the Tesseract model for '" + language + "' is not installed (Debian package tesseract-ocr-" + language +
           ")";
  }
  return false;
}

Result<OcrPage> RecognisePage(const GreyImage& image, const OcrOptions& options) {
  if (image.width <= 0 || image.height <= 0 || image.pixels == nullptr) {
    return Status::InvalidInput("empty page image");
  }
  Engine* engine = ThreadEngine(options.language);
  if (!engine->ok) {
    std::string why;
    OcrAvailable(options.language, &why);
    return Status::Unsupported(why);
  }
  OcrPage page;
  PixPtr grey = ToPix(image);
  if (!grey) return Status::Internal("cannot allocate the page image");

  // Upright first, then straight: skew is measured on upright text.
  {
    PixPtr bin = Binarize(grey.get(), kTextDepth);
    if (bin) {
      page.rotated_quadrants = UprightQuadrants(bin.get());
      if (page.rotated_quadrants != 0) grey.reset(pixRotateOrth(grey.get(), page.rotated_quadrants));
    }
  }
  {
    l_float32 angle = 0, conf = 0;
    Pix* straight = pixFindSkewAndDeskew(grey.get(), 0, &angle, &conf);
    if (straight != nullptr && straight != grey.get()) {
      grey.reset(straight);
      page.skew_degrees = angle;
    } else if (straight == grey.get()) {
      pixDestroy(&straight);  // a clone: drop the extra reference
    }
  }
  page.width = pixGetWidth(grey.get());
  page.height = pixGetHeight(grey.get());
  PixPtr bin = Binarize(grey.get(), kRuleDepth);
  if (!bin) return Status::Internal("cannot binarize the page image");

  const int dpi = image.dpi > 0 ? image.dpi : 300;
  // A border is longer than any letter (a 14 pt capital is ~60 px tall at
  // 300 dpi) and thinner than 1/15 inch.
  const int h_len = std::max(40, page.width / 25);
  const int v_len = std::max(20, dpi / 5);
  const int max_thickness = std::max(4, dpi / 15);
  Pix* h_mask = nullptr;
  Pix* v_mask = nullptr;
  std::vector<PixRule> h_rules = FindRules(bin.get(), true, h_len, max_thickness, &h_mask);
  std::vector<PixRule> v_rules = FindRules(bin.get(), false, v_len, max_thickness, &v_mask);
  PixPtr h_own(h_mask), v_own(v_mask);
  page.rules = h_rules;
  page.rules.insert(page.rules.end(), v_rules.begin(), v_rules.end());

  // Cells: the white regions the borders enclose. The region outside all
  // tables touches the page edge; slivers between double borders are too
  // thin to hold text.
  std::vector<PixBox> cells;
  PixPtr lines;
  if (h_own && v_own) {
    lines.reset(pixOr(nullptr, h_own.get(), v_own.get()));
  } else if (h_own || v_own) {
    lines.reset(pixClone(h_own ? h_own.get() : v_own.get()));
  }
  if (lines) {
    PixPtr thick(pixDilateBrick(nullptr, lines.get(), 5, 5));
    if (thick) {
      // Borders are painted out of the image Tesseract reads: a border
      // touching a letter turns it into "|" or "I".
      pixPaintThroughMask(grey.get(), thick.get(), 0, 0, 255);
      if (!h_rules.empty() && !v_rules.empty()) {
        PixPtr open(pixInvert(nullptr, thick.get()));
        BoxaPtr comps(pixConnCompBB(open.get(), 4));
        const int min_side = std::max(8, dpi / 25);
        const double page_area = static_cast<double>(page.width) * page.height;
        for (const PixBox& b : Boxes(comps.get())) {
          const int w = b.x1 - b.x0, h = b.y1 - b.y0;
          if (w < min_side || h < min_side) continue;
          if (b.x0 <= 0 || b.y0 <= 0 || b.x1 >= page.width || b.y1 >= page.height) continue;
          if (static_cast<double>(w) * h > 0.5 * page_area) continue;
          cells.push_back(b);
        }
      }
    }
  }
  // Cells in reading order, so that words come out row by row.
  std::sort(cells.begin(), cells.end(), [](const PixBox& a, const PixBox& b) {
    return a.y0 != b.y0 ? a.y0 < b.y0 : a.x0 < b.x0;
  });
  PixPtr clean_bin = Binarize(grey.get(), kTextDepth);

  tesseract::TessBaseAPI* api = &engine->api;
  api->SetImage(grey.get());
  api->SetSourceResolution(dpi);
  for (const PixBox& c : cells) {
    if (options.stop && options.stop()) return Status::OverBudget("page OCR stopped");
    // Blank cells (the empty columns of a task table) cost nothing.
    if (clean_bin && CountInk(clean_bin.get(), c) < 4) continue;
    const int index = static_cast<int>(page.cells.size());
    page.cells.push_back(c);
    api->SetRectangle(c.x0, c.y0, c.x1 - c.x0, c.y1 - c.y0);
    api->SetPageSegMode(tesseract::PSM_SINGLE_BLOCK);
    const size_t before = page.words.size();
    if (api->Recognize(nullptr) == 0) CollectWords(api, index, &page.words);
    if (page.words.size() == before) {
      // A lone number ("1", "12") is often no block to Tesseract.
      api->SetPageSegMode(tesseract::PSM_SINGLE_WORD);
      if (api->Recognize(nullptr) == 0) CollectWords(api, index, &page.words);
    }
  }
  // The text outside tables: cells painted white so they are not read again.
  for (const PixBox& c : cells) {
    Box* box = boxCreate(c.x0, c.y0, c.x1 - c.x0, c.y1 - c.y0);
    pixSetInRectArbitrary(grey.get(), box, 255);
    boxDestroy(&box);
  }
  if (options.stop && options.stop()) return Status::OverBudget("page OCR stopped");
  api->SetImage(grey.get());
  api->SetSourceResolution(dpi);
  api->SetPageSegMode(tesseract::PSM_AUTO);
  if (api->Recognize(nullptr) == 0) CollectWords(api, -1, &page.words);
  api->Clear();
  return page;
}

}  // namespace plantrace::ocr
