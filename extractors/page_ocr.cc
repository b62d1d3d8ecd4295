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
#include <string_view>

#include "pipeline/base/unicode.h"

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
      // Leptonica's notes ("not enough confidence to get orientation") too.
      setMsgSeverity(L_SEVERITY_ERROR);
      // Keeps the LSTM's other choices per letter for OtherTones; the best
      // reading is the same with or without them.
      engine->api.SetVariable("lstm_choice_mode", "2");
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

// A word as Tesseract read it, with the box of each of its letters.
struct ReadWord {
  OcrWord word;
  std::vector<std::string> letters;
  std::vector<PixBox> boxes;
  std::vector<std::vector<std::string>> letter_alternatives;  // per letter, see OtherTones
  int line = 0;
};

bool Has(std::string_view set, const std::string& letter) {
  return letter.size() == 1 && set.find(letter[0]) != std::string_view::npos;
}

// Letters whose capital and small forms differ in size only: Tesseract's
// recogniser sees each line scaled to one height and often reads "các sở"
// as "các Sở" or "CQS" as "cQS". The height of the letter's ink against the
// line's x-height decides (JudgeCase).
constexpr std::string_view kSizeOnly = "cosvwxzCOSVWXZ";
// Small letters whose capitals differ in shape, without ascender or
// descender: read by Tesseract, they show a line has an x-height to measure.
constexpr std::string_view kSmallSure = "aemnru";

double Median(std::vector<int> v) {
  if (v.empty()) return 0;
  std::nth_element(v.begin(), v.begin() + v.size() / 2, v.end());
  return v[v.size() / 2];
}

bool IsDash(const std::string& l) { return l == "-" || l == "\u2013" || l == "\u2014"; }

bool IsUpperAscii(const std::string& l) { return l.size() == 1 && l[0] >= 'A' && l[0] <= 'Z'; }

// The letters of a word as its ink shows them: the heights of the
// connected components standing on the baseline (marks, dots and commas do
// not), and that of the first when it stands alone. Tesseract's own letter
// boxes are no measure: the recogniser places them loosely ("việc," came
// with the c's box over the comma's foot, a cell's boxes a third too tall).
struct WordInk {
  std::vector<int> heights;
  int first = 0;  // 0: none, or run into the next letter
};

WordInk MeasureInk(Pix* ink, const OcrWord& w) {
  WordInk out;
  const int lh = w.line_height > 0 ? w.line_height : w.box.y1 - w.box.y0;
  if (ink == nullptr || lh <= 0) return out;
  // From well above the baseline: Tesseract's word box may cut a capital's
  // top.
  const int pad = std::max(2, lh / 8);
  const int x0 = std::max(0, w.box.x0 - pad);
  const int y0 = std::max(0, w.baseline - lh * 6 / 5);
  const int y1 = w.baseline + pad;
  if (w.box.x1 <= x0 || y1 <= y0) return out;
  Box* box = boxCreate(x0, y0, w.box.x1 - x0, y1 - y0);
  PixPtr clip(pixClipRectangle(ink, box, nullptr));
  boxDestroy(&box);
  if (!clip) return out;
  BoxaPtr comps(pixConnCompBB(clip.get(), 8));
  const PixBox* first = nullptr;
  const std::vector<PixBox> boxes = Boxes(comps.get());
  const int foot = std::max(2, lh / 12);
  for (const PixBox& b : boxes) {
    if (b.y1 - b.y0 < lh / 5) continue;                    // a mark, a dot
    if (std::abs(y0 + b.y1 - w.baseline) > foot) continue;  // not on this baseline
    if (x0 + b.x1 <= w.box.x0) continue;                    // ink before the word
    out.heights.push_back(b.y1 - b.y0);
    if (first == nullptr || b.x0 < first->x0) first = &b;
  }
  if (first != nullptr && first->x1 - first->x0 <= 1.2 * (first->y1 - first->y0)) out.first = first->y1 - first->y0;
  return out;
}

