// plantrace eval --gold DIR [--inputs DIR] [--ext E] [--min F]: extraction
// scored against gold files, the project's own copy of shared/tools/score.py.
#include <cstdio>
#include <algorithm>
#include <filesystem>

#include "pipeline/base/numbers.h"
#include "pipeline/cli/commands.h"
#include "pipeline/stages/eval.h"
#include "pipeline/stages/process.h"

namespace plantrace {
namespace {

const char kUsage[] =
    "usage: plantrace eval --gold DIR [--inputs DIR] [--ext EXT] [--min F] [--show N]\n"
    "For each gold JSON in DIR, extracts its document (the gold \"doc\" name in\n"
    "--inputs, default DIR/../seeds; with --ext, <stem>.EXT) and scores the\n"
    "record: tasks, fields, metadata and references.\n"
    "  --min F   exit 1 when fully_correct over all documents is below F\n";

}  // namespace

int CmdEval(const std::vector<std::string>& args) {
  namespace fs = std::filesystem;
  std::string gold_dir, inputs, ext, rules_dir = DefaultRulesDir();
  double min = -1;
  int show = 0;
  for (size_t i = 0; i < args.size(); ++i) {
    const std::string& a = args[i];
    bool has_value = i + 1 < args.size();
    if (a == "--help" || a == "-h") {
      std::fputs(kUsage, stdout);
      return 0;
    } else if (a == "--gold" && has_value) {
      gold_dir = args[++i];
    } else if (a == "--inputs" && has_value) {
      inputs = args[++i];
    } else if (a == "--ext" && has_value) {
      ext = args[++i];
    } else if (a == "--rules" && has_value) {
      rules_dir = args[++i];
    } else if (a == "--min" && has_value) {
      std::optional<double> v = ParseNumber(args[++i]);
      if (!v || *v < 0 || *v > 1) {
        std::fprintf(stderr, "plantrace eval: --min: '%s' is not a number from 0 to 1\n", args[i].c_str());
        return 2;
      }
      min = *v;
    } else if (a == "--show" && has_value) {
      std::optional<int64_t> v = ParseInt(args[++i]);
      if (!v || *v < 0 || *v > 100000) {
        std::fprintf(stderr, "plantrace eval: --show: '%s' is not a count\n", args[i].c_str());
        return 2;
      }
      show = static_cast<int>(*v);
    } else {
      std::fprintf(stderr, "plantrace eval: unexpected '%s'\n%s", a.c_str(), kUsage);
      return 2;
    }
  }
  if (gold_dir.empty()) {
    std::fputs(kUsage, stderr);
    return 2;
  }
  if (inputs.empty()) inputs = (fs::path(gold_dir) / ".." / "seeds").string();
  Result<RuleSet> rules = RuleSet::Load(rules_dir);
  if (!rules.ok()) {
    std::fprintf(stderr, "plantrace eval: rules: %s\n", rules.status().message().c_str());
    return 2;
  }
  std::vector<fs::path> golds;
  std::error_code ec;
  for (const auto& e : fs::directory_iterator(gold_dir, ec)) {
    if (e.path().extension() == ".json") golds.push_back(e.path());
  }
  std::sort(golds.begin(), golds.end());
  DocScore total;
  int failed = 0;
  for (const fs::path& g : golds) {
    Result<std::string> text = ReadFileBytes(g.string());
    Result<JsonValue> gold = text.ok() ? ParseJson(*text) : Result<JsonValue>(text.status());
    if (!gold.ok()) {
      std::fprintf(stderr, "plantrace eval: %s: %s\n", g.c_str(), gold.status().message().c_str());
      ++failed;
      continue;
    }
    std::string doc = (*gold)["doc"].text;
    fs::path input = fs::path(inputs) / doc;
    if (!ext.empty()) input = fs::path(inputs) / (fs::path(doc).stem().string() + "." + ext);
    if (!fs::exists(input)) {
      std::printf("== %s: not in %s, skipped\n", input.filename().c_str(), inputs.c_str());
      continue;
    }
    Result<std::string> bytes = ReadFileBytes(input.string());
    Result<Record> rec = bytes.ok() ? ProcessDocument(*bytes, input.string(), *rules) : Result<Record>(bytes.status());
    if (!rec.ok()) {
      std::printf("== %s: failed: %s\n", input.filename().c_str(), rec.status().message().c_str());
      ++failed;
      rec = Record{};
    }
    DocScore s = ScoreRecord(*gold, *rec);
    std::printf("== %s: tasks gold=%d got=%d matched=%d fully_correct=%d lead+deadline=%d meta=%d/5 refs tp=%d "
                "gold=%d got=%d\n",
                input.filename().c_str(), s.gold, s.got, s.matched, s.fully, s.lead_and_deadline, s.meta_right,
                s.ref_tp, s.ref_gold, s.ref_got);
    for (int k = 0; k < show && k < static_cast<int>(s.misses.size()); ++k) {
      std::printf("   miss: %s\n", s.misses[k].c_str());
    }
    total.gold += s.gold;
    total.got += s.got;
    total.matched += s.matched;
    total.fully += s.fully;
    total.fields_right += s.fields_right;
    total.fields_total += s.fields_total;
    total.ref_tp += s.ref_tp;
    total.ref_gold += s.ref_gold;
    total.ref_got += s.ref_got;
  }
  double fully = total.gold ? static_cast<double>(total.fully) / total.gold : 0;
  std::printf("TOTAL tasks_gold=%d matched=%d task_f1=%.3f fully_correct=%.3f field_acc=%.3f ref_f1=%.3f\n",
              total.gold, total.matched, F1(total.matched, total.gold, total.got), fully,
              total.fields_total ? static_cast<double>(total.fields_right) / total.fields_total : 0,
              F1(total.ref_tp, total.ref_gold, total.ref_got));
  if (failed) return 1;
  return min >= 0 && fully < min ? 1 : 0;
}

}  // namespace plantrace
