// plantrace ingest / docs / tasks: the commands over the store (store.h)
// and ingest (ingest.h). Argument parsing and output formatting only.
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "pipeline/commands.h"
#include "pipeline/ingest.h"
#include "pipeline/json_writer.h"
#include "pipeline/process.h"
#include "pipeline/rules.h"
#include "pipeline/store.h"
#include "pipeline/unicode.h"

namespace plantrace {
namespace {

constexpr const char kIngestUsage[] =
    "usage: plantrace ingest [--db FILE] [--rules DIR] [-j N] FILE|DIR ...\n"
    "Loads documents into the store, one transaction per document. Folders are\n"
    "walked recursively (hidden entries skipped); the format is sniffed from the\n"
    "bytes. A document already stored (same SHA-256) is skipped.\n"
    "  --db FILE    store (default $PLANTRACE_DB, else ./plantrace.db)\n"
    "  --rules DIR  rule set (default $PLANTRACE_RULES, ./rules or the source tree's)\n"
    "  -j N         extract N documents in parallel (loading stays in input order)\n"
    "Exit status: 0 all loaded or skipped, 1 some file failed, 2 usage or rules error.\n";

constexpr const char kDocsUsage[] =
    "usage: plantrace docs [--db FILE] [--format table|json]\n"
    "Lists stored documents in load order.\n";

constexpr const char kTasksUsage[] =
    "usage: plantrace tasks [--db FILE] [--doc N] [--agency A] [--search Q] [--format table|json|csv]\n"
    "Lists stored tasks by document and position.\n"
    "  --doc N      document id or number (\"102/KH-UBND\")\n"
    "  --agency A   lead or coordinating agency; accents and case ignored, any\n"
    "               printed form, canonical name or alias (\"so khoa hoc\")\n"
    "  --search Q   phrase in task name, agencies or output; accents ignored\n"
    "  --format F   table (default; long cells cut), json or csv (full text)\n";

// Options shared by the three commands. Parse() returns false on a usage
// error (already reported) and sets help when --help was given.
struct Args {
  std::string db;
  std::optional<std::string> rules, doc, agency, search, format;
  int jobs = 1;
  bool help = false;
  std::vector<std::string> positional;
};

bool UsageError(const char* cmd, const std::string& msg, const char* usage) {
  std::fprintf(stderr, "plantrace %s: %s\n%s", cmd, msg.c_str(), usage);
  return false;
}

// `allowed` lists the value options this command takes (e.g. "db,format").
bool Parse(const char* cmd, const std::vector<std::string>& args, const std::vector<std::string>& allowed,
           bool takes_files, const char* usage, Args* out) {
  auto allows = [&](const std::string& name) {
    for (const std::string& a : allowed) {
      if (a == name) return true;
    }
    return false;
  };
  bool only_files = false;
  for (size_t i = 0; i < args.size(); ++i) {
    std::string a = args[i];
    if (only_files || a.empty() || a[0] != '-' || a == "-") {
      if (!takes_files) return UsageError(cmd, "unexpected argument '" + a + "'", usage);
      out->positional.push_back(a);
      continue;
    }
    if (a == "--") {
      only_files = true;
      continue;
    }
    if (a == "--help" || a == "-h") {
      out->help = true;
      return true;
    }
    std::string name, value;
    bool has_value = false;
    if (a.rfind("-j", 0) == 0 && a.size() > 2 && a[2] != '-') {
      name = "jobs";
      value = a.substr(2);
      has_value = true;
    } else if (a == "-j") {
      name = "jobs";
    } else if (a.rfind("--", 0) == 0) {
      name = a.substr(2);
      size_t eq = name.find('=');
      if (eq != std::string::npos) {
        value = name.substr(eq + 1);
        name = name.substr(0, eq);
        has_value = true;
      }
    } else {
      return UsageError(cmd, "unknown option '" + a + "'", usage);
    }
    if (!allows(name)) return UsageError(cmd, "unknown option '" + a + "'", usage);
    if (!has_value) {
      if (i + 1 >= args.size()) return UsageError(cmd, "option '" + a + "' needs a value", usage);
      value = args[++i];
    }
    if (name == "db") {
      out->db = value;
    } else if (name == "rules") {
      out->rules = value;
    } else if (name == "doc") {
      out->doc = value;
    } else if (name == "agency") {
      out->agency = value;
    } else if (name == "search") {
      out->search = value;
    } else if (name == "format") {
      out->format = value;
    } else if (name == "jobs") {
      char* end = nullptr;
      long n = std::strtol(value.c_str(), &end, 10);
      if (value.empty() || *end != '\0' || n < 1 || n > 256) {
        return UsageError(cmd, "-j needs a number from 1 to 256, not '" + value + "'", usage);
      }
      out->jobs = static_cast<int>(n);
    }
  }
  if (out->db.empty()) {
    const char* env = std::getenv("PLANTRACE_DB");
    out->db = env && *env ? env : "plantrace.db";
  }
  return true;
}

// Opens an existing store for reading commands (does not create one).
std::unique_ptr<Store> OpenExisting(const char* cmd, const std::string& path) {
  std::error_code ec;
  if (path != ":memory:" && !std::filesystem::exists(path, ec)) {
    std::fprintf(stderr, "plantrace %s: no store at %s (load one with 'plantrace ingest')\n", cmd, path.c_str());
    return nullptr;
  }
  Result<std::unique_ptr<Store>> store = Store::Open(path);
  if (!store.ok()) {
    std::fprintf(stderr, "plantrace %s: %s\n", cmd, store.status().message().c_str());
    return nullptr;
  }
  return std::move(store).value();
}

// At most `width` code points; a cut cell ends in "…".
std::string Cut(const std::string& s, size_t width) {
  if (Utf8Length(s) <= width) return s;
  size_t cps = 0, i = 0;
  for (; i < s.size(); ++i) {
    if ((static_cast<unsigned char>(s[i]) & 0xC0) != 0x80) {
      if (cps == width - 1) break;
      ++cps;
    }
  }
  return s.substr(0, i) + "…";
}

std::string OneLine(std::string s) {
  for (char& c : s) {
    if (c == '\n' || c == '\r' || c == '\t') c = ' ';
  }
  return s;
}

// An aligned text table; cells longer than their column's limit are cut.
std::string RenderTable(const std::vector<std::string>& headers, const std::vector<size_t>& limits,
                        const std::vector<std::vector<std::string>>& rows) {
  std::vector<std::vector<std::string>> cells;
  cells.push_back(headers);
  for (const auto& r : rows) {
    std::vector<std::string> c;
    for (size_t i = 0; i < r.size(); ++i) c.push_back(Cut(OneLine(r[i]), limits[i]));
    cells.push_back(std::move(c));
  }
  std::vector<size_t> widths(headers.size(), 0);
  for (const auto& r : cells) {
    for (size_t i = 0; i < r.size(); ++i) widths[i] = std::max(widths[i], Utf8Length(r[i]));
  }
  std::string out;
  for (const auto& r : cells) {
    std::string line;
    for (size_t i = 0; i < r.size(); ++i) {
      if (i) line += "  ";
      line += r[i];
      if (i + 1 < r.size()) line.append(widths[i] - Utf8Length(r[i]), ' ');
    }
    while (!line.empty() && line.back() == ' ') line.pop_back();
    out += line + "\n";
  }
  return out;
}

std::string Or(const std::optional<std::string>& s, const char* fallback = "") { return s ? *s : fallback; }

std::string Join(const std::vector<std::string>& items, const char* sep) {
  std::string out;
  for (size_t i = 0; i < items.size(); ++i) {
    if (i) out += sep;
    out += items[i];
  }
  return out;
}

void Print(const std::string& s) { std::fwrite(s.data(), 1, s.size(), stdout); }

}  // namespace

int CmdIngest(const std::vector<std::string>& argv) {
  Args args;
  if (!Parse("ingest", argv, {"db", "rules", "jobs"}, true, kIngestUsage, &args)) return 2;
  if (args.help) {
    std::fputs(kIngestUsage, stdout);
    return 0;
  }
  if (args.positional.empty()) {
    UsageError("ingest", "no FILE or DIR given", kIngestUsage);
    return 2;
  }
  Result<RuleSet> rules = RuleSet::Load(args.rules ? *args.rules : DefaultRulesDir());
  if (!rules.ok()) {
    std::fprintf(stderr, "plantrace ingest: rules: %s\n", rules.status().message().c_str());
    return 2;
  }
  Result<std::unique_ptr<Store>> store = Store::Open(args.db);
  if (!store.ok()) {
    std::fprintf(stderr, "plantrace ingest: %s\n", store.status().message().c_str());
    return 1;
  }

  const RuleSet& rule_set = *rules;
  ProcessFn process = [&rule_set](std::string_view bytes, const std::string& path) {
    return ProcessDocument(bytes, path, rule_set);
  };
  std::vector<std::string> files = CollectInputs(args.positional);
  const bool progress = isatty(STDERR_FILENO);
  auto report = [&](size_t i, const FileOutcome& o) {
    if (progress) std::fputs("\r\033[K", stderr);
    std::fflush(stderr);
    switch (o.kind) {
      case FileOutcome::Kind::kOk:
        std::printf("OK    %s  %s  tasks=%d warnings=%d\n", o.path.c_str(), Or(o.number, "-").c_str(),
                    o.load.tasks, o.load.warnings);
        break;
      case FileOutcome::Kind::kSkipped:
        std::printf("SKIP  %s (already stored, sha %s)\n", o.path.c_str(), o.sha256.substr(0, 12).c_str());
        break;
      case FileOutcome::Kind::kFailed:
        std::printf("FAIL  %s: %s\n", o.path.c_str(), o.message.c_str());
        std::fflush(stdout);
        std::fprintf(stderr, "plantrace ingest: %s: %s\n", o.path.c_str(), o.message.c_str());
        break;
    }
    std::fflush(stdout);
    if (progress && i + 1 < files.size()) {
      std::fprintf(stderr, "[%zu/%zu] %s", i + 1, files.size(), Cut(files[i + 1], 60).c_str());
      std::fflush(stderr);
    }
  };
  IngestOptions options;
  options.jobs = args.jobs;
  IngestSummary summary;
  Status st = Ingest(files, process, rules->hash(), options, store->get(), report, &summary);
  if (progress) std::fputs("\r\033[K", stderr);
  if (!st.ok()) {
    std::fprintf(stderr, "plantrace ingest: store: %s\n", st.message().c_str());
    return 1;
  }
  const RunCounters& c = summary.counters;
  std::printf("total: %d files, %d loaded, %d skipped, %d failed\n", c.files, c.ok, c.skipped, c.failed);
  return c.failed > 0 ? 1 : 0;
}

int CmdDocs(const std::vector<std::string>& argv) {
  Args args;
  if (!Parse("docs", argv, {"db", "format"}, false, kDocsUsage, &args)) return 2;
  if (args.help) {
    std::fputs(kDocsUsage, stdout);
    return 0;
  }
  std::string format = args.format.value_or("table");
  if (format != "table" && format != "json") {
    UsageError("docs", "unknown format '" + format + "'", kDocsUsage);
    return 2;
  }
  std::unique_ptr<Store> store = OpenExisting("docs", args.db);
  if (!store) return 1;
  Result<std::vector<DocRow>> docs = store->Documents();
  if (!docs.ok()) {
    std::fprintf(stderr, "plantrace docs: %s\n", docs.status().message().c_str());
    return 1;
  }
  if (format == "json") {
    JsonWriter w;
    w.BeginArray();
    for (const DocRow& d : *docs) {
      w.BeginObject()
          .Field("id", d.id)
          .Field("number", d.number)
          .Field("type", d.type)
          .Field("date", d.date)
          .Field("issuer", d.issuer)
          .Field("place", d.place)
          .Field("title", d.title)
          .Field("signer", d.signer)
          .Key("declared_task_count")
          .OptInt(d.declared_task_count)
          .Field("tasks", d.task_count)
          .Field("warnings", d.warning_count)
          .Field("format", d.format)
          .Field("file", d.file_name)
          .Field("path", d.source_path)
          .Field("sha256", d.sha256)
          .Field("rules_hash", d.rules_hash)
          .EndObject();
    }
    w.EndArray();
    Print(w.str() + "\n");
    return 0;
  }
  std::vector<std::vector<std::string>> rows;
  for (const DocRow& d : *docs) {
    rows.push_back({std::to_string(d.id), Or(d.number, "-"), Or(d.type), Or(d.date), Or(d.issuer), Or(d.title),
                    std::to_string(d.task_count), d.file_name});
  }
  Print(RenderTable({"ID", "NUMBER", "TYPE", "DATE", "ISSUER", "TITLE", "TASKS", "FILE"},
                    {8, 24, 14, 10, 32, 60, 6, 40}, rows));
  return 0;
}

int CmdTasks(const std::vector<std::string>& argv) {
  Args args;
  if (!Parse("tasks", argv, {"db", "doc", "agency", "search", "format"}, false, kTasksUsage, &args)) return 2;
  if (args.help) {
    std::fputs(kTasksUsage, stdout);
    return 0;
  }
  std::string format = args.format.value_or("table");
  if (format != "table" && format != "json" && format != "csv") {
    UsageError("tasks", "unknown format '" + format + "'", kTasksUsage);
    return 2;
  }
  std::unique_ptr<Store> store = OpenExisting("tasks", args.db);
  if (!store) return 1;
  TaskQuery q;
  q.doc = args.doc;
  q.agency = args.agency;
  q.search = args.search;
  Result<std::vector<TaskRow>> tasks = store->Tasks(q);
  if (!tasks.ok()) {
    bool usage = tasks.status().code() == Status::Code::kInvalidInput;
    std::fprintf(stderr, "plantrace tasks: %s\n", tasks.status().message().c_str());
    return usage ? 2 : 1;
  }
  if (format == "json") {
    JsonWriter w;
    w.BeginArray();
    for (const TaskRow& t : *tasks) {
      w.BeginObject()
          .Field("id", t.id)
          .Field("doc", t.doc_number)
          .Field("doc_id", t.doc_id)
          .Field("source", t.source)
          .Field("group", t.group)
          .Field("group_title", t.group_title)
          .Field("number", t.number)
          .Field("code", t.code)
          .Field("title", t.title)
          .Field("name", t.name)
          .Field("lead_raw", t.lead_raw)
          .Key("lead")
          .Strings(t.lead)
          .Field("coord_raw", t.coord_raw)
          .Key("coord")
          .Strings(t.coord)
          .Field("output", t.output)
          .Field("deadline_raw", t.deadline_raw)
          .Key("deadline");
      if (t.deadline_kind) {
        w.BeginObject()
            .Field("kind", *t.deadline_kind)
            .Field("start", t.deadline_start)
            .Field("end", t.deadline_end);
        if (t.deadline_every) w.Field("every", *t.deadline_every);
        w.EndObject();
      } else {
        w.Null();
      }
      w.Field("funding", t.funding)
          .Key("provenance")
          .BeginObject()
          .Field("file", t.doc_file)
          .Field("page", t.page)
          .Field("line", t.line)
          .Field("clause", t.clause)
          .EndObject()
          .Field("status", t.status)
          .EndObject();
    }
    w.EndArray();
    Print(w.str() + "\n");
    return 0;
  }
  const std::vector<std::string> headers = {"ID",   "DOC",   "SOURCE",   "GROUP", "NUMBER", "NAME",   "LEAD",
                                            "COORD", "DEADLINE", "KIND",  "START",  "END",    "STATUS"};
  std::vector<std::vector<std::string>> rows;
  for (const TaskRow& t : *tasks) {
    rows.push_back({std::to_string(t.id), Or(t.doc_number, "-"), t.source, Or(t.group), Or(t.number), t.name,
                    Join(t.lead, "; "), Join(t.coord, "; "), Or(t.deadline_raw), Or(t.deadline_kind),
                    Or(t.deadline_start), Or(t.deadline_end), t.status});
  }
  if (format == "csv") {
    std::string out = CsvRow({"id", "doc", "source", "group", "number", "name", "lead", "coord", "deadline_raw",
                              "deadline_kind", "deadline_start", "deadline_end", "status"});
    for (const auto& r : rows) out += CsvRow(r);
    Print(out);
    return 0;
  }
  Print(RenderTable(headers, {8, 20, 14, 6, 6, 50, 30, 24, 18, 9, 10, 10, 10}, rows));
  return 0;
}

}  // namespace plantrace
