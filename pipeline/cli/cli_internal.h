// Internal to pipeline/cli/: what the commands over the store (cmd_ingest.cc,
// cmd_docs.cc, cmd_tasks.cc, ...) share: their option parsing, opening the
// store (with or without the rules), and the plain-text output helpers. Not
// included outside pipeline/cli/.
#ifndef PLANTRACE_PIPELINE_CLI_CLI_INTERNAL_H_
#define PLANTRACE_PIPELINE_CLI_CLI_INTERNAL_H_

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "pipeline/base/rules.h"
#include "pipeline/store/ingest.h"
#include "pipeline/store/store.h"

namespace plantrace {

// The options of the store commands, each command allowing some of them.
// ParseCommand() fills it.
struct Args {
  std::string db;
  std::optional<std::string> rules, doc, agency, search, format, role, status, due_before, due_after, as_of,
      due_within, out;
  int jobs = 1;
  double max_seconds = -1;  // --max-seconds: CPU per document; < 0 the default (budget.h)
  ReadLimits::Ocr ocr = ReadLimits::Ocr::kAuto;  // --ocr
  size_t max_memory_mb = 0;  // --max-memory: the process's address space; 0 no limit
  bool help = false;
  bool overdue = false;
  bool collectives = false;  // --collectives
  bool no_collectives = false;  // --no-collectives, the default, still accepted
  bool all = false;
  bool dry_run = false;
  bool force = false;
  bool quiet = false;  // no progress line on a terminal
  bool timing = false;  // ingest: where the time went, on stderr at the end
  bool queue = false;   // ingest --queue: put the files in the store's work queue
  bool until_empty = false;  // worker: stop when the queue is empty
  double lease_seconds = 30;  // worker --lease
  int max_attempts = 3;       // worker --max-attempts
  std::vector<std::string> positional;
};

// Prints "plantrace CMD: MSG" and the usage to stderr; returns false.
bool UsageError(const char* cmd, const std::string& msg, const char* usage);

// Parses a command's arguments. `allowed` lists the options this command
// takes, by long name ("db", "format", "jobs" for -j, "force"...);
// `takes_files` says whether it takes positional arguments. Returns the exit
// code when the command should stop here (2 after a usage error, reported;
// 0 after printing --help), else nullopt. The store defaults to
// $PLANTRACE_DB, else ./plantrace.db. Hand-written, not CLI11: why is said
// at Parse() in cli_internal.cc.
std::optional<int> ParseCommand(const char* cmd, const std::vector<std::string>& argv,
                                const std::vector<std::string>& allowed, bool takes_files, const char* usage,
                                Args* out);

// Whether `format` is one of `allowed`; a usage error (reported) if not.
bool CheckFormat(const char* cmd, const std::string& format, const std::vector<std::string>& allowed,
                 const char* usage);

// Opens an existing store (does not create one): for a reading command
// (Store::OpenForReading, which a read-only role suffices for) unless
// `writer`; null after the error has been printed.
std::unique_ptr<Store> OpenExisting(const char* cmd, const std::string& path, bool writer = false);

// The one document `ref` (id, key or number) names; nullopt after printing
// that there is none or more than one.
std::optional<int64_t> FindOneDocument(const char* cmd, Store* store, const std::string& ref);

// The rules ingest and reprocess extract with, and the store whose
// gazetteer was set from them.
struct StoreRules {
  std::unique_ptr<RuleSet> rules;
  std::unique_ptr<LinkRules> links;
  std::unique_ptr<Store> store;
  ReadLimits limits;  // the per-document CPU allowance among them
  ProcessFn Process() const {
    return [r = rules.get(), l = links.get(), lim = limits](std::string_view bytes, const std::string& path) {
      return ProcessForStore(bytes, path, *r, *l, lim);
    };
  }
};

// Loads the rules, then opens the store (created when `create`, so a rules
// error leaves no new file), merges documents stored apart and sets its
// gazetteer. Returns 0, or the exit code after the error has been printed.
int OpenWithRules(const char* cmd, const Args& args, bool create, StoreRules* out);

// This process in a work queue: "host:pid".
std::string WorkerName();

// At most `width` code points; a cut cell ends in "…".
std::string Cut(const std::string& s, size_t width);
// Tabs and line breaks as spaces.
std::string OneLine(std::string s);
// An aligned text table; cells longer than their column's limit are cut.
std::string RenderTable(const std::vector<std::string>& headers, const std::vector<size_t>& limits,
                        const std::vector<std::vector<std::string>>& rows);
inline std::string Or(const std::optional<std::string>& s, const char* fallback = "") { return s ? *s : fallback; }
// Writes `s` to stdout as it is.
void Print(const std::string& s);
// YYYY-MM-DD with a month 1-12 and a day 1-31.
bool IsIsoDate(const std::string& s);
// A match score as printed: three decimals.
std::string ScoreText(double v);

}  // namespace plantrace

#endif  // PLANTRACE_PIPELINE_CLI_CLI_INTERNAL_H_
