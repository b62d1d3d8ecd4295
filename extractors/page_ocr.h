// Page OCR: a rendered page image -> words with boxes and confidences, and
// the ruling lines of its tables. Knows no PDF: the PDF reader renders the
// page (pdf_reader.cc) and turns the result into a pdf::RawPage, so the
// scanned page goes through the same LayoutBuilder as a text layer. The only
// file that includes Tesseract and Leptonica is page_ocr.cc, built as a
// module of its own (libplantrace_ocr.so) that page_ocr_loader.cc loads on
// the first scanned page: Tesseract brings some fifty libraries, whose
// loading took 40 of the 108 ms a text file's `extract` spent starting.
#ifndef PLANTRACE_EXTRACTORS_PAGE_OCR_H_
#define PLANTRACE_EXTRACTORS_PAGE_OCR_H_

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "pipeline/base/status.h"

namespace plantrace::ocr {

// 8-bit grey pixels, row-major, 0 = black, `stride` bytes per row.
struct GreyImage {
  int width = 0, height = 0, stride = 0;
  const uint8_t* pixels = nullptr;
  int dpi = 300;
};

// Pixel coordinates of the image OCR read (after deskew and rotation),
// origin top-left.
struct PixBox {
  int x0 = 0, y0 = 0, x1 = 0, y1 = 0;
};

struct OcrWord {
  std::string text;  // UTF-8 as Tesseract gives it
  PixBox box;
  int baseline = 0;         // y of the word's baseline
  int line_height = 0;      // height of its text line
  float confidence = 0;     // 0..100
  int cell = -1;            // index into OcrPage::cells, -1 outside tables
  // Other spellings the recogniser weighed: the word with one letter's
  // tone mark read otherwise ("đổi" for "đối"), likeliest first.
  std::vector<std::string> alternatives;
};

// A ruling line found in the pixels: horizontal (y0 == y1) or vertical.
struct PixRule {
  int x0 = 0, y0 = 0, x1 = 0, y1 = 0;
};

struct OcrPage {
  std::vector<OcrWord> words;
  std::vector<PixRule> rules;
  std::vector<PixBox> cells;  // table cells found between ruling lines
  double skew_degrees = 0;    // corrected before OCR
  int rotated_quadrants = 0;  // 0..3 quarter turns clockwise applied (OSD)
  int width = 0, height = 0;  // of the image OCR read
};

struct OcrOptions {
  std::string language = "vie";
  // Called between cells and blocks; returning true stops the page (the
  // caller's CPU budget is spent). May be empty.
  std::function<bool()> stop;
};

// Whether OCR can run here (the Tesseract data for `language` is
// installed); when not, `why` says what is missing.
bool OcrAvailable(const std::string& language, std::string* why);

// Deskews and (when OSD is sure) rotates the page, finds ruling lines and
// the cells between them, OCRs each cell on its own and then the text
// outside tables. One Tesseract engine per thread, kept for the thread's
// life, so -j N workers each OCR in parallel.
Result<OcrPage> RecognisePage(const GreyImage& image, const OcrOptions& options);

// What the module hands the loader: its two functions above.
struct ModuleApi {
  int version = 0;  // kModuleVersion of the build that made the module
  bool (*available)(const std::string& language, std::string* why) = nullptr;
  Result<OcrPage> (*recognise)(const GreyImage& image, const OcrOptions& options) = nullptr;
};
// Changes whenever the types above change: a stale module is refused.
constexpr int kModuleVersion = 1;
// The module's one exported symbol, of type `const ModuleApi* ()`.
constexpr const char* kModuleEntry = "plantrace_ocr_module";

}  // namespace plantrace::ocr

#endif  // PLANTRACE_EXTRACTORS_PAGE_OCR_H_
