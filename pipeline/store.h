// The store: where ingest loads Records (one transaction per document) and
// the queries behind `docs` and `tasks`. SQLite by default (store.cc is the
// only file that includes sqlite3.h); the Store interface is what a shared
// server database would implement later.
#ifndef PLANTRACE_PIPELINE_STORE_H_
#define PLANTRACE_PIPELINE_STORE_H_

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "pipeline/record.h"
#include "pipeline/status.h"

namespace plantrace {

// What LoadDocument did.
struct LoadOutcome {
  int64_t doc_id = 0;
  bool unchanged = false;  // a document with the same SHA-256 was already stored
  std::string sha256;
  int tasks = 0;
  int references = 0;
  int indicators = 0;
  int warnings = 0;
};

struct DocRow {
  int64_t id = 0;
  std::string sha256;
  std::string source_path;
  std::string file_name;
  std::string format;
  std::optional<std::string> number;
  std::optional<std::string> type;
  std::optional<std::string> issuer;
  std::optional<std::string> place;
  std::optional<std::string> date;
  std::optional<std::string> title;
  std::optional<std::string> signer;
  std::optional<int64_t> declared_task_count;
  std::string rules_hash;
  int64_t task_count = 0;
  int64_t warning_count = 0;
};

struct TaskQuery {
  // Document id (all digits) or document number ("102/KH-UBND"; matched on
  // the number key, so case and spaces do not matter).
  std::optional<std::string> doc;
  // Agency: diacritic-folded whole-word match on any printed form, canonical
  // name or alias of a lead or coordinating agency ("so khoa hoc" finds
  // "Sở Khoa học và Công nghệ").
  std::optional<std::string> agency;
  // Full-text search over folded name, agencies and output (FTS5 phrase).
  std::optional<std::string> search;
};

struct TaskRow {
  int64_t id = 0;
  int64_t doc_id = 0;
  int position = 0;
  std::optional<std::string> doc_number;
  std::string doc_file;
  std::string source;
  std::optional<std::string> group;
  std::optional<std::string> group_title;
  std::optional<std::string> number;
  std::optional<std::string> code;
  std::optional<std::string> title;
  std::string name;
  std::optional<std::string> lead_raw;
  std::vector<std::string> lead;  // printed forms, in order
  std::optional<std::string> coord_raw;
  std::vector<std::string> coord;
  std::optional<std::string> output;
  std::optional<std::string> deadline_raw;
  std::optional<std::string> deadline_kind;
  std::optional<std::string> deadline_start;
  std::optional<std::string> deadline_end;
  std::optional<std::string> deadline_every;
  std::optional<std::string> funding;
  int page = 0;
  int line = 0;
  std::string clause;
  std::string status;
};

// Row count of every table (FTS included), by table name.
struct TableCounts {
  std::map<std::string, int64_t> rows;
  bool operator==(const TableCounts&) const = default;
};

// Per-run bookkeeping for `ingest` (the only rows that carry timestamps).
struct RunFile {
  std::string path;
  std::string sha256;   // empty when the file could not be read
  std::string status;   // ok | skipped | failed
  std::string message;  // failure reason
  std::optional<int64_t> doc_id;
};

struct RunCounters {
  int files = 0;
  int ok = 0;
  int skipped = 0;
  int failed = 0;
};

// Upper case without whitespace: how document numbers are matched
// ("102/kh-UBND " -> "102/KH-UBND").
std::string NumberKey(std::string_view number);

// Not thread-safe: one thread uses a Store at a time.
class Store {
 public:
  virtual ~Store() = default;

  // Opens (creating if needed) the SQLite store at `path` (":memory:" for a
  // private in-memory store) and migrates it to the current schema. A store
  // written by a newer program is refused.
  static Result<std::unique_ptr<Store>> Open(const std::string& path);

  // Schema version the store is at after Open.
  virtual Result<int> SchemaVersion() = 0;

  // Loads one document in one transaction: all of it or, on any error,
  // nothing. A document whose SHA-256 (of `original_bytes`) is already stored
  // is left as it is and `out->unchanged` is set.
  virtual Status LoadDocument(const Record& rec, std::string_view original_bytes,
                              const std::string& source_path, const std::string& rules_hash,
                              LoadOutcome* out) = 0;

  // Documents in load order.
  virtual Result<std::vector<DocRow>> Documents() = 0;
  // Tasks ordered by document (load order) and position in the document.
  virtual Result<std::vector<TaskRow>> Tasks(const TaskQuery& q) = 0;
  virtual Result<TableCounts> Counts() = 0;

  // Ingest run log.
  virtual Result<int64_t> BeginRun(const std::string& rules_hash) = 0;
  virtual Status RecordRunFile(int64_t run_id, int position, const RunFile& f) = 0;
  virtual Status FinishRun(int64_t run_id, const RunCounters& counters) = 0;
};

}  // namespace plantrace

#endif  // PLANTRACE_PIPELINE_STORE_H_