// Case of a word's first letter when it is one of the size-only letters,
// by the height of its ink against the x-height: most letters of a line
// stand at x-height, so the median of their heights is it. `x_height` 0:
// not measured, nothing judged.
void JudgeCase(ReadWord* rw, int first_height, double x_height) {
  ReadWord& w = *rw;
  if (x_height <= 0 || first_height == 0 || w.letters.empty() || !Has(kSizeOnly, w.letters[0])) return;
  // Capitals stand 1.38-1.48 x-heights tall; between 1.15 and 1.3 is no
  // clear answer.
  const double ratio = first_height / x_height;
  if (ratio > 1.15 && ratio < 1.3) return;
  const bool small = ratio <= 1.15;
  std::vector<std::string> letters = w.letters;
  letters[0] = small ? ToLower(letters[0]) : ToUpper(letters[0]);
  bool read_in_capitals = false, shaped_capital = false;
  for (size_t i = 1; i < w.letters.size(); ++i) {
    const std::string& l = w.letters[i];
    const std::string lower = ToLower(l);
    if (lower == ToUpper(l)) continue;  // not a letter
    if (lower == l) {
      read_in_capitals = false;
      break;
    }
    read_in_capitals = true;
    shaped_capital |= IsUpperAscii(l) && !Has(kSizeOnly, l);
  }
  if (small && read_in_capitals) {
    // "SỐ" whose S stands at x-height is "số".
    for (std::string& l : letters) l = ToLower(l);
  } else if (!small && shaped_capital) {
    // A code whose first letter proves a capital ("cQs4.2" for "CQS4.2"):
    // its size-only letters read small beside capitals of other shapes are
    // capitals too.
    for (std::string& l : letters) l = Has(kSizeOnly, l) ? ToUpper(l) : l;
  }
  w.letters = std::move(letters);
  w.word.text.clear();
  for (const std::string& l : w.letters) w.word.text += l;
}

// Capitals and figures stand about 1.4 x-heights tall in the faces plans
// use (Times 1.48, Arial 1.38).
constexpr double kCapitalToSmall = 1.42;

struct Heights {
  double x_height = 0;
  bool measured = false;  // from small letters, not guessed from figures
};

// The x-height by Tesseract's letter boxes: loose letter by letter, but
// their median is near enough to tell a space from the gap between letters.
Heights Measure(const std::vector<ReadWord>& words) {
  std::vector<int> small, digits;
  for (const ReadWord& w : words) {
    for (size_t i = 0; i < w.letters.size(); ++i) {
      const int h = w.boxes[i].y1 - w.boxes[i].y0;
      if (Has(kSmallSure, w.letters[i])) small.push_back(h);
      if (Has("0123456789", w.letters[i])) digits.push_back(h);
    }
  }
  Heights m;
  if (small.size() >= 3) {
    m.x_height = Median(small);
    m.measured = true;
  } else if (digits.size() >= 2) {
    m.x_height = Median(digits) / kCapitalToSmall;  // a cell of figures: "2025 -"
  }
  return m;
}

