// plantrace ingest / docs / tasks / export / trace / lineage / agencies /
// report: the commands over the store (store.h) and ingest (ingest.h).
// Argument parsing and output formatting only.
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <functional>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "pipeline/base/json_writer.h"
#include "pipeline/base/numbers.h"
#include "pipeline/base/rules.h"
#include "pipeline/base/unicode.h"
#include "pipeline/base/xlsx_writer.h"
#include "pipeline/cli/commands.h"
#include "pipeline/stages/process.h"
#include "pipeline/store/due.h"
#include "pipeline/store/identity.h"
#include "pipeline/store/ingest.h"
#include "pipeline/store/report.h"
#include "pipeline/store/reprocess.h"
#include "pipeline/store/store.h"

namespace plantrace {
namespace {

constexpr const char kIngestUsage[] =
    "usage: plantrace ingest [--db FILE] [--rules DIR] [-j N] [--force] FILE|DIR ...\n"
    "Loads documents into the store, one transaction per document. Folders are\n"
    "walked recursively (hidden entries skipped); the format is sniffed from the\n"
    "bytes. A file already stored (same SHA-256) is skipped. A file of a document\n"
    "already stored (same issuer, number and date; unnumbered: issuer, type and\n"
    "title) is stored as another rendition of it (SAME): how it differs from the\n"
    "document's reading is shown and kept as warnings, and when it is the better\n"
    "reading (rules/identity.rules) the document is re-read from it. A file with\n"
    "none of a plan's marks, or found in a folder and of a format plantrace cannot\n"
    "read, is skipped with the reason.\n"
    "  --force      load files that do not look like plan documents too\n"
    "  --db FILE    store (default $PLANTRACE_DB, else ./plantrace.db)\n"
    "  --rules DIR  rule set (default $PLANTRACE_RULES, ./rules or the source tree's)\n"
    "  -j N         extract N documents in parallel (loading stays in input order)\n"
    "Exit status: 0 all loaded or skipped, 1 some file failed, 2 usage or rules error.\n";

constexpr const char kReprocessUsage[] =
    "usage: plantrace reprocess [--db FILE] [--rules DIR] [--all] [--doc DOC] [--dry-run]\n"
    "                           [-j N] [--format table|json]\n"
    "Re-extracts stored originals with the current rules and replaces each\n"
    "document's extraction (one transaction per document), printing what\n"
    "changed: document fields, tasks added, removed and changed field by field.\n"
    "By default only documents extracted with other rules (another rules hash).\n"
    "  --all       every document\n"
    "  --doc DOC   only this document (id, key or number)\n"
    "  --dry-run   report what would change; write nothing\n"
    "  -j N        extract N documents in parallel (the store is updated in order)\n"
    "Task ids of a reprocessed document change; DOC:N references do not.\n"
    "Exit status: 0 done, 1 some document failed (left as it was), 2 usage or rules error.\n";

constexpr const char kWarningsUsage[] =
    "usage: plantrace warnings [--db FILE] [--doc DOC] [--format table|json|csv]\n"
    "Lists what looked wrong when documents were extracted (unparsed deadlines,\n"
    "unknown agencies, declared task counts that differ, legacy encodings...),\n"
    "with page, line and clause, for one document or all.\n";

constexpr const char kDocsUsage[] =
    "usage: plantrace docs [--db FILE] [--doc DOC] [--format table|json]\n"
    "Lists stored documents in load order, with how many files (renditions) each\n"
    "was read from. --doc DOC lists one document's renditions, the reading first.\n";

constexpr const char kTasksUsage[] =
    "usage: plantrace tasks [--db FILE] [--doc N] [--agency A [--role R] [--collectives]]\n"
    "                       [--status S] [--due-before D] [--due-after D]\n"
    "                       [--overdue] [--due-within Nd] [--as-of D] [--search Q]\n"
    "                       [--format table|json|csv|xlsx] [--out FILE]\n"
    "Lists stored tasks by deadline (undated last), then document and position.\n"
    "  --doc N          document id, key or number (\"102/KH-UBND\")\n"
    "  --agency A       agency; accents and case ignored, any printed form,\n"
    "                   canonical name or alias (\"Sở KH&CN\", \"so khoa hoc\").\n"
    "  --collectives    also list the collective assignments that bind the\n"
    "                   agency (\"Các sở, ban, ngành\" for a Sở), flagged; without\n"
    "                   it a note on stderr names those collectives\n"
    "  --role R         lead, coord or either (default)\n"
    "  --status S       active (default), superseded, carried_over or all\n"
    "  --due-before D   deadline ends on or before D (YYYY-MM-DD)\n"
    "  --due-after D    deadline ends on or after D\n"
    "  --overdue        deadline ended before --as-of (recurring, ongoing and\n"
    "                   conditional tasks never are)\n"
    "  --due-within Nd  deadline ends within N days from --as-of\n"
    "  --as-of D        reference date for --overdue and --due-within\n"
    "  --search Q       phrase in task name, agencies or output; accents ignored\n"
    "  --format F       table (default; long cells cut), json or csv (full text),\n"
    "                   xlsx (needs --out FILE; deadlines as Excel dates)\n";

constexpr const char kExportUsage[] =
    "usage: plantrace export [--db FILE] [--format json]\n"
    "Prints the whole store as one JSON object (documents, relations, tasks,\n"
    "lineage), sorted and free of row ids and timestamps: two stores with the\n"
    "same content print the same bytes.\n";

constexpr const char kTraceUsage[] =
    "usage: plantrace trace [--db FILE] TASK\n"
    "Shows where a task comes from: document, clause, page and line, the text\n"
    "as printed, the rules behind each field, and the chain of plans before and\n"
    "after it with what changed at each step.\n"
    "  TASK   task id (as 'plantrace tasks' prints), DOC:N (N-th task of a\n"
    "         document given by key, number or id) or DOC:CLAUSE\n";

constexpr const char kLineageUsage[] =
    "usage: plantrace lineage [--db FILE] [--format tree|dot] DOC\n"
    "Prints the relations around a document (what it supersedes, amends,\n"
    "implements, cites, and what refers to it), as an indented tree or as\n"
    "Graphviz DOT. DOC is a document id, key or number.\n";

constexpr const char kAgenciesUsage[] =
    "usage: plantrace agencies [--db FILE] [--format table|json|csv]\n"
    "Lists agencies per issuing province with their task counts.\n";

constexpr const char kReportUsage[] =
    "usage: plantrace report [--db FILE] --as-of DATE [--agency A] [--due-within W]\n"
    "                        [--format table|json|csv|html|xlsx] [--out FILE]\n"
    "Per agency (as lead): active tasks, of which due within the window (30d by\n"
    "default; 2w, 3m also) and overdue at DATE, then the overdue tasks.\n"
    "--format xlsx needs --out FILE; other formats print unless --out is given.\n";

// Options shared by the three commands. Parse() returns false on a usage
// error (already reported) and sets help when --help was given.
struct Args {
  std::string db;
  std::optional<std::string> rules, doc, agency, search, format, role, status, due_before, due_after, as_of,
      due_within, out;
  int jobs = 1;
  bool help = false;
  bool overdue = false;
  bool collectives = false;  // --collectives
  bool no_collectives = false;  // --no-collectives, the default, still accepted
  bool all = false;
  bool dry_run = false;
  bool force = false;
  std::vector<std::string> positional;
};

// Options without a value, and the field each sets.
constexpr std::pair<std::string_view, bool Args::*> kFlags[] = {
    {"overdue", &Args::overdue},
    {"collectives", &Args::collectives},
    {"no-collectives", &Args::no_collectives},
    {"all", &Args::all},
    {"dry-run", &Args::dry_run},
    {"force", &Args::force},
};

// The field of flag `name`, or null when `name` takes a value.
bool Args::*FlagField(std::string_view name) {
  for (const auto& [flag, field] : kFlags) {
    if (flag == name) return field;
  }
  return nullptr;
}

bool UsageError(const char* cmd, const std::string& msg, const char* usage) {
  std::fprintf(stderr, "plantrace %s: %s\n%s", cmd, msg.c_str(), usage);
  return false;
}

// `allowed` lists the value options this command takes (e.g. "db,format").
// Hand-written rather than CLI11 (tried with 2.1.2): CLI11 accepts
// `--force=true` (here a usage error), rejects a repeated `--db` unless told
// otherwise, words its errors itself ("The following argument was not
// expected") without handing back the argument our messages name, and adds
// ~20 s of compile per including file; matching this parser's behaviour
// would take as much code as the parser.
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
    if (bool Args::*flag = FlagField(name)) {
      if (has_value) return UsageError(cmd, "option '--" + name + "' takes no value", usage);
      out->*flag = true;
      continue;
    }
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
    } else if (name == "role") {
      out->role = value;
    } else if (name == "status") {
      out->status = value;
    } else if (name == "due-before") {
      out->due_before = value;
    } else if (name == "due-after") {
      out->due_after = value;
    } else if (name == "as-of") {
      out->as_of = value;
    } else if (name == "due-within") {
      out->due_within = value;
    } else if (name == "out") {
      out->out = value;
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

// Parse for a command's entry: the exit code when the command should stop
// here (2 after a usage error, 0 after printing --help), else nullopt.
std::optional<int> ParseCommand(const char* cmd, const std::vector<std::string>& argv,
                                const std::vector<std::string>& allowed, bool takes_files, const char* usage,
                                Args* out) {
  if (!Parse(cmd, argv, allowed, takes_files, usage, out)) return 2;
  if (out->help) {
    std::fputs(usage, stdout);
    return 0;
  }
  return std::nullopt;
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

void Print(const std::string& s) { std::fwrite(s.data(), 1, s.size(), stdout); }

bool IsIsoDate(const std::string& s) {
  if (s.size() != 10 || s[4] != '-' || s[7] != '-') return false;
  for (size_t i : {0, 1, 2, 3, 5, 6, 8, 9}) {
    if (!std::isdigit(static_cast<unsigned char>(s[i]))) return false;
  }
  int m = std::atoi(s.substr(5, 2).c_str()), d = std::atoi(s.substr(8, 2).c_str());
  return m >= 1 && m <= 12 && d >= 1 && d <= 31;
}

// The task filters of `tasks`; false on a usage error (reported).
bool BuildTaskQuery(const Args& args, TaskQuery* q) {
  q->doc = args.doc;
  q->agency = args.agency;
  q->search = args.search;
  if (args.collectives && args.no_collectives) {
    UsageError("tasks", "--collectives and --no-collectives contradict each other", kTasksUsage);
    return false;
  }
  q->include_collectives = args.agency && args.collectives;
  q->by_deadline = true;
  if (args.role) q->role = *args.role;
  if (args.status) q->status = *args.status;
  for (const auto& [name, value] :
       {std::pair<const char*, const std::optional<std::string>*>{"--due-before", &args.due_before},
        {"--due-after", &args.due_after},
        {"--as-of", &args.as_of}}) {
    if (*value && !IsIsoDate(**value)) {
      return UsageError("tasks", std::string(name) + " needs a date YYYY-MM-DD, not '" + **value + "'", kTasksUsage);
    }
  }
  q->due_before = args.due_before;
  q->due_after = args.due_after;
  q->as_of = args.as_of;
  q->overdue = args.overdue;
  if ((q->overdue || args.due_within) && !q->as_of) {
    return UsageError("tasks", "--overdue and --due-within need --as-of DATE", kTasksUsage);
  }
  if (args.due_within) {
    Result<DueWindow> w = ParseDueWindow(*args.due_within);
    if (!w.ok()) return UsageError("tasks", w.status().message(), kTasksUsage);
    q->due_until = WindowEnd(*q->as_of, *w);
  }
  if ((q->overdue || q->due_until) && !q->as_of) {
    return UsageError("tasks", "--overdue and --due-within need --as-of DATE", kTasksUsage);
  }
  return true;
}

// Warnings printed under each loaded file by ingest.
constexpr size_t kWarningsShown = 5;

// "deadline.unparsed p3:l12 [PHỤ LỤC I > 4]: message".
std::string WarningText(const Diagnostic& d) {
  std::string where = d.page ? "p" + std::to_string(d.page) + ":l" + std::to_string(d.line)
                             : "l" + std::to_string(d.line);
  return d.code + " " + where + (d.clause.empty() ? "" : " [" + d.clause + "]") + ": " + OneLine(d.message);
}

// The rules ingest and reprocess extract with, and the store whose
// gazetteer was set from them.
struct StoreRules {
  std::unique_ptr<RuleSet> rules;
  std::unique_ptr<LinkRules> links;
  std::unique_ptr<Store> store;
  ProcessFn Process() const {
    return [r = rules.get(), l = links.get()](std::string_view bytes, const std::string& path) {
      return ProcessForStore(bytes, path, *r, *l);
    };
  }
};

// Loads the rules, then opens the store (created when `create`, so a rules
// error leaves no new file) and sets its gazetteer. Returns 0, or the exit
// code after the error has been printed.
int OpenWithRules(const char* cmd, const Args& args, bool create, StoreRules* out) {
  Result<RuleSet> rules = RuleSet::Load(args.rules ? *args.rules : DefaultRulesDir());
  if (!rules.ok()) {
    std::fprintf(stderr, "plantrace %s: rules: %s\n", cmd, rules.status().message().c_str());
    return 2;
  }
  out->rules = std::make_unique<RuleSet>(std::move(rules).value());
  Result<LinkRules> links = LinkRules::Load(*out->rules);
  if (!links.ok()) {
    std::fprintf(stderr, "plantrace %s: rules: %s\n", cmd, links.status().message().c_str());
    return 2;
  }
  out->links = std::make_unique<LinkRules>(std::move(links).value());
  if (create) {
    Result<std::unique_ptr<Store>> store = Store::Open(args.db);
    if (!store.ok()) {
      std::fprintf(stderr, "plantrace %s: %s\n", cmd, store.status().message().c_str());
      return 1;
    }
    out->store = std::move(store).value();
  } else {
    out->store = OpenExisting(cmd, args.db);
    if (!out->store) return 1;
  }
  const LinkRules* l = out->links.get();
  // Stores written before renditions (or loaded without identity rules)
  // hold one document per file: merge them before anything is loaded.
  Result<IdentityRules> identity = IdentityRules::Load(*out->rules);
  if (!identity.ok()) {
    std::fprintf(stderr, "plantrace %s: rules: %s\n", cmd, identity.status().message().c_str());
    return 2;
  }
  // A dry run writes nothing, merging included.
  Result<int> merged = args.dry_run ? Result<int>(0) : out->store->MergeDuplicates(*identity);
  if (!merged.ok()) {
    std::fprintf(stderr, "plantrace %s: store: %s\n", cmd, merged.status().message().c_str());
    return 1;
  }
  if (*merged > 0) std::fprintf(stderr, "plantrace %s: merged %d duplicate documents into renditions\n", cmd, *merged);
  Status gz =
      out->store->SetGazetteer(out->rules->List("agencies"), [l](std::string_view s) { return l->CoveredKinds(s); });
  if (!gz.ok()) {
    std::fprintf(stderr, "plantrace %s: store: %s\n", cmd, gz.message().c_str());
    return 1;
  }
  return 0;
}

// One line of a reprocess report: a field's change, cut to stay readable.
std::string ChangeText(const FieldChange& c) {
  return c.field + ": \"" + Cut(OneLine(c.before), 60) + "\" -> \"" + Cut(OneLine(c.after), 60) + "\"";
}

void PrintDiff(const DocDiff& d) {
  if (d.failed) {
    std::printf("FAIL     %s  %s: %s\n", d.file.c_str(), d.doc_key.c_str(), d.message.c_str());
    std::fflush(stdout);
    std::fprintf(stderr, "plantrace reprocess: %s: %s\n", d.file.c_str(), d.message.c_str());
    return;
  }
  size_t added = 0, removed = 0, changed = 0;
  for (const TaskDiff& t : d.tasks) {
    (t.kind == TaskDiff::Kind::kAdded ? added : t.kind == TaskDiff::Kind::kRemoved ? removed : changed)++;
  }
  std::printf("%s  %s  %s  tasks %d -> %d: +%zu -%zu ~%zu\n", d.changed() ? "CHANGED" : "SAME   ", d.file.c_str(),
              d.doc_key.c_str(), d.tasks_before, d.tasks_after, added, removed, changed);
  for (const FieldChange& c : d.meta) std::printf("  document %s\n", ChangeText(c).c_str());
  for (const FieldChange& c : d.references) std::printf("  reference %s\n", ChangeText(c).c_str());
  for (const TaskDiff& t : d.tasks) {
    std::printf("  %s %s:%d %s %s\n", TaskDiffMark(t.kind), t.kind == TaskDiff::Kind::kRemoved ? "old" : d.doc_key.c_str(),
                t.position + 1, t.number.c_str(), Cut(OneLine(t.name), 70).c_str());
    for (const FieldChange& c : t.fields) std::printf("      %s\n", ChangeText(c).c_str());
  }
}

void WriteChanges(JsonWriter& w, const std::vector<FieldChange>& changes) {
  w.BeginArray();
  for (const FieldChange& c : changes) {
    w.BeginObject().Field("field", c.field).Field("before", c.before).Field("after", c.after).EndObject();
  }
  w.EndArray();
}

void WriteDiff(JsonWriter& w, const DocDiff& d) {
  w.BeginObject()
      .Field("doc_id", d.doc_id)
      .Field("doc_key", d.doc_key)
      .Field("file", d.file)
      .Field("rules_before", d.rules_before)
      .Field("rules_after", d.rules_after)
      .Field("failed", d.failed)
      .Field("message", d.message)
      .Field("tasks_before", static_cast<int64_t>(d.tasks_before))
      .Field("tasks_after", static_cast<int64_t>(d.tasks_after))
      .Key("meta");
  WriteChanges(w, d.meta);
  w.Key("references");
  WriteChanges(w, d.references);
  w.Key("tasks").BeginArray();
  for (const TaskDiff& t : d.tasks) {
    const char* kind = TaskDiffKindName(t.kind);
    w.BeginObject()
        .Field("kind", kind)
        .Field("position", static_cast<int64_t>(t.position + 1))
        .Field("number", t.number)
        .Field("name", t.name)
        .Key("fields");
    WriteChanges(w, t.fields);
    w.EndObject();
  }
  w.EndArray().EndObject();
}

}  // namespace

int CmdIngest(const std::vector<std::string>& argv) {
  Args args;
  if (std::optional<int> stop = ParseCommand("ingest", argv, {"db", "rules", "jobs", "force"}, true, kIngestUsage, &args))
    return *stop;
  if (args.positional.empty()) {
    UsageError("ingest", "no FILE or DIR given", kIngestUsage);
    return 2;
  }
  StoreRules rules;
  if (int code = OpenWithRules("ingest", args, true, &rules)) return code;
  ProcessFn process = rules.Process();
  IngestOptions options;
  options.jobs = args.jobs;
  options.force = args.force;
  std::vector<std::string> files = CollectInputs(args.positional, &options.walked);
  const bool progress = isatty(STDERR_FILENO);
  auto report = [&](size_t i, const FileOutcome& o) {
    if (progress) std::fputs("\r\033[K", stderr);
    std::fflush(stderr);
    switch (o.kind) {
      case FileOutcome::Kind::kOk:
        if (o.load.same_document) {
          std::string formats;
          for (const std::string& f : o.load.formats) formats += (formats.empty() ? "" : ", ") + f;
          std::printf("SAME  %s  %s (document %lld; now %zu renditions: %s)\n", o.path.c_str(),
                      Or(o.number, "-").c_str(), static_cast<long long>(o.load.doc_id), o.load.formats.size(),
                      formats.c_str());
          std::printf("      reading: %s%s (%s)\n", o.load.reading_file.c_str(),
                      o.load.reread ? ", re-read from this file" : "",
                      o.load.reading_rules.empty() ? "no reading rule" : o.load.reading_rules.c_str());
          for (size_t k = 0; k < o.differences.size() && k < kWarningsShown; ++k) {
            std::printf("      ! %s\n", WarningText(o.differences[k].diagnostic).c_str());
          }
          if (o.differences.size() > kWarningsShown) {
            std::printf("      ! ... %zu more (plantrace warnings --doc %lld)\n", o.differences.size() - kWarningsShown,
                        static_cast<long long>(o.load.doc_id));
          }
          break;
        }
        std::printf("OK    %s  %s  tasks=%d warnings=%zu\n", o.path.c_str(), Or(o.number, "-").c_str(),
                    o.load.tasks, o.warnings.size());
        // What looks wrong, at once; `plantrace warnings` lists them all.
        for (size_t k = 0; k < o.warnings.size() && k < kWarningsShown; ++k) {
          std::printf("      ! %s\n", WarningText(o.warnings[k]).c_str());
        }
        if (o.warnings.size() > kWarningsShown) {
          std::printf("      ! ... %zu more (plantrace warnings --doc %lld)\n", o.warnings.size() - kWarningsShown,
                      static_cast<long long>(o.load.doc_id));
        }
        break;
      case FileOutcome::Kind::kSkipped:
        if (!o.skip_reason.empty()) {
          std::printf("SKIP  %s: %s\n", o.path.c_str(), o.skip_reason.c_str());
        } else {
          std::printf("SKIP  %s (already stored, sha %s)\n", o.path.c_str(), o.sha256.substr(0, 12).c_str());
        }
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
  IngestSummary summary;
  Status st = Ingest(files, process, rules.rules->hash(), options, rules.store.get(), report, &summary);
  if (progress) std::fputs("\r\033[K", stderr);
  if (!st.ok()) {
    std::fprintf(stderr, "plantrace ingest: store: %s\n", st.message().c_str());
    return 1;
  }
  const RunCounters& c = summary.counters;
  std::printf("total: %d files, %d loaded, %d skipped, %d failed", c.files, c.ok, c.skipped, c.failed);
  if (summary.renditions > 0) {
    std::printf(" (%d of the loaded are renditions of documents already stored)", summary.renditions);
  }
  std::printf("\n");
  for (const auto& [path, reason] : summary.skipped) std::printf("skipped: %s: %s\n", path.c_str(), reason.c_str());
  return c.failed > 0 ? 1 : 0;
}

int CmdReprocess(const std::vector<std::string>& argv) {
  Args args;
  if (std::optional<int> stop = ParseCommand(
          "reprocess", argv, {"db", "rules", "all", "doc", "dry-run", "format", "jobs"}, false, kReprocessUsage, &args))
    return *stop;
  const std::string format = args.format.value_or("table");
  if (format != "table" && format != "json") {
    UsageError("reprocess", "unknown format '" + format + "'", kReprocessUsage);
    return 2;
  }
  StoreRules rules;
  if (int code = OpenWithRules("reprocess", args, false, &rules)) return code;
  ReprocessOptions options;
  options.all = args.all;
  options.dry_run = args.dry_run;
  options.jobs = args.jobs;
  if (args.doc) {
    Result<std::vector<int64_t>> ids = rules.store->FindDocuments(*args.doc);
    if (!ids.ok() || ids->empty()) {
      std::fprintf(stderr, "plantrace reprocess: no document '%s'\n", args.doc->c_str());
      return 1;
    }
    options.only = *ids;
  }
  JsonWriter w;
  w.BeginArray();
  int changed = 0, same = 0;
  auto on_doc = [&](const DocDiff& d) {
    if (!d.failed) ++(d.changed() ? changed : same);
    if (format == "json") {
      WriteDiff(w, d);
    } else {
      PrintDiff(d);
      std::fflush(stdout);
    }
  };
  RunCounters c;
  Status st = Reprocess(rules.store.get(), rules.Process(), rules.rules->hash(), options, on_doc, &c);
  if (!st.ok()) {
    std::fprintf(stderr, "plantrace reprocess: store: %s\n", st.message().c_str());
    return 1;
  }
  if (format == "json") {
    w.EndArray();
    Print(w.str() + "\n");
  } else {
    std::printf("total: %d documents reprocessed with rules %s: %d changed, %d unchanged, %d failed%s\n", c.files,
                rules.rules->hash().substr(0, 12).c_str(), changed, same, c.failed,
                options.dry_run ? " (dry run: nothing written)" : "");
  }
  return c.failed > 0 ? 1 : 0;
}

int CmdWarnings(const std::vector<std::string>& argv) {
  Args args;
  if (std::optional<int> stop = ParseCommand("warnings", argv, {"db", "doc", "format"}, false, kWarningsUsage, &args)) {
    return *stop;
  }
  const std::string format = args.format.value_or("table");
  if (format != "table" && format != "json" && format != "csv") {
    UsageError("warnings", "unknown format '" + format + "'", kWarningsUsage);
    return 2;
  }
  std::unique_ptr<Store> store = OpenExisting("warnings", args.db);
  if (!store) return 1;
  std::optional<int64_t> doc_id;
  if (args.doc) {
    Result<std::vector<int64_t>> ids = store->FindDocuments(*args.doc);
    if (!ids.ok() || ids->size() != 1) {
      std::fprintf(stderr, "plantrace warnings: %s document '%s'\n",
                   ids.ok() && ids->size() > 1 ? "more than one" : "no", args.doc->c_str());
      return 1;
    }
    doc_id = (*ids)[0];
  }
  Result<std::vector<WarningRow>> rows = store->Warnings(doc_id);
  if (!rows.ok()) {
    std::fprintf(stderr, "plantrace warnings: %s\n", rows.status().message().c_str());
    return 1;
  }
  if (format == "json") {
    JsonWriter w;
    w.BeginArray();
    for (const WarningRow& r : *rows) {
      const Diagnostic& d = r.diagnostic;
      w.BeginObject()
          .Field("doc_key", r.doc_key)
          .Field("file", r.file)
          .Field("severity", SeverityName(d.severity))
          .Field("code", d.code)
          .Field("message", d.message)
          .Field("page", static_cast<int64_t>(d.page))
          .Field("line", static_cast<int64_t>(d.line))
          .Field("clause", d.clause)
          .Field("rule", d.rule)
          .EndObject();
    }
    w.EndArray();
    Print(w.str() + "\n");
    return 0;
  }
  std::vector<std::vector<std::string>> table;
  for (const WarningRow& r : *rows) {
    const Diagnostic& d = r.diagnostic;
    table.push_back({r.file, SeverityName(d.severity), d.code, std::to_string(d.page), std::to_string(d.line),
                     d.clause, d.message});
  }
  const std::vector<std::string> header = {"FILE", "SEVERITY", "CODE", "PAGE", "LINE", "CLAUSE", "MESSAGE"};
  if (format == "csv") {
    std::string out = CsvRow(header);
    for (const auto& row : table) out += CsvRow(row);
    Print(out);
  } else {
    Print(RenderTable(header, {30, 8, 22, 4, 5, 30, 80}, table));
  }
  return 0;
}

int CmdDocs(const std::vector<std::string>& argv) {
  Args args;
  if (std::optional<int> stop = ParseCommand("docs", argv, {"db", "format", "doc"}, false, kDocsUsage, &args)) return *stop;
  std::string format = args.format.value_or("table");
  if (format != "table" && format != "json") {
    UsageError("docs", "unknown format '" + format + "'", kDocsUsage);
    return 2;
  }
  std::unique_ptr<Store> store = OpenExisting("docs", args.db);
  if (!store) return 1;
  if (args.doc) {
    Result<std::vector<int64_t>> ids = store->FindDocuments(*args.doc);
    if (!ids.ok() || ids->size() != 1) {
      std::fprintf(stderr, "plantrace docs: %s document '%s'\n", ids.ok() && ids->size() > 1 ? "more than one" : "no",
                   args.doc->c_str());
      return 1;
    }
    Result<std::vector<RenditionRow>> rends = store->Renditions((*ids)[0]);
    if (!rends.ok()) {
      std::fprintf(stderr, "plantrace docs: %s\n", rends.status().message().c_str());
      return 1;
    }
    if (format == "json") {
      JsonWriter w;
      w.BeginArray();
      for (const RenditionRow& r : *rends) {
        w.BeginObject()
            .Field("reading", r.reading)
            .Field("format", r.format)
            .Field("file", r.file_name)
            .Field("path", r.source_path)
            .Field("sha256", r.sha256)
            .Key("run")
            .OptInt(r.run_id)
            .Field("rank", static_cast<int64_t>(r.rank))
            .Field("rank_rules", r.rank_rules)
            .Field("tasks", r.tasks)
            .EndObject();
      }
      w.EndArray();
      Print(w.str() + "\n");
      return 0;
    }
    std::vector<std::vector<std::string>> rows;
    for (const RenditionRow& r : *rends) {
      rows.push_back({r.reading ? "reading" : "", r.format, r.file_name, r.sha256.substr(0, 12),
                      r.run_id ? std::to_string(*r.run_id) : "-", std::to_string(r.rank), std::to_string(r.tasks),
                      r.rank_rules});
    }
    Print(RenderTable({"", "FORMAT", "FILE", "SHA256", "RUN", "RANK", "TASKS", "RULES"}, {7, 8, 40, 12, 5, 5, 6, 80},
                      rows));
    return 0;
  }
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
          .Field("renditions", d.renditions)
          .Field("format", d.format)
          .Field("file", d.file_name)
          .Field("path", d.source_path)
          .Field("sha256", d.sha256)
          .Field("rules_hash", d.rules_hash)
          .Field("key", d.key)
          .Field("status", d.status)
          .Field("superseded_by", d.status_by)
          .Field("status_date", d.status_date)
          .EndObject();
    }
    w.EndArray();
    Print(w.str() + "\n");
    return 0;
  }
  std::vector<std::vector<std::string>> rows;
  for (const DocRow& d : *docs) {
    std::string status = d.status;
    if (d.status_by) status += " by " + *d.status_by;
    rows.push_back({std::to_string(d.id), Or(d.number, "-"), Or(d.type), Or(d.date), Or(d.issuer), Or(d.title),
                    std::to_string(d.task_count), std::to_string(d.renditions), status, d.key});
  }
  Print(RenderTable({"ID", "NUMBER", "TYPE", "DATE", "ISSUER", "TITLE", "TASKS", "FILES", "STATUS", "KEY"},
                    {8, 24, 14, 10, 32, 50, 6, 5, 60, 40}, rows));
  return 0;
}

int CmdTasks(const std::vector<std::string>& argv) {
  Args args;
  if (std::optional<int> stop = ParseCommand("tasks", argv,
                                             {"db", "doc", "agency", "search", "format", "role", "status",
                                              "due-before", "due-after", "as-of", "due-within", "overdue",
                                              "collectives", "no-collectives", "out"},
                                             false, kTasksUsage, &args)) {
    return *stop;
  }
  std::string format = args.format.value_or("table");
  if (format != "table" && format != "json" && format != "csv" && format != "xlsx") {
    UsageError("tasks", "unknown format '" + format + "'", kTasksUsage);
    return 2;
  }
  if (format == "xlsx" && !args.out) {
    UsageError("tasks", "--format xlsx needs --out FILE", kTasksUsage);
    return 2;
  }
  std::unique_ptr<Store> store = OpenExisting("tasks", args.db);
  if (!store) return 1;
  TaskQuery q;
  if (!BuildTaskQuery(args, &q)) return 2;
  auto failed = [](const Status& st) {
    std::fprintf(stderr, "plantrace tasks: %s\n", st.message().c_str());
    return st.code() == Status::Code::kInvalidInput ? 2 : 1;
  };
  // Named assignments are listed by default (the collective ones can be
  // most of a Sở's list); say which collectives were left out, so that
  // nothing binding the agency is dropped silently.
  if (q.agency && !q.include_collectives) {
    Result<std::vector<std::string>> left_out = store->BindingCollectives(q);
    if (!left_out.ok()) return failed(left_out.status());
    if (!left_out->empty()) {
      const size_t n = left_out->size();
      std::vector<std::string> shown(left_out->begin(), left_out->begin() + std::min<size_t>(n, 3));
      std::fprintf(stderr,
                   "plantrace tasks: not listed: tasks assigned to %zu collective%s that bind this agency (%s%s); "
                   "add --collectives to include them, flagged\n",
                   n, n == 1 ? "" : "s", Join(shown, "; ").c_str(), n > 3 ? "; ..." : "");
    }
  }
  // JSON and CSV are printed as the rows are read (a listing can be the
  // whole store); the table and XLSX need every row first.
  constexpr size_t kFlushBytes = 1 << 16;
  if (format == "json") {
    JsonWriter w;
    w.BeginArray();
    Status st = store->ForEachTask(q, [&](const TaskRow& t) {
      w.BeginObject()
          .Field("id", t.id)
          .Field("ref", t.ref)
          .Field("doc", t.doc_number)
          .Field("doc_key", t.doc_key)
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
          .Key("continues")
          .OptInt(t.continues)
          .Field("via_collective", t.via_collective)
          .EndObject();
      if (w.size() >= kFlushBytes) w.Flush(stdout);
    });
    if (!st.ok()) return failed(st);
    w.EndArray();
    w.Flush(stdout);
    Print("\n");
    return 0;
  }
  auto cells = [](const TaskRow& t) -> std::vector<std::string> {
    return {std::to_string(t.id), Or(t.doc_number, "-"), t.source, Or(t.group), Or(t.number), t.name,
            Join(t.lead, "; "), Join(t.coord, "; "), Or(t.deadline_raw), Or(t.deadline_kind),
            Or(t.deadline_start), Or(t.deadline_end), t.status, t.via_collective ? "collective" : ""};
  };
  if (format == "csv") {
    std::string out = CsvRow({"id", "doc", "source", "group", "number", "name", "lead", "coord", "deadline_raw",
                              "deadline_kind", "deadline_start", "deadline_end", "status", "via"});
    Status st = store->ForEachTask(q, [&](const TaskRow& t) {
      out += CsvRow(cells(t));
      if (out.size() >= kFlushBytes) {
        Print(out);
        out.clear();
      }
    });
    if (!st.ok()) return failed(st);
    Print(out);
    return 0;
  }
  const std::vector<std::string> headers = {"ID",   "DOC",   "SOURCE",   "GROUP", "NUMBER", "NAME",   "LEAD",
                                            "COORD", "DEADLINE", "KIND",  "START",  "END",    "STATUS", "VIA"};
  std::vector<std::vector<std::string>> rows;
  Status st = store->ForEachTask(q, [&](const TaskRow& t) { rows.push_back(cells(t)); });
  if (!st.ok()) return failed(st);
  if (format == "xlsx") {
    // The CSV columns, with the id as a number and deadlines as real dates.
    XlsxSheet sheet;
    sheet.name = "Tasks";
    sheet.header = {"id", "doc", "source", "group", "number", "name", "lead", "coord", "deadline_raw",
                    "deadline_kind", "deadline_start", "deadline_end", "status", "via"};
    for (const auto& r : rows) {
      std::vector<XlsxCell> cells;
      for (size_t c = 0; c < r.size(); ++c) {
        bool date = (c == 10 || c == 11) && r[c] != "-" && !r[c].empty();
        if (c == 0) {
          cells.push_back(XlsxCell::Number(ParseNumber(r[c]).value_or(0)));  // the task id
        } else if (date) {
          cells.push_back(XlsxCell::Date(r[c]));
        } else {
          cells.push_back(r[c] == "-" && c != 1 ? XlsxCell::Empty() : XlsxCell::Text(r[c]));
        }
      }
      sheet.rows.push_back(std::move(cells));
    }
    Status st = WriteXlsx(*args.out, {sheet});
    if (!st.ok()) {
      std::fprintf(stderr, "plantrace tasks: %s\n", st.message().c_str());
      return 1;
    }
    return 0;
  }
  Print(RenderTable(headers, {8, 20, 14, 6, 6, 50, 30, 24, 18, 9, 10, 10, 12, 10}, rows));
  return 0;
}


int CmdExport(const std::vector<std::string>& argv) {
  Args args;
  if (std::optional<int> stop = ParseCommand("export", argv, {"db", "format"}, false, kExportUsage, &args))
    return *stop;
  if (args.format.value_or("json") != "json") {
    UsageError("export", "unknown format '" + *args.format + "'", kExportUsage);
    return 2;
  }
  std::unique_ptr<Store> store = OpenExisting("export", args.db);
  if (!store) return 1;
  Result<std::string> json = store->ExportJson();
  if (!json.ok()) {
    std::fprintf(stderr, "plantrace export: %s\n", json.status().message().c_str());
    return 1;
  }
  Print(*json);
  return 0;
}

namespace {

std::string ChangesText(const std::vector<Change>& changes) {
  if (changes.empty()) return "no change";
  std::string out;
  for (const Change& c : changes) {
    if (!out.empty()) out += "; ";
    out += c.field + ": " + (c.from.empty() ? "(none)" : c.from) + " -> " + (c.to.empty() ? "(none)" : c.to);
  }
  return out;
}

std::string ScoreText(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.3f", v);
  return buf;
}

// The field a provenance rule ref ("deadline.month@abc") produced.
std::string RuleField(const std::string& ref) {
  std::string id = ref.substr(0, ref.find('@'));
  std::string family = id.substr(0, id.find('.'));
  if (family == "deadline") return "deadline";
  if (family == "agency" || family == "agencies") return "lead/coord";
  if (family == "column" || family == "table") return "row/columns";
  if (family == "prose" || family == "heading" || family == "structure") return "clause";
  return family;
}

// One step of a chain, walking from `id` backwards (to older plans) or
// forwards; `seen` stops cycles.
Status WalkChain(Store* store, int64_t id, bool backwards, int depth, std::set<int64_t>* seen, std::string* out) {
  if (depth > 20) return Status::Ok();
  Result<std::vector<LineageRow>> rows = store->Lineage(id);
  if (!rows.ok()) return rows.status();
  for (const LineageRow& l : *rows) {
    if (backwards ? l.task != id : l.prev != id) continue;
    int64_t next = backwards ? l.prev : l.task;
    if (!seen->insert(next).second) continue;
    TaskQuery q;
    q.task_id = next;
    q.status = "all";
    Result<std::vector<TaskRow>> t = store->Tasks(q);
    if (!t.ok()) return t.status();
    if (t->empty()) continue;
    const TaskRow& r = (*t)[0];
    std::string indent(2 * depth + 2, ' ');
    *out += indent + (backwards ? "<- " : "-> ") + "[" + std::to_string(r.id) + "] " + r.ref + "  " +
            Or(r.doc_number, "(no number)") + " " + r.clause + "\n";
    *out += indent + "   " + Cut(OneLine(r.name), 100) + "\n";
    *out += indent + "   " + (l.linked ? "linked" : "candidate only") + ", score " + ScoreText(l.score) + ", " +
            l.relation + "; " + ChangesText(l.changes) + "\n";
    if (l.linked) PLANTRACE_RETURN_IF_ERROR(WalkChain(store, next, backwards, depth + 1, seen, out));
  }
  return Status::Ok();
}

}  // namespace

int CmdTrace(const std::vector<std::string>& argv) {
  Args args;
  if (std::optional<int> stop = ParseCommand("trace", argv, {"db"}, true, kTraceUsage, &args)) return *stop;
  if (args.positional.size() != 1) {
    UsageError("trace", "give exactly one TASK", kTraceUsage);
    return 2;
  }
  std::unique_ptr<Store> store = OpenExisting("trace", args.db);
  if (!store) return 1;
  Result<std::optional<int64_t>> id = store->FindTask(args.positional[0]);
  if (!id.ok()) {
    std::fprintf(stderr, "plantrace trace: %s\n", id.status().message().c_str());
    return id.status().code() == Status::Code::kInvalidInput ? 2 : 1;
  }
  if (!*id) {
    std::fprintf(stderr, "plantrace trace: no task '%s'\n", args.positional[0].c_str());
    return 1;
  }
  TaskQuery q;
  q.task_id = **id;
  q.status = "all";
  q.with_source = true;
  Result<std::vector<TaskRow>> tasks = store->Tasks(q);
  Result<std::vector<DocRow>> docs = store->Documents();
  if (!tasks.ok() || !docs.ok() || tasks->empty()) {
    std::fprintf(stderr, "plantrace trace: %s\n",
                 (!tasks.ok() ? tasks.status() : docs.status()).message().c_str());
    return 1;
  }
  const TaskRow& t = (*tasks)[0];
  const DocRow* d = nullptr;
  for (const DocRow& x : *docs) {
    if (x.id == t.doc_id) d = &x;
  }
  std::string out;
  out += "task      [" + std::to_string(t.id) + "] " + t.ref + "\n";
  if (d) {
    out += "document  " + Or(d->type, "?") + " " + Or(d->number, "(no number)") + ", " + Or(d->date, "no date") +
           ", " + Or(d->issuer, "issuer not printed") + "\n";
    out += "          " + Or(d->title) + "\n";
    out += "          file " + d->source_path + " (" + d->format + "), status " + d->status +
           (d->status_by ? " by " + *d->status_by : "") + "\n";
  }
  out += "clause    " + (t.clause.empty() ? t.source : t.clause) + "\n";
  out += "at        " + (t.page > 0 ? "page " + std::to_string(t.page) + ", " : std::string()) + "line " +
         std::to_string(t.line) + "\n";
  out += "source text (as printed):\n  " + t.source_text + "\n";
  Result<std::vector<SourceLine>> lines = store->Lines(t.doc_id, t.page, t.line, t.line);
  if (lines.ok() && !lines->empty()) {
    out += "document line " + std::to_string(t.line) + ":\n";
    for (const SourceLine& l : *lines) out += "  " + l.text + "\n";
  }
  out += "fields:\n";
  out += "  name      " + t.name + "\n";
  out += "  lead      " + Join(t.lead, "; ") + (t.lead_raw ? "   (cell: " + *t.lead_raw + ")" : "") + "\n";
  out += "  coord     " + Join(t.coord, "; ") + (t.coord_raw ? "   (cell: " + *t.coord_raw + ")" : "") + "\n";
  if (t.output) out += "  output    " + *t.output + "\n";
  out += "  deadline  " + Or(t.deadline_raw, "(none)");
  if (t.deadline_kind) {
    out += " -> " + *t.deadline_kind + " " + Or(t.deadline_start, "?") + ".." + Or(t.deadline_end, "?");
  }
  if (t.deadline_rule) out += "   rule " + *t.deadline_rule;
  out += "\n";
  out += "rules:\n";
  size_t start = 0;
  while (start < t.rules.size()) {
    size_t sp = t.rules.find(' ', start);
    if (sp == std::string::npos) sp = t.rules.size();
    std::string ref = t.rules.substr(start, sp - start);
    if (!ref.empty()) out += "  " + RuleField(ref) + ": " + ref + "\n";
    start = sp + 1;
  }
  out += "status    " + t.status;
  if (t.continues) out += ", continued by task [" + std::to_string(*t.continues) + "]";
  out += "\n";
  std::set<int64_t> seen = {t.id};
  std::string back, fwd;
  Status st = WalkChain(store.get(), t.id, true, 0, &seen, &back);
  if (st.ok()) st = WalkChain(store.get(), t.id, false, 0, &seen, &fwd);
  if (!st.ok()) {
    std::fprintf(stderr, "plantrace trace: %s\n", st.message().c_str());
    return 1;
  }
  out += "chain backwards (older plans):\n" + (back.empty() ? "  (none)\n" : back);
  out += "chain forwards (newer plans):\n" + (fwd.empty() ? "  (none)\n" : fwd);
  Print(out);
  return 0;
}

namespace {

std::string DocLabel(const DocRow& d) {
  return Or(d.type, "?") + " " + Or(d.number, "(no number)") + (d.date ? ", " + *d.date : "") + " [" + d.status +
         "]";
}

std::string DotQuote(const std::string& s) {
  std::string out = "\"";
  for (char c : s) {
    if (c == '"' || c == '\\') out += '\\';
    out += c;
  }
  return out + "\"";
}

}  // namespace

int CmdLineage(const std::vector<std::string>& argv) {
  Args args;
  if (std::optional<int> stop = ParseCommand("lineage", argv, {"db", "format"}, true, kLineageUsage, &args))
    return *stop;
  std::string format = args.format.value_or("tree");
  if ((format != "tree" && format != "dot") || args.positional.size() != 1) {
    UsageError("lineage", args.positional.size() != 1 ? "give exactly one DOC" : "unknown format '" + format + "'",
               kLineageUsage);
    return 2;
  }
  std::unique_ptr<Store> store = OpenExisting("lineage", args.db);
  if (!store) return 1;
  Result<std::vector<int64_t>> ids = store->FindDocuments(args.positional[0]);
  Result<std::vector<DocRow>> docs = store->Documents();
  Result<std::vector<RelationRow>> rels = store->Relations();
  Result<std::vector<IdentityLinkRow>> links = store->IdentityLinks();
  if (!ids.ok() || !docs.ok() || !rels.ok() || !links.ok()) {
    Status st = !ids.ok() ? ids.status() : !docs.ok() ? docs.status() : !rels.ok() ? rels.status() : links.status();
    std::fprintf(stderr, "plantrace lineage: %s\n", st.message().c_str());
    return 1;
  }
  if (ids->empty()) {
    std::fprintf(stderr, "plantrace lineage: no document '%s'\n", args.positional[0].c_str());
    return 1;
  }
  std::map<int64_t, const DocRow*> by_id;
  for (const DocRow& d : *docs) by_id[d.id] = &d;
  std::string out;
  if (format == "dot") {
    // The connected component around the documents asked for.
    std::set<int64_t> nodes(ids->begin(), ids->end());
    for (bool grew = true; grew;) {
      grew = false;
      for (const RelationRow& r : *rels) {
        if (!r.to) continue;
        if (nodes.count(r.from) && nodes.insert(*r.to).second) grew = true;
        if (nodes.count(*r.to) && nodes.insert(r.from).second) grew = true;
      }
      for (const IdentityLinkRow& l : *links) {
        if (nodes.count(l.from) && nodes.insert(l.to).second) grew = true;
        if (nodes.count(l.to) && nodes.insert(l.from).second) grew = true;
      }
    }
    out += "digraph lineage {\n  rankdir=LR;\n  node [shape=box];\n";
    for (int64_t id : nodes) {
      const DocRow& d = *by_id[id];
      out += "  " + DotQuote(d.key) + " [label=" + DotQuote(DocLabel(d)) +
             (std::count(ids->begin(), ids->end(), id) ? ", style=bold" : "") + "];\n";
    }
    std::set<std::string> pending;
    for (const RelationRow& r : *rels) {
      if (!nodes.count(r.from)) continue;
      std::string label = r.relation + (r.part ? " " + *r.part : "") + (r.how == "title" ? " (by title)" : "");
      if (r.to) {
        out += "  " + DotQuote(r.from_key) + " -> " + DotQuote(*r.to_key) + " [label=" + DotQuote(label) + "];\n";
      } else if (r.relation != "cites" && r.relation != "based_on") {
        if (pending.insert(r.cited()).second) {
          out += "  " + DotQuote("pending:" + r.cited()) + " [label=" + DotQuote(r.cited() + " (not stored)") +
                 ", style=dashed];\n";
        }
        out += "  " + DotQuote(r.from_key) + " -> " + DotQuote("pending:" + r.cited()) +
               " [label=" + DotQuote(label) + ", style=dashed];\n";
      }
    }
    for (const IdentityLinkRow& l : *links) {
      if (!nodes.count(l.from)) continue;
      out += "  " + DotQuote(l.from_key) + " -> " + DotQuote(l.to_key) +
             " [label=" + DotQuote(l.relation + " (" + l.reason + ")") + "];\n";
    }
    out += "}\n";
    Print(out);
    return 0;
  }
  for (int64_t id : *ids) {
    const DocRow& d = *by_id[id];
    out += DocLabel(d) + "  " + d.key + "\n";
    if (d.title) out += "  " + Cut(OneLine(*d.title), 110) + "\n";
    if (d.status_by)
      out += "  " + d.status + " by " + *d.status_by + (d.status_date ? " on " + *d.status_date : "") + "\n";
    // Outgoing, then incoming, two levels deep.
    std::function<void(int64_t, int, std::set<int64_t>&)> down = [&](int64_t from, int depth, std::set<int64_t>& seen) {
      for (const RelationRow& r : *rels) {
        if (r.from != from) continue;
        std::string indent(2 * depth, ' ');
        std::string line = indent + r.relation + (r.part ? " (" + *r.part + ")" : "") + " -> " + r.cited();
        if (r.to) {
          line += " = " + DocLabel(*by_id[*r.to]);
          if (r.how == "title") line += " (matched by title, score " + ScoreText(r.score) + ")";
        } else {
          line += " (pending: not stored)";
        }
        if (r.carried_over) line += " [tasks carried over]";
        out += line + "\n";
        if (r.to && depth < 3 && seen.insert(*r.to).second) down(*r.to, depth + 1, seen);
      }
    };
    std::set<int64_t> seen = {id};
    out += "  refers to:\n";
    down(id, 2, seen);
    out += "  referred to by:\n";
    bool any = false;
    for (const RelationRow& r : *rels) {
      if (r.to != id) continue;
      any = true;
      out += "    " + DocLabel(*by_id[r.from]) + " " + r.relation + (r.part ? " (" + *r.part + ")" : "") + " it" +
             (r.how == "title" ? " (matched by title)" : "") + "  " + r.from_key + "\n";
    }
    if (!any) out += "    (none)\n";
    // Drafts, re-issues and corrections: links the documents' identity implies.
    bool shown = false;
    for (const IdentityLinkRow& l : *links) {
      if (l.from != id && l.to != id) continue;
      if (!shown) out += "  other issues of it:\n";
      shown = true;
      if (l.from == id) {
        out += "    " + l.relation + " (" + l.reason + ") -> " + DocLabel(*by_id[l.to]) + "  " + l.to_key + "\n";
      } else {
        out += "    " + DocLabel(*by_id[l.from]) + " " + l.relation + " (" + l.reason + ") it  " + l.from_key + "\n";
      }
      out += "      " + l.evidence + (l.rules.empty() ? "" : "  [" + l.rules + "]") + "\n";
    }
  }
  Print(out);
  return 0;
}

int CmdAgencies(const std::vector<std::string>& argv) {
  Args args;
  if (std::optional<int> stop = ParseCommand("agencies", argv, {"db", "format"}, false, kAgenciesUsage, &args))
    return *stop;
  std::string format = args.format.value_or("table");
  if (format != "table" && format != "json" && format != "csv") {
    UsageError("agencies", "unknown format '" + format + "'", kAgenciesUsage);
    return 2;
  }
  std::unique_ptr<Store> store = OpenExisting("agencies", args.db);
  if (!store) return 1;
  Result<std::vector<AgencyRow>> rows = store->Agencies();
  if (!rows.ok()) {
    std::fprintf(stderr, "plantrace agencies: %s\n", rows.status().message().c_str());
    return 1;
  }
  if (format == "json") {
    JsonWriter w;
    w.BeginArray();
    for (const AgencyRow& a : *rows) {
      w.BeginObject()
          .Field("id", a.id)
          .Field("scope", a.scope)
          .Field("name", a.name)
          .Field("kind", a.kind)
          .Field("known", a.known)
          .Key("aliases")
          .Strings(a.aliases)
          .Key("covers")
          .Strings(a.covers)
          .Field("lead_tasks", a.lead_tasks)
          .Field("coord_tasks", a.coord_tasks)
          .Field("active_tasks", a.active_tasks)
          .EndObject();
    }
    w.EndArray();
    Print(w.str() + "\n");
    return 0;
  }
  std::vector<std::vector<std::string>> table;
  for (const AgencyRow& a : *rows) {
    table.push_back({a.scope, a.name, a.kind, a.known ? "yes" : "", std::to_string(a.lead_tasks),
                     std::to_string(a.coord_tasks), std::to_string(a.active_tasks), Join(a.covers, " "),
                     Join(a.aliases, "; ")});
  }
  if (format == "csv") {
    std::string out = CsvRow({"scope", "name", "kind", "known", "lead", "coord", "active", "covers", "aliases"});
    for (const auto& r : table) out += CsvRow(r);
    Print(out);
    return 0;
  }
  Print(RenderTable({"SCOPE", "AGENCY", "KIND", "KNOWN", "LEAD", "COORD", "ACTIVE", "COVERS", "PRINTED AS"},
                    {16, 50, 12, 5, 5, 5, 6, 30, 60}, table));
  return 0;
}

int CmdReport(const std::vector<std::string>& argv) {
  Args args;
  if (std::optional<int> stop = ParseCommand("report", argv, {"db", "format", "as-of", "agency", "due-within", "out"},
                                             false, kReportUsage, &args))
    return *stop;
  std::string format = args.format.value_or("table");
  if (format != "table" && format != "json" && format != "csv" && format != "html" && format != "xlsx") {
    UsageError("report", "unknown format '" + format + "'", kReportUsage);
    return 2;
  }
  if (!args.as_of || !IsIsoDate(*args.as_of)) {
    UsageError("report", "--as-of DATE (YYYY-MM-DD) is required", kReportUsage);
    return 2;
  }
  if (format == "xlsx" && !args.out) {
    UsageError("report", "--format xlsx needs --out FILE", kReportUsage);
    return 2;
  }
  Result<DueWindow> window = ParseDueWindow(args.due_within.value_or("30d"));
  if (!window.ok()) {
    UsageError("report", window.status().message(), kReportUsage);
    return 2;
  }
  std::optional<std::string> window_end = WindowEnd(*args.as_of, *window);
  if (!window_end) {
    UsageError("report", "--as-of is not a date", kReportUsage);
    return 2;
  }
  std::unique_ptr<Store> store = OpenExisting("report", args.db);
  if (!store) return 1;
  Result<std::vector<AgencyCounts>> counts = store->AgencyReport(*args.as_of, args.agency, *window_end, true);
  TaskQuery overdue;
  overdue.agency = args.agency;
  overdue.overdue = true;
  overdue.as_of = args.as_of;
  overdue.by_deadline = true;
  overdue.role = "lead";
  Result<std::vector<TaskRow>> late =
      counts.ok() ? store->Tasks(overdue) : Result<std::vector<TaskRow>>(counts.status());
  if (!late.ok()) {
    std::fprintf(stderr, "plantrace report: %s\n", late.status().message().c_str());
    return late.status().code() == Status::Code::kInvalidInput ? 2 : 1;
  }
  Report report;
  report.as_of = *args.as_of;
  report.window = FormatDueWindow(*window);
  for (const AgencyCounts& c : *counts) {
    ReportRow r;
    r.agency = c.scope.empty() ? c.name : c.name + " (" + c.scope + ")";
    r.kind = c.kind;
    r.active = static_cast<int>(c.active);
    r.due_soon = static_cast<int>(c.due_soon);
    r.overdue = static_cast<int>(c.overdue);
    report.rows.push_back(std::move(r));
  }
  for (const TaskRow& t : *late) {
    ReportTask rt;
    rt.id = t.id;
    rt.doc = t.doc_number.value_or(t.doc_key);
    rt.number = Or(t.group).empty() ? Or(t.number) : Or(t.group) + "." + Or(t.number);
    rt.name = t.name;
    rt.lead = Join(t.lead, "; ");
    rt.deadline_raw = Or(t.deadline_raw);
    rt.due = Or(t.deadline_end);
    report.overdue.push_back(std::move(rt));
  }
  report = SortedReport(std::move(report));
  std::string text;
  if (format == "table") {
    text = RenderReportText(report);
  } else if (format == "html") {
    text = RenderReportHtml(report);
  } else if (format == "json") {
    JsonWriter w;
    w.BeginObject().Field("as_of", report.as_of).Field("window", report.window).Key("agencies").BeginArray();
    for (const ReportRow& r : report.rows) {
      w.BeginObject()
          .Field("agency", r.agency)
          .Field("kind", r.kind)
          .Field("active", r.active)
          .Field("due_soon", r.due_soon)
          .Field("overdue", r.overdue)
          .EndObject();
    }
    w.EndArray().Key("overdue_tasks").BeginArray();
    for (const ReportTask& t : report.overdue) {
      w.BeginObject().Field("id", t.id).Field("doc", t.doc).Field("number", t.number).Field("name", t.name);
      w.Field("lead", t.lead).Field("deadline_raw", t.deadline_raw).Field("due", t.due).EndObject();
    }
    w.EndArray().EndObject();
    text = w.str() + "\n";
  } else if (format == "csv") {
    text = CsvRow({"agency", "kind", "active", "due_within_" + report.window, "overdue"});
    for (const ReportRow& r : report.rows) {
      text += CsvRow({r.agency, r.kind, std::to_string(r.active), std::to_string(r.due_soon),
                      std::to_string(r.overdue)});
    }
  } else {
    XlsxOptions opt;
    opt.created = report.as_of;
    Status st = WriteXlsx(*args.out, ReportSheets(report), opt);
    if (!st.ok()) {
      std::fprintf(stderr, "plantrace report: %s\n", st.message().c_str());
      return 1;
    }
    return 0;
  }
  if (args.out) {
    FILE* f = std::fopen(args.out->c_str(), "wb");
    if (!f || std::fwrite(text.data(), 1, text.size(), f) != text.size() || std::fclose(f) != 0) {
      std::fprintf(stderr, "plantrace report: %s: cannot write\n", args.out->c_str());
      return 1;
    }
    return 0;
  }
  Print(text);
  return 0;
}

}  // namespace plantrace
