// The extraction pipeline for one document: read -> normalize -> segment ->
// extract, with the document's identity (file name, SHA-256) stamped on.
#include "pipeline/stages/process.h"

#include <cstdint>
#include <filesystem>
#include <new>
#include <fstream>

#include "pipeline/base/budget.h"
#include "pipeline/base/sha256.h"
#include "pipeline/base/unicode.h"
#include "pipeline/stages/extract.h"
#include "pipeline/stages/legacy_encoding.h"
#include "pipeline/stages/normalize.h"
#include "pipeline/stages/ocr_repair.h"
#include "pipeline/stages/segment.h"

namespace plantrace {
namespace {

Status TooBig(const std::string& path, std::uintmax_t size, size_t limit) {
  return Status::InvalidInput(path + ": file of " + std::to_string(size) + " bytes is over the limit of " +
                              std::to_string(limit));
}

}  // namespace

Result<std::string> ReadFileBytes(const std::string& path) {
  // A regular file or a pipe (/dev/stdin, a process substitution) is read,
  // and no more of it than a reader would take; a device (a link to
  // /dev/zero never ends) or a socket is not, and a file over the limit (a
  // 2 GB sparse file) is refused before it fills memory.
  std::error_code ec;
  const std::filesystem::file_status st = std::filesystem::status(path, ec);
  if (ec) return Status::Io(path + ": cannot open file: " + ec.message());
  if (std::filesystem::is_directory(st)) return Status::InvalidInput(path + ": is a directory");
  if (!std::filesystem::is_regular_file(st) && !std::filesystem::is_fifo(st)) {
    return Status::InvalidInput(path + ": not a regular file (a device or socket)");
  }
  const size_t limit = ReadLimits().max_bytes;
  const std::uintmax_t size = std::filesystem::file_size(path, ec);
  if (!ec && size > limit) return TooBig(path, size, limit);
  std::ifstream in(path, std::ios::binary);
  if (!in) return Status::Io(path + ": cannot open file");
  // The size can change while reading: read at most one byte past the limit.
  std::string data;
  char buf[1 << 16];
  while (data.size() <= limit && in.read(buf, sizeof buf).gcount() > 0) data.append(buf, in.gcount());
  if (in.bad()) return Status::Io(path + ": read error");
  if (data.size() > limit) return TooBig(path, data.size(), limit);
  return data;
}

Result<Layout> ReadNormalized(std::string_view bytes, const std::string& source, const RuleSet& rules,
                              const ReadLimits& limits, Diagnostics* diag) {
  // An 8-bit text file in a legacy Vietnamese encoding is read through
  // Windows-1252 when its letters show that encoding; other non-UTF-8 bytes
  // keep the reader's error.
  std::string latin1;
  const bool binary = bytes.starts_with("%PDF") || bytes.starts_with("PK\x03\x04") ||
                      bytes.find('\0') != std::string_view::npos;
  if (!binary && FindInvalidUtf8(bytes) != std::string_view::npos) {
    latin1 = Windows1252ToUtf8(bytes);
    if (DetectLegacyEncoding(latin1, rules)) bytes = latin1;
  }
  diag->EnterStage("read");
  Result<Layout> layout = ReadDocument(bytes, source, limits, diag, &rules);
  if (!layout.ok()) return layout.status();
  if (Status over = diag->CheckBudget(); !over.ok()) return over.Annotate(source);
  diag->EnterStage("normalize");
  DecodeLegacyEncoding(&layout.value(), rules, diag);
  RepairOcrText(&layout.value(), rules, diag);
  return Normalize(std::move(layout).value(), diag);
}

Result<DocTree> BuildDocTree(std::string_view bytes, const std::string& source, const RuleSet& rules,
                             const ReadLimits& limits, Diagnostics* diag) {
  Result<Layout> layout = ReadNormalized(bytes, source, rules, limits, diag);
  if (!layout.ok()) return layout.status();
  if (Status over = diag->CheckBudget(); !over.ok()) return over.Annotate(source);
  const Layout& normal = *layout;
  bool any_text = false;
  for (const Block& b : normal.blocks) any_text |= !b.lines.empty() || !b.table.rows.empty();
  if (!any_text) return Status::InvalidInput(source + ": no text found");
  diag->EnterStage("segment");
  return Segment(normal, rules, diag);
}

namespace {

Result<Record> RunStages(std::string_view bytes, const std::string& source, const RuleSet& rules,
                         const ReadLimits& limits, Diagnostics* diag, DocTree* tree_out) {
  // A stage that spends the allowance stops early with what it has: the
  // document then fails here, whatever that stage returned.
  Result<DocTree> tree = BuildDocTree(bytes, source, rules, limits, diag);
  if (Status over = diag->CheckBudget(); !over.ok()) return over.Annotate(source);
  if (!tree.ok()) return tree.status();
  diag->EnterStage("extract");
  Result<Record> rec = Extract(*tree, rules, diag);
  if (Status over = diag->CheckBudget(); !over.ok()) return over.Annotate(source);
  if (!rec.ok()) return rec.status().Annotate(source);
  rec->doc = std::filesystem::path(source).filename().string();
  rec->sha256 = Sha256Hex(bytes);
  rec->format = tree->format;
  rec->warnings = diag->items();
  *tree_out = std::move(tree).value();
  return rec;
}

}  // namespace

Result<Record> ProcessDocument(std::string_view bytes, const std::string& source, const RuleSet& rules,
                               const ReadLimits& limits, DocTree* tree_out) {
  CpuBudget budget(limits.max_cpu_seconds < 0 ? DefaultCpuSeconds(bytes.size()) : limits.max_cpu_seconds);
  Diagnostics diag;
  diag.set_budget(&budget);
  try {
    return RunStages(bytes, source, rules, limits, &diag, tree_out);
  } catch (const std::bad_alloc&) {
    // Past the process's memory limit (`--max-memory`): everything the
    // stages held is released on the way out, so the batch goes on.
    return Status::OverBudget(source + ": ran out of memory at stage " + diag.stage());
  }
}

Result<Record> ProcessDocument(std::string_view bytes, const std::string& source, const RuleSet& rules,
                               const ReadLimits& limits) {
  DocTree tree;
  return ProcessDocument(bytes, source, rules, limits, &tree);
}

}  // namespace plantrace