// Splits the dashes set between spaces that Tesseract read into a word, by
// the gaps between its letters. `around`: the measure of the whole cell or
// page, for a line too short to measure ("2025 -" has no small letter).
void ShapeLine(std::vector<ReadWord>* words, const Heights& around) {
  Heights line = Measure(*words);
  if (!line.measured && around.measured) line = around;
  const double x_height = line.x_height;
  if (x_height <= 0) return;

  // A dash set between spaces ("2025 - 2030", "Dược – Sinh học") is often
  // read into the word before or after it; a gap of 0.6 x-height holds it
  // apart (letters of a word stand under 0.5 apart, words 0.5 and more).
  // Only dashes: splitting words of letters by gaps would break
  // letter-spaced headings.
  const double space = 0.6 * x_height;
  std::vector<ReadWord> shaped;
  for (ReadWord& w : *words) {
    size_t from = 0;
    for (size_t i = 1; i <= w.letters.size(); ++i) {
      const bool cut = i < w.letters.size() && w.boxes[i].x0 - w.boxes[i - 1].x1 >= space &&
                       (IsDash(w.letters[i]) || IsDash(w.letters[i - 1]));
      if (i < w.letters.size() && !cut) continue;
      if (from == 0 && i == w.letters.size()) break;  // no cut: the word as it is
      ReadWord piece = w;
      piece.letters.assign(w.letters.begin() + from, w.letters.begin() + i);
      piece.boxes.assign(w.boxes.begin() + from, w.boxes.begin() + i);
      if (w.letter_alternatives.size() == w.letters.size()) {
        piece.letter_alternatives.assign(w.letter_alternatives.begin() + from, w.letter_alternatives.begin() + i);
      }
      piece.word.text.clear();
      for (const std::string& l : piece.letters) piece.word.text += l;
      piece.word.box = piece.boxes.front();
      for (const PixBox& b : piece.boxes) {
        piece.word.box.x0 = std::min(piece.word.box.x0, b.x0);
        piece.word.box.y0 = std::min(piece.word.box.y0, b.y0);
        piece.word.box.x1 = std::max(piece.word.box.x1, b.x1);
        piece.word.box.y1 = std::max(piece.word.box.y1, b.y1);
      }
      shaped.push_back(std::move(piece));
      from = i;
    }
    if (from == 0) shaped.push_back(std::move(w));
  }
  *words = std::move(shaped);
}

// A choice the recogniser gave at least this probability (0..100) is an
// alternative reading. On the 003 scan the tone it wrongly preferred had
// the right one beside it at 47-78; a right one, the wrong beside it at 0-13.
constexpr float kAlternativeFloor = 10;

// The letter's other readings that differ from it in the tone mark only.
std::vector<std::string> OtherTones(const tesseract::ResultIterator& it, const std::string& letter) {
  std::vector<std::string> out;
  const std::string toneless = WithoutTone(letter);
  tesseract::ChoiceIterator choice(it);
  do {
    const char* text = choice.GetUTF8Text();
    if (text == nullptr || choice.Confidence() < kAlternativeFloor) continue;
    const std::string other = text;
    if (other != letter && WithoutTone(other) == toneless &&
        std::find(out.begin(), out.end(), other) == out.end()) {
      out.push_back(other);
    }
  } while (choice.Next());
  return out;
}

// The word spelled with each letter's other tones in turn (OtherTones),
// in the letter's case. Empty unless the letters spell the word.
std::vector<std::string> WordAlternatives(const ReadWord& w) {
  std::vector<std::string> out;
  if (w.letter_alternatives.size() != w.letters.size()) return out;
  std::string joined;
  for (const std::string& l : w.letters) joined += l;
  if (joined != w.word.text) return out;
  for (size_t i = 0; i < w.letters.size(); ++i) {
    for (const std::string& other : w.letter_alternatives[i]) {
      std::string spelled;
      for (size_t k = 0; k < w.letters.size(); ++k) {
        if (k != i) {
          spelled += w.letters[k];
        } else {
          spelled += IsAllUpper(w.letters[k]) ? ToUpper(other) : ToLower(other);
        }
      }
      out.push_back(std::move(spelled));
    }
  }
  return out;
}

