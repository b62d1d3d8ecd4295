// Ingest: files -> ProcessDocument -> Store::LoadDocument, one transaction
// per document, extraction optionally in parallel, loading in input order
// so that the store's content never depends on thread timing.
#ifndef PLANTRACE_PIPELINE_STORE_INGEST_H_
#define PLANTRACE_PIPELINE_STORE_INGEST_H_

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "extractors/readers.h"
#include "pipeline/base/rules.h"
#include "pipeline/base/status.h"
#include "pipeline/stages/link.h"
#include "pipeline/stages/record.h"
#include "pipeline/store/store.h"

namespace plantrace {

// Expands arguments into the files to ingest: a directory is walked
// recursively in byte order of its paths, leaving out hidden entries (names
// starting with '.') and not following links to folders; other arguments
// are kept as given (a missing file then fails on its own). `walked` (may be
// null) gets each entry found by walking a directory, with the reason it is
// to be skipped unread ("a symbolic link loop", "not a regular file (a
// device or socket)"...) or "" for a file to read (one of an unreadable
// format among them is skipped too, not failed).
std::vector<std::string> CollectInputs(const std::vector<std::string>& args,
                                       std::unordered_map<std::string, std::string>* walked = nullptr);

// One file ready to load: its Record and what the link stage needs.
struct Processed {
  Record record;
  LoadExtras extras;
  double seconds = 0;  // wall time of the extraction, for progress reports
  int pages = 0;       // the last page with text; 0 for formats without pages
};

// Turns one file's bytes into a Record and its link facts; `plantrace
// ingest` binds it to ProcessForStore with the loaded rules. Must be safe to
// call from several threads at once when IngestOptions::jobs > 1.
using ProcessFn = std::function<Result<Processed>(std::string_view bytes, const std::string& path)>;

// The extraction pipeline (as ProcessDocument) keeping the document's
// normalised lines, the link facts found in them, and the document's
// identity and reading rank under the identity rules (identity.h).
Result<Processed> ProcessForStore(std::string_view bytes, const std::string& path, const RuleSet& rules,
                                  const LinkRules& link_rules, const ReadLimits& limits = ReadLimits());

struct IngestOptions {
  int jobs = 1;  // extraction threads
  // Load files that have none of a plan's marks (IsPlanDocument) too.
  bool force = false;
  // Files found by walking a directory (CollectInputs), each with the
  // reason to skip it unread or "": one that is no regular file, or whose
  // format cannot be read (sniffed from the bytes), is skipped with the
  // reason.
  std::unordered_map<std::string, std::string> walked;
};

struct FileOutcome {
  enum class Kind { kOk, kSkipped, kFailed };
  Kind kind = Kind::kFailed;
  std::string path;
  std::string sha256;  // empty when the file could not be read
  std::optional<std::string> number;
  LoadOutcome load;     // kOk
  std::vector<Diagnostic> warnings;  // kOk: what looks wrong (info left out)
  std::string message;  // kFailed: the reason (without the path)
  // kSkipped: why the file was not loaded; "" when it was already stored.
  std::string skip_reason;
  // kOk with load.same_document: how this rendition differs from the
  // document's reading (and, when it became the reading, how the others do).
  std::vector<WarningRow> differences;
  double seconds = 0;  // extraction (Processed::seconds), 0 when not extracted
  int pages = 0;
};

struct IngestSummary {
  RunCounters counters;
  int64_t run_id = 0;
  int renditions = 0;  // files stored as another rendition of a stored document
  std::vector<std::pair<std::string, std::string>> skipped;  // (path, reason) of files not loaded
  // Where the time went (wall seconds): extraction summed over the files
  // (on the workers when -j > 1), the store writer's loads and its linking
  // at the end, and the writer waiting for the next file's extraction.
  double wall_seconds = 0;
  double extract_seconds = 0;
  double store_seconds = 0;
  double link_seconds = 0;
  double wait_seconds = 0;
};

// Ingests `files` in order. Each file is read, skipped when its SHA-256 is
// already stored (or, unless options.force, when it is no plan document or,
// found by a walk, of a format that cannot be read), else processed and
// loaded in one transaction; a failing
// file leaves the store as it was and the batch goes on. `on_file` is called
// once per file, in input order, from the calling thread. Records an
// ingest_runs row with per-file rows. A non-OK Status means the store itself
// failed (the run stopped), not that some file did.
Status Ingest(const std::vector<std::string>& files, const ProcessFn& process, const std::string& rules_hash,
              const IngestOptions& options, Store* store,
              const std::function<void(size_t index, const FileOutcome&)>& on_file, IngestSummary* summary);

// One file's bytes through Ingest's steps (a plan document unless `force`,
// processed, loaded in one transaction; bytes already stored come back
// skipped) as file `index` of run `run_id`, with links resolved at once.
// For `plantrace worker`, whose files come from the queue. Not OK only when
// the store itself failed; the file's own failure is in the outcome.
Result<FileOutcome> IngestBytes(std::string bytes, const std::string& path, const ProcessFn& process,
                                const std::string& rules_hash, bool force, Store* store, int64_t run_id, int index);

}  // namespace plantrace

#endif  // PLANTRACE_PIPELINE_STORE_INGEST_H_
