// plantrace extract FILE [--json]: what would be extracted, without a store.
#include <cstdio>
#include <iostream>

#include "pipeline/base/numbers.h"
#include "pipeline/cli/commands.h"
#include "pipeline/stages/process.h"
#include "pipeline/stages/record_json.h"

namespace plantrace {
namespace {

const char kUsage[] =
    "usage: plantrace extract [--json] [--rules DIR] [--max-seconds S] [--ocr MODE] FILE...\n"
    "Reads each FILE (PDF, HTML, DOCX, text or Markdown; the format is sniffed from\n"
    "the bytes) and prints what would be extracted, touching no store.\n"
    "  --json       the record as JSON (gold/SCHEMA.md plus provenance and warnings)\n"
    "  --rules DIR  rule files to use (default: $PLANTRACE_RULES or rules/)\n"
    "  --max-seconds S  CPU seconds one file may take before it fails (default: 60,\n"
    "               plus 10 per MB beyond the first; 0: no limit)\n"
    "  --ocr MODE   auto (default): OCR the pages that have no text layer; always:\n"
    "               OCR every page; never: refuse scanned pages\n"
    "Exit status: 0 ok, 1 some file failed, 2 usage error.\n";

void PrintSummary(const Record& r) {
  auto opt = [](const std::optional<std::string>& s) { return s ? *s : std::string("-"); };
  std::printf("%s  %s  %s  %s  %s\n", r.doc.c_str(), opt(r.meta.number).c_str(), opt(r.meta.type).c_str(),
              opt(r.meta.date).c_str(), opt(r.meta.place).c_str());
  std::printf("  title: %s\n  signer: %s\n", opt(r.meta.title).c_str(), opt(r.meta.signer).c_str());
  std::printf("  references: %zu  tasks: %zu  indicators: %zu  warnings: %zu\n", r.references.size(),
              r.tasks.size(), r.indicators.size(), r.warnings.size());
  for (const Task& t : r.tasks) {
    std::string lead;
    for (const Agency& a : t.lead) lead += (lead.empty() ? "" : "; ") + a.printed;
    std::printf("  [%s] %s | %s | %s\n", t.provenance.clause.c_str(), t.name.substr(0, 80).c_str(), lead.c_str(),
                opt(t.deadline_raw).c_str());
  }
  for (const Diagnostic& d : r.warnings) {
    if (d.severity == Severity::kInfo) continue;
    std::printf("  warning %s: %s (line %d)\n", d.code.c_str(), d.message.c_str(), d.line);
  }
}

}  // namespace

int CmdExtract(const std::vector<std::string>& args) {
  bool json = false;
  ReadLimits limits;
  std::string rules_dir = DefaultRulesDir();
  std::vector<std::string> files;
  for (size_t i = 0; i < args.size(); ++i) {
    const std::string& a = args[i];
    if (a == "--help" || a == "-h") {
      std::fputs(kUsage, stdout);
      return 0;
    } else if (a == "--json") {
      json = true;
    } else if (a == "--rules" && i + 1 < args.size()) {
      rules_dir = args[++i];
    } else if (a == "--max-seconds" && i + 1 < args.size()) {
      std::optional<double> s = ParseNumber(args[++i]);
      if (!s || *s < 0) {
        std::fprintf(stderr, "plantrace extract: --max-seconds wants a number of seconds, not '%s'\n",
                     args[i].c_str());
        return 2;
      }
      limits.max_cpu_seconds = *s;
    } else if (a == "--ocr" && i + 1 < args.size()) {
      if (!ParseOcrMode(args[++i], &limits.ocr)) {
        std::fprintf(stderr, "plantrace extract: --ocr wants auto, never or always, not '%s'\n", args[i].c_str());
        return 2;
      }
    } else if (a.starts_with("-") && a != "-") {
      std::fprintf(stderr, "plantrace extract: unknown option '%s'\n%s", a.c_str(), kUsage);
      return 2;
    } else {
      files.push_back(a);
    }
  }
  if (files.empty()) {
    std::fputs(kUsage, stderr);
    return 2;
  }
  Result<RuleSet> rules = RuleSet::Load(rules_dir);
  if (!rules.ok()) {
    std::fprintf(stderr, "plantrace extract: rules: %s\n", rules.status().message().c_str());
    return 2;
  }
  int status = 0;
  for (const std::string& f : files) {
    Result<std::string> bytes = ReadFileBytes(f);
    Result<Record> rec = bytes.ok() ? ProcessDocument(*bytes, f, *rules, limits) : Result<Record>(bytes.status());
    if (!rec.ok()) {
      std::fprintf(stderr, "plantrace extract: %s\n", rec.status().message().c_str());
      status = 1;
      continue;
    }
    if (json) {
      std::fputs(RecordToJson(*rec).c_str(), stdout);
    } else {
      PrintSummary(*rec);
    }
  }
  return status;
}

}  // namespace plantrace
