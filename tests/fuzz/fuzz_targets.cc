// The fuzz targets (fuzz_targets.h): each feeds one input to one entry point
// of the pipeline and checks what the output promises to the next stage or
// the user. A Status error is a good answer to a bad input; a crash, a
// sanitizer report, a hang or a broken invariant is not.
#include "tests/fuzz/fuzz_targets.h"

#include <map>

#include "extractors/readers.h"
#include "pipeline/base/json_reader.h"
#include "pipeline/base/rules.h"
#include "pipeline/base/unicode.h"
#include "pipeline/stages/process.h"
#include "pipeline/stages/record_json.h"
#include "tests/test_util.h"

namespace plantrace::fuzz {
namespace {

// The name every harness reads its input as; an error must name it, as
// `plantrace extract` prints only the message.
constexpr char kSource[] = "fuzz-input";

// Splits "=== name\n<content>=== name\n<content>..." into named parts. Input
// without a first "=== " line is one part called `whole`.
std::map<std::string, std::string> SplitParts(std::string_view bytes, const std::string& whole) {
  std::map<std::string, std::string> parts;
  constexpr std::string_view kMark = "=== ";
  if (!bytes.starts_with(kMark)) {
    parts[whole] = std::string(bytes);
    return parts;
  }
  std::string* cur = nullptr;
  size_t at = 0;
  while (at < bytes.size()) {
    size_t nl = bytes.find('\n', at);
    size_t end = nl == std::string_view::npos ? bytes.size() : nl + 1;
    std::string_view line = bytes.substr(at, end - at);
    if (line.starts_with(kMark)) {
      std::string_view name = line.substr(kMark.size());
      while (!name.empty() && (name.back() == '\n' || name.back() == '\r')) name.remove_suffix(1);
      cur = &parts[std::string(name)];
    } else if (cur != nullptr) {
      cur->append(line);
    }
    at = end;
  }
  return parts;
}

// Where an invariant of a Layout fails, or "".
std::string CheckLines(const std::vector<Line>& lines, const char* where) {
  for (const Line& l : lines) {
    if (FindInvalidUtf8(l.text) != std::string_view::npos) return std::string(where) + ": line text is not UTF-8";
    for (const Word& w : l.words) {
      if (FindInvalidUtf8(w.text) != std::string_view::npos) return std::string(where) + ": word is not UTF-8";
    }
  }
  return "";
}

std::string CheckLayout(const Result<Layout>& layout) {
  if (!layout.ok()) {
    // Ingest and extract report the message as it is: it must say which file.
    if (layout.status().message().find(kSource) == std::string::npos) {
      return "error does not name the file: " + layout.status().message();
    }
    return "";
  }
  for (const Block& b : layout->blocks) {
    if (std::string bad = CheckLines(b.lines, "block"); !bad.empty()) return bad;
    for (const Row& r : b.table.rows) {
      for (const Cell& c : r.cells) {
        if (c.row_span < 1 || c.col_span < 1) return "cell span below 1";
        if (std::string bad = CheckLines(c.lines, "cell"); !bad.empty()) return bad;
      }
    }
  }
  return "";
}

std::string RunText(std::string_view bytes) {
  Diagnostics diag;
  return CheckLayout(ReadText(bytes, kSource, &diag));
}

std::string RunMarkdown(std::string_view bytes) {
  Diagnostics diag;
  return CheckLayout(ReadMarkdown(bytes, kSource, &testing::Rules(), &diag));
}

std::string RunHtml(std::string_view bytes) {
  Diagnostics diag;
  return CheckLayout(ReadHtml(bytes, kSource, ReadLimits(), &diag));
}

std::string RunDocx(std::string_view bytes) {
  Diagnostics diag;
  if (bytes.starts_with("PK\x03\x04")) return CheckLayout(ReadDocx(bytes, kSource, ReadLimits(), &diag));
  const std::string zip = PartsToZip(bytes);
  return CheckLayout(ReadDocx(zip, kSource, ReadLimits(), &diag));
}

// OCR stays off: a fuzzed image is seconds of Tesseract per execution, and
// the page-image path is tested on real scans (corpus_ocr_test).
ReadLimits NoOcr() {
  ReadLimits limits;
  limits.ocr = ReadLimits::Ocr::kNever;
  return limits;
}

std::string RunPdf(std::string_view bytes) {
  Diagnostics diag;
  return CheckLayout(ReadPdf(bytes, kSource, NoOcr(), &diag));
}

// What `plantrace extract --json` promises of a Record: an error names the
// file, and the JSON printed parses.
std::string CheckRecord(const Result<Record>& rec) {
  if (!rec.ok()) {
    if (rec.status().message().find(kSource) == std::string::npos) {
      return "error does not name the file: " + rec.status().message();
    }
    return "";
  }
  Result<JsonValue> json = ParseJson(RecordToJson(*rec));
  if (!json.ok()) return "extract --json printed what does not parse: " + json.status().message();
  return "";
}

// The stage path of `plantrace extract --json` for text: read, normalize,
// segment, extract, print.
std::string RunExtract(std::string_view bytes) {
  if (SniffFormat(bytes) != Format::kText) return "";
  return CheckRecord(ProcessDocument(bytes, kSource, testing::Rules()));
}

// The same for PDF: what the reader gives (columns, tables from ruling
// lines, page furniture) on through segment and extract, where the text
// harnesses never reach.
std::string RunPdfSegment(std::string_view bytes) {
  if (SniffFormat(bytes) != Format::kPdf) return "";
  return CheckRecord(ProcessDocument(bytes, kSource, testing::Rules(), NoOcr()));
}

// Rule files as an operator might edit them: a load either gives a rule set
// or a Status naming "file:line"; the patterns it compiled run on the rule's
// own examples, as the rules test does.
std::string RunRules(std::string_view bytes) {
  const std::map<std::string, std::string> files = SplitParts(bytes, "fuzz.rules");
  Result<RuleSet> rules = RuleSet::FromFiles(files);
  if (!rules.ok()) {
    const std::string& msg = rules.status().message();
    for (const auto& [name, content] : files) {
      if (msg.starts_with(name + ":")) return "";
    }
    return "rules error does not name its file: " + msg;
  }
  for (const Rule& r : rules->rules()) {
    for (const Pattern& p : r.patterns) {
      for (const RuleExample& e : r.examples) p.FindAll(e.input);
      for (const RuleExample& e : r.negatives) p.FindAll(e.input);
    }
  }
  if (rules->hash().size() != 64) return "rule set hash is not a SHA-256: " + rules->hash();
  return "";
}

}  // namespace

std::string PartsToZip(std::string_view bytes) {
  return testing::MakeZip(SplitParts(bytes, "word/document.xml"), /*deflate=*/false);
}

const std::vector<Target>& Targets() {
  static const std::vector<Target> kTargets = {
      {"text", RunText}, {"markdown", RunMarkdown}, {"html", RunHtml},   {"docx", RunDocx},
      {"pdf", RunPdf},   {"extract", RunExtract},   {"rules", RunRules},   {"pdf_segment", RunPdfSegment},
  };
  return kTargets;
}

const Target* FindTarget(std::string_view name) {
  for (const Target& t : Targets()) {
    if (name == t.name) return &t;
  }
  return nullptr;
}

}  // namespace plantrace::fuzz