// Reads the words of the last Recognize into `words`, marking them with
// `cell`. Lines are numbered on from the words already read.
void CollectWords(tesseract::TessBaseAPI* api, int cell, std::vector<ReadWord>* read) {
  std::unique_ptr<tesseract::ResultIterator> it(api->GetIterator());
  if (!it) return;
  std::vector<ReadWord>& words = *read;
  const size_t first = words.size();
  int line = words.empty() ? 0 : words.back().line;
  do {
    if (it->Empty(tesseract::RIL_SYMBOL)) continue;
    if (it->IsAtBeginningOf(tesseract::RIL_TEXTLINE)) ++line;
    if (it->IsAtBeginningOf(tesseract::RIL_WORD) || words.size() == first) {
      std::unique_ptr<char[]> text(it->GetUTF8Text(tesseract::RIL_WORD));
      ReadWord r;
      r.line = line;
      OcrWord& w = r.word;
      w.text = text ? text.get() : "";
      it->BoundingBox(tesseract::RIL_WORD, &w.box.x0, &w.box.y0, &w.box.x1, &w.box.y1);
      int lx0, ly0, lx1, ly1;
      if (it->BoundingBox(tesseract::RIL_TEXTLINE, &lx0, &ly0, &lx1, &ly1)) w.line_height = ly1 - ly0;
      int bx0, by0, bx1, by1;
      if (it->Baseline(tesseract::RIL_TEXTLINE, &bx0, &by0, &bx1, &by1) && bx1 != bx0) {
        const double mid = (w.box.x0 + w.box.x1) / 2.0;
        w.baseline = static_cast<int>(std::lround(by0 + (by1 - by0) * (mid - bx0) / (bx1 - bx0)));
      } else {
        w.baseline = w.box.y1;
      }
      w.confidence = it->Confidence(tesseract::RIL_WORD);
      w.cell = cell;
      words.push_back(std::move(r));
    }
    std::unique_ptr<char[]> letter(it->GetUTF8Text(tesseract::RIL_SYMBOL));
    PixBox b;
    if (letter && it->BoundingBox(tesseract::RIL_SYMBOL, &b.x0, &b.y0, &b.x1, &b.y1)) {
      words.back().letters.push_back(letter.get());
      words.back().boxes.push_back(b);
      words.back().letter_alternatives.push_back(OtherTones(*it, words.back().letters.back()));
    }
  } while (it->Next(tesseract::RIL_SYMBOL));
}

