// The extraction pipeline for one document: read -> normalize -> segment ->
// extract, with the document's identity (file name, SHA-256) stamped on.
#include "pipeline/stages/process.h"

#include <filesystem>
#include <new>
#include <fstream>
#include <sstream>

#include "pipeline/base/budget.h"
#include "pipeline/base/sha256.h"
#include "pipeline/base/unicode.h"
#include "pipeline/stages/extract.h"
#include "pipeline/stages/legacy_encoding.h"
#include "pipeline/stages/normalize.h"
#include "pipeline/stages/segment.h"

namespace plantrace {

Result<std::string> ReadFileBytes(const std::string& path) {
  std::error_code ec;
  if (std::filesystem::is_directory(path, ec)) return Status::InvalidInput(path + ": is a directory");
  std::ifstream in(path, std::ios::binary);
  if (!in) return Status::Io(path + ": cannot open file");
  std::ostringstream ss;
  ss << in.rdbuf();
  if (in.bad()) return Status::Io(path + ": read error");
  return ss.str();
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