// The words of a page: case judged by the ink (JudgeCase), dashes split
// (ShapeLine), handed out. A line too short to measure takes the measures
// of its cell, or else the page's.
void ShapeWords(std::vector<ReadWord> words, Pix* ink, std::vector<OcrWord>* out) {
  std::vector<WordInk> inks;
  inks.reserve(words.size());
  for (const ReadWord& w : words) inks.push_back(MeasureInk(ink, w.word));
  auto median_ink = [&](size_t from, size_t to) {
    // A line of capitals and figures ("XHS1.1") has no x-height to show:
    // the recogniser must have read small letters of a sure shape in it.
    int small = 0;
    for (size_t k = from; k < to; ++k) {
      for (const std::string& l : words[k].letters) small += Has(kSmallSure, l);
    }
    if (small < 3) return 0.0;
    std::vector<int> h;
    for (size_t k = from; k < to; ++k) h.insert(h.end(), inks[k].heights.begin(), inks[k].heights.end());
    // The x-height is the lower of the line's two heights (x-height and
    // ascender/capital); a lower quantile than the median keeps a short
    // line with many capitals or ascenders from raising it.
    if (h.size() < 6) return 0.0;
    std::nth_element(h.begin(), h.begin() + h.size() * 3 / 10, h.end());
    return static_cast<double>(h[h.size() * 3 / 10]);
  };
  const double page_ink = median_ink(0, words.size());
  const Heights page = Measure(words);
  for (size_t c = 0; c < words.size();) {
    size_t d = c;
    while (d < words.size() && words[d].word.cell == words[c].word.cell) ++d;
    const bool in_cell = words[c].word.cell >= 0;
    Heights cell = in_cell ? Measure(std::vector<ReadWord>(words.begin() + c, words.begin() + d)) : Heights{};
    if (!cell.measured) cell = page;
    double cell_ink = in_cell ? median_ink(c, d) : 0;
    if (cell_ink == 0) cell_ink = page_ink;
    for (size_t i = c; i < d;) {
      size_t j = i;
      while (j < d && words[j].line == words[i].line) ++j;
      double line_ink = median_ink(i, j);
      if (line_ink == 0) line_ink = cell_ink;
      for (size_t k = i; k < j; ++k) JudgeCase(&words[k], inks[k].first, line_ink);
      std::vector<ReadWord> line_words(std::make_move_iterator(words.begin() + i),
                                       std::make_move_iterator(words.begin() + j));
      // Letters that do not spell the word (a ligature, a symbol Tesseract
      // boxes apart) leave the line as read.
      bool spelled = true;
      for (const ReadWord& w : line_words) {
        std::string joined;
        for (const std::string& l : w.letters) joined += l;
        spelled &= joined == w.word.text && !w.letters.empty();
      }
      if (spelled) ShapeLine(&line_words, cell);
      for (ReadWord& w : line_words) {
        if (w.word.text.empty()) continue;
        w.word.alternatives = WordAlternatives(w);
        out->push_back(std::move(w.word));
      }
      i = j;
    }
    c = d;
  }
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

namespace {

// Reads a page turned `quadrants` quarter turns: deskew, ruling lines,
// cells, then Tesseract.
Result<OcrPage> ReadTurned(Engine* engine, Pix* original, int quadrants, int source_dpi, const OcrOptions& options) {
  OcrPage page;
  page.rotated_quadrants = quadrants;
  PixPtr grey(quadrants != 0 ? pixRotateOrth(original, quadrants) : pixCopy(nullptr, original));
  if (!grey) return Status::Internal("cannot allocate the page image");
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

  const int dpi = source_dpi > 0 ? source_dpi : 300;
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
  std::vector<ReadWord> read;
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
    const size_t before = read.size();
    if (api->Recognize(nullptr) == 0) CollectWords(api, index, &read);
    if (read.size() == before) {
      // A lone number ("1", "12") is often no block to Tesseract.
      api->SetPageSegMode(tesseract::PSM_SINGLE_WORD);
      if (api->Recognize(nullptr) == 0) CollectWords(api, index, &read);
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
  if (api->Recognize(nullptr) == 0) CollectWords(api, -1, &read);
  api->Clear();
  ShapeWords(std::move(read), clean_bin.get(), &page.words);
  return page;
}

double MeanConfidence(const OcrPage& page) {
  if (page.words.empty()) return 0;
  double sum = 0;
  for (const OcrWord& w : page.words) sum += w.confidence;
  return sum / static_cast<double>(page.words.size());
}

}  // namespace

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
  PixPtr grey = ToPix(image);
  if (!grey) return Status::Internal("cannot allocate the page image");
  // Upright first, then straight: skew is measured on upright text.
  int quadrants = 0;
  if (PixPtr bin = Binarize(grey.get(), kTextDepth)) quadrants = UprightQuadrants(bin.get());
  Result<OcrPage> page = ReadTurned(engine, grey.get(), quadrants, image.dpi, options);
  // Leptonica's orientation test can be fooled by a page of narrow table
  // columns (002 p59 of the seeds, upright, was turned 270° and read at a
  // mean confidence of 33). A turned page read that badly is read again as
  // it lies, and the better reading kept.
  constexpr double kDoubtfulTurn = 60;
  if (quadrants != 0 && page.ok() && MeanConfidence(*page) < kDoubtfulTurn) {
    Result<OcrPage> as_is = ReadTurned(engine, grey.get(), 0, image.dpi, options);
    if (as_is.ok() && MeanConfidence(*as_is) > MeanConfidence(*page)) return as_is;
  }
  return page;
}

}  // namespace plantrace::ocr

// The module's entry (page_ocr_loader.cc); every other symbol is hidden.
extern "C" __attribute__((visibility("default"))) const plantrace::ocr::ModuleApi* plantrace_ocr_module() {
  static const plantrace::ocr::ModuleApi api{plantrace::ocr::kModuleVersion, &plantrace::ocr::OcrAvailable,
                                             &plantrace::ocr::RecognisePage};
  return &api;
}
